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
# notices go out only under the provider's own name and sender (SPEC §5)
docket config set provider_name "Northwind Cloud" >/dev/null
docket config set smtp_from notices@northwind.example >/dev/null
docket config set legal_contact legal@northwind.example >/dev/null

echo "== loading customers, agencies and history"
docket customer import "$D/customers.jsonl"
docket agency import "$D/agencies.jsonl"
docket request import "$D/history.jsonl"

echo "== intake of live requests"
declare -A ID
for f in "$D"/requests/request_*.json; do
  name=${f##*/request_}; name=${name%.json}
  id=$(docket --as ivan request add "$f")
  ID[$name]=$id
  action=$(docket --json request show "$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["policy"]["action"])')
  printf '  %-42s -> request %s, policy recommends %s\n' "$name" "$id" "$action"
done
# three more preservation requests: one from last summer (expires at the
# tick), one to be released, one still held
for p in "PRES-OLD 2026-07-01T09:00:00Z" "PRES-REL 2026-10-20T09:00:00Z" "PRES-NEW 2026-10-30T09:00:00Z"; do
  set -- $p
  target=$(python3 -c 'import json,sys; print(json.dumps(json.loads(open(sys.argv[1]).readline())["accounts"][0]))' "$D/customers.jsonl")
  printf '{"ref":"%s","agency":"us-lapd","kind":"preservation","process":"preservation","received_at":"%s","requester":{"name":"Det. R. Diaz","email":"rdiaz@lapd.gov"},"targets":[%s],"categories":["subscriber","content"]}' "$1" "$2" "$target" >"$D/$1.json"
  ID[$1]=$(docket --as ivan request add "$D/$1.json")
done

echo "== review"
review() { docket --as "$1" "${@:2}" >/dev/null && printf '  %s\n' "${*:2}"; }
review rita request decide "${ID[01_us_search_warrant]}" approve --reason "valid warrant, particular and signed"
review abe  request approve "${ID[01_us_search_warrant]}"
review amy  request approve "${ID[01_us_search_warrant]}"
review rita request decide "${ID[02_subpoena_for_content]}" narrow --categories subscriber --reason "a subpoena reaches subscriber records only (US-CONTENT-WARRANT)"
review abe  request approve "${ID[02_subpoena_for_content]}"
review raj  request decide "${ID[03_unsigned_court_order]}" reject --reason "the order is not signed (GEN-UNSIGNED)"
review raj  request decide "${ID[04_wildcard_target]}" reject --reason "no specific account named (GEN-TARGETS)"
review raj  request close "${ID[04_wildcard_target]}"
review rita request decide "${ID[05_enterprise_target]}" redirect --reason "seek the data from the enterprise first (GEN-ENTERPRISE)"
# the call-back goes to the number on file for the requesting agency
EM_PHONE=$(python3 - "$D/requests/request_06_emergency.json" "$D/agencies.jsonl" <<'PY'
import json, sys
agency = json.load(open(sys.argv[1]))["agency"]
print(next(a["phone"] for a in map(json.loads, open(sys.argv[2])) if a["id"] == agency))
PY
)
review rita request verify "${ID[06_emergency]}" --callback "$EM_PHONE" --person "Sgt. M. Ortiz, watch commander"
review rita request decide "${ID[06_emergency]}" approve --reason "danger to life confirmed by call-back (US-EMERGENCY)"
review amy  request approve "${ID[06_emergency]}"
review amy  request approve "${ID[02_subpoena_for_content]}"
review raj  request decide "${ID[10_uk_cloud_act_us_person]}" reject --reason "a CLOUD Act agreement order may not target a US person (INTL-CLOUD-AGREEMENT)"
review rita request challenge "${ID[11_eu_prosecutor_content]}" --court "Landgericht Berlin" --grounds "content ordered by a prosecutor, not a judge (EU-EPOC)" --reason "the issuing authority may not order content"
review raj  request withdraw "${ID[13_ndo_fixed_date]}" --reason "the agency withdrew the request"
review rita request decide "${ID[15_customer_held_keys]}" redirect --reason "the customer holds the keys (GEN-CUSTOMER-KEYS)"
review rita hold release "${ID[PRES-REL]}" --reason "investigation closed"
review ivan hold convert "${ID[08_preservation]}" "${ID[01_us_search_warrant]}" --reason "follow-up legal process received for the preserved records"
docket tick >/dev/null && echo "  tick: preservation holds past their date expire; due customer notices go out"
echo
echo "== why: the policy engine's reasoning for request ${ID[14_comity_data_abroad]}"
docket request explain "${ID[14_comity_data_abroad]}" | sed 's/^/  /'

echo
echo "== customer notices (the tick above delivered the due ones into $D/outbox)"
# one more request, delivered while the outbox is unusable: it fails, stays
# visible and is retried with backoff
target=$(python3 -c 'import json,sys; print(json.dumps(json.loads(open(sys.argv[1]).readlines()[1])["accounts"][0]))' "$D/customers.jsonl")
printf '{"ref":"LAPD-LATE-1","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2026-11-02T08:30:00Z","requester":{"name":"Det. R. Diaz","email":"rdiaz@lapd.gov"},"targets":[%s],"categories":["subscriber"]}' "$target" >"$D/LAPD-LATE-1.json"
docket --as ivan request add "$D/LAPD-LATE-1.json" >/dev/null
docket config set outbox_dir "$DOCKET_DB/outbox" >/dev/null
docket tick | sed -n 's/^\(.*failed\)$/  tick with a broken outbox: \1/p'
docket config set outbox_dir "$D/outbox" >/dev/null
# the court lifts the 90-day NDO of request 13: its notice is due at the next tick
docket --as ivan ndo lift "${ID[13_ndo_fixed_date]}" --reason "the court lifted the order" >/dev/null
docket notice list | sed 's/^/  /'
docket ndo list | sed 's/^/  /'
printf '  %s .eml files in %s, e.g.:\n' "$(ls "$D/outbox" | wc -l)" "$D/outbox"
sed -n '1,12p' "$D/outbox/$(ls "$D/outbox" | head -1)" | tr -d '\r' | sed 's/^/    /'

echo
echo "== disclosure: the customer data vault and one production (SPEC §8)"
docket vault import "$D/vault.jsonl" | sed 's/^/  /'
# the US search warrant: approved by rita, signed off by abe and amy above
W=$(docket --json request list | python3 -c 'import json,sys; print(next(r["id"] for r in json.load(sys.stdin) if r["ref"] == json.load(open(sys.argv[1]))["ref"]))' "$D/requests/request_01_us_search_warrant.json")
docket --as abe disclose "$W" --out "$D/disclosure-$W.tar.gz" --reason "production under the search warrant" | sed 's/^/  /'
docket log key >"$D/log.vkey"
docket disclose verify "$D/disclosure-$W.tar.gz" --key "$D/log.vkey" | sed 's/^/  /'

echo
echo "== transparency report (SPEC §7)"
# every half-year on record (SPEC §7: a report never fails on valid records),
# in every format; the open half-year is marked partial
halves=$(sqlite3 "$DOCKET_DB" "SELECT DISTINCT strftime('%Y', received_at, 'unixepoch') || '-H' ||
  (CASE WHEN CAST(strftime('%m', received_at, 'unixepoch') AS INTEGER) <= 6 THEN 1 ELSE 2 END)
  FROM request ORDER BY 1" 2>/dev/null || echo "2025-H2 2026-H1")
for per in $halves; do
  docket report --period "$per" --format html --out "$D/report-$per.html" 2>/dev/null
  docket report --period "$per" --format csv --out "$D/report-$per.csv" 2>/dev/null
  docket report --period "$per" --format json --out "$D/report-$per.json"
  printf '  %s: %s and %s (%s rows)\n' "$per" "$D/report-$per.html" "$D/report-$per.csv" \
    "$(($(wc -l <"$D/report-$per.csv") - 1))"
done
# the compliance user publishes the last closed half-year: its exact bytes
# are stored and their SHA-256 logged (GET /api/v1/publications lists it)
docket --as cora report --period 2026-H1 --format html --publish | sed 's/^/  /'
echo "  criminal requests from the five busiest countries, 2026-H1:"
python3 - "$D/report-2026-H1.csv" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["section"] == "criminal"]
rows.sort(key=lambda r: -int(r["requests"]))
print("    %-26s %8s %8s %8s %8s %8s" % ("country", "requests", "content", "non-cont", "rejected", "pending"))
for r in rows[:5]:
    print("    %-26s %8s %8s %8s %8s %8s" % (r["country"][:26], r["requests"], r["content"], r["noncontent_only"], r["rejected"], r["pending"]))
PY
echo
echo "== summary"
docket status
echo
docket log verify
echo
echo "Explore: export DOCKET_DB=$DOCKET_DB DOCKET_USER=admin; build/docket request list --state in_review"

# The portals (docs/portals.md): officers of two agencies register, and
# customers with a sent notice get a sign-in link, for the server below.
port=${DEMO_PORT:-8080}
echo
echo "== the portals (docs/portals.md): officers of two agencies, customers with sent notices"
bash scripts/demo-portals.sh "$PWD/build/docket" "$D" "$port" us-fbi us-doj

# The server over the demo database, in the foreground (DEMO_SERVE=0 skips;
# DEMO_PORT picks the port).  Ctrl-C drains and stops it cleanly.
if [ "${DEMO_SERVE:-1}" != 0 ]; then
  echo "demo-auditor-passphrase" | docket user passwd aude >/dev/null
  tok=$(docket token add ivan --role intake 2>/dev/null)
  echo
  echo "== the server (docs/api.md): http://127.0.0.1:$port  (Ctrl-C stops it)"
  echo "  curl -s http://127.0.0.1:$port/readyz"
  echo "  curl -s -H 'Authorization: Bearer $tok' 'http://127.0.0.1:$port/api/v1/requests?state=in_review&limit=5'"
  echo "  curl -s -H 'Content-Type: application/json' -d '{\"user\":\"aude\",\"password\":\"demo-auditor-passphrase\"}' http://127.0.0.1:$port/api/v1/session"
  echo "  curl -s http://127.0.0.1:$port/api/v1/openapi.json"
  echo "  (the token acts as ivan, intake; aude is an auditor, who signs in without a second factor)"
  echo
  echo "== the pages: open this one-time link to see the queue as rita, a reviewer"
  echo "  http://127.0.0.1:$port$(docket user link rita)"
  echo "  Other roles, each a fresh one-time link (valid 30 minutes, used once):"
  echo "    DOCKET_DB=$DOCKET_DB build/docket --as admin user link NAME"
  echo "    NAME: ivan (intake), raj (reviewer), abe and amy (approvers), cora (compliance),"
  echo "          aude (auditor), admin"
  echo "  Or with a password and a code: docket user passwd NAME, docket user mfa NAME."
  exec build/docket serve --listen "127.0.0.1:$port"
fi
