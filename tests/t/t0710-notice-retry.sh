#!/usr/bin/env bash
# A notice whose delivery fails stays visible as failed, is retried with
# exponential backoff (5 minutes, doubling) by the clock, and is delivered
# once the SMTP server is back - with the same Message-ID every time.  A
# delivery interrupted by a dead process is recovered after the claim lease.
# `notice resend` sends a new message on purpose.
. "$(dirname "$0")/lib.sh"
. "$DOCKET_SOURCE_DIR/tests/t/smtp.sh"
smtp_require
setup_db
load_fixtures
SMTP_PORT=$(smtp_free_port)   # nothing listens there yet

docket config set smtp_url "smtp://127.0.0.1:$SMTP_PORT" >/dev/null
docket config set smtp_from notices@cloud.example >/dev/null

field() {  # field NOTICE FIELD
  docket --json notice show "$1" | python3 -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$2"
}

printf '{"ref":"S-1","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2026-03-02T11:00:00Z","requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' >s.json
export DOCKET_NOW=2026-03-02T12:00:00Z
req=$(docket --as intake-1 request add s.json)
n=$(docket --json notice list --request "$req" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
expect_eq "$(field "$n" state)" "pending" "no NDO: pending at once"

# --- (b) the server is down: failed, visible, retried after backoff -------------
expect_exit 0 "tick with the server down" -- docket tick
expect_contains "$T_OUT" "0 notices sent, 1 failed" "the attempt failed"
expect_eq "$(field "$n" state)" "failed" "failed"
expect_eq "$(field "$n" attempts)" "1" "one attempt"
expect_contains "$(field "$n" last_error)" "connect" "last_error says why"
expect_eq "$(field "$n" next_try_at)" "2026-03-02T12:05:00Z" "first retry after 5 minutes"
expect_exit 0 "list failed notices" -- docket --as auditor-1 notice list --state failed
expect_contains "$T_OUT" "1 notice" "listed as failed"

DOCKET_NOW=2026-03-02T12:04:59Z docket tick >/dev/null
expect_eq "$(field "$n" attempts)" "1" "not retried before the backoff"
DOCKET_NOW=2026-03-02T12:05:00Z docket tick >/dev/null
expect_eq "$(field "$n" attempts)" "2" "retried at the backoff"
expect_eq "$(field "$n" next_try_at)" "2026-03-02T12:15:00Z" "then 10 minutes"

smtp_start
DOCKET_NOW=2026-03-02T12:14:59Z docket tick >/dev/null
expect_eq "$(smtp_count)" "0" "still waiting for the retry time"
DOCKET_NOW=2026-03-02T12:15:00Z expect_exit 0 "tick with the server back" -- docket tick
expect_contains "$T_OUT" "1 notice sent, 0 failed" "delivered"
expect_eq "$(smtp_count)" "1" "one message"
expect_eq "$(field "$n" state)" "sent" "sent"
expect_eq "$(field "$n" attempts)" "3" "three attempts"
expect_eq "$(field "$n" last_error)" "None" "no error once sent"
DOCKET_NOW=2026-03-03T00:00:00Z docket tick >/dev/null
expect_eq "$(smtp_count)" "1" "never sent twice"

# every attempt carried the same Message-ID, and the message has it
mid=$(field "$n" message_id)
size=$(docket log checkpoint | sed -n 2p)
entries=$(for i in $(seq 0 $((size - 1))); do docket log entry "$i"; echo; done)
expect_eq "$(echo "$entries" | grep '"type":"notice.sending"' | grep -c "\"message_id\":\"$mid\"")" "3" \
  "three attempts, one Message-ID"
