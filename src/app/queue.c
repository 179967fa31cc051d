/*
 * queue.c - the queue of requests by urgency and the actions open to a
 * user (queue.h).
 */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "app/queue.h"
#include "app/request.h"
#include "core/policy/classify.h"
#include "core/present/view.h"
#include "core/workflow/workflow.h"

int queue_urgency_cmp(int64_t a_deadline, int64_t a_received, int64_t a_id,
		      int64_t b_deadline, int64_t b_received, int64_t b_id)
{
	if (a_deadline != b_deadline) {
		if (!a_deadline)
			return 1;
		if (!b_deadline)
			return -1;
		return a_deadline < b_deadline ? -1 : 1;
	}
	if (a_received != b_received)
		return a_received < b_received ? -1 : 1;
	return a_id < b_id ? -1 : a_id > b_id;
}

struct row {
	int64_t deadline, received, id;
	json_t *view;
};

struct walk {
	struct session *s;
	const char *q;
	int with_finished;
	struct row *rows;
	size_t n, cap;
	int more;
};

static int walk_row(void *ctx, const struct request *r)
{
	struct walk *w = ctx;
	if ((!w->with_finished && r->finished) || (w->q && !app_request_matches(r, w->q)))
		return 0;
	if (w->n == APP_QUEUE_MAX * 4) {
		w->more = 1;
		return 1;
	}
	json_t *v = view_request(w->s->st, r, NULL, 0, w->s->now);
	if (!v)
		return -E_INTERNAL;
	struct request full;
	struct policy_result pol;
	int has_policy = 0;
	json_object_del(v, "policy");
	int rc = app_request_get(w->s, r->id, &full, &pol, &has_policy);
	if (rc < 0) {
		json_decref(v);
		return rc;
	}
	json_object_set_new(v, "recommendation",
			    has_policy ? json_string(action_str(pol.action)) : json_null());
	if (has_policy)
		policy_result_release(&pol);
	request_release(&full);
	json_object_set_new(v, "overdue", json_boolean(app_request_overdue(w->s, r)));
	if (r->next_deadline && !r->finished) {
		char at[TS_BUFSZ];
		time_format(r->next_deadline, at);
		json_object_set_new(v, "next_deadline", json_string(at));
	} else {
		json_object_set_new(v, "next_deadline", json_null());
	}
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		w->rows = xrealloc(w->rows, w->cap * sizeof(*w->rows));
	}
	w->rows[w->n++] = (struct row){r->finished ? 0 : r->next_deadline, r->received_at.t,
				       r->id, v};
	return 0;
}

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	return queue_urgency_cmp(x->deadline, x->received, x->id, y->deadline, y->received,
				 y->id);
}

int app_queue_json(struct session *s, const struct request_filter *f, const char *q,
		   int with_finished, json_t **out, int *more)
{
	struct walk w = {.s = s, .q = q && *q ? q : NULL, .with_finished = with_finished};
	*out = NULL;
	*more = 0;
	int rc = app_request_each(s, f, walk_row, &w);
	if (rc >= 0) {
		qsort(w.rows, w.n, sizeof(*w.rows), row_cmp);
		*out = json_array();
		for (size_t i = 0; i < w.n; i++) {
			if (i < APP_QUEUE_MAX)
				json_array_append(*out, w.rows[i].view);
		}
		*more = w.more || w.n > APP_QUEUE_MAX;
		rc = 0;
	}
	for (size_t i = 0; i < w.n; i++)
		json_decref(w.rows[i].view);
	free(w.rows);
	return rc;
}

int app_request_actions(struct session *s, int64_t id, json_t **out)
{
	struct request r;
	int has_policy = 0, rc;
	*out = NULL;
	if ((rc = app_request_get(s, id, &r, NULL, &has_policy)) < 0)
		return rc;
	json_t *a = json_array();
	for (const struct transition *t = workflow_table; t->event; t++)
		if (t->from == r.state && (t->roles & s->roles))
			json_array_append_new(a, json_string(t->event));
	request_release(&r);
	*out = a;
	return 0;
}
