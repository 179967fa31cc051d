#!/usr/bin/env bash
# The customer portal (SPEC §15): a one-time sign-in link for a customer's
# contact address (the same 202 for any address; single use; 30 minutes;
# token guessing meets the limit); the customer sees a request only once
# its notice is sent - after the NDO expires and tick runs - never an NSL
# or FISA request, never another customer's; the notice comes with its log
# entry and an inclusion proof that Go's x/mod/sumdb/tlog verifies against
# the signed checkpoint; each proof download is a log entry and each page
# view an access-log line; an enterprise's administrator also gives a TOTP
# code and sees the requests redirected to the enterprise.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve.sh"
. "$(dirname "$0")/portal.sh"
setup_db
load_fixtures
export DOCKET_USER=root
J=(-H 'Content-Type: application/json')
add() {  # add FILE-CONTENT: a request added by intake; prints its id
  printf '%s' "$1" >r.json
  docket --as intake-1 request add r.json
}
# alice: a warrant gagged until April; hans: a subpoena, no gag; alice: an NSL
w1=$(add '{"ref":"W-1","agency":"us-lapd","kind":"criminal","process":"search_warrant","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"],"ndo":{"statute":"18 U.S.C. 2705(b)","issued_at":"2026-03-01","expires_at":"2026-04-01"}}')
w2=$(add '{"ref":"W-2","agency":"de-bka","kind":"criminal","process":"court_order","signed":true,"requester":{"name":"K","email":"k@bka.bund.de"},"targets":[{"type":"email","value":"hans@example.de"}],"categories":["subscriber"]}')
nsl=$(add '{"ref":"NSL-1","agency":"us-lapd","kind":"national_security","process":"nsl","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"],"ndo":{"statute":"18 U.S.C. 2709(c)","issued_at":"2026-03-01","expires_at":"2026-03-20"}}')
fisa=$(add '{"ref":"FISA-1","agency":"us-lapd","kind":"national_security","process":"fisa_order","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["content"]}')
ent=$(add '{"ref":"W-3","agency":"us-lapd","kind":"criminal","process":"search_warrant","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"bob@contoso.com"}],"categories":["subscriber"]}')
docket --as reviewer-1 request decide "$ent" redirect --reason "an enterprise's account: the agency asks Contoso" >/dev/null 2>&1 || true
docket tick >/dev/null
serve_start 2>/dev/null

# --- the link: the same answer for every address ---------------------------------------
api POST /api/v1/my/links "${J[@]}" -d '{"email":"nobody@example.org"}'
expect_status 202 "an unknown address"
t=$(curl -s -o /dev/null -w '%{time_total}' -H 'Content-Type: application/json' -d '{"email":"nobody2@example.org"}' "$SERVE_URL/api/v1/my/links")
python3 -c "import sys; sys.exit(0 if float('$t') >= 0.25 else 1)" && ok || not_ok "an unknown address takes as long as a known one ($t s)"
unknown=$H_BODY
expect_eq "$(outbox_count my-link)" 0 "nothing is mailed"
api POST /api/v1/my/links "${J[@]}" -d '{"email":"Alice@Example.NET"}'
expect_status 202 "a contact address"
expect_eq "$H_BODY" "$unknown" "the same answer"
expect_eq "$(outbox_count my-link)" 1 "the link is mailed to the contact"
link=$(outbox_link "$(outbox_newest my-link)")
expect_contains "$link" "$SERVE_URL/my/sign-in?token=" "the link's address"
api GET "/${link#http://*/}"
expect_status 200 "the link signs in"
cookie=$(printf '%s\n' "$H_HEADERS" | sed -n 's/^Set-Cookie: __Host-docket=\([^;]*\);.*/\1/p')
[ -n "$cookie" ] && ok || not_ok "a session cookie"
MC=(-H "Cookie: __Host-docket=$cookie")
api GET "/${link#http://*/}"
expect_status 401 "a link works once"

