#!/usr/bin/env bash
# pg-cluster.sh - a private PostgreSQL 15 cluster for the tests.
#
#   eval "$(bash scripts/pg-cluster.sh start)"   # sets DOCKET_PG_DIR, DOCKET_PG_HOST,
#                                                 # DOCKET_PG_PORT and DOCKET_PG_URL
#   bash scripts/pg-cluster.sh stop "$DOCKET_PG_DIR"
#
# The cluster lives in a fresh directory under ${TMPDIR:-/tmp}: initdb, then
# `pg_ctl -w start` on a private port with its socket in that directory and
# no TCP listener, so it meets no other PostgreSQL on the machine.  Run as
# root (CI on a fresh Debian machine), the server runs as user postgres
# through runuser, since PostgreSQL refuses to run as root; run as anyone
# else, it runs as that user.
#
# The cluster's time zone is deliberately not UTC (America/St_Johns, UTC-3:30
# or -2:30): docket stores times as integer seconds since the epoch, and a
# time zone that leaked into any conversion would show in the tests.  The
# test cluster runs with fsync off: it is thrown away at the end, and a
# docket process killed by the tests does not take the server with it.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

as_owner() {  # run a command as the cluster's owner
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  [ -x "$PG_BIN/initdb" ] || { echo "pg-cluster: no $PG_BIN/initdb (install postgresql-15)" >&2; exit 1; }
  local dir; dir=$(mktemp -d "${TMPDIR:-/tmp}/docket-pg.XXXXXX")
  chmod 755 "$dir"
  mkdir "$dir/sock"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir" "$dir/sock"
  if ! as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
        --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1
  fi
  local port tries=0
  while :; do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 30000 ))
    if as_owner "$PG_BIN/pg_ctl" -w -t 30 -D "$dir/data" -l "$dir/server.log" \
         -o "-p $port -k $dir/sock -c listen_addresses='' -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off \
             -c max_connections=200 -c timezone=America/St_Johns" \
         start >/dev/null 2>&1; then
      break
    fi
    tries=$((tries + 1))
    if [ $tries -ge 5 ]; then
      cat "$dir/server.log" >&2; rm -rf "$dir"; exit 1
    fi
  done
  echo "export DOCKET_PG_DIR='$dir'"
  echo "export DOCKET_PG_HOST='$dir/sock'"
  echo "export DOCKET_PG_PORT='$port'"
  echo "export DOCKET_PG_URL='postgresql:///postgres?host=$dir/sock&port=$port&user=postgres'"
}

stop() {
  local dir=${1:?usage: pg-cluster.sh stop DIR}
  case "$dir" in */docket-pg.*) ;; *) echo "pg-cluster: '$dir' is not a test cluster" >&2; exit 1 ;; esac
  if [ -d "$dir/data" ]; then
    as_owner "$PG_BIN/pg_ctl" -w -D "$dir/data" stop -m immediate >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
start) start ;;
stop) stop "${2:-}" ;;
*) echo "usage: pg-cluster.sh start | stop DIR" >&2; exit 2 ;;
esac
