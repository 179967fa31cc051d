/*
 * report_html.c - a transparency report as one self-contained HTML page:
 * inline CSS (with a print style), inline SVG charts (requests by country,
 * outcome shares, the trend across every half-year on record), and a table
 * beside every chart, so the page reads the same without JavaScript,
 * without colour and on paper.
 *
 * The page is deterministic: the same report gives the same bytes.  Every
 * string from the records or the settings is escaped.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "model/model.h"
#include "core/report/report.h"

#define CHART_W 640.0
#define TOP_COUNTRIES 15
#define LABEL_MAX 24 /* characters of a country name beside a bar */
#define SVG_ATTRS                                                                        \
	"xmlns=\"http://www.w3.org/2000/svg\" font-family=\"system-ui, sans-serif\" "    \
	"font-size=\"12\""

struct html {
	struct buf *out;
	int rc;
};

static void raw(struct html *h, const char *s)
{
	if (h->rc == 0)
		h->rc = buf_adds(h->out, s);
}

static void fmt(struct html *h, const char *f, ...) __attribute__((format(printf, 2, 3)));
static void fmt(struct html *h, const char *f, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, f);
	int n = vsnprintf(tmp, sizeof(tmp), f, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		if (h->rc == 0)
			h->rc = err_set(E_INTERNAL, "report page: fragment too long");
		return;
	}
	raw(h, tmp);
}

static void esc(struct html *h, const char *s)
{
	for (; *s && h->rc == 0; s++) {
		switch (*s) {
		case '&':
			raw(h, "&amp;");
			break;
		case '<':
			raw(h, "&lt;");
			break;
		case '>':
			raw(h, "&gt;");
			break;
		case '"':
			raw(h, "&quot;");
			break;
		case '\'':
			raw(h, "&#39;");
			break;
		default:
			h->rc = buf_addc(h->out, *s);
			break;
		}
	}
}

/* 1234567 -> "1,234,567" */
static const char *num(int64_t n, char out[32])
{
	char digits[24];
	int len = snprintf(digits, sizeof(digits), "%lld", (long long)(n < 0 ? -n : n));
	size_t o = 0;
	if (n < 0)
		out[o++] = '-';
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return out;
}

static void cell(struct html *h, int64_t n)
{
	char b[32];
	fmt(h, "<td class=n>%s</td>", num(n, b));
}

static const char *date(int64_t t, char out[TS_BUFSZ])
{
	date_format(t, out);
	return out;
}

static const char *cname(const char cc[3])
{
	const char *n = country_name(cc);
	return n ? n : "Unknown";
}

/* --- the page frame ---------------------------------------------------------- */

static const char *const STYLE =
    "<style>\n"
    ":root{--ink:#1b1f24;--muted:#57606a;--rule:#d0d7de;--bg:#fff}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0 auto;max-width:60rem;padding:1.5rem;font:16px/1.5 system-ui,"
    "-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;"
    "color:var(--ink);background:var(--bg)}\n"
    "h1{font-size:1.8rem;margin:0 0 .25rem}h2{font-size:1.3rem;margin:2rem 0 .5rem;"
    "border-bottom:1px solid var(--rule);padding-bottom:.25rem}\n"
    "h3{font-size:1.05rem;margin:1.25rem 0 .25rem}\n"
    "p.sub,.muted,figcaption{color:var(--muted)}\n"
    ".warn{border-left:4px solid #b35900;padding:.25rem .75rem;background:#fff8f0}\n"
    "table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.92rem}\n"
    "th,td{padding:.25rem .5rem;border-bottom:1px solid var(--rule);text-align:left;"
    "vertical-align:top}\n"
    "th{font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "tr.total td{font-weight:600;border-top:2px solid var(--ink)}\n"
    "figure{margin:1rem 0}svg{max-width:100%;height:auto;font:12px "
    "system-ui,sans-serif}\n"
    ".kpi{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem "
    "0;padding:0;list-style:none}\n"
    ".kpi li{flex:1 1 9rem;border:1px solid var(--rule);border-radius:6px;padding:.5rem "
    ".75rem}\n"
    ".kpi b{display:block;font-size:1.4rem}\n"
    "pre{white-space:pre-wrap;word-break:break-all;background:#f6f8fa;padding:.75rem;"
    "border:1px solid var(--rule);font-size:.85rem}\n"
    "nav ol{columns:2;padding-left:1.25rem}\n"
    "@media print{body{max-width:none;padding:0;font-size:10pt}nav{display:none}"
    "h2{break-after:avoid}figure,tr,.kpi{break-inside:avoid}"
    "a{color:inherit;text-decoration:none}pre{background:none}"
    "@page{margin:1.5cm}}\n"
    "</style>\n";

