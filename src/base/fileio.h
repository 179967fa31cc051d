/*
 * fileio.h - writing files so that they survive a crash.
 *
 * file_write_atomic() writes the bytes to a new temporary file in the same
 * directory as path (created with O_EXCL and mode 0666 less the umask),
 * fsyncs it, renames it over path and fsyncs the directory.  Readers see
 * either the old file or the complete new one, never a part, and after a
 * successful return the new file survives a crash.  On any failure - a
 * failed fsync included - the temporary file is removed, path is untouched
 * and the error is E_IO naming the file.
 */
#ifndef DOCKET_FILEIO_H
#define DOCKET_FILEIO_H

#include <stddef.h>

int file_write_atomic(const char *path, const void *data, size_t len);

/* A new secret file (a key): text into a 0600 file at path, written to a
 * temporary file, fsynced, linked into place (never replacing an existing
 * file: E_REFUSED) and the directory fsynced.  On failure no file is left.
 * `what` names the file in messages ("vault key file"). */
int file_create_secret(const char *path, const char *text, const char *what);

/* The pieces, for writers that stream (disclosure packages) or need their
 * own modes (the signing key).  These set errno and no message. */
/* Write all len bytes, retrying short writes and EINTR; 0 or -1. */
int fd_write_all(int fd, const void *buf, size_t len);
/* The directory part of path: "." when it has none.  Caller frees. */
char *path_dir(const char *path);
/* fsync a directory, so a rename or link in it survives a crash; 0 or -1. */
int dir_sync(const char *dir);

#endif
