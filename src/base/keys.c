/*
 * keys.c - where a database's secret files live (base/keys.h).
 */
#include "base/keys.h"

#include <stdlib.h>

#include "base/err.h"
#include "base/util.h"

static char *key_dir;

void keys_dir_set(const char *dir)
{
	free(key_dir);
	key_dir = dir && *dir ? xstrdup(dir) : NULL;
}

const char *keys_dir(void)
{
	return key_dir;
}

char *keys_beside(const char *db, const char *suffix)
{
	if ((str_has_prefix(db, "postgres://") || str_has_prefix(db, "postgresql://")) &&
	    key_dir) {
		const char *slash = strrchr(key_dir, '/');
		if (!slash)
			return xasprintf("docket%s", suffix);
		return xasprintf("%.*s/docket%s", (int)(slash - key_dir), key_dir, suffix);
	}
	return xasprintf("%s%s", db, suffix);
}

int keys_path(const char *db, const char *suffix, char **out)
{
	*out = NULL;
	if (key_dir) {
		*out = xasprintf("%s/docket%s", key_dir, suffix);
		return 0;
	}
	if (str_has_prefix(db, "postgres://") || str_has_prefix(db, "postgresql://"))
		return err_set(E_USAGE, "a PostgreSQL database keeps its keys in the directory "
					"named by DOCKET_KEYS; set it");
	*out = xasprintf("%s%s", db, suffix);
	return 0;
}
