#!/usr/bin/env bash
# The agency portal's requests (SPEC §14): an officer submits with its
# verified identity (JSON, or multipart with PDFs checked by content,
# capped and hashed), sees only its agency's requests (404 for another's),
# the status and the letters; emergency requests need a supervisor and stay
# verifying until staff record the call-back; verification failures count
# against officer and agency; submission -> review -> approval ->
# production download through a link that expires (7 days, configurable),
# each download logged; withdrawal; suspension of an officer and of an
# agency stops sign-in and every action.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve.sh"
. "$(dirname "$0")/portal.sh"
setup_db
load_fixtures
printf '{"account":{"type":"email","value":"alice@example.net"},"category":"subscriber","kind":"profile","created_at":"2025-06-01T00:00:00Z","location":"US","data":"name: Alice"}\n' >vault.jsonl
docket --as root vault import vault.jsonl >/dev/null
declare -A T
for r in reviewer-1 approver-1 approver-2 auditor-1 intake-1; do T[$r]=$(token_for "$r"); done
ADMIN=$(token_for root)
staff() { local who=$1; shift; api "$@" -H "Authorization: Bearer ${T[$who]}"; }
J=(-H 'Content-Type: application/json')
serve_start 2>/dev/null

register_officer det.smith@lapd.gov "Det. J. Smith"
expect_status 201 "the LAPD officer registers"
register_officer k.mueller@bka.bund.de "KOK K. Müller"
expect_status 201 "the BKA officer registers"
officer_signin det.smith@lapd.gov
A=("${OC[@]}")
officer_signin k.mueller@bka.bund.de
B=("${OC[@]}")

req='{"ref":"LAPD-1","kind":"criminal","process":"search_warrant","signed":true,"issued_by":{"type":"court","name":"Superior Court"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}'
api POST /api/v1/agency/requests "${A[@]}" "${J[@]}" -d "$req"
expect_status 201 "the officer submits"
id=$(json_get 'j["id"]')
expect_eq "$(json_get 'j["submitted_by"]')" det.smith@lapd.gov "the request carries the officer"
staff auditor-1 GET "/api/v1/requests/$id"
expect_eq "$(json_get 'j["request"]["requester"]["email"] if "request" in j else j["requester"]["email"]')" det.smith@lapd.gov "the requester is the verified officer"
expect_eq "$(json_get 'j["request"]["agency"] if "request" in j else j["agency"]')" us-lapd "of its agency"
staff auditor-1 GET "/api/v1/requests/$id/sender"
expect_eq "$(json_get '(j["channel"], j["officer"], j["officer_name"], j["failures"]["officer"], j["failures"]["agency"])')" "('portal', 'det.smith@lapd.gov', 'Det. J. Smith', 0, 0)" "staff see the sender and its record"

api POST /api/v1/agency/requests "${A[@]}" "${J[@]}" -d '{"ref":"X-1","agency":"de-bka","kind":"criminal","process":"subpoena","targets":[],"categories":["subscriber"]}'
expect_status 422 "an officer submits only for its own agency"
expect_eq "$(json_get 'j["error"]["field"]')" agency "names the field"
api POST /api/v1/agency/requests "${A[@]}" "${J[@]}" -d '{"ref":"X-2","requester":{"name":"x","email":"x@evil.example"},"kind":"criminal","process":"subpoena","targets":[],"categories":["subscriber"]}'
expect_status 422 "no typed-in requester"

# --- isolation: the other agency sees nothing -------------------------------------------
api GET "/api/v1/agency/requests/$id" "${B[@]}"
expect_status 404 "another agency's request does not exist for the BKA"
api GET /api/v1/agency/requests "${B[@]}"
expect_eq "$(json_get 'len(j["requests"])')" 0 "the BKA's list is empty"
api POST "/api/v1/agency/requests/$id/withdrawal" "${B[@]}" "${J[@]}" -d '{"reason":"mine now"}'
expect_status 404 "nor can it withdraw it"
api GET "/api/v1/agency/requests/$id/production" "${B[@]}"
expect_status 404 "nor download it"
api GET /api/v1/agency/requests "${A[@]}"
expect_eq "$(json_get '[r["ref"] for r in j["requests"]]')" "['LAPD-1']" "the LAPD sees its own"

