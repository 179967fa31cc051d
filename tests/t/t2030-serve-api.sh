#!/usr/bin/env bash
# Every endpoint of the JSON API (SPEC §12) with its success and its error
# statuses, driven over HTTP with tokens, and checked against what the
# command line shows: intake (201 + Location, 400, 422 naming the field),
# show, explain, list with filters and cursor, every review step (200, 403,
# 404, 409, 422), disclosure and its package, holds, notices, NDOs, and the
# report in each format.
T_HERE=$(cd "$(dirname "$0")" && pwd)
. "$T_HERE/lib.sh"
. "$T_HERE/serve.sh"
setup_db
load_fixtures
printf '{"account":{"type":"email","value":"alice@example.net"},"category":"subscriber","kind":"profile","created_at":"2025-06-01T00:00:00Z","location":"US","data":"name: Alice"}\n' >vault.jsonl
docket --as root vault import vault.jsonl >/dev/null

declare -A T
for r in intake-1 reviewer-1 reviewer-2 approver-1 approver-2 auditor-1; do T[$r]=$(token_for "$r"); done
as() { local who=$1; shift; api "$@" -H "Authorization: Bearer ${T[$who]}"; }
post() {  # post WHO PATH JSON
  as "$1" POST "$2" -H 'Content-Type: application/json' -d "$3"
}
req() {  # req REF PROCESS CATEGORIES [EXTRA]
  printf '{"ref":"%s","agency":"us-lapd","kind":"criminal","process":"%s","received_at":"2026-03-01T10:00:00Z","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":%s%s}' "$1" "$2" "$3" "${4:-}"
}
serve_start

# --- intake -----------------------------------------------------------------
post intake-1 /api/v1/requests "$(req W-1 search_warrant '["subscriber"]')"
expect_status 201 "request add"
id=$(json_get 'j["id"]')
expect_contains "$H_HEADERS" "Location: /api/v1/requests/$id" "Location"
expect_eq "$(json_get 'j["state"]')" in_review "stored request's state"
expect_eq "$(json_get 'j["ref"]')" W-1 "stored request's ref"
post intake-1 /api/v1/requests "$(req W-1 search_warrant '["subscriber"]')"
expect_status 422 "a duplicate ref"
post intake-1 /api/v1/requests "$(req W-2 warant '["subscriber"]')"
expect_status 422 "unknown process"
expect_eq "$(json_get 'j["error"]["field"]')" process "the field is named"
expect_contains "$(json_get 'j["error"]["message"]')" "warant" "the message names the value"
post intake-1 /api/v1/requests '{"ref":"X","ref":"Y"}'
expect_status 400 "duplicate keys do not parse"
post intake-1 /api/v1/requests '[1,2]'
expect_status 400 "not an object"
before=$(db_fingerprint)
post reviewer-1 /api/v1/requests "$(req W-3 search_warrant '["subscriber"]')"
expect_status 403 "a reviewer may not take in"
expect_eq "$(db_fingerprint)" "$before" "refused intake changes nothing"

# --- show, explain, list ----------------------------------------------------
as auditor-1 GET "/api/v1/requests/$id"
expect_status 200 "show"
docket --as auditor-1 --json request show "$id" >cli.json
python3 - "$T_DIR/.b" cli.json <<'PY' || not_ok "the API shows what request show --json prints"
import json, sys
assert json.load(open(sys.argv[1])) == json.load(open(sys.argv[2]))
PY
ok
as auditor-1 GET /api/v1/requests/999
expect_status 404 "no such request"
as auditor-1 GET "/api/v1/requests/$id/explain"
expect_status 200 "explain"
expect_eq "$(json_get 'j["policy"]["action"]')" review "explain gives the policy"
for n in 2 3 4; do post intake-1 /api/v1/requests "$(req L-$n subpoena '["subscriber"]')" >/dev/null; done
as auditor-1 GET "/api/v1/requests?limit=2"
expect_status 200 "list"
expect_eq "$(json_get 'len(j["requests"])')" 2 "limit"
next=$(json_get 'j["next"]')
as auditor-1 GET "/api/v1/requests?limit=2&cursor=$next"
expect_eq "$(json_get '[r["ref"] for r in j["requests"]]')" "['L-3', 'L-4']" "the next page"
expect_eq "$(json_get 'j["next"]')" None "the last page"
as auditor-1 GET "/api/v1/requests?q=l-3"
expect_eq "$(json_get '[r["ref"] for r in j["requests"]]')" "['L-3']" "search by reference"
as auditor-1 GET "/api/v1/requests?q=ALICE@example"
expect_eq "$(json_get 'len(j["requests"])')" 4 "search by account"
as auditor-1 GET "/api/v1/requests?state=in_review&country=US"
expect_eq "$(json_get 'len(j["requests"])')" 4 "filter by state and country"
as auditor-1 GET "/api/v1/requests?due_before=notadate"
expect_status 400 "bad due_before"