static void head(struct html *h, const struct report *r, const char *period)
{
	raw(h,
	    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<title>");
	esc(h, r->provider);
	fmt(h, " transparency report %s</title>\n", period);
	raw(h, STYLE);
	raw(h, "</head>\n<body>\n<header>\n<h1>");
	esc(h, r->provider);
	raw(h, " transparency report</h1>\n");
	char from[TS_BUFSZ], to[TS_BUFSZ], pub[TS_BUFSZ];
	fmt(h,
	    "<p class=sub>Government requests for customer data received from %s to %s "
	    "(%s). Published %s.</p>\n",
	    date(r->period.start, from), date(r->period.end - DAY_SECONDS, to), period,
	    date(r->published, pub));
	if (!r->complete)
		raw(h,
		    "<p class=warn>The half-year had not ended on the publication date: "
		    "these figures are provisional.</p>\n");
	raw(h, "</header>\n<nav aria-label=\"Contents\"><ol>"
	       "<li><a href=\"#summary\">Summary</a></li>"
	       "<li><a href=\"#countries\">Requests by country</a></li>"
	       "<li><a href=\"#trend\">Requests by half-year</a></li>"
	       "<li><a href=\"#process\">By legal process</a></li>"
	       "<li><a href=\"#preservation\">Preservation</a></li>"
	       "<li><a href=\"#enterprise\">Enterprise customers</a></li>"
	       "<li><a href=\"#notices\">Notices to customers</a></li>"
	       "<li><a href=\"#abroad\">Content stored abroad</a></li>"
	       "<li><a href=\"#challenges\">Challenges</a></li>"
	       "<li><a href=\"#reach\">Customers affected</a></li>"
	       "<li><a href=\"#national-security\">National security</a></li>"
	       "<li><a href=\"#integrity\">How to check this report</a></li>"
	       "</ol></nav>\n");
}

/* --- charts -------------------------------------------------------------------- */

struct series {
	const char *label;
	const char *color;
};

static const struct series OUTCOMES_S[] = {
    {"Content disclosed", "#0072B2"}, {"Non-content only", "#56B4E9"},
    {"No data found", "#999999"},     {"Rejected, redirected or withdrawn", "#D55E00"},
    {"Pending", "#E69F00"},
};

static const struct series SECTIONS_S[] = {
    {"Criminal", "#0072B2"},
    {"Emergency", "#D55E00"},
    {"Civil", "#009E73"},
    {"Preservation", "#CC79A7"},
};

static void legend(struct html *h, const struct series *s, size_t n, double y)
{
	double x = 0;
	for (size_t i = 0; i < n; i++) {
		fmt(h,
		    "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" "
		    "fill=\"%s\"/>",
		    x, y, s[i].color);
		fmt(h, "<text x=\"%.1f\" y=\"%.1f\">", x + 16, y + 10);
		esc(h, s[i].label);
		raw(h, "</text>");
		x += 34 + 7.5 * (double)strlen(s[i].label);
	}
}

/* One horizontal bar of stacked segments, each with a tooltip. */
static void hbar(struct html *h, const int64_t *v, const struct series *s, size_t n,
		 double x0, double y, double scale)
{
	double x = x0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] <= 0)
			continue;
		double w = (double)v[i] * scale;
		char b[32];
		fmt(h,
		    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"18\" "
		    "fill=\"%s\">"
		    "<title>",
		    x, y, w, s[i].color);
		esc(h, s[i].label);
		fmt(h, ": %s</title></rect>", num(v[i], b));
		x += w;
	}
}

