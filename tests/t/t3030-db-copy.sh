#!/usr/bin/env bash
# t3030: `docket db copy` moves a whole database to the other engine and
# back: the log verifies on both sides, the same checkpoint is served, the
# records are the same, ids continue, and a refused copy leaves nothing.
# Runs in either pass (the copy goes to the engine the pass is not on).
. "$(dirname "$0")/lib.sh"
[ -n "${DOCKET_PG_HOST:-}" ] || { echo "skipped: no PostgreSQL test cluster"; exit 77; }

setup_db
load_fixtures
export DOCKET_USER=root
printf '{"ref":"C-1","agency":"us-lapd","kind":"criminal","process":"subpoena","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' >req.json
id=$(docket --as intake-1 request add req.json)
cat >vault.jsonl <<'JSON'
{"account":{"type":"email","value":"alice@example.net"},"category":"content","kind":"mail","created_at":"2026-01-05T10:00:00Z","location":"US","data_base64":"aGVsbG8gYWxpY2U="}
JSON
docket vault import vault.jsonl >/dev/null || not_ok "vault import"
cp_before=$(docket log checkpoint)

# the other engine
other=copy_$(basename "$T_DIR" | tr 'A-Z.-' 'a-z__')
pgurl="postgresql:///$other?host=$DOCKET_PG_HOST&port=$DOCKET_PG_PORT&user=postgres"
pg_admin createdb "$other" || not_ok "createdb"
T_CLONES="$other ${T_CLONES:-}"
# One key directory serves every database named while DOCKET_KEYS is set;
# an SQLite source keeps its own keys beside it, and they are copied there.
if [ "$T_ENGINE" = pg ]; then
  there="$T_DIR/there.db"; there_keys=$DOCKET_KEYS
else
  there="$pgurl"; there_keys="$T_DIR/there-keys"; mkdir -m 700 "$there_keys"
fi
there() { DOCKET_KEYS="$there_keys" "$DOCKET_BIN" --db "$there" "$@"; }

expect_exit 0 "copy to the other engine" -- env DOCKET_KEYS="$there_keys" "$DOCKET_BIN" db copy "$DOCKET_DB" "$there"
expect_contains "$T_OUT" "the log verifies on both sides" "the copy is verified"
if [ "$T_ENGINE" = sqlite ]; then
  expect_contains "$T_OUT" "5 key files copied" "the keys go where the copy keeps them"
  cmp -s "$DOCKET_DB.key" "$there_keys/docket.key" && ok || not_ok "the same signing key"
  cmp -s "$DOCKET_DB.ref-key" "$there_keys/docket.ref-key" && ok || not_ok "the same reference key"
  cmp -s "$DOCKET_DB.ns-key" "$there_keys/docket.ns-key" && ok || not_ok "the same compartment key"
fi
expect_exit 0 "the copy verifies by itself" -- there log verify
expect_eq "$(there log checkpoint)" "$cp_before" "the same signed checkpoint"
expect_eq "$(there request show "$id" --json | grep -c C-1)" "$(docket request show "$id" --json | grep -c C-1)" "the request is there"
expect_exit 0 "the copy takes new writes" -- there user add after-copy --role auditor
printf '{"ref":"C-2","agency":"us-lapd","kind":"criminal","process":"subpoena","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' >req2.json
expect_exit 0 "a new request in the copy" -- there --as intake-1 request add req2.json
expect_eq "$T_OUT" "$((id + 1))" "ids continue after the copied ones"
expect_exit 0 "the copy verifies after writes" -- there log verify

# a copy onto an existing database is refused and changes nothing
before=$(db_fingerprint)
expect_exit 5 "no copy over a database" -- env DOCKET_KEYS="$there_keys" "$DOCKET_BIN" db copy "$there" "$DOCKET_DB"
expect_eq "$(db_fingerprint)" "$before" "the existing database is untouched"

# and back, into a new database of the first engine
if [ "$T_ENGINE" = pg ]; then
  back="postgresql:///${other}_b?host=$DOCKET_PG_HOST&port=$DOCKET_PG_PORT&user=postgres"
  pg_admin createdb "${other}_b"
  T_CLONES="${other}_b $T_CLONES"
else
  back="$T_DIR/back.db"
fi
back_keys=$there_keys
expect_exit 0 "copy back" -- env DOCKET_KEYS="$back_keys" "$DOCKET_BIN" db copy "$there" "$back"
expect_exit 0 "the copy back verifies" -- env DOCKET_KEYS="$back_keys" "$DOCKET_BIN" --db "$back" log verify
expect_eq "$(DOCKET_KEYS="$back_keys" "$DOCKET_BIN" --db "$back" log checkpoint)" "$(there log checkpoint)" "the same checkpoint after the round trip"
done_testing
