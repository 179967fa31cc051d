#!/usr/bin/env bash
# Exactly once with concurrent schedulers: two (then three) `docket tick`
# processes running at the same time deliver each due notice exactly once.
# Each notice is claimed inside a write transaction (BEGIN IMMEDIATE), so
# only one process ever sends it.
. "$(dirname "$0")/lib.sh"
. "$DOCKET_SOURCE_DIR/tests/t/smtp.sh"
smtp_require
setup_db
load_fixtures
smtp_start
docket config set smtp_url "smtp://127.0.0.1:$SMTP_PORT" >/dev/null
docket config set smtp_from notices@cloud.example >/dev/null

# 40 customers with one account each
for i in $(seq -w 1 40); do
  printf '{"id":"c-%s","name":"Customer %s","type":"consumer","country":"US","data_location":"US","us_person":true,"contact":{"email":"u%s@example.org"},"accounts":[{"type":"email","value":"u%s@example.org"}]}\n' "$i" "$i" "$i" "$i"
done >many.jsonl
docket customer import many.jsonl >/dev/null

# request REF FIRST LAST: one request naming customers FIRST..LAST
request() {
  local targets="" i
  for i in $(seq -f %02g "$2" "$3"); do targets="$targets${targets:+,}{\"type\":\"email\",\"value\":\"u$i@example.org\"}"; done
  printf '{"ref":"%s","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2026-03-02T10:00:00Z","requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[%s],"categories":["subscriber"]}' "$1" "$targets" >"$1.json"
  docket --as intake-1 request add "$1.json" >/dev/null
}

# ticks N: run N ticks at once; prints the sum of what they report sent
ticks() {
  local i pids=()
  for i in $(seq "$1"); do docket tick >"tick$i.out" 2>"tick$i.err" & pids+=($!); done
  for i in "${pids[@]}"; do wait "$i" || not_ok "a concurrent tick failed: $(cat tick*.err)"; done
  cat tick*.out | sed -n 's/^\([0-9]*\) notices\{0,1\} sent.*/\1/p' | awk '{ s += $1 } END { print s + 0 }'
  rm -f tick*.out tick*.err
}

check_once() {  # check_once WANT: WANT messages, to WANT distinct addresses, WANT Message-IDs
  /usr/bin/python3 - "$SMTP_MAILDIR" "$1" <<'PY' && ok || not_ok "each notice delivered exactly once"
import email, email.policy, glob, sys, collections
rcpt, mids = collections.Counter(), collections.Counter()
for f in glob.glob(sys.argv[1] + "/new/*"):
    m = email.message_from_binary_file(open(f, "rb"), policy=email.policy.default)
    rcpt[m["X-RcptTo"]] += 1
    mids[m["Message-ID"]] += 1
want = int(sys.argv[2])
assert sum(rcpt.values()) == want, sum(rcpt.values())
assert len(rcpt) == want and max(rcpt.values()) == 1, rcpt.most_common(3)
assert len(mids) == want and max(mids.values()) == 1, mids.most_common(3)
PY
}

for r in 1 2 3 4; do request "C-$r" $(((r - 1) * 5 + 1)) $((r * 5)); done
expect_eq "$(docket --json notice list --state pending | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" "20" "20 due notices"
expect_eq "$(ticks 2)" "20" "two ticks together report 20 sent"
expect_eq "$(smtp_count)" "20" "20 messages"
check_once 20
expect_eq "$(docket --json notice list --state sent | python3 -c 'import json,sys; n=json.load(sys.stdin); print(len(n), {x["attempts"] for x in n})')" "20 {1}" \
  "20 sent, one attempt each"

export DOCKET_NOW=2026-03-02T13:00:00Z
for r in 5 6 7 8; do request "C-$r" $(((r - 1) * 5 + 1)) $((r * 5)); done
expect_eq "$(ticks 3)" "20" "three ticks together report 20 sent"
expect_eq "$(smtp_count)" "40" "40 messages"
check_once 40
expect_eq "$(ticks 2)" "0" "nothing left for more ticks"
expect_eq "$(smtp_count)" "40" "still 40"

size=$(docket log checkpoint | sed -n 2p)
expect_eq "$(for i in $(seq 0 $((size - 1))); do docket log entry "$i"; echo; done | grep -c '"type":"notice.sent"')" "40" \
  "40 notice.sent entries"
expect_exit 0 "log verifies" -- docket log verify
done_testing
