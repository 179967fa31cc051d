#!/usr/bin/env bash
# The portals against the letter of SPEC §14-15 and docs/api.md:
# - the page a customer's sign-in link answers with is signed in: its
#   sign-out form carries the session's CSRF token and signs out.
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
api POST /signout "${MC[@]}" -H "Origin: $SERVE_URL" --data-urlencode "csrf=$csrf"
expect_status 303 "the link page's sign-out form signs out"
api GET /api/v1/my/requests "${MC[@]}"
expect_status 401 "the session ended"

serve_stop
done_testing