static void outcome_values(const struct report_counts *c, int64_t v[5])
{
	v[0] = c->content;
	v[1] = c->noncontent_only;
	v[2] = c->no_data;
	v[3] = c->rejected;
	v[4] = c->pending;
}

static void chart_outcomes(struct html *h, const struct report *r)
{
	const struct report_counts *rows[RS__COUNT + 1];
	const char *labels[RS__COUNT + 1] = {"Criminal", "Emergency", "Civil",
					     "All three"};
	for (int s = 0; s < RS__COUNT; s++)
		rows[s] = &r->section_total[s];
	rows[RS__COUNT] = &r->total;
	double lw = 90, bw = CHART_W - lw - 60, height = 30.0 * (RS__COUNT + 1) + 40;
	fmt(h,
	    "<figure><svg " SVG_ATTRS " viewBox=\"0 0 %.0f %.0f\" "
	    "width=\"%.0f\" role=\"img\" aria-labelledby=\"oc-t\"><title id=\"oc-t\">"
	    "Outcome shares per section</title>",
	    CHART_W, height, CHART_W);
	for (int i = 0; i <= RS__COUNT; i++) {
		double y = 4 + 30.0 * i;
		int64_t v[5];
		outcome_values(rows[i], v);
		fmt(h, "<text x=\"0\" y=\"%.1f\">%s</text>", y + 13, labels[i]);
		fmt(h,
		    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"18\" "
		    "fill=\"none\" "
		    "stroke=\"#d0d7de\"/>",
		    lw, y, bw);
		if (rows[i]->requests)
			hbar(h, v, OUTCOMES_S, 5, lw, y, bw / (double)rows[i]->requests);
		char b[32];
		fmt(h, "<text x=\"%.1f\" y=\"%.1f\">%s</text>", lw + bw + 6, y + 13,
		    num(rows[i]->requests, b));
	}
	legend(h, OUTCOMES_S, 3, height - 30);
	legend(h, OUTCOMES_S + 3, 2, height - 14);
	raw(h, "</svg><figcaption>Share of each outcome among the requests of each "
	       "section; the number is the requests received.</figcaption></figure>\n");
}

/* A bar's label, shortened to LABEL_MAX characters (UTF-8 aware) with the
 * whole name as its tooltip. */
static void label(struct html *h, const char *name, double y)
{
	size_t chars = 0, cut = 0;
	for (size_t i = 0; name[i]; i++)
		if (((unsigned char)name[i] & 0xc0) != 0x80 && ++chars == LABEL_MAX)
			cut = i;
	fmt(h, "<text x=\"0\" y=\"%.1f\"><title>", y);
	esc(h, name);
	raw(h, "</title>");
	if (chars <= LABEL_MAX) {
		esc(h, name);
	} else {
		char *s = xstrndup(name, cut);
		esc(h, s);
		raw(h, "\xe2\x80\xa6"); /* an ellipsis */
		free(s);
	}
	raw(h, "</text>");
}

struct country_total {
	int index;
	int64_t requests;
};

static int cmp_country_total(const void *a, const void *b)
{
	const struct country_total *x = a, *y = b;
	if (x->requests != y->requests)
		return x->requests > y->requests ? -1 : 1;
	return x->index - y->index;
}

