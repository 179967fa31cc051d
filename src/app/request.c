/*
 * request.c - intake, review, holds and the views of a request
 * (app/request.h).  Import lives in import_request.c.
 */
#include <stdlib.h>
#include <string.h>

#include "app/request.h"
#include "base/err.h"
#include "base/util.h"
#include "core/intake.h"
#include "core/rules.h"
#include "core/view.h"

/* --- intake ------------------------------------------------------------- */

struct intake_job {
	struct request *r;
	const struct ruleset *rules;
};

static int intake_body(struct session *s, void *ctx)
{
	struct intake_job *j = ctx;
	struct actor who = session_actor(s);
	j->r->id = 0;
	return intake_add(s->st, j->rules, &who, j->r, NULL);
}

int app_request_add(struct session *s, const char *name, const char *doc, size_t len,
		    int64_t *id)
{
	struct request r = {0};
	struct ruleset *rules = NULL;
	int rc;
	if ((rc = session_require(s, ROLE_BIT(ROLE_INTAKE), "add requests")) < 0)
		return rc;
	if ((rc = request_parse(doc, len, REQUEST_NEW, s->now, &r)) < 0) {
		if (name)
			err_prefix("%s", name);
		return rc;
	}
	struct intake_job j = {&r, NULL};
	if ((rc = app_rules(s, &rules)) == 0) {
		j.rules = rules;
		rc = app_unit(s, intake_body, &j);
	}
	if (rc == 0)
		*id = r.id;
	rules_free(rules);
	request_release(&r);
	return rc;
}

/* --- review ------------------------------------------------------------- */

enum review_step {
	RV_DECIDE,
	RV_APPROVE,
	RV_VERIFY,
	RV_CHALLENGE_OUTCOME,
	RV_WITHDRAW,
	RV_CLOSE,
	RV_HOLD_RENEW,
	RV_HOLD_RELEASE,
	RV_HOLD_CONVERT,
	RV_REASSESS,
};

/* One review step's arguments; each step uses the ones it needs. */
struct review_job {
	enum review_step step;
	int64_t id;
	const struct decision *d;
	const struct verify_input *v;
	const struct ruleset *rules;
	const char *reason, *a, *b;
	enum outcome outcome;
	int64_t follow_up;
	int ready;
};

static int review_body(struct session *s, void *ctx)
{
	struct review_job *j = ctx;
	struct staff by = session_staff(s);
	j->ready = 0;
	switch (j->step) {
	case RV_DECIDE:
		return review_decide(s->st, &by, j->id, j->d);
	case RV_APPROVE:
		return review_approve(s->st, &by, j->id, j->reason, &j->ready);
	case RV_VERIFY:
		return review_verify(s->st, &by, j->id, j->v);
	case RV_REASSESS:
		return intake_reassess(s->st, j->rules, &by, j->id, j->a, j->reason);
	case RV_CHALLENGE_OUTCOME:
		return review_challenge_outcome(s->st, &by, j->id, j->a, j->reason);
	case RV_WITHDRAW:
		return review_withdraw(s->st, &by, j->id, j->reason);
	case RV_CLOSE:
		return review_close(s->st, &by, j->id, j->outcome, j->reason);
	case RV_HOLD_RENEW:
		return hold_renew(s->st, &by, j->id, j->reason);
	case RV_HOLD_RELEASE:
		return hold_release(s->st, &by, j->id, j->reason);
	case RV_HOLD_CONVERT:
		return hold_convert(s->st, &by, j->id, j->follow_up, j->reason);
	}
	return err_set(E_INTERNAL, "unknown review step %d", (int)j->step);
}

static int review(struct session *s, struct review_job *j)
{
	return app_unit(s, review_body, j);
}

int app_request_decide(struct session *s, int64_t id, const struct decision *d)
{
	struct review_job j = {.step = RV_DECIDE, .id = id, .d = d};
	return review(s, &j);
}

int app_request_approve(struct session *s, int64_t id, const char *reason, int *ready)
{
	struct review_job j = {.step = RV_APPROVE, .id = id, .reason = reason};
	int rc = review(s, &j);
	if (rc == 0 && ready)
		*ready = j.ready;
	return rc;
}

int app_request_verify(struct session *s, int64_t id, const struct verify_input *v)
{
	struct review_job j = {.step = RV_VERIFY, .id = id, .v = v};
	return review(s, &j);
}

int app_request_reassess(struct session *s, int64_t id, const char *agency,
			 const char *reason)
{
	struct ruleset *rules = NULL;
	int rc = app_rules(s, &rules);
	if (rc == 0) {
		struct review_job j = {.step = RV_REASSESS, .id = id, .a = agency,
				       .reason = reason, .rules = rules};
		rc = review(s, &j);
	}
	rules_free(rules);
	return rc;
}

