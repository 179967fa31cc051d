#!/usr/bin/env bash
# The portals in Debian's Chromium, driven by npm playwright-core, with
# axe-core (tests/browser/portals.test.mjs): an officer registers from the
# mailed link, signs in with password and TOTP and submits a request with
# a PDF through the form; a customer asks for a link, signs in from the
# outbox and checks the notice's inclusion proof in the page (the page's
# script, under its CSP).  axe-core finds nothing serious on any portal
# page and none scrolls sideways at 360 px.  Screenshots go to
# $DOCKET_BUILD_DIR/browser-artifacts/portals/.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve.sh"
. "$(dirname "$0")/portal.sh"
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
printf '{"ref":"W-1","agency":"us-lapd","kind":"criminal","process":"subpoena","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' >r.json
docket --as intake-1 request add r.json >/dev/null
docket tick >/dev/null
expect_eq "$(docket --json notice list --state sent | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 1 "alice's notice is sent"
printf '%%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\n%%%%EOF\n' >order.pdf

serve_start
api POST /api/v1/agency/registrations -H 'Content-Type: application/json' -d '{"email":"det.browser@lapd.gov"}'
reg=$(outbox_link "$(outbox_newest register)")
ART="${DOCKET_BUILD_DIR:-$DOCKET_SOURCE_DIR/build-debug}/browser-artifacts/portals"
rm -rf "$ART"
if BASE_URL="$SERVE_URL" OUTBOX="$T_DIR/outbox" REG_LINK="$reg" OFFICER=det.browser@lapd.gov \
  CUSTOMER=alice@example.net PDF="$T_DIR/order.pdf" ARTIFACTS="$ART" CHROMIUM="$CHROMIUM" \
  node "$DOCKET_SOURCE_DIR/tests/browser/portals.test.mjs" >browser.out 2>&1; then ok; else
  not_ok "browser checks: $(grep -v '^ok' browser.out)"
fi
cat browser.out
expect_eq "$(db_sql "SELECT count(*) FROM request_document d JOIN request r ON r.id = d.request_id WHERE r.ref = 'BROWSER-1'")" 1 "the uploaded PDF is stored"
db_log_entries | grep -q '"customer.proof_download"' && ok || not_ok "the check in the page downloaded the proof, logged"
! grep -q "passphrase" "$T_DIR/serve.log" && ok || not_ok "a password in the server log"
serve_stop
done_testing
