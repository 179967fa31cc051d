#!/usr/bin/env bash
# Runs every benchmark against the release build; each prints its ratio to a
# reference measured in the same run.  BENCH_QUICK=1 uses smaller sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
B=build
n=${BENCH_QUICK:+10000}
# a private PostgreSQL cluster for the PostgreSQL runs, when it is installed
if [ -x /usr/lib/postgresql/15/bin/initdb ] && [ -z "${DOCKET_PG_HOST:-}" ]; then
  eval "$(bash scripts/pg-cluster.sh start)"
  trap 'bash scripts/pg-cluster.sh stop "$DOCKET_PG_DIR"' EXIT
fi
"$B/bench/bench_import" --requests "${n:-100000}" --docket "$B/docket" --demogen "$B/tools/demogen"
for b in "$B"/bench/bench_*; do
  case "$b" in */bench_import) continue ;; esac
  [ -x "$b" ] && "$b" ${BENCH_QUICK:+--quick}
done
bash bench/bench_serve.sh ${BENCH_QUICK:+--quick} "$B"
