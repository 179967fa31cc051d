#!/usr/bin/env bash
# Tampering behind docket's back is found (invariant I8): a database built
# through the binary - imports, a workflow through every kind of
# transition, users - is copied, one row of one table is changed with the
# sqlite3 shell, and `docket log verify` must exit 3 naming the log index,
# checkpoint or request concerned.  Each case starts from a fresh copy.
#
# The copies have no key file: verify falls back to the verifier key stored
# at init, as an auditor holding only the database would.  SHOW=1 prints
# what verify said in each case.
. "$(dirname "$0")/lib.sh"
sqlite_only "copies the database file for each tampering (on PostgreSQL: t3020)"

if ! command -v sqlite3 >/dev/null 2>&1; then
  echo "skip: the sqlite3 shell is not installed"
  exit 77
fi

setup_db
load_fixtures
export DOCKET_USER=root

# --- a real database ------------------------------------------------------------
cat >hist.jsonl <<'JSON'
{"ref":"H-1","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2025-02-01","targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"],"outcome":"noncontent_only","closed_at":"2025-02-10"}
{"ref":"H-2","country":"FR","kind":"criminal","process":"foreign_order","received_at":"2025-08-01T09:00:00Z","targets":[{"type":"email","value":"nobody@example.fr"}],"categories":["content"],"outcome":"rejected","closed_at":"2025-08-05"}
JSON
docket request import hist.jsonl >/dev/null || { echo "import failed" >&2; exit 1; }

add() {  # add REF PROCESS CATEGORIES: prints the new id
  printf '{"ref":"%s","agency":"us-lapd","kind":"criminal","process":"%s","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":%s}' \
    "$1" "$2" "$3" >req.json
  docket --as intake-1 request add req.json
}
w=$(add W-1 search_warrant '["subscriber","content"]')       # through to closed
docket --as reviewer-1 request decide "$w" approve --reason "valid warrant" >/dev/null
docket --as approver-1 request approve "$w" >/dev/null
docket --as approver-2 request approve "$w" >/dev/null
docket --as reviewer-1 request close "$w" --outcome no_data >/dev/null
x=$(add X-1 subpoena '["subscriber"]')                       # withdrawn
docket --as reviewer-1 request withdraw "$x" --reason "agency withdrew" >/dev/null
r=$(add R-1 subpoena '["subscriber"]')                       # still in review
docket user add late-1 --role auditor >/dev/null
expect_eq "$w $x $r" "3 4 5" "requests 1-2 imported, 3-5 added"

expect_exit 0 "the untouched database verifies" -- docket log verify
expect_contains "$T_OUT" "5 requests, 10 history rows" "every request was checked"
expect_contains "$T_OUT" "tables: " "the tables were replayed"
sqlite3 "$DOCKET_DB" ".backup '$T_DIR/good.db'"

q() { sqlite3 "$T_DIR/good.db" "$1"; }
N=$(q "SELECT count(*) FROM log_entry")
S=$(q "SELECT max(size) FROM log_checkpoint")
expect_eq "$S" "$N" "the newest checkpoint covers the log"
hist() { q "SELECT log_index FROM history WHERE request_id = $1 AND event = '$2'"; }
USER_IDX=$(q "SELECT idx FROM log_entry WHERE CAST(entry AS TEXT) LIKE '%\"user\":\"auditor-1\"%'")
IMPORT_IDX=$(hist 1 imported)
W_APPROVE=$(hist "$w" approve)
W_SIGN=$(hist "$w" sign_off)
W_CLOSE=$(hist "$w" close)
X_WITHDRAW=$(hist "$x" withdraw)
R_RECEIVED=$(hist "$r" received)

