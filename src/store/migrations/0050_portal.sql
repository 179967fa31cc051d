-- The agency portal and the customer portal (SPEC §14, §15; docs/portals.md).
--
-- Officers and customers' contacts sign in as users (staff rows with the
-- role officer or customer only, named by their e-mail address), so the
-- passwords, TOTP, sessions and tokens of 0025_auth.sql serve them too.
-- portal_account says whose they are: an officer's agency, and whether the
-- account (or, in agency_suspension, its whole agency) is suspended.
CREATE TABLE portal_account (
  name          TEXT PRIMARY KEY REFERENCES staff(name),
  kind          TEXT NOT NULL,          -- officer | customer
  agency_id     TEXT,                   -- an officer's agency
  display_name  TEXT,                   -- the officer's name as registered
  created_at    INTEGER NOT NULL,
  suspended_at  INTEGER,                -- NULL: in force
  suspended_by  TEXT,
  suspend_reason TEXT
) WITHOUT ROWID;
CREATE INDEX portal_account_agency ON portal_account(agency_id);

CREATE TABLE agency_suspension (
  agency_id     TEXT PRIMARY KEY,
  suspended_at  INTEGER NOT NULL,
  suspended_by  TEXT NOT NULL,
  reason        TEXT NOT NULL
) WITHOUT ROWID;

-- One-time links: an officer's registration link or a customer's sign-in
-- link.  Only the SHA-256 of the link's secret is kept (256 random bits);
-- a link is used once (used_at) and lives until expires_at.
CREATE TABLE portal_link (
  id          INTEGER PRIMARY KEY,
  hash        TEXT NOT NULL UNIQUE,
  purpose     TEXT NOT NULL,            -- register | customer
  email       TEXT NOT NULL,
  agency_id   TEXT,                     -- register: the agency of the domain
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  used_at     INTEGER
);

-- Registration attempts, for staff: accepted ones and those refused at a
-- look-alike or unverified domain (each also a log entry).
CREATE TABLE portal_registration (
  id          INTEGER PRIMARY KEY,
  email       TEXT NOT NULL,
  domain      TEXT NOT NULL,
  verdict     TEXT NOT NULL,            -- verified | lookalike | unverified
  agency_id   TEXT,                     -- verified: its agency
  imitates    TEXT,                     -- lookalike: the verified domain
  remote      TEXT NOT NULL,
  at          INTEGER NOT NULL
);

-- Requests submitted through the agency portal: the officer who did, and
-- the last state the officer was mailed about (a change of state is mailed
-- by the scheduler, docs/portals.md).
CREATE TABLE portal_request (
  request_id  INTEGER PRIMARY KEY REFERENCES request(id),
  officer     TEXT NOT NULL,
  agency_id   TEXT NOT NULL,
  at          INTEGER NOT NULL,
  mailed_state TEXT
);
CREATE INDEX portal_request_officer ON portal_request(officer);

-- Verification failures recorded by staff (a call-back that did not
-- confirm the request), per officer and per agency, shown on every request.
CREATE TABLE verification_failure (
  id          INTEGER PRIMARY KEY,
  request_id  INTEGER NOT NULL REFERENCES request(id),
  officer     TEXT,                     -- NULL: not from the portal
  agency_id   TEXT NOT NULL,
  reason      TEXT NOT NULL,
  at          INTEGER NOT NULL,
  actor       TEXT NOT NULL,
  log_index   INTEGER NOT NULL
);
CREATE INDEX verification_failure_agency ON verification_failure(agency_id);
