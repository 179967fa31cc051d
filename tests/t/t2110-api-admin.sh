#!/usr/bin/env bash
# SPEC §12: every command has an endpoint.  The administration endpoints
# over the real `docket serve`: staff users (list, set, remove, another
# user's password) and the proposals of separation of duties (confirm,
# cancel), witnesses (list, add, offer), the log (verify, key), one
# setting, the scheduler pass, and letters to the agency (list, draft,
# send).  Each: success with its status and body (what the command prints
# with --json), a missing role (403), bad input (400/422 naming the field),
# an unknown id (404), refusals change nothing, the change is in the log,
# and the log verifies after.
T_HERE=$(cd "$(dirname "$0")" && pwd)
. "$T_HERE/lib.sh"
. "$T_HERE/serve.sh"
setup_db
load_fixtures
docket config set outbox_dir "$T_DIR/outbox" >/dev/null

declare -A T
docket user add nsa-auditor --role auditor,cleared >/dev/null
for r in root intake-1 reviewer-1 compliance-1 auditor-1 nsa-auditor; do T[$r]=$(token_for "$r"); done
as() { local who=$1; shift; api "$@" -H "Authorization: Bearer ${T[$who]}"; }
send() {  # send WHO METHOD PATH JSON
  as "$1" "$2" "$3" -H 'Content-Type: application/json' -d "$4"
}
logged() {  # logged TYPE DESCRIPTION: the log holds an entry of TYPE
  db_log_entries | grep -q "\"type\":\"$1\"" && ok || not_ok "$2: no $1 entry in the log"
}
serve_start

# --- users -------------------------------------------------------------------
as auditor-1 GET /api/v1/users
expect_status 200 "user list (any role)"
docket --as auditor-1 --json user list >cli.json
python3 - "$T_DIR/.b" cli.json <<'PY' && ok || not_ok "user list: the API answers what the command prints (roles as a list)"
import json, sys
a, c = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for row in c["users"] + c["proposals"]:
    row["roles"] = row["roles"].split(",") if row["roles"] else []
assert a == c, (a, c)
PY
expect_contains "$(json_get '[u["name"] for u in j["users"]]')" "'compliance-1'" "the staff"

before=$(db_fingerprint)
send auditor-1 PATCH /api/v1/users/compliance-1 '{"roles":["compliance","auditor"]}'
expect_status 403 "user set needs admin"
send root PATCH /api/v1/users/compliance-1 '{"roles":["compliance","wizard"]}'
expect_status 422 "an unknown role"
expect_eq "$(json_get 'j["error"]["field"]')" roles "names roles"
send root PATCH /api/v1/users/compliance-1 '{"roles":["compliance"],"colour":"red"}'
expect_status 422 "an unknown field"
expect_eq "$(json_get 'j["error"]["field"]')" colour "names the field"
send root PATCH /api/v1/users/compliance-1 '{}'
expect_status 422 "nothing to change"
send root PATCH /api/v1/users/compliance-1 '{"unix":"bad login!"}'
expect_status 400 "a bad login (the command's usage error)"
expect_eq "$(db_fingerprint)" "$before" "refused changes change nothing"
send root PATCH /api/v1/users/nobody '{"roles":["auditor"]}'
expect_status 404 "set an unknown user"
send root PATCH /api/v1/users/compliance-1 '{"roles":["compliance","auditor"],"unix":"comp1"}'
expect_status 200 "user set"
expect_eq "$(json_get '(j["user"], j["roles"], j["proposed"], j["unix"])')" "('compliance-1', ['compliance', 'auditor'], False, 'comp1')" "the new roles and login"
send root PATCH /api/v1/users/compliance-1 '{"unix":null}'
expect_status 200 "unbind the login"
expect_eq "$(json_get '"unix" in j')" False "no login"
logged user.set "user set"

send intake-1 PUT /api/v1/users/compliance-1/password '{"password":"a long passphrase"}'
expect_status 403 "another's password needs admin"
send root PUT /api/v1/users/compliance-1/password '{"password":"short"}'
expect_status 422 "a password under 10 characters"
send root PUT /api/v1/users/compliance-1/password '{}'
expect_status 422 "no password"
expect_eq "$(json_get 'j["error"]["field"]')" password "names password"
send root PUT /api/v1/users/root/password '{"password":"a long passphrase"}'
expect_status 403 "one's own password goes through /api/v1/session/password"
send root PUT /api/v1/users/nobody/password '{"password":"a long passphrase"}'
expect_status 404 "the password of an unknown user"
send root PUT /api/v1/users/compliance-1/password '{"password":"a long passphrase"}'
expect_status 204 "set another user's password"
logged user.passwd "user passwd"

