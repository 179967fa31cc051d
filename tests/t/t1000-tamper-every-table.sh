#!/usr/bin/env bash
# The tables are a cache of the log (SPEC §6): for every table docket keeps
# - enumerated from sqlite_master, so a new table cannot be forgotten - one
# row is changed, one inserted and one deleted behind docket's back, one at
# a time on a fresh copy, and `docket log verify` must exit 3 naming the
# table (or, for the log's own tables and the request history, what it
# checks there).  A table that holds no fact would be listed in NO_FACT
# with the reason; today there is none.  SHOW=1 prints what verify said.
. "$(dirname "$0")/lib.sh"
sqlite_only "the tampering is done with the sqlite3 shell on copies of the file; PostgreSQL tampering is t3020"
command -v sqlite3 >/dev/null 2>&1 || { echo "skip: no sqlite3 shell"; exit 77; }

# --- a database with rows in every table -----------------------------------------
setup_db 2>/dev/null
load_fixtures
export DOCKET_USER=root
docket user add root2 --role admin >/dev/null 2>&1
docket user add late-1 --role approver >/dev/null        # a pending proposal
docket config set provider_name "Example Cloud Ltd" >/dev/null
docket config set smtp_from legal@example.com >/dev/null
cat >hist.jsonl <<'JSON'
{"ref":"H-1","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2025-02-01","targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"],"outcome":"noncontent_only","closed_at":"2025-02-10"}
JSON
docket request import hist.jsonl >/dev/null
item() { printf '{"account":{"type":"email","value":"%s"},"category":"%s","kind":"%s","created_at":"%s","location":"US","data":"%s"}\n' "$@"; }
{ item alice@example.net subscriber profile 2025-06-01T00:00:00Z 'name: Alice'
  item alice@example.net content email_message 2025-07-01T09:00:00Z 'alice mail'
  item bob@contoso.com content email_message 2025-07-01T09:00:00Z 'bob mail'; } >vault.jsonl
