/*
 * report_format.c - a transparency report as CSV (the SPEC §7 columns,
 * nothing else) and as JSON (every section).
 *
 * National-security figures are written only from struct report_ns, which
 * holds bands and never a count; a withheld figure is written as the date
 * until which it is withheld.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "model/model.h"
#include "core/report/report.h"

#define CSV_HEADER                                                                       \
	"period,section,country_code,country,requests,accounts,content,"                 \
	"noncontent_only,no_data,rejected,pending\n"

static const char *name_of(const char code[3])
{
	return report_country_name(code);
}

/* RFC 4180: a field holding a comma, a quote or a line break is quoted,
 * with quotes doubled. */
static int csv_field(struct buf *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n"))
		return buf_adds(out, s);
	int rc = buf_addc(out, '"');
	for (; *s && rc == 0; s++)
		rc = *s == '"' ? buf_adds(out, "\"\"") : buf_addc(out, *s);
	return rc ? rc : buf_addc(out, '"');
}

static int cmp_section(const void *a, const void *b)
{
	return strcmp(report_section_str(*(const int *)a),
		      report_section_str(*(const int *)b));
}

int report_csv(const struct report *r, struct buf *out)
{
	char period[16];
	int order[RS__COUNT];
	int rc = buf_adds(out, CSV_HEADER);
	period_format(&r->period, period);
	for (int s = 0; s < RS__COUNT; s++)
		order[s] = s;
	qsort(order, RS__COUNT, sizeof(order[0]), cmp_section);
	for (int k = 0; k < RS__COUNT && rc == 0; k++) {
		int s = order[k];
		for (int i = 0; i < REPORT_COUNTRIES && rc == 0; i++) {
			const struct report_counts *c = &r->rows[s][i];
			char cc[3];
			if (!c->requests)
				continue;
			report_country_code(i, cc);
			rc =
			    buf_addf(out, "%s,%s,%s,", period, report_section_str(s), cc);
			if (rc == 0)
				rc = csv_field(out, name_of(cc));
			if (rc == 0)
				rc = buf_addf(
				    out, ",%lld,%lld,%lld,%lld,%lld,%lld,%lld\n",
				    (long long)c->requests, (long long)c->accounts,
				    (long long)c->content, (long long)c->noncontent_only,
				    (long long)c->no_data, (long long)c->rejected,
				    (long long)c->pending);
		}
	}
	return rc;
}

void report_checkpoint_line(const struct report *r, struct buf *out)
{
	char *root = note_base64(r->checkpoint.root, sizeof(r->checkpoint.root));
	buf_addf(out, "checkpoint: %s %llu %s", r->checkpoint.origin,
		 (unsigned long long)r->checkpoint.size, root);
	free(root);
}

/* --- JSON ---------------------------------------------------------------------- */

static json_t *jint(int64_t n)
{
	return json_integer((json_int_t)n);
}

static json_t *jdate(int64_t t)
{
	char s[TS_BUFSZ];
	date_format(t, s);
	return json_string(s);
}

static void counts_set(json_t *o, const struct report_counts *c)
{
	json_object_set_new(o, "requests", jint(c->requests));
	json_object_set_new(o, "accounts", jint(c->accounts));
	json_object_set_new(o, "content", jint(c->content));
	json_object_set_new(o, "noncontent_only", jint(c->noncontent_only));
	json_object_set_new(o, "no_data", jint(c->no_data));
	json_object_set_new(o, "rejected", jint(c->rejected));
	json_object_set_new(o, "pending", jint(c->pending));
}

static json_t *counts_json(const struct report_counts *c)
{
	json_t *o = json_object();
	counts_set(o, c);
	return o;
}

static json_t *country_json(int index)
{
	char cc[3];
	json_t *o = json_object();
	report_country_code(index, cc);
	json_object_set_new(o, "country_code", json_string(cc));
	json_object_set_new(o, "country", json_string(name_of(cc)));
	return o;
}

static json_t *sections_json(const struct report *r)
{
	json_t *sections = json_object();
	for (int s = 0; s < RS__COUNT; s++) {
		json_t *rows = json_array();
		for (int i = 0; i < REPORT_COUNTRIES; i++) {
			if (!r->rows[s][i].requests)
				continue;
			json_t *row = country_json(i);
			counts_set(row, &r->rows[s][i]);
			json_array_append_new(rows, row);
		}
		json_object_set_new(sections, report_section_str(s),
				    json_pack("{s:o, s:o}", "total",
					      counts_json(&r->section_total[s]),
					      "countries", rows));
	}
	return sections;
}

