/*
 * api_session.c - POST/GET/DELETE /api/v1/session: signing in with name,
 * password and TOTP code, who is signed in, signing out (SPEC §12).
 *
 * The password check (argon2id, ~0.1 s; core/access/auth.h) runs outside any
 * transaction, so sign-ins never hold the database's write lock; recording
 * the session, the failure or the sign-out is one app/auth.h unit of work
 * with its log entry.  Every failure is one
 * message to the client, whatever failed, and a log entry naming why.
 */
#include <string.h>

#include <sodium.h>

#include "base/err.h"
#include "base/util.h"
#include "app/auth.h"
#include "app/portal.h"
#include "core/config.h"
#include "http/auth.h"
#include "http/handlers.h"
#include "http/server_int.h"

json_t *api_roles_json(unsigned roles)
{
	json_t *a = json_array();
	for (int r = 0; r < role__COUNT; r++)
		if (roles & ROLE_BIT(r))
			json_array_append_new(a, json_string(role_str(r)));
	return a;
}

int api_string(json_t *body, const char *field, size_t max, int required, const char **out)
{
	json_t *v = json_object_get(body, field);
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return err_set(E_INVALID, "field '%s': required", field);
		return 0;
	}
	if (!json_is_string(v))
		return err_set(E_INVALID, "field '%s': must be a string", field);
	if (json_string_length(v) > max)
		return err_set(E_INVALID, "field '%s': longer than %zu bytes", field, max);
	if (strlen(json_string_value(v)) != json_string_length(v))
		return err_set(E_INVALID, "field '%s': contains a NUL", field);
	*out = json_string_value(v);
	return 0;
}

int api_only_fields(json_t *body, const char *const *allowed)
{
	const char *key;
	json_t *v;
	json_object_foreach(body, key, v) {
		const char *const *a;
		for (a = allowed; *a; a++)
			if (strcmp(*a, key) == 0)
				break;
		if (!*a)
			return err_set(E_INVALID, "field '%.64s': unknown field", key);
	}
	return 0;
}

int api_name_field(int rc, const char *const map[][2])
{
	if (rc != -E_INVALID && rc != -E_USAGE)
		return rc;
	const char *msg = err_msg();
	if (strstr(msg, "field '"))
		return rc;
	for (size_t i = 0; map[i][0]; i++)
		if (strncmp(msg, map[i][0], strlen(map[i][0])) == 0)
			return err_set(err_from_rc(rc), "field '%s': %s", map[i][1], msg);
	return rc;
}

/* A session acting as `user` (who has not signed in yet), for logging the
 * sign-in or its failure. */
static struct session *session_as(struct http_req *req, const char *user, unsigned roles)
{
	struct session *s = http_session(req);
	s->user = pool_strdup(req->pool, user);
	s->roles = roles;
	return s;
}

int http_signin_too_many(struct http_req *req, struct http_res *res, int64_t wait)
{
	char secs[24];
	snprintf(secs, sizeof(secs), "%lld", (long long)wait);
	http_res_header(req, res, "Retry-After", secs);
	return err_set(E_RATE_LIMITED, "too many failed sign-ins: try again in %lld seconds",
		       (long long)wait);
}

int http_signin_wait(struct http_req *req, const char *user, int64_t *wait)
{
	int64_t w1 = 0, w2 = 0;
	int rc;
	if ((rc = auth_limits_wait(req, pool_printf(req->pool, "u:%.70s", user),
				   SIGNIN_FAILURES_MAX, &w1)) < 0 ||
	    (rc = auth_limits_wait(req, pool_printf(req->pool, "a:%s", req->remote),
				   SIGNIN_FAILURES_ADDR, &w2)) < 0)
		return rc;
	*wait = w1 > w2 ? w1 : w2;
	return 0;
}

