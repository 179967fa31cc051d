/*
 * test_perf_cache.c - the server's cache (http/cache.h): an entry is
 * handed out only under the key it was made for - the request (or token
 * digest), the caller's roles, the change marker - and only before its
 * `until`; a view handed out survives its replacement until released.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http/cache.h"

static const struct store_mark M1 = {7, 1234}, M2 = {8, 99}, M1_FORK = {7, 4321};

static void test_view_key(void **state)
{
	(void)state;
	struct http_cache *c = cache_new(NULL);
	const struct cache_view *v = cache_view_put(c, 5, 32, &M1, 900, 1000, "{\"a\":1}", 7);
	assert_non_null(v);
	cache_view_unref(v);
	const struct cache_view *h = cache_view_get(c, 5, 32, &M1, 999);
	assert_non_null(h);
	assert_int_equal(h->len, 7);
	assert_memory_equal(h->body, "{\"a\":1}", 7);
	cache_view_unref(h);
	assert_null(cache_view_get(c, 6, 32, &M1, 999));      /* another request */
	assert_null(cache_view_get(c, 5, 16, &M1, 999));      /* other roles */
	assert_null(cache_view_get(c, 5, 32, &M2, 999));      /* the database changed */
	assert_null(cache_view_get(c, 5, 32, &M1_FORK, 999)); /* same n, another history */
	assert_null(cache_view_get(c, 5, 32, &M1, 1000));     /* the clock reached until */
	assert_null(cache_view_get(c, 5, 32, &M1, 5000));
	assert_null(cache_view_get(c, 5, 32, &M1, 899));      /* the clock was set back */
	struct cache_stats s;
	cache_stats(c, &s);
	assert_int_equal(s.view_hits, 1);
	assert_int_equal(s.view_misses, 7);
	assert_int_equal(s.bytes, 7);
	cache_free(c);
}

static void test_view_replaced_while_in_use(void **state)
{
	(void)state;
	struct http_cache *c = cache_new(NULL);
	cache_view_unref(cache_view_put(c, 5, 32, &M1, 0, INT64_MAX, "old", 3));
	const struct cache_view *in_use = cache_view_get(c, 5, 32, &M1, 0);
	assert_non_null(in_use);
	cache_view_unref(cache_view_put(c, 5, 32, &M2, 0, INT64_MAX, "newer", 5));
	/* the response being sent still has its bytes */
	assert_memory_equal(in_use->body, "old", 3);
	cache_view_unref(in_use);
	const struct cache_view *h = cache_view_get(c, 5, 32, &M2, 0);
	assert_non_null(h);
	assert_memory_equal(h->body, "newer", 5);
	cache_view_unref(h);
	struct cache_stats s;
	cache_stats(c, &s);
	assert_int_equal(s.bytes, 5);
	cache_free(c);
}

static void test_view_too_large(void **state)
{
	(void)state;
	struct http_cache *c = cache_new(NULL);
	static char big[CACHE_VIEW_MAX + 1];
	memset(big, 'x', sizeof(big));
	assert_null(cache_view_put(c, 1, 1, &M1, 0, INT64_MAX, big, sizeof(big)));
	assert_null(cache_view_get(c, 1, 1, &M1, 0));
	cache_free(c);
}

static void test_token(void **state)
{
	(void)state;
	struct http_cache *c = cache_new(NULL);
	char d1[65], d2[65];
	memset(d1, 'a', 64);
	d1[64] = '\0';
	memcpy(d2, d1, 65);
	d2[63] = 'b';
	struct cache_caller who = {.user = "auditor-1", .roles = 32, .token_id = 9}, out;
	cache_token_put(c, d1, &M1, 2000, &who);
	memset(&out, 0, sizeof(out));
	assert_int_equal(cache_token_get(c, d1, &M1, 1999, &out), 1);
	assert_string_equal(out.user, "auditor-1");
	assert_int_equal(out.roles, 32);
	assert_int_equal(out.token_id, 9);
	assert_int_equal(cache_token_get(c, d2, &M1, 1999, &out), 0);   /* another token */
	assert_int_equal(cache_token_get(c, d1, &M2, 1999, &out), 0);   /* revoked, maybe */
	assert_int_equal(cache_token_get(c, d1, &M1, 2000, &out), 0);   /* expired */
	cache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_view_key),
		cmocka_unit_test(test_view_replaced_while_in_use),
		cmocka_unit_test(test_view_too_large),
		cmocka_unit_test(test_token),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
