#!/usr/bin/env bash
# Without an SMTP server notices are RFC 5322 .eml files in the outbox
# (outbox/ beside the database, or outbox_dir), written whole.  NDOs added,
# extended and lifted after intake re-plan the notices; emergency requests
# delay them (emergency_notice_delay_days); an NSL's nondisclosure gets a
# review reminder after 3 years (US-NSL); long NDOs are flagged (GEN-NDO-LONG).
. "$(dirname "$0")/lib.sh"
setup_db
load_fixtures

field() {  # field NOTICE FIELD
  docket --json notice show "$1" | python3 -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$2"
}
first_notice() {  # first_notice REQUEST
  docket --json notice list --request "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])'
}

printf '{"id":"c-juergen","name":"Jürgen Müller","type":"consumer","country":"DE","data_location":"DE","us_person":false,"contact":{"email":"juergen@example.de","name":"Jürgen Müller"},"accounts":[{"type":"email","value":"juergen@example.de"}]}\n' >j.jsonl
docket customer import j.jsonl >/dev/null

# --- (e) outbox mode writes valid .eml files ---------------------------------------
printf '{"ref":"EU-1","agency":"de-bka","kind":"criminal","process":"foreign_order","received_at":"2026-03-02T10:00:00Z","issued_by":{"type":"court","name":"Amtsgericht Köln"},"signed":true,"requester":{"name":"KHK B","email":"b@bka.bund.de"},"targets":[{"type":"email","value":"juergen@example.de"}],"categories":["subscriber"]}' >eu.json
req=$(docket --as intake-1 request add eu.json)
n=$(first_notice "$req")
expect_exit 0 "notice show before sending" -- docket --as auditor-1 notice show "$n"
expect_contains "$T_OUT" "pending" "pending"
expect_exit 0 "tick writes the outbox" -- docket tick
expect_contains "$T_OUT" "1 notice sent, 0 failed" "sent to the outbox"
eml="$T_DIR/outbox/notice-$(printf %06d "$n").eml"
[ -f "$eml" ] && ok || not_ok "the .eml file is in outbox/ beside the database"
expect_eq "$(stat -c %a "$T_DIR/outbox")" "700" "the outbox is private"
expect_eq "$(find "$T_DIR/outbox" -name '.*' -type f | wc -l)" "0" "no temporary file left behind"
/usr/bin/python3 - "$eml" <<'PY' && ok || not_ok "valid RFC 5322 / MIME message"
import email, email.policy, email.utils, re, sys
raw = open(sys.argv[1], "rb").read()
lines = raw.split(b"\r\n")
assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b""), "CRLF line ends only"
assert all(len(l) <= 78 for l in lines), max(lines, key=len)
assert all(b < 128 for b in raw), "7-bit on the wire"
m = email.message_from_bytes(raw, policy=email.policy.strict)
for h in ("Date", "From", "To", "Subject", "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"):
    assert m[h], h
assert email.utils.parsedate_to_datetime(m["Date"]).isoformat() == "2026-03-02T12:00:00+00:00", m["Date"]
assert re.fullmatch(r"<notice-\d+\.[0-9a-f]{24}@test\.example>", m["Message-ID"])
assert m["To"] == "juergen@example.de" and m["MIME-Version"] == "1.0"
assert m.get_content_type() == "text/plain" and m.get_content_charset() == "utf-8"
assert m["Content-Transfer-Encoding"] == "quoted-printable"
body = m.get_content()
assert "Dear Jürgen Müller," in body, body[:200]
assert "Bundeskriminalamt (Germany)" in body and "Amtsgericht Köln" in body
PY
expect_eq "$(field "$n" state)" "sent" "sent"
body=$(docket --as auditor-1 notice show "$n")
expect_contains "$body" "Dear Jürgen Müller" "notice show prints the text sent"

# a file in the way of the outbox: failed, visible, retried
: >"$T_DIR/in-the-way"
docket config set outbox_dir "$T_DIR/in-the-way/outbox" >/dev/null
printf '{"ref":"EU-2","agency":"de-bka","kind":"criminal","process":"foreign_order","received_at":"2026-03-02T11:00:00Z","issued_by":{"type":"court","name":"AG Köln"},"signed":true,"requester":{"name":"KHK B","email":"b@bka.bund.de"},"targets":[{"type":"email","value":"hans@example.de"}],"categories":["subscriber"]}' >eu2.json
req2=$(docket --as intake-1 request add eu2.json)
n2=$(first_notice "$req2")
expect_exit 0 "tick with a broken outbox" -- docket tick
expect_contains "$T_OUT" "1 failed" "the write failed"
expect_contains "$(field "$n2" last_error)" "outbox" "last_error names the outbox"
docket config set outbox_dir "$T_DIR/elsewhere/out" >/dev/null
DOCKET_NOW=2026-03-02T12:05:00Z docket tick >/dev/null
expect_eq "$(field "$n2" state)" "sent" "retried into the configured outbox_dir"
[ -f "$T_DIR/elsewhere/out/notice-$(printf %06d "$n2").eml" ] && ok || not_ok "outbox_dir is honoured"