expect_eq "$(echo "$entries" | grep -c '"type":"notice.failed"')" "2" "both failures logged"
grep -q "^Message-ID: $mid" "$SMTP_MAILDIR"/new/* && ok || not_ok "the delivered message has that Message-ID"

# --- a delivery interrupted by a dead process is retried after the lease ---------
printf '{"ref":"S-2","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2026-03-04T11:00:00Z","requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"hans@example.de"}],"categories":["subscriber"]}' >s2.json
export DOCKET_NOW=2026-03-04T12:00:00Z
req2=$(docket --as intake-1 request add s2.json)
n2=$(docket --json notice list --request "$req2" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
# what a tick killed between its claim and its outcome leaves behind
db_sql "UPDATE notice SET state = 'sending', claim = 'dead', claimed_at = $(date -u -d 2026-03-04T12:00:00Z +%s), attempts = 1 WHERE id = $n2"
DOCKET_NOW=2026-03-04T12:14:59Z docket tick >/dev/null
expect_eq "$(field "$n2" state)" "sending" "a live claim is left alone"
DOCKET_NOW=2026-03-04T12:15:00Z expect_exit 0 "tick after the lease" -- docket tick
expect_contains "$T_OUT" "1 interrupted delivery retried" "the stale claim is recovered"
expect_eq "$(field "$n2" state)" "sent" "and delivered"
expect_eq "$(smtp_count)" "2" "two messages in all"

# --- notice resend: compliance only; a new message on purpose --------------------
export DOCKET_NOW=2026-03-05T09:00:00Z
expect_exit 5 "intake may not resend" -- docket --as intake-1 notice resend "$n"
expect_exit 0 "compliance resends a lost message" -- docket --as compliance-1 notice resend "$n" --reason "customer reports it never arrived"
expect_contains "$T_OUT" "resent" "resent"
expect_eq "$(smtp_count)" "3" "one more message"
mid2=$(field "$n" message_id)
expect_contains "$mid2" "notice-$n-r1." "a resend is a new message with its own Message-ID"
expect_eq "$(field "$n" resends)" "1" "resends counted"
expect_exit 0 "tick after the resend" -- docket tick
expect_eq "$(smtp_count)" "3" "the resend is not repeated by tick"
expect_exit 4 "resend an unknown notice" -- docket --as compliance-1 notice resend 999

printf '{"ref":"S-3","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2026-03-05T08:00:00Z","requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"bob@contoso.com"}],"categories":["subscriber"],"ndo":{"statute":"18 U.S.C. 2705(b)","issued_at":"2026-03-05","expires_at":"2026-06-01"}}' >s3.json
req3=$(docket --as intake-1 request add s3.json)
n3=$(docket --json notice list --request "$req3" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
expect_exit 5 "a notice an NDO holds back cannot be resent" -- docket --as compliance-1 notice resend "$n3"
# --- SMTP credentials: read from a file at send time, never stored, never in clear
printf 's3cret-pw-XYZ\n' >pw
chmod 644 pw
docket config set smtp_user mailer >/dev/null
docket config set smtp_password_file "$T_DIR/pw" >/dev/null
printf '{"ref":"S-4","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2026-03-06T08:00:00Z","requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' >s4.json
export DOCKET_NOW=2026-03-06T09:00:00Z
req4=$(docket --as intake-1 request add s4.json)
n4=$(docket --json notice list --request "$req4" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
before=$(smtp_count)
expect_exit 0 "tick with a password file others can read" -- docket tick
expect_contains "$(field "$n4" last_error)" "must be 0600" "such a file is refused"
chmod 600 pw
DOCKET_NOW=2026-03-06T09:05:00Z expect_exit 0 "tick with credentials and no TLS" -- docket tick
expect_eq "$(field "$n4" state)" "failed" "no password over a connection without TLS"
expect_eq "$(smtp_count)" "$before" "nothing delivered"
expect_eq "$(db_dump | grep -c s3cret)" "0" "the password is not in the database"
size=$(docket log checkpoint | sed -n 2p)
expect_eq "$(for i in $(seq 0 $((size - 1))); do docket log entry "$i"; done | grep -c s3cret)" "0" "nor in the log"
expect_contains "$(field "$n4" last_error)" "STARTTLS" "the error says TLS was required"

expect_exit 0 "log verifies" -- docket log verify
done_testing
