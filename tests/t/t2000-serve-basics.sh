#!/usr/bin/env bash
# docket serve's frame: health and readiness, errors in the SPEC §12 shape,
# 404/405/413/415, the access log (one line per request, no query, no
# secret), security headers, refusing key files others can read, and a
# clean exit on SIGTERM.
T_HERE=$(cd "$(dirname "$0")" && pwd)
. "$T_HERE/lib.sh"
. "$T_HERE/serve.sh"
setup_db

# a key file others can read stops the server before it listens
chmod 644 "$DOCKET_DB.key"
expect_exit 5 "refuses a readable key file" -- docket serve --listen 127.0.0.1:1 --tick 0
expect_contains "$T_ERR" "chmod 600" "says how to fix it"
chmod 600 "$DOCKET_DB.key"
chmod 640 "$DOCKET_DB"
expect_exit 5 "refuses a readable database" -- docket serve --listen 127.0.0.1:1 --tick 0
chmod 600 "$DOCKET_DB"
expect_eq "$(stat -c %a "$DOCKET_DB")" 600 "init makes the database 0600"
expect_exit 2 "bad --listen" -- docket serve --listen nowhere
expect_exit 2 "tls cert without key" -- docket serve --listen 127.0.0.1:1 --tls-cert x.pem

serve_start
api GET /healthz
expect_status 200 "healthz"
expect_eq "$H_BODY" '{"status":"ok"}' "healthz body"
api GET /readyz
expect_status 200 "readyz"
expect_contains "$H_BODY" '"ready"' "readyz says ready"
expect_contains "$H_HEADERS" "X-Content-Type-Options: nosniff" "nosniff"
expect_contains "$H_HEADERS" "Cache-Control: no-store" "no-store by default"
expect_contains "$H_HEADERS" "Content-Security-Policy: default-src 'none'" "csp"

api GET /nowhere
expect_status 404 "unknown path"
expect_eq "$(json_get 'j["error"]["code"]')" "not_found" "error code"
api PUT /api/v1/requests
expect_status 405 "wrong method"
api GET /api/v1/requests/1
expect_status 401 "not signed in"
expect_contains "$H_HEADERS" "WWW-Authenticate: Bearer" "401 names the scheme"
expect_eq "$(json_get 'sorted(j["error"].keys())')" "['code', 'field', 'message']" "error shape"

tok=$(token_for intake-1)
api POST /api/v1/requests -H "Authorization: Bearer $tok" -H 'Content-Type: text/plain' -d '{}'
expect_status 415 "wrong content type"
head -c 1100000 /dev/zero | tr '\0' ' ' >big.json
api POST /api/v1/requests -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' --data-binary @big.json
expect_status 413 "body over 1 MiB"
api POST /api/v1/requests -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --data-binary @big.json
expect_status 413 "chunked body over 1 MiB"
api POST /api/v1/requests -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' -d '{"ref":'
expect_status 400 "json that does not parse"
expect_eq "$(json_get 'j["error"]["code"]')" "bad_json" "bad json code"
api GET "/api/v1/requests?q=alice%40secret.example&limit=5" -H "Authorization: Bearer $tok"
expect_status 200 "list with a search"
api GET "/api/v1/requests?limit=0" -H "Authorization: Bearer $tok"
expect_status 400 "limit out of range"
api GET "/api/v1/requests?state=nonsense" -H "Authorization: Bearer $tok"
expect_status 400 "unknown state"
api GET "/api/v1/requests/abc" -H "Authorization: Bearer $tok"
expect_status 404 "a non-numeric id"

# keep-alive: two requests on one connection
out=$(curl -s -v "$SERVE_URL/healthz" "$SERVE_URL/healthz" 2>&1)
expect_contains "$out" "Re-using existing connection" "keep-alive survives a response"

api GET /api/v1/openapi.json
expect_status 200 "openapi document"
docket serve --routes >routes.txt
python3 - "$T_DIR/.b" routes.txt "$DOCKET_SOURCE_DIR/docs/api.md" <<'PY' || not_ok "every route in openapi.json and docs/api.md"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["openapi"].startswith("3.1")
api_md = open(sys.argv[3]).read()
n = 0
for line in open(sys.argv[2]):
    method, path, roles, status = line.split()
    assert method.lower() in doc["paths"][path], (method, path)
    op = doc["paths"][path][method.lower()]
    assert status in op["responses"], (method, path, status)
    assert "`%s %s`" % (method, path) in api_md, "docs/api.md lacks %s %s" % (method, path)
    n += 1
assert n == sum(len(v) for v in doc["paths"].values()), "openapi has rows the table lacks"
PY
ok

serve_stop
expect_eq "$SERVE_RC" 0 "SIGTERM exits 0"
log=$(cat serve.log)
expect_contains "$log" '"GET /healthz" 200' "access log line"
expect_contains "$log" '"GET /api/v1/requests" 200' "the path without its query"
case "$log" in *secret.example*) not_ok "the query is not logged" ;; *) ok ;; esac
case "$log" in *"$tok"*) not_ok "no token in the log" ;; *) ok ;; esac
lines=$(grep -c '" [0-9][0-9][0-9] ' serve.log)
[ "$lines" -ge 15 ] && ok || not_ok "one access line per request ($lines)"
done_testing
