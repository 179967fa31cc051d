#!/usr/bin/env bash
# docket report (SPEC §7, I9): a generated history imported with `request
# import` plus live requests, checked against an independent count in
# Python: the CSV exactly, JSON sections and bands, the FISA delay, the HTML
# page, the stated checkpoint, atomic --out, usage errors, and that the
# report changes nothing.
. "$(dirname "$0")/lib.sh"
setup_db
load_fixtures
export DOCKET_USER=root

# --- a history with known answers -------------------------------------------
python3 - <<'PY'
import json, random
rnd = random.Random(5)
countries = ["US", "DE", "GB", "FR", "BO", "CI", "KR"]
kinds = [("criminal", "subpoena"), ("criminal", "search_warrant"), ("criminal", "court_order"),
         ("criminal", "foreign_order"), ("emergency", "emergency"), ("civil", "civil_subpoena"),
         ("preservation", "preservation"), ("national_security", "nsl"),
         ("national_security", "fisa_order")]
outcomes = ["content", "noncontent_only", "no_data", "rejected", "redirected", "withdrawn"]
days = {"2025-H2": ("2025", 7), "2026-H1": ("2026", 1)}
with open("hist.jsonl", "w") as out:
    for i in range(600):
        period = "2026-H1" if i % 3 else "2025-H2"
        year, m0 = days[period]
        kind, proc = rnd.choice(kinds)
        country = rnd.choice(countries)
        n = rnd.randint(0, 3)
        targets = [{"type": "email", "value": "t%d-%d@nowhere.test" % (i, k)} for k in range(n)]
        if i % 17 == 0:
            targets.append({"type": "email", "value": "hans@example.de"})
        month = m0 + rnd.randint(0, 5)
        day = rnd.randint(1, 28)
        received = "%s-%02d-%02dT%02d:00:00Z" % (year, month, day, rnd.randint(0, 23))
        # the first and last second of each half-year
        if i == 3: received = "2026-01-01T00:00:00Z"
        if i == 6: received = "2026-06-30T23:59:59Z"
        if i == 9: received = "2026-07-01T00:00:00Z"
        cats = ["subscriber", "content"] if rnd.random() < 0.5 else ["subscriber"]
        outcome = rnd.choice(outcomes)
        if outcome == "content":  # content is produced only when asked for
            cats = ["subscriber", "content"]
        closed = max("2026-07-15", received[:10])  # never closed before received
        out.write(json.dumps({"ref": "G-%d" % i, "country": country, "kind": kind,
                              "process": proc, "received_at": received, "targets": targets,
                              "categories": cats, "outcome": outcome,
                              "closed_at": closed}) + "\n")
PY
# the history runs to the end of 2026: imported once it has happened
expect_exit 0 "import history" -- env DOCKET_NOW=2027-01-15T00:00:00Z "$DOCKET_BIN" request import hist.jsonl

# live requests in 2026-H1: one pending, one redirected (enterprise), one preserved
add() {  # add REF KIND PROCESS CATEGORIES TARGET
  printf '{"ref":"%s","agency":"us-lapd","kind":"%s","process":"%s","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"issued_by":{"type":"court","name":"Superior Court"},"targets":[{"type":"email","value":"%s"}],"categories":%s}' \
    "$1" "$2" "$3" "$5" "$4" >req.json
  docket --as intake-1 request add req.json
}
add L-1 criminal search_warrant '["content"]' alice@example.net >/dev/null
ent=$(add L-2 criminal search_warrant '["content"]' bob@contoso.com)
docket --as reviewer-1 request decide "$ent" redirect --reason "seek it from Contoso" >/dev/null
add L-3 preservation preservation '["subscriber","content"]' alice@example.net >/dev/null
# a gag order delays one notice, the emergency delay another; tick sends the rest
printf '{"ref":"L-4","agency":"us-lapd","kind":"criminal","process":"search_warrant","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"issued_by":{"type":"court","name":"Superior Court"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["content"],"ndo":{"statute":"18 U.S.C. 2705(b)","issued_at":"2026-03-01","expires_at":"2026-12-01"}}' >ndo.json
docket --as intake-1 request add ndo.json >/dev/null
printf '{"ref":"L-5","agency":"us-lapd","kind":"emergency","process":"emergency","requester":{"name":"Sgt. C","email":"c@lapd.gov"},"emergency":{"justification":"a child is missing","supervisor":{"name":"Lt. D","phone":"+1 213 555 0111"}},"targets":[{"type":"email","value":"hans@example.de"}],"categories":["subscriber"]}' >em.json
docket --as intake-1 request add em.json >/dev/null
docket tick >/dev/null

