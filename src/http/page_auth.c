/*
 * page_auth.c - signing in on the pages (SPEC §12-§13): name and password,
 * then the TOTP code; signing out; changing one's password.
 *
 * Between the two steps the server keeps nothing: the password step hands
 * the browser a short-lived proof, "NAME.EXPIRY.MAC" in a hidden field,
 * where MAC is an HMAC (libsodium crypto_auth) under a key drawn at random
 * when the server starts.  The code step accepts the proof only for that
 * name and only for PENDING_TTL seconds; it proves that the password was
 * right, never what it was.  Failures of either step count against the
 * same per-name and per-address limits as the API and are logged the same
 * way (http_signin_failed).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/err.h"
#include "base/util.h"
#include "app/auth.h"
#include "app/portal.h"
#include "core/access/auth.h"
#include "core/config.h"
#include "http/page.h"
#include "http/server_int.h"

#define PENDING_TTL 300

static unsigned char pending_key[crypto_auth_KEYBYTES];
static pthread_once_t pending_once = PTHREAD_ONCE_INIT;

static void pending_init(void)
{
	crypto_auth_keygen(pending_key);
}

static void pending_mac(const char *user, long long exp, char hex[crypto_auth_BYTES * 2 + 1])
{
	unsigned char mac[crypto_auth_BYTES];
	char msg[160];
	int n = snprintf(msg, sizeof(msg), "signin-pending\n%s\n%lld", user, exp);
	pthread_once(&pending_once, pending_init);
	crypto_auth(mac, (const unsigned char *)msg, (unsigned long long)n, pending_key);
	sodium_bin2hex(hex, crypto_auth_BYTES * 2 + 1, mac, sizeof(mac));
}

static const char *pending_make(struct http_req *req, const char *user)
{
	char hex[crypto_auth_BYTES * 2 + 1];
	long long exp = (long long)req->now + PENDING_TTL;
	pending_mac(user, exp, hex);
	return pool_printf(req->pool, "%lld.%s", exp, hex);
}

static int pending_ok(struct http_req *req, const char *user, const char *proof)
{
	char hex[crypto_auth_BYTES * 2 + 1];
	char *dot;
	long long exp = strtoll(proof, &dot, 10);
	if (*dot != '.' || exp < req->now || exp > req->now + PENDING_TTL)
		return 0;
	pending_mac(user, exp, hex);
	return auth_equal(dot + 1, hex);
}

static int limited(struct http_req *req, struct http_res *res, const char *user)
{
	int64_t w = 0;
	int rc = http_signin_wait(req, user, &w);
	return rc < 0 ? rc : w ? http_signin_too_many(req, res, w) : 0;
}

static int signin_page(struct http_req *req, struct http_res *res, int status,
		       const char *user, const char *error, const char *pending)
{
	json_t *d = json_pack("{s:s, s:s}", "title", pending ? "Sign in: code" : "Sign in",
			      "user", user ? user : "");
	if (error)
		json_object_set_new(d, "error", json_string(error));
	if (pending)
		json_object_set_new(d, "pending", json_string(pending));
	return page_render(req, res, status, pending ? "signin_code" : "signin", d);
}

/* A failed step: counted, logged, the form again with the one message. */
static int failed(struct http_req *req, struct http_res *res, const char *user,
		  enum auth_fail why)
{
	int rc = http_signin_failed(req, user, why);
	if (err_from_rc(rc) != E_UNAUTHENTICATED)
		return rc;
	const char *msg = page_take_error(req);
	return signin_page(req, res, 401, user, msg, NULL);
}

static int signed_in(struct http_req *req, struct http_res *res, const char *user,
		     unsigned roles)
{
	char cookie[AUTH_SECRET_LEN], csrf[AUTH_SECRET_LEN];
	int64_t id;
	struct session *s = http_session(req);
	s->user = pool_strdup(req->pool, user);
	s->roles = roles;
	int rc = app_signin(s, cookie, csrf, &id);
	sodium_memzero(csrf, sizeof(csrf));
	if (rc < 0)
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
	return page_redirect(req, res, page_home_path(roles));
}

