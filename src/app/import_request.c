/*
 * import_request.c - historical requests from the spreadsheet era, already
 * closed, in bulk (app_request_import, app/request.h).
 *
 * Pass 1 parses and checks every line (including refs that already exist)
 * and keeps the parsed requests; nothing is stored if any line is bad.  A
 * ref already stored with the very document of its line was stored by an
 * earlier run of the same file that was interrupted: it is skipped, so the
 * run completes the import (SPEC §9); stored with another document it is
 * an error naming the line.
 * Pass 2 stores them in batches of APP_IMPORT_BATCH, one unit of work each,
 * logged as "request.import" entries listing each request's id and document
 * digest, so an auditor can tie every imported request to the log.  A batch
 * takes as many entries as keep each within the entry bound of SPEC §6
 * (app_log_list()); each request's history row points at the entry that
 * lists it.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/jsonl.h"
#include "app/request.h"
#include "base/digest.h"
#include "base/err.h"
#include "base/util.h"
#include "core/workflow/intake.h"

struct import {
	struct session *s;
	struct request *reqs;
	size_t n, cap;
	const struct app_progress *pr;
	struct agency_country {
		char *id;
		char country[3];
	} * agencies; /* a handful of agencies serve many lines */
	size_t n_agencies, cap_agencies;
	struct account_cache *accounts; /* targets resolved once */
	unsigned char *stored;		/* per line: already stored identically */
	size_t skipped;			/* how many of them */
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
	int rc = store_agency_get(im->s->st, r->agency, &ag);
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

/* One non-blank line of the file. */
struct line {
	size_t lineno;
	const char *p;
	size_t len;
};

struct lines {
	struct line *v;
	size_t n, cap;
};

static int collect_line(void *ctx, size_t lineno, const char *line, size_t len)
{
	struct lines *ls = ctx;
	ls->v = xgrow(ls->v, &ls->cap, ls->n + 1, sizeof(*ls->v));
	ls->v[ls->n++] = (struct line){lineno, line, len};
	return 0;
}

/* Work on items [from, to) that touches no store and keeps its errors in
 * its own thread: returns the first item that failed, or `to`. */
typedef size_t (*slice_fn)(void *ctx, size_t from, size_t to);

struct slice {
	slice_fn fn;
	void *ctx;
	size_t from, to, bad;
	pthread_t th;
	int started;
};

static void *run_slice(void *arg)
{
	struct slice *sl = arg;
	sl->bad = sl->fn(sl->ctx, sl->from, sl->to);
	return NULL;
}

#define SLICES_MAX 8

/* fn over [0, n) in slices side by side, one per core, none smaller than
 * min_slice; returns the first item that failed, or n. */
static size_t run_sliced(size_t n, size_t min_slice, slice_fn fn, void *ctx)
{
	struct slice sl[SLICES_MAX];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t k = cpus > 1 ? (size_t)cpus : 1;
	if (k > SLICES_MAX)
		k = SLICES_MAX;
	if (k > n / min_slice)
		k = n / min_slice ? n / min_slice : 1;
	json_object_seed(0); /* before any thread creates an object */
	for (size_t t = 0; t < k; t++)
		sl[t] = (struct slice){
		    .fn = fn, .ctx = ctx, .from = n * t / k, .to = n * (t + 1) / k};
	for (size_t t = 1; t < k; t++)
		sl[t].started = pthread_create(&sl[t].th, NULL, run_slice, &sl[t]) == 0;
	for (size_t t = 0; t < k; t++)
		if (!sl[t].started)
			run_slice(&sl[t]);
	for (size_t t = 1; t < k; t++)
		if (sl[t].started)
			pthread_join(sl[t].th, NULL);
	for (size_t t = 0; t < k; t++)
		if (sl[t].bad < sl[t].to)
			return sl[t].bad;
	return n;
}

struct parse_job {
	const struct line *lines;
	struct request *reqs;
	int64_t now;
};

