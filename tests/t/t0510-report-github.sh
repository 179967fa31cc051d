#!/usr/bin/env bash
# Reproduce a published transparency report from request-level records.
#
# Source: GitHub's transparency-report data, the public repository
# github/transparency, folder data/requests_to_disclose_user_information/
# at commit cfbccbb61d05b90e3ec8448f0dc74e7119946469, licensed CC BY 4.0,
# (c) GitHub, Inc.; the files used are copied in tests/data/github-transparency/
# (file names: the paths with '/' replaced by '__'; see tests/data/README.md).
#
# From the tables we build one request per request counted - process and
# country as published, the first `count_disclosed` of each row with a
# disclosing outcome and the rest rejected, targets adding up to the
# accounts affected, national-security letters and orders inside their
# published bands - import them with `docket request import`, and check that
# `docket report` gives back every cell:
#  - by half-year: requests received and disclosed per type (2023-H1 ..
#    2025-H1), cross-border requests per country, accounts affected;
#  - by year, for 2023 and 2024: the same three tables (2024-H2 is not
#    published by half-year for the request types; it is the yearly figure
#    less 2024-H1);
#  - national-security letters and orders and the accounts they affect, in
#    GitHub's bands of 250 (50 U.S.C. 1874(a)(3): all process combined),
#    for every half-year from 2014.
# Not reproduced: 2025 by year (its published cross-border total, 92, is
# not the sum of its per-country rows, 90) and user notifications (notices
# come from the notice workflow, not from historical imports).
. "$(dirname "$0")/lib.sh"
SRC="$DOCKET_SOURCE_DIR/tests/data/github-transparency"
setup_db
export DOCKET_USER=root DOCKET_NOW=2026-04-01T00:00:00Z
export SRC

# --- the history --------------------------------------------------------------
python3 - <<'PY' || { echo "generating the history failed" >&2; exit 1; }
import csv, datetime, json, os
src = os.environ["SRC"]
def table(name):
    return list(csv.DictReader(open(os.path.join(src, name), encoding="utf-8")))

TYPES = {  # published type -> (kind, process, disclosing outcome)
    "criminal or government agency subpoena": ("criminal", "subpoena", "noncontent_only"),
    "criminal court order": ("criminal", "court_order", "noncontent_only"),
    "criminal search warrant": ("criminal", "search_warrant", "content"),
    "cross-border request": ("criminal", "foreign_order", "noncontent_only"),
    "civil subpoena": ("civil", "civil_subpoena", "noncontent_only"),
}
halves = {}   # "2025-H1" -> {"types": {type: (received, disclosed)}, "xb": {cc: n}, "accounts": n}
def half(p):
    return halves.setdefault(p, {"types": {}, "xb": {}, "accounts": None})
for r in table("by_calendar_year_half__requests_received_and_disclosed_by_calendar_year_half.csv"):
    half("%s-H%s" % (r["year"], r["half"]))["types"][r["type"].strip()] = (
        int(r["count_requests_received"]), int(r["count_disclosed"]))
for r in table("by_calendar_year_half__cross_border_data_requests_by_calendar_year_half.csv"):
    half("%s-H%s" % (r["year"], r["half"]))["xb"][r["government_iso2_code"]] = int(r["count"])
for r in table("by_calendar_year_half__requests_accounts_affected_by_calendar_year_half.csv"):
    half("%s-H%s" % (r["year"], r["half"]))["accounts"] = int(r["count_accounts_affected"])
# 2024-H2 by type: the year less its first half
yearly = {(r["year"], r["type"].strip()): (int(r["count_requests_received"]), int(r["count_disclosed"]))
          for r in table("requests_received_and_disclosed.csv")}
for t in TYPES:
    rec, dis = yearly[("2024", t)]
    r1, d1 = halves["2024-H1"]["types"][t]
    halves["2024-H2"]["types"][t] = (rec - r1, dis - d1)