# --- the review steps --------------------------------------------------------
post reviewer-1 "/api/v1/requests/$id/decision" '{"action":"approve"}'
expect_status 422 "decision needs a reason"
expect_eq "$(json_get 'j["error"]["field"]')" reason "names reason"
post reviewer-1 "/api/v1/requests/$id/decision" '{"action":"bless","reason":"x"}'
expect_status 422 "unknown action"
post reviewer-1 "/api/v1/requests/$id/decision" '{"action":"approve","reason":"x","extra":1}'
expect_status 422 "unknown field"
post intake-1 "/api/v1/requests/$id/decision" '{"action":"approve","reason":"x"}'
expect_status 403 "intake may not decide"
post approver-1 "/api/v1/requests/$id/approval" ''
expect_status 409 "approval before the decision"
post reviewer-1 "/api/v1/requests/$id/decision" '{"action":"approve","reason":"valid warrant"}'
expect_status 200 "reviewer approves"
expect_eq "$(json_get 'j["state"]')" approved "approved"
post approver-1 "/api/v1/requests/$id/approval" '{"reason":"ok"}'
expect_status 200 "first approval"
post approver-1 "/api/v1/requests/$id/approval" ''
expect_status 409 "the same approver twice"
expect_contains "$(json_get 'j["error"]["message"]')" "four eyes" "explains four eyes"
as approver-1 GET "/api/v1/requests/$id/disclosure"
expect_status 404 "no package yet"
post approver-1 "/api/v1/requests/$id/disclosure" ''
expect_status 409 "disclosure before ready"
post approver-2 "/api/v1/requests/$id/approval" ''
expect_status 200 "second approval"
expect_eq "$(json_get 'j["state"]')" ready "ready"
post reviewer-1 "/api/v1/requests/$id/disclosure" ''
expect_status 403 "a reviewer may not disclose"
post approver-1 "/api/v1/requests/$id/disclosure" '{"reason":"production"}'
expect_status 201 "disclosure"
sha=$(json_get 'j["sha256"]')
expect_eq "${#sha}" 64 "the package's sha256"
json_get 'j["size"] > 0 and j["entry"] >= 0' | grep -q True && ok || not_ok "size and entry"
as approver-1 GET "/api/v1/requests/$id/disclosure"
expect_status 200 "the package"
cp "$T_DIR/.b" pkg.tar.gz
expect_contains "$H_HEADERS" "Content-Type: application/gzip" "gzip"
expect_eq "$(sha256sum pkg.tar.gz | cut -d' ' -f1)" "$sha" "the package has the logged hash"
expect_exit 0 "the package verifies" -- docket disclose verify pkg.tar.gz --key "$(docket log key)"
as auditor-1 GET "/api/v1/requests/$id/disclosure"
expect_status 403 "an auditor may not download customer data"
post approver-1 "/api/v1/requests/$id/disclosure" ''
expect_status 409 "disclosing twice"
post reviewer-1 "/api/v1/requests/$id/closure" '{"outcome":"bogus"}'
expect_status 422 "unknown outcome"
post reviewer-1 "/api/v1/requests/$id/closure" '{}'
expect_status 200 "close"
expect_eq "$(json_get 'j["state"]')" closed "closed"
db_log_entries | grep -q '"type":"disclosure.download"' && ok || not_ok "the download is logged"

