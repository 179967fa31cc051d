/*
 * basis.c - the disclosure's basis checked against the log (basis.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"
#include "core/ledger/basis.h"
#include "core/ledger/journal.h"

#define MAX_APPROVERS 16

struct basis {
	struct store *st;
	const struct request *r;
	struct buf entry;
	int rows, last_to, rc;
	char approvers[MAX_APPROVERS][128];
	int n_approvers;
	json_t *input; /* the last entry that gave the input's facts */
	int narrowed;
	unsigned scope;
};

static int bad(struct basis *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(struct basis *b, const char *fmt, ...)
{
	char what[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	b->rc = err_set(E_INVALID,
			"request %lld may not be disclosed: %s (the records do not match the "
			"log)",
			(long long)b->r->id, what);
	err_set_remedy(REMEDY_VERIFY_LOG, b->r->id);
	return b->rc;
}

static const char *str(const json_t *ev, const char *key)
{
	return json_string_value(json_object_get(ev, key));
}

static int on_row(void *ctx, const struct history_entry *h)
{
	struct basis *b = ctx;
	char type[96];
	json_t *ev;
	int rc;
	if ((rc = store_log_get_entry(b->st, h->log_index, &b->entry)) < 0)
		return b->rc = rc == -E_NOTFOUND ? bad(b, "history row '%s' points at entry %llu, "
							   "which does not exist",
						       h->event, (unsigned long long)h->log_index)
						 : rc;
	ev = json_loadb(b->entry.ptr, b->entry.len, 0, NULL);
	snprintf(type, sizeof(type), "request.%s", h->event);
	const char *from = str(ev, "from"), *to = str(ev, "to");
	if (!ev || !str_eq(str(ev, "type"), type) ||
	    json_integer_value(json_object_get(ev, "request")) != b->r->id || !to ||
	    strcmp(to, state_str(h->to_state)) != 0 ||
	    !str_eq(from, h->from_state < 0 ? NULL : state_str(h->from_state))) {
		json_decref(ev);
		return bad(b, "history row '%s' is not what log entry %llu says", h->event,
			   (unsigned long long)h->log_index);
	}
	if ((b->rows == 0) != (h->from_state < 0) ||
	    (b->rows > 0 && h->from_state != b->last_to)) {
		json_decref(ev);
		return bad(b, "its history is broken at '%s' (entry %llu)", h->event,
			   (unsigned long long)h->log_index);
	}
	b->rows++;
	b->last_to = h->to_state;
	if (json_object_get(ev, "categories") && json_object_get(ev, "targets")) {
		json_decref(b->input);
		b->input = json_incref(ev);
		b->narrowed = 0;
		b->scope = 0;
		b->n_approvers = 0; /* an amended input needs new sign-offs */
	}
	if (strcmp(h->event, "narrow") == 0 &&
	    categories_parse(str(ev, "categories") ? str(ev, "categories") : "", &b->scope) ==
		    0)
		b->narrowed = 1;
	if ((strcmp(h->event, "sign_off") == 0 || strcmp(h->event, "sign_off_final") == 0) &&
	    b->n_approvers < MAX_APPROVERS && str(ev, "actor"))
		str_copy(b->approvers[b->n_approvers++], sizeof(b->approvers[0]),
			 str(ev, "actor"));
	json_decref(ev);
	return 0;
}

static int on_approval(void *ctx, const char *approver, int64_t at)
{
	struct basis *b = ctx;
	(void)at;
	for (int i = 0; i < b->n_approvers; i++)
		if (strcmp(b->approvers[i], approver) == 0)
			return 0;
	return bad(b, "the approval by '%s' is not in the log", approver);
}

static int check_input(struct basis *b)
{
	const struct request *r = b->r;
	unsigned cats = 0, kept = 0;
	json_t *targets = json_object_get(b->input, "targets");
	json_t *accounts = json_object_get(b->input, "accounts");
	if (categories_parse(str(b->input, "categories") ? str(b->input, "categories") : "",
			     &cats) < 0 ||
	    cats != r->categories)
		return bad(b, "the categories asked for are not the logged ones");
	if (str(b->input, "supported") &&
	    (categories_parse(str(b->input, "supported"), &kept) < 0 || kept != r->supported))
		return bad(b, "the categories the process supports are not the logged ones");
	if ((b->narrowed ? b->scope : 0) != r->scope)
		return bad(b, "its scope is not the logged decision");
	if (json_array_size(targets) != r->n_targets)
		return bad(b, "its targets are not the logged ones");
	for (size_t i = 0; i < r->n_targets; i++) {
		char ref[JOURNAL_REF_LEN];
		json_t *acct = json_array_get(accounts, i);
		const char *logged = json_string_value(json_array_get(targets, i));
		int rc = journal_ref_like(b->st, target_type_str(r->targets[i].type),
					  TARGET_KEY(&r->targets[i]), logged, ref);
		if (rc < 0)
			return rc;
		if (!str_eq(logged, ref))
			return bad(b, "target %zu is not the logged one", i + 1);
		if (accounts && (json_is_integer(acct) ? json_integer_value(acct) : 0) !=
				    r->targets[i].account_id)
			return bad(b, "target %zu resolves to another account than the logged "
				      "one",
				   i + 1);
	}
	return 0;
}

int disclose_basis_check(struct store *st, const struct request *r)
{
	struct basis b = {.st = st, .r = r, .last_to = -1};
	int rc;
	buf_init(&b.entry, JOURNAL_MAX_ENTRY);
	rc = store_history_each(st, r->id, on_row, &b);
	if (rc == 0 && b.rc == 0 && (b.rows == 0 || b.last_to != (int)r->state))
		bad(&b, "its state '%s' is not where its logged history ends",
		    state_str(r->state));
	if (rc == 0 && b.rc == 0) {
		int distinct = b.n_approvers >= 2;
		for (int i = 1; distinct && i < b.n_approvers; i++)
			distinct = strcmp(b.approvers[i], b.approvers[0]) != 0;
		if (!distinct)
			bad(&b, "the log does not hold two sign-offs by different approvers");
	}
	if (rc == 0 && b.rc == 0)
		rc = store_approval_each(st, r->id, on_approval, &b);
	if (rc == 0 && b.rc == 0 && !b.input)
		bad(&b, "no log entry records its input");
	if (rc == 0 && b.rc == 0)
		check_input(&b);
	buf_release(&b.entry);
	json_decref(b.input);
	return rc < 0 ? rc : b.rc;
}