as intake-1 DELETE /api/v1/users/compliance-1
expect_status 403 "user remove needs admin"
as root DELETE /api/v1/users/nobody
expect_status 404 "remove an unknown user"
as root DELETE /api/v1/users/compliance-1
expect_status 200 "user remove"
logged user.remove "user remove"
expect_eq "$(json_get '(j["removed"], j["proposed"])')" "(True, False)" "removed at once (a single admin)"
as compliance-1 GET /api/v1/session
expect_status 401 "a removed user's token stops working"

# separation of duties: with two admins a guarded change is only proposed
send root POST /api/v1/users '{"name":"ops-1","roles":["auditor"],"unix":"ops1"}'
expect_status 201 "user add with a login"
expect_eq "$(json_get '(j["user"], j["roles"], j["unix"], j["proposed"])')" "('ops-1', ['auditor'], 'ops1', False)" "added at once"
send root POST /api/v1/users '{"name":"ops-2","roles":["auditor"],"unix":"no way"}'
expect_status 400 "a bad login (the command's usage error)"
send root POST /api/v1/users '{"name":"root-2","roles":["admin"]}'
expect_status 201 "a second admin"
T[root-2]=$(token_for root-2)
send root POST /api/v1/users '{"name":"rev-3","roles":["reviewer"]}'
expect_status 201 "a reviewer, with two admins"
expect_eq "$(json_get '(j["proposed"], "proposal" in j)')" "(True, True)" "is only proposed"
send root PATCH /api/v1/users/auditor-1 '{"roles":["auditor","reviewer"]}'
expect_status 200 "a guarded change"
expect_eq "$(json_get 'j["proposed"]')" True "is only proposed"
p=$(json_get 'j["proposal"]')
as auditor-1 GET /api/v1/users
expect_eq "$(json_get "$p in [x['id'] for x in j['proposals']]")" True "the pending proposal is listed"
send auditor-1 POST "/api/v1/users/proposals/$p/confirmation" '{}'
expect_status 403 "confirm needs admin"
send root POST "/api/v1/users/proposals/$p/confirmation" '{}'
expect_status 409 "one does not confirm one's own proposal"
send root-2 POST "/api/v1/users/proposals/$p/confirmation" '{"really":true}'
expect_status 422 "confirm takes no fields"
send root-2 POST /api/v1/users/proposals/999/confirmation ''
expect_status 404 "confirm an unknown proposal"
send root-2 POST "/api/v1/users/proposals/$p/confirmation" ''
expect_status 200 "confirm"
expect_eq "$(json_get '(j["proposal"], j["state"])')" "($p, 'confirmed')" "confirmed"
logged user.propose "a proposal"
logged user.confirm "user confirm"
docket --as auditor-1 --json user list | python3 -c 'import json,sys; print([u["roles"] for u in json.load(sys.stdin)["users"] if u["name"] == "auditor-1"])' >roles.txt
expect_eq "$(cat roles.txt)" "['reviewer,auditor']" "the change took effect"
as root DELETE /api/v1/users/root-2
expect_status 200 "removing an admin"
expect_eq "$(json_get 'j["proposed"]')" True "is only proposed"
p2=$(json_get 'j["proposal"]')
as auditor-1 DELETE "/api/v1/users/proposals/$p2"
expect_status 403 "cancel needs admin"
as root DELETE /api/v1/users/proposals/999
expect_status 404 "cancel an unknown proposal"
as root DELETE "/api/v1/users/proposals/$p2"
expect_status 200 "cancel"
expect_eq "$(json_get '(j["proposal"], j["state"])')" "($p2, 'cancelled')" "cancelled"
logged user.cancel "user cancel"
as root-2 GET /api/v1/session
expect_status 200 "the admin stays"

