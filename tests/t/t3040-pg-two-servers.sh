#!/usr/bin/env bash
# t3040: two `docket serve` processes on two ports over one PostgreSQL
# database (SPEC §16).  Writes sent alternately to each, then to both at
# once: nothing is lost or doubled, the log verifies, and both serve the
# same checkpoint once settled.  Then kill -9 of one server during a
# burst: every write it acknowledged is in the database and in the log,
# and the other server carries on.
. "$(dirname "$0")/lib.sh"
pg_only "several servers over one PostgreSQL database"
T_HERE=$(dirname "$0")
. "$T_HERE/serve.sh"
setup_db
TOKEN=$(token_for root)
[ -n "$TOKEN" ] || not_ok "a token for root"

serve_start; URL1=$SERVE_URL; PID1=$SERVE_PID
serve_start; URL2=$SERVE_URL; PID2=$SERVE_PID
SERVE_PID=
trap 'kill -9 $PID1 $PID2 2>/dev/null; t_cleanup' EXIT

add_user() {  # add_USER URL NAME: 201 or not
  curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d "{\"name\":\"$2\",\"roles\":\"auditor\"}" "$1/api/v1/users"
}
status() {  # status URL: "log_size checkpoint_size"
  curl -s -H "Authorization: Bearer $TOKEN" "$1/api/v1/status" |
    python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["log_size"], j["checkpoint_size"])'
}

before=$(db_sql 'SELECT count(*) FROM log_entry')
bad=0
for i in $(seq 1 20); do
  [ "$(add_user "$URL1" "alt1-$i")" = 201 ] || bad=$((bad + 1))
  [ "$(add_user "$URL2" "alt2-$i")" = 201 ] || bad=$((bad + 1))
done
expect_eq "$bad" 0 "every alternating write accepted"
burst() { local i; for i in $(seq 1 20); do [ "$(add_user "$1" "$2-$i")" = 201 ] || echo "$2-$i"; done; }
burst "$URL1" par1 >"$T_DIR/f1" & b1=$!
burst "$URL2" par2 >"$T_DIR/f2" & b2=$!
wait $b1 $b2
expect_eq "$(cat "$T_DIR/f1" "$T_DIR/f2")" "" "every concurrent write accepted"
after=$(db_sql 'SELECT count(*) FROM log_entry')
expect_eq "$after" "$((before + 80))" "one entry per write, none lost or doubled"
expect_eq "$(db_sql "SELECT count(*) FROM staff WHERE name LIKE 'alt%' OR name LIKE 'par%'")" 80 "80 users"
expect_eq "$(db_sql 'SELECT max(idx) + 1 FROM log_entry')" "$after" "no gap"
s1=$(status "$URL1"); s2=$(status "$URL2")
expect_eq "$s1" "$after $after" "server 1 serves the newest checkpoint"
expect_eq "$s2" "$s1" "both serve the same checkpoint"
expect_exit 0 "log verify" -- docket log verify

# kill -9 of one server during a burst
: >"$T_DIR/acked"
( for i in $(seq 1 300); do
    [ "$(add_user "$URL1" "kill-$i")" = 201 ] && echo "kill-$i" >>"$T_DIR/acked"
  done ) & loop=$!
burst "$URL2" during >"$T_DIR/f3" & b3=$!
sleep 1.5
kill -9 "$PID1"
wait "$loop" "$b3" 2>/dev/null
acked=$(wc -l <"$T_DIR/acked")
[ "$acked" -gt 0 ] && ok || not_ok "server 1 acknowledged writes before the kill"
missing=0
while read -r name; do
  [ "$(db_sql "SELECT count(*) FROM staff WHERE name = '$name'")" = 1 ] || missing=$((missing + 1))
done <"$T_DIR/acked"
expect_eq "$missing" 0 "every acknowledged write is stored ($acked)"
stored=$(db_sql "SELECT count(*) FROM staff WHERE name LIKE 'kill-%'")
in_log=$(db_sql "SELECT count(*) FROM log_entry WHERE convert_from(entry, 'UTF8') LIKE '%\"user\":\"kill-%'")
expect_eq "$in_log" "$stored" "every stored write is in the log"
expect_eq "$(cat "$T_DIR/f3")" "" "the other server carried on"
[ "$(add_user "$URL2" after-kill)" = 201 ] && ok || not_ok "server 2 still writes"
size=$(db_sql 'SELECT count(*) FROM log_entry')
expect_eq "$(status "$URL2")" "$size $size" "server 2 serves the newest checkpoint"
expect_exit 0 "log verify after the kill" -- docket log verify
done_testing
