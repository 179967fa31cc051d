#!/usr/bin/env bash
# Scoped disclosure and the customer data vault through the real binary
# (SPEC §8; I1, I7, I8, I10): vault import is strict and atomic; a request
# is disclosed only when ready; the package holds exactly the scoped items,
# honours narrowing, carries customer-held-key content as ciphertext only,
# is reproducible, and `disclose verify` catches any change.
. "$(dirname "$0")/lib.sh"
setup_db
load_fixtures

# carol holds her own keys: content is sealed to her public key at import
CAROL_PK=$(python3 -c 'import base64; print(base64.b64encode(bytes(range(1, 33))).decode())')
printf '{"id":"c-carol","name":"Carol","type":"consumer","country":"US","us_person":true,"contact":{"email":"carol@example.org"},"key_custody":"customer","public_key":"%s","accounts":[{"type":"email","value":"carol@example.org"}]}\n' "$CAROL_PK" >carol.jsonl
docket customer import carol.jsonl >/dev/null

item() {  # item EMAIL CATEGORY KIND CREATED DATA
  printf '{"account":{"type":"email","value":"%s"},"category":"%s","kind":"%s","created_at":"%s","location":"US","data":"%s"}\n' "$@"
}
{
  item alice@example.net subscriber profile 2025-06-01T00:00:00Z 'name: Alice\nplan: personal'
  item alice@example.net subscriber account_opened 2023-05-01T00:00:00Z 'alice account opened 2023'
  item alice@example.net noncontent signin_log 2025-06-02T08:00:00Z 'alice signin ok'
  item alice@example.net content email_message 2025-07-01T09:00:00Z 'From: alice\n\nalice mail in range'
  item alice@example.net content email_message 2024-01-01T09:00:00Z 'alice old mail'
  item alice@example.net content email_message 2026-03-01T00:00:00Z 'alice future mail'
  item alice@example.net content file 2026-02-28T23:59:59Z 'alice last-day file'
  item bob@contoso.com content email_message 2025-07-01T09:00:00Z 'bob mail'
  item hans@example.de content email_message 2025-07-01T09:00:00Z 'hans mail'
  item carol@example.org content email_message 2025-07-01T09:00:00Z 'carol secret words'
  printf '{"account":{"type":"email","value":"alice@example.net"},"category":"content","kind":"file","created_at":"2025-08-01T00:00:00Z","location":"US","data_base64":"AAECAwQ="}\n'
} >vault.jsonl

# 1. vault import: strict, every line checked first, admin only
before=$(db_fingerprint)
{ head -1 vault.jsonl; item alice@example.net secrets note 2025-01-01 x; } >bad-cat.jsonl
expect_exit 3 "unknown category" -- docket vault import bad-cat.jsonl
expect_contains "$T_ERR" "bad-cat.jsonl:2: field 'category'" "error names file, line and field"
{ cat vault.jsonl; item mallory@example.com content note 2025-01-01 x; } >bad-acct.jsonl
expect_exit 3 "unknown account" -- docket vault import bad-acct.jsonl
expect_contains "$T_ERR" "bad-acct.jsonl:12: field 'account'" "error names the account field"
{ head -2 vault.jsonl; printf '{"account":{"type":"email","value":"alice@example.net"},"category":"content","kind":"note","created_at":"2025-01-01","location":"US","data":"x","data_base64":"eA=="}\n'; } >bad-both.jsonl
expect_exit 3 "data and data_base64" -- docket vault import bad-both.jsonl
expect_contains "$T_ERR" "bad-both.jsonl:3: field 'data_base64'" "both data fields refused"
{ head -1 vault.jsonl; item alice@example.net content note 2025-13-01 x; } >bad-date.jsonl
expect_exit 3 "bad date" -- docket vault import bad-date.jsonl
expect_contains "$T_ERR" "bad-date.jsonl:2: field 'created_at'" "bad date named"
expect_exit 5 "vault import needs admin" -- docket --as approver-1 vault import vault.jsonl
expect_eq "$(db_fingerprint)" "$before" "rejected imports change nothing"

expect_exit 0 "vault import" -- docket vault import vault.jsonl
expect_contains "$T_OUT" "imported 11 vault items (1 sealed" "import counts items and sealed ones"
expect_exit 5 "same file twice" -- docket vault import vault.jsonl
# provider-custody content is encrypted at rest under DB.vault-key (0600)
expect_eq "$(stat -c %a "$T_VKEY")" "600" "the vault key file is 0600"
if [ "$T_ENGINE" = pg ]; then
  at_rest=$(pg_dump -d "$DOCKET_DB" | grep -a -c -e "alice mail in range" -e "bob mail" -e "alice signin ok" || true)
else
  at_rest=$(cat "$DOCKET_DB" "$DOCKET_DB-wal" 2>/dev/null | grep -a -c -e "alice mail in range" -e "bob mail" -e "alice signin ok" || true)
