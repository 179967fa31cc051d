#!/usr/bin/env bash
# The access log holds no secret (SPEC §12: one line per request, no
# secrets): a registration link's token never reaches it, whatever the
# method or the path's tail (a GET of the link's API path is 405, a last
# '/' 404: no route takes them, the token is still hidden), and a sign-in
# link's token, in the query, neither.
T_HERE=$(cd "$(dirname "$0")" && pwd)
. "$T_HERE/lib.sh"
. "$T_HERE/serve.sh"
setup_db
serve_start
secret=Zq7secretTOKENvalue0123456789abcdefXYZ
J=(-H 'Content-Type: application/json')
api POST "/api/v1/agency/registrations/$secret" "${J[@]}" -d '{"name":"X","password":"correct horse battery staple"}'
expect_status 401 "an unknown link"
api GET "/api/v1/agency/registrations/$secret"
expect_status 405 "a GET of the link's API path"
api POST "/api/v1/agency/registrations/$secret/" "${J[@]}" -d '{}'
expect_status 404 "a last '/'"
api DELETE "/api/v1/agency/registrations/$secret/more"
expect_status 404 "more after the token"
api GET "/my/sign-in?token=$secret"
expect_status 401 "an unknown sign-in link"
api GET "/agency/register?token=$secret"
serve_stop
lines=$(grep -c 'registrations' "$T_DIR/serve.log")
[ "$lines" -ge 4 ] && ok || not_ok "every request has its access line ($lines)"
if grep -q "$secret" "$T_DIR/serve.log"; then
  not_ok "a token reached the access log: $(grep "$secret" "$T_DIR/serve.log" | head -3)"
else ok; fi
expect_contains "$(cat "$T_DIR/serve.log")" '"GET /api/v1/agency/registrations/{token}" 405' "the pattern stands for the path"
done_testing
