/*
 * test_http_parse.c - the server's pure parsers (http/parse.c) and the
 * per-request pool (http/pool.c): route matching with {params}, 404 vs 405,
 * HEAD served by GET rows; cookies; URL-encoded values; media types; JSON
 * bodies with duplicate keys and depth caps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/err.h"
#include "http/http.h"

static void test_routes(void **state)
{
	(void)state;
	struct pool p;
	struct http_req req;
	int status;
	pool_init(&p);
	memset(&req, 0, sizeof(req));
	req.pool = &p;
	const struct route *r = http_route_match(&req, "GET", "/api/v1/requests/42/explain",
						 &status);
	assert_non_null(r);
	assert_string_equal(r->pattern, "/api/v1/requests/{id}/explain");
	assert_int_equal(req.n_params, 1);
	assert_string_equal(http_param(&req, "id"), "42");
	assert_null(http_param(&req, "nope"));
	int64_t id;
	assert_int_equal(http_param_id(&req, "id", &id), 0);
	assert_int_equal(id, 42);

	assert_null(http_route_match(&req, "PUT", "/api/v1/requests", &status));
	assert_int_equal(status, 405);
	/* the Allow header of that 405 */
	assert_string_equal(http_route_allow(&p, "/api/v1/requests"), "GET, HEAD, POST");
	assert_string_equal(http_route_allow(&p, "/log/checkpoint"), "GET, HEAD");
	assert_string_equal(http_route_allow(&p, "/api/v1/session"), "GET, HEAD, POST, DELETE");
	assert_null(http_route_allow(&p, "/nowhere"));
	/* parameters are decoded once, after routing on the path as it came */
	r = http_route_match(&req, "GET", "/api/v1/requests/W-1%2F2026%25", &status);
	assert_non_null(r);
	assert_string_equal(r->pattern, "/api/v1/requests/{id}");
	assert_string_equal(http_param(&req, "id"), "W-1/2026%");
	assert_null(http_route_match(&req, "GET", "/api/v1/requests/1%00x", &status));
	assert_int_equal(status, 404);
	assert_null(http_route_match(&req, "GET", "/api/v1/requests/%zz", &status));
	assert_int_equal(status, 404);
	assert_null(http_route_match(&req, "GET", "/api/v1/requests/42/", &status));
	assert_int_equal(status, 404);
	assert_null(http_route_match(&req, "GET", "/api/v1/requests//explain", &status));
	assert_int_equal(status, 404);
	assert_null(http_route_match(&req, "GET", "api/v1/requests", &status));
	assert_int_equal(status, 404);
	assert_null(http_route_match(&req, "GET", "", &status));
	assert_int_equal(status, 404);
	assert_non_null(http_route_match(&req, "HEAD", "/healthz", &status));

	/* every row's pattern starts with '/' and is unique per method */
	for (const struct route *a = http_routes; a->method; a++) {
		assert_int_equal(a->pattern[0], '/');
		for (const struct route *b = a + 1; b->method; b++)
			assert_false(strcmp(a->method, b->method) == 0 &&
				     strcmp(a->pattern, b->pattern) == 0);
	}
	pool_release(&p);
}

static void test_cookies(void **state)
{
	(void)state;
	struct pool p;
	pool_init(&p);
	assert_string_equal(http_cookie(&p, "a=1; __Host-docket=abc-_9; b=2", "__Host-docket"),
			    "abc-_9");
	assert_string_equal(http_cookie(&p, "__Host-docket=\"q\"", "__Host-docket"), "q");
	assert_string_equal(http_cookie(&p, "x; __Host-docket = v ", "__Host-docket"), "v");
	assert_null(http_cookie(&p, "docket=abc", "__Host-docket"));
	assert_null(http_cookie(&p, "__Host-docketx=abc", "__Host-docket"));
	assert_null(http_cookie(&p, "__Host-docket=a b", "__Host-docket"));
	assert_null(http_cookie(&p, NULL, "__Host-docket"));
	pool_release(&p);
}

