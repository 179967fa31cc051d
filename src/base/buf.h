/*
 * buf.h - a growable byte buffer with a hard size cap.
 *
 * Invariants: `ptr` is never NULL after buf_init() and is always
 * NUL-terminated (ptr[len] == '\0'), so it can be used as a C string when the
 * content has no NULs.  `max` is the largest `len` the buffer accepts; an
 * append past it fails with E_INVALID and leaves the buffer unchanged.  Every
 * buffer fed by untrusted input is created with the cap that input may have.
 *
 * Ownership: the buffer owns `ptr`.  buf_release() frees it and leaves an
 * empty buffer; buf_detach() hands `ptr` to the caller (who free()s it).
 */
#ifndef DOCKET_BUF_H
#define DOCKET_BUF_H

#include <stddef.h>
#include <stdio.h>

struct buf {
	char *ptr;
	size_t len;
	size_t cap;
	size_t max;
};

#define BUF_UNLIMITED ((size_t)-1 / 2)

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
char *buf_detach(struct buf *b, size_t *len);
void buf_reset(struct buf *b);

int buf_add(struct buf *b, const void *data, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, char c);
int buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Read all of fp (until EOF) into b; fails with E_INVALID naming `what`
 * past b->max and with E_IO on a read error. */
int buf_read_file(struct buf *b, FILE *fp, const char *what);

/* Read one line (without its '\n') into b, which is reset first.  Returns
 * 1 when a line was read, 0 at end of file, <0 on error (a line longer than
 * b->max is E_INVALID). */
int buf_getline(struct buf *b, FILE *fp);

#endif
