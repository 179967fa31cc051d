/*
 * page_portal.c - the portals' pages (SPEC §14, §15; docs/portals.md):
 * the customer's sign-in by link and the requests about its accounts,
 * the officer's registration link, and the staff's page of officers,
 * registration attempts and suspensions.  Plain forms, no JavaScript.
 */
#include <string.h>

#include <sodium.h>

#include "app/portal.h"
#include "base/err.h"
#include "base/util.h"
#include "http/handlers.h"
#include "http/page.h"
#include "http/server_int.h"
#include "log/signer.h"

static int page_signed_in(struct http_req *req, struct http_res *res);

/* A page of my_signin.html with mode set (ask, sent, code, enrol...). */
static int my_page(struct http_req *req, struct http_res *res, int status, json_t *d)
{
	if (!json_object_get(d, "title"))
		json_object_set_new(d, "title", json_string("Customer portal"));
	return page_render(req, res, status, "my_signin", d);
}

/* An expected failure (a bad link or code) shown on the page, else the
 * error page. */
static int my_fail(struct http_req *req, struct http_res *res, int rc, json_t *d)
{
	enum err_code c = err_from_rc(rc);
	if (c != E_UNAUTHENTICATED && c != E_INVALID && c != E_REFUSED) {
		json_decref(d);
		return rc;
	}
	json_object_set_new(d, "error", json_string(page_take_error(req)));
	return my_page(req, res, err_http_status(c), d);
}

int page_my_signin_get(struct http_req *req, struct http_res *res)
{
	int rc = 0, enterprise, enrolled;
	const char *token = http_query(req, "token", &rc);
	if (rc < 0)
		return rc;
	if (!token || !*token)
		return my_page(req, res, 200, json_pack("{s:b}", "ask", 1));
	if ((rc = http_my_limited(req, res)) < 0)
		return rc;
	rc = app_my_link_check(http_session(req), token, &enterprise, &enrolled);
	if (rc < 0)
		return my_fail(req, res, http_my_token_failed(req, rc),
			       json_pack("{s:b}", "ask", 1));
	if (enterprise)
		return my_page(req, res, 200,
			       json_pack("{s:s, s:b, s:b}", "token", token,
					 enrolled ? "code" : "enrol", 1, "enterprise",
					 1));
	if ((rc = http_my_signin(req, res, token, NULL)) < 0)
		return my_fail(req, res, rc, json_pack("{s:b}", "ask", 1));
	/* the cookie is SameSite=Strict: a link from a mail is a cross-site
	 * visit, so the next page is reached from this one */
	return page_signed_in(req, res);
}

int page_my_signin_post(struct http_req *req, struct http_res *res)
{
	int bad = 0, rc;
	const char *token = page_field(req, "token", &bad);
	const char *totp = page_field(req, "totp", &bad);
	if ((rc = http_my_signin(req, res, token, totp)) < 0)
		return my_fail(
		    req, res, rc,
		    json_pack("{s:s, s:b}", "token", token ? token : "", "code", 1));
	return page_signed_in(req, res);
}

int page_my_enrol(struct http_req *req, struct http_res *res)
{
	int bad = 0, rc;
	char *uri = NULL;
	const char *token = page_field(req, "token", &bad);
	if ((rc = http_my_limited(req, res)) < 0)
		return rc;
	if ((rc = app_my_enrol(http_session(req), token ? token : "", &uri)) < 0)
		return my_fail(req, res, http_my_token_failed(req, rc),
			       json_pack("{s:b}", "ask", 1));
	json_t *d = json_pack("{s:s, s:s, s:b}", "token", token, "uri", uri, "code", 1);
	sodium_memzero(uri, strlen(uri));
	free(uri);
	return my_page(req, res, 200, d);
}

int page_my_link(struct http_req *req, struct http_res *res)
{
	int bad = 0;
	const char *email = page_field(req, "email", &bad);
	json_t *body = json_pack("{s:s}", "email", email ? email : "");
	char *text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	/* the API's handler, with its limit, answering as a page */
	req->body = pool_strdup(req->pool, text);
	req->body_len = strlen(text);
	free(text);
	struct http_res api = {.fd = -1};
	int rc = api_my_link(req, &api);
	for (size_t i = 0; i < api.n_headers; i++)
		http_res_header(req, res, api.headers[i].name, api.headers[i].value);
	if (rc < 0)
		return my_fail(req, res, rc, json_pack("{s:b}", "ask", 1));
	return my_page(req, res, 200, json_pack("{s:b}", "sent", 1));
}

