#!/usr/bin/env bash
# Fault injection swept over the main commands (issue 14): for intake,
# decide, approve, disclose, tick and the imports, the Nth call of each
# kind of durable write - fsync/fdatasync (EIO) and pwrite64/write to the
# database (ENOSPC, EIO) - is made to fail, for every N the command makes
# (strace fault injection, SQLite-style).  After each run: `log verify`
# passes, if the command said it succeeded (exit 0) what it did is there -
# nothing acknowledged is lost - and a full disk is reported as one.  A
# failed allocation aborts docket by design (base/util.h), which the kill -9
# tests cover.
#
# A dry run counts the calls of each kind; DOCKET_SWEEP_ALL=1 then fails
# every one of them in turn, else (in `make test`) about DOCKET_SWEEP_POINTS
# (default 10) spread over them, always with the last three - the commit.
. "$(dirname "$0")/lib.sh"
sqlite_only "the faults are injected into the writes and fsyncs of the SQLite file"
if ! strace -f -o /dev/null true 2>/dev/null || ! command -v sqlite3 >/dev/null 2>&1; then
  echo "skip: strace or sqlite3 unavailable"
  exit 77
fi
POINTS=${DOCKET_SWEEP_POINTS:-10}
noleaks="${ASAN_OPTIONS:-}:detect_leaks=0"
setup_db 2>/dev/null
load_fixtures
export DOCKET_USER=root
docket config set provider_name "Example Cloud Ltd" >/dev/null
docket config set smtp_from legal@example.com >/dev/null
docket config set outbox_dir "$T_DIR/outbox" >/dev/null
printf '{"account":{"type":"email","value":"alice@example.net"},"category":"subscriber","kind":"profile","created_at":"2025-06-01T00:00:00Z","location":"US","data":"x"}\n' >v.jsonl
docket vault import v.jsonl >/dev/null
printf '{"ref":"S-1","agency":"us-lapd","kind":"criminal","process":"subpoena","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' >s1.json
sed 's/S-1/S-2/' s1.json >s2.json
docket --as intake-1 request add s1.json >/dev/null           # request 1: in review
printf '{"ref":"H-1","country":"FR","kind":"criminal","process":"subpoena","received_at":"2025-02-01","targets":[],"categories":["subscriber"],"outcome":"no_data","closed_at":"2025-02-10"}\n{"ref":"H-2","country":"FR","kind":"criminal","process":"subpoena","received_at":"2025-02-02","targets":[],"categories":["subscriber"],"outcome":"no_data","closed_at":"2025-02-10"}\n' >h.jsonl
printf '{"id":"c-new","name":"New","type":"consumer","country":"US","data_location":"US","us_person":true,"contact":{"email":"new@example.net"},"accounts":[{"type":"email","value":"new@example.net"}]}\n' >c.jsonl
sqlite3 "$DOCKET_DB" ".backup '$T_DIR/base0.db'"             # request 1 in review
docket --as reviewer-1 request decide 1 approve --reason ok >/dev/null
docket --as approver-1 request approve 1 >/dev/null
sqlite3 "$DOCKET_DB" ".backup '$T_DIR/base1.db'"             # one sign-off
docket --as approver-2 request approve 1 >/dev/null
sqlite3 "$DOCKET_DB" ".backup '$T_DIR/base2.db'"             # ready

q() { sqlite3 "$T_DIR/w.db" "$1"; }
# sweep NAME BASE CHECK-SQL WANT COMMAND...: CHECK-SQL gives WANT after a
# successful run
sweep() {
  local name=$1 base=$2 check=$3 want=$4
  shift 4
  local kind calls n fired total=0
  fresh() {
    rm -rf "$T_DIR"/w.db* "$T_DIR/outbox"
    cp "$T_DIR/$base" "$T_DIR/w.db"
    copy_keys "$DOCKET_DB" "$T_DIR/w.db"
  }
  for kind in "fsync,fdatasync:error=EIO" "pwrite64:error=ENOSPC" "pwrite64:error=EIO"; do
    calls=${kind%%:*}
    fresh
    env ASAN_OPTIONS="$noleaks" strace -f -o "$T_DIR/trace" -e trace="$calls" "$@" >/dev/null 2>&1
    local count c
    # strace counts each listed call on its own: the most calls of one kind
    count=0
    for c in ${calls//,/ }; do
      local k
      k=$(grep -c " $c(" "$T_DIR/trace")
      [ "$k" -gt "$count" ] && count=$k
    done
    [ "$count" -ge 1 ] || continue
    local points
    if [ "${DOCKET_SWEEP_ALL:-0}" = 1 ]; then
      points=$(seq 1 "$count")
    else
      points=$( { seq 1 $(( (count + POINTS - 1) / POINTS )) "$count"; seq $((count > 3 ? count - 2 : 1)) "$count"; } | sort -un)
    fi
    for n in $points; do
      fresh
      env ASAN_OPTIONS="$noleaks" strace -f -o "$T_DIR/trace" -e trace="$calls" \
        -e inject="$calls:${kind#*:}:when=$n" "$@" >/dev/null 2>"$T_DIR/err"
      local rc=$?
      grep -q INJECTED "$T_DIR/trace" || continue
      total=$((total + 1))
      expect_exit 0 "$name, $calls #$n failed (exit $rc): log verify" -- \
        docket --db "$T_DIR/w.db" log verify
      if [ "$rc" -eq 0 ]; then
        expect_eq "$(q "$check")" "$want" "$name, $calls #$n: acknowledged, so it is there"
      else
        case "$kind:$(cat "$T_DIR/err")" in
          *ENOSPC*"disk is full"*|*EIO*) ok ;;
          *) not_ok "$name, $calls #$n (ENOSPC): not reported as a full disk: $(cat "$T_DIR/err")" ;;
        esac
      fi
    done
  done
  [ "$total" -ge 2 ] && ok || not_ok "$name: only $total faults injected"
}
W="$T_DIR/w.db"
sweep intake base0.db "SELECT count(*) FROM request WHERE ref = 'S-2'" 1 \
  "$DOCKET_BIN" --db "$W" --as intake-1 request add s2.json
sweep decide base0.db "SELECT state FROM request WHERE id = 1" approved \
  "$DOCKET_BIN" --db "$W" --as reviewer-1 request decide 1 approve --reason ok
sweep approve base1.db "SELECT state FROM request WHERE id = 1" ready \
  "$DOCKET_BIN" --db "$W" --as approver-2 request approve 1
sweep disclose base2.db "SELECT state FROM request WHERE id = 1" disclosed \
  "$DOCKET_BIN" --db "$W" --as approver-1 disclose 1 --out "$T_DIR/p.tar.gz"
sweep tick base0.db "SELECT count(*) FROM notice WHERE state = 'sent'" 1 \
  env DOCKET_NOW=2026-03-02T13:00:00Z "$DOCKET_BIN" --db "$W" tick
sweep "request import" base0.db "SELECT count(*) FROM request WHERE ref LIKE 'H-%'" 2 \
  "$DOCKET_BIN" --db "$W" request import h.jsonl
sweep "customer import" base0.db "SELECT count(*) FROM customer WHERE id = 'c-new'" 1 \
  "$DOCKET_BIN" --db "$W" customer import c.jsonl
done_testing
