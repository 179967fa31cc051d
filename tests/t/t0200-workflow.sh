#!/usr/bin/env bash
# The review workflow through the real binary: decide, verify, four eyes,
# narrow, challenge, withdraw, close; forbidden transitions exit 5 and change
# nothing; every transition lands in history and the log (SPEC §4, I4, I10).
. "$(dirname "$0")/lib.sh"
setup_db
load_fixtures

add() {  # add REF PROCESS CATEGORIES TARGET [EXTRA-JSON]
  printf '{"ref":"%s","agency":"us-lapd","kind":"criminal","process":"%s","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"%s"}],"categories":%s%s}' \
    "$1" "$2" "$4" "$3" "${5:-}" >req.json
  docket --as intake-1 request add req.json
}
state() { docket --json request show "$1" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["state"], r["outcome"] or "-")'; }

# 1. warrant for a consumer: review -> approve -> two approvers -> ready
id=$(add W-1 search_warrant '["subscriber","content"]' alice@example.net)
expect_eq "$(state "$id")" "in_review -" "warrant starts in review"
expect_exit 5 "intake may not decide" -- docket --as intake-1 request decide "$id" approve --reason ok
expect_exit 2 "decision needs a reason" -- docket --as reviewer-1 request decide "$id" approve
expect_exit 5 "approve before review decided" -- docket --as approver-1 request approve "$id"
expect_exit 0 "reviewer approves" -- docket --as reviewer-1 request decide "$id" approve --reason "valid warrant"
expect_exit 0 "first approver" -- docket --as approver-1 request approve "$id"
expect_eq "$(state "$id")" "approved -" "one approval is not enough"
before=$(db_fingerprint)
expect_exit 5 "same approver twice" -- docket --as approver-1 request approve "$id"
expect_contains "$T_ERR" "four eyes" "message explains four eyes"
expect_eq "$(db_fingerprint)" "$before" "refused approval changes nothing"
expect_exit 0 "second approver" -- docket --as approver-2 request approve "$id"
expect_eq "$(state "$id")" "ready -" "two approvers make it ready"
expect_exit 5 "no decisions once ready" -- docket --as reviewer-1 request decide "$id" reject --reason late
expect_exit 0 "close with no data" -- docket --as reviewer-1 request close "$id" --outcome no_data
expect_eq "$(state "$id")" "closed no_data" "closed"
docket --json request show "$id" >show.json
python3 - <<'PY' || not_ok "history records every transition"
import json
r = json.load(open("show.json"))
ev = [h["event"] for h in r["history"]]
assert ev == ["received", "approve", "sign_off", "sign_off_final", "close"], ev
assert all(h["actor"] and h["at"] and isinstance(h["log_index"], int) for h in r["history"])
assert r["history"][1]["reason"] == "valid warrant"
idx = [h["log_index"] for h in r["history"]]
assert idx == sorted(idx) and len(set(idx)) == len(idx)
PY
ok

# 2. narrowing a subpoena that asks for content; the law's limits bind the
#    reviewer too (I3: content needs a warrant)
id=$(add S-1 subpoena '["subscriber","content"]' alice@example.net)
before=$(db_fingerprint)
expect_exit 5 "approving content on a subpoena" -- docket --as reviewer-1 request decide "$id" approve --reason "looks fine"
expect_contains "$T_ERR" "content" "refusal names the category"
expect_contains "$T_ERR" "US-CONTENT-WARRANT" "refusal cites the rule"
expect_exit 5 "narrowing to content only" -- docket --as reviewer-1 request decide "$id" narrow --reason x --categories content
expect_eq "$(db_fingerprint)" "$before" "refusals change nothing"
expect_exit 2 "narrow needs categories" -- docket --as reviewer-1 request decide "$id" narrow --reason x
w2=$(add W-2 search_warrant '["subscriber","content"]' alice@example.net)
expect_exit 3 "narrow to everything is not narrowing" -- docket --as reviewer-1 request decide "$w2" narrow --reason x --categories subscriber,content
expect_exit 0 "narrow to subscriber" -- docket --as reviewer-1 request decide "$id" narrow --reason "subpoena reaches subscriber data only" --categories subscriber
expect_eq "$(state "$id")" "approved -" "narrowed request awaits approvals"

