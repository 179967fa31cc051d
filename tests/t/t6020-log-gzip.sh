#!/usr/bin/env bash
# t6020: the log's tiles over HTTP with gzip (SPEC §12, docs/log.md).  An
# entry bundle goes gzip-compressed to a client that accepts it (curl
# --compressed, Accept-Encoding: gzip) and as it is to one that does not,
# with "Vary: Accept-Encoding" either way and the same bytes once opened;
# a refusal by weight (gzip;q=0) is honoured; a hash tile - random hashes,
# which gzip only makes longer - goes as it is even when gzip is accepted.
T_HERE=$(cd "$(dirname "$0")" && pwd)
. "$T_HERE/lib.sh"
. "$T_HERE/serve.sh"
setup_db
for i in $(seq 1 30); do docket user add "user-$i" --role intake >/dev/null; done
size=$(docket log checkpoint | sed -n 2p)
AUDITOR=$(token_for auditor-1 auditor)
serve_start
bundle="/log/tile/entries/000.p/$size"

api GET "$bundle" -H "Authorization: Bearer $AUDITOR"
expect_status 200 "a bundle without Accept-Encoding"
plain_len=$(stat -c %s "$T_DIR/.b")
cp "$T_DIR/.b" plain.bin
case "$H_HEADERS" in *"Content-Encoding"*) not_ok "compressed though not asked" ;; *) ok ;; esac
expect_contains "$H_HEADERS" "Vary: Accept-Encoding" "Vary on the plain answer"
len=$(head -c 2 plain.bin | od -An -tu1 | awk '{print $1 * 256 + $2}')
expect_eq "$(tail -c +3 plain.bin | head -c "$len")" "$(docket log entry 0)" "the plain bundle's first entry"

api GET "$bundle" -H "Authorization: Bearer $AUDITOR" --compressed
expect_status 200 "a bundle with curl --compressed"
expect_contains "$H_HEADERS" "Content-Encoding: gzip" "sent gzip-compressed"
expect_contains "$H_HEADERS" "Vary: Accept-Encoding" "Vary on the compressed answer"
expect_contains "$H_HEADERS" "Content-Type: application/octet-stream" "the same type"
expect_contains "$H_HEADERS" "Cache-Control: private, no-cache" "the same caching"
cmp -s "$T_DIR/.b" plain.bin && ok || not_ok "opened, the same bytes as the plain answer"

api GET "$bundle" -H "Authorization: Bearer $AUDITOR" -H "Accept-Encoding: gzip"
expect_contains "$H_HEADERS" "Content-Encoding: gzip" "Accept-Encoding: gzip alone"
gz_len=$(stat -c %s "$T_DIR/.b")
[ "$gz_len" -lt "$plain_len" ] && ok || not_ok "smaller compressed ($gz_len >= $plain_len)"
gzip -dc <"$T_DIR/.b" >opened.bin && ok || not_ok "a valid gzip stream"
cmp -s opened.bin plain.bin && ok || not_ok "gunzip gives the plain bundle"
clen=$(printf '%s\n' "$H_HEADERS" | sed -n 's/^Content-Length: //Ip')
expect_eq "$clen" "$gz_len" "Content-Length is the compressed length"

api GET "$bundle" -H "Authorization: Bearer $AUDITOR" -H "Accept-Encoding: gzip;q=0, identity"
case "$H_HEADERS" in *"Content-Encoding"*) not_ok "gzip;q=0 compressed" ;; *) ok ;; esac
cmp -s "$T_DIR/.b" plain.bin && ok || not_ok "gzip;q=0: the plain bundle"
api GET "$bundle" -H "Accept-Encoding: gzip"
expect_status 401 "still the auditor's"

# a hash tile: random hashes do not shrink, so they go as they are
api GET "/log/tile/0/000.p/$size" --compressed
expect_status 200 "a hash tile with --compressed"
case "$H_HEADERS" in *"Content-Encoding"*) not_ok "a hash tile was compressed" ;; *) ok ;; esac
expect_contains "$H_HEADERS" "Vary: Accept-Encoding" "Vary on the hash tile"
expect_eq "$(stat -c %s "$T_DIR/.b")" "$((size * 32))" "its hashes as they are"
# the checkpoint is not a tile: as it is
api GET /log/checkpoint --compressed
expect_eq "$H_BODY" "$(docket log checkpoint)" "the checkpoint as it is"
serve_stop
done_testing
