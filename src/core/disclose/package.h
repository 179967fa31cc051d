/*
 * package.h - reproducible .tar.gz packages, written atomically and read
 * back with every member's SHA-256.
 *
 * Writing: package_create() opens a new temporary file (mode 0600: a
 * package holds customer data) in the directory of its final path; members
 * are added in the caller's order as pax tar entries with fixed metadata -
 * the given mtime, uid and gid 0, uname and gname "docket", mode 0644 -
 * through gzip without a timestamp, so the same members give the same bytes
 * on every run (the package's SHA-256 can be logged and checked).  The
 * SHA-256 and size of the compressed file are computed as it is written.
 * package_finish() fsyncs the file and its directory (before the
 * disclosure commits); package_publish() then links it to its final name -
 * which never replaces an existing file (link(2), or renameat2 with
 * RENAME_NOREPLACE where hard links are not supported) - removes the
 * temporary name and fsyncs the directory.  When that fails (a file
 * appeared at the destination meanwhile) the complete package is kept at
 * its temporary name and the error says where.  package_free() removes the
 * temporary file of a package that was neither published nor kept.
 *
 * Reading: package_read() walks a .tar.gz member by member in constant
 * memory, hashing each member; members up to keep_max bytes are also handed
 * over whole.  Only regular files with relative names without ".." are
 * accepted; anything else is E_INVALID.
 */
#ifndef DOCKET_PACKAGE_H
#define DOCKET_PACKAGE_H

#include <stddef.h>
#include <stdint.h>

#define PACKAGE_UNAME "docket"
#define PACKAGE_MAX_NAME 255
#define PACKAGE_MAX_MEMBERS 10000000

struct package;

int package_create(const char *path, int64_t mtime, struct package **out);
int package_add(struct package *p, const char *name, const void *data, size_t len);
/* End the archive, fsync the file; sha256 (64 hex digits) and size of it. */
int package_finish(struct package *p, char sha256[65], uint64_t *size);
/* Give the finished package its final name (E_REFUSED when it exists). */
int package_publish(struct package *p);
void package_free(struct package *p);

struct package_member {
	const char *name;
	uint64_t size;
	char sha256[65];
	const char *data;   /* the bytes (NUL-terminated) when size <= keep_max,
			       else NULL; valid during the callback only */
};
typedef int (*package_member_cb)(void *ctx, const struct package_member *m);

/* Walk the members of the .tar.gz at path in order.  file_sha256 and
 * file_size (optional) receive the SHA-256 and size of the whole file. */
int package_read(const char *path, size_t keep_max, package_member_cb cb, void *ctx,
		 char file_sha256[65], uint64_t *file_size);

#endif
