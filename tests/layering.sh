#!/bin/bash
# layering.sh SRC - scan the #includes of every .c and .h under SRC (a copy
# of src/) and fail, naming each, when:
#   - a layer includes one above it, or a sibling at its own level
#     (base <- model <- store, log, mail <- core <- app <- cmd, http <- main.c);
#   - an include names no known layer (a new layer must be added here);
#   - an engine's header (sqlite3.h, libpq-fe.h) appears outside its
#     engine's folder (src/store/sqlite/, src/store/pg/);
#   - a private header is included outside the code it belongs to:
#     store/txn.h (the transaction bracket) only by the unit of work
#     (app/unit.c) and the store; store/vault_content.h only by the vault
#     (core/vault.c) and the store.
# Exit 0 when the tree is clean, 1 otherwise.
set -u
src=${1:?usage: layering.sh SRC}

rank() {
	case $1 in
	base) echo 0 ;;
	model) echo 1 ;;
	store | log | mail) echo 2 ;;
	core) echo 3 ;;
	app) echo 4 ;;
	cmd | http) echo 5 ;;
	main.c) echo 6 ;;
	*) echo -1 ;;
	esac
}

bad=0
fail() {
	echo "layering: $1" >&2
	bad=1
}

while IFS= read -r -d '' file; do
	rel=${file#"$src"/}
	layer=${rel%%/*}
	own=$(rank "$layer")
	if [ "$own" -lt 0 ]; then
		fail "$rel: '$layer' is not a known layer"
		continue
	fi
	n=0
	while IFS= read -r line; do
		n=$((n + 1))
		case $line in
		*'#'*include*) ;;
		*) continue ;;
		esac
		inc=$(printf '%s\n' "$line" |
			sed -nE 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^>"]+)[>"].*/\1/p')
		[ -n "$inc" ] || continue
		case $inc in
		sqlite3.h)
			case $rel in store/sqlite/*) ;; *) fail "$rel:$n: <$inc> outside src/store/sqlite/" ;; esac
			continue ;;
		libpq-fe.h | postgresql/libpq-fe.h)
			case $rel in store/pg/*) ;; *) fail "$rel:$n: <$inc> outside src/store/pg/" ;; esac
			continue ;;
		esac
		case $line in *'<'*) continue ;; esac   # a system header
		case $inc in
		store/txn.h)
			case $rel in app/unit.c | store/*) ;; *) fail "$rel:$n: includes the private $inc (only app/unit.c commits)" ;; esac ;;
		store/vault_content.h)
			case $rel in core/vault.c | core/*/vault.c | store/*) ;; *) fail "$rel:$n: includes the private $inc (only core/vault.c reads vault content)" ;; esac ;;
		esac
		target=${inc%%/*}
		[ "$target" = "$inc" ] && { fail "$rel:$n: \"$inc\" names no layer"; continue; }
		theirs=$(rank "$target")
		if [ "$theirs" -lt 0 ]; then
			fail "$rel:$n: \"$inc\" is in no known layer"
		elif [ "$target" != "$layer" ] && [ "$theirs" -ge "$own" ]; then
			fail "$rel:$n: $layer may not include \"$inc\" ($target is not below it)"
		fi
	done <"$file"
done < <(find "$src" -type f \( -name '*.c' -o -name '*.h' \) -print0 | sort -z)

exit $bad
