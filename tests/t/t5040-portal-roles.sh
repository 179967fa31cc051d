#!/usr/bin/env bash
# The portals' users against every route (`docket serve --routes`): an
# officer and a customer's contact, each by API token, reach exactly the
# routes whose row names their role (or every signed-in user: their own
# session and password) and get 403 from every other - every staff route,
# and each other's portal.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve.sh"
. "$(dirname "$0")/portal.sh"
setup_db
load_fixtures
serve_start 2>/dev/null
register_officer det.roles@lapd.gov "Det. Roles"
my_signin alice@example.net
contact=$(db_sql "SELECT name FROM portal_account WHERE kind = 'customer'")
expect_contains "$contact" "my-" "the contact's user is not its address"
declare -A TOK
TOK[officer]=$(token_for det.roles@lapd.gov)
TOK[customer]=$(token_for "$contact")
[ -n "${TOK[officer]}" ] && [ -n "${TOK[customer]}" ] && ok || not_ok "tokens for the portals' users"
docket serve --routes >routes.txt
n=0
while read -r method path roles status; do
  [ "$roles" = public ] && continue
  p=${path//\{id\}/1}
  p=${p//\{key\}/provider_name}
  p=${p//\{period\}/2026-H1}
  p=${p//\{officer\}/det.roles@lapd.gov}
  p=${p//\{agency\}/us-lapd}
  p=${p//\{step\}/withdrawal}
  p=${p//\{sha256\}/00}
  p=${p//\{tile\*\}/0/000}
  body=()
  case "$method" in POST|PUT) body=(-H 'Content-Type: application/json' -d '{}') ;; esac
  [ "$path" = "/api/v1/session" ] && [ "$method" = DELETE ] && continue   # a token has no session
  for r in officer customer; do
    api "$method" "$p" -H "Authorization: Bearer ${TOK[$r]}" "${body[@]}"
    case ",$roles," in
      *",$r,"*) case "$H_STATUS" in 401|403) not_ok "$method $path as $r: $H_STATUS but the role may: $H_BODY" ;; *) ok ;; esac ;;
      *) expect_status 403 "$method $path as $r" ;;
    esac
    n=$((n + 1))
  done
done <routes.txt
[ "$n" -gt 100 ] && ok || not_ok "every route was tried ($n)"
serve_stop
expect_exit 0 "the tables match the log (log verify replays the portals' records)" -- docket --as root log verify
done_testing