# 3. challenge, then the court quashes it
id=$(add C-1 search_warrant '["content"]' alice@example.net)
expect_exit 2 "challenge needs court" -- docket --as reviewer-1 request decide "$id" challenge --reason overbroad
expect_exit 0 "challenge" -- docket --as reviewer-1 request challenge "$id" --court "C.D. Cal." --grounds "lacks particularity" --reason overbroad
expect_eq "$(state "$id")" "challenged -" "challenged"
expect_exit 2 "bad challenge outcome" -- docket --as reviewer-1 request challenge-outcome "$id" maybe
expect_exit 0 "quashed" -- docket --as reviewer-1 request challenge-outcome "$id" quashed --reason "court agreed"
expect_eq "$(state "$id")" "rejected rejected" "quashed means rejected"

# 4. enterprise target: redirect recommended; approving needs justification
id=$(add E-1 search_warrant '["content"]' bob@contoso.com)
action=$(docket --json request show "$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["policy"]["action"])')
expect_eq "$action" "redirect" "enterprise target is redirected (GEN-ENTERPRISE)"
expect_exit 5 "override without justification" -- docket --as reviewer-1 request decide "$id" approve --reason "urgent"
expect_contains "$T_ERR" "GEN-ENTERPRISE" "refusal cites the rule"
expect_exit 0 "override with justification" -- docket --as reviewer-1 request decide "$id" approve --reason urgent --extraordinary "the enterprise itself is the subject of the investigation"
expect_exit 0 "redirect another" -- true
id=$(add E-2 search_warrant '["content"]' bob@contoso.com)
expect_exit 0 "redirect" -- docket --as reviewer-1 request decide "$id" redirect --reason "seek it from Contoso"
expect_eq "$(state "$id")" "redirected redirected" "redirected"

# I2: a request without specific targets is never fulfilled
id=$(add G-1 search_warrant '["subscriber"]' '*@contoso.com')
expect_exit 5 "approving a wildcard request" -- docket --as reviewer-1 request decide "$id" approve --reason "urgent"
expect_contains "$T_ERR" "GEN-TARGETS" "refusal cites GEN-TARGETS"
expect_exit 5 "narrowing a wildcard request" -- docket --as reviewer-1 request decide "$id" narrow --reason x --categories subscriber
expect_exit 0 "rejecting it" -- docket --as reviewer-1 request decide "$id" reject --reason "not specific"

# 5. withdraw, and nothing after that
id=$(add X-1 subpoena '["subscriber"]' alice@example.net)
expect_exit 0 "withdraw" -- docket --as reviewer-1 request withdraw "$id" --reason "agency withdrew"
expect_eq "$(state "$id")" "withdrawn withdrawn" "withdrawn"
expect_exit 5 "approve a withdrawn request" -- docket --as reviewer-1 request decide "$id" approve --reason x
expect_exit 5 "close with a wrong outcome" -- docket --as reviewer-1 request close "$id" --outcome content
expect_exit 0 "close withdrawn" -- docket --as reviewer-1 request close "$id"
expect_eq "$(state "$id")" "closed withdrawn" "closed as withdrawn"

# 6. unregistered agency: verify first
printf '{"ref":"U-1","agency":"xx-unknown","kind":"criminal","process":"subpoena","targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' >u.json
id=$(docket --as intake-1 request add u.json)
expect_eq "$(state "$id")" "verifying -" "unregistered agency must be verified (GEN-AGENCY)"
expect_exit 5 "no decision before verification" -- docket --as reviewer-1 request decide "$id" approve --reason x
expect_exit 2 "verify needs callback" -- docket --as reviewer-1 request verify "$id"
expect_exit 5 "no call-back to an agency that is not registered" -- docket --as reviewer-1 request verify "$id" --callback "+1 213 555 0100" --person "Lt. C. Duty"
expect_contains "$T_ERR" "request reassess" "names the way forward"
expect_eq "$(state "$id")" "verifying -" "still verifying"
expect_exit 4 "reassess as an agency that is not registered" -- docket --as reviewer-1 request reassess "$id" --agency xx-other
expect_exit 0 "identify the agency and reassess" -- docket --as reviewer-1 request reassess "$id" --agency us-lapd --reason "the LAPD, mistyped at intake"
expect_eq "$(state "$id")" "verifying -" "no requester address: still to be verified (GEN-REQUESTER)"
expect_exit 0 "verify" -- docket --as reviewer-1 request verify "$id" --callback "+1 213 555 0100" --person "Lt. C. Duty"
expect_eq "$(state "$id")" "in_review -" "verified requests go to review"
expect_exit 5 "no reassessing after a decision" -- docket --as reviewer-1 request reassess "$id"
expect_exit 4 "unknown request" -- docket --as reviewer-1 request withdraw 9999
done_testing
