#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"

/* Howard Hinnant's civil-calendar algorithms (public domain descriptions). */
int64_t days_from_civil(int y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400) + (*m <= 2);
}

static int days_in_month(int y, unsigned m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int ts_parse(const char *s, struct ts *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0;
	size_t n = strlen(s);
	if (n < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d))
		return -1;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, (unsigned)mo))
		return -1;
	out->date_only = n == 10;
	if (n > 10) {
		const char *p = s + 10;
		if ((*p != 'T' && *p != 't') || digits(p + 1, 2, &h) || p[3] != ':' ||
		    digits(p + 4, 2, &mi) || p[6] != ':' || digits(p + 7, 2, &se))
			return -1;
		if (h > 23 || mi > 59 || se > 59)
			return -1;
		p += 9;
		if (*p == '.') { /* fractional seconds: accepted, truncated */
			p++;
			if (*p < '0' || *p > '9')
				return -1;
			while (*p >= '0' && *p <= '9')
				p++;
		}
		if (!((strcmp(p, "Z") == 0) || strcmp(p, "z") == 0 ||
		      strcmp(p, "+00:00") == 0))
			return -1;
	}
	out->t = days_from_civil(y, (unsigned)mo, (unsigned)d) * DAY_SECONDS +
		 h * 3600 + mi * 60 + se;
	return 0;
}

/* "YYYY-MM-DD" at out for years 0..9999 (what %04d-%02u-%02u writes);
 * 0 for other years, which take the snprintf() path. */
static int date_digits(int y, unsigned m, unsigned d, char *out)
{
	if (y < 0 || y > 9999)
		return 0;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	return 1;
}

void time_format(int64_t t, char out[TS_BUFSZ])
{
	int y;
	unsigned m, d;
	int64_t days = t >= 0 ? t / DAY_SECONDS : (t - DAY_SECONDS + 1) / DAY_SECONDS;
	int64_t rem = t - days * DAY_SECONDS;
	civil_from_days(days, &y, &m, &d);
	if (date_digits(y, m, d, out)) {
		int h = (int)(rem / 3600), mi = (int)(rem / 60 % 60), se = (int)(rem % 60);
		char *p = out + 10;
		*p++ = 'T';
		*p++ = (char)('0' + h / 10);
		*p++ = (char)('0' + h % 10);
		*p++ = ':';
		*p++ = (char)('0' + mi / 10);
		*p++ = (char)('0' + mi % 10);
		*p++ = ':';
		*p++ = (char)('0' + se / 10);
		*p++ = (char)('0' + se % 10);
		*p++ = 'Z';
		*p = '\0';
		return;
	}
	snprintf(out, TS_BUFSZ, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, m, d,
		 (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}

void date_format(int64_t t, char out[TS_BUFSZ])
{
	int y;
	unsigned m, d;
	int64_t days = t >= 0 ? t / DAY_SECONDS : (t - DAY_SECONDS + 1) / DAY_SECONDS;
	civil_from_days(days, &y, &m, &d);
	if (date_digits(y, m, d, out)) {
		out[10] = '\0';
		return;
	}
	snprintf(out, TS_BUFSZ, "%04d-%02u-%02u", y, m, d);
}

void ts_format(struct ts ts, char out[TS_BUFSZ])
{
	if (ts.date_only)
		date_format(ts.t, out);
	else
		time_format(ts.t, out);
}

int clock_now(int64_t *now)
{
	const char *env = getenv("DOCKET_NOW");
	if (env && *env) {
		struct ts ts;
		if (ts_parse(env, &ts) < 0)
			return err_set(E_USAGE,
				       "DOCKET_NOW '%s' is not an RFC 3339 UTC time", env);
		if (ts.date_only)
			return err_set(E_USAGE,
				       "DOCKET_NOW '%s' is a date: the clock needs a time too, "
				       "as in %sT12:00:00Z",
				       env, env);
		*now = ts.t;
		return 0;
	}
	struct timespec tv;
	clock_gettime(CLOCK_REALTIME, &tv);
	*now = (int64_t)tv.tv_sec;
	return 0;
}

static void period_fill(struct period *p)
{
	p->start = days_from_civil(p->year, p->half == 1 ? 1 : 7, 1) * DAY_SECONDS;
	p->end = p->half == 1 ? days_from_civil(p->year, 7, 1) * DAY_SECONDS
			      : days_from_civil(p->year + 1, 1, 1) * DAY_SECONDS;
}

int period_parse(const char *s, struct period *out)
{
	int y;
	if (strlen(s) != 7 || digits(s, 4, &y) || s[4] != '-' || s[5] != 'H' ||
	    (s[6] != '1' && s[6] != '2') || y < 1970)
		return err_set(E_INVALID,
			       "period '%s' is not a half-year like 2026-H1", s);
	out->year = y;
	out->half = s[6] - '0';
	period_fill(out);
	return 0;
}

int period_of(int64_t t, struct period *out)
{
	int y;
	unsigned m, d;
	civil_from_days(t / DAY_SECONDS, &y, &m, &d);
	out->year = y;
	out->half = m <= 6 ? 1 : 2;
	period_fill(out);
	return 0;
}

void period_format(const struct period *p, char out[16])
{
	snprintf(out, 16, "%04d-H%d", p->year, p->half);
}