# --- NDOs after intake: add, extend, lift ----------------------------------------
export DOCKET_NOW=2026-04-01T09:00:00Z
printf '{"ref":"SP-1","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2026-04-01T08:00:00Z","requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' >sp.json
sp=$(docket --as intake-1 request add sp.json)
ns=$(first_notice "$sp")
expect_eq "$(field "$ns" state)" "pending" "pending before the NDO arrives"
expect_exit 2 "ndo add needs --statute" -- docket --as intake-1 ndo add "$sp" --issued 2026-04-01
expect_exit 2 "ndo add needs a valid date" -- docket --as intake-1 ndo add "$sp" --statute "18 U.S.C. 2705(b)" --issued 2026-04-31
expect_exit 5 "only intake adds NDOs" -- docket --as reviewer-1 ndo add "$sp" --statute "18 U.S.C. 2705(b)" --issued 2026-04-01
expect_exit 4 "ndo add on an unknown request" -- docket --as intake-1 ndo add 999 --statute "18 U.S.C. 2705(b)" --issued 2026-04-01
expect_exit 3 "an NDO must end after its issue" -- docket --as intake-1 ndo add "$sp" --statute "18 U.S.C. 2705(b)" --issued 2026-04-01 --expires 2026-03-01
expect_exit 0 "ndo add" -- docket --as intake-1 ndo add "$sp" --statute "18 U.S.C. 2705(b)" --issued 2026-04-01 --expires 2026-07-01
expect_eq "$(field "$ns" state)" "delayed" "the NDO holds the pending notice back"
expect_eq "$(field "$ns" due_at)" "2026-07-01T00:00:00Z" "until its expiry"
expect_exit 5 "a second NDO in force is refused" -- docket --as intake-1 ndo add "$sp" --statute "x" --issued 2026-04-01
expect_exit 3 "an extension must be later" -- docket --as intake-1 ndo extend "$sp" --expires 2026-06-01
expect_exit 0 "ndo extend" -- docket --as intake-1 ndo extend "$sp" --expires 2027-06-01
expect_eq "$(field "$ns" due_at)" "2027-06-01T00:00:00Z" "the notice follows the extension"
expect_contains "$(docket --json request show "$sp" | python3 -c 'import json,sys; print(json.load(sys.stdin)["policy"]["flags"])')" \
  "ndo_over_one_year" "the request is flagged like one that came with a long NDO"
expect_exit 0 "ndo list --json" -- docket --as auditor-1 --json ndo list --request "$sp"
expect_contains "$T_OUT" "ndo_over_one_year" "over 365 days is flagged (GEN-NDO-LONG)"
expect_exit 0 "ndo list" -- docket --as auditor-1 ndo list
expect_contains "$T_OUT" "GEN-NDO-LONG" "the text names the rule"
DOCKET_NOW=2026-07-01T00:00:00Z docket tick >/dev/null
expect_eq "$(field "$ns" state)" "delayed" "the old date no longer releases it"
export DOCKET_NOW=2026-08-01T00:00:00Z
expect_exit 0 "ndo lift" -- docket --as intake-1 ndo lift "$sp" --reason "agency consented"
expect_eq "$(field "$ns" state)" "pending" "lifted: due now"
expect_exit 4 "nothing left to lift" -- docket --as intake-1 ndo lift "$sp"
expect_exit 0 "tick after lift" -- docket tick
expect_eq "$(field "$ns" state)" "sent" "sent after the lift"
expect_exit 0 "a new NDO after the notice went out" -- docket --as intake-1 ndo add "$sp" --statute "18 U.S.C. 2705(b)" --issued 2026-08-01 --expires 2026-12-01
expect_eq "$(field "$ns" state)" "sent" "a sent notice stays sent"
expect_exit 5 "and may not be resent while the NDO holds" -- docket --as compliance-1 notice resend "$ns"

