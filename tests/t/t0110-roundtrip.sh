#!/usr/bin/env bash
# A request added, shown with --json, and listed keeps every SPEC §3 field.
. "$(dirname "$0")/lib.sh"
setup_db
load_fixtures
export DOCKET_USER=intake-1

cat >full.json <<'JSON'
{
  "ref": "LAPD-2026-00123",
  "received_at": "2026-03-02T10:00:00Z",
  "channel": "portal",
  "agency": "us-lapd",
  "requester": {"name": "Det. J. Smith", "email": "jsmith@lapd.gov", "phone": "+1 213 555 0100"},
  "kind": "criminal",
  "process": "search_warrant",
  "issued_by": {"type": "court", "name": "Superior Court of California, Los Angeles", "judge": "Hon. A. Lee"},
  "signed": true,
  "targets": [{"type": "email", "value": "alice@example.net"}, {"type": "username", "value": "nobody-here"}],
  "categories": ["subscriber", "content"],
  "date_range": {"from": "2025-01-01", "to": "2026-02-28"},
  "ndo": {"statute": "18 U.S.C. 2705(b)", "issued_at": "2026-03-01", "expires_at": "2027-03-01"},
  "emergency": {"justification": "imminent threat to life", "supervisor": {"name": "Sgt. B. Jones", "phone": "+1 213 555 0199"}},
  "due_at": "2026-03-16T00:00:00Z",
  "documents": [{"name": "warrant.pdf", "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}]
}
JSON
expect_exit 0 "add full request" -- docket request add full.json
id=$T_OUT
expect_exit 0 "show --json" -- docket --json request show "$id"
echo "$T_OUT" >shown.json
expect_exit 0 "list --json" -- docket request list --json
echo "$T_OUT" >listed.json

# every input field comes back with the same value
python3 - full.json shown.json listed.json <<'PY' || not_ok "round trip"
import json, sys
full = json.load(open(sys.argv[1]))
shown = json.load(open(sys.argv[2]))
listed = json.load(open(sys.argv[3]))
assert len(listed) == 1, listed
for name, got in (("show", shown), ("list", listed[0])):
    for k, v in full.items():
        assert got.get(k) == v, f"{name}: field {k}: {got.get(k)!r} != {v!r}"
    for k in ("id", "state", "outcome", "country"):
        assert k in got, f"{name}: missing {k}"
for k in ("policy", "history", "notices"):
    assert k in shown, f"show: missing {k}"
assert shown["country"] == "US"
assert shown["history"][0]["event"] == "received"
assert isinstance(shown["history"][0]["log_index"], int)
assert shown["policy"]["action"] in ("review","reject","narrow","redirect","verify","preserve","comity_review")
PY
ok

# with --json, request add prints the stored request
sed 's/LAPD-2026-00123/LAPD-2026-00124/' full.json >full2.json
expect_exit 0 "add --json" -- docket --json request add full2.json
expect_contains "$T_OUT" '"ref": "LAPD-2026-00124"' "add --json prints the request"

# a minimal request gets received_at from the clock
printf '{"ref":"M-1","agency":"us-lapd","kind":"criminal","process":"subpoena","targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' >min.json
expect_exit 0 "add minimal" -- docket request add min.json
expect_exit 0 "show minimal" -- docket --json request show "$T_OUT"
expect_contains "$T_OUT" "\"received_at\": \"$DOCKET_NOW\"" "received_at defaults to the clock"

# reading from standard input
sed 's/M-1/M-2/' min.json | docket request add - >/dev/null && ok || not_ok "add from stdin"

# filters
expect_exit 0 "list by kind" -- docket --json request list --kind criminal --country US
expect_eq "$(echo "$T_OUT" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 4 "4 US criminal"
expect_exit 0 "list by period" -- docket --json request list --period 2025-H2
expect_eq "$T_OUT" "[]" "none in 2025-H2"
expect_exit 0 "list by received" -- docket --json request list --from 2026-03-02 --to 2026-03-03
expect_eq "$(echo "$T_OUT" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 4 "4 received that day"
expect_exit 2 "bad filter" -- docket request list --state nonsense
expect_exit 4 "show missing" -- docket request show 999
done_testing
