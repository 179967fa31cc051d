#!/usr/bin/env bash
# t6100: the server reuses a request's view and a token's caller between
# requests (http/cache.h) - and never serves one that is stale.  Each case
# GETs a request (so the view and the token are kept), changes what they
# depend on, and GETs again at once: through the API of the same server,
# through the command line (another process), through a second server
# over the same database; a transition, an NDO lifted, a token revoked, a
# user's roles taken away.  Then the clock alone: an NDO and a token that
# expire a few seconds ahead on a server running on the real clock.
T_HERE=$(cd "$(dirname "$0")" && pwd)
. "$T_HERE/lib.sh"
. "$T_HERE/serve.sh"
setup_db
load_fixtures

declare -A T
for r in intake-1 reviewer-1 approver-1 auditor-1; do T[$r]=$(token_for "$r"); done
view() {  # view URL WHO ID: the view's JSON into .b, status in H_STATUS
  H_STATUS=$(curl -s -o "$T_DIR/.b" -w '%{http_code}' -H "Authorization: Bearer ${T[$2]}" \
    "$1/api/v1/requests/$3")
}
post() {  # post URL WHO PATH JSON
  H_STATUS=$(curl -s -o "$T_DIR/.b" -w '%{http_code}' -X POST -H "Authorization: Bearer ${T[$2]}" \
    -H 'Content-Type: application/json' -d "$4" "$1$3")
}
req() {  # req REF [EXTRA]
  printf '{"ref":"%s","agency":"us-lapd","kind":"criminal","process":"search_warrant","received_at":"2026-03-01T10:00:00Z","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]%s}' "$1" "${2:-}"
}

serve_start; A=$SERVE_URL; PA=$SERVE_PID
serve_start; B=$SERVE_URL; PB=$SERVE_PID
SERVE_PID=
trap 'kill $PA $PB ${PC:-} 2>/dev/null; wait 2>/dev/null; t_cleanup' EXIT

post "$A" intake-1 /api/v1/requests "$(req F-1)"
expect_eq "$H_STATUS" 201 "request added"
id=$(json_get 'j["id"]')

# --- a transition, through the API of the same server ------------------------
view "$A" auditor-1 "$id"; view "$A" auditor-1 "$id"
expect_eq "$(json_get 'j["state"]')" in_review "the view, read twice"
post "$A" reviewer-1 "/api/v1/requests/$id/decision" '{"action":"reject","reason":"no basis"}'
expect_eq "$H_STATUS" 200 "rejected"
view "$A" auditor-1 "$id"
expect_eq "$(json_get 'j["state"]')" rejected "the same server shows the transition at once"
view "$B" auditor-1 "$id"
expect_eq "$(json_get 'j["state"]')" rejected "so does the other server"

# --- a change by another process (the command line) -------------------------
post "$A" intake-1 /api/v1/requests "$(req F-2)"
id2=$(json_get 'j["id"]')
view "$A" auditor-1 "$id2"; view "$B" auditor-1 "$id2"
expect_eq "$(json_get 'j["history"][-1]["event"]')" received "both servers have read it"
docket --as reviewer-1 request decide "$id2" reject --reason "from the shell" >/dev/null
view "$A" auditor-1 "$id2"
expect_eq "$(json_get 'j["state"]')" rejected "server A shows the command line's change at once"
expect_eq "$(json_get 'j["history"][-1]["reason"]')" "from the shell" "with its history"
view "$B" auditor-1 "$id2"
expect_eq "$(json_get 'j["state"]')" rejected "server B too"

# --- a change through the other server ----------------------------------------
post "$A" intake-1 /api/v1/requests "$(req F-3 ',"ndo":{"statute":"18 U.S.C. 2705(b)","issued_at":"2026-03-01","expires_at":"2026-09-01"}')"
id3=$(json_get 'j["id"]')
view "$A" auditor-1 "$id3"; view "$A" auditor-1 "$id3"
expect_eq "$(json_get 'j["ndos"][0]["in_force"]')" True "the NDO is in force"
post "$B" intake-1 "/api/v1/requests/$id3/ndo/lift" '{"reason":"the court lifted it"}'
expect_eq "$H_STATUS" 200 "NDO lifted through server B"
view "$A" auditor-1 "$id3"
expect_eq "$(json_get 'j["ndos"][0]["in_force"]')" False "server A shows the NDO lifted at once"
expect_eq "$(json_get 'j["ndos"][0]["lift_reason"]')" "the court lifted it" "with its reason"

# --- the caller: a token revoked, a role taken away --------------------------
T[audra]=$(token_for auditor-1)
view "$A" audra "$id"; view "$B" audra "$id"
expect_eq "$H_STATUS" 200 "a second auditor token works on both servers"
tid=$(docket --as root --json token list | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["id"])')
docket --as root token revoke "$tid" >/dev/null
view "$A" audra "$id"
expect_eq "$H_STATUS" 401 "server A refuses the revoked token at once"
view "$B" audra "$id"
expect_eq "$H_STATUS" 401 "server B too"
view "$A" auditor-1 "$id"
expect_eq "$H_STATUS" 200 "the other token of the user still works"

docket user add watcher --role auditor >/dev/null
T[watcher]=$(token_for watcher)
view "$A" watcher "$id"; view "$B" watcher "$id"
expect_eq "$H_STATUS" 200 "watcher reads"
docket --as root user remove watcher >/dev/null
view "$A" watcher "$id"
expect_eq "$H_STATUS" 401 "server A refuses the removed user's token at once"
view "$B" watcher "$id"
expect_eq "$H_STATUS" 401 "server B too"

# --- the clock alone: a server on the real clock ------------------------------
# An NDO and a token that expire a few seconds from now; nothing is written
# in between, so only the clock can change the answer.
DOCKET_NOW= serve_start; C=$SERVE_URL; PC=$SERVE_PID
SERVE_PID=
soon=$(python3 -c 'import datetime as d; print((d.datetime.now(d.timezone.utc) + d.timedelta(seconds=4)).strftime("%Y-%m-%dT%H:%M:%SZ"))')
today=$(date -u +%Y-%m-%d)
post "$C" intake-1 /api/v1/requests "$(req F-4)"
id4=$(json_get 'j["id"]')
post "$C" intake-1 "/api/v1/requests/$id4/ndo" "{\"statute\":\"18 U.S.C. 2705(b)\",\"issued_at\":\"$today\",\"expires_at\":\"$soon\"}"
expect_eq "$H_STATUS" 200 "an NDO expiring at $soon"
T[brief]=$(DOCKET_NOW= docket --as root token add auditor-1 --expires "$soon" 2>/dev/null)
view "$C" brief "$id4"
first=$H_STATUS
view "$C" brief "$id4"
if [ "$(date -u +%s)" -lt "$(date -u -d "$soon" +%s)" ]; then
  expect_eq "$first $H_STATUS" "200 200" "the short-lived token works before its expiry"
  expect_eq "$(json_get 'j["ndos"][0]["in_force"]')" True "the NDO is in force before its expiry"
else
  ok; ok   # the machine was too slow to see the before; the after still counts
fi
until [ "$(date -u +%s)" -ge "$(( $(date -u -d "$soon" +%s) + 1 ))" ]; do sleep 0.2; done
view "$C" auditor-1 "$id4"
expect_eq "$(json_get 'j["ndos"][0]["in_force"]')" False "past its expiry the NDO is out of force, with nothing written"
view "$C" brief "$id4"
expect_eq "$H_STATUS" 401 "past its expiry the token is refused"
done_testing