static void chart_countries(struct html *h, const struct report *r)
{
	struct country_total *t = xcalloc(REPORT_COUNTRIES, sizeof(*t));
	size_t n = 0;
	for (int i = 0; i < REPORT_COUNTRIES; i++) {
		int64_t sum = 0;
		for (int s = 0; s < RS__COUNT; s++)
			sum += r->rows[s][i].requests;
		if (sum)
			t[n++] = (struct country_total){i, sum};
	}
	qsort(t, n, sizeof(*t), cmp_country_total);
	size_t shown = n > TOP_COUNTRIES ? TOP_COUNTRIES : n;
	int64_t other[RS__COUNT] = {0}, max = shown ? t[0].requests : 0, other_sum = 0;
	for (size_t k = shown; k < n; k++)
		for (int s = 0; s < RS__COUNT; s++) {
			other[s] += r->rows[s][t[k].index].requests;
			other_sum += r->rows[s][t[k].index].requests;
		}
	if (other_sum > max)
		max = other_sum;
	size_t bars = shown + (n > shown);
	double lw = 170, bw = CHART_W - lw - 60, height = 24.0 * (double)bars + 30;
	fmt(h,
	    "<figure><svg " SVG_ATTRS " viewBox=\"0 0 %.0f %.0f\" "
	    "width=\"%.0f\" role=\"img\" aria-labelledby=\"bc-t\"><title id=\"bc-t\">"
	    "Requests by requesting country</title>",
	    CHART_W, height, CHART_W);
	for (size_t k = 0; k < bars; k++) {
		double y = 4 + 24.0 * (double)k;
		int64_t v[RS__COUNT], total = 0;
		char cc[3], b[32];
		if (k < shown) {
			report_country_code(t[k].index, cc);
			for (int s = 0; s < RS__COUNT; s++)
				v[s] = r->rows[s][t[k].index].requests;
			total = t[k].requests;
			label(h, cname(cc), y + 13);
		} else {
			memcpy(v, other, sizeof(v));
			total = other_sum;
			fmt(h, "<text x=\"0\" y=\"%.1f\">%zu other countries</text>",
			    y + 13, n - shown);
		}
		hbar(h, v, SECTIONS_S, RS__COUNT, lw, y, max ? bw / (double)max : 0);
		fmt(h, "<text x=\"%.1f\" y=\"%.1f\">%s</text>",
		    lw + (max ? bw * (double)total / (double)max : 0) + 6, y + 13,
		    num(total, b));
	}
	if (bars)
		legend(h, SECTIONS_S, RS__COUNT, height - 16);
	else
		raw(h, "<text x=\"0\" y=\"16\">No requests in this half-year.</text>");
	raw(h, "</svg><figcaption>Requests received per requesting country (criminal, "
	       "emergency and civil), largest first.</figcaption></figure>\n");
	free(t);
}

/* A round step for about five grid lines up to max. */
static int64_t nice_step(int64_t max)
{
	int64_t step = 1;
	while (step * 5 < max) {
		if (step * 2 * 5 >= max)
			return step * 2;
		if (step * 5 * 5 >= max)
			return step * 5;
		step *= 10;
	}
	return step;
}