# a link that cannot be mailed: the same answer; the failure is logged
# without the address
docket config set outbox_dir "$T_DIR/r.json/outbox" >/dev/null
api POST /api/v1/my/links "${J[@]}" -d '{"email":"hans@example.de"}'
expect_status 202 "a link that cannot be mailed"
expect_eq "$H_BODY" "$unknown" "still the same answer"
db_log_entries | grep -q '"portal.mail_failed"' && ok || not_ok "the failure is logged"
db_log_entries | grep '"portal.mail_failed"' | grep -q 'hans@' && not_ok "the address is in the log" || ok
docket config set outbox_dir "$T_DIR/outbox" >/dev/null

# --- before the NDO ends: nothing ---------------------------------------------------------
api GET /api/v1/my/requests "${MC[@]}"
expect_status 200 "the customer's requests"
expect_eq "$(json_get '[r["id"] for r in j["requests"]]')" "[]" "a gagged request is not shown"
api GET "/api/v1/my/requests/$w1" "${MC[@]}"
expect_status 404 "not even by its id"
api GET "/api/v1/my/requests/$w2" "${MC[@]}"
expect_status 404 "another customer's request is never shown"
api GET /api/v1/requests "${MC[@]}"
expect_status 403 "a customer cannot use the staff API"
api GET /api/v1/agency/requests "${MC[@]}"
expect_status 403 "nor the agency portal"

# --- after the NDO and tick -----------------------------------------------------------------
serve_stop
export DOCKET_NOW=2026-04-02T12:00:00Z
docket tick >/dev/null
serve_start 2>/dev/null
api GET "/api/v1/my/requests" "${MC[@]}"
expect_status 401 "the session ended long ago"
my_signin alice@example.net
expect_status 200 "a new link signs in again"
expect_eq "$(docket --json notice list --request "$w1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["state"])')" sent "the notice went out"
api GET /api/v1/my/requests "${MC[@]}"
expect_eq "$(json_get '[r["id"] for r in j["requests"]]')" "[$w1]" "now the request is shown, and only it (never the NSL)"
expect_eq "$(json_get 'j["requests"][0]["categories"]["subscriber"]["done"]')" open "what the provider did per category"
api GET "/api/v1/my/requests/$nsl" "${MC[@]}"
expect_status 404 "an NSL is never shown"
api GET "/api/v1/my/requests/$fisa" "${MC[@]}"
expect_status 404 "nor a FISA order"
before=$(db_log_entries | grep -c '"customer.proof_download"')
api GET "/api/v1/my/requests/$w1" "${MC[@]}"
expect_status 200 "the request with its notice and proof"
expect_contains "$(json_get 'j["notice"]["text"]')" "W-1" "the notice's text"
json_get 'j["proof"]["checkpoint"]' | sed '$d' >proof.note
python3 - "$T_DIR/.b" <<'PY' || not_ok "the proof files"
import base64, json, sys
j = json.load(open(sys.argv[1]))["proof"]
open("proof.entry", "wb").write(base64.b64decode(j["entry"]))
open("proof.hashes", "w").write("".join(h + "\n" for h in j["hashes"]))
open("proof.note", "w").write(j["checkpoint"])
open("proof.index", "w").write(str(j["index"]))
PY
expect_eq "$(json_get 'j["proof"]["index"] == j["notice"]["log_index"]')" True "the proof is of the notice's entry"
grep -q '"notice.sent"' proof.entry && ok || not_ok "the entry is the notice's"
expect_eq "$(db_log_entries | grep -c '"customer.proof_download"')" $((before + 1)) "the proof download is a log entry"
python3 - <<'PY' && ok || not_ok "the proof verifies (RFC 6962)"
import base64, hashlib
entry = open("proof.entry", "rb").read()
hashes = [base64.b64decode(l) for l in open("proof.hashes").read().split()]
lines = open("proof.note").read().split("\n")
size, root = int(lines[1]), base64.b64decode(lines[2])
idx = int(open("proof.index").read())
h = hashlib.sha256(b"\0" + entry).digest()
fn, sn = idx, size - 1
for p in hashes:
    if sn == 0: raise SystemExit(1)
    if fn % 2 == 1 or fn == sn:
        h = hashlib.sha256(b"\1" + p + h).digest()
        while fn % 2 == 0 and fn != 0:
            fn >>= 1; sn >>= 1
    else:
        h = hashlib.sha256(b"\1" + h + p).digest()
    fn >>= 1; sn >>= 1
