#!/usr/bin/env bash
# The role x route matrix, generated from the route table (`docket serve
# --routes`): every route as nobody (401 unless public) and as each role
# through a token (403 exactly when the row does not list the role; any
# role may use the read-only routes).  Also a token limited to fewer roles
# than its user holds, and a token outliving its user's role.
T_HERE=$(cd "$(dirname "$0")" && pwd)
. "$T_HERE/lib.sh"
. "$T_HERE/serve.sh"
setup_db
load_fixtures
printf '{"ref":"M-1","agency":"us-lapd","kind":"criminal","process":"search_warrant","targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' >req.json
id=$(docket --as intake-1 request add req.json)

declare -A TOK
for r in intake reviewer approver compliance auditor; do TOK[$r]=$(token_for "$r-1"); done
TOK[admin]=$(token_for root)
serve_start
docket serve --routes >routes.txt
n=0
while read -r method path roles status; do
  p=$path
  [ "$path" = "/api/v1/tokens/{id}" ] && p=/api/v1/tokens/999   # revoke nothing real
  p=${p//\{id\}/$id}
  p=${p//\{key\}/provider_name}
  p=${p//\{period\}/2026-H1}
  body=()
  case "$method" in POST|PUT) body=(-H 'Content-Type: application/json' -d '{}') ;; esac
  api "$method" "$p" "${body[@]}"
  if [ "$roles" = public ]; then
    case "$H_STATUS" in 401|403) not_ok "$method $path is public but answered $H_STATUS to nobody" ;; *) ok ;; esac
    continue
  fi
  if [ "$method" = GET ] && [ "$H_STATUS" = 303 ] && [[ "$path" != /api/* ]]; then
    # a page sends a browser without a sign-in to the sign-in page (the
    # customer portal's to its link form)
    case "$H_HEADERS" in *"Location: /signin"*|*"Location: /my/sign-in"*) ok ;; *) not_ok "$method $path as nobody: 303 elsewhere" ;; esac
  else
    expect_status 401 "$method $path as nobody"
  fi
  for r in intake reviewer approver compliance auditor admin; do
    api "$method" "$p" -H "Authorization: Bearer ${TOK[$r]}" "${body[@]}"
    allowed=0
    case ",$roles," in *",any,"*|*",$r,"*) allowed=1 ;; esac
    if [ $allowed = 1 ]; then
      case "$H_STATUS" in 401|403) not_ok "$method $path as $r: $H_STATUS but the role may: $H_BODY" ;; *) ok ;; esac
    else
      expect_status 403 "$method $path as $r"
    fi
    n=$((n + 1))
  done
done <routes.txt
[ "$n" -ge 100 ] && ok || not_ok "the matrix covered $n route x role cells"

# a token limited to one of its user's roles
docket --as root user add dual --role intake,auditor >/dev/null
lim=$(token_for dual auditor)
api POST /api/v1/requests -H "Authorization: Bearer $lim" -H 'Content-Type: application/json' -d @req.json
expect_status 403 "a token without intake may not take in"
api GET /api/v1/session -H "Authorization: Bearer $lim"
expect_eq "$(json_get 'j["roles"]')" "['auditor']" "the token's roles"
expect_exit 3 "a token cannot exceed its user's roles" -- docket --as root token add dual --role admin
# the user loses a role: the token loses it at once
full=$(token_for dual)
docket --as root user add dual --role auditor >/dev/null
api POST /api/v1/requests -H "Authorization: Bearer $full" -H 'Content-Type: application/json' -d @req.json
expect_status 403 "a token never outgrows its user's roles"
serve_stop
done_testing
