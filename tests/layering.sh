#!/bin/bash
# layering.sh SRC - scan the #includes of every .c and .h under SRC (a copy
# of src/) and fail, naming each, when:
#   - a layer includes one above it, or a sibling at its own level
#     (base <- model <- store, log, mail <- core <- app <- cmd, http <- main.c);
#   - an include names no known layer (a new layer must be added here);
#   - an engine's header (sqlite3.h, libpq-fe.h) appears outside its
#     engine's folder (src/store/sqlite/, src/store/pg/);
#   - a layer below the front ends (anything but cmd, http and main.c)
#     speaks the command line's language in a string: a command
#     ('docket ...') or an option (--name); it sets a remedy
#     (base/err.h) that each front end spells instead;
#   - a private header is included outside the code it belongs to:
#     store/txn.h (the transaction bracket) only by the unit of work
#     (app/unit.c) and the store; store/vault_content.h only by the vault
#     (core/disclose/vault.c) and the store.
# Exit 0 when the tree is clean, 1 otherwise.
set -u
src=${1:?usage: layering.sh SRC}

cd "$src" || exit 1
# every file, so a file in an unknown layer is named even without includes
find . -type f \( -name '*.c' -o -name '*.h' \) | sed 's|^\./||' | sort >"${TMPDIR:-/tmp}/layering.$$"
{
	sed 's/^/FILE /' "${TMPDIR:-/tmp}/layering.$$"
	xargs grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]' \
		<"${TMPDIR:-/tmp}/layering.$$" /dev/null
} | awk '
function rank(l) {
	if (l == "base") return 0
	if (l == "model") return 1
	if (l == "store" || l == "log" || l == "mail") return 2
	if (l == "core") return 3
	if (l == "app") return 4
	if (l == "cmd" || l == "http") return 5
	if (l == "main.c") return 6
	return -1
}
function fail(msg) { print "layering: " msg > "/dev/stderr"; bad = 1 }
/^FILE / {
	f = substr($0, 6); l = f; sub(/\/.*/, "", l)
	if (rank(l) < 0) fail(f ": \x27" l "\x27 is not a known layer")
	next
}
{
	# file:line:text
	i = index($0, ":"); f = substr($0, 1, i - 1); rest = substr($0, i + 1)
	j = index(rest, ":"); n = substr(rest, 1, j - 1); text = substr(rest, j + 1)
	layer = f; sub(/\/.*/, "", layer)
	own = rank(layer)
	if (own < 0) next
	sys = text ~ /include[[:space:]]*</
	inc = text; sub(/^[^<"]*[<"]/, "", inc); sub(/[>"].*$/, "", inc)
	if (inc == "sqlite3.h") {
		if (f !~ /^store\/sqlite\//) fail(f ":" n ": <" inc "> outside src/store/sqlite/")
		next
	}
	if (inc == "libpq-fe.h" || inc == "postgresql/libpq-fe.h") {
		if (f !~ /^store\/pg\//) fail(f ":" n ": <" inc "> outside src/store/pg/")
		next
	}
	if (sys) next
	if (inc == "store/txn.h" && f != "app/unit.c" && f !~ /^store\//)
		fail(f ":" n ": includes the private " inc " (only app/unit.c commits)")
	if (inc == "store/vault_content.h" && f !~ /^core\/(.*\/)?vault\.c$/ && f !~ /^store\//)
		fail(f ":" n ": includes the private " inc " (only core/disclose/vault.c reads vault content)")
	target = inc; sub(/\/.*/, "", target)
	if (target == inc) { fail(f ":" n ": \"" inc "\" names no layer"); next }
	theirs = rank(target)
	if (theirs < 0) fail(f ":" n ": \"" inc "\" is in no known layer")
	else if (target != layer && theirs >= own)
		fail(f ":" n ": " layer " may not include \"" inc "\" (" target " is not below it)")
}
END { exit bad }
'
status=$?
# the command line's words below the front ends, in string literals
words=$(grep -v -e '^cmd/' -e '^http/' -e '^main\.c$' "${TMPDIR:-/tmp}/layering.$$" |
	xargs grep -nE "\"[^\"]*('docket [a-z]|[ (]--[a-z][a-z-]*[ ',)/])" /dev/null |
	grep -vE '^[^:]*:[0-9]+:[[:space:]]*(/?\*|//)' | grep -v 'var(--')
if [ -n "$words" ]; then
	printf '%s\n' "$words" | sed 's/^/layering: the command line'"'"'s words below the front ends: /' >&2
	status=1
fi
rm -f "${TMPDIR:-/tmp}/layering.$$"
exit $status