# --- PDF uploads ------------------------------------------------------------------------
printf '%%PDF-1.4\n1 0 obj <<>> endobj\n%%%%EOF\n' >warrant.pdf
printf 'just text\n' >notes.pdf
api POST /api/v1/agency/requests "${A[@]}" -F "request=${req/LAPD-1/LAPD-2}" -F "documents=@warrant.pdf;type=application/pdf"
expect_status 201 "a submission with a PDF"
id2=$(json_get 'j["id"]')
expect_eq "$(db_sql "SELECT sha256 FROM request_document WHERE request_id = $id2")" "$(sha256sum warrant.pdf | cut -d' ' -f1)" "the PDF is stored by its SHA-256"
expect_eq "$(db_sql "SELECT media_type FROM request_document WHERE request_id = $id2")" application/pdf "as a PDF"
before=$(db_sql "SELECT count(*) FROM request")
api POST /api/v1/agency/requests "${A[@]}" -F "request=${req/LAPD-1/LAPD-3}" -F "documents=@notes.pdf;type=application/pdf"
expect_status 415 "a file that is not a PDF, whatever its name and type"
expect_contains "$(json_get 'j["error"]["message"]')" "not a PDF" "says why"
head -c $((26 * 1024 * 1024)) /dev/zero | sed 's/^/%PDF-/' >big.pdf 2>/dev/null || true
{ printf '%%PDF-1.4\n'; head -c $((25 * 1024 * 1024)) /dev/zero; } >big.pdf
api POST /api/v1/agency/requests "${A[@]}" -F "request=${req/LAPD-1/LAPD-4}" -F "documents=@big.pdf;type=application/pdf"
expect_status 413 "a document over 25 MiB"
expect_eq "$(db_sql "SELECT count(*) FROM request")" "$before" "refused uploads store nothing"

# --- emergency: a supervisor, then verifying until the call-back ---------------------------
em='{"ref":"LAPD-E1","kind":"emergency","process":"emergency","emergency":{"justification":"a child is missing"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}'
api POST /api/v1/agency/requests "${A[@]}" "${J[@]}" -d "$em"
expect_status 422 "an emergency request needs the supervisor"
expect_contains "$(json_get 'j["error"]["field"]')" "supervisor" "names the supervisor"
em2='{"ref":"LAPD-E2","kind":"emergency","process":"emergency","emergency":{"justification":"a child is missing","supervisor":{"name":"Sgt. B. Jones","phone":"+1 213 555 0199"}},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}'
api POST /api/v1/agency/requests "${A[@]}" "${J[@]}" -d "$em2"
expect_status 201 "with a supervisor"
eid=$(json_get 'j["id"]')
expect_eq "$(json_get 'j["state"]')" verifying "an emergency request waits for the call-back"
staff reviewer-1 POST "/api/v1/requests/$eid/verification-failure" "${J[@]}" -d '{"reason":"the number on file did not confirm"}'
expect_status 201 "staff record a failed verification"
staff auditor-1 GET "/api/v1/requests/$id/sender"
expect_eq "$(json_get '(j["failures"]["officer"], j["failures"]["agency"])')" "(1, 1)" "every request of the officer shows its record"
staff reviewer-1 GET "/requests/$id"
expect_contains "$H_BODY" "this officer 1, this agency 1" "the staff's request page shows the record"
expect_contains "$H_BODY" "officer Det. J. Smith (det.smith@lapd.gov) through the agency portal" "and the officer"
staff reviewer-1 POST "/requests/$eid/verification-failure" --data-urlencode "reason=second call unanswered"
expect_status 303 "the page records a failure too"
staff auditor-1 GET "/api/v1/requests/$eid/sender"
expect_eq "$(json_get 'j["failures"]["agency"]')" 2 "counted"
staff reviewer-1 POST "/api/v1/requests/$eid/verification" "${J[@]}" -d '{"callback":"+1 213 555 0100","person":"Sgt. B. Jones"}'
expect_status 200 "staff record the call-back to the number on file"
api GET "/api/v1/agency/requests/$eid" "${A[@]}"
expect_eq "$(json_get 'j["state"]')" in_review "then it is reviewed"