assert sn == 0 and h == root
PY
if command -v go >/dev/null 2>&1; then
  cp -r "$DOCKET_SOURCE_DIR/tests/interop" "$T_DIR/interop"
  export GOCACHE="${DOCKET_BUILD_DIR:-$T_DIR}/gocache" GOPATH="$T_DIR/gopath" GOPROXY=off GOFLAGS=-mod=mod
  if (cd "$T_DIR/interop" && go build -o "$T_DIR/tlogcheck" .) 2>/dev/null; then
    docket log key >log.vkey
    expect_exit 0 "Go's sumdb/tlog verifies the notice's inclusion proof" -- \
      "$T_DIR/tlogcheck" inclusion log.vkey proof.note "$(cat proof.index)" proof.entry proof.hashes
    printf 'AAAA\n' >>proof.hashes
    expect_exit 1 "and refuses a tampered proof" -- \
      "$T_DIR/tlogcheck" inclusion log.vkey proof.note "$(cat proof.index)" proof.entry proof.hashes
  else
    not_ok "cannot build tests/interop"
  fi
fi
api GET "/api/v1/my/requests/$w1/proof" "${MC[@]}"
expect_status 200 "the proof alone, to download"
expect_contains "$H_HEADERS" "Content-Disposition: attachment" "as a file"
cp "$T_DIR/.b" proof.json
docket log key >log.vkey
mkdir -p elsewhere
out=$(cd elsewhere && DOCKET_DB=/nonexistent "$DOCKET_BIN" log check-proof ../proof.json --key ../log.vkey)
expect_contains "$out" "ok: entry $(cat proof.index) is in the log" "docket log check-proof checks it without the database"
python3 - <<'PY'
import json
j = json.load(open("proof.json"))
j["index"] += 1
json.dump(j, open("bad-index.json", "w"))
j["index"] -= 1
j["hashes"][0] = "A" * 43 + "="
json.dump(j, open("bad-hash.json", "w"))
PY
expect_exit 3 "a proof for another entry fails" -- docket log check-proof bad-index.json --key log.vkey
expect_exit 3 "a changed hash fails" -- docket log check-proof bad-hash.json --key log.vkey
printf 'other.example/log+12345678+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n' >other.vkey
(unset DOCKET_KEYS; export DOCKET_DB="$T_DIR/other.db"
 docket init --admin root --origin other.example/log >/dev/null 2>&1
 docket log key >"$T_DIR/other.vkey")
expect_exit 3 "another log's key fails" -- docket log check-proof proof.json --key other.vkey
api GET /my/ "${MC[@]}"
expect_status 200 "the page of requests"
expect_contains "$H_BODY" "/my/requests/$w1" "links the request"
api GET "/my/requests/$w1" "${MC[@]}"
expect_status 200 "the request's page"
expect_contains "$H_BODY" "Download the inclusion proof" "offers the proof"
case "$H_BODY" in *"<script>"*) not_ok "no inline script" ;; *) ok ;; esac
expect_contains "$H_HEADERS" "script-src 'self'" "the page's own script only"
expect_contains "$H_BODY" '<script src="/static/proof.js"></script>' "the proof check as an enhancement"
expect_contains "$H_BODY" "data-vkey=\"$(docket log key)\"" "the page names the log's key"
api GET /static/proof.js
expect_status 200 "the page's proof check"
expect_contains "$H_HEADERS" "Content-Type: text/javascript" "as a script"
if command -v node >/dev/null 2>&1; then
  cp "$T_DIR/.b" proof.js
  node -e '
