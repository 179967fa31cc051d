#!/usr/bin/env bash
# The disclosure step checks what it relies on against the log before any
# data is read (SPEC §6, §8; I7, I10): a scope rewritten after narrowing, a
# forged approval row, a target pointed at another account, or a deleted
# history row are refused, with no package written and nothing changed.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "skip: no sqlite3 shell"; exit 77; }
setup_db 2>/dev/null
load_fixtures
export DOCKET_USER=root
item() { printf '{"account":{"type":"email","value":"%s"},"category":"%s","kind":"%s","created_at":"%s","location":"US","data":"%s"}\n' "$@"; }
{ item alice@example.net subscriber profile 2025-06-01T00:00:00Z 'name: Alice'
  item alice@example.net content email_message 2025-07-01T09:00:00Z 'alice private mail'
  item hans@example.de content email_message 2025-07-01T09:00:00Z 'hans private mail'; } >vault.jsonl
docket vault import vault.jsonl >/dev/null
add() {  # add REF PROCESS CATEGORIES
  printf '{"ref":"%s","agency":"us-lapd","kind":"criminal","process":"%s","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":%s}' \
    "$1" "$2" "$3" >req.json
  docket --as intake-1 request add req.json
}
refused() {  # refused WHAT ID: disclose is refused, nothing written or changed
  local before
  before=$(db_fingerprint)
  expect_exit 3 "$1: disclose refused" -- docket --as approver-1 disclose "$2" --out "$T_DIR/out-$2.tar.gz"
  expect_contains "$T_ERR" "may not be disclosed" "$1: the refusal says why"
  [ -e "$T_DIR/out-$2.tar.gz" ] && not_ok "$1: a package was written" || ok
  expect_eq "$(db_fingerprint)" "$before" "$1: nothing changed"
}

# 1. narrowed to subscriber, then the scope rewritten to everything
id=$(add S-1 search_warrant '["subscriber","content"]')
docket --as reviewer-1 request decide "$id" narrow --categories subscriber --reason "subscriber only" >/dev/null
docket --as approver-1 request approve "$id" >/dev/null
docket --as approver-2 request approve "$id" >/dev/null
db_sql "UPDATE request SET scope = NULL WHERE id = $id"
refused "scope rewritten" "$id"
expect_contains "$T_ERR" "scope" "the scope is named"
db_sql "UPDATE request SET scope = 1 WHERE id = $id"
expect_exit 0 "restored: disclose" -- docket --as approver-1 disclose "$id" --out s1.tar.gz
tar -xOzf s1.tar.gz 2>/dev/null | grep -q "alice private mail" && not_ok "content left in the package" || ok

# 2. one real sign-off and a forged second approval row
id=$(add F-1 search_warrant '["subscriber","content"]')
docket --as reviewer-1 request decide "$id" approve --reason ok >/dev/null
docket --as approver-1 request approve "$id" >/dev/null
db_sql "INSERT INTO approval VALUES ($id, 'approver-2', 0, 1); UPDATE request SET state = 'ready' WHERE id = $id"
refused "forged approval" "$id"

# 3. a target pointed at another customer's account
id=$(add T-1 search_warrant '["subscriber","content"]')
docket --as reviewer-1 request decide "$id" approve --reason ok >/dev/null
docket --as approver-1 request approve "$id" >/dev/null
docket --as approver-2 request approve "$id" >/dev/null
hans=$(db_sql "SELECT id FROM account WHERE value = 'hans@example.de'")
db_sql "UPDATE request_target SET account_id = $hans WHERE request_id = $id"
refused "target redirected" "$id"
expect_contains "$T_ERR" "account" "the account is named"

# 4. the narrowing's history row deleted (and the scope with it)
id=$(add D-1 search_warrant '["subscriber","content"]')
docket --as reviewer-1 request decide "$id" narrow --categories subscriber --reason "subscriber only" >/dev/null
docket --as approver-1 request approve "$id" >/dev/null
docket --as approver-2 request approve "$id" >/dev/null
db_sql "DELETE FROM history WHERE request_id = $id AND event = 'narrow'; UPDATE request SET scope = NULL WHERE id = $id"
refused "narrowing deleted" "$id"
done_testing
