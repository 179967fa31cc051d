/*
 * fileio.h - writing a whole file atomically.
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

#endif