/* Parse lines [from, to), stopping at the first bad one. */
static size_t parse_range(void *ctx, size_t from, size_t to)
{
	struct parse_job *j = ctx;
	for (size_t i = from; i < to; i++)
		if (request_parse(j->lines[i].p, j->lines[i].len, REQUEST_HISTORICAL,
				  j->now, &j->reqs[i]) < 0)
			return i;
	return to;
}

/* Parse every line, on several threads for a large file.  Returns the index
 * of the first line that did not parse, or n. */
static size_t parse_lines(const struct line *lines, size_t n, int64_t now,
			  struct request *reqs)
{
	struct parse_job j = {lines, reqs, now};
	return run_sliced(n, 512, parse_range, &j);
}

struct doc_job {
	const struct request *reqs;
	char **docs;
	char (*digests)[DIGEST_TAG_LEN];
};

/* Canonical documents and digests of requests [from, to); a NULL document
 * is worked out again, and its error reported, when the request is stored. */
static size_t doc_range(void *ctx, size_t from, size_t to)
{
	struct doc_job *j = ctx;
	for (size_t i = from; i < to; i++) {
		j->docs[i] = intake_canonical(&j->reqs[i]);
		if (j->docs[i])
			digest_tag(j->docs[i], strlen(j->docs[i]), j->digests[i]);
	}
	return to;
}

/* The refs already stored, sorted, when there are no more of them than
 * lines to check: one scan then costs less than a look-up per line. */
struct stored_ref {
	char *key; /* agency, or "~" and country */
	char *ref;
	int64_t id;
};

struct stored_refs {
	struct stored_ref *v;
	size_t n, cap;
	int loaded;
};

static int cmp_stored(const void *a, const void *b)
{
	const struct stored_ref *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->ref, y->ref);
}

static int add_stored(void *ctx, const char *key, const char *ref, int64_t id)
{
	struct stored_refs *sr = ctx;
	if (!key || !ref)
		return 0; /* matches no look-up */
	sr->v = xgrow(sr->v, &sr->cap, sr->n + 1, sizeof(*sr->v));
	sr->v[sr->n++] = (struct stored_ref){xstrdup(key), xstrdup(ref), id};
	return 0;
}

static int load_stored_refs(struct store *st, size_t lines, struct stored_refs *sr)
{
	int64_t stored;
	int rc = store_request_count(st, &stored);
	if (rc < 0)
		return rc;
	if (stored > (int64_t)lines)
		return 0; /* look each line up instead */
	if ((rc = store_request_each_ref(st, add_stored, sr)) < 0)
		return rc;
	if (sr->n > 1)
		qsort(sr->v, sr->n, sizeof(*sr->v), cmp_stored);
	sr->loaded = 1;
	return 0;
}

static void free_stored_refs(struct stored_refs *sr)
{
	for (size_t i = 0; i < sr->n; i++) {
		free(sr->v[i].key);
		free(sr->v[i].ref);
	}
	free(sr->v);
}

/* store_request_find_ref(), from the loaded refs when there are. */
static int find_ref(struct import *im, const struct stored_refs *sr,
		    const struct request *r, int64_t *id)
{
	if (!sr->loaded)
		return store_request_find_ref(im->s->st, r->agency, r->country, r->ref,
					      id);
	if (sr->n == 0)
		return -E_NOTFOUND;
	char country_key[sizeof(r->country) + 1];
	struct stored_ref want = {(char *)r->agency, r->ref, 0};
	if (!r->agency) {
		country_key[0] = '~';
		memcpy(country_key + 1, r->country, sizeof(r->country));
		want.key = country_key;
	}
	const struct stored_ref *hit =
	    bsearch(&want, sr->v, sr->n, sizeof(*sr->v), cmp_stored);
	if (!hit)
		return -E_NOTFOUND;
	*id = hit->id;
	return 0;
}

/* The checks that need the store, for a line that parsed.  A ref already
 * stored is an import interrupted and run again (SPEC §9): the line is
 * skipped (*stored set) when the stored request is this very line, and
 * an error when it differs. */
