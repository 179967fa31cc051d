#!/usr/bin/env bash
# The database name picks the storage engine (store.h): a path is SQLite; a
# postgres:// or postgresql:// URL is recognised and refused with a clear
# error (exit 2) until that engine is built in, without echoing the URL
# (it may hold a password) and without leaving key files behind.
. "$(dirname "$0")/lib.sh"

for url in "postgres://docket:s3cret@db.example/docket" "postgresql://docket:s3cret@db.example/docket"; do
  expect_exit 2 "init on $url" -- docket --db "$url" init --admin root
  expect_contains "$T_ERR" "PostgreSQL" "the engine is named"
  case "$T_ERR" in *s3cret*) not_ok "the password is echoed: $T_ERR" ;; *) ok ;; esac
  expect_exit 2 "status on $url" -- docket --db "$url" --as root status
  expect_contains "$T_ERR" "no PostgreSQL engine built in" "says it is not built in"
done
expect_eq "$(ls -A "$T_DIR" | grep -v '^\.' | tr '\n' ' ')" "" "nothing was created"

# a path is SQLite: init works, and a second init is refused
expect_exit 0 "init on a path" -- docket --db "$T_DIR/a.db" init --admin root
expect_exit 5 "init twice" -- docket --db "$T_DIR/a.db" init --admin root
expect_contains "$T_ERR" "already exists" "says why"
done_testing
