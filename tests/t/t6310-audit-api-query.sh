#!/usr/bin/env bash
# The query of GET /api/v1/requests as SPEC §12 writes it
# (`?state=&country=&due_before=&q=&limit=&cursor=`): an empty parameter is
# no filter, on every list; a bad parameter is 400 and the error's "field"
# names it, as a body's bad field is named (SPEC §12 error format).
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

# --- a bad parameter names its field --------------------------------------------------
check() {  # check QUERY FIELD
  as GET "$1"
  expect_status 400 "$1"
  expect_eq "$(json_get 'j["error"]["field"]')" "$2" "$1 names the field"
  expect_eq "$(json_get 'j["error"]["code"]')" usage_error "$1 is a usage error"
}
check '/api/v1/requests?limit=0' limit
check '/api/v1/requests?limit=1001' limit
check '/api/v1/requests?limit=-1' limit
check '/api/v1/requests?limit=99999999999999999999999' limit
check '/api/v1/requests?cursor=x' cursor
check '/api/v1/requests?state=lost' state
check '/api/v1/requests?kind=lost' kind
check '/api/v1/requests?country=XX' country
check '/api/v1/requests?due_before=soon' due_before
check '/api/v1/requests?from=2026-13-01' from
check '/api/v1/requests?to=yesterday' to
check '/api/v1/requests?period=2026-H3' period
check "/api/v1/requests?q=$(head -c 300 /dev/zero | tr '\0' a)" q
check '/api/v1/notices?state=lost' state
check '/api/v1/notices?request=x' request
check '/api/v1/reports/2026-H1?format=xml' format
check '/api/v1/reports/2026-H1?band=7' band
check '/api/v1/reports/2026-H1?format=json&table=countries' table

serve_stop
done_testing
