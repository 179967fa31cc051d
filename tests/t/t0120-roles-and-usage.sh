#!/usr/bin/env bash
# Roles are checked (exit 5), usage errors are exit 2, and --help works for
# every command (SPEC §9).
. "$(dirname "$0")/lib.sh"
setup_db
load_fixtures
printf '{"ref":"R-1","agency":"us-lapd","kind":"criminal","process":"subpoena","targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' >r.json

before=$(db_fingerprint)
for u in reviewer-1 approver-1 compliance-1 auditor-1; do
  expect_exit 5 "$u may not add requests" -- docket --as "$u" request add r.json
done
expect_exit 5 "intake may not import customers" -- docket --as intake-1 customer import customers.jsonl
expect_exit 5 "auditor may not add users" -- docket --as auditor-1 user add eve --role admin
expect_exit 5 "unknown user" -- docket --as mallory request list
expect_exit 2 "no user" -- env -u DOCKET_USER "$DOCKET_BIN" request list
expect_eq "$(db_fingerprint)" "$before" "refusals change nothing"

expect_exit 0 "auditor reads" -- docket --as auditor-1 request list
expect_exit 0 "intake adds" -- docket --as intake-1 request add r.json
expect_exit 3 "same ref twice" -- docket --as intake-1 request add r.json
expect_contains "$T_ERR" "R-1" "duplicate ref named"

expect_exit 2 "unknown command" -- docket frobnicate
expect_exit 2 "unknown subcommand" -- docket request frobnicate
expect_exit 2 "missing argument" -- docket request show
expect_exit 4 "show takes an id or a reference: none is abc" -- docket request show abc
expect_exit 2 "bad id" -- docket request approve abc
expect_exit 2 "bad role" -- docket user add eve --role superuser
expect_exit 2 "bad clock" -- env DOCKET_NOW=tomorrow "$DOCKET_BIN" request list
expect_exit 4 "no database" -- docket --db "$T_DIR/none.db" request list
expect_exit 5 "init twice" -- docket init

for c in init user customer agency request config log rules status hold tick ndo notice vault disclose report; do
  expect_exit 0 "$c --help" -- docket "$c" --help
  expect_contains "$T_OUT" "usage: docket $c" "$c --help shows usage"
done
for c in "request add" "request show" "request list" "request import" "request explain" \
         "request decide" "request approve" "request verify" "request challenge" \
         "request challenge-outcome" "request withdraw" "request close" \
         "user add" "user set" "user remove" "user confirm" "user cancel" "user list" "customer import" "agency import" "config set" "config get" "config list" \
         "log verify" "log proof" "log key" "log entry" "log checkpoint" "log consistency" \
         "hold renew" "hold release" "hold convert" "ndo add" "ndo list" "notice list" \
         "notice show" "notice resend" "vault import" "disclose verify" "rules list" "rules show"; do
  # shellcheck disable=SC2086
  expect_exit 0 "$c --help" -- docket $c --help
  expect_contains "$T_OUT" "usage: docket $c" "$c --help shows usage"
done
expect_exit 0 "docket --help" -- docket --help
done_testing