# --- emergency requests: the notice waits emergency_notice_delay_days -------------
export DOCKET_NOW=2026-05-01T10:00:00Z
printf '{"ref":"EM-1","agency":"us-lapd","kind":"emergency","process":"emergency","received_at":"2026-05-01T09:00:00Z","requester":{"name":"Sgt. C","email":"c@lapd.gov"},"emergency":{"justification":"a child is missing","supervisor":{"name":"Lt. D","phone":"+1 213 555 0111"}},"targets":[{"type":"email","value":"bob@contoso.com"}],"categories":["subscriber"]}' >em.json
em=$(docket --as intake-1 request add em.json)
ne=$(first_notice "$em")
expect_eq "$(field "$ne" state)" "delayed" "emergency: delayed"
expect_eq "$(field "$ne" due_at)" "2026-07-30T09:00:00Z" "by 90 days"
expect_eq "$(field "$ne" reason)" "emergency" "the reason is the emergency"
docket config set emergency_notice_delay_days 30 >/dev/null
sed 's/EM-1/EM-2/' em.json >em2.json
em2=$(docket --as intake-1 request add em2.json)
expect_eq "$(field "$(first_notice "$em2")" due_at)" "2026-05-31T09:00:00Z" "the delay is configurable"
DOCKET_NOW=2026-07-30T08:59:59Z docket tick >/dev/null
expect_eq "$(field "$ne" state)" "delayed" "not before the delay ends"
DOCKET_NOW=2026-07-30T09:00:00Z docket tick >/dev/null
expect_eq "$(field "$ne" state)" "sent" "sent when the delay ends"
grep -q "emergency" "$T_DIR/elsewhere/out/notice-$(printf %06d "$ne").eml" && ok || not_ok "the text explains the emergency delay"

# --- NSL: the gag is reviewed 3 years after the request (US-NSL) ------------------
printf '{"id":"us-fbi","name":"Federal Bureau of Investigation","country":"US","type":"national_security","domains":["fbi.gov"],"phone":"+1 202 324 3000"}\n' >fbi.jsonl
docket agency import fbi.jsonl >/dev/null
export DOCKET_NOW=2026-06-01T10:00:00Z
printf '{"ref":"NSL-1","agency":"us-fbi","kind":"national_security","process":"nsl","received_at":"2026-06-01T09:00:00Z","requester":{"name":"SA E","email":"e@fbi.gov"},"issued_by":{"type":"agency","name":"FBI"},"signed":true,"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"],"ndo":{"statute":"18 U.S.C. 2709(c)","issued_at":"2026-06-01"}}' >nsl.json
nsl=$(docket --as intake-1 request add nsl.json)
expect_eq "$(field "$(first_notice "$nsl")" state)" "suppressed" "NSL gag: suppressed"
expect_eq "$(docket --json ndo list --request "$nsl" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["review_at"])')" \
  "2029-06-01T09:00:00Z" "review 3 years after the request"
DOCKET_NOW=2029-06-01T08:59:59Z expect_exit 0 "tick before the review" -- docket tick
case "$T_OUT" in *"review"*) not_ok "no review before its date" ;; *) ok ;; esac
DOCKET_NOW=2029-06-01T09:00:00Z expect_exit 0 "tick at the review date" -- docket tick
expect_contains "$T_OUT" "1 NSL nondisclosure review due (US-NSL)" "tick raises the review"
DOCKET_NOW=2029-06-02T09:00:00Z expect_exit 0 "tick after the review date" -- docket tick
case "$T_OUT" in *"review"*) not_ok "the reminder is raised once" ;; *) ok ;; esac
DOCKET_NOW=2029-06-02T09:00:00Z expect_exit 0 "ndo list shows it" -- docket --as auditor-1 ndo list --request "$nsl"
expect_contains "$T_OUT" "NSL nondisclosure review due" "ndo list surfaces the review"

# --- roles and usage ------------------------------------------------------------------
expect_exit 5 "tick is for admins" -- docket --as intake-1 tick
expect_exit 0 "any role lists notices" -- docket --as auditor-1 notice list --state sent
expect_exit 2 "unknown notice state" -- docket --as auditor-1 notice list --state lost
expect_exit 0 "notice --help" -- docket notice resend --help
expect_contains "$T_OUT" "usage: docket notice resend" "help"
expect_exit 0 "ndo --help" -- docket ndo --help
expect_contains "$T_OUT" "ndo add ID --statute S" "group help"
expect_exit 3 "smtp_url may not hold credentials" -- docket config set smtp_url "smtp://u:p@127.0.0.1:25"
expect_exit 0 "log verifies" -- docket log verify
# a database whose sender is not set
(
  export DOCKET_DB="$T_DIR/fresh.db"
  unset DOCKET_KEYS   # a SQLite file, whichever engine the run is on
  docket init --admin root --origin fresh.example/log >/dev/null
  docket config set smtp_url smtp://127.0.0.1:25 >/dev/null
  expect_exit 3 "smtp_url without smtp_from" -- docket tick
  expect_contains "$T_ERR" "smtp_from" "names the missing setting"
  done_testing
) || T_FAIL=$((T_FAIL + 1))
done_testing
