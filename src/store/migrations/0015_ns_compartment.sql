-- The national-security compartment (SPEC §6, 50 U.S.C. 1874): a second
-- tamper-evident log, with its own origin, key and checkpoints, for the
-- events of national-security process.  The main log commits to it only by
-- the hash of its latest checkpoint, at every scheduler pass.  Same layout
-- as log_entry / log_hash / log_checkpoint (0001).
CREATE TABLE ns_log_entry (
  idx   INTEGER PRIMARY KEY,
  entry BLOB NOT NULL
);
CREATE TABLE ns_log_hash (
  level INTEGER NOT NULL,
  idx   INTEGER NOT NULL,
  hash  BLOB NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;
CREATE TABLE ns_log_checkpoint (
  size INTEGER PRIMARY KEY,
  note TEXT NOT NULL
);
