/*
 * auth.c - passwords, TOTP, API tokens and sessions (auth.h).
 */
#include "core/access/auth.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <liboath/oath.h>
#include <sodium.h>

#include "base/digest.h"
#include "base/err.h"
#include "base/util.h"
#include "model/enums.h"

#define TOTP_STEP 30
#define TOTP_WINDOW 1             /* one step either side: clock skew */
#define TOTP_SECRET_LEN 20        /* 160 bits, RFC 4226's recommendation */

int auth_equal(const char *a, const char *b)
{
	if (!a || !b)
		return 0;
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return 0;
	return sodium_memcmp(a, b, la) == 0;
}

/* 32 random bytes as base64url, with an optional prefix. */
static void random_secret(const char *prefix, char out[AUTH_SECRET_LEN])
{
	unsigned char raw[32];
	size_t pl = strlen(prefix);
	randombytes_buf(raw, sizeof(raw));
	memcpy(out, prefix, pl);
	sodium_bin2base64(out + pl, AUTH_SECRET_LEN - pl, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

static void secret_hash(const char *secret, char hex[65])
{
	digest_hex(secret, strlen(secret), hex);
}

void auth_secret_ref(const char *secret, char hex[65])
{
	secret_hash(secret, hex);
}

void auth_secret_new(const char *prefix, char out[AUTH_SECRET_LEN])
{
	random_secret(prefix, out);
}

void auth_secret_hash(const char *secret, char hex[65])
{
	secret_hash(secret, hex);
}

/* --- passwords ----------------------------------------------------------- */

int auth_password_set(struct store *st, const char *user, const char *password,
		      int64_t now)
{
	char hash[crypto_pwhash_STRBYTES];
	unsigned roles;
	int rc;
	size_t n = strlen(password);
	if (n < AUTH_PASSWORD_MIN)
		return err_set(E_INVALID, "a password needs at least %d characters",
			       AUTH_PASSWORD_MIN);
	if (n > AUTH_PASSWORD_MAX)
		return err_set(E_INVALID, "a password has at most %d characters",
			       AUTH_PASSWORD_MAX);
	if ((rc = store_user_roles(st, user, &roles)) < 0)
		return rc;
	if (crypto_pwhash_str(hash, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return err_set(E_INTERNAL, "cannot hash the password (out of memory)");
	if ((rc = store_auth_set_password(st, user, hash, now)) == 0)
		rc = store_session_revoke_user(st, user, now);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

int auth_password_check(struct store *st, const char *user, const char *password,
			int *match)
{
	struct staff_auth a;
	int rc = store_auth_get(st, user, &a);
	size_t n = strnlen(password, AUTH_PASSWORD_MAX + 1);
	*match = rc == 0 && a.password && n <= AUTH_PASSWORD_MAX &&
		 crypto_pwhash_str_verify(a.password, password, n) == 0;
	free(a.password);
	sodium_memzero(&a, sizeof(a));
	return rc;
}

/* --- TOTP ------------------------------------------------------------------ */

static char *uri_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = xmalloc(strlen(s) * 3 + 1), *o = out;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

int auth_mfa_enrol(struct store *st, const char *user, const char *issuer, char **uri)
{
	uint8_t secret[TOTP_SECRET_LEN];
	char *b32 = NULL;
	size_t b32len = 0;
	unsigned roles;
	int rc;
	*uri = NULL;
	if ((rc = store_user_roles(st, user, &roles)) < 0)
		return rc;
	randombytes_buf(secret, sizeof(secret));
	if (oath_init() != OATH_OK ||
	    oath_base32_encode((const char *)secret, sizeof(secret), &b32, &b32len) != OATH_OK) {
		sodium_memzero(secret, sizeof(secret));
		return err_set(E_INTERNAL, "cannot encode the TOTP secret");
	}
	if ((rc = store_auth_set_totp(st, user, secret, sizeof(secret))) == 0) {
		char *is = uri_escape(issuer), *us = uri_escape(user);
		*uri = xasprintf("otpauth://totp/%s:%s?secret=%s&issuer=%s&algorithm=SHA1&"
				 "digits=6&period=%d",
				 is, us, b32, is, TOTP_STEP);
		free(is);
		free(us);
	}
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(b32, b32len);
	free(b32);
	return rc;
}

static int totp_ok(struct store *st, const char *user, const struct staff_auth *a,
		   const char *code, int64_t now, enum auth_fail *fail)
{
	int pos = 0, accepted = 0;
	uint64_t counter = 0;
	if (!code || strlen(code) != 6 || strspn(code, "0123456789") != 6) {
		*fail = AUTH_BAD_TOTP;
		return 0;
	}
	if (oath_init() != OATH_OK)
		return err_set(E_INTERNAL, "cannot initialise liboath");
	int r = oath_totp_validate3((const char *)a->totp_secret, a->totp_len, (time_t)now,
				    TOTP_STEP, 0, TOTP_WINDOW, &pos, &counter, code);
	if (r < 0) {
		*fail = AUTH_BAD_TOTP;
		return 0;
	}
	/* each code once: a step at or below the last accepted one is a
	 * replay (the store compares and sets in one statement) */
	int rc = store_auth_totp_step(st, user, (int64_t)counter, &accepted);
	if (rc < 0)
		return rc;
	if (!accepted)
		*fail = AUTH_TOTP_REPLAY;
	return 0;
}

/* --- sign-in ---------------------------------------------------------------- */

const char *auth_fail_str(enum auth_fail f)
{
	static const char *const s[] = {"ok", "unknown user", "wrong password",
					"mfa not enrolled", "wrong code", "code reused",
					"suspended"};
	return (unsigned)f < ARRAY_SIZE(s) ? s[f] : "unknown";
}

/* An argon2id string for a password nobody has, so that an unknown user
 * costs the same time as a wrong password. */
static char dummy[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_make(void)
{
	if (crypto_pwhash_str(dummy, "docket-no-such-user", 19,
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy[0] = '\0';   /* then an unknown user fails fast: no worse */
}

static const char *dummy_hash(void)
{
	pthread_once(&dummy_once, dummy_make);
	return dummy;
}

int auth_check_signin(struct store *st, const char *user, const char *password,
		      const char *totp, int64_t now, int mfa_required, unsigned *roles,
		      enum auth_fail *fail)
{
	struct staff_auth a;
	int rc, known;
	*fail = AUTH_OK;
	*roles = 0;
	rc = store_user_roles(st, user, roles);
	if (rc < 0 && rc != -E_NOTFOUND)
		return rc;
	known = rc == 0;
	if ((rc = store_auth_get(st, user, &a)) < 0)
		return rc;
	const char *hash = known && a.password ? a.password : dummy_hash();
	size_t plen = strnlen(password, AUTH_PASSWORD_MAX + 1);
	int match = plen <= AUTH_PASSWORD_MAX &&
		    crypto_pwhash_str_verify(hash, password, plen) == 0;
	if (!known)
		*fail = AUTH_NO_USER;
	else if (!a.password || !match)
		*fail = AUTH_BAD_PASSWORD;
	else if (a.totp_len)
		rc = totp_ok(st, user, &a, totp, now, fail);
	else if ((mfa_required && (*roles & ~ROLE_BIT(ROLE_AUDITOR))) ||
		 (*roles & ROLE_BIT(ROLE_OFFICER)))   /* an officer always (SPEC §14) */
		*fail = AUTH_MFA_NEEDED;
	free(a.password);
	sodium_memzero(&a, sizeof(a));
	return rc;
}

/* The second step of a two-step sign-in (the pages): the password was
 * checked a moment ago, now the TOTP code of an enrolled user. */
int auth_check_totp(struct store *st, const char *user, const char *totp, int64_t now,
		    unsigned *roles, enum auth_fail *fail)
{
	struct staff_auth a;
	int rc;
	*fail = AUTH_OK;
	*roles = 0;
	rc = store_user_roles(st, user, roles);
	if (rc == -E_NOTFOUND) {
		*fail = AUTH_NO_USER;
		return 0;
	}
	if (rc < 0 || (rc = store_auth_get(st, user, &a)) < 0)
		return rc;
	if (!a.totp_len)
		*fail = AUTH_BAD_TOTP;
	else
		rc = totp_ok(st, user, &a, totp, now, fail);
	free(a.password);
	sodium_memzero(&a, sizeof(a));
	return rc;
}

/* --- tokens -------------------------------------------------------------- */

int auth_token_add(struct store *st, const char *user, unsigned roles, int64_t expires_at,
		   int64_t now, char token[AUTH_SECRET_LEN], int64_t *id)
{
	unsigned have;
	char hex[65];
	int rc;
	if ((rc = store_user_roles(st, user, &have)) < 0)
		return rc;
	if (!roles)
		roles = have;
	if (roles & ~have) {
		char want[128], got[128];
		roles_format(roles, want, sizeof(want));
		roles_format(have, got, sizeof(got));
		return err_set(E_INVALID, "a token for '%s' may have only its roles (%s), not %s",
			       user, got, want);
	}
	if (expires_at && expires_at <= now)
		return err_set(E_INVALID, "the token's expiry date is in the past");
	random_secret(AUTH_TOKEN_PREFIX, token);
	secret_hash(token, hex);
	struct token_record t = {.user = user, .roles = roles, .created_at = now,
				 .expires_at = expires_at};
	return store_token_add(st, hex, &t, id);
}

int auth_token_check(struct store *st, const char *token, int64_t now, char **user,
		     unsigned *roles, int64_t *id)
{
	int64_t until;
	return auth_token_check_until(st, token, now, user, roles, id, &until);
}

int auth_token_check_until(struct store *st, const char *token, int64_t now, char **user,
			   unsigned *roles, int64_t *id, int64_t *until)
{
	char hex[65];
	struct token_record t;
	unsigned have;
	*user = NULL;
	if (strlen(token) >= AUTH_SECRET_LEN || strncmp(token, AUTH_TOKEN_PREFIX, 4) != 0)
		return err_set(E_UNAUTHENTICATED, "unknown, expired or revoked token");
	secret_hash(token, hex);
	int rc = store_token_find(st, hex, &t, user);
	if (rc == -E_NOTFOUND || (rc == 0 && (t.revoked_at || (t.expires_at && t.expires_at <= now)))) {
		free(*user);
		*user = NULL;
		return err_set(E_UNAUTHENTICATED, "unknown, expired or revoked token");
	}
	if (rc < 0)
		return rc;
	if ((rc = store_user_roles(st, *user, &have)) < 0) {
		free(*user);
		*user = NULL;
		return rc == -E_NOTFOUND
			       ? err_set(E_UNAUTHENTICATED, "unknown, expired or revoked token")
			       : rc;
	}
	*roles = t.roles & have;
	*id = t.id;
	*until = t.expires_at ? t.expires_at : INT64_MAX;
	return 0;
}

/* --- sessions ------------------------------------------------------------ */

/* The CSRF token of a session: derived from its cookie (a keyed hash with
 * the cookie as key), so the server stores none and a page can be given it
 * again at any time; knowing it reveals nothing of the cookie. */
static void csrf_of(const char *cookie, char csrf[AUTH_SECRET_LEN])
{
	unsigned char mac[32];
	crypto_generichash(mac, sizeof(mac), (const unsigned char *)"docket-csrf", 11,
			   (const unsigned char *)cookie, strlen(cookie));
	sodium_bin2base64(csrf, AUTH_SECRET_LEN, mac, sizeof(mac),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int auth_session_new(struct store *st, const char *user, int64_t now,
		     char cookie[AUTH_SECRET_LEN], char csrf[AUTH_SECRET_LEN], int64_t *id)
{
	char hex[65];
	random_secret("", cookie);
	csrf_of(cookie, csrf);
	secret_hash(cookie, hex);
	return store_session_add(st, hex, user, now, id);
}

void session_record_release(struct session_record *s)
{
	free(s->user);
	free(s->csrf);
	memset(s, 0, sizeof(*s));
}

int auth_session_check(struct store *st, const char *cookie, int64_t now,
		       struct session_record *out)
{
	char hex[65];
	memset(out, 0, sizeof(*out));
	if (strlen(cookie) >= AUTH_SECRET_LEN)
		return err_set(E_UNAUTHENTICATED, "no such session");
	secret_hash(cookie, hex);
	int rc = store_session_find(st, hex, out);
	if (rc == -E_NOTFOUND)
		return err_set(E_UNAUTHENTICATED, "no such session");
	if (rc < 0)
		return rc;
	if (out->revoked_at || now - out->seen_at > AUTH_SESSION_IDLE ||
	    now - out->created_at > AUTH_SESSION_MAX || now < out->created_at - 300) {
		session_record_release(out);
		return err_set(E_UNAUTHENTICATED, "the session has ended: sign in again");
	}
	if (now - out->seen_at >= 60 && (rc = store_session_touch(st, out->id, now)) < 0) {
		session_record_release(out);
		return rc;
	}
	out->csrf = xmalloc(AUTH_SECRET_LEN);
	csrf_of(cookie, out->csrf);
	return 0;
}