# tamper WHAT SQL: run SQL on a fresh copy, then verify it; its output is in
# $T_OUT and $T_ERR.
tamper() {
  local what=$1 sql=$2
  rm -f "$T_DIR/case.db" "$T_DIR/case.db-wal" "$T_DIR/case.db-shm"
  cp "$T_DIR/good.db" "$T_DIR/case.db"
  sqlite3 "$T_DIR/case.db" "$sql" || not_ok "$what: the SQL failed"
  expect_exit 3 "$what is found" -- docket --db "$T_DIR/case.db" log verify
  [ -n "${SHOW:-}" ] && printf "== %s\n%s\n%s\n" "$what" "$T_OUT" "$T_ERR" >&2
  T_ALL="$T_OUT
$T_ERR"
}
says() {  # says TEXT WHAT: verify's output names TEXT
  expect_contains "$T_ALL" "$1" "$2"
}

# --- the log ------------------------------------------------------------------
tamper "a changed entry" \
  "UPDATE log_entry SET entry = CAST(replace(CAST(entry AS TEXT), 'auditor-1', 'auditor-9') AS BLOB) WHERE idx = $USER_IDX"
says "level 0 index $USER_IDX does not match" "changed entry: its leaf hash named"
says "first bad entry $USER_IDX" "changed entry: the summary names it"

tamper "a changed request entry" \
  "UPDATE log_entry SET entry = CAST(replace(CAST(entry AS TEXT), 'valid warrant', 'no warrant') AS BLOB) WHERE idx = $W_APPROVE"
says "first bad entry $W_APPROVE" "changed request entry: named"
says "request $w: history row 'approve' has reason 'valid warrant' but log entry $W_APPROVE has 'no warrant'" \
  "changed request entry: the history disagrees with it"

tamper "a deleted entry in the middle" "DELETE FROM log_entry WHERE idx = $USER_IDX"
says "entries $USER_IDX to $USER_IDX are missing" "deleted entry: named"

tamper "a deleted request entry" "DELETE FROM log_entry WHERE idx = $X_WITHDRAW"
says "entries $X_WITHDRAW to $X_WITHDRAW are missing" "deleted request entry: named"
says "request $x: history row 'withdraw' points at log entry $X_WITHDRAW, which does not exist" \
  "deleted request entry: its history row is orphaned"

tamper "a deleted last entry" "DELETE FROM log_entry WHERE idx = $((N - 1))"
says "entry $((N - 1)) is missing" "deleted last entry: named"
says "checkpoint $S: the log has only $((N - 1)) entries" "deleted last entry: the checkpoint disagrees"

tamper "an inserted entry" \
  "INSERT INTO log_entry(idx, entry) SELECT $N, entry FROM log_entry WHERE idx = $USER_IDX"
says "entry $N: the stored hash at level 0 index $N is missing" "inserted entry: named"
says "entries $N to $N are not covered by a signed checkpoint" "inserted entry: not signed"

A=$USER_IDX B=$((USER_IDX + 1))
tamper "two entries swapped" \
  "CREATE TEMP TABLE s AS SELECT idx, entry FROM log_entry WHERE idx IN ($A, $B);
   UPDATE log_entry SET entry = (SELECT entry FROM s WHERE s.idx = $((A + B)) - log_entry.idx) WHERE idx IN ($A, $B)"
says "level 0 index $A does not match" "swapped entries: the first named"
says "level 0 index $B does not match" "swapped entries: the second named"

tamper "a changed leaf hash" "UPDATE log_hash SET hash = zeroblob(32) WHERE level = 0 AND idx = $USER_IDX"
says "level 0 index $USER_IDX does not match" "changed leaf hash: named"

tamper "a changed node" "UPDATE log_hash SET hash = zeroblob(32) WHERE level = 2 AND idx = 1"
says "entry 4: the stored hash at level 2 index 1 does not match" "changed node: named"

tamper "a deleted node" "DELETE FROM log_hash WHERE level = 1 AND idx = 3"
says "level 1 index 3 is missing" "deleted node: named"

# --- checkpoints -----------------------------------------------------------------
tamper "a changed checkpoint" \
  "UPDATE log_checkpoint SET note = replace(note, char(10) || '$S' || char(10), char(10) || '$((S - 1))' || char(10)) WHERE size = $S"
