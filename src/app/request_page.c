/*
 * request_page.c - one page of the request list with a search
 * (app_request_page in app/request.h), for the API's cursor paging and the
 * queue's search box (SPEC §12, §13); and the list of preservation holds
 * (app_hold_list_json).
 */
#include <string.h>
#include <strings.h>

#include "app/request.h"
#include "base/clock.h"
#include "base/err.h"
#include "core/present/view.h"

struct page {
	struct session *s;
	json_t *arr;
	const char *q;
	int64_t after;
	size_t limit, n;
	int64_t last;
	int more;
};

static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; hay && *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

/* A search matches the reference, the agency or an account identifier,
 * case-insensitively. */
int app_request_matches(const struct request *r, const char *q)
{
	if (contains_ci(r->ref, q) || contains_ci(r->agency, q))
		return 1;
	for (size_t i = 0; i < r->n_targets; i++)
		if (contains_ci(r->targets[i].value, q))
			return 1;
	return 0;
}

static int page_row(void *ctx, const struct request *r)
{
	struct page *p = ctx;
	if (r->id <= p->after || (p->q && !app_request_matches(r, p->q)))
		return 0;
	if (p->n == p->limit) {
		p->more = 1;
		return 1;
	}
	json_t *v = app_request_list_row(p->s, r);
	if (!v)
		return -E_INTERNAL;
	json_array_append_new(p->arr, v);
	p->n++;
	p->last = r->id;
	return 0;
}

int app_request_page(struct session *s, const struct request_filter *f, const char *q,
		     int64_t after, size_t limit, json_t **out, int64_t *next)
{
	struct page p = {.s = s, .arr = json_array(), .q = q && *q ? q : NULL,
			 .after = after, .limit = limit};
	*out = NULL;
	*next = 0;
	int rc = store_request_each(s->st, f, page_row, &p);
	if (rc < 0) {
		json_decref(p.arr);
		return rc;
	}
	*out = p.arr;
	*next = p.more ? p.last : 0;
	return 0;
}

/* --- preservation holds ------------------------------------------------- */

static int hold_row(void *ctx, const struct hold *h)
{
	char created[TS_BUFSZ], expires[TS_BUFSZ];
	time_format(h->created_at, created);
	time_format(h->expires_at, expires);
	json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:i, s:s}", "id", (json_int_t)h->id,
			      "request", (json_int_t)h->request_id, "created_at", created,
			      "expires_at", expires, "renewals", h->renewals, "state", h->state);
	json_object_set_new(j, "account", h->account_id ? json_integer(h->account_id)
							 : json_null());
	json_array_append_new(ctx, j);
	return 0;
}

int app_hold_list_json(struct session *s, int64_t request_id, json_t **out)
{
	json_t *arr = json_array();
	int rc = request_id ? store_hold_each(s->st, request_id, hold_row, arr)
			    : store_hold_each_due(s->st, INT64_MAX, hold_row, arr);
	if (rc < 0) {
		json_decref(arr);
		arr = NULL;
	}
	*out = arr;
	return rc;
}