# --- review, approval, production ---------------------------------------------------------
staff reviewer-1 POST "/api/v1/requests/$id/decision" "${J[@]}" -d '{"action":"approve","reason":"valid warrant"}'
expect_status 200 "approved by review"
staff reviewer-1 POST "/requests/$id/letters" --data-urlencode kind=acknowledgement --data-urlencode to=det.smith@lapd.gov --data-urlencode $'text=Subject: Your request LAPD-1\n\nWe received it.'
expect_status 303 "a letter to the agency"
staff approver-1 POST "/api/v1/requests/$id/approval" "${J[@]}" -d '{"reason":"ok"}'
staff approver-2 POST "/api/v1/requests/$id/approval" "${J[@]}" -d '{"reason":"ok"}'
api GET "/api/v1/agency/requests/$id/production" "${A[@]}"
expect_status 404 "no production before the disclosure"
staff approver-1 POST "/api/v1/requests/$id/disclosure" "${J[@]}" -d '{"reason":"production"}'
expect_status 201 "disclosed"
sha=$(json_get 'j["sha256"]')
api GET "/api/v1/agency/requests/$id" "${A[@]}"
expect_eq "$(json_get 'j["state"]')" disclosed "the officer sees the status"
expect_eq "$(json_get '[l["subject"] for l in j["letters"]]')" "['Your request LAPD-1']" "and the provider's letters"
expect_eq "$(json_get 'j["production"]["available"]')" True "the production is there"
expect_eq "$(json_get 'j["production"]["expires_at"]')" 2026-03-09T12:00:00Z "for 7 days"
api GET "/api/v1/agency/requests/$id/production" "${A[@]}"
expect_status 200 "the officer downloads it"
expect_eq "$(sha256sum "$T_DIR/.b" | cut -d' ' -f1)" "$sha" "the logged package"
api GET "/api/v1/agency/requests/$id/production" "${A[@]}"
expect_eq "$(db_log_entries | grep -c '"agency.production_download"')" 2 "each download is a log entry"

serve_stop
export DOCKET_NOW=2026-03-09T12:00:01Z
serve_start 2>/dev/null
officer_signin det.smith@lapd.gov
A=("${OC[@]}")
api GET "/api/v1/agency/requests/$id/production" "${A[@]}"
expect_status 410 "the link expired after 7 days"
docket --as root config set production_link_days 10 >/dev/null
api GET "/api/v1/agency/requests/$id/production" "${A[@]}"
expect_status 200 "the lifetime is configurable"

# --- withdrawal and extension ----------------------------------------------------------------
api POST "/api/v1/agency/requests/$id2/withdrawal" "${A[@]}" "${J[@]}" -d '{}'
expect_status 422 "a withdrawal needs a reason"
api POST "/api/v1/agency/requests/$id2/withdrawal" "${A[@]}" "${J[@]}" -d '{"reason":"the case closed"}'
expect_status 200 "the officer withdraws"
expect_eq "$(json_get 'j["state"]')" withdrawn "withdrawn"
api POST "/api/v1/agency/requests/$eid/extension" "${A[@]}" "${J[@]}" -d '{"reason":"more time"}'
expect_status 409 "only a preserved request's hold is extended"
api POST /api/v1/agency/requests "${A[@]}" "${J[@]}" -d '{"ref":"LAPD-P1","kind":"preservation","process":"preservation","targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber","content"]}'
pid=$(json_get 'j["id"]')
if [ "$(json_get 'j["state"]')" = preserved ]; then
  api POST "/api/v1/agency/requests/$pid/extension" "${A[@]}" "${J[@]}" -d '{"reason":"the warrant is on its way"}'
  expect_status 202 "the officer asks for an extension"
  expect_contains "$(json_get '[h["event"] for h in j["history"]]')" "extension_asked" "in the history staff see"
else
  not_ok "a preservation request is preserved at intake: $(json_get 'j["state"]')"
fi

# --- status mails ---------------------------------------------------------------------------
expect_contains "$(docket --as root tick)" "officer" "tick says it mailed officers"
[ -f "$T_DIR/outbox/status-disclosed-$id.eml" ] && ok || not_ok "the officer is mailed the disclosure"
[ -f "$T_DIR/outbox/status-withdrawn-$id2.eml" ] && ok || not_ok "and the withdrawal"
grep -q "^To: det.smith@lapd.gov" "$T_DIR/outbox/status-disclosed-$id.eml" && ok || not_ok "to the officer"
n=$(ls "$T_DIR/outbox" | grep -c '^status-')
expect_eq "$(docket --as root --json tick | python3 -c 'import json,sys; print(json.load(sys.stdin)["status_mails"])')" 0 "nothing more to mail"
expect_eq "$(ls "$T_DIR/outbox" | grep -c '^status-')" "$n" "each change is mailed once"
expect_eq "$(db_log_entries | grep -c '"agency.status_mail"')" "$n" "and logged"