static json_t *by_process_json(const struct report *r)
{
	json_t *arr = json_array();
	for (int p = 0; p < process__COUNT; p++) {
		const struct report_counts *c = &r->by_process[p];
		if (!c->requests)
			continue;
		json_t *o = json_object();
		json_object_set_new(o, "process", json_string(process_str(p)));
		json_object_set_new(o, "process_name", json_string(report_process_words(p)));
		json_object_set_new(o, "received", jint(c->requests));
		json_object_set_new(o, "disclosed", jint(report_disclosed(c)));
		counts_set(o, c);
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *content_abroad_json(const struct report *r)
{
	json_t *rows = json_array();
	for (int i = 0; i < REPORT_COUNTRIES; i++) {
		if (!r->content_abroad.by_country[i])
			continue;
		json_t *row = country_json(i);
		json_object_set_new(row, "warrants",
				    jint(r->content_abroad.by_country[i]));
		json_array_append_new(rows, row);
	}
	return json_pack("{s:o, s:o, s:o}", "warrants", jint(r->content_abroad.warrants),
			 "content_disclosed", jint(r->content_abroad.content_disclosed),
			 "countries", rows);
}

/* A share in percent rounded to one decimal (0 when whole is 0). */
static json_t *percent(int64_t part, int64_t whole)
{
	int64_t pm = report_permille(part, whole);
	return json_real(pm < 0 ? 0.0 : (double)pm / 10.0);
}

static json_t *jsecs_days(int64_t secs)
{
	if (secs < 0)
		return json_null();
	return json_real((double)((secs * 10 + DAY_SECONDS / 2) / DAY_SECONDS) / 10.0);
}

static json_t *ns_json(const struct report *r)
{
	const struct report_ns *ns = &r->ns;
	json_t *figures = json_array();
	for (size_t i = 0; i < ns->n_figures; i++) {
		const struct report_ns_figure *f = &ns->figures[i];
		json_t *o =
		    json_pack("{s:s, s:b}", "process", report_ns_kind_str(f->kind),
			      "withheld", f->withheld);
		if (f->withheld) {
			json_object_set_new(o, "withheld_until", jdate(ns->fisa_release));
		} else {
			char band[REPORT_BAND_BUFSZ];
			report_band_format(f->orders, band);
			json_object_set_new(o, "orders", json_string(band));
			report_band_format(f->accounts, band);
			json_object_set_new(o, "accounts", json_string(band));
		}
		json_array_append_new(figures, o);
	}
	return json_pack("{s:I, s:b, s:s, s:o, s:o}", "band_width", (json_int_t)ns->width,
			 "combined", ns->combined, "covers", ns->covers,
			 "fisa_publishable_from", jdate(ns->fisa_release), "figures",
			 figures);
}

static json_t *checkpoint_json(const struct report *r)
{
	char *root = note_base64(r->checkpoint.root, sizeof(r->checkpoint.root));
	json_t *o = json_pack("{s:s, s:I, s:s, s:s}", "origin", r->checkpoint.origin,
			      "size", (json_int_t)r->checkpoint.size, "root", root,
			      "note", r->checkpoint_note);
	free(root);
	return o;
}

static json_t *headline_json(const struct report *r)
{
	json_t *o = json_object();
	for (int s = 0; s <= RS__COUNT; s++) {
		const struct report_counts *c = s < RS__COUNT ? &r->section_total[s] : &r->total;
		json_object_set_new(
		    o, s < RS__COUNT ? report_section_str(s) : "total",
		    json_pack("{s:o, s:o, s:o}", "requests", jint(c->requests),
			      "some_data_produced", jint(report_disclosed(c)), "percent",
			      c->requests ? percent(report_disclosed(c), c->requests)
					  : json_null()));
	}
	return o;
}

static json_t *response_json(const struct report *r)
{
	json_t *o = json_object();
	for (int s = 0; s < RS__COUNT; s++)
		json_object_set_new(o, report_section_str(s),
				    json_pack("{s:o, s:o, s:o}", "decided",
					      jint(r->response[s].decided), "median_days",
					      jsecs_days(r->response[s].median), "p90_days",
					      jsecs_days(r->response[s].p90)));
	return o;
}

static json_t *ndos_json(const struct report *r)
{
	const struct report_extra *e = &r->extra;
	return json_pack("{s:o, s:o, s:o, s:o, s:o}", "count", jint(e->ndos),
			 "median_days",
			 e->ndo_median_days < 0 ? json_null() : jint(e->ndo_median_days),
			 "indefinite", jint(e->ndos_indefinite), "indefinite_percent",
			 e->ndos ? percent(e->ndos_indefinite, e->ndos) : json_null(),
			 "challenged", jint(e->ndos_challenged));
}

json_t *report_json(const struct report *r)
{
	char period[16], generated[TS_BUFSZ];
	period_format(&r->period, period);
	time_format(r->generated, generated);
	json_t *o = json_object();
	json_object_set_new(o, "period", json_string(period));
	json_object_set_new(o, "from", jdate(r->period.start));
	json_object_set_new(o, "to", jdate(r->period.end - DAY_SECONDS));
	json_object_set_new(o, "published", jdate(r->published));
	json_object_set_new(o, "complete", json_boolean(r->complete));
	json_object_set_new(o, "generated_at", json_string(generated));
	json_object_set_new(o, "provider", json_string(r->provider));
	json_object_set_new(o, "checkpoint", checkpoint_json(r));
	json_object_set_new(o, "sections", sections_json(r));
	json_object_set_new(o, "total", counts_json(&r->total));
	json_object_set_new(o, "by_process", by_process_json(r));

	json_t *pres = counts_json(&r->preservation.counts);
	json_object_set_new(pres, "holds",
			    json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "created",
				      jint(r->preservation.holds), "renewed",
				      jint(r->preservation.renewed), "active",
				      jint(r->preservation.active), "expired",
				      jint(r->preservation.expired), "released",
				      jint(r->preservation.released), "converted",
				      jint(r->preservation.converted)));
	json_object_set_new(o, "preservation", pres);
	json_object_set_new(o, "emergency", counts_json(&r->section_total[RS_EMERGENCY]));
	json_object_set_new(
	    o, "accounts_by_outcome",
	    json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "content",
		      jint(r->accounts_by_outcome.content), "noncontent_only",
		      jint(r->accounts_by_outcome.noncontent_only), "no_data",
		      jint(r->accounts_by_outcome.no_data), "rejected",
		      jint(r->accounts_by_outcome.rejected), "redirected",
		      jint(r->accounts_by_outcome.redirected), "withdrawn",
		      jint(r->accounts_by_outcome.withdrawn), "pending",
		      jint(r->accounts_by_outcome.pending)));
	json_object_set_new(o, "enterprise",
			    json_pack("{s:o, s:o, s:o}", "received",
				      jint(r->enterprise.received), "redirected",
				      jint(r->enterprise.redirected), "disclosed",
				      jint(r->enterprise.disclosed)));
	json_object_set_new(
	    o, "notices",
	    json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "sent", jint(r->notices.sent),
		      "delayed_by_ndo", jint(r->notices.delayed_ndo), "delayed_other",
		      jint(r->notices.delayed_other), "suppressed",
		      jint(r->notices.suppressed), "pending", jint(r->notices.pending),
		      "failed", jint(r->notices.failed)));
	json_object_set_new(o, "content_abroad", content_abroad_json(r));
	json_object_set_new(
	    o, "challenges",
	    json_pack(
		"{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "filed", jint(r->challenges.filed),
		"of_requests", jint(r->challenges.of_requests), "of_ndos",
		jint(r->challenges.of_ndos), "pending", jint(r->challenges.pending),
		"quashed", jint(r->challenges.quashed), "modified",
		jint(r->challenges.modified), "denied", jint(r->challenges.denied)));
	json_object_set_new(
	    o, "reach",
	    json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "customers_affected",
		      jint(r->reach.customers), "customers_total",
		      jint(r->reach.customers_total), "customers_percent",
		      percent(r->reach.customers, r->reach.customers_total),
		      "accounts_affected", jint(r->reach.accounts), "accounts_total",
		      jint(r->reach.accounts_total), "accounts_percent",
		      percent(r->reach.accounts, r->reach.accounts_total)));
	json_object_set_new(o, "national_security", ns_json(r));
	json_object_set_new(o, "partial", json_boolean(!r->complete));
	json_object_set_new(o, "headline", headline_json(r));
	json_object_set_new(o, "response_times", response_json(r));
	json_object_set_new(o, "ndos", ndos_json(r));
	json_t *n = json_object_get(o, "notices");
	json_object_set_new(n, "delayed_total", jint(r->extra.notices_delayed));
	json_object_set_new(n, "released", jint(r->extra.notices_released));
	json_t *e = json_object_get(o, "emergency");
	json_object_set_new(e, "failed_verification", jint(r->extra.emergency_unverified));
	json_object_set_new(e, "awaiting_verification", jint(r->extra.emergency_verifying));
	json_t *h = json_object_get(json_object_get(o, "preservation"), "holds");
	json_object_set_new(h, "extensions", jint(r->extra.hold_extensions));
	json_object_set_new(o, "verifier_key", json_string(r->verifier_key));
	return o;
}

