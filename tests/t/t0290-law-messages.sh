#!/usr/bin/env bash
# Messages a lawyer understands (SPEC §3, §4): an unknown enum value lists
# the allowed ones; after the first approval the output says one more
# approver is needed; a refused step names the commands that are possible,
# never internal event names.
. "$(dirname "$0")/lib.sh"
setup_db
load_fixtures

printf '{"ref":"M-1","agency":"us-lapd","kind":"crim","process":"search_warrant","targets":[{"type":"email","value":"alice@example.net"}],"categories":["content"]}' >bad.json
expect_exit 3 "unknown kind" -- docket --as intake-1 request add bad.json
expect_contains "$T_ERR" "allowed: criminal, emergency, civil, national_security, preservation" "lists the kinds"
printf '{"ref":"M-1","agency":"us-lapd","kind":"criminal","process":"warrant","targets":[{"type":"email","value":"alice@example.net"}],"categories":["content"]}' >bad.json
expect_exit 3 "unknown process" -- docket --as intake-1 request add bad.json
expect_contains "$T_ERR" "search_warrant" "lists the processes"
expect_exit 2 "unknown state in a list" -- docket request list --state open
expect_contains "$T_ERR" "allowed: verifying, in_review" "lists the states"

printf '{"ref":"M-2","agency":"us-lapd","kind":"criminal","process":"search_warrant","signed":true,"requester":{"name":"A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["content"]}' >w.json
id=$(docket --as intake-1 request add w.json)
expect_exit 5 "approving before the review decision" -- docket --as approver-1 request approve "$id"
expect_contains "$T_ERR" "docket request decide ID approve" "names the command that is possible"
case "$T_ERR" in *sign_off*) not_ok "internal event name in: $T_ERR" ;; *) ok ;; esac
docket --as reviewer-1 request decide "$id" approve --reason "valid warrant" >/dev/null
expect_exit 0 "first approval" -- docket --as approver-1 request approve "$id"
expect_contains "$T_OUT" "approved by approver-1; one more approver needed" "says what is still needed"
expect_exit 5 "the same approver again" -- docket --as approver-1 request approve "$id"
case "$T_ERR" in *sign_off*) not_ok "internal event name in: $T_ERR" ;; *) ok ;; esac
expect_exit 0 "second approval" -- docket --as approver-2 request approve "$id"
expect_contains "$T_OUT" "ready for disclosure" "says it is ready"
expect_exit 5 "approving a ready request" -- docket --as approver-1 request approve "$id"
case "$T_ERR" in *sign_off*) not_ok "internal event name in: $T_ERR" ;; *) ok ;; esac
expect_contains "$T_ERR" "docket disclose" "names what comes next"
done_testing