docket vault import vault.jsonl >/dev/null
add() {  # add REF PROCESS CATEGORIES [EXTRA]
  printf '{"ref":"%s","agency":"us-lapd","kind":"criminal","process":"%s","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":%s,"date_range":{"from":"2025-01-01","to":"2026-02-28"}%s}' \
    "$1" "$2" "$3" "${4:-}" >req.json
  docket --as intake-1 request add req.json
}
W=$(add W-1 search_warrant '["subscriber","content"]')
docket --as reviewer-1 request decide "$W" narrow --categories subscriber --reason "only subscriber" >/dev/null
docket --as approver-1 request approve "$W" >/dev/null
docket --as approver-2 request approve "$W" >/dev/null
docket --as approver-1 disclose "$W" --out w.tar.gz >/dev/null
N=$(add N-1 subpoena '["subscriber"]' ',"ndo":{"statute":"18 U.S.C. 2705(b)","issued_at":"2026-03-01","expires_at":"2026-09-01"}')
docket --as reviewer-1 request challenge "$N" --court "C.D. Cal." --grounds "overbroad" --reason overbroad >/dev/null
P=$(add P-1 preservation '["subscriber"]')
printf '{"ref":"V-1","agency":"us-lapd","kind":"criminal","process":"subpoena","requester":{"name":"Det. B","email":"b@example.org"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' >v.json
V=$(docket --as intake-1 request add v.json)
docket --as reviewer-1 request verify "$V" --callback "+1 213 555 0100" --person "Lt. C" --reason "called" >/dev/null
# a National Security Letter: its entries are in the compartment's own tables
printf '{"id":"us-fbi","name":"Federal Bureau of Investigation","country":"US","type":"national_security","domains":["fbi.gov"],"phone":"+1 202 324 3000"}\n' >fbi.jsonl
docket agency import fbi.jsonl >/dev/null
printf '{"ref":"NSL-1","agency":"us-fbi","kind":"national_security","process":"nsl","received_at":"2026-03-02T09:00:00Z","requester":{"name":"SA J. Doe","email":"jdoe@fbi.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"],"ndo":{"statute":"18 U.S.C. 2709(c)","issued_at":"2026-03-01"}}' >nsl.json
docket --as intake-1 request add nsl.json >/dev/null || echo "NSL intake failed" >&2
WVKEY=$(python3 -c '
import base64, hashlib
name = "witness.example/w1"
pub = bytes(range(32))
kid = hashlib.sha256(name.encode() + b"\n" + b"\x04" + pub).digest()[:4].hex()
print(name + "+" + kid + "+" + base64.b64encode(b"\x04" + pub).decode())')
docket witness add witness.example/w1 http://127.0.0.1:9 "$WVKEY" >/dev/null || echo "witness add failed" >&2
DOCKET_NOW=2026-03-03T12:00:00Z docket tick >/dev/null 2>&1
echo 'a long passphrase for rita' | docket user passwd reviewer-1 >/dev/null
docket user mfa reviewer-1 >/dev/null
docket token add intake-1 --role intake >/dev/null
docket token add auditor-1 >/dev/null
printf 'Subject: your request\n\nReceived.\n' >letter.txt
docket --as reviewer-1 letter send "$W" acknowledgement --to a@lapd.gov letter.txt >/dev/null
docket --as compliance-1 report --period 2026-H1 --format csv --publish >/dev/null || echo "publish failed" >&2
expect_exit 0 "the untouched database verifies" -- docket log verify
sqlite3 "$DOCKET_DB" ".backup '$T_DIR/good.db'"

# --- one change, one insert and one delete for every table ----------------------------
declare -A CHANGE INSERT DELETE NEEDLE NO_FACT EMPTY_OK
CHANGE[setting]="UPDATE setting SET value = 'Evil Cloud' WHERE key = 'config.provider_name'"
INSERT[setting]="INSERT INTO setting VALUES ('config.outbox_dir', '/tmp/elsewhere')"
DELETE[setting]="DELETE FROM setting WHERE key = 'config.smtp_from'"
CHANGE[staff]="UPDATE staff SET roles = roles | 4 WHERE name = 'auditor-1'"
INSERT[staff]="INSERT INTO staff(name, roles) VALUES ('mallory', 4)"
DELETE[staff]="DELETE FROM staff WHERE name = 'compliance-1'"
CHANGE[staff_proposal]="UPDATE staff_proposal SET roles = 36"
INSERT[staff_proposal]="INSERT INTO staff_proposal(op, name, roles, proposed_by, at, log_index) VALUES ('add', 'eve', 4, 'root', 0, 1)"
DELETE[staff_proposal]="DELETE FROM staff_proposal"
CHANGE[customer]="UPDATE customer SET type = 'consumer' WHERE id = 'c-contoso'"
INSERT[customer]="INSERT INTO customer SELECT 'c-evil', doc, type, country, data_location, us_person, key_custody FROM customer WHERE id = 'c-hans'"
DELETE[customer]="DELETE FROM customer WHERE id = 'c-hans'"
CHANGE[account]="UPDATE account SET customer_id = 'c-hans' WHERE value = 'alice@example.net'"
INSERT[account]="INSERT INTO account(customer_id, type, value) VALUES ('c-alice', 'email', 'mallory@example.com')"
DELETE[account]="DELETE FROM account WHERE value = 'contoso-admin'"
CHANGE[agency]="UPDATE agency SET country = 'FR' WHERE id = 'us-lapd'"
INSERT[agency]="INSERT INTO agency SELECT 'xx-evil', doc, country, type FROM agency WHERE id = 'gb-met'"
DELETE[agency]="DELETE FROM agency WHERE id = 'gb-met'"
CHANGE[request]="UPDATE request SET kind = 'national_security' WHERE id = $N"
INSERT[request]="INSERT INTO request(ref, agency_id, country, kind, process, state, categories, n_targets, received_at, created_at, doc) SELECT 'X-9', agency_id, country, kind, process, state, categories, n_targets, received_at, created_at, doc FROM request WHERE id = $N"
DELETE[request]="DELETE FROM request WHERE id = $V"
CHANGE[request_target]="UPDATE request_target SET value = 'bob@contoso.com' WHERE request_id = $W"
INSERT[request_target]="INSERT INTO request_target(request_id, seq, type, value, account_id) VALUES ($W, 1, 'email', 'bob@contoso.com', 2)"
DELETE[request_target]="DELETE FROM request_target WHERE request_id = $N"
CHANGE[history]="UPDATE history SET reason = 'nothing to see' WHERE request_id = $N AND event = 'challenge'"
INSERT[history]="INSERT INTO history(request_id, at, actor, event, from_state, to_state, log_index) VALUES ($N, 0, 'root', 'approve', 'challenged', 'approved', 3)"
DELETE[history]="DELETE FROM history WHERE request_id = $N AND event = 'challenge'"
CHANGE[approval]="UPDATE approval SET approver = 'approver-3' WHERE approver = 'approver-2'"
INSERT[approval]="INSERT INTO approval VALUES ($N, 'approver-1', 0, 3)"
DELETE[approval]="DELETE FROM approval WHERE approver = 'approver-1'"
CHANGE[verification]="UPDATE verification SET callback = '+1 555 0000'"
INSERT[verification]="INSERT INTO verification(request_id, method, callback, person, at, actor, log_index) VALUES ($N, 'callback', '+1', 'x', 0, 'root', 5)"
DELETE[verification]="DELETE FROM verification"
CHANGE[ndo]="UPDATE ndo SET expires_at = expires_at + 86400 * 365"
INSERT[ndo]="INSERT INTO ndo(request_id, statute, issued_at) VALUES ($W, '18 U.S.C. 2705(b)', 0)"
DELETE[ndo]="DELETE FROM ndo"
CHANGE[notice]="UPDATE notice SET state = 'suppressed' WHERE request_id = $N"
INSERT[notice]="INSERT INTO notice(request_id, customer_id, state) VALUES ($W, 'c-hans', 'pending')"
DELETE[notice]="DELETE FROM notice WHERE request_id = $N"
CHANGE[hold]="UPDATE hold SET expires_at = expires_at - 86400 * 60"
INSERT[hold]="INSERT INTO hold(request_id, account_id, created_at, expires_at, state) VALUES ($P, 2, 0, 0, 'active')"
DELETE[hold]="DELETE FROM hold"
CHANGE[challenge]="UPDATE challenge SET outcome = 'denied', decided_at = 1"
INSERT[challenge]="INSERT INTO challenge(request_id, subject, filed_at, court, grounds) VALUES ($W, 'request', 0, 'x', 'y')"
DELETE[challenge]="DELETE FROM challenge"
CHANGE[deadline]="UPDATE deadline SET at = at + 86400 WHERE kind = 'hold_expiry'"
INSERT[deadline]="INSERT INTO deadline(request_id, kind, at) VALUES ($W, 'return_date', 0)"
DELETE[deadline]="DELETE FROM deadline WHERE kind = 'hold_expiry'"
CHANGE[disclosure]="UPDATE disclosure SET sha256 = (CASE WHEN sha256 LIKE '0%' THEN '1' ELSE '0' END) || substr(sha256, 2)"
INSERT[disclosure]="INSERT INTO disclosure(request_id, file_name, size, sha256, items, created_at, log_index) VALUES ($N, 'x.tar.gz', 1, 'aa', 1, 0, 3)"
DELETE[disclosure]="DELETE FROM disclosure"
CHANGE[vault_item]="UPDATE vault_item SET account_id = 1 WHERE account_id = 2"
INSERT[vault_item]="INSERT INTO vault_item(account_id, category, kind, created_at, location, sealed, size, data) VALUES (1, 'content', 'email_message', 1751360400, 'US', 0, 3, x'616263')"
DELETE[vault_item]="DELETE FROM vault_item WHERE account_id = 2"
CHANGE[vault_import]="UPDATE vault_import SET items = 2"
INSERT[vault_import]="INSERT INTO vault_import(file_sha256, items, at, log_index) VALUES ('sha256:00', 1, 0, 3)"
DELETE[vault_import]="DELETE FROM vault_import"
CHANGE[log_entry]="UPDATE log_entry SET entry = CAST(replace(CAST(entry AS TEXT), 'root', 'toor') AS BLOB) WHERE idx = 1"
INSERT[log_entry]="INSERT INTO log_entry SELECT max(idx) + 1, entry FROM log_entry"
DELETE[log_entry]="DELETE FROM log_entry WHERE idx = 5"
NEEDLE[log_entry]="entry"
CHANGE[log_hash]="UPDATE log_hash SET hash = zeroblob(32) WHERE level = 0 AND idx = 3"
INSERT[log_hash]="INSERT INTO log_hash SELECT 0, max(idx) + 1, zeroblob(32) FROM log_entry"
DELETE[log_hash]="DELETE FROM log_hash WHERE level = 1 AND idx = 0"
NEEDLE[log_hash]="hash"
CHANGE[log_checkpoint]="UPDATE log_checkpoint SET note = replace(note, substr(note, length(note) - 10, 4), 'AAAA') WHERE size = (SELECT max(size) FROM log_checkpoint)"
INSERT[log_checkpoint]="INSERT INTO log_checkpoint SELECT size + 1000, note FROM log_checkpoint WHERE size = (SELECT max(size) FROM log_checkpoint)"
DELETE[log_checkpoint]="DELETE FROM log_checkpoint WHERE size = (SELECT max(size) FROM log_checkpoint)"
NEEDLE[log_checkpoint]="checkpoint"
CHANGE[ns_log_entry]="UPDATE ns_log_entry SET entry = CAST(replace(CAST(entry AS TEXT), 'NSL-1', 'NSL-2') AS BLOB) WHERE idx = 0"
INSERT[ns_log_entry]="INSERT INTO ns_log_entry SELECT max(idx) + 1, entry FROM ns_log_entry"
DELETE[ns_log_entry]="DELETE FROM ns_log_entry WHERE idx = (SELECT max(idx) FROM ns_log_entry)"
NEEDLE[ns_log_entry]="compartment"
CHANGE[ns_log_hash]="UPDATE ns_log_hash SET hash = zeroblob(32) WHERE level = 0 AND idx = 0"
INSERT[ns_log_hash]="INSERT INTO ns_log_hash SELECT 0, max(idx) + 1, zeroblob(32) FROM ns_log_entry"
DELETE[ns_log_hash]="DELETE FROM ns_log_hash WHERE level = 0 AND idx = 0"
NEEDLE[ns_log_hash]="compartment"
CHANGE[ns_log_checkpoint]="UPDATE ns_log_checkpoint SET note = replace(note, substr(note, length(note) - 10, 4), 'AAAA') WHERE size = (SELECT max(size) FROM ns_log_checkpoint)"
INSERT[ns_log_checkpoint]="INSERT INTO ns_log_checkpoint SELECT size + 1000, note FROM ns_log_checkpoint WHERE size = (SELECT max(size) FROM ns_log_checkpoint)"
DELETE[ns_log_checkpoint]="DELETE FROM ns_log_checkpoint WHERE size = (SELECT max(size) FROM ns_log_checkpoint)"
NEEDLE[ns_log_checkpoint]="compartment"
NEEDLE[history]="history row"
CHANGE[staff_auth]="UPDATE staff_auth SET password = (SELECT password FROM staff_auth LIMIT 1) || 'x'"
INSERT[staff_auth]="INSERT INTO staff_auth(name, password, password_at) VALUES ('approver-1', 'forged', 0)"
DELETE[staff_auth]="DELETE FROM staff_auth"
CHANGE[api_token]="UPDATE api_token SET roles = roles | 32 WHERE user = 'intake-1'"
INSERT[api_token]="INSERT INTO api_token(hash, user, roles, created_at) VALUES ('00', 'root', 32, 0)"
DELETE[api_token]="DELETE FROM api_token WHERE user = 'auditor-1'"
CHANGE[session]="UPDATE session SET user = 'root'"
INSERT[session]="INSERT INTO session(hash, user, created_at, seen_at) VALUES ('00', 'root', 0, 0)"
DELETE[session]="DELETE FROM session"
# sessions come from signing in to the server (tests/t/t20xx); here the
# table is empty, so only an inserted row can be tried
EMPTY_OK[session]=1
CHANGE[letter]="UPDATE letter SET to_addr = 'evil@example.com'"
INSERT[letter]="INSERT INTO letter(request_id, kind, to_addr, subject, body, sha256, state, written_at, written_by) SELECT request_id, kind, to_addr, subject, body, sha256, state, written_at, written_by FROM letter"
DELETE[letter]="DELETE FROM letter"
CHANGE[report_publication]="UPDATE report_publication SET body = CAST('period' AS BLOB)"
INSERT[report_publication]="INSERT INTO report_publication(period, format, published_at, published_by, sha256, size, checkpoint_size, body) SELECT period, format, published_at, published_by, sha256, size, checkpoint_size, body FROM report_publication"
DELETE[report_publication]="DELETE FROM report_publication"
CHANGE[request_document]="UPDATE request_document SET name = 'other.pdf'"
INSERT[request_document]="INSERT INTO request_document(request_id, name, sha256, media_type, size, content, added_at, added_by) VALUES ($W, 'forged.pdf', '$(printf abc | sha256sum | cut -c1-64)', 'application/pdf', 3, x'616263', 0, 'root')"
DELETE[request_document]="DELETE FROM request_document"
# documents come from the intake page's uploads (tests/t/t40xx); here the
# table is empty, so only an inserted row can be tried
EMPTY_OK[request_document]=1
CHANGE[witness]="UPDATE witness SET url = 'http://evil.example'"
INSERT[witness]="INSERT INTO witness(name, url, vkey, added_at) SELECT 'w.example/evil', url, vkey, added_at FROM witness"
DELETE[witness]="DELETE FROM witness"
# the portals' tables are filled through `docket serve` (t5000-t5050, which
# also tamper with them on both engines); here only an inserted row is tried
INSERT[portal_account]="INSERT INTO portal_account(name, kind, agency_id, created_at) VALUES ('intake-1', 'officer', 'us-lapd', 0)"
INSERT[agency_suspension]="INSERT INTO agency_suspension VALUES ('us-lapd', 1, 'root', 'x')"
INSERT[portal_link]="INSERT INTO portal_link(hash, purpose, email, created_at, expires_at) VALUES ('00', 'customer', 'a@example.net', 0, 9999999999)"
INSERT[portal_registration]="INSERT INTO portal_registration(email, domain, verdict, remote, at) VALUES ('x@lapd.gov', 'lapd.gov', 'verified', '-', 0)"
INSERT[portal_request]="INSERT INTO portal_request(request_id, officer, agency_id, at) VALUES ($W, 'intake-1', 'us-lapd', 0)"
INSERT[verification_failure]="INSERT INTO verification_failure(request_id, agency_id, reason, at, actor, log_index) VALUES ($V, 'us-lapd', 'x', 0, 'root', 7)"
for t in portal_account agency_suspension portal_link portal_registration portal_request verification_failure; do
  CHANGE[$t]="-"; DELETE[$t]="-"; EMPTY_OK[$t]=1
done
# NO_FACT[table]="why it holds no fact docket decides anything by"
NO_FACT[signin_failure]="bookkeeping of failed sign-ins per key (a digest), shared by the servers over one database: changing it changes only how long a name or address waits before it may try again, never a fact the log records"
NO_FACT[change_mark]="the change marker every write bumps (store.h): a server compares it only to decide whether a cached view or token lookup may be reused; changing it costs a cache miss, never a fact"
NO_FACT[cosignature]="evidence held for others: each line is a witness's signature that log verify checks against the witness's key, so a changed or inserted one fails its signature (t2520); deleting one loses evidence but changes no fact docket acts on"

tamper() {  # tamper TABLE WHAT SQL
  local t=$1 what=$2 sql=$3 needle=${NEEDLE[$1]:-table $1}
  cp "$T_DIR/good.db" "$T_DIR/bad.db"
  rm -f "$T_DIR/bad.db-wal" "$T_DIR/bad.db-shm"
  if ! sqlite3 "$T_DIR/bad.db" "$sql" 2>"$T_DIR/.sqlerr"; then
    not_ok "$t $what: the tampering itself failed: $(cat "$T_DIR/.sqlerr")"
    return
  fi
  local changes
  changes=$(sqlite3 "$T_DIR/good.db" .dump | diff - <(sqlite3 "$T_DIR/bad.db" .dump) | grep -c '^[<>]')
  [ "$changes" -ge 1 ] && ok || not_ok "$t $what: the tampering changed nothing"
  expect_exit 3 "$t $what is found" -- docket --db "$T_DIR/bad.db" log verify
  expect_contains "$T_OUT" "$needle" "$t $what: verify names it"
  [ -n "${SHOW:-}" ] && printf '== %s %s\n%s\n' "$t" "$what" "$(printf '%s\n' "$T_OUT" | grep '^bad' | head -3)"
}

tables=$(sqlite3 "$T_DIR/good.db" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
n=0
for t in $tables; do
  n=$((n + 1))
  if [ -n "${NO_FACT[$t]:-}" ]; then ok; continue; fi
  if [ -z "${CHANGE[$t]:-}" ] || [ -z "${INSERT[$t]:-}" ] || [ -z "${DELETE[$t]:-}" ]; then
    not_ok "table $t has no tampering case and no reason in NO_FACT: add both a case here and its replay (core/ledger/replay.c)"
    continue
  fi
  rows=$(sqlite3 "$T_DIR/good.db" "SELECT count(*) FROM \"$t\"")
  if [ -n "${EMPTY_OK[$t]:-}" ] && [ "$rows" -eq 0 ]; then
    tamper "$t" "row inserted" "${INSERT[$t]}"
    continue
  fi
  [ "$rows" -ge 1 ] && ok || not_ok "table $t is empty in the scenario: add a step that fills it"
  tamper "$t" "row changed" "${CHANGE[$t]}"
  tamper "$t" "row inserted" "${INSERT[$t]}"
  tamper "$t" "row deleted" "${DELETE[$t]}"
done
[ "$n" -ge 20 ] && ok || not_ok "only $n tables found"
done_testing
