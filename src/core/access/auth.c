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
#include "base/keys.h"
#include "base/util.h"
#include "core/keyfile.h"
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

/* --- TOTP secrets at rest ---------------------------------------------- */

#define MFA_KEY_PREFIX "docket-mfa-key/1 "
#define MFA_KEY_WHAT "mfa key file"
#define SEAL_MAGIC "totp-sealed/1:"
#define SEAL_MAGIC_LEN (sizeof(SEAL_MAGIC) - 1)
#define SEAL_NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define SEAL_TAG crypto_aead_xchacha20poly1305_ietf_ABYTES
#define SEAL_OVERHEAD (SEAL_MAGIC_LEN + SEAL_NONCE + SEAL_TAG)
#define CLEAR_MAX 64              /* a secret stored in the clear, at most */
#define AD_PREFIX "docket-totp/1\n"

_Static_assert(SEAL_OVERHEAD + TOTP_SECRET_LEN <= STORE_TOTP_MAX,
	       "a sealed TOTP secret fits its column");

int auth_mfa_key_generate(const char *path)
{
	return keyfile_generate(path, MFA_KEY_PREFIX, MFA_KEY_WHAT);
}

int auth_totp_is_sealed(const uint8_t *stored, size_t len)
{
	return len > SEAL_OVERHEAD && memcmp(stored, SEAL_MAGIC, SEAL_MAGIC_LEN) == 0;
}

static int count_sealed(void *ctx, const char *user, const uint8_t *stored, size_t len)
{
	(void)user;
	if (auth_totp_is_sealed(stored, len))
		++*(int64_t *)ctx;
	return 0;
}

/* The MFA key of st's database.  make: create the file when it is missing
 * and no sealed secret needs the lost one. */
static int mfa_key(struct store *st, int make, unsigned char k[KEYFILE_BYTES])
{
	char *path = NULL;
	int64_t sealed = 0;
	int rc = keys_path(store_path(st), AUTH_MFA_KEY_SUFFIX, &path);
	if (rc < 0)
		return rc;
	rc = keyfile_load(path, MFA_KEY_PREFIX, MFA_KEY_WHAT, k);
	if (rc == -E_NOTFOUND && make &&
	    (rc = store_auth_each_totp(st, count_sealed, &sealed)) == 0) {
		if (sealed == 0 && (rc = auth_mfa_key_generate(path)) == 0)
			rc = keyfile_load(path, MFA_KEY_PREFIX, MFA_KEY_WHAT, k);
		else if (sealed > 0)
			rc = -E_NOTFOUND;
	}
	if (rc == -E_NOTFOUND)
		rc = err_set(E_INTERNAL,
			     "no mfa key file '%s': the stored totp secrets cannot be read "
			     "without it (restore it from the backup of this database)",
			     path);
	free(path);
	return rc;
}

static size_t seal_ad(char *ad, size_t max, const char *user)
{
	int n = snprintf(ad, max, AD_PREFIX "%s", user);
	return n < 0 || (size_t)n >= max ? 0 : (size_t)n;
}

/* secret sealed for user into out (STORE_TOTP_MAX bytes). */
static int totp_seal(const unsigned char k[KEYFILE_BYTES], const char *user,
		     const uint8_t *secret, size_t len, uint8_t *out, size_t *outlen)
{
	char ad[320];
	size_t adlen = seal_ad(ad, sizeof(ad), user);
	unsigned long long clen = 0;
	if (!adlen || len == 0 || SEAL_OVERHEAD + len > STORE_TOTP_MAX)
		return err_set(E_INVALID, "cannot seal the totp secret of user '%s'", user);
	memcpy(out, SEAL_MAGIC, SEAL_MAGIC_LEN);
	randombytes_buf(out + SEAL_MAGIC_LEN, SEAL_NONCE);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + SEAL_MAGIC_LEN + SEAL_NONCE, &clen,
						   secret, len, (const unsigned char *)ad,
						   adlen, NULL, out + SEAL_MAGIC_LEN, k);
	*outlen = SEAL_MAGIC_LEN + SEAL_NONCE + (size_t)clen;
	return 0;
}

/* The clear secret of user's stored bytes into secret (STORE_TOTP_MAX
 * bytes): opened under the MFA key, or as it is when stored in the clear
 * by an older docket. */