const { verifyProof } = require("./proof.js");
const fs = require("fs");
const p = JSON.parse(fs.readFileSync("proof.json")), k = fs.readFileSync("log.vkey", "utf8");
(async () => {
  const r = await verifyProof(p, k);
  if (r.index !== p.index) throw new Error("index");
  const bad = JSON.parse(JSON.stringify(p)); bad.index += 1;
  let refused = false;
  try { await verifyProof(bad, k); } catch (e) { refused = true; }
  if (!refused) throw new Error("a proof of another entry passed");
  const forged = JSON.parse(JSON.stringify(p)); forged.checkpoint = forged.checkpoint.replace(String(p.tree_size), String(p.tree_size + 1)); forged.tree_size += 1;
  refused = false;
  try { await verifyProof(forged, k); } catch (e) { refused = true; }
  if (!refused) throw new Error("an unsigned checkpoint passed");
})().catch((e) => { console.error(e.message); process.exit(1); });
' && ok || not_ok "the page's script verifies the proof and refuses altered ones"
fi
grep -q "\"GET /my/requests/$w1\" 200" "$T_DIR/serve.log" && ok || not_ok "the page view is an access-log line"
grep -q "token=" "$T_DIR/serve.log" && not_ok "a token in the access log" || ok

# --- an expired link; guessing ------------------------------------------------------------------
api POST /api/v1/my/links "${J[@]}" -d '{"email":"alice@example.net"}'
late=$(outbox_link "$(outbox_newest my-link)")
serve_stop
export DOCKET_NOW=2026-04-02T12:31:00Z
serve_start 2>/dev/null
api GET "/${late#http://*/}"
expect_status 401 "a link older than 30 minutes"
for i in $(seq 1 19); do api GET "/my/sign-in?token=guess$i"; done
expect_status 401 "a guessed token"
api GET "/my/sign-in?token=guess20"
expect_status 429 "guessing meets the limit"

# --- an enterprise's administrator -----------------------------------------------------------------
serve_stop
export DOCKET_NOW=2026-04-02T13:00:00Z
serve_start 2>/dev/null
api POST /api/v1/my/links "${J[@]}" -d '{"email":"legal@contoso.com"}'
elink=$(outbox_link "$(outbox_newest my-link)")
etoken=${elink#*token=}
api GET "/${elink#http://*/}"
expect_status 200 "an administrator's link asks for more"
case "$H_HEADERS" in *"Set-Cookie: __Host-docket="*) not_ok "signed in without a code" ;; *) ok ;; esac
expect_contains "$H_BODY" "/my/sign-in/enrol" "first the authenticator"
api POST /my/sign-in -d "token=$etoken&totp=000000"
expect_status 401 "no sign-in without the code"
api POST /my/sign-in/enrol -d "token=$etoken"
expect_status 200 "the authenticator is set up"
euri=$(printf '%s' "$H_BODY" | sed -n 's/.*<code class="secret">\([^<]*\)<.*/\1/p' | python3 -c 'import html,sys; print(html.unescape(sys.stdin.read().strip()))')
expect_contains "$euri" "otpauth://totp/" "its URI is shown once"
api POST /my/sign-in --data-urlencode "token=$etoken" --data-urlencode "totp=$(totp "$euri")"
expect_status 200 "link and code sign in"
ecookie=$(printf '%s\n' "$H_HEADERS" | sed -n 's/^Set-Cookie: __Host-docket=\([^;]*\);.*/\1/p')
api GET /api/v1/my/requests -H "Cookie: __Host-docket=$ecookie"
expect_status 200 "the enterprise's requests"
expect_contains "$(json_get '[r["id"] for r in j["requests"]]')" "$ent" "the request redirected to it"
api GET "/api/v1/my/requests/$w1" -H "Cookie: __Host-docket=$ecookie"
expect_status 404 "never another customer's"
serve_stop
expect_exit 0 "the tables match the log (log verify replays the portals' records)" -- docket --as root log verify
done_testing
