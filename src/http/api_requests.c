/*
 * api_requests.c - /api/v1/requests: list, intake, show, explain, the
 * review steps and disclosure (SPEC §12).
 *
 * Each handler translates JSON into the arguments of the application
 * function the matching command calls (app/request.h, app/disclose.h) on
 * the caller's session (http_session()), and answers with the stored
 * request, as `request show --json` prints it.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/keys.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "app/disclose.h"
#include "app/journal.h"
#include "app/request.h"
#include "core/policy/policy.h"
#include "http/cache.h"
#include "http/handlers.h"
#include "http/server_int.h"

#define LIST_LIMIT_DEFAULT 100
#define LIST_LIMIT_MAX 1000
#define REASON_MAX 4096

/* The stored request as `request show --json` prints it. */
static int reply_request(struct http_req *req, struct http_res *res, int status, int64_t id)
{
	json_t *v;
	int rc = app_request_json(http_session(req), id, &v);
	return rc < 0 ? rc : http_reply_json(req, res, status, v);
}

/* --- list ---------------------------------------------------------------- */

static int query_number(struct http_req *req, const char *name, int64_t *out, int *rc)
{
	const char *v = http_query(req, name, rc);
	if (*rc < 0 || !v)
		return 0;
	char *end;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (!*v || *end || errno || n < 0)
		*rc = err_set(E_USAGE, "query parameter '%s' must be a number", name);
	*out = n;
	return 1;
}

/* A date query parameter (YYYY-MM-DD or RFC 3339) into *out. */
static int query_date(struct http_req *req, const char *name, int64_t *out, int *rc)
{
	struct ts t;
	const char *v = http_query(req, name, rc);
	if (*rc < 0 || !v)
		return 0;
	if (ts_parse(v, &t) < 0)
		*rc = err_set(E_USAGE, "query parameter '%s': '%.40s' is not a date", name, v);
	else
		*out = t.t;
	return 1;
}

int api_requests_list(struct http_req *req, struct http_res *res)
{
	struct request_filter f;
	int rc = 0;
	int64_t limit = LIST_LIMIT_DEFAULT, cursor = 0;
	struct ts due;
	struct period per;
	request_filter_init(&f);
	const char *state = http_query(req, "state", &rc);
	const char *kind = http_query(req, "kind", &rc);
	const char *period = http_query(req, "period", &rc);
	const char *country = http_query(req, "country", &rc);
	const char *due_before = http_query(req, "due_before", &rc);
	const char *q = http_query(req, "q", &rc);
	query_date(req, "from", &f.received_from, &rc);
	query_date(req, "to", &f.received_to, &rc);
	query_number(req, "limit", &limit, &rc);
	query_number(req, "cursor", &cursor, &rc);
	if (rc < 0)
		return rc;
	if (state && (f.state = state_parse(state)) < 0)
		return err_set(E_USAGE, "query parameter 'state': unknown state '%.40s'", state);
	if (kind && (f.kind = kind_parse(kind)) < 0)
		return err_set(E_USAGE, "query parameter 'kind': unknown kind '%.40s'", kind);
	if (period) {
		if (period_parse(period, &per) < 0)
			return err_set(E_USAGE, "query parameter 'period': '%.16s' is not a half-year like 2026-H1",
				       period);
		f.received_from = per.start;
		f.received_to = per.end;
	}
	if (country) {
		if (!country_valid(country))
			return err_set(E_USAGE, "query parameter 'country': unknown country code '%.8s'", country);
		f.country = country;
	}
	if (due_before) {
		if (ts_parse(due_before, &due) < 0)
			return err_set(E_USAGE, "query parameter 'due_before': '%.40s' is not a date", due_before);
		f.due_before = due.t;
	}
	if (limit < 1 || limit > LIST_LIMIT_MAX)
		return err_set(E_USAGE, "query parameter 'limit' must be between 1 and %d", LIST_LIMIT_MAX);
	if (q && strlen(q) > 256)
		return err_set(E_USAGE, "query parameter 'q' is longer than 256 bytes");
	json_t *arr;
	int64_t next;
	if ((rc = app_request_page(http_session(req), &f, q, cursor, (size_t)limit, &arr,
				   &next)) < 0)
		return rc;
	json_t *j = json_pack("{s:o}", "requests", arr);
	json_object_set_new(j, "next", next ? json_sprintf("%lld", (long long)next) : json_null());
	return http_reply_json(req, res, 200, j);
}

