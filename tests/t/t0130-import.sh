#!/usr/bin/env bash
# customer, agency and historical request imports: every line checked first
# (errors name file and line), nothing stored when one line is bad.
. "$(dirname "$0")/lib.sh"
setup_db
load_fixtures
export DOCKET_USER=root

before=$(db_fingerprint)
{ head -2 customers.jsonl; echo '{"id":"c-bad","name":"X","type":"martian","country":"US","contact":{"email":"x@y.z"},"accounts":[]}'; } >bad.jsonl
expect_exit 3 "bad customer type" -- docket customer import bad.jsonl
expect_contains "$T_ERR" "bad.jsonl:3" "file and line named"
expect_contains "$T_ERR" "type" "field named"
printf '%s\n' '{"id":"c-x","name":"X","type":"consumer","country":"US","contact":{"email":"x@y.z"},"key_custody":"customer","accounts":[]}' >bad.jsonl
expect_exit 3 "customer keys without public key" -- docket customer import bad.jsonl
expect_contains "$T_ERR" "public_key" "public_key named"
printf '%s\n' '{"id":"xx-1","name":"X","country":"XX","type":"court","domains":["a.gov"]}' >bad.jsonl
expect_exit 3 "agency with unknown country" -- docket agency import bad.jsonl
expect_contains "$T_ERR" "country" "country named"
printf '%s\n%s\n' '{"id":"c-y","name":"Y","type":"consumer","country":"US","contact":{"email":"y@y.z"},"accounts":[{"type":"email","value":"alice@example.net"}]}' >bad.jsonl
expect_exit 3 "account of another customer" -- docket customer import bad.jsonl
expect_contains "$T_ERR" "c-alice" "owner named"
expect_eq "$(db_fingerprint)" "$before" "nothing stored"

# historical requests
cat >hist.jsonl <<'JSON'
{"ref":"H-1","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2025-02-01","targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"],"outcome":"noncontent_only","closed_at":"2025-02-10"}
{"ref":"H-2","country":"FR","kind":"criminal","process":"foreign_order","received_at":"2025-08-01T09:00:00Z","targets":[{"type":"email","value":"nobody@example.fr"}],"categories":["content"],"outcome":"rejected","closed_at":"2025-08-05"}

{"ref":"H-3","agency":"de-bka","kind":"emergency","process":"emergency","received_at":"2025-09-01","targets":[{"type":"email","value":"hans@example.de"}],"categories":["subscriber"],"outcome":"no_data","closed_at":"2025-09-01"}
JSON
cp hist.jsonl badhist.jsonl
echo '{"ref":"H-4","country":"FR","kind":"criminal","process":"foreign_order","received_at":"2025-08-01","targets":[],"categories":["content"],"outcome":"maybe","closed_at":"2025-08-05"}' >>badhist.jsonl
expect_exit 3 "bad outcome" -- docket request import badhist.jsonl
expect_contains "$T_ERR" "badhist.jsonl:5" "line 5 named (blank line counted)"
expect_contains "$T_ERR" "outcome" "outcome named"
echo '{"ref":"H-1","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2025-02-01","targets":[],"categories":["subscriber"],"outcome":"rejected","closed_at":"2025-02-10"}' >dup.jsonl
cat hist.jsonl dup.jsonl >baddup.jsonl
expect_exit 3 "duplicate ref in file" -- docket request import baddup.jsonl
expect_contains "$T_ERR" "H-1" "duplicate named"
echo '{"ref":"H-9","agency":"us-lapd","kind":"criminal","process":"subpoena","received_at":"2025-01-01","targets":[],"categories":["subscriber"],"outcome":"rejected"}' >noclose.jsonl
expect_exit 3 "missing closed_at" -- docket request import noclose.jsonl
expect_contains "$T_ERR" "closed_at" "closed_at named"
expect_eq "$(db_fingerprint)" "$before" "nothing stored after bad imports"

