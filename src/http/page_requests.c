/*
 * page_requests.c - the queue, the request page with the forms of the
 * steps the workflow allows this user now, and the steps themselves
 * (SPEC §13).  Each step is one app/ function call; what the page offers
 * comes from app_request_actions(), i.e. the workflow's transition table.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "app/disclose.h"
#include "app/letter.h"
#include "app/portal.h"
#include "app/queue.h"
#include "app/notice.h"
#include "app/request.h"
#include "model/enums.h"
#include "http/handlers.h"
#include "http/page.h"
#include "http/server_int.h"

#define REASON_MAX 4096

/* --- the queue ------------------------------------------------------------- */

static json_t *state_options(const char *selected)
{
	json_t *a = json_array();
	for (int s = 0; s < state__COUNT; s++)
		json_array_append_new(a, json_pack("{s:s, s:b}", "value", state_str(s), "selected",
						   selected && strcmp(selected, state_str(s)) == 0));
	return a;
}

/* Deadlines as text for people: "2026-03-02 18:00 UTC", "in 5 h 12 min". */
static void add_deadline_text(struct http_req *req, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	struct ts t;
	if (!json_is_string(v) || ts_parse(json_string_value(v), &t) < 0)
		return;
	json_object_set_new(o, "time_left", json_string(page_time_left(req, req->now, t.t)));
	json_object_set_new(o, "late", json_boolean(t.t < req->now));
}

int page_queue(struct http_req *req, struct http_res *res)
{
	int rc = 0, more = 0;
	const char *state = http_query(req, "state", &rc);
	const char *country = http_query(req, "country", &rc);
	const char *q = http_query(req, "q", &rc);
	const char *all = http_query(req, "all", &rc);
	if (rc < 0)
		return rc;
	struct request_filter f;
	request_filter_init(&f);
	if (state && *state) {
		int st = state_parse(state);
		if (st < 0)
			return err_set(E_INVALID, "field 'state': unknown state '%.32s'", state);
		f.state = st;
	}
	if (country && *country) {
		if (strlen(country) != 2)
			return err_set(E_INVALID, "field 'country': two letters (ISO 3166-1)");
		char *cc = pool_strdup(req->pool, country);
		for (char *c = cc; *c; c++)
			*c = (char)((*c >= 'a' && *c <= 'z') ? *c - 32 : *c);
		f.country = cc;
	}
	if (q && strlen(q) > 256)
		return err_set(E_INVALID, "field 'q': longer than 256 characters");
	int with_finished = (all && *all) || (q && *q) || f.state >= 0;
	json_t *rows;
	if ((rc = app_queue_json(http_session(req), &f, q, with_finished, &rows, &more)) < 0)
		return rc;
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		add_deadline_text(req, r, "next_deadline");
		json_object_set_new(r, "rank", json_integer((json_int_t)i + 1));
	}
	json_t *d = json_pack("{s:s, s:o, s:b, s:s, s:s, s:s, s:b, s:o, s:I}", "title", "Queue",
			      "rows", rows, "more", more, "q", q ? q : "", "country",
			      country ? country : "", "state", state ? state : "", "all",
			      all && *all, "states", state_options(state), "count",
			      (json_int_t)json_array_size(rows));
	return page_render(req, res, 200, "queue", d);
}

/* --- the request page ------------------------------------------------------- */

static int has(json_t *actions, const char *event)
{
	size_t i;
	json_t *v;
	json_array_foreach(actions, i, v)
		if (strcmp(json_string_value(v), event) == 0)
			return 1;
	return 0;
}

/* The forms to show: one flag per form, from the events the workflow
 * allows this user now and, for the steps outside the transition table
 * (void, NDOs, the close of an NSL investigation, one target's decision),
 * from the request and the user's roles; the step itself checks again. */
