/*
 * request.c - intake, review, holds and the views of a request
 * (app/request.h).  Import lives in import_request.c.
 */
#include <stdlib.h>
#include <string.h>

#include "app/request.h"
#include "base/digest.h"
#include "base/err.h"
#include "base/util.h"
#include "core/workflow/intake.h"
#include "model/normalize.h"
#include "core/notice/ndo.h"
#include "core/policy/rules.h"
#include "core/present/view.h"

/* --- intake ------------------------------------------------------------- */

struct intake_job {
	struct request *r;
	const struct ruleset *rules;
	const struct app_upload *docs;
	size_t n_docs;
	app_body_fn after;        /* more of the same unit of work, or NULL */
	void *after_ctx;
};

/* The uploaded documents, stored with the request they came with and
 * logged by hash (never their bytes). */
static int documents_body(struct session *s, const struct intake_job *j)
{
	int rc;
	for (size_t i = 0; i < j->n_docs; i++) {
		const struct app_upload *u = &j->docs[i];
		struct document_row d = {.request_id = j->r->id, .name = u->name,
					 .sha256 = u->sha256, .media_type = u->media_type,
					 .size = u->len, .content = u->data,
					 .added_at = s->now, .added_by = s->user};
		int64_t id;
		if ((rc = store_document_add(s->st, &d, &id)) < 0 ||
		    (rc = app_log(s, "request.document",
				  json_pack("{s:I, s:s, s:s, s:I}", "request",
					    (json_int_t)j->r->id, "name", u->name, "sha256",
					    u->sha256, "size", (json_int_t)u->len),
				  NULL)) < 0)
			return rc;
	}
	return 0;
}

static int intake_body(struct session *s, void *ctx)
{
	struct intake_job *j = ctx;
	struct actor who = session_actor(s);
	j->r->id = 0;
	int rc = intake_add(s->st, j->rules, &who, j->r, NULL);
	if (rc == 0)
		rc = documents_body(s, j);
	return rc < 0 || !j->after ? rc : j->after(s, j->after_ctx);
}

/* Every upload is one of r's documents by hash, and each only once. */
static int uploads_match(const struct request *r, struct app_upload *docs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		digest_hex(docs[i].data, docs[i].len, docs[i].sha256);
		size_t k;
		for (k = 0; k < r->n_documents; k++)
			if (strcmp(r->documents[k].sha256, docs[i].sha256) == 0)
				break;
		if (k == r->n_documents)
			return err_set(E_INVALID, "field 'documents': the upload '%.64s' (sha256 "
						  "%s) is not among the request's documents",
				       docs[i].name, docs[i].sha256);
		for (k = 0; k < i; k++)
			if (strcmp(docs[k].sha256, docs[i].sha256) == 0)
				return err_set(E_INVALID, "field 'documents': '%.64s' is uploaded "
							  "twice",
					       docs[i].name);
	}
	return 0;
}

int app_request_add(struct session *s, const char *name, const char *doc, size_t len,
		    int64_t *id)
{
	return app_request_add_docs(s, name, doc, len, NULL, 0, id);
}

int app_request_add_docs(struct session *s, const char *name, const char *doc, size_t len,
			 struct app_upload *docs, size_t n_docs, int64_t *id)
{
	struct request r = {0};
	int rc;
	if ((rc = session_require(s, ROLE_BIT(ROLE_INTAKE), "add requests")) < 0)
		return rc;
	if ((rc = request_parse(doc, len, REQUEST_NEW, s->now, &r)) < 0) {
		if (name)
			err_prefix("%s", name);
		return rc;
	}
	rc = app_request_intake(s, &r, docs, n_docs, NULL, NULL);
	if (rc == 0)
		*id = r.id;
	request_release(&r);
	return rc;
}

int app_request_intake(struct session *s, struct request *r, struct app_upload *docs,
		       size_t n_docs, app_body_fn after, void *after_ctx)
{
	struct ruleset *rules = NULL;
	int rc;
	struct intake_job j = {r, NULL, docs, n_docs, after, after_ctx};
	if ((rc = uploads_match(r, docs, n_docs)) < 0)
		return rc;
	if ((rc = app_rules(s, &rules)) == 0) {
		j.rules = rules;
		rc = app_unit(s, intake_body, &j);
	}
	rules_free(rules);
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
	RV_INVESTIGATION_CLOSED,
	RV_VOID,
	RV_AMEND,
};

