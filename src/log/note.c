/*
 * note.c - C2SP signed notes with Ed25519 and tlog checkpoints (note.h).
 *
 * The parser is a chain of small length-capped helpers over (pointer,
 * length) views; nothing here assumes NUL-terminated input except the
 * verifier key string.  Cryptography is libsodium's.
 */
#include <sodium.h>
#include <stdlib.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"
#include "log/note.h"

/* "— ": U+2014 em dash in UTF-8, then a space. */
static const char sig_prefix[] = "\xe2\x80\x94 ";
#define SIG_PREFIX_LEN 4
/* Longest signature accepted from any key: room for other algorithms and
 * witness cosignatures, which must be skipped, not rejected. */
#define SIG_MAX 4096

/* ===================================================================
 * UTF-8 and names
 * =================================================================== */

/* Decode one UTF-8 sequence at s (n > 0 bytes available): its length, or 0
 * when it is not valid UTF-8 (overlong forms, surrogates, > U+10FFFF). */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
	size_t len;
	uint32_t c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0)
		len = 2, c &= 0x1f;
	else if ((c & 0xf0) == 0xe0)
		len = 3, c &= 0x0f;
	else if ((c & 0xf8) == 0xf0)
		len = 4, c &= 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Unicode White_Space, as Go's unicode.IsSpace sees it. */
static int is_unicode_space(uint32_t c)
{
	return (c >= 0x09 && c <= 0x0d) || c == ' ' || c == 0x85 || c == 0xa0 ||
	       c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
	       c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

/* Valid UTF-8 with no ASCII control character other than '\n'. */
static int text_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c;
	for (size_t i = 0, k; i < len; i += k) {
		if (!(k = utf8_next(p + i, len - i, &c)))
			return 0;
		if (c < 0x20 && c != '\n')
			return 0;
	}
	return 1;
}

int note_name_valid(const char *name, size_t len)
{
	const unsigned char *p = (const unsigned char *)name;
	uint32_t c;
	if (len == 0 || len > NOTE_NAME_MAX)
		return 0;
	for (size_t i = 0, k; i < len; i += k) {
		if (!(k = utf8_next(p + i, len - i, &c)))
			return 0;
		if (c < 0x20 || c == '+' || is_unicode_space(c))
			return 0;
	}
	return 1;
}

/* ===================================================================
 * base64
 * =================================================================== */

char *note_base64(const void *data, size_t len)
{
	size_t n = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
	char *out = xmalloc(n);
	sodium_bin2base64(out, n, data, len, sodium_base64_VARIANT_ORIGINAL);
	return out;
}

int note_unbase64(const char *s, size_t len, uint8_t *out, size_t max, size_t *n)
{
	const char *end = NULL;
	if (len == 0 || len % 4 != 0 ||
	    sodium_base642bin(out, max, s, len, NULL, n, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != s + len)
		return err_set(E_INVALID, "bad base64");
	return 0;
}

/* ===================================================================
 * Keys
 * =================================================================== */

uint32_t note_key_id(const char *name, const uint8_t pub[NOTE_PUBKEY_LEN])
{
	return note_key_id_alg(name, NOTE_ALG_ED25519, pub);
}

uint32_t note_key_id_alg(const char *name, uint8_t alg, const uint8_t pub[NOTE_PUBKEY_LEN])
{
	const unsigned char sep[2] = {'\n', alg};
	crypto_hash_sha256_state st;
	uint8_t h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)name, strlen(name));
	crypto_hash_sha256_update(&st, sep, sizeof(sep));
	crypto_hash_sha256_update(&st, pub, NOTE_PUBKEY_LEN);
	crypto_hash_sha256_final(&st, h);
	return (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
}

int note_verifier_format(const char *name, const uint8_t pub[NOTE_PUBKEY_LEN], char **out)
{
	uint8_t key[1 + NOTE_PUBKEY_LEN];
	*out = NULL;
	if (!note_name_valid(name, strlen(name)))
		return err_set(E_INVALID, "bad key name '%s'", name);
	key[0] = NOTE_ALG_ED25519;
	memcpy(key + 1, pub, NOTE_PUBKEY_LEN);
	char *b64 = note_base64(key, sizeof(key));
	*out = xasprintf("%s+%08x+%s", name, (unsigned)note_key_id(name, pub), b64);
	free(b64);
	return 0;
}