# the expected rows, counted independently of docket
expected_csv() {  # expected_csv PERIOD
  python3 - "$1" <<'PY'
import json, sys
period = sys.argv[1]
names = {"US": "United States", "DE": "Germany", "GB": "United Kingdom", "FR": "France",
         "BO": "Bolivia, Plurinational State of", "CI": "Côte d'Ivoire",
         "KR": "Korea, Republic of"}
def half(ts):
    return "%s-H%d" % (ts[:4], 1 if int(ts[5:7]) <= 6 else 2)
rows = {}
def live_req(kind, outcome):
    return {"kind": kind, "process": "x", "country": "US", "targets": [1],
            "received_at": "2026-03-02T12:00:00Z", "outcome": outcome}
live = [live_req("criminal", ""), live_req("criminal", "redirected"),
        live_req("criminal", ""), live_req("emergency", "")]
reqs = [json.loads(l) for l in open("hist.jsonl")] + live
col = {"content": 2, "noncontent_only": 3, "no_data": 4, "rejected": 5, "redirected": 5,
       "withdrawn": 5, "": 6}
for r in reqs:
    if half(r["received_at"]) != period or r["kind"] not in ("criminal", "emergency", "civil"):
        continue
    if r["process"] in ("nsl", "fisa_order"):
        continue
    row = rows.setdefault((r["kind"], r["country"]), [0] * 7)
    row[0] += 1
    row[1] += len(r["targets"])
    row[col[r["outcome"]]] += 1
print("period,section,country_code,country,requests,accounts,content,noncontent_only,no_data,rejected,pending")
for (kind, cc) in sorted(rows):
    name = names[cc]
    if "," in name:
        name = '"%s"' % name
    print(",".join([period, kind, cc, name] + [str(v) for v in rows[(kind, cc)]]))
PY
}

# --- CSV -----------------------------------------------------------------------
expect_exit 0 "csv report" -- docket report --period 2026-H1 --format csv
expect_eq "$T_OUT" "$(expected_csv 2026-H1)" "CSV for 2026-H1 matches the independent count"
expect_eq "$(echo "$T_OUT" | head -1)" "period,section,country_code,country,requests,accounts,content,noncontent_only,no_data,rejected,pending" "CSV header is exactly the SPEC columns"
expect_contains "$T_OUT" '"Bolivia, Plurinational State of"' "a name with a comma is quoted"
expect_contains "$T_OUT" "Côte d'Ivoire" "UTF-8 names kept"
cp_note=$(docket log checkpoint)
cp_size=$(echo "$cp_note" | sed -n 2p)
cp_root=$(echo "$cp_note" | sed -n 3p)
expect_eq "$T_ERR" "checkpoint: test.example/log $cp_size $cp_root" "CSV states the checkpoint on stderr"
expect_exit 0 "csv report 2025-H2" -- docket report --period 2025-H2 --format csv
expect_eq "$T_OUT" "$(expected_csv 2025-H2)" "CSV for 2025-H2 matches"
python3 - "$T_OUT" <<'PY' || not_ok "CSV parses with the csv module and its outcome columns add up"
import csv, io, sys
rows = list(csv.DictReader(io.StringIO(sys.argv[1])))
assert rows
keys = [(r["section"], r["country_code"]) for r in rows]
assert keys == sorted(keys), keys
for r in rows:
    assert int(r["requests"]) == sum(int(r[k]) for k in
        ("content", "noncontent_only", "no_data", "rejected", "pending")), r
PY
ok
expect_exit 0 "empty half-year" -- docket report --period 2020-H1 --format csv
expect_eq "$T_OUT" "period,section,country_code,country,requests,accounts,content,noncontent_only,no_data,rejected,pending" "an empty half-year is the header alone"

