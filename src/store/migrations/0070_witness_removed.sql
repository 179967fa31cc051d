-- Removing a witness (`docket witness remove NAME`; SPEC §6,
-- src/core/ledger/witness.c, docs/log.md).  The row stays, with the time it
-- was removed: checkpoints are no longer offered to it and its
-- cosignatures are no longer served, but those it made while it was
-- trusted stay stored and `log verify` still checks them with its key.
-- NULL: the witness is in service.
ALTER TABLE witness ADD COLUMN removed_at INTEGER;