static void chart_trend(struct html *h, const struct report *r)
{
	int64_t max = 1;
	for (size_t i = 0; i < r->n_trend; i++) {
		int64_t sum = r->trend[i].preservation;
		for (int s = 0; s < RS__COUNT; s++)
			sum += r->trend[i].requests[s];
		if (sum > max)
			max = sum;
	}
	int64_t step = nice_step(max), top = (max + step - 1) / step * step;
	double left = 50, plot_h = 200, width = CHART_W, height = plot_h + 95;
	double slot = (width - left - 10) / (double)(r->n_trend ? r->n_trend : 1);
	double bw = slot * 0.7 > 48 ? 48 : slot * 0.7;
	int flat = slot >= 64; /* room for the labels without turning them */
	size_t every = r->n_trend > 16 ? (r->n_trend + 15) / 16 : 1;
	fmt(h,
	    "<figure><svg " SVG_ATTRS " viewBox=\"0 0 %.0f %.0f\" "
	    "width=\"%.0f\" role=\"img\" aria-labelledby=\"tr-t\"><title id=\"tr-t\">"
	    "Requests received per half-year</title>",
	    width, height, width);
	for (int64_t g = 0; g <= top; g += step) {
		double y = 10 + plot_h - plot_h * (double)g / (double)top;
		char b[32];
		fmt(h,
		    "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"#d0d7de\"/>"
		    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
		    left, width - 10, y, y, left - 4, y + 4, num(g, b));
	}
	for (size_t i = 0; i < r->n_trend; i++) {
		const struct report_trend_point *t = &r->trend[i];
		int64_t v[RS__COUNT + 1];
		for (int s = 0; s < RS__COUNT; s++)
			v[s] = t->requests[s];
		v[RS__COUNT] = t->preservation;
		double x = left + slot * (double)i + (slot - bw) / 2, y = 10 + plot_h;
		double lx = x + bw / 2, ly = plot_h + 26;
		char label[16];
		period_format(&t->period, label);
		int current = t->period.start == r->period.start;
		for (int s = 0; s <= RS__COUNT; s++) {
			if (v[s] <= 0)
				continue;
			double bh = plot_h * (double)v[s] / (double)top;
			y -= bh;
			char b[32];
			fmt(h,
			    "<rect x=\"%.1f\" y=\"%.2f\" width=\"%.1f\" height=\"%.2f\" "
			    "fill=\"%s\"><title>%s %s: %s</title></rect>",
			    x, y, bw, bh, SECTIONS_S[s].color, label, SECTIONS_S[s].label,
			    num(v[s], b));
		}
		if (flat)
			fmt(h,
			    "<text x=\"%.1f\" y=\"%.1f\" "
			    "text-anchor=\"middle\"%s>%s</text>",
			    lx, ly, current ? " font-weight=\"bold\"" : "", label);
		else if (i % every == 0 || current)
			fmt(h,
			    "<text x=\"%.1f\" y=\"%.1f\" transform=\"rotate(-45 %.1f "
			    "%.1f)\" "
			    "text-anchor=\"end\"%s>%s</text>",
			    lx, ly - 6, lx, ly - 6,
			    current ? " font-weight=\"bold\"" : "", label);
	}
	legend(h, SECTIONS_S, RS__COUNT + 1, height - 14);
	raw(h, "</svg><figcaption>Requests received in every half-year on record, by "
	       "section; national-security process is reported only in bands and is "
	       "not shown.</figcaption></figure>\n");
}

/* --- tables ---------------------------------------------------------------------- */

static const char *const COUNT_HEAD =
    "<th class=n>Requests</th><th class=n>Accounts</th><th class=n>Content</th>"
    "<th class=n>Non-content only</th><th class=n>No data</th>"
    "<th class=n>Rejected</th><th class=n>Pending</th>";

static void count_cells(struct html *h, const struct report_counts *c)
{
	cell(h, c->requests);
	cell(h, c->accounts);
	cell(h, c->content);
	cell(h, c->noncontent_only);
	cell(h, c->no_data);
	cell(h, c->rejected);
	cell(h, c->pending);
}

static void summary(struct html *h, const struct report *r)
{
	char a[32], b[32], c[32], d[32];
	raw(h, "<section id=\"summary\">\n<h2>Summary</h2>\n<ul class=kpi>");
	fmt(h, "<li><b>%s</b>requests received</li>", num(r->total.requests, a));
	fmt(h, "<li><b>%s</b>accounts specified</li>", num(r->total.accounts, b));
	fmt(h, "<li><b>%s</b>disclosed content</li>", num(r->total.content, c));
	fmt(h, "<li><b>%s</b>rejected, redirected or withdrawn</li>",
	    num(r->total.rejected, d));
	raw(h,
	    "</ul>\n<p>Criminal, emergency and civil requests. A request counts in the "
	    "half-year it was received; its outcome is the one on record when the "
	    "report was computed, and requests still open are pending. Preservation "
	    "requests and national-security process are reported in their own "
	    "sections.</p>\n");
	chart_outcomes(h, r);
	raw(h, "<table><thead><tr><th>Section</th>");
	raw(h, COUNT_HEAD);
	raw(h, "</tr></thead><tbody>");
	for (int s = 0; s < RS__COUNT; s++) {
		fmt(h, "<tr><td>%s</td>", SECTIONS_S[s].label);
		count_cells(h, &r->section_total[s]);
		raw(h, "</tr>");
	}
	raw(h, "<tr class=total><td>Total</td>");
	count_cells(h, &r->total);
	raw(h, "</tr></tbody></table>\n</section>\n");
}

