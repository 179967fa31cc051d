#!/usr/bin/env bash
# `disclose --out` never loses the package (SPEC §8): the package is written
# and synced before the disclosure commits, and put in place without
# replacing anything.  Here a file appears at the destination while the
# package is being put there (link(2) is held back with strace, and the
# file created meanwhile): the request is disclosed and logged, the file
# that appeared is untouched, and the complete package is kept where the
# error message says - it verifies and its hash is the logged one.
. "$(dirname "$0")/lib.sh"
if ! strace -f -o /dev/null true 2>/dev/null; then
  echo "skip: strace cannot trace here"
  exit 77
fi
setup_db 2>/dev/null
load_fixtures
export DOCKET_USER=root
printf '{"account":{"type":"email","value":"alice@example.net"},"category":"subscriber","kind":"profile","created_at":"2025-06-01T00:00:00Z","location":"US","data":"name: Alice"}\n' >vault.jsonl
docket vault import vault.jsonl >/dev/null
printf '{"ref":"W-1","agency":"us-lapd","kind":"criminal","process":"search_warrant","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' >req.json
id=$(docket --as intake-1 request add req.json)
docket --as reviewer-1 request decide "$id" approve --reason ok >/dev/null
docket --as approver-1 request approve "$id" >/dev/null
docket --as approver-2 request approve "$id" >/dev/null

mkdir out
noleaks="${ASAN_OPTIONS:-}:detect_leaks=0"   # LeakSanitizer cannot run under strace
( sleep 1; printf 'someone else\n' >out/w.tar.gz ) &
env ASAN_OPTIONS="$noleaks" strace -f -o /dev/null -e trace=link -e inject=link:delay_enter=2500000 \
  "$DOCKET_BIN" --as approver-1 disclose "$id" --out out/w.tar.gz >"$T_DIR/.out" 2>"$T_DIR/.err"
rc=$?
wait
T_ERR=$(cat "$T_DIR/.err")
[ "$rc" -ne 0 ] && ok || not_ok "disclose said it succeeded though the destination was taken"
expect_contains "$T_ERR" "a file appeared there meanwhile" "the error says what happened"
expect_contains "$T_ERR" "is disclosed and the package" "the error says the disclosure is recorded"
expect_eq "$(cat out/w.tar.gz)" "someone else" "the file that appeared is untouched"
kept=$(printf '%s' "$T_ERR" | sed -n "s/.*kept at '\([^']*\)'.*/\1/p")
[ -n "$kept" ] && [ -s "$kept" ] && ok || not_ok "the package is not where the message says ('$kept')"
sha=$(db_sql "SELECT sha256 FROM disclosure WHERE request_id = $id")
expect_eq "$(sha256sum "$kept" | cut -d' ' -f1)" "$sha" "the kept package is the logged one"
expect_exit 0 "the kept package verifies" -- docket disclose verify "$kept"
expect_eq "$(docket --json request show "$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')" "disclosed" "the request is disclosed"
expect_exit 0 "log verify" -- docket log verify

# a destination that exists before: refused before anything is read or logged
before=$(db_fingerprint)
id2=$(printf '%s' "$(sed 's/W-1/W-2/' req.json)" >req2.json; docket --as intake-1 request add req2.json)
docket --as reviewer-1 request decide "$id2" approve --reason ok >/dev/null
docket --as approver-1 request approve "$id2" >/dev/null
docket --as approver-2 request approve "$id2" >/dev/null
before=$(db_fingerprint)
expect_exit 5 "an existing destination" -- docket --as approver-1 disclose "$id2" --out out/w.tar.gz
expect_eq "$(db_fingerprint)" "$before" "nothing recorded"
expect_eq "$(ls -A out | grep -c '\.tmp$')" "1" "no stray temporary file beyond the kept one"
done_testing
