#!/usr/bin/env bash
# Preservation holds expire exactly at their date (US 90 days, EU 60), may
# be renewed once, and docket tick uses the clock (DOCKET_NOW).
. "$(dirname "$0")/lib.sh"
setup_db
load_fixtures

printf '{"ref":"P-1","agency":"us-lapd","kind":"preservation","process":"preservation","received_at":"2026-03-02T12:00:00Z","requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber","content"]}' >p.json
id=$(docket --as intake-1 request add p.json)
state() { docket --json request show "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])'; }
expect_eq "$(state "$id")" "preserved" "preservation request is preserved"

# 90 days after 2026-03-02T12:00:00Z is 2026-05-31T12:00:00Z
DOCKET_NOW=2026-05-31T11:59:59Z docket tick >/dev/null
expect_eq "$(state "$id")" "preserved" "still held one second before"
DOCKET_NOW=2026-05-31T12:00:00Z expect_exit 0 "tick at expiry" -- docket tick
expect_contains "$T_OUT" "1 preservation hold expired" "one expired"
expect_eq "$(state "$id")" "expired" "expired exactly at its date"
DOCKET_NOW=2026-06-30T12:00:00Z expect_exit 0 "second tick" -- docket tick
expect_contains "$T_OUT" "0 preservation holds expired" "nothing more"

# renewal: once, +90 days
sed 's/P-1/P-2/' p.json >p2.json
id=$(docket --as intake-1 request add p2.json)
DOCKET_NOW=2026-05-01T00:00:00Z expect_exit 0 "renew" -- docket --as reviewer-1 hold renew "$id" --reason "renewed request received"
DOCKET_NOW=2026-05-02T00:00:00Z expect_exit 5 "renew twice" -- docket --as reviewer-1 hold renew "$id"
expect_contains "$T_ERR" "once" "explains the one renewal"
DOCKET_NOW=2026-05-31T12:00:00Z docket tick >/dev/null
expect_eq "$(state "$id")" "preserved" "renewed hold survives the first date"
DOCKET_NOW=2026-08-29T11:59:59Z docket tick >/dev/null
expect_eq "$(state "$id")" "preserved" "renewed hold: one second before 180 days"
DOCKET_NOW=2026-08-29T12:00:00Z docket tick >/dev/null
expect_eq "$(state "$id")" "expired" "renewed hold expires at 180 days"

# EU preservation order: 60 days (EU-EPOC-PR)
printf '{"ref":"EPR-1","agency":"de-bka","kind":"preservation","process":"eu_preservation_order","received_at":"2026-09-01T00:00:00Z","issued_by":{"type":"prosecutor","name":"StA Berlin"},"signed":true,"requester":{"name":"KHK B","email":"b@bka.bund.de"},"targets":[{"type":"email","value":"hans@example.de"}],"categories":["subscriber"]}' >e.json
id=$(DOCKET_NOW=2026-09-01T00:00:00Z docket --as intake-1 request add e.json)
expect_eq "$(state "$id")" "preserved" "EU preservation order preserved"
DOCKET_NOW=2026-10-30T23:59:59Z docket tick >/dev/null
expect_eq "$(state "$id")" "preserved" "EU hold one second before 60 days"
DOCKET_NOW=2026-10-31T00:00:00Z docket tick >/dev/null
expect_eq "$(state "$id")" "expired" "EU hold expires at 60 days"

# release
sed 's/P-1/P-3/' p.json >p3.json
id=$(docket --as intake-1 request add p3.json)
expect_exit 5 "intake may not release" -- docket --as intake-1 hold release "$id"
expect_exit 0 "release" -- docket --as reviewer-1 hold release "$id" --reason "no longer needed"
expect_eq "$(state "$id")" "released" "released"
expect_exit 5 "renew a released hold" -- docket --as reviewer-1 hold renew "$id"
# conversion by a follow-up request with legal process
sed 's/P-1/P-4/' p.json >p4.json
id=$(docket --as intake-1 request add p4.json)
printf '{"ref":"W-4","agency":"us-lapd","kind":"criminal","process":"search_warrant","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["content"]}' >w4.json
follow=$(docket --as intake-1 request add w4.json)
expect_exit 5 "reviewer may not convert" -- docket --as reviewer-1 hold convert "$id" "$follow"
expect_exit 4 "unknown follow-up" -- docket --as intake-1 hold convert "$id" 999
expect_exit 0 "convert" -- docket --as intake-1 hold convert "$id" "$follow" --reason "warrant served"
expect_eq "$(state "$id")" "converted" "converted by the follow-up"
expect_exit 5 "convert twice" -- docket --as intake-1 hold convert "$id" "$follow"
done_testing