int app_request_extraordinary(struct session *s, int64_t id, char **text)
{
	return store_request_extraordinary(s->st, id, text);
}

int app_request_challenge(struct session *s, int64_t id, const char *court,
			  const char *grounds, const char *reason)
{
	struct decision d = {
	    .name = "challenge", .reason = reason, .court = court, .grounds = grounds};
	return app_request_decide(s, id, &d);
}

int app_request_challenge_outcome(struct session *s, int64_t id, const char *outcome,
				  const char *reason)
{
	struct review_job j = {
	    .step = RV_CHALLENGE_OUTCOME, .id = id, .a = outcome, .reason = reason};
	return review(s, &j);
}

int app_request_withdraw(struct session *s, int64_t id, const char *reason)
{
	struct review_job j = {.step = RV_WITHDRAW, .id = id, .reason = reason};
	return review(s, &j);
}

int app_request_close(struct session *s, int64_t id, enum outcome outcome,
		      const char *reason)
{
	struct review_job j = {
	    .step = RV_CLOSE, .id = id, .outcome = outcome, .reason = reason};
	return review(s, &j);
}

int app_hold_renew(struct session *s, int64_t id, const char *reason)
{
	struct review_job j = {.step = RV_HOLD_RENEW, .id = id, .reason = reason};
	return review(s, &j);
}

int app_hold_release(struct session *s, int64_t id, const char *reason)
{
	struct review_job j = {.step = RV_HOLD_RELEASE, .id = id, .reason = reason};
	return review(s, &j);
}

int app_hold_convert(struct session *s, int64_t id, int64_t follow_up, const char *reason)
{
	struct review_job j = {
	    .step = RV_HOLD_CONVERT, .id = id, .follow_up = follow_up, .reason = reason};
	return review(s, &j);
}

/* --- reading ------------------------------------------------------------ */

int app_request_get(struct session *s, int64_t id, struct request *out,
		    struct policy_result *policy, int *has_policy)
{
	char *text = NULL;
	int rc = store_request_get(s->st, id, out, policy ? &text : NULL);
	if (policy) {
		memset(policy, 0, sizeof(*policy));
		*has_policy = 0;
		if (rc == 0 && text && (rc = policy_parse(text, policy)) == 0)
			*has_policy = 1;
		if (rc < 0)
			request_release(out);
	}
	free(text);
	return rc;
}

int app_request_json(struct session *s, int64_t id, json_t **out)
{
	struct request r = {0};
	char *policy = NULL;
	*out = NULL;
	/* one read transaction for the dozen reads of the view: one
	 * consistent snapshot, and one lock instead of one per statement */
	int rc = store_snapshot_begin(s->st);
	if (rc < 0)
		return rc;
	rc = store_request_get(s->st, id, &r, &policy);
	if (rc == 0) {
		*out = view_request(s->st, &r, policy, 1, s->now);
		if (!*out)
			rc = err_last() ? -(int)err_last() : -E_INTERNAL;
	}
	store_snapshot_end(s->st);
	free(policy);
	request_release(&r);
	return rc;
}

int app_request_each(struct session *s, const struct request_filter *f,
		     store_request_cb cb, void *ctx)
{
	return store_request_each(s->st, f, cb, ctx);
}

int app_request_overdue(const struct session *s, const struct request *r)
{
	return r->next_deadline && r->next_deadline < s->now;
}

struct list_json {
	struct session *s;
	json_t *arr;
};

static int list_json_row(void *ctx, const struct request *r)
{
	struct list_json *l = ctx;
	json_t *v = view_request(l->s->st, r, NULL, 0, l->s->now);
	if (!v)
		return -E_INTERNAL;
	json_object_del(v, "policy");
	json_object_set_new(v, "overdue", json_boolean(app_request_overdue(l->s, r)));
	json_array_append_new(l->arr, v);
	return 0;
}

int app_request_list_json(struct session *s, const struct request_filter *f, json_t **out)
{
	struct list_json l = {s, json_array()};
	int rc = store_request_each(s->st, f, list_json_row, &l);
	if (rc < 0) {
		json_decref(l.arr);
		l.arr = NULL;
	}
	*out = l.arr;
	return rc;
}

int app_hold_each(struct session *s, int64_t id, store_hold_cb cb, void *ctx)
{
	return store_hold_each(s->st, id, cb, ctx);
}

int app_request_history(struct session *s, int64_t id, store_history_cb cb, void *ctx)
{
	return store_history_each(s->st, id, cb, ctx);
}

int app_request_policy(struct session *s, int64_t id, struct request *r,
		       struct policy_result *policy)
{
	int have, rc = app_request_get(s, id, r, policy, &have);
	if (rc == 0 && !have) {
		request_release(r);
		rc = err_set(E_NOTFOUND, "request %lld has no policy recommendation (it was "
					 "imported from the historical record)",
			     (long long)id);
	}
	return rc;
}
