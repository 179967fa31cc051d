-- Separation of duties in user administration (SPEC §9; core/access/staff.h).
--
-- staff.unix_login binds a user to an operating-system login, for
-- `config set cli_auth unix`: the command line then acts as the user bound
-- to the login that runs it.
--
-- staff_proposal holds a grant of admin, reviewer or approver (or the
-- demotion or removal of an admin) that one admin proposed while there are
-- two or more admins; it takes effect when a different admin confirms it
-- (`user confirm ID`) or is cancelled (`user cancel ID`); rows are kept,
-- so a proposal's id is never reused.  op is 'add', 'set' or 'remove';
-- roles and unix_login are the user's roles and login once the proposal
-- takes effect; state is 'pending', 'confirmed' or 'cancelled'.
ALTER TABLE staff ADD COLUMN unix_login TEXT;
CREATE UNIQUE INDEX staff_unix_login ON staff(unix_login) WHERE unix_login IS NOT NULL;

CREATE TABLE staff_proposal (
  id          INTEGER PRIMARY KEY,
  op          TEXT NOT NULL,
  name        TEXT NOT NULL,
  roles       INTEGER NOT NULL,
  unix_login  TEXT,
  proposed_by TEXT NOT NULL,
  at          INTEGER NOT NULL,
  log_index   INTEGER NOT NULL,       -- the user.propose entry
  state       TEXT NOT NULL DEFAULT 'pending',
  decided_by  TEXT,
  decided_at  INTEGER
);
