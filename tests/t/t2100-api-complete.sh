#!/usr/bin/env bash
# SPEC §12: every command has an endpoint.  The endpoints for reference
# data and the remaining request steps, over the real `docket serve`:
# customer, agency, vault and historical-request imports (JSON Lines
# bodies), customer and agency lists and shows, the rules, and request
# void, amend, investigation-closed and per-target decisions.  Each is
# checked for its success (status and body, and that it is what the command
# shows), a missing role (403), bad input (400/415/422 naming the field),
# an unknown id (404), that a refusal changes nothing, and that the log
# verifies after.
T_HERE=$(cd "$(dirname "$0")" && pwd)
. "$T_HERE/lib.sh"
. "$T_HERE/serve.sh"
setup_db

declare -A T
for r in root intake-1 reviewer-1 approver-1 approver-2 auditor-1; do T[$r]=$(token_for "$r"); done
as() { local who=$1; shift; api "$@" -H "Authorization: Bearer ${T[$who]}"; }
post() {  # post WHO PATH JSON
  as "$1" POST "$2" -H 'Content-Type: application/json' -d "$3"
}
jsonl() {  # jsonl WHO PATH FILE [CONTENT-TYPE]
  as "$1" POST "$2" -H "Content-Type: ${4:-application/x-ndjson}" --data-binary "@$3"
}
same_as_cli() {  # same_as_cli DESCRIPTION CLI-ARGS...: the last body is what the command prints
  local what=$1
  shift
  docket --as auditor-1 --json "$@" >cli.json
  python3 - "$T_DIR/.b" cli.json <<'PY' && ok || not_ok "$what: the API answers what the command prints"
import json, sys
assert json.load(open(sys.argv[1])) == json.load(open(sys.argv[2]))
PY
}
serve_start

# --- imports: customers, agencies (JSON Lines) ------------------------------
cat >customers.jsonl <<'JSON'
{"id":"c-alice","name":"Alice Example","type":"consumer","country":"US","data_location":"US","us_person":true,"contact":{"email":"alice@example.net"},"accounts":[{"type":"email","value":"alice@example.net"}]}
{"id":"c-contoso","name":"Contoso Ltd","type":"enterprise","country":"US","data_location":"US","us_person":true,"contact":{"email":"legal@contoso.com","name":"Contoso Legal"},"accounts":[{"type":"email","value":"bob@contoso.com"},{"type":"username","value":"contoso-admin"}]}
{"id":"c-hans","name":"Hans Beispiel","type":"consumer","country":"DE","data_location":"IE","us_person":false,"contact":{"email":"hans@example.de"},"accounts":[{"type":"email","value":"hans@example.de"}]}
JSON
cat >agencies.jsonl <<'JSON'
{"id":"us-lapd","name":"Los Angeles Police Department","country":"US","type":"law_enforcement","domains":["lapd.gov"],"phone":"+1 213 555 0100"}
{"id":"de-bka","name":"Bundeskriminalamt","country":"DE","type":"law_enforcement","domains":["bka.bund.de"],"phone":"+49 611 550"}
{"id":"us-fbi","name":"Federal Bureau of Investigation","country":"US","type":"national_security","domains":["fbi.gov"],"phone":"+1 202 555 0101"}
JSON
{ head -1 customers.jsonl; echo '{"id":"c-bad","name":"X","type":"martian","country":"US","contact":{"email":"x@y.z"},"accounts":[]}'; } >bad.jsonl

