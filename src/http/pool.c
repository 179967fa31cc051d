/*
 * pool.c - the per-request memory pool (pool.h): a list of chunks bumped
 * forward, large allocations in chunks of their own.
 */
#include "http/pool.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define POOL_CHUNK 8192
#define POOL_ALIGN 16

struct pool_chunk {
	struct pool_chunk *next;
	size_t size, off;
	_Alignas(POOL_ALIGN) unsigned char data[];
};

struct pool_defer {
	struct pool_defer *next;
	void (*fn)(void *);
	void *arg;
};

void pool_init(struct pool *p)
{
	memset(p, 0, sizeof(*p));
}

void pool_release(struct pool *p)
{
	while (p->defers) {
		struct pool_defer *d = p->defers;
		p->defers = d->next;
		d->fn(d->arg);
		free(d);
	}
	while (p->chunks) {
		struct pool_chunk *c = p->chunks;
		p->chunks = c->next;
		free(c);
	}
	p->used = 0;
}

static struct pool_chunk *chunk_new(size_t size)
{
	struct pool_chunk *c = xmalloc(sizeof(*c) + size);
	c->next = NULL;
	c->size = size;
	c->off = 0;
	return c;
}

void *pool_alloc(struct pool *p, size_t n)
{
	if (n == 0)
		n = 1;
	size_t need = (n + POOL_ALIGN - 1) & ~(size_t)(POOL_ALIGN - 1);
	if (need < n)
		abort();   /* size overflow: no such allocation exists */
	struct pool_chunk *c = p->chunks;
	if (need > POOL_CHUNK / 4) {
		/* a chunk of its own, behind the current one so its free
		 * space stays in use */
		struct pool_chunk *big = chunk_new(need);
		if (c) {
			big->next = c->next;
			c->next = big;
		} else {
			p->chunks = big;
		}
		c = big;
	} else if (!c || c->size - c->off < need) {
		c = chunk_new(POOL_CHUNK);
		c->next = p->chunks;
		p->chunks = c;
	}
	void *ret = c->data + c->off;
	c->off += need;
	p->used += need;
	memset(ret, 0, n);
	return ret;
}

void *pool_memdup(struct pool *p, const void *data, size_t n)
{
	char *d = pool_alloc(p, n + 1);
	if (n)
		memcpy(d, data, n);
	return d;
}

char *pool_strndup(struct pool *p, const char *s, size_t n)
{
	return pool_memdup(p, s, strnlen(s, n));
}

char *pool_strdup(struct pool *p, const char *s)
{
	return pool_memdup(p, s, strlen(s));
}

char *pool_vprintf(struct pool *p, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return pool_strdup(p, "");
	char *s = pool_alloc(p, (size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *pool_printf(struct pool *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = pool_vprintf(p, fmt, ap);
	va_end(ap);
	return s;
}

void pool_defer(struct pool *p, void (*fn)(void *), void *arg)
{
	struct pool_defer *d = xmalloc(sizeof(*d));
	d->fn = fn;
	d->arg = arg;
	d->next = p->defers;
	p->defers = d;
}
