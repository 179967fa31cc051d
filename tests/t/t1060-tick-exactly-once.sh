#!/usr/bin/env bash
# A notice is delivered exactly once even when `tick` fails at a commit
# (SPEC §5; docs/notices.md): every fsync of a tick is made to fail in turn
# (strace fault injection; a failed commit is fatal for the process), then
# the next tick runs after the claim lease.  Whatever failed, the notice
# ends `sent`, `log verify` passes, and a message that reached the outbox
# is never written there again (its file keeps its inode): a delivery that
# was not recorded is recorded from its delivery receipt, not repeated.
. "$(dirname "$0")/lib.sh"
sqlite_only "the fsyncs failed in turn are those of the SQLite file"
if ! strace -f -o /dev/null true 2>/dev/null || ! command -v sqlite3 >/dev/null 2>&1; then
  echo "skip: strace or sqlite3 unavailable"
  exit 77
fi
setup_db 2>/dev/null
load_fixtures
export DOCKET_USER=root
docket config set provider_name "Example Cloud Ltd" >/dev/null
docket config set smtp_from legal@example.com >/dev/null
printf '{"ref":"N-1","agency":"us-lapd","kind":"criminal","process":"subpoena","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' >r.json
docket --as intake-1 request add r.json >/dev/null
sqlite3 "$DOCKET_DB" ".backup '$T_DIR/base.db'"
noleaks="${ASAN_OPTIONS:-}:detect_leaks=0"
n=0
fired=0
while :; do
  n=$((n + 1))
  rm -rf "$T_DIR/w.db"* "$T_DIR/outbox"
  cp base.db w.db; copy_keys "$DOCKET_DB" w.db
  sqlite3 w.db "UPDATE setting SET value = '$T_DIR/outbox' WHERE key = 'config.outbox_dir'" 2>/dev/null
  docket --db w.db config set outbox_dir "$T_DIR/outbox" >/dev/null
  env ASAN_OPTIONS="$noleaks" DOCKET_NOW=2026-03-02T13:00:00Z strace -f -o "$T_DIR/trace" \
    -e trace=fsync,fdatasync -e inject=fsync,fdatasync:error=EIO:when=$n \
    "$DOCKET_BIN" --db w.db tick >/dev/null 2>"$T_DIR/err"
  rc=$?
  grep -q 'INJECTED' "$T_DIR/trace" || break      # past the last fsync of a tick
  fired=$((fired + 1))
  ino=$(stat -c %i "$T_DIR"/outbox/notice-*.eml 2>/dev/null || echo none)
  DOCKET_NOW=2026-03-02T13:30:00Z docket --db w.db tick >/dev/null 2>&1
  DOCKET_NOW=2026-03-02T14:30:00Z docket --db w.db tick >/dev/null 2>&1
  state=$(sqlite3 w.db "SELECT state FROM notice")
  expect_eq "$state" "sent" "fsync $n failed (tick exit $rc): the notice ends sent"
  if [ "$ino" != none ]; then
    expect_eq "$(stat -c %i "$T_DIR"/outbox/notice-*.eml)" "$ino" "fsync $n: a delivered message is not delivered again"
  fi
  expect_exit 0 "fsync $n: log verify" -- docket --db w.db log verify
  [ "$n" -ge 40 ] && break
done
[ "$fired" -ge 5 ] && ok || not_ok "only $fired fsyncs in a tick were made to fail"
done_testing
