#!/usr/bin/env bash
# The log interoperates (SPEC §6, invariant I8): docket's signed checkpoints,
# entries and RFC 9162 proofs verify with Go's golang.org/x/mod/sumdb/note
# and sumdb/tlog (tests/interop/tlogcheck.go) at tree sizes
# 1 2 3 7 8 9 255 256 257 1000, and a tampered proof, entry or checkpoint
# fails - in Go and in `docket log verify`.
#
# Part 1 checks a log written by the journal code itself (test_journal
# --export), which can stop at every size including 1.  Part 2 drives the
# real binary: `docket init` writes 2 entries, then each `user add` one.
. "$(dirname "$0")/lib.sh"
sqlite_only "restores the database file between tamperings (on PostgreSQL: t3020)"

if ! command -v go >/dev/null 2>&1; then
  echo "skip: go is not installed"
  exit 77
fi

# --- the Go verifier, built offline in a copy of tests/interop ---------------
cp -r "$DOCKET_SOURCE_DIR/tests/interop" "$T_DIR/interop"
export GOCACHE="${DOCKET_BUILD_DIR:-$T_DIR}/gocache" GOPATH="$T_DIR/gopath" GOPROXY=off GOFLAGS=-mod=mod
(cd "$T_DIR/interop" && go build -o "$T_DIR/tlogcheck" .) || {
  echo "cannot build tests/interop" >&2
  exit 1
}
tlogcheck() { "$T_DIR/tlogcheck" "$@"; }

# flip_line FILE N: FILE with the first character of line N changed.
flip_line() {
  local c
  c=$(sed -n "${2}p" "$1" | cut -c1)
  if [ "$c" = A ]; then sed "${2}s/^./B/" "$1"; else sed "${2}s/^./A/" "$1"; fi
}

# other_vkey NAME: a valid verifier key for NAME that docket never used.
other_vkey() {
  head -c 32 /dev/urandom >"$T_DIR/other.pub"
  local id b64
  id=$({ printf '%s\n\001' "$1"; cat "$T_DIR/other.pub"; } | sha256sum | cut -c1-8)
  b64=$({ printf '\001'; cat "$T_DIR/other.pub"; } | base64 -w0)
  echo "$1+$id+$b64"
}

# check_tampering DIR OLD NEW M: one good case, then each kind of damage fails.
check_tampering() {
  local d=$1 o=$2 s=$3 m=$4 t="$T_DIR/tamper"
  mkdir -p "$t"
  expect_exit 0 "untouched inclusion $m in $s" -- \
    tlogcheck inclusion "$d/vkey" "$d/cp.$s" "$m" "$d/entry.$m" "$d/incl.$m.$s"

  # an entry with one byte changed
  sed 's/"actor":"/"actor":"x/' "$d/entry.$m" >"$t/entry"
  expect_exit 1 "changed entry $m" -- \
    tlogcheck inclusion "$d/vkey" "$d/cp.$s" "$m" "$t/entry" "$d/incl.$m.$s"
  # a proof with one hash replaced, one dropped, one added
  { echo "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="; tail -n +2 "$d/incl.$m.$s"; } >"$t/proof"
  expect_exit 1 "replaced proof hash" -- \
    tlogcheck inclusion "$d/vkey" "$d/cp.$s" "$m" "$d/entry.$m" "$t/proof"
  tail -n +2 "$d/incl.$m.$s" >"$t/proof"
  expect_exit 1 "dropped proof hash" -- \
    tlogcheck inclusion "$d/vkey" "$d/cp.$s" "$m" "$d/entry.$m" "$t/proof"
  { cat "$d/incl.$m.$s"; head -1 "$d/incl.$m.$s"; } >"$t/proof"
  expect_exit 1 "extra proof hash" -- \
    tlogcheck inclusion "$d/vkey" "$d/cp.$s" "$m" "$d/entry.$m" "$t/proof"
  # a checkpoint with another size, another root, or signed by another key
  sed "2s/.*/$((s + 1))/" "$d/cp.$s" >"$t/cp"
  expect_exit 1 "checkpoint with a changed size" -- tlogcheck note "$d/vkey" "$t/cp"
  flip_line "$d/cp.$s" 3 >"$t/cp"
  expect_exit 1 "checkpoint with a changed root" -- tlogcheck note "$d/vkey" "$t/cp"
  other_vkey test.example/log >"$t/vkey"
  expect_exit 1 "another key" -- tlogcheck note "$t/vkey" "$d/cp.$s"
  # a consistency proof between the wrong pair, or with a changed hash
  expect_exit 0 "untouched consistency $o to $s" -- \
    tlogcheck consistency "$d/vkey" "$d/cp.$o" "$d/cp.$s" "$d/cons.$o.$s"
  flip_line "$d/cons.$o.$s" 1 >"$t/proof"
  expect_exit 1 "changed consistency hash" -- \
    tlogcheck consistency "$d/vkey" "$d/cp.$o" "$d/cp.$s" "$t/proof"
  expect_exit 1 "consistency for other sizes" -- \
    tlogcheck consistency "$d/vkey" "$d/cp.$s" "$d/cp.$s" "$d/cons.$o.$s"
}

