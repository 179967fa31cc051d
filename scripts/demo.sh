#!/usr/bin/env bash
# The main job on demo data: install what is missing, build docket, generate
# a realistic demo history, load it into a fresh embedded database under
# demo/, run live requests through intake, and print a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}

bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$JOBS" >/dev/null

D=demo
rm -rf "$D"
mkdir -p "$D"
build/tools/demogen --seed 42 --out "$D" --vault >/dev/null

export DOCKET_DB="$D/docket.db"
export DOCKET_NOW=2026-11-02T09:00:00Z
docket() { build/docket "$@"; }

echo "== creating $DOCKET_DB"
docket init --admin admin --origin demo.docket.local/log
export DOCKET_USER=admin
docket user add ivan --role intake >/dev/null
docket user add rita --role reviewer >/dev/null
docket user add raj --role reviewer >/dev/null
docket user add abe --role approver >/dev/null
docket user add amy --role approver >/dev/null
docket user add cora --role compliance >/dev/null
docket user add aude --role auditor >/dev/null

echo "== loading customers, agencies and history"
docket customer import "$D/customers.jsonl"
docket agency import "$D/agencies.jsonl"
docket request import "$D/history.jsonl"

echo "== intake of live requests"
for f in "$D"/requests/request_*.json; do
  id=$(docket --as ivan request add "$f")
  action=$(docket --json request show "$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["policy"]["action"])')
  printf '  %-48s -> request %s, policy recommends %s\n' "${f##*/}" "$id" "$action"
done

echo
echo "== summary"
docket status
echo
docket log verify
echo
echo "Explore: export DOCKET_DB=$DOCKET_DB DOCKET_USER=admin; build/docket request list --state in_review"