static void test_forms(void **state)
{
	(void)state;
	struct pool p;
	int bad;
	pool_init(&p);
	const char *q = "state=in_review&q=alice%40example.net&x=a+b&empty=&flag";
	assert_string_equal(http_form_value(&p, q, strlen(q), "q", &bad), "alice@example.net");
	assert_false(bad);
	assert_string_equal(http_form_value(&p, q, strlen(q), "x", &bad), "a b");
	assert_string_equal(http_form_value(&p, q, strlen(q), "empty", &bad), "");
	assert_string_equal(http_form_value(&p, q, strlen(q), "flag", &bad), "");
	assert_null(http_form_value(&p, q, strlen(q), "stat", &bad));
	assert_null(http_form_value(&p, "a=%zz", 5, "a", &bad));
	assert_true(bad);
	assert_null(http_form_value(&p, "a=%00", 5, "a", &bad));
	assert_true(bad);
	assert_null(http_form_value(&p, "a=%4", 4, "a", &bad));
	assert_true(bad);
	/* a path segment: escapes decoded, '+' is itself */
	assert_string_equal(http_path_decode(&p, "W-1%2F2026+x%20y"), "W-1/2026+x y");
	assert_null(http_path_decode(&p, "a%zz"));
	assert_null(http_path_decode(&p, "a%00"));
	assert_null(http_path_decode(&p, "a%4"));
	pool_release(&p);
}

static void test_media_and_json(void **state)
{
	(void)state;
	struct pool p;
	json_t *j;
	pool_init(&p);
	assert_string_equal(http_media_type(&p, "Application/JSON; charset=utf-8"),
			    "application/json");
	assert_null(http_media_type(&p, NULL));
	assert_int_equal(http_json_parse("{\"a\":1}", 7, &j), 0);
	json_decref(j);
	assert_int_equal(http_json_parse("{\"a\":1,\"a\":2}", 13, &j), -E_BAD_JSON);
	assert_int_equal(http_json_parse("[1]", 3, &j), -E_BAD_JSON);
	assert_int_equal(http_json_parse("{", 1, &j), -E_BAD_JSON);
	char deep[80];
	memset(deep, '[', 40);
	memset(deep + 40, ']', 40);
	assert_int_equal(http_json_parse(deep, sizeof(deep), &j), -E_BAD_JSON);
	/* brackets inside strings are not nesting */
	const char *s = "{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}";
	assert_int_equal(http_json_parse(s, strlen(s), &j), 0);
	json_decref(j);
	pool_release(&p);
}

static int freed;
static void test_accept_encoding(void **state)
{
	(void)state;
	assert_int_equal(http_accepts_gzip(NULL), 0);
	assert_int_equal(http_accepts_gzip(""), 0);
	assert_int_equal(http_accepts_gzip("gzip"), 1);
	assert_int_equal(http_accepts_gzip("deflate, gzip"), 1);   /* Go's and curl's */
	assert_int_equal(http_accepts_gzip("gzip, deflate, br, zstd"), 1);
	assert_int_equal(http_accepts_gzip("GZIP;q=0.5"), 1);
	assert_int_equal(http_accepts_gzip("x-gzip"), 1);
	assert_int_equal(http_accepts_gzip("identity"), 0);
	assert_int_equal(http_accepts_gzip("br, deflate"), 0);
	assert_int_equal(http_accepts_gzip("gzip;q=0"), 0);
	assert_int_equal(http_accepts_gzip("gzip;q=0.000, *"), 0);   /* refused by name */
	assert_int_equal(http_accepts_gzip("*"), 1);
	assert_int_equal(http_accepts_gzip("*;q=0"), 0);
	assert_int_equal(http_accepts_gzip("gzip ; q=1.0"), 1);
	assert_int_equal(http_accepts_gzip("gzipper"), 0);
	assert_int_equal(http_accepts_gzip("gzip;q=2"), 0);        /* malformed */
	assert_int_equal(http_accepts_gzip("gzip;q=0.5555"), 0);
	assert_int_equal(http_accepts_gzip("gzip;level=9"), 0);
	assert_int_equal(http_accepts_gzip(",,gzip,"), 1);
	char big[HTTP_ACCEPT_ENCODING_MAX + 8];
	memset(big, ' ', sizeof(big) - 6);
	memcpy(big + sizeof(big) - 6, "gzip", 5);
	assert_int_equal(http_accepts_gzip(big), 0);                /* over the cap */
}

static void count_free(void *arg)
{
	(void)arg;
	freed++;
}

static void test_pool(void **state)
{
	(void)state;
	struct pool p;
	pool_init(&p);
	char *a = pool_strdup(&p, "hello");
	char *big = pool_alloc(&p, 100000);
	char *f = pool_printf(&p, "%s-%d", "x", 7);
	assert_string_equal(a, "hello");
	assert_string_equal(f, "x-7");
	assert_int_equal(big[99999], 0);
	assert_int_equal((uintptr_t)big % 16, 0);
	pool_defer(&p, count_free, NULL);
	pool_defer(&p, count_free, NULL);
	pool_release(&p);
	assert_int_equal(freed, 2);
	assert_string_equal(pool_strdup(&p, "again"), "again");   /* reusable */
	pool_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_cookies),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_media_and_json),
		cmocka_unit_test(test_accept_encoding),
		cmocka_unit_test(test_pool),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
