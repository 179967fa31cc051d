#!/usr/bin/env bash
# The HTML transparency report in a real browser (headless Chromium): it
# renders with no script in it, its inline SVG charts are in the rendered page
# with one bar per country and the right totals, and it prints to PDF.
. "$(dirname "$0")/lib.sh"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || { echo "skip: chromium is not installed"; exit 77; }
setup_db
load_fixtures
export DOCKET_USER=root

python3 - <<'PY'
import json
rows = []
for i, (cc, n) in enumerate([("US", 7), ("DE", 4), ("FR", 2)]):
    for k in range(n):
        rows.append({"ref": "B-%s-%d" % (cc, k), "country": cc, "kind": "criminal",
                     "process": "subpoena" if cc == "US" else "foreign_order",
                     "received_at": "2026-0%d-10" % (k % 5 + 1),
                     "targets": [{"type": "email", "value": "b%d@%s.test" % (k, cc.lower())}],
                     "categories": ["subscriber"], "outcome": "noncontent_only" if k % 2 else "rejected",
                     "closed_at": "2026-06-20"})
with open("hist.jsonl", "w") as f:
    f.write("\n".join(json.dumps(r) for r in rows) + "\n")
PY
DOCKET_NOW=2026-07-01T00:00:00Z docket request import hist.jsonl >/dev/null || { echo "import failed" >&2; exit 1; }
expect_exit 0 "html report" -- docket report --period 2026-H1 --format html --out report.html

browse() {
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$T_DIR/profile" "$@" 2>"$T_DIR/chromium.log"
}
browse --dump-dom "file://$T_DIR/report.html" >dom.html
python3 - dom.html <<'PY' && ok || not_ok "rendered page has the charts and figures"
import re, sys
dom = open(sys.argv[1]).read()
svgs = re.findall(r"<svg\b.*?</svg>", dom, re.S)
assert len(svgs) >= 3, "expected the outcome, country and trend charts, got %d" % len(svgs)
by_country = next(s for s in svgs if "United States" in s and "Germany" in s)
for name, n in (("United States", 7), ("Germany", 4), ("France", 2)):
    assert name in by_country, name
    assert re.search(r">\s*%d\s*<" % n, by_country), "%s bar labelled %d" % (name, n)
assert "<script" not in dom.lower(), "the page must not need JavaScript"
assert "13" in dom
PY
browse --window-size=1200,1600 --screenshot="$T_DIR/report.png" "file://$T_DIR/report.html" >/dev/null
size=$(stat -c %s report.png 2>/dev/null || echo 0)
[ "$size" -gt 20000 ] && ok || not_ok "screenshot rendered ($size bytes)"
browse --print-to-pdf="$T_DIR/report.pdf" --no-pdf-header-footer "file://$T_DIR/report.html" >/dev/null
head -c 5 report.pdf | grep -q '%PDF-' && ok || not_ok "the page prints to PDF"
done_testing
