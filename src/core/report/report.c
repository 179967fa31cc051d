/*
 * report.c - computing a transparency report (SPEC §7) from the records.
 *
 * report_build() opens one read snapshot, reads the newest signed
 * checkpoint and checks that it covers exactly the log as stored, then
 * folds the store's aggregates into the fixed tables of struct report.
 * National-security groups are folded into a private tally that is turned
 * into bands and wiped before report_build() returns (50 U.S.C. 1874).
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "core/ledger/journal.h"
#include "core/policy/classify.h"
#include "core/report/report.h"

#define REPORT_SECTION_NAME(name, str, kind) str,
static const char *const section_names[] = {REPORT_SECTIONS(REPORT_SECTION_NAME)};
#define REPORT_SECTION_KIND(name, str, kind) kind,
static const enum kind section_kinds[] = {REPORT_SECTIONS(REPORT_SECTION_KIND)};

const char *report_section_str(int s)
{
	return s >= 0 && s < RS__COUNT ? section_names[s] : "?";
}

static int section_of(enum kind k)
{
	for (int s = 0; s < RS__COUNT; s++)
		if (section_kinds[s] == k)
			return s;
	return -1;
}

static const char *const ns_names[NS__COUNT] = {
    [NS_NSL] = "nsl",
    [NS_FISA_CONTENT] = "fisa_content",
    [NS_FISA_NONCONTENT] = "fisa_noncontent",
    [NS_ALL] = "all_national_security_process",
};

const char *report_ns_kind_str(int k)
{
	return k >= 0 && k < NS__COUNT ? ns_names[k] : "?";
}

int report_country_index(const char code[3])
{
	if (code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' || code[2])
		return -1;
	return (code[0] - 'A') * 26 + (code[1] - 'A');
}

void report_country_code(int index, char out[3])
{
	out[0] = (char)('A' + index / 26);
	out[1] = (char)('A' + index % 26);
	out[2] = '\0';
}

/* --- bands (50 U.S.C. 1874) ------------------------------------------------ */

struct report_band report_band(int64_t n, unsigned width)
{
	struct report_band b;
	assert(n >= 0 && width > 0);
	b.lo = n - n % (int64_t)width;
	b.hi = b.lo + (int64_t)width - 1;
	return b;
}

void report_band_format(struct report_band b, char out[REPORT_BAND_BUFSZ])
{
	snprintf(out, REPORT_BAND_BUFSZ, "%lld-%lld", (long long)b.lo, (long long)b.hi);
}

int report_band_width_valid(int64_t width)
{
	return width == 1000 || width == 500 || width == 250 || width == 100;
}

/* --- counting ---------------------------------------------------------------- */

int64_t report_disclosed(const struct report_counts *c)
{
	return c->content + c->noncontent_only;
}

/* A stored outcome's column. */
static int64_t *column(struct report_counts *c, enum outcome o)
{
	switch (o) {
	case OUT_CONTENT:
		return &c->content;
	case OUT_NONCONTENT_ONLY:
		return &c->noncontent_only;
	case OUT_NO_DATA:
		return &c->no_data;
	case OUT_REJECTED:
	case OUT_REDIRECTED:
	case OUT_WITHDRAWN:
		return &c->rejected;
	default:
		return &c->pending;
	}
}

static void counts_add(struct report_counts *c, const struct report_group *g)
{
	c->requests += g->requests;
	c->accounts += g->targets;
	for (int o = 0; o < outcome__COUNT; o++)
		*column(c, (enum outcome)o) += g->by_outcome[o];
}

static int counts_check(const struct report_counts *c, const char *what, const char *key)
{
	int64_t sum =
	    c->content + c->noncontent_only + c->no_data + c->rejected + c->pending;
	if (sum != c->requests || c->requests < 0)
		return err_set(E_INTERNAL,
			       "report row '%s%s%s': outcome columns add up to %lld, not "
			       "to its %lld requests",
			       what, key ? " " : "", key ? key : "", (long long)sum,
			       (long long)c->requests);
	return 0;
}

int report_check(const struct report *r)
{
	int rc;
	for (int s = 0; s < RS__COUNT; s++) {
		for (int i = 0; i < REPORT_COUNTRIES; i++) {
			char cc[3];
			report_country_code(i, cc);
			if ((rc = counts_check(&r->rows[s][i], section_names[s], cc)) < 0)
				return rc;
		}
		if ((rc = counts_check(&r->section_total[s], section_names[s], "total")) <
		    0)
			return rc;
	}
	for (int p = 0; p < process__COUNT; p++)
		if ((rc = counts_check(&r->by_process[p], process_str(p), NULL)) < 0)
			return rc;
	if ((rc = counts_check(&r->total, "total", NULL)) < 0 ||
	    (rc = counts_check(&r->preservation.counts, "preservation", NULL)) < 0)
		return rc;
	return 0;
}

