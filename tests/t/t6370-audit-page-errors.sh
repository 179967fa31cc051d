#!/usr/bin/env bash
# A page's refusal is a page (SPEC §13: pages for people): a form body over
# its route's cap is 413 as HTML, with the pages' Content-Security-Policy,
# not the API's JSON; nothing is stored.
T_HERE=$(cd "$(dirname "$0")" && pwd)
. "$T_HERE/lib.sh"
. "$T_HERE/serve.sh"
setup_db
serve_start 2>/dev/null
big=$(head -c 9000 /dev/zero | tr '\0' a)
before=$(db_fingerprint)
for path in /signin /signin/code /my/link /agency/register; do
  api POST "$path" -H 'Sec-Fetch-Site: same-origin' --data-binary "user=$big&email=$big"
  expect_status 413 "$path: a form over its cap"
  expect_contains "$H_HEADERS" "Content-Type: text/html; charset=utf-8" "$path: the answer is a page"
  expect_contains "$H_HEADERS" "script-src 'none'" "$path: with the pages' policy"
  expect_contains "$H_BODY" "body larger than" "$path: saying why"
done
api POST /api/v1/session -H 'Content-Type: application/json' --data-binary "{\"user\":\"$big\"}"
expect_status 413 "the API's answer"
expect_contains "$H_HEADERS" "Content-Type: application/json" "stays JSON"
expect_eq "$(db_fingerprint)" "$before" "nothing stored"
serve_stop
done_testing
