/*
 * test_clock.c - timestamps, the civil calendar and reporting periods
 * (base/clock.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"

static int64_t at(int y, unsigned m, unsigned d, int h, int mi, int s)
{
	return days_from_civil(y, m, d) * DAY_SECONDS + h * 3600 + mi * 60 + s;
}

static void test_ts_parse_good(void **state)
{
	static const struct {
		const char *in;
		int y, m, d, h, mi, s;
		int date_only;
	} cases[] = {
	    {"2026-03-02T10:00:00Z", 2026, 3, 2, 10, 0, 0, 0},
	    {"2026-03-02T10:00:00+00:00", 2026, 3, 2, 10, 0, 0, 0},
	    {"2026-03-02t10:00:00z", 2026, 3, 2, 10, 0, 0, 0},
	    {"2026-03-02T10:00:00.123456Z", 2026, 3, 2, 10, 0, 0, 0},
	    {"2026-03-02", 2026, 3, 2, 0, 0, 0, 1},
	    {"2024-02-29", 2024, 2, 29, 0, 0, 0, 1},
	    {"2000-02-29T12:30:45Z", 2000, 2, 29, 12, 30, 45, 0},
	    {"1970-01-01T00:00:00Z", 1970, 1, 1, 0, 0, 0, 0},
	    {"9999-12-31T23:59:59Z", 9999, 12, 31, 23, 59, 59, 0},
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ts ts = {-1, -1};
		assert_int_equal(ts_parse(cases[i].in, &ts), 0);
		assert_int_equal(ts.t, at(cases[i].y, (unsigned)cases[i].m,
					  (unsigned)cases[i].d, cases[i].h, cases[i].mi,
					  cases[i].s));
		assert_int_equal(ts.date_only, cases[i].date_only);
	}
}

static void test_ts_parse_bad(void **state)
{
	static const char *const bad[] = {
	    "",
	    "2026",
	    "2026-3-2",
	    "2026/03/02",
	    "2026-02-30",
	    "2025-02-29",
	    "2100-02-29",
	    "2026-13-01",
	    "2026-00-10",
	    "2026-01-00",
	    "1969-12-31",
	    "2026-03-02T",
	    "2026-03-02 10:00:00Z",
	    "2026-03-02T10:00:00",
	    "2026-03-02T10:00Z",
	    "2026-03-02T24:00:00Z",
	    "2026-03-02T10:60:00Z",
	    "2026-03-02T10:00:60Z",
	    "2026-03-02T10:00:00+01:00",
	    "2026-03-02T10:00:00-00:00",
	    "2026-03-02T10:00:00.Z",
	    "2026-03-02T10:00:00Zjunk",
	    "2026-03-02x",
	    "+2026-03-02",
	    "２026-03-02",
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct ts ts;
		if (ts_parse(bad[i], &ts) != -1)
			fail_msg("ts_parse accepted '%s'", bad[i]);
	}
}

static void test_ts_format_keeps_form(void **state)
{
	static const char *const forms[] = {"2026-03-02T10:00:00Z", "2026-03-02",
					    "1970-01-01", "2024-02-29T23:59:59Z",
					    "9999-12-31"};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(forms); i++) {
		struct ts ts;
		char out[TS_BUFSZ];
		assert_int_equal(ts_parse(forms[i], &ts), 0);
		ts_format(ts, out);
		assert_string_equal(out, forms[i]);
	}
}

static void test_ts_format_normalises(void **state)
{
	struct ts ts;
	char out[TS_BUFSZ];
	(void)state;
	assert_int_equal(ts_parse("2026-03-02T10:00:00.999+00:00", &ts), 0);
	ts_format(ts, out);
	assert_string_equal(out, "2026-03-02T10:00:00Z");
	time_format(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	date_format(at(2026, 12, 31, 23, 59, 59), out);
	assert_string_equal(out, "2026-12-31");
}

/* time_format and date_format write what the printf formats write, for
 * every year including those outside 0..9999. */
