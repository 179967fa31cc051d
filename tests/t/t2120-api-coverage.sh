#!/usr/bin/env bash
# SPEC §12: "Every command of §9 that a person or program runs has an
# endpoint".  Reads the command table (`docket --help` and each group's
# --help) and the OpenAPI document the real server serves, and fails when a
# command has no route in the mapping below, when a mapped route is not in
# the document, or when the mapping names a command that no longer exists.
# A new command must be given its endpoint (and a row here), or be listed
# as host-only with its reason in docs/api.md.
T_HERE=$(cd "$(dirname "$0")" && pwd)
. "$T_HERE/lib.sh"
. "$T_HERE/serve.sh"
setup_db

# every command: "GROUP" or "GROUP SUB", one a line
docket --help >help.txt
for g in $(sed -n '/^commands:/,/^$/p' help.txt | awk 'NF > 1 { print $1 }'); do
  docket "$g" --help >"g-$g.txt" 2>&1
  subs=$(grep -E "^[[:space:]]+docket $g [a-z][a-z-]*( |$)" "g-$g.txt" | awk '{ print $3 }' | sort -u)
  if [ -n "$subs" ]; then
    for s in $subs; do echo "$g $s"; done
  else
    echo "$g"
  fi
done >commands.txt
# the second form of a command without a subcommand table
grep -q "usage: docket disclose verify" g-disclose.txt && echo "disclose verify" >>commands.txt
[ "$(wc -l <commands.txt)" -gt 50 ] && ok || not_ok "the command table was read: $(cat commands.txt)"

serve_start
api GET /api/v1/openapi.json
expect_status 200 "the OpenAPI document"
cp "$T_DIR/.b" openapi.json
serve_stop

python3 - commands.txt openapi.json "$DOCKET_SOURCE_DIR/docs/api.md" <<'PY' && ok || not_ok "every command has an endpoint"
import json, sys

# command -> the endpoint that does the same
ROUTES = {
    "user add": "POST /api/v1/users",
    "user set": "PATCH /api/v1/users/{name}",
    "user remove": "DELETE /api/v1/users/{name}",
    "user confirm": "POST /api/v1/users/proposals/{id}/confirmation",
    "user cancel": "DELETE /api/v1/users/proposals/{id}",
    "user list": "GET /api/v1/users",
    "user passwd": "PUT /api/v1/users/{name}/password",
    "token add": "POST /api/v1/tokens",
    "token list": "GET /api/v1/tokens",
    "token revoke": "DELETE /api/v1/tokens/{id}",
    "customer import": "POST /api/v1/customers",
    "customer list": "GET /api/v1/customers",
    "customer show": "GET /api/v1/customers/{id}",
    "agency import": "POST /api/v1/agencies",
    "agency list": "GET /api/v1/agencies",
    "agency show": "GET /api/v1/agencies/{id}",
    "request add": "POST /api/v1/requests",
    "request show": "GET /api/v1/requests/{id}",
    "request list": "GET /api/v1/requests",
    "request amend": "POST /api/v1/requests/{id}/amendment",
    "request explain": "GET /api/v1/requests/{id}/explain",
    "request import": "POST /api/v1/requests/import",
    "request decide": "POST /api/v1/requests/{id}/decision",
    "request approve": "POST /api/v1/requests/{id}/approval",
    "request verify": "POST /api/v1/requests/{id}/verification",
    "request investigation-closed": "POST /api/v1/requests/{id}/investigation-closed",
    "request void": "POST /api/v1/requests/{id}/void",
    "request reassess": "POST /api/v1/requests/{id}/reassessment",
    "request challenge": "POST /api/v1/requests/{id}/challenge",
    "request challenge-outcome": "POST /api/v1/requests/{id}/challenge-outcome",
    "request withdraw": "POST /api/v1/requests/{id}/withdrawal",
    "request close": "POST /api/v1/requests/{id}/closure",
    "hold renew": "POST /api/v1/requests/{id}/holds/renewal",
    "hold release": "POST /api/v1/requests/{id}/holds/release",
    "hold convert": "POST /api/v1/requests/{id}/holds/conversion",
    "ndo add": "POST /api/v1/requests/{id}/ndo",
    "ndo extend": "POST /api/v1/requests/{id}/ndo/extension",
    "ndo lift": "POST /api/v1/requests/{id}/ndo/lift",
    "ndo list": "GET /api/v1/ndos",
    "notice list": "GET /api/v1/notices",
    "notice show": "GET /api/v1/notices/{id}",
    "notice resend": "POST /api/v1/notices/{id}/resend",
    "letter draft": "GET /api/v1/requests/{id}/letters/draft",
    "letter send": "POST /api/v1/requests/{id}/letters",
    "letter list": "GET /api/v1/requests/{id}/letters",
    "tick": "POST /api/v1/tick",
    "status": "GET /api/v1/status",
    "config set": "PUT /api/v1/config/{key}",
    "config get": "GET /api/v1/config/{key}",
    "config list": "GET /api/v1/config",
    "report": "GET /api/v1/reports/{period}",
    "vault import": "POST /api/v1/vault",
    "disclose": "POST /api/v1/requests/{id}/disclosure",
    "rules list": "GET /api/v1/rules",
    "rules show": "GET /api/v1/rules/{id}",
    "witness add": "POST /api/v1/witnesses",
    "witness list": "GET /api/v1/witnesses",
    "witness remove": "DELETE /api/v1/witnesses/{name*}",
    "witness offer": "POST /api/v1/witnesses/offer",
    "log key": "GET /api/v1/log/key",
    "log checkpoint": "GET /api/v1/log/checkpoint",
    # entries are served in bundles (tlog-tiles); the compartment's at
    # GET /api/v1/log/compartment/entries/{n}
    "log entry": "GET /log/tile/entries/{tile*}",
    "log proof": "GET /api/v1/log/proof/{n}",
    "log consistency": "GET /api/v1/log/consistency/{old}",
    "log verify": "GET /api/v1/log/verify",
}
# for the operator on the database host only (docs/api.md says why)
HOST_ONLY = {"init", "serve", "db copy", "disclose verify", "log check-proof", "user link",
             "user mfa"}

