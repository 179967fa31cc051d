# lib.sh - the tiny test library every tests/t/tNNNN-*.sh script sources.
#
# Gives each script a fresh temporary directory with a docket database and
# users for every role, and helpers that count checks.  A script ends with
# `done_testing`, which exits non-zero when any check failed.
#
# Environment (set by ctest): DOCKET_BIN, DOCKET_SOURCE_DIR, DOCKET_SHARED_DIR.
# DOCKET_TEST_ENGINE=pg runs the script on PostgreSQL: a fresh database in
# the private cluster named by DOCKET_PG_HOST and DOCKET_PG_PORT
# (scripts/pg-cluster.sh), dropped at the end, with its keys in
# $T_DIR/keys (DOCKET_KEYS); without a cluster the script is skipped (77).
# Scripts read and change the database itself only through db_sql.
set -u
: "${DOCKET_BIN:?DOCKET_BIN must point at the docket binary}"
: "${DOCKET_SOURCE_DIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
export DOCKET_RULES_DIR="$DOCKET_SOURCE_DIR/rules"

T_ENGINE=${DOCKET_TEST_ENGINE:-sqlite}
if [ "$T_ENGINE" = pg ] && [ -z "${DOCKET_PG_HOST:-}" ]; then
  echo "skipped: no PostgreSQL test cluster (DOCKET_PG_HOST, DOCKET_PG_PORT)"
  exit 77
fi
# pg_admin CMD ARGS: a PostgreSQL client program on the test cluster
pg_admin() { "$@" -h "$DOCKET_PG_HOST" -p "$DOCKET_PG_PORT" -U postgres; }
T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/docket-t.XXXXXX")
cd "$T_DIR" || exit 1
if [ "$T_ENGINE" = pg ]; then
  T_PGDB=$(basename "$T_DIR" | tr 'A-Z.-' 'a-z__')
  pg_admin createdb "$T_PGDB" || { echo "createdb failed" >&2; rm -rf "$T_DIR"; exit 1; }
  T_CLONES=$T_PGDB
  export DOCKET_DB="postgresql:///$T_PGDB?host=$DOCKET_PG_HOST&port=$DOCKET_PG_PORT&user=postgres"
  export DOCKET_KEYS="$T_DIR/keys"
  mkdir -m 700 "$DOCKET_KEYS"
  T_KEY="$DOCKET_KEYS/docket.key"
  T_VKEY="$DOCKET_KEYS/docket.vault-key"
  T_REFKEY="$DOCKET_KEYS/docket.ref-key"
  T_MFAKEY="$DOCKET_KEYS/docket.mfa-key"
else
  export DOCKET_DB="$T_DIR/docket.db"
  unset DOCKET_KEYS
  T_KEY="$DOCKET_DB.key"
  T_VKEY="$DOCKET_DB.vault-key"
  T_REFKEY="$DOCKET_DB.ref-key"
  T_MFAKEY="$DOCKET_DB.mfa-key"
fi
export DOCKET_NOW="${DOCKET_NOW:-2026-03-02T12:00:00Z}"
unset DOCKET_USER

# t_cleanup: remove the test's databases and directory (the EXIT trap; a
# helper library that sets its own trap calls it too).
t_cleanup() {
  local d
  for d in ${T_CLONES:-}; do pg_admin dropdb --force "$d" 2>/dev/null; done
  # T_KEEP=1 keeps a SQLite test's directory for a look after a failure
  if [ -n "${T_KEEP:-}" ]; then echo "kept: $T_DIR" >&2; return; fi
  rm -rf "$T_DIR"
}
trap t_cleanup EXIT

T_PASS=0
T_FAIL=0

docket() { "$DOCKET_BIN" "$@"; }

ok() { T_PASS=$((T_PASS + 1)); }
not_ok() {
  T_FAIL=$((T_FAIL + 1))
  echo "not ok: $*" >&2
}

# expect_exit CODE DESCRIPTION -- COMMAND...: run COMMAND, check its exit code;
# its stdout is kept in $T_OUT and stderr in $T_ERR.
expect_exit() {
  local want=$1 what=$2
  shift 3
  "$@" >"$T_DIR/.out" 2>"$T_DIR/.err"
  local got=$?
  T_OUT=$(cat "$T_DIR/.out")
  T_ERR=$(cat "$T_DIR/.err")
  if [ "$got" -eq "$want" ]; then ok; else
    not_ok "$what: exit $got, wanted $want; stderr: $T_ERR"
  fi
}

# expect_contains HAYSTACK NEEDLE DESCRIPTION
expect_contains() {
  case "$1" in
  *"$2"*) ok ;;
  *) not_ok "$3: '$2' not found in: $1" ;;
  esac
}

expect_eq() {  # expect_eq GOT WANT DESCRIPTION
  if [ "$1" = "$2" ]; then ok; else not_ok "$3: got '$1', wanted '$2'"; fi
}

# A database with the admin 'root' and one user per role.
setup_db() {
  docket init --admin root --origin test.example/log >/dev/null || { echo "init failed" >&2; exit 1; }
  export DOCKET_USER=root
  for r in intake reviewer approver compliance auditor; do
    docket user add "$r-1" --role "$r" >/dev/null
  done
  docket user add reviewer-2 --role reviewer >/dev/null
  docket user add approver-2 --role approver >/dev/null
  # notices go out only once the provider's name and sender are set (SPEC §5)
  docket config set provider_name "Example Cloud Inc." >/dev/null
  docket config set smtp_from notices@cloud.example >/dev/null
}

