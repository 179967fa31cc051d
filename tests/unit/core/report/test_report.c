/*
 * test_report.c - transparency reports (SPEC §7) over histories built
 * through the store with known answers: the partition invariant, pending
 * requests, national-security bands at their edges, the FISA delay on
 * either side of 180 days, enterprise, notice, hold, challenge and reach
 * figures, the checkpoint a report states, and the three formats.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "tmpdir.h"

#include "base/err.h"
#include "core/policy/classify.h"
#include "base/util.h"
#include "core/ledger/journal.h"
#include "core/report/report.h"
#include "log/signer.h"
#include "store/store.h"
#include "store/txn.h"

#define ORIGIN "test.example/log"

struct fixture {
	char dir[64];
	char path[256];
	struct store *st;
	struct signer *key;
	int seq;
	int override_ns;	/* 1: mark the next requests as the domain would not */
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	if (tmpdir_make(f->dir, "report") < 0)
		return -1;
	if (testdb_path(f->dir, f->path, sizeof(f->path)) < 0)
		return -1;
	if (store_open(f->path, STORE_CREATE, &f->st) < 0 ||
	    signer_new(ORIGIN, &f->key) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->st);
	signer_free(f->key);
	if (tmpdir_remove(f->dir) < 0)
		return -1;
	free(f);
	return 0;
}

/* --- building histories ---------------------------------------------------- */

static void begin(struct fixture *f)
{
	assert_int_equal(store_begin(f->st), 0);
}

/* End a unit of work the way commands do: a log entry and a checkpoint. */
static void commit(struct fixture *f)
{
	json_t *ev = json_pack("{s:s, s:s, s:s}", "type", "test.history", "at",
			       "2026-01-01T00:00:00Z", "actor", "tester");
	assert_int_equal(journal_append(f->st, ev, NULL), 0);
	json_decref(ev);
	assert_int_equal(journal_checkpoint(f->st, f->key, ORIGIN), 0);
	assert_int_equal(store_commit(f->st), 0);
}

static void customer(struct fixture *f, const char *id, const char *type,
		     const char *location, const char *email)
{
	char doc[512];
	struct customer c = {0};
	snprintf(doc, sizeof(doc),
		 "{\"id\":\"%s\",\"name\":\"N\",\"type\":\"%s\",\"country\":\"US\","
		 "\"data_location\":\"%s\",\"us_person\":true,\"contact\":{\"email\":"
		 "\"%s\"},\"accounts\":[{\"type\":\"email\",\"value\":\"%s\"}]}",
		 id, type, location, email, email);
	assert_int_equal(customer_parse(doc, strlen(doc), &c), 0);
	assert_int_equal(store_customer_put(f->st, &c), 0);
	customer_release(&c);
}

struct req {
	const char *kind, *process, *country, *received;
	const char *categories; /* JSON array body: "\"content\"" */
	const char *targets;	/* comma-separated e-mails; NULL: one unknown */
	int ntargets;		/* with targets NULL: this many unknown ones */
	enum outcome outcome;	/* OUT_NONE: pending (in review) */
	const char *ndo;	/* optional "ndo" object */
};

/* A request stored in the given state (NULL: by its outcome). */
static int64_t request_as(struct fixture *f, const struct req *q, const char *state)
{
	struct buf doc, tg;
	struct request r = {0};
	buf_init(&doc, BUF_UNLIMITED);
	buf_init(&tg, BUF_UNLIMITED);
	if (q->targets) {
		char *list = xstrdup(q->targets), *save = NULL;
		for (char *t = strtok_r(list, ",", &save); t;
		     t = strtok_r(NULL, ",", &save))
			buf_addf(&tg, "%s{\"type\":\"email\",\"value\":\"%s\"}",
				 tg.len ? "," : "", t);
		free(list);
	} else {
		int n = q->ntargets ? q->ntargets : 1;
		for (int i = 0; i < n; i++)
			buf_addf(
			    &tg,
			    "%s{\"type\":\"email\",\"value\":\"u%d-%d@nowhere.test\"}",
			    i ? "," : "", f->seq, i);
	}
	buf_addf(
	    &doc,
	    "{\"ref\":\"R-%d\",\"country\":\"%s\",\"kind\":\"%s\",\"process\":\"%s\","
	    "\"received_at\":\"%s\",\"targets\":[%s],\"categories\":[%s]%s%s}",
	    f->seq++, q->country && q->country[0] ? q->country : "US", q->kind, q->process, q->received,
	    tg.ptr, q->categories ? q->categories : "\"subscriber\"",
	    q->ndo ? ",\"ndo\":" : "", q->ndo ? q->ndo : "");
	assert_int_equal(request_parse(doc.ptr, doc.len, REQUEST_STORED, 0, &r), 0);
	for (size_t i = 0; i < r.n_targets; i++) {
		int rc = store_account_resolve(
		    f->st, r.targets[i].type, r.targets[i].value,
		    &r.targets[i].account_id, &r.targets[i].customer_id);
		assert_true(rc == 0 || rc == -E_NOTFOUND);
	}
	r.outcome = q->outcome;
	r.state = q->outcome == OUT_NONE ? ST_IN_REVIEW : ST_CLOSED;
	if (state)
		r.state = (enum state)state_parse(state);
	if (q->country && !q->country[0])
		r.country[0] = '\0'; /* an agency not registered */
	request_classify(&r);
	if (f->override_ns)
		r.national_security = !r.national_security;
	assert_int_equal(store_request_insert(f->st, &r, NULL), 0);
	int64_t id = r.id;
	request_release(&r);
	buf_release(&doc);
	buf_release(&tg);
	return id;
}

static int64_t request(struct fixture *f, const struct req *q)
{
	return request_as(f, q, NULL);
}

static void many(struct fixture *f, const struct req *q, int n)
{
	for (int i = 0; i < n; i++)
		request(f, q);
}

static int64_t at(const char *s)
{
	struct ts t;
	assert_int_equal(ts_parse(s, &t), 0);
	return t.t;
}

