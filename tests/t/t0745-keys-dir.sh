#!/usr/bin/env bash
# With DOCKET_KEYS set (as a PostgreSQL database requires), every secret
# key of a database lives in that directory: the national-security
# compartment's key and the key of the log's keyed references too, none
# beside the database file.
. "$(dirname "$0")/lib.sh"
sqlite_only "the PostgreSQL pass sets its own DOCKET_KEYS"
export DOCKET_KEYS="$T_DIR/keys-dir"
mkdir -m 700 "$DOCKET_KEYS"
setup_db
load_fixtures
printf '{"id":"us-fbi","name":"Federal Bureau of Investigation","country":"US","type":"national_security","domains":["fbi.gov"],"phone":"+1 202 324 3000"}\n' >fbi.jsonl
docket agency import fbi.jsonl >/dev/null
export DOCKET_NOW=2026-03-02T10:00:00Z
printf '{"ref":"NSL-1","agency":"us-fbi","kind":"national_security","process":"nsl","received_at":"2026-03-02T09:00:00Z","requester":{"name":"SA J. Doe","email":"jdoe@fbi.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"],"ndo":{"statute":"18 U.S.C. 2709(c)","issued_at":"2026-03-01"}}' >nsl.json
expect_exit 0 "an NSL is taken in" -- docket --as intake-1 request add nsl.json
expect_exit 0 "the scheduler runs" -- docket tick
for k in .ns-key .ref-key; do
  [ -f "$DOCKET_KEYS/docket$k" ] && ok || not_ok "docket$k is in DOCKET_KEYS"
  [ ! -e "$DOCKET_DB$k" ] && ok || not_ok "no $k beside the database"
done
expect_exit 0 "the log verifies with the keys from DOCKET_KEYS" -- docket --as auditor-1 log verify
done_testing
