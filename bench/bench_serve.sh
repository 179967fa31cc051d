#!/usr/bin/env bash
# bench_serve - docket serve against references measured in the same run
# (issue 15, "Performance"):
#
#   1. GET of a request's JSON with a Bearer token, keep-alive, with wrk on
#      loopback, against nginx serving the same bytes as a static file:
#      the ratio of requests per second (aim: >= 0.5) and both p99s; and,
#      for scale, the same GET against a second server started with
#      --no-cache (every view and token read from the database);
#   2. POST of new requests (each a durable unit of work with its log entry
#      and signed checkpoint) in requests per second, against the command
#      line's `request import` rate per row;
#   3. with a PostgreSQL cluster (DOCKET_PG_HOST/PORT, as bench/run.sh starts
#      one): the same POSTs sent to two servers over one PostgreSQL database,
#      half to each, in writes per second against one server over SQLite
#      (SPEC §16).
#
# Usage: bench/bench_serve.sh [--quick] [BUILD_DIR]   (default build/)
# Needs wrk and nginx (nginx-light); loopback only; stops what it starts by
# pid.  Numbers are noisy on a shared machine: compare the ratios.
set -euo pipefail
QUICK=
[ "${1:-}" = --quick ] && { QUICK=1; shift; }
B=${1:-build}
DOCKET=$(cd "$(dirname "$B/docket")" && pwd)/docket
SRC=$(cd "$(dirname "$0")/.." && pwd)
command -v wrk >/dev/null || { echo "bench_serve: wrk is not installed (scripts/setup.sh)"; exit 0; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "bench_serve: nginx is not installed (scripts/setup.sh)"; exit 0; }
DUR=${QUICK:+2}
DUR=${DUR:-8}
ROWS=${QUICK:+2000}
ROWS=${ROWS:-20000}

W=$(mktemp -d "${TMPDIR:-/tmp}/bench-serve.XXXXXX")
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT
cd "$W"
export DOCKET_DB="$W/docket.db" DOCKET_RULES_DIR="$SRC/rules" DOCKET_USER=root
d() { "$DOCKET" "$@"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

d init --admin root --origin bench.example/log >/dev/null
d user add clerk --role intake >/dev/null
d user add audra --role auditor >/dev/null
printf '{"id":"c-alice","name":"Alice","type":"consumer","country":"US","data_location":"US","us_person":true,"contact":{"email":"alice@example.net"},"accounts":[{"type":"email","value":"alice@example.net"}]}\n' >c.jsonl
printf '{"id":"us-lapd","name":"LAPD","country":"US","type":"law_enforcement","domains":["lapd.gov"],"phone":"+1 213 555 0100"}\n' >a.jsonl
d customer import c.jsonl >/dev/null
d agency import a.jsonl >/dev/null
printf '{"ref":"B-0","agency":"us-lapd","kind":"criminal","process":"search_warrant","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber","content"]}' >r.json
id=$(d --as clerk request add r.json)
read_tok=$(d token add audra 2>/dev/null)
write_tok=$(d token add clerk 2>/dev/null)

port=$(free_port)
"$DOCKET" serve --listen "127.0.0.1:$port" --tick 0 --threads ${BENCH_THREADS:-4} --max-per-ip 1024 \
  --max-connections 1024 2>/dev/null &
PIDS+=($!)
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.05; done
nc_port=$(free_port)
"$DOCKET" serve --listen "127.0.0.1:$nc_port" --tick 0 --threads ${BENCH_THREADS:-4} --max-per-ip 1024 \
  --max-connections 1024 --no-cache 2>/dev/null &
PIDS+=($!)
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$nc_port/healthz" && break; sleep 0.05; done

# the same bytes as a static file behind nginx
mkdir -p www logs
curl -s -H "Authorization: Bearer $read_tok" "http://127.0.0.1:$port/api/v1/requests/$id" >www/request.json
nport=$(free_port)
cat >nginx.conf <<EOF
daemon off;
worker_processes 2;
pid $W/nginx.pid;
error_log $W/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $W/logs; proxy_temp_path $W/logs; fastcgi_temp_path $W/logs;
  uwsgi_temp_path $W/logs; scgi_temp_path $W/logs;
  default_type application/json;
  server { listen 127.0.0.1:$nport; root $W/www; keepalive_requests 1000000; }
}
EOF
"$NGINX" -c "$W/nginx.conf" -p "$W" 2>/dev/null &
PIDS+=($!)
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$nport/request.json" && break; sleep 0.05; done

# wrk's "Requests/sec" and its 99% latency in milliseconds
rps() { awk '/^Requests\/sec/ {print $2}' "$1"; }
p99() {
  awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
       if (u == "us") v /= 1000; else if (u == "s") v *= 1000; printf "%.2f", v }' "$1"
}
wrk -t2 -c32 -d"${DUR}s" --latency -H "Authorization: Bearer $read_tok" \
  "http://127.0.0.1:$port/api/v1/requests/$id" >get.txt
wrk -t2 -c32 -d"${DUR}s" --latency "http://127.0.0.1:$nport/request.json" >nginx.txt
wrk -t2 -c32 -d"${DUR}s" --latency -H "Authorization: Bearer $read_tok" \
  "http://127.0.0.1:$nc_port/api/v1/requests/$id" >nocache.txt

