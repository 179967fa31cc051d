#!/usr/bin/env bash
# Publishing the transparency report (SPEC §9: role compliance; §13):
# the exact bytes are stored and their SHA-256 logged in the same unit of
# work, from the command line, the API and the page; a published report is
# served byte for byte with its hash; another role is refused and nothing
# changes; log verify finds a published report changed afterwards.
T_HERE=$(cd "$(dirname "$0")" && pwd)
. "$T_HERE/lib.sh"
. "$T_HERE/serve.sh"
export DOCKET_NOW=2026-07-02T12:00:00Z
setup_db
load_fixtures
printf '{"ref":"P-1","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2026-03-01T10:00:00Z","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' >p.json
docket --as intake-1 request add p.json >/dev/null

# --- the command line ---------------------------------------------------------
before=$(db_fingerprint)
expect_exit 5 "an auditor may not publish" -- docket --as auditor-1 report --period 2026-H1 --publish
expect_contains "$T_ERR" "needs the role compliance" "the refusal names the role"
expect_eq "$(db_fingerprint)" "$before" "a refused publication changes nothing"
expect_exit 2 "--publish with --out" -- docket --as compliance-1 report --period 2026-H1 --publish --out x.html
expect_exit 0 "compliance publishes the HTML report" -- docket --as compliance-1 report --period 2026-H1 --format html --publish
expect_contains "$T_OUT" "published report 1: 2026-H1 as html" "the publication is numbered"
sha=$(printf '%s' "$T_OUT" | sed -n 's/.*sha256 \([0-9a-f]\{64\}\).*/\1/p')
expect_eq "${#sha}" 64 "its SHA-256 is printed"
entry=$(db_sql "SELECT max(idx) FROM log_entry")
expect_exit 0 "the log entry" -- docket log entry "$entry"
expect_contains "$T_OUT" '"type":"report.published"' "the publication is logged"
expect_contains "$T_OUT" "\"sha256\":\"$sha\"" "with the hash of the bytes"
expect_exit 0 "json publication" -- docket --as compliance-1 --json report --period 2026-H1 --publish
expect_eq "$(printf '%s' "$T_OUT" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["publication"], j["format"])')" "2 json" "a second publication, as JSON"
expect_exit 0 "log verify after publishing" -- docket log verify

# --- the API -------------------------------------------------------------------
serve_start
tc=$(token_for compliance-1); ta=$(token_for auditor-1)
api POST /api/v1/publications -H "Authorization: Bearer $ta" -H 'Content-Type: application/json' -d '{"period":"2026-H1"}'
expect_status 403 "an auditor may not publish over the API"
api POST /api/v1/publications -H "Authorization: Bearer $tc" -H 'Content-Type: application/json' -d '{"period":"2026-H3"}'
expect_status 422 "a bad period"
expect_eq "$(json_get 'j["error"]["field"]')" period "the field is named"
api POST /api/v1/publications -H "Authorization: Bearer $tc" -H 'Content-Type: application/json' -d '{"period":"2026-H1","format":"pdf"}'
expect_status 422 "a bad format"
expect_eq "$(json_get 'j["error"]["field"]')" format "the format field is named"
api POST /api/v1/publications -H "Authorization: Bearer $tc" -H 'Content-Type: application/json' -d '{"period":"2026-H1","format":"csv"}'
expect_status 201 "compliance publishes the CSV"
expect_contains "$H_HEADERS" "Location: /api/v1/publications/3" "Location"
csv_sha=$(json_get 'j["sha256"]')
api GET /api/v1/publications/3 -H "Authorization: Bearer $ta"
expect_status 200 "any role reads a published report"
expect_eq "$(sha256sum "$T_DIR/.b" | cut -c1-64)" "$csv_sha" "the bytes served are the bytes published"
expect_contains "$H_HEADERS" "X-Docket-SHA256: $csv_sha" "with their hash"
expect_contains "$(head -1 "$T_DIR/.b")" "period,section,country_code" "the SPEC's CSV"
api GET /api/v1/publications/1 -H "Authorization: Bearer $ta"
expect_eq "$(sha256sum "$T_DIR/.b" | cut -c1-64)" "$sha" "the command line's publication, byte for byte"
api GET /api/v1/publications -H "Authorization: Bearer $ta"
expect_status 200 "the list"
expect_eq "$(json_get '[p["id"] for p in j["publications"]]')" "[3, 2, 1]" "newest first"
api GET /api/v1/publications/99 -H "Authorization: Bearer $ta"
expect_status 404 "no such publication"
serve_stop

# --- changed afterwards ----------------------------------------------------------
expect_exit 0 "log verify" -- docket log verify
db_sql "UPDATE report_publication SET published_by = 'someone' WHERE id = 1" >/dev/null
expect_exit 3 "a changed publication is found" -- docket log verify
expect_contains "$T_OUT" "report_publication" "the table is named"
done_testing