static struct report *build(struct fixture *f, const char *period, const char *published,
			    unsigned width)
{
	struct report_opts o = {0};
	struct report *r = NULL;
	assert_int_equal(period_parse(period, &o.period), 0);
	o.published = at(published);
	o.band_width = width;
	o.provider = "Example Cloud";
	o.now = o.published;
	o.trend = 1;
	int rc = report_build(f->st, &o, &r);
	if (rc < 0)
		fail_msg("report_build: %s", err_msg());
	return r;
}

static const struct report_counts *row(const struct report *r, enum report_section s,
				       const char *cc)
{
	return &r->rows[s][report_country_index(cc)];
}

static void counts_eq(const struct report_counts *c, int64_t requests, int64_t accounts,
		      int64_t content, int64_t noncontent, int64_t no_data,
		      int64_t rejected, int64_t pending)
{
	assert_int_equal(c->requests, requests);
	assert_int_equal(c->accounts, accounts);
	assert_int_equal(c->content, content);
	assert_int_equal(c->noncontent_only, noncontent);
	assert_int_equal(c->no_data, no_data);
	assert_int_equal(c->rejected, rejected);
	assert_int_equal(c->pending, pending);
	assert_int_equal(content + noncontent + no_data + rejected + pending, requests);
}

/* The report as JSON text (caller frees). */
static char *dump(const struct report *r, size_t flags)
{
	json_t *j = report_json(r);
	char *s = json_dumps(j, flags);
	json_decref(j);
	return s;
}

static char *band(struct report_band b)
{
	static char out[REPORT_BAND_BUFSZ];
	report_band_format(b, out);
	return out;
}

/* --- bands ----------------------------------------------------------------------- */

static void test_band_edges(void **state)
{
	(void)state;
	assert_string_equal(band(report_band(0, 500)), "0-499");
	assert_string_equal(band(report_band(1, 500)), "0-499");
	assert_string_equal(band(report_band(499, 500)), "0-499");
	assert_string_equal(band(report_band(500, 500)), "500-999");
	assert_string_equal(band(report_band(999, 500)), "500-999");
	assert_string_equal(band(report_band(1000, 500)), "1000-1499");
	assert_string_equal(band(report_band(0, 1000)), "0-999");
	assert_string_equal(band(report_band(250, 250)), "250-499");
	assert_string_equal(band(report_band(99, 100)), "0-99");
	assert_true(report_band_width_valid(1000) && report_band_width_valid(500) &&
		    report_band_width_valid(250) && report_band_width_valid(100));
	assert_false(report_band_width_valid(0) || report_band_width_valid(50) ||
		     report_band_width_valid(499) || report_band_width_valid(2000));
}

/* --- sections, outcomes, pending ------------------------------------------------- */

static void test_partition_and_pending(void **state)
{
	struct fixture *f = *state;
	begin(f);
	customer(f, "c1", "consumer", "US", "a@x.test");
	const char *H1 = "2026-02-01T10:00:00Z";
	struct req crim = {"criminal", "subpoena", "US",	H1,  NULL,
			   "a@x.test", 0,	   OUT_CONTENT, NULL};
	many(f, &crim, 3);
	crim.outcome = OUT_NONCONTENT_ONLY;
	crim.targets = NULL;
	crim.ntargets = 2;
	many(f, &crim, 2);
	crim.outcome = OUT_NO_DATA;
	request(f, &crim);
	crim.ntargets = 1;
	crim.outcome = OUT_REJECTED;
	request(f, &crim);
	crim.outcome = OUT_REDIRECTED;
	request(f, &crim);
	crim.outcome = OUT_WITHDRAWN;
	request(f, &crim);
	crim.outcome = OUT_NONE; /* still open: pending */
	many(f, &crim, 4);
	struct req de = {"criminal", "foreign_order", "DE", H1, NULL, NULL,
			 1,	     OUT_NONE,	      NULL};
	request(f, &de);
	struct req em = {"emergency", "emergency",	   "US", H1, NULL, NULL,
			 1,	      OUT_NONCONTENT_ONLY, NULL};
	many(f, &em, 2);
	struct req civ = {"civil", "civil_subpoena", "US", H1, NULL, NULL,
			  1,	   OUT_REJECTED,     NULL};
	request(f, &civ);
	struct req pres = {
	    "preservation", "preservation", "US", H1, NULL, NULL, 1, OUT_NONE, NULL};
	many(f, &pres, 2);
	struct req nsl = {"national_security", "nsl", "US", H1, NULL, NULL, 1,
			  OUT_NONCONTENT_ONLY, NULL};
	many(f, &nsl, 3);
	/* period edges: the first second counts, the end belongs to H2 */
	struct req edge = {"criminal", "subpoena", "FR", "2026-01-01T00:00:00Z",
			   NULL,       NULL,	   1,	 OUT_CONTENT,
			   NULL};
	request(f, &edge);
	edge.received = "2026-07-01T00:00:00Z";
	request(f, &edge);
	edge.received = "2025-12-31T23:59:59Z";
	request(f, &edge);
	commit(f);

	struct report *r = build(f, "2026-H1", "2026-08-01", 500);
	counts_eq(row(r, RS_CRIMINAL, "US"), 13, 16, 3, 2, 1, 3, 4);
	counts_eq(row(r, RS_CRIMINAL, "DE"), 1, 1, 0, 0, 0, 0, 1);
	counts_eq(row(r, RS_CRIMINAL, "FR"), 1, 1, 1, 0, 0, 0, 0);
	counts_eq(row(r, RS_EMERGENCY, "US"), 2, 2, 0, 2, 0, 0, 0);
	counts_eq(row(r, RS_CIVIL, "US"), 1, 1, 0, 0, 0, 1, 0);
	counts_eq(&r->section_total[RS_CRIMINAL], 15, 18, 4, 2, 1, 3, 5);
	counts_eq(&r->total, 18, 21, 4, 4, 1, 4, 5);
	/* preservation and national security are not in the sections */
	counts_eq(&r->preservation.counts, 2, 2, 0, 0, 0, 0, 2);
	assert_int_equal(r->by_process[PROC_SUBPOENA].requests, 14);
	assert_int_equal(report_disclosed(&r->by_process[PROC_SUBPOENA]), 6);
	assert_int_equal(r->by_process[PROC_PRESERVATION].requests, 2);
	assert_int_equal(r->by_process[PROC_NSL].requests, 0);
	assert_true(r->complete);
	assert_int_equal(report_check(r), 0);

	/* the invariant is checked, not assumed */
	r->rows[RS_CIVIL][report_country_index("US")].pending++;
	assert_int_equal(report_check(r), -E_INTERNAL);
	assert_non_null(strstr(err_msg(), "civil US"));
	report_free(r);

	r = build(f, "2026-H2", "2027-02-01", 500);
	counts_eq(row(r, RS_CRIMINAL, "FR"), 1, 1, 1, 0, 0, 0, 0);
	counts_eq(&r->total, 1, 1, 1, 0, 0, 0, 0);
	report_free(r);
	r = build(f, "2025-H2", "2026-02-01", 500);
	counts_eq(&r->total, 1, 1, 1, 0, 0, 0, 0);
	report_free(r);
}

