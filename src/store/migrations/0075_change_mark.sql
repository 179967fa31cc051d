-- The database's change marker (store.h, store_change_mark): one row whose
-- n grows by one and whose tag takes a new random value with every
-- transaction that changes anything, in that transaction (the statement
-- layer, src/store/sqlite/sql.c, bumps it on a transaction's first write
-- and after every write made outside a transaction).  A server caches what
-- it derived from the database (a request's JSON view, a token's user and
-- roles) under the marker it read, and reads the marker again - one
-- primary-key lookup - before it reuses anything: a change made by any
-- process, another server over the same PostgreSQL database included,
-- shows as a different marker.  The random tag tells apart two states with
-- the same n (a database restored from an older copy, then written).
-- Bookkeeping, not a fact: the log records nothing of it.
--
-- store.c (ensure_change_mark) makes the same table on a database whose
-- schema went past 0075 before this migration existed: keep them alike.
CREATE TABLE change_mark (
  id  INTEGER PRIMARY KEY CHECK (id = 1),
  n   INTEGER NOT NULL,
  tag INTEGER NOT NULL
);
INSERT INTO change_mark (id, n, tag) VALUES (1, 0, 0);