# --- JSON ----------------------------------------------------------------------
expect_exit 0 "json report" -- docket report --period 2026-H1 --format json
echo "$T_OUT" >r.json
echo "$cp_note" >cp.txt
docket --json notice list >notices.json
expected_csv 2026-H1 >expected.csv
python3 - <<'PY' || not_ok "JSON report"
import csv, json
r = json.load(open("r.json"))
assert r["period"] == "2026-H1" and r["from"] == "2026-01-01" and r["to"] == "2026-06-30"
assert r["published"] == "2026-03-02" and r["complete"] is False
cp = open("cp.txt").read()
assert r["checkpoint"]["note"] == cp, (r["checkpoint"]["note"], cp)
lines = cp.split("\n")
assert r["checkpoint"]["origin"] == lines[0] and str(r["checkpoint"]["size"]) == lines[1]
assert r["checkpoint"]["root"] == lines[2]
# sections agree with the CSV
want = {(x["section"], x["country_code"]): x for x in csv.DictReader(open("expected.csv"))}
got = {}
for sec in ("criminal", "emergency", "civil"):
    for row in r["sections"][sec]["countries"]:
        got[(sec, row["country_code"])] = row
assert set(got) == set(want), (set(got) ^ set(want))
cols = ("requests", "accounts", "content", "noncontent_only", "no_data", "rejected", "pending")
for k in want:
    for c in cols:
        assert int(want[k][c]) == got[k][c], (k, c)
for c in cols:
    assert r["total"][c] == sum(r["sections"][s]["total"][c] for s in ("criminal", "emergency", "civil"))
# national security only as bands; FISA withheld before 2026-12-28
ns = r["national_security"]
assert ns["band_width"] == 500 and ns["covers"] == "2026-H1"
assert ns["fisa_publishable_from"] == "2026-12-28"
fig = {f["process"]: f for f in ns["figures"]}
assert fig["nsl"]["orders"] == "0-499" and fig["nsl"]["accounts"] == "0-499"
for k in ("fisa_content", "fisa_noncontent"):
    assert fig[k]["withheld"] and fig[k]["withheld_until"] == "2026-12-28" and "orders" not in fig[k]
assert all(p["process"] not in ("nsl", "fisa_order") for p in r["by_process"])
# live requests: enterprise redirect, preservation hold
assert r["enterprise"] == {"received": 1, "redirected": 1, "disclosed": 0}, r["enterprise"]
assert r["preservation"]["holds"]["created"] >= 1 and r["preservation"]["holds"]["active"] >= 1
assert r["provider"] == "Example Cloud Inc."
# notices: as `docket notice list` shows them
want = {"sent": 0, "delayed_by_ndo": 0, "delayed_other": 0, "suppressed": 0, "pending": 0,
        "failed": 0}
for n in json.load(open("notices.json")):
    st = n["state"]
    if st == "delayed":
        st = "delayed_by_ndo" if (n["reason"] or "").startswith("ndo") else "delayed_other"
    elif st == "sending":
        st = "pending"
    want[st] += 1
assert {k: r["notices"][k] for k in want} == want, (r["notices"], want)
# delayed at some time: still delayed (by an NDO or otherwise) or since released
assert r["notices"]["delayed_total"] == (r["notices"]["delayed_by_ndo"] + r["notices"]["delayed_other"]
                                         + r["notices"]["released"]), r["notices"]
# the headline: share of requests where some data was produced, one decimal
for sec, h in r["headline"].items():
    c = r["total"] if sec == "total" else r["sections"][sec]["total"]
    assert h["requests"] == c["requests"] and h["some_data_produced"] == c["content"] + c["noncontent_only"], sec
    if c["requests"]:
        assert h["percent"] == round(1000 * h["some_data_produced"] / c["requests"]) / 10, (sec, h)
for sec in ("criminal", "emergency", "civil"):
    t = r["response_times"][sec]
    assert t["decided"] >= 0 and (t["median_days"] is None or t["median_days"] <= t["p90_days"]), t
