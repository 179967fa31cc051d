#!/usr/bin/env bash
# SIGTERM while clients write: the server stops accepting, lets the
# requests in flight finish their units of work, and exits 0; every request
# it acknowledged with 201 is in the database, and the log verifies.
T_HERE=$(cd "$(dirname "$0")" && pwd)
. "$T_HERE/lib.sh"
. "$T_HERE/serve.sh"
setup_db
load_fixtures
tok=$(token_for intake-1)
serve_start --threads 4

writer() {  # writer N: post requests D-N-1.. until the server is gone
  local i=0 code
  while [ $i -lt 200 ]; do
    i=$((i + 1))
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$SERVE_URL/api/v1/requests" \
      -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
      -d "{\"ref\":\"D-$1-$i\",\"agency\":\"us-lapd\",\"kind\":\"criminal\",\"process\":\"subpoena\",\"signed\":true,\"requester\":{\"name\":\"A\",\"email\":\"a@lapd.gov\"},\"targets\":[{\"type\":\"email\",\"value\":\"alice@example.net\"}],\"categories\":[\"subscriber\"]}")
    [ "$code" = 201 ] && echo "D-$1-$i" >>"$T_DIR/acked.$1"
    [ "$code" = 000 ] && break
  done
}
for w in 1 2 3 4; do writer $w & done
# let the burst get going, then ask the server to stop
for _ in $(seq 1 100); do
  [ "$(cat "$T_DIR"/acked.* 2>/dev/null | wc -l)" -ge 20 ] && break
  sleep 0.05
done
serve_stop
wait
expect_eq "$SERVE_RC" 0 "the server drains and exits 0"
cat "$T_DIR"/acked.* | sort >acked.txt
n=$(wc -l <acked.txt)
[ "$n" -ge 20 ] && ok || not_ok "the burst was under way ($n acknowledged)"
docket --as root --json request list | python3 -c 'import json,sys; print("\n".join(r["ref"] for r in json.load(sys.stdin)))' | sort >stored.txt
missing=$(comm -23 acked.txt stored.txt | wc -l)
expect_eq "$missing" 0 "every acknowledged request is stored"
grep -q "draining" serve.log && ok || not_ok "the server said it drains"
expect_exit 0 "log verify" -- docket --as root log verify
done_testing
