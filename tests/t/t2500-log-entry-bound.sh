#!/usr/bin/env bash
# An entry is at most 65,535 bytes (SPEC §6: what a C2SP tlog-tiles entry
# bundle carries behind its 2-byte length).  Bulk imports split their record
# into bounded entries: 2,500 historical requests (about 96 bytes each in the
# log, 1,000 per unit of work) and 3,000 customers become several entries of
# at most 65,535 bytes, every request's history row points at the entry that
# lists it, and `log verify` passes.
. "$(dirname "$0")/lib.sh"
sqlite_only "reads the entries with SQLite's JSON functions"

setup_db
load_fixtures

python3 - 2500 >hist.jsonl <<'PY'
import json, sys
for i in range(1, int(sys.argv[1]) + 1):
    print(json.dumps({"ref": "B-%d" % i, "country": "FR", "kind": "criminal",
                      "process": "foreign_order", "received_at": "2025-08-01",
                      "targets": [], "categories": ["content"],
                      "outcome": "rejected", "closed_at": "2025-08-05"}))
PY
python3 - 3000 >cust.jsonl <<'PY'
import json, sys
for i in range(1, int(sys.argv[1]) + 1):
    print(json.dumps({"id": "c-bulk-%05d-with-a-rather-long-identifier" % i,
                      "name": "Bulk %d" % i, "type": "consumer", "country": "US",
                      "data_location": "US", "us_person": True,
                      "contact": {"email": "bulk%d@example.net" % i},
                      "accounts": [{"type": "email", "value": "bulk%d@example.net" % i}]}))
PY

expect_exit 0 "import 2500 historical requests" -- docket request import hist.jsonl
expect_contains "$T_OUT" "imported 2500" "all imported"
expect_exit 0 "import 3000 customers" -- docket customer import cust.jsonl

# every entry within the bound; the bulk records took several entries each
over=$(sqlite3 "$DOCKET_DB" "SELECT count(*) FROM log_entry WHERE length(entry) > 65535")
expect_eq "$over" 0 "no entry above 65535 bytes"
imports=$(sqlite3 "$DOCKET_DB" "SELECT count(*) FROM log_entry WHERE CAST(entry AS TEXT) LIKE '%\"type\":\"request.import\"%'")
[ "$imports" -ge 4 ] && ok || not_ok "2500 requests in at least 4 entries, got $imports"
listed=$(sqlite3 "$DOCKET_DB" "SELECT sum(json_extract(CAST(entry AS TEXT), '$.count')) FROM log_entry WHERE CAST(entry AS TEXT) LIKE '%\"type\":\"request.import\"%'")
expect_eq "$listed" 2500 "the entries list every request once"
parts=$(sqlite3 "$DOCKET_DB" "SELECT count(*) FROM log_entry WHERE CAST(entry AS TEXT) LIKE '%\"type\":\"customer.records\"%' AND json_extract(CAST(entry AS TEXT), '$.parts') > 1")
[ "$parts" -ge 2 ] && ok || not_ok "customer records split into parts, got $parts"
ids=$(sqlite3 "$DOCKET_DB" "SELECT sum(json_array_length(CAST(entry AS TEXT), '$.records')) FROM log_entry WHERE CAST(entry AS TEXT) LIKE '%\"type\":\"customer.records\"%'")
expect_eq "$ids" 3003 "customer records list every customer (3 fixtures + 3000)"

# each imported request's history row points at the entry that lists it
bad=$(sqlite3 "$DOCKET_DB" "SELECT count(*) FROM history h JOIN log_entry e ON e.idx = h.log_index
  WHERE h.event = 'imported' AND NOT EXISTS (SELECT 1 FROM json_each(CAST(e.entry AS TEXT), '$.requests') j
    WHERE json_extract(j.value, '$.request') = h.request_id)")
expect_eq "$bad" 0 "every history row points at its own entry"

expect_exit 0 "log verify" -- docket log verify
expect_contains "$T_OUT" "verified" "verified"

# an entry stored above the bound (made outside docket) is found by verify
sqlite3 "$DOCKET_DB" "UPDATE log_entry SET entry = entry || zeroblob(70000) WHERE idx = 3"
expect_exit 3 "verify finds an oversize entry" -- docket log verify
expect_contains "$T_OUT" "more than the 65535" "oversize entry named"

done_testing
