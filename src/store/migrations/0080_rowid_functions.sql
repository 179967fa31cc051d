-- No change to the tables.  On PostgreSQL, applying any migration re-runs
-- ensure_rowids() (src/store/pg/pg.c), which gives every table with an id
-- its own trigger function with a cached plan in place of the shared one
-- that built its query per row; this migration makes a database created
-- before that upgrade to it.  On SQLite it does nothing.
SELECT 1;
