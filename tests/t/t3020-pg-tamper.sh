#!/usr/bin/env bash
# t3020: tampering with a PostgreSQL database through psql - a log row, a
# request row, a role - is found by `log verify` (exit 3), as on SQLite
# (t0410).  Each case works on its own copy of the good database.
. "$(dirname "$0")/lib.sh"
pg_only "tampering through psql"

setup_db
load_fixtures
export DOCKET_USER=root
add() {  # add REF PROCESS CATEGORIES: prints the new id
  printf '{"ref":"%s","agency":"us-lapd","kind":"criminal","process":"%s","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":%s}' \
    "$1" "$2" "$3" >req.json
  docket --as intake-1 request add req.json
}
w=$(add W-1 search_warrant '["subscriber","content"]')
docket --as reviewer-1 request decide "$w" approve --reason "valid warrant" >/dev/null
r=$(add R-1 subpoena '["subscriber"]')
expect_exit 0 "the untouched database verifies" -- docket log verify
good=$DOCKET_DB

n=0
tamper() {  # tamper WHAT SQL
  n=$((n + 1))
  db_clone "case$n" || { not_ok "$1: clone"; return; }
  DOCKET_DB=$T_CLONE db_sql "$2" >/dev/null || not_ok "$1: the SQL failed"
  expect_exit 3 "$1 is found" -- docket --db "$T_CLONE" log verify
  T_ALL="$T_OUT
$T_ERR"
}

idx=$(db_sql "SELECT log_index FROM history WHERE request_id = $w AND event = 'received'")
tamper "a changed log entry" \
  "UPDATE log_entry SET entry = convert_to(replace(convert_from(entry, 'UTF8'), 'W-1', 'W-9'), 'UTF8') WHERE idx = $idx"
expect_contains "$T_ALL" "$idx" "the entry's index is named"

tamper "a deleted log entry" "DELETE FROM log_entry WHERE idx = $idx"

tamper "a request's state" "UPDATE request SET state = 'approved' WHERE id = $r"
expect_contains "$T_ALL" "request $r" "the request is named"

tamper "a request's document" \
  "UPDATE request SET doc = replace(doc, 'alice@example.net', 'bob@contoso.com') WHERE id = $w"

tamper "a role" "UPDATE staff SET roles = 63 WHERE name = 'auditor-1'"
expect_contains "$T_ALL" "auditor-1" "the user is named"

tamper "a user added" "INSERT INTO staff(name, roles) VALUES ('mallory', 32)"
expect_contains "$T_ALL" "mallory" "the user is named"

expect_exit 0 "the original still verifies" -- docket --db "$good" log verify
done_testing