def start(p):
    y, h = int(p[:4]), int(p[-1])
    return datetime.datetime(y, 1 if h == 1 else 7, 1, 9, 0, 0)

lines = []
def add(p, i, kind, process, country, outcome, ntargets, cats):
    at = start(p) + datetime.timedelta(days=i % 180, minutes=i % 600)
    lines.append(json.dumps({
        "ref": "GH-%s-%d" % (p, i), "country": country, "kind": kind, "process": process,
        "received_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "targets": [{"type": "email", "value": "a%s-%d-%d@example.com" % (p, i, k)}
                    for k in range(ntargets)],
        "categories": cats, "outcome": outcome,
        "closed_at": (at + datetime.timedelta(days=7)).strftime("%Y-%m-%d")}))

for p, h in sorted(halves.items()):
    reqs = []   # (kind, process, country, outcome)
    for t, (kind, process, good) in TYPES.items():
        rec, dis = h["types"].get(t, (None, None))
        if t == "cross-border request":
            countries = [cc for cc, n in sorted(h["xb"].items()) for _ in range(n)]
            assert rec is None or rec == len(countries), (p, rec, len(countries))
        elif rec is None:
            continue
        else:
            countries = ["US"] * rec
        dis = dis or 0
        for k, cc in enumerate(countries):
            reqs.append((kind, process, cc, good if k < dis else "rejected"))
    n, acc = len(reqs), h["accounts"]
    assert acc is not None and n > 0, p
    for i, (kind, process, cc, outcome) in enumerate(reqs):
        targets = acc // n + (1 if i < acc % n else 0)
        cats = ["content"] if process == "search_warrant" else ["subscriber", "noncontent"]
        add(p, i, kind, process, cc, outcome, targets, cats)

# national security: inside the published bands, NSLs and FISA orders mixed
ns = {}
for r in table("national_security_letters_and_orders.csv"):
    p = "%s-H%d" % (r["year"], 1 if r["month_range"].startswith("Jan") else 2)
    key = "orders" if "received" in r["type"] else "accounts"
    ns.setdefault(p, {})[key] = r["count"]
for j, (p, b) in enumerate(sorted(ns.items())):
    olo, ohi = map(int, b["orders"].split("-"))
    alo, ahi = map(int, b["accounts"].split("-"))
    orders = max(1, olo + (j * 37) % (ohi - olo + 1))
    accounts = alo + (j * 53) % (ahi - alo + 1)
    for i in range(orders):
        targets = accounts // orders + (1 if i < accounts % orders else 0)
        process = "nsl" if i % 2 == 0 else "fisa_order"
        cats = ["subscriber"] if process == "nsl" else (["content"] if i % 4 == 1 else ["noncontent"])
        add(p, 100000 + i, "national_security", process, "US", "noncontent_only", targets, cats)
open("history.jsonl", "w").write("\n".join(lines) + "\n")
json.dump({"halves": halves, "ns": ns}, open("published.json", "w"))
PY
expect_exit 0 "import the history" -- docket request import history.jsonl

# --- the reports ----------------------------------------------------------------
for p in $(python3 -c 'import json; d=json.load(open("published.json")); print(" ".join(sorted(set(d["halves"]) | set(d["ns"]))))'); do
  docket report --period "$p" --band 250 --published 2027-01-01 >"report-$p.json" ||
    not_ok "report for $p"
done

python3 - <<'PY' || not_ok "the reports reproduce the published tables"
import csv, json, os
src = os.environ["SRC"]
pub = json.load(open("published.json"))
PROC = {"criminal or government agency subpoena": "subpoena", "criminal court order": "court_order",
        "criminal search warrant": "search_warrant", "cross-border request": "foreign_order",
        "civil subpoena": "civil_subpoena"}
cells = 0
def check(got, want, what):
    global cells
    assert got == want, "%s: report gives %r, published %r" % (what, got, want)
    cells += 1
