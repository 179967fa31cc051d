/*
 * cmd_request_import.c - `docket request import`: historical requests from
 * the spreadsheet era, already closed, in bulk.
 *
 * Pass 1 parses and checks every line (including refs that already exist)
 * and keeps the parsed requests; nothing is stored if any line is bad.
 * Pass 2 stores them in batches of IMPORT_BATCH, one unit of work each, with
 * one log entry per batch listing each request's id and document digest, so
 * an auditor can tie every imported request to the log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/digest.h"
#include "base/err.h"
#include "base/util.h"
#include "cmd/cmd.h"
#include "cmd/jsonl.h"
#include "cmd/request_cmds.h"
#include "core/intake.h"

#define IMPORT_BATCH 1000

struct import {
	struct app *app;
	struct request *reqs;
	size_t n, cap;
	struct progress pr;
	struct agency_country {
		char *id;
		char country[3];
	} *agencies;              /* a handful of agencies serve many lines */
	size_t n_agencies, cap_agencies;
};

/* The requesting country of r's agency, looked up once per agency.  An
 * agency that is not registered leaves the country unknown. */
static int agency_country(struct import *im, struct request *r)
{
	for (size_t i = 0; i < im->n_agencies; i++)
		if (strcmp(im->agencies[i].id, r->agency) == 0) {
			memcpy(r->country, im->agencies[i].country, sizeof(r->country));
			return 0;
		}
	struct agency ag = {0};
	int rc = store_agency_get(im->app->st, r->agency, &ag);
	if (rc < 0 && rc != -E_NOTFOUND)
		return rc;
	im->agencies = xgrow(im->agencies, &im->cap_agencies, im->n_agencies + 1,
			     sizeof(*im->agencies));
	struct agency_country *ac = &im->agencies[im->n_agencies++];
	ac->id = xstrdup(r->agency);
	memcpy(ac->country, rc == 0 ? ag.country : "", sizeof(ac->country));
	memcpy(r->country, ac->country, sizeof(r->country));
	agency_release(&ag);
	return 0;
}

static char *ref_key(const struct request *r)
{
	return r->agency ? xasprintf("%s\n%s", r->agency, r->ref)
			 : xasprintf("~%s\n%s", r->country, r->ref);
}

static int check_line(void *ctx, size_t lineno, const char *line, size_t len)
{
	struct import *im = ctx;
	(void)lineno;
	im->reqs = xgrow(im->reqs, &im->cap, im->n + 1, sizeof(*im->reqs));
	struct request *r = &im->reqs[im->n];
	memset(r, 0, sizeof(*r));
	int rc = request_parse(line, len, REQUEST_HISTORICAL, im->app->now, r);
	if (rc < 0)
		return rc;
	if (r->agency && !r->country[0] && (rc = agency_country(im, r)) < 0) {
		request_release(r);
		return rc;
	}
	int64_t id;
	rc = store_request_find_ref(im->app->st, r->agency, r->country, r->ref, &id);
	if (rc == 0) {
		rc = err_set(E_INVALID, "field 'ref': request '%s' is already stored as %lld",
			     r->ref, (long long)id);
		request_release(r);
		return rc;
	}
	if (rc != -E_NOTFOUND) {
		request_release(r);
		return rc;
	}
	im->n++;
	progress_update(&im->pr, im->n);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A ref that appears twice in one file would fail half way through pass 2. */
static int check_duplicates(struct import *im)
{
	char **keys = xcalloc(im->n ? im->n : 1, sizeof(*keys));
	int rc = 0;
	for (size_t i = 0; i < im->n; i++)
		keys[i] = ref_key(&im->reqs[i]);
	qsort(keys, im->n, sizeof(*keys), cmp_str);
	for (size_t i = 1; i < im->n && rc == 0; i++)
		if (strcmp(keys[i - 1], keys[i]) == 0) {
			char *nl = strchr(keys[i], '\n');
			rc = err_set(E_INVALID, "ref '%s' appears twice in the file",
				     nl ? nl + 1 : keys[i]);
		}
	for (size_t i = 0; i < im->n; i++)
		free(keys[i]);
	free(keys);
	return rc;
}

static int store_batch(struct import *im, size_t from, size_t to)
{
	struct app *app = im->app;
	int rc;
	if ((rc = app_begin(app)) < 0)
		return rc;
	json_t *items = json_array();
	for (size_t i = from; i < to; i++) {
		struct request *r = &im->reqs[i];
		char digest[DIGEST_TAG_LEN];
		if ((rc = intake_import(app->st, r, digest)) < 0) {
			err_prefix("request '%s'", r->ref);
			json_decref(items);
			goto fail;
		}
		json_array_append_new(items, json_pack("{s:I, s:s}", "request",
						       (json_int_t)r->id, "doc", digest));
	}
	uint64_t index;
	if ((rc = app_log(app, "request.import",
			  json_pack("{s:I, s:o}", "count", (json_int_t)(to - from), "requests",
				    items),
			  &index)) < 0)
		goto fail;
	for (size_t i = from; i < to; i++) {
		struct request *r = &im->reqs[i];
		struct history_entry h = {
			.at = app->now, .actor = app->user, .event = INTAKE_IMPORT_EVENT,
			.from_state = -1, .to_state = ST_CLOSED,
			.reason = INTAKE_IMPORT_REASON, .log_index = index,
		};
		if ((rc = store_history_add(app->st, r->id, &h)) < 0)
			goto fail;
	}
	return app_commit(app);
fail:
	app_abort(app);
	return rc;
}

int request_import(struct app *app, int argc, char **argv)
{
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket request import FILE.jsonl");
	int rc;
	struct buf text;
	if ((rc = app_open(app, ROLE_BIT(ROLE_ADMIN))) < 0 ||
	    (rc = cmd_read_file(argv[1], JSONL_MAX_FILE, &text)) < 0)
		return rc;
	struct import im = {.app = app};
	progress_init(&im.pr, app, "checking", 0);
	rc = jsonl_each(argv[1], &text, check_line, &im, NULL);
	buf_release(&text);
	if (rc == 0)
		rc = check_duplicates(&im);
	progress_done(&im.pr, im.n);
	progress_init(&im.pr, app, "importing", im.n);
	for (size_t i = 0; rc == 0 && i < im.n; i += IMPORT_BATCH) {
		size_t end = i + IMPORT_BATCH < im.n ? i + IMPORT_BATCH : im.n;
		rc = store_batch(&im, i, end);
		progress_update(&im.pr, end);
	}
	if (rc == 0)
		progress_done(&im.pr, im.n);
	for (size_t i = 0; i < im.n; i++)
		request_release(&im.reqs[i]);
	free(im.reqs);
	for (size_t i = 0; i < im.n_agencies; i++)
		free(im.agencies[i].id);
	free(im.agencies);
	if (rc < 0)
		return rc;
	if (app->json)
		return cmd_print_json(json_pack("{s:I}", "imported", (json_int_t)im.n));
	printf("imported %zu historical request%s\n", im.n, im.n == 1 ? "" : "s");
	return 0;
}