/* --- intake -------------------------------------------------------------- */

int api_requests_add(struct http_req *req, struct http_res *res)
{
	json_t *probe;
	int64_t id;
	int rc;
	/* a body that is not JSON is 400; JSON that is not a valid request is
	 * 422 naming the field (the parser the command uses) */
	if ((rc = http_json_parse(req->body, req->body_len, &probe)) < 0)
		return rc;
	json_decref(probe);
	if ((rc = app_request_add(http_session(req), NULL, req->body, req->body_len, &id)) < 0)
		return rc;
	http_res_header(req, res, "Location",
			pool_printf(req->pool, "/api/v1/requests/%lld", (long long)id));
	return reply_request(req, res, 201, id);
}

/* The SPEC §3 document with "reason" beside its fields: the document
 * replaces the request's input (request amend), the reason goes to the
 * log.  A body that is not JSON is 400; a document that is not a valid
 * request is 422 naming the field. */
int api_request_amendment(struct http_req *req, struct http_res *res)
{
	json_t *body;
	const char *reason;
	int64_t id;
	int rc;
	if ((rc = http_param_id(req, "id", &id)) < 0 || (rc = http_body_json(req, &body)) < 0 ||
	    (rc = api_string(body, "reason", REASON_MAX, 0, &reason)) < 0)
		return rc;
	reason = reason ? pool_strdup(req->pool, reason) : NULL;
	json_object_del(body, "reason");
	char *doc = json_dumps(body, JSON_COMPACT);
	if (!doc)
		return err_set(E_INTERNAL, "cannot serialise the amended request");
	rc = app_request_amend(http_session(req), id, NULL, doc, strlen(doc), reason);
	free(doc);
	return rc < 0 ? rc : reply_request(req, res, 200, id);
}

/* --- show, explain --------------------------------------------------------- */

static void view_release(void *v)
{
	cache_view_unref(v);
}

/* The view of request id, reused from the cache (http/cache.h) while the
 * database's change marker, the caller's roles and the clock say it still
 * holds, else made (app_request_json_until()) and kept.  The marker is
 * read before the view's rows (http_change_mark(), usually already read by
 * the token check), so a kept view is never older than its marker. */
static int reply_view(struct http_req *req, struct http_res *res, int64_t id)
{
	struct http_cache *cache = req->srv ? req->srv->cache : NULL;
	const struct store_mark *mark;
	const struct cache_view *v;
	json_t *j;
	int64_t until;
	int rc;
	if (!cache)
		return reply_request(req, res, 200, id);
	if ((rc = http_change_mark(req, &mark)) < 0)
		return rc;
	v = cache_view_get(cache, id, req->who.roles, mark, req->now);
	if (!v) {
		if ((rc = app_request_json_until(http_session(req), id, &j, &until)) < 0)
			return rc;
		char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(j);
		if (!s)
			return err_set(E_INTERNAL, "cannot encode the response");
		size_t n = strlen(s);
		v = cache_view_put(cache, id, req->who.roles, mark, req->now, until, s, n);
		if (!v) {   /* not kept: too large */
			char *copy = pool_memdup(req->pool, s, n);
			free(s);
			return http_reply_static(res, 200, "application/json", copy, n);
		}
		free(s);
	}
	pool_defer(req->pool, view_release, (void *)v);
	res->view = v;
	return http_reply_static(res, 200, "application/json", v->body, v->len);
}

/* {id}: an id, or (as `request show ID|REF`) the request's reference,
 * URL-encoded; a reference several agencies share is 422. */
