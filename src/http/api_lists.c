/*
 * api_lists.c - GET /api/v1/notices, /ndos, /holds; hold renewal and
 * release; GET /api/v1/reports/{period} (SPEC §12).  The lists give what
 * `notice list --json`, `ndo list --json` print; the report is exactly
 * what `docket report --format F` writes.
 */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "app/notice.h"
#include "app/report.h"
#include "app/request.h"
#include "http/handlers.h"

static int query_id(struct http_req *req, const char *name, int64_t *id)
{
	int rc = 0;
	const char *v = http_query(req, name, &rc);
	*id = 0;
	if (rc < 0 || !v)
		return rc;
	char *end;
	long long n = strtoll(v, &end, 10);
	if (!*v || *end || n <= 0)
		return err_set(E_USAGE, "query parameter '%s' must be an id", name);
	*id = n;
	return 0;
}

/* --- notices --------------------------------------------------------------- */

static int notice_row(void *ctx, const struct notice_record *r)
{
	struct notice n;
	notice_from_record(r, &n);
	json_array_append_new(ctx, notice_to_json(&n, 0));
	notice_release(&n);
	return 0;
}

int api_notices_list(struct http_req *req, struct http_res *res)
{
	struct notice_filter f;
	int rc = 0;
	notice_filter_init(&f);
	const char *state = http_query(req, "state", &rc);
	if (rc < 0 || (rc = query_id(req, "request", &f.request_id)) < 0)
		return rc;
	if (state) {
		if (notice_state_parse(state) < 0)
			return err_set(E_USAGE, "query parameter 'state': unknown notice state '%.32s' (pending, delayed, "
						"suppressed, sending, sent, failed)",
				       state);
		f.state = state;
	}
	json_t *arr = json_array();
	if ((rc = app_notice_each(http_session(req), &f, notice_row, arr)) < 0) {
		json_decref(arr);
		return rc;
	}
	return http_reply_json(req, res, 200, json_pack("{s:o}", "notices", arr));
}

/* --- NDOs ------------------------------------------------------------------ */

int api_ndos_list(struct http_req *req, struct http_res *res)
{
	int64_t request_id;
	int rc = query_id(req, "request", &request_id);
	if (rc < 0)
		return rc;
	json_t *arr;
	if ((rc = app_ndo_list_json(http_session(req), request_id, &arr)) < 0)
		return rc;
	return http_reply_json(req, res, 200, json_pack("{s:o}", "ndos", arr));
}

/* --- holds ----------------------------------------------------------------- */

/* Active holds, expiring soonest first; ?request=ID: every hold of that
 * request. */
int api_holds_list(struct http_req *req, struct http_res *res)
{
	int64_t request_id;
	int rc = query_id(req, "request", &request_id);
	if (rc < 0)
		return rc;
	json_t *arr;
	if ((rc = app_hold_list_json(http_session(req), request_id, &arr)) < 0)
		return rc;
	return http_reply_json(req, res, 200, json_pack("{s:o}", "holds", arr));
}

typedef int (*hold_fn)(struct session *s, int64_t id, const char *reason);

static int hold_step(struct http_req *req, struct http_res *res, hold_fn fn)
{
	static const char *const fields[] = {"reason", NULL};
	int64_t id;
	const char *reason = NULL;
	json_t *body;
	int rc;
	if ((rc = http_param_id(req, "id", &id)) < 0)
		return rc;
	if (req->body_len &&
	    ((rc = http_body_json(req, &body)) < 0 || (rc = api_only_fields(body, fields)) < 0 ||
	     (rc = api_string(body, "reason", 4096, 0, &reason)) < 0))
		return rc;
	json_t *arr;
	if ((rc = fn(http_session(req), id, reason)) < 0 ||
	    (rc = app_hold_list_json(http_session(req), id, &arr)) < 0)
		return rc;
	return http_reply_json(req, res, 200, json_pack("{s:o}", "holds", arr));
}

int api_hold_renewal(struct http_req *req, struct http_res *res)
{
	return hold_step(req, res, app_hold_renew);
}

int api_hold_release(struct http_req *req, struct http_res *res)
{
	return hold_step(req, res, app_hold_release);
}

/* --- reports --------------------------------------------------------------- */

/* The report as `docket report --format F` writes it (cmd_report.c's
 * rendering: the same core/report/report.h functions). */
/* The report options of a period and an optional publication date. */
static int report_options(struct http_req *req, const char *period, const char *published,
			  struct report_opts *o)
{
	struct ts pub;
	memset(o, 0, sizeof(*o));
	if (period_parse(period, &o->period) < 0)
		return err_set(E_INVALID, "field 'period': '%.16s' is not a half-year like "
					  "2026-H1 (January-June) or 2026-H2 (July-December)",
			       period ? period : "");
	o->published = req->now - req->now % DAY_SECONDS;
	if (published) {
		if (ts_parse(published, &pub) < 0)
			return err_set(E_INVALID, "field 'published': '%.32s' is not a date like "
						  "2026-08-01",
				       published);
		o->published = pub.t - pub.t % DAY_SECONDS;
	}
	return 0;
}

