/*
 * cache.c - the server's cache of request views and token callers (see
 * cache.h for why an entry it hands out is never stale).
 *
 * Direct-mapped: an entry lives in the slot its key hashes to, and a new
 * entry replaces the old.  Slots share a few striped locks, held only to
 * compare keys and move a pointer or copy a small struct.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "http/cache.h"

#define CACHE_LOCKS 64

struct token_slot {
	int used;
	char digest[65];
	struct store_mark mark;
	int64_t until;
	struct cache_caller who;
};

struct http_cache {
	pthread_mutex_t locks[CACHE_LOCKS];
	struct cache_view *views[CACHE_VIEW_SLOTS];
	struct token_slot tokens[CACHE_TOKEN_SLOTS];
	void (*extra_free)(void *);
	atomic_size_t bytes;
	atomic_uint_fast64_t view_hits, view_misses, token_hits, token_misses;
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

static size_t view_slot(int64_t id, unsigned roles)
{
	return (size_t)(mix((uint64_t)id * 31 + roles) % CACHE_VIEW_SLOTS);
}

static size_t token_slot(const char digest[65])
{
	uint64_t h = 0;
	for (int i = 0; i < 16; i++)
		h = h * 16 + (uint64_t)(digest[i] <= '9' ? digest[i] - '0' : digest[i] - 'a' + 10);
	return (size_t)(h % CACHE_TOKEN_SLOTS);
}

static pthread_mutex_t *lock_of(struct http_cache *c, size_t slot)
{
	return &c->locks[slot % CACHE_LOCKS];
}

static int same_mark(const struct store_mark *a, const struct store_mark *b)
{
	return a->n == b->n && a->tag == b->tag;
}

struct http_cache *cache_new(void (*extra_free)(void *))
{
	struct http_cache *c = xcalloc(1, sizeof(*c));
	c->extra_free = extra_free;
	for (size_t i = 0; i < CACHE_LOCKS; i++)
		pthread_mutex_init(&c->locks[i], NULL);
	return c;
}

void cache_free(struct http_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < CACHE_VIEW_SLOTS; i++)
		if (c->views[i])
			cache_view_unref(c->views[i]);
	for (size_t i = 0; i < CACHE_LOCKS; i++)
		pthread_mutex_destroy(&c->locks[i]);
	free(c);
}

/* --- views ----------------------------------------------------------------- */

static void view_ref(struct cache_view *v)
{
	atomic_fetch_add(&v->refs, 1);
}

void cache_view_unref(const struct cache_view *cv)
{
	struct cache_view *v = (struct cache_view *)cv;
	if (v && atomic_fetch_sub(&v->refs, 1) == 1) {
		void *extra = atomic_load(&v->extra);
		if (extra && v->extra_free)
			v->extra_free(extra);
		free(v);
	}
}

void *cache_view_extra(const struct cache_view *cv,
		       void *(*make)(const struct cache_view *v, void *ctx), void *ctx)
{
	struct cache_view *v = (struct cache_view *)cv;
	void *have = atomic_load(&v->extra);
	if (have)
		return have;
	void *mine = make(v, ctx);
	if (!mine)
		return NULL;
	if (atomic_compare_exchange_strong(&v->extra, &have, mine))
		return mine;
	if (v->extra_free)   /* another thread's came first */
		v->extra_free(mine);
	return have;
}

const struct cache_view *cache_view_get(struct http_cache *c, int64_t id, unsigned roles,
					const struct store_mark *m, int64_t now)
{
	size_t i = view_slot(id, roles);
	struct cache_view *hit = NULL;
	pthread_mutex_lock(lock_of(c, i));
	struct cache_view *v = c->views[i];
	if (v && v->id == id && v->roles == roles && same_mark(&v->mark, m) &&
	    v->from <= now && now < v->until) {
		view_ref(v);
		hit = v;
	}
	pthread_mutex_unlock(lock_of(c, i));
	atomic_fetch_add(hit ? &c->view_hits : &c->view_misses, 1);
	return hit;
}

const struct cache_view *cache_view_put(struct http_cache *c, int64_t id, unsigned roles,
					const struct store_mark *m, int64_t now, int64_t until,
					const char *body, size_t len)
{
	if (len > CACHE_VIEW_MAX)
		return NULL;
	size_t i = view_slot(id, roles);
	pthread_mutex_lock(lock_of(c, i));
	struct cache_view *old = c->views[i];
	size_t freed = old ? old->len : 0;
	if (atomic_load(&c->bytes) - freed + len > CACHE_BYTES_MAX) {
		pthread_mutex_unlock(lock_of(c, i));
		return NULL;
	}
	struct cache_view *v = xmalloc(sizeof(*v) + len + 1);
	atomic_init(&v->refs, 2);   /* the slot's and the caller's */
	v->id = id;
	v->roles = roles;
	v->mark = *m;
	atomic_init(&v->extra, NULL);
	v->extra_free = c->extra_free;
	v->from = now;
	v->until = until;
	v->len = len;
	memcpy(v->body, body, len);
	v->body[len] = '\0';
	c->views[i] = v;
	atomic_fetch_add(&c->bytes, len);
	atomic_fetch_sub(&c->bytes, freed);
	pthread_mutex_unlock(lock_of(c, i));
	if (old)
		cache_view_unref(old);
	return v;
}

/* --- token callers ------------------------------------------------------------ */

int cache_token_get(struct http_cache *c, const char digest[65], const struct store_mark *m,
		    int64_t now, struct cache_caller *out)
{
	size_t i = token_slot(digest);
	int hit = 0;
	pthread_mutex_lock(lock_of(c, i));
	struct token_slot *t = &c->tokens[i];
	if (t->used && memcmp(t->digest, digest, 64) == 0 && same_mark(&t->mark, m) &&
	    now < t->until) {
		*out = t->who;
		hit = 1;
	}
	pthread_mutex_unlock(lock_of(c, i));
	atomic_fetch_add(hit ? &c->token_hits : &c->token_misses, 1);
	return hit;
}

void cache_token_put(struct http_cache *c, const char digest[65], const struct store_mark *m,
		     int64_t until, const struct cache_caller *who)
{
	size_t i = token_slot(digest);
	pthread_mutex_lock(lock_of(c, i));
	struct token_slot *t = &c->tokens[i];
	t->used = 1;
	memcpy(t->digest, digest, 64);
	t->digest[64] = '\0';
	t->mark = *m;
	t->until = until;
	t->who = *who;
	pthread_mutex_unlock(lock_of(c, i));
}

void cache_stats(struct http_cache *c, struct cache_stats *out)
{
	out->view_hits = atomic_load(&c->view_hits);
	out->view_misses = atomic_load(&c->view_misses);
	out->token_hits = atomic_load(&c->token_hits);
	out->token_misses = atomic_load(&c->token_misses);
	out->bytes = atomic_load(&c->bytes);
}
