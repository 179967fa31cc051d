#!/usr/bin/env bash
# The log over HTTP as C2SP tlog-tiles (SPEC §12), checked by a client that
# shares no code with docket: tests/interop/tilecheck, on Go's
# golang.org/x/mod/sumdb/note and sumdb/tlog, fetches the checkpoint, hash
# tiles and entry bundles from a real `docket serve` on loopback and
# verifies the log's signature, a witness's cosignature (the Go witness of
# tests/interop/witness), every full tile against its parent, every entry
# against its level 0 tile, inclusion proofs and a consistency proof from an
# older checkpoint.  Then the HTTP details: content types, caching, CORS,
# the auditor role for entry bundles, 404 for tiles that do not exist.
T_HERE=$(cd "$(dirname "$0")" && pwd)
. "$T_HERE/lib.sh"

if ! command -v go >/dev/null 2>&1; then
  echo "skip: go is not installed"
  exit 77
fi
cp -r "$DOCKET_SOURCE_DIR/tests/interop" "$T_DIR/interop"
export GOCACHE="${DOCKET_BUILD_DIR:-$T_DIR}/gocache" GOPATH="$T_DIR/gopath" GOPROXY=off GOFLAGS=-mod=mod
(cd "$T_DIR/interop" && go build -o "$T_DIR/witness" ./witness && go build -o "$T_DIR/tilecheck" ./tilecheck) || {
  echo "cannot build tests/interop" >&2
  exit 1
}
. "$T_HERE/serve.sh"
WPID=
trap 'serve_stop >/dev/null 2>&1; [ -n "$WPID" ] && kill "$WPID" 2>/dev/null; rm -rf "$T_DIR"' EXIT

setup_db
LOGKEY=$(docket log key)
for i in $(seq 1 40); do docket user add "early-$i" --role intake >/dev/null; done
docket log checkpoint >old.cp
for i in $(seq 1 280); do docket user add "user-$i" --role intake >/dev/null; done

AUDITOR=$(token_for auditor-1 auditor)
INTAKE=$(token_for intake-1 intake)

# a witness cosigns the latest checkpoint
WNAME=witness.test/w1
WVKEY=$("$T_DIR/witness" -name $WNAME -key "$T_DIR/w.key" -print-vkey)
"$T_DIR/witness" -name $WNAME -key "$T_DIR/w.key" -log-vkey "$LOGKEY" \
  -state "$T_DIR/w.state" -addr-file "$T_DIR/w.addr" &
WPID=$!
for _ in $(seq 100); do [ -s "$T_DIR/w.addr" ] && break; sleep 0.05; done
docket witness add $WNAME "http://$(cat "$T_DIR/w.addr")" "$WVKEY" >/dev/null
expect_exit 0 "witness cosigns" -- docket witness offer
expect_contains "$T_OUT" "1 cosigned" "cosigned"
size=$(docket log checkpoint | sed -n 2p)
[ "$size" -gt 256 ] && ok || not_ok "the log has a full level 0 tile and a partial one ($size)"

serve_start

# --- an independent client verifies everything -----------------------------------
expect_exit 0 "Go verifies checkpoint, cosignature, tiles, bundles and proofs" -- \
  "$T_DIR/tilecheck" -url "$SERVE_URL/log" -vkey "$LOGKEY" -witness "$WVKEY" \
  -token "$AUDITOR" -old old.cp
expect_contains "$T_OUT" "ok size=$size" "the whole log"
expect_contains "$T_OUT" "cosigned-by=$WNAME" "cosigned"
# Go's client asks for gzip and opens it unseen: the bundles came compressed
bundles=$(( (size + 255) / 256 ))
expect_contains "$T_OUT" "entry bundles: $bundles of $bundles came gzip-compressed" "bundles gzip-compressed to Go"
other=$("$T_DIR/witness" -name witness.test/w2 -key "$T_DIR/w2.key" -print-vkey)
expect_exit 1 "a witness that did not cosign is missed" -- \
  "$T_DIR/tilecheck" -url "$SERVE_URL/log" -vkey "$LOGKEY" -witness "$other"

# --- the checkpoint ---------------------------------------------------------------------
api GET /log/checkpoint
expect_status 200 "checkpoint"
expect_eq "$H_BODY" "$(docket log checkpoint)" "exactly docket log checkpoint"
expect_contains "$H_HEADERS" "Content-Type: text/plain; charset=utf-8" "checkpoint type"
expect_contains "$H_HEADERS" "Cache-Control: no-store" "checkpoint not cached"
expect_contains "$H_HEADERS" "Access-Control-Allow-Origin: *" "checkpoint CORS"
expect_contains "$H_BODY" "— $WNAME " "cosignature served"