before=$(db_fingerprint)
jsonl intake-1 /api/v1/customers customers.jsonl
expect_status 403 "customer import needs admin"
jsonl root /api/v1/customers customers.jsonl application/json
expect_status 415 "an import is JSON Lines, not application/json"
jsonl root /api/v1/customers bad.jsonl
expect_status 422 "a bad customer line"
expect_eq "$(json_get 'j["error"]["field"]')" type "the field is named"
expect_contains "$(json_get 'j["error"]["message"]')" "body:2" "the line is named"
jsonl root "/api/v1/customers?update=maybe" customers.jsonl
expect_status 400 "a bad update parameter"
expect_eq "$(db_fingerprint)" "$before" "refused imports change nothing"
jsonl root /api/v1/customers customers.jsonl
expect_status 200 "customer import"
expect_eq "$(json_get '(j["imported"], j["count"], j["unchanged"])')" "('customer', 3, 0)" "three customers"
jsonl root /api/v1/customers customers.jsonl application/jsonl
expect_status 200 "customer import again (application/jsonl)"
expect_eq "$(json_get '(j["count"], j["unchanged"])')" "(0, 3)" "nothing new"
sed 's/Alice Example/Alice Q. Example/' customers.jsonl >changed.jsonl
jsonl root /api/v1/customers changed.jsonl
expect_status 422 "a changed customer needs update"
expect_contains "$(json_get 'j["error"]["message"]')" "import again with ?update=1" "the API spells the remedy"
jsonl root "/api/v1/customers?update=1" changed.jsonl
expect_status 200 "customer import with update"
expect_eq "$(json_get 'j["updated"]')" 1 "one updated"
jsonl root /api/v1/agencies agencies.jsonl application/jsonl
expect_status 200 "agency import"
expect_eq "$(json_get '(j["imported"], j["count"])')" "('agency', 3)" "three agencies"
echo '{"id":"xx-1","name":"X","country":"XX","type":"court","domains":["a.gov"]}' >badag.jsonl
jsonl root /api/v1/agencies badag.jsonl
expect_status 422 "an agency of an unknown country"
expect_eq "$(json_get 'j["error"]["field"]')" country "names country"
head -c $((26 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >big.jsonl
jsonl root /api/v1/agencies big.jsonl
expect_status 413 "an import over the cap"

# --- vault -------------------------------------------------------------------
item() { printf '{"account":{"type":"email","value":"%s"},"category":"%s","kind":"%s","created_at":"2026-01-15T00:00:00Z","location":"US","data":"%s"}\n' "$@"; }
{ item alice@example.net content email_message "alice's mail"
  item alice@example.net subscriber profile "alice"
  item bob@contoso.com content email_message "contoso's mail"; } >vault.jsonl
item nobody@example.org content email_message "x" >badvault.jsonl
jsonl approver-1 /api/v1/vault vault.jsonl
expect_status 403 "vault import needs admin"
jsonl root /api/v1/vault badvault.jsonl
expect_status 422 "an item of no customer's account"
jsonl root /api/v1/vault vault.jsonl
expect_status 200 "vault import"
expect_eq "$(json_get 'j["count"]')" 3 "three items"
expect_eq "$(json_get 'j["file"]')" "sha256:$(sha256sum vault.jsonl | cut -d' ' -f1)" "the file's digest"
jsonl root /api/v1/vault vault.jsonl
expect_status 409 "the same file twice"

# --- historical requests ------------------------------------------------------
cat >hist.jsonl <<'JSON'
{"ref":"H-1","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2025-02-01","targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"],"outcome":"rejected","closed_at":"2025-02-10"}
{"ref":"H-2","agency":"de-bka","kind":"emergency","process":"emergency","received_at":"2025-09-01","targets":[{"type":"email","value":"hans@example.de"}],"categories":["subscriber"],"outcome":"no_data","closed_at":"2025-09-01"}
JSON
echo '{"ref":"H-9","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2025-01-01","targets":[],"categories":["subscriber"],"outcome":"rejected"}' >noclose.jsonl
jsonl intake-1 /api/v1/requests/import hist.jsonl
expect_status 403 "request import needs admin"
jsonl root /api/v1/requests/import noclose.jsonl
expect_status 422 "a historical request without closed_at"
expect_eq "$(json_get 'j["error"]["field"]')" closed_at "names closed_at"
jsonl root /api/v1/requests/import hist.jsonl
expect_status 200 "request import"
expect_eq "$(json_get '(j["imported"], j["already_stored"])')" "(2, 0)" "two imported"
jsonl root /api/v1/requests/import hist.jsonl
expect_eq "$(json_get '(j["imported"], j["already_stored"])')" "(0, 2)" "again: skipped"
# the list's filters of `request list`: kind, from, to, period
as auditor-1 GET "/api/v1/requests?kind=emergency"
expect_eq "$(json_get '[r["ref"] for r in j["requests"]]')" "['H-2']" "by kind"
as auditor-1 GET "/api/v1/requests?period=2025-H1"
expect_eq "$(json_get '[r["ref"] for r in j["requests"]]')" "['H-1']" "by half-year"
as auditor-1 GET "/api/v1/requests?from=2025-08-01&to=2026-01-01"
expect_eq "$(json_get '[r["ref"] for r in j["requests"]]')" "['H-2']" "by the dates received"
as auditor-1 GET "/api/v1/requests?kind=gossip"
expect_status 400 "an unknown kind"
as auditor-1 GET "/api/v1/requests?from=soon"
expect_status 400 "a bad date"
as auditor-1 GET "/api/v1/requests?period=2025-Q3"
expect_status 400 "a bad period"

# --- customers, agencies, rules: reading --------------------------------------
api GET /api/v1/customers
expect_status 401 "not signed in"
as auditor-1 GET /api/v1/customers
expect_status 200 "customer list"
expect_eq "$(json_get '[c["id"] for c in j["customers"]]')" "['c-alice', 'c-contoso', 'c-hans']" "every customer"
docket --as auditor-1 --json customer list >cli.json
python3 - "$T_DIR/.b" cli.json <<'PY' && ok || not_ok "customer list: the API answers what the command prints"
import json, sys
assert json.load(open(sys.argv[1]))["customers"] == json.load(open(sys.argv[2]))
PY
as auditor-1 GET "/api/v1/customers?q=contoso"
expect_eq "$(json_get '[c["id"] for c in j["customers"]]')" "['c-contoso']" "customer search"
as auditor-1 GET /api/v1/customers/c-alice
expect_status 200 "customer show"
same_as_cli "customer show" customer show c-alice
expect_eq "$(json_get 'j["name"]')" "Alice Q. Example" "the updated name"
as auditor-1 GET /api/v1/customers/c-nobody
expect_status 404 "no such customer"
as auditor-1 GET /api/v1/agencies
expect_status 200 "agency list"
expect_eq "$(json_get 'len(j["agencies"])')" 3 "every agency"
as auditor-1 GET "/api/v1/agencies?q=bka"
expect_eq "$(json_get '[a["id"] for a in j["agencies"]]')" "['de-bka']" "agency search"
as auditor-1 GET "/api/v1/agencies?q=$(head -c 300 /dev/zero | tr '\0' a)"
expect_status 400 "a search over its cap"
as auditor-1 GET /api/v1/agencies/us-lapd
expect_status 200 "agency show"
same_as_cli "agency show" agency show us-lapd
as auditor-1 GET /api/v1/agencies/xx-none
expect_status 404 "no such agency"
as auditor-1 GET /api/v1/rules
expect_status 200 "rules list"
docket --as auditor-1 --json rules list >cli.json
python3 - "$T_DIR/.b" cli.json <<'PY' && ok || not_ok "rules list: the API answers what the command prints"
import json, sys
a = json.load(open(sys.argv[1]))["rules"]
assert a == json.load(open(sys.argv[2])) and len(a) > 10
PY
as auditor-1 GET /api/v1/rules/GEN-ENTERPRISE
expect_status 200 "rule show"
same_as_cli "rules show" rules show GEN-ENTERPRISE
as auditor-1 GET /api/v1/rules/NO-SUCH-RULE
expect_status 404 "no such rule"

# --- request void --------------------------------------------------------------
req() {  # req REF PROCESS TARGETS
  printf '{"ref":"%s","agency":"us-lapd","kind":"criminal","process":"%s","received_at":"2026-03-01T10:00:00Z","signed":true,"issued_by":{"type":"court","name":"Superior Court","judge":"Hon. A. Lee"},"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":%s,"categories":["subscriber","content"]}' "$1" "$2" "$3"
}
ALICE='[{"type":"email","value":"alice@example.net"}]'
post intake-1 /api/v1/requests "$(req V-1 search_warrant "$ALICE")"
v=$(json_get 'j["id"]')
before=$(db_fingerprint)
post intake-1 "/api/v1/requests/$v/void" '{"reason":"duplicate of V-0"}'
expect_status 403 "intake may not void"
post reviewer-1 "/api/v1/requests/$v/void" '{}'
expect_status 422 "void needs a reason"
expect_eq "$(json_get 'j["error"]["field"]')" reason "names reason"
post reviewer-1 "/api/v1/requests/$v/void" '{"reason":"duplicate","why":"x"}'
expect_status 422 "an unknown field"
post reviewer-1 "/api/v1/requests/$v/void" '{"reason":'
expect_status 400 "JSON that does not parse"
expect_eq "$(db_fingerprint)" "$before" "refused voids change nothing"
post reviewer-1 /api/v1/requests/999/void '{"reason":"duplicate of V-0"}'
expect_status 404 "void an unknown request"
post reviewer-1 "/api/v1/requests/$v/void" '{"reason":"duplicate of V-0"}'
expect_status 200 "void"
expect_eq "$(json_get '[(h["event"], h.get("reason")) for h in j["history"]][-1]')" "('void', 'duplicate of V-0')" "the stored request's history ends with the void"
expect_eq "$(json_get 'j["void"]')" True "the stored request says it is void"
post reviewer-1 "/api/v1/requests/$v/void" '{"reason":"again"}'
expect_status 409 "void twice"
db_log_entries | grep -q "\"request\":$v,.*\"type\":\"request.void\"" && ok || not_ok "the void is in the log"

# --- request amend -----------------------------------------------------------------
post intake-1 /api/v1/requests "$(req A-1 subpoena '[{"type":"email","value":"alise@example.net"}]')"
a=$(json_get 'j["id"]')
amend=$(req A-1 search_warrant "$ALICE" | python3 -c 'import json,sys; d=json.load(sys.stdin); d["reason"]="process and target mistyped at intake"; print(json.dumps(d))')
bad=$(req A-1 warant "$ALICE")
before=$(db_fingerprint)
post reviewer-1 "/api/v1/requests/$a/amendment" "$amend"
expect_status 403 "a reviewer may not amend"
post intake-1 "/api/v1/requests/$a/amendment" "$bad"
expect_status 422 "an invalid document"
expect_eq "$(json_get 'j["error"]["field"]')" process "names process"
post intake-1 "/api/v1/requests/$a/amendment" 'not json'
expect_status 400 "a body that does not parse"
post intake-1 "/api/v1/requests/$a/amendment" '{"reason":5}'
expect_status 422 "a reason that is not a string"
expect_eq "$(json_get 'j["error"]["field"]')" reason "names reason"
expect_eq "$(db_fingerprint)" "$before" "refused amendments change nothing"
post intake-1 /api/v1/requests/999/amendment "$amend"
expect_status 404 "amend an unknown request"
post intake-1 "/api/v1/requests/$a/amendment" "$amend"
expect_status 200 "amend"
expect_eq "$(json_get 'j["process"]')" search_warrant "the amended process"
expect_eq "$(json_get 'j["targets"][0]["value"]')" alice@example.net "the amended target"
expect_eq "$(json_get '[h["reason"] for h in j["history"] if h["event"] == "amend"]')" "['process and target mistyped at intake']" "the reason is in the history"
same_as_cli "amended request" request show "$a"
# request show ID|REF: the reference names the request too
as auditor-1 GET /api/v1/requests/A-1
expect_status 200 "show by reference"
expect_eq "$(json_get 'j["id"]')" "$a" "the request of that reference"
as auditor-1 GET "/api/v1/requests/A%2D1"
expect_eq "$H_STATUS $(json_get 'j.get("id")')" "200 $a" "a URL-encoded reference"
as auditor-1 GET /api/v1/requests/NOPE-9
expect_status 404 "no request of that reference"
as auditor-1 GET /api/v1/requests/A%zz
expect_status 404 "a bad escape names nothing"

# --- per-target decisions ---------------------------------------------------------
post intake-1 /api/v1/requests "$(req MIX-1 search_warrant '[{"type":"email","value":"alice@example.net"},{"type":"email","value":"bob@contoso.com"}]')"
m=$(json_get 'j["id"]')
post reviewer-1 "/api/v1/requests/$m/decision" '{"action":"redirect","target":"carol@example.com","reason":"x"}'
expect_status 404 "an unknown target"
post reviewer-1 "/api/v1/requests/$m/decision" '{"action":"redirect","target":7,"reason":"x"}'
expect_status 422 "a target that is not a string"
expect_eq "$(json_get 'j["error"]["field"]')" target "names target"
post reviewer-1 "/api/v1/requests/$m/decision" '{"action":"approve","target":"bob@contoso.com","reason":"x"}'
expect_status 400 "a target goes with redirect or reject"
post intake-1 "/api/v1/requests/$m/decision" '{"action":"redirect","target":"bob@contoso.com","reason":"x"}'
expect_status 403 "intake may not decide"
post reviewer-1 "/api/v1/requests/$m/decision" '{"action":"redirect","target":" Bob@Contoso.com","reason":"seek it from Contoso (DOJ CCIPS 2017)"}'
expect_status 200 "redirect one target"
expect_eq "$(json_get '(j["state"], [t.get("decision", "-") for t in j["resolution"]])')" "('in_review', ['-', 'redirect'])" "the request stays in review; the target is redirected"
post reviewer-1 "/api/v1/requests/$m/decision" '{"action":"reject","target":"alice@example.net","reason":"x"}'
expect_status 409 "the last open target"
expect_contains "$(json_get 'j["error"]["message"]')" "POST /api/v1/requests/$m/decision without a target" "the API spells the remedy"
post reviewer-1 "/api/v1/requests/$m/decision" '{"action":"approve","reason":"valid warrant for Alice"}'
expect_status 200 "approve the rest"
post intake-1 "/api/v1/requests/$m/amendment" "$amend"
expect_status 409 "no amending after a review decision"
expect_contains "$(json_get 'j["error"]["message"]')" "POST /api/v1/requests/$m/void" "points to void"

# --- investigation closed (US-NSL) --------------------------------------------------
post intake-1 /api/v1/requests '{"ref":"NSL-1","agency":"us-fbi","kind":"national_security","process":"nsl","received_at":"2026-03-02T10:00:00Z","requester":{"name":"SA","email":"sa@fbi.gov"},"issued_by":{"type":"agency","name":"FBI"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"],"ndo":{"statute":"18 U.S.C. 2709(c)","issued_at":"2026-03-01"}}'
expect_status 201 "an NSL"
n=$(json_get 'j["id"]')
before=$(db_fingerprint)
post intake-1 "/api/v1/requests/$n/investigation-closed" '{"on":"2026-03-01"}'
expect_status 403 "intake may not record the close"
post reviewer-1 "/api/v1/requests/$n/investigation-closed" '{"on":"yesterday"}'
expect_status 422 "a bad date"
expect_eq "$(json_get 'j["error"]["field"]')" on "names on"
post reviewer-1 "/api/v1/requests/$n/investigation-closed" '{"on":"2026-07-01"}'
expect_status 422 "not in the future"
expect_eq "$(db_fingerprint)" "$before" "refused steps change nothing"
post reviewer-1 /api/v1/requests/999/investigation-closed '{}'
expect_status 404 "an unknown request"
post reviewer-1 "/api/v1/requests/$a/investigation-closed" '{}'
expect_status 409 "only for NSLs"
post reviewer-1 "/api/v1/requests/$n/investigation-closed" '{"on":"2026-03-01"}'
expect_status 422 "not before the request was received"
post reviewer-1 "/api/v1/requests/$n/investigation-closed" '{"on":"2026-03-02T11:00:00Z","reason":"FBI letter: case closed"}'
expect_status 200 "investigation closed"
expect_contains "$(json_get '[h["event"] for h in j["history"]]')" investigation_closed "in the history"

# the report's options of `report`: band, table
as auditor-1 GET "/api/v1/reports/2026-H1?band=100"
expect_status 200 "report with a band width"
docket --as auditor-1 report --period 2026-H1 --band 100 >cli.json
python3 - "$T_DIR/.b" cli.json <<'PY' && ok || not_ok "report --band: the API answers what the command prints"
import json, sys
assert json.load(open(sys.argv[1])) == json.load(open(sys.argv[2]))
PY
as auditor-1 GET "/api/v1/reports/2026-H1?format=csv&table=notices"
expect_status 200 "a CSV table"
expect_eq "$H_BODY" "$(docket --as auditor-1 report --period 2026-H1 --format csv --table notices 2>/dev/null)" "the table is the command's"
as auditor-1 GET "/api/v1/reports/2026-H1?band=300"
expect_status 400 "a band the law does not allow"
as auditor-1 GET "/api/v1/reports/2026-H1?table=notices"
expect_status 400 "a table goes with csv"
as auditor-1 GET "/api/v1/reports/2026-H1?format=csv&table=gossip"
case "$H_STATUS" in 4??) ok ;; *) not_ok "an unknown table: HTTP $H_STATUS" ;; esac

# the list is what `request list --json` prints (void, deadlines, recommendation)
as auditor-1 GET "/api/v1/requests?limit=1000"
expect_status 200 "request list"
docket --as auditor-1 --json request list --by-id >cli.json
python3 - "$T_DIR/.b" cli.json <<'PY' && ok || not_ok "request list: the API answers what the command prints"
import json, sys
a, c = json.load(open(sys.argv[1]))["requests"], json.load(open(sys.argv[2]))
assert a == c, (a, c)
assert [r["void"] for r in a if r["ref"] == "V-1"] == [True]
PY

# every change above is in the log
types=$(db_log_entries | python3 -c 'import json, sys; print(" ".join(sorted({json.loads(l)["type"] for l in sys.stdin})))')
for t in customer.import customer.update agency.import vault.import request.import request.void request.amend request.target_redirect; do
  expect_contains " $types " " $t " "the log has $t"
done

serve_stop
expect_exit 0 "the log verifies after every change" -- docket --as auditor-1 log verify
done_testing
