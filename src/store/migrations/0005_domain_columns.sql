-- What lists and reports filter on, decided by the domain (core/policy/classify.h)
-- and stored, so no legal rule is repeated in SQL (issue 11):
--   request.national_security  national-security process, published only
--                              in bands (50 U.S.C. 1874);
--   request.finished           a finished state: no deadline is open.
-- From now on the domain writes both with every request it stores and every
-- state it sets.  The UPDATEs below translate the rows stored before this
-- migration once, with the rules of that time (classify.c).
ALTER TABLE request ADD COLUMN national_security INTEGER NOT NULL DEFAULT 0;
ALTER TABLE request ADD COLUMN finished INTEGER NOT NULL DEFAULT 0;
UPDATE request SET national_security = 1
  WHERE kind = 'national_security' OR process IN ('nsl', 'fisa_order');
UPDATE request SET finished = 1
  WHERE state IN ('closed', 'withdrawn', 'released', 'expired', 'converted',
                  'rejected', 'redirected', 'disclosed');
-- The report's covering index holds the column it now filters on.
DROP INDEX request_report;
CREATE INDEX request_report ON request(received_at, national_security, kind, process,
                                       country, outcome, categories, n_targets);