says "checkpoint $S" "changed checkpoint: named"

tamper "the newest checkpoint deleted" "DELETE FROM log_checkpoint WHERE size = $S"
P=$(q "SELECT max(size) FROM log_checkpoint WHERE size < $S")
says "entries $P to $((N - 1)) are not covered by a signed checkpoint" "deleted checkpoint: the unsigned entries named"

tamper "an added checkpoint (a copy under another size)" \
  "INSERT INTO log_checkpoint(size, note) SELECT $((N + 5)), note FROM log_checkpoint WHERE size = $S"
says "checkpoint $((N + 5)): its text says tree size $S" "added checkpoint: named"

tamper "a checkpoint signed by someone else" \
  "UPDATE log_checkpoint SET note = substr(note, 1, length(note) - 10) || 'AAAAAAAAA' || char(10) WHERE size = $S"
says "checkpoint $S" "bad signature: named"

# --- the records against the log -------------------------------------------------
tamper "a request state changed without history" "UPDATE request SET state = 'approved' WHERE id = $r"
says "request $r is 'approved' but its history ends in 'in_review' (log entry $R_RECEIVED)" "changed state: named"

tamper "a request outcome changed" "UPDATE request SET outcome = 'content' WHERE id = $w"
says "request $w has outcome 'content' but log entry $W_CLOSE gives 'no_data'" "changed outcome: named"

tamper "an imported request's outcome changed" "UPDATE request SET outcome = 'content' WHERE id = 2"
says "request 2 has outcome 'content' but log entry $IMPORT_IDX gives 'rejected'" "changed import outcome: named"

tamper "a history row added" \
  "INSERT INTO history(request_id, at, actor, event, from_state, to_state, reason, log_index) SELECT $r, at, actor, event, from_state, to_state, reason, log_index FROM history WHERE request_id = $w AND event = 'approve'"
says "request $r: history row 'approve' points at log entry $W_APPROVE, which is about request $w" "added history: named"
says "request $r is 'in_review' but its history ends in 'approved'" "added history: the state disagrees"

tamper "a history row added for no request" \
  "INSERT INTO history(request_id, at, actor, event, from_state, to_state, reason, log_index) VALUES (99, 0, 'root', 'approve', 'in_review', 'approved', NULL, $W_APPROVE)"
says "request 99: history row 'approve' (log entry $W_APPROVE) belongs to no stored request" "orphan history: named"

tamper "a history row deleted (middle)" "DELETE FROM history WHERE request_id = $w AND event = 'sign_off'"
says "log entry $W_SIGN (request.sign_off) moves request $w, but the request's history has no row for it" \
  "deleted middle history: the log entry without a row named"

tamper "the first sign-off given to the second approver" \
  "UPDATE history SET actor = (SELECT actor FROM history WHERE request_id = $w AND event = 'sign_off_final') WHERE request_id = $w AND event = 'sign_off'"
says "without a first sign-off by a different approver (four eyes)" "one approver twice: four eyes named"

tamper "a history row deleted (last)" "DELETE FROM history WHERE request_id = $w AND event = 'close'"
says "request $w is 'closed' but its history ends in 'ready'" "deleted last history: the state disagrees"
says "log entry $W_CLOSE (request.close) moves request $w" "deleted last history: the entry named"

tamper "a request's only history row deleted" "DELETE FROM history WHERE request_id = $r"
says "request $r has no history" "deleted only history: named"
says "log entry $R_RECEIVED (request.received) moves request $r" "deleted only history: the entry named"

tamper "an import's history row deleted" "DELETE FROM history WHERE request_id = 2"
says "request 2 has no history" "deleted import history: named"
says "log entry $IMPORT_IDX (request.import) imports request 2" "deleted import history: the entry named"

tamper "a history reason changed" "UPDATE history SET reason = 'routine' WHERE request_id = $x AND event = 'withdraw'"
says "request $x: history row 'withdraw' has reason 'routine' but log entry $X_WITHDRAW has 'agency withdrew'" \
  "changed reason: named"

