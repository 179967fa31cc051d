/*
 * report.c - building the transparency report with the operator's
 * settings, rendering it, and publishing it (app/report.h).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/report.h"
#include "base/clock.h"
#include "base/digest.h"
#include "base/err.h"
#include "base/util.h"
#include "core/config.h"

int app_report(struct session *s, const struct report_opts *o, struct report **out)
{
	struct report_opts opts = *o;
	int64_t band = o->band_width;
	char *provider = NULL;
	int rc;
	*out = NULL;
	if (!band && (rc = config_get_int(s->st, "report_band_width", &band)) < 0)
		return rc;
	if (!report_band_width_valid(band))
		return err_set(E_INVALID,
			       "setting 'report_band_width' is %lld; the law "
			       "allows 1000, 500, 250 or 100",
			       (long long)band);
	if (!opts.provider &&
	    (rc = config_get_value(s->st, config_find("provider_name"), &provider)) < 0)
		return rc;
	opts.band_width = (unsigned)band;
	if (provider)
		opts.provider = provider;
	/* the verifier key the page tells readers to check it with (written
	 * at init; an older database may lack it: the page then names the
	 * command that prints it) */
	char *vkey = NULL;
	if (!opts.verifier_key && store_setting_get(s->st, "log.key", &vkey) == 0)
		opts.verifier_key = vkey;
	opts.now = s->now;
	rc = report_build(s->st, &opts, out);
	free(provider);
	free(vkey);
	return rc;
}

/* --- rendering ---------------------------------------------------------------- */

static const struct {
	const char *format, *type;
} formats[] = {
	{"json", "application/json"},
	{"csv", "text/csv; charset=utf-8"},
	{"html", "text/html; charset=utf-8"},
};

const char *app_report_media_type(const char *format)
{
	for (size_t i = 0; format && i < ARRAY_SIZE(formats); i++)
		if (strcmp(format, formats[i].format) == 0)
			return formats[i].type;
	return NULL;
}

int app_report_render(const struct report *r, const char *format, const char *table,
		      struct buf *out)
{
	buf_init(out, BUF_UNLIMITED);
	if (!app_report_media_type(format))
		return err_set(E_USAGE, "unknown report format '%.16s' (json, csv or html)",
			       format ? format : "");
	if (strcmp(format, "csv") == 0)
		return report_csv_table(r, table ? table : "countries", out);
	if (strcmp(format, "html") == 0)
		return report_html(r, out);
	json_t *j = report_json(r);
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(10));
	json_decref(j);
	if (!s)
		return err_set(E_INTERNAL, "cannot serialise the report");
	int rc = buf_adds(out, s);
	if (rc == 0)
		rc = buf_addc(out, '\n');
	free(s);
	return rc;
}

/* --- publishing ------------------------------------------------------------------ */

struct publish {
	const struct report_opts *o;
	const struct report *r;
	const char *format;
	const struct buf *text;
	int64_t id;
};

static int publish_body(struct session *s, void *ctx)
{
	struct publish *p = ctx;
	char hex[65], period[16], published[TS_BUFSZ];
	digest_hex(p->text->ptr, p->text->len, hex);
	period_format(&p->o->period, period);
	time_format(p->o->published, published);
	struct publication_row row = {
		.period = period,
		.format = p->format,
		.published_at = s->now,
		.published_by = s->user,
		.sha256 = hex,
		.size = p->text->len,
		.checkpoint_size = p->r->checkpoint.size,
		.body = p->text->ptr,
	};
	int rc = store_publication_add(s->st, &row, &p->id);
	if (rc < 0)
		return rc;
	return app_log(s, "report.published",
		       json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I}", "publication",
				 (json_int_t)p->id, "period", period, "format", p->format,
				 "published", published, "sha256", hex, "size",
				 (json_int_t)p->text->len, "checkpoint_size",
				 (json_int_t)p->r->checkpoint.size),
		       NULL);
}

int app_report_publish(struct session *s, const struct report_opts *o, const char *format,
		       int64_t *id)
{
	struct report *r = NULL;
	struct buf text = {0};
	int rc;
	if ((rc = session_require(s, ROLE_BIT(ROLE_COMPLIANCE), "publish reports")) < 0)
		return rc;
	/* built and rendered first, in its own read snapshot; the publication
	 * states the checkpoint the report was computed at */
	if ((rc = app_report(s, o, &r)) == 0 &&
	    (rc = app_report_render(r, format, NULL, &text)) == 0) {
		struct publish p = {o, r, format, &text, 0};
		if ((rc = app_unit(s, publish_body, &p)) == 0 && id)
			*id = p.id;
	}
	buf_release(&text);
	report_free(r);
	return rc;
}

int app_report_publications(struct session *s, store_publication_cb cb, void *ctx)
{
	return store_publication_each(s->st, 0, 0, cb, ctx);
}

struct checked {
	store_publication_cb cb;
	void *ctx;
};

static int check_body(void *ctx, const struct publication_row *p)
{
	struct checked *c = ctx;
	char hex[65];
	digest_hex(p->body ? p->body : "", p->size, hex);
	if (strcmp(hex, p->sha256) != 0)
		return err_set(E_INVALID,
			       "published report %lld does not match its SHA-256 (changed "
			       "outside docket)",
			       (long long)p->id);
	return c->cb(c->ctx, p);
}

int app_report_publication(struct session *s, int64_t id, store_publication_cb cb,
			   void *ctx)
{
	struct checked c = {cb, ctx};
	if (id <= 0)
		return err_set(E_NOTFOUND, "no published report %lld", (long long)id);
	return store_publication_each(s->st, id, 1, check_body, &c);
}