static void test_format_matches_printf(void **state)
{
	static const int64_t starts[] = {
	    INT64_C(-62167219200) - 5 * 86400,   /* around 0000-01-01 */
	    INT64_C(-86400) * 3,                 /* around 1970 */
	    INT64_C(1700000000),                 /* now-ish */
	    INT64_C(253402300799) - 5 * 86400,   /* around 9999-12-31 */
	};
	char got[TS_BUFSZ], want[TS_BUFSZ];
	(void)state;
	for (size_t s = 0; s < sizeof(starts) / sizeof(starts[0]); s++)
		for (int64_t t = starts[s]; t < starts[s] + 10 * 86400; t += 3607) {
			int y;
			unsigned m, d;
			int64_t days = t >= 0 ? t / DAY_SECONDS
					      : (t - DAY_SECONDS + 1) / DAY_SECONDS;
			int64_t rem = t - days * DAY_SECONDS;
			civil_from_days(days, &y, &m, &d);
			snprintf(want, sizeof(want), "%04d-%02u-%02uT%02d:%02d:%02dZ", y, m,
				 d, (int)(rem / 3600), (int)(rem / 60 % 60),
				 (int)(rem % 60));
			time_format(t, got);
			assert_string_equal(got, want);
			snprintf(want, sizeof(want), "%04d-%02u-%02u", y, m, d);
			date_format(t, got);
			assert_string_equal(got, want);
		}
}

static void test_civil_round_trip(void **state)
{
	(void)state;
	assert_int_equal(days_from_civil(1970, 1, 1), 0);
	assert_int_equal(days_from_civil(2000, 3, 1), 11017);
	for (int64_t z = -1000; z < 3000000; z += 7) {
		int y;
		unsigned m, d;
		civil_from_days(z, &y, &m, &d);
		assert_int_equal(days_from_civil(y, m, d), z);
	}
}

static void test_period_parse(void **state)
{
	struct period p;
	char out[16];
	(void)state;
	assert_int_equal(period_parse("2026-H1", &p), 0);
	assert_int_equal(p.year, 2026);
	assert_int_equal(p.half, 1);
	assert_int_equal(p.start, at(2026, 1, 1, 0, 0, 0));
	assert_int_equal(p.end, at(2026, 7, 1, 0, 0, 0));
	period_format(&p, out);
	assert_string_equal(out, "2026-H1");

	assert_int_equal(period_parse("2026-H2", &p), 0);
	assert_int_equal(p.start, at(2026, 7, 1, 0, 0, 0));
	assert_int_equal(p.end, at(2027, 1, 1, 0, 0, 0));
}

static void test_period_parse_bad(void **state)
{
	static const char *const bad[] = {"2026-H3", "2026-H0",	 "2026H1", "26-H1",
					  "2026-h1", "2026-H1 ", "",	   "1969-H2",
					  "2026-S1", "abcd-H1"};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct period p;
		err_clear();
		if (period_parse(bad[i], &p) != -E_INVALID)
			fail_msg("period_parse accepted '%s'", bad[i]);
		assert_non_null(strstr(err_msg(), "period"));
	}
}

static void test_period_of(void **state)
{
	struct period p;
	(void)state;
	period_of(at(2026, 6, 30, 23, 59, 59), &p);
	assert_int_equal(p.year, 2026);
	assert_int_equal(p.half, 1);
	period_of(at(2026, 7, 1, 0, 0, 0), &p);
	assert_int_equal(p.half, 2);
	assert_int_equal(p.start, at(2026, 7, 1, 0, 0, 0));
	period_of(at(2026, 12, 31, 23, 59, 59), &p);
	assert_int_equal(p.half, 2);
	assert_int_equal(p.end, at(2027, 1, 1, 0, 0, 0));
	period_of(at(2027, 1, 1, 0, 0, 0), &p);
	assert_int_equal(p.year, 2027);
	assert_int_equal(p.half, 1);
}

static void test_clock_now_env(void **state)
{
	int64_t now = 0;
	(void)state;
	assert_int_equal(setenv("DOCKET_NOW", "2026-03-02T10:00:00Z", 1), 0);
	assert_int_equal(clock_now(&now), 0);
	assert_int_equal(now, at(2026, 3, 2, 10, 0, 0));

	assert_int_equal(setenv("DOCKET_NOW", "next tuesday", 1), 0);
	assert_int_equal(clock_now(&now), -E_USAGE);
	assert_non_null(strstr(err_msg(), "DOCKET_NOW"));

	assert_int_equal(unsetenv("DOCKET_NOW"), 0);
	assert_int_equal(clock_now(&now), 0);
	assert_true(now > at(2024, 1, 1, 0, 0, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ts_parse_good),
	    cmocka_unit_test(test_ts_parse_bad),
	    cmocka_unit_test(test_ts_format_keeps_form),
	    cmocka_unit_test(test_ts_format_normalises),
	    cmocka_unit_test(test_format_matches_printf),
	    cmocka_unit_test(test_civil_round_trip),
	    cmocka_unit_test(test_period_parse),
	    cmocka_unit_test(test_period_parse_bad),
	    cmocka_unit_test(test_period_of),
	    cmocka_unit_test(test_clock_now_env),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
