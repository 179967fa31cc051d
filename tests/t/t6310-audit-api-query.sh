#!/usr/bin/env bash
# The query of GET /api/v1/requests as SPEC §12 writes it
# (`?state=&country=&due_before=&q=&limit=&cursor=`): an empty parameter is
# no filter, on every list.
T_HERE=$(cd "$(dirname "$0")" && pwd)
. "$T_HERE/lib.sh"
. "$T_HERE/serve.sh"
setup_db
load_fixtures
IN=$(token_for intake-1)
AUD=$(token_for auditor-1)
as() { api "$@" -H "Authorization: Bearer $AUD"; }
req() {  # req REF
  printf '{"ref":"%s","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2026-03-01T10:00:00Z","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' "$1"
}
serve_start 2>/dev/null
for r in Q-1 Q-2 Q-3; do
  api POST /api/v1/requests -H "Authorization: Bearer $IN" -H 'Content-Type: application/json' -d "$(req $r)"
done
expect_status 201 "three requests taken in"

# --- empty parameters are no filter ---------------------------------------------------
as GET '/api/v1/requests?state=&country=&due_before=&q=&limit=&cursor='
expect_status 200 "the list's query as SPEC §12 writes it"
expect_eq "$(json_get 'len(j["requests"])')" 3 "every request"
expect_eq "$(json_get 'j["next"]')" None "one page"
for p in state kind country from to period due_before q limit cursor; do
  as GET "/api/v1/requests?$p="
  expect_status 200 "an empty $p"
done
as GET '/api/v1/requests?state=&limit=2'
expect_eq "$(json_get 'len(j["requests"])')" 2 "an empty state beside a limit"
as GET '/api/v1/notices?state=&request='
expect_status 200 "empty notice filters"
as GET '/api/v1/ndos?request='
expect_status 200 "an empty ndo filter"
as GET '/api/v1/reports/2026-H1?format=&band=&table=&published='
expect_status 200 "empty report options"
expect_contains "$H_HEADERS" "Content-Type: application/json" "the default format"

serve_stop
done_testing
