-- PostgreSQL form of 0025_auth.sql: "user" is a reserved word there, so the
-- column is quoted (the queries quote it on both engines).  Types are
-- rewritten by pg_dialect() as for every migration (src/store/pg/pg.c).
-- Authentication for `docket serve` (SPEC §12; docs/api.md).
--
-- staff_auth: a user's argon2id password hash (libsodium crypto_pwhash_str
-- string), its TOTP secret once enrolled, and the last TOTP time step
-- accepted (a code at or below it is refused: each code is accepted once).
CREATE TABLE staff_auth (
  name         TEXT PRIMARY KEY REFERENCES staff(name),
  password     TEXT,                 -- NULL: cannot sign in with a password
  password_at  INTEGER,
  totp_secret  BLOB,                 -- NULL: not enrolled
  totp_last    INTEGER NOT NULL DEFAULT -1
) WITHOUT ROWID;

-- API tokens: only the SHA-256 of the token is kept (a token carries 256
-- random bits, so a fast hash cannot be searched).  roles: the roles the
-- token may use, always within its user's roles at the time of use.
CREATE TABLE api_token (
  id          INTEGER PRIMARY KEY,
  hash        TEXT NOT NULL UNIQUE,
  "user"       TEXT NOT NULL REFERENCES staff(name),
  roles       INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER,               -- NULL: never
  revoked_at  INTEGER                -- NULL: in force
);

-- Sessions of signed-in staff: the SHA-256 of the cookie value and the
-- times that decide the idle (30 min) and absolute (12 h) timeouts.  The
-- CSRF token is derived from the cookie (core/access/auth.c), so it is not stored.
CREATE TABLE session (
  id          INTEGER PRIMARY KEY,
  hash        TEXT NOT NULL UNIQUE,
  "user"       TEXT NOT NULL REFERENCES staff(name),
  created_at  INTEGER NOT NULL,
  seen_at     INTEGER NOT NULL,
  revoked_at  INTEGER
);
CREATE INDEX session_by_user ON session("user");   -- session_user is reserved