/* --- national security ------------------------------------------------------------- */

static const struct report_ns_figure *figure(const struct report *r,
					     enum report_ns_kind k)
{
	for (size_t i = 0; i < r->ns.n_figures; i++)
		if (r->ns.figures[i].kind == k)
			return &r->ns.figures[i];
	fail_msg("no figure %s", report_ns_kind_str(k));
	return NULL;
}

static void nsl_orders(struct fixture *f, int n, int targets)
{
	struct req q = {
	    "national_security", "nsl", "US", "2026-03-01", NULL, NULL, targets,
	    OUT_NONCONTENT_ONLY, NULL};
	begin(f);
	many(f, &q, n);
	commit(f);
}

static void expect_nsl(struct fixture *f, const char *orders, const char *accounts)
{
	struct report *r = build(f, "2026-H1", "2026-08-01", 500);
	const struct report_ns_figure *n = figure(r, NS_NSL);
	assert_false(n->withheld);
	assert_string_equal(band(n->orders), orders);
	assert_string_equal(band(n->accounts), accounts);
	report_free(r);
}

/* Edges 0, 1, 499, 500, 999 of bands of 500, for orders and accounts. */
static void test_ns_band_edges(void **state)
{
	struct fixture *f = *state;
	begin(f);
	commit(f);
	expect_nsl(f, "0-499", "0-499"); /* 0 orders, 0 accounts */
	nsl_orders(f, 1, 1);
	expect_nsl(f, "0-499", "0-499"); /* 1, 1 */
	nsl_orders(f, 497, 1);
	nsl_orders(f, 1, 1);
	expect_nsl(f, "0-499", "0-499"); /* 499, 499 */
	nsl_orders(f, 1, 1);
	expect_nsl(f, "500-999", "500-999"); /* 500, 500 */
	nsl_orders(f, 499, 1);
	expect_nsl(f, "500-999", "500-999"); /* 999, 999 */
	nsl_orders(f, 1, 1);
	expect_nsl(f, "1000-1499", "1000-1499"); /* 1000, 1000 */
}

static void test_ns_accounts_band_separately(void **state)
{
	struct fixture *f = *state;
	nsl_orders(f, 2, 250); /* 2 orders, 500 accounts */
	expect_nsl(f, "0-499", "500-999");
	nsl_orders(f, 1, 499); /* 3 orders, 999 accounts */
	expect_nsl(f, "0-499", "500-999");
}

static void fisa(struct fixture *f, int n, const char *categories, const char *received)
{
	struct req q = {
	    "national_security", "fisa_order", "US", received, categories, NULL, 1,
	    OUT_CONTENT,	 NULL};
	begin(f);
	many(f, &q, n);
	commit(f);
}

/* 2026-H1 ends 2026-07-01; 180 days later is 2026-12-28. */
static void test_fisa_delay(void **state)
{
	struct fixture *f = *state;
	fisa(f, 3, "\"content\"", "2026-02-01");
	fisa(f, 600, "\"subscriber\"", "2026-02-01");
	struct report *r = build(f, "2026-H1", "2026-12-27", 500);
	assert_int_equal(r->ns.fisa_release, at("2026-12-28"));
	assert_true(figure(r, NS_FISA_CONTENT)->withheld);
	assert_true(figure(r, NS_FISA_NONCONTENT)->withheld);
	assert_false(figure(r, NS_NSL)->withheld);
	assert_int_equal(figure(r, NS_FISA_CONTENT)->orders.lo, -1);
	char *j = dump(r, JSON_COMPACT);
	assert_non_null(strstr(j, "\"withheld_until\":\"2026-12-28\""));
	free(j);
	report_free(r);

	r = build(f, "2026-H1", "2026-12-28", 500);
	assert_false(figure(r, NS_FISA_CONTENT)->withheld);
	assert_string_equal(band(figure(r, NS_FISA_CONTENT)->orders), "0-499");
	assert_string_equal(band(figure(r, NS_FISA_NONCONTENT)->orders), "500-999");
	assert_string_equal(band(figure(r, NS_FISA_NONCONTENT)->accounts), "500-999");
	/* none of it is anywhere else */
	counts_eq(&r->total, 0, 0, 0, 0, 0, 0, 0);
	assert_int_equal(r->by_process[PROC_FISA_ORDER].requests, 0);
	report_free(r);
}

/* Bands of 250 combine all process; bands of 100 cover the calendar year. */
static void test_ns_combined(void **state)
{
	struct fixture *f = *state;
	nsl_orders(f, 200, 1);
	fisa(f, 60, "\"content\"", "2026-02-01");
	fisa(f, 50, "\"content\"", "2026-09-01");
	struct report *r = build(f, "2026-H1", "2027-01-01", 250);
	assert_true(r->ns.combined);
	assert_int_equal(r->ns.n_figures, 1);
	assert_string_equal(band(figure(r, NS_ALL)->orders), "250-499");
	report_free(r);
	r = build(f, "2026-H1", "2026-12-01", 250);
	assert_true(figure(r, NS_ALL)->withheld);
	report_free(r);
	r = build(f, "2026-H1", "2027-06-29", 100);
	assert_string_equal(r->ns.covers, "2026");
	assert_int_equal(r->ns.fisa_release, at("2027-06-30"));
	assert_true(figure(r, NS_ALL)->withheld);
	report_free(r);
	r = build(f, "2026-H1", "2027-06-30", 100);
	assert_string_equal(band(figure(r, NS_ALL)->orders), "300-399");
	report_free(r);
}

