#!/usr/bin/env bash
# The pages without a browser (curl): a one-time sign-in link signs in once
# (opening it changes nothing, using it twice fails, only an admin makes
# one); the sign-in form's two steps; a form post needs its CSRF field and
# the same origin; a hostile value on the request page is escaped; pages
# carry the strict CSP; an unknown template directory is an error page.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve.sh"
setup_db
load_fixtures
export DOCKET_USER=root

expect_exit 5 "only an admin makes a sign-in link" -- docket --as reviewer-1 user link reviewer-1
expect_exit 4 "a link for nobody" -- docket user link nobody
link=$(docket user link reviewer-1)
expect_contains "$link" "/signin/link?k=" "the link's path"

# a hostile value, to see it escaped
cat >req.json <<'JSON'
{"ref":"H-1","agency":"us-lapd","requester":{"name":"<script>alert(1)</script>","email":"x@lapd.gov"},"kind":"criminal","process":"subpoena","issued_by":{"type":"court","name":"\"><img src=x onerror=alert(2)>"},"signed":true,"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}
JSON
id=$(DOCKET_USER=intake-1 docket request add req.json)

serve_start
jar="$T_DIR/jar"
k=${link#*k=}
api GET "$link"
expect_status 200 "the link page"
expect_contains "$H_BODY" 'name="k"' "the link page has one form"
api GET "$link"
expect_status 200 "opening the link again changes nothing"
# Chromium keeps __Host- cookies over loopback HTTP; curl wants them stored
# without the Secure flag, so the cookie is read from the header here.
api POST /signin/link -H 'Sec-Fetch-Site: same-origin' --data-urlencode "k=$k"
expect_status 303 "the link signs in"
cookie=$(printf '%s\n' "$H_HEADERS" | sed -n 's/^Set-Cookie: __Host-docket=\([^;]*\);.*/\1/p')
[ -n "$cookie" ] && ok || not_ok "a session cookie was set"
api POST /signin/link -H 'Sec-Fetch-Site: same-origin' --data-urlencode "k=$k"
expect_status 401 "a link signs in only once"
expect_contains "$H_BODY" "used already" "it says why"

C=(-H "Cookie: __Host-docket=$cookie")
api GET /queue "${C[@]}"
expect_status 200 "the queue for the linked reviewer"
expect_contains "$H_HEADERS" "Content-Security-Policy: default-src 'self'; script-src 'none'" "strict CSP"
api GET "/requests/$id" "${C[@]}"
expect_status 200 "the request page"
case "$H_BODY" in *"<script>alert"*|*"<img src=x"*) not_ok "a field value became markup" ;; *) ok ;; esac
expect_contains "$H_BODY" "&lt;script&gt;alert(1)&lt;/script&gt;" "the hostile name is escaped"
csrf=$(printf '%s' "$H_BODY" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
[ -n "$csrf" ] && ok || not_ok "the page carries the CSRF token"
api POST "/requests/$id/decide" "${C[@]}" -H "Origin: $SERVE_URL" -d "decision=reject&reason=r"
expect_status 403 "a form without its CSRF field is refused"
expect_contains "$H_BODY" "CSRF" "the error page names the CSRF token"
api POST "/requests/$id/decide" "${C[@]}" -H "Origin: http://evil.example" -d "csrf=$csrf&decision=reject&reason=r"
expect_status 403 "a form from another origin is refused"
expect_eq "$(docket request show "$id" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')" "in_review" "refused posts changed nothing"
api POST "/requests/$id/decide" "${C[@]}" -H "Origin: $SERVE_URL" -d "csrf=$csrf&decision=reject&reason=no+proper+process"
expect_status 303 "the reviewer rejects through the form"
expect_eq "$(docket request show "$id" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')" "rejected" "the decision is stored"

# the intake form with a document (multipart/form-data), as intake-1
ilink=$(docket user link intake-1)
api POST /signin/link -H 'Sec-Fetch-Site: same-origin' --data-urlencode "k=${ilink#*k=}"
icookie=$(printf '%s\n' "$H_HEADERS" | sed -n 's/^Set-Cookie: __Host-docket=\([^;]*\);.*/\1/p')
IC=(-H "Cookie: __Host-docket=$icookie")
api GET /intake "${IC[@]}"
icsrf=$(printf '%s' "$H_BODY" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
printf '%%PDF-1.4 an order\n' >order.pdf
want=$(sha256sum order.pdf | cut -d' ' -f1)
n_before=$(docket request list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
form=(-F "csrf=$icsrf" -F ref=UP-1 -F agency=us-lapd -F kind=criminal -F process=subpoena
      -F issued_by_type=court -F issued_by_name=Court -F signed=1 -F "targets=alice@example.net"
      -F categories=subscriber -F "documents=@order.pdf;type=application/pdf")
api POST /intake "${IC[@]}" -H "Origin: $SERVE_URL" "${form[@]}" -F "date_from=2025-99-99"
expect_status 422 "a bad field with an upload is refused"
expect_contains "$H_BODY" 'id="e-date_from"' "the error is at its field"
expect_eq "$(docket request list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" "$n_before" "nothing stored on error"
api POST /intake "${IC[@]}" -H "Origin: $SERVE_URL" "${form[@]}"
expect_status 303 "the intake form with a document"
loc=$(printf '%s\n' "$H_HEADERS" | sed -n 's/^Location: //p')
expect_eq "$(docket request show "${loc##*/}" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"][0]["sha256"])')" "$want" "the request names the document by its hash"
api GET "$loc/documents/$want" "${IC[@]}"
expect_status 200 "the document downloads"
expect_eq "$(sha256sum <"$T_DIR/.b" | cut -d' ' -f1)" "$want" "the same bytes"
expect_contains "$H_HEADERS" "Content-Disposition: attachment" "as an attachment"
expect_contains "$H_HEADERS" "Content-Type: application/octet-stream" "never rendered"
api GET "$loc/documents/$(printf 'x' | sha256sum | cut -d' ' -f1)" "${IC[@]}"
expect_status 404 "a hash the request does not name"
api POST /intake "${IC[@]}" -H "Origin: $SERVE_URL" -H 'Content-Type: multipart/form-data; boundary=XX' --data-binary $'--XX\r\nbroken'
expect_status 403 "a malformed multipart body is refused (its CSRF field cannot be read)"

# password step then code step; a wrong code is refused and counted
echo "reviewer-pass-12345" | docket user passwd reviewer-2 >/dev/null
uri=$(docket user mfa reviewer-2)
api POST /signin -d "user=reviewer-2&password=reviewer-pass-12345"
expect_status 200 "the password step asks for the code"
pending=$(printf '%s' "$H_BODY" | sed -n 's/.*name="pending" value="\([^"]*\)".*/\1/p')
[ -n "$pending" ] && ok || not_ok "the code form carries the pending proof"
api POST /signin/code --data-urlencode "user=reviewer-1" --data-urlencode "pending=$pending" -d "code=000000"
expect_status 401 "the proof is bound to its user"
api POST /signin -d "user=reviewer-2&password=wrong-password-1"
expect_status 401 "a wrong password"
# login CSRF: another site cannot post the sign-in forms for the browser
api POST /signin -H 'Sec-Fetch-Site: cross-site' -d "user=reviewer-2&password=reviewer-pass-12345"
expect_status 403 "a cross-site sign-in post is refused"
api POST /signin/code -H 'Sec-Fetch-Site: cross-site' --data-urlencode "user=reviewer-2" --data-urlencode "pending=$pending" -d "code=000000"
expect_status 403 "a cross-site code post is refused"
api POST /signin/link -H 'Sec-Fetch-Site: same-site' --data-urlencode "k=whatever"
expect_status 403 "a sign-in link posted from a sibling site is refused"
serve_stop
done_testing
