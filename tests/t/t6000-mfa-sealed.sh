#!/usr/bin/env bash
# t6000: TOTP secrets are sealed at rest (core/access/auth.h).  The row in
# staff_auth holds no secret in the clear - read straight from the
# database and from a dump - yet a TOTP sign-in works; a sealed secret
# moved to another user's row does not open; a secret an older docket
# stored in the clear is still accepted and the next scheduler pass seals
# it (logged, so `log verify` agrees); `docket db copy` carries the sealed
# rows and the key file, and the copy signs in with the same codes.
T_HERE=$(cd "$(dirname "$0")" && pwd)
. "$T_HERE/lib.sh"
. "$T_HERE/serve.sh"
setup_db
PW='correct horse battery staple'
for u in reviewer-1 reviewer-2 intake-1; do
  echo "$PW" | docket --as root user passwd "$u" >/dev/null
done

[ -f "$T_MFAKEY" ] && ok || not_ok "init makes the mfa key file"
expect_eq "$(stat -c %a "$T_MFAKEY")" "600" "the mfa key file is 0600"
expect_contains "$(head -c 17 "$T_MFAKEY")" "docket-mfa-key/1 " "its format"

signin() {  # signin USER PASSWORD TOTP
  local body
  body=$(python3 -c 'import json,sys; print(json.dumps({"user":sys.argv[1],"password":sys.argv[2],"totp":sys.argv[3]}))' "$@")
  api POST /api/v1/session -H 'Content-Type: application/json' -d "$body"
}
# the secret of an otpauth:// URI, as lower-case hex
uri_hex() {
  python3 -c 'import base64,sys,urllib.parse as u
s=u.parse_qs(u.urlparse(sys.argv[1]).query)["secret"][0]
print(base64.b32decode(s + "=" * (-len(s) % 8)).hex())' "$1"
}
# the stored totp_secret of a user, as lower-case hex
row_hex() {
  if [ "$T_ENGINE" = pg ]; then
    db_sql "SELECT encode(totp_secret, 'hex') FROM staff_auth WHERE name = '$1'"
  else
    db_sql "SELECT lower(hex(totp_secret)) FROM staff_auth WHERE name = '$1'"
  fi
}
set_row_hex() {  # set_row_hex USER HEX
  if [ "$T_ENGINE" = pg ]; then
    db_sql "UPDATE staff_auth SET totp_secret = decode('$2', 'hex') WHERE name = '$1'"
  else
    db_sql "UPDATE staff_auth SET totp_secret = X'$2' WHERE name = '$1'"
  fi
}

uri=$(docket --as root user mfa reviewer-1)
secret=$(uri_hex "$uri")
expect_eq "${#secret}" "40" "a 160-bit secret"
stored=$(row_hex reviewer-1)
case "$stored" in *"$secret"*) not_ok "the row holds the secret in the clear" ;; *) ok ;; esac
# "totp-sealed/1:" || nonce || ciphertext || tag
expect_contains "$stored" "$(printf 'totp-sealed/1:' | od -An -tx1 | tr -d ' \n')" "the row is sealed"
expect_eq "${#stored}" "$(((14 + 24 + 20 + 16) * 2))" "nonce, ciphertext and tag"
dump=$(db_dump | tr 'A-F' 'a-f')
case "$dump" in *"$secret"*) not_ok "a dump of the database holds the secret" ;; *) ok ;; esac
case "$(db_log_entries)" in *"$secret"*) not_ok "the log holds the secret" ;; *) ok ;; esac
# enrolling again seals a new secret with a new nonce
uri2=$(docket --as root user mfa reviewer-2)
[ "$(row_hex reviewer-2)" != "$stored" ] && ok || not_ok "each row sealed on its own"

serve_start
signin reviewer-1 "$PW" "$(totp "$uri" 0)"
expect_status 200 "a TOTP sign-in opens the sealed secret"
signin reviewer-1 "$PW" "$(totp "$uri" 0)"
expect_status 401 "the same code twice"
signin reviewer-2 "$PW" "$(totp "$uri2" 0)"
expect_status 200 "the second user signs in"

# a sealed secret copied into another user's row does not open there
r2=$(row_hex reviewer-2)
set_row_hex reviewer-2 "$stored"
signin reviewer-2 "$PW" "$(totp "$uri" 1)"
expect_status 500 "a secret moved to another row does not open"
case "$H_BODY" in *"$secret"*|*reviewer-2*) not_ok "the error tells the client more than its class" ;; *) ok ;; esac
expect_contains "$(cat "$T_DIR/serve.log")" "does not open under the mfa key" "the server's log says why"
set_row_hex reviewer-2 "$r2"

# a secret an older docket stored in the clear: read as it is...
old_hex=3132333435363738393031323334353637383930
old_uri="otpauth://totp/x:intake-1?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
expect_eq "$(uri_hex "$old_uri")" "$old_hex" "the test's clear secret"
docket --as root user mfa intake-1 >/dev/null
set_row_hex intake-1 "$old_hex"
signin intake-1 "$PW" "$(totp "$old_uri" 0)"
expect_status 200 "a secret stored in the clear still signs in"
serve_stop
# ...and sealed by the next scheduler pass, logged
expect_exit 0 "the scheduler pass" -- docket --as root --json tick
expect_eq "$(printf '%s' "$T_OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["mfa_sealed"])')" "1" "one secret sealed"
case "$(row_hex intake-1)" in *"$old_hex"*) not_ok "still in the clear after the pass" ;; *) ok ;; esac
expect_contains "$(db_log_entries | grep '"user.mfa_sealed"')" '"user":"intake-1"' "the sealing is logged"
expect_exit 0 "a second pass" -- docket --as root --json tick
expect_eq "$(printf '%s' "$T_OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["mfa_sealed"])')" "0" "nothing left to seal"
# the rows the tests above changed by hand were put back: the log agrees
# with every stored secret
set_row_hex reviewer-2 "$r2"
expect_exit 0 "log verify after sealing" -- docket log verify

serve_start
signin intake-1 "$PW" "$(totp "$old_uri" 1)"
expect_status 200 "the sealed former clear secret signs in"
serve_stop

# without the key file a sealed secret cannot be read, and the error says so
mv "$T_MFAKEY" "$T_DIR/mfa-key.away"
expect_exit 1 "enrolment refuses to make a new key over sealed secrets" -- docket --as root user mfa reviewer-1
expect_contains "$T_ERR" "restore it from the backup" "says what to do"
[ -f "$T_MFAKEY" ] && not_ok "a new key was made" || ok
mv "$T_DIR/mfa-key.away" "$T_MFAKEY"

# db copy: the sealed rows as they are, with the key file
if [ "$T_ENGINE" = sqlite ]; then
  copy="$T_DIR/copy.db"
  expect_exit 0 "db copy" -- docket db copy "$DOCKET_DB" "$copy"
  cmp -s "$T_MFAKEY" "$copy.mfa-key" && ok || not_ok "the mfa key is copied"
  expect_eq "$(sqlite3 "$copy" "SELECT lower(hex(totp_secret)) FROM staff_auth WHERE name = 'reviewer-1'")" \
    "$stored" "the sealed secret copied as it is"
  DOCKET_DB=$copy serve_start
  signin reviewer-1 "$PW" "$(totp "$uri" 1)"
  expect_status 200 "the copy signs in with the same authenticator"
  serve_stop
fi
done_testing