/* No integer in the JSON equals an exact national-security count. */
static void no_integer(json_t *j, const json_int_t *bad, size_t n)
{
	const char *k;
	json_t *v;
	size_t i;
	if (json_is_integer(j))
		for (i = 0; i < n; i++)
			if (json_integer_value(j) == bad[i])
				fail_msg("exact national-security count %lld in the JSON",
					 (long long)bad[i]);
	if (json_is_object(j))
		json_object_foreach(j, k, v) no_integer(v, bad, n);
	if (json_is_array(j))
		json_array_foreach(j, i, v) no_integer(v, bad, n);
}

/* No exact national-security number in any format. */
static void test_ns_never_exact(void **state)
{
	struct fixture *f = *state;
	nsl_orders(f, 7, 13); /* 7 orders, 91 accounts */
	fisa(f, 11, "\"content\"", "2025-08-01");
	struct report *r = build(f, "2025-H2", "2026-12-01", 500);
	const json_int_t bad[] = {7, 91, 11, 18, 102};
	json_t *j = report_json(r);
	no_integer(j, bad, ARRAY_SIZE(bad));
	json_t *ns = json_object_get(j, "national_security");
	json_t *fig;
	size_t i;
	json_array_foreach(json_object_get(ns, "figures"), i, fig)
	{
		assert_true(json_is_string(json_object_get(fig, "orders")));
		assert_true(json_is_string(json_object_get(fig, "accounts")));
	}
	assert_int_equal(json_array_size(json_object_get(j, "by_process")), 0);
	json_decref(j);

	struct buf out;
	buf_init(&out, BUF_UNLIMITED);
	assert_int_equal(report_csv(r, &out), 0);
	assert_null(strchr(strchr(out.ptr, '\n') + 1, ',')); /* the header alone */
	buf_reset(&out);
	assert_int_equal(report_html(r, &out), 0);
	assert_null(strstr(out.ptr, ">91<"));
	assert_null(strstr(out.ptr, ">7<"));
	assert_null(strstr(out.ptr, ">11<"));
	assert_null(strstr(out.ptr, ">18<"));
	assert_non_null(strstr(out.ptr, "<td>0-499</td>"));
	buf_release(&out);
	report_free(r);
}

/* US-DATA-ABROAD: the territories are the United States (18 U.S.C. 5):
 * data stored in Puerto Rico or Guam is not abroad for a US warrant, and
 * data stored in the US is not abroad for a request from Puerto Rico. */
/* The store filters on the mark the domain stored (core/policy/classify.h), not
 * on a rule of its own: a subpoena marked national-security leaves the
 * exact figures, an NSL marked otherwise is counted in them. */
static void test_store_filters_on_domain_mark(void **state)
{
	struct fixture *f = *state;
	const char *H1 = "2026-03-01";
	int64_t accounts = -1, customers = -1;
	begin(f);
	customer(f, "c-a", "consumer", "US", "a@x.test");
	customer(f, "c-b", "consumer", "US", "b@x.test");
	customer(f, "c-c", "consumer", "US", "c@x.test");
	f->override_ns = 1;
	struct req q = {"criminal", "subpoena", "US", H1, NULL, "a@x.test", 0, OUT_NONE, NULL};
	request(f, &q);
	commit(f);
	assert_int_equal(store_report_reach(f->st, at("2026-01-01"), at("2026-07-01"), &accounts,
					    &customers),
			 0);
	assert_int_equal(accounts, 0);
	begin(f);
	struct req n = {"national_security", "nsl", "US", H1, NULL, "b@x.test,c@x.test", 0,
			OUT_NONE, NULL};
	request(f, &n);
	f->override_ns = 0;
	commit(f);
	assert_int_equal(store_report_reach(f->st, at("2026-01-01"), at("2026-07-01"), &accounts,
					    &customers),
			 0);
	assert_int_equal(accounts, 2);
	assert_int_equal(customers, 2);
	assert_true(classify_national_security(KIND_CRIMINAL, PROC_NSL));
	assert_true(classify_national_security(KIND_CRIMINAL, PROC_FISA_ORDER));
	assert_true(classify_national_security(KIND_NATIONAL_SECURITY, PROC_OTHER));
	assert_false(classify_national_security(KIND_CRIMINAL, PROC_SUBPOENA));
}

static void test_territories_not_abroad(void **state)
{
	struct fixture *f = *state;
	begin(f);
	customer(f, "c-pr", "consumer", "PR", "pedro@x.test");
	customer(f, "c-gu", "consumer", "GU", "gina@x.test");
	customer(f, "c-us", "consumer", "US", "alice@x.test");
	customer(f, "c-ie", "consumer", "IE", "hans@x.test");
	struct req w = {"criminal", "search_warrant", "US",	   "2026-03-01", "\"content\"",
			"pedro@x.test", 0,		  OUT_CONTENT, NULL};
	request(f, &w);
	w.targets = "gina@x.test";
	request(f, &w);
	w.country = "PR";
	w.targets = "alice@x.test";
	request(f, &w);
	w.country = "US";
	w.targets = "hans@x.test"; /* Ireland is abroad */
	request(f, &w);
	commit(f);
	struct report *r = build(f, "2026-H1", "2026-08-01", 500);
	assert_int_equal(r->content_abroad.warrants, 1);
	assert_int_equal(r->content_abroad.by_country[report_country_index("US")], 1);
	report_free(r);
}

/* --- enterprise, content abroad, reach ---------------------------------------------- */

