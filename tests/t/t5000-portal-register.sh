#!/usr/bin/env bash
# The agency portal's registration (SPEC §14): a link only to an address
# at a verified domain (30 minutes, single use, stored hashed); look-alike
# and unrelated domains get the same 202 and nothing else, are logged and
# shown to staff; the officer sets name and password, gets a TOTP URI and
# signs in with e-mail, password and code (the code is mandatory); the
# token never reaches the access log; token guessing meets the limit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve.sh"
. "$(dirname "$0")/portal.sh"
setup_db
load_fixtures
AUD=$(token_for auditor-1)
serve_start 2>/dev/null
J=(-H 'Content-Type: application/json')

# --- a verified domain -----------------------------------------------------------
api POST /api/v1/agency/registrations "${J[@]}" -d '{"email":"Det.Smith@LAPD.gov"}'
expect_status 202 "registration at a verified domain"
expect_eq "$(outbox_count register)" 1 "a link is mailed"
link=$(outbox_link "$(outbox_newest register)")
expect_contains "$link" "$SERVE_URL/agency/register?token=" "the link points at the portal"
token=${link#*token=}
expect_eq "$(db_sql "SELECT count(*) FROM portal_link WHERE hash = '$(printf %s "$token" | sha256sum | cut -d' ' -f1)'")" 1 "the token is stored as its hash"
expect_eq "$(db_sql "SELECT count(*) FROM portal_link WHERE hash = '$token'")" 0 "never in clear"
expect_eq "$(db_sql "SELECT email FROM portal_link")" "det.smith@lapd.gov" "the address in normal form"

# --- look-alike and unrelated domains: the same answer, nothing mailed --------------
before=$(outbox_count register)
api POST /api/v1/agency/registrations "${J[@]}" -d '{"email":"chief@1apd.gov"}'
expect_status 202 "a look-alike domain gets the same answer"
look_body=$H_BODY
api POST /api/v1/agency/registrations "${J[@]}" -d '{"email":"someone@gmail.com"}'
expect_status 202 "an unrelated domain gets the same answer"
expect_eq "$H_BODY" "$look_body" "the answers are identical"
api POST /api/v1/agency/registrations "${J[@]}" -d '{"email":"x@mail.lapd.gov"}'
expect_status 202 "a subdomain is not the verified domain"
expect_eq "$(outbox_count register)" "$before" "no link for any of them"
expect_eq "$(db_sql "SELECT count(*) FROM portal_link")" 1 "no link was made"
api POST /api/v1/agency/registrations "${J[@]}" -d '{"email":"not an address"}'
expect_status 422 "a malformed address"
api POST /api/v1/agency/registrations "${J[@]}" -d '{"email":"a@lapd.gov","x":1}'
expect_status 422 "an unknown field"

api GET /api/v1/agency/officers -H "Authorization: Bearer $AUD"
expect_status 200 "staff see the attempts"
expect_eq "$(json_get '[(r["domain"], r["verdict"], r.get("imitates")) for r in j["registrations"]]')" \
  "[('mail.lapd.gov', 'unverified', None), ('gmail.com', 'unverified', None), ('1apd.gov', 'lookalike', 'lapd.gov'), ('lapd.gov', 'verified', None)]" \
  "each attempt with its verdict, newest first"
db_log_entries | grep -q '"domain":"1apd.gov".*"type":"agency.registration_refused"\|"type":"agency.registration_refused".*"domain":"1apd.gov"' && ok || not_ok "the look-alike attempt is logged"
db_log_entries | grep -q '"type":"agency.registration_link"' && ok || not_ok "the link is logged"
db_log_entries | grep -q "$token" && not_ok "the token is in the log" || ok

# --- completing the registration ------------------------------------------------------
api POST "/api/v1/agency/registrations/$token" "${J[@]}" -d '{"name":"Det. J. Smith","password":"short"}'
expect_status 422 "a short password"
api POST "/api/v1/agency/registrations/$token" "${J[@]}" -d "{\"name\":\"Det. J. Smith\",\"password\":\"$OFFICER_PASSWORD\"}"
expect_status 201 "the registration completes"
uri=$(json_get 'j["totp_uri"]')
expect_contains "$uri" "otpauth://totp/" "a TOTP URI"
URI_det_smith_lapd_gov=$uri
api POST "/api/v1/agency/registrations/$token" "${J[@]}" -d "{\"name\":\"Other\",\"password\":\"$OFFICER_PASSWORD\"}"
expect_status 401 "a link works once"
expect_eq "$(db_sql "SELECT roles FROM staff WHERE name = 'det.smith@lapd.gov'")" 128 "the officer is a user with the officer role only"
expect_eq "$(db_sql "SELECT agency_id FROM portal_account WHERE name = 'det.smith@lapd.gov'")" us-lapd "of its agency"
grep -q "$token" "$T_DIR/serve.log" && not_ok "the token is in the access log" || ok
grep -q 'registrations/{token}' "$T_DIR/serve.log" && ok || not_ok "the access log shows the route"

# --- signing in: the code is mandatory ---------------------------------------------------
api POST /api/v1/session "${J[@]}" -d "{\"user\":\"det.smith@lapd.gov\",\"password\":\"$OFFICER_PASSWORD\"}"
expect_status 401 "no sign-in without the code"
officer_signin det.smith@lapd.gov
expect_status 200 "e-mail, password and code sign in"
expect_eq "$(json_get 'j["roles"]')" "['officer']" "as an officer"
api GET /api/v1/agency/requests "${OC[@]}"
expect_status 200 "the officer lists its agency's requests"
expect_eq "$(json_get 'j["agency"]')" us-lapd "of its own agency"
api GET /api/v1/requests "${OC[@]}"
expect_status 403 "an officer cannot use the staff API"
api GET /api/v1/notices "${OC[@]}"
expect_status 403 "nor the staff lists"
api GET /queue "${OC[@]}"
[ "$H_STATUS" = 403 ] && ok || not_ok "nor the staff pages: $H_STATUS"
api GET /api/v1/session "${OC[@]}"
expect_status 200 "the officer sees its own session"
expect_exit 2 "no officer is made with user add" -- docket --as root user add x@lapd.gov --role officer

# --- an expired link ---------------------------------------------------------------------
api POST /api/v1/agency/registrations "${J[@]}" -d '{"email":"late@lapd.gov"}'
late=$(outbox_link "$(outbox_newest register)")
serve_stop
export DOCKET_NOW=2026-03-02T12:31:00Z
serve_start 2>/dev/null
api POST "/api/v1/agency/registrations/${late#*token=}" "${J[@]}" -d "{\"name\":\"Late\",\"password\":\"$OFFICER_PASSWORD\"}"
expect_status 401 "a link older than 30 minutes"
expect_eq "$(db_sql "SELECT count(*) FROM staff WHERE name = 'late@lapd.gov'")" 0 "no account"

# --- guessing tokens meets the limit -------------------------------------------------------
for i in $(seq 1 19); do   # the expired link was the first failure
  api POST "/api/v1/agency/registrations/guess$i" "${J[@]}" -d "{\"name\":\"G\",\"password\":\"$OFFICER_PASSWORD\"}"
done
expect_status 401 "a guessed token is refused"
api POST "/api/v1/agency/registrations/guess20" "${J[@]}" -d "{\"name\":\"G\",\"password\":\"$OFFICER_PASSWORD\"}"
expect_status 429 "guessing meets the limit"
expect_contains "$H_HEADERS" "Retry-After:" "with Retry-After"
serve_stop
expect_exit 0 "the tables match the log (log verify replays the portals' records)" -- docket --as root log verify
tamper_check portal_registration "UPDATE portal_registration SET verdict = 'verified' WHERE verdict = 'lookalike'" \
  "UPDATE portal_registration SET verdict = 'lookalike' WHERE verdict = 'verified' AND imitates IS NOT NULL"
tamper_check portal_link "UPDATE portal_link SET used_at = NULL"
done_testing
