/*
 * source.h - where customer data comes from: the data source interface.
 *
 * docket reads customer data for one purpose only - to produce the
 * disclosure package of a request that two people approved (I1, I7, I10) -
 * and it reads it through this interface.  The built-in source is the vault
 * (core/disclose/vault.c, items loaded with `docket vault import`); a provider
 * connects its real systems (mail store, object store, sign-in logs) by
 * implementing the same callbacks, and the disclosure step does not change.
 *
 * A source is a struct of callbacks over its own state (`self`).  Its read
 * callback takes a *grant*, not a scope: a grant is an opaque token that
 * only the disclosure step (core/disclose/disclose.c) makes, for a request in state
 * `ready`, and that carries that request's scope (resolved accounts x
 * categories x date range).  A source learns the scope from grant_scope()
 * and must hand back exactly the items inside it - no others - in a fixed
 * order.  No other code can make a grant (the type is incomplete outside
 * core/disclose/disclose.c and it has no constructor), so no other code can ask a
 * source for content.  The disclosure step logs every item it is handed in
 * the same unit of work (I8).  See docs/disclosure.md.
 */
#ifndef DOCKET_SOURCE_H
#define DOCKET_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "model/enums.h"

/* What a request may reach: accounts x categories x [from, to). */
struct source_scope {
	const int64_t *accounts;  /* resolved account ids, ascending, distinct */
	size_t n_accounts;
	unsigned categories;      /* CAT_BIT()s */
	int64_t from;             /* created_at >= from (INT64_MIN: open) */
	int64_t to;               /* created_at < to (INT64_MAX: open) */
};

/* One item as a source hands it over; every pointer is valid during the
 * callback only. */
struct source_item {
	int64_t id;               /* the source's own id of the item */
	int64_t account_id;
	enum target_type account_type;
	const char *account_value;
	enum category category;
	const char *kind;         /* "email_message", "signin_log", ... */
	int64_t created_at;
	const char *location;     /* ISO 3166-1 alpha-2: where it is stored */
	int sealed;               /* data is ciphertext sealed to the customer's
				     public key (key_custody "customer") */
	const void *data;
	size_t len;
};
typedef int (*source_item_cb)(void *ctx, const struct source_item *item);

/* Made only by core/disclose/disclose.c; see above. */
struct grant;
/* The scope a grant allows, or NULL for a NULL grant. */
const struct source_scope *grant_scope(const struct grant *g);

struct source {
	const char *name;         /* "vault" */
	void *self;
	/* Call cb for every item inside grant_scope(g) and for no other, ordered
	 * by account (as listed in the scope), category (enum order),
	 * created_at and id.  Refuses (E_INTERNAL) a NULL grant.  A non-zero
	 * return from cb stops the walk and is returned. */
	int (*read)(void *self, const struct grant *g, source_item_cb cb, void *ctx);
	/* Free self (may be NULL). */
	void (*release)(void *self);
};

#endif
