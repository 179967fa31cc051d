#!/usr/bin/env bash
# Corrections without erasure (SPEC §3): request amend (intake, before any
# review decision) replaces the input, re-runs the policy, moves notices
# with the targets and logs the old and new document digests; request void
# (reviewer) takes a request entered in error out of every report, cancels
# its unsent notices and is logged.
. "$(dirname "$0")/lib.sh"
setup_db
load_fixtures
pol() { docket --json request show "$1" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["state"], r["policy"]["action"])'; }
notices() { docket --json notice list --request "$1" | python3 -c 'import json,sys; print(" ".join(sorted(n["customer"]+":"+n["state"] for n in json.load(sys.stdin))))'; }

# a typo'd target and a subpoena asking for content
cat >a.json <<'JSON'
{"ref":"A-1","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2026-03-02T10:00:00Z","signed":true,
 "requester":{"name":"A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"hans@example.de"}],"categories":["subscriber","content"]}
JSON
id=$(docket --as intake-1 request add a.json)
expect_eq "$(pol "$id")" "in_review narrow" "subpoena for content: narrow"
expect_eq "$(notices "$id")" "c-hans:pending" "the named customer has a notice"
before=$(docket --json request show "$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["history"][0]["log_index"])')

# the paper says a warrant, for alice
sed 's/"subpoena"/"search_warrant"/; s/hans@example.de/alice@example.net/; s/"received_at":"2026-03-02T10:00:00Z",//' a.json >fixed.json
expect_exit 5 "a reviewer may not amend" -- docket --as reviewer-1 request amend "$id" fixed.json
printf '{"ref":"A-1","agency":"us-lapd","kind":"crim"}' >bad.json
expect_exit 3 "a bad document changes nothing" -- docket --as intake-1 request amend "$id" bad.json
expect_exit 0 "amend" -- docket --as intake-1 request amend "$id" fixed.json --reason "process and target mistyped at intake"
expect_eq "$(pol "$id")" "in_review review" "the policy ran again: a warrant"
expect_eq "$(docket --json request show "$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["received_at"])')" "2026-03-02T10:00:00Z" "received_at kept when the new document omits it"
expect_eq "$(notices "$id")" "c-alice:pending c-hans:cancelled" "notices follow the targets"
entry=$(docket --json request show "$id" | python3 -c 'import json,sys; h=[x for x in json.load(sys.stdin)["history"] if x["event"]=="amend"][0]; print(h["log_index"])')
docket --json log entry "$entry" >e.json
python3 - <<'PY' && ok || not_ok "the log holds the old and the new document digests"
import json
e = json.load(open("e.json"))["entry"]
assert e["doc_was"].startswith("sha256:") and e["doc"].startswith("sha256:") and e["doc_was"] != e["doc"], e
PY
expect_exit 0 "log verify" -- docket --as auditor-1 log verify
docket --as reviewer-1 request decide "$id" approve --reason ok >/dev/null
expect_exit 5 "no amending after a review decision" -- docket --as intake-1 request amend "$id" fixed.json
expect_contains "$T_ERR" "request void" "points to void"

# a duplicate: void it
sed 's/A-1/A-2/' a.json >dup.json
dup=$(docket --as intake-1 request add dup.json)
expect_exit 2 "void needs a reason" -- docket --as reviewer-1 request void "$dup"
expect_contains "$T_ERR" "--reason TEXT" "the command line names the option"
expect_exit 5 "intake may not void" -- docket --as intake-1 request void "$dup" --reason "duplicate of A-1"
expect_exit 0 "void" -- docket --as reviewer-1 request void "$dup" --reason "duplicate of A-1"
expect_eq "$(notices "$dup")" "c-hans:cancelled" "its unsent notice is cancelled"
expect_exit 5 "void twice" -- docket --as reviewer-1 request void "$dup" --reason again
DOCKET_NOW=2026-08-01T00:00:00Z docket --json report --period 2026-H1 >r.json
expect_eq "$(python3 -c 'import json; r=json.load(open("r.json")); print(r["total"]["requests"] if "total" in r else sum(s["requests"] for s in r["sections"]))' 2>/dev/null || true)" "1" "the void request left the report"
list=$(docket request list)
expect_contains "$list" "VOID" "the list marks it"
DOCKET_NOW=2027-01-01T00:00:00Z expect_exit 0 "tick" -- docket tick
expect_eq "$(notices "$dup")" "c-hans:cancelled" "a cancelled notice is never sent"
expect_exit 0 "log verify" -- docket --as auditor-1 log verify
done_testing
