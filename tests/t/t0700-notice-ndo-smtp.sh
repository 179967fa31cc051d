#!/usr/bin/env bash
# Customer notices over SMTP (SPEC §5, I6): a notice held by an NDO goes out
# exactly when the NDO expires, once, to the right address with the right
# text; each customer hears only about its own accounts; an indefinite NDO
# suppresses the notice until it is lifted.  A real SMTP server (aiosmtpd)
# receives the messages.
. "$(dirname "$0")/lib.sh"
. "$DOCKET_SOURCE_DIR/tests/t/smtp.sh"
smtp_require
setup_db
load_fixtures
smtp_start

docket config set smtp_url "smtp://127.0.0.1:$SMTP_PORT" >/dev/null
docket config set smtp_from notices@cloud.example >/dev/null
docket config set legal_contact legal@cloud.example >/dev/null

notice_field() {  # notice_field REQUEST FIELD: FIELD of the request's first notice
  docket --json notice list --request "$1" | python3 -c "import json,sys; print(json.load(sys.stdin)[0][sys.argv[1]])" "$2"
}

# --- (a) an NDO with an end date holds the notice until that second ------------
cat >a.json <<'JSON'
{"ref":"SW-1","agency":"us-lapd","kind":"criminal","process":"search_warrant","received_at":"2026-03-02T10:00:00Z",
 "requester":{"name":"Det. A","email":"a@lapd.gov"},"issued_by":{"type":"court","name":"Superior Court of California"},"signed":true,
 "targets":[{"type":"email","value":"alice@example.net"},{"type":"username","value":"nobody-here"}],
 "categories":["subscriber","content"],
 "ndo":{"statute":"18 U.S.C. 2705(b)","issued_at":"2026-03-01","expires_at":"2026-09-01T00:00:00Z"}}
JSON
a=$(docket --as intake-1 request add a.json)
expect_eq "$(notice_field "$a" state)" "delayed" "NDO with a date: notice delayed"
expect_eq "$(notice_field "$a" due_at)" "2026-09-01T00:00:00Z" "due when the NDO expires"
expect_eq "$(docket --json notice list --request "$a" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" "1" \
  "one notice: the unresolved target has no customer"

DOCKET_NOW=2026-08-31T23:59:59Z expect_exit 0 "tick one second before" -- docket tick
expect_contains "$T_OUT" "0 notices sent" "nothing sent before expiry"
expect_eq "$(smtp_count)" "0" "no message before expiry"
expect_eq "$(notice_field "$a" state)" "delayed" "still delayed"

DOCKET_NOW=2026-09-01T00:00:00Z expect_exit 0 "tick at expiry" -- docket tick
expect_contains "$T_OUT" "1 notice released" "released at expiry"
expect_contains "$T_OUT" "1 notice sent, 0 failed" "sent at expiry"
expect_eq "$(smtp_count)" "1" "exactly one message"
expect_eq "$(notice_field "$a" state)" "sent" "state sent"
expect_eq "$(notice_field "$a" sent_at)" "2026-09-01T00:00:00Z" "sent_at from the clock"
expect_eq "$(notice_field "$a" attempts)" "1" "one attempt"

receipt=$(docket --json request show "$a" | python3 -c 'import json,sys; print(json.load(sys.stdin)["history"][0]["log_index"])')
msg=$(find "$SMTP_MAILDIR/new" -type f | head -1)
/usr/bin/python3 - "$msg" "$receipt" <<'PY' && ok || not_ok "message content (a)"
import email, email.policy, email.utils, re, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
assert m["X-RcptTo"] == "alice@example.net", m["X-RcptTo"]
assert m["To"] == "alice@example.net"
assert m["X-MailFrom"] == "notices@cloud.example"
assert m["Reply-To"] == "legal@cloud.example"
assert email.utils.parsedate_to_datetime(m["Date"]).isoformat() == "2026-09-01T00:00:00+00:00", m["Date"]
assert re.fullmatch(r"<notice-\d+\.[0-9a-f]{24}@test\.example>", m["Message-ID"]), m["Message-ID"]
assert m["MIME-Version"] == "1.0"
assert m.get_content_type() == "text/plain" and m.get_content_charset() == "utf-8"
assert m["Content-Transfer-Encoding"] == "quoted-printable"
body = " ".join(m.get_content().split())
for want in ("Los Angeles Police Department (United States)", "2026-03-02", "a search warrant",
             "Superior Court of California", "SW-1", "email alice@example.net",
             "subscriber information", "content (such as messages and files)",
             "reviewing the request", "We have not disclosed any data",
             "18 U.S.C. 2705(b)", "expired on 2026-09-01", "legal@cloud.example", "quash",
             f"entry {sys.argv[2]} of"):
    assert want in body, (want, body)
assert "nobody-here" not in body
PY

DOCKET_NOW=2026-09-01T00:10:00Z expect_exit 0 "second tick" -- docket tick
expect_contains "$T_OUT" "0 notices sent" "second tick sends nothing"
expect_eq "$(smtp_count)" "1" "still exactly one message"

