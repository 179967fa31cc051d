/*
 * refkey.c - the key file of the log's identifier references (refkey.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "base/err.h"
#include "base/keys.h"
#include "base/fileio.h"
#include "base/util.h"
#include "core/ledger/refkey.h"
#include "log/note.h"

#define PREFIX "docket-ref-key/1 "
#define FILE_MAX 256

int refkey_generate(const char *path)
{
	unsigned char k[REFKEY_BYTES];
	if (sodium_init() < 0)
		return err_set(E_INTERNAL, "libsodium failed to start");
	randombytes_buf(k, sizeof(k));
	char *b64 = note_base64(k, sizeof(k));
	char *text = xasprintf(PREFIX "%s\n", b64);
	sodium_memzero(k, sizeof(k));
	int rc = file_create_secret(path, text, "log reference key file");
	sodium_memzero(b64, strlen(b64));
	sodium_memzero(text, strlen(text));
	free(b64);
	free(text);
	return rc;
}

static int load(const char *path, unsigned char key[REFKEY_BYTES])
{
	char text[FILE_MAX];
	unsigned char raw[REFKEY_BYTES + 3];
	struct stat sb;
	ssize_t r;
	size_t len = 0, n = 0, plen = strlen(PREFIX);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), rc = 0;
	if (fd < 0)
		return errno == ENOENT ? -E_NOTFOUND
				       : err_set(E_IO, "cannot open log reference key file "
						       "'%s': %s",
						 path, strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		rc = err_set(E_REFUSED, "log reference key file '%s' is not a regular file",
			     path);
	else if (sb.st_mode & (S_IRWXG | S_IRWXO))
		rc = err_set(E_REFUSED,
			     "log reference key file '%s' may be read or changed by group or "
			     "others (mode %04o): run 'chmod 600 %s'",
			     path, (unsigned)(sb.st_mode & 07777), path);
	while (rc == 0 && (r = read(fd, text + len, sizeof(text) - 1 - len)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			rc = err_set(E_IO, "cannot read log reference key file '%s': %s", path,
				     strerror(errno));
		else if ((len += (size_t)r) == sizeof(text) - 1)
			rc = err_set(E_INVALID, "log reference key file '%s' is too large",
				     path);
	}
	close(fd);
	if (rc == 0) {
		if (len > 0 && text[len - 1] == '\n')
			len--;
		if (len <= plen || memcmp(text, PREFIX, plen) != 0 ||
		    note_unbase64(text + plen, len - plen, raw, sizeof(raw), &n) < 0 ||
		    n != REFKEY_BYTES)
			rc = err_set(E_INVALID,
				     "log reference key file '%s' is damaged: expected one "
				     "line '" PREFIX "<base64 of 32 bytes>'",
				     path);
		else
			memcpy(key, raw, REFKEY_BYTES);
	}
	sodium_memzero(text, sizeof(text));
	sodium_memzero(raw, sizeof(raw));
	return rc;
}

/* One database's key, kept for the life of the process. */
static struct {
	char *path;
	unsigned char k[REFKEY_BYTES];
} cache;

int refkey_get(struct store *st, unsigned char key[REFKEY_BYTES])
{
	char *path = NULL;
	int rc = keys_path(store_path(st), REFKEY_SUFFIX, &path);
	if (rc < 0)
		return rc;
	if (!cache.path || strcmp(cache.path, path) != 0) {
		unsigned char k[REFKEY_BYTES];
		if (sodium_init() < 0) {
			free(path);
			return err_set(E_INTERNAL, "libsodium failed to start");
		}
		rc = load(path, k);
		if (rc == -E_NOTFOUND && (rc = refkey_generate(path)) == 0)
			rc = load(path, k);
		if (rc == 0) {
			free(cache.path);
			cache.path = xstrdup(path);
			memcpy(cache.k, k, sizeof(k));
		}
		sodium_memzero(k, sizeof(k));
	}
	if (rc == 0)
		memcpy(key, cache.k, REFKEY_BYTES);
	free(path);
	return rc;
}
