#!/usr/bin/env bash
# The role x command matrix (SPEC §9), generated from the command table:
# every command `docket --help` and each group's --help list is run as a
# user of each role, and must be refused (exit 5, "may not ...") exactly
# for the roles the SPEC table does not give it.  A command missing from
# PERM below fails the test, so a new command cannot be left out.  The
# user-administration rules (separation of duties) are t0140's; the rows
# for `user ...` here check who may administer at all.
. "$(dirname "$0")/lib.sh"
setup_db 2>/dev/null
load_fixtures
export DOCKET_USER=root
printf '{"ref":"M-1","agency":"us-lapd","kind":"criminal","process":"subpoena","signed":true,"requester":{"name":"Det. A","email":"a@lapd.gov"},"targets":[{"type":"email","value":"alice@example.net"}],"categories":["subscriber"]}' >m.json
docket --as intake-1 request add m.json >/dev/null
sed 's/M-1/M-2/' m.json >m2.json
docket --as intake-1 request add m2.json >/dev/null
printf '{"ref":"H-1","country":"FR","kind":"criminal","process":"subpoena","received_at":"2025-02-01","targets":[],"categories":["subscriber"],"outcome":"no_data","closed_at":"2025-02-10"}\n' >h.jsonl
printf '{"account":{"type":"email","value":"alice@example.net"},"category":"subscriber","kind":"profile","created_at":"2025-06-01T00:00:00Z","location":"US","data":"x"}\n' >v.jsonl
echo 'a long enough passphrase' >pw.txt
printf 'Subject: your request\n\nReceived.\n' >l.txt

# who may run what (SPEC §9); "any": every role; "none": no database user
declare -A PERM ARGS
ANY="intake reviewer approver compliance auditor admin"
PERM[init]=none;                         ARGS[init]="--db $T_DIR/other-\$ROLE.db"
PERM[status]=any
PERM[tick]=admin
PERM[report]=any;                        ARGS[report]="--period 2026-H1"
PERM[serve]=skip   # long-running; its roles are t2010's
PERM["user add"]=admin;                  ARGS["user add"]="new-\$ROLE --role auditor"
PERM["user set"]=admin;                  ARGS["user set"]="auditor-1 --role auditor"
PERM["user remove"]=admin;               ARGS["user remove"]="nobody-\$ROLE"
PERM["user confirm"]=admin;              ARGS["user confirm"]="999"
PERM["user cancel"]=admin;               ARGS["user cancel"]="999"
PERM["user list"]=any
PERM["user passwd"]=admin;               ARGS["user passwd"]="reviewer-2"   # another user's (one's own: any role)
PERM["user mfa"]=admin;                  ARGS["user mfa"]="reviewer-2"
PERM["user link"]=admin;                 ARGS["user link"]="reviewer-2"
PERM["customer import"]=admin;           ARGS["customer import"]="customers.jsonl"
PERM["agency import"]=admin;             ARGS["agency import"]="agencies.jsonl"
PERM["request add"]=intake;              ARGS["request add"]="m.json"
PERM["request show"]=any;                ARGS["request show"]="1"
PERM["request list"]=any
PERM["request explain"]=any;             ARGS["request explain"]="1"
PERM["request import"]=admin;            ARGS["request import"]="h.jsonl"
PERM["request decide"]=reviewer;         ARGS["request decide"]="1 reject --reason x"
PERM["request approve"]=approver;        ARGS["request approve"]="1"
PERM["request verify"]=reviewer;         ARGS["request verify"]="1 --callback +12135550100 --person X"
PERM["request reassess"]=reviewer;       ARGS["request reassess"]="1"
PERM["request challenge"]=reviewer;      ARGS["request challenge"]="1 --court C --grounds G --reason R"
PERM["request challenge-outcome"]=reviewer; ARGS["request challenge-outcome"]="1 denied"
PERM["request withdraw"]=reviewer;       ARGS["request withdraw"]="1"
PERM["request close"]=reviewer;          ARGS["request close"]="1"
PERM["request amend"]=intake;            ARGS["request amend"]="1 m.json --reason typo"
PERM["request void"]=reviewer;           ARGS["request void"]="2 --reason entered-in-error"
PERM["request investigation-closed"]=reviewer; ARGS["request investigation-closed"]="1 --on 2026-03-01"
PERM["customer list"]=any
PERM["customer show"]=any;               ARGS["customer show"]="c-alice"
PERM["agency list"]=any
PERM["agency show"]=any;                 ARGS["agency show"]="us-lapd"
PERM["config set"]=admin;                ARGS["config set"]="provider_name Example"
PERM["config get"]=admin;                ARGS["config get"]="provider_name"
PERM["config list"]=admin
PERM["log key"]=any
PERM["log checkpoint"]=any
PERM["log entry"]=any;                   ARGS["log entry"]="0"
PERM["log proof"]=any;                   ARGS["log proof"]="0"
PERM["log consistency"]=any;             ARGS["log consistency"]="1"
PERM["log verify"]=any
PERM["rules list"]=any
PERM["rules show"]=any;                  ARGS["rules show"]="US-CONTENT-WARRANT"
PERM["hold renew"]=reviewer;             ARGS["hold renew"]="1"
PERM["hold release"]=reviewer;           ARGS["hold release"]="1"
PERM["hold convert"]=intake;             ARGS["hold convert"]="1 2"
PERM["ndo add"]=intake;                  ARGS["ndo add"]="1 --statute S --issued 2026-03-01"
PERM["ndo extend"]=intake;               ARGS["ndo extend"]="1 --expires 2027-01-01"
PERM["ndo lift"]=intake;                 ARGS["ndo lift"]="1"
PERM["ndo list"]=any
PERM["notice list"]=any
PERM["notice show"]=any;                 ARGS["notice show"]="1"
PERM["notice resend"]=compliance;        ARGS["notice resend"]="1"
PERM["vault import"]=admin;              ARGS["vault import"]="v.jsonl"
PERM["disclose"]=approver;               ARGS["disclose"]="1 --out $T_DIR/p-\$ROLE.tar.gz"
PERM["disclose verify"]=none;            ARGS["disclose verify"]="$T_DIR/none.tar.gz"
PERM["log check-proof"]=none;            ARGS["log check-proof"]="$T_DIR/none.json --key $T_DIR/none.vkey"
PERM["token add"]=admin;                 ARGS["token add"]="auditor-1"
PERM["token list"]=admin
PERM["token revoke"]=admin;              ARGS["token revoke"]="999"
PERM["witness add"]=admin;               ARGS["witness add"]="w.example/x http://127.0.0.1:9 bad"
PERM["witness list"]=any
PERM["witness offer"]=admin
PERM["witness remove"]=admin;            ARGS["witness remove"]="w.example/none"
PERM["letter draft"]=any;                ARGS["letter draft"]="1 acknowledgement"
PERM["letter list"]=any;                 ARGS["letter list"]="1"
PERM["letter send"]="intake reviewer";   ARGS["letter send"]="1 acknowledgement --to a@lapd.gov l.txt"
PERM["db copy"]=none;                    ARGS["db copy"]="$DOCKET_DB $T_DIR/copy-\$ROLE.db"

