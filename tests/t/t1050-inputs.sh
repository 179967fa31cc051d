#!/usr/bin/env bash
# Inputs that were accepted and should not be (issue 14, SPEC §3, §5, §9):
# a historical request received (or closed) in the future, outcome
# 'content' where no content was asked for or kept, a request id with a
# space, a date-only DOCKET_NOW, negative ids (a clear message, not
# getopt's), and an SMTP password file others may read or another user owns.
. "$(dirname "$0")/lib.sh"
setup_db 2>/dev/null
load_fixtures
export DOCKET_USER=root
hist() {  # hist REF RECEIVED CLOSED OUTCOME CATEGORIES
  printf '{"ref":"%s","country":"FR","kind":"criminal","process":"subpoena","received_at":"%s","targets":[],"categories":%s,"outcome":"%s","closed_at":"%s"}\n' "$1" "$2" "$5" "$4" "$3"
}
before=$(db_fingerprint)
hist F-1 2099-02-01 2099-02-10 no_data '["subscriber"]' >future.jsonl
expect_exit 3 "received in the future" -- docket request import future.jsonl
expect_contains "$T_ERR" "future.jsonl:1: field 'received_at': 2099-02-01 lies in the future" "line and field named"
hist F-3 2025-02-10 2025-01-01 no_data '["subscriber"]' >backwards.jsonl
expect_exit 3 "closed before received" -- docket request import backwards.jsonl
hist F-4 2025-02-01 2025-02-10 content '["subscriber"]' >content.jsonl
expect_exit 3 "content on a subscriber-only subpoena" -- docket request import content.jsonl
expect_contains "$T_ERR" "content.jsonl:1: field 'outcome'" "outcome named"
expect_eq "$(db_fingerprint)" "$before" "nothing stored"
hist F-5 2025-02-01 2025-02-10 content '["subscriber","content"]' >ok.jsonl
expect_exit 0 "content where content was asked" -- docket request import ok.jsonl

# close --outcome content on a request whose scope holds no content
printf '{"ref":"S-1","agency":"us-lapd","kind":"criminal","process":"subpoena","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' >s.json
id=$(docket --as intake-1 request add s.json)
docket --as reviewer-1 request decide "$id" approve --reason ok >/dev/null
docket --as approver-1 request approve "$id" >/dev/null
docket --as approver-2 request approve "$id" >/dev/null
docket --as approver-1 disclose "$id" --out s.tar.gz >/dev/null
expect_exit 5 "close a subscriber-only disclosure as content" -- docket --as reviewer-1 request close "$id" --outcome content
expect_contains "$T_ERR" "scope holds no content" "why"
expect_exit 0 "close it as what it was" -- docket --as reviewer-1 request close "$id" --outcome noncontent_only

# ids: digits only, a clear message for a negative one
expect_exit 2 "a request id with a space" -- docket request show " 1"
expect_contains "$T_ERR" "request id ' 1' is not a number" "space refused"
expect_exit 2 "a request id with a plus" -- docket request show "+1"
for c in "request show -1" "request approve -2" "request decide -2 reject --reason x" \
         "hold renew -2" "notice resend -2" "disclose -3 --out x.tar.gz" "request close -2" \
         "log entry -1" "user confirm -1"; do
  # shellcheck disable=SC2086
  expect_exit 2 "$c" -- docket $c
  expect_contains "$T_ERR" "negative" "$c: the message says the id is negative"
  case "$T_ERR" in *"invalid option"*) not_ok "$c: getopt's raw text" ;; *) ok ;; esac
done

# the clock needs a time
expect_exit 2 "date-only DOCKET_NOW" -- env DOCKET_NOW=2026-03-02 "$DOCKET_BIN" request list
expect_contains "$T_ERR" "DOCKET_NOW '2026-03-02' is a date" "clear message"

# the SMTP password file: 0600 and owned by the user docket runs as
docket config set provider_name "Example Cloud Ltd" >/dev/null
docket config set smtp_from legal@example.com >/dev/null
docket config set smtp_url smtp://127.0.0.1:9 >/dev/null
docket config set smtp_user docket >/dev/null
printf 'secret\n' >pw
chmod 644 pw
docket config set smtp_password_file "$T_DIR/pw" >/dev/null
DOCKET_NOW=2026-03-03T12:00:00Z docket tick >/dev/null 2>&1
err=$(docket --json notice list | python3 -c 'import json,sys; print(" ".join(n.get("last_error") or "" for n in json.load(sys.stdin)))')
expect_contains "$err" "has mode 644: it must be 0600" "a readable password file is refused"
if [ "$(id -u)" = 0 ] && chown 65534 pw 2>/dev/null; then
  chmod 600 pw
  docket config set smtp_password_file "$T_DIR/pw" >/dev/null
  DOCKET_NOW=2026-03-04T12:00:00Z docket tick >/dev/null 2>&1
  err=$(docket --json notice list | python3 -c 'import json,sys; print(" ".join(n.get("last_error") or "" for n in json.load(sys.stdin)))')
  expect_contains "$err" "is owned by uid 65534, not by the user docket runs as" "another user's file is refused"
fi
ln -s /etc/hostname pwlink
docket config set smtp_password_file "$T_DIR/pwlink" >/dev/null
DOCKET_NOW=2026-03-05T12:00:00Z docket tick >/dev/null 2>&1
err=$(docket --json notice list | python3 -c 'import json,sys; print(" ".join(n.get("last_error") or "" for n in json.load(sys.stdin)))')
expect_contains "$err" "password file" "a symlink to another file is refused"
case "$err" in *secret*) not_ok "the password leaked into an error" ;; *) ok ;; esac
done_testing
