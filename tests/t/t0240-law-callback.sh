#!/usr/bin/env bash
# Call-back verification (SPEC §4, US-EMERGENCY, GEN-REQUESTER): the number
# dialled is compared with the agency's independently sourced number on file
# in E.164 form; another number - the requester's own, say - is refused
# unless the reviewer gives a reason, and whether it was the number on file
# is logged.
. "$(dirname "$0")/lib.sh"
setup_db
load_fixtures

cat >em.json <<'JSON'
{"ref":"EM-1","agency":"us-lapd","kind":"emergency","process":"emergency",
 "requester":{"name":"Det. A","email":"a@lapd.gov","phone":"+1 310 555 0199"},
 "targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"],
 "emergency":{"justification":"credible threat to life","supervisor":{"name":"Sgt. B","phone":"+1 213 555 0111"}}}
JSON
id=$(docket --as intake-1 request add em.json)
before=$(db_fingerprint)
expect_exit 5 "the requester's own number" -- docket --as reviewer-1 request verify "$id" --callback "+1 310 555 0199" --person "Det. A"
expect_contains "$T_ERR" "not the number on file" "says why"
expect_contains "$T_ERR" "+1 213 555 0100" "names the number on file"
expect_eq "$(db_fingerprint)" "$before" "nothing changed"
expect_exit 0 "the number on file, written differently" -- docket --as reviewer-1 request verify "$id" --callback "001 (213) 555-0100" --person "Lt. C"
docket --json request show "$id" >show.json
idx=$(python3 -c 'import json; h=json.load(open("show.json"))["history"]; print([x for x in h if x["event"]=="verify"][0]["log_index"])')
entry=$(docket --json log entry "$idx")
expect_contains "$entry" '"number_on_file": true' "the log says the number on file was dialled"

id=$(sed 's/EM-1/EM-2/' em.json > em2.json; docket --as intake-1 request add em2.json)
expect_exit 0 "another number with a reason" -- docket --as reviewer-1 request verify "$id" --callback "+1 213 555 0177" --person "Lt. C" --reason "the number on file is out of order; the watch commander's line from the LAPD website"
entry=$(docket --json log entry "$(docket --json request show "$id" | python3 -c 'import json,sys; h=json.load(sys.stdin)["history"]; print([x for x in h if x["event"]=="verify"][0]["log_index"])')")
expect_contains "$entry" '"number_on_file": false' "the log says another number was dialled"
done_testing
