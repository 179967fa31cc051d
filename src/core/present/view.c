#include <stdint.h>
#include <stdlib.h>

#include "base/clock.h"
#include "base/err.h"
#include "core/notice/ndo.h"
#include "core/notice/notice.h"
#include "core/policy/policy.h"
#include "core/workflow/reminder.h"
#include "core/present/view.h"

static int add_history(void *ctx, const struct history_entry *h)
{
	json_t *arr = ctx;
	char at[TS_BUFSZ];
	time_format(h->at, at);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I}", "at", at, "actor", h->actor,
			      "event", h->event, "to", state_str(h->to_state), "log_index",
			      (json_int_t)h->log_index);
	if (h->from_state >= 0)
		json_object_set_new(o, "from", json_string(state_str(h->from_state)));
	if (h->reason)
		json_object_set_new(o, "reason", json_string(h->reason));
	json_array_append_new(arr, o);
	return 0;
}

static json_t *targets_resolution(const struct request *r)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < r->n_targets; i++) {
		const struct target *t = &r->targets[i];
		json_t *o = json_pack("{s:s, s:s}", "type", target_type_str(t->type), "value",
				      t->value);
		if (t->customer_id)
			json_object_set_new(o, "customer", json_string(t->customer_id));
		else
			json_object_set_new(o, "customer", json_null());
		if (t->decision != TD_NONE)
			json_object_set_new(o, "decision",
					    json_string(t->decision == TD_REDIRECT ? "redirect"
										  : "reject"));
		json_array_append_new(arr, o);
	}
	return arr;
}

static int add_disclosure(void *ctx, const struct disclosure_record *d)
{
	char at[TS_BUFSZ];
	time_format(d->created_at, at);
	json_array_append_new(ctx, json_pack("{s:s, s:I, s:s, s:I, s:s, s:I, s:I}", "file",
					     d->file_name, "size", (json_int_t)d->size,
					     "sha256", d->sha256, "items", (json_int_t)d->items,
					     "at", at, "log_index", (json_int_t)d->log_index,
					     "package_log_index",
					     (json_int_t)d->package_index));
	return 0;
}

static int add_deadline(void *ctx, const struct deadline_row *d)
{
	char at[TS_BUFSZ];
	int s = state_parse(d->state);
	time_format(d->at, at);
	json_t *o = json_pack("{s:s, s:s, s:b}", "kind", d->kind, "at", at, "met",
			      d->done || s < 0 || !reminder_open(d->kind, (enum state)s));
	if (d->near_at) {
		time_format(d->near_at, at);
		json_object_set_new(o, "reminded_near", json_string(at));
	}
	if (d->missed_at) {
		time_format(d->missed_at, at);
		json_object_set_new(o, "reminded_missed", json_string(at));
	}
	json_array_append_new(ctx, o);
	return 0;
}

json_t *view_deadlines(struct store *st, int64_t request_id)
{
	json_t *a = json_array();
	if (store_deadline_each_row(st, request_id, add_deadline, a) < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

static json_t *view(struct store *st, const struct request *r, const char *policy_json,
		    int full, int64_t now, int64_t *until);

json_t *view_request(struct store *st, const struct request *r, const char *policy_json,
		     int full, int64_t now)
{
	return view(st, r, policy_json, full, now, NULL);
}

json_t *view_request_until(struct store *st, const struct request *r,
			   const char *policy_json, int64_t now, int64_t *until)
{
	*until = INT64_MAX;
	return view(st, r, policy_json, 1, now, until);
}

static json_t *view(struct store *st, const struct request *r, const char *policy_json,
		    int full, int64_t now, int64_t *until)
{
	json_t *o = request_to_json(r);
	if (!o) {
		err_set(E_INTERNAL, "cannot serialise request %lld", (long long)r->id);
		return NULL;
	}
	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "state", json_string(state_str(r->state)));
	json_object_set_new(o, "country", json_string(r->country));
	json_object_set_new(o, "outcome",
			    r->outcome == OUT_NONE ? json_null()
						   : json_string(outcome_str(r->outcome)));
	json_t *pol = NULL;
	struct policy_result res;
	if (policy_json && policy_parse(policy_json, &res) == 0) {
		pol = policy_to_json(&res);
		policy_result_release(&res);
	}
	json_object_set_new(o, "policy", pol ? pol : json_null());
	json_object_set_new(o, "resolution", targets_resolution(r));
	if (!full)
		return o;
	json_t *hist = json_array();
	int rc = store_history_each(st, r->id, add_history, hist);
	if (rc < 0) {
		json_decref(hist);
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "history", hist);
	char *extra = NULL;
	if (store_request_extraordinary(st, r->id, &extra) < 0) {
		json_decref(o);
		return NULL;
	}
	if (extra)
		json_object_set_new(o, "extraordinary", json_string(extra));
	free(extra);
	json_t *notices = notice_list_json(st, r->id), *ndos = ndo_list_json_until(st, r->id, now, until);
	if (!notices || !ndos) {
		json_decref(notices);
		json_decref(ndos);
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "notices", notices);
	json_object_set_new(o, "ndos", ndos);
	json_t *disc = json_array();
	if (store_disclosure_each(st, r->id, add_disclosure, disc) < 0) {
		json_decref(disc);
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "disclosures", disc);
	json_t *dl = view_deadlines(st, r->id);
	if (!dl) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "deadlines", dl);
	/* entered in error (request void): left out of every report */
	json_object_set_new(o, "void", json_boolean(r->voided_at != 0));
	return o;
}
