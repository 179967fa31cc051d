/*
 * receipt.c - delivery receipts (mail.h): a durable note that a message
 * was handed over, written between the delivery and the unit of work that
 * records it, so a crash in between does not make the message go twice.
 *
 * One file per claim token in a private folder beside the database
 * (DB.deliveries/, mode 0700, never through a symbolic link); its text is
 * the time of the delivery in seconds.  A receipt is written with O_EXCL
 * and synced, with its folder, before the delivery is recorded.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/util.h"
#include "mail/mail.h"

static int token_ok(const char *claim)
{
	size_t n = strlen(claim);
	if (n == 0 || n > 64)
		return 0;
	for (const char *p = claim; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

static int open_dir(const char *dir, int create)
{
	if (create && mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -1;
	return open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

int mail_receipt_write(const char *dir, const char *claim, int64_t at)
{
	char text[32];
	int dfd, fd, rc = 0;
	if (!token_ok(claim))
		return err_set(E_INTERNAL, "bad claim token");
	if ((dfd = open_dir(dir, 1)) < 0)
		return err_set(E_IO, "cannot open the receipts folder '%s': %s", dir,
			       strerror(errno));
	fd = openat(dfd, claim, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	int n = snprintf(text, sizeof(text), "%lld\n", (long long)at);
	if (fd < 0 || fd_write_all(fd, text, (size_t)n) < 0 || fsync(fd) < 0 || fsync(dfd) < 0)
		rc = err_set(E_IO, "cannot write a delivery receipt in '%s': %s", dir,
			     errno == ENOSPC ? "the disk is full" : strerror(errno));
	if (fd >= 0)
		close(fd);
	close(dfd);
	return rc;
}

int mail_receipt_read(const char *dir, const char *claim, int64_t *at)
{
	char text[32] = "";
	int dfd, fd;
	if (!token_ok(claim) || (dfd = open_dir(dir, 0)) < 0)
		return -E_NOTFOUND;
	fd = openat(dfd, claim, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	close(dfd);
	if (fd < 0)
		return -E_NOTFOUND;
	ssize_t n = read(fd, text, sizeof(text) - 1);
	close(fd);
	*at = n > 0 ? strtoll(text, NULL, 10) : 0;
	return 0;
}

void mail_receipt_remove(const char *dir, const char *claim)
{
	int dfd;
	if (!token_ok(claim) || (dfd = open_dir(dir, 0)) < 0)
		return;
	unlinkat(dfd, claim, 0);
	fsync(dfd);
	close(dfd);
}

int mail_receipt_each(const char *dir, int (*cb)(void *ctx, const char *claim), void *ctx)
{
	int dfd = open_dir(dir, 0), rc = 0;
	if (dfd < 0)
		return 0;
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return 0;
	}
	struct dirent *e;
	while (rc == 0 && (e = readdir(d)))
		if (token_ok(e->d_name))
			rc = cb(ctx, e->d_name);
	closedir(d);
	return rc;
}
