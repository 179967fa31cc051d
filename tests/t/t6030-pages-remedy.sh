#!/usr/bin/env bash
# t6030: the pages say what to do next (http/remedy.c).  An error page or a
# form error that says what went wrong also says, in the browser's terms,
# what the user can do: a form posted after the session ended says to
# sign in again and links to the sign-in page; an approver who approves a
# request twice is told it awaits a second approver.  The same remedy is
# spelled by the API (the call to make, from the same table) and by the
# command line (the command to run).  Whatever the error shows is HTML-escaped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve.sh"
setup_db
load_fixtures
export DOCKET_USER=root
printf '{"ref":"W-1","agency":"us-lapd","kind":"criminal","process":"search_warrant","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber","content"]}' >w1.json
id=$(docket --as intake-1 request add w1.json)
docket --as reviewer-1 request decide "$id" approve --reason "valid warrant" >/dev/null

serve_start
signin() {  # signin USER: sets C (the cookie)
  local link; link=$(docket user link "$1")
  api POST /signin/link -H 'Sec-Fetch-Site: same-origin' --data-urlencode "k=${link#*k=}"
  C=(-H "Cookie: __Host-docket=$(printf '%s\n' "$H_HEADERS" | sed -n 's/^Set-Cookie: __Host-docket=\([^;]*\);.*/\1/p')")
}
page() {  # page ID: GET the request page, set csrf
  api GET "/requests/$1" "${C[@]}"
  csrf=$(printf '%s' "$H_BODY" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
}
post() {  # post ID STEP FORM-DATA
  api POST "/requests/$1/$2" "${C[@]}" -H "Origin: $SERVE_URL" -d "csrf=$csrf&$3"
}
remedy() { printf '%s' "$H_BODY" | sed -n 's/.*<p class="remedy"[^>]*>\(.*\)<\/p>.*/\1/p' | head -1; }

# --- a form posted once the session has ended -----------------------------------------
signin approver-1
page "$id"
expect_contains "$H_BODY" 'id="form-approve"' "the approver is offered the approval"
# the session ends (signed out elsewhere, or idle): the next post is refused
db_sql "UPDATE session SET revoked_at = 1"
post "$id" approve ""
expect_status 401 "a post after the session ended"
expect_contains "$H_BODY" "not signed in, or the session has ended" "what went wrong"
expect_contains "$(remedy)" "sign in again, then repeat what you were doing" "what to do next"
expect_contains "$(remedy)" '<a href="/signin">Sign in</a>' "with the link"
case "$H_BODY" in *"/api/v1/session"*) not_ok "the page speaks the API's remedy" ;; *) ok ;; esac
expect_eq "$(printf '%s' "$H_BODY" | grep -c 'href="/signin"')" 1 "one sign-in link"

# --- the same approver twice ------------------------------------------------------------
signin approver-1
page "$id"
post "$id" approve ""
expect_status 303 "the first approval"
page "$id"
post "$id" approve ""
expect_status 409 "the same approver again"
expect_contains "$H_BODY" "has already approved request $id" "what went wrong"
expect_contains "$(remedy)" "This request is awaiting a second approver: ask another approver to approve it on this page (four eyes)." "what to do next"
case "$(remedy)" in *"<a "*) not_ok "a link to the page the user is on" ;; *) ok ;; esac
case "$H_BODY" in *"docket request approve"*|*"/api/v1/"*) not_ok "another front end's spelling on the page" ;; *) ok ;; esac
# the same remedy, spelled by the command line and by the API
expect_exit 5 "the command line" -- docket --as approver-1 request approve "$id"
expect_contains "$T_ERR" "(another approver runs 'docket request approve $id')" "the command to run"
tok=$(token_for approver-1)
api POST "/api/v1/requests/$id/approval" -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' -d '{}'
expect_status 409 "the API"
expect_contains "$H_BODY" "(another approver makes POST /api/v1/requests/$id/approval)" "the call to make"
api GET /api/v1/requests
expect_status 401 "the API without a sign-in"
expect_contains "$H_BODY" "not signed in, or the session has ended (sign in with POST /api/v1/session, or send a Bearer token)" "the API's sign-in remedy"

# --- escaped -------------------------------------------------------------------------------
signin reviewer-1
printf '{"ref":"W-2","agency":"us-lapd","kind":"criminal","process":"search_warrant","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' >w2.json
id2=$(docket --as intake-1 request add w2.json)
page "$id2"
post "$id2" decide "decision=%3Cscript%3Ealert(1)%3C%2Fscript%3E&reason=x"
[ "$H_STATUS" -ge 400 ] && ok || not_ok "an unknown decision is refused ($H_STATUS)"
case "$H_BODY" in *"<script>alert"*) not_ok "the error is not escaped" ;; *) ok ;; esac
post "$id2" void "reason="
expect_status 422 "void without a reason"
expect_contains "$(remedy)" "Write the reason in the form" "the reason remedy"
serve_stop
done_testing
