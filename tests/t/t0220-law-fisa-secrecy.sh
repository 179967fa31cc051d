#!/usr/bin/env bash
# US-FISA: secrecy is statutory (50 U.S.C. 1805(c)(2)(B), 1861(d)(1),
# 1881a(i)(1)(A)).  A FISA order's customer notice is suppressed from intake,
# with no NDO attached, and no tick ever sends it.
. "$(dirname "$0")/lib.sh"
setup_db
load_fixtures
docket config set provider_name "Example Cloud" >/dev/null
docket config set smtp_from notices@cloud.example >/dev/null

cat >fisa.json <<'JSON'
{"ref":"FISA-1","agency":"us-lapd","kind":"national_security","process":"fisa_order","received_at":"2026-03-02T10:00:00Z",
 "requester":{"name":"SA","email":"sa@lapd.gov"},"issued_by":{"type":"court","name":"FISC"},"signed":true,
 "targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber","content"]}
JSON
id=$(docket --as intake-1 request add fisa.json)
notice() { docket --json notice list --request "$id" | python3 -c 'import json,sys; n=json.load(sys.stdin)[0]; print(n["state"], n.get("reason") or "-")'; }
expect_eq "$(notice)" "suppressed statute" "FISA notice suppressed at intake, by statute"
flags=$(docket --json request show "$id" | python3 -c 'import json,sys; print(",".join(json.load(sys.stdin)["policy"]["flags"]))')
expect_contains "$flags" "statutory_secrecy" "the policy says why"
DOCKET_NOW=2030-01-01T00:00:00Z expect_exit 0 "tick years later" -- docket tick
expect_contains "$T_OUT" "0 notices sent" "nothing sent"
expect_eq "$(notice)" "suppressed statute" "still suppressed"
expect_eq "$(ls outbox 2>/dev/null | wc -l | tr -d ' ')" "0" "no message written"
done_testing
