/*
 * outbox.c - messages as .eml files in a folder, for deployments that hand
 * mail to another system (see mail.h).  A file appears whole or not at all
 * (base/fileio.h), so whatever picks the folder up never reads half a
 * message; the folder is private to its owner because notices hold
 * personal data.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/util.h"
#include "mail/mail.h"

/* mkdir -p with mode 0700 for the folders it creates. */
static int make_dirs(const char *dir)
{
	char *p = xstrdup(dir);
	int rc = 0;
	for (char *s = p + 1; rc == 0; s++) {
		int end = *s == '\0';
		if (*s != '/' && !end)
			continue;
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			rc = err_set(E_IO, "cannot create the outbox folder '%s': %s", p,
				     strerror(errno));
		if (end)
			break;
		*s = '/';
	}
	free(p);
	struct stat sb;
	if (rc == 0 && (stat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode)))
		rc = err_set(E_IO, "outbox '%s' is not a folder", dir);
	return rc;
}

int mail_outbox_write(const char *dir, const char *name, const char *data, size_t len)
{
	if (!*dir || !*name || strchr(name, '/') || name[0] == '.')
		return err_set(E_INTERNAL, "bad outbox file name '%s'", name);
	int rc = make_dirs(dir);
	if (rc < 0)
		return rc;
	char *path = xasprintf("%s/%s", dir, name);
	rc = file_write_atomic(path, data, len);
	free(path);
	return rc;
}
