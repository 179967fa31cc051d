/*
 * signer.c - the Ed25519 signing key, its key file and signing (signer.h).
 *
 * Secrets (the seed, the secret key, the file contents) live only in
 * buffers that are wiped before they are freed or go out of scope.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/util.h"
#include "log/signer.h"

#define KEY_PREFIX "PRIVATE+KEY+"
#define KEY_FILE_MAX 1024
#define SEED_LEN crypto_sign_SEEDBYTES

struct signer {
	char *name;
	char *vkey;
	struct note_verifier verifier;
	uint8_t sk[NOTE_SECKEY_LEN]; /* seed || public key */
};

void signer_free(struct signer *s)
{
	if (!s)
		return;
	free(s->name);
	free(s->vkey);
	freezero(s, sizeof(*s));
}

/* Build a signer from a seed. */
static int from_seed(const char *name, const uint8_t seed[SEED_LEN], struct signer **out)
{
	struct signer *s;
	int rc;
	*out = NULL;
	if (sodium_init() < 0)
		return err_set(E_INTERNAL, "libsodium failed to start");
	if (!note_name_valid(name, strlen(name)))
		return err_set(E_INVALID,
			       "bad key name '%s': it must be non-empty UTF-8 "
			       "without spaces or '+'",
			       name);
	s = xcalloc(1, sizeof(*s));
	crypto_sign_seed_keypair(s->verifier.pub, s->sk, seed);
	s->name = xstrdup(name);
	if ((rc = note_verifier_format(name, s->verifier.pub, &s->vkey)) < 0 ||
	    (rc = note_verifier_parse(s->vkey, &s->verifier)) < 0) {
		signer_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int signer_new(const char *name, struct signer **out)
{
	uint8_t seed[SEED_LEN];
	if (sodium_init() < 0)
		return err_set(E_INTERNAL, "libsodium failed to start");
	randombytes_buf(seed, sizeof(seed));
	int rc = from_seed(name, seed, out);
	sodium_memzero(seed, sizeof(seed));
	return rc;
}

const char *signer_name(const struct signer *s)
{
	return s->name;
}

const char *signer_verifier_key(const struct signer *s)
{
	return s->vkey;
}

const struct note_verifier *signer_verifier(const struct signer *s)
{
	return &s->verifier;
}

int signer_sign(const struct signer *s, const char *text, size_t len, char **note)
{
	return note_sign(text, len, s->name, s->sk, note);
}

/* ===================================================================
 * Key file format
 * =================================================================== */

static int damaged(void)
{
	return err_set(E_INVALID, "signing key is damaged: expected one line "
				  "'PRIVATE+KEY+<name>+<key id>+<key>'");
}

/* Parse "<name>+<hex id>+<base64>" (after the prefix) into a signer. */
static int parse_fields(char *line, struct signer **out)
{
	uint8_t key[1 + SEED_LEN + 2];
	size_t klen = 0;
	int rc;
	char *p1 = strchr(line, '+');
	char *p2 = p1 ? strchr(p1 + 1, '+') : NULL;
	if (!p1 || !p2 || p2 - p1 != 9)
		return damaged();
	*p1 = '\0';
	if (note_unbase64(p2 + 1, strlen(p2 + 1), key, sizeof(key), &klen) < 0 ||
	    klen != 1 + SEED_LEN || key[0] != NOTE_ALG_ED25519) {
		rc = damaged();
		goto out;
	}
	if ((rc = from_seed(line, key + 1, out)) < 0)
		goto out;
	char id[9];
	snprintf(id, sizeof(id), "%08x", (unsigned)(*out)->verifier.key_id);
	if (strncasecmp(id, p1 + 1, 8) != 0) {
		signer_free(*out);
		*out = NULL;
		rc = err_set(E_INVALID,
			     "signing key is damaged: its key id does not match");
	}
out:
	sodium_memzero(key, sizeof(key));
	return rc;
}

int signer_parse(const char *text, size_t len, struct signer **out)
{
	*out = NULL;
	if (len > 0 && text[len - 1] == '\n')
		len--;
	if (len >= KEY_FILE_MAX || memchr(text, '\0', len) || memchr(text, '\n', len) ||
	    len < strlen(KEY_PREFIX) || memcmp(text, KEY_PREFIX, strlen(KEY_PREFIX)) != 0)
		return damaged();
	char *line = xstrndup(text + strlen(KEY_PREFIX), len - strlen(KEY_PREFIX));
	int rc = parse_fields(line, out);
	freezero(line, len - strlen(KEY_PREFIX) + 1);
	return rc;
}

/* "PRIVATE+KEY+<name>+<id>+<base64(0x01 || seed)>\n" (caller wipes and frees). */
static char *format_key(const struct signer *s)
{
	uint8_t key[1 + SEED_LEN];
	key[0] = NOTE_ALG_ED25519;
	crypto_sign_ed25519_sk_to_seed(key + 1, s->sk);
	char *b64 = note_base64(key, sizeof(key));
	char *text = xasprintf(KEY_PREFIX "%s+%08x+%s\n", s->name,
			       (unsigned)s->verifier.key_id, b64);
	freezero(b64, strlen(b64));
	sodium_memzero(key, sizeof(key));
	return text;
}

/* ===================================================================
 * Key files
 * =================================================================== */

int signer_save(const struct signer *s, const char *path)
{
	char *text = format_key(s);
	int rc = file_create_secret(path, text, "key file");
	freezero(text, strlen(text));
	return rc;
}

int signer_generate(const char *path, const char *name)
{
	struct signer *s;
	int rc = signer_new(name, &s);
	if (rc < 0)
		return rc;
	rc = signer_save(s, path);
	signer_free(s);
	return rc;
}

static int check_mode(const char *path, const struct stat *sb)
{
	if (!S_ISREG(sb->st_mode))
		return err_set(E_REFUSED, "key file '%s' is not a regular file", path);
	if (sb->st_mode & (S_IRWXG | S_IRWXO))
		return err_set(E_REFUSED,
			       "key file '%s' may be read or changed by group or others "
			       "(mode %04o): run 'chmod 600 %s'",
			       path, (unsigned)(sb->st_mode & 07777), path);
	return 0;
}

static int read_key_file(int fd, const char *path, char *text, size_t max, size_t *len)
{
	*len = 0;
	for (;;) {
		ssize_t r = read(fd, text + *len, max - *len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return err_set(E_IO, "cannot read key file '%s': %s", path,
				       strerror(errno));
		if (r == 0)
			return 0;
		*len += (size_t)r;
		if (*len == max)
			return err_set(E_INVALID, "key file '%s' is too large", path);
	}
}

int signer_load(const char *path, struct signer **out)
{
	char text[KEY_FILE_MAX];
	struct stat sb;
	size_t len = 0;
	int rc;
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		rc = err_set(E_NOTFOUND, "no signing key '%s'", path);
		err_set_remedy(REMEDY_INIT, 0);
		return rc;
	}
	if (fd < 0)
		return err_set(E_IO, "cannot open key file '%s': %s", path, strerror(errno));
	if (fstat(fd, &sb) != 0)
		rc =
		    err_set(E_IO, "cannot stat key file '%s': %s", path, strerror(errno));
	else if ((rc = check_mode(path, &sb)) == 0 &&
		 (rc = read_key_file(fd, path, text, sizeof(text), &len)) == 0 &&
		 (rc = signer_parse(text, len, out)) < 0)
		err_prefix("key file '%s'", path);
	close(fd);
	sodium_memzero(text, sizeof(text));
	return rc;
}
