/*
 * keyfile.c - the files of docket's 32-byte secret keys (keyfile.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/util.h"
#include "core/keyfile.h"
#include "log/note.h"

#define FILE_MAX 256

int keyfile_generate(const char *path, const char *prefix, const char *what)
{
	unsigned char k[KEYFILE_BYTES];
	if (sodium_init() < 0)
		return err_set(E_INTERNAL, "libsodium failed to start");
	randombytes_buf(k, sizeof(k));
	char *b64 = note_base64(k, sizeof(k));
	char *text = xasprintf("%s%s\n", prefix, b64);
	sodium_memzero(k, sizeof(k));
	int rc = file_create_secret(path, text, what);
	sodium_memzero(b64, strlen(b64));
	sodium_memzero(text, strlen(text));
	free(b64);
	free(text);
	return rc;
}

int keyfile_load(const char *path, const char *prefix, const char *what,
		 unsigned char key[KEYFILE_BYTES])
{
	char text[FILE_MAX];
	unsigned char raw[KEYFILE_BYTES + 3];
	struct stat sb;
	ssize_t r;
	size_t len = 0, n = 0, plen = strlen(prefix);
	if (sodium_init() < 0)
		return err_set(E_INTERNAL, "libsodium failed to start");
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), rc = 0;
	if (fd < 0)
		return errno == ENOENT ? -E_NOTFOUND
				       : err_set(E_IO, "cannot open %s '%s': %s", what, path,
						 strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		rc = err_set(E_REFUSED, "%s '%s' is not a regular file", what, path);
	else if (sb.st_mode & (S_IRWXG | S_IRWXO))
		rc = err_set(E_REFUSED,
			     "%s '%s' may be read or changed by group or others (mode %04o): "
			     "run 'chmod 600 %s'",
			     what, path, (unsigned)(sb.st_mode & 07777), path);
	while (rc == 0 && (r = read(fd, text + len, sizeof(text) - 1 - len)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			rc = err_set(E_IO, "cannot read %s '%s': %s", what, path,
				     strerror(errno));
		else if ((len += (size_t)r) == sizeof(text) - 1)
			rc = err_set(E_INVALID, "%s '%s' is too large", what, path);
	}
	close(fd);
	if (rc == 0) {
		if (len > 0 && text[len - 1] == '\n')
			len--;
		if (len <= plen || memcmp(text, prefix, plen) != 0 ||
		    note_unbase64(text + plen, len - plen, raw, sizeof(raw), &n) < 0 ||
		    n != KEYFILE_BYTES)
			rc = err_set(E_INVALID,
				     "%s '%s' is damaged: expected one line '%s<base64 of 32 "
				     "bytes>'",
				     what, path, prefix);
		else
			memcpy(key, raw, KEYFILE_BYTES);
	}
	sodium_memzero(text, sizeof(text));
	sodium_memzero(raw, sizeof(raw));
	return rc;
}
