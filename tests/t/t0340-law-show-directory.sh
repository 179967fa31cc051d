#!/usr/bin/env bash
# request show (text) shows every input field, the disclosures, the
# deadlines with their reminders and the override justification; customer
# list/show and agency list/show find the parties (SPEC §4, §9).
. "$(dirname "$0")/lib.sh"
setup_db
load_fixtures
cat >w.json <<'JSON'
{"ref":"LAPD-2026-00123","received_at":"2026-03-02T10:00:00Z","channel":"portal","agency":"us-lapd",
 "requester":{"name":"Det. J. Smith","email":"jsmith@lapd.gov","phone":"+1 213 555 0100"},
 "kind":"criminal","process":"search_warrant",
 "issued_by":{"type":"court","name":"Superior Court of California, Los Angeles","judge":"Hon. A. Lee"},"signed":true,
 "targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber","content"],
 "date_range":{"from":"2025-01-01","to":"2026-02-28"},
 "ndo":{"statute":"18 U.S.C. 2705(b)","issued_at":"2026-03-01","expires_at":"2027-03-01"},
 "due_at":"2026-03-16T00:00:00Z",
 "documents":[{"name":"warrant.pdf","sha256":"4f1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"}]}
JSON
id=$(docket --as intake-1 request add w.json)
expect_exit 0 "show" -- docket request show "$id"
for want in "Det. J. Smith <jsmith@lapd.gov>" "phone +1 213 555 0100" "via portal" \
  "court Superior Court of California, Los Angeles, Hon. A. Lee" "Signed:     yes" \
  "Date range: 2025-01-01 to 2026-02-28" "Return by:  2026-03-16T00:00:00Z" \
  "warrant.pdf  sha256 4f1b2c3d" "18 U.S.C. 2705(b)" "requester_due"; do
  expect_contains "$T_OUT" "$want" "request show: $want"
done

expect_exit 0 "customer list" -- docket --as auditor-1 customer list
expect_contains "$T_OUT" "c-contoso" "lists customers"
expect_contains "$T_OUT" "3 customers" "counts them"
expect_exit 0 "customer list --q" -- docket customer list --q contoso
expect_contains "$T_OUT" "1 customer" "finds one"
expect_exit 0 "customer show" -- docket customer show c-hans
expect_contains "$T_OUT" "data stored in IE" "where the data is"
expect_contains "$T_OUT" "hans@example.de" "its accounts"
expect_exit 4 "unknown customer" -- docket customer show c-nobody
expect_exit 0 "agency list" -- docket agency list
expect_contains "$T_OUT" "+1 213 555 0100" "the call-back number on file"
expect_exit 0 "agency show" -- docket --json agency show gb-met
expect_contains "$T_OUT" "met.police.uk" "its domains"
done_testing