# POST: a unique ref per request
cat >post.lua <<EOF
local n = 0
local tag = tostring(math.random(1, 1000000000))
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $write_tok"
request = function()
  n = n + 1
  wrk.body = '{"ref":"P-' .. tag .. '-' .. n .. '","agency":"us-lapd","kind":"criminal","process":"subpoena","signed":true,"requester":{"name":"A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}'
  return wrk.format()
end
EOF
before=$(d --json status | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')
wrk -t2 -c8 -d"${DUR}s" --latency -s post.lua "http://127.0.0.1:$port/api/v1/requests" >post.txt
after=$(d --json status | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')
post_rate=$(python3 -c "print(($after - $before) / $DUR)")

# the command line's import rate per row
python3 - "$ROWS" >import.jsonl <<'PY'
import json, sys
for i in range(int(sys.argv[1])):
    print(json.dumps({"ref": "H-%d" % i, "agency": "us-lapd", "received_at": "2025-02-01T00:00:00Z",
                      "kind": "criminal", "process": "subpoena",
                      "targets": [{"type": "email", "value": "alice@example.net"}],
                      "categories": ["subscriber"], "outcome": "no_data",
                      "closed_at": "2025-03-01T00:00:00Z"}))
PY
t0=$(date +%s.%N)
d request import import.jsonl >/dev/null
t1=$(date +%s.%N)
import_rate=$(python3 -c "print($ROWS / ($t1 - $t0))")

# two servers over one PostgreSQL database, the POSTs split between them
pg_rate=0
if [ -n "${DOCKET_PG_HOST:-}" ] && [ -n "${DOCKET_PG_PORT:-}" ]; then
  pga() { "$@" -h "$DOCKET_PG_HOST" -p "$DOCKET_PG_PORT" -U postgres; }
  pga dropdb --if-exists docket_bench_serve 2>/dev/null
  pga createdb docket_bench_serve
  mkdir -m 700 "$W/pgkeys"
  pgd() { DOCKET_DB="postgresql:///docket_bench_serve?host=$DOCKET_PG_HOST&port=$DOCKET_PG_PORT&user=postgres" \
          DOCKET_KEYS="$W/pgkeys" "$DOCKET" "$@"; }
  pgd init --admin root --origin bench.example/log >/dev/null
  pgd user add clerk --role intake >/dev/null
  pgd customer import c.jsonl >/dev/null
  pgd agency import a.jsonl >/dev/null
  pg_tok=$(pgd token add clerk 2>/dev/null)
  python3 -c 'import sys; t = open("post.lua").read(); open("post-pg.lua", "w").write(t.replace(sys.argv[1], sys.argv[2]))' \
    "$write_tok" "$pg_tok"
  p1=$(free_port); p2=$(free_port)
  for p in $p1 $p2; do
    pgd serve --listen "127.0.0.1:$p" --tick 0 --threads ${BENCH_THREADS:-4} --max-per-ip 1024 \
      --max-connections 1024 2>/dev/null &
    PIDS+=($!)
    for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$p/healthz" && break; sleep 0.05; done
  done
  count() { pgd --json status | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])'; }
  before=$(count)
  wrk -t1 -c4 -d"${DUR}s" -s post-pg.lua "http://127.0.0.1:$p1/api/v1/requests" >post-pg1.txt &
  w1=$!
  wrk -t1 -c4 -d"${DUR}s" -s post-pg.lua "http://127.0.0.1:$p2/api/v1/requests" >post-pg2.txt
  wait "$w1"
  after=$(count)
  pg_rate=$(python3 -c "print(($after - $before) / $DUR)")
  pgd log verify >/dev/null || echo "bench_serve: the PostgreSQL log does not verify" >&2
  pga dropdb --force docket_bench_serve 2>/dev/null || true
fi

python3 - "$(rps get.txt)" "$(rps nginx.txt)" "$(p99 get.txt)" "$(p99 nginx.txt)" \
  "$post_rate" "$import_rate" "$(p99 post.txt)" "$pg_rate" "$(rps nocache.txt)" "$(p99 nocache.txt)" <<'PY'
import sys
get, ngx, gp99, np99, post, imp, pp99, pg, nc, ncp99 = sys.argv[1:]
get, ngx, post, imp, pg, nc = float(get), float(ngx), float(post), float(imp), float(pg), float(nc)
print("bench_serve: GET /api/v1/requests/{id} (Bearer, keep-alive, wrk -t2 -c32)")
print("  docket serve  %10.0f req/s   p99 %s ms" % (get, gp99))
print("  nginx static  %10.0f req/s   p99 %s ms" % (ngx, np99))
print("  ratio         %10.2f   (aim >= 0.5)" % (get / ngx if ngx else 0))
print("  --no-cache    %10.0f req/s   p99 %s ms   ratio %.2f" % (nc, ncp99, nc / ngx if ngx else 0))
print("bench_serve: POST /api/v1/requests (a durable unit of work each, wrk -c8)")
print("  docket serve  %10.0f requests/s   p99 %s ms" % (post, pp99))
print("  request import%10.0f rows/s (one batch per 1000 rows)" % imp)
print("  ratio         %10.3f" % (post / imp if imp else 0))
if pg:
    print("bench_serve: the same POSTs to two servers over one PostgreSQL database")
    print("  two servers   %10.0f writes/s" % pg)
    print("  ratio to one server over SQLite %6.2f" % (pg / post if post else 0))
PY
