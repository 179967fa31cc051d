/*
 * pool.h - a per-request memory pool, freed in one go.
 *
 * Everything a request handler allocates (strings, parsed parameters,
 * response headers and bodies) comes from the request's pool, so no
 * handler frees anything by hand on its error paths: the server calls
 * pool_release() once when the response has been sent.  Objects that are
 * not pool memory (a json_t, a file descriptor) are handed to the pool
 * with pool_defer(), which runs their destructor at release time.
 *
 * Invariants: allocation never fails (it aborts on out-of-memory like
 * xmalloc); returned memory is zeroed and aligned for any type; a pool is
 * reusable after pool_release().
 */
#ifndef DOCKET_HTTP_POOL_H
#define DOCKET_HTTP_POOL_H

#include <stdarg.h>
#include <stddef.h>

struct pool_chunk;
struct pool_defer;

struct pool {
	struct pool_chunk *chunks;   /* newest first */
	struct pool_defer *defers;   /* run newest first */
	size_t used;                 /* bytes handed out */
};

void pool_init(struct pool *p);
/* Run every deferred destructor and free every chunk. */
void pool_release(struct pool *p);

/* n zeroed bytes; never NULL.  Inputs are capped before they reach the
 * pool (http.h), so a request's pool stays bounded. */
void *pool_alloc(struct pool *p, size_t n);
char *pool_strdup(struct pool *p, const char *s);
char *pool_strndup(struct pool *p, const char *s, size_t n);
void *pool_memdup(struct pool *p, const void *data, size_t n);
char *pool_printf(struct pool *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *pool_vprintf(struct pool *p, const char *fmt, va_list ap);

/* Call fn(arg) when the pool is released. */
void pool_defer(struct pool *p, void (*fn)(void *), void *arg);

#endif
