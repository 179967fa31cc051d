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
	json_object_set_new(d, "error", json_string(err_msg()));
	err_clear();
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
		return my_fail(req, res, http_my_token_failed(req, rc), json_pack("{s:b}", "ask", 1));
	if (enterprise)
		return my_page(req, res, 200,
			       json_pack("{s:s, s:b, s:b}", "token", token, enrolled ? "code" : "enrol",
					 1, "enterprise", 1));
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
		return my_fail(req, res, rc,
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
	json_object_set_new(j, "any", json_boolean(json_array_size(json_object_get(j, "requests"))));
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
	json_object_foreach(json_object_get(j, "categories"), k, v) {
		json_t *o = json_pack("{s:s, s:O}", "name", k, "done", json_object_get(v, "done"));
		if (json_object_get(v, "items"))
			json_object_set(o, "items", json_object_get(v, "items"));
		json_array_append_new(cats, o);
	}
	json_object_set_new(j, "cats", cats);
	json_object_set_new(j, "title", json_string("A request about your accounts"));
	return page_render(req, res, 200, "my_request", j);
}

/* --- the officer's registration link ------------------------------------------------- */

int page_agency_register_get(struct http_req *req, struct http_res *res)
{
	int rc = 0;
	const char *token = http_query(req, "token", &rc);
	if (rc < 0)
		return rc;
	return page_render(req, res, 200, "agency_register",
			   json_pack("{s:s, s:s, s:b}", "title", "Register as an officer", "token",
				     token ? token : "", "form", 1));
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
	rc = app_agency_register_finish(http_session(req), token ? token : "", name, password,
					&uri);
	if (rc < 0) {
		rc = http_my_token_failed(req, rc);
		enum err_code c = err_from_rc(rc);
		if (c != E_UNAUTHENTICATED && c != E_INVALID && c != E_REFUSED)
			return rc;
		json_t *d = json_pack("{s:s, s:s, s:s, s:b}", "title", "Register as an officer",
				      "error", err_msg(), "token", token ? token : "", "form",
				      c == E_INVALID);
		err_clear();
		return page_render(req, res, err_http_status(c), "agency_register", d);
	}
	json_t *d = json_pack("{s:s, s:s}", "title", "Registered", "uri", uri);
	sodium_memzero(uri, strlen(uri));
	free(uri);
	return page_render(req, res, 201, "agency_register", d);
}

/* --- staff ---------------------------------------------------------------------------- */

int page_portal_staff(struct http_req *req, struct http_res *res)
{
	json_t *j;
	int rc = app_portal_overview_json(http_session(req), &j);
	if (rc < 0)
		return rc;
	json_object_set_new(j, "any_officers",
			    json_boolean(json_array_size(json_object_get(j, "officers"))));
	json_object_set_new(j, "any_registrations",
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
	return page_redirect(req, res, pool_printf(req->pool, "/requests/%lld", (long long)id));
}
