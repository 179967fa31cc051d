/*
 * report_format.c - a transparency report as CSV (the SPEC §7 columns,
 * nothing else) and as JSON (every section).
 *
 * National-security figures are written only from struct report_ns, which
 * holds bands and never a count; a withheld figure is written as the date
 * until which it is withheld.
 */
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
	const char *n = country_name(code);
	return n ? n : "Unknown";
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

/* A share in percent with four decimals (a real: the only one in the
 * report). */
static json_t *percent(int64_t part, int64_t whole)
{
	if (whole <= 0 || part < 0)
		return json_real(0.0);
	int64_t e4 = (part * 1000000 + whole / 2) / whole; /* rounded */
	return json_real((double)e4 / 1e4);
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
			    json_pack("{s:o, s:o, s:o, s:o, s:o}", "created",
				      jint(r->preservation.holds), "renewed",
				      jint(r->preservation.renewed), "active",
				      jint(r->preservation.active), "expired",
				      jint(r->preservation.expired), "released",
				      jint(r->preservation.released)));
	json_object_set_new(o, "preservation", pres);
	json_object_set_new(o, "emergency", counts_json(&r->section_total[RS_EMERGENCY]));
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
	return o;
}
