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
chmod 644 "$T_KEY"
expect_exit 5 "refuses a readable key file" -- docket serve --listen 127.0.0.1:1 --tick 0
expect_contains "$T_ERR" "chmod 600" "says how to fix it"
chmod 600 "$T_KEY"
if [ "$T_ENGINE" = sqlite ]; then   # PostgreSQL's files are the server's
  chmod 640 "$DOCKET_DB"
  expect_exit 5 "refuses a readable database" -- docket serve --listen 127.0.0.1:1 --tick 0
  chmod 600 "$DOCKET_DB"
  expect_eq "$(stat -c %a "$DOCKET_DB")" 600 "init makes the database 0600"
fi
if [ "$(id -u)" = 0 ]; then
  chown nobody "$T_VKEY"
  expect_exit 5 "refuses a key file of another user" -- docket serve --listen 127.0.0.1:1 --tick 0
  expect_contains "$T_ERR" "service user" "names the service user"
  chown 0 "$T_VKEY"
fi
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

# limits: header memory, connections per address, idle time per connection
serve_start --header-max 8192 --max-per-ip 2 --timeout 1
api GET /healthz -H "X-Big: $(head -c 10000 /dev/zero | tr '\0' a)"
expect_status 431 "headers over the limit"
port=${SERVE_URL##*:}
python3 - "$port" <<'PY' || not_ok "a third connection from one address is refused"
import socket, sys, time
port = int(sys.argv[1])
socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
time.sleep(0.2)
got = []
for s in socks:
    s.settimeout(2)
    try:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        got.append(s.recv(15))
    except OSError:
        got.append(b"")
assert got[0].startswith(b"HTTP/1.1 200") and got[1].startswith(b"HTTP/1.1 200"), got
assert got[2] == b"", got
PY
ok
python3 - "$port" <<'PY' || not_ok "an idle connection is closed after --timeout"
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(5)
t = time.time()
assert s.recv(10) == b""
assert time.time() - t < 4
PY
ok
serve_stop

# TLS of its own: --tls-cert and --tls-key (the key 0600)
if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj /CN=127.0.0.1 -keyout key.pem -out cert.pem >/dev/null 2>&1; then
  chmod 644 key.pem
  expect_exit 5 "a TLS key others can read" -- docket serve --listen 127.0.0.1:1 --tls-cert cert.pem --tls-key key.pem
  chmod 600 key.pem
  port=$(free_port)
  "$DOCKET_BIN" serve --listen "127.0.0.1:$port" --tick 0 --tls-cert cert.pem --tls-key key.pem 2>>serve.log &
  SERVE_PID=$!
  SERVE_URL="https://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -sk -o /dev/null "$SERVE_URL/healthz" && break; sleep 0.05; done
  api GET /healthz -k
  expect_status 200 "healthz over TLS"
  expect_contains "$H_HEADERS" "Strict-Transport-Security: max-age=" "HSTS over TLS"
  out=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")
  [ "$out" != 200 ] && ok || not_ok "plain HTTP is not served on the TLS port"
  serve_stop
  expect_eq "$SERVE_RC" 0 "TLS server drains"
fi
done_testing
