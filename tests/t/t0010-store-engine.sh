#!/usr/bin/env bash
# The database name picks the storage engine (store.h): a path is SQLite; a
# postgres:// or postgresql:// URL is PostgreSQL.  A server that cannot be
# reached is a clear error (exit 1) that never echoes the password the URL
# may hold, and leaves no key files behind.
. "$(dirname "$0")/lib.sh"

for url in "postgres://docket:s3cret@127.0.0.1:1/docket" "postgresql://docket:s3cret@127.0.0.1:1/docket"; do
  expect_exit 1 "init on $url" -- env DOCKET_KEYS="$T_DIR/k" "$DOCKET_BIN" --db "$url" init --admin root
  expect_contains "$T_ERR" "PostgreSQL" "the engine is named"
  case "$T_ERR" in *s3cret*) not_ok "the password is echoed: $T_ERR" ;; *) ok ;; esac
  expect_exit 1 "status on $url" -- docket --db "$url" --as root status
  expect_contains "$T_ERR" "cannot connect to PostgreSQL database" "says it cannot connect"
  case "$T_ERR" in *s3cret*) not_ok "the password is echoed: $T_ERR" ;; *) ok ;; esac
done
expect_eq "$(ls -A "$T_DIR" | grep -v '^\.' | grep -vx keys | tr '\n' ' ')" "" "nothing was created"
expect_eq "$(ls -A "${DOCKET_KEYS:-$T_DIR/k}" 2>/dev/null)" "" "no key file was made"

# a path is SQLite: init works, and a second init is refused
expect_exit 0 "init on a path" -- docket --db "$T_DIR/a.db" init --admin root
expect_exit 5 "init twice" -- docket --db "$T_DIR/a.db" init --admin root
expect_contains "$T_ERR" "already exists" "says why"
done_testing