static int check_parsed(struct import *im, const struct stored_refs *sr,
			struct request *r, unsigned char *stored)
{
	int rc;
	char *doc = NULL, *mine = NULL;
	if ((rc = intake_check_historical(r, im->s->now)) < 0)
		return rc;
	if (r->agency && !r->country[0] && (rc = agency_country(im, r)) < 0)
		return rc;
	int64_t id;
	rc = find_ref(im, sr, r, &id);
	if (rc == -E_NOTFOUND) {
		err_clear();
		return 0;
	}
	if (rc < 0 || (rc = store_request_doc(im->s->st, id, &doc)) < 0)
		return rc;
	mine = intake_canonical(r);
	if (mine && strcmp(mine, doc) == 0)
		*stored = 1;
	else
		rc = err_set(E_INVALID,
			     "field 'ref': request '%s' is already stored as %lld with "
			     "different contents (an import run again must be the same "
			     "file)",
			     r->ref, (long long)id);
	free(doc);
	free(mine);
	return rc;
}

/* Pass 1: every line parsed and checked, the first bad one reported as
 * FILE:LINE: message.  im->n counts the requests kept (all, or none). */
static int check_file(struct import *im, const char *file, const char *text, size_t len)
{
	struct lines ls = {0};
	int rc = jsonl_each(file, text, len, collect_line, &ls, NULL);
	enum err_code stop_code = rc < 0 ? err_last() : E_OK;
	char *stop_msg = rc < 0 ? xstrdup(err_msg()) : NULL;
	/* lines before an over-long one come first, as in one pass */
	im->reqs = xcalloc(ls.n ? ls.n : 1, sizeof(*im->reqs));
	im->stored = xcalloc(ls.n ? ls.n : 1, 1);
	im->cap = ls.n;
	size_t bad = parse_lines(ls.v, ls.n, im->s->now, im->reqs);
	struct stored_refs sr = {0};
	if (load_stored_refs(im->s->st, ls.n, &sr) < 0) {
		free_stored_refs(&sr); /* each line's look-up reports it */
		sr = (struct stored_refs){0};
	}
	rc = 0;
	for (size_t i = 0; i < ls.n && rc == 0; i++) {
		if (i == bad) {
			struct request r;
			rc = request_parse(ls.v[i].p, ls.v[i].len, REQUEST_HISTORICAL,
					   im->s->now, &r);
			if (rc == 0) { /* cannot happen: parsing is deterministic */
				request_release(&r);
				rc =
				    err_set(E_INTERNAL, "line parsed once but not twice");
			}
		} else {
			rc = check_parsed(im, &sr, &im->reqs[i], &im->stored[i]);
		}
		if (rc < 0)
			err_prefix("%s:%zu", file, ls.v[i].lineno);
		else
			app_progress_update(im->pr, i + 1);
	}
	if (rc == 0 && stop_msg)
		rc = err_set(stop_code, "%s", stop_msg);
	free(stop_msg);
	free(ls.v);
	free_stored_refs(&sr);
	if (rc < 0) {
		for (size_t i = 0; i < ls.n; i++)
			request_release(&im->reqs[i]);
		return rc;
	}
	im->n = ls.n;
	return 0;
}