# withdrawal, challenge and its outcome
l2=$((id + 1)); l3=$((id + 2))
post reviewer-1 "/api/v1/requests/$l2/withdrawal" '{"reason":"agency withdrew"}'
expect_status 200 "withdraw"
expect_eq "$(json_get 'j["state"]')" withdrawn "withdrawn"
post reviewer-1 "/api/v1/requests/$l2/withdrawal" ''
expect_status 409 "withdraw twice"
post reviewer-1 "/api/v1/requests/$l3/challenge" '{"court":"C.D. Cal.","reason":"overbroad"}'
expect_status 422 "challenge needs grounds"
post reviewer-1 "/api/v1/requests/$l3/challenge" '{"court":"C.D. Cal.","grounds":"particularity","reason":"overbroad"}'
expect_status 200 "challenge"
expect_eq "$(json_get 'j["state"]')" challenged "challenged"
post reviewer-1 "/api/v1/requests/$l3/challenge-outcome" '{"outcome":"denied","reason":"court disagreed"}'
expect_status 200 "challenge outcome"
expect_eq "$(json_get 'j["state"]')" in_review "back in review"

# --- reports ----------------------------------------------------------------
as auditor-1 GET /api/v1/reports/2026-H1
expect_status 200 "report json"
docket --as auditor-1 report --period 2026-H1 >cli-report.json
python3 - "$T_DIR/.b" cli-report.json <<'PY' || not_ok "the API's report is the command's"
import json, sys
assert json.load(open(sys.argv[1])) == json.load(open(sys.argv[2]))
PY
ok
expect_contains "$H_HEADERS" "X-Docket-Checkpoint: " "states the checkpoint"
as auditor-1 GET "/api/v1/reports/2026-H1?format=csv"
expect_contains "$H_HEADERS" "Content-Type: text/csv" "csv"
expect_contains "$H_BODY" "period,section,country_code" "csv header"
as auditor-1 GET "/api/v1/reports/2026-H1?format=html"
expect_contains "$H_HEADERS" "Content-Type: text/html" "html"
as auditor-1 GET "/api/v1/reports/2026-H1?format=pdf"
expect_status 400 "unknown format"
as auditor-1 GET /api/v1/reports/2026-Q1
expect_status 422 "bad period"

# verification (after the report: a request from an unregistered agency
# has no country yet)
post intake-1 /api/v1/requests '{"ref":"U-1","agency":"xx-unknown","kind":"criminal","process":"subpoena","targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}'
u=$(json_get 'j["id"]')
expect_eq "$(json_get 'j["state"]')" verifying "unregistered agency: verifying"
post reviewer-1 "/api/v1/requests/$u/verification" '{"person":"Lt. C"}'
expect_status 422 "verification needs callback"
post reviewer-1 "/api/v1/requests/$u/verification" '{"callback":"+1 213 555 0100","person":"Lt. C. Duty"}'
expect_status 409 "no call-back to an agency that is not registered"
expect_contains "$(json_get 'j["error"]["message"]')" "reassess" "names the way forward"
post reviewer-1 "/api/v1/requests/$u/reassessment" '{"agency":"xx-other"}'
expect_status 404 "reassess as an unknown agency"
post intake-1 "/api/v1/requests/$u/reassessment" '{"agency":"us-lapd"}'
expect_status 403 "intake may not reassess"
post reviewer-1 "/api/v1/requests/$u/reassessment" '{"agency":"us-lapd","reason":"the LAPD, mistyped"}'
expect_status 200 "reassess"
expect_eq "$(json_get 'j["state"]')" verifying "no requester address: still to be verified"
post reviewer-1 "/api/v1/requests/$u/verification" '{"callback":"+1 213 555 0100","person":"Lt. C. Duty"}'
expect_status 200 "verified"
expect_eq "$(json_get 'j["state"]')" in_review "in review after verification"