static int totp_open(struct store *st, const char *user, const uint8_t *stored,
		     size_t len, uint8_t *secret, size_t *slen)
{
	unsigned char k[KEYFILE_BYTES];
	char ad[320];
	unsigned long long mlen = 0;
	if (!auth_totp_is_sealed(stored, len)) {
		if (len > CLEAR_MAX)
			return err_set(E_INTERNAL, "the stored totp secret of user '%s' "
						   "is damaged", user);
		memcpy(secret, stored, len);
		*slen = len;
		return 0;
	}
	size_t adlen = seal_ad(ad, sizeof(ad), user);
	int rc = mfa_key(st, 0, k);
	if (rc < 0)
		return rc;
	if (!adlen ||
	    crypto_aead_xchacha20poly1305_ietf_decrypt(
		secret, &mlen, NULL, stored + SEAL_MAGIC_LEN + SEAL_NONCE,
		len - SEAL_MAGIC_LEN - SEAL_NONCE, (const unsigned char *)ad, adlen,
		stored + SEAL_MAGIC_LEN, k) != 0)
		/* internal: the server logs it, the client that tried to
		 * sign in learns nothing about the user */
		rc = err_set(E_INTERNAL, "the stored totp secret of user '%s' does not "
					 "open under the mfa key: wrong key file, or the row "
					 "was changed outside docket (enrol the user again)",
			     user);
	else
		*slen = (size_t)mlen;
	sodium_memzero(k, sizeof(k));
	return rc;
}

struct clear_list {
	char **names;
	size_t n, cap;
};

static int collect_clear(void *ctx, const char *user, const uint8_t *stored, size_t len)
{
	struct clear_list *l = ctx;
	if (auth_totp_is_sealed(stored, len))
		return 0;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->names = xrealloc(l->names, l->cap * sizeof(*l->names));
	}
	l->names[l->n++] = xstrdup(user);
	return 0;
}

int auth_mfa_seal_clear(struct store *st, int (*cb)(void *ctx, const char *user),
			void *ctx, int *sealed)
{
	struct clear_list l = {0};
	unsigned char k[KEYFILE_BYTES];
	int rc = store_auth_each_totp(st, collect_clear, &l);
	if (sealed)
		*sealed = 0;
	if (rc == 0 && l.n > 0)
		rc = mfa_key(st, 1, k);
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		struct staff_auth a;
		uint8_t out[STORE_TOTP_MAX];
		size_t outlen = 0;
		if ((rc = store_auth_get(st, l.names[i], &a)) < 0)
			break;
		if (a.totp_len > 0 && !auth_totp_is_sealed(a.totp_secret, a.totp_len) &&
		    (rc = totp_seal(k, l.names[i], a.totp_secret, a.totp_len, out,
				    &outlen)) == 0 &&
		    (rc = store_auth_reseal_totp(st, l.names[i], out, outlen)) == 0) {
			if (sealed)
				++*sealed;
			if (cb)
				rc = cb(ctx, l.names[i]);
		}
		free(a.password);
		sodium_memzero(&a, sizeof(a));
		sodium_memzero(out, sizeof(out));
	}
	if (l.n > 0)
		sodium_memzero(k, sizeof(k));
	for (size_t i = 0; i < l.n; i++)
		free(l.names[i]);
	free(l.names);
	return rc;
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
	unsigned char k[KEYFILE_BYTES];
	uint8_t sealed[STORE_TOTP_MAX];
	size_t slen = 0;
	if ((rc = mfa_key(st, 1, k)) == 0) {
		rc = totp_seal(k, user, secret, sizeof(secret), sealed, &slen);
		sodium_memzero(k, sizeof(k));
	}
	if (rc == 0 && (rc = store_auth_set_totp(st, user, sealed, slen)) == 0) {
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
	uint8_t secret[STORE_TOTP_MAX];
	size_t slen = 0;
	if (!code || strlen(code) != 6 || strspn(code, "0123456789") != 6) {
		*fail = AUTH_BAD_TOTP;
		return 0;
	}
	if (oath_init() != OATH_OK)
		return err_set(E_INTERNAL, "cannot initialise liboath");
	int rc = totp_open(st, user, a->totp_secret, a->totp_len, secret, &slen);
	if (rc < 0)
		return rc;
	int r = oath_totp_validate3((const char *)secret, slen, (time_t)now, TOTP_STEP, 0,
				    TOTP_WINDOW, &pos, &counter, code);
	sodium_memzero(secret, sizeof(secret));
	if (r < 0) {
		*fail = AUTH_BAD_TOTP;
		return 0;
	}
	/* each code once: a step at or below the last accepted one is a
	 * replay (the store compares and sets in one statement) */
	rc = store_auth_totp_step(st, user, (int64_t)counter, &accepted);
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