int page_signin_get(struct http_req *req, struct http_res *res)
{
	if (req->who.user)
		return page_redirect(req, res, "/queue");
	return signin_page(req, res, 200, NULL, NULL, NULL);
}

/* The sign-in forms carry no CSRF token (there is no session yet), so a
 * browser's own word that the post comes from another site refuses it:
 * another site cannot sign a victim's browser into an account of its
 * choosing (login CSRF).  Clients that send no Sec-Fetch-Site pass. */
static int same_site(struct http_req *req)
{
	const char *site = http_header(req, "Sec-Fetch-Site");
	if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
		return err_set(E_FORBIDDEN, "cross-site request refused");
	return 0;
}

int page_signin_post(struct http_req *req, struct http_res *res)
{
	int bad, rc;
	if ((rc = same_site(req)) < 0)
		return rc;
	const char *user = page_field(req, "user", &bad);
	const char *password = page_field(req, "password", &bad);
	if (!user || !*user || strlen(user) > 64)
		return signin_page(req, res, 422, user && strlen(user) <= 64 ? user : NULL,
				   "Enter your user name.", NULL);
	if (!password || !*password || strlen(password) > AUTH_PASSWORD_MAX)
		return signin_page(req, res, 422, user, "Enter your password.", NULL);
	if ((rc = limited(req, res, user)) < 0)
		return rc;
	int64_t mfa = 1;
	if ((rc = config_get_int(req->st, "mfa_required", &mfa)) < 0)
		return rc;
	unsigned roles;
	enum auth_fail why;
	if ((rc = auth_check_signin(req->st, user, password, NULL, req->now, mfa != 0, &roles,
				    &why)) < 0)
		return rc;
	if (why == AUTH_OK)
		return signed_in(req, res, user, roles);
	if (why == AUTH_BAD_TOTP)   /* the password is right; now the code */
		return signin_page(req, res, 200, user, NULL, pending_make(req, user));
	return failed(req, res, user, why);
}

int page_signin_code(struct http_req *req, struct http_res *res)
{
	int bad, rc;
	if ((rc = same_site(req)) < 0)
		return rc;
	const char *user = page_field(req, "user", &bad);
	const char *proof = page_field(req, "pending", &bad);
	const char *code = page_field(req, "code", &bad);
	if (!user || !proof || strlen(user) > 64 || !pending_ok(req, user, proof))
		return signin_page(req, res, 401, NULL,
				   "The sign-in took too long or was changed: start again.",
				   NULL);
	if ((rc = limited(req, res, user)) < 0)
		return rc;
	if (!code || strlen(code) != 6 || strspn(code, "0123456789") != 6) {
		json_t *d = json_pack("{s:s, s:s, s:s, s:s}", "title", "Sign in: code", "user",
				      user, "pending", proof, "code_error",
				      "Enter the 6-digit code from your authenticator app.");
		return page_render(req, res, 422, "signin_code", d);
	}
	unsigned roles;
	enum auth_fail why;
	if ((rc = auth_check_totp(req->st, user, code, req->now, &roles, &why)) < 0)
		return rc;
	if (why == AUTH_OK && app_portal_active(req->st, user, roles) < 0) {
		err_clear();
		why = AUTH_SUSPENDED;
	}
	if (why == AUTH_OK)
		return signed_in(req, res, user, roles);
	return failed(req, res, user, why);
}