# --- holds, notices, NDOs ---------------------------------------------------
post intake-1 /api/v1/requests '{"ref":"P-1","agency":"us-lapd","kind":"preservation","process":"preservation","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber","content"]}'
p=$(json_get 'j["id"]')
as auditor-1 GET /api/v1/holds
expect_status 200 "holds"
expect_eq "$(json_get '[h["request"] for h in j["holds"]]')" "[$p]" "the active hold"
post reviewer-1 "/api/v1/requests/$p/holds/renewal" '{"reason":"extension asked"}'
expect_status 200 "renew"
expect_eq "$(json_get 'j["holds"][0]["renewals"]')" 1 "renewed once"
post reviewer-1 "/api/v1/requests/$p/holds/renewal" ''
expect_status 409 "renew twice"
post reviewer-1 "/api/v1/requests/$p/holds/release" ''
expect_status 200 "release"
as auditor-1 GET "/api/v1/holds?request=$p"
expect_eq "$(json_get 'j["holds"][0]["state"]')" released "released"
post intake-1 /api/v1/requests "$(req N-1 search_warrant '["subscriber"]' ',"ndo":{"statute":"18 U.S.C. 2705(b)","issued_at":"2026-03-01","expires_at":"2026-09-01"}')"
n=$(json_get 'j["id"]')
as auditor-1 GET /api/v1/ndos
expect_status 200 "ndos"
expect_contains "$H_BODY" "2705(b)" "the NDO is listed"
as auditor-1 GET "/api/v1/notices?state=delayed"
expect_status 200 "notices"
expect_eq "$(json_get 'sorted(set(x["request"] for x in j["notices"]))')" "[$n]" "the delayed notice"
as auditor-1 GET "/api/v1/notices?state=lost"
expect_status 400 "unknown notice state"
as auditor-1 GET "/api/v1/notices?state=delayed"
nid=$(json_get 'j["notices"][0]["id"]')
as auditor-1 GET "/api/v1/notices/$nid"
expect_status 200 "notice show"
expect_eq "$(json_get 'j["state"]')" delayed "the notice's state"
as auditor-1 GET /api/v1/notices/9999
expect_status 404 "no such notice"
T[compliance-1]=$(token_for compliance-1)
post compliance-1 "/api/v1/notices/$nid/resend" '{}'
expect_status 422 "resend needs a reason"
post compliance-1 "/api/v1/notices/$nid/resend" '{"reason":"customer asked"}'
expect_status 409 "a delayed notice is not resent"

# NDOs: add, extend, lift (intake)
post intake-1 /api/v1/requests "$(req N-2 search_warrant '["subscriber"]')"
n2=$(json_get 'j["id"]')
post intake-1 "/api/v1/requests/$n2/ndo" '{"statute":"18 U.S.C. 2705(b)"}'
expect_status 422 "an NDO needs issued_at"
expect_eq "$(json_get 'j["error"]["field"]')" issued_at "names issued_at"
post intake-1 "/api/v1/requests/$n2/ndo" '{"statute":"18 U.S.C. 2705(b)","issued_at":"2026-03-01","expires_at":"yesterday"}'
expect_status 422 "a bad date"
post reviewer-1 "/api/v1/requests/$n2/ndo" '{"statute":"18 U.S.C. 2705(b)","issued_at":"2026-03-01","expires_at":"2026-06-01"}'
expect_status 403 "a reviewer may not add an NDO"
post intake-1 "/api/v1/requests/$n2/ndo" '{"statute":"18 U.S.C. 2705(b)","issued_at":"2026-03-01","expires_at":"2026-06-01"}'
expect_status 200 "ndo add"
post intake-1 "/api/v1/requests/$n2/ndo/extension" '{"expires_at":"2026-08-01"}'
expect_status 200 "ndo extend"
as auditor-1 GET "/api/v1/ndos?request=$n2"
expect_contains "$H_BODY" "2026-08-01" "the extended expiry"
post intake-1 "/api/v1/requests/$n2/ndo/lift" '{}'
expect_status 422 "lift needs a reason"
post intake-1 "/api/v1/requests/$n2/ndo/lift" '{"reason":"the court lifted it"}'
expect_status 200 "ndo lift"

