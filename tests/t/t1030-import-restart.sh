#!/usr/bin/env bash
# Every importer is restartable (SPEC §9): killed with SIGKILL at a random
# moment, round after round, the same file run again completes the import -
# no duplicate, no gap - and `log verify` passes.  A request import commits
# a batch at a time, so a kill can leave it half done; the others commit
# the whole file at once.  Then: a customer or agency stored with other
# fields is refused naming the line, and replaced only with --update, which
# logs each changed field (a customer's personal ones by hash).
#
# DOCKET_RESTART_ROUNDS (default 6) scales it.
. "$(dirname "$0")/lib.sh"
sqlite_only "the rounds restart from copies of the SQLite file"
command -v sqlite3 >/dev/null 2>&1 || { echo "skip: no sqlite3 shell"; exit 77; }
ROUNDS=${DOCKET_RESTART_ROUNDS:-6}
setup_db 2>/dev/null
export DOCKET_USER=root
q() { sqlite3 "$DOCKET_DB" "$1"; }

python3 - <<'PY'
import json
with open("customers.jsonl", "w") as f:
    for i in range(1, 1501):
        f.write(json.dumps({"id": "c-%d" % i, "name": "Customer %d" % i, "type": "consumer",
                            "country": "US", "data_location": "US", "us_person": True,
                            "contact": {"email": "c%d@example.net" % i},
                            "accounts": [{"type": "email", "value": "c%d@example.net" % i}]}) + "\n")
with open("agencies.jsonl", "w") as f:
    for i in range(1, 301):
        f.write(json.dumps({"id": "ag-%d" % i, "name": "Agency %d" % i, "country": "US",
                            "type": "law_enforcement", "domains": ["ag%d.example.gov" % i],
                            "phone": "+1 555 %04d" % i}) + "\n")
with open("vault.jsonl", "w") as f:
    for i in range(1, 1501):
        f.write(json.dumps({"account": {"type": "email", "value": "c%d@example.net" % i},
                            "category": "content", "kind": "email_message",
                            "created_at": "2025-07-01T09:00:00Z", "location": "US",
                            "data": "mail %d" % i}) + "\n")
with open("requests.jsonl", "w") as f:
    for i in range(1, 4501):
        f.write(json.dumps({"ref": "H-%d" % i, "agency": "ag-%d" % (i % 300 + 1),
                            "kind": "criminal", "process": "subpoena",
                            "received_at": "2025-02-01", "targets": [
                                {"type": "email", "value": "c%d@example.net" % (i % 1500 + 1)}],
                            "categories": ["subscriber"], "outcome": "no_data",
                            "closed_at": "2025-02-10"}) + "\n")
PY

# killed RUN...: start RUN in the background and kill -9 it after 0 to
# ~0.6 s (it may have finished by then)
killed() {
  "$@" >/dev/null 2>&1 &
  local pid=$!
  sleep "0.$((RANDOM % 6))$((RANDOM % 10))"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}

# each importer: rounds on fresh copies of a base database, killed then run again
restart_rounds() {  # NAME BASE-DB COUNT-SQL WANT CMD...
  local name=$1 base=$2 sql=$3 want=$4
  shift 4
  for round in $(seq 1 "$ROUNDS"); do
    cp "$base" "$T_DIR/r.db"
    rm -f "$T_DIR/r.db-wal" "$T_DIR/r.db-shm"
    copy_keys "$DOCKET_DB" "$T_DIR/r.db"
    DOCKET_DB="$T_DIR/r.db" killed "$@"
    DOCKET_DB="$T_DIR/r.db" "$@" >"$T_DIR/.out" 2>"$T_DIR/.err"
    local rc=$?
    if [ "$rc" -ne 0 ] && ! grep -q "already imported" "$T_DIR/.err"; then
      not_ok "$name round $round: run again exited $rc: $(cat "$T_DIR/.err")"
      continue
    fi
    ok
    expect_eq "$(sqlite3 "$T_DIR/r.db" "$sql")" "$want" "$name round $round: all there once"
    expect_exit 0 "$name round $round: log verify" -- docket --db "$T_DIR/r.db" log verify
  done
}

cp "$DOCKET_DB" base0.db
restart_rounds customers base0.db "SELECT count(*) || '/' || count(DISTINCT id) FROM customer" \
  1500/1500 "$DOCKET_BIN" customer import customers.jsonl
restart_rounds agencies base0.db "SELECT count(*) || '/' || count(DISTINCT id) FROM agency" \
  300/300 "$DOCKET_BIN" agency import agencies.jsonl
docket customer import customers.jsonl >/dev/null
docket agency import agencies.jsonl >/dev/null
sqlite3 "$DOCKET_DB" ".backup '$T_DIR/base1.db'"
restart_rounds vault base1.db "SELECT count(*) FROM vault_item" 1500 \
  "$DOCKET_BIN" vault import vault.jsonl
restart_rounds requests base1.db \
  "SELECT count(*) || '/' || count(DISTINCT ref) || '/' || (SELECT count(*) FROM history WHERE event = 'imported') FROM request" \
  4500/4500/4500 "$DOCKET_BIN" request import requests.jsonl

# a half-done request import, completed by running it again
cp base1.db half.db; copy_keys "$DOCKET_DB" half.db
head -1000 requests.jsonl >first.jsonl
docket --db half.db request import first.jsonl >/dev/null
expect_exit 0 "the whole file after its first batch" -- docket --db half.db request import requests.jsonl
expect_contains "$T_OUT" "imported 3500 historical requests (1000 already stored" "the rest imported, the stored ones skipped"

# --update: a changed customer or agency is refused without it, named by line
before=$(db_fingerprint)
sed 's/"c17@example.net"}/"c17-new@example.net"}/' customers.jsonl | sed -n 17p >changed.jsonl
expect_exit 3 "a changed customer without --update" -- docket customer import changed.jsonl
expect_contains "$T_ERR" "changed.jsonl:1: customer 'c-17' is stored with other field (contact)" "the line and field named"
sed -n 5p agencies.jsonl | sed 's/+1 555 0005/+1 555 9999/' >agency.jsonl
expect_exit 3 "a changed agency without --update" -- docket agency import agency.jsonl
expect_contains "$T_ERR" "agency.jsonl:1: agency 'ag-5' is stored with other field (phone)" "the call-back number named"
expect_eq "$(db_fingerprint)" "$before" "refused: nothing changed"
expect_exit 0 "same file again is fine" -- docket agency import agencies.jsonl
expect_contains "$T_OUT" "imported 0 agencies (300 already stored as they are)" "nothing to do"
expect_exit 0 "--update" -- docket agency import --update agency.jsonl
expect_contains "$T_OUT" "(1 updated)" "updated"
upd=$(q "SELECT CAST(entry AS TEXT) FROM log_entry WHERE CAST(entry AS TEXT) LIKE '%\"type\":\"agency.update\"%'")
expect_contains "$upd" '"field":"phone","new":"+1 555 9999","old":"+1 555 0005"' "the agency's field logged"
expect_exit 0 "--update a customer" -- docket customer import --update changed.jsonl
upd=$(q "SELECT CAST(entry AS TEXT) FROM log_entry WHERE CAST(entry AS TEXT) LIKE '%\"type\":\"customer.update\"%'")
expect_contains "$upd" '"field":"contact"' "the customer's changed field named"
case "$upd" in *c17-new*|*c17@*) not_ok "a customer's address is in the log in clear" ;; *) ok ;; esac
expect_exit 0 "log verify after updates" -- docket log verify
done_testing