# the command table: top-level commands, and each group's subcommands
cmds=()
for c in $(docket --help | awk '/^  [a-z]/ {print $1}'); do
  subs=$(docket "$c" --help 2>/dev/null | awk -v g="$c" '$1 == "docket" && $2 == g && $3 ~ /^[a-z-]+$/ && $3 != "SUBCOMMAND" {print $3}' | sort -u)
  if [ -n "$subs" ] && docket "$c" --help 2>/dev/null | grep -q 'SUBCOMMAND'; then
    for s in $subs; do cmds+=("$c $s"); done
  else
    cmds+=("$c")
  fi
done
[ "${#cmds[@]}" -ge 40 ] && ok || not_ok "only ${#cmds[@]} commands found in the command table"
declare -A USER=([intake]=intake-1 [reviewer]=reviewer-1 [approver]=approver-1 [compliance]=compliance-1 [auditor]=auditor-1 [admin]=root)
for cmd in "${cmds[@]}"; do
  perm=${PERM[$cmd]:-}
  if [ -z "$perm" ]; then not_ok "'$cmd' is in the command table but not in the matrix"; continue; fi
  [ "$perm" = skip ] && continue
  allowed=$perm; [ "$perm" = any ] && allowed=$ANY
  for ROLE in $ANY; do
    args=$(eval "echo \"${ARGS[$cmd]:-}\"")
    # shellcheck disable=SC2086
    "$DOCKET_BIN" --as "${USER[$ROLE]}" $cmd $args <pw.txt >"$T_DIR/.out" 2>"$T_DIR/.err"
    rc=$?
    err=$(cat "$T_DIR/.err")
    refused=0
    { [ "$rc" -eq 5 ] && case "$err" in *"may not"*|*"needs the role"*) true ;; *) false ;; esac; } && refused=1
    if [ "$perm" = none ]; then
      [ "$refused" -eq 0 ] && ok || not_ok "'$cmd' needs no role but was refused for $ROLE: $err"
    elif case " $allowed " in *" $ROLE "*) true ;; *) false ;; esac; then
      [ "$refused" -eq 0 ] && ok || not_ok "'$cmd' refused for $ROLE, which SPEC allows: $err"
    else
      [ "$refused" -eq 1 ] && ok || not_ok "'$cmd' ran for $ROLE (exit $rc), which SPEC does not allow: $err"
    fi
  done
done
expect_exit 0 "log verify after the matrix" -- docket log verify
done_testing