static void countries(struct html *h, const struct report *r)
{
	raw(h, "<section id=\"countries\">\n<h2>Requests by country</h2>\n");
	chart_countries(h, r);
	for (int s = 0; s < RS__COUNT; s++) {
		fmt(h, "<h3>%s requests</h3>\n", SECTIONS_S[s].label);
		if (!r->section_total[s].requests) {
			raw(h, "<p class=muted>None.</p>\n");
			continue;
		}
		raw(h, "<table><thead><tr><th>Country</th><th>Code</th>");
		raw(h, COUNT_HEAD);
		raw(h, "</tr></thead><tbody>");
		for (int i = 0; i < REPORT_COUNTRIES; i++) {
			char cc[3];
			if (!r->rows[s][i].requests)
				continue;
			report_country_code(i, cc);
			raw(h, "<tr><td>");
			esc(h, cname(cc));
			fmt(h, "</td><td>%s</td>", cc);
			count_cells(h, &r->rows[s][i]);
			raw(h, "</tr>");
		}
		raw(h, "<tr class=total><td>Total</td><td></td>");
		count_cells(h, &r->section_total[s]);
		raw(h, "</tr></tbody></table>\n");
	}
	raw(h, "</section>\n");
}

static void trend(struct html *h, const struct report *r)
{
	raw(h, "<section id=\"trend\">\n<h2>Requests by half-year</h2>\n");
	chart_trend(h, r);
	raw(h, "<table><thead><tr><th>Half-year</th><th class=n>Criminal</th>"
	       "<th class=n>Emergency</th><th class=n>Civil</th>"
	       "<th class=n>Preservation</th></tr></thead><tbody>");
	for (size_t i = 0; i < r->n_trend; i++) {
		char label[16];
		period_format(&r->trend[i].period, label);
		fmt(h, "<tr><td>%s</td>", label);
		for (int s = 0; s < RS__COUNT; s++)
			cell(h, r->trend[i].requests[s]);
		cell(h, r->trend[i].preservation);
		raw(h, "</tr>");
	}
	raw(h, "</tbody></table>\n</section>\n");
}

static void by_process(struct html *h, const struct report *r)
{
	raw(h, "<section id=\"process\">\n<h2>By legal process</h2>\n"
	       "<table><thead><tr><th>Process</th><th class=n>Received</th>"
	       "<th class=n>Disclosed</th>");
	raw(h, COUNT_HEAD + strlen("<th class=n>Requests</th>"));
	raw(h, "</tr></thead><tbody>");
	for (int p = 0; p < process__COUNT; p++) {
		const struct report_counts *c = &r->by_process[p];
		if (!c->requests)
			continue;
		fmt(h, "<tr><td>%s</td>", process_str(p));
		cell(h, c->requests);
		cell(h, report_disclosed(c));
		cell(h, c->accounts);
		cell(h, c->content);
		cell(h, c->noncontent_only);
		cell(h, c->no_data);
		cell(h, c->rejected);
		cell(h, c->pending);
		raw(h, "</tr>");
	}
	raw(h, "</tbody></table>\n<p class=muted>Disclosed: content, or non-content "
	       "only. National-security process is not listed here.</p>\n</section>\n");
}

static void kv_table(struct html *h, const char *const *labels, const int64_t *values,
		     size_t n)
{
	raw(h, "<table><tbody>");
	for (size_t i = 0; i < n; i++) {
		fmt(h, "<tr><th>%s</th>", labels[i]);
		cell(h, values[i]);
		raw(h, "</tr>");
	}
	raw(h, "</tbody></table>\n");
}

