#!/usr/bin/env bash
# The portals' pages without JavaScript (curl): an officer registers from
# the mailed link's page, signs in on the sign-in pages and lands on the
# agency portal, submits a request with a PDF through the form (a file that
# is not a PDF is refused at the field), sees its page and withdraws it;
# staff see officers and attempts on /portal and an admin suspends there;
# every page carries the strict CSP and escapes what an officer typed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve.sh"
. "$(dirname "$0")/portal.sh"
setup_db
load_fixtures
ADMIN=$(token_for root)
AUD=$(token_for auditor-1)
serve_start 2>/dev/null
J=(-H 'Content-Type: application/json')

api POST /api/v1/agency/registrations "${J[@]}" -d '{"email":"det.page@lapd.gov"}'
link=$(outbox_link "$(outbox_newest register)")
token=${link#*token=}
api GET "/${link#http://*/}"
expect_status 200 "the registration page"
expect_contains "$H_BODY" 'action="/agency/register"' "with its form"
expect_contains "$H_HEADERS" "Content-Security-Policy: default-src 'self'; script-src 'none'" "strict CSP"
api POST /agency/register --data-urlencode "token=$token" --data-urlencode 'name=<b>Det. Page</b>' --data-urlencode "password=$OFFICER_PASSWORD"
expect_status 201 "registered from the page"
uri=$(printf '%s' "$H_BODY" | sed -n 's/.*<code class="secret">\([^<]*\)<.*/\1/p' | python3 -c 'import html,sys; print(html.unescape(sys.stdin.read().strip()))')
expect_contains "$uri" "otpauth://totp/" "the authenticator's URI once"
api POST /agency/register --data-urlencode "token=$token" --data-urlencode 'name=X' --data-urlencode "password=$OFFICER_PASSWORD"
expect_status 401 "the link works once, on the page too"

# sign in on the pages: password, then the code
api POST /signin -H 'Sec-Fetch-Site: same-origin' --data-urlencode user=det.page@lapd.gov --data-urlencode "password=$OFFICER_PASSWORD"
pending=$(printf '%s' "$H_BODY" | sed -n 's/.*name="pending" value="\([^"]*\)".*/\1/p' | head -1)
if [ "$H_STATUS" = 303 ]; then
  loc=$(printf '%s\n' "$H_HEADERS" | sed -n 's/^Location: //p')
  api GET "$loc"
  pending=$(printf '%s' "$H_BODY" | sed -n 's/.*name="pending" value="\([^"]*\)".*/\1/p' | head -1)
fi
api POST /signin/code -H 'Sec-Fetch-Site: same-origin' --data-urlencode user=det.page@lapd.gov --data-urlencode "pending=$pending" --data-urlencode "code=$(totp "$uri")"
expect_status 303 "password and code sign in"
expect_contains "$H_HEADERS" "Location: /agency/" "the officer lands on the agency portal"
cookie=$(printf '%s\n' "$H_HEADERS" | sed -n 's/^Set-Cookie: __Host-docket=\([^;]*\);.*/\1/p')
C=(-H "Cookie: __Host-docket=$cookie")
api GET /agency/ "${C[@]}"
expect_status 200 "the agency's requests"
expect_contains "$H_BODY" "Requests of us-lapd" "of its agency"
api GET /agency/new "${C[@]}"
expect_status 200 "the submission form"
csrf=$(printf '%s' "$H_BODY" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
[ -n "$csrf" ] && ok || not_ok "the form carries the CSRF token"
printf '%%PDF-1.7\n%%%%EOF\n' >order.pdf
printf 'MZ\x90\x00' >order-fake.pdf
api POST /agency/requests "${C[@]}" -H "Origin: $SERVE_URL" -F "csrf=$csrf" -F ref=PAGE-1 -F kind=criminal -F process=subpoena \
  -F 'targets=email:alice@example.net' -F categories=subscriber -F "documents=@order-fake.pdf;type=application/pdf"
expect_status 415 "a file that is not a PDF"
expect_contains "$H_BODY" "is not a PDF" "the form says why"
expect_contains "$H_BODY" 'value="PAGE-1"' "and keeps what was typed"
api POST /agency/requests "${C[@]}" -H "Origin: $SERVE_URL" -F ref=PAGE-1 -F kind=criminal -F process=subpoena \
  -F 'targets=email:alice@example.net' -F categories=subscriber -F "documents=@order.pdf;type=application/pdf"
expect_status 403 "a form without its CSRF field"
api POST /agency/requests "${C[@]}" -H "Origin: $SERVE_URL" -F "csrf=$csrf" -F ref=PAGE-1 -F kind=criminal -F process=subpoena \
  -F 'targets=email:alice@example.net' -F categories=subscriber -F "documents=@order.pdf;type=application/pdf"
expect_status 303 "the form submits"
loc=$(printf '%s\n' "$H_HEADERS" | sed -n 's/^Location: //p')
id=${loc##*/}
api GET "$loc" "${C[@]}"
expect_status 200 "the request's page"
expect_contains "$H_BODY" "Request PAGE-1" "names it"
expect_eq "$(db_sql "SELECT count(*) FROM request_document WHERE request_id = $id")" 1 "the PDF is stored"
api POST "/agency/requests/$id/withdrawal" "${C[@]}" -H "Origin: $SERVE_URL" --data-urlencode "csrf=$csrf" --data-urlencode "reason=case closed"
expect_status 303 "withdrawn from the page"
api GET "$loc" "${C[@]}"
expect_contains "$H_BODY" "withdrawn" "the page shows it"
api GET /queue "${C[@]}"
expect_status 403 "no staff page for an officer"

# staff
api GET /portal -H "Authorization: Bearer $AUD"
expect_status 200 "staff see the portal's page"
expect_contains "$H_BODY" "det.page@lapd.gov" "with the officer"
expect_contains "$H_BODY" "&lt;b&gt;Det. Page&lt;/b&gt;" "the typed name escaped"
api POST /portal/suspend -H "Authorization: Bearer $ADMIN" --data-urlencode who=det.page@lapd.gov --data-urlencode kind=officer --data-urlencode action=suspend --data-urlencode "reason=phished"
expect_status 303 "an admin suspends from the page"
api GET /agency/ "${C[@]}"
expect_status 303 "the suspended officer is sent to sign in"

# the customer's pages: asking for a link without JavaScript
api GET /my/
expect_status 303 "the customer portal without a session"
expect_contains "$H_HEADERS" "Location: /my/sign-in" "sends to the link form"
api GET /my/sign-in
expect_status 200 "the form to ask for a link"
expect_contains "$H_BODY" 'action="/my/link"' "posts to /my/link"
api POST /my/link --data-urlencode "email=alice@example.net"
expect_status 200 "asked"
expect_contains "$H_BODY" "on its way" "the page says what happens"
api POST /my/link --data-urlencode "email=nobody@example.org"
expect_status 200 "the same for an unknown address"
expect_eq "$(outbox_count my-link)" 1 "one link went out, to the contact"
link=$(outbox_link "$(outbox_newest my-link)")
api GET "/${link#http://*/}"
expect_status 200 "the link signs in"
expect_contains "$H_BODY" 'href="/my/"' "and leads to the requests"
serve_stop
expect_exit 0 "the tables match the log (log verify replays the portals' records)" -- docket --as root log verify
done_testing
