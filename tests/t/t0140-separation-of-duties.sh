#!/usr/bin/env bash
# Separation of duties in user administration (SPEC §9): admin is exclusive
# of approver and reviewer; with two or more admins a grant of admin,
# reviewer or approver is a proposal that another admin confirms; with a
# single admin it takes effect at once with a warning; the last admin is
# protected; every change is logged and replayed by `log verify`; and with
# cli_auth unix the command line acts as the operating-system login.
. "$(dirname "$0")/lib.sh"
docket init --admin root >/dev/null || exit 1
export DOCKET_USER=root

# 1. a single admin: grants at once, with a warning everywhere
expect_exit 0 "single admin grants approver" -- docket user add abe --role approver
expect_contains "$T_ERR" "separation of duties is not in force" "the grant warns"
expect_exit 0 "status" -- docket status
expect_contains "$T_OUT" "separation of duties is not in force" "status warns"
expect_exit 0 "log verify" -- docket log verify
expect_contains "$T_OUT" "separation of duties is not in force" "log verify warns"
expect_exit 0 "intake needs no second admin" -- docket user add ivan --role intake
expect_eq "$T_ERR" "" "a non-legal role does not warn"

# 2. admin is exclusive of approver and reviewer
before=$(db_fingerprint)
expect_exit 5 "admin+approver refused" -- docket user add eve --role admin,approver
expect_contains "$T_ERR" "may not hold admin together with approver or reviewer" "rule named"
expect_exit 5 "admin+reviewer refused" -- docket user add eve --role reviewer,admin
expect_exit 5 "the admin may not make itself approver" -- docket user set root --role admin,approver
expect_exit 5 "the last admin cannot demote itself" -- docket user set root --role approver
expect_contains "$T_ERR" "last admin" "last admin named"
expect_exit 5 "the last admin cannot be removed" -- docket user remove root
expect_exit 5 "user add of an existing admin as approver" -- docket user add root --role approver
expect_exit 2 "no roles" -- docket user set abe --role ''
expect_exit 2 "bad role" -- docket user add eve --role superuser
expect_exit 4 "remove nobody" -- docket user remove nobody
expect_exit 5 "an approver cannot administer users" -- docket --as abe user add eve --role approver
expect_eq "$(db_fingerprint)" "$before" "refusals change nothing"

# 3. two admins: legal roles and admin need a second admin
expect_exit 0 "second admin (single admin: at once)" -- docket user add root2 --role admin
expect_exit 0 "grant approver is proposed" -- docket user add amy --role approver
expect_contains "$T_OUT" "docket user confirm 1" "the proposal says how to confirm"
expect_exit 5 "amy cannot act yet" -- docket --as amy request list
expect_exit 5 "the proposer cannot confirm" -- docket user confirm 1
expect_contains "$T_ERR" "another admin must confirm" "why named"
expect_exit 0 "another admin confirms" -- docket --as root2 user confirm 1
expect_exit 0 "amy acts" -- docket --as amy request list
expect_exit 5 "confirmed twice" -- docket --as root2 user confirm 1
expect_exit 0 "an auditor is added at once" -- docket user add aude --role auditor
expect_contains "$T_OUT" "user aude: auditor" "no proposal for auditor"
expect_exit 0 "upgrade to reviewer is proposed" -- docket user set aude --role auditor,reviewer
expect_exit 0 "the proposal is listed" -- docket --as aude user list
expect_contains "$T_OUT" "proposal 2 by root: set aude reviewer,auditor" "pending proposal listed"
expect_exit 0 "cancel" -- docket --as root2 user cancel 2
expect_exit 5 "a cancelled proposal cannot be confirmed" -- docket user confirm 2
expect_eq "$(db_sql "SELECT roles FROM staff WHERE name = 'aude'")" "16" "aude is still only an auditor"
expect_exit 0 "removing a non-admin is at once" -- docket user remove ivan
expect_contains "$T_OUT" "user ivan removed" "removed"
expect_exit 0 "dropping a role needs no second admin" -- docket user set abe --role auditor
expect_contains "$T_OUT" "user abe: auditor" "dropped at once"
expect_exit 0 "removing an admin is proposed" -- docket --as root2 user remove root
expect_exit 0 "root consents" -- docket user confirm 3
expect_exit 5 "root is gone" -- docket user list
expect_exit 5 "root2 is now the last admin" -- docket --as root2 user remove root2

# 4. the log records every change; log verify replays it
expect_exit 0 "log verify" -- docket --as root2 log verify
expect_contains "$T_OUT" "every table matches" "the staff tables match the log"
for t in user.add user.set user.remove user.propose user.confirm user.cancel; do
  n=$(db_log_entries | grep -c "\"type\":\"$t\"")
  [ "$n" -ge 1 ] && ok || not_ok "no $t entry"
done
db_clone "$T_DIR/f1"
DOCKET_DB=$T_CLONE db_sql "UPDATE staff SET roles = 4 WHERE name = 'aude'"
expect_exit 3 "a forged grant is found" -- docket --db "$T_CLONE" --as root2 log verify
expect_contains "$T_OUT" "table staff: row aude has roles '4'" "forged grant named"
db_clone "$T_DIR/f2"
DOCKET_DB=$T_CLONE db_sql "UPDATE staff_proposal SET state = 'pending' WHERE id = 2"
expect_exit 3 "a revived proposal is found" -- docket --db "$T_CLONE" --as root2 log verify
expect_contains "$T_OUT" "table staff_proposal: row 2 has state 'pending' but the log gives 'cancelled'" "revived proposal named"

# 5. cli_auth unix: the command line acts as the operating-system login
me=$(id -un)
expect_exit 5 "cli_auth unix without a bound admin is refused" -- docket --as root2 config set cli_auth unix
expect_contains "$T_ERR" "bound" "lock-out explained"
expect_exit 0 "single admin binds own login" -- docket --as root2 user set root2 --unix "$me"
expect_exit 5 "a login binds one user" -- docket --as root2 user set aude --unix "$me"
expect_exit 3 "bad cli_auth value" -- docket --as root2 config set cli_auth ldap
expect_exit 0 "cli_auth unix" -- docket --as root2 config set cli_auth unix
expect_exit 5 "--as refused" -- docket --as aude request list
expect_contains "$T_ERR" "--as and DOCKET_USER are refused" "--as refusal explained"
expect_exit 5 "DOCKET_USER refused" -- env DOCKET_USER=aude "$DOCKET_BIN" request list
expect_exit 0 "the login acts" -- env -u DOCKET_USER "$DOCKET_BIN" user list
expect_exit 0 "as root2" -- env -u DOCKET_USER "$DOCKET_BIN" user add ursula --role auditor
expect_eq "$(db_log_entries | tail -n 1 | sed -n 's/.*"actor":"\([^"]*\)".*/\1/p')" "root2" "the actor is the bound user"
expect_exit 0 "log verify" -- env -u DOCKET_USER "$DOCKET_BIN" log verify
done_testing