int api_request_show(struct http_req *req, struct http_res *res)
{
	int64_t id;
	const char *v = http_param(req, "id");
	int rc = http_param_id(req, "id", &id);
	/* not a number: a reference ("50%off" too), decoded by the router */
	if (rc < 0 && v && *v && strspn(v, "0123456789") != strlen(v))
		rc = app_request_find(http_session(req), v, &id);
	return rc < 0 ? rc : reply_view(req, res, id);
}

int api_request_explain(struct http_req *req, struct http_res *res)
{
	int64_t id;
	struct request r = {0};
	struct policy_result pol;
	int rc;
	if ((rc = http_param_id(req, "id", &id)) < 0)
		return rc;
	if ((rc = app_request_policy(http_session(req), id, &r, &pol)) < 0) {
		request_release(&r);
		return rc;
	}
	json_t *j = json_pack("{s:I, s:o}", "request", (json_int_t)id, "policy",
			      policy_to_json(&pol));
	policy_result_release(&pol);
	request_release(&r);
	return http_reply_json(req, res, 200, j);
}

/* --- the review steps -------------------------------------------------------- */

struct review_args {
	const char *action, *reason, *extraordinary, *court, *grounds;
	const char *callback, *person, *outcome, *agency, *on, *target;
	unsigned categories;
	int has_categories;
};

typedef int (*review_fn)(struct session *s, int64_t id, const struct review_args *a);

/* "categories": ["subscriber", ...] or "subscriber,content". */
static int body_categories(json_t *body, struct review_args *a)
{
	json_t *v = json_object_get(body, "categories");
	if (!v || json_is_null(v))
		return 0;
	a->has_categories = 1;
	if (json_is_string(v)) {
		if (categories_parse(json_string_value(v), &a->categories) < 0)
			return err_set(E_INVALID, "field 'categories': subscriber, noncontent or "
						  "content");
		return 0;
	}
	if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 3)
		return err_set(E_INVALID, "field 'categories': a list of subscriber, noncontent, "
					  "content");
	size_t i;
	json_t *c;
	json_array_foreach(v, i, c) {
		int k = json_is_string(c) ? category_parse(json_string_value(c)) : -1;
		if (k < 0)
			return err_set(E_INVALID, "field 'categories': subscriber, noncontent or "
						  "content");
		a->categories |= 1u << k;
	}
	return 0;
}

static int review_body(struct http_req *req, struct review_args *a)
{
	static const char *const fields[] = {"action", "reason", "categories", "extraordinary",
					     "court", "grounds", "callback", "person",
					     "outcome", "agency", "on", "target", NULL};
	json_t *body;
	int rc;
	memset(a, 0, sizeof(*a));
	if (req->body_len == 0)
		return 0;
	if ((rc = http_body_json(req, &body)) < 0 || (rc = api_only_fields(body, fields)) < 0 ||
	    (rc = api_string(body, "action", 32, 0, &a->action)) < 0 ||
	    (rc = api_string(body, "reason", REASON_MAX, 0, &a->reason)) < 0 ||
	    (rc = api_string(body, "extraordinary", REASON_MAX, 0, &a->extraordinary)) < 0 ||
	    (rc = api_string(body, "court", 512, 0, &a->court)) < 0 ||
	    (rc = api_string(body, "grounds", REASON_MAX, 0, &a->grounds)) < 0 ||
	    (rc = api_string(body, "callback", 64, 0, &a->callback)) < 0 ||
	    (rc = api_string(body, "person", 256, 0, &a->person)) < 0 ||
	    (rc = api_string(body, "outcome", 32, 0, &a->outcome)) < 0 ||
	    (rc = api_string(body, "agency", 64, 0, &a->agency)) < 0 ||
	    (rc = api_string(body, "on", 40, 0, &a->on)) < 0 ||
	    (rc = api_string(body, "target", 512, 0, &a->target)) < 0)
		return rc;
	return body_categories(body, a);
}

static int need(const char *v, const char *field)
{
	return v && *v ? 0 : err_set(E_INVALID, "field '%s': required", field);
}