static json_t *forms_json(json_t *actions, json_t *r, unsigned roles)
{
	json_t *decide = json_array();
	static const char *const words[] = {"approve", "narrow", "reject", "redirect",
					    "challenge"};
	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (has(actions, words[i]))
			json_array_append_new(decide, json_pack("{s:s}", "value", words[i]));
	json_t *f = json_object();
	json_object_set_new(f, "decide_any", json_boolean(json_array_size(decide) > 0));
	json_object_set_new(f, "decide", decide);
	json_object_set_new(f, "narrow", json_boolean(has(actions, "narrow")));
	json_object_set_new(f, "challenge", json_boolean(has(actions, "challenge")));
	json_object_set_new(f, "verify", json_boolean(has(actions, "verify")));
	json_object_set_new(f, "approve", json_boolean(has(actions, "sign_off") ||
						      has(actions, "sign_off_final")));
	json_object_set_new(f, "outcome", json_boolean(has(actions, "challenge_denied")));
	json_object_set_new(f, "disclose", json_boolean(has(actions, "disclose")));
	json_object_set_new(f, "close", json_boolean(has(actions, "close")));
	json_object_set_new(f, "withdraw", json_boolean(has(actions, "withdraw")));
	json_object_set_new(f, "hold_renew", json_boolean(has(actions, "hold_renew")));
	json_object_set_new(f, "hold_release", json_boolean(has(actions, "hold_release")));
	const char *state = json_string_value(json_object_get(r, "state"));
	const char *outcome = json_string_value(json_object_get(r, "outcome"));
	const char *process = json_string_value(json_object_get(r, "process"));
	int reviewer = (roles & ROLE_BIT(ROLE_REVIEWER)) != 0;
	int intake = (roles & ROLE_BIT(ROLE_INTAKE)) != 0;
	int disclosed = (state && strcmp(state, "disclosed") == 0) ||
			(outcome && (strcmp(outcome, "content") == 0 ||
				     strcmp(outcome, "noncontent_only") == 0));
	int voided = json_is_true(json_object_get(r, "void"));
	json_object_set_new(f, "void", json_boolean(reviewer && !disclosed && !voided));
	json_object_set_new(f, "investigation_closed",
			    json_boolean(reviewer && process && strcmp(process, "nsl") == 0));
	json_object_set_new(f, "ndo", json_boolean(intake && !voided));
	/* one target's decision: redirect or reject, with two targets or more */
	json_t *targets = json_array();
	size_t i;
	json_t *t;
	if (reviewer && (has(actions, "redirect") || has(actions, "reject")) &&
	    json_array_size(json_object_get(r, "targets")) > 1)
		json_array_foreach(json_object_get(r, "targets"), i, t)
			json_array_append_new(targets,
					      json_pack("{s:O?}", "value", json_object_get(t, "value")));
	json_object_set_new(f, "per_target_any", json_boolean(json_array_size(targets) > 0));
	json_object_set_new(f, "per_target", targets);
	int any = json_array_size(actions) > 0 || reviewer || intake;
	json_object_set_new(f, "any", json_boolean(any));
	return f;
}

static int request_page(struct http_req *req, struct http_res *res, int64_t id, int status,
			const char *error)
{
	struct session *s = http_session(req);
	json_t *r, *actions;
	int rc;
	if ((rc = app_request_json(s, id, &r)) < 0)
		return rc;
	if ((rc = app_request_actions(s, id, &actions)) < 0) {
		json_decref(r);
		return rc;
	}
	json_t *pol = json_object_get(r, "policy");
	json_t *dl = pol ? json_object_get(pol, "deadlines") : NULL;
	size_t i;
	json_t *v;
	json_array_foreach(dl, i, v)
		add_deadline_text(req, v, "at");
	char *extra = NULL;
	if ((rc = app_request_extraordinary(s, id, &extra)) < 0) {
		json_decref(r);
		json_decref(actions);
		return rc;
	}
	if (extra) {
		json_object_set_new(r, "extraordinary", json_string(extra));
		free(extra);
	}
	json_t *stored;
	if ((rc = app_document_list_json(s, id, &stored)) < 0) {
		json_decref(r);
		json_decref(actions);
		return rc;
	}
	json_t *docs = json_object_get(r, "documents");
	json_array_foreach(docs, i, v) {
		size_t k;
		json_t *sd;
		json_array_foreach(stored, k, sd)
			if (json_equal(json_object_get(sd, "sha256"), json_object_get(v, "sha256"))) {
				json_object_set_new(v, "stored", json_true());
				json_object_set(v, "size", json_object_get(sd, "size"));
			}
	}
	json_decref(stored);
	json_t *letters;
	if ((rc = app_letter_list_json(s, id, &letters)) < 0) {
		json_decref(r);
		json_decref(actions);
		return rc;
	}
	json_object_set_new(r, "letters", letters);
	/* targets with their customers; holds */
	json_array_foreach(json_object_get(r, "resolution"), i, v) {
		const char *cid = json_string_value(json_object_get(v, "customer"));
		json_t *c;
		if (cid && app_customer_json(s, cid, &c) == 0)
			json_object_set_new(v, "cust", c);
		err_clear();
	}
	json_t *holds;
	if ((rc = app_hold_list_json(s, id, &holds)) < 0) {
		json_decref(r);
		json_decref(actions);
		return rc;
	}
	json_array_foreach(holds, i, v)
		add_deadline_text(req, v, "expires_at");
	json_object_set_new(r, "holds", holds);
	json_t *kinds = json_array();
	if (s->roles & (ROLE_BIT(ROLE_INTAKE) | ROLE_BIT(ROLE_REVIEWER)))
		for (const char *const *k = letter_kinds; *k; k++)
			json_array_append_new(kinds, json_pack("{s:s}", "kind", *k));
	json_object_set_new(r, "letter_kinds", kinds);
	/* who sent it, and the sender's record of failed verifications */
	json_t *sender;
	if ((rc = app_request_sender_json(s, id, &sender)) < 0) {
		json_decref(r);
		json_decref(actions);
		return rc;
	}
	json_object_set_new(r, "sender", sender);
	json_t *d = json_pack("{s:s, s:o, s:o, s:o}", "title",
			      pool_printf(req->pool, "Request %s",
					  json_string_value(json_object_get(r, "ref"))),
			      "r", r, "forms", forms_json(actions, r, s->roles), "actions", actions);
	if (error)
		json_object_set_new(d, "error", json_string(error));
	return page_render(req, res, status, "request", d);
}