/* --- CSV tables beside the SPEC one ------------------------------------------- */

const char *const report_csv_tables[] = {"countries", "headline", "response_times",
					  "ndos",	"notices",  "emergency",
					  "preservation", NULL};

static int table_headline(const struct report *r, const char *period, struct buf *out)
{
	int rc = buf_adds(out, "period,section,requests,some_data_produced,percent\n");
	for (int s = 0; s <= RS__COUNT && rc == 0; s++) {
		const struct report_counts *c = s < RS__COUNT ? &r->section_total[s] : &r->total;
		char pct[REPORT_PCT_BUFSZ];
		report_percent(report_disclosed(c), c->requests, pct);
		rc = buf_addf(out, "%s,%s,%lld,%lld,%s\n", period,
			      s < RS__COUNT ? report_section_str(s) : "total",
			      (long long)c->requests, (long long)report_disclosed(c),
			      c->requests ? pct : "");
	}
	return rc;
}

static int table_response(const struct report *r, const char *period, struct buf *out)
{
	int rc = buf_adds(out, "period,section,decided,median_days,p90_days\n");
	for (int s = 0; s < RS__COUNT && rc == 0; s++) {
		char m[REPORT_DAYS_BUFSZ], p[REPORT_DAYS_BUFSZ];
		int none = r->response[s].median < 0;
		report_days(r->response[s].median, m);
		report_days(r->response[s].p90, p);
		rc = buf_addf(out, "%s,%s,%lld,%s,%s\n", period, report_section_str(s),
			      (long long)r->response[s].decided, none ? "" : m,
			      none ? "" : p);
	}
	return rc;
}