# --- suspensions --------------------------------------------------------------------------------
api POST /api/v1/agency/officers/det.smith@lapd.gov/suspension "${J[@]}" -H "Authorization: Bearer ${T[reviewer-1]}" -d '{"reason":"x"}'
expect_status 403 "only an admin suspends"
api POST /api/v1/agency/officers/det.smith@lapd.gov/suspension "${J[@]}" -H "Authorization: Bearer $ADMIN" -d '{"reason":"mailbox compromised"}'
expect_status 200 "an admin suspends the officer"
api GET /api/v1/agency/requests "${A[@]}"
expect_status 401 "the suspended officer's session ends"
officer_signin det.smith@lapd.gov 1
expect_status 401 "nor can it sign in"
api POST /api/v1/agency/officers/det.smith@lapd.gov/reinstatement "${J[@]}" -H "Authorization: Bearer $ADMIN" -d '{"reason":"new mailbox"}'
expect_status 200 "reinstated"
serve_stop   # a minute later: the code used in the refused sign-in is spent
export DOCKET_NOW=2026-03-09T12:02:00Z
serve_start 2>/dev/null
officer_signin det.smith@lapd.gov
expect_status 200 "it signs in again"

officer_signin k.mueller@bka.bund.de
B=("${OC[@]}")
BKA_TOKEN=$(DOCKET_USER=root "$DOCKET_BIN" token add k.mueller@bka.bund.de 2>/dev/null)
api GET /api/v1/agency/requests -H "Authorization: Bearer $BKA_TOKEN"
expect_status 200 "an officer's API token"
api POST /api/v1/agencies/de-bka/suspension "${J[@]}" -H "Authorization: Bearer $ADMIN" -d '{"reason":"forged requests reported"}'
expect_status 200 "an admin suspends an agency"
api GET /api/v1/agency/requests "${B[@]}"
expect_status 401 "its officer acts no more"
api GET /api/v1/agency/requests -H "Authorization: Bearer $BKA_TOKEN"
expect_status 401 "nor with its token"
officer_signin k.mueller@bka.bund.de 1
expect_status 401 "nor signs in"
api POST /api/v1/agency/registrations "${J[@]}" -d '{"email":"new@bka.bund.de"}'
expect_status 202 "a registration at a suspended agency gets the same answer"
expect_eq "$(db_sql "SELECT count(*) FROM portal_link WHERE email = 'new@bka.bund.de'")" 0 "but no link"
staff auditor-1 GET /api/v1/agency/officers
expect_eq "$(json_get 'j["suspended_agencies"]')" "['de-bka']" "staff see the suspension"
db_log_entries | grep -q '"agency.suspended"' && ok || not_ok "the suspension is logged"
serve_stop
expect_exit 0 "the tables match the log (log verify replays the portals' records)" -- docket --as root log verify
tamper_check portal_account "UPDATE portal_account SET agency_id = 'de-bka' WHERE name = 'det.smith@lapd.gov'" \
  "UPDATE portal_account SET agency_id = 'us-lapd' WHERE name = 'det.smith@lapd.gov'"
tamper_check portal_request "UPDATE portal_request SET officer = 'k.mueller@bka.bund.de' WHERE officer = 'det.smith@lapd.gov'" \
  "UPDATE portal_request SET officer = 'det.smith@lapd.gov' WHERE agency_id = 'us-lapd'"
vr=$(db_sql "SELECT reason FROM verification_failure ORDER BY log_index LIMIT 1")
tamper_check verification_failure "UPDATE verification_failure SET reason = 'confirmed after all' WHERE log_index = (SELECT min(log_index) FROM verification_failure)" \
  "UPDATE verification_failure SET reason = '$vr' WHERE log_index = (SELECT min(log_index) FROM verification_failure)"
tamper_check agency_suspension "DELETE FROM agency_suspension"
done_testing