static void test_enterprise_abroad_reach(void **state)
{
	struct fixture *f = *state;
	const char *H1 = "2026-03-01";
	begin(f);
	customer(f, "c-ent", "enterprise", "US", "bob@contoso.test");
	customer(f, "c-ie", "consumer", "IE", "hans@x.test");
	customer(f, "c-us", "consumer", "US", "alice@x.test");
	customer(f, "c-idle", "consumer", "US", "idle@x.test");
	struct req q = {"criminal",	    "subpoena", "US",		H1,  NULL,
			"bob@contoso.test", 0,		OUT_REDIRECTED, NULL};
	many(f, &q, 2);
	q.outcome = OUT_NONCONTENT_ONLY;
	request(f, &q);
	q.targets = "alice@x.test,bob@contoso.test";
	q.outcome = OUT_NONE;
	request(f, &q);
	/* warrants for content stored abroad */
	struct req w = {"criminal", "search_warrant", "US",
			H1,	    "\"content\"",    "hans@x.test",
			0,	    OUT_CONTENT,      NULL};
	many(f, &w, 2);
	w.outcome = OUT_REJECTED;
	request(f, &w);
	w.country = "IE"; /* stored at home: not abroad */
	request(f, &w);
	w.country = "US";
	w.categories = "\"subscriber\""; /* no content sought */
	request(f, &w);
	w.categories = "\"content\"";
	w.targets = "alice@x.test"; /* stored in the US */
	request(f, &w);
	struct req s = {
	    "criminal",	   "subpoena", "GB",	     H1,  "\"content\"",
	    "hans@x.test", 0,	       OUT_REJECTED, NULL}; /* not a warrant */
	request(f, &s);
	/* national security touching the enterprise and the idle customer: left out */
	struct req n = {
	    "national_security", "nsl", "US", H1, NULL, "idle@x.test,bob@contoso.test", 0,
	    OUT_NONCONTENT_ONLY, NULL};
	request(f, &n);
	commit(f);

	struct report *r = build(f, "2026-H1", "2026-08-01", 500);
	assert_int_equal(r->enterprise.received, 4);
	assert_int_equal(r->enterprise.redirected, 2);
	assert_int_equal(r->enterprise.disclosed, 1);
	assert_int_equal(r->content_abroad.warrants, 3);
	assert_int_equal(r->content_abroad.content_disclosed, 2);
	assert_int_equal(r->content_abroad.by_country[report_country_index("US")], 3);
	assert_int_equal(r->reach.customers, 3);
	assert_int_equal(r->reach.customers_total, 4);
	assert_int_equal(r->reach.accounts, 3);
	assert_int_equal(r->reach.accounts_total, 4);
	char *j = dump(r, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(10));
	assert_non_null(strstr(j, "\"customers_percent\":75.0"));
	free(j);
	report_free(r);
}

/* --- notices, holds, challenges -------------------------------------------------------
 */

static void notice(struct fixture *f, int64_t req, const char *customer_id,
		   const char *state, const char *reason)
{
	struct notice_record n = {.request_id = req,
				  .customer_id = customer_id,
				  .state = state,
				  .delay_reason = reason};
	assert_int_equal(store_notice_add(f->st, &n, NULL), 0);
}

static void ndo(struct fixture *f, int64_t req)
{
	struct ndo_record n = {.request_id = req,
			       .statute = "18 U.S.C. 2705(b)",
			       .has_expiry = 1,
			       .expires_at = at("2027-03-01")};
	assert_int_equal(store_ndo_add(f->st, &n, NULL), 0);
}

static void test_notices_holds_challenges(void **state)
{
	struct fixture *f = *state;
	const char *H1 = "2026-03-01";
	begin(f);
	customer(f, "c1", "consumer", "US", "a@x.test");
	customer(f, "c2", "consumer", "US", "b@x.test");
	struct req q = {"criminal",	     "subpoena", "US",	   H1,	NULL,
			"a@x.test,b@x.test", 0,		 OUT_NONE, NULL};
	int64_t plain = request(f, &q);
	q.ndo = "{\"statute\":\"18 U.S.C. 2705(b)\",\"issued_at\":\"2026-03-01\","
		"\"expires_at\":\"2027-03-01\"}";
	int64_t gagged = request(f, &q);
	q.ndo = NULL;
	int64_t later_ndo = request(f, &q);
	struct req e = {"emergency", "emergency", "US",	    H1,	 NULL,
			"a@x.test",  0,		  OUT_NONE, NULL};
	int64_t emerg = request(f, &e);
	struct req ns = {"national_security", "nsl", "US",     H1,  NULL,
			 "a@x.test",	      0,     OUT_NONE, NULL};
	int64_t nsl = request(f, &ns);
	struct req p = {"preservation",
			"preservation",
			"US",
			H1,
			NULL,
			"a@x.test,b@x.test",
			0,
			OUT_NONE,
			NULL};
	int64_t pres = request(f, &p);
	int64_t pres2 = request(f, &p);
	struct hold h = {.request_id = pres,
			 .account_id = 1,
			 .created_at = at(H1),
			 .expires_at = at(H1) + 90 * DAY_SECONDS,
			 .state = "active"};
	assert_int_equal(store_hold_add(f->st, &h, NULL), 0);
	h.renewals = 1;
	assert_int_equal(store_hold_add(f->st, &h, NULL), 0);
	h.request_id = pres2;
	h.state = "expired";
	assert_int_equal(store_hold_add(f->st, &h, NULL), 0);
	h.renewals = 0;
	h.state = "released";
	assert_int_equal(store_hold_add(f->st, &h, NULL), 0);
	struct challenge c = {.subject = "request",
			      .filed_at = at(H1),
			      .court = "C.D. Cal.",
			      .grounds = "overbroad"};
	assert_int_equal(store_challenge_add(f->st, plain, &c, NULL), 0);
	assert_int_equal(store_challenge_decide(f->st, plain, "quashed", at(H1)), 0);
	assert_int_equal(store_challenge_add(f->st, plain, &c, NULL), 0);
	c.subject = "ndo";
	assert_int_equal(store_challenge_add(f->st, gagged, &c, NULL), 0);
	assert_int_equal(store_challenge_decide(f->st, gagged, "denied", at(H1)), 0);
	assert_int_equal(store_challenge_add(f->st, nsl, &c, NULL), 0); /* left out */
	notice(f, plain, "c1", "sent", NULL);
	notice(f, plain, "c2", "failed", NULL);
	notice(f, gagged, "c1", "delayed", "ndo");
	notice(f, gagged, "c2", "sending", NULL);    /* delivery under way */
	notice(f, later_ndo, "c1", "delayed", NULL); /* no reason: the NDO tells */
	ndo(f, later_ndo);
	notice(f, later_ndo, "c2", "suppressed", "ndo_indefinite");
	notice(f, emerg, "c1", "delayed", "emergency");
	ndo(f, emerg); /* the reason wins */
	notice(f, pres, "c1", "pending", NULL);
	notice(f, nsl, "c1", "suppressed", "ndo_indefinite"); /* left out */
	commit(f);

	struct report *r = build(f, "2026-H1", "2026-08-01", 500);
	assert_int_equal(r->notices.sent, 1);
	assert_int_equal(r->notices.failed, 1);
	assert_int_equal(r->notices.delayed_ndo, 2);
	assert_int_equal(r->notices.delayed_other, 1);
	assert_int_equal(r->notices.suppressed, 1);
	assert_int_equal(r->notices.pending, 2);
	assert_int_equal(r->preservation.counts.requests, 2);
	assert_int_equal(r->preservation.holds, 4);
	assert_int_equal(r->preservation.renewed, 2);
	assert_int_equal(r->preservation.active, 2);
	assert_int_equal(r->preservation.expired, 1);
	assert_int_equal(r->preservation.released, 1);
	assert_int_equal(r->challenges.filed, 3);
	assert_int_equal(r->challenges.of_requests, 2);
	assert_int_equal(r->challenges.of_ndos, 1);
	assert_int_equal(r->challenges.quashed, 1);
	assert_int_equal(r->challenges.denied, 1);
	assert_int_equal(r->challenges.pending, 1);
	report_free(r);

	/* a state the report does not know is an error, never a silent drop */
	begin(f);
	notice(f, emerg, "c2", "lost", NULL);
	commit(f);
	struct report_opts o = {.band_width = 500, .published = at("2026-08-01")};
	period_parse("2026-H1", &o.period);
	assert_int_equal(report_build(f->st, &o, &r), -E_STORAGE);
	assert_non_null(strstr(err_msg(), "lost"));
	assert_null(r);
}

