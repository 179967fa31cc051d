/*
 * http/auth.c - who is calling (http/auth.h) and the limit on failed
 * sign-ins.  The failures are counted in the database (by the SHA-256 of
 * the user name or address), so every server over one database shares the
 * limit and a restart does not reset it; each failure is also a log entry.
 */
#include <string.h>

#include "base/digest.h"
#include "base/err.h"
#include "base/util.h"
#include "app/portal.h"
#include "core/access/auth.h"
#include "http/auth.h"
#include "http/cache.h"
#include "http/http.h"
#include "http/server_int.h"
#include "store/store.h"

/* The key as stored: its SHA-256, so the table holds no name or address. */
static void stored_key(const char *key, char out[65])
{
	digest_hex(key, strlen(key), out);
}

int auth_limits_wait(struct http_req *req, const char *key, int max, int64_t *wait)
{
	char k[65];
	int failures = 0;
	int64_t since = 0;
	stored_key(key, k);
	*wait = 0;
	int rc = store_signin_get(req->st, k, &failures, &since);
	if (rc == -E_NOTFOUND) {
		err_clear();
		return 0;
	}
	if (rc < 0)
		return rc;
	if (failures >= max && req->now - since < SIGNIN_WINDOW)
		*wait = SIGNIN_WINDOW - (req->now - since);
	return 0;
}

int auth_limits_fail(struct http_req *req, const char *key)
{
	char k[65];
	stored_key(key, k);
	return store_signin_fail(req->st, k, req->now, SIGNIN_WINDOW);
}

int auth_limits_clear(struct http_req *req, const char *key)
{
	char k[65];
	stored_key(key, k);
	return store_signin_clear(req->st, k);
}

/* --- the caller of a request --------------------------------------------- */

/* The token's caller: from the cache (http/cache.h) when it holds an
 * answer made at this request's change marker and the token has not
 * expired since, else from the database, then kept.  The marker is read
 * before the database is asked, so what is kept is at least as new as
 * the marker it is filed under.  A revocation, a suspension or a change
 * of the user's roles writes the database, changes the marker and so
 * takes effect on the next request, on every server. */
static int bearer(struct http_req *req, const char *auth)
{
	const char *tok = auth + 7;
	char *user = NULL;
	unsigned roles = 0;
	int64_t id = 0, until = 0;
	struct http_cache *cache = req->srv ? req->srv->cache : NULL;
	const struct store_mark *mark = NULL;
	char digest[65];
	int rc;
	while (*tok == ' ')
		tok++;
	if (cache && strlen(tok) < AUTH_SECRET_LEN) {
		struct cache_caller who;
		if ((rc = http_change_mark(req, &mark)) < 0)
			return rc;
		auth_secret_ref(tok, digest);
		if (cache_token_get(cache, digest, mark, req->now, &who)) {
			req->who.kind = HTTP_AUTH_TOKEN;
			req->who.user = pool_strdup(req->pool, who.user);
			req->who.roles = who.roles;
			req->who.id = who.token_id;
			return 0;
		}
	}
	rc = auth_token_check_until(req->st, tok, req->now, &user, &roles, &id, &until);
	if (rc < 0)
		return rc;
	/* a suspended officer's token, or its agency's, acts no more */
	if ((rc = app_portal_active(req->st, user, roles)) < 0) {
		free(user);
		return rc;
	}
	req->who.kind = HTTP_AUTH_TOKEN;
	req->who.user = pool_strdup(req->pool, user);
	req->who.roles = roles;
	req->who.id = id;
	if (mark && strlen(user) < CACHE_USER_MAX) {
		struct cache_caller who = {.roles = roles, .token_id = id};
		str_copy(who.user, sizeof(who.user), user);
		cache_token_put(cache, digest, mark, until, &who);
	}
	free(user);
	return 0;
}

int http_identify(struct http_req *req)
{
	const char *auth = http_header(req, "Authorization");
	memset(&req->who, 0, sizeof(req->who));
	if (auth) {
		if (strncasecmp(auth, "Bearer ", 7) != 0)
			return err_set(E_UNAUTHENTICATED, "only Bearer tokens are accepted in "
							  "the Authorization header");
		return bearer(req, auth);
	}
	const char *cookie = http_cookie(req->pool, http_header(req, "Cookie"), SESSION_COOKIE);
	if (!cookie)
		return 0;
	struct session_record s;
	int rc = auth_session_check(req->st, cookie, req->now, &s);
	if (rc == -E_UNAUTHENTICATED) {
		err_clear();
		return 0;
	}
	if (rc < 0)
		return rc;
	unsigned roles = 0;
	rc = store_user_roles(req->st, s.user, &roles);
	if (rc == 0 && app_portal_active(req->st, s.user, roles) < 0) {
		err_clear();   /* a suspended officer is not signed in */
	} else if (rc == 0) {
		req->who.kind = HTTP_AUTH_SESSION;
		req->who.user = pool_strdup(req->pool, s.user);
		req->who.roles = roles;
		req->who.id = s.id;
		req->who.csrf = pool_strdup(req->pool, s.csrf);
	} else if (rc == -E_NOTFOUND) {
		err_clear();
		rc = 0;
	}
	session_record_release(&s);
	return rc;
}
