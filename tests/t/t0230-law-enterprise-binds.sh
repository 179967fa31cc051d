#!/usr/bin/env bash
# GEN-ENTERPRISE binds every path (SPEC §4, I5): narrowing, verifying and
# approving a request with an enterprise target still to be redirected needs
# the written --extraordinary justification, whatever the recommendation's
# strongest action was; the justification is stated with its minimum length,
# kept, and shown to the approvers.
. "$(dirname "$0")/lib.sh"
setup_db
load_fixtures

add() {  # add REF EMAIL-DOMAIN CATEGORIES
  printf '{"ref":"%s","agency":"us-lapd","kind":"criminal","process":"search_warrant","signed":true,"issued_by":{"type":"court","name":"C.D. Cal."},"requester":{"name":"Det. A","email":"a@%s"},"targets":[{"type":"email","value":"bob@contoso.com"}],"categories":%s}' \
    "$1" "$2" "$3" >req.json
  docket --as intake-1 request add req.json
}
state() { docket --json request show "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])'; }

# 1. redirect recommended: narrow without a justification is refused
id=$(add N-1 lapd.gov '["subscriber","content"]')
before=$(db_fingerprint)
expect_exit 5 "narrow past the redirect" -- docket --as reviewer-1 request decide "$id" narrow --reason x --categories subscriber
expect_contains "$T_ERR" "GEN-ENTERPRISE" "cites the rule"
expect_contains "$T_ERR" "at least 20 characters" "states the minimum length up front"
expect_contains "$T_ERR" "docket request decide $id redirect" "names the command"
expect_eq "$(db_fingerprint)" "$before" "nothing changed"
expect_exit 5 "a too-short justification" -- docket --as reviewer-1 request decide "$id" narrow --reason x --categories subscriber --extraordinary "because"
expect_exit 0 "narrow with a justification" -- docket --as reviewer-1 request decide "$id" narrow --reason x --categories subscriber --extraordinary "the enterprise itself is the subject of the investigation"
expect_eq "$(state "$id")" "approved" "narrowed"

# 2. a lookalike requester makes the action verify: verify and approve are
#    still bound by the redirect
id=$(add V-1 1apd.gov '["content"]')
expect_eq "$(state "$id")" "verifying" "lookalike: verify first"
expect_exit 5 "verify past the redirect" -- docket --as reviewer-1 request verify "$id" --callback "+1 213 555 0100" --person "Sgt. X"
expect_contains "$T_ERR" "GEN-ENTERPRISE" "verify refusal cites the rule"
expect_eq "$(state "$id")" "verifying" "still verifying"
expect_exit 0 "redirect straight from verifying" -- docket --as reviewer-1 request decide "$id" redirect --reason "seek it from Contoso"
expect_eq "$(state "$id")" "redirected" "redirected"

id=$(add V-2 1apd.gov '["content"]')
expect_exit 0 "verify with a justification" -- docket --as reviewer-1 request verify "$id" --callback "+1 213 555 0100" --person "Sgt. X" --extraordinary "Contoso's administrators are the suspects here"
expect_exit 0 "approve: the justification on file holds" -- docket --as reviewer-1 request decide "$id" approve --reason ok
show=$(docket --as approver-1 request show "$id")
expect_contains "$show" "Contoso's administrators are the suspects here" "the approver sees the justification"
done_testing