# --- each customer hears about its own accounts only; enterprises at their contact
cat >b.json <<'JSON'
{"ref":"SW-2","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2026-09-02T09:00:00Z",
 "requester":{"name":"Det. A","email":"a@lapd.gov"},
 "targets":[{"type":"email","value":"bob@contoso.com"},{"type":"email","value":"alice@example.net"},{"type":"username","value":"contoso-admin"}],
 "categories":["subscriber"]}
JSON
export DOCKET_NOW=2026-09-02T10:00:00Z
b=$(docket --as intake-1 request add b.json)
expect_eq "$(docket --json notice list --request "$b" | python3 -c 'import json,sys; print(" ".join(sorted(n["customer"]+":"+n["state"] for n in json.load(sys.stdin))))')" \
  "c-alice:pending c-contoso:pending" "one pending notice per customer"
expect_exit 0 "tick sends both" -- docket tick
expect_contains "$T_OUT" "2 notices sent" "two sent"
expect_eq "$(smtp_count)" "3" "three messages in all"
/usr/bin/python3 - "$SMTP_MAILDIR" <<'PY' && ok || not_ok "own accounts only"
import email, email.policy, glob, sys
seen = {}
for f in glob.glob(sys.argv[1] + "/new/*"):
    m = email.message_from_binary_file(open(f, "rb"), policy=email.policy.default)
    body = " ".join(m.get_content().split())
    if "SW-2" in body:
        seen[m["X-RcptTo"]] = body
assert set(seen) == {"legal@contoso.com", "alice@example.net"}, seen.keys()
c, a = seen["legal@contoso.com"], seen["alice@example.net"]
assert "Dear Contoso Legal" in c and "your organisation, Contoso Ltd" in c
assert "email bob@contoso.com; username contoso-admin" in c and "alice@example.net" not in c
assert "email alice@example.net" in a and "contoso" not in a.lower()
PY

# --- (d) an indefinite NDO suppresses the notice until it is lifted -------------
cat >d.json <<'JSON'
{"ref":"SP-3","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2026-09-03T09:00:00Z",
 "requester":{"name":"Det. A","email":"a@lapd.gov"},
 "targets":[{"type":"email","value":"hans@example.de"}],"categories":["subscriber"],
 "ndo":{"statute":"18 U.S.C. 2705(b)","issued_at":"2026-09-02"}}
JSON
export DOCKET_NOW=2026-09-03T10:00:00Z
d=$(docket --as intake-1 request add d.json)
expect_eq "$(notice_field "$d" state)" "suppressed" "indefinite NDO: suppressed"
shown=$(docket --json request show "$d")
expect_contains "$(echo "$shown" | python3 -c 'import json,sys; print(json.load(sys.stdin)["policy"]["flags"])')" "ndo_indefinite" \
  "request flagged ndo_indefinite"
expect_contains "$(echo "$shown" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ndos"][0]["flags"])')" "ndo_indefinite" \
  "request show lists the flagged NDO"
expect_exit 0 "ndo list" -- docket --as auditor-1 ndo list
expect_contains "$T_OUT" "challenge recommended (GEN-NDO-INDEFINITE)" "ndo list flags it for challenge"
expect_exit 0 "request show text" -- docket --as auditor-1 request show "$d"
expect_contains "$T_OUT" "GEN-NDO-INDEFINITE" "request show text flags it"
expect_contains "$T_OUT" "suppressed" "request show lists the suppressed notice"

DOCKET_NOW=2030-01-01T00:00:00Z expect_exit 0 "tick years later" -- docket tick
expect_eq "$(notice_field "$d" state)" "suppressed" "still suppressed years later"
expect_eq "$(smtp_count)" "3" "nothing sent while suppressed"

expect_exit 5 "a reviewer may not lift an NDO" -- docket --as reviewer-1 ndo lift "$d"
export DOCKET_NOW=2030-01-02T00:00:00Z
expect_exit 0 "lift the NDO" -- docket --as intake-1 ndo lift "$d" --reason "court vacated the order"
expect_eq "$(notice_field "$d" state)" "pending" "lifting releases the notice"
expect_eq "$(smtp_count)" "3" "lifting itself sends nothing"
expect_exit 0 "next tick" -- docket tick
expect_contains "$T_OUT" "1 notice sent" "sent by the next tick"
expect_eq "$(smtp_count)" "4" "the fourth message"
expect_eq "$(notice_field "$d" state)" "sent" "sent"
grep -rl "SP-3" "$SMTP_MAILDIR/new" | xargs cat | grep -q "was lifted on 2030-01-02" && ok || not_ok "the text says the NDO was lifted"

# --- the log records every send, never an address or body in clear ---------------
size=$(docket log checkpoint | sed -n 2p)
entries=$(for i in $(seq 0 $((size - 1))); do docket log entry "$i"; echo; done)
expect_eq "$(echo "$entries" | grep -c '"type":"notice.sent"')" "4" "four notice.sent entries"
case "$entries" in
*alice@example.net* | *legal@contoso.com* | *hans@example.de* | *"Dear "*) not_ok "personal data in the log" ;;
*) ok ;;
esac
expect_exit 0 "log verifies" -- docket log verify
done_testing