/* --- every valid record ------------------------------------------------------------ */

/* SPEC §7: a report never fails on valid records.  Every request state with
 * every outcome, in every section, from a registered and an unregistered
 * agency, with every hold and notice state: the report builds, every row
 * adds up, the unregistered agency counts under "unknown" in every format,
 * and a voided request counts nowhere. */
static void test_every_valid_record(void **state)
{
	struct fixture *f = *state;
	const char *kinds[][2] = {{"criminal", "subpoena"},	  {"emergency", "emergency"},
				  {"civil", "civil_subpoena"},	  {"preservation", "preservation"},
				  {"national_security", "nsl"}, {"criminal", "search_warrant"}};
	const char *holds[] = {"active", "expired", "released", "converted"};
	const char *notices[] = {"pending", "sending", "delayed",
				 "sent",    "failed",  "suppressed"};
	int64_t n_requests = 0, unknown = 0, last = 0;
	begin(f);
	customer(f, "c1", "consumer", "US", "a@x.test");
	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++)
		for (int st = 0; st < state__COUNT; st++)
			for (int o = 0; o < outcome__COUNT; o++)
				for (int reg = 0; reg < 2; reg++) {
					struct req q = {kinds[k][0], kinds[k][1],
							reg ? "DE" : "", "2026-02-01",
							"\"subscriber\",\"content\"",
							"a@x.test", 0, (enum outcome)o,
							NULL};
					last = request_as(f, &q, state_str(st));
					if (strcmp(kinds[k][0], "national_security") != 0 &&
					    strcmp(kinds[k][0], "preservation") != 0) {
						n_requests++;
						unknown += !reg;
					}
				}
	for (size_t i = 0; i < ARRAY_SIZE(holds); i++) {
		struct hold h = {.request_id = last,
				 .account_id = 1,
				 .created_at = at("2026-02-01"),
				 .expires_at = at("2026-05-01"),
				 .state = holds[i]};
		assert_int_equal(store_hold_add(f->st, &h, NULL), 0);
	}
	for (size_t i = 0; i < ARRAY_SIZE(notices); i++) {
		struct req q = {"criminal", "subpoena", "", "2026-02-02", NULL, "a@x.test",
				0, OUT_NONE, NULL};
		notice(f, request(f, &q), "c1", notices[i], NULL);
		n_requests++;
		unknown++;
	}
	commit(f);

	struct report *r = build(f, "2026-H1", "2026-08-01", 500);
	assert_int_equal(report_check(r), 0);
	assert_int_equal(r->total.requests, n_requests);
	int64_t in_unknown = 0;
	for (int s = 0; s < RS__COUNT; s++)
		in_unknown += r->rows[s][REPORT_COUNTRY_UNKNOWN].requests;
	assert_int_equal(in_unknown, unknown);
	assert_int_equal(r->preservation.holds, 4);
	assert_int_equal(r->preservation.active + r->preservation.expired +
			     r->preservation.released + r->preservation.converted,
			 4);
	assert_int_equal(r->preservation.converted, 1);
	assert_int_equal(r->notices.pending + r->notices.delayed_ndo +
			     r->notices.delayed_other + r->notices.sent +
			     r->notices.failed + r->notices.suppressed,
			 6);
	struct buf csv, html;
	buf_init(&csv, BUF_UNLIMITED);
	buf_init(&html, BUF_UNLIMITED);
	assert_int_equal(report_csv(r, &csv), 0);
	assert_non_null(strstr(csv.ptr, "2026-H1,criminal,,unknown,"));
	assert_int_equal(report_html(r, &html), 0);
	assert_non_null(strstr(html.ptr, "unknown"));
	char *j = dump(r, JSON_COMPACT | JSON_SORT_KEYS);
	assert_non_null(strstr(j, "\"country\":\"unknown\",\"country_code\":\"\""));
	free(j);
	buf_release(&csv);
	buf_release(&html);
	report_free(r);

	/* a voided request (entered in error) counts nowhere (the row is
	 * changed with the SQLite library: the PostgreSQL run skips it) */
	if (testdb_is_pg())
		return;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "UPDATE request SET voided_at = 1 WHERE id = "
				      "(SELECT max(id) FROM request WHERE national_security = 0)",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	r = build(f, "2026-H1", "2026-08-01", 500);
	assert_int_equal(r->total.requests, n_requests - 1);
	report_free(r);
}