/* The exact national-security figures, private to one report_build(). */
struct ns_tally {
	int64_t orders[NS__COUNT];
	int64_t accounts[NS__COUNT];
};

struct build {
	struct report *r;
	struct ns_tally ns;
	int fold_ns_only; /* bands of 100: the year's walk counts only NS */
};

static int is_national_security(const struct report_group *g)
{
	return classify_national_security(g->kind, g->process);
}

/* US-NSL, US-FISA: NSLs on their own; every other national-security
 * process counts with FISA orders (the stricter rule: it waits 180 days),
 * split by whether content was sought. */
static void ns_fold(struct ns_tally *t, const struct report_group *g)
{
	if (g->process == PROC_NSL) {
		t->orders[NS_NSL] += g->requests;
		t->accounts[NS_NSL] += g->targets;
	} else {
		t->orders[NS_FISA_CONTENT] += g->content_requests;
		t->accounts[NS_FISA_CONTENT] += g->content_targets;
		t->orders[NS_FISA_NONCONTENT] += g->requests - g->content_requests;
		t->accounts[NS_FISA_NONCONTENT] += g->targets - g->content_targets;
	}
	t->orders[NS_ALL] += g->requests;
	t->accounts[NS_ALL] += g->targets;
}

static int fold_group(void *ctx, const struct report_group *g)
{
	struct build *b = ctx;
	struct report *r = b->r;
	if (is_national_security(g)) {
		ns_fold(&b->ns, g);
		return 0;
	}
	if (b->fold_ns_only)
		return 0;
	int ci = report_country_index(g->country);
	if (ci < 0)
		return err_set(E_STORAGE, "stored request has country '%s'", g->country);
	int s = section_of(g->kind);
	if (s >= 0) {
		counts_add(&r->rows[s][ci], g);
		counts_add(&r->section_total[s], g);
		counts_add(&r->total, g);
	} else if (g->kind == KIND_PRESERVATION) {
		counts_add(&r->preservation.counts, g);
	}
	counts_add(&r->by_process[g->process], g);
	return 0;
}

static int fold_target(void *ctx, const struct report_target_group *g)
{
	struct report *r = ctx;
	int disclosed = g->outcome == OUT_CONTENT || g->outcome == OUT_NONCONTENT_ONLY;
	if (g->enterprise) {
		r->enterprise.received += g->requests;
		if (g->outcome == OUT_REDIRECTED)
			r->enterprise.redirected += g->requests;
		if (disclosed)
			r->enterprise.disclosed += g->requests;
	}
	if (g->content_abroad) {
		int ci = report_country_index(g->country);
		if (ci < 0)
			return err_set(E_STORAGE, "stored request has country '%s'",
				       g->country);
		r->content_abroad.warrants += g->requests;
		r->content_abroad.by_country[ci] += g->requests;
		if (g->outcome == OUT_CONTENT)
			r->content_abroad.content_disclosed += g->requests;
	}
	return 0;
}

static int unknown(const char *what, const char *value)
{
	return err_set(E_STORAGE, "stored %s state '%s' is not one the report knows",
		       what, value ? value : "(null)");
}

/* SPEC §2: pending | delayed | sent | failed | suppressed, and sending (a
 * delivery under way, not yet sent: counted as pending). */
static int fold_notice(void *ctx, const char *state, int ndo, int64_t n)
{
	struct report *r = ctx;
	if (strcmp(state, "pending") == 0 || strcmp(state, "sending") == 0)
		r->notices.pending += n;
	else if (strcmp(state, "delayed") == 0 && ndo)
		r->notices.delayed_ndo += n;
	else if (strcmp(state, "delayed") == 0)
		r->notices.delayed_other += n;
	else if (strcmp(state, "sent") == 0)
		r->notices.sent += n;
	else if (strcmp(state, "failed") == 0)
		r->notices.failed += n;
	else if (strcmp(state, "suppressed") == 0)
		r->notices.suppressed += n;
	else
		return unknown("notice", state);
	return 0;
}