tamper "a history actor changed" "UPDATE history SET actor = 'approver-2' WHERE request_id = $w AND event = 'sign_off'"
says "request $w: history row 'sign_off' has actor 'approver-2' but log entry $W_SIGN has 'approver-1'" \
  "changed actor: named"

tamper "a history time changed" "UPDATE history SET at = at - 86400 WHERE request_id = $x AND event = 'withdraw'"
says "history row 'withdraw' has time" "changed time: named"

tamper "a history to_state changed" "UPDATE history SET to_state = 'approved' WHERE request_id = $r"
says "request $r: history row 'received' has to state 'approved' but log entry $R_RECEIVED has 'in_review'" \
  "changed to_state: named"

tamper "a history event changed" "UPDATE history SET event = 'approve' WHERE request_id = $x AND event = 'withdraw'"
says "request $x: history row 'approve' points at log entry $X_WITHDRAW of type 'request.withdraw', not 'request.approve'" \
  "changed event: named"

tamper "a history row pointed elsewhere" "UPDATE history SET log_index = $USER_IDX WHERE request_id = $x AND event = 'withdraw'"
says "log entry $USER_IDX of type 'user.add'" "repointed history: named"
says "log entry $X_WITHDRAW (request.withdraw) moves request $x" "repointed history: the entry left without a row"

tamper "an import's history row pointed elsewhere" "UPDATE history SET log_index = $W_APPROVE WHERE request_id = 1"
says "request 1: history row 'imported' points at log entry $W_APPROVE of type 'request.approve', not 'request.import'" \
  "repointed import history: named"

tamper "a request document changed" \
  "UPDATE request SET doc = replace(doc, 'alice@example.net', 'mallory@example.net') WHERE id = $w"
says "request $w: its stored document is not the one logged in entry $(hist "$w" received)" "changed document: named"

tamper "an imported request's document changed" \
  "UPDATE request SET doc = replace(doc, 'foreign_order', 'search_warrant') WHERE id = 2"
says "request 2: its stored document is not the one logged in entry $IMPORT_IDX" "changed import document: named"

tamper "a request added behind docket's back" \
  "INSERT INTO request(ref, agency_id, country, kind, process, state, categories, n_targets, received_at, created_at, doc) SELECT 'Z-1', agency_id, country, kind, process, 'approved', categories, n_targets, received_at, created_at, doc FROM request WHERE id = $r"
says "request 6 has no history" "added request: named"

# --- the staff: roles decide who may approve (I10) -----------------------------------
tamper "a user's roles changed" "UPDATE staff SET roles = roles | 4 WHERE name = 'auditor-1'"
says "table staff: row auditor-1 has roles '20' but the log gives '16' (entry $USER_IDX)" "changed roles: named"

tamper "a user added behind docket's back" "INSERT INTO staff(name, roles) VALUES ('mallory', 4)"
says "table staff: row mallory is not in the log" "added user: named"

tamper "a user deleted" "DELETE FROM staff WHERE name = 'auditor-1'"
says "table staff: row auditor-1 that log entry $USER_IDX records is missing" "deleted user: named"

# --- JSON findings name the index and the request -----------------------------------
cp "$T_DIR/good.db" "$T_DIR/case.db"; rm -f "$T_DIR/case.db-wal" "$T_DIR/case.db-shm"
sqlite3 "$T_DIR/case.db" "UPDATE request SET state = 'approved' WHERE id = $r"
expect_exit 3 "json verify" -- docket --json --db "$T_DIR/case.db" log verify
echo "$T_OUT" >v.json
python3 - "$r" "$R_RECEIVED" <<'PY' || not_ok "json findings"
import json, sys
v = json.load(open("v.json"))
assert v["ok"] is False and v["records"]["problems"] == 1, v
f = v["problems"][0]
assert f["problem"] == "record" and f["request"] == int(sys.argv[1]) and f["index"] == int(sys.argv[2]), f
PY
ok

done_testing
