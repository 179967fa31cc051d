/*
 * report.h - biannual transparency reports (SPEC §7, invariant I9).
 *
 * report_build() computes a report for one half-year from the records
 * alone, inside one read snapshot that also fixes the signed checkpoint the
 * report states.  A request counts in the half-year it was received; its
 * outcome is the one stored now, and a request without one is "pending".
 * The counting is done by the store's aggregates (store_report_*), so
 * memory does not grow with the number of requests; the report holds fixed
 * tables (26 x 26 country slots per section) plus one small row per
 * half-year for the trend.
 *
 * Invariants:
 *  - in every row the five outcome columns (content, noncontent_only,
 *    no_data, rejected, pending) add up to requests; report_check() proves
 *    it before anything is rendered;
 *  - national-security process (kind national_security, or process nsl or
 *    fisa_order) appears only as bands of the configured width (50 U.S.C.
 *    1874): the exact counts live in report.c while it runs and are wiped
 *    once banded, and every other figure leaves such requests out, so no
 *    difference of two published numbers reveals one;
 *  - figures that include FISA orders are present only when the half-year
 *    (for bands of 100, the year) ended at least 180 days before the
 *    publication date; otherwise the report says until when they are
 *    withheld.
 *
 * Rendering (CSV, JSON, HTML) never changes the numbers, only their form.
 *
 * Ownership: report_build() allocates *out; report_free() releases it.
 */
#ifndef DOCKET_REPORT_H
#define DOCKET_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/clock.h"
#include "model/enums.h"
#include "log/note.h"
#include "store/store.h"

/* The sections of the per-country table, in SPEC order. */
#define REPORT_SECTIONS(X)                                                               \
	X(RS_CRIMINAL, "criminal", KIND_CRIMINAL)                                        \
	X(RS_EMERGENCY, "emergency", KIND_EMERGENCY)                                     \
	X(RS_CIVIL, "civil", KIND_CIVIL)
#define REPORT_SECTION_MEMBER(name, str, kind) name,
enum report_section { REPORT_SECTIONS(REPORT_SECTION_MEMBER) RS__COUNT };
const char *report_section_str(int s);

/* One slot per two-letter code "AA".."ZZ", in code order. */
#define REPORT_COUNTRIES (26 * 26)
int report_country_index(const char code[3]); /* -1: not two A-Z letters */
void report_country_code(int index, char out[3]);

#define REPORT_DEFAULT_BAND 500 /* 50 U.S.C. 1874(a)(2) */
#define REPORT_FISA_DELAY_DAYS 180

/* The SPEC §7 columns of one row. */
struct report_counts {
	int64_t requests;
	int64_t accounts; /* sum over requests of targets specified */
	int64_t content;
	int64_t noncontent_only;
	int64_t no_data;
	int64_t rejected; /* rejected + redirected + withdrawn */
	int64_t pending;  /* no outcome yet */
};

/* A band [lo, hi] of width w: lo = n - n % w, hi = lo + w - 1. */
struct report_band {
	int64_t lo, hi;
};
struct report_band report_band(int64_t n, unsigned width);
#define REPORT_BAND_BUFSZ 48
void report_band_format(struct report_band b, char out[REPORT_BAND_BUFSZ]);
/* 1 when width is one the law allows: 1000, 500, 250 or 100. */
int report_band_width_valid(int64_t width);

enum report_ns_kind { NS_NSL, NS_FISA_CONTENT, NS_FISA_NONCONTENT, NS_ALL, NS__COUNT };
const char *report_ns_kind_str(int k);

struct report_ns_figure {
	enum report_ns_kind kind;
	int withheld; /* 1: FISA delay; bands not computed */
	struct report_band orders;
	struct report_band accounts;
};

struct report_ns {
	unsigned width;
	int combined;	      /* bands of 250 or 100: all process together */
	char covers[16];      /* "2026-H1", or "2026" for bands of 100 */
	int64_t from, to;     /* what the figures cover */
	int64_t fisa_release; /* first publication date allowed for FISA */
	size_t n_figures;
	struct report_ns_figure figures[3];
};

struct report_trend_point {
	struct period period;
	int64_t requests[RS__COUNT];
	int64_t preservation;
};

struct report {
	struct period period;
	int64_t published; /* publication date (drives the FISA delay) */
	int64_t generated; /* the clock when it was computed */
	int complete;	   /* the half-year ended before publication */
	char *provider;

	struct checkpoint checkpoint;
	char *checkpoint_note; /* the signed note, exactly as stored */

	struct report_counts rows[RS__COUNT][REPORT_COUNTRIES];
	struct report_counts section_total[RS__COUNT];
	struct report_counts total;			 /* the three sections */
	struct report_counts by_process[process__COUNT]; /* NSL, FISA: unused */

	struct {
		struct report_counts counts;
		int64_t holds, renewed, active, expired, released;
	} preservation;
	struct {
		int64_t received, redirected, disclosed;
	} enterprise;
	struct {
		int64_t pending, delayed_ndo, delayed_other, sent, failed, suppressed;
	} notices;
	struct {
		int64_t warrants, content_disclosed;
		int64_t by_country[REPORT_COUNTRIES];
	} content_abroad;
	struct {
		int64_t filed, of_requests, of_ndos;
		int64_t pending, quashed, modified, denied;
	} challenges;
	struct {
		int64_t accounts, accounts_total, customers, customers_total;
	} reach;

	struct report_ns ns;

	struct report_trend_point *trend; /* every half-year on record */
	size_t n_trend;
};

struct report_opts {
	struct period period;
	int64_t published;
	unsigned band_width; /* 1000, 500, 250 or 100 */
	int trend;	     /* also count every half-year on record */
	const char *provider;
	int64_t now;
};

/* Compute the report.  Fails with E_STORAGE when the log has no signed
 * checkpoint, when the newest one does not cover the whole log or does not
 * match the stored tree, and when a stored value is not one the report
 * knows; with E_INTERNAL when an invariant does not hold. */
int report_build(struct store *st, const struct report_opts *opts, struct report **out);
void report_free(struct report *r);

/* The partition invariant of every row (see above); E_INTERNAL naming the
 * row when broken. */
int report_check(const struct report *r);

/* Outcome columns: content + noncontent_only. */
int64_t report_disclosed(const struct report_counts *c);

/* --- rendering ------------------------------------------------------------ */

/* CSV: exactly the SPEC §7 header
 * period,section,country_code,country,requests,accounts,content,
 * noncontent_only,no_data,rejected,pending and one row per section and
 * country with requests, sorted by section name then country code; names
 * quoted per RFC 4180 when needed; lines end in "\n". */
int report_csv(const struct report *r, struct buf *out);
/* One line "checkpoint: <origin> <size> <base64 root>" (no newline). */
void report_checkpoint_line(const struct report *r, struct buf *out);
/* Every section as a JSON object (new reference). */
json_t *report_json(const struct report *r);
/* One self-contained HTML page: inline CSS and SVG, no JavaScript. */
int report_html(const struct report *r, struct buf *out);

#endif
