/*
 * app/auth.c - sign-in credentials and sign-in events as units of work
 * (app/auth.h).
 */
#include "app/auth.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/clock.h"
#include "base/digest.h"
#include "base/err.h"
#include "base/util.h"

/* Admins manage everyone's credentials; a user its own. */
static int may_manage(struct session *s, const char *user)
{
	if (strcmp(s->user, user) == 0)
		return 0;
	return session_require(s, ROLE_BIT(ROLE_ADMIN), "change another user's sign-in");
}

struct cred_job {
	const char *user;
	const char *password;
	char *uri;
	unsigned roles;
	int64_t expires_at, id;
	char *token;
};

/* What the log records of a user's stored credentials (core/ledger/replay.c
 * checks staff_auth against it): the SHA-256 of the stored password hash
 * and of the TOTP secret - never a secret, nor anything to test a guess
 * against without the database. */
json_t *app_cred_refs(struct session *s, const char *user, json_t *ev)
{
	struct staff_auth a = {0};
	char tag[DIGEST_TAG_LEN];
	if (store_auth_get(s->st, user, &a) == 0) {
		if (a.password) {
			digest_tag(a.password, strlen(a.password), tag);
			json_object_set_new(ev, "password", json_string(tag));
		}
		if (a.totp_len) {
			digest_tag(a.totp_secret, a.totp_len, tag);
			json_object_set_new(ev, "totp", json_string(tag));
		}
	}
	free(a.password);
	sodium_memzero(&a, sizeof(a));
	return ev;
}

static int passwd_body(struct session *s, void *ctx)
{
	struct cred_job *j = ctx;
	int rc = auth_password_set(s->st, j->user, j->password, s->now);
	return rc < 0 ? rc
		      : app_log(s, "user.passwd",
				app_cred_refs(s, j->user, json_pack("{s:s}", "user", j->user)),
				NULL);
}

int app_user_passwd(struct session *s, const char *user, const char *password)
{
	struct cred_job j = {.user = user, .password = password};
	int rc = may_manage(s, user);
	return rc < 0 ? rc : app_unit(s, passwd_body, &j);
}

static int mfa_body(struct session *s, void *ctx)
{
	struct cred_job *j = ctx;
	if (j->uri) {
		sodium_memzero(j->uri, strlen(j->uri));
		free(j->uri);
		j->uri = NULL;
	}
	int rc = auth_mfa_enrol(s->st, j->user, s->origin ? s->origin : "docket", &j->uri);
	return rc < 0 ? rc
		      : app_log(s, "user.mfa",
				app_cred_refs(s, j->user, json_pack("{s:s}", "user", j->user)), NULL);
}

int app_user_mfa(struct session *s, const char *user, char **uri)
{
	struct cred_job j = {.user = user};
	int rc = may_manage(s, user);
	*uri = NULL;
	if (rc == 0)
		rc = app_unit(s, mfa_body, &j);
	if (rc == 0) {
		*uri = j.uri;
	} else if (j.uri) {
		sodium_memzero(j.uri, strlen(j.uri));
		free(j.uri);
	}
	return rc;
}

static int token_body(struct session *s, void *ctx)
{
	struct cred_job *j = ctx;
	unsigned have;
	char list[128];
	int rc;
	if ((rc = auth_token_add(s->st, j->user, j->roles, j->expires_at, s->now, j->token,
				 &j->id)) < 0 ||
	    (rc = store_user_roles(s->st, j->user, &have)) < 0)
		return rc;
	roles_format(j->roles ? j->roles : have, list, sizeof(list));
	char hash[65];
	auth_secret_ref(j->token, hash);
	json_t *ev = json_pack("{s:I, s:s, s:s, s:s}", "token", (json_int_t)j->id, "user",
			       j->user, "roles", list, "hash", hash);
	if (j->expires_at) {
		char at[TS_BUFSZ];
		time_format(j->expires_at, at);
		json_object_set_new(ev, "expires_at", json_string(at));
	}
	return app_log(s, "token.add", ev, NULL);
}

int app_token_add(struct session *s, const char *user, unsigned roles, int64_t expires_at,
		  char token[AUTH_SECRET_LEN], int64_t *id)
{
	struct cred_job j = {.user = user, .roles = roles, .expires_at = expires_at,
			     .token = token};
	int rc = session_require(s, ROLE_BIT(ROLE_ADMIN), "add API tokens");
	if (rc == 0)
		rc = app_unit(s, token_body, &j);
	if (rc < 0)
		sodium_memzero(token, AUTH_SECRET_LEN);
	else
		*id = j.id;
	return rc;
}

static int revoke_body(struct session *s, void *ctx)
{
	struct cred_job *j = ctx;
	char *user = NULL;
	int rc = store_token_revoke(s->st, j->id, s->now, &user);
	if (rc == 0)
		rc = app_log(s, "token.revoke",
			     json_pack("{s:I, s:s}", "token", (json_int_t)j->id, "user", user),
			     NULL);
	free(user);
	return rc;
}

int app_token_revoke(struct session *s, int64_t id)
{
	struct cred_job j = {.id = id};
	int rc = session_require(s, ROLE_BIT(ROLE_ADMIN), "revoke API tokens");
	return rc < 0 ? rc : app_unit(s, revoke_body, &j);
}

