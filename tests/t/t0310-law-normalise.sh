#!/usr/bin/env bash
# SPEC §3: targets are normalised before they are resolved or stored; the
# spelling given is kept for display.  A capitalised, padded address
# resolves to its customer, who gets a notice; the report does not count it
# as "no data".
. "$(dirname "$0")/lib.sh"
setup_db
load_fixtures

cat >w.json <<'JSON'
{"ref":"N-1","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2026-03-02T10:00:00Z",
 "requester":{"name":"A","email":"a@lapd.gov"},"targets":[{"type":"email","value":" Alice@Example.NET "}],"categories":["subscriber"]}
JSON
id=$(docket --as intake-1 request add w.json)
res=$(docket --json request show "$id" | python3 -c 'import json,sys; r=json.load(sys.stdin); t=r["resolution"][0]; print(t["customer"], repr(r["targets"][0]["value"]), len(r["notices"]))')
expect_eq "$res" "c-alice ' Alice@Example.NET ' 1" "resolved, original spelling kept, customer noticed"
text=$(docket request show "$id")
expect_contains "$text" "Alice@Example.NET  -> c-alice" "request show displays the spelling given"
docket --as reviewer-1 request decide "$id" approve --reason ok >/dev/null
docket --as approver-1 request approve "$id" >/dev/null
docket --as approver-2 request approve "$id" >/dev/null
docket --as reviewer-1 request close "$id" --outcome no_data >/dev/null
DOCKET_NOW=2026-08-01T00:00:00Z docket --json report --period 2026-H1 >r.json
expect_eq "$(python3 -c 'import json; print(json.load(open("r.json"))["reach"]["accounts_affected"])')" "1" "the account counts as reached"

# customers and vault items are matched the same way
printf '{"id":"c-dan","name":"Dan","type":"consumer","country":"US","data_location":"US","us_person":true,"contact":{"email":"dan@example.org"},"accounts":[{"type":"email","value":"Dan@Example.ORG"},{"type":"phone","value":"+1 (415) 555-0142"},{"type":"ip","value":"2001:DB8::0001"}]}\n' >dan.jsonl
docket customer import dan.jsonl >/dev/null
printf '{"account":{"type":"phone","value":"+14155550142"},"category":"subscriber","kind":"profile","created_at":"2026-01-01T00:00:00Z","location":"US","data":"dan"}\n' >v.jsonl
expect_exit 0 "a vault item for the phone in E.164" -- docket vault import v.jsonl
cat >p.json <<'JSON'
{"ref":"N-2","agency":"us-lapd","kind":"criminal","process":"subpoena","requester":{"name":"A","email":"a@lapd.gov"},
 "targets":[{"type":"phone","value":"001 415 555 0142"},{"type":"ip","value":"2001:db8::1"},{"type":"email","value":"dan@example.org"}],"categories":["subscriber"]}
JSON
id=$(docket --as intake-1 request add p.json)
res=$(docket --json request show "$id" | python3 -c 'import json,sys; print(" ".join(t["customer"] or "-" for t in json.load(sys.stdin)["resolution"]))')
expect_eq "$res" "c-dan c-dan c-dan" "phone, IP and e-mail resolve in any spelling"
done_testing
