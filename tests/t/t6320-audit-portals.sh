#!/usr/bin/env bash
# The portals against the letter of SPEC §14-15 and docs/api.md:
# - the page a customer's sign-in link answers with is signed in: its
#   sign-out form carries the session's CSRF token and signs out;
# - an agency's request shows every key docs/api.md lists, "production"
#   null before a disclosure, and an open request's "outcome" null as the
#   staff API spells it (never ""), in the list, the request and the
#   customer portal alike;
# - hostile input to the portals' parsers: a clear 4xx naming the field,
#   nothing changed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve.sh"
. "$(dirname "$0")/portal.sh"
setup_db
load_fixtures
J=(-H 'Content-Type: application/json')
printf '%s' '{"ref":"W-2","agency":"de-bka","kind":"criminal","process":"court_order","signed":true,"requester":{"name":"K","email":"k@bka.bund.de"},"targets":[{"type":"email","value":"hans@example.de"}],"categories":["subscriber"]}' >r.json
docket --as intake-1 request add r.json >/dev/null
docket --as root tick >/dev/null
serve_start 2>/dev/null

# --- the customer's link page is signed in ------------------------------------------
api POST /api/v1/my/links "${J[@]}" -d '{"email":"hans@example.de"}'
expect_status 202 "a link for a contact"
link=$(outbox_link "$(outbox_newest my-link)")
api GET "/${link#http://*/}"
expect_status 200 "the link signs in"
cookie=$(printf '%s\n' "$H_HEADERS" | sed -n 's/^Set-Cookie: __Host-docket=\([^;]*\);.*/\1/p')
csrf=$(printf '%s\n' "$H_BODY" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
[ -n "$csrf" ] && ok || not_ok "the link's page carries the session's CSRF token"
expect_contains "$H_BODY" '(customer)' "the link's page names the role"
MC=(-H "Cookie: __Host-docket=$cookie")
api GET /api/v1/my/requests "${MC[@]}"
expect_status 200 "the customer's requests"
expect_eq "$(json_get 'j["requests"][0]["outcome"]')" None "an open request's outcome is null"
api POST /signout "${MC[@]}" -H "Origin: $SERVE_URL" --data-urlencode "csrf=$csrf"
expect_status 303 "the link page's sign-out form signs out"
api GET /api/v1/my/requests "${MC[@]}"
expect_status 401 "the session ended"

# --- an agency's request: every key, null before there is one ----------------------------
register_officer det.smith@lapd.gov "Det. J. Smith"
officer_signin det.smith@lapd.gov
A=("${OC[@]}")
body='{"ref":"LAPD-1","kind":"criminal","process":"search_warrant","signed":true,"issued_by":{"type":"court","name":"Superior Court"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}'
api POST /api/v1/agency/requests "${A[@]}" "${J[@]}" -d "$body"
expect_status 201 "the officer submits"
id=$(json_get 'j["id"]')
for k in id ref state outcome kind process categories received_at submitted_by letters history production; do
  expect_eq "$(json_get "'$k' in j")" True "the submitted request has '$k'"
done
expect_eq "$(json_get 'j["outcome"]')" None "no outcome yet: null"
expect_eq "$(json_get 'j["production"]')" None "no production yet: null"
api GET "/api/v1/agency/requests/$id" "${A[@]}"
expect_eq "$(json_get 'j["production"], j["outcome"]')" "(None, None)" "the request as read"
api GET /api/v1/agency/requests "${A[@]}"
expect_eq "$(json_get 'j["requests"][0]["outcome"]')" None "the list's outcome"

# --- hostile input: 4xx naming the field, nothing changed ---------------------------------
before=$(db_fingerprint)
api POST /api/v1/agency/requests "${A[@]}" "${J[@]}" -d '{"ref":"X","agency":"de-bka"}'
expect_status 422 "another agency"
api POST /api/v1/agency/requests "${A[@]}" "${J[@]}" -d '{"ref":"Ü'"$(head -c 300 /dev/zero | tr '\0' x)"'"}'
expect_status 422 "an over-long reference"
expect_eq "$(json_get 'j["error"]["field"]')" ref "names ref"
api POST /api/v1/agency/requests "${A[@]}" -H 'Content-Type: text/plain' -d "$body"
expect_status 415 "a submission as text"
api POST /api/v1/agency/requests "${A[@]}" "${J[@]}" -d '{"ref":'
expect_status 400 "a submission that does not parse"
api POST "/api/v1/agency/requests/$id/withdrawal" "${A[@]}" "${J[@]}" -d '{"reason":7}'
expect_status 422 "a reason that is a number"
expect_eq "$(json_get 'j["error"]["field"]')" reason "names reason"
api POST /api/v1/agency/registrations "${J[@]}" -d '{"email":"ü@lapd.gov\u0000"}'
expect_status 400 "a NUL in an address does not parse"
api POST /api/v1/agency/registrations "${J[@]}" -d '{"email":["a@lapd.gov"]}'
expect_status 422 "an address that is a list"
expect_eq "$(json_get 'j["error"]["field"]')" email "names email"
api POST /api/v1/my/links "${J[@]}" -d '{"email":"a@b.c","x":1}'
expect_status 422 "an unknown field"
expect_eq "$(json_get 'j["error"]["field"]')" x "names it"
api GET /api/v1/my/requests/-1 "${MC[@]}"
expect_status 401 "a signed-out customer"
expect_eq "$(db_fingerprint)" "$before" "refusals change nothing"

serve_stop
done_testing