/* One review step's arguments; each step uses the ones it needs. */
struct review_job {
	enum review_step step;
	int64_t id;
	const struct decision *d;
	const struct verify_input *v;
	const struct ruleset *rules;
	json_t *d_json;
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
	case RV_VOID:
		return review_void(s->st, &by, j->id, j->reason);
	case RV_AMEND: {
		/* the body may run again (E_CONFLICT): start from a copy */
		struct request r = {0};
		int rc = request_from_json(j->d_json, REQUEST_NEW, j->follow_up, &r);
		if (rc == 0)
			rc = intake_amend(s->st, j->rules, &by, j->id, &r, j->reason);
		request_release(&r);
		return rc;
	}
	case RV_INVESTIGATION_CLOSED:
		return ndo_investigation_closed(s->st, &by, j->id, j->follow_up, j->reason);
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

int app_request_investigation_closed(struct session *s, int64_t id, int64_t closed_at,
				     const char *reason)
{
	struct review_job j = {.step = RV_INVESTIGATION_CLOSED, .id = id,
			       .follow_up = closed_at, .reason = reason};
	return review(s, &j);
}

int app_request_deadlines(struct session *s, int64_t id, json_t **out)
{
	*out = view_deadlines(s->st, id);
	return *out ? 0 : (err_last() ? -(int)err_last() : -E_INTERNAL);
}

int app_request_void(struct session *s, int64_t id, const char *reason)
{
	struct review_job j = {.step = RV_VOID, .id = id, .reason = reason};
	return review(s, &j);
}

int app_request_amend(struct session *s, int64_t id, const char *name, const char *doc,
		      size_t len, const char *reason)
{
	struct request old = {0}, probe = {0};
	struct ruleset *rules = NULL;
	json_t *d = NULL;
	int rc;
	if ((rc = session_require(s, ROLE_BIT(ROLE_INTAKE), "amend requests")) < 0 ||
	    (rc = store_request_get(s->st, id, &old, NULL)) < 0)
		return rc;
	/* the new document, checked as request add checks it; received_at
	 * defaults to the one on record */
	if ((rc = request_parse(doc, len, REQUEST_NEW, old.received_at.t, &probe)) < 0) {
		if (name)
			err_prefix("%s", name);
		goto out;
	}
	if (!(d = request_to_json(&probe))) {
		rc = err_set(E_INTERNAL, "cannot serialise the amended request");
		goto out;
	}
	if ((rc = app_rules(s, &rules)) == 0) {
		struct review_job j = {.step = RV_AMEND, .id = id, .reason = reason,
				       .rules = rules, .d_json = d,
				       .follow_up = old.received_at.t};
		rc = review(s, &j);
	}
out:
	json_decref(d);
	rules_free(rules);
	request_release(&probe);
	request_release(&old);
	return rc;
}

int app_request_find(struct session *s, const char *ref_or_id, int64_t *id)
{
	char *end;
	long long n;
	if (*ref_or_id >= '1' && *ref_or_id <= '9') {
		n = strtoll(ref_or_id, &end, 10);
		if (!*end && n > 0) {
			*id = n;
			return 0;
		}
	}
	return store_request_find_any_ref(s->st, ref_or_id, id);
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
	int64_t until;
	return app_request_json_until(s, id, out, &until);
}

int app_request_json_until(struct session *s, int64_t id, json_t **out, int64_t *until)
{
	struct request r = {0};
	char *policy = NULL;
	*out = NULL;
	*until = INT64_MAX;
	/* one read transaction for the dozen reads of the view: one
	 * consistent snapshot, and one lock instead of one per statement */
	int rc = store_snapshot_begin(s->st);
	if (rc < 0)
		return rc;
	rc = store_request_get(s->st, id, &r, &policy);
	if (rc == 0) {
		*out = view_request_until(s->st, &r, policy, s->now, until);
		if (!*out)
			rc = err_last() ? -(int)err_last() : -E_INTERNAL;
	}
	store_snapshot_end(s->st);
	free(policy);
	request_release(&r);
	return rc;
}

/* --q: an account identifier may be given in any spelling (SPEC §3). */
static void search_forms(const struct request_filter *f, struct request_filter *g,
			 char norm[NORMALIZE_MAX])
{
	*g = *f;
	if (!f->q)
		return;
	if (normalize_phone(f->q, norm, NORMALIZE_MAX) == 0 ||
	    normalize_ip(f->q, norm, NORMALIZE_MAX) == 0 ||
	    normalize_email(f->q, norm, NORMALIZE_MAX) == 0)
		g->q_exact = norm;
}

int app_request_each(struct session *s, const struct request_filter *f_in,
		     store_request_cb cb, void *ctx)
{
	struct request_filter f;
	char norm[NORMALIZE_MAX];
	search_forms(f_in, &f, norm);
	return store_request_each(s->st, &f, cb, ctx);
}

int app_request_overdue(const struct session *s, const struct request *r)
{
	return r->next_deadline && r->next_deadline < s->now;
}

struct list_json {
	struct session *s;
	json_t *arr;
};

json_t *app_request_list_row(struct session *s, const struct request *r)
{
	json_t *v = view_request(s->st, r, NULL, 0, s->now);
	if (!v)
		return NULL;
	json_object_del(v, "policy");
	json_object_set_new(v, "overdue", json_boolean(app_request_overdue(s, r)));
	if (r->next_deadline) {
		char at[TS_BUFSZ];
		time_format(r->next_deadline, at);
		json_object_set_new(v, "next_deadline", json_string(at));
	} else {
		json_object_set_new(v, "next_deadline", json_null());
	}
	json_object_set_new(v, "recommendation",
			    r->recommendation ? json_string(r->recommendation) : json_null());
	json_object_set_new(v, "void", json_boolean(r->voided_at != 0));
	return v;
}

static int list_json_row(void *ctx, const struct request *r)
{
	struct list_json *l = ctx;
	json_t *v = app_request_list_row(l->s, r);
	if (!v)
		return -E_INTERNAL;
	json_array_append_new(l->arr, v);
	return 0;
}

int app_request_list_json(struct session *s, const struct request_filter *f_in,
			  json_t **out)
{
	struct request_filter fs, *f = &fs;
	char norm[NORMALIZE_MAX];
	search_forms(f_in, &fs, norm);
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

/* --- documents ------------------------------------------------------------- */

struct doc_find {
	const char *sha256;
	struct app_document *out;
	int found;
};

static int doc_row(void *ctx, const struct document_row *d)
{
	struct doc_find *f = ctx;
	if (f->sha256) {
		if (strcmp(d->sha256, f->sha256) != 0)
			return 0;
		f->out->name = xstrdup(d->name);
		f->out->media_type = xstrdup(d->media_type);
		f->out->len = d->size;
		f->out->data = xmalloc(d->size ? d->size : 1);
		memcpy(f->out->data, d->content, d->size);
		memcpy(f->out->sha256, d->sha256, 65);
		f->found = 1;
		return 1;
	}
	return 0;
}

int app_document_get(struct session *s, int64_t request_id, const char *sha256,
		     struct app_document *out)
{
	struct request r;
	int has = 0, rc;
	memset(out, 0, sizeof(*out));
	if ((rc = session_require(s, 0, "read documents")) < 0 ||
	    (rc = app_request_get(s, request_id, &r, NULL, &has)) < 0)
		return rc;
	size_t k;
	for (k = 0; k < r.n_documents; k++)
		if (strcmp(r.documents[k].sha256, sha256) == 0)
			break;
	int listed = k < r.n_documents;
	request_release(&r);
	if (!listed)
		return err_set(E_NOTFOUND, "request %lld names no document with that hash",
			       (long long)request_id);
	struct doc_find f = {sha256, out, 0};
	if ((rc = store_document_each(s->st, request_id, 1, doc_row, &f)) < 0)
		return rc;
	if (!f.found)
		return err_set(E_NOTFOUND, "the document was not uploaded (it came another way)");
	char check[65];
	digest_hex(out->data, out->len, check);
	if (strcmp(check, sha256) != 0) {
		app_document_release(out);
		return err_set(E_INTERNAL, "stored document of request %lld does not match its "
					   "sha256",
			       (long long)request_id);
	}
	return 0;
}

void app_document_release(struct app_document *d)
{
	free(d->name);
	free(d->media_type);
	free(d->data);
	memset(d, 0, sizeof(*d));
}

struct doc_list {
	json_t *arr;
};

static int doc_list_row(void *ctx, const struct document_row *d)
{
	json_array_append_new(((struct doc_list *)ctx)->arr,
			      json_pack("{s:s, s:s, s:s, s:I}", "name", d->name, "sha256",
					d->sha256, "media_type", d->media_type, "size",
					(json_int_t)d->size));
	return 0;
}

int app_document_list_json(struct session *s, int64_t request_id, json_t **out)
{
	struct doc_list l = {json_array()};
	int rc = store_document_each(s->st, request_id, 0, doc_list_row, &l);
	if (rc < 0) {
		json_decref(l.arr);
		l.arr = NULL;
	}
	*out = l.arr;
	return rc;
}

/* --- customers as a request page shows them ---------------------------------- */

int app_customer_json(struct session *s, const char *id, json_t **out)
{
	struct customer c;
	int rc;
	*out = NULL;
	if ((rc = session_require(s, 0, "read customers")) < 0 ||
	    (rc = store_customer_get(s->st, id, &c)) < 0)
		return rc;
	*out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:b, s:b}", "id", c.id, "name",
			 c.name, "type", customer_type_str(c.type), "country", c.country,
			 "data_location", c.data_location, "us_person", c.us_person,
			 "key_custody", key_custody_str(c.key_custody), "enterprise",
			 c.type == CUST_ENTERPRISE, "customer_keys",
			 c.key_custody == CUSTODY_CUSTOMER);
	customer_release(&c);
	return 0;
}
