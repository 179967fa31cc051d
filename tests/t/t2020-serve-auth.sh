#!/usr/bin/env bash
# Signing in to docket serve (SPEC §12): argon2id passwords, TOTP with each
# code accepted once, MFA required for every role but auditor, the session
# cookie's flags, CSRF and same-origin checks for cookie-authenticated
# changes, sign-out and password change ending sessions, tokens revoked at
# once, expired tokens, failed sign-ins limited per name and per address
# (429), and every sign-in event in the log with no secret anywhere.
T_HERE=$(cd "$(dirname "$0")" && pwd)
. "$T_HERE/lib.sh"
. "$T_HERE/serve.sh"
setup_db
load_fixtures
PW='correct horse battery staple'
for u in reviewer-1 auditor-1 intake-1; do
  echo "$PW" | docket --as root user passwd "$u" >/dev/null
done
expect_exit 3 "a short password" -- sh -c "echo short | '$DOCKET_BIN' --as root user passwd reviewer-2"
expect_exit 5 "only an admin sets another's password" -- sh -c "echo '$PW' | '$DOCKET_BIN' --as intake-1 user passwd reviewer-1"

signin() {  # signin USER PASSWORD [TOTP]
  local body
  body=$(python3 -c 'import json,sys; d={"user":sys.argv[1],"password":sys.argv[2]}
if len(sys.argv) > 3: d["totp"]=sys.argv[3]
print(json.dumps(d))' "$@")
  api POST /api/v1/session -H 'Content-Type: application/json' -d "$body"
  # curl keeps Secure cookies from plain http to itself: send it by hand
  local c
  c=$(printf '%s\n' "$H_HEADERS" | sed -n 's/^Set-Cookie: \(__Host-docket=[^;]*\);.*/\1/p')
  [ -n "$c" ] && COOKIE="Cookie: $c"
}
COOKIE="Cookie: none=1"
serve_start

# MFA is required for a reviewer until enrolled; an auditor may sign in
signin reviewer-1 "$PW"
expect_status 401 "reviewer without MFA"
expect_contains "$H_BODY" "user mfa reviewer-1" "says how to enrol"
signin auditor-1 "$PW"
expect_status 200 "auditor needs no second factor"
signin auditor-1 "wrong password here"
expect_status 401 "wrong password"
expect_eq "$(json_get 'j["error"]["message"]')" "wrong user name, password or code" "one message for every failure"
signin nobody-at-all "$PW"
expect_status 401 "unknown user"
expect_eq "$(json_get 'j["error"]["message"]')" "wrong user name, password or code" "unknown user: same message"

uri=$(docket --as root user mfa reviewer-1)
expect_contains "$uri" "otpauth://totp/" "enrolment URI"
expect_contains "$uri" "secret=" "URI carries the secret"
signin reviewer-1 "$PW" 000000
expect_status 401 "wrong code"
code=$(totp "$uri" 0)
signin reviewer-1 "$PW" "$code"
expect_status 200 "password and code"
expect_eq "$(json_get 'j["roles"]')" "['reviewer']" "roles in the answer"
csrf=$(json_get 'j["csrf"]')
cookie_line=$(printf '%s\n' "$H_HEADERS" | grep -i '^Set-Cookie: __Host-docket=')
for flag in "Secure" "HttpOnly" "SameSite=Strict" "Path=/"; do
  expect_contains "$cookie_line" "; $flag" "cookie flag $flag"
done
case "$cookie_line" in *Domain=*) not_ok "a __Host- cookie has no Domain" ;; *) ok ;; esac
signin reviewer-1 "$PW" "$code"
expect_status 401 "the same code twice"
signin reviewer-1 "$PW" "$(totp "$uri" -1)"
expect_status 401 "an older code after a newer one"
signin reviewer-1 "$PW" "$(totp "$uri" 1)"
expect_status 200 "the next code"
csrf=$(json_get 'j["csrf"]')

# cookie-authenticated reads need no CSRF token; changes need token and same origin
C=(-H "$COOKIE")
api GET /api/v1/session "${C[@]}"
expect_status 200 "session read by cookie"
expect_eq "$(json_get 'j["via"]')" session "via session"
printf '{"ref":"A-1","agency":"us-lapd","kind":"criminal","process":"subpoena","targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' >req.json
id=$(docket --as intake-1 request add req.json)
J=(-H 'Content-Type: application/json' -d '{"action":"reject","reason":"no"}')
api POST "/api/v1/requests/$id/decision" "${C[@]}" "${J[@]}" -H "Origin: $SERVE_URL"
expect_status 403 "no CSRF token"
expect_contains "$H_BODY" "CSRF" "names CSRF"
api POST "/api/v1/requests/$id/decision" "${C[@]}" "${J[@]}" -H "X-CSRF-Token: $csrf"
expect_status 403 "no Origin or Sec-Fetch-Site"
api POST "/api/v1/requests/$id/decision" "${C[@]}" "${J[@]}" -H "X-CSRF-Token: $csrf" -H 'Sec-Fetch-Site: cross-site'
expect_status 403 "cross-site"
api POST "/api/v1/requests/$id/decision" "${C[@]}" "${J[@]}" -H "X-CSRF-Token: $csrf" -H 'Origin: https://evil.example'
expect_status 403 "another origin"
api POST "/api/v1/requests/$id/decision" "${C[@]}" "${J[@]}" -H "X-CSRF-Token: x$csrf" -H "Origin: $SERVE_URL"
expect_status 403 "a wrong CSRF token"
api POST "/api/v1/requests/$id/decision" "${C[@]}" "${J[@]}" -H "X-CSRF-Token: $csrf" -H 'Sec-Fetch-Site: same-origin' -H "Origin: $SERVE_URL"
expect_status 200 "token and same origin"
expect_eq "$(json_get 'j["state"]')" rejected "the decision was made"