fi
expect_eq "$at_rest" "0" "the database file holds no plaintext of imported items"
expect_eq "$(db_sql 'select sealed, enc, count(*) from vault_item group by 1, 2 order by 1, 2' | tr '\n' ' ')" "0|1|10 1|0|1 " "ten items encrypted, the sealed one as it was"
expect_contains "$T_ERR" "already imported" "re-import refused"
entries() {  # entries FROM TO: log entries FROM..TO, one a line
  for i in $(seq "$1" "$2"); do docket log entry "$i"; echo; done
}
log_size() { db_sql 'select count(*) from log_entry'; }
imp=$(entries 0 $(($(log_size) - 1)) | grep '"vault.import"')
expect_contains "$imp" "\"count\":11" "one log entry for the import with the count"
expect_contains "$imp" "\"file\":\"sha256:$(sha256sum vault.jsonl | cut -d' ' -f1)\"" "log names the file digest"
case "$imp" in *alice*|*mail*|*secret*) not_ok "the import entry holds content" ;; *) ok ;; esac
expect_exit 2 "there is no command that lists vault content" -- docket vault list
expect_exit 2 "nor one that shows it" -- docket vault show 1

# helpers
add() {  # add REF PROCESS CATEGORIES TARGETS-JSON [EXTRA-JSON]
  printf '{"ref":"%s","agency":"us-lapd","kind":"criminal","process":"%s","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":%s,"categories":%s%s}' \
    "$1" "$2" "$4" "$3" "${5:-}" >req.json
  docket --as intake-1 request add req.json
}
state() { docket --json request show "$1" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["state"], r["outcome"] or "-")'; }
approve_both() {
  docket --as approver-1 request approve "$1" >/dev/null && docket --as approver-2 request approve "$1" >/dev/null
}
# contents PACKAGE: "file<TAB>category<TAB>account<TAB>created_at<TAB>sealed<TAB>bytes" per item
contents() {
  python3 - "$1" <<'PY'
import json, sys, tarfile
t = tarfile.open(sys.argv[1])
m = json.load(t.extractfile("manifest.json"))
for it in m["items"]:
    data = t.extractfile(it["file"]).read()
    print("\t".join([it["file"], it["category"], it["account"]["value"], it["created_at"],
                     str(it["sealed"]), "".join(c if " " <= c <= "~" else "." for c in data.decode("latin-1"))]))
PY
}
W=alice_warrant
ALICE='[{"type":"email","value":"alice@example.net"}]'
RANGE=',"date_range":{"from":"2025-01-01","to":"2026-02-28"}'

# 2. four eyes: disclose is refused until the request is ready
id=$(add W-1 search_warrant '["subscriber","content"]' "$ALICE" "$RANGE")
before=$(db_fingerprint)
expect_exit 5 "disclose in review" -- docket --as approver-1 disclose "$id" --out w1.tar.gz
expect_contains "$T_ERR" "only a ready request" "refusal explains"
expect_eq "$(db_fingerprint)" "$before" "a refused disclosure changes nothing"
docket --as reviewer-1 request decide "$id" approve --reason "valid warrant" >/dev/null
docket --as approver-1 request approve "$id" >/dev/null
before=$(db_fingerprint)
expect_exit 5 "disclose after one approval" -- docket --as approver-1 disclose "$id" --out w1.tar.gz
expect_eq "$(db_fingerprint)" "$before" "one approval is not enough, and nothing changed"
docket --as approver-2 request approve "$id" >/dev/null
expect_eq "$(state "$id")" "ready -" "two approvals make it ready"
expect_exit 5 "a reviewer may not disclose" -- docket --as reviewer-1 disclose "$id" --out w1.tar.gz
expect_exit 2 "disclose needs --out" -- docket --as approver-1 disclose "$id"
[ -e w1.tar.gz ] && not_ok "a refused disclosure wrote a file" || ok
expect_exit 4 "unknown request" -- docket --as approver-1 disclose 9999 --out x.tar.gz

# 3. exactly the scoped items: alice x subscriber,content x 2025-01-01..2026-02-28
expect_exit 0 "disclose" -- docket --as approver-1 disclose "$id" --out w1.tar.gz
expect_contains "$T_OUT" "outcome content" "outcome printed"
expect_eq "$(state "$id")" "disclosed content" "disclosed with outcome content"
got=$(contents w1.tar.gz)
expect_eq "$(printf '%s\n' "$got" | wc -l | tr -d ' ')" "5" "five items in scope"
expect_contains "$got" "alice mail in range" "content in range is there"
expect_contains "$got" "alice last-day file" "the whole last day of the range counts"
expect_contains "$got" "name: Alice" "subscriber record is there"
expect_contains "$got" "alice account opened 2023" "a subscriber record from before the range is there (SPEC §8)"
for never in "old mail" "future mail" "signin" "bob mail" "hans mail" "carol" "noncontent"; do
  case "$got" in *"$never"*) not_ok "out-of-scope item '$never' disclosed" ;; *) ok ;; esac
