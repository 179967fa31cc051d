#!/usr/bin/env bash
# The request page's forms beyond the workflow table (SPEC §13: "as forms
# only the actions the workflow allows this user now"): one target's
# decision (SPEC §4), void, nondisclosure orders (intake) and the close of
# an NSL investigation; each form appears only for the role that may use
# it, a bad field is shown at the page and changes nothing, and tracked
# deadlines show their reminders.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve.sh"
setup_db
load_fixtures
export DOCKET_USER=root
printf '{"id":"us-fbi","name":"Federal Bureau of Investigation","country":"US","type":"national_security","domains":["fbi.gov"],"phone":"+1 202 324 3000"}\n' >fbi.jsonl
docket agency import fbi.jsonl >/dev/null
add() {  # add REF TARGETS-JSON
  printf '{"ref":"%s","agency":"us-lapd","kind":"criminal","process":"subpoena","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":%s,"categories":["subscriber"]}' "$1" "$2" >"$1.json"
  docket --as intake-1 request add "$1.json"
}
two=$(add M-1 '[{"type":"email","value":"alice@example.net"},{"type":"email","value":"bob@contoso.com"}]')
one=$(add V-1 '[{"type":"email","value":"alice@example.net"}]')
printf '{"ref":"NSL-1","agency":"us-fbi","kind":"national_security","process":"nsl","received_at":"2026-03-01T09:00:00Z","requester":{"name":"SA J. Doe","email":"jdoe@fbi.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"],"ndo":{"statute":"18 U.S.C. 2709(c)","issued_at":"2026-03-01"}}' >nsl.json
nsl=$(docket --as intake-1 request add nsl.json)
state() { docket request show "$1" --json | python3 -c "import json,sys; j=json.load(sys.stdin); print($2)"; }

serve_start
signin() {  # signin USER: sets C (the cookie) and reads nothing else
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

# --- the reviewer -------------------------------------------------------------------
signin reviewer-1
page "$two"
expect_status 200 "the request page"
expect_contains "$H_BODY" 'id="decide-target"' "two targets: the decision may name one"
expect_contains "$H_BODY" 'id="form-void"' "a reviewer may void"
case "$H_BODY" in *'id="form-ndo-add"'*) not_ok "a reviewer is offered the NDO forms" ;; *) ok ;; esac
case "$H_BODY" in *'id="form-investigation"'*) not_ok "the NSL form on a subpoena" ;; *) ok ;; esac
page "$one"
case "$H_BODY" in *'id="decide-target"'*) not_ok "one target: no per-target choice" ;; *) ok ;; esac

page "$two"
post "$two" decide "decision=redirect&target=bob%40contoso.com&reason=enterprise+customer"
expect_status 303 "one target redirected through the form"
expect_eq "$(state "$two" '[t.get("decision") for t in j["resolution"]]')" "[None, 'redirect']" "only that target"
page "$two"
expect_contains "$H_BODY" "redirect on its own" "the page shows the target's own decision"

page "$one"
before=$(db_fingerprint)
post "$one" void "reason="
expect_status 422 "void without a reason"
expect_contains "$H_BODY" "reason" "the error says what is missing"
expect_eq "$(db_fingerprint)" "$before" "nothing changed"
post "$one" void "reason=entered+twice+by+mistake"
expect_status 303 "void through the form"
expect_eq "$(state "$one" 'j["void"]')" "True" "the request is void"
page "$one"
expect_contains "$H_BODY" "void: entered in error" "the page says so"
case "$H_BODY" in *'id="form-void"'*) not_ok "a void request offers void again" ;; *) ok ;; esac

page "$nsl"
expect_contains "$H_BODY" 'id="form-investigation"' "an NSL offers the investigation's close"
post "$nsl" investigation_closed "on=2026-99-01"
expect_status 422 "a bad date"
post "$nsl" investigation_closed "on=2026-03-02&reason=agency+letter"
expect_status 303 "the close recorded through the form"
page "$nsl"
expect_contains "$H_BODY" "nsl_gag_review" "the review deadline is tracked on the page"

# --- intake: the NDO forms --------------------------------------------------------------
signin intake-1
page "$two"
expect_contains "$H_BODY" 'id="form-ndo-add"' "intake is offered the NDO forms"
case "$H_BODY" in *'id="form-void"'*) not_ok "intake is offered void" ;; *) ok ;; esac
post "$two" ndo_add "statute=&issued=2026-03-01"
expect_status 422 "an NDO without its statute"
post "$two" ndo_add "statute=18+U.S.C.+2705(b)&issued=2026-03-01&expires=2026-09-01"
expect_status 303 "an NDO recorded through the form"
expect_eq "$(state "$two" 'j["ndos"][0]["statute"]')" "18 U.S.C. 2705(b)" "stored"
post "$two" ndo_extend "expires=2026-12-01"
expect_status 303 "extended"
expect_contains "$(state "$two" 'j["ndos"][0]["expires_at"]')" "2026-12-01" "the new expiry"
post "$two" ndo_lift "reason=court+lifted+it"
expect_status 303 "lifted"
serve_stop
expect_exit 0 "log verify after the forms" -- docket log verify
done_testing