assert set(r["ndos"]) == {"count", "median_days", "indefinite", "indefinite_percent", "challenged"}
assert "failed_verification" in r["emergency"] and "extensions" in r["preservation"]["holds"]
assert all(p["process_name"] and "_" not in p["process_name"] for p in r["by_process"])
assert want["sent"] >= 3 and want["delayed_by_ndo"] == 1 and want["delayed_other"] == 1, want
for sec in ("notices", "challenges", "content_abroad", "reach", "emergency"):
    assert sec in r, sec
PY
ok
# the tables beside the SPEC one, each with its documented header
for t in "headline:period,section,requests,some_data_produced,percent" \
         "response_times:period,section,decided,median_days,p90_days" \
         "ndos:period,ndos,median_days,indefinite,indefinite_percent,challenged" \
         "notices:period,sent,delayed_by_ndo,delayed_other,suppressed,pending,failed,delayed_total,released" \
         "emergency:period,requests,some_data_produced,failed_verification,awaiting_verification" \
         "preservation:period,requests,holds,renewed,extensions,active,expired,released,converted"; do
  expect_exit 0 "csv table ${t%%:*}" -- docket report --period 2026-H1 --format csv --table "${t%%:*}"
  expect_eq "$(echo "$T_OUT" | head -1)" "${t#*:}" "csv table ${t%%:*} header"
  grep -q "^\`${t#*:}\`" "$DOCKET_SOURCE_DIR/docs/report.md" || not_ok "docs/report.md lists the ${t%%:*} columns"
done
expect_exit 2 "unknown table" -- docket report --period 2026-H1 --format csv --table nope
expect_exit 2 "--table needs csv" -- docket report --period 2026-H1 --table headline
expect_exit 0 "json with --json" -- docket --json report --period 2026-H1
expect_eq "$T_OUT" "$(cat r.json)" "--json gives the same JSON"
expect_exit 0 "published after the delay" -- docket report --period 2026-H1 --published 2026-12-28
echo "$T_OUT" | python3 -c '
import json, sys
r = json.load(sys.stdin)
f = {x["process"]: x for x in r["national_security"]["figures"]}
assert not f["fisa_content"]["withheld"] and f["fisa_content"]["orders"] == "0-499"
assert r["complete"] is True and r["published"] == "2026-12-28"' || not_ok "FISA figures from 2026-12-28"
ok
expect_exit 0 "a day earlier" -- docket report --period 2026-H1 --published 2026-12-27
expect_contains "$T_OUT" '"withheld_until": "2026-12-28"' "still withheld on 2026-12-27"
expect_exit 0 "bands of 250" -- docket report --period 2026-H1 --band 250 --published 2027-01-01
expect_contains "$T_OUT" '"all_national_security_process"' "bands of 250 combine all process"
expect_contains "$T_OUT" '"orders": "0-249"' "band of 250"
docket config set report_band_width 1000 >/dev/null
expect_exit 0 "band from the setting" -- docket report --period 2026-H1
expect_contains "$T_OUT" '"accounts": "0-999"' "the setting's band width"
docket config set report_band_width 500 >/dev/null
cp_note=$(docket log checkpoint)
docket report --period 2026-H1 >r.json

# --- HTML ----------------------------------------------------------------------
expect_exit 0 "html report" -- docket report --period 2026-H1 --format html --out report.html
expect_eq "$T_OUT" "" "nothing on stdout with --out"
python3 - "$(echo "$cp_note" | sed -n 3p)" <<'PY' || not_ok "HTML page"
import re, sys
from html.parser import HTMLParser
import xml.etree.ElementTree as ET
page = open("report.html", encoding="utf-8").read()
assert page.startswith("<!DOCTYPE html>")
assert "<script" not in page.lower() and " src=" not in page and "<link" not in page
assert "@media print" in page
svgs = re.findall(r"<svg.*?</svg>", page, re.S)
assert len(svgs) == 3, len(svgs)
for s in svgs:
    ET.fromstring(s)            # well-formed
assert "Requests by country" in page and "Requests by half-year" in page
assert "2025-H2" in page and "2026-H1" in page
assert sys.argv[1] in page, "checkpoint root"
assert "withheld until 2026-12-28" in page
assert "Bolivia, Plurinational State of" in page and "Côte d&#39;Ivoire" in page
HTMLParser().feed(page)
PY
ok

