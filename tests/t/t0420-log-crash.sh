#!/usr/bin/env bash
# Crashes never break the log (invariant I8, SPEC §10): several processes
# append at once - users added, requests taken in - and are killed with
# SIGKILL at random moments, round after round.  After every round
# `docket log verify` passes (log, checkpoints and records agree), and
# everything a command reported as done before it was killed is there.
# Then a failing fsync (injected with strace) makes a command die with exit
# 1 and a "fatal" message, and the database still verifies.
#
# DOCKET_CRASH_ROUNDS (default 30) and DOCKET_CRASH_WRITERS (default 3)
# scale it; a round lasts 0.1 to 0.5 s.
. "$(dirname "$0")/lib.sh"
sqlite_only "injects failed fsyncs into SQLite's own files (on PostgreSQL: t3010)"

if ! command -v sqlite3 >/dev/null 2>&1; then
  echo "skip: the sqlite3 shell is not installed"
  exit 77
fi
ROUNDS=${DOCKET_CRASH_ROUNDS:-30}
WRITERS=${DOCKET_CRASH_WRITERS:-3}

setup_db
load_fixtures
export DOCKET_USER=root
mkdir "$T_DIR/out"

# user_writer ROUND K: add users until killed; each success prints
# "user NAME: auditor" to out/users.ROUND.K, which docket writes only after
# its commit returned.
user_writer() {
  local i=0
  while :; do
    i=$((i + 1))
    "$DOCKET_BIN" user add "u$1x$2x$i" --role auditor >>"$T_DIR/out/users.$1.$2" 2>/dev/null
  done
}

# request_writer ROUND: take requests in until killed; each success prints
# the new id to out/requests.ROUND.<ref>.
request_writer() {
  local i=0 ref
  while :; do
    i=$((i + 1))
    ref="C-$1-$i"
    printf '{"ref":"%s","agency":"us-lapd","kind":"criminal","process":"subpoena","signed":true,"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' \
      "$ref" >"$T_DIR/out/$ref.json"
    "$DOCKET_BIN" --as intake-1 request add "$T_DIR/out/$ref.json" >>"$T_DIR/out/requests.$ref" 2>/dev/null
  done
}

# Every writer runs in its own process group (job control), so one kill
# ends the loop and the docket it is running, and nothing else.
set -m
verified=0
for ((round = 1; round <= ROUNDS; round++)); do
  pids=()
  for ((k = 1; k < WRITERS; k++)); do
    user_writer "$round" "$k" &
    pids+=($!)
  done
  request_writer "$round" &
  pids+=($!)
  sleep "0.$((RANDOM % 5 + 1))"
  for p in "${pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  if "$DOCKET_BIN" log verify >"$T_DIR/verify.out" 2>&1; then
    verified=$((verified + 1))
  else
    not_ok "round $round: log verify failed: $(cat "$T_DIR/verify.out")"
    break
  fi
done
set +m
expect_eq "$verified" "$ROUNDS" "the log verified after every round"

# What was reported done is there: the user in the staff table and in a
# user.add entry, the request with its ref.
reported=0 missing=0
cat "$T_DIR"/out/users.* 2>/dev/null | grep -E '^user u[0-9]+x[0-9]+x[0-9]+: auditor$' |
  sed 's/^user \(.*\): auditor$/\1/' >"$T_DIR/users.done"
while read -r name; do
  reported=$((reported + 1))
  [ "$(sqlite3 "$DOCKET_DB" "SELECT count(*) FROM staff WHERE name = '$name'")" = 1 ] || {
    missing=$((missing + 1)); not_ok "user $name was reported added but is not stored"; }
done <"$T_DIR/users.done"
in_log=$(sqlite3 "$DOCKET_DB" "SELECT count(*) FROM log_entry WHERE CAST(entry AS TEXT) LIKE '%\"type\":\"user.add\"%' AND CAST(entry AS TEXT) GLOB '*\"user\":\"u[0-9]*x[0-9]*x[0-9]*\"*'")
stored=$(sqlite3 "$DOCKET_DB" "SELECT count(*) FROM staff WHERE name GLOB 'u[0-9]*x[0-9]*x[0-9]*'")
expect_eq "$in_log" "$stored" "every stored user has its log entry"
for f in "$T_DIR"/out/requests.*; do
  [ -e "$f" ] || continue
  ref=${f##*/requests.}
  id=$(grep -E '^[0-9]+$' "$f" | head -1)
  [ -n "$id" ] || continue
  reported=$((reported + 1))
  [ "$(sqlite3 "$DOCKET_DB" "SELECT ref FROM request WHERE id = $id")" = "$ref" ] || {
    missing=$((missing + 1)); not_ok "request $ref was reported as $id but is not stored"; }
done
expect_eq "$missing" 0 "nothing reported done was lost"
[ "$reported" -gt 0 ] && ok || not_ok "no command finished in $ROUNDS rounds"
echo "# $ROUNDS rounds, $WRITERS writers: $reported commands reported done, $stored users stored"

# --- a failing fsync -------------------------------------------------------------------
# SQLite syncs the write-ahead log with fdatasync (or fsync) when a unit of
# work commits, then the directory and, closing, the checkpoint.  Failing
# the commit's sync - the first - must stop docket: the commit's fate is
# unknown, so it may not report success.  Failing a later one may not lose
# what was reported.  Either way the database verifies afterwards.
if strace -f -o /dev/null true 2>/dev/null; then
  noleaks="${ASAN_OPTIONS:-}:detect_leaks=0"   # LeakSanitizer cannot run under strace
  strace -f -c -e trace=fsync,fdatasync -o "$T_DIR/syncs" \
    env ASAN_OPTIONS="$noleaks" "$DOCKET_BIN" user add count-syncs --role auditor >/dev/null 2>&1
  syncs=$(awk '$NF == "fsync" || $NF == "fdatasync" { n += $4 } END { print n + 0 }' "$T_DIR/syncs")
  [ "$syncs" -ge 1 ] && ok || not_ok "a user add syncs nothing (found $syncs)"
  for ((n = 1; n <= syncs; n++)); do
    strace -f -o /dev/null -e trace=fsync,fdatasync -e inject=fsync,fdatasync:error=EIO:when=$n \
      env ASAN_OPTIONS="$noleaks" "$DOCKET_BIN" user add "sync-$n" --role auditor \
      >"$T_DIR/.out" 2>"$T_DIR/.err"
    got=$?
    T_OUT=$(cat "$T_DIR/.out") T_ERR=$(cat "$T_DIR/.err")
    stored=$(sqlite3 "$DOCKET_DB" "SELECT count(*) FROM staff WHERE name = 'sync-$n'")
    if [ "$got" = 1 ]; then
      expect_contains "$T_ERR" "docket: fatal: commit" "failing sync $n: fatal"
      expect_eq "$T_OUT" "" "failing sync $n: no success reported"
    elif [ "$got" = 0 ] && [ "$n" -gt 1 ]; then
      expect_eq "$T_OUT/$stored" "user sync-$n: auditor/1" "failing sync $n (after the commit): reported and stored"
    else
      not_ok "failing sync $n: exit $got; stderr: $T_ERR"
    fi
    echo "# failing sync $n of $syncs: exit $got, user stored: $stored"
    expect_exit 0 "the log verifies after failing sync $n" -- docket log verify
  done
  expect_exit 0 "docket carries on afterwards" -- docket user add after-syncs --role auditor
  expect_exit 0 "and the log verifies" -- docket log verify
else
  echo "note: strace cannot trace here; fsync failures not injected"
fi

done_testing
