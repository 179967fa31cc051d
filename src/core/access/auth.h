/*
 * auth.h - who may use the server (SPEC §12): staff passwords (argon2id),
 * TOTP second factors (RFC 6238 through liboath, each code accepted once),
 * API tokens and sessions.  Pure domain over the store: the caller runs
 * the unit of work and logs what happened (never a secret).
 *
 * Secrets: a password is hashed with libsodium's crypto_pwhash_str
 * (argon2id, the interactive limits, above OWASP's floor); a token or a
 * session cookie is 32 random bytes, base64url, kept only as its SHA-256
 * (256 random bits cannot be searched, and a fast hash keeps a Bearer
 * request cheap).  Buffers that held a secret are wiped.
 */
#ifndef DOCKET_AUTH_H
#define DOCKET_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define AUTH_PASSWORD_MIN 10
#define AUTH_PASSWORD_MAX 1024
#define AUTH_SECRET_LEN 64          /* text of a token or cookie, with NUL */
#define AUTH_TOKEN_PREFIX "dkt_"
#define AUTH_SESSION_IDLE (30 * 60)
#define AUTH_SESSION_MAX (12 * 60 * 60)

/* Set user's password (checked for length) and revoke its sessions. */
int auth_password_set(struct store *st, const char *user, const char *password,
		      int64_t now);

/* *match: password is user's current password (argon2id check; no TOTP). */
int auth_password_check(struct store *st, const char *user, const char *password,
			int *match);

/* Enrol user in TOTP: a new 160-bit secret; *uri (caller frees) is the
 * otpauth:// URI to give the user's authenticator, once. */
int auth_mfa_enrol(struct store *st, const char *user, const char *issuer, char **uri);

/* Why a sign-in failed, for the log entry (never shown to the client, who
 * gets one message for every failure). */
enum auth_fail {
	AUTH_OK,
	AUTH_NO_USER,
	AUTH_BAD_PASSWORD,
	AUTH_MFA_NEEDED,            /* MFA required but the user is not enrolled */
	AUTH_BAD_TOTP,
	AUTH_TOTP_REPLAY,
	AUTH_SUSPENDED,             /* an officer, or its agency, is suspended */
};
const char *auth_fail_str(enum auth_fail f);

/* Check a sign-in: the user exists, the password matches, and the TOTP code
 * when the user is enrolled or MFA is required for its roles.  *fail says
 * why it failed; the return value is 0 or a storage error (a failed check
 * is not an error).  Takes the time an argon2id check takes also for an
 * unknown user.  Records the accepted TOTP step. */
int auth_check_signin(struct store *st, const char *user, const char *password,
		      const char *totp, int64_t now, int mfa_required, unsigned *roles,
		      enum auth_fail *fail);

/* Only the TOTP code of an enrolled user (the second step of the pages'
 * sign-in, after auth_check_signin() accepted the password and asked for
 * the code): *fail AUTH_BAD_TOTP also for a user who is not enrolled.
 * Records the accepted step. */
int auth_check_totp(struct store *st, const char *user, const char *totp, int64_t now,
		    unsigned *roles, enum auth_fail *fail);

/* A new API token for user with roles (within the user's); expires_at 0:
 * never.  token receives the token text, to be shown once. */
int auth_token_add(struct store *st, const char *user, unsigned roles, int64_t expires_at,
		   int64_t now, char token[AUTH_SECRET_LEN], int64_t *id);
/* The user and effective roles of a Bearer token: its roles within the
 * user's current ones.  E_UNAUTHENTICATED for an unknown, expired or revoked
 * token.  *user is the caller's to free. */
int auth_token_check(struct store *st, const char *token, int64_t now, char **user,
		     unsigned *roles, int64_t *id);
/* The same, and in *until the instant the token stops acting by itself
 * (its expiry; INT64_MAX when it has none): with the database unchanged
 * the answer stays the same until then (what the server caches). */
int auth_token_check_until(struct store *st, const char *token, int64_t now, char **user,
			   unsigned *roles, int64_t *id, int64_t *until);

/* A new session: cookie and csrf receive the secrets for the client. */
int auth_session_new(struct store *st, const char *user, int64_t now,
		     char cookie[AUTH_SECRET_LEN], char csrf[AUTH_SECRET_LEN], int64_t *id);
/* The session of a cookie value, if in force at now (idle 30 min, absolute
 * 12 h); touches it at most once a minute.  E_UNAUTHENTICATED otherwise.
 * out's strings are the caller's (session_record_release). */
int auth_session_check(struct store *st, const char *cookie, int64_t now,
		       struct session_record *out);
void session_record_release(struct session_record *s);

/* A new one-time secret (32 random bytes, base64url, after prefix) and
 * the SHA-256 hex under which it is stored (the portals' links). */
void auth_secret_new(const char *prefix, char out[AUTH_SECRET_LEN]);
void auth_secret_hash(const char *secret, char hex[65]);

/* Constant-time comparison of two NUL-terminated strings. */
int auth_equal(const char *a, const char *b);

/* The stored form of a token or session secret (SHA-256, hex): what the
 * log records of it (a random secret's hash reveals nothing). */
void auth_secret_ref(const char *secret, char hex[65]);

#endif
