#!/usr/bin/env bash
# SPEC §6 and 50 U.S.C. 1874: what docket publishes reveals no
# national-security count beyond its band.  Three copies of one database
# (same keys, same clock) receive 0, 1 and 50 national security letters,
# then the same criminal requests, scheduler passes and report.  Everything
# published - the main log's entries (but for the digest each commitment
# carries), its checkpoints' sizes, the report (but for the root it states),
# the criminal request's id and its customer notice's number, subject and
# Message-ID - is the same in all three; the NSLs' events are in the
# national-security compartment, which `log verify` checks with its own key
# and which only a user with the role cleared can read.
. "$(dirname "$0")/lib.sh"
sqlite_only "several SQLite databases side by side, tampered with the sqlite3 shell (PostgreSQL tampering: t3020)"
setup_db
load_fixtures
printf '{"id":"us-fbi","name":"Federal Bureau of Investigation","country":"US","type":"national_security","domains":["fbi.gov"],"phone":"+1 202 324 3000"}\n' >fbi.jsonl
docket agency import fbi.jsonl >/dev/null
docket user add nsa-auditor --role auditor --role cleared >/dev/null
docket tick >/dev/null   # the compartment key and its first checkpoint

for n in 0 1 50; do
  mkdir "db$n"
  for f in "$DOCKET_DB" "$DOCKET_DB".*; do cp -p "$f" "db$n/"; done
done