static int fold_hold(void *ctx, const char *state, int64_t holds, int64_t renewed)
{
	struct report *r = ctx;
	if (strcmp(state, "active") == 0)
		r->preservation.active += holds;
	else if (strcmp(state, "expired") == 0)
		r->preservation.expired += holds;
	else if (strcmp(state, "released") == 0)
		r->preservation.released += holds;
	else
		return unknown("hold", state);
	r->preservation.holds += holds;
	r->preservation.renewed += renewed;
	return 0;
}

static int fold_challenge(void *ctx, const char *subject, const char *outcome, int64_t n)
{
	struct report *r = ctx;
	if (!outcome)
		r->challenges.pending += n;
	else if (strcmp(outcome, "quashed") == 0)
		r->challenges.quashed += n;
	else if (strcmp(outcome, "modified") == 0)
		r->challenges.modified += n;
	else if (strcmp(outcome, "denied") == 0)
		r->challenges.denied += n;
	else
		return unknown("challenge outcome", outcome);
	if (strcmp(subject, "ndo") == 0)
		r->challenges.of_ndos += n;
	else
		r->challenges.of_requests += n;
	r->challenges.filed += n;
	return 0;
}

/* --- national security -------------------------------------------------------- */

/* What the figures cover: the half-year, or for bands of 100 (yearly
 * reporting, 50 U.S.C. 1874(a)(4)) the calendar year. */
static void ns_span(struct report_ns *ns, const struct period *p)
{
	if (ns->width == 100) {
		ns->from = days_from_civil(p->year, 1, 1) * DAY_SECONDS;
		ns->to = days_from_civil(p->year + 1, 1, 1) * DAY_SECONDS;
		snprintf(ns->covers, sizeof(ns->covers), "%04d", p->year);
	} else {
		ns->from = p->start;
		ns->to = p->end;
		period_format(p, ns->covers);
	}
	/* US-FISA: only a span that ended at least 180 days before publication. */
	ns->fisa_release = ns->to + REPORT_FISA_DELAY_DAYS * DAY_SECONDS;
}

static void ns_figure(struct report_ns *ns, const struct ns_tally *t,
		      enum report_ns_kind k, int64_t published)
{
	struct report_ns_figure *f = &ns->figures[ns->n_figures++];
	int fisa = k != NS_NSL;
	f->kind = k;
	f->withheld = fisa && published < ns->fisa_release;
	if (f->withheld) {
		f->orders.lo = f->orders.hi = f->accounts.lo = f->accounts.hi = -1;
		return;
	}
	f->orders = report_band(t->orders[k], ns->width);
	f->accounts = report_band(t->accounts[k], ns->width);
}

/* Bands of 1000 and 500: NSLs and FISA content / non-content separately
 * ((a)(1), (a)(2)); bands of 250 and 100: all process combined ((a)(3),
 * (a)(4)). */
static void ns_band(struct report_ns *ns, struct ns_tally *t, int64_t published)
{
	ns->combined = ns->width <= 250;
	ns->n_figures = 0;
	if (ns->combined) {
		ns_figure(ns, t, NS_ALL, published);
	} else {
		ns_figure(ns, t, NS_NSL, published);
		ns_figure(ns, t, NS_FISA_CONTENT, published);
		ns_figure(ns, t, NS_FISA_NONCONTENT, published);
	}
	explicit_bzero(t, sizeof(*t));
}

/* --- the checkpoint ------------------------------------------------------------ */

static int read_checkpoint(struct store *st, struct report *r)
{
	uint64_t size, log_size;
	uint8_t root[MERKLE_HASH_LEN];
	int rc = store_checkpoint_latest(st, &size, &r->checkpoint_note);
	if (rc == -E_NOTFOUND)
		return err_set(E_STORAGE, "the log has no signed checkpoint to state in "
					  "the report");
	if (rc < 0)
		return rc;
	const char *note = r->checkpoint_note;
	const char *blank = strstr(note, "\n\n");
	if (!blank ||
	    (rc = checkpoint_parse(note, (size_t)(blank - note) + 1, &r->checkpoint)) < 0)
		return err_set(E_STORAGE, "the newest signed checkpoint is unreadable");
	if (r->checkpoint.size != size)
		return err_set(E_STORAGE,
			       "the newest checkpoint is stored at size %llu but "
			       "states %llu (verify the log)",
			       (unsigned long long)size,
			       (unsigned long long)r->checkpoint.size);
	if ((rc = store_log_size(st, &log_size)) < 0)
		return rc;
	if (log_size != size)
		return err_set(E_STORAGE,
			       "the log holds %llu entries but its newest signed "
			       "checkpoint covers %llu (verify the log)",
			       (unsigned long long)log_size, (unsigned long long)size);
	if ((rc = journal_root(st, size, root)) < 0)
		return rc;
	if (memcmp(root, r->checkpoint.root, sizeof(root)) != 0)
		return err_set(E_STORAGE,
			       "the newest signed checkpoint does not match the "
			       "stored log (verify the log)");
	return 0;
}