# converting a preservation into a follow-up request
post intake-1 /api/v1/requests '{"ref":"P-2","agency":"us-lapd","kind":"preservation","process":"preservation","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}'
p2=$(json_get 'j["id"]')
post intake-1 /api/v1/requests "$(req F-1 search_warrant '["subscriber"]')"
f1=$(json_get 'j["id"]')
post intake-1 "/api/v1/requests/$p2/holds/conversion" '{"follow_up":"x"}'
expect_status 422 "follow_up must be an id"
post intake-1 "/api/v1/requests/$p2/holds/conversion" "{\"follow_up\":$f1,\"reason\":\"warrant obtained\"}"
expect_status 200 "hold convert"
expect_eq "$(json_get 'j["state"]')" converted "converted"

# status
as auditor-1 GET /api/v1/status
expect_status 200 "status"
docket --as auditor-1 --json status >cli-status.json
python3 - "$T_DIR/.b" cli-status.json <<'PY' || not_ok "status is the command's"
import json, sys
assert json.load(open(sys.argv[1])) == json.load(open(sys.argv[2]))
PY
ok

# administration: users, settings, tokens
T[root]=$(token_for root)
post root /api/v1/users '{"name":"nina","roles":["intake"]}'
expect_status 201 "user add"
post root /api/v1/users '{"name":"nina two","roles":["intake"]}'
expect_status 400 "a user name with a space"
post root /api/v1/users '{"name":"x","roles":["wizard"]}'
expect_status 422 "unknown role"
post intake-1 /api/v1/users '{"name":"eve","roles":["admin"]}'
expect_status 403 "only an admin adds users"
as root PUT /api/v1/config/provider_name -H 'Content-Type: application/json' -d '{"value":"Example Cloud Ltd"}'
expect_status 200 "config set"
as root PUT /api/v1/config/no_such_key -H 'Content-Type: application/json' -d '{"value":"1"}'
expect_status 400 "unknown setting"
as root GET /api/v1/config
expect_status 200 "config list"
expect_contains "$H_BODY" "Example Cloud Ltd" "the new value"
post root /api/v1/tokens '{"user":"nina","roles":["intake"],"expires_at":"2027-01-01"}'
expect_status 201 "token add"
nt=$(json_get 'j["token"]')
ntid=$(json_get 'j["id"]')
as auditor-1 GET /api/v1/session -H "Authorization: Bearer $nt"
expect_eq "$(json_get 'j["user"]')" nina "the new token works"
as root GET /api/v1/tokens
expect_status 200 "token list"
case "$H_BODY" in *"$nt"*) not_ok "the token list never shows a token" ;; *) ok ;; esac
as root DELETE "/api/v1/tokens/$ntid"
expect_status 204 "token revoke"
api GET /api/v1/session -H "Authorization: Bearer $nt"
expect_status 401 "revoked over the API: refused at once"
as root DELETE "/api/v1/tokens/$ntid"
expect_status 404 "revoke twice"

# one's own password
echo "first long passphrase" | docket --as root user passwd nina >/dev/null
nt=$(token_for nina)
api POST /api/v1/session/password -H "Authorization: Bearer $nt" -H 'Content-Type: application/json' -d '{"password":"wrong one here","new_password":"second long passphrase"}'
expect_status 403 "the current password is wrong"
api POST /api/v1/session/password -H "Authorization: Bearer $nt" -H 'Content-Type: application/json' -d '{"password":"first long passphrase","new_password":"short"}'
expect_status 422 "a short new password"
api POST /api/v1/session/password -H "Authorization: Bearer $nt" -H 'Content-Type: application/json' -d '{"password":"first long passphrase","new_password":"second long passphrase"}'
expect_status 204 "password changed"

serve_stop
expect_exit 0 "log verify after it all" -- docket --as root log verify
done_testing
