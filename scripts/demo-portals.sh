#!/usr/bin/env bash
# The portals of the demo (docs/portals.md), called by scripts/demo.sh on
# its database: officers of two agencies register through the agency
# portal's API on a short-lived server, and customers whose notice was
# sent get a sign-in link; then it prints how to sign in to each portal.
#
#   scripts/demo-portals.sh BIN DIR PORT AGENCY AGENCY
# BIN: the docket binary; DIR: the demo folder (outbox/ and the
# database's environment: DOCKET_DB, DOCKET_NOW, DOCKET_USER as for
# demo.sh); PORT: where the demo's server will listen (the links point
# there); AGENCY: ids of registered agencies with verified domains.
set -euo pipefail
BIN=$1 D=$2 PORT=$3
shift 3
docket() { "$BIN" "$@"; }
PASSWORD='demo-officer-passphrase'

docket config set portal_url "http://127.0.0.1:$PORT" >/dev/null
tmp=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$BIN" serve --listen "127.0.0.1:$tmp" --tick 0 2>"$D/portals-setup.log" &
spid=$!
trap 'kill -TERM $spid 2>/dev/null; wait $spid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$tmp/healthz" && break; sleep 0.05; done

# the link in the newest outbox message named NAME-*.eml
newest_link() {
  python3 - "$(ls -t "$D"/outbox/"$1"-*.eml | head -1)" <<'PY'
import email, re, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
print(re.search(r"https?://\S+token=\S+", m.get_payload(decode=True).decode()).group(0))
PY
}
# the TOTP code of an otpauth URI at DOCKET_NOW
code_cmd() {
  printf "python3 -c 'import base64,hmac,hashlib,struct,datetime,urllib.parse as u;q=u.parse_qs(u.urlparse(\"%s\").query);k=base64.b32decode(q[\"secret\"][0]+\"=\"*(-len(q[\"secret\"][0])%%8));t=int(datetime.datetime.fromisoformat(\"%s\".replace(\"Z\",\"+00:00\")).timestamp())//30;h=hmac.new(k,struct.pack(\">Q\",t),hashlib.sha1).digest();o=h[-1]&15;print(\"%%06d\"%%((struct.unpack(\">I\",h[o:o+4])[0]&0x7fffffff)%%1000000))'" "$1" "$DOCKET_NOW"
}

echo "  officers (sign in at http://127.0.0.1:$PORT/signin with the address, the password"
echo "  '$PASSWORD' and the code of the authenticator URI; the demo's clock stands"
echo "  still at $DOCKET_NOW, so compute its one code with the command shown; a code"
echo "  signs in once):"
n=0
for agency in "$@"; do
  domain=$(python3 - "$D/agencies.jsonl" "$agency" <<'PY'
import json, sys
print(next(a["domains"][0] for a in map(json.loads, open(sys.argv[1])) if a["id"] == sys.argv[2]))
PY
)
  n=$((n + 1))
  email="officer$n@$domain"
  curl -s -o /dev/null -H 'Content-Type: application/json' -d "{\"email\":\"$email\"}" \
    "http://127.0.0.1:$tmp/api/v1/agency/registrations"
  link=$(newest_link register)
  uri=$(curl -s -H 'Content-Type: application/json' \
    -d "{\"name\":\"Demo Officer $n\",\"password\":\"$PASSWORD\"}" \
    "http://127.0.0.1:$tmp/api/v1/agency/registrations/${link#*token=}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["totp_uri"])')
  tok=$(docket token add "$email" 2>/dev/null)
  echo "    $email ($agency)"
  echo "      authenticator: $uri"
  echo "      code now:      $(code_cmd "$uri")"
  echo "      or its API token: curl -H 'Authorization: Bearer $tok' http://127.0.0.1:$PORT/api/v1/agency/requests"
done
# a look-alike attempt, for the staff's /portal page
curl -s -o /dev/null -H 'Content-Type: application/json' -d '{"email":"chief@fbi-gov.example"}' \
  "http://127.0.0.1:$tmp/api/v1/agency/registrations"

echo "  customers with a sent notice (each link works once, within 30 minutes of the"
echo "  demo's clock; ask for another at http://127.0.0.1:$PORT/my/sign-in):"
docket --json notice list --state sent | python3 -c '
import json, sys
seen = []
for n in json.load(sys.stdin):
    c = n.get("customer") or n.get("customer_id")
    if c and c not in seen:
        seen.append(c)
print("\n".join(seen[:3]))' | while read -r cid; do
  email=$(python3 - "$D/customers.jsonl" "$cid" <<'PY'
import json, sys
print(next(c["contact"]["email"] for c in map(json.loads, open(sys.argv[1])) if c["id"] == sys.argv[2]))
PY
)
  curl -s -o /dev/null -H 'Content-Type: application/json' -d "{\"email\":\"$email\"}" \
    "http://127.0.0.1:$tmp/api/v1/my/links"
  echo "    $email: $(newest_link my-link)"
done
echo "  staff see the officers and every registration attempt at http://127.0.0.1:$PORT/portal"
