#!/usr/bin/env bash
# t3000: both engines' schemas carry the same tables and columns (SPEC §16:
# same schema through numbered migrations), and both are at the same
# version.  A migration whose PostgreSQL form loses or renames a column
# fails here.
. "$(dirname "$0")/lib.sh"
pg_only "compares the SQLite schema with the PostgreSQL one"

setup_db
DOCKET_KEYS= DOCKET_DB="$T_DIR/lite.db" docket init --admin root >/dev/null ||
  not_ok "init an SQLite database beside"

lite=$(sqlite3 "$T_DIR/lite.db" "SELECT m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY 1")
pg=$(db_sql "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name <> 'docket_schema' ORDER BY 1" | LC_ALL=C sort)
lite=$(echo "$lite" | LC_ALL=C sort)
expect_eq "$(echo "$lite" | wc -l)" "$(echo "$pg" | wc -l)" "as many columns on both engines"
d=$(diff <(echo "$lite") <(echo "$pg"))
expect_eq "$d" "" "the same tables and columns"
expect_contains "$lite" "log_entry.entry" "the SQLite schema was read"
expect_contains "$pg" "log_entry.entry" "the PostgreSQL schema was read"

expect_eq "$(db_sql 'SELECT version FROM docket_schema')" \
  "$(sqlite3 "$T_DIR/lite.db" 'PRAGMA user_version')" "the same schema version"

# times are integers, never a type a session time zone could shift
expect_eq "$(db_sql "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND data_type LIKE 'time%'")" \
  "0" "no time-zone dependent column"
expect_eq "$(db_sql "SELECT data_type FROM information_schema.columns WHERE table_name = 'request' AND column_name = 'received_at'")" \
  "bigint" "received_at is seconds since the epoch"
done_testing
