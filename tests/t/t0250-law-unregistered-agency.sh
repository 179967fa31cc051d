#!/usr/bin/env bash
# GEN-AGENCY: a request from an agency that is not registered waits in
# verifying; no country rule rejects it on a guessed country (a US warrant
# for content is not "a foreign order"); once the agency is registered, a
# reviewer runs the policy again and the request moves on.  Also: a
# received_at in the future is refused (SPEC §3).
. "$(dirname "$0")/lib.sh"
setup_db
load_fixtures

cat >w.json <<'JSON'
{"ref":"SW-9","agency":"us-sfpd","kind":"criminal","process":"search_warrant","received_at":"2026-03-02T10:00:00Z",
 "requester":{"name":"Insp. K","email":"k@sfgov.org"},"issued_by":{"type":"court","name":"Superior Court of California, San Francisco"},"signed":true,
 "targets":[{"type":"email","value":"alice@example.net"}],"categories":["content"]}
JSON
id=$(docket --as intake-1 request add w.json)
pol() { docket --json request show "$id" | python3 -c 'import json,sys; r=json.load(sys.stdin); p=r["policy"]; print(r["state"], p["action"], ",".join(sorted({x["rule"] for x in p["reasons"]})))'; }
expect_eq "$(pol)" "verifying verify GEN-AGENCY,GEN-REQUESTER" "verify, with no country rule applied"
expect_exit 5 "reassess before the agency is registered" -- docket --as reviewer-1 request reassess "$id"
expect_contains "$T_ERR" "agency import" "says how to register it"
echo '{"id":"us-sfpd","name":"San Francisco Police Department","country":"US","type":"law_enforcement","domains":["sfgov.org"],"phone":"+1 415 555 0100"}' >sfpd.jsonl
docket agency import sfpd.jsonl >/dev/null
expect_exit 5 "intake may not reassess" -- docket --as intake-1 request reassess "$id"
expect_exit 0 "reassess once registered" -- docket --as reviewer-1 request reassess "$id" --reason "agency registered after a call to SFPD records"
expect_eq "$(pol)" "in_review review " "the US rules now apply: a warrant reaches content"
expect_eq "$(docket --json request show "$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["country"])')" "US" "country from the agency"
hist=$(docket --json request show "$id" | python3 -c 'import json,sys; print(" ".join(h["event"] for h in json.load(sys.stdin)["history"]))')
expect_eq "$hist" "received reassess" "the reassessment is in the history"
expect_exit 0 "approve" -- docket --as reviewer-1 request decide "$id" approve --reason "valid warrant"
expect_exit 0 "log verify accepts the reassessed document" -- docket --as auditor-1 log verify

# SPEC §3: received_at in the future (beyond five minutes of skew) is refused
sed 's/SW-9/SW-10/; s/2026-03-02T10:00:00Z/2026-03-02T12:04:00Z/' w.json >skew.json
expect_exit 0 "four minutes ahead: clock skew" -- docket --as intake-1 request add skew.json
sed 's/SW-9/SW-11/; s/2026-03-02T10:00:00Z/2026-03-02T12:06:00Z/' w.json >future.json
before=$(db_fingerprint)
expect_exit 3 "six minutes ahead: refused" -- docket --as intake-1 request add future.json
expect_contains "$T_ERR" "received_at" "names the field"
expect_eq "$(db_fingerprint)" "$before" "nothing stored"
done_testing