done
printf '%s\n' "$got" | cut -f3 | sort -u | grep -qvx 'alice@example.net' && not_ok "another account in the package" || ok
sha=$(sha256sum w1.tar.gz | cut -d' ' -f1)
expect_contains "$T_OUT" "$sha" "printed sha256 is the file's"
n=$(log_size)
pkg=$(docket log entry $((n - 2)))
expect_contains "$pkg" "\"type\":\"disclosure.package\"" "package entry logged"
expect_contains "$pkg" "\"sha256\":\"$sha\"" "the log holds the package hash"
reads=$(entries $((n - 6)) $((n - 1)) | grep '"data.read"')
expect_eq "$(printf '%s' "$reads" | python3 -c 'import json,sys; print(len(json.loads(sys.stdin.read())["items"]))')" "5" "every item read is logged"
expect_eq "$(db_sql "select sha256 from disclosure where request_id = $id")" "$sha" "disclosure recorded"
shown=$(docket --json request show "$id" | python3 -c 'import json,sys; d=json.load(sys.stdin)["disclosures"]; print(len(d), d[0]["sha256"], d[0]["items"])')
expect_eq "$shown" "1 $sha 5" "request show lists the disclosure"
expect_exit 0 "log verify after disclosure" -- docket log verify
expect_exit 5 "no second disclosure" -- docket --as approver-1 disclose "$id" --out w1-again.tar.gz
[ -e w1-again.tar.gz ] && not_ok "second disclosure wrote a file" || ok
printf 'keep' >exists.tar.gz

# 4. verify: no database, no user; with the log's key; and tampering
docket log key >log.pub
KEY=log.pub
expect_exit 0 "verify with the log key file" -- env -u DOCKET_USER DOCKET_DB=/nonexistent "$DOCKET_BIN" disclose verify w1.tar.gz --key "$KEY"
expect_contains "$T_OUT" "verified" "verify says so"
expect_exit 0 "verify with the package's own key, no database" -- env -u DOCKET_USER DOCKET_DB=/nonexistent "$DOCKET_BIN" disclose verify w1.tar.gz
expect_contains "$T_OUT" "inside the package" "says the package key is only informative"
expect_exit 0 "--key takes the key itself too" -- docket disclose verify w1.tar.gz --key "$(cat log.pub)"
expect_contains "$T_OUT" "verified" "verified with the key given on the command line"
expect_exit 3 "--key names neither a file nor a key" -- docket disclose verify w1.tar.gz --key no-such.pub
expect_contains "$T_ERR" "cannot read the verifier key file" "the error says --key names a file"
# the cover letter: reference, what is produced, what is not and why; the key
letter=$(python3 -c 'import tarfile; print(tarfile.open("w1.tar.gz").extractfile("letter.txt").read().decode())')
expect_contains "$letter" "Your reference:  W-1" "letter: the reference"
expect_contains "$letter" "- subscriber information: 2 items" "letter: subscriber produced"
expect_contains "$letter" "- content: 3 items" "letter: content produced"
expect_contains "$letter" "subscriber information describes the account as it is" "letter: the date range rule"
expect_contains "$letter" "nothing asked for was withheld" "letter: nothing withheld"
expect_eq "$(python3 -c 'import tarfile; print(tarfile.open("w1.tar.gz").extractfile("key.txt").read().decode().strip())')" "$(cat log.pub)" "the package holds the verifier key"
python3 - <<'PY'
import io, tarfile
src = tarfile.open("w1.tar.gz")
out = tarfile.open("w1-letter.tar.gz", "w:gz", format=tarfile.PAX_FORMAT)
for m in src.getmembers():
    data = src.extractfile(m).read()
    if m.name == "letter.txt":
        data = data.replace(b"3 items", b"2 items")
        m.size = len(data)
    out.addfile(m, io.BytesIO(data))
out.close()
PY
expect_exit 3 "a changed letter" -- docket disclose verify w1-letter.tar.gz
expect_contains "$T_ERR" "letter.txt" "the changed letter is named"
python3 - <<'PY'
import io, tarfile
src = tarfile.open("w1.tar.gz")
out = tarfile.open("w1-item.tar.gz", "w:gz", format=tarfile.PAX_FORMAT)
for m in src.getmembers():
    data = src.extractfile(m).read()
    if "content-email_message" in m.name:
        data = data.replace(b"alice", b"alicf")
    out.addfile(m, io.BytesIO(data))
