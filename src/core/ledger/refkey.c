/*
 * refkey.c - the key file of the log's identifier references (refkey.h).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/err.h"
#include "base/keys.h"
#include "base/util.h"
#include "core/keyfile.h"
#include "core/ledger/refkey.h"

#define PREFIX "docket-ref-key/1 "
#define WHAT "log reference key file"

int refkey_generate(const char *path)
{
	return keyfile_generate(path, PREFIX, WHAT);
}

static int load(const char *path, unsigned char key[REFKEY_BYTES])
{
	return keyfile_load(path, PREFIX, WHAT, key);
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