expect_exit 0 "import history" -- docket request import hist.jsonl
expect_contains "$T_OUT" "imported 3" "three imported"
# SPEC §9: the same file again completes the import; stored lines are skipped
after=$(db_fingerprint)
expect_exit 0 "import again: the stored lines are skipped" -- docket request import hist.jsonl
expect_contains "$T_OUT" "imported 0 historical requests (3 already stored" "nothing new, three skipped"
expect_eq "$(db_fingerprint)" "$after" "running it again changes nothing"
sed -n 4p hist.jsonl >one.jsonl
expect_exit 0 "import again, fewer lines than stored requests" -- docket request import one.jsonl
sed -n 4p hist.jsonl | sed 's/"outcome":"[a-z_]*"/"outcome":"withdrawn"/' >changed.jsonl
expect_exit 3 "a stored ref with other contents" -- docket request import changed.jsonl
expect_contains "$T_ERR" "changed.jsonl:1: field 'ref': request 'H-3' is already stored as 3 with different contents" "the line and the stored request named"
sed -n 2p hist.jsonl | sed 's/"FR"/"DE"/' >other.jsonl
sed -n 2p hist.jsonl | sed 's/"H-2"/"H-22"/' >>other.jsonl
echo '{"ref":' >>other.jsonl
expect_exit 3 "same ref from another country and a new ref are not stored ones" -- docket request import other.jsonl
expect_contains "$T_ERR" "other.jsonl:3: invalid json" "only the bad line reported"

# a large file is parsed in slices side by side: still the first bad line
# is the one reported, whichever slice it is in and whatever it is
big() { # N: N good lines B-1..B-N
	python3 - "$1" <<'PY'
import json, sys
for i in range(1, int(sys.argv[1]) + 1):
    print(json.dumps({"ref": "B-%d" % i, "country": "FR", "kind": "criminal",
                      "process": "foreign_order", "received_at": "2025-08-01",
                      "targets": [], "categories": ["content"],
                      "outcome": "rejected", "closed_at": "2025-08-05"}))
PY
}
setline() { # FILE LINE TEXT
	python3 - "$@" <<'PY'
import sys
path, n, text = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = open(path).read().split("\n")
lines[n - 1] = text
open(path, "w").write("\n".join(lines))
PY
}
before_big=$(db_fingerprint)
big 3000 >big.jsonl
setline big.jsonl 2900 '{"ref":'
setline big.jsonl 2500 "$(sed -n 2500p big.jsonl | sed 's/"rejected"/"maybe"/')"
expect_exit 3 "large file, bad lines late" -- docket request import big.jsonl
expect_contains "$T_ERR" "big.jsonl:2500" "first bad line named"
expect_contains "$T_ERR" "outcome" "its field named"
setline big.jsonl 1700 "$(sed -n 2p hist.jsonl | sed 's/"outcome":"[a-z_]*"/"outcome":"withdrawn"/')"
expect_exit 3 "large file, stored ref before bad lines" -- docket request import big.jsonl
expect_contains "$T_ERR" "big.jsonl:1700" "stored ref's line named"
expect_contains "$T_ERR" "already stored" "stored ref reported"
setline big.jsonl 300 '{"ref":"B-300","kind":"criminal"}'
expect_exit 3 "large file, bad line early" -- docket request import big.jsonl
expect_contains "$T_ERR" "big.jsonl:300" "early bad line named"
big 3000 >big.jsonl
python3 -c 'print("{\"ref\": \"" + "x" * (1 << 20) + "\"}")' >>big.jsonl
expect_exit 3 "large file, over-long last line" -- docket request import big.jsonl
expect_contains "$T_ERR" "big.jsonl:3001: line longer than" "over-long line named"
setline big.jsonl 2999 '[]'
expect_exit 3 "large file, bad line before the over-long one" -- docket request import big.jsonl
expect_contains "$T_ERR" "big.jsonl:2999" "bad line before it named"
expect_eq "$(db_fingerprint)" "$before_big" "nothing stored from bad large files"
expect_exit 0 "show imported" -- docket --json request show 2
python3 - <<PY || not_ok "imported request fields"
import json
r = json.loads('''$T_OUT''')
assert r["state"] == "closed" and r["outcome"] == "rejected", r
assert r["country"] == "FR" and "agency" not in r
assert r["closed_at"] == "2025-08-05"
assert r["history"][0]["event"] == "imported"
PY
ok
expect_exit 0 "list closed" -- docket --json request list --state closed
expect_eq "$(echo "$T_OUT" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 3 "three closed"
done_testing
