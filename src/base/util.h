/*
 * util.h - allocation that cannot fail and small string helpers.
 *
 * xmalloc() and friends abort with a message on out-of-memory: docket has no
 * sensible way to continue without memory, and checking every allocation
 * hides the real error paths.  Every returned pointer is owned by the caller
 * and released with free().
 */
#ifndef DOCKET_UTIL_H
#define DOCKET_UTIL_H

/* The system headers that declare what banned.h bans come first, so the
 * bans apply to docket's code and not to the headers' own declarations. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *arr (of *cap elements of size sz) so that it holds at least n. */
void *xgrow(void *arr, size_t *cap, size_t n, size_t sz);

/* Copy src into dst of size dstsz, always NUL-terminated; returns 0, or -1
 * when src did not fit (dst then holds a truncated copy). */
int str_copy(char *dst, size_t dstsz, const char *src);

int str_eq(const char *a, const char *b);            /* NULL-safe */
int str_has_prefix(const char *s, const char *prefix);

/* Overwrite n bytes of secret material and free it. */
void freezero(void *p, size_t n);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#include "base/banned.h"

#endif
