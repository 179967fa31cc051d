-- Failed sign-ins and wrong tokens, counted per key (a user name or a client
-- address, kept only as its SHA-256) in the database, so that every server
-- over one database shares the limit (SPEC §12, §16).  Bookkeeping, not a
-- fact: nothing is decided from it but how long a key waits.
CREATE TABLE signin_failure (
  key      TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  since    INTEGER NOT NULL
);
