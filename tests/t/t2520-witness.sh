#!/usr/bin/env bash
# Witnesses (SPEC §6; c2sp.org/tlog-witness, tlog-cosignature/v1) against
# an independent witness written in Go on golang.org/x/mod/sumdb/note and
# sumdb/tlog (tests/interop/witness): `witness add` checks its arguments and
# is logged; each new checkpoint is offered with the consistency proof from
# the size the witness last cosigned and the cosignature is verified,
# stored, served with the checkpoint and checked by `log verify`; a witness
# that is down is recorded, not fatal; and a forked log - a database
# restored from an older copy, then written - is refused by the witness
# (409, then 422 once the fork is longer than what it cosigned) and reported
# by `log verify`.
. "$(dirname "$0")/lib.sh"
sqlite_only "rolls the log back by restoring an older database file"

if ! command -v go >/dev/null 2>&1; then
  echo "skip: go is not installed"
  exit 77
fi
cp -r "$DOCKET_SOURCE_DIR/tests/interop" "$T_DIR/interop"
export GOCACHE="${DOCKET_BUILD_DIR:-$T_DIR}/gocache" GOPATH="$T_DIR/gopath" GOPROXY=off GOFLAGS=-mod=mod
(cd "$T_DIR/interop" && go build -o "$T_DIR/witness" ./witness && go build -o "$T_DIR/tlogcheck" .) || {
  echo "cannot build tests/interop" >&2
  exit 1
}

setup_db
WNAME=witness.test/w1
WVKEY=$("$T_DIR/witness" -name $WNAME -key "$T_DIR/w.key" -print-vkey)
LOGKEY=$(docket log key)
WPID=
start_witness() {
  rm -f "$T_DIR/w.addr"
  "$T_DIR/witness" -name $WNAME -key "$T_DIR/w.key" -log-vkey "$LOGKEY" \
    -state "$T_DIR/w.state" -addr-file "$T_DIR/w.addr" -journal "$T_DIR/w.journal" &
  WPID=$!
  for _ in $(seq 100); do [ -s "$T_DIR/w.addr" ] && break; sleep 0.05; done
  WADDR=$(cat "$T_DIR/w.addr")
}
stop_witness() { [ -n "$WPID" ] && kill "$WPID" 2>/dev/null && wait "$WPID" 2>/dev/null; WPID=; }
trap 'stop_witness; rm -rf "$T_DIR"' EXIT
start_witness

# --- registering ----------------------------------------------------------------
before=$(db_fingerprint)
expect_exit 3 "bad name" -- docket witness add "bad name" "http://$WADDR" "$WVKEY"
expect_exit 3 "not http" -- docket witness add $WNAME "ftp://$WADDR" "$WVKEY"
expect_contains "$T_ERR" "url" "url named"
expect_exit 3 "a signing key is not a cosigning key" -- docket witness add test.example/log "http://$WADDR" "$LOGKEY"
expect_contains "$T_ERR" "witness key" "key named"
expect_exit 3 "key for another name" -- docket witness add witness.test/w2 "http://$WADDR" "$WVKEY"
expect_exit 5 "auditor may not add" -- docket --as auditor-1 witness add $WNAME "http://$WADDR" "$WVKEY"
expect_exit 2 "usage" -- docket witness add $WNAME
expect_eq "$(db_fingerprint)" "$before" "nothing stored by refused adds"

expect_exit 0 "add the witness" -- docket witness add $WNAME "http://$WADDR" "$WVKEY"
expect_exit 5 "twice" -- docket witness add $WNAME "http://$WADDR" "$WVKEY"
expect_contains "$(docket log entry "$(( $(sqlite3 "$DOCKET_DB" 'SELECT max(idx) FROM log_entry') ))")" '"type":"witness.add"' "adding is logged"
expect_exit 0 "list" -- docket --as auditor-1 witness list
expect_contains "$T_OUT" "$WNAME" "listed"
expect_contains "$T_OUT" "not offered yet" "not offered yet"

# --- offering and cosigning ---------------------------------------------------------
expect_exit 0 "offer" -- docket witness offer
expect_contains "$T_OUT" "1 cosigned" "cosigned"
size1=$(docket log checkpoint | sed -n 2p)
expect_exit 0 "served checkpoint" -- docket log checkpoint
expect_contains "$T_OUT" "— $WNAME " "cosignature served after the log's signature"
expect_eq "$(printf '%s\n' "$T_OUT" | grep -c '^— ')" 2 "two signature lines"
printf '%s\n' "$T_OUT" >cp1
expect_exit 0 "Go still opens the cosigned checkpoint with the log key" -- "$T_DIR/tlogcheck" note <(echo "$LOGKEY") cp1
expect_contains "$(cat "$T_DIR/w.state")" "\"size\":$size1" "the witness keeps the size it cosigned"
expect_exit 0 "verify with a cosignature" -- docket log verify
expect_contains "$T_OUT" "1 cosignatures checked" "cosignature checked"
expect_exit 0 "nothing new to offer" -- docket witness offer
expect_contains "$T_OUT" "offered to 0" "not offered twice"

