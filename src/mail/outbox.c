/*
 * outbox.c - messages as .eml files in a folder, for deployments that hand
 * mail to another system (see mail.h).  A file appears whole or not at all
 * (base/fileio.h), so whatever picks the folder up never reads half a
 * message; the folder is private to its owner because notices hold
 * personal data.  The folder is opened without following a symbolic link
 * (O_NOFOLLOW) and must belong to the service user with no one else
 * allowed to write to it; each message is written to a new temporary file
 * in it (openat, O_EXCL | O_NOFOLLOW), synced and renamed into place
 * relative to the folder's descriptor, so nothing is ever written through
 * a link.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

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

/* The outbox folder itself, never through a symbolic link: notices hold
 * customers' names and accounts, and a link planted in place of the folder
 * would carry them elsewhere. */
static int open_dir(const char *dir, int *fd)
{
	struct stat sb;
	*fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (*fd < 0)
		return err_set(E_IO, errno == ELOOP || errno == ENOTDIR
					     ? "outbox '%s' is a symbolic link or not a folder: "
					       "refused (notices hold personal data)"
					     : "cannot open the outbox folder '%s': %s",
			       dir, strerror(errno));
	if (fstat(*fd, &sb) < 0 || (sb.st_mode & (S_IWGRP | S_IWOTH)) ||
	    sb.st_uid != geteuid()) {
		close(*fd);
		return err_set(E_IO, "outbox '%s' must be a folder owned by the user docket "
				     "runs as that no one else may write to",
			       dir);
	}
	return 0;
}

int mail_outbox_write(const char *dir, const char *name, const char *data, size_t len)
{
	unsigned char rnd[8];
	char tmp[96];
	int dfd, fd = -1, rc;
	if (!*dir || !*name || strchr(name, '/') || name[0] == '.' || strlen(name) > 64)
		return err_set(E_INTERNAL, "bad outbox file name '%s'", name);
	if ((rc = make_dirs(dir)) < 0 || (rc = open_dir(dir, &dfd)) < 0)
		return rc;
	randombytes_buf(rnd, sizeof(rnd));
	snprintf(tmp, sizeof(tmp), ".%s.%02x%02x%02x%02x%02x%02x%02x%02x.tmp", name, rnd[0],
		 rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	/* a new file in that folder (never an existing one, never a link), whole
	 * before it gets its name */
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = err_set(E_IO, "cannot write in the outbox '%s': %s",
			     dir, errno == ENOSPC ? "the disk is full" : strerror(errno));
		goto out;
	}
	if (fd_write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		int e = errno;
		rc = err_set(E_IO, "cannot write '%s/%s': %s", dir, name,
			     e == ENOSPC ? "the disk is full" : strerror(e));
		unlinkat(dfd, tmp, 0);
		goto out;
	}
	if (renameat(dfd, tmp, dfd, name) < 0) {
		rc = err_set(E_IO, "cannot put '%s/%s' in place: %s", dir, name, strerror(errno));
		unlinkat(dfd, tmp, 0);
		goto out;
	}
	/* once renamed the message is handed over (whatever picks the folder up
	 * may have taken it already): a failing fsync of the folder now must
	 * not make it count as undelivered and go again */
	(void)fsync(dfd);
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	close(dfd);
	return rc;
}
