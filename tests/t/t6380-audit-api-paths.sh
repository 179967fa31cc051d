#!/usr/bin/env bash
# Path parameters as docs/api.md promises them: GET /api/v1/requests/{id}
# takes a reference URL-encoded, also one with a '/' or a '%' in it (the
# server routes on the path as it came and decodes each parameter once);
# a "%00" anywhere is refused, never cut short into another path (the
# path /api/v1/requests/1%00x showed request 1); the query refuses a "%00"
# naming the parameter.
T_HERE=$(cd "$(dirname "$0")" && pwd)
. "$T_HERE/lib.sh"
. "$T_HERE/serve.sh"
setup_db
load_fixtures
IN=$(token_for intake-1)
AUD=$(token_for auditor-1)
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
add() {  # add REF
  python3 - "$1" >r.json <<'PY'
import json, sys
print(json.dumps({"ref": sys.argv[1], "agency": "us-lapd", "kind": "criminal", "process": "subpoena",
  "received_at": "2026-03-01T10:00:00Z", "signed": True,
  "requester": {"name": "Det. A", "email": "a@lapd.gov"},
  "targets": [{"type": "email", "value": "alice@example.net"}], "categories": ["subscriber"]}))
PY
  api POST /api/v1/requests -H "Authorization: Bearer $IN" -H 'Content-Type: application/json' --data-binary @r.json
}
serve_start 2>/dev/null
for ref in 'LAPD 2026/00123' 'Ü-7' '50%off' 'a+b' 'A%41'; do
  add "$ref"
  expect_status 201 "'$ref' taken in"
  id=$(json_get 'j["id"]')
  api GET "/api/v1/requests/$(enc "$ref")" -H "Authorization: Bearer $AUD"
  expect_status 200 "'$ref' found by its reference"
  expect_eq "$(json_get 'j["id"], j["ref"]')" "($id, '$ref')" "'$ref' is that request"
done
api GET '/api/v1/requests/A%2541' -H "Authorization: Bearer $AUD"
expect_eq "$(json_get 'j["ref"]')" 'A%41' "decoded once, not twice"

# "%00": refused, not cut short
api GET '/healthz%00x'
expect_status 404 "/healthz%00x is no health check"
api GET '/api/v1/requests/1%00x' -H "Authorization: Bearer $AUD"
expect_status 404 "a NUL in an id"
api GET '/log/tile/0/000%00.p/1'
expect_status 404 "a NUL in a tile path"
api GET '/api/v1/requests/%zz' -H "Authorization: Bearer $AUD"
expect_status 404 "a bad escape"
api GET '/api/v1/requests?q=a%00b' -H "Authorization: Bearer $AUD"
expect_status 400 "a NUL in the query"
expect_eq "$(json_get 'j["error"]["field"]')" q "names the parameter"
api GET '/api/v1/requests?q=a%2Bb' -H "Authorization: Bearer $AUD"
expect_eq "$(json_get '[r["ref"] for r in j["requests"]]')" "['a+b']" "an escaped '+' in the query"
api GET '/api/v1/requests?q=lapd%202026%2F0' -H "Authorization: Bearer $AUD"
expect_eq "$(json_get '[r["ref"] for r in j["requests"]]')" "['LAPD 2026/00123']" "escapes in the query"
serve_stop
done_testing
