/*
 * package.c - reproducible .tar.gz packages with libarchive (package.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "base/buf.h"
#include "base/digest.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/util.h"
#include "core/disclose/package.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE_FLAG (1 << 0)
#else
#define RENAME_NOREPLACE_FLAG RENAME_NOREPLACE
#endif

#define CHUNK 65536

struct package {
	char *path, *tmp, *dir;
	int fd;
	int finished, published;
	int kept; /* publishing failed: the complete file stays at tmp */
	int64_t mtime;
	struct archive *a;
	EVP_MD_CTX *md;
	uint64_t size;
	int write_errno;
};

static void digest_final(EVP_MD_CTX *md, char out[65])
{
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_DigestFinal_ex(md, h, &n);
	hex_encode(h, n, out);
}

static EVP_MD_CTX *digest_new(void)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		fprintf(stderr, "docket: cannot initialise SHA-256\n");
		abort();
	}
	return md;
}

/* ===================================================================
 * Writing
 * =================================================================== */

static la_ssize_t on_write(struct archive *a, void *ctx, const void *buf, size_t n)
{
	struct package *p = ctx;
	if (fd_write_all(p->fd, buf, n) < 0) {
		p->write_errno = errno;
		archive_set_error(a, errno, "write failed");
		return -1;
	}
	EVP_DigestUpdate(p->md, buf, n);
	p->size += n;
	return (la_ssize_t)n;
}

static int archive_fail(struct package *p, const char *what)
{
	if (p->write_errno)
		return err_set(E_IO, "cannot write '%s': %s", p->path,
			       strerror(p->write_errno));
	return err_set(E_IO, "cannot %s for '%s': %s", what, p->path,
		       archive_error_string(p->a) ? archive_error_string(p->a) : "?");
}

