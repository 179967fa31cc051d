#!/usr/bin/env bash
# A legally deficient emergency request is still a request the provider
# received and must answer (US-EMERGENCY): one without the supervisor's phone
# (or name, or justification) is stored, and the policy says what is
# missing; exit 3 stays for malformed input.  The agency can supply what is
# missing by request amend (SPEC §3).
. "$(dirname "$0")/lib.sh"
setup_db
load_fixtures

cat >em.json <<'JSON'
{"ref":"EM-1","agency":"us-lapd","kind":"emergency","process":"emergency",
 "requester":{"name":"Det. A","email":"a@lapd.gov"},
 "targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"],
 "emergency":{"justification":"credible threat to life","supervisor":{"name":"Sgt. B"}}}
JSON
expect_exit 0 "stored without the supervisor's phone" -- docket --as intake-1 request add em.json
id=$T_OUT
text=$(docket --json request show "$id" | python3 -c 'import json,sys; p=json.load(sys.stdin)["policy"]; print(p["action"], [r["text"] for r in p["reasons"] if r["rule"]=="US-EMERGENCY"])')
expect_contains "$text" "reject" "recommended: reject until complete"
expect_contains "$text" "missing the supervisor's phone" "the policy names what is missing"

printf '{"ref":"EM-2","agency":"us-lapd","kind":"emergency","process":"emergency","targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"],"emergency":{}}' >bare.json
expect_exit 0 "stored with an empty emergency object" -- docket --as intake-1 request add bare.json

printf '{"ref":"EM-3","agency":"us-lapd","kind":"emergency","process":"emergency","targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"],"emergency":{"supervisor":{"name":"Sgt. B","phone":"call me"}}}' >bad.json
expect_exit 3 "a malformed phone is still invalid input" -- docket --as intake-1 request add bad.json
expect_contains "$T_ERR" "emergency.supervisor" "names the field"
done_testing
