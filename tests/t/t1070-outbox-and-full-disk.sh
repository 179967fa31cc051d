#!/usr/bin/env bash
# The outbox never follows a symbolic link (notices carry customers' names
# and accounts), and a full disk is reported as a full disk - not "disk I/O
# error" - with nothing changed (issue 14; SPEC §5, §10).
. "$(dirname "$0")/lib.sh"
setup_db 2>/dev/null
load_fixtures
export DOCKET_USER=root
docket config set provider_name "Example Cloud Ltd" >/dev/null
docket config set smtp_from legal@example.com >/dev/null
printf '{"ref":"N-1","agency":"us-lapd","kind":"criminal","process":"subpoena","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' >r.json
docket --as intake-1 request add r.json >/dev/null

# 1. an outbox that is a link to somewhere else
mkdir elsewhere
ln -s "$T_DIR/elsewhere" outbox-link
docket config set outbox_dir "$T_DIR/outbox-link" >/dev/null
DOCKET_NOW=2026-03-02T13:00:00Z docket tick >/dev/null 2>&1
expect_eq "$(ls -A elsewhere | wc -l | tr -d ' ')" "0" "nothing was written through the link"
err=$(docket --json notice list | python3 -c 'import json,sys; print(" ".join(n.get("last_error") or "" for n in json.load(sys.stdin)))')
expect_contains "$err" "is a symbolic link or not a folder: refused" "the notice failed, naming why"
expect_eq "$(db_sql "SELECT state FROM notice")" "failed" "and stays visible as failed"
# an outbox others may write to
mkdir -m 0777 shared
chmod 0777 shared
docket config set outbox_dir "$T_DIR/shared" >/dev/null
DOCKET_NOW=2026-03-02T14:00:00Z docket tick >/dev/null 2>&1
expect_eq "$(ls -A shared | wc -l | tr -d ' ')" "0" "nothing written in a folder others may write to"
# a proper one
docket config set outbox_dir "$T_DIR/outbox" >/dev/null
DOCKET_NOW=2026-03-03T14:00:00Z docket tick >/dev/null 2>&1
expect_eq "$(db_sql "SELECT state FROM notice")" "sent" "delivered to a real folder"
expect_eq "$(stat -c %a outbox)" "700" "the folder is private"
expect_eq "$(stat -c %a outbox/notice-*.eml)" "600" "the file is private"

# 2. a full disk (ENOSPC injected into the SQLite file's writes; a
# PostgreSQL server's disk is the server's to report)
if [ "$T_ENGINE" != pg ] && strace -f -o /dev/null true 2>/dev/null; then
  noleaks="${ASAN_OPTIONS:-}:detect_leaks=0"
  before=$(db_fingerprint)
  env ASAN_OPTIONS="$noleaks" strace -f -o /dev/null -e trace=pwrite64,write -e inject=pwrite64:error=ENOSPC \
    "$DOCKET_BIN" user add full-1 --role auditor >/dev/null 2>"$T_DIR/err"
  rc=$?
  [ "$rc" -ne 0 ] && ok || not_ok "a full disk was not reported"
  expect_contains "$(cat "$T_DIR/err")" "the disk is full" "the message says the disk is full"
  case "$(cat "$T_DIR/err")" in *"disk I/O error"*) not_ok "raw 'disk I/O error'" ;; *) ok ;; esac
  expect_eq "$(db_fingerprint)" "$before" "nothing changed"
  expect_exit 0 "log verify" -- docket log verify
fi
done_testing
