#!/usr/bin/env bash
# request add rejects bad input with exit 3, a message naming the field, and
# leaves the database exactly as it was (SPEC §3, §9).
. "$(dirname "$0")/lib.sh"
setup_db
load_fixtures
export DOCKET_USER=intake-1

good='"ref":"LAPD-1","agency":"us-lapd","kind":"criminal","process":"search_warrant","signed":true,"targets":[{"type":"email","value":"alice@example.net"}],"categories":["content"]'

before=$(db_fingerprint)
check_bad() {  # check_bad FIELD JSON
  printf '%s' "$2" >bad.json
  expect_exit 3 "bad $1" -- docket request add bad.json
  expect_contains "$T_ERR" "$1" "message names '$1'"
  expect_contains "$T_ERR" "docket: " "message format for '$1'"
}

check_bad ref '{"agency":"us-lapd","kind":"criminal","process":"subpoena","targets":[],"categories":["subscriber"]}'
check_bad agency '{"ref":"X","kind":"criminal","process":"subpoena","targets":[],"categories":["subscriber"]}'
check_bad kind '{"ref":"X","agency":"us-lapd","kind":"crimnal","process":"subpoena","targets":[],"categories":["subscriber"]}'
check_bad process '{"ref":"X","agency":"us-lapd","kind":"criminal","process":"warant","targets":[],"categories":["subscriber"]}'
check_bad categories '{"ref":"X","agency":"us-lapd","kind":"criminal","process":"subpoena","targets":[],"categories":["everything"]}'
check_bad categories '{"ref":"X","agency":"us-lapd","kind":"criminal","process":"subpoena","targets":[],"categories":[]}'
check_bad targets '{"ref":"X","agency":"us-lapd","kind":"criminal","process":"subpoena","categories":["subscriber"]}'
check_bad 'targets[0].type' '{"ref":"X","agency":"us-lapd","kind":"criminal","process":"subpoena","targets":[{"type":"mail","value":"a@b.c"}],"categories":["subscriber"]}'
check_bad 'targets[0].value' '{"ref":"X","agency":"us-lapd","kind":"criminal","process":"subpoena","targets":[{"type":"email"}],"categories":["subscriber"]}'
check_bad received_at '{"ref":"X","agency":"us-lapd","kind":"criminal","process":"subpoena","targets":[],"categories":["subscriber"],"received_at":"2026-02-30"}'
check_bad received_at '{"ref":"X","agency":"us-lapd","kind":"criminal","process":"subpoena","targets":[],"categories":["subscriber"],"received_at":"yesterday"}'
check_bad due_at '{"ref":"X","agency":"us-lapd","kind":"criminal","process":"subpoena","targets":[],"categories":["subscriber"],"due_at":"2026-03-16T25:00:00Z"}'
check_bad signed '{"ref":"X","agency":"us-lapd","kind":"criminal","process":"subpoena","targets":[],"categories":["subscriber"],"signed":"yes"}'
check_bad ref '{"ref":17,"agency":"us-lapd","kind":"criminal","process":"subpoena","targets":[],"categories":["subscriber"]}'
check_bad colour "{$good,\"colour\":\"red\"}"
check_bad ref "{$good,\"ref\":\"again\"}"
check_bad 'issued_by.type' "{$good,\"issued_by\":{\"type\":\"king\",\"name\":\"x\"}}"
check_bad 'requester.email' "{$good,\"requester\":{\"name\":\"Det. X\",\"email\":\"not-an-address\"}}"
check_bad 'date_range' "{$good,\"date_range\":{\"from\":\"2026-02-01\",\"to\":\"2025-01-01\"}}"
check_bad 'ndo.expires_at' "{$good,\"ndo\":{\"statute\":\"18 U.S.C. 2705(b)\",\"issued_at\":\"2026-03-01\",\"expires_at\":\"2026-13-01\"}}"
check_bad 'documents[0].sha256' "{$good,\"documents\":[{\"name\":\"w.pdf\",\"sha256\":\"abc\"}]}"
check_bad 'emergency' "{$good,\"emergency\":\"now\"}"
check_bad 'outcome' "{$good,\"outcome\":\"content\"}"
long=$(head -c 5000 /dev/zero | tr '\0' 'a')
check_bad 'ref' "{$good,\"ref\":\"$long\"}"
check_bad 'channel' "{$good,\"channel\":[\"portal\"]}"

# not JSON at all, a JSON array, trailing garbage, an oversize document
printf 'not json' >bad.json
expect_exit 3 "not JSON" -- docket request add bad.json
printf '[1,2]' >bad.json
expect_exit 3 "top-level array" -- docket request add bad.json
printf '{%s} {}' "$good" >bad.json
expect_exit 3 "trailing garbage" -- docket request add bad.json
{ printf '{%s,"channel":"' "$good"; head -c 2000000 /dev/zero | tr '\0' 'x'; printf '"}'; } >bad.json
expect_exit 3 "oversize document" -- docket request add bad.json
expect_exit 4 "missing file" -- docket request add /nonexistent/request.json

after=$(db_fingerprint)
expect_eq "$after" "$before" "database unchanged after rejected input"

# and a good one is accepted
printf '{%s}' "$good" >good.json
expect_exit 0 "valid request" -- docket request add good.json
expect_eq "$T_OUT" "1" "first request id"
done_testing