commands = {l.strip() for l in open(sys.argv[1]) if l.strip()}
paths = json.load(open(sys.argv[2]))["paths"]
api_md = open(sys.argv[3]).read()
bad = []
for c in sorted(commands):
    if c in HOST_ONLY:
        if "`%s" % c not in api_md:
            bad.append("host-only %r is not explained in docs/api.md" % c)
        continue
    if c not in ROUTES:
        bad.append("command %r has no endpoint (add one, and a row to this test)" % c)
        continue
    method, path = ROUTES[c].split()
    if method.lower() not in paths.get(path, {}):
        bad.append("command %r: %s %s is not in the OpenAPI document" % (c, method, path))
for c in sorted((set(ROUTES) | HOST_ONLY) - commands):
    bad.append("the mapping names %r, which is not a command" % c)
if bad:
    print("\n".join(bad), file=sys.stderr)
    sys.exit(1)
PY
# the imports take JSON Lines, with ?update= where the command has --update
python3 - openapi.json <<'PY' && ok || not_ok "the OpenAPI document describes the JSON Lines bodies"
import json, sys
paths = json.load(open(sys.argv[1]))["paths"]
for p in ("/api/v1/customers", "/api/v1/agencies", "/api/v1/vault", "/api/v1/requests/import"):
    op = paths[p]["post"]
    assert sorted(op["requestBody"]["content"]) == ["application/jsonl", "application/x-ndjson"], p
    assert op["requestBody"]["required"] is True, p
    q = [x["name"] for x in op["parameters"] if x["in"] == "query"]
    assert q == (["update"] if p in ("/api/v1/customers", "/api/v1/agencies") else []), (p, q)
assert [x["name"] for x in paths["/api/v1/customers"]["get"]["parameters"]] == ["q"]
assert paths["/api/v1/requests/{id}/amendment"]["post"]["requestBody"]["required"] is True
# log entry --compartment
assert "get" in paths["/api/v1/log/compartment/entries/{n}"]
PY
# a valid OpenAPI 3.1 document, where the validator is installed
if python3 -c 'import openapi_spec_validator' 2>/dev/null; then
  python3 -c 'import json, sys; from openapi_spec_validator import validate; validate(json.load(open(sys.argv[1])))' openapi.json && ok || not_ok "the OpenAPI document is valid"
fi
done_testing