int page_signout(struct http_req *req, struct http_res *res)
{
	int rc;
	if (req->who.kind == HTTP_AUTH_SESSION &&
	    (rc = app_signout(http_session(req), req->who.id)) < 0)
		return rc;
	http_res_header(req, res, "Set-Cookie",
			SESSION_COOKIE "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
	return page_redirect(req, res, "/signin");
}

static int password_page(struct http_req *req, struct http_res *res, int status,
			 const char *field, const char *error)
{
	json_t *d = json_pack("{s:s}", "title", "Change password");
	if (field)
		json_object_set_new(d, field, json_string(error));
	return page_render(req, res, status, "password", d);
}

int page_password_get(struct http_req *req, struct http_res *res)
{
	return password_page(req, res, 200, NULL, NULL);
}

int page_password_post(struct http_req *req, struct http_res *res)
{
	int bad, rc, match = 0;
	const char *cur = page_field(req, "password", &bad);
	const char *next = page_field(req, "new_password", &bad);
	const char *again = page_field(req, "new_password_again", &bad);
	if (!cur || !*cur || strlen(cur) > AUTH_PASSWORD_MAX)
		return password_page(req, res, 422, "password_error",
				     "Enter your current password.");
	if (!next || strlen(next) < AUTH_PASSWORD_MIN || strlen(next) > AUTH_PASSWORD_MAX)
		return password_page(req, res, 422, "new_error",
				     pool_printf(req->pool,
						 "The new password needs %d to %d characters.",
						 AUTH_PASSWORD_MIN, AUTH_PASSWORD_MAX));
	if (!again || strcmp(next, again) != 0)
		return password_page(req, res, 422, "again_error",
				     "The two new passwords differ.");
	if ((rc = auth_password_check(req->st, req->who.user, cur, &match)) < 0)
		return rc;
	if (!match)
		return password_page(req, res, 403, "password_error",
				     "The current password is wrong.");
	if ((rc = app_user_passwd(http_session(req), req->who.user, next)) < 0)
		return rc;
	http_res_header(req, res, "Set-Cookie",
			SESSION_COOKIE "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
	return page_redirect(req, res, "/signin");
}

/* --- one-time links (docket user link NAME) ----------------------------------- */

/* The link opens a page with one button: a GET changes nothing (a link
 * previewer or prefetcher cannot use it up), the POST signs in. */
int page_link_get(struct http_req *req, struct http_res *res)
{
	int rc = 0;
	const char *k = http_query(req, "k", &rc);
	if (rc < 0)
		return rc;
	json_t *d = json_pack("{s:s, s:s}", "title", "Sign in with a link", "k", k ? k : "");
	return page_render(req, res, 200, "signin_link", d);
}

int page_link_post(struct http_req *req, struct http_res *res)
{
	int bad, rc;
	const char *k = page_field(req, "k", &bad);
	if ((rc = same_site(req)) < 0)
		return rc;
	if ((rc = limited(req, res, "-link")) < 0)
		return rc;
	char cookie[AUTH_SECRET_LEN], csrf[AUTH_SECRET_LEN];
	char *user = NULL;
	if (!k || strlen(k) >= AUTH_SECRET_LEN)
		rc = err_set(E_UNAUTHENTICATED, "no such link");
	else
		rc = app_signin_link_use(http_session(req), k, cookie, csrf, &user);
	sodium_memzero(csrf, sizeof(csrf));
	if (rc < 0) {
		if (err_from_rc(rc) != E_UNAUTHENTICATED)
			return rc;
		if ((rc = auth_limits_fail(req, pool_printf(req->pool, "a:%s", req->remote))) < 0)
			return rc;
		err_clear();
		return signin_page(req, res, 401, NULL,
				   "This sign-in link was used already or has lapsed.", NULL);
	}
	http_res_header(req, res, "Set-Cookie",
			pool_printf(req->pool,
				    SESSION_COOKIE "=%s; Path=/; Secure; HttpOnly; "
						   "SameSite=Strict; Max-Age=%d",
				    cookie, AUTH_SESSION_MAX));
	sodium_memzero(cookie, sizeof(cookie));
	req->who.user = pool_strdup(req->pool, user);
	free(user);
	return page_redirect(req, res, "/queue");
}