/* --- beyond the anchors ------------------------------------------------------------- */

static void decided_after(struct fixture *f, int64_t id, const char *event, int days)
{
	struct history_entry h = {.at = at("2026-03-01") + days * DAY_SECONDS,
				  .actor = "rita",
				  .event = event,
				  .from_state = ST_IN_REVIEW,
				  .to_state = ST_REJECTED};
	assert_int_equal(store_history_add(f->st, id, &h), 0);
}

/* Response times by nearest rank, NDO figures, delayed-then-released
 * notices, emergency requests that failed verification, extensions. */
static void test_beyond_anchors(void **state)
{
	struct fixture *f = *state;
	const char *H1 = "2026-03-01";
	begin(f);
	customer(f, "c1", "consumer", "US", "a@x.test");
	struct req q = {"criminal", "subpoena", "US", H1, NULL, "a@x.test", 0, OUT_NONE, NULL};
	int days[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 30};
	for (size_t i = 0; i < ARRAY_SIZE(days); i++)
		decided_after(f, request(f, &q), "reject", days[i]);
	int64_t later = request(f, &q);
	decided_after(f, later, "note", 1); /* not a decision */
	q.ndo = "{\"statute\":\"18 U.S.C. 2705(b)\",\"issued_at\":\"2026-03-01\","
		"\"expires_at\":\"2026-06-09\"}";
	int64_t gag = request(f, &q);
	struct ndo_record n = {.request_id = gag,
			       .statute = "18 U.S.C. 2705(b)",
			       .issued_at = at(H1),
			       .has_expiry = 1,
			       .expires_at = at(H1) + 100 * DAY_SECONDS};
	assert_int_equal(store_ndo_add(f->st, &n, NULL), 0);
	n.has_expiry = 0;
	assert_int_equal(store_ndo_add(f->st, &n, NULL), 0);
	struct challenge c = {.subject = "ndo", .filed_at = at(H1), .court = "C", .grounds = "g"};
	assert_int_equal(store_challenge_add(f->st, gag, &c, NULL), 0);
	struct notice_record nr = {.request_id = gag, .customer_id = "c1", .state = "sent",
				   .created_at = at(H1), .due_at = at(H1) + 100 * DAY_SECONDS};
	assert_int_equal(store_notice_add(f->st, &nr, NULL), 0);
	struct req e = {"emergency", "emergency", "US", H1, NULL, "a@x.test", 0, OUT_REJECTED,
			NULL};
	int64_t forged = request_as(f, &e, "rejected");
	struct history_entry h = {.at = at(H1), .actor = "rita", .event = "reject",
				  .from_state = ST_VERIFYING, .to_state = ST_REJECTED};
	assert_int_equal(store_history_add(f->st, forged, &h), 0);
	e.outcome = OUT_NONE;
	request_as(f, &e, "verifying");
	struct req p = {"preservation", "preservation", "US", H1, NULL, "a@x.test", 0,
			OUT_NONE, NULL};
	struct hold hd = {.request_id = request(f, &p), .account_id = 1, .created_at = at(H1),
			  .expires_at = at(H1) + 180 * DAY_SECONDS, .renewals = 1,
			  .state = "active"};
	assert_int_equal(store_hold_add(f->st, &hd, NULL), 0);
	commit(f);

	struct report *r = build(f, "2026-H1", "2026-08-01", 500);
	/* ten decided: median = rank 5 (5 days), p90 = rank 9 (9 days) */
	assert_int_equal(r->response[RS_CRIMINAL].decided, 10);
	assert_int_equal(r->response[RS_CRIMINAL].median, 5 * DAY_SECONDS);
	assert_int_equal(r->response[RS_CRIMINAL].p90, 9 * DAY_SECONDS);
	assert_int_equal(r->response[RS_CIVIL].decided, 0);
	assert_int_equal(r->response[RS_CIVIL].median, -1);
	assert_int_equal(r->extra.ndos, 2);
	assert_int_equal(r->extra.ndos_indefinite, 1);
	assert_int_equal(r->extra.ndos_challenged, 2);
	assert_int_equal(r->extra.ndo_median_days, 100);
	assert_int_equal(r->extra.notices_delayed, 1);
	assert_int_equal(r->extra.notices_released, 1);
	assert_int_equal(r->extra.emergency_unverified, 1);
	assert_int_equal(r->extra.emergency_verifying, 1);
	assert_int_equal(r->extra.hold_extensions, 1);
	char *j = dump(r, JSON_COMPACT | JSON_SORT_KEYS);
	assert_non_null(strstr(j, "\"criminal\":{\"decided\":10,\"median_days\":5.0,"
				  "\"p90_days\":9.0}"));
	free(j);
	report_free(r);

	char pct[REPORT_PCT_BUFSZ];
	assert_string_equal(report_percent(1, 3, pct), "33.3%");
	assert_string_equal(report_percent(2, 3, pct), "66.7%");
	assert_string_equal(report_percent(1, 2, pct), "50%");
	assert_string_equal(report_percent(0, 7, pct), "0%");
	assert_string_equal(report_percent(7, 7, pct), "100%");
	assert_string_equal(report_percent(1, 100000, pct), "<0.1%");
	assert_string_equal(report_percent(99999, 100000, pct), ">99.9%");
	assert_string_equal(report_percent(0, 0, pct), "-");
	assert_string_equal(report_process_words(PROC_CLOUD_ACT_ORDER), "CLOUD Act agreement order");
}