/* After http_my_signin() set the cookie. */
static int page_signed_in(struct http_req *req, struct http_res *res)
{
	return my_page(req, res, 200, json_pack("{s:b}", "signed_in", 1));
}

int page_my_home(struct http_req *req, struct http_res *res)
{
	json_t *j;
	int rc = app_my_requests_json(http_session(req), &j);
	if (rc < 0)
		return rc;
	json_object_set_new(
	    j, "any", json_boolean(json_array_size(json_object_get(j, "requests"))));
	json_object_set_new(j, "title", json_string("Your requests"));
	return page_render(req, res, 200, "my_requests", j);
}

int page_my_request(struct http_req *req, struct http_res *res)
{
	int64_t id;
	json_t *j;
	int rc;
	if ((rc = http_param_id(req, "id", &id)) < 0 ||
	    (rc = app_my_request_json(http_session(req), id, 0, &j)) < 0)
		return rc;
	json_t *cats = json_array(), *v;
	const char *k;
	json_object_foreach(json_object_get(j, "categories"), k, v)
	{
		json_t *o = json_pack("{s:s, s:O}", "name", k, "done",
				      json_object_get(v, "done"));
		if (json_object_get(v, "items"))
			json_object_set(o, "items", json_object_get(v, "items"));
		json_array_append_new(cats, o);
	}
	json_object_set_new(j, "cats", cats);
	json_object_set_new(j, "title", json_string("A request about your accounts"));
	/* for the proof's check in the page (static/proof.js) */
	json_object_set_new(j, "vkey",
			    json_string(signer_verifier_key(req->srv->signer)));
	rc = page_render_csp(req, res, 200, "my_request", j, PAGE_CSP_SCRIPT);
	if (rc < 0)
		return rc;
	/* Templates may hold no script at all (core/present/tmpl.c); this one
	 * constant tag for the page's own proof check is added here, before
	 * </body>. */
	static const char tag[] = "<script src=\"/static/proof.js\"></script>\n";
	const char *body = res->body;
	const char *end = body ? strstr(body, "</body>") : NULL;
	if (!end)
		return 0;
	size_t head = (size_t)(end - body), n = res->len + sizeof(tag) - 1;
	char *out = pool_alloc(req->pool, n + 1);
	memcpy(out, body, head);
	memcpy(out + head, tag, sizeof(tag) - 1);
	memcpy(out + head + sizeof(tag) - 1, end, res->len - head);
	out[n] = '\0';
	res->body = out;
	res->len = n;
	return 0;
}

/* --- the officer's registration link -------------------------------------------------
 */

int page_agency_register_get(struct http_req *req, struct http_res *res)
{
	int rc = 0;
	const char *token = http_query(req, "token", &rc);
	if (rc < 0)
		return rc;
	return page_render(req, res, 200, "agency_register",
			   json_pack("{s:s, s:s, s:b}", "title", "Register as an officer",
				     "token", token ? token : "", "form", 1));
}

int page_agency_register_post(struct http_req *req, struct http_res *res)
{
	int bad = 0, rc;
	char *uri = NULL;
	const char *token = page_field(req, "token", &bad);
	const char *name = page_field(req, "name", &bad);
	const char *password = page_field(req, "password", &bad);
	if ((rc = http_my_limited(req, res)) < 0)
		return rc;
	rc = app_agency_register_finish(http_session(req), token ? token : "", name,
					password, &uri);
	if (rc < 0) {
		rc = http_my_token_failed(req, rc);
		enum err_code c = err_from_rc(rc);
		if (c != E_UNAUTHENTICATED && c != E_INVALID && c != E_REFUSED)
			return rc;
		json_t *d = json_pack(
		    "{s:s, s:s, s:s, s:b}", "title", "Register as an officer", "error",
		    page_take_error(req), "token", token ? token : "", "form", c == E_INVALID);
		return page_render(req, res, err_http_status(c), "agency_register", d);
	}
	json_t *d = json_pack("{s:s, s:s}", "title", "Registered", "uri", uri);
	sodium_memzero(uri, strlen(uri));
	free(uri);
	return page_render(req, res, 201, "agency_register", d);
}