int package_create(const char *path, int64_t mtime, struct package **out)
{
	struct package *p = xcalloc(1, sizeof(*p));
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	*out = NULL;
	p->fd = -1;
	p->path = xstrdup(path);
	p->dir = path_dir(path);
	p->mtime = mtime;
	if (!*base) {
		package_free(p);
		return err_set(E_INVALID, "'%s' is a directory, not a file name", path);
	}
	p->tmp = xasprintf("%s/.%s.%ld.%08x.tmp", p->dir, base, (long)getpid(),
			   (unsigned)randombytes_random());
	p->fd = open(p->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (p->fd < 0) {
		int rc = err_set(E_IO, "cannot create a file beside '%s': %s", path,
				 strerror(errno));
		free(p->tmp);
		p->tmp = NULL;
		package_free(p);
		return rc;
	}
	p->md = digest_new();
	p->a = archive_write_new();
	if (!p->a || archive_write_add_filter_gzip(p->a) != ARCHIVE_OK ||
	    archive_write_set_filter_option(p->a, "gzip", "timestamp", NULL) != ARCHIVE_OK ||
	    archive_write_set_format_pax_restricted(p->a) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(p->a, 1) != ARCHIVE_OK ||
	    archive_write_open(p->a, p, NULL, on_write, NULL) != ARCHIVE_OK) {
		int rc = archive_fail(p, "start the archive");
		package_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

int package_add(struct package *p, const char *name, const void *data, size_t len)
{
	struct archive_entry *e = archive_entry_new();
	int rc = 0;
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_mtime(e, (time_t)p->mtime, 0);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_uname(e, PACKAGE_UNAME);
	archive_entry_set_gname(e, PACKAGE_UNAME);
	if (archive_write_header(p->a, e) != ARCHIVE_OK) {
		rc = archive_fail(p, "write a member header");
		goto out;
	}
	const char *at = data;
	while (len) {
		la_ssize_t n = archive_write_data(p->a, at, len);
		if (n <= 0) {
			rc = archive_fail(p, "write a member");
			goto out;
		}
		at += n;
		len -= (size_t)n;
	}
	if (archive_write_finish_entry(p->a) != ARCHIVE_OK)
		rc = archive_fail(p, "finish a member");
out:
	archive_entry_free(e);
	return rc;
}

int package_finish(struct package *p, char sha256[65], uint64_t *size)
{
	if (archive_write_close(p->a) != ARCHIVE_OK)
		return archive_fail(p, "finish the archive");
	/* the file and its (temporary) name are durable before the disclosure
	 * commits, so a crash after the commit cannot lose the package */
	if (fsync(p->fd) < 0 || dir_sync(p->dir) < 0)
		return err_set(E_IO, "cannot write '%s': %s", p->path, strerror(errno));
	digest_final(p->md, sha256);
	*size = p->size;
	p->finished = 1;
	return 0;
}

int package_publish(struct package *p)
{
	if (!p->finished)
		return err_set(E_INTERNAL, "package published before it was finished");
	/* never replace anything: link(2), or renameat2(RENAME_NOREPLACE) on a
	 * file system without hard links */
	int rc = link(p->tmp, p->path);
	if (rc < 0 && (errno == EPERM || errno == EOPNOTSUPP || errno == EMLINK)) {
		rc = (int)syscall(SYS_renameat2, AT_FDCWD, p->tmp, AT_FDCWD, p->path,
				  RENAME_NOREPLACE_FLAG);
		if (rc == 0) {
			p->published = 1;
			return dir_sync(p->dir) < 0
				       ? err_set(E_IO, "cannot sync the directory of '%s': %s",
						 p->path, strerror(errno))
				       : 0;
		}
	}
	if (rc < 0) {
		/* the package is complete and stays where it is: say exactly where */
		p->kept = 1;
		return err_set(errno == EEXIST ? E_REFUSED : E_IO,
			       "cannot put the package at '%s': %s; the complete package is "
			       "kept at '%s' (move it there yourself)",
			       p->path, errno == EEXIST ? "a file appeared there meanwhile"
							: strerror(errno),
			       p->tmp);
	}
	p->published = 1;
	unlink(p->tmp);
	if (dir_sync(p->dir) < 0)
		return err_set(E_IO, "cannot sync the directory of '%s': %s", p->path,
			       strerror(errno));
	return 0;
}

void package_free(struct package *p)
{
	if (!p)
		return;
	if (p->a)
		archive_write_free(p->a);
	if (p->fd >= 0)
		close(p->fd);
	if (p->tmp && !p->published && !p->kept)
		unlink(p->tmp);
	if (p->md)
		EVP_MD_CTX_free(p->md);
	free(p->tmp);
	free(p->path);
	free(p->dir);
	free(p);
}

/* ===================================================================
 * Reading
 * =================================================================== */

struct reader {
	const char *path;
	int fd;
	EVP_MD_CTX *md;
	uint64_t size;
	int read_errno;
	char buf[CHUNK];
};

static la_ssize_t on_read(struct archive *a, void *ctx, const void **out)
{
	struct reader *r = ctx;
	ssize_t n;
	do
		n = read(r->fd, r->buf, sizeof(r->buf));
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		r->read_errno = errno;
		archive_set_error(a, errno, "read failed");
		return -1;
	}
	EVP_DigestUpdate(r->md, r->buf, (size_t)n);
	r->size += (uint64_t)n;
	*out = r->buf;
	return n;
}

/* A relative path of printable ASCII without empty, "." or ".." parts. */
static int member_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > PACKAGE_MAX_NAME || name[0] == '/')
		return 0;
	for (const char *p = name; *p; p++)
		if (*p < 0x21 || *p > 0x7e)
			return 0;
	for (const char *part = name; part;) {
		const char *slash = strchr(part, '/');
		size_t len = slash ? (size_t)(slash - part) : strlen(part);
		if (len == 0 || (len == 1 && part[0] == '.') ||
		    (len == 2 && part[0] == '.' && part[1] == '.'))
			return 0;
		part = slash ? slash + 1 : NULL;
	}
	return 1;
}

