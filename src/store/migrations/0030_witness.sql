-- Witnesses and their cosignatures (SPEC §6; c2sp.org/tlog-witness and
-- tlog-cosignature; src/core/ledger/witness.c, docs/log.md).
--   witness      one row per registered witness: its key name, the URL
--                prefix add-checkpoint is posted under, its verifier key
--                (signature type 0x04), and what the last offer gave:
--                cosigned  size of the newest cosignature held (0: none),
--                claimed   the size the witness said it last cosigned when
--                          it answered 409 (NULL: never),
--                status    one line on the last offer, problem = 1 when the
--                          witness refused the log as inconsistent with what
--                          it cosigned before (a fork or a rollback).
--   cosignature  a witness's cosignature line on the checkpoint of `size`,
--                served after the log's own signature.
CREATE TABLE witness (
  name      TEXT PRIMARY KEY,
  url       TEXT NOT NULL,
  vkey      TEXT NOT NULL,
  added_at  INTEGER NOT NULL,
  cosigned  INTEGER NOT NULL DEFAULT 0,
  claimed   INTEGER,
  status    TEXT NOT NULL DEFAULT 'not offered yet',
  problem   INTEGER NOT NULL DEFAULT 0,
  status_at INTEGER
) WITHOUT ROWID;

CREATE TABLE cosignature (
  witness TEXT NOT NULL REFERENCES witness(name),
  size    INTEGER NOT NULL,
  line    TEXT NOT NULL,
  time    INTEGER NOT NULL,
  PRIMARY KEY (witness, size)
) WITHOUT ROWID;
CREATE INDEX cosignature_size ON cosignature(size);