int report_csv_table(const struct report *r, const char *table, struct buf *out)
{
	char period[16];
	const struct report_extra *e = &r->extra;
	period_format(&r->period, period);
	if (strcmp(table, "countries") == 0)
		return report_csv(r, out);
	if (strcmp(table, "headline") == 0)
		return table_headline(r, period, out);
	if (strcmp(table, "response_times") == 0)
		return table_response(r, period, out);
	if (strcmp(table, "ndos") == 0) {
		char pct[REPORT_PCT_BUFSZ], med[24] = "";
		report_percent(e->ndos_indefinite, e->ndos, pct);
		if (e->ndo_median_days >= 0)
			snprintf(med, sizeof(med), "%lld", (long long)e->ndo_median_days);
		return buf_addf(out,
				"period,ndos,median_days,indefinite,indefinite_percent,"
				"challenged\n%s,%lld,%s,%lld,%s,%lld\n",
				period, (long long)e->ndos, med,
				(long long)e->ndos_indefinite, e->ndos ? pct : "",
				(long long)e->ndos_challenged);
	}
	if (strcmp(table, "notices") == 0)
		return buf_addf(out,
				"period,sent,delayed_by_ndo,delayed_other,suppressed,pending,"
				"failed,delayed_total,released\n"
				"%s,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld\n",
				period, (long long)r->notices.sent,
				(long long)r->notices.delayed_ndo,
				(long long)r->notices.delayed_other,
				(long long)r->notices.suppressed,
				(long long)r->notices.pending, (long long)r->notices.failed,
				(long long)e->notices_delayed, (long long)e->notices_released);
	if (strcmp(table, "emergency") == 0) {
		const struct report_counts *c = &r->section_total[RS_EMERGENCY];
		return buf_addf(out,
				"period,requests,some_data_produced,failed_verification,"
				"awaiting_verification\n%s,%lld,%lld,%lld,%lld\n",
				period, (long long)c->requests,
				(long long)report_disclosed(c),
				(long long)e->emergency_unverified,
				(long long)e->emergency_verifying);
	}
	if (strcmp(table, "preservation") == 0)
		return buf_addf(
		    out,
		    "period,requests,holds,renewed,extensions,active,expired,released,"
		    "converted\n%s,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld\n",
		    period, (long long)r->preservation.counts.requests,
		    (long long)r->preservation.holds, (long long)r->preservation.renewed,
		    (long long)e->hold_extensions, (long long)r->preservation.active,
		    (long long)r->preservation.expired, (long long)r->preservation.released,
		    (long long)r->preservation.converted);
	return err_set(E_INVALID, "unknown report table '%s'", table);
}