# The fixture customers and agencies used by most scenarios.
load_fixtures() {
  cat >customers.jsonl <<'JSON'
{"id":"c-alice","name":"Alice Example","type":"consumer","country":"US","data_location":"US","us_person":true,"contact":{"email":"alice@example.net"},"accounts":[{"type":"email","value":"alice@example.net"}]}
{"id":"c-contoso","name":"Contoso Ltd","type":"enterprise","country":"US","data_location":"US","us_person":true,"contact":{"email":"legal@contoso.com","name":"Contoso Legal"},"accounts":[{"type":"email","value":"bob@contoso.com"},{"type":"username","value":"contoso-admin"}]}
{"id":"c-hans","name":"Hans Beispiel","type":"consumer","country":"DE","data_location":"IE","us_person":false,"contact":{"email":"hans@example.de"},"accounts":[{"type":"email","value":"hans@example.de"}]}
JSON
  cat >agencies.jsonl <<'JSON'
{"id":"us-lapd","name":"Los Angeles Police Department","country":"US","type":"law_enforcement","domains":["lapd.gov"],"phone":"+1 213 555 0100"}
{"id":"de-bka","name":"Bundeskriminalamt","country":"DE","type":"law_enforcement","domains":["bka.bund.de"],"phone":"+49 611 550"}
{"id":"gb-met","name":"Metropolitan Police Service","country":"GB","type":"law_enforcement","domains":["met.police.uk"],"phone":"+44 20 7230 1212"}
JSON
  DOCKET_USER=root docket customer import customers.jsonl >/dev/null || { echo "customer import failed" >&2; exit 1; }
  DOCKET_USER=root docket agency import agencies.jsonl >/dev/null || { echo "agency import failed" >&2; exit 1; }
}

# sqlite_only REASON: skip this script on PostgreSQL (what it does is
# SQLite's file format itself; the PostgreSQL side has its own t3xxx test).
sqlite_only() {
  if [ "$T_ENGINE" = pg ]; then echo "skipped on PostgreSQL: $*"; exit 77; fi
}

# pg_only REASON: run this script only in the PostgreSQL pass.
pg_only() {
  if [ "$T_ENGINE" != pg ]; then echo "skipped on SQLite: $*"; exit 77; fi
}

# db_sql SQL: run SQL on the test database, rows printed with '|' between
# columns (sqlite3's and psql's unaligned output agree).
db_sql() {
  if [ "$T_ENGINE" = pg ]; then
    psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DOCKET_DB" -c "$1"
  else
    sqlite3 "$DOCKET_DB" "$1"
  fi
}

# db_log_entries: every log entry as text, one a line, in index order.
db_log_entries() {
  if [ "$T_ENGINE" = pg ]; then
    db_sql "SELECT convert_from(entry, 'UTF8') FROM log_entry ORDER BY idx"
  else
    db_sql "SELECT CAST(entry AS TEXT) FROM log_entry ORDER BY idx"
  fi
}

# db_dump: the whole database as SQL text.
db_dump() {
  if [ "$T_ENGINE" = pg ]; then pg_dump -d "$DOCKET_DB"; else sqlite3 "$DOCKET_DB" .dump; fi
}

# db_clone DIR: a copy of the test database and its keys in DIR (made
# here); sets T_CLONE to the copy's DOCKET_DB.  Its DOCKET_KEYS is the
# original's.  (Not in a subshell: it adds to what t_cleanup drops.)
db_clone() {
  mkdir -p "$1"
  if [ "$T_ENGINE" = pg ]; then
    local copy="${T_PGDB}_$(basename "$1" | tr 'A-Z.-' 'a-z__')"
    pg_admin createdb -T "$T_PGDB" "$copy" || return 1
    T_CLONES="$copy ${T_CLONES:-}"
    T_CLONE="postgresql:///$copy?host=$DOCKET_PG_HOST&port=$DOCKET_PG_PORT&user=postgres"
  else
    # the database and every key file beside it (.key, .vault-key, .ref-key, .ns-key, .mfa-key)
    cp -p "$DOCKET_DB" "$DOCKET_DB".*key "$1"/ || return 1
    T_CLONE="$1/$(basename "$DOCKET_DB")"
  fi
}

# copy_keys FROM-DB TO-DB: the key files beside a SQLite database (.key,
# .vault-key, .ref-key, .ns-key, .mfa-key), beside another path.
copy_keys() {
  local k
  for k in "$1".*key; do cp -p "$k" "$2${k#"$1"}" || return 1; done
}

# A byte-for-byte fingerprint of the database's logical content.
db_fingerprint() {
  if [ "$T_ENGINE" = pg ]; then
    # every table's rows in a fixed order (not the heap's, which an update
    # or a rolled-back insert changes without changing any row)
    local t
    for t in $(db_sql "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"); do
      echo "$t"
      db_sql "SELECT x::text FROM $t x ORDER BY 1"
    done | sha256sum | cut -d' ' -f1
  else
    sqlite3 "$DOCKET_DB" .dump | sha256sum | cut -d' ' -f1
  fi
}

done_testing() {
  echo "$T_PASS passed, $T_FAIL failed"
  [ "$T_FAIL" -eq 0 ]
  exit $?
}