/* --- the checkpoint --------------------------------------------------------------------
 */

static void test_checkpoint_stated(void **state)
{
	struct fixture *f = *state;
	struct report_opts o = {.band_width = 500, .published = at("2026-08-01")};
	struct report *r = NULL;
	period_parse("2026-H1", &o.period);
	assert_int_equal(report_build(f->st, &o, &r), -E_STORAGE);
	assert_non_null(strstr(err_msg(), "no signed checkpoint"));

	begin(f);
	struct req q = {"criminal", "subpoena", "US",	     "2026-03-01", NULL,
			NULL,	    1,		OUT_CONTENT, NULL};
	request(f, &q);
	commit(f);
	r = build(f, "2026-H1", "2026-08-01", 500);
	uint8_t root[32];
	uint64_t size;
	assert_int_equal(store_log_size(f->st, &size), 0);
	assert_int_equal(r->checkpoint.size, size);
	assert_int_equal(journal_root(f->st, size, root), 0);
	assert_memory_equal(root, r->checkpoint.root, 32);
	assert_string_equal(r->checkpoint.origin, ORIGIN);
	assert_non_null(strstr(r->checkpoint_note, "\n\n\xe2\x80\x94 " ORIGIN " "));
	struct buf line;
	buf_init(&line, BUF_UNLIMITED);
	report_checkpoint_line(r, &line);
	char *b64 = note_base64(root, 32);
	char want[160];
	snprintf(want, sizeof(want), "checkpoint: %s %llu %s", ORIGIN,
		 (unsigned long long)size, b64);
	assert_string_equal(line.ptr, want);
	free(b64);
	buf_release(&line);
	report_free(r);

	/* entries past the newest checkpoint: the report refuses to misstate it */
	begin(f);
	json_t *ev = json_pack("{s:s, s:s, s:s}", "type", "t", "at",
			       "2026-01-01T00:00:00Z", "actor", "x");
	assert_int_equal(journal_append(f->st, ev, NULL), 0);
	json_decref(ev);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(report_build(f->st, &o, &r), -E_STORAGE);
	assert_non_null(strstr(err_msg(), "covers"));
}

/* --- formats ---------------------------------------------------------------------------
 */

static void test_csv(void **state)
{
	struct fixture *f = *state;
	const char *H1 = "2026-03-01";
	begin(f);
	struct req q = {"criminal", "subpoena", "US",	     H1,  NULL,
			NULL,	    2,		OUT_CONTENT, NULL};
	request(f, &q);
	q.country = "BO";
	q.outcome = OUT_NONE;
	request(f, &q);
	q.kind = "civil";
	q.process = "civil_subpoena";
	q.country = "DE";
	q.outcome = OUT_WITHDRAWN;
	request(f, &q);
	q.kind = "emergency";
	q.process = "emergency";
	q.country = "AE";
	q.outcome = OUT_NO_DATA;
	request(f, &q);
	commit(f);
	struct report *r = build(f, "2026-H1", "2026-08-01", 500);
	struct buf out;
	buf_init(&out, BUF_UNLIMITED);
	assert_int_equal(report_csv(r, &out), 0);
	assert_string_equal(
	    out.ptr,
	    "period,section,country_code,country,requests,accounts,content,"
	    "noncontent_only,no_data,rejected,pending\n"
	    "2026-H1,civil,DE,Germany,1,2,0,0,0,1,0\n"
	    "2026-H1,criminal,BO,\"Bolivia, Plurinational State of\",1,2,0,0,0,0,1\n"
	    "2026-H1,criminal,US,United States,1,2,1,0,0,0,0\n"
	    "2026-H1,emergency,AE,United Arab Emirates,1,2,0,0,1,0,0\n");
	buf_release(&out);

	buf_init(&out, BUF_UNLIMITED);
	assert_int_equal(report_html(r, &out), 0);
	assert_non_null(strstr(out.ptr, "<!DOCTYPE html>"));
	assert_non_null(strstr(out.ptr, "@media print"));
	assert_non_null(strstr(out.ptr, "<svg"));
	assert_null(strstr(out.ptr, "<script"));
	assert_null(strstr(out.ptr, "src="));
	assert_non_null(strstr(out.ptr, "Bolivia, Plurinational State of"));
	assert_non_null(strstr(out.ptr, r->checkpoint.origin));
	assert_non_null(strstr(out.ptr, "withheld until 2026-12-28"));
	buf_release(&out);
	assert_int_equal(r->n_trend, 1);
	assert_int_equal(r->trend[0].requests[RS_CRIMINAL], 2);
	report_free(r);
}

static void test_trend(void **state)
{
	struct fixture *f = *state;
	begin(f);
	struct req q = {"criminal", "subpoena", "US",	     "2024-02-01", NULL,
			NULL,	    1,		OUT_CONTENT, NULL};
	request(f, &q);
	q.received = "2025-09-01";
	many(f, &q, 3);
	q.kind = "preservation";
	q.process = "preservation";
	request(f, &q);
	q.kind = "national_security";
	q.process = "nsl";
	request(f, &q);
	commit(f);
	struct report *r = build(f, "2026-H1", "2026-08-01", 500);
	assert_int_equal(r->n_trend, 5); /* 2024-H1 .. 2026-H1 */
	assert_int_equal(r->trend[0].period.year, 2024);
	assert_int_equal(r->trend[0].requests[RS_CRIMINAL], 1);
	assert_int_equal(r->trend[1].requests[RS_CRIMINAL], 0);
	assert_int_equal(r->trend[3].requests[RS_CRIMINAL], 3);
	assert_int_equal(r->trend[3].preservation, 1);
	assert_int_equal(r->trend[4].period.half, 1);
	report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_band_edges),
	    cmocka_unit_test_setup_teardown(test_partition_and_pending, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ns_band_edges, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ns_accounts_band_separately, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_fisa_delay, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ns_combined, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ns_never_exact, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_territories_not_abroad, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_store_filters_on_domain_mark, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_enterprise_abroad_reach, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_notices_holds_challenges, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_checkpoint_stated, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_every_valid_record, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_beyond_anchors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_trend, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
