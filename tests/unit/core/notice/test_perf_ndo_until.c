/*
 * test_perf_ndo_until.c - ndo_changes_after(): the first instant at which
 * an unchanged NDO reads differently in a request's view.  The server
 * keeps a rendered view until then (http/cache.h), so the claim is checked
 * the hard way: at every second from now up to that instant the JSON is
 * the same, and at that instant it differs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "base/clock.h"
#include "core/notice/ndo.h"

#define NOW 1000000

/* The view of n is the same from `from` to before `until`, and (when it is
 * finite) different at `until`. */
static void holds_from_until(const struct ndo_record *n, int64_t from, int64_t until)
{
	json_t *at_now = ndo_to_json(n, from);
	int64_t end = until == INT64_MAX ? from + 3 * DAY_SECONDS : until;
	for (int64_t t = from; t < end; t += (end - from > 5000 ? 97 : 1)) {
		json_t *j = ndo_to_json(n, t);
		assert_true(json_equal(at_now, j));
		json_decref(j);
	}
	if (until != INT64_MAX) {
		json_t *j = ndo_to_json(n, until);
		assert_false(json_equal(at_now, j));
		json_decref(j);
	}
	json_decref(at_now);
}

static void holds_until(const struct ndo_record *n, int64_t until)
{
	holds_from_until(n, NOW, until);
}

static void test_expiry(void **state)
{
	(void)state;
	struct ndo_record n = {.id = 1, .request_id = 2, .statute = "18 U.S.C. 2705(b)",
			       .issued_at = NOW - 100, .has_expiry = 1, .expires_at = NOW + 60};
	assert_int_equal(ndo_changes_after(&n, NOW), NOW + 60);
	holds_until(&n, NOW + 60);
	/* once expired, nothing moves */
	assert_int_equal(ndo_changes_after(&n, NOW + 60), INT64_MAX);
	holds_from_until(&n, NOW + 60, INT64_MAX);
}

static void test_review_date_first(void **state)
{
	(void)state;
	struct ndo_record n = {.id = 1, .request_id = 2, .statute = "18 U.S.C. 2709",
			       .issued_at = NOW - 100, .has_expiry = 1,
			       .expires_at = NOW + 5 * DAY_SECONDS, .review_at = NOW + 300};
	assert_int_equal(ndo_changes_after(&n, NOW), NOW + 300);
	holds_until(&n, NOW + 300);
	/* then the expiry */
	assert_int_equal(ndo_changes_after(&n, NOW + 300), NOW + 5 * DAY_SECONDS);
	holds_from_until(&n, NOW + 300, NOW + 5 * DAY_SECONDS);
}

static void test_indefinite_with_review(void **state)
{
	(void)state;
	struct ndo_record n = {.id = 1, .request_id = 2, .statute = "18 U.S.C. 2709",
			       .issued_at = NOW - 100, .review_at = NOW + 30};
	assert_int_equal(ndo_changes_after(&n, NOW), NOW + 30);
	holds_until(&n, NOW + 30);
	assert_int_equal(ndo_changes_after(&n, NOW + 30), INT64_MAX);
	holds_from_until(&n, NOW + 30, INT64_MAX);
}

static void test_never(void **state)
{
	(void)state;
	struct ndo_record indefinite = {.id = 1, .request_id = 2, .statute = "x",
					.issued_at = NOW - 100};
	assert_int_equal(ndo_changes_after(&indefinite, NOW), INT64_MAX);
	holds_until(&indefinite, INT64_MAX);
	struct ndo_record lifted = {.id = 1, .request_id = 2, .statute = "x",
				    .issued_at = NOW - 100, .has_expiry = 1,
				    .expires_at = NOW + 60, .review_at = NOW + 30,
				    .lifted_at = NOW - 1, .lift_reason = "court"};
	assert_int_equal(ndo_changes_after(&lifted, NOW), INT64_MAX);
	holds_until(&lifted, INT64_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_review_date_first),
		cmocka_unit_test(test_indefinite_with_review),
		cmocka_unit_test(test_never),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
