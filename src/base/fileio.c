/*
 * fileio.c - atomic whole-file writes (temp file, fsync, rename, fsync dir).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/util.h"

int fd_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

char *path_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

int dir_sync(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

int file_write_atomic(const char *path, const void *data, size_t len)
{
	char *dir = path_dir(path);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *tmp = xasprintf("%s/.%s.%ld.%08x.tmp", dir, base, (long)getpid(),
			      (unsigned)randombytes_random());
	int rc = 0, fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0) {
		rc = err_set(E_IO, "cannot create a file beside '%s': %s", path,
			     strerror(errno));
		goto out;
	}
	if (fd_write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		rc = err_set(E_IO, "cannot write '%s': %s", path, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		rc = err_set(E_IO, "cannot write '%s': %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	if (dir_sync(dir) < 0)
		rc = err_set(E_IO, "cannot sync the directory of '%s': %s", path,
			     strerror(errno));
out:
	free(tmp);
	free(dir);
	return rc;
}

int file_create_secret(const char *path, const char *text, const char *what)
{
	struct stat sb;
	if (lstat(path, &sb) == 0)
		return err_set(E_REFUSED, "%s '%s' already exists", what, path);
	char *tmp = xasprintf("%s.tmp.%s", path, "XXXXXX");
	int rc = 0, fd = mkstemp(tmp);
	if (fd < 0) {
		rc = err_set(E_IO, "cannot create '%s': %s", tmp, strerror(errno));
		free(tmp);
		return rc;
	}
	int ok = fchmod(fd, S_IRUSR | S_IWUSR) == 0 &&
		 fd_write_all(fd, text, strlen(text)) == 0 && fsync(fd) == 0;
	int saved = errno;
	if (close(fd) != 0 && ok) {
		ok = 0;
		saved = errno;
	}
	if (!ok) {
		rc = err_set(E_IO, "cannot write %s '%s': %s", what, tmp, strerror(saved));
	} else if (link(tmp, path) != 0) {
		/* link() never replaces an existing file, unlike rename() */
		rc = errno == EEXIST ? err_set(E_REFUSED, "%s '%s' already exists", what, path)
				     : err_set(E_IO, "cannot create %s '%s': %s", what, path,
					       strerror(errno));
	} else {
		char *dir = path_dir(path);
		if (dir_sync(dir) < 0) {
			rc = err_set(E_IO, "cannot sync directory '%s': %s", dir,
				     strerror(errno));
			unlink(path);
		}
		free(dir);
	}
	unlink(tmp);
	free(tmp);
	return rc;
}