int app_token_each(struct session *s, store_token_cb cb, void *ctx)
{
	int rc = session_require(s, ROLE_BIT(ROLE_ADMIN), "list API tokens");
	return rc < 0 ? rc : store_token_each(s->st, cb, ctx);
}

/* --- sign-in events --------------------------------------------------------- */

struct signin_job {
	char *cookie, *csrf;
	int64_t id;
	const char *user;
	enum auth_fail why;
};

static int signin_body(struct session *s, void *ctx)
{
	struct signin_job *j = ctx;
	int rc = auth_session_new(s->st, s->user, s->now, j->cookie, j->csrf, &j->id);
	char hash[65];
	if (rc < 0)
		return rc;
	auth_secret_ref(j->cookie, hash);
	return app_log(s, "auth.signin",
		       json_pack("{s:s, s:I, s:s}", "user", s->user, "session",
				 (json_int_t)j->id, "hash", hash),
		       NULL);
}

int app_signin(struct session *s, char cookie[AUTH_SECRET_LEN], char csrf[AUTH_SECRET_LEN],
	       int64_t *session_id)
{
	struct signin_job j = {.cookie = cookie, .csrf = csrf};
	int rc = app_unit(s, signin_body, &j);
	if (rc < 0)
		sodium_memzero(cookie, AUTH_SECRET_LEN);
	else
		*session_id = j.id;
	return rc;
}

static int failed_body(struct session *s, void *ctx)
{
	struct signin_job *j = ctx;
	json_t *f = j->user ? json_pack("{s:s}", "user", j->user) : json_object();
	json_object_set_new(f, "reason", json_string(auth_fail_str(j->why)));
	return app_log(s, "auth.signin_failed", f, NULL);
}

int app_signin_failed(struct session *s, const char *user, enum auth_fail why)
{
	struct signin_job j = {.user = user, .why = why};
	return app_unit(s, failed_body, &j);
}

static int signout_body(struct session *s, void *ctx)
{
	struct signin_job *j = ctx;
	int rc = store_session_revoke(s->st, j->id, s->now);
	return rc < 0 ? rc
		      : app_log(s, "auth.signout",
				json_pack("{s:s, s:I}", "user", s->user, "session",
					  (json_int_t)j->id),
				NULL);
}

int app_signout(struct session *s, int64_t session_id)
{
	struct signin_job j = {.id = session_id};
	return app_unit(s, signout_body, &j);
}

/* --- one-time sign-in links ---------------------------------------------------- */

struct link_job {
	const char *user;
	const char *secret;
	char *cookie, *csrf;
	int64_t id;
	char *linked_user;
};

static int link_body(struct session *s, void *ctx)
{
	struct link_job *j = ctx;
	char csrf[AUTH_SECRET_LEN];
	int rc = auth_session_new(s->st, j->user, s->now, j->cookie, csrf, &j->id);
	char hash[65];
	sodium_memzero(csrf, sizeof(csrf));
	if (rc < 0)
		return rc;
	auth_secret_ref(j->cookie, hash);
	return app_log(s, "auth.signin_link",
		       json_pack("{s:s, s:I, s:s}", "user", j->user, "session", (json_int_t)j->id,
				 "hash", hash),
		       NULL);
}

int app_signin_link(struct session *s, const char *user, char secret[AUTH_SECRET_LEN])
{
	unsigned roles;
	int rc = session_require(s, ROLE_BIT(ROLE_ADMIN), "make a sign-in link");
	if (rc < 0)
		return rc;
	if ((rc = store_user_roles(s->st, user, &roles)) < 0)
		return rc == -E_NOTFOUND ? err_set(E_NOTFOUND, "no user '%s'", user) : rc;
	struct link_job j = {.user = user, .cookie = secret};
	if ((rc = app_unit(s, link_body, &j)) < 0)
		sodium_memzero(secret, AUTH_SECRET_LEN);
	return rc;
}

static int link_use_body(struct session *s, void *ctx)
{
	struct link_job *j = ctx;
	struct session_record rec;
	int rc;
	free(j->linked_user);
	j->linked_user = NULL;
	if ((rc = auth_session_check(s->st, j->secret, s->now, &rec)) < 0)
		return rc;
	j->linked_user = xstrdup(rec.user);
	int64_t link_id = rec.id;
	session_record_release(&rec);
	if ((rc = store_session_revoke(s->st, link_id, s->now)) < 0 ||
	    (rc = auth_session_new(s->st, j->linked_user, s->now, j->cookie, j->csrf, &j->id)) <
		    0)
		return rc;
	char hash[65];
	auth_secret_ref(j->cookie, hash);
	return app_log(s, "auth.signin",
		       json_pack("{s:s, s:I, s:I, s:s}", "user", j->linked_user, "session",
				 (json_int_t)j->id, "link", (json_int_t)link_id, "hash", hash),
		       NULL);
}

int app_signin_link_use(struct session *s, const char *secret, char cookie[AUTH_SECRET_LEN],
			char csrf[AUTH_SECRET_LEN], char **user)
{
	struct link_job j = {.secret = secret, .cookie = cookie, .csrf = csrf};
	*user = NULL;
	int rc = app_unit(s, link_use_body, &j);
	if (rc < 0) {
		sodium_memzero(cookie, AUTH_SECRET_LEN);
		free(j.linked_user);
		return rc;
	}
	*user = j.linked_user;
	return 0;
}
