-- docket's first schema: everything SPEC §2 lists.
CREATE TABLE setting (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE staff (
  name  TEXT PRIMARY KEY,
  roles INTEGER NOT NULL             -- bit set of ROLE_BIT()
) WITHOUT ROWID;

CREATE TABLE customer (
  id            TEXT PRIMARY KEY,
  doc           TEXT NOT NULL,       -- the customer as imported (canonical JSON)
  type          TEXT NOT NULL,
  country       TEXT NOT NULL,
  data_location TEXT NOT NULL,
  us_person     INTEGER NOT NULL,
  key_custody   TEXT NOT NULL
);

CREATE TABLE account (
  id          INTEGER PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customer(id) ON DELETE CASCADE,
  type        TEXT NOT NULL,
  value       TEXT NOT NULL,
  UNIQUE (type, value)
);
CREATE INDEX account_customer ON account(customer_id);

CREATE TABLE agency (
  id      TEXT PRIMARY KEY,
  doc     TEXT NOT NULL,
  country TEXT NOT NULL,
  type    TEXT NOT NULL
);

CREATE TABLE request (
  id          INTEGER PRIMARY KEY,
  ref         TEXT NOT NULL,
  agency_id   TEXT,                  -- NULL only for historical imports
  country     TEXT NOT NULL,
  kind        TEXT NOT NULL,
  process     TEXT NOT NULL,
  state       TEXT NOT NULL,
  outcome     TEXT NOT NULL DEFAULT '',
  categories  INTEGER NOT NULL,
  n_targets   INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  due_at      INTEGER,
  closed_at   INTEGER,
  created_at  INTEGER NOT NULL,
  doc         TEXT NOT NULL,         -- SPEC §3 fields (canonical JSON)
  policy      TEXT,                  -- the recommendation (SPEC §4)
  scope       INTEGER,               -- categories kept at review (NULL: as asked)
  supported   INTEGER                -- categories the process supports (policy)
);
CREATE UNIQUE INDEX request_ref ON request(coalesce(agency_id, '~' || country), ref);
CREATE INDEX request_received ON request(received_at);
CREATE INDEX request_state ON request(state);

CREATE TABLE request_target (
  request_id INTEGER NOT NULL REFERENCES request(id),
  seq        INTEGER NOT NULL,
  type       TEXT NOT NULL,
  value      TEXT NOT NULL,
  account_id INTEGER REFERENCES account(id),
  PRIMARY KEY (request_id, seq)
) WITHOUT ROWID;
CREATE INDEX request_target_account ON request_target(account_id);

CREATE TABLE history (
  id          INTEGER PRIMARY KEY,
  request_id  INTEGER NOT NULL REFERENCES request(id),
  at          INTEGER NOT NULL,
  actor       TEXT NOT NULL,
  event       TEXT NOT NULL,
  from_state  TEXT,
  to_state    TEXT NOT NULL,
  reason      TEXT,
  log_index   INTEGER NOT NULL
);
CREATE INDEX history_request ON history(request_id, id);

-- Four eyes: each approver's sign-off; one per person per request.
CREATE TABLE approval (
  request_id INTEGER NOT NULL REFERENCES request(id),
  approver   TEXT NOT NULL,
  at         INTEGER NOT NULL,
  log_index  INTEGER NOT NULL,
  PRIMARY KEY (request_id, approver)
) WITHOUT ROWID;

-- How the requester's identity was checked (GEN-REQUESTER, US-EMERGENCY).
CREATE TABLE verification (
  id          INTEGER PRIMARY KEY,
  request_id  INTEGER NOT NULL REFERENCES request(id),
  method      TEXT NOT NULL,
  callback    TEXT NOT NULL,         -- the independently sourced number called
  person      TEXT NOT NULL,         -- who confirmed the request
  at          INTEGER NOT NULL,
  actor       TEXT NOT NULL,
  log_index   INTEGER NOT NULL
);

CREATE TABLE ndo (
  id         INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES request(id),
  statute    TEXT NOT NULL,
  issued_at  INTEGER NOT NULL,
  expires_at INTEGER,                -- NULL: indefinite
  lifted_at  INTEGER
);
CREATE INDEX ndo_request ON ndo(request_id);

CREATE TABLE notice (
  id          INTEGER PRIMARY KEY,
  request_id  INTEGER NOT NULL REFERENCES request(id),
  customer_id TEXT NOT NULL REFERENCES customer(id),
  state       TEXT NOT NULL,
  due_at      INTEGER,
  sent_at     INTEGER,
  attempts    INTEGER NOT NULL DEFAULT 0,
  next_try_at INTEGER,
  last_error  TEXT,
  UNIQUE (request_id, customer_id)
);
CREATE INDEX notice_due ON notice(state, due_at);

CREATE TABLE hold (
  id          INTEGER PRIMARY KEY,
  request_id  INTEGER NOT NULL REFERENCES request(id),
  account_id  INTEGER REFERENCES account(id),
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  renewals    INTEGER NOT NULL DEFAULT 0,
  state       TEXT NOT NULL
);
CREATE INDEX hold_expiry ON hold(state, expires_at);

CREATE TABLE challenge (
  id         INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES request(id),
  subject    TEXT NOT NULL,          -- 'request' or 'ndo'
  filed_at   INTEGER NOT NULL,
  court      TEXT NOT NULL,
  grounds    TEXT NOT NULL,
  outcome    TEXT,
  decided_at INTEGER
);

CREATE TABLE deadline (
  id         INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES request(id),
  kind       TEXT NOT NULL,
  at         INTEGER NOT NULL,
  done       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX deadline_at ON deadline(done, at);

CREATE TABLE disclosure (
  id         INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES request(id),
  file_name  TEXT NOT NULL,
  size       INTEGER NOT NULL,
  sha256     TEXT NOT NULL,
  items      INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  log_index  INTEGER NOT NULL
);

CREATE TABLE vault_item (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES account(id),
  category   TEXT NOT NULL,
  kind       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  location   TEXT NOT NULL,
  sealed     INTEGER NOT NULL,       -- 1: sealed to the customer's key
  size       INTEGER NOT NULL,
  data       BLOB NOT NULL
);
CREATE INDEX vault_scope ON vault_item(account_id, category, created_at);

-- The tamper-evident log (SPEC §6).
CREATE TABLE log_entry (
  idx   INTEGER PRIMARY KEY,         -- 0-based leaf index
  entry BLOB NOT NULL
);
CREATE TABLE log_hash (
  level INTEGER NOT NULL,
  idx   INTEGER NOT NULL,
  hash  BLOB NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;
CREATE TABLE log_checkpoint (
  size INTEGER PRIMARY KEY,
  note TEXT NOT NULL
);

-- Transparency reports (SPEC §7; src/store/sqlite_report.c): covering
-- indexes, so a report reads index pages only - not the request documents
-- or customer documents - however many requests a half-year holds.
CREATE INDEX request_report ON request(received_at, kind, process, country, outcome,
                                       categories, n_targets);
CREATE INDEX customer_report ON customer(id, type, data_location);
