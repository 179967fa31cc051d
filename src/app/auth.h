/*
 * app/auth.h - signing in to the server (SPEC §12) as operations: set a
 * password, enrol TOTP, add and revoke API tokens, and record sign-in,
 * sign-out and failed sign-ins.  Each change is one unit of work with its
 * log entry; no secret is ever logged.  The checks themselves (argon2id,
 * TOTP, token and session lookups) are core/access/auth.h.
 */
#ifndef DOCKET_APP_AUTH_H
#define DOCKET_APP_AUTH_H

#include <stdint.h>

#include "app/app.h"
#include "core/access/auth.h"

/* Set user's password and end its sessions (admin, or the user itself). */
int app_user_passwd(struct session *s, const char *user, const char *password);
/* Enrol user in TOTP (admin, or the user itself); *uri (caller frees and
 * should wipe) is the otpauth:// URI, shown once. */
int app_user_mfa(struct session *s, const char *user, char **uri);

/* ev (returned) with what the log records of user's stored credentials:
 * "password" and "totp", the SHA-256 tags of the stored password hash and
 * TOTP secret when there are any (core/ledger/replay.c checks staff_auth
 * against them; never a secret). */
json_t *app_cred_refs(struct session *s, const char *user, json_t *ev);

/* A token for user with roles (0: all the user's) expiring at expires_at
 * (0: never) (admin); token receives its text, shown once. */
int app_token_add(struct session *s, const char *user, unsigned roles, int64_t expires_at,
		  char token[AUTH_SECRET_LEN], int64_t *id);
int app_token_revoke(struct session *s, int64_t id);
int app_token_each(struct session *s, store_token_cb cb, void *ctx);

/* Sign-in, once the caller has checked the credentials (auth_check_signin
 * outside any unit of work, so the argon2id check never holds the write
 * lock): a new session for s's user, logged.  cookie and csrf receive its
 * secrets. */
int app_signin(struct session *s, char cookie[AUTH_SECRET_LEN], char csrf[AUTH_SECRET_LEN],
	       int64_t *session_id);
/* A failed sign-in, logged with why (user NULL: the name is unknown and is
 * not written down - it may be a password typed in the wrong box). */
int app_signin_failed(struct session *s, const char *user, enum auth_fail why);
/* End session_id of s's user, logged. */
int app_signout(struct session *s, int64_t session_id);

/* A one-time sign-in link for user (admin: the operator's way in for a
 * demo, or for a colleague who lost a second factor): a new session of
 * user's whose secret the caller puts into a link (/signin/link?k=SECRET).
 * Logged as auth.signin_link; the secret is never logged. */
int app_signin_link(struct session *s, const char *user, char secret[AUTH_SECRET_LEN]);
/* Use a link once: the link's session ends and a fresh one begins for its
 * user (cookie, csrf), in one unit of work, so a link signs in once.
 * E_UNAUTHENTICATED for a used, expired (the session's idle time) or
 * unknown link.  *user (caller frees) is who signed in. */
int app_signin_link_use(struct session *s, const char *secret, char cookie[AUTH_SECRET_LEN],
			char csrf[AUTH_SECRET_LEN], char **user);

#endif
