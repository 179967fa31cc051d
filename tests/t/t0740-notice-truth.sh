#!/usr/bin/env bash
# Notices go out only under the provider's own name and sender (SPEC §5):
# until provider_name (not the shipped placeholder) and smtp_from are set,
# `tick` says which setting is missing and leaves every notice pending;
# then the notice is sent from smtp_from with Reply-To legal_contact, says
# what happened per category, gives the date range, and carries an
# inclusion proof of its receipt entry that `docket log proof` confirms.
. "$(dirname "$0")/lib.sh"
docket init --admin root --origin test.example/log >/dev/null || exit 1
export DOCKET_USER=root
docket user add intake-1 --role intake >/dev/null
docket user add auditor-1 --role auditor >/dev/null
load_fixtures

printf '{"ref":"SUB-1","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2026-03-02T10:00:00Z","requester":{"name":"Det. R. Diaz","email":"rdiaz@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber","content"],"date_range":{"from":"2026-01-01","to":"2026-02-28"}}' >req.json
req=$(docket --as intake-1 request add req.json)
state() { docket --json notice list --request "$req" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["state"])'; }

expect_exit 0 "tick with nothing configured" -- docket tick
expect_contains "$T_OUT" "0 notices sent" "nothing sent"
expect_contains "$T_OUT" "provider_name" "names provider_name"
expect_contains "$T_OUT" "smtp_from" "names smtp_from"
expect_eq "$(state)" "pending" "left pending"
[ -d "$T_DIR/outbox" ] && not_ok "no outbox written" || ok

docket config set provider_name "Example Cloud" >/dev/null
expect_exit 0 "tick with the placeholder name" -- docket tick
expect_contains "$T_OUT" "placeholder" "the shipped placeholder does not count"
expect_eq "$(state)" "pending" "still pending"

docket config set provider_name "Northwind Cloud" >/dev/null
expect_exit 0 "tick without a sender" -- docket --json tick
expect_contains "$T_OUT" '"notices_held": "notices are not sent until smtp_from' "json says smtp_from"
expect_eq "$(state)" "pending" "still pending without smtp_from"

docket config set smtp_from notices@northwind.example >/dev/null
docket config set legal_contact legal@northwind.example >/dev/null
expect_exit 0 "tick with both" -- docket tick
expect_contains "$T_OUT" "1 notice sent" "sent"
eml=$(ls "$T_DIR"/outbox/*.eml | head -1)
python3 - "$eml" <<'PY' >facts.txt && ok || not_ok "headers and body"
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
assert m["From"].addresses[0].addr_spec == "notices@northwind.example", m["From"]
assert "Northwind Cloud" in str(m["From"]), m["From"]
assert m["Reply-To"].addresses[0].addr_spec == "legal@northwind.example", m["Reply-To"]
body = m.get_body(("plain",)).get_content()
assert "Date range:      2026-01-01 to 2026-02-28" in body, body
assert "Northwind Cloud" in body and "Example Cloud" not in body
assert "disclosed," not in body, "nothing was disclosed yet"
assert "not decided yet" in body
# the proof block: entry, size, then one hash per line up to the signature
flat = " ".join(body.split())
import re
e = re.search(r"entry (\d+) of .* log of (\d+) entries whose root hash is (\S+)", flat)
lines = body.split("\n")
start = next(i for i, l in enumerate(lines) if l.startswith("one hash per line")) + 2
proof = []
for l in lines[start:]:
    if not l.strip():
        break
    proof.append(l.strip())
print(e.group(1), e.group(2))
print("\n".join(proof))
PY
read -r idx size <facts.txt
expect_exit 0 "log proof of the cited entry" -- docket log proof "$idx" --size "$size"
expect_eq "$T_OUT" "$(tail -n +2 facts.txt)" "the notice carries the log's inclusion proof"
expect_exit 0 "log verifies" -- docket log verify

# SPEC §6: identifiers in entries are keyed hashes; the key is beside the
# database (0600), made at init, and in no entry
expect_eq "$(stat -c %a "$T_REFKEY")" "600" "the reference key file is 0600"
received=$(docket log entry "$(db_sql "select log_index from history where event = 'received' and request_id = $req")")
expect_contains "$received" '"targets":["hmac-sha256:' "targets as keyed hashes"
plain=$(printf 'email:alice@example.net' | sha256sum | cut -d' ' -f1)
case "$received" in *"$plain"*) not_ok "the plain SHA-256 of the address is in the log" ;; *) ok ;; esac
key=$(cut -d' ' -f2 "$T_REFKEY")
n=$(db_sql 'select count(*) from log_entry')
for i in $(seq 0 $((n - 1))); do docket log entry "$i"; echo; done >all-entries.txt
grep -qF "$key" all-entries.txt && not_ok "the reference key is in the log" || ok
expect_eq "$(python3 -c '
import base64, hashlib, hmac, sys
k = base64.b64decode(open(sys.argv[1]).read().split()[1])
print("hmac-sha256:" + hmac.new(k, b"email:alice@example.net", hashlib.sha256).hexdigest())' "$T_REFKEY")" \
  "$(printf '%s' "$received" | python3 -c 'import json,sys; print(json.load(sys.stdin)["targets"][0])')" \
  "whoever holds the key recomputes the reference"
done_testing
