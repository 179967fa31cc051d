/*
 * cache.h - what `docket serve` reuses between requests: a request's JSON
 * view (GET /api/v1/requests/{id}) and a Bearer token's caller.
 *
 * Why a reused answer is never stale.  Each entry is filed under
 * everything the answer depends on, and is reused only when all of it
 * still holds:
 *   - the database: the change marker (store.h, store_change_mark) read at
 *     the start of the request that made the entry, before any of the
 *     entry's reads.  Every transaction that writes anything, from any
 *     process or any server over the same PostgreSQL database, changes the
 *     marker together with its rows; so the entry holds the answer of a
 *     state at least as new as its marker, and a request that reads the
 *     same marker (one primary-key read, never a value kept in the
 *     process) sees a database that has not changed since.  A revoked
 *     token, a lifted NDO, a transition: each is a write, a new marker, a
 *     miss.
 *   - the clock: an entry holds `until`, the first instant at which the
 *     same rows would give a different answer (a token's expiry; for a
 *     view, view_request_until(): the next NDO expiry or review date).
 *     It is reused only while now < until, `now` being the request's own
 *     clock reading (DOCKET_NOW included).
 *   - the caller: a view is filed under the caller's roles too (the view
 *     reads neither user nor roles today; if it comes to, they join the
 *     key), a token's caller under the SHA-256 of the token (what the
 *     database stores; never the token itself).
 * Only successes are kept: a refused token or a missing request is asked
 * of the database every time.
 *
 * Size.  A fixed number of slots (a new entry replaces the one in its
 * slot), views of at most CACHE_VIEW_MAX bytes and CACHE_BYTES_MAX bytes of
 * views in all.  Thread-safe: worker threads share one cache; a view is
 * handed out with a reference (cache_view_unref() when the response has
 * been sent), so replacing it never frees bytes still being written to a
 * client.
 */
#ifndef DOCKET_HTTP_CACHE_H
#define DOCKET_HTTP_CACHE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define CACHE_VIEW_SLOTS 1024
#define CACHE_TOKEN_SLOTS 256
#define CACHE_VIEW_MAX ((size_t)256 << 10)      /* bytes of one view */
#define CACHE_BYTES_MAX ((size_t)64 << 20)      /* bytes of every view */
#define CACHE_USER_MAX 256                      /* a cached caller's name */

struct http_cache;

struct cache_view {
	atomic_int refs;
	int64_t id;
	unsigned roles;
	struct store_mark mark;
	int64_t from, until;       /* the clock it was made at, and when it
				      stops holding */
	_Atomic(void *) extra;     /* what the server made of it once (its
				      response, headers and all: cache_view_extra) */
	void (*extra_free)(void *);
	size_t len;
	char body[];               /* len bytes (and a NUL) */
};

/* A token's caller as http/auth.c found it. */
struct cache_caller {
	char user[CACHE_USER_MAX];
	unsigned roles;
	int64_t token_id;
};

/* extra_free (may be NULL) frees what cache_view_extra() made, when the
 * view itself goes. */
struct http_cache *cache_new(void (*extra_free)(void *));
void cache_free(struct http_cache *c);

/* The view of request id for roles at marker m, if one is kept and its
 * from <= now < its until (a clock set back is no reason to trust it): a
 * new reference (cache_view_unref()), else NULL. */
const struct cache_view *cache_view_get(struct http_cache *c, int64_t id, unsigned roles,
					const struct store_mark *m, int64_t now);
/* Keep body (len bytes), made at `now`, as that view until `until`; returns a reference
 * to the kept copy, or NULL when it is not kept (too large, the budget
 * spent) - the caller then sends its own bytes. */
const struct cache_view *cache_view_put(struct http_cache *c, int64_t id, unsigned roles,
					const struct store_mark *m, int64_t now, int64_t until,
					const char *body, size_t len);
void cache_view_unref(const struct cache_view *v);
/* What make(v, ctx) made of v the first time any thread asked (made once
 * per view; a thread that loses the race frees its own), or NULL when
 * make fails.  Lives as long as v. */
void *cache_view_extra(const struct cache_view *v,
		       void *(*make)(const struct cache_view *v, void *ctx), void *ctx);

/* The caller of the token whose SHA-256 hex is digest, at marker m and
 * now < until (a token valid at one instant is valid at any earlier one:
 * only its expiry moves it): 1 and *out filled, else 0. */
int cache_token_get(struct http_cache *c, const char digest[65], const struct store_mark *m,
		    int64_t now, struct cache_caller *out);
void cache_token_put(struct http_cache *c, const char digest[65], const struct store_mark *m,
		     int64_t until, const struct cache_caller *who);

/* Counters since cache_new(), for tests and the operator. */
struct cache_stats {
	uint64_t view_hits, view_misses, token_hits, token_misses;
	size_t bytes;
};
void cache_stats(struct http_cache *c, struct cache_stats *out);

#endif
