/*
 * test_http_log_routes.c - the log's routes (src/http/routes.c,
 * log_tiles.c): a last "{name*}" pattern segment takes the rest of the
 * path, so tile paths of any depth reach their handler whole, entry
 * bundles reach their own (auditor) row, and nothing else matches.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/handlers.h"
#include "http/http.h"
#include "model/enums.h"

static const struct route *match(struct http_req *req, const char *path, int *status)
{
	return http_route_match(req, "GET", path, status);
}

static void test_log_routes(void **state)
{
	(void)state;
	struct pool p;
	struct http_req req;
	int status;
	pool_init(&p);
	memset(&req, 0, sizeof(req));
	req.pool = &p;

	const struct route *r = match(&req, "/log/checkpoint", &status);
	assert_non_null(r);
	assert_ptr_equal(r->fn, http_log_checkpoint);
	assert_true(r->flags & ROUTE_PUBLIC);

	r = match(&req, "/log/tile/0/x001/x234/067.p/5", &status);
	assert_non_null(r);
	assert_ptr_equal(r->fn, http_log_tile);
	assert_true(r->flags & ROUTE_PUBLIC);
	assert_string_equal(http_param(&req, "tile"), "0/x001/x234/067.p/5");

	r = match(&req, "/log/tile/entries/x001/000", &status);
	assert_non_null(r);
	assert_ptr_equal(r->fn, http_log_entries);
	assert_false(r->flags & ROUTE_PUBLIC);
	assert_int_equal(r->roles, ROLE_BIT(ROLE_AUDITOR));
	assert_string_equal(http_param(&req, "tile"), "x001/000");

	assert_null(match(&req, "/log/tile/", &status));
	assert_int_equal(status, 404);
	assert_null(match(&req, "/log/tile", &status));
	assert_int_equal(status, 404);
	/* no bundle number: not the auditor's row; the public row's handler
	 * finds no tile at "entries/" (404) */
	r = match(&req, "/log/tile/entries/", &status);
	assert_non_null(r);
	assert_ptr_equal(r->fn, http_log_tile);
	assert_null(http_route_match(&req, "POST", "/log/tile/0/000", &status));
	assert_int_equal(status, 405);
	pool_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_log_routes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
