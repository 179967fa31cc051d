#!/usr/bin/env bash
# SPEC §5 "Reminders": tick raises a reminder once for every tracked deadline
# that is near (default 2 days; at most a quarter of the deadline's span, so
# 2 hours for the 8-hour emergency production order) and once more when it
# is missed; each is a log entry and shows in request show until the
# deadline is met.  A met deadline raises nothing.
. "$(dirname "$0")/lib.sh"
setup_db
load_fixtures
cat >more.jsonl <<'JSON'
{"id":"c-carol","name":"Carol","type":"consumer","country":"GB","data_location":"GB","us_person":false,"contact":{"email":"carol@example.co.uk"},"accounts":[{"type":"email","value":"carol@example.co.uk"}]}
{"id":"c-erin","name":"Erin","type":"consumer","country":"DE","data_location":"DE","us_person":false,"contact":{"email":"erin@example.de"},"accounts":[{"type":"email","value":"erin@example.de"}]}
JSON
docket customer import more.jsonl >/dev/null

tick() { DOCKET_NOW=$1 docket --json tick | python3 -c 'import json,sys; t=json.load(sys.stdin); print(t["reminders_near"], t["reminders_missed"])'; }
dl() {  # dl ID KIND: met / reminded_near / reminded_missed of that deadline
  docket --json request show "$1" | python3 -c '
import json,sys
d=[x for x in json.load(sys.stdin)["deadlines"] if x["kind"]==sys.argv[1]][0]
print(d["met"], d.get("reminded_near","-"), d.get("reminded_missed","-"))' "$2"; }

# 1. comity motion: 14 days after service (2026-03-16T10:00Z), near 2 days before
cat >w.json <<'JSON'
{"ref":"W-1","agency":"us-lapd","kind":"criminal","process":"search_warrant","received_at":"2026-03-02T10:00:00Z","signed":true,
 "requester":{"name":"A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"carol@example.co.uk"}],"categories":["content"]}
JSON
w=$(docket --as intake-1 request add w.json)
expect_eq "$(tick 2026-03-14T09:59:59Z)" "0 0" "not yet near"
expect_eq "$(tick 2026-03-14T10:00:00Z)" "1 0" "near: 2 days before"
expect_eq "$(tick 2026-03-15T10:00:00Z)" "0 0" "raised once"
expect_eq "$(dl "$w" comity_motion)" "False 2026-03-14T10:00:00Z -" "shown until met"
out=$(DOCKET_NOW=2026-03-16T10:00:00Z docket tick)
expect_contains "$out" "1 deadline reminder: 0 near, 1 missed" "missed at the deadline, in words"
expect_eq "$(tick 2026-03-17T10:00:00Z)" "0 0" "missed raised once"
expect_eq "$(dl "$w" comity_motion)" "False 2026-03-14T10:00:00Z 2026-03-16T10:00:00Z" "both reminders shown"
show=$(docket request show "$w")
expect_contains "$show" "MISSED" "request show flags the missed deadline"

# 2. emergency European Production Order: 8 hours; near 2 hours before
cat >epoc.json <<'JSON'
{"ref":"EPOC-1","agency":"de-bka","kind":"emergency","process":"eu_production_order","received_at":"2026-09-01T08:00:00Z","signed":true,
 "requester":{"name":"K","email":"k@bka.bund.de"},"issued_by":{"type":"court","name":"Amtsgericht"},
 "targets":[{"type":"email","value":"erin@example.de"}],"categories":["subscriber"]}
JSON
e=$(DOCKET_NOW=2026-09-01T08:05:00Z docket --as intake-1 request add epoc.json)
expect_eq "$(tick 2026-09-01T13:59:59Z)" "0 0" "8-hour deadline: not near 2h01 before"
expect_eq "$(tick 2026-09-01T14:00:00Z)" "1 0" "near 2 hours before"
expect_eq "$(tick 2026-09-01T16:00:00Z)" "0 1" "missed at 8 hours"

# 3. a deadline met in time raises nothing: the request is answered
cat >d.json <<'JSON'
{"ref":"D-1","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2026-09-01T08:00:00Z","due_at":"2026-09-20T00:00:00Z",
 "requester":{"name":"A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}
JSON
d=$(DOCKET_NOW=2026-09-02T00:00:00Z docket --as intake-1 request add d.json)
DOCKET_NOW=2026-09-03T00:00:00Z docket --as reviewer-1 request decide "$d" reject --reason "not our customer's data" >/dev/null
expect_eq "$(tick 2026-09-19T00:00:00Z)" "0 0" "answered before the return date: no reminder"
expect_eq "$(dl "$d" requester_due)" "True - -" "met"

# 4. preservation: the hold's expiry is reminded while the hold is active
cat >p.json <<'JSON'
{"ref":"P-1","agency":"us-lapd","kind":"preservation","process":"preservation","received_at":"2026-10-01T00:00:00Z",
 "requester":{"name":"A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber","content"]}
JSON
p=$(DOCKET_NOW=2026-10-01T00:00:00Z docket --as intake-1 request add p.json)
expect_eq "$(tick 2026-12-28T00:00:00Z)" "1 0" "hold expiry near (90 days)"
expect_exit 0 "log verify" -- docket --as auditor-1 log verify
done_testing
