#!/usr/bin/env bash
# Runs every test: unit tests (cmocka) and scenario tests (the real binary)
# under ctest in a normal build and again under ASan + UBSan, then a short
# libFuzzer run of every parser.  Installs missing packages first.
#
# The scenario tests run on SQLite and again on PostgreSQL (ctest labels
# sqlite and pg): a private cluster (scripts/pg-cluster.sh) is started
# before the tests and always stopped and removed at the end.
set -uo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
FUZZ_SECONDS=${FUZZ_SECONDS:-10}

bash scripts/setup.sh || exit 1

pass=0
fail=0
failed=()
step() {  # step NAME COMMAND...
  local name=$1; shift
  echo "=== $name"
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); failed+=("$name"); fi
}

build() {  # build DIR CMAKE-ARGS...
  local dir=$1; shift
  cmake -S . -B "$dir" "$@" >/dev/null && cmake --build "$dir" -j"$JOBS" >/dev/null
}

run_ctest() {
  local dir=$1
  (cd "$dir" && ctest --output-on-failure -j"$JOBS" --timeout 600)
}

# FUZZ_KEEP=1 (make fuzz-long): inputs that reach new code are merged back
# into tests/fuzz/corpus/NAME (libFuzzer -merge=1 keeps it minimal), so the
# corpus in the repository grows with every long run.
fuzz_smoke() {
  local dir=build-fuzz ok=0
  local targets=()
  for src in tests/fuzz/fuzz_*.c; do targets+=(--target "$(basename "$src" .c)"); done
  CC=clang-14 cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DDOCKET_FUZZ=ON \
    -DDOCKET_SANITIZE=ON >/dev/null && cmake --build "$dir" -j"$JOBS" "${targets[@]}" >/dev/null || return 1
  for f in "$dir"/tests/fuzz_*; do
    [ -x "$f" ] || continue
    local name=${f##*/fuzz_}
    local corpus=tests/fuzz/corpus/$name
    local work; work=$(mktemp -d)
    [ -d "$corpus" ] && cp -r "$corpus"/. "$work"/
    echo "fuzz $name: ${FUZZ_SECONDS}s"
    if ! "$f" -max_total_time="$FUZZ_SECONDS" -print_final_stats=0 "$work" >"$work.log" 2>&1; then
      tail -40 "$work.log"; ok=1
    elif [ "${FUZZ_KEEP:-0}" = 1 ]; then
      mkdir -p "$corpus"
      "$f" -merge=1 "$corpus" "$work" >"$work.log" 2>&1 || { tail -20 "$work.log"; ok=1; }
      echo "fuzz $name: corpus now $(ls "$corpus" | wc -l) inputs"
    fi
    rm -rf "$work" "$work.log"
  done
  return $ok
}

if [ "${1:-}" = fuzz ]; then
  step "fuzz" fuzz_smoke
  echo "$pass passed, $fail failed"; [ $fail -eq 0 ]; exit
fi

PG_DIR=
stop_pg() { [ -n "$PG_DIR" ] && bash scripts/pg-cluster.sh stop "$PG_DIR"; PG_DIR=; }
trap stop_pg EXIT
trap 'stop_pg; exit 130' INT TERM
if pg_env=$(bash scripts/pg-cluster.sh start); then
  eval "$pg_env"
  PG_DIR=$DOCKET_PG_DIR
  echo "=== PostgreSQL test cluster on port $DOCKET_PG_PORT"
else
  echo "=== no PostgreSQL test cluster: the pg tests fail"
  fail=$((fail + 1)); failed+=("PostgreSQL cluster")
fi

# the release build too: the optimiser warns where the debug build does not
# (-Werror), and it is the build `make`, `make demo` and `make bench` use
step "build (release)" build build -DCMAKE_BUILD_TYPE=Release
step "build (debug)" build build-debug -DCMAKE_BUILD_TYPE=Debug
step "tests (debug)" run_ctest build-debug
step "build (asan+ubsan)" build build-asan -DCMAKE_BUILD_TYPE=Debug -DDOCKET_SANITIZE=ON
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  step "tests (asan+ubsan)" run_ctest build-asan
step "fuzz smoke" fuzz_smoke
# the main job itself, as the README runs it (without serving at the end)
demo_run() {
  DEMO_SERVE=0 bash scripts/demo.sh >build/demo.log 2>&1 || { tail -40 build/demo.log; return 1; }
}
step "demo" demo_run

echo
[ $fail -gt 0 ] && echo "failed steps: ${failed[*]}"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
