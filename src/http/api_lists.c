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
#include "cmd/cmd.h"
#include "cmd/ops.h"
#include "core/ndo.h"
#include "core/notice.h"
#include "core/report.h"
#include "core/workflow.h"
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
			return err_set(E_USAGE, "unknown notice state '%.32s' (pending, delayed, "
						"suppressed, sending, sent, failed)",
				       state);
		f.state = state;
	}
	json_t *arr = json_array();
	if ((rc = store_notice_each(req->st, &f, notice_row, arr)) < 0) {
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
	json_t *arr = ndo_list_json(req->st, request_id, req->now);
	if (!arr)
		return -E_STORAGE;
	return http_reply_json(req, res, 200, json_pack("{s:o}", "ndos", arr));
}

/* --- holds ----------------------------------------------------------------- */

static int hold_row(void *ctx, const struct hold *h)
{
	char created[TS_BUFSZ], expires[TS_BUFSZ];
	time_format(h->created_at, created);
	time_format(h->expires_at, expires);
	json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:i, s:s}", "id", (json_int_t)h->id,
			      "request", (json_int_t)h->request_id, "created_at", created,
			      "expires_at", expires, "renewals", h->renewals, "state", h->state);
	json_object_set_new(j, "account", h->account_id ? json_integer(h->account_id)
							 : json_null());
	json_array_append_new(ctx, j);
	return 0;
}

/* Active holds, expiring soonest first; ?request=ID: every hold of that
 * request. */
int api_holds_list(struct http_req *req, struct http_res *res)
{
	int64_t request_id;
	int rc = query_id(req, "request", &request_id);
	if (rc < 0)
		return rc;
	json_t *arr = json_array();
	rc = request_id ? store_hold_each(req->st, request_id, hold_row, arr)
			: store_hold_each_due(req->st, INT64_MAX, hold_row, arr);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	return http_reply_json(req, res, 200, json_pack("{s:o}", "holds", arr));
}

typedef int (*hold_fn)(struct store *st, const struct staff *by, int64_t id,
		       const char *reason);

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
	struct app *app = http_app(req);
	struct staff by = {{app->user, app->now}, app->roles};
	if ((rc = app_begin(app)) < 0)
		return rc;
	if ((rc = fn(req->st, &by, id, reason)) < 0 || (rc = app_commit(app)) < 0) {
		app_abort(app);
		return rc;
	}
	json_t *arr = json_array();
	if ((rc = store_hold_each(req->st, id, hold_row, arr)) < 0) {
		json_decref(arr);
		return rc;
	}
	return http_reply_json(req, res, 200, json_pack("{s:o}", "holds", arr));
}

int api_hold_renewal(struct http_req *req, struct http_res *res)
{
	return hold_step(req, res, hold_renew);
}

int api_hold_release(struct http_req *req, struct http_res *res)
{
	return hold_step(req, res, hold_release);
}

/* --- reports --------------------------------------------------------------- */

int api_report(struct http_req *req, struct http_res *res)
{
	static const struct {
		const char *format, *ctype;
	} types[] = {
		{"json", "application/json"},
		{"csv", "text/csv; charset=utf-8"},
		{"html", "text/html; charset=utf-8"},
	};
	int rc = 0;
	const char *format = http_query(req, "format", &rc);
	const char *published = http_query(req, "published", &rc);
	if (rc < 0)
		return rc;
	if (!format)
		format = "json";
	size_t i;
	for (i = 0; i < ARRAY_SIZE(types); i++)
		if (strcmp(format, types[i].format) == 0)
			break;
	if (i == ARRAY_SIZE(types))
		return err_set(E_USAGE, "unknown report format '%.16s' (json, csv or html)", format);
	struct buf text;
	struct report *r = NULL;
	struct app *app = http_app(req);
	app->json = 0;
	rc = report_text(app, http_param(req, "period"), format, published, NULL, &text, &r);
	if (rc == 0) {
		struct buf line;
		buf_init(&line, BUF_UNLIMITED);
		report_checkpoint_line(r, &line);
		/* the checkpoint the report was computed at, for every format
		 * (CSV has no room for it in the body) */
		http_res_header(req, res, "X-Docket-Checkpoint", line.ptr);
		buf_release(&line);
		if (strcmp(format, "html") == 0)
			http_res_header(req, res, "Content-Security-Policy",
					"default-src 'none'; style-src 'unsafe-inline'; img-src data:");
		rc = http_reply(req, res, 200, types[i].ctype, text.ptr, text.len);
	}
	buf_release(&text);
	report_free(r);
	return rc;
}