int http_signin_failed(struct http_req *req, const char *user, enum auth_fail why)
{
	int rc;
	if ((rc = auth_limits_fail(req, pool_printf(req->pool, "u:%.70s", user))) < 0 ||
	    (rc = auth_limits_fail(req, pool_printf(req->pool, "a:%s", req->remote))) < 0)
		return rc;
	/* an unknown name is not written into the log in clear: it may be a
	 * password typed into the wrong box */
	int known = why != AUTH_NO_USER;
	rc = app_signin_failed(session_as(req, known ? user : "-", 0), known ? user : NULL, why);
	if (rc < 0)
		return rc;
	if (why == AUTH_MFA_NEEDED)
		return err_set(E_UNAUTHENTICATED, "a second factor is required for '%s': an "
						  "admin enrols it with 'docket user mfa %s'",
			       user, user);
	return err_set(E_UNAUTHENTICATED, "wrong user name, password or code");
}

int api_session_post(struct http_req *req, struct http_res *res)
{
	static const char *const fields[] = {"user", "password", "totp", NULL};
	json_t *body;
	const char *user, *password, *totp;
	int rc;
	if ((rc = http_body_json(req, &body)) < 0 || (rc = api_only_fields(body, fields)) < 0 ||
	    (rc = api_string(body, "user", 254, 1, &user)) < 0 ||
	    (rc = api_string(body, "password", AUTH_PASSWORD_MAX, 1, &password)) < 0 ||
	    (rc = api_string(body, "totp", 16, 0, &totp)) < 0)
		return rc;
	int64_t wait = 0;
	if ((rc = http_signin_wait(req, user, &wait)) < 0)
		return rc;
	if (wait)
		return http_signin_too_many(req, res, wait);

	int64_t mfa = 1;
	if ((rc = config_get_int(req->st, "mfa_required", &mfa)) < 0)
		return rc;
	unsigned roles;
	enum auth_fail why;
	if ((rc = auth_check_signin(req->st, user, password, totp, req->now, mfa != 0, &roles,
				    &why)) < 0)
		return rc;
	if (why == AUTH_OK && app_portal_active(req->st, user, roles) < 0) {
		err_clear();
		why = AUTH_SUSPENDED;
	}
	if (why != AUTH_OK)
		return http_signin_failed(req, user, why);

	char cookie[AUTH_SECRET_LEN], csrf[AUTH_SECRET_LEN];
	int64_t id;
	if ((rc = app_signin(session_as(req, user, roles), cookie, csrf, &id)) < 0)
		return rc;
	if (auth_limits_clear(req, pool_printf(req->pool, "u:%.70s", user)) < 0)
		err_clear(); /* signed in all the same; the count lapses by itself */
	http_res_header(req, res, "Set-Cookie",
			pool_printf(req->pool,
				    SESSION_COOKIE "=%s; Path=/; Secure; HttpOnly; "
						   "SameSite=Strict; Max-Age=%d",
				    cookie, AUTH_SESSION_MAX));
	sodium_memzero(cookie, sizeof(cookie));
	req->who.user = pool_strdup(req->pool, user);
	return http_reply_json(req, res, 200,
			       json_pack("{s:s, s:o, s:s}", "user", user, "roles",
					 api_roles_json(roles), "csrf", csrf));
}

int api_session_get(struct http_req *req, struct http_res *res)
{
	json_t *j = json_pack("{s:s, s:o, s:s}", "user", req->who.user, "roles",
			      api_roles_json(req->who.roles), "via",
			      req->who.kind == HTTP_AUTH_TOKEN ? "token" : "session");
	if (req->who.csrf)
		json_object_set_new(j, "csrf", json_string(req->who.csrf));
	return http_reply_json(req, res, 200, j);
}

int api_session_delete(struct http_req *req, struct http_res *res)
{
	int rc;
	if (req->who.kind != HTTP_AUTH_SESSION)
		return err_set(E_USAGE, "a token has no session to end: an admin revokes it "
					"with 'docket token revoke ID'");
	if ((rc = app_signout(http_session(req), req->who.id)) < 0)
		return rc;
	http_res_header(req, res, "Set-Cookie",
			SESSION_COOKIE "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
	return http_reply_empty(res, 204);
}
