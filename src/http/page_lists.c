/*
 * page_lists.c - the lists that come due (notices, NDOs, preservation
 * holds, expiring soonest first) and the log page (the latest signed
 * checkpoint with its witnesses' cosignatures, the witnesses, and a
 * verification run on request) (SPEC §13).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "app/journal.h"
#include "app/notice.h"
#include "app/request.h"
#include "app/witness.h"
#include "core/notice/notice.h"
#include "http/page.h"

#define LIST_MAX 500

/* Sort a JSON array of objects by the string member key (RFC 3339 times
 * sort as text); null or missing last. */
static const char *sort_key;
static int by_key(const void *a, const void *b)
{
	const char *x = json_string_value(json_object_get(*(json_t *const *)a, sort_key));
	const char *y = json_string_value(json_object_get(*(json_t *const *)b, sort_key));
	if (!x || !y)
		return (!x) - (!y);
	return strcmp(x, y);
}

static json_t *sorted(json_t *arr, const char *key, size_t max)
{
	size_t n = json_array_size(arr);
	json_t **v = xcalloc(n ? n : 1, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(arr, i);
	sort_key = key;
	qsort(v, n, sizeof(*v), by_key);
	json_t *out = json_array();
	for (size_t i = 0; i < n && i < max; i++)
		json_array_append(out, v[i]);
	free(v);
	json_decref(arr);
	return out;
}

static int notice_row(void *ctx, const struct notice_record *r)
{
	struct notice n;
	notice_from_record(r, &n);
	json_t *j = notice_to_json(&n, 0);
	notice_release(&n);
	const char *st = json_string_value(json_object_get(j, "state"));
	if (st && (strcmp(st, "sent") == 0 || strcmp(st, "suppressed") == 0))
		json_decref(j);   /* done: nothing comes due */
	else
		json_array_append_new(ctx, j);
	return 0;
}

static void time_left_all(struct http_req *req, json_t *arr, const char *key)
{
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		struct ts t;
		const char *v = json_string_value(json_object_get(o, key));
		if (v && ts_parse(v, &t) == 0) {
			json_object_set_new(o, "time_left",
					    json_string(page_time_left(req, req->now, t.t)));
			json_object_set_new(o, "late", json_boolean(t.t < req->now));
		}
	}
}

/* What comes due: open notices by due date, NDOs in force by expiry
 * (indefinite last), active holds by expiry. */
int page_lists(struct http_req *req, struct http_res *res)
{
	struct session *s = http_session(req);
	struct notice_filter f;
	json_t *notices = json_array(), *ndos = NULL, *holds = NULL;
	int rc;
	notice_filter_init(&f);
	if ((rc = app_notice_each(s, &f, notice_row, notices)) < 0 ||
	    (rc = app_ndo_list_json(s, 0, &ndos)) < 0 ||
	    (rc = app_hold_list_json(s, 0, &holds)) < 0) {
		json_decref(notices);
		json_decref(ndos);
		json_decref(holds);
		return rc;
	}
	notices = sorted(notices, "due_at", LIST_MAX);
	json_t *in_force = json_array();
	size_t i;
	json_t *o;
	json_array_foreach(ndos, i, o)
		if (json_is_true(json_object_get(o, "in_force")))
			json_array_append(in_force, o);
	json_decref(ndos);
	ndos = sorted(in_force, "expires_at", LIST_MAX);
	holds = sorted(holds, "expires_at", LIST_MAX);
	time_left_all(req, notices, "due_at");
	time_left_all(req, ndos, "expires_at");
	time_left_all(req, holds, "expires_at");
	json_t *d = json_pack("{s:s, s:o, s:o, s:o}", "title", "Notices, NDOs and holds",
			      "notices", notices, "ndos", ndos, "holds", holds);
	return page_render(req, res, 200, "lists", d);
}

/* --- the log ------------------------------------------------------------------- */

static int witness_row(void *ctx, const struct witness_row *w)
{
	json_t *j = json_pack("{s:s, s:s, s:I, s:s, s:b}", "name", w->name, "url", w->url,
			      "cosigned", (json_int_t)w->cosigned, "status",
			      w->status ? w->status : "never offered", "problem", w->problem);
	if (w->removed_at) {
		char at[TS_BUFSZ];
		time_format(w->removed_at, at);
		json_object_set_new(j, "removed_at", json_string(at));
	}
	json_array_append_new(ctx, j);
	return 0;
}

static void on_finding(void *ctx, const struct journal_finding *f)
{
	if (json_array_size(ctx) < 50)
		json_array_append_new(ctx, json_string(f->message));
}

int page_log(struct http_req *req, struct http_res *res)
{
	struct session *s = http_session(req);
	uint64_t size = 0;
	char *note = NULL;
	int rc = 0;
	const char *verify = http_query(req, "verify", &rc);
	if (rc < 0)
		return rc;
	json_t *witnesses = json_array();
	if ((rc = app_journal_checkpoint(s, 0, &size, &note)) < 0 ||
	    (rc = app_witness_list(s, witness_row, witnesses)) < 0) {
		free(note);
		json_decref(witnesses);
		return rc;
	}
	json_t *d = json_pack("{s:s, s:s, s:I, s:o}", "title", "The log", "checkpoint", note,
			      "size", (json_int_t)size, "witnesses", witnesses);
	free(note);
	if (verify && *verify) {
		struct app_verify out;
		json_t *findings = json_array();
		struct journal_hooks hooks = {on_finding, NULL, findings};
		memset(&out, 0, sizeof(out));
		if ((rc = app_journal_verify(s, NULL, &hooks, NULL, &out)) < 0) {
			json_decref(findings);
			json_decref(d);
			return rc;
		}
		int good = out.jrc == 0 && out.arc == 0;
		json_object_set_new(
			d, "verified",
			json_pack("{s:b, s:I, s:I, s:I, s:I, s:I, s:o}", "good", good, "entries",
				  (json_int_t)out.log.entries, "checkpoints",
				  (json_int_t)out.log.checkpoints, "requests",
				  (json_int_t)out.records.requests, "cosignatures",
				  (json_int_t)out.wchecked, "problems",
				  (json_int_t)(out.log.problems + out.records.problems +
					       out.wproblems),
				  "findings", findings));
		err_clear();
	}
	return page_render(req, res, 200, "log", d);
}