/* --- the trend ------------------------------------------------------------------- */

static int fold_trend(void *ctx, const struct report_group *g)
{
	struct report_trend_point *t = ctx;
	if (is_national_security(g))
		return 0;
	int s = section_of(g->kind);
	if (s >= 0)
		t->requests[s] += g->requests;
	else if (g->kind == KIND_PRESERVATION)
		t->preservation += g->requests;
	return 0;
}

/* One point per half-year from the first request on record to the last
 * (and the report's own half-year), empty ones included. */
static int build_trend(struct store *st, struct report *r)
{
	int64_t first, last;
	struct period p, end;
	int rc = store_report_received_span(st, &first, &last);
	if (rc == -E_NOTFOUND)
		first = last = r->period.start;
	else if (rc < 0)
		return rc;
	period_of(first < r->period.start ? first : r->period.start, &p);
	period_of(last > r->period.start ? last : r->period.start, &end);
	size_t cap = 0;
	for (;;) {
		r->trend = xgrow(r->trend, &cap, r->n_trend + 1, sizeof(*r->trend));
		struct report_trend_point *t = &r->trend[r->n_trend];
		memset(t, 0, sizeof(*t));
		t->period = p;
		if ((rc = store_report_requests(st, p.start, p.end, fold_trend, t)) < 0)
			return rc;
		r->n_trend++;
		if (p.start >= end.start)
			break;
		period_of(p.end, &p);
	}
	return 0;
}

/* --- report_build ------------------------------------------------------------------ */

static int collect(struct store *st, const struct report_opts *o, struct build *b)
{
	struct report *r = b->r;
	int64_t from = o->period.start, to = o->period.end;
	int rc;
	if ((rc = read_checkpoint(st, r)) < 0 ||
	    (rc = store_report_requests(st, from, to, fold_group, b)) < 0 ||
	    (rc = store_report_targets(st, from, to, country_us_nation(), fold_target,
					  r)) < 0 ||
	    (rc = store_report_reach(st, from, to, &r->reach.accounts,
				     &r->reach.customers)) < 0 ||
	    (rc = store_customer_count(st, &r->reach.customers_total)) < 0 ||
	    (rc = store_account_count(st, &r->reach.accounts_total)) < 0 ||
	    (rc = store_report_notices(st, from, to, fold_notice, r)) < 0 ||
	    (rc = store_report_holds(st, from, to, fold_hold, r)) < 0 ||
	    (rc = store_report_challenges(st, from, to, fold_challenge, r)) < 0)
		return rc;
	if (r->ns.from != from || r->ns.to != to) {
		/* yearly bands: count the national-security process of the year */
		explicit_bzero(&b->ns, sizeof(b->ns));
		b->fold_ns_only = 1;
		if ((rc = store_report_requests(st, r->ns.from, r->ns.to, fold_group,
						b)) < 0)
			return rc;
	}
	if (o->trend && (rc = build_trend(st, r)) < 0)
		return rc;
	return 0;
}

int report_build(struct store *st, const struct report_opts *o, struct report **out)
{
	*out = NULL;
	if (!report_band_width_valid(o->band_width))
		return err_set(E_INVALID,
			       "band width %u is not one the law allows (1000, "
			       "500, 250 or 100)",
			       o->band_width);
	struct report *r = xcalloc(1, sizeof(*r));
	struct build b = {.r = r};
	r->period = o->period;
	r->published = o->published;
	r->generated = o->now;
	r->complete = o->published >= o->period.end;
	r->provider = xstrdup(o->provider ? o->provider : "");
	r->ns.width = o->band_width;
	ns_span(&r->ns, &o->period);

	int rc = store_snapshot_begin(st);
	if (rc == 0) {
		rc = collect(st, o, &b);
		store_snapshot_end(st);
	}
	ns_band(&r->ns, &b.ns, o->published);
	if (rc == 0)
		rc = report_check(r);
	if (rc < 0) {
		report_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

void report_free(struct report *r)
{
	if (!r)
		return;
	free(r->provider);
	free(r->checkpoint_note);
	free(r->trend);
	free(r);
}
