/*
 * http/auth.c - who is calling (http/auth.h) and the limit on failed
 * sign-ins.  The limit lives in this process's memory: a restart forgets
 * it, and several servers over one database each keep their own (each
 * failure is also a log entry, so none goes unseen).
 */
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "app/portal.h"
#include "core/access/auth.h"
#include "http/auth.h"
#include "http/http.h"

void auth_limits_init(struct auth_limits *l)
{
	memset(l->slots, 0, sizeof(l->slots));
	pthread_mutex_init(&l->lock, NULL);
}

void auth_limits_release(struct auth_limits *l)
{
	pthread_mutex_destroy(&l->lock);
}

static uint32_t key_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot of key: its own, else a free or expired one in its probe run,
 * else the oldest there (an attacker filling the table only forgets old
 * failures of others after they would have expired anyway or earlier). */
static struct signin_slot *slot_for(struct auth_limits *l, const char *key, int64_t now,
				    int create)
{
	uint32_t h = key_hash(key);
	struct signin_slot *free_slot = NULL, *oldest = NULL;
	for (unsigned i = 0; i < 8; i++) {
		struct signin_slot *s = &l->slots[(h + i) % SIGNIN_SLOTS];
		if (s->key[0] && strcmp(s->key, key) == 0)
			return s;
		if (!free_slot && (!s->key[0] || now - s->since >= SIGNIN_WINDOW))
			free_slot = s;
		if (!oldest || s->since < oldest->since)
			oldest = s;
	}
	if (!create)
		return NULL;
	struct signin_slot *s = free_slot ? free_slot : oldest;
	str_copy(s->key, sizeof(s->key), key);
	s->failures = 0;
	s->since = now;
	return s;
}

int64_t auth_limits_wait(struct auth_limits *l, const char *key, int max, int64_t now)
{
	int64_t wait = 0;
	pthread_mutex_lock(&l->lock);
	struct signin_slot *s = slot_for(l, key, now, 0);
	if (s && s->failures >= max && now - s->since < SIGNIN_WINDOW)
		wait = SIGNIN_WINDOW - (now - s->since);
	pthread_mutex_unlock(&l->lock);
	return wait;
}

void auth_limits_fail(struct auth_limits *l, const char *key, int64_t now)
{
	pthread_mutex_lock(&l->lock);
	struct signin_slot *s = slot_for(l, key, now, 1);
	if (now - s->since >= SIGNIN_WINDOW) {
		s->failures = 0;
		s->since = now;
	}
	s->failures++;
	pthread_mutex_unlock(&l->lock);
}

void auth_limits_clear(struct auth_limits *l, const char *key)
{
	pthread_mutex_lock(&l->lock);
	struct signin_slot *s = slot_for(l, key, 0, 0);
	if (s)
		memset(s, 0, sizeof(*s));
	pthread_mutex_unlock(&l->lock);
}

/* --- the caller of a request --------------------------------------------- */

static int bearer(struct http_req *req, const char *auth)
{
	const char *tok = auth + 7;
	char *user = NULL;
	unsigned roles = 0;
	int64_t id = 0;
	while (*tok == ' ')
		tok++;
	int rc = auth_token_check(req->st, tok, req->now, &user, &roles, &id);
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