/* --- staff ----------------------------------------------------------------------------
 */

int page_portal_staff(struct http_req *req, struct http_res *res)
{
	json_t *j;
	int rc = app_portal_overview_json(http_session(req), &j);
	if (rc < 0)
		return rc;
	json_object_set_new(
	    j, "any_officers",
	    json_boolean(json_array_size(json_object_get(j, "officers"))));
	json_object_set_new(
	    j, "any_registrations",
	    json_boolean(json_array_size(json_object_get(j, "registrations"))));
	json_object_set_new(j, "title", json_string("Agency portal"));
	return page_render(req, res, 200, "portal", j);
}

int page_portal_suspend(struct http_req *req, struct http_res *res)
{
	int bad = 0, rc;
	const char *who = page_field(req, "who", &bad);
	const char *kind = page_field(req, "kind", &bad);
	const char *action = page_field(req, "action", &bad);
	const char *reason = page_field(req, "reason", &bad);
	int suspend = action && strcmp(action, "suspend") == 0;
	if (kind && strcmp(kind, "agency") == 0)
		rc = app_agency_suspend(http_session(req), who, suspend, reason);
	else
		rc = app_officer_suspend(http_session(req), who, suspend, reason);
	return rc < 0 ? rc : page_redirect(req, res, "/portal");
}

int page_verification_failure(struct http_req *req, struct http_res *res)
{
	int64_t id;
	int bad = 0, rc;
	const char *reason = page_field(req, "reason", &bad);
	if ((rc = http_param_id(req, "id", &id)) < 0 ||
	    (rc = app_verification_failure(http_session(req), id, reason)) < 0)
		return rc;
	return page_redirect(req, res,
			     pool_printf(req->pool, "/requests/%lld", (long long)id));
}

/* --- the officer's pages
 * ----------------------------------------------------------------- */

int page_agency_home(struct http_req *req, struct http_res *res)
{
	json_t *j;
	int rc = app_agency_requests_json(http_session(req), &j);
	if (rc < 0)
		return rc;
	json_object_set_new(
	    j, "any", json_boolean(json_array_size(json_object_get(j, "requests"))));
	json_object_set_new(j, "title", json_string("Your agency's requests"));
	return page_render(req, res, 200, "agency_home", j);
}

static json_t *words(const char *(*str)(int), int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_string(str(i)));
	return a;
}

static int new_form(struct http_req *req, struct http_res *res, int status, json_t *v,
		    const char *error)
{
	json_t *d =
	    json_pack("{s:s, s:o, s:o, s:o}", "title", "Submit a request", "v",
		      v ? v : json_object(), "kinds", words(kind_str, kind__COUNT),
		      "processes", words(process_str, process__COUNT));
	if (error)
		json_object_set_new(d, "error", json_string(error));
	return page_render(req, res, status, "agency_new", d);
}

int page_agency_new(struct http_req *req, struct http_res *res)
{
	return new_form(req, res, 200, NULL, NULL);
}

/* The form's fields as a SPEC §3 document (agency and requester are the
 * officer's, set by the app function). */