static int parse_hex32(const char *s, size_t len, uint32_t *out)
{
	uint32_t v = 0;
	if (len != 8)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
			     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
						    : 16;
		if (d > 15)
			return -1;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

int note_verifier_parse(const char *vkey, struct note_verifier *out)
{
	return note_verifier_parse_alg(vkey, NOTE_ALG_ED25519, out);
}

int note_verifier_parse_alg(const char *vkey, uint8_t alg, struct note_verifier *out)
{
	uint8_t key[1 + NOTE_PUBKEY_LEN + 2];
	size_t klen;
	memset(out, 0, sizeof(*out));
	const char *p1 = strchr(vkey, '+');
	const char *p2 = p1 ? strchr(p1 + 1, '+') : NULL;
	if (!p1 || !p2 || !note_name_valid(vkey, (size_t)(p1 - vkey)) ||
	    parse_hex32(p1 + 1, (size_t)(p2 - p1 - 1), &out->key_id) < 0 ||
	    note_unbase64(p2 + 1, strlen(p2 + 1), key, sizeof(key), &klen) < 0)
		return err_set(E_INVALID, "malformed verifier key '%.80s'", vkey);
	if (klen != 1 + NOTE_PUBKEY_LEN || key[0] != alg)
		return err_set(E_INVALID, "verifier key '%.80s' is not an Ed25519 %s key",
			       vkey, alg == NOTE_ALG_ED25519 ? "signing" : "cosigning");
	memcpy(out->name, vkey, (size_t)(p1 - vkey));
	memcpy(out->pub, key + 1, NOTE_PUBKEY_LEN);
	if (note_key_id_alg(out->name, alg, out->pub) != out->key_id)
		return err_set(E_INVALID, "verifier key '%.80s' has the wrong key id",
			       vkey);
	return 0;
}

/* ===================================================================
 * Signing
 * =================================================================== */

static int note_text_ok(const char *text, size_t len)
{
	if (len == 0 || text[len - 1] != '\n' || !text_valid(text, len))
		return 0;
	for (size_t i = 1; i < len; i++)
		if (text[i] == '\n' && text[i - 1] == '\n')
			return 0;
	return text[0] != '\n';
}

int note_sign(const char *text, size_t len, const char *name,
	      const uint8_t sk[NOTE_SECKEY_LEN], char **out)
{
	uint8_t pub[NOTE_PUBKEY_LEN], sig[4 + NOTE_SIG_LEN];
	struct buf b;
	*out = NULL;
	if (!note_name_valid(name, strlen(name)))
		return err_set(E_INVALID, "bad key name '%s'", name);
	if (!note_text_ok(text, len))
		return err_set(E_INVALID, "note text is not valid for signing");
	crypto_sign_ed25519_sk_to_pk(pub, sk);
	uint32_t id = note_key_id(name, pub);
	for (int i = 0; i < 4; i++)
		sig[i] = (uint8_t)(id >> (24 - 8 * i));
	crypto_sign_detached(sig + 4, NULL, (const unsigned char *)text, len, sk);
	char *b64 = note_base64(sig, sizeof(sig));
	buf_init(&b, NOTE_MAX_LEN);
	int rc = buf_add(&b, text, len);
	if (rc == 0)
		rc = buf_addf(&b, "\n%s%s %s\n", sig_prefix, name, b64);
	free(b64);
	sodium_memzero(sig, sizeof(sig));
	if (rc < 0) {
		buf_release(&b);
		return err_set(E_INVALID, "signed note would be too long");
	}
	*out = buf_detach(&b, NULL);
	return 0;
}

/* ===================================================================
 * Opening (parsing and verifying)
 * =================================================================== */

static int malformed(const char *why)
{
	return err_set(E_INVALID, "malformed signed note: %s", why);
}

/* Index of the last "\n\n" in s[0..len), or -1. */
static long last_blank_line(const char *s, size_t len)
{
	for (size_t i = len; i >= 2; i--)
		if (s[i - 1] == '\n' && s[i - 2] == '\n')
			return (long)(i - 2);
	return -1;
}

struct sig_line {
	const char *name;
	size_t name_len;
	uint32_t key_id;
	uint8_t sig[4 + SIG_MAX];
	size_t sig_len; /* bytes after the key id */
};

/* Parse "— <name> <base64>" (line without its '\n'). */
static int parse_sig_line(const char *line, size_t len, struct sig_line *s)
{
	size_t n;
	if (len < SIG_PREFIX_LEN || memcmp(line, sig_prefix, SIG_PREFIX_LEN) != 0)
		return malformed("signature line does not start with an em dash");
	line += SIG_PREFIX_LEN;
	len -= SIG_PREFIX_LEN;
	const char *sp = memchr(line, ' ', len);
	if (!sp)
		return malformed("signature line has no signature");
	s->name = line;
	s->name_len = (size_t)(sp - line);
	if (!note_name_valid(s->name, s->name_len))
		return malformed("bad key name in signature line");
	const char *b64 = sp + 1;
	if (note_unbase64(b64, len - s->name_len - 1, s->sig, sizeof(s->sig), &n) < 0 ||
	    n < 5)
		return malformed("bad signature encoding");
	s->key_id = (uint32_t)s->sig[0] << 24 | (uint32_t)s->sig[1] << 16 |
		    (uint32_t)s->sig[2] << 8 | s->sig[3];
	s->sig_len = n - 4;
	return 0;
}

static int sig_by(const struct sig_line *s, const struct note_verifier *v)
{
	return s->key_id == v->key_id && s->name_len == strlen(v->name) &&
	       memcmp(s->name, v->name, s->name_len) == 0;
}

int note_open(const char *msg, size_t len, const struct note_verifier *v,
	      size_t *text_len)
{
	int nsig = 0, verified = 0, rc;
	*text_len = 0;
	if (len > NOTE_MAX_LEN)
		return malformed("too long");
	if (!text_valid(msg, len))
		return malformed("not UTF-8 text without control characters");
	long split = last_blank_line(msg, len);
	if (split < 0)
		return malformed("no signature block");
	size_t text_end = (size_t)split + 1, pos = (size_t)split + 2;
	if (pos == len || msg[len - 1] != '\n')
		return malformed("signature block does not end in a newline");
	while (pos < len) {
		const char *nl = memchr(msg + pos, '\n', len - pos);
		struct sig_line s;
		if ((rc = parse_sig_line(msg + pos, (size_t)(nl - (msg + pos)), &s)) < 0)
			return rc;
		pos = (size_t)(nl - msg) + 1;
		if (++nsig > NOTE_MAX_SIGS)
			return malformed("too many signatures");
		if (!sig_by(&s, v) || verified)
			continue;
		if (s.sig_len != NOTE_SIG_LEN ||
		    crypto_sign_verify_detached(s.sig + 4, (const unsigned char *)msg,
						text_end, v->pub) != 0)
			return err_set(E_INVALID,
				       "signature by key %s+%08x does not verify",
				       v->name, (unsigned)v->key_id);
		verified = 1;
	}
	if (!verified)
		return err_set(E_INVALID, "note is not signed by key %s+%08x", v->name,
			       (unsigned)v->key_id);
	*text_len = text_end;
	return 0;
}

/* ===================================================================
 * Checkpoints
 * =================================================================== */

int checkpoint_format(const struct checkpoint *c, char **out)
{
	*out = NULL;
	if (!note_name_valid(c->origin, strlen(c->origin)))
		return err_set(E_INVALID, "bad log origin '%s'", c->origin);
	if (c->size >= (uint64_t)1 << 63)
		return err_set(E_INVALID, "tree size too large");
	char *root = note_base64(c->root, NOTE_HASH_LEN);
	*out = xasprintf("%s\n%llu\n%s\n", c->origin, (unsigned long long)c->size, root);
	free(root);
	return 0;
}

/* Decimal without leading zeros, below 2^63. */
static int parse_size(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	if (len == 0 || len > 19 || (len > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v >= (uint64_t)1 << 63)
		return -1;
	*out = v;
	return 0;
}

/* The next line of s[*pos..len) (without '\n'); -1 when none is left. */
static int next_line(const char *s, size_t len, size_t *pos, const char **line,
		     size_t *line_len)
{
	if (*pos >= len)
		return -1;
	const char *nl = memchr(s + *pos, '\n', len - *pos);
	if (!nl)
		return -1;
	*line = s + *pos;
	*line_len = (size_t)(nl - *line);
	*pos = (size_t)(nl - s) + 1;
	return 0;
}

static int bad_checkpoint(const char *why)
{
	return err_set(E_INVALID, "malformed checkpoint: %s", why);
}

int checkpoint_parse(const char *text, size_t len, struct checkpoint *out)
{
	const char *l;
	size_t n, pos = 0, rlen;
	memset(out, 0, sizeof(*out));
	if (len > NOTE_MAX_LEN || !text_valid(text, len) || len == 0 ||
	    text[len - 1] != '\n')
		return bad_checkpoint("not newline-terminated UTF-8 text");
	if (next_line(text, len, &pos, &l, &n) < 0 || n == 0 || n > NOTE_NAME_MAX)
		return bad_checkpoint("bad origin line");
	memcpy(out->origin, l, n);
	if (next_line(text, len, &pos, &l, &n) < 0 || parse_size(l, n, &out->size) < 0)
		return bad_checkpoint("bad tree size line");
	if (next_line(text, len, &pos, &l, &n) < 0 ||
	    note_unbase64(l, n, out->root, NOTE_HASH_LEN, &rlen) < 0 ||
	    rlen != NOTE_HASH_LEN)
		return bad_checkpoint("bad root hash line");
	while (next_line(text, len, &pos, &l, &n) == 0)
		if (n == 0)
			return bad_checkpoint("empty extension line");
	return 0;
}