# sign-out ends the session at once; the cookie is cleared
api DELETE /api/v1/session "${C[@]}" -H "X-CSRF-Token: $csrf" -H "Origin: $SERVE_URL"
expect_status 204 "sign out"
expect_contains "$H_HEADERS" "__Host-docket=; " "cookie cleared"
api GET /api/v1/session "${C[@]}"
expect_status 401 "the session is over"

# a password change ends every session of the user
signin auditor-1 "$PW"
api GET /api/v1/session -H "$COOKIE"
expect_status 200 "auditor signed in"
echo "another long passphrase" | docket --as root user passwd auditor-1 >/dev/null
api GET /api/v1/session -H "$COOKIE"
expect_status 401 "password change ends the session"
signin auditor-1 "$PW"
expect_status 401 "the old password no longer works"

# tokens: revocation takes effect on the next request; expiry holds
tok=$(token_for intake-1)
api GET /api/v1/requests -H "Authorization: Bearer $tok"
expect_status 200 "token works"
tid=$(docket --as root --json token list | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["id"])')
docket --as root token revoke "$tid" >/dev/null
api GET /api/v1/requests -H "Authorization: Bearer $tok"
expect_status 401 "revoked token refused at once"
expect_exit 4 "revoking twice" -- docket --as root token revoke "$tid"
old=$(DOCKET_NOW=2026-01-01T00:00:00Z docket --as root token add intake-1 --expires 2026-02-01 2>/dev/null)
api GET /api/v1/requests -H "Authorization: Bearer $old"
expect_status 401 "expired token"
expect_exit 3 "a token already expired" -- docket --as root token add intake-1 --expires 2026-01-01
api GET /api/v1/requests -H "Authorization: Basic cm9vdDp4"
expect_status 401 "only Bearer"
serve_stop

# failed sign-ins: 5 per name ...
serve_start
for i in 1 2 3 4 5; do signin intake-1 "wrong password $i"; done
expect_status 401 "fifth failure"
signin intake-1 "$PW"
expect_status 429 "sixth attempt limited, even with the right password"
expect_contains "$H_HEADERS" "Retry-After: " "Retry-After"
serve_stop
# ... and 20 per address
serve_start
for i in $(seq 1 20); do signin "nobody-$i" "wrong password"; done
signin auditor-1 "another long passphrase"
expect_status 429 "the address is limited"
serve_stop
# behind a proxy on this host (--trust-proxy) each client has its own count,
# taken from the last X-Forwarded-For entry (the one the proxy adds)
serve_start --trust-proxy
for i in $(seq 1 20); do
  api POST /api/v1/session -H 'Content-Type: application/json' -H 'X-Forwarded-For: 192.0.2.1' \
    -d "{\"user\":\"nobody-$i\",\"password\":\"x\"}"
done
signin_from() {  # signin_from XFF
  api POST /api/v1/session -H 'Content-Type: application/json' -H "X-Forwarded-For: $1" \
    -d '{"user":"auditor-1","password":"another long passphrase"}'
}
signin_from 192.0.2.1
expect_status 429 "the client behind the proxy is limited"
signin_from "192.0.2.1, 192.0.2.2"
expect_status 200 "another client is not (only the last entry counts)"
signin_from "192.0.2.2, 192.0.2.1"
expect_status 429 "a forged first entry does not help"
serve_stop
expect_contains "$(cat serve.log)" "192.0.2.1 \"POST /api/v1/session\" 429" "the access log shows the client"

# the log holds every event, and no secret is anywhere in the database
db_log_entries >entries.txt
for t in auth.signin auth.signin_failed auth.signout token.add token.revoke user.passwd user.mfa; do
  grep -q "\"type\":\"$t\"" entries.txt && ok || not_ok "log has $t"
done
grep -q '"reason":"code reused"' entries.txt && ok || not_ok "a replayed code is logged as such"
grep -q 'nobody-at-all' entries.txt && not_ok "unknown names are not logged" || ok
db_dump >dump.sql
for s in "$PW" "$tok" "$csrf" "$code"; do
  # the six-digit code as a whole word: it also occurs by chance inside a
  # hash or a long number, where it is no secret
  w=; [ "$s" = "$code" ] && w=-w
  if grep -nF $w -- "$s" dump.sql entries.txt serve.log >found.txt; then
    not_ok "secret '$s' stored or logged: $(head -c 300 found.txt)"
  else
    ok
  fi
done
expect_exit 0 "log verify" -- docket --as root log verify
done_testing