out.close()
PY
expect_exit 3 "a changed item" -- docket disclose verify w1-item.tar.gz --key "$KEY"
expect_contains "$T_ERR" "content-email_message" "the changed item is named"
cp w1.tar.gz w1-byte.tar.gz
size=$(stat -c %s w1-byte.tar.gz)
printf '\x55' | dd of=w1-byte.tar.gz bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
cmp -s w1.tar.gz w1-byte.tar.gz && not_ok "byte not changed" || ok
expect_exit 3 "a changed byte" -- docket disclose verify w1-byte.tar.gz --key "$KEY"
DOCKET_KEYS= DOCKET_DB=$T_DIR/other.db docket init --origin test.example/log --admin x >/dev/null
DOCKET_KEYS= DOCKET_DB=$T_DIR/other.db docket --as x log key >other.pub
OTHER_KEY=other.pub
expect_exit 3 "another log's key" -- docket disclose verify w1.tar.gz --key "$OTHER_KEY"
expect_contains "$T_ERR" "checkpoint" "a wrong key fails on the checkpoint"

# 5. narrowing at review is honoured: the dropped category is not exported
id=$(add S-1 subpoena '["subscriber","content"]' "$ALICE")
docket --as reviewer-1 request decide "$id" narrow --categories subscriber --reason "subpoena reaches subscriber data" >/dev/null
approve_both "$id"
expect_exit 0 "disclose narrowed" -- docket --as approver-2 disclose "$id" --out s1.tar.gz
got=$(contents s1.tar.gz)
expect_eq "$(printf '%s\n' "$got" | cut -f2 | sort -u)" "subscriber" "only the kept category"
letter=$(python3 -c 'import tarfile; print(tarfile.open("s1.tar.gz").extractfile("letter.txt").read().decode())')
expect_contains "$letter" "- content: not produced: the legal process served does not reach it (subpoena reaches subscriber data)." "letter: what is not produced and why"
expect_eq "$(state "$id")" "disclosed noncontent_only" "outcome noncontent_only"

# 6. customer-held keys: content leaves as ciphertext only
CAROL='[{"type":"email","value":"carol@example.org"}]'
id=$(add K-1 search_warrant '["content"]' "$CAROL")
docket --as reviewer-1 request decide "$id" approve --reason "valid warrant" --extraordinary "the customer is unreachable and the court ordered production" >/dev/null
approve_both "$id"
expect_exit 0 "disclose sealed" -- docket --as approver-1 disclose "$id" --out k1.tar.gz
expect_contains "$T_OUT" "1 sealed" "one sealed item"
got=$(contents k1.tar.gz)
expect_contains "$got" "True" "manifest marks it sealed"
expect_contains "$got" ".sealed" "file name marks it sealed"
case "$got" in *"carol secret"*) not_ok "plaintext of a customer-held-key item disclosed" ;; *) ok ;; esac
len=$(python3 -c 'import tarfile,json; t=tarfile.open("k1.tar.gz"); m=json.load(t.extractfile("manifest.json")); print(m["items"][0]["size"])')
expect_eq "$len" "$((18 + 48))" "ciphertext is a sealed box of 'carol secret words' (48 bytes more)"
expect_exit 0 "sealed package verifies" -- docket disclose verify k1.tar.gz --key "$KEY"

# 7. reproducible: the same database state and clock give the same bytes
id=$(add R-1 search_warrant '["subscriber","noncontent","content"]' '[{"type":"email","value":"alice@example.net"},{"type":"email","value":"carol@example.org"}]')
docket --as reviewer-1 request decide "$id" approve --reason ok --extraordinary "the customer is unreachable and the court ordered production" >/dev/null
approve_both "$id"
db_clone twin
expect_exit 0 "disclose in the first copy" -- docket --as approver-1 disclose "$id" --out r-one.tar.gz
expect_exit 0 "disclose in the second copy" -- env DOCKET_DB="$T_CLONE" "$DOCKET_BIN" --as approver-1 disclose "$id" --out r-two.tar.gz
cmp -s r-one.tar.gz r-two.tar.gz && ok || not_ok "two disclosures of the same state differ"
expect_eq "$(contents r-one.tar.gz | wc -l | tr -d ' ')" "9" "every item of both accounts (8 + 1), no date range"

# 8. an existing output file is never overwritten
id=$(add X-1 search_warrant '["subscriber"]' "$ALICE")
docket --as reviewer-1 request decide "$id" approve --reason ok >/dev/null
approve_both "$id"
before=$(db_fingerprint)
expect_exit 5 "existing output file" -- docket --as approver-1 disclose "$id" --out exists.tar.gz
expect_eq "$(cat exists.tar.gz)" "keep" "the existing file is untouched"
expect_eq "$(db_fingerprint)" "$before" "and nothing changed"
expect_eq "$(state "$id")" "ready -" "still ready"
expect_exit 0 "log verify at the end" -- docket log verify
done_testing
