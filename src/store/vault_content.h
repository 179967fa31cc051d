/*
 * vault_content.h - PRIVATE: the one store function that returns vault
 * content.
 *
 * Invariant I1 (SPEC §1): customer data can be read only by the disclosure
 * step of a ready request, within that request's scope.  This header is
 * included by exactly two files - src/store/sqlite/sqlite_vault.c, which defines
 * store_vault_read(), and src/core/disclose/vault.c, the vault data source, which
 * calls it only from its read callback, and only with the scope of a grant
 * that core/disclose/disclose.c alone can make.  tests/unit/test_disclose.c fails
 * when any other file of src/ names this header or the function.  See
 * docs/disclosure.md before adding a caller: there must not be one.
 */
#ifndef DOCKET_VAULT_CONTENT_H
#define DOCKET_VAULT_CONTENT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* accounts x categories x [from, to). */
struct vault_scope {
	const int64_t *accounts;  /* account ids, ascending and distinct */
	size_t n_accounts;
	unsigned categories;      /* CAT_BIT()s */
	int64_t from;             /* created_at >= from (INT64_MIN: open) */
	int64_t to;               /* created_at < to (INT64_MAX: open) */
};

/* One stored item with its bytes; every pointer is valid during the
 * callback only. */
struct vault_row {
	int64_t id;
	int64_t account_id;
	const char *account_type;
	const char *account_value;
	enum category category;
	const char *kind;
	int64_t created_at;
	const char *location;
	int sealed;
	int enc;                  /* data is encrypted under the vault data key
				     (core/disclose/vault.c decrypts it) */
	const void *data;
	size_t len;
};
typedef int (*store_vault_row_cb)(void *ctx, const struct vault_row *row);

/* Every item inside scope and no other, ordered by account (as listed),
 * category (enum order), created_at and id.  A non-zero return from cb
 * stops the walk and is returned. */
int store_vault_read(struct store *st, const struct vault_scope *scope,
		     store_vault_row_cb cb, void *ctx);

#endif