static void preservation(struct html *h, const struct report *r)
{
	const char *const l[] = {"Preservation requests", "Accounts specified",
				 "Holds created",	  "Holds renewed",
				 "Holds still active",	  "Holds expired",
				 "Holds released"};
	const int64_t v[] = {
	    r->preservation.counts.requests, r->preservation.counts.accounts,
	    r->preservation.holds,	     r->preservation.renewed,
	    r->preservation.active,	     r->preservation.expired,
	    r->preservation.released};
	raw(h, "<section id=\"preservation\">\n<h2>Preservation requests and holds</h2>\n"
	       "<p>A preservation request asks the provider to keep records until legal "
	       "process follows; nothing is disclosed on it.</p>\n");
	kv_table(h, l, v, ARRAY_SIZE(v));
	raw(h, "</section>\n");
}

static void enterprise(struct html *h, const struct report *r)
{
	const char *const l[] = {"Requests touching an enterprise customer's account",
				 "Redirected to the enterprise customer",
				 "Disclosed (content or non-content)"};
	const int64_t v[] = {r->enterprise.received, r->enterprise.redirected,
			     r->enterprise.disclosed};
	raw(h, "<section id=\"enterprise\">\n<h2>Enterprise customers</h2>\n"
	       "<p>Governments are redirected to seek an enterprise's data from the "
	       "enterprise itself.</p>\n");
	kv_table(h, l, v, ARRAY_SIZE(v));
	raw(h, "</section>\n");
}

static void notices(struct html *h, const struct report *r)
{
	const char *const l[] = {"Sent",
				 "Delayed by a nondisclosure order",
				 "Delayed for another reason (emergency)",
				 "Suppressed (indefinite nondisclosure order)",
				 "Pending",
				 "Delivery failed, being retried"};
	const int64_t v[] = {r->notices.sent,	       r->notices.delayed_ndo,
			     r->notices.delayed_other, r->notices.suppressed,
			     r->notices.pending,       r->notices.failed};
	raw(h, "<section id=\"notices\">\n<h2>Notices to customers</h2>\n"
	       "<p>Every affected customer is told about a request unless a court "
	       "order forbids it; these are the notices for this half-year's "
	       "requests, by their state now.</p>\n");
	kv_table(h, l, v, ARRAY_SIZE(v));
	raw(h, "</section>\n");
}

static void abroad(struct html *h, const struct report *r)
{
	raw(h, "<section id=\"abroad\">\n<h2>Warrants seeking content stored outside the "
	       "requesting country</h2>\n");
	const char *const l[] = {"Search warrants for content stored abroad",
				 "Of these, content disclosed"};
	const int64_t v[] = {r->content_abroad.warrants,
			     r->content_abroad.content_disclosed};
	kv_table(h, l, v, ARRAY_SIZE(v));
	if (r->content_abroad.warrants) {
		raw(h, "<table><thead><tr><th>Requesting country</th><th>Code</th>"
		       "<th class=n>Warrants</th></tr></thead><tbody>");
		for (int i = 0; i < REPORT_COUNTRIES; i++) {
			char cc[3];
			if (!r->content_abroad.by_country[i])
				continue;
			report_country_code(i, cc);
			raw(h, "<tr><td>");
			esc(h, cname(cc));
			fmt(h, "</td><td>%s</td>", cc);
			cell(h, r->content_abroad.by_country[i]);
			raw(h, "</tr>");
		}
		raw(h, "</tbody></table>\n");
	}
	raw(h, "</section>\n");
}

static void challenges(struct html *h, const struct report *r)
{
	const char *const l[] = {
	    "Challenges filed", "Of requests", "Of nondisclosure orders",
	    "Quashed",		"Modified",    "Denied",
	    "Pending"};
	const int64_t v[] = {r->challenges.filed,    r->challenges.of_requests,
			     r->challenges.of_ndos,  r->challenges.quashed,
			     r->challenges.modified, r->challenges.denied,
			     r->challenges.pending};
	raw(h, "<section id=\"challenges\">\n<h2>Challenges in court</h2>\n");
	kv_table(h, l, v, ARRAY_SIZE(v));
	raw(h, "</section>\n");
}

static void share(struct html *h, const char *what, int64_t part, int64_t whole)
{
	char a[32], b[32];
	int64_t e4 = whole > 0 ? (part * 1000000 + whole / 2) / whole : 0;
	fmt(h,
	    "<tr><th>%s</th><td class=n>%s of %s</td><td class=n>%lld.%04lld%%</td></tr>",
	    what, num(part, a), num(whole, b), (long long)(e4 / 10000),
	    (long long)(e4 % 10000));
}

