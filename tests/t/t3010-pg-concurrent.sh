#!/usr/bin/env bash
# t3010: several docket processes over one PostgreSQL database (SPEC §16).
#  - four processes appending at once: one tree, no gap, no duplicate, and
#    log verify passes;
#  - kill -9 during a burst: every write acknowledged before the kill is in
#    the database and in the log, and the log still verifies;
#  - the scheduler pass runs in one process at a time;
#  - a cluster in a time zone other than UTC changes no time.
. "$(dirname "$0")/lib.sh"
pg_only "several processes over one PostgreSQL database"

setup_db
export DOCKET_USER=root
N=25

size() { db_sql 'SELECT count(*) FROM log_entry'; }
before=$(size)

burst() {  # burst TAG: N users, each its own unit of work
  local i
  for i in $(seq 1 $N); do
    docket user add "w$1-$i" --role auditor >/dev/null || echo "failed: w$1-$i" >&2
  done
}
burst 1 2>"$T_DIR/e1" & p1=$!
burst 2 2>"$T_DIR/e2" & p2=$!
burst 3 2>"$T_DIR/e3" & p3=$!
burst 4 2>"$T_DIR/e4" & p4=$!
wait $p1 $p2 $p3 $p4
expect_eq "$(cat "$T_DIR"/e[1-4])" "" "no append failed"
after=$(size)
expect_eq "$after" "$((before + 4 * N))" "one entry per write"
expect_eq "$(db_sql 'SELECT max(idx) + 1 FROM log_entry')" "$after" "no gap in the indexes"
expect_eq "$(db_sql 'SELECT max(size) FROM log_checkpoint')" "$after" "the newest checkpoint covers them all"
expect_eq "$(db_sql "SELECT count(*) FROM staff WHERE name LIKE 'w%'")" "$((4 * N))" "every user stored"
expect_exit 0 "log verify after concurrent appends" -- docket log verify
expect_contains "$T_OUT" "verified" "verified"

# kill -9 during a burst
: >"$T_DIR/acked"
(
  for i in $(seq 1 400); do
    docket user add "k-$i" --role auditor >/dev/null &
    echo $! >"$T_DIR/cur"
    wait $! && echo "k-$i" >>"$T_DIR/acked"
  done
) &
loop=$!
burst 5 2>/dev/null & other=$!
sleep 2
kill -9 "$(cat "$T_DIR/cur")" 2>/dev/null
sleep 0.3
kill -9 "$(cat "$T_DIR/cur")" 2>/dev/null
kill "$loop" 2>/dev/null
wait "$loop" "$other" 2>/dev/null
acked=$(wc -l <"$T_DIR/acked")
[ "$acked" -gt 0 ] && ok || not_ok "some writes were acknowledged before the kill"
missing=0
while read -r name; do
  [ "$(db_sql "SELECT count(*) FROM staff WHERE name = '$name'")" = 1 ] || missing=$((missing + 1))
done <"$T_DIR/acked"
expect_eq "$missing" "0" "every acknowledged write is stored ($acked)"
in_log=$(db_sql "SELECT count(*) FROM log_entry WHERE convert_from(entry, 'UTF8') LIKE '%\"user\":\"k-%'")
stored=$(db_sql "SELECT count(*) FROM staff WHERE name LIKE 'k-%'")
expect_eq "$in_log" "$stored" "every stored write is in the log"
[ "$stored" -ge "$acked" ] && ok || not_ok "acknowledged writes are stored"
expect_exit 0 "log verify after kill -9" -- docket log verify
expect_eq "$(db_sql 'SELECT max(size) FROM log_checkpoint')" "$(size)" "the newest checkpoint covers the log"
# pg_locks shows the whole cluster, where other tests run at the same time:
# count only this database's locks
mine="SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
for _ in $(seq 1 50); do   # a killed client's session ends when the server notices
  [ "$(db_sql "$mine")" = 0 ] && break
  sleep 0.2
done
expect_eq "$(db_sql "$mine")" "0" "no lock is left behind"

# the scheduler pass runs in one process at a time: while another session
# holds the scheduler lock, tick does nothing and says so
expect_exit 0 "tick" -- docket tick
expect_contains "$T_OUT" "notices sent" "tick runs the pass"
psql -X -q -d "$DOCKET_DB" -c "SELECT pg_advisory_lock(1684763648, 3); SELECT pg_sleep(3)" >/dev/null &
holder=$!
for _ in $(seq 1 50); do
  [ "$(db_sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 3 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")" = 1 ] && break
  sleep 0.1
done
expect_exit 0 "tick while another process holds the pass" -- docket tick
expect_contains "$T_OUT" "running in another process" "the second pass waits its turn"
wait "$holder"
expect_exit 0 "tick after it ended" -- docket tick
expect_contains "$T_OUT" "notices sent" "the pass runs again"

# the cluster's time zone is not UTC; docket's times do not move with it
expect_eq "$(db_sql 'SHOW timezone' | grep -c UTC)" "0" "the test cluster is not in UTC"
load_fixtures
printf '{"ref":"TZ-1","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2026-01-01T00:30:00Z","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' >tz.json
id=$(docket --as intake-1 request add tz.json)
expect_eq "$(db_sql "SELECT received_at FROM request WHERE id = $id")" "$(date -u -d 2026-01-01T00:30:00Z +%s)" "stored as UTC seconds"
expect_contains "$(docket request show "$id")" "2026-01-01T00:30:00Z" "shown as it was received"
done_testing