# --- settings ------------------------------------------------------------------
as root GET /api/v1/config/provider_name
expect_status 200 "config get"
expect_eq "$(json_get '(j["key"], j["value"])')" "('provider_name', 'Example Cloud Inc.')" "the setting"
as auditor-1 GET /api/v1/config/provider_name
expect_status 403 "config get needs admin"
as root GET /api/v1/config/no_such_setting
expect_status 404 "an unknown setting"

# --- witnesses -------------------------------------------------------------------
as auditor-1 GET /api/v1/witnesses
expect_status 200 "witness list"
expect_eq "$(json_get 'j["witnesses"]')" "[]" "none yet"
# a witness verifier key (type 0x04) over some Ed25519 public key
wvkey=$(python3 - "$(docket log key)" <<'PY'
import base64, hashlib, sys
pub = base64.b64decode(sys.argv[1].split("+", 2)[2])[1:]
name = "witness.test/w1"
kid = hashlib.sha256(name.encode() + b"\n" + b"\x04" + pub).digest()[:4]
print("%s+%s+%s" % (name, kid.hex(), base64.b64encode(b"\x04" + pub).decode()))
PY
)
before=$(db_fingerprint)
send auditor-1 POST /api/v1/witnesses "{\"name\":\"witness.test/w1\",\"url\":\"http://127.0.0.1:9/\",\"vkey\":\"$wvkey\"}"
expect_status 403 "witness add needs admin"
send root POST /api/v1/witnesses '{"name":"witness.test/w1","url":"http://127.0.0.1:9/"}'
expect_status 422 "no vkey"
expect_eq "$(json_get 'j["error"]["field"]')" vkey "names vkey"
send root POST /api/v1/witnesses '{"name":"witness.test/w1","url":"http://127.0.0.1:9/","vkey":"nonsense"}'
expect_status 422 "a bad vkey"
expect_eq "$(db_fingerprint)" "$before" "refused witnesses change nothing"
send root POST /api/v1/witnesses "{\"name\":\"witness.test/w1\",\"url\":\"http://127.0.0.1:9/\",\"vkey\":\"$wvkey\"}"
expect_status 201 "witness add"
expect_eq "$(json_get '(j["name"], j["url"])')" "('witness.test/w1', 'http://127.0.0.1:9/')" "the witness"
send root POST /api/v1/witnesses "{\"name\":\"witness.test/w1\",\"url\":\"http://127.0.0.1:9/\",\"vkey\":\"$wvkey\"}"
expect_status 409 "the same witness twice"
logged witness.add "witness add"
as auditor-1 GET /api/v1/witnesses
expect_eq "$(json_get '[(w["name"], w["vkey"]) for w in j["witnesses"]]')" "[('witness.test/w1', '$wvkey')]" "listed"
send auditor-1 POST /api/v1/witnesses/offer ''
expect_status 403 "witness offer needs admin"
send root POST /api/v1/witnesses/offer ''
expect_status 200 "witness offer (the witness is down)"
expect_eq "$(json_get '(j["offered"], j["cosigned"], j["failed"])')" "(1, 0, 1)" "offered, failed"

# --- the scheduler pass -------------------------------------------------------------
send auditor-1 POST /api/v1/tick ''
expect_status 403 "tick needs admin"
send root POST /api/v1/tick '{"now":"2027-01-01"}'
expect_status 422 "tick takes no fields"
send root POST /api/v1/tick ''
expect_status 200 "tick"
expect_eq "$(json_get '"holds_expired" in j and "notices_sent" in j')" True "what the pass did"

