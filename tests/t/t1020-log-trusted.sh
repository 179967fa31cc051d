#!/usr/bin/env bash
# `log verify --trusted CHECKPOINT_FILE` (SPEC §6): a checkpoint kept off
# the host catches what the database cannot show about itself - a rollback
# to an older, self-consistent copy, and a history rewritten and re-signed
# with the key (a rewritten middle) - while a log that extends it passes.
. "$(dirname "$0")/lib.sh"
sqlite_only "older copies of the SQLite file stand in for a rollback and a fork"
command -v sqlite3 >/dev/null 2>&1 || { echo "skip: no sqlite3 shell"; exit 77; }
setup_db 2>/dev/null
export DOCKET_USER=root
sqlite3 "$DOCKET_DB" ".backup '$T_DIR/old.db'"          # a consistent older copy
docket user add later-1 --role auditor >/dev/null
docket user add later-2 --role auditor >/dev/null
docket log checkpoint >trusted.txt                        # recorded elsewhere
expect_exit 0 "plain verify" -- docket log verify
expect_exit 0 "the log extends the trusted checkpoint" -- docket log verify --trusted trusted.txt
expect_contains "$T_OUT" "extends the trusted checkpoint" "said so"
docket user add later-3 --role auditor >/dev/null
expect_exit 0 "and still does after more work" -- docket log verify --trusted trusted.txt

# a rollback to the older copy: consistent with itself, so plain verify passes
cp "$T_DIR/old.db" rolled.db
copy_keys "$DOCKET_DB" rolled.db
expect_exit 0 "the rolled-back copy verifies on its own" -- docket --db rolled.db log verify
expect_exit 3 "but not against the trusted checkpoint" -- docket --db rolled.db log verify --trusted trusted.txt
expect_contains "$T_OUT" "rollback" "the rollback is named"

# a rewritten history, re-signed with the key: the older copy goes another way
cp "$T_DIR/old.db" forked.db
copy_keys "$DOCKET_DB" forked.db
for u in other-1 other-2 other-3; do docket --db forked.db user add "$u" --role intake >/dev/null; done
expect_exit 0 "the rewritten copy verifies on its own" -- docket --db forked.db log verify
expect_exit 3 "but not against the trusted checkpoint" -- docket --db forked.db log verify --trusted trusted.txt
expect_contains "$T_OUT" "rewritten" "the rewrite is named"

# a checkpoint that is not this log's
DOCKET_DB=$T_DIR/other.db docket init --origin other.example/log --admin x >/dev/null
DOCKET_DB=$T_DIR/other.db docket --as x log checkpoint >other.txt
expect_exit 3 "another log's checkpoint" -- docket log verify --trusted other.txt
expect_contains "$T_ERR" "not signed" "a foreign signature is refused"
printf 'garbage\n' >garbage.txt
expect_exit 3 "not a checkpoint" -- docket log verify --trusted garbage.txt
expect_exit 4 "no such file" -- docket log verify --trusted missing.txt
done_testing
