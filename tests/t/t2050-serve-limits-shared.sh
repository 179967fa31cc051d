#!/usr/bin/env bash
# The limit on failed sign-ins is the database's, not a process's (SPEC §12,
# §16): two servers over one database share it - five wrong passwords sent
# to the first limit the name on the second too - a restart does not reset
# it, a success after the window clears it, and the table keeps no name or
# address, only their SHA-256.
T_HERE=$(cd "$(dirname "$0")" && pwd)
. "$T_HERE/lib.sh"
. "$T_HERE/serve.sh"
setup_db
PW='correct horse battery staple'
echo "$PW" | docket --as root user passwd auditor-1 >/dev/null
signin() {  # signin URL PASSWORD
  curl -s -o /dev/null -w '%{http_code}' -X POST "$1/api/v1/session" \
    -H 'Content-Type: application/json' -d "{\"user\":\"auditor-1\",\"password\":\"$2\"}"
}

serve_start
A=$SERVE_URL; A_PID=$SERVE_PID
serve_start
B=$SERVE_URL
[ "$A" != "$B" ] && ok || not_ok "two servers on two ports"
for i in 1 2 3 4 5; do
  expect_eq "$(signin "$A" "wrong password $i")" 401 "wrong password $i on the first server"
done
expect_eq "$(signin "$B" "$PW")" 429 "the second server limits the name, even with the right password"
expect_eq "$(db_sql "SELECT count(*) FROM signin_failure")" 2 "the name and the address are counted"
expect_eq "$(db_sql "SELECT count(*) FROM signin_failure WHERE key LIKE '%auditor%' OR key LIKE '%127.0.0.1%'")" 0 "by digest only"

# a restart does not forget it
serve_stop
kill -TERM "$A_PID" 2>/dev/null; wait "$A_PID" 2>/dev/null
serve_start
expect_eq "$(signin "$SERVE_URL" "$PW")" 429 "a restarted server still limits the name"
serve_stop

# after the window (15 minutes) the name may try again; a success clears it
export DOCKET_NOW=2026-03-02T12:16:00Z
serve_start
expect_eq "$(signin "$SERVE_URL" "$PW")" 200 "after the window the right password signs in"
expect_eq "$(db_sql "SELECT count(*) FROM signin_failure")" 1 "the name's count is gone (the address's lapses with its window)"
serve_stop
expect_exit 0 "log verify" -- docket log verify
done_testing
