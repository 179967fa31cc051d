#!/usr/bin/env bash
# `docket serve`'s options are input too (SPEC §9: 2 for a usage error,
# one line naming the option): a port outside 1-65535 (getaddrinfo() would
# listen on it modulo 65536), limits of 0 (no connection at all, no limit,
# no idle timeout) and a public origin that no browser's Origin header can
# equal are refused before anything listens.
T_HERE=$(cd "$(dirname "$0")" && pwd)
. "$T_HERE/lib.sh"
setup_db
refused() {  # refused WHAT NEEDLE -- ARGS...
  local what=$1 needle=$2
  shift 3
  timeout 10 "$DOCKET_BIN" serve --tick 0 "$@" >"$T_DIR/.out" 2>"$T_DIR/.err"
  local rc=$?
  if [ "$rc" -eq 2 ]; then ok; else not_ok "$what: exit $rc, wanted 2: $(cat "$T_DIR/.err")"; fi
  expect_contains "$(cat "$T_DIR/.err")" "$needle" "$what: the message"
  case "$(cat "$T_DIR/.err")" in *listening*) not_ok "$what: it listened" ;; *) ok ;; esac
}
refused "port 99999" "the port must be a number from 1 to 65535" -- --listen 127.0.0.1:99999
refused "port 65536" "the port must be a number from 1 to 65535" -- --listen '[::1]:65536'
refused "port 0" "the port must be a number from 1 to 65535" -- --listen 127.0.0.1:0
refused "port -1" "the port must be a number from 1 to 65535" -- --listen 127.0.0.1:-1
refused "a port with a sign" "the port must be a number from 1 to 65535" -- --listen 127.0.0.1:+80
refused "no port" "must be ADDR:PORT" -- --listen 127.0.0.1:
refused "a host name" "must be a numeric ADDR:PORT" -- --listen localhost:8080
refused "--max-connections 0" "--max-connections must be 1 to 100000" -- --max-connections 0
refused "--max-per-ip 0" "--max-per-ip must be 1 to 100000" -- --max-per-ip 0
refused "--timeout 0" "--timeout must be 1 to 3600 seconds" -- --timeout 0
refused "--timeout -1" "negative" -- --timeout -1
refused "an origin with a last slash" "--public-origin 'https://docket.example/' must be an origin" -- \
  --public-origin https://docket.example/
refused "an origin with a path" "must be an origin" -- --public-origin https://docket.example/docket
refused "an origin without a scheme" "must be an origin" -- --public-origin docket.example
refused "an origin with a user" "must be an origin" -- --public-origin https://u@docket.example
done_testing