reports = {}
def report(p):
    if p not in reports:
        reports[p] = json.load(open("report-%s.json" % p))
    return reports[p]
def by_process(r):
    return {x["process"]: x for x in r["by_process"]}
def xborder(r):
    return {x["country_code"]: x["requests"] for x in r["sections"]["criminal"]["countries"]
            if x["country_code"] != "US"}
def table(name):
    return list(csv.DictReader(open(os.path.join(src, name), encoding="utf-8")))

# by half-year
for row in table("by_calendar_year_half__requests_received_and_disclosed_by_calendar_year_half.csv"):
    p = "%s-H%s" % (row["year"], row["half"])
    bp = by_process(report(p)).get(PROC[row["type"].strip()], {"received": 0, "disclosed": 0})
    check(bp["received"], int(row["count_requests_received"]), "%s %s received" % (p, row["type"]))
    check(bp["disclosed"], int(row["count_disclosed"]), "%s %s disclosed" % (p, row["type"]))
for row in table("by_calendar_year_half__cross_border_data_requests_by_calendar_year_half.csv"):
    p = "%s-H%s" % (row["year"], row["half"])
    check(xborder(report(p)).get(row["government_iso2_code"]), int(row["count"]),
          "%s cross-border %s" % (p, row["government_iso2_code"]))
for row in table("by_calendar_year_half__requests_accounts_affected_by_calendar_year_half.csv"):
    p = "%s-H%s" % (row["year"], row["half"])
    check(report(p)["total"]["accounts"], int(row["count_accounts_affected"]), "%s accounts" % p)

# by year, where both halves are on record
for year in ("2023", "2024"):
    h1, h2 = report(year + "-H1"), report(year + "-H2")
    for row in table("requests_received_and_disclosed.csv"):
        if row["year"] != year:
            continue
        proc = PROC[row["type"].strip()]
        for col, key in (("count_requests_received", "received"), ("count_disclosed", "disclosed")):
            got = sum(by_process(r).get(proc, {key: 0})[key] for r in (h1, h2))
            check(got, int(row[col]), "%s %s %s" % (year, row["type"], key))
    for row in table("cross_border_data_requests.csv"):
        if row["year"] == year:
            got = sum(xborder(r).get(row["government_iso2_code"], 0) for r in (h1, h2))
            check(got, int(row["count"]), "%s cross-border %s" % (year, row["government_iso2_code"]))
    for row in table("requests_accounts_affected.csv"):
        if row["year"] == year:
            check(h1["total"]["accounts"] + h2["total"]["accounts"],
                  int(row["count_accounts_affected"]), "%s accounts" % year)

# national security, bands of 250, all process combined
for row in table("national_security_letters_and_orders.csv"):
    p = "%s-H%d" % (row["year"], 1 if row["month_range"].startswith("Jan") else 2)
    ns = report(p)["national_security"]
    assert ns["band_width"] == 250 and ns["combined"] and len(ns["figures"]) == 1, ns
    fig = ns["figures"][0]
    key = "orders" if "received" in row["type"] else "accounts"
    check(fig[key], row["count"], "%s national security %s" % (p, key))
    # never an exact number: not in any table of the report
    assert "nsl" not in by_process(report(p)) and "fisa_order" not in by_process(report(p))
print("reproduced %d published cells" % cells)
assert cells == 196, cells          # every cell listed above
PY
ok

# The CSV of a half-year agrees with its JSON (same records, same checkpoint).
expect_exit 0 "csv 2025-H1" -- docket report --period 2025-H1 --format csv
expect_contains "$T_OUT" "2025-H1,criminal,IN,India,10," "India's ten cross-border requests"
expect_contains "$T_OUT" "2025-H1,criminal,KR,\"Korea, Republic of\",1," "a quoted name"
expect_contains "$T_OUT" "2025-H1,civil,US,United States,16," "civil subpoenas"
done_testing