# a later checkpoint goes with a consistency proof from size1 (the tick's last step)
docket user add extra-1 --role intake >/dev/null
docket user add extra-2 --role intake >/dev/null
expect_exit 0 "tick offers" -- docket tick
expect_contains "$T_OUT" "1 cosigned" "tick cosigned"
size2=$(docket log checkpoint | sed -n 2p)
[ "$size2" -gt "$size1" ] && ok || not_ok "the log grew"
expect_contains "$(cat "$T_DIR/w.state")" "\"size\":$size2" "the witness moved on with a proof"
expect_eq "$(sqlite3 "$DOCKET_DB" 'SELECT count(*) FROM cosignature')" 2 "two cosignatures stored"
expect_exit 0 "the older checkpoint keeps its cosignature" -- docket log checkpoint --size "$size1"
expect_contains "$T_OUT" "— $WNAME " "old cosignature served"

# a changed cosignature is found by verify
good=$(sqlite3 "$DOCKET_DB" "SELECT line FROM cosignature WHERE size = $size2")
bad=$(python3 -c 'import sys; l=sys.argv[1]; i=len(l)-10; print(l[:i] + ("A" if l[i] != "A" else "B") + l[i+1:])' "$good")
sqlite3 "$DOCKET_DB" "UPDATE cosignature SET line = '$bad' WHERE size = $size2"
expect_exit 3 "changed cosignature" -- docket log verify
expect_contains "$T_OUT" "bad witness: cosignature by '$WNAME' on checkpoint $size2" "named"
sqlite3 "$DOCKET_DB" "UPDATE cosignature SET line = '$good' WHERE size = $size2"
expect_exit 0 "restored" -- docket log verify

# --- a witness that is down ----------------------------------------------------------------
stop_witness
docket user add extra-3 --role intake >/dev/null
expect_exit 0 "offer to a witness that is down" -- docket witness offer
expect_contains "$T_OUT" "1 failed" "failure counted"
expect_contains "$(docket witness list)" "not reached" "failure recorded"
expect_exit 0 "a witness down is not a log problem" -- docket log verify
start_witness
sqlite3 "$DOCKET_DB" "UPDATE witness SET url = 'http://$WADDR'"
expect_exit 0 "offer again" -- docket witness offer
expect_contains "$T_OUT" "1 cosigned" "cosigned after the outage"
size3=$(docket log checkpoint | sed -n 2p)

# --- a fork: the database restored from an older copy, then written -----------------------
sqlite3 "$DOCKET_DB" ".backup '$T_DIR/old.db'"   # at size3, cosigned
for i in 4 5 6; do docket user add extra-$i --role intake >/dev/null; done
expect_exit 0 "the real log moves on" -- docket witness offer
size4=$(docket log checkpoint | sed -n 2p)
expect_contains "$(cat "$T_DIR/w.state")" "\"size\":$size4" "the witness cosigned size4"

rm -f "$DOCKET_DB" "$DOCKET_DB-wal" "$DOCKET_DB-shm"
cp "$T_DIR/old.db" "$DOCKET_DB"
docket user add forked-1 --role intake >/dev/null   # size3 + 1 < size4: another tree
expect_exit 0 "offer the fork" -- docket witness offer
expect_contains "$T_OUT" "1 failed" "the witness did not cosign the fork"
expect_contains "$(tail -2 "$T_DIR/w.journal")" "409 $size4" "the witness answered 409 with its size"
expect_contains "$(docket witness list)" "beyond this log" "rollback recorded"
expect_exit 3 "verify finds the rollback" -- docket log verify
expect_contains "$T_OUT" "bad witness: witness '$WNAME'" "witness named"
expect_contains "$T_OUT" "rolled back or forked" "rollback named"

# the fork grows past what the witness cosigned: now the proof is refused
for i in 2 3 4 5; do docket user add forked-$i --role intake >/dev/null; done
forked=$(docket log checkpoint | sed -n 2p)
[ "$forked" -gt "$size4" ] && ok || not_ok "the fork is longer than size4"
expect_exit 0 "offer the longer fork" -- docket witness offer
expect_contains "$T_OUT" "1 failed" "refused"
expect_contains "$(tail -1 "$T_DIR/w.journal")" "422" "the witness answered 422"
expect_contains "$(cat "$T_DIR/w.state")" "\"size\":$size4" "the witness kept its checkpoint"
expect_exit 3 "verify reports the refusal" -- docket log verify
expect_contains "$T_OUT" "inconsistent" "inconsistency named"
expect_exit 0 "the served checkpoint carries no cosignature for the fork" -- docket log checkpoint
expect_eq "$(printf '%s\n' "$T_OUT" | grep -c '^— ')" 1 "only the log's signature"

done_testing
