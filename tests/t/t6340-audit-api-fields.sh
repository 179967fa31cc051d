#!/usr/bin/env bash
# Every refusal of a body's value names the field (SPEC §12 error format:
# "field"), also when the command's own check refuses it (a user's name or
# login, a setting's value, a token's roles or expiry, a witness's name,
# URL or key, log verify's ?key=); the status stays the command's exit
# code's; nothing changes.  A trusted checkpoint that fails says why.
T_HERE=$(cd "$(dirname "$0")" && pwd)
. "$T_HERE/lib.sh"
. "$T_HERE/serve.sh"
setup_db
ADM=$(token_for root)
serve_start 2>/dev/null
send() {  # send METHOD PATH JSON
  api "$1" "$2" -H "Authorization: Bearer $ADM" -H 'Content-Type: application/json' -d "$3"
}
check() {  # check STATUS FIELD WHAT
  expect_status "$1" "$3"
  expect_eq "$(json_get 'j["error"]["field"]')" "$2" "$3: the field is named"
}
before=$(db_fingerprint)
send POST /api/v1/users '{"name":"two words","roles":["auditor"]}'
check 400 name "a user name with a space"
send POST /api/v1/users '{"name":"","roles":["auditor"]}'
check 400 name "an empty user name"
send POST /api/v1/users '{"name":"Zoë","roles":["auditor"]}'
check 400 name "a user name beyond ASCII"
send POST /api/v1/users '{"name":"ops-2","roles":["auditor"],"unix":"no way"}'
check 400 unix "a bad login"
send PATCH /api/v1/users/auditor-1 '{"unix":"../etc"}'
check 400 unix "a bad login to bind"
send PUT /api/v1/config/mfa_required '{"value":"maybe"}'
check 422 value "a setting's bad value"
send PUT /api/v1/config/mfa_required '{"value":"-1"}'
check 422 value "a setting's value out of range"
send PUT /api/v1/config/no_such_key '{"value":"1"}'
expect_status 400 "an unknown setting (docs/api.md: 400)"
send POST /api/v1/tokens '{"user":"auditor-1","roles":["approver"]}'
check 422 roles "a token beyond its user's roles"
send POST /api/v1/tokens '{"user":"auditor-1","expires_at":"2020-01-01"}'
check 422 expires_at "a token that expired already"
send POST /api/v1/witnesses '{"name":"w 1","url":"https://w.example/","vkey":"w+01020304+AQ=="}'
check 422 name "a witness name with a space"
send POST /api/v1/witnesses '{"name":"w1","url":"ftp://w.example/","vkey":"w1+01020304+AQ=="}'
check 422 url "a witness url that is not http(s)"
send POST /api/v1/witnesses '{"name":"w1","url":"https://w.example/","vkey":"bogus"}'
check 422 vkey "a witness key that does not parse"
api GET '/api/v1/log/verify?key=bogus' -H "Authorization: Bearer $ADM"
check 422 key "a verifier key that does not parse (the query's field)"
api GET '/api/v1/log/verify?trusted=bogus' -H "Authorization: Bearer $ADM"
expect_status 200 "a trusted checkpoint that does not verify is a finding"
expect_eq "$(json_get 'j["ok"], j["trusted"]["ok"]')" "(False, False)" "not ok"
expect_contains "$(json_get 'j["trusted"]["message"]')" "the trusted checkpoint is not signed by" \
  "and why, as the command says it"
expect_eq "$(db_fingerprint)" "$before" "refusals change nothing"
serve_stop
done_testing