int page_request(struct http_req *req, struct http_res *res)
{
	int64_t id;
	int rc = http_param_id(req, "id", &id);
	return rc < 0 ? rc : request_page(req, res, id, 200, NULL);
}

/* --- the steps ---------------------------------------------------------------- */

struct step_args {
	const char *reason, *extraordinary, *court, *grounds, *callback, *person, *outcome;
	const char *decision, *target, *statute, *issued, *expires, *on;
	unsigned categories;
};

/* A date field (YYYY-MM-DD or RFC 3339) as seconds. */
static int date_value(const char *v, const char *name, int64_t *out)
{
	struct ts t;
	if (!v || ts_parse(v, &t) < 0)
		return err_set(E_INVALID, "field '%s': a date like 2026-09-01", name);
	*out = t.t;
	return 0;
}

static const char *field(struct http_req *req, const char *name, size_t max, int *rc)
{
	int bad = 0;
	const char *v = page_field(req, name, &bad);
	if (bad)
		*rc = err_set(E_INVALID, "field '%s': badly encoded", name);
	else if (v && strlen(v) > max)
		*rc = err_set(E_INVALID, "field '%s': longer than %zu bytes", name, max);
	return v && *v ? v : NULL;
}

/* The checkboxes "categories" (repeated). */
static int categories_field(struct http_req *req, unsigned *bits)
{
	const char *vals[8];
	size_t n = page_field_all(req, "categories", vals, 8);
	*bits = 0;
	for (size_t i = 0; i < n; i++) {
		int c = category_parse(vals[i]);
		if (c < 0)
			return err_set(E_INVALID, "field 'categories': unknown category");
		*bits |= CAT_BIT(c);
	}
	return 0;
}

static int need(const char *v, const char *what)
{
	if (v)
		return 0;
	int rc = err_set(E_INVALID, "field '%s': required", what);
	if (strcmp(what, "reason") == 0)
		err_set_remedy(REMEDY_REASON, 0);
	return rc;
}