# --- letters ------------------------------------------------------------------------
post_req='{"ref":"L-1","agency":"us-lapd","requester":{"name":"Det. Smith","email":"smith@lapd.gov"},"kind":"criminal","process":"subpoena","issued_by":{"type":"agency","name":"LAPD"},"signed":true,"targets":[{"type":"email","value":"alice@example.net"}],"categories":["content"]}'
send intake-1 POST /api/v1/requests "$post_req"
id=$(json_get 'j["id"]')
as auditor-1 GET "/api/v1/requests/$id/letters/draft?kind=rejection"
expect_status 200 "letter draft"
expect_eq "$(json_get 'j["kind"]')" rejection "the kind"
expect_eq "$(json_get 'j["text"]')" "$(docket --as auditor-1 letter draft "$id" rejection)" "the draft is the command's"
as auditor-1 GET "/api/v1/requests/$id/letters/draft"
expect_status 400 "a draft needs its kind"
as auditor-1 GET "/api/v1/requests/$id/letters/draft?kind=praise"
expect_status 422 "an unknown letter"
as auditor-1 GET "/api/v1/requests/999/letters/draft?kind=rejection"
expect_status 404 "the draft for an unknown request"
letter=$(python3 -c 'import json; print(json.dumps({"kind": "rejection", "to": "smith@lapd.gov", "text": "Subject: Your request L-1: declined\n\nDear Det. Smith,\n\nno.\n"}))')
before=$(db_fingerprint)
send auditor-1 POST "/api/v1/requests/$id/letters" "$letter"
expect_status 403 "an auditor does not send letters"
send intake-1 POST "/api/v1/requests/$id/letters" '{"kind":"rejection","text":"Subject: x\n\nbody\n"}'
expect_status 422 "a letter needs an address"
expect_eq "$(json_get 'j["error"]["field"]')" to "names to"
send intake-1 POST "/api/v1/requests/$id/letters" '{"kind":"rejection","to":"a@b.example>, c@d","text":"Subject: x\n\nbody\n"}'
expect_status 422 "a bad address"
send intake-1 POST "/api/v1/requests/$id/letters" '{"kind":"rejection","to":"smith@lapd.gov","text":"no subject"}'
expect_status 422 "a letter without a subject"
expect_eq "$(db_fingerprint)" "$before" "refused letters change nothing"
send intake-1 POST /api/v1/requests/999/letters "$letter"
expect_status 404 "a letter for an unknown request"
send reviewer-1 POST "/api/v1/requests/$id/letters" "$letter"
expect_status 201 "letter send"
expect_eq "$(json_get '(j["kind"], j["to"], j["state"])')" "('rejection', 'smith@lapd.gov', 'sent')" "the letter as listed"
sha=$(json_get 'j["sha256"]')
expect_eq "$sha" "$(printf 'Subject: Your request L-1: declined\n\nDear Det. Smith,\n\nno.\n' | sha256sum | cut -d' ' -f1)" "its SHA-256 is the text's"
logged letter.written "letter send"
logged letter.sent "the letter went out"
ls "$T_DIR"/outbox/letter-*.eml >/dev/null 2>&1 && ok || not_ok "the letter is in the outbox"
as auditor-1 GET "/api/v1/requests/$id/letters"
expect_status 200 "letter list"
expect_eq "$(json_get '[l["sha256"] for l in j["letters"]]')" "['$sha']" "the letter is listed"
docket --as auditor-1 --json letter list "$id" >cli.json
python3 - "$T_DIR/.b" cli.json <<'PY' && ok || not_ok "letter list: the API answers what the command prints"
import json, sys
assert json.load(open(sys.argv[1]))["letters"] == json.load(open(sys.argv[2]))
PY
as auditor-1 GET /api/v1/requests/999/letters
expect_status 404 "the letters of an unknown request"

