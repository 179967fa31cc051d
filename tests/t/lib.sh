# lib.sh - the tiny test library every tests/t/tNNNN-*.sh script sources.
#
# Gives each script a fresh temporary directory with a docket database and
# users for every role, and helpers that count checks.  A script ends with
# `done_testing`, which exits non-zero when any check failed.
#
# Environment (set by ctest): DOCKET_BIN, DOCKET_SOURCE_DIR, DOCKET_SHARED_DIR.
set -u
: "${DOCKET_BIN:?DOCKET_BIN must point at the docket binary}"
: "${DOCKET_SOURCE_DIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
export DOCKET_RULES_DIR="$DOCKET_SOURCE_DIR/rules"

T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/docket-t.XXXXXX")
trap 'rm -rf "$T_DIR"' EXIT
cd "$T_DIR" || exit 1
export DOCKET_DB="$T_DIR/docket.db"
export DOCKET_NOW="${DOCKET_NOW:-2026-03-02T12:00:00Z}"
unset DOCKET_USER

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

# A byte-for-byte fingerprint of the database's logical content.
db_fingerprint() {
  sqlite3 "$DOCKET_DB" .dump | sha256sum | cut -d' ' -f1
}

done_testing() {
  echo "$T_PASS passed, $T_FAIL failed"
  [ "$T_FAIL" -eq 0 ]
  exit $?
}
