#!/usr/bin/env bash
# US-NSL: the gag of a National Security Letter is reviewed at 3 years and
# at the investigation's close.  `request investigation-closed` records the
# close the agency reported; the next tick raises the review then, not only
# at 3 years.
. "$(dirname "$0")/lib.sh"
setup_db
load_fixtures
echo '{"id":"us-fbi","name":"Federal Bureau of Investigation","country":"US","type":"national_security","domains":["fbi.gov"],"phone":"+1 202 555 0101"}' >fbi.jsonl
docket agency import fbi.jsonl >/dev/null

cat >nsl.json <<'JSON'
{"ref":"NSL-1","agency":"us-fbi","kind":"national_security","process":"nsl","received_at":"2026-03-02T10:00:00Z",
 "requester":{"name":"SA","email":"sa@fbi.gov"},"issued_by":{"type":"agency","name":"FBI"},
 "targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"],
 "ndo":{"statute":"18 U.S.C. 2709(c)","issued_at":"2026-03-01"}}
JSON
id=$(docket --as intake-1 request add nsl.json)
DOCKET_NOW=2026-06-01T00:00:00Z expect_exit 0 "tick before any review date" -- docket tick
case "$T_OUT" in *"nondisclosure review"*) not_ok "no review due yet: $T_OUT" ;; *) ok ;; esac

expect_exit 5 "intake may not record it" -- docket --as intake-1 request investigation-closed "$id"
DOCKET_NOW=2026-06-01T00:00:00Z expect_exit 3 "not in the future" -- docket --as reviewer-1 request investigation-closed "$id" --on 2026-07-01
DOCKET_NOW=2026-06-01T00:00:00Z expect_exit 0 "the agency reports the close" -- docket --as reviewer-1 request investigation-closed "$id" --on 2026-05-20 --reason "FBI letter of 2026-05-25: case closed"
DOCKET_NOW=2026-06-01T00:00:01Z expect_exit 0 "tick after the close" -- docket tick
expect_contains "$T_OUT" "1 NSL nondisclosure review due" "the gag review is raised at the close"
DOCKET_NOW=2026-06-02T00:00:00Z expect_exit 0 "tick again" -- docket tick
case "$T_OUT" in *"nondisclosure review"*) not_ok "raised once: $T_OUT" ;; *) ok ;; esac
hist=$(docket --json request show "$id" | python3 -c 'import json,sys; print(" ".join(h["event"] for h in json.load(sys.stdin)["history"]))')
expect_contains "$hist" "investigation_closed" "in the history"
expect_exit 0 "log verify" -- docket --as auditor-1 log verify

w=$(printf '{"ref":"W-1","agency":"us-lapd","kind":"criminal","process":"search_warrant","signed":true,"requester":{"name":"A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["content"]}' | docket --as intake-1 request add -)
expect_exit 5 "only for NSLs" -- docket --as reviewer-1 request investigation-closed "$w"
expect_contains "$T_ERR" "National Security Letters" "says why"
done_testing