static int read_member(struct archive *a, struct archive_entry *e, size_t keep_max,
		       package_member_cb cb, void *ctx, const char *path)
{
	const char *name = archive_entry_pathname(e);
	char shown[80];
	snprintf(shown, sizeof(shown), "%s", name ? name : "");
	if (!name || !member_name_ok(name))
		return err_set(E_INVALID, "package '%s': member '%s' has a name a package may "
					  "not hold",
			       path, shown);
	if (archive_entry_filetype(e) != AE_IFREG)
		return err_set(E_INVALID, "package '%s': member '%s' is not a regular file",
			       path, shown);
	la_int64_t want = archive_entry_size(e);
	struct package_member m = {.name = name, .size = 0};
	struct buf keep;
	EVP_MD_CTX *md = digest_new();
	char chunk[CHUNK];
	la_ssize_t n;
	int rc = 0;
	buf_init(&keep, keep_max);
	while ((n = archive_read_data(a, chunk, sizeof(chunk))) > 0) {
		EVP_DigestUpdate(md, chunk, (size_t)n);
		m.size += (uint64_t)n;
		if (m.size <= keep_max)
			buf_add(&keep, chunk, (size_t)n);
	}
	if (n < 0 || (want >= 0 && (uint64_t)want != m.size))
		rc = err_set(E_INVALID, "package '%s': member '%s' is damaged: %s", path, shown,
			     n < 0 ? archive_error_string(a) : "short");
	if (rc == 0) {
		digest_final(md, m.sha256);
		m.data = m.size <= keep_max ? keep.ptr : NULL;
		rc = cb(ctx, &m);
	}
	EVP_MD_CTX_free(md);
	buf_release(&keep);
	return rc;
}

static int read_members(struct archive *a, const char *path, size_t keep_max,
			package_member_cb cb, void *ctx)
{
	struct archive_entry *e;
	size_t count = 0;
	int r, rc;
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		if (++count > PACKAGE_MAX_MEMBERS)
			return err_set(E_INVALID, "package '%s' has too many members", path);
		if ((rc = read_member(a, e, keep_max, cb, ctx, path)) != 0)
			return rc;
	}
	if (r != ARCHIVE_EOF)
		return err_set(E_INVALID, "package '%s' is not a valid .tar.gz: %s", path,
			       archive_error_string(a) ? archive_error_string(a) : "?");
	return 0;
}

int package_read(const char *path, size_t keep_max, package_member_cb cb, void *ctx,
		 char file_sha256[65], uint64_t *file_size)
{
	struct reader *r = xcalloc(1, sizeof(*r));
	struct archive *a = NULL;
	int rc;
	r->path = path;
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0) {
		rc = err_set(errno == ENOENT ? E_NOTFOUND : E_IO, "cannot open '%s': %s", path,
			     strerror(errno));
		free(r);
		return rc;
	}
	r->md = digest_new();
	a = archive_read_new();
	if (!a || archive_read_support_filter_gzip(a) != ARCHIVE_OK ||
	    archive_read_support_format_tar(a) != ARCHIVE_OK ||
	    archive_read_open(a, r, NULL, on_read, NULL) != ARCHIVE_OK) {
		rc = r->read_errno ? err_set(E_IO, "cannot read '%s': %s", path,
					     strerror(r->read_errno))
				   : err_set(E_INVALID, "package '%s' is not a .tar.gz: %s", path,
					     a ? archive_error_string(a) : "?");
		goto out;
	}
	rc = read_members(a, path, keep_max, cb, ctx);
	if (rc == 0 && r->read_errno)
		rc = err_set(E_IO, "cannot read '%s': %s", path, strerror(r->read_errno));
	if (rc == 0) {
		/* the hash covers the whole file, trailing bytes included */
		const void *ignored;
		la_ssize_t n;
		while ((n = on_read(a, r, &ignored)) > 0)
			;
		if (n < 0)
			rc = err_set(E_IO, "cannot read '%s': %s", path, strerror(r->read_errno));
	}
	if (rc == 0 && file_sha256)
		digest_final(r->md, file_sha256);
	if (rc == 0 && file_size)
		*file_size = r->size;
out:
	if (a)
		archive_read_free(a);
	close(r->fd);
	EVP_MD_CTX_free(r->md);
	free(r);
	return rc;
}