static int run_step(struct http_req *req, struct session *s, int64_t id, const char *step,
		    const struct step_args *a)
{
	int rc;
	if (strcmp(step, "decide") == 0) {
		if ((rc = need(a->decision, "decision")) < 0 || (rc = need(a->reason, "reason")) < 0)
			return rc;
		if (strcmp(a->decision, "narrow") == 0 && !a->categories)
			return err_set(E_INVALID, "field 'categories': narrowing keeps at least "
						  "one category");
		if (strcmp(a->decision, "challenge") == 0 &&
		    ((rc = need(a->court, "court")) < 0 || (rc = need(a->grounds, "grounds")) < 0))
			return rc;
		struct decision d = {.name = a->decision, .reason = a->reason,
				     .categories = strcmp(a->decision, "narrow") == 0
							   ? a->categories
							   : 0,
				     .court = a->court, .grounds = a->grounds,
				     .extraordinary = a->extraordinary, .target = a->target};
		return app_request_decide(s, id, &d);
	}
	if (strcmp(step, "approve") == 0)
		return app_request_approve(s, id, a->reason, NULL);
	if (strcmp(step, "verify") == 0) {
		if ((rc = need(a->callback, "callback")) < 0 || (rc = need(a->person, "person")) < 0)
			return rc;
		struct verify_input v = {.callback = a->callback, .person = a->person,
					 .reason = a->reason, .extraordinary = a->extraordinary};
		return app_request_verify(s, id, &v);
	}
	if (strcmp(step, "outcome") == 0)
		return (rc = need(a->outcome, "outcome")) < 0
			       ? rc
			       : app_request_challenge_outcome(s, id, a->outcome, a->reason);
	if (strcmp(step, "close") == 0)
		return app_request_close(s, id, OUT_NONE, a->reason);
	if (strcmp(step, "withdraw") == 0)
		return (rc = need(a->reason, "reason")) < 0 ? rc
							    : app_request_withdraw(s, id, a->reason);
	if (strcmp(step, "hold_renew") == 0)
		return app_hold_renew(s, id, a->reason);
	if (strcmp(step, "hold_release") == 0)
		return app_hold_release(s, id, a->reason);
	if (strcmp(step, "void") == 0)
		return (rc = need(a->reason, "reason")) < 0 ? rc
							    : app_request_void(s, id, a->reason);
	if (strcmp(step, "investigation_closed") == 0) {
		int64_t on = 0;
		if ((rc = date_value(a->on, "on", &on)) < 0)
			return rc;
		return app_request_investigation_closed(s, id, on, a->reason);
	}
	if (strcmp(step, "ndo_add") == 0) {
		struct ndo nd;
		memset(&nd, 0, sizeof(nd));
		if ((rc = need(a->statute, "statute")) < 0 ||
		    (rc = date_value(a->issued, "issued", &nd.issued_at.t)) < 0)
			return rc;
		if (a->expires) {
			if ((rc = date_value(a->expires, "expires", &nd.expires_at.t)) < 0)
				return rc;
			nd.has_expiry = 1;
		}
		nd.statute = (char *)a->statute;
		return app_ndo_add(s, id, &nd);
	}
	if (strcmp(step, "ndo_extend") == 0) {
		int64_t until = 0;
		return (rc = date_value(a->expires, "expires", &until)) < 0
			       ? rc
			       : app_ndo_extend(s, id, until);
	}
	if (strcmp(step, "ndo_lift") == 0)
		return app_ndo_lift(s, id, a->reason);
	if (strcmp(step, "disclose") == 0) {
		const char *out = http_package_file(req, id, &rc);
		if (!out)
			return rc;
		struct disclosure d;
		memset(&d, 0, sizeof(d));
		rc = app_disclose(s, id, out, a->reason, NULL, &d);
		disclose_release(&d);
		return rc;
	}
	return err_set(E_NOTFOUND, "no such step '%.32s'", step);
}

int page_request_action(struct http_req *req, struct http_res *res)
{
	int64_t id;
	int rc = 0;
	const char *step = http_param(req, "step");
	if ((rc = http_param_id(req, "id", &id)) < 0)
		return rc;
	struct step_args a = {0};
	a.reason = field(req, "reason", REASON_MAX, &rc);
	a.extraordinary = field(req, "extraordinary", REASON_MAX, &rc);
	a.court = field(req, "court", 512, &rc);
	a.grounds = field(req, "grounds", REASON_MAX, &rc);
	a.callback = field(req, "callback", 64, &rc);
	a.person = field(req, "person", 256, &rc);
	a.outcome = field(req, "outcome", 32, &rc);
	a.decision = field(req, "decision", 32, &rc);
	a.target = field(req, "target", 512, &rc);
	a.statute = field(req, "statute", 256, &rc);
	a.issued = field(req, "issued", 32, &rc);
	a.expires = field(req, "expires", 32, &rc);
	a.on = field(req, "on", 32, &rc);
	if (rc == 0)
		rc = categories_field(req, &a.categories);
	if (rc == 0)
		rc = run_step(req, http_session(req), id, step, &a);
	if (rc < 0) {
		enum err_code code = err_from_rc(rc);
		int status = err_http_status(code);
		if (status >= 500 || code == E_NOTFOUND)
			return rc;
		const char *msg = page_take_error(req);
		return request_page(req, res, id, status, msg);
	}
	return page_redirect(req, res, pool_printf(req->pool, "/requests/%lld", (long long)id));
}