static json_t *form_doc(struct http_req *req, json_t *v)
{
	static const char *const names[] = {"ref",
					    "kind",
					    "process",
					    "issuer",
					    "issuer_type",
					    "targets",
					    "from",
					    "to",
					    "justification",
					    "supervisor_name",
					    "supervisor_phone",
					    NULL};
	int bad = 0;
	for (const char *const *n = names; *n; n++) {
		const char *x = page_field(req, *n, &bad);
		json_object_set_new(v, *n, json_string(x ? x : ""));
	}
#define F(k) json_string_value(json_object_get(v, k))
	json_t *d = json_pack("{s:s, s:s, s:s}", "ref", F("ref"), "kind", F("kind"),
			      "process", F("process"));
	if (*F("issuer"))
		json_object_set_new(d, "issued_by",
				    json_pack("{s:s, s:s}", "type", F("issuer_type"),
					      "name", F("issuer")));
	if (page_field(req, "signed", &bad))
		json_object_set_new(d, "signed", json_true());
	json_t *targets = json_array();
	char *copy = xstrdup(F("targets")), *save = NULL;
	for (char *line = strtok_r(copy, "\r\n", &save); line;
	     line = strtok_r(NULL, "\r\n", &save)) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		json_array_append_new(
		    targets, json_pack("{s:s, s:s}", "type", line, "value", colon + 1));
	}
	free(copy);
	json_object_set_new(d, "targets", targets);
	const char *cv[8];
	size_t nc = page_field_all(req, "categories", cv, 8);
	json_t *cats = json_array();
	for (size_t i = 0; i < nc; i++)
		json_array_append_new(cats, json_string(cv[i]));
	json_object_set_new(d, "categories", cats);
	if (*F("from") || *F("to"))
		json_object_set_new(
		    d, "date_range",
		    json_pack("{s:s, s:s}", "from", F("from"), "to", F("to")));
	if (*F("justification") || *F("supervisor_name") || *F("supervisor_phone")) {
		json_t *e = json_pack("{s:s}", "justification", F("justification"));
		if (*F("supervisor_name") || *F("supervisor_phone"))
			json_object_set_new(e, "supervisor",
					    json_pack("{s:s, s:s}", "name",
						      F("supervisor_name"), "phone",
						      F("supervisor_phone")));
		json_object_set_new(d, "emergency", e);
	}
#undef F
	return d;
}

int page_agency_submit(struct http_req *req, struct http_res *res)
{
	struct app_upload *ups = NULL;
	size_t nu = 0;
	const char *unused = NULL;
	size_t unused_len = 0;
	int64_t id;
	json_t *v = json_object();
	int rc = http_pdf_uploads(req, 1, &unused, &unused_len, &ups, &nu);
	json_t *d = form_doc(req, v);
	if (rc == 0 && nu) {
		json_t *docs = json_array();
		for (size_t i = 0; i < nu; i++)
			json_array_append_new(docs,
					      json_pack("{s:s, s:s}", "name", ups[i].name,
							"sha256", ups[i].sha256));
		json_object_set_new(d, "documents", docs);
	}
	char *text = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	if (rc == 0)
		rc = app_agency_request_add(http_session(req), text, strlen(text), ups,
					    nu, &id);
	free(text);
	if (rc < 0) {
		enum err_code c = err_from_rc(rc);
		if (c != E_INVALID && c != E_BAD_JSON && c != E_MEDIA_TYPE &&
		    c != E_TOO_LARGE && c != E_REFUSED) {
			json_decref(v);
			return rc;
		}
		const char *msg = page_take_error(req);
		return new_form(req, res, err_http_status(c), v, msg);
	}
	json_decref(v);
	return page_redirect(
	    req, res, pool_printf(req->pool, "/agency/requests/%lld", (long long)id));
}

static int agency_request_page(struct http_req *req, struct http_res *res, int64_t id,
			       int status, const char *error)
{
	json_t *j;
	int rc = app_agency_request_json(http_session(req), id, &j);
	if (rc < 0)
		return rc;
	json_t *d = json_pack("{s:s, s:o}", "title", "A request of your agency", "r", j);
	if (error)
		json_object_set_new(d, "error", json_string(error));
	return page_render(req, res, status, "agency_request", d);
}

int page_agency_request(struct http_req *req, struct http_res *res)
{
	int64_t id;
	int rc = http_param_id(req, "id", &id);
	return rc < 0 ? rc : agency_request_page(req, res, id, 200, NULL);
}

int page_agency_action(struct http_req *req, struct http_res *res)
{
	int64_t id;
	int bad = 0, rc;
	const char *step = http_param(req, "step");
	const char *reason = page_field(req, "reason", &bad);
	if ((rc = http_param_id(req, "id", &id)) < 0)
		return rc;
	if (strcmp(step, "withdrawal") == 0)
		rc = app_agency_withdraw(http_session(req), id, reason);
	else if (strcmp(step, "extension") == 0)
		rc = app_agency_extension(http_session(req), id, reason);
	else
		return err_set(E_NOTFOUND, "no such step '%.32s'", step);
	if (rc < 0) {
		enum err_code c = err_from_rc(rc);
		if (c != E_INVALID && c != E_REFUSED)
			return rc;
		const char *msg = page_take_error(req);
		return agency_request_page(req, res, id, err_http_status(c), msg);
	}
	return page_redirect(
	    req, res, pool_printf(req->pool, "/agency/requests/%lld", (long long)id));
}
