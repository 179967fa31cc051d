-- Documents of a request (SPEC §13): the orders as they arrived, uploaded
-- on the intake page, stored in the same unit of work as the request they
-- belong to and named in its SPEC §3 `documents` by name and SHA-256.  The
-- bytes are kept as they came; their hash is checked again when served.
CREATE TABLE request_document (
  id          INTEGER PRIMARY KEY,
  request_id  INTEGER NOT NULL REFERENCES request(id),
  name        TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  media_type  TEXT NOT NULL,
  size        INTEGER NOT NULL,
  content     BLOB NOT NULL,
  added_at    INTEGER NOT NULL,
  added_by    TEXT NOT NULL,
  UNIQUE (request_id, sha256)
);
