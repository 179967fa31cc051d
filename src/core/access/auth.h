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

/* Enrol user in TOTP: a new 160-bit secret, stored sealed (below); *uri
 * (caller frees) is the otpauth:// URI to give the user's authenticator,
 * once. */
int auth_mfa_enrol(struct store *st, const char *user, const char *issuer, char **uri);

/* TOTP secrets at rest.  The check needs the secret itself, so it cannot
 * be hashed; it is stored sealed with XChaCha20-Poly1305 (libsodium, as
 * the vault) under the MFA key - 32 random bytes in the key file
 * "<database>.mfa-key" (with DOCKET_KEYS: DIR/docket.mfa-key; base/keys.h),
 * mode 0600, one line "docket-mfa-key/1 <base64>" - with the user's name
 * as associated data, so a copy of the database alone (a backup, a dump)
 * reveals no secret and a sealed secret moved to another user's row does
 * not open.  Stored form: "totp-sealed/1:" || nonce (24) || ciphertext ||
 * tag (16); `docket db copy` copies it as it is, with the key file.
 *
 * `docket init` makes the key; a database made before gets it at the
 * first enrolment or sealing pass, unless sealed secrets are already stored
 * (then the file was lost: restore it from the backup).  A secret stored
 * in the clear by an older docket is still read as it is, and sealed by
 * the next scheduler pass (auth_mfa_seal_clear(), which app_tick runs and
 * logs as "user.mfa_sealed"). */
#define AUTH_MFA_KEY_SUFFIX ".mfa-key"
/* A new MFA key file at path (E_REFUSED when it exists). */
int auth_mfa_key_generate(const char *path);
/* Seal every TOTP secret stored in the clear, keeping its replay guard;
 * cb(ctx, user) runs after each (to log it), in the caller's unit of
 * work; *sealed (optional) counts them. */
int auth_mfa_seal_clear(struct store *st, int (*cb)(void *ctx, const char *user),
			void *ctx, int *sealed);
/* Whether stored (a staff_auth's totp_secret) is sealed. */
int auth_totp_is_sealed(const uint8_t *stored, size_t len);

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