static void reach(struct html *h, const struct report *r)
{
	raw(h, "<section id=\"reach\">\n<h2>Customers and accounts affected</h2>\n"
	       "<table><tbody>");
	share(h, "Customers", r->reach.customers, r->reach.customers_total);
	share(h, "Accounts", r->reach.accounts, r->reach.accounts_total);
	raw(h,
	    "</tbody></table>\n<p class=muted>Distinct customers and accounts named in "
	    "this half-year's requests (national-security process excepted), out of "
	    "all on record.</p>\n</section>\n");
}

static void national_security(struct html *h, const struct report *r)
{
	const struct report_ns *ns = &r->ns;
	char rel[TS_BUFSZ];
	date(ns->fisa_release, rel);
	raw(h,
	    "<section id=\"national-security\">\n<h2>National security process</h2>\n");
	fmt(h,
	    "<p>The law (50 U.S.C. 1874) permits these figures only as ranges of %u, "
	    "for %s%s. Figures that include FISA orders may be published only for a "
	    "period that ended at least 180 days earlier (from %s).</p>\n",
	    ns->width, ns->covers,
	    ns->combined ? ", all national-security process combined" : "", rel);
	raw(h, "<table><thead><tr><th>Process</th><th>Received</th>"
	       "<th>Accounts affected</th></tr></thead><tbody>");
	for (size_t i = 0; i < ns->n_figures; i++) {
		static const char *const names[NS__COUNT] = {
		    [NS_NSL] = "National security letters",
		    [NS_FISA_CONTENT] = "FISA orders for content",
		    [NS_FISA_NONCONTENT] = "FISA orders for non-content",
		    [NS_ALL] = "All national-security process",
		};
		const struct report_ns_figure *f = &ns->figures[i];
		fmt(h, "<tr><td>%s</td>", names[f->kind]);
		if (f->withheld) {
			fmt(h, "<td colspan=2>withheld until %s</td></tr>", rel);
			continue;
		}
		char o[REPORT_BAND_BUFSZ], a[REPORT_BAND_BUFSZ];
		report_band_format(f->orders, o);
		report_band_format(f->accounts, a);
		fmt(h, "<td>%s</td><td>%s</td></tr>", o, a);
	}
	raw(h, "</tbody></table>\n</section>\n");
}

static void integrity(struct html *h, const struct report *r)
{
	char *root = note_base64(r->checkpoint.root, sizeof(r->checkpoint.root));
	char gen[TS_BUFSZ], b[32];
	time_format(r->generated, gen);
	raw(h, "<section id=\"integrity\">\n<h2>How to check this report</h2>\n<p>Every "
	       "request, decision, notice and disclosure is recorded in a tamper-evident "
	       "log. This report was computed from the records as of the log's signed "
	       "checkpoint below: origin <code>");
	esc(h, r->checkpoint.origin);
	fmt(h, "</code>, tree size <code>%s</code>, root hash <code>",
	    num((int64_t)r->checkpoint.size, b));
	esc(h, root);
	fmt(h, "</code>; computed %s.</p>\n<pre>", gen);
	esc(h, r->checkpoint_note);
	raw(h, "</pre>\n</section>\n");
	free(root);
}

int report_html(const struct report *r, struct buf *out)
{
	struct html h = {out, 0};
	char period[16];
	period_format(&r->period, period);
	head(&h, r, period);
	raw(&h, "<main>\n");
	summary(&h, r);
	countries(&h, r);
	trend(&h, r);
	by_process(&h, r);
	preservation(&h, r);
	enterprise(&h, r);
	notices(&h, r);
	abroad(&h, r);
	challenges(&h, r);
	reach(&h, r);
	national_security(&h, r);
	integrity(&h, r);
	raw(&h, "</main>\n</body>\n</html>\n");
	return h.rc;
}
