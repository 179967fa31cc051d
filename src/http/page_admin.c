/*
 * page_admin.c - the transparency report preview, and users and API
 * tokens for admins (SPEC §13).  Each change is the app function the
 * command line calls: app_user_add (user add), app_token_add (token add),
 * app_token_revoke (token revoke).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "app/admin.h"
#include "app/auth.h"
#include "app/report.h"
#include "app/users_view.h"
#include "http/handlers.h"
#include "model/enums.h"
#include "http/page.h"

/* --- the report preview ----------------------------------------------------- */

static int add_published(void *ctx, const struct publication_row *p)
{
	return json_array_append_new(ctx, api_publication_json(p)) == 0 ? 0 : -E_INTERNAL;
}

/* The reports page: a half-year previewed, the published reports, and
 * (role compliance) the form that publishes one.  status/error: the
 * publish form's answer. */
static int reports_page(struct http_req *req, struct http_res *res, const char *period,
			int status, const char *error, int64_t published)
{
	struct period p;
	int rc;
	if (!period || !*period) {
		period_of(req->now, &p);
		char def[16];
		period_format(&p, def);
		period = pool_strdup(req->pool, def);
	}
	json_t *list = json_array();
	if ((rc = app_report_publications(http_session(req), add_published, list)) < 0) {
		json_decref(list);
		return rc;
	}
	json_t *d = json_pack("{s:s, s:s, s:o}", "title", "Transparency report", "period", period,
			      "publications", list);
	if (published)
		json_object_set_new(d, "published", json_integer(published));
	if (error) {
		json_object_set_new(d, "error", json_string(error));
		json_object_set_new(d, "err", json_pack("{s:s}", "publish", error));
	}
	if (period_parse(period, &p) < 0) {
		json_object_set_new(d, "error", json_string("a half-year is written like 2026-H1"));
		return page_render(req, res, 422, "reports", d);
	}
	struct report_opts o;
	memset(&o, 0, sizeof(o));
	o.period = p;
	o.published = req->now;
	struct report *r = NULL;
	if ((rc = app_report(http_session(req), &o, &r)) < 0) {
		json_decref(d);
		return rc;
	}
	json_object_set_new(d, "report", report_json(r));
	report_free(r);
	return page_render(req, res, status, "reports", d);
}

int page_reports(struct http_req *req, struct http_res *res)
{
	int rc = 0;
	const char *period = http_query(req, "period", &rc);
	const char *n = http_query(req, "published", &rc);
	if (rc < 0)
		return rc;
	return reports_page(req, res, period, 200, NULL, n ? strtoll(n, NULL, 10) : 0);
}

int page_report_publish(struct http_req *req, struct http_res *res)
{
	int bad;
	const char *period = page_field(req, "period", &bad);
	const char *format = page_field(req, "format", &bad);
	struct report_opts o;
	memset(&o, 0, sizeof(o));
	if (!format || !app_report_media_type(format))
		return reports_page(req, res, period, 422, "Choose HTML, CSV or JSON.", 0);
	if (!period || period_parse(period, &o.period) < 0)
		return reports_page(req, res, period, 422, "A half-year is written like 2026-H1.",
				    0);
	o.published = req->now - req->now % DAY_SECONDS;
	o.trend = strcmp(format, "html") == 0;
	int64_t id = 0;
	int rc = app_report_publish(http_session(req), &o, format, &id);
	if (rc < 0) {
		enum err_code code = err_from_rc(rc);
		if (code != E_INVALID && code != E_REFUSED && code != E_USAGE)
			return rc;
		const char *msg = page_take_error(req);
		return reports_page(req, res, period, err_http_status(code), msg, 0);
	}
	return page_redirect(req, res,
			     pool_printf(req->pool, "/reports?period=%s&published=%lld", period,
					 (long long)id));
}

/* --- users and tokens ---------------------------------------------------------- */