run() {  # run N: the history of database N
  local n=$1 i
  export DOCKET_DB="$T_DIR/db$n/docket.db"
  export DOCKET_NOW=2026-03-02T10:00:00Z
  for i in $(seq 1 "$n"); do
    printf '{"ref":"NSL-%d","agency":"us-fbi","kind":"national_security","process":"nsl","received_at":"2026-03-02T09:00:00Z","requester":{"name":"SA J. Doe","email":"jdoe@fbi.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"],"ndo":{"statute":"18 U.S.C. 2709(c)","issued_at":"2026-03-01"}}' "$i" >"nsl$n.json"
    docket --as intake-1 request add "nsl$n.json" >/dev/null || { echo "NSL intake failed" >&2; return 1; }
  done
  export DOCKET_NOW=2026-03-03T10:00:00Z
  docket tick >/dev/null
  printf '{"ref":"SUB-1","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2026-03-03T09:00:00Z","requester":{"name":"Det. R. Diaz","email":"rdiaz@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' >"sub$n.json"
  docket --as intake-1 request add "sub$n.json" >"$T_DIR/req$n"
  export DOCKET_NOW=2026-03-04T10:00:00Z
  docket tick >/dev/null
  export DOCKET_NOW=2026-08-01T00:00:00Z
  docket tick >/dev/null
  docket report --period 2026-H1 >"$T_DIR/report$n.json"
  python3 - "$DOCKET_DB" >"$T_DIR/main$n.txt" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for idx, entry in db.execute("SELECT idx, entry FROM log_entry ORDER BY idx"):
    ev = json.loads(entry)
    if ev.get("type") == "compartment.checkpoint":
        ev["checkpoint"] = "<commitment>"
    if ev.get("type") == "notice.sent":
        # the digest of the message, which carries the main log's root
        ev["message"] = "<digest>"
    print(idx, json.dumps(ev, sort_keys=True))
for size, note in db.execute("SELECT size, note FROM log_checkpoint ORDER BY size"):
    print("checkpoint", size, note.split("\n")[0])
PY
  sqlite3 "$DOCKET_DB" "select id from notice where request_id = $(cat "$T_DIR/req$n")" >"$T_DIR/notice$n"
  sed -n '/^Subject:/p;/^Message-ID:/p' "$T_DIR/db$n"/outbox/*.eml >"$T_DIR/mail$n"
  expect_exit 0 "log verify with $n NSLs" -- docket log verify
  expect_contains "$T_OUT" "national-security compartment: verified" "the compartment is checked ($n)"
  docket --json log verify >"$T_DIR/verify$n.json"
}
run 0 && run 1 && run 50 || exit 1

diff main0.txt main50.txt | head -10 >&2
expect_eq "$(grep -c . main0.txt)" "$(grep -c . main50.txt)" "same number of main-log entries and checkpoints"
expect_eq "$(cat main0.txt | md5sum)" "$(cat main1.txt | md5sum)" "main log: 0 and 1 NSLs give the same entries and checkpoint sizes"
expect_eq "$(cat main0.txt | md5sum)" "$(cat main50.txt | md5sum)" "main log: 0 and 50 NSLs give the same entries and checkpoint sizes"
grep -q '"process": "nsl"\|NSL-\|jdoe@fbi' main50.txt && not_ok "an NSL is named in the main log" || ok
grep -q 'compartment.checkpoint' main0.txt && ok || not_ok "the main log commits to the compartment at every pass"
expect_eq "$(grep -c compartment.checkpoint main0.txt)" "4" "one commitment per scheduler pass (four passes)"
strip='import json,sys; r=json.load(open(sys.argv[1])); c=r.pop("checkpoint"); print(c["size"]); print(json.dumps(r, sort_keys=True))'
expect_eq "$(python3 -c "$strip" report0.json | md5sum)" "$(python3 -c "$strip" report1.json | md5sum)" "report: 0 and 1 NSLs"
expect_eq "$(python3 -c "$strip" report0.json | md5sum)" "$(python3 -c "$strip" report50.json | md5sum)" "report: 0 and 50 NSLs"
expect_eq "$(python3 -c 'import json,sys; print([f["orders"] for f in json.load(open(sys.argv[1]))["national_security"]["figures"] if f["process"] == "nsl"][0])' report50.json)" "0-499" "50 NSLs are in the band 0-499"
expect_eq "$(cat req0) $(cat notice0)" "$(cat req50) $(cat notice50)" "the criminal request's id and its notice's number do not move"
expect_eq "$(cat mail0)" "$(cat mail50)" "the customer notice's subject and Message-ID do not move"
[ -s mail0 ] && ok || not_ok "the criminal request's notice was sent"
python3 - verify0.json verify50.json <<'PY' && ok || not_ok "log verify JSON: the compartment's size is not shown to an uncleared user"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert a["compartment"]["ok"] and b["compartment"]["ok"], (a, b)
assert "entries" not in b["compartment"], b["compartment"]
assert a["compartment"]["commitments"] == b["compartment"]["commitments"] == 4
PY

# the compartment: its own origin and key, read by cleared users only
export DOCKET_DB="$T_DIR/db50/docket.db"
expect_eq "$(sqlite3 "$DOCKET_DB" "select count(*), count(distinct id), min(id) >= 1099511627776, max(id) - 1099511627776 > 100000 from request where national_security = 1")" \
  "50|50|1|1" "the 50 NSLs have ids of their own space, drawn at random (no count in them)"
expect_exit 5 "an uncleared auditor may not read the compartment" -- docket --as auditor-1 log entry 0 --compartment
expect_exit 0 "a cleared auditor may" -- docket --as nsa-auditor log entry 0 --compartment
expect_contains "$T_OUT" '"process":"nsl"' "the NSL's receipt is in the compartment"
expect_exit 0 "compartment checkpoint" -- docket --as nsa-auditor log checkpoint --compartment
expect_contains "$T_OUT" "test.example/log/national-security" "the compartment has its own origin"
expect_exit 0 "cleared verify" -- docket --as nsa-auditor --json log verify
expect_contains "$T_OUT" '"entries":' "a cleared user sees the compartment's size"
[ "$(stat -c %a "$DOCKET_DB.ns-key")" = 600 ] && ok || not_ok "the compartment key is 0600"

# log verify still checks the compartment: a changed compartment entry fails
expect_eq "$(sqlite3 "$DOCKET_DB" "update ns_log_entry set entry = CAST(replace(CAST(entry AS TEXT), 'NSL-7', 'NSL-8') AS BLOB) where CAST(entry AS TEXT) like '%NSL-7%'; select changes()")" "1" "one compartment entry changed"
expect_exit 3 "a changed compartment entry is found" -- docket log verify
expect_contains "$T_OUT$T_ERR" "national-security" "the finding names the compartment"
# and a commitment to a checkpoint the compartment does not have fails too
export DOCKET_DB="$T_DIR/db1/docket.db"
sqlite3 "$DOCKET_DB" "delete from ns_log_checkpoint where size = (select max(size) from ns_log_checkpoint)"
expect_exit 3 "a commitment to a missing compartment checkpoint is found" -- docket log verify
expect_contains "$T_OUT$T_ERR" "commits to a national-security compartment checkpoint" "named"
done_testing