int api_report(struct http_req *req, struct http_res *res)
{
	struct report_opts o;
	int rc = 0;
	const char *format = http_query(req, "format", &rc);
	const char *published = http_query(req, "published", &rc);
	const char *band = http_query(req, "band", &rc);
	const char *table = http_query(req, "table", &rc);
	if (rc < 0)
		return rc;
	if (!format)
		format = "json";
	const char *type = app_report_media_type(format);
	if (!type)
		return err_set(E_USAGE, "query parameter 'format': unknown report format '%.16s' (json, csv or html)", format);
	if ((rc = report_options(req, http_param(req, "period"), published, &o)) < 0)
		return rc;
	if (band) {
		char *end;
		long long n = strtoll(band, &end, 10);
		if (*end || end == band || !report_band_width_valid(n))
			return err_set(E_USAGE, "query parameter 'band': '%.16s': the law allows bands of 1000, 500, "
						"250 or 100",
				       band);
		o.band_width = (unsigned)n;
	}
	if (table && strcmp(format, "csv") != 0)
		return err_set(E_USAGE, "query parameter 'table' goes with format csv");
	o.trend = strcmp(format, "html") == 0;
	struct report *r = NULL;
	struct buf text = {0};
	if ((rc = app_report(http_session(req), &o, &r)) == 0 &&
	    (rc = app_report_render(r, format, table, &text)) == 0) {
		struct buf line;
		buf_init(&line, BUF_UNLIMITED);
		report_checkpoint_line(r, &line);
		/* the checkpoint the report was computed at, for every format
		 * (CSV has no room for it in the body) */
		http_res_header(req, res, "X-Docket-Checkpoint", line.ptr);
		buf_release(&line);
		if (o.trend)
			http_res_header(req, res, "Content-Security-Policy",
					"default-src 'none'; style-src 'unsafe-inline'; img-src data:");
		rc = http_reply(req, res, 200, type, text.ptr, text.len);
	}
	buf_release(&text);
	report_free(r);
	return rc;
}

/* --- published reports (SPEC §9 "publishing reports", §13) -------------------- */

json_t *api_publication_json(const struct publication_row *p)
{
	char at[TS_BUFSZ];
	time_format(p->published_at, at);
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "id", (json_int_t)p->id,
			 "period", p->period, "format", p->format, "published_at", at,
			 "published_by", p->published_by, "sha256", p->sha256, "size",
			 (json_int_t)p->size, "checkpoint_size", (json_int_t)p->checkpoint_size);
}

static int add_publication(void *ctx, const struct publication_row *p)
{
	return json_array_append_new(ctx, api_publication_json(p)) == 0 ? 0 : -E_INTERNAL;
}

int api_publications_list(struct http_req *req, struct http_res *res)
{
	json_t *arr = json_array();
	int rc = app_report_publications(http_session(req), add_publication, arr);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	return http_reply_json(req, res, 200, json_pack("{s:o}", "publications", arr));
}

int api_publication_add(struct http_req *req, struct http_res *res)
{
	static const char *const fields[] = {"period", "format", "published", NULL};
	const char *period, *format, *published;
	json_t *body = NULL;
	struct report_opts o;
	int64_t id = 0;
	int rc;
	if ((rc = http_body_json(req, &body)) < 0 || (rc = api_only_fields(body, fields)) < 0 ||
	    (rc = api_string(body, "period", 16, 1, &period)) < 0 ||
	    (rc = api_string(body, "format", 8, 0, &format)) < 0 ||
	    (rc = api_string(body, "published", 32, 0, &published)) < 0)
		return rc;
	if (!format)
		format = "html";
	if (!app_report_media_type(format))
		return err_set(E_INVALID, "field 'format': '%.8s' is not json, csv or html",
			       format);
	if ((rc = report_options(req, period, published, &o)) < 0)
		return rc;
	o.trend = strcmp(format, "html") == 0;
	json_t *out = json_array();
	if ((rc = app_report_publish(http_session(req), &o, format, &id)) < 0 ||
	    (rc = app_report_publication(http_session(req), id, add_publication, out)) < 0) {
		json_decref(out);
		return rc;
	}
	http_res_header(req, res, "Location",
			pool_printf(req->pool, "/api/v1/publications/%lld", (long long)id));
	json_t *one = json_incref(json_array_get(out, 0));
	json_decref(out);
	return http_reply_json(req, res, 201, one);
}

struct body_reply {
	struct http_req *req;
	struct http_res *res;
};

static int send_publication(void *ctx, const struct publication_row *p)
{
	struct body_reply *b = ctx;
	http_res_header(b->req, b->res, "X-Docket-SHA256", p->sha256);
	if (strcmp(p->format, "html") == 0)
		http_res_header(b->req, b->res, "Content-Security-Policy",
				"default-src 'none'; style-src 'unsafe-inline'; img-src data:");
	return http_reply(b->req, b->res, 200, app_report_media_type(p->format), p->body,
			  p->size);
}

int api_publication_get(struct http_req *req, struct http_res *res)
{
	int64_t id;
	struct body_reply b = {req, res};
	int rc = http_param_id(req, "id", &id);
	if (rc < 0)
		return rc;
	return app_report_publication(http_session(req), id, send_publication, &b);
}