# --- the log: key and verify ------------------------------------------------------------
as auditor-1 GET /api/v1/log/key
expect_status 200 "log key"
expect_eq "$(json_get 'j["key"]')" "$(docket log key)" "the verifier key"
same_json() {  # same_json DESCRIPTION CLI-ARGS...: the last body is what the command prints
  local what=$1
  shift
  docket --json "$@" >cli.json
  python3 - "$T_DIR/.b" cli.json <<'PY' && ok || not_ok "$what: the API answers what the command prints"
import json, sys
assert json.load(open(sys.argv[1])) == json.load(open(sys.argv[2]))
PY
}
as auditor-1 GET /api/v1/log/checkpoint
expect_status 200 "log checkpoint"
same_json "the latest checkpoint" --as auditor-1 log checkpoint
as auditor-1 GET "/api/v1/log/checkpoint?size=5"
expect_status 200 "an earlier checkpoint"
same_json "the checkpoint at size 5" --as auditor-1 log checkpoint --size 5
as auditor-1 GET "/api/v1/log/checkpoint?size=five"
expect_status 400 "a size that is not a number"
as auditor-1 GET "/api/v1/log/checkpoint?size=99999"
expect_status 404 "no checkpoint at that size"
as auditor-1 GET "/api/v1/log/checkpoint?compartment=1"
expect_status 403 "the compartment needs the role cleared"
as nsa-auditor GET "/api/v1/log/checkpoint?compartment=1"
expect_status 200 "the compartment's checkpoint"
same_json "the compartment's checkpoint" --as nsa-auditor log checkpoint --compartment
# the compartment's entries, for users cleared for it
echo '{"id":"us-fbi","name":"Federal Bureau of Investigation","country":"US","type":"national_security","domains":["fbi.gov"],"phone":"+1 202 555 0101"}' >fbi.jsonl
docket agency import fbi.jsonl >/dev/null
send intake-1 POST /api/v1/requests '{"ref":"NSL-1","agency":"us-fbi","kind":"national_security","process":"nsl","received_at":"2026-03-02T10:00:00Z","requester":{"name":"SA","email":"sa@fbi.gov"},"issued_by":{"type":"agency","name":"FBI"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"],"ndo":{"statute":"18 U.S.C. 2709(c)","issued_at":"2026-03-01"}}'
expect_status 201 "an NSL"
as auditor-1 GET /api/v1/log/compartment/entries/0
expect_status 403 "the compartment's entries need the role cleared"
as nsa-auditor GET /api/v1/log/compartment/entries/0
expect_status 200 "a compartment entry"
same_json "the compartment's entry" --as nsa-auditor log entry 0 --compartment
as nsa-auditor GET /api/v1/log/compartment/entries/99999
expect_status 404 "beyond the compartment"
as auditor-1 GET /api/v1/log/proof/3
expect_status 200 "log proof"
same_json "the inclusion proof" --as auditor-1 log proof 3
as auditor-1 GET "/api/v1/log/proof/3?size=5"
same_json "the inclusion proof at size 5" --as auditor-1 log proof 3 --size 5
as auditor-1 GET /api/v1/log/proof/99999
expect_status 404 "an entry beyond the tree"
as auditor-1 GET /api/v1/log/proof/x
expect_status 404 "not an entry"
as auditor-1 GET /api/v1/log/consistency/5
expect_status 200 "log consistency"
same_json "the consistency proof" --as auditor-1 log consistency 5
api GET /api/v1/log/verify
expect_status 401 "log verify needs a sign-in"
as auditor-1 GET /api/v1/log/verify
expect_status 200 "log verify"
expect_eq "$(json_get '(j["ok"], j["problems"])')" "(True, [])" "every change above verifies"
docket --as auditor-1 --json log verify >cli.json
python3 - "$T_DIR/.b" cli.json <<'PY' && ok || not_ok "log verify: the API answers what the command prints"
import json, sys
a, c = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for k in ("ok", "size", "entries", "checkpoints", "records", "tables", "witnesses"):
    assert a[k] == c[k], (k, a[k], c[k])
PY

docket log checkpoint --size 5 >cp5.txt
as auditor-1 GET /api/v1/log/verify -G --data-urlencode "key=$(docket log key)" --data-urlencode "trusted@cp5.txt"
expect_status 200 "log verify with a key and a trusted checkpoint"
expect_eq "$(json_get '(j["ok"], j["trusted"])')" "(True, {'ok': True, 'size': 5})" "the log extends the trusted checkpoint"
sed 's/^5$/6/' cp5.txt >forged.txt
as auditor-1 GET /api/v1/log/verify -G --data-urlencode "trusted@forged.txt"
expect_status 200 "log verify against a forged checkpoint"
expect_eq "$(json_get '(j["ok"], j["trusted"]["ok"])')" "(False, False)" "refused"

serve_stop
# a tampered log: the endpoint reports it (200, "ok" false, the findings)
db_sql "UPDATE customer SET data_location = 'DE' WHERE id = 'c-alice'"
serve_start
as auditor-1 GET /api/v1/log/verify
expect_status 200 "log verify of a tampered database"
expect_eq "$(json_get 'j["ok"]')" False "not ok"
expect_contains "$(json_get 'json.dumps(j)')" "customer" "names the table"
serve_stop
db_sql "UPDATE customer SET data_location = 'US' WHERE id = 'c-alice'"
expect_exit 0 "the log verifies after every change" -- docket --as auditor-1 log verify
done_testing
