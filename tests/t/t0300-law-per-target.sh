#!/usr/bin/env bash
# Per-target decisions (SPEC §4): one warrant naming a consumer and an
# enterprise account.  The reviewer redirects the enterprise account and
# approves the rest without any override; two approvers; the disclosure
# holds the consumer's items only; the request's outcome is the strongest of
# its targets' (content) and the report counts each account by its own
# outcome (one content, one redirected) and the enterprise request as
# redirected, not disclosed.
. "$(dirname "$0")/lib.sh"
setup_db
load_fixtures

item() { printf '{"account":{"type":"email","value":"%s"},"category":"%s","kind":"%s","created_at":"2026-01-15T00:00:00Z","location":"US","data":"%s"}\n' "$@"; }
{ item alice@example.net content email_message "alice's mail"
  item alice@example.net subscriber profile "alice"
  item bob@contoso.com content email_message "contoso's mail"
  item bob@contoso.com subscriber profile "bob"; } >vault.jsonl
docket vault import vault.jsonl >/dev/null

cat >w.json <<'JSON'
{"ref":"MIX-1","agency":"us-lapd","kind":"criminal","process":"search_warrant","received_at":"2026-03-02T10:00:00Z","signed":true,
 "issued_by":{"type":"court","name":"Superior Court of California, Los Angeles","judge":"Hon. A. Lee"},
 "requester":{"name":"Det. A","email":"a@lapd.gov"},
 "targets":[{"type":"email","value":"alice@example.net"},{"type":"email","value":"bob@contoso.com"}],
 "categories":["subscriber","content"],"date_range":{"from":"2026-01-01","to":"2026-02-28"}}
JSON
id=$(docket --as intake-1 request add w.json)
action=$(docket --json request show "$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["policy"]["action"])')
expect_eq "$action" "redirect" "GEN-ENTERPRISE recommends redirect"

expect_exit 5 "approving the whole request is bound by the redirect" -- docket --as reviewer-1 request decide "$id" approve --reason ok
expect_exit 4 "an unknown target" -- docket --as reviewer-1 request decide "$id" redirect --target carol@example.com --reason x
expect_exit 2 "--target goes with redirect or reject" -- docket --as reviewer-1 request decide "$id" approve --target bob@contoso.com --reason x
expect_exit 0 "redirect the enterprise account only (spelt differently)" -- docket --as reviewer-1 request decide "$id" redirect --target " Bob@Contoso.com" --reason "seek it from Contoso (DOJ CCIPS 2017)"
expect_eq "$(docket --json request show "$id" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["state"], [t.get("decision","-") for t in r["resolution"]])')" "in_review ['-', 'redirect']" "the request stays in review; the target is redirected"
expect_exit 5 "the last open target: decide the whole request" -- docket --as reviewer-1 request decide "$id" reject --target alice@example.net --reason x
expect_contains "$T_ERR" "decide the whole request" "says what to do"
expect_contains "$T_ERR" "docket request decide $id ACTION --reason TEXT" "the command line spells the remedy"
expect_exit 0 "approve the rest: no override needed" -- docket --as reviewer-1 request decide "$id" approve --reason "valid warrant for Alice"
docket --as approver-1 request approve "$id" >/dev/null
expect_exit 0 "second approver" -- docket --as approver-2 request approve "$id"
expect_exit 0 "disclose" -- docket --as approver-1 disclose "$id" --out pkg.tar.gz
mkdir x && tar -xzf pkg.tar.gz -C x
python3 - <<'PY' && ok || not_ok "the package holds the consumer's items only"
import json
m = json.load(open("x/manifest.json"))
accts = sorted({i["account"]["value"] if isinstance(i["account"], dict) else i["account"] for i in m["items"]})
assert accts == ["alice@example.net"], accts
assert len(m["items"]) == 2, m["items"]
PY
expect_exit 0 "close with content" -- docket --as reviewer-1 request close "$id" --outcome content
expect_eq "$(docket --json request show "$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["outcome"])')" "content" "the request's outcome is its strongest target's"

DOCKET_NOW=2026-08-01T00:00:00Z docket --json report --period 2026-H1 >report.json
python3 - <<'PY' && ok || not_ok "report counts each account by its own outcome"
import json
r = json.load(open("report.json"))
a = r["accounts_by_outcome"]
assert a["content"] == 1 and a["redirected"] == 1, a
assert sum(a.values()) == 2, a
e = r["enterprise"]
assert e == {"received": 1, "redirected": 1, "disclosed": 0}, e
PY
expect_exit 0 "log verify" -- docket --as auditor-1 log verify
done_testing
