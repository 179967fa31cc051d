#!/usr/bin/env bash
# Letters to the agency from the command line (docket letter): drafts from
# the templates in templates/letters/ filled from the request (the rules'
# citations in a rejection, the DOJ guidance in a redirect); a sent letter
# is stored, logged by the SHA-256 of its text (never the text) and written
# to the outbox; bad input stores nothing; roles are checked.
. "$(dirname "$0")/lib.sh"
setup_db
load_fixtures
export DOCKET_USER=intake-1
cat >bad.json <<'JSON'
{"ref":"L-1","agency":"us-lapd","requester":{"name":"Det. Smith","email":"smith@lapd.gov"},"kind":"criminal","process":"subpoena","issued_by":{"type":"agency","name":"LAPD"},"signed":true,"targets":[{"type":"email","value":"alice@example.net"}],"categories":["content"]}
JSON
id=$(docket request add bad.json)
cat >ent.json <<'JSON'
{"ref":"L-2","agency":"us-lapd","requester":{"name":"Det. Smith","email":"smith@lapd.gov"},"kind":"criminal","process":"search_warrant","issued_by":{"type":"court","name":"Court","judge":"J"},"signed":true,"targets":[{"type":"email","value":"bob@contoso.com"}],"categories":["content"]}
JSON
id2=$(docket request add ent.json)

for k in acknowledgement rejection redirect narrowing production; do
  expect_exit 0 "draft $k" -- docket letter draft "$id" "$k"
done
rej=$(docket letter draft "$id" rejection)
expect_contains "$rej" "Subject: Your request L-1: declined" "the subject names the reference"
expect_contains "$rej" "US-CONTENT-WARRANT" "a rejection cites the rule"
expect_contains "$rej" "18 U.S.C. 2703" "and its citation"
expect_contains "$rej" "Dear Det. Smith" "it greets the requester"
expect_contains "$(docket letter draft "$id2" redirect)" "Seeking Enterprise Customer Data Held by Cloud Service Providers" "a redirect cites the DOJ guidance"
expect_contains "$(docket letter draft "$id2" redirect)" "bob@contoso.com" "and names the enterprise account"
expect_exit 3 "an unknown letter" -- docket letter draft "$id" praise

fp=$(db_fingerprint)
printf 'Subject: x\n\nbody\n' >l.txt
expect_exit 3 "a bad address" -- docket letter send "$id" rejection --to 'a@b.example>, c@d' l.txt
printf 'no subject\n' >nos.txt
expect_exit 3 "a letter without a subject" -- docket letter send "$id" rejection --to smith@lapd.gov nos.txt
expect_exit 5 "an approver does not send letters" -- docket --as approver-1 letter send "$id" rejection --to smith@lapd.gov l.txt
expect_eq "$(db_fingerprint)" "$fp" "refused letters change nothing"

printf '%s\nP.S. edited by hand.\n' "$rej" >rej.txt
lid=$(docket --as reviewer-1 letter send "$id" rejection --to smith@lapd.gov rej.txt)
expect_eq "$lid" "1" "the letter's id"
sha=$(sha256sum rej.txt | cut -d' ' -f1)
expect_contains "$(docket letter list "$id")" "rejection sent to smith@lapd.gov" "listed as sent"
expect_contains "$(docket letter list "$id")" "$sha" "with the SHA-256 of the text as sent"
eml=$(ls "$T_DIR"/outbox/letter-1.eml)
expect_contains "$(cat "$eml")" "To: smith@lapd.gov" "in the outbox"
expect_contains "$(cat "$eml")" "P.S. edited by hand." "as edited"
db_log_entries >entries.txt
python3 - entries.txt "$sha" <<'PY' && ok || not_ok "the log names the letter by hash, never its text"
import sys
entries = open(sys.argv[1], encoding="utf-8").read().splitlines()
hits = [e for e in entries if '"letter.' in e]
assert len(hits) == 2 and all(sys.argv[2] in e for e in hits), hits
assert not any("edited by hand" in e for e in entries)
PY
docket log verify >/dev/null && ok || not_ok "the log verifies"
done_testing
