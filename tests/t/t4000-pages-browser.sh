#!/usr/bin/env bash
# The staff pages in Debian's Chromium, driven by npm playwright-core, with
# axe-core (tests/browser/pages.test.mjs): sign-in with TOTP; a request from
# the intake form to disclosure through the pages alone, two approvers in
# two browser contexts; hostile field values stay text; CSP blocks an
# injected script; the queue follows urgency; an intake-only user gets no
# approval form; a form without its CSRF field is refused; no page scrolls
# sideways at 360 px; axe-core finds nothing serious on any page; pages are
# reached by keyboard.  Screenshots of every page go to
# $DOCKET_BUILD_DIR/browser-artifacts/.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve.sh"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || { echo "skip: chromium is not installed"; exit 77; }
command -v node >/dev/null || { echo "skip: node is not installed (scripts/setup.sh)"; exit 77; }
bash "$DOCKET_SOURCE_DIR/scripts/browser-deps.sh" || {
  echo "skip: the npm packages of tests/browser could not be installed (npm registry unreachable)"
  exit 77
}
# real time: the browser computes TOTP codes from its own clock
unset DOCKET_NOW
setup_db
load_fixtures
export DOCKET_USER=root
cat >gb.jsonl <<'JSON'
{"id":"c-gwen","name":"Gwen Example","type":"consumer","country":"GB","data_location":"US","us_person":false,"contact":{"email":"gwen@example.co.uk"},"accounts":[{"type":"email","value":"gwen@example.co.uk"}]}
JSON
docket customer import gb.jsonl >/dev/null
printf '{"account":{"type":"email","value":"alice@example.net"},"category":"subscriber","kind":"profile","created_at":"2025-06-01T00:00:00Z","location":"US","data":"name: Alice"}\n' >vault.jsonl
docket vault import vault.jsonl >/dev/null || { echo "vault import failed" >&2; exit 1; }

# users with passwords and TOTP
python3 - >users.sh <<'PY'
for u in ["intake-1", "reviewer-1", "approver-1", "approver-2", "root"]:
    print('echo "%s-passphrase!" | docket user passwd %s >/dev/null' % (u, u))
    print('docket user mfa %s >%s.mfa' % (u, u))
PY
. ./users.sh
python3 - >users.json <<'PY'
import json
print(json.dumps({u: {"password": u + "-passphrase!", "mfa": open(u + ".mfa").read().strip()}
                  for u in ["intake-1", "reviewer-1", "approver-1", "approver-2", "root"]}))
PY

# requests of different urgency, received at times relative to now
iso() { python3 -c 'import datetime,sys; print((datetime.datetime.now(datetime.timezone.utc)+datetime.timedelta(hours=float(sys.argv[1]))).strftime("%Y-%m-%dT%H:%M:%SZ"))' "$1"; }
add() { echo "$1" >req.json; DOCKET_USER=intake-1 docket request add req.json >/dev/null || { echo "request add failed: $1" >&2; exit 1; }; }
add '{"ref":"Q-PLAIN","agency":"us-lapd","requester":{"name":"Det. A","email":"a@lapd.gov"},"kind":"criminal","process":"subpoena","issued_by":{"type":"court","name":"Court"},"signed":true,"received_at":"'"$(iso -100)"'","targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}'
add '{"ref":"Q-COMITY","agency":"us-lapd","requester":{"name":"Det. B","email":"b@lapd.gov"},"kind":"criminal","process":"search_warrant","issued_by":{"type":"court","name":"Court","judge":"J"},"signed":true,"received_at":"'"$(iso -48)"'","targets":[{"type":"email","value":"gwen@example.co.uk"}],"categories":["content"]}'
add '{"ref":"Q-EU-8H","agency":"de-bka","requester":{"name":"K","email":"k@bka.bund.de"},"kind":"emergency","process":"eu_production_order","issued_by":{"type":"court","name":"Amtsgericht"},"signed":true,"received_at":"'"$(iso -1)"'","targets":[{"type":"email","value":"hans@example.de"}],"categories":["subscriber"],"emergency":{"justification":"threat to life","supervisor":{"name":"S","phone":"+49 611 550"}}}'
add '{"ref":"Q-OVERDUE","agency":"us-lapd","requester":{"name":"Det. C","email":"c@lapd.gov"},"kind":"criminal","process":"subpoena","issued_by":{"type":"court","name":"Court"},"signed":true,"received_at":"'"$(iso -72)"'","due_at":"'"$(iso -24)"'","targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}'
expect_contains "$(docket request explain 3 2>&1)" "8" "the EU order has an 8-hour deadline"
expect_contains "$(docket request explain 2 2>&1)" "comity" "the US order for a UK customer's content has a comity window"

serve_start
ART="${DOCKET_BUILD_DIR:-$DOCKET_SOURCE_DIR/build-debug}/browser-artifacts"
rm -rf "$ART"
if BASE_URL="$SERVE_URL" USERS_JSON="$T_DIR/users.json" ARTIFACTS="$ART" CHROMIUM="$CHROMIUM" \
  QUEUE_ORDER="Q-OVERDUE,Q-EU-8H,Q-COMITY" \
  node "$DOCKET_SOURCE_DIR/tests/browser/pages.test.mjs" >browser.out 2>&1; then ok; else
  not_ok "browser checks: $(grep -v '^ok' browser.out)"
fi
cat browser.out
# nothing the browser typed is a secret in the access log, and no page failed
! grep -q "passphrase" "$T_DIR/serve.log" && ok || not_ok "a password in the server log"
ls "$ART"/*.png >/dev/null 2>&1 && ok || not_ok "screenshots kept in $ART"
serve_stop
done_testing
