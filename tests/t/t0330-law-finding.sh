#!/usr/bin/env bash
# Finding things at 2 a.m. (SPEC §4, §9): request list --q over reference,
# agency or account identifier (any spelling); request show by reference;
# request list shows the recommendation and the nearest deadline, most
# urgent first, with the overdue flag.
. "$(dirname "$0")/lib.sh"
setup_db
load_fixtures
add() {  # add REF TARGET DUE
  printf '{"ref":"%s","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2026-03-02T10:00:00Z","requester":{"name":"A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"%s"}],"categories":["subscriber"]%s}' "$1" "$2" "${3:+,\"due_at\":\"$3\"}" >r.json
  docket --as intake-1 request add r.json
}
a=$(add LAPD-2026-00123 alice@example.net 2026-03-20T00:00:00Z)
b=$(add LAPD-2026-00124 bob@contoso.com 2026-03-05T00:00:00Z)
c=$(add LAPD-2026-00125 hans@example.de)
ids() { docket --json request list "$@" | python3 -c 'import json,sys; print(" ".join(str(r["id"]) for r in json.load(sys.stdin)))'; }
expect_eq "$(ids --q 00123)" "$a" "by part of the reference"
expect_eq "$(ids --q ALICE@example.NET)" "$a" "by account identifier, any case"
expect_eq "$(ids --q us-lapd --by-id)" "$a $b $c" "by agency"
expect_eq "$(ids --q nothing-like-this)" "" "no match"
expect_eq "$(ids --q %)" "" "LIKE characters are literal"
expect_eq "$(ids)" "$b $a $c" "most urgent first; no deadline last"
row=$(docket --json request list --q 00124 | python3 -c 'import json,sys; r=json.load(sys.stdin)[0]; print(r["recommendation"], r["next_deadline"], r["overdue"])')
expect_eq "$row" "redirect 2026-03-05T00:00:00Z False" "recommendation, nearest deadline, overdue flag"
DOCKET_NOW=2026-03-06T00:00:00Z expect_exit 0 "text list" -- docket request list
expect_contains "$T_OUT" "OVERDUE" "overdue flagged"
expect_contains "$T_OUT" "RECOMMENDS" "recommendation column"
expect_exit 0 "show by reference" -- docket request show LAPD-2026-00123
expect_contains "$T_OUT" "Request $a" "the right request"
expect_exit 4 "unknown reference" -- docket request show LAPD-2026-99999
done_testing