static int admin_page(struct http_req *req, struct http_res *res, int status,
		      const char *field, const char *error, const char *token)
{
	struct session *s = http_session(req);
	json_t *users, *tokens;
	int rc;
	if ((rc = app_users_json(s, &users)) < 0)
		return rc;
	if ((rc = app_tokens_json(s, &tokens)) < 0) {
		json_decref(users);
		return rc;
	}
	json_t *roles = json_array();
	for (int r = 0; r < role__COUNT; r++)
		json_array_append_new(roles, json_pack("{s:s}", "role", role_str(r)));
	json_t *d = json_pack("{s:s, s:o, s:o, s:o}", "title", "Users and tokens", "users", users,
			      "tokens", tokens, "all_roles", roles);
	if (error) {
		json_object_set_new(d, "error", json_string(error));
		json_object_set_new(d, "err", json_pack("{s:s}", field ? field : "form", error));
	}
	if (token)
		json_object_set_new(d, "new_token", json_string(token));
	return page_render(req, res, status, "admin", d);
}

int page_admin(struct http_req *req, struct http_res *res)
{
	return admin_page(req, res, 200, NULL, NULL, NULL);
}

static unsigned roles_of_form(struct http_req *req, int *bad)
{
	const char *vals[8];
	size_t n = page_field_all(req, "roles", vals, 8);
	unsigned bits = 0;
	*bad = 0;
	for (size_t i = 0; i < n; i++) {
		int r = role_parse(vals[i]);
		if (r < 0)
			*bad = 1;
		else
			bits |= ROLE_BIT(r);
	}
	return bits;
}

/* A refused change: the page again with the message at its field. */
static int refused(struct http_req *req, struct http_res *res, int rc, const char *field)
{
	enum err_code code = err_from_rc(rc);
	if (code != E_INVALID && code != E_REFUSED && code != E_NOTFOUND && code != E_USAGE)
		return rc;
	const char *msg = page_take_error(req);
	return admin_page(req, res, err_http_status(code), field, msg, NULL);
}

int page_admin_user(struct http_req *req, struct http_res *res)
{
	int bad;
	const char *name = page_field(req, "name", &bad);
	unsigned roles = roles_of_form(req, &bad);
	if (!name || !*name || strlen(name) > 64)
		return admin_page(req, res, 422, "name", "Enter a user name.", NULL);
	if (bad || !roles)
		return admin_page(req, res, 422, "roles", "Choose at least one role.", NULL);
	int rc = app_user_add(http_session(req), name, roles);
	return rc < 0 ? refused(req, res, rc, "name") : page_redirect(req, res, "/admin");
}

int page_admin_token(struct http_req *req, struct http_res *res)
{
	int bad, rc;
	const char *user = page_field(req, "user", &bad);
	const char *expires = page_field(req, "expires", &bad);
	unsigned roles = roles_of_form(req, &bad);
	int64_t exp = 0;
	if (!user || !*user || strlen(user) > 64)
		return admin_page(req, res, 422, "user", "Enter the token's user.", NULL);
	if (bad)
		return admin_page(req, res, 422, "token_roles", "Unknown role.", NULL);
	if (expires && *expires) {
		struct ts t;
		if (ts_parse(expires, &t) < 0)
			return admin_page(req, res, 422, "expires",
					  "A date like 2027-01-31, or empty for never.", NULL);
		exp = t.t;
	}
	char token[AUTH_SECRET_LEN];
	int64_t id;
	if ((rc = app_token_add(http_session(req), user, roles, exp, token, &id)) < 0)
		return refused(req, res, rc, "user");
	/* shown once, on this answer only (no-store) */
	rc = admin_page(req, res, 201, NULL, NULL, token);
	sodium_memzero(token, sizeof(token));
	return rc;
}

int page_admin_revoke(struct http_req *req, struct http_res *res)
{
	int bad;
	const char *v = page_field(req, "id", &bad);
	char *end;
	long long id = v ? strtoll(v, &end, 10) : 0;
	if (!v || !*v || *end || id <= 0)
		return admin_page(req, res, 422, "form", "No such token.", NULL);
	int rc = app_token_revoke(http_session(req), id);
	return rc < 0 ? refused(req, res, rc, "form") : page_redirect(req, res, "/admin");
}
