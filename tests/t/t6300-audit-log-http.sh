#!/usr/bin/env bash
# The log over HTTP against the letter of SPEC §12 and docs/api.md, with
# hostile tile paths: every malformed path (traversal, negative, huge N,
# leading zeros, W out of 1-255, a trailing slash) is a clear 404 naming
# the path and changes nothing; a tile beyond the tree is 404; every answer
# under /log/, a refusal too, may be read from any origin; a method the
# path does not take is 405 with the Allow header.
T_HERE=$(cd "$(dirname "$0")" && pwd)
. "$T_HERE/lib.sh"
. "$T_HERE/serve.sh"
setup_db
AUD=$(token_for auditor-1)
serve_start 2>/dev/null
size=$(docket log checkpoint | sed -n 2p)
[ "$size" -gt 5 ] && [ "$size" -lt 256 ] || not_ok "the test wants a tree of 6-255 entries, has $size"

# --- malformed tile paths: 404, the path named once, nothing changed ---------------
before=$(db_fingerprint)
for path in '0/000.p/0' '0/000.p/256' '0/000.p/05' '0/000.p/5/' '0/-1' '0/../000' \
  '64/000' '00/000' '0/1' '0/x000/001' '0/999999999999999999999999' '0/000.p/' \
  'entries' '0/000.p/5.p/3' 'a/b/c'; do
  api GET "/log/tile/$path" --path-as-is
  expect_status 404 "tile path '$path'"
  msg=$(json_get 'j["error"]["message"]')
  expect_eq "$msg" "no such tile: not a tile path: '$path'" "the message for '$path'"
done
api GET "/log/tile/0/$(printf 'x%03d/' $(seq 1 40))000"
expect_status 404 "a tile path over the length cap"
api GET "/log/tile/entries/000.p/0" -H "Authorization: Bearer $AUD"
expect_status 404 "an entry bundle of width 0"
expect_eq "$(json_get 'j["error"]["message"]')" "no such tile: not a tile path: 'entries/000.p/0'" \
  "an entry bundle's malformed path is named"
expect_eq "$(db_fingerprint)" "$before" "malformed paths change nothing"

# --- tiles the tree does not have ----------------------------------------------------
api GET /log/tile/0/000
expect_status 404 "a full tile of a tree of $size"
expect_contains "$(json_get 'j["error"]["message"]')" "tree of size $size" "the size is named"
api GET "/log/tile/0/000.p/$((size + 1))"
expect_status 404 "a partial tile wider than the tree"
api GET /log/tile/1/000.p/1
expect_status 404 "a level 1 tile of a tree under 256"
api GET /log/tile/0/001.p/1
expect_status 404 "a tile right of the tree"
api GET "/log/tile/0/000.p/$size"
expect_status 200 "the right edge's partial tile"
expect_eq "$(stat -c %s "$T_DIR/.b")" "$((size * 32))" "W x 32 bytes"

# --- CORS on every answer under /log/, refusals too -----------------------------------
for path in /log/checkpoint "/log/tile/0/000.p/$size" /log/tile/0/000 /log/tile/0/-1 \
  /log/tile/entries/000.p/1; do
  api GET "$path"
  expect_contains "$H_HEADERS" "Access-Control-Allow-Origin: *" "CORS on $path ($H_STATUS)"
done
api GET /api/v1/nothing
case "$H_HEADERS" in *Access-Control-Allow-Origin*) not_ok "CORS outside /log/" ;; *) ok ;; esac

# --- a method the path does not take: 405 and Allow -----------------------------------
api POST /log/checkpoint
expect_status 405 "POST /log/checkpoint"
expect_contains "$H_HEADERS" "Allow: GET, HEAD" "Allow on the checkpoint"
api PUT /api/v1/requests -H "Authorization: Bearer $AUD"
expect_status 405 "PUT /api/v1/requests"
expect_contains "$H_HEADERS" "Allow: GET, HEAD, POST" "Allow on the requests"
api DELETE /api/v1/requests/1 -H "Authorization: Bearer $AUD"
expect_status 405 "DELETE /api/v1/requests/1"
expect_contains "$H_HEADERS" "Allow: GET, HEAD" "Allow on a request"
expect_eq "$(db_fingerprint)" "$before" "nothing changed"

serve_stop
expect_eq "$SERVE_RC" 0 "the server drains and exits 0"
done_testing
