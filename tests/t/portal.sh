# portal.sh - helpers for the portals' scenario tests (t5xxx): the links
# in the outbox, an officer's registration and sign-in, a customer's
# link.  Source after lib.sh and serve.sh.
#
#   outbox_link FILE       the one-time link in an outbox message (decoded)
#   outbox_count PATTERN   messages in the outbox whose name matches
#   register_officer EMAIL NAME   registers through the API; sets TOTP_URI
#   officer_signin EMAIL   signs in with password and code; sets OC (curl
#                          args with the cookie) and OCSRF
#   my_signin EMAIL        a customer's link, used; sets MC (cookie args)
OFFICER_PASSWORD='correct horse battery staple'

outbox_dir() { echo "$T_DIR/outbox"; }

outbox_link() {
  python3 - "$1" <<'PY'
import email, re, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
body = m.get_payload(decode=True).decode()
print(re.search(r"https?://\S+token=\S+", body).group(0))
PY
}

outbox_count() {
  ls "$(outbox_dir)" 2>/dev/null | grep -c -- "$1" || true
}

# The newest outbox message whose name matches PATTERN.
outbox_newest() {
  ls -t "$(outbox_dir)"/*"$1"* 2>/dev/null | head -1
}

register_officer() {  # register_officer EMAIL NAME
  api POST /api/v1/agency/registrations -H 'Content-Type: application/json' -d "{\"email\":\"$1\"}"
  local f link token
  f=$(outbox_newest register)
  link=$(outbox_link "$f")
  token=${link#*token=}
  api POST "/api/v1/agency/registrations/$token" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$2\",\"password\":\"$OFFICER_PASSWORD\"}"
  TOTP_URI=$(json_get 'j["totp_uri"]')
  declare -g "URI_$(echo "$1" | tr -c 'a-zA-Z0-9\n' '_')=$TOTP_URI"
}

officer_signin() {  # officer_signin EMAIL [STEP]
  local var uri code
  var="URI_$(echo "$1" | tr -c 'a-zA-Z0-9\n' '_')"
  uri=${!var}
  code=$(totp "$uri" "${2:-0}")
  api POST /api/v1/session -H 'Content-Type: application/json' \
    -d "{\"user\":\"$1\",\"password\":\"$OFFICER_PASSWORD\",\"totp\":\"$code\"}"
  local cookie
  cookie=$(printf '%s\n' "$H_HEADERS" | sed -n 's/^Set-Cookie: __Host-docket=\([^;]*\);.*/\1/p')
  OCSRF=$(json_get 'j.get("csrf","")' 2>/dev/null)
  OC=(-H "Cookie: __Host-docket=$cookie" -H "X-CSRF-Token: $OCSRF" -H "Origin: $SERVE_URL")
}

my_signin() {  # my_signin EMAIL: ask for a link, use it; MC holds the cookie
  api POST /api/v1/my/links -H 'Content-Type: application/json' -d "{\"email\":\"$1\"}"
  local f link
  f=$(outbox_newest my-link)
  link=$(outbox_link "$f")
  api GET "/${link#http://*/}"
  local cookie
  cookie=$(printf '%s\n' "$H_HEADERS" | sed -n 's/^Set-Cookie: __Host-docket=\([^;]*\);.*/\1/p')
  MC=(-H "Cookie: __Host-docket=$cookie")
}

# tamper_check TABLE SQL [UNDO]: a change behind docket's back to a portal
# table is found by `docket log verify` (exit 3, naming the table); UNDO
# puts it back, and the log verifies again.
tamper_check() {
  db_sql "$2" >/dev/null
  expect_exit 3 "a change to $1 behind docket's back is found" -- docket --as root log verify
  expect_contains "$T_OUT" "table $1" "log verify names $1"
  if [ -n "${3:-}" ]; then
    db_sql "$3" >/dev/null
    expect_exit 0 "$1 put back verifies" -- docket --as root log verify
  fi
}
