/*
 * clock.h - the clock, timestamps and reporting periods.
 *
 * All time in docket is UTC seconds since the epoch (int64_t).  clock_now()
 * is the only source of "now": it honours DOCKET_NOW (RFC 3339), so every
 * time-dependent path - deadlines, notices, holds, reports - can be tested by
 * jumping time.  Timestamps in input are RFC 3339 UTC ("...Z" or "+00:00")
 * or a bare date "YYYY-MM-DD" (midnight UTC); a struct ts remembers which
 * form it was given in so it prints back the same way.
 */
#ifndef DOCKET_CLOCK_H
#define DOCKET_CLOCK_H

#include <stdint.h>

struct ts {
	int64_t t;       /* seconds since the epoch, UTC */
	int date_only;   /* given as YYYY-MM-DD */
};

#define TS_BUFSZ 32
#define DAY_SECONDS ((int64_t)86400)

/* Now, or DOCKET_NOW when set.  Returns <0 (E_USAGE) when DOCKET_NOW is set
 * but not a valid timestamp. */
int clock_now(int64_t *now);

/* Parse RFC 3339 UTC or YYYY-MM-DD.  Returns 0 or -1 (no message: the
 * caller names the field). Rejects impossible dates (2026-02-30),
 * non-UTC offsets other than +00:00, and years outside 1970..9999. */
int ts_parse(const char *s, struct ts *out);

/* Format as "2026-03-02T10:00:00Z", or "2026-03-02" when date_only. */
void ts_format(struct ts ts, char out[TS_BUFSZ]);
void time_format(int64_t t, char out[TS_BUFSZ]);   /* always RFC 3339 */
void date_format(int64_t t, char out[TS_BUFSZ]);   /* YYYY-MM-DD */

/* Days since 1970-01-01 for a civil date, and back. */
int64_t days_from_civil(int y, unsigned m, unsigned d);
void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d);

/* A half-year reporting period: "2026-H1" = [2026-01-01, 2026-07-01). */
struct period {
	int year;
	int half;        /* 1 or 2 */
	int64_t start;   /* inclusive */
	int64_t end;     /* exclusive */
};
int period_parse(const char *s, struct period *out);
int period_of(int64_t t, struct period *out);
void period_format(const struct period *p, char out[16]);

#endif