/* Parse {id} and the body, run the step, answer with the stored request. */
static int run_review(struct http_req *req, struct http_res *res, review_fn fn)
{
	int64_t id;
	struct review_args a;
	int rc;
	if ((rc = http_param_id(req, "id", &id)) < 0 || (rc = review_body(req, &a)) < 0)
		return rc;
	if ((rc = fn(http_session(req), id, &a)) < 0)
		return rc;
	return reply_request(req, res, 200, id);
}

static const char *const decide_words[] = {"reject", "narrow", "redirect", "challenge",
					   "approve"};

static int do_decide(struct session *s, int64_t id, const struct review_args *a)
{
	int rc;
	size_t i;
	if ((rc = need(a->action, "action")) < 0 || (rc = need(a->reason, "reason")) < 0)
		return rc;
	for (i = 0; i < ARRAY_SIZE(decide_words); i++)
		if (strcmp(a->action, decide_words[i]) == 0)
			break;
	if (i == ARRAY_SIZE(decide_words))
		return err_set(E_INVALID, "field 'action': unknown decision '%.32s' (reject, "
					  "narrow, redirect, challenge, approve)",
			       a->action);
	if (strcmp(a->action, "narrow") == 0 && !a->has_categories)
		return err_set(E_INVALID, "field 'categories': narrow needs the categories kept");
	if (strcmp(a->action, "narrow") != 0 && a->has_categories)
		return err_set(E_INVALID, "field 'categories': goes with narrow only");
	if (strcmp(a->action, "challenge") == 0 &&
	    ((rc = need(a->court, "court")) < 0 || (rc = need(a->grounds, "grounds")) < 0))
		return rc;
	struct decision d = {.name = a->action, .reason = a->reason,
			     .categories = a->categories, .court = a->court,
			     .grounds = a->grounds, .extraordinary = a->extraordinary,
			     .target = a->target};
	return app_request_decide(s, id, &d);
}

static int do_approve(struct session *s, int64_t id, const struct review_args *a)
{
	return app_request_approve(s, id, a->reason, NULL);
}

static int do_verify(struct session *s, int64_t id, const struct review_args *a)
{
	int rc;
	if ((rc = need(a->callback, "callback")) < 0 || (rc = need(a->person, "person")) < 0)
		return rc;
	struct verify_input v = {.callback = a->callback, .person = a->person,
				 .reason = a->reason, .extraordinary = a->extraordinary};
	return app_request_verify(s, id, &v);
}

static int do_close(struct session *s, int64_t id, const struct review_args *a)
{
	int out = OUT_NONE;
	if (a->outcome && (out = outcome_parse(a->outcome)) <= 0)
		return err_set(E_INVALID, "field 'outcome': unknown outcome '%.32s' (content, "
					  "noncontent_only, no_data, rejected, redirected, "
					  "withdrawn)",
			       a->outcome);
	return app_request_close(s, id, (enum outcome)out, a->reason);
}

static int do_withdraw(struct session *s, int64_t id, const struct review_args *a)
{
	return app_request_withdraw(s, id, a->reason);
}

static int do_challenge(struct session *s, int64_t id, const struct review_args *a)
{
	int rc;
	if ((rc = need(a->court, "court")) < 0 || (rc = need(a->grounds, "grounds")) < 0 ||
	    (rc = need(a->reason, "reason")) < 0)
		return rc;
	return app_request_challenge(s, id, a->court, a->grounds, a->reason);
}

static int do_challenge_outcome(struct session *s, int64_t id, const struct review_args *a)
{
	int rc = need(a->outcome, "outcome");
	return rc < 0 ? rc : app_request_challenge_outcome(s, id, a->outcome, a->reason);
}

static int do_void(struct session *s, int64_t id, const struct review_args *a)
{
	int rc = need(a->reason, "reason");
	return rc < 0 ? rc : app_request_void(s, id, a->reason);
}