# --- hash tiles -------------------------------------------------------------------------
api GET /log/tile/0/000
expect_status 200 "a full tile"
expect_eq "$(stat -c %s "$T_DIR/.b")" 8192 "256 hashes"
expect_contains "$H_HEADERS" "Content-Type: application/octet-stream" "tile type"
expect_contains "$H_HEADERS" "Cache-Control: public, max-age=31536000, immutable" "full tile immutable"
expect_contains "$H_HEADERS" "Access-Control-Allow-Origin: *" "tile CORS"
first=$(docket log entry 0 | python3 -c 'import sys,hashlib; print(hashlib.sha256(b"\0"+sys.stdin.buffer.read()).hexdigest())')
expect_eq "$(head -c 32 "$T_DIR/.b" | od -An -tx1 | tr -d ' \n')" "$first" "leaf hash of entry 0"
w=$((size % 256)) n=$((size / 256))
api GET "/log/tile/0/$(printf %03d $n).p/$w"
expect_status 200 "the partial tile"
expect_eq "$(stat -c %s "$T_DIR/.b")" $((w * 32)) "W hashes"
expect_contains "$H_HEADERS" "Cache-Control: no-cache" "partial tile revalidated"
api GET /log/tile/1/000.p/$((size / 256))
expect_status 200 "level 1"
for p in "0/$(printf %03d $n)" "0/$(printf %03d $n).p/$((w + 1))" "0/999" "2/000.p/1" \
  "0/00" "0/x000/001" "0/000.p/0" "00/000" "64/000" "0/000/extra" "entries"; do
  api GET "/log/tile/$p"
  expect_status 404 "no tile at $p"
done
api POST /log/tile/0/000 -H "Authorization: Bearer $AUDITOR"
[ "$H_STATUS" = 405 ] || [ "$H_STATUS" = 404 ] && ok || not_ok "POST a tile: HTTP $H_STATUS"

# --- entry bundles: the auditor role ---------------------------------------------------
api GET /log/tile/entries/000
expect_status 401 "entry bundle without a token"
api GET /log/tile/entries/000 -H "Authorization: Bearer $INTAKE"
expect_status 403 "entry bundle for intake"
api GET /log/tile/entries/000 -H "Authorization: Bearer $AUDITOR"
expect_status 200 "entry bundle for the auditor"
expect_contains "$H_HEADERS" "Cache-Control: private, max-age=31536000, immutable" "bundle private"
expect_contains "$H_HEADERS" "Content-Type: application/octet-stream" "bundle type"
len=$(head -c 2 "$T_DIR/.b" | od -An -tu1 | awk '{print $1 * 256 + $2}')
expect_eq "$len" "$(docket log entry 0 | wc -c)" "first entry's length"
expect_eq "$(tail -c +3 "$T_DIR/.b" | head -c "$len")" "$(docket log entry 0)" "first entry's bytes"
api GET "/log/tile/entries/$(printf %03d $n).p/$w" -H "Authorization: Bearer $AUDITOR"
expect_status 200 "partial bundle"
expect_contains "$H_HEADERS" "Cache-Control: private, no-cache" "partial bundle"
api GET "/log/tile/entries/$(printf %03d $((n + 1)))" -H "Authorization: Bearer $AUDITOR"
expect_status 404 "bundle beyond the log"

# --- the server's scheduler offers each new checkpoint to the witness -------------------
serve_stop
docket user add after-serve --role intake >/dev/null
api_cp() { curl -s "$SERVE_URL/log/checkpoint"; }
serve_start --tick 1
for _ in $(seq 100); do
  api_cp | grep -q "^— $WNAME " && break
  sleep 0.1
done
# the user, and (first pass of the hour) the commitment to the
# national-security compartment (docs/log.md)
expect_eq "$(api_cp | sed -n 2p)" "$(db_sql 'select count(*) from log_entry')" "the new checkpoint is served"
expect_contains "$(api_cp)" "— $WNAME " "the scheduler had it cosigned"
expect_contains "$(cat "$T_DIR/serve.log")" "checkpoint offered to 1 witnesses: 1 cosigned" "the scheduler says so"
size=$((size + 1))

# --- a tampered tile is caught by the client ---------------------------------------------
serve_stop
if [ "$T_ENGINE" = pg ]; then
  db_sql "UPDATE log_hash SET hash = decode(repeat('00', 32), 'hex') WHERE level = 0 AND idx = 300"
else
  db_sql "UPDATE log_hash SET hash = zeroblob(32) WHERE level = 0 AND idx = 300"
fi
serve_start
expect_exit 1 "a changed leaf hash fails in Go" -- \
  "$T_DIR/tilecheck" -url "$SERVE_URL/log" -vkey "$LOGKEY" -every 7

done_testing
