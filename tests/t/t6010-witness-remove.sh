#!/usr/bin/env bash
# t6010: `docket witness remove NAME` and DELETE /api/v1/witnesses/{name}
# (SPEC §6; docs/log.md "Witnesses").  Admin only, logged as
# "witness.remove" in the same unit of work, a clear error and exit 4 for an
# unknown name and exit 5 for one removed already, nothing changed by a
# refused remove.  A removed witness is offered no checkpoint and its lines
# are no longer served, but the cosignatures it made stay stored and `log
# verify` keeps checking them with its key; it may come back with the same
# key, not with another.  Against the Go witness of tests/interop.
T_HERE=$(cd "$(dirname "$0")" && pwd)
. "$T_HERE/lib.sh"
. "$T_HERE/serve.sh"

if ! command -v go >/dev/null 2>&1; then
  echo "skip: go is not installed"
  exit 77
fi
cp -r "$DOCKET_SOURCE_DIR/tests/interop" "$T_DIR/interop"
export GOCACHE="${DOCKET_BUILD_DIR:-$T_DIR}/gocache" GOPATH="$T_DIR/gopath" GOPROXY=off GOFLAGS=-mod=mod
(cd "$T_DIR/interop" && go build -o "$T_DIR/witness" ./witness) || {
  echo "cannot build tests/interop" >&2
  exit 1
}

setup_db
WNAME=witness.test/w1
WVKEY=$("$T_DIR/witness" -name $WNAME -key "$T_DIR/w.key" -print-vkey)
OTHERKEY=$("$T_DIR/witness" -name $WNAME -key "$T_DIR/other.key" -print-vkey)
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
trap 'serve_stop >/dev/null 2>&1; stop_witness; t_cleanup' EXIT
start_witness
last_entry() { db_log_entries | tail -1; }

expect_exit 0 "add the witness" -- docket witness add $WNAME "http://$WADDR" "$WVKEY"
expect_exit 0 "offer" -- docket witness offer
expect_contains "$T_OUT" "1 cosigned" "cosigned"
size1=$(docket log checkpoint | sed -n 2p)
expect_contains "$(docket log checkpoint)" "— $WNAME " "its line is served"

# --- refusals change nothing ---------------------------------------------------------
expect_exit 0 "help" -- docket witness remove --help
expect_contains "$T_OUT" "log verify" "the help says what stays"
before=$(db_fingerprint)
expect_exit 4 "an unknown name" -- docket witness remove witness.test/nobody
expect_contains "$T_ERR" "no witness 'witness.test/nobody'" "the name is in the error"
expect_contains "$T_ERR" "(see 'docket witness list')" "and where to look"
expect_exit 5 "an auditor may not remove" -- docket --as auditor-1 witness remove $WNAME
expect_exit 2 "usage" -- docket witness remove
expect_exit 2 "usage: two names" -- docket witness remove a b
expect_eq "$(db_fingerprint)" "$before" "nothing changed by refused removes"

# --- removing ------------------------------------------------------------------------
expect_exit 0 "remove" -- docket --json witness remove $WNAME
expect_eq "$(printf '%s' "$T_OUT" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["name"], "removed_at" in j)')" \
  "$WNAME True" "--json: the witness with removed_at"
expect_contains "$(last_entry)" '"type":"witness.remove"' "logged"
expect_contains "$(last_entry)" "\"name\":\"$WNAME\"" "the entry names it"
expect_exit 5 "removed twice" -- docket witness remove $WNAME
expect_contains "$T_ERR" "removed already" "says so"
expect_contains "$(docket witness list)" "removed at" "listed as removed"
cp_now=$(docket log checkpoint)
case "$cp_now" in *"— $WNAME "*) not_ok "a removed witness's line is still served" ;; *) ok ;; esac
case "$(docket log checkpoint --size "$size1")" in *"— $WNAME "*) not_ok "old checkpoint still served with the removed line" ;; *) ok ;; esac
docket user add extra-1 --role intake >/dev/null
expect_exit 0 "offer after removing" -- docket witness offer
expect_contains "$T_OUT" "offered to 0" "no offer to a removed witness"
expect_eq "$(db_sql 'SELECT count(*) FROM cosignature')" 1 "its cosignature is kept"
expect_exit 0 "log verify" -- docket log verify
expect_contains "$T_OUT" "1 cosignatures checked" "and still checked"
# still checked: a changed cosignature of the removed witness is found
good=$(db_sql "SELECT line FROM cosignature WHERE size = $size1")
bad=$(python3 -c 'import sys; l=sys.argv[1]; i=len(l)-10; print(l[:i] + ("A" if l[i] != "A" else "B") + l[i+1:])' "$good")
db_sql "UPDATE cosignature SET line = '$bad' WHERE size = $size1"
expect_exit 3 "a changed cosignature of a removed witness" -- docket log verify
expect_contains "$T_OUT" "cosignature by '$WNAME' on checkpoint $size1" "named"
db_sql "UPDATE cosignature SET line = '$good' WHERE size = $size1"
# the removal is a fact the log holds: undoing it behind docket's back is found
rem=$(db_sql "SELECT removed_at FROM witness")
db_sql "UPDATE witness SET removed_at = NULL"
expect_exit 3 "a removal undone outside docket" -- docket log verify
expect_contains "$T_OUT" "witness" "the table is named"
db_sql "UPDATE witness SET removed_at = $rem"
expect_exit 0 "verify with the row as it was" -- docket log verify

# --- coming back ---------------------------------------------------------------------
expect_exit 5 "back with another key" -- docket witness add $WNAME "http://$WADDR" "$OTHERKEY"
expect_contains "$T_ERR" "new name" "says what to do"
expect_exit 0 "back with the same key" -- docket witness add $WNAME "http://$WADDR" "$WVKEY"
expect_exit 0 "offer" -- docket witness offer
expect_contains "$T_OUT" "1 cosigned" "cosigned again, from where it left"
expect_contains "$(docket log checkpoint)" "— $WNAME " "served again"
expect_exit 0 "log verify after coming back" -- docket log verify
expect_contains "$T_OUT" "2 cosignatures checked" "both checked"

# --- over HTTP -----------------------------------------------------------------------
admin=$(token_for root)
aud=$(token_for auditor-1)
serve_start
enc=$(python3 -c 'import sys,urllib.parse as u; print(u.quote(sys.argv[1], safe=""))' "$WNAME")
api DELETE "/api/v1/witnesses/$enc" -H "Authorization: Bearer $aud"
expect_status 403 "an auditor may not"
api DELETE "/api/v1/witnesses/witness.test%2Fnobody" -H "Authorization: Bearer $admin"
expect_status 404 "an unknown witness"
expect_contains "$H_BODY" "no witness 'witness.test/nobody' (GET /api/v1/witnesses lists them)" "named, with where to look"
api DELETE "/api/v1/witnesses/$enc" -H "Authorization: Bearer $admin"
expect_status 200 "removed over HTTP (percent-encoded name)"
expect_eq "$(json_get 'j["name"], "removed_at" in j')" "('$WNAME', True)" "the witness, removed"
api DELETE "/api/v1/witnesses/$WNAME" -H "Authorization: Bearer $admin"
expect_status 409 "removed twice (the name as it is)"
api GET /api/v1/witnesses -H "Authorization: Bearer $aud"
expect_contains "$H_BODY" '"removed_at"' "listed as removed"
api GET /log -H "Authorization: Bearer $aud"
expect_status 200 "the log page"
expect_contains "$H_BODY" "removed 20" "the log page says it was removed, and when"
serve_stop
expect_exit 0 "log verify at the end" -- docket log verify
done_testing
