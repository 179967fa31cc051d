#!/bin/bash
# layering_test.sh SRC - the layering scan (tests/layering.sh) passes on
# the real tree, and fails on copies of it with each kind of violation
# planted: an upward include, a sibling include, an SQLite header outside
# its engine, the private transaction header outside the unit of work, and
# an unknown layer.
set -u
src=${1:?usage: layering_test.sh SRC}
here=$(cd "$(dirname "$0")" && pwd)
scan="$here/layering.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

if ! bash "$scan" "$src"; then
	echo "FAIL: the source tree breaks the layering" >&2
	status=1
fi

# plant FILE LINE WHAT: a copy of src with LINE appended to FILE must fail.
plant() {
	rm -rf "$tmp/src"
	cp -R "$src" "$tmp/src"
	mkdir -p "$(dirname "$tmp/src/$1")"
	printf '%s\n' "$2" >>"$tmp/src/$1"
	if bash "$scan" "$tmp/src" 2>"$tmp/err"; then
		echo "FAIL: not caught: $3" >&2
		status=1
	elif ! grep -q "${1%%/*}" "$tmp/err"; then
		echo "FAIL: caught but not named: $3" >&2
		status=1
	else
		echo "ok: caught $3: $(head -1 "$tmp/err")"
	fi
}

plant core/workflow/workflow.c '#include "app/app.h"' "core including the app layer"
plant store/store.h '#include "core/policy/policy.h"' "the store including the domain"
plant model/model.h '#include "store/store.h"' "the model including the store"
plant base/util.h '#include "model/model.h"' "base including the model"
plant app/app.h '#include "cmd/cmd.h"' "the app layer including the command line"
plant log/note.h '#include "mail/mail.h"' "a sibling include (log -> mail)"
plant core/present/view.c '#include <sqlite3.h>' "sqlite3.h outside its engine"
plant store/store.h '#include <sqlite3.h>' "sqlite3.h in the engine-neutral store"
plant cmd/cmd.c '#include "store/txn.h"' "the transaction header outside the unit of work"
plant app/request.c '#include "store/txn.h"' "the transaction header in another app file"
plant cmd/cmd.c '#include "store/vault_content.h"' "the vault content header outside the vault"
plant extra/x.c '#include "base/err.h"' "an unknown layer"
plant core/notice/ndo.c 'static const char *hint = "run '"'"'docket tick'"'"' now";' "a command named in the domain"
plant app/notice.c 'static const char *hint = "pass --reason TEXT";' "an option named in the app layer"
exit $status