# --- part 1: the journal's own export, every size -------------------------------
EXPORTER="${DOCKET_BUILD_DIR:-}/tests/test_journal"
if [ -x "$EXPORTER" ]; then
  mkdir "$T_DIR/export"
  expect_exit 0 "export a log" -- "$EXPORTER" --export "$T_DIR/export"
  expect_exit 0 "go verifies the exported log" -- tlogcheck cases "$T_DIR/export"
  expect_contains "$T_OUT" "ok: 75 cases" "every exported case ran"
  for s in 1 2 3 7 8 9 255 256 257 1000; do
    expect_exit 0 "exported checkpoint $s" -- tlogcheck note "$T_DIR/export/vkey" "$T_DIR/export/cp.$s"
  done
  check_tampering "$T_DIR/export" 7 257 128
  check_tampering "$T_DIR/export" 1 1000 999
else
  not_ok "no exporter at $EXPORTER (DOCKET_BUILD_DIR unset?)"
fi

# --- part 2: the real binary -----------------------------------------------------
docket init --admin root --origin test.example/log >/dev/null || { echo "init failed" >&2; exit 1; }
export DOCKET_USER=root
D="$T_DIR/bin"
mkdir "$D"
docket log key >"$D/vkey"
expect_contains "$(cat "$D/vkey")" "test.example/log+" "verifier key names the origin"

log_size() { docket log checkpoint | sed -n 2p; }

# capture SIZE OLDER...: the checkpoint, three entries with their proofs, and
# consistency proofs from every earlier size.
capture() {
  local s=$1 m
  shift
  docket log checkpoint >"$D/cp.$s"
  for m in 0 $((s / 2)) $((s - 1)); do
    docket log entry "$m" >"$D/entry.$m"
    docket log proof "$m" >"$D/incl.$m.$s"
    echo "incl $m $s" >>"$D/cases"
  done
  for o in "$@"; do
    docket log consistency "$o" >"$D/cons.$o.$s"
    echo "cons $o $s" >>"$D/cases"
  done
}

done_sizes=()
n=0
for target in 2 3 7 8 9 255 256 257 1000; do
  for ((size = $(log_size); size < target; size++)); do
    n=$((n + 1))
    docket user add "u$n" --role auditor >/dev/null || { not_ok "user add u$n"; break 2; }
  done
  expect_eq "$(log_size)" "$target" "the log reached size $target"
  capture "$target" "${done_sizes[@]}"
  done_sizes+=("$target")
done
expect_exit 0 "go verifies the binary's checkpoints and proofs" -- tlogcheck cases "$D"
expect_contains "$T_OUT" "ok: 63 cases" "every case from the binary ran"
check_tampering "$D" 9 257 128

# proofs for an older signed tree, and that tree's checkpoint, by --size
docket log checkpoint --size 255 >"$D/cp.old"
expect_exit 0 "checkpoint --size" -- cmp "$D/cp.old" "$D/cp.255"
docket log proof 100 --size 255 >"$D/incl.100.255"
docket log entry 100 >"$D/entry.100"
expect_exit 0 "inclusion in an older tree" -- \
  tlogcheck inclusion "$D/vkey" "$D/cp.255" 100 "$D/entry.100" "$D/incl.100.255"
docket log consistency 3 --size 9 >"$D/cons.3.9"
expect_exit 0 "consistency between older trees" -- \
  tlogcheck consistency "$D/vkey" "$D/cp.3" "$D/cp.9" "$D/cons.3.9"
