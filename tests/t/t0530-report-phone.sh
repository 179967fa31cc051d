#!/usr/bin/env bash
# The HTML transparency report on a phone and on paper (SPEC §7), in
# headless Chromium: at 360 px wide nothing scrolls sideways (the page is
# no wider than its 360 px frame, whatever the tables and charts), the page
# leads with the share of requests where some data was produced, defines
# its columns, says how to verify it, marks a half-year still open as
# partial, and prints to PDF.  A screenshot at 360 px and the PDF are kept
# as test artefacts in $DOCKET_BUILD_DIR/artefacts/.
. "$(dirname "$0")/lib.sh"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || { echo "skip: chromium is not installed"; exit 77; }
# the report is made on its publication day, after the requests it counts
# (an import refuses a request received in the future)
export DOCKET_NOW=2026-11-02T12:00:00Z
setup_db
load_fixtures
export DOCKET_USER=root

# wide figures: long country names, big numbers, every process
python3 - <<'PY'
import json
rows = []
procs = [("criminal", "subpoena"), ("criminal", "search_warrant"), ("criminal", "court_order"),
         ("criminal", "cloud_act_order"), ("criminal", "eu_production_order"),
         ("emergency", "emergency"), ("civil", "civil_subpoena")]
for i, cc in enumerate(["US", "GB", "DE", "FR", "CD", "VC", "BA", "GS"]):
    for k in range(12):
        kind, proc = procs[(i + k) % len(procs)]
        rows.append({"ref": "P-%s-%d" % (cc, k), "country": cc, "kind": kind, "process": proc,
                     "received_at": "2026-0%d-10" % (k % 3 + 7),
                     "targets": [{"type": "email", "value": "p%d@%s.test" % (k, cc.lower())}],
                     "categories": ["subscriber", "content"] if k % 4 == 3 else ["subscriber"],
                     "outcome": ["noncontent_only", "rejected", "no_data", "content"][k % 4],
                     "closed_at": "2026-10-01"})
with open("hist.jsonl", "w") as f:
    f.write("\n".join(json.dumps(r) for r in rows) + "\n")
PY
docket request import hist.jsonl >/dev/null || { echo "import failed" >&2; exit 1; }
# 2026-H2 published on 2026-11-02: still open, so partial
expect_exit 0 "html report" -- docket report --period 2026-H2 --format html --published 2026-11-02 --out report.html

grep -q '<script' report.html && not_ok "the report itself has no script" || ok
grep -q 'transparency report, 2026-H2 (partial)' report.html && ok || not_ok "open half-year marked partial"
grep -q 'Share of requests where some data was produced' report.html && ok || not_ok "headline"
grep -q 'id="definitions"' report.html && ok || not_ok "definitions"
grep -q 'Search warrant' report.html && ! grep -q '>search_warrant<' report.html && ok || not_ok "processes in words"
grep -q 'docket log verify' report.html && grep -q "$(docket log key)" report.html && ok || not_ok "how to verify, with the key"
pct=$(sed 's/<[^>]*>/ /g' report.html | grep -oE '[0-9]+\.[0-9]{2,}%' | head -1)
[ -z "$pct" ] && ok || not_ok "percentages have one decimal (found $pct)"

browse() {
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$T_DIR/profile" "$@" 2>>"$T_DIR/chromium.log"
}
# Headless Chromium will not make a window narrower than 500 px, so the
# page is shown in a 360 px frame of a probe page (the report itself has no
# script); the probe reads the frame's document: its scroll width against
# the frame's, and the element reaching furthest right.
cat >probe.html <<'HTML'
<!DOCTYPE html><html><body style="margin:0">
<iframe id=f src="report.html" style="width:360px;height:800px;border:0"></iframe>
<pre id=probe></pre>
<script>
document.getElementById("f").addEventListener("load", function () {
  var doc = this.contentDocument, d = doc.documentElement, worst = "", w = 0;
  doc.querySelectorAll("body *").forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.right > w) { w = r.right; worst = e.tagName + "." + e.className + "#" + e.id; }
  });
  document.getElementById("probe").textContent = "inner=" + this.contentWindow.innerWidth +
    " scroll=" + d.scrollWidth + " right=" + Math.ceil(w) + " widest=" + worst;
});
</script></body></html>
HTML
browse --allow-file-access-from-files --window-size=800,900 --virtual-time-budget=3000 \
  --dump-dom "file://$T_DIR/probe.html" >dom.html
m=$(grep -o 'inner=[0-9]* scroll=[0-9]* right=[0-9]* widest=[^<]*' dom.html)
echo "# at 360 px: $m"
python3 - "$m" <<'PY' && ok || not_ok "no sideways scrolling at 360 px ($m)"
import re, sys
v = dict(re.findall(r"(\w+)=(\S+)", sys.argv[1]))
assert int(v["inner"]) == 360, v
assert int(v["scroll"]) <= int(v["inner"]) and int(v["right"]) <= int(v["inner"]), v
PY

# the same frame, photographed
cat >frame.html <<'HTML'
<!DOCTYPE html><html><body style="margin:0;background:#888">
<iframe src="report.html" style="width:360px;height:3000px;border:0;background:#fff"></iframe>
</body></html>
HTML
ART="${DOCKET_BUILD_DIR:-$T_DIR}/artefacts"
mkdir -p "$ART"
browse --allow-file-access-from-files --window-size=500,3000 --screenshot="$ART/report-360.png" \
  "file://$T_DIR/frame.html" >/dev/null
size=$(stat -c %s "$ART/report-360.png" 2>/dev/null || echo 0)
[ "$size" -gt 10000 ] && ok || not_ok "screenshot at 360 px ($size bytes)"
browse --print-to-pdf="$ART/report.pdf" --no-pdf-header-footer "file://$T_DIR/report.html" >/dev/null
head -c 5 "$ART/report.pdf" | grep -q '%PDF-' && ok || not_ok "the page prints to PDF"
pages=$(grep -ao '/Count [0-9]*' "$ART/report.pdf" | sort -k2 -n | tail -1 | cut -d' ' -f2)
echo "# printed: $pages pages; artefacts in $ART"
[ "${pages:-0}" -ge 1 ] && ok || not_ok "the PDF has pages"
done_testing
