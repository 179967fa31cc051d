#!/usr/bin/env bash
# The intake form (SPEC §13: "errors shown at the field, nothing stored on
# error") with hostile input: a category that is none of the form's boxes
# is named as such (it read "must not be empty"), an over-long field is
# named in the message as well as at the field, and nothing is stored.
T_HERE=$(cd "$(dirname "$0")" && pwd)
. "$T_HERE/lib.sh"
. "$T_HERE/serve.sh"
setup_db
load_fixtures
serve_start 2>/dev/null
link=$(docket user link intake-1)
api POST /signin/link -H 'Sec-Fetch-Site: same-origin' --data-urlencode "k=${link#*k=}"
expect_status 303 "intake-1 signs in with a link"
cookie=$(printf '%s\n' "$H_HEADERS" | sed -n 's/^Set-Cookie: __Host-docket=\([^;]*\);.*/\1/p')
C=(-H "Cookie: __Host-docket=$cookie" -H 'Sec-Fetch-Site: same-origin')
api GET /intake "${C[@]}"
expect_status 200 "the intake form"
csrf=$(printf '%s\n' "$H_BODY" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
form=(-F "csrf=$csrf" -F ref=R-1 -F agency=us-lapd -F kind=criminal -F process=subpoena
  -F 'targets=email alice@example.net' -F signed=1)
before=$(db_fingerprint)

api POST /intake "${C[@]}" "${form[@]}" -F categories=subscriber -F categories=bogus
expect_status 422 "a category none of the boxes"
expect_contains "$H_BODY" "field &#39;categories&#39;: unknown category &#39;bogus&#39;" "named as unknown"
expect_contains "$H_BODY" 'id="e-categories"' "shown at the field"
api POST /intake "${C[@]}" -F "csrf=$csrf" -F "ref=$(head -c 5000 /dev/zero | tr '\0' x)" \
  -F agency=us-lapd -F kind=criminal -F process=subpoena -F categories=subscriber
expect_status 422 "an over-long reference"
expect_contains "$H_BODY" "field &#39;ref&#39;: longer than 4096 bytes" "the message names the field"
expect_contains "$H_BODY" 'id="e-ref"' "shown at the field"
api POST /intake "${C[@]}" -F "csrf=$csrf" -F ref=R-1 -F agency=us-lapd -F kind=bogus \
  -F process=subpoena -F categories=subscriber
expect_status 422 "an unknown kind"
expect_contains "$H_BODY" 'id="e-kind"' "shown at the field"
expect_eq "$(db_fingerprint)" "$before" "nothing stored on error"

api POST /intake "${C[@]}" "${form[@]}" -F categories=subscriber
expect_status 303 "the same form without the mistakes is taken in"
expect_eq "$(docket --as auditor-1 request list --json | python3 -c 'import json,sys; j=json.load(sys.stdin); print([r["ref"] for r in (j["requests"] if isinstance(j, dict) else j)])')" "['R-1']" "one request"
serve_stop
done_testing