/* "on": the day the agency says the investigation closed (default: now). */
static int do_investigation_closed(struct session *s, int64_t id, const struct review_args *a)
{
	struct ts on = {.t = s->now};
	if (a->on && ts_parse(a->on, &on) < 0)
		return err_set(E_INVALID, "field 'on': '%.40s' is not a date (YYYY-MM-DD or "
					  "RFC 3339)",
			       a->on);
	return app_request_investigation_closed(s, id, on.t, a->reason);
}

static int do_reassess(struct session *s, int64_t id, const struct review_args *a)
{
	return app_request_reassess(s, id, a->agency, a->reason);
}

int api_request_reassessment(struct http_req *req, struct http_res *res)
{
	return run_review(req, res, do_reassess);
}

int api_request_void(struct http_req *req, struct http_res *res)
{
	return run_review(req, res, do_void);
}

int api_request_investigation_closed(struct http_req *req, struct http_res *res)
{
	return run_review(req, res, do_investigation_closed);
}

int api_request_decision(struct http_req *req, struct http_res *res)
{
	return run_review(req, res, do_decide);
}

int api_request_approval(struct http_req *req, struct http_res *res)
{
	return run_review(req, res, do_approve);
}

int api_request_verification(struct http_req *req, struct http_res *res)
{
	return run_review(req, res, do_verify);
}

int api_request_closure(struct http_req *req, struct http_res *res)
{
	return run_review(req, res, do_close);
}

int api_request_withdrawal(struct http_req *req, struct http_res *res)
{
	return run_review(req, res, do_withdraw);
}

int api_request_challenge(struct http_req *req, struct http_res *res)
{
	return run_review(req, res, do_challenge);
}

int api_request_challenge_outcome(struct http_req *req, struct http_res *res)
{
	return run_review(req, res, do_challenge_outcome);
}

/* --- disclosure ------------------------------------------------------------ */

const char *http_package_dir(struct http_req *req)
{
	char *dir = keys_beside(req->srv->db_path, ".packages");
	const char *out = pool_strdup(req->pool, dir);
	free(dir);
	return out;
}

const char *http_package_file(struct http_req *req, int64_t id, int *rc)
{
	const char *dir = http_package_dir(req);
	*rc = 0;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		*rc = err_set(E_IO, "cannot make the package directory: %s", strerror(errno));
		return NULL;
	}
	return pool_printf(req->pool, "%s/request-%lld.tar.gz", dir, (long long)id);
}

int api_request_disclose(struct http_req *req, struct http_res *res)
{
	int64_t id;
	struct review_args a;
	int rc;
	if ((rc = http_param_id(req, "id", &id)) < 0 || (rc = review_body(req, &a)) < 0)
		return rc;
	const char *out = http_package_file(req, id, &rc);
	if (!out)
		return rc;
	struct disclosure d;
	memset(&d, 0, sizeof(d));
	if ((rc = app_disclose(http_session(req), id, out, a.reason, NULL, &d)) < 0) {
		disclose_release(&d);
		return rc;
	}
	json_t *j = json_pack("{s:s, s:I, s:I, s:I, s:I, s:s}", "sha256", d.sha256, "size",
			      (json_int_t)d.size, "entry", (json_int_t)d.entry_index, "items",
			      (json_int_t)d.items, "tree_size", (json_int_t)d.tree_size,
			      "outcome", outcome_str(d.outcome));
	disclose_release(&d);
	http_res_header(req, res, "Location",
			pool_printf(req->pool, "/api/v1/requests/%lld/disclosure", (long long)id));
	return http_reply_json(req, res, 201, j);
}

int api_request_package(struct http_req *req, struct http_res *res)
{
	int64_t id;
	struct package_ref p;
	int fd, rc;
	if ((rc = http_param_id(req, "id", &id)) < 0 ||
	    (rc = app_package_fetch(http_session(req), id, http_package_dir(req), &p, &fd)) < 0)
		return rc;
	http_res_header(req, res, "Content-Disposition",
			pool_printf(req->pool, "attachment; filename=\"%s\"", p.file_name));
	http_res_header(req, res, "Digest", pool_printf(req->pool, "sha-256-hex=%s", p.sha256));
	return http_reply_file(res, 200, "application/gzip", fd, p.size);
}