/* Leave out the lines stored by an earlier run of the same file. */
static void drop_stored(struct import *im)
{
	size_t k = 0;
	for (size_t i = 0; i < im->n; i++) {
		if (im->stored[i]) {
			request_release(&im->reqs[i]);
			im->skipped++;
			continue;
		}
		im->reqs[k++] = im->reqs[i];
	}
	im->n = k;
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

/* One batch as one unit of work: each request stored closed, one
 * "request.import" entry listing their digests, the history rows it
 * records.  A retried batch starts again from the parsed requests. */
struct batch {
	struct import *im;
	size_t from, to;
	char **docs;
	char (*digests)[DIGEST_TAG_LEN];
	uint64_t *entry_of; /* the log entry that lists each request */
};

static int batch_body(struct session *s, void *ctx)
{
	struct batch *b = ctx;
	struct import *im = b->im;
	json_t *items = json_array();
	int rc;
	store_pipeline(s->st);   /* checked before the unit: rows need no answer */
	if ((rc = account_cache_prefetch(s->st, im->accounts, im->reqs + b->from,
					 b->to - b->from)) < 0) {
		json_decref(items);
		return rc;
	}
	for (size_t i = b->from; i < b->to; i++) {
		struct request *r = &im->reqs[i];
		char *digest = b->digests[i - b->from];
		r->id = 0;
		if ((rc = intake_import(s->st, im->accounts, r,
					       b->docs[i - b->from], digest)) < 0) {
			err_prefix("request '%s'", r->ref);
			json_decref(items);
			return rc;
		}
		json_t *facts = json_pack("{s:s}", "doc", digest);
		if ((rc = intake_facts(s->st, r, facts)) < 0) {
			json_decref(facts);
			json_decref(items);
			return rc;
		}
		json_array_append_new(items, facts);
	}
	/* a batch may take several entries: each is bounded (SPEC §6) */
	if ((rc = app_log_list(s, "request.import", NULL, "requests", items, b->entry_of)) <
	    0)
		return rc;
	for (size_t i = b->from; i < b->to; i++) {
		struct history_entry h = {
		    .at = s->now,
		    .actor = s->user,
		    .event = INTAKE_IMPORT_EVENT,
		    .from_state = -1,
		    .to_state = ST_CLOSED,
		    .reason = INTAKE_IMPORT_REASON,
		    .log_index = b->entry_of[i - b->from],
		};
		if ((rc = store_history_add(s->st, im->reqs[i].id, &h)) < 0)
			return rc;
	}
	return 0;
}

static int store_batch(struct import *im, size_t from, size_t to)
{
	size_t n = to - from;
	struct batch b = {im, from, to, xcalloc(n ? n : 1, sizeof(char *)),
			  xcalloc(n ? n : 1, DIGEST_TAG_LEN),
			  xcalloc(n ? n : 1, sizeof(uint64_t))};
	struct doc_job dj = {im->reqs + from, b.docs, b.digests};
	run_sliced(n, 128, doc_range, &dj);
	int rc = app_unit(im->s, batch_body, &b);
	for (size_t i = 0; i < n; i++)
		free(b.docs[i]);
	free(b.docs);
	free(b.digests);
	free(b.entry_of);
	return rc;
}

int app_request_import(struct session *s, const char *name, const char *text, size_t len,
		       const struct app_progress *progress, size_t *count)
{
	return app_request_import_again(s, name, text, len, progress, count, NULL);
}

int app_request_import_again(struct session *s, const char *name, const char *text,
			     size_t len, const struct app_progress *progress, size_t *count,
			     size_t *skipped)
{
	int rc;
	*count = 0;
	if ((rc = session_require(s, ROLE_BIT(ROLE_ADMIN), "import requests")) < 0)
		return rc;
	struct import im = {.s = s, .pr = progress};
	app_progress_start(progress, "checking", 0);
	rc = check_file(&im, name, text, len);
	if (rc == 0)
		rc = check_duplicates(&im);
	if (rc == 0)
		drop_stored(&im);
	app_progress_finish(progress, im.n);
	app_progress_start(progress, "importing", im.n);
	im.accounts = account_cache_new();
	for (size_t i = 0; rc == 0 && i < im.n; i += APP_IMPORT_BATCH) {
		size_t end = i + APP_IMPORT_BATCH < im.n ? i + APP_IMPORT_BATCH : im.n;
		rc = store_batch(&im, i, end);
		app_progress_update(progress, end);
	}
	if (rc == 0)
		app_progress_finish(progress, im.n);
	for (size_t i = 0; i < im.n; i++)
		request_release(&im.reqs[i]);
	free(im.reqs);
	for (size_t i = 0; i < im.n_agencies; i++)
		free(im.agencies[i].id);
	free(im.agencies);
	account_cache_free(im.accounts);
	free(im.stored);
	if (rc == 0)
		*count = im.n;
	if (skipped)
		*skipped = im.skipped;
	return rc;
}
