-- Letters to the requesting agency (SPEC §13): acknowledgement, rejection,
-- redirect, narrowing, production cover letter.  The text as reviewed and
-- sent is kept with its SHA-256, which the log entries name (never the
-- text).  state: written (stored, being sent), sent, failed.
CREATE TABLE letter (
  id          INTEGER PRIMARY KEY,
  request_id  INTEGER NOT NULL REFERENCES request(id),
  kind        TEXT NOT NULL,
  to_addr     TEXT NOT NULL,
  subject     TEXT NOT NULL,
  body        TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  state       TEXT NOT NULL,
  written_at  INTEGER NOT NULL,
  written_by  TEXT NOT NULL,
  sent_at     INTEGER,
  message_id  TEXT,
  error       TEXT
);
CREATE INDEX letter_request ON letter(request_id);