/* --- documents ------------------------------------------------------------------ */

/* A stored document, its hash checked as it is read.  Always an attachment
 * of type application/octet-stream under a sandboxing CSP: an uploaded file
 * is never rendered by the browser as one of our pages. */
int page_document(struct http_req *req, struct http_res *res)
{
	int64_t id;
	const char *sha = http_param(req, "sha256");
	int rc = http_param_id(req, "id", &id);
	if (rc < 0)
		return rc;
	if (!sha || strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64)
		return err_set(E_NOTFOUND, "no such document");
	struct app_document doc;
	if ((rc = app_document_get(http_session(req), id, sha, &doc)) < 0)
		return rc;
	char *safe = pool_strdup(req->pool, doc.name);
	for (char *c = safe; *c; c++)
		if (*c == '"' || *c == '\\' || (unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '_';
	http_res_header(req, res, "Content-Disposition",
			pool_printf(req->pool, "attachment; filename=\"%s\"", safe));
	http_res_header(req, res, "Content-Security-Policy", "sandbox; default-src 'none'");
	http_res_header(req, res, "Digest", pool_printf(req->pool, "sha-256-hex=%s", doc.sha256));
	rc = http_reply(req, res, 200, "application/octet-stream", doc.data, doc.len);
	app_document_release(&doc);
	return rc;
}

/* --- letters to the agency ------------------------------------------------------ */

static int letter_form(struct http_req *req, struct http_res *res, int status, int64_t id,
		       const char *kind, const char *to, const char *text, const char *field,
		       const char *error)
{
	json_t *r;
	int rc = app_request_json(http_session(req), id, &r);
	if (rc < 0)
		return rc;
	json_t *d = json_pack("{s:s, s:o, s:s, s:s, s:s}", "title",
			      pool_printf(req->pool, "Letter: %s", kind), "r", r, "kind", kind,
			      "to", to ? to : "", "text", text ? text : "");
	if (error) {
		json_object_set_new(d, "error", json_string(error));
		json_object_set_new(d, "err", json_pack("{s:s}", field ? field : "text", error));
	}
	return page_render(req, res, status, "letter", d);
}

int page_letter_new(struct http_req *req, struct http_res *res)
{
	int64_t id;
	int rc = http_param_id(req, "id", &id);
	const char *kind = http_query(req, "kind", &rc);
	if (rc < 0)
		return rc;
	if (!letter_kind_ok(kind))
		return err_set(E_NOTFOUND, "no such letter");
	char *text = NULL;
	if ((rc = app_letter_draft(http_session(req), id, kind, &text)) < 0)
		return rc;
	pool_defer(req->pool, free, text);
	struct request r;
	int has = 0;
	const char *to = NULL;
	if ((rc = app_request_get(http_session(req), id, &r, NULL, &has)) < 0)
		return rc;
	if (r.requester.email)
		to = pool_strdup(req->pool, r.requester.email);
	request_release(&r);
	return letter_form(req, res, 200, id, kind, to, text, NULL, NULL);
}

int page_letter_send(struct http_req *req, struct http_res *res)
{
	int64_t id, lid;
	int rc = 0;
	if ((rc = http_param_id(req, "id", &id)) < 0)
		return rc;
	const char *kind = field(req, "kind", 32, &rc);
	const char *to = field(req, "to", 254, &rc);
	const char *text = field(req, "text", LETTER_TEXT_MAX, &rc);
	if (rc == 0 && !letter_kind_ok(kind))
		rc = err_set(E_INVALID, "field 'kind': unknown letter");
	if (rc == 0)
		rc = app_letter_send(http_session(req), id, kind, to, text, &lid);
	if (rc < 0) {
		enum err_code code = err_from_rc(rc);
		if (code != E_INVALID && code != E_IO)
			return rc;
		const char *msg = page_take_error(req);
		const char *f = strstr(msg, "field 'to'") ? "to" : "text";
		if (code == E_IO)   /* stored, not sent: the request page shows it */
			return request_page(req, res, id, 502, msg);
		return letter_form(req, res, 422, id, letter_kind_ok(kind) ? kind : "letter", to,
				   text, f, msg);
	}
	return page_redirect(req, res, pool_printf(req->pool, "/requests/%lld", (long long)id));
}
