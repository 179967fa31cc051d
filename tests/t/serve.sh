# serve.sh - helpers for scenario tests that run the real `docket serve`
# on a free loopback port and drive it with curl.  Source after lib.sh.
#
#   serve_start [ARGS...]   start the server (stderr to serve.log); sets
#                           SERVE_PID, SERVE_URL; waits for /healthz
#   serve_stop              SIGTERM, wait; SERVE_RC is its exit status
#   token_for USER [ROLES]  an API token (admin root makes it)
#   totp SECRET_URI [STEP]  the TOTP code of an otpauth:// URI at DOCKET_NOW
#                           (+STEP time steps)
#   api METHOD PATH [curl args...]   one request; $H_STATUS, $H_BODY and
#                           $H_HEADERS hold the answer
command -v curl >/dev/null || { echo "skip: curl is not installed"; exit 77; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

serve_start() {
  local port
  port=$(free_port)
  SERVE_URL="http://127.0.0.1:$port"
  "$DOCKET_BIN" serve --listen "127.0.0.1:$port" --tick 0 "$@" 2>>"$T_DIR/serve.log" &
  SERVE_PID=$!
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "$SERVE_URL/healthz" && return 0
    kill -0 "$SERVE_PID" 2>/dev/null || break
    sleep 0.05
  done
  echo "docket serve did not start:" >&2
  cat "$T_DIR/serve.log" >&2
  exit 1
}

serve_stop() {
  [ -n "${SERVE_PID:-}" ] || return 0
  kill -TERM "$SERVE_PID" 2>/dev/null
  wait "$SERVE_PID"
  SERVE_RC=$?
  SERVE_PID=
}
trap 'serve_stop >/dev/null 2>&1; t_cleanup' EXIT

token_for() {  # token_for USER [ROLES]
  if [ -n "${2:-}" ]; then
    DOCKET_USER=root "$DOCKET_BIN" token add "$1" --role "$2" 2>/dev/null
  else
    DOCKET_USER=root "$DOCKET_BIN" token add "$1" 2>/dev/null
  fi
}

totp() {  # totp URI [STEP-OFFSET]
  python3 - "$1" "${2:-0}" "$DOCKET_NOW" <<'PY'
import base64, hmac, hashlib, struct, sys, datetime, urllib.parse
uri, off, now = sys.argv[1], int(sys.argv[2]), sys.argv[3]
q = urllib.parse.parse_qs(urllib.parse.urlparse(uri).query)
key = base64.b32decode(q["secret"][0] + "=" * (-len(q["secret"][0]) % 8))
t = int(datetime.datetime.fromisoformat(now.replace("Z", "+00:00")).timestamp())
step = t // 30 + off
h = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
o = h[-1] & 15
print("%06d" % ((struct.unpack(">I", h[o:o + 4])[0] & 0x7fffffff) % 1000000))
PY
}

api() {  # api METHOD PATH [curl args...]
  local method=$1 path=$2
  shift 2
  H_STATUS=$(curl -s -X "$method" -D "$T_DIR/.h" -o "$T_DIR/.b" -w '%{http_code}' \
    "$@" "$SERVE_URL$path")
  H_BODY=$(cat "$T_DIR/.b")
  H_HEADERS=$(tr -d '\r' <"$T_DIR/.h")
}

# expect_status WANT DESCRIPTION (after api)
expect_status() {
  if [ "$H_STATUS" = "$1" ]; then ok; else
    not_ok "$2: HTTP $H_STATUS, wanted $1: $H_BODY"
  fi
}

# json_get EXPR: evaluate a Python expression on the last body (as j)
json_get() {
  python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$T_DIR/.b" "$1"
}