expect_exit 4 "proof beyond the tree" -- docket log proof 1000
expect_exit 4 "no checkpoint at that size" -- docket log checkpoint --size 5000
expect_exit 2 "proof needs an index" -- docket log proof
expect_exit 2 "bad size" -- docket log proof 1 --size x

# --- verify, then tamper with the database behind docket's back ---------------
expect_exit 0 "log verify" -- docket log verify
expect_contains "$T_OUT" "1000 entries" "verify counted the entries"
expect_exit 0 "log verify with the published key" -- docket log verify --key "$(cat "$D/vkey")"
expect_exit 3 "log verify with another key" -- docket log verify --key "$(cat "$T_DIR/tamper/vkey")"

sqlite3 "$DOCKET_DB" ".backup '$T_DIR/good.db'"
restore() {
  rm -f "$DOCKET_DB-wal" "$DOCKET_DB-shm"
  cp "$T_DIR/good.db" "$DOCKET_DB"
}
sqlite3 "$DOCKET_DB" "UPDATE log_entry SET entry = CAST(replace(CAST(entry AS TEXT), 'u40', 'u41') AS BLOB) WHERE idx = 41"
expect_exit 3 "verify finds a changed entry" -- docket log verify
expect_contains "$T_OUT$T_ERR" "entry 41" "verify names the changed entry"
expect_contains "$T_ERR" "first bad entry 41" "verify says where"
docket log entry 41 >"$T_DIR/entry.41"
docket --db "$T_DIR/good.db" log proof 41 >"$T_DIR/incl.41"
expect_exit 1 "go rejects the changed entry" -- \
  tlogcheck inclusion "$D/vkey" "$D/cp.1000" 41 "$T_DIR/entry.41" "$T_DIR/incl.41"

restore
sqlite3 "$DOCKET_DB" "UPDATE log_hash SET hash = zeroblob(32) WHERE level = 0 AND idx = 999"
expect_exit 3 "verify finds a changed leaf hash" -- docket log verify
expect_contains "$T_OUT" "level 0 index 999" "verify names the leaf hash"

# the subtree [0, 512) is part of the signed root: docket will not sign again
restore
sqlite3 "$DOCKET_DB" "UPDATE log_hash SET hash = zeroblob(32) WHERE level = 9 AND idx = 0"
expect_exit 3 "verify finds a changed node" -- docket log verify
expect_contains "$T_OUT" "level 9 index 0" "verify names the node"
expect_exit 1 "docket refuses to sign over a changed tree" -- docket user add late --role auditor
expect_contains "$T_ERR" "no longer matches its signed checkpoint" "refusal says why"

restore
sqlite3 "$DOCKET_DB" "DELETE FROM log_entry WHERE idx >= 990; DELETE FROM log_hash WHERE (idx + 1) << level > 990"
expect_exit 3 "verify finds removed entries" -- docket log verify
expect_contains "$T_OUT" "entries were removed" "verify names the truncation"

restore
sqlite3 "$DOCKET_DB" "UPDATE log_checkpoint SET note = replace(note, char(10) || '256' || char(10), char(10) || '255' || char(10)) WHERE size = 256"
expect_exit 3 "verify finds a changed checkpoint" -- docket log verify
expect_contains "$T_OUT" "checkpoint 256" "verify names the checkpoint"

# --- the key file: a failing fsync is an error and leaves nothing behind ------
if strace -f -o /dev/null true 2>/dev/null; then
  for n in 1 2; do   # 1: the key file, 2: its directory
    expect_exit 1 "failing fsync $n while writing the key" -- \
      strace -f -o /dev/null -e trace=fsync -e inject=fsync:error=EIO:when=$n \
      env DOCKET_DB="$T_DIR/f$n.db" ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
      "$DOCKET_BIN" init --admin root
    expect_contains "$T_ERR" "Input/output error" "the failing fsync is reported"
    expect_eq "$(ls "$T_DIR" | grep -c "^f$n\.db")" 0 "no key or database is left"
  done
else
  echo "note: strace cannot trace here; fsync failures not injected"
fi
chmod 640 "$DOCKET_DB.key"
expect_exit 5 "a key file others may read is refused" -- docket user add late2 --role auditor
expect_contains "$T_ERR" "chmod 600" "the refusal says how to fix it"

done_testing
