-- The customer data vault and disclosure packages (SPEC §8; invariants I1,
-- I7, I8).  See docs/disclosure.md.
--
-- vault_item (0001) keeps each stored item; content of customers who hold
-- their keys is sealed to their public key at import.  vault_import keeps the
-- SHA-256 of every imported file, so the same file is not imported twice.
CREATE TABLE vault_import (
  id          INTEGER PRIMARY KEY,
  file_sha256 TEXT NOT NULL UNIQUE,    -- "sha256:<hex>" of the JSONL file
  items       INTEGER NOT NULL,
  at          INTEGER NOT NULL,
  log_index   INTEGER NOT NULL         -- the "vault.import" entry
);

-- One disclosure per request.  log_index (0001) is the "disclosure" entry
-- whose inclusion proof the package carries; package_index is the
-- "disclosure.package" entry with the package's SHA-256.  manifest is the
-- package's manifest.json (metadata and hashes of the items; no content).
ALTER TABLE disclosure ADD COLUMN package_index INTEGER;
ALTER TABLE disclosure ADD COLUMN manifest TEXT;
CREATE UNIQUE INDEX disclosure_request ON disclosure(request_id);