# --- --out: atomic, sidecar, errors --------------------------------------------
mkdir out
echo "old" >out/report.csv
expect_exit 0 "csv --out" -- docket report --period 2026-H1 --format csv --out out/report.csv
expect_eq "$(cat out/report.csv)" "$(expected_csv 2026-H1)" "--out holds the CSV"
expect_eq "$(cat out/report.csv.checkpoint)" "$cp_note" "FILE.checkpoint holds the signed checkpoint"
expect_contains "$T_ERR" "checkpoint: test.example/log" "checkpoint on stderr too"
expect_eq "$(ls -A out | tr '\n' ' ')" "report.csv report.csv.checkpoint " "no temporary files left"
expect_exit 0 "json --out" -- docket report --period 2026-H1 --out out/r.json
expect_eq "$(cat out/r.json)" "$(cat r.json)" "--out holds the JSON"
expect_eq "$(ls -A out | tr '\n' ' ')" "r.json report.csv report.csv.checkpoint " "json: no sidecar, no leftovers"
strace_ok=0
if command -v strace >/dev/null 2>&1; then strace_ok=1; fi
if [ "$strace_ok" = 1 ]; then
  strace -f -e trace=fsync,rename,renameat,renameat2 -o trace.txt "$DOCKET_BIN" report --period 2026-H1 --out out/r.json >/dev/null 2>&1
  python3 - <<'PY' || not_ok "--out: fsync, rename, fsync directory"
import re
calls = [l for l in open("trace.txt") if re.search(r"\b(fsync|rename\w*)\(", l)]
names = [re.search(r"\b(fsync|rename\w*)\(", l).group(1) for l in calls]
i = next(k for k, n in enumerate(names) if n.startswith("rename"))
assert "fsync" in names[:i] and "fsync" in names[i + 1:], names
assert "out/r.json" in calls[i] and ".tmp" in calls[i], calls[i]
PY
  ok
fi
expect_exit 1 "--out into a missing directory" -- docket report --period 2026-H1 --out nowhere/r.json
expect_contains "$T_ERR" "nowhere/r.json" "names the file"
expect_exit 1 "--out onto a directory" -- docket report --period 2026-H1 --out out
expect_eq "$(ls -A out | tr '\n' ' ')" "r.json report.csv report.csv.checkpoint " "a failed write leaves nothing behind"

# --- usage errors ----------------------------------------------------------------
expect_exit 3 "bad period" -- docket report --period 2026-H3
expect_contains "$T_ERR" "docket: --period '2026-H3' is not a half-year like 2026-H1" "clear message"
expect_exit 3 "bad period form" -- docket report --period 2026-06
expect_exit 3 "period before 1970" -- docket report --period 1969-H2
expect_exit 2 "no period" -- docket report
expect_contains "$T_ERR" "--period" "names the missing option"
expect_exit 2 "period without value" -- docket report --period
expect_exit 2 "unknown format" -- docket report --period 2026-H1 --format pdf
expect_contains "$T_ERR" "pdf" "names the format"
expect_exit 2 "unknown option" -- docket report --period 2026-H1 --colour
expect_exit 2 "stray argument" -- docket report --period 2026-H1 extra
expect_exit 2 "--json with csv" -- docket --json report --period 2026-H1 --format csv
expect_exit 3 "bad band" -- docket report --period 2026-H1 --band 300
expect_contains "$T_ERR" "1000, 500, 250 or 100" "lists the lawful bands"
expect_exit 3 "bad published" -- docket report --period 2026-H1 --published soon
expect_exit 0 "help" -- docket report --help
expect_contains "$T_OUT" "--published" "help lists options"

# --- roles, and nothing changes ----------------------------------------------------
for u in auditor-1 intake-1 compliance-1; do
  expect_exit 0 "$u may run reports" -- docket --as "$u" report --period 2026-H1 --format csv
done
expect_exit 5 "unknown user" -- docket --as mallory report --period 2026-H1
log_before=$(docket log checkpoint)
fp=$(db_fingerprint)
docket report --period 2026-H1 --format html >/dev/null
docket report --period 2025-H2 --format csv >/dev/null 2>&1
expect_eq "$(db_fingerprint)" "$fp" "reports change nothing"
expect_eq "$(docket log checkpoint)" "$log_before" "reports are not logged"
done_testing
