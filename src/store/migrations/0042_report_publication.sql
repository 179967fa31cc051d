-- Published transparency reports (SPEC §9 "publishing reports", §13):
-- the exact bytes a compliance user published, in the format published,
-- with their SHA-256, which the "report.published" log entry records.
CREATE TABLE report_publication (
  id              INTEGER PRIMARY KEY,
  period          TEXT NOT NULL,
  format          TEXT NOT NULL,
  published_at    INTEGER NOT NULL,
  published_by    TEXT NOT NULL,
  sha256          TEXT NOT NULL,
  size            INTEGER NOT NULL,
  checkpoint_size INTEGER NOT NULL,
  body            BLOB NOT NULL
);
