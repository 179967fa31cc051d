/*
 * audit.c - the records against the log (audit.h).
 *
 * Two passes.  The first walks every request with its history rows
 * (store_history_all) and reads the entry each row points at; the second
 * walks the log once and looks up the history row of each request entry
 * (store_history_at, an index lookup).  Nothing is kept per request beyond
 * the one being checked.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/digest.h"
#include "base/err.h"
#include "base/util.h"
#include "core/ledger/audit.h"
#include "core/workflow/intake.h"

#define NONE UINT64_MAX
#define UNKNOWN (-2) /* an outcome no entry gives */
#define PROGRESS_EVERY 4096
#define REQUEST_TYPE "\"type\":\"request."
#define IMPORT_TYPE "request.import"

struct audit {
	struct store *st;
	const struct journal_hooks *hooks;
	struct audit_report *rep;
	struct buf entry;
	uint64_t done; /* rows and entries, for progress */
	json_t *last;  /* the entry read last: the rows of a whole import
			  batch point at one entry */
	uint64_t last_read;
	int last_ns;          /* last_read is in the compartment */
	size_t item; /* where the last import item was found in it */

	/* the request being checked */
	int64_t id;
	int stored, state, outcome;
	uint64_t rows;
	int last_to;		     /* the state the last row ended in */
	uint64_t last_index;	     /* and its log entry */
	int last_outcome;	     /* the outcome its entry gives; -1: not one;
					UNKNOWN: no entry of the right kind */
	int outcome_from_doc;	     /* the last row is the import: the document's */
	char approver[128];	     /* who signed off first (four eyes) */
	char digest[DIGEST_TAG_LEN]; /* the logged digest of the document */
	uint64_t digest_index;	     /* NONE: not known */
};

static void finding(struct audit *a, int64_t request, uint64_t index, const char *fmt,
		    ...) __attribute__((format(printf, 4, 5)));

static void finding(struct audit *a, int64_t request, uint64_t index, const char *fmt,
		    ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	a->rep->problems++;
	if (request > 0 &&
	    (a->rep->first_request == 0 || request < a->rep->first_request))
		a->rep->first_request = request;
	if (a->hooks && a->hooks->finding) {
		struct journal_finding f = {.problem = JOURNAL_BAD_RECORD,
					    .index = index,
					    .message = msg,
					    .request = request};
		a->hooks->finding(a->hooks->ctx, &f);
	}
}

static void progress(struct audit *a)
{
	if (++a->done % PROGRESS_EVERY == 0 && a->hooks && a->hooks->progress)
		a->hooks->progress(a->hooks->ctx, a->done, 0);
}

static const char *shown(const char *s)
{
	return s ? s : "(none)";
}

static const char *outcome_shown(int o)
{
	return o < 0 ? "?" : o == OUT_NONE ? "(none)" : outcome_str(o);
}

/* The string member `key` of ev; NULL when absent.  *bad is set when it is
 * there but not a string. */
static const char *member(const json_t *ev, const char *key, int *bad)
{
	json_t *v = json_object_get(ev, key);
	*bad = v && !json_is_string(v);
	return json_string_value(v);
}

/* ===================================================================
 * Pass 1: each history row against its entry
 * =================================================================== */

/* The row says `mine` (NULL: nothing) for what the entry holds under key. */
static void expect_same(struct audit *a, const struct history_entry *h, const char *what,
			const char *mine, const json_t *ev, const char *key)
{
	int bad;
	const char *logged = member(ev, key, &bad);
	if (!bad && (mine ? logged && strcmp(mine, logged) == 0 : !logged))
		return;
	finding(a, a->id, h->log_index,
		"request %lld: history row '%s' has %s '%s' but log entry %llu has '%s'",
		(long long)a->id, h->event, what, shown(mine),
		(unsigned long long)h->log_index, bad ? "(not a string)" : shown(logged));
}

/* The entry a row points at, parsed (borrowed: valid until the next
 * call); NULL after reporting why not. */
static json_t *load_entry(struct audit *a, const struct history_entry *h, int *rc)
{
	json_t *ev;
	*rc = 0;
	int ns = STORE_ID_IS_NS(a->id); /* its entries are in the compartment */
	if (a->last && a->last_read == h->log_index && a->last_ns == ns)
		return a->last;
	json_decref(a->last);
	a->last = NULL;
	a->item = 0;
	int was = store_log_select(a->st, ns ? STORE_LOG_NS : STORE_LOG_MAIN);
	*rc = store_log_get_entry(a->st, h->log_index, &a->entry);
	store_log_select(a->st, (enum store_log)was);
	if (*rc == -E_NOTFOUND) {
		err_clear();
		*rc = 0;
		finding(a, a->id, h->log_index,
			"request %lld: history row '%s' points at log entry %llu, which "
			"does not exist",
			(long long)a->id, h->event, (unsigned long long)h->log_index);
		return NULL;
	}
	if (*rc < 0)
		return NULL;
	ev = json_loadb(a->entry.ptr, a->entry.len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(ev)) {
		json_decref(ev);
		finding(
		    a, a->id, h->log_index,
		    "request %lld: history row '%s' points at log entry %llu, which is "
		    "not a JSON event",
		    (long long)a->id, h->event, (unsigned long long)h->log_index);
		return NULL;
	}
	a->last = ev;
	a->last_read = h->log_index;
	a->last_ns = ns;
	return ev;
}

/* Does ev have the type the row needs?  Reported when not. */
static int expect_type(struct audit *a, const struct history_entry *h, const json_t *ev,
		       const char *want)
{
	int bad;
	const char *type = member(ev, "type", &bad);
	if (type && strcmp(type, want) == 0)
		return 1;
	finding(a, a->id, h->log_index,
		"request %lld: history row '%s' points at log entry %llu of type '%s', "
		"not '%s'",
		(long long)a->id, h->event, (unsigned long long)h->log_index, shown(type),
		want);
	return 0;
}

/* What every row shares with its entry: who and when. */
static void expect_actor_time(struct audit *a, const struct history_entry *h,
			      const json_t *ev)
{
	char at[TS_BUFSZ];
	time_format(h->at, at);
	expect_same(a, h, "actor", h->actor, ev, "actor");
	expect_same(a, h, "time", at, ev, "at");
}

/* An "imported" row: its batch's entry lists the request with the digest
 * of its document. */
static void check_import_row(struct audit *a, const struct history_entry *h,
			     const json_t *ev)
{
	json_t *items = json_object_get(ev, "requests");
	size_t n = json_array_size(items);
	if (!expect_type(a, h, ev, IMPORT_TYPE))
		return;
	a->outcome_from_doc = 1;
	expect_actor_time(a, h, ev);
	if (h->from_state != -1 || h->to_state != ST_CLOSED || !h->reason ||
	    strcmp(h->reason, INTAKE_IMPORT_REASON) != 0)
		finding(
		    a, a->id, h->log_index,
		    "request %lld: history row '%s' (log entry %llu) is not an import: "
		    "from '%s' to '%s', reason '%s'",
		    (long long)a->id, h->event, (unsigned long long)h->log_index,
		    h->from_state < 0 ? "(none)" : state_str(h->from_state),
		    state_str(h->to_state), shown(h->reason));
	/* A batch lists its requests in id order: search on from the last. */
	for (size_t k = 0; k < n; k++) {
		size_t i = (a->item + k) % n;
		json_t *item = json_array_get(items, i);
		json_t *id = json_object_get(item, "request");
		const char *doc = json_string_value(json_object_get(item, "doc"));
		if (!json_is_integer(id) || json_integer_value(id) != a->id)
			continue;
		if (doc && str_copy(a->digest, sizeof(a->digest), doc) == 0)
			a->digest_index = h->log_index;
		a->item = i + 1;
		return;
	}
	finding(a, a->id, h->log_index,
		"request %lld: history row '%s' points at log entry %llu, which does not "
		"list the request",
		(long long)a->id, h->event, (unsigned long long)h->log_index);
}

/* A transition row: request.<event> with the same request, states and
 * reason. */
static void check_transition_row(struct audit *a, const struct history_entry *h,
				 const json_t *ev)
{
	char type[96];
	int bad;
	json_t *id = json_object_get(ev, "request");
	snprintf(type, sizeof(type), "request.%s", h->event);
	if (!expect_type(a, h, ev, type))
		return;
	if (!json_is_integer(id) || json_integer_value(id) != a->id) {
		finding(
		    a, a->id, h->log_index,
		    "request %lld: history row '%s' points at log entry %llu, which is "
		    "about request %lld",
		    (long long)a->id, h->event, (unsigned long long)h->log_index,
		    (long long)json_integer_value(id));
		return;
	}
	expect_same(a, h, "to state", state_str(h->to_state), ev, "to");
	expect_same(a, h, "from state",
		    h->from_state < 0 ? NULL : state_str(h->from_state), ev, "from");
	expect_same(a, h, "reason", h->reason, ev, "reason");
	expect_actor_time(a, h, ev);
	const char *out = member(ev, "outcome", &bad);
	a->last_outcome = bad ? -1 : out ? outcome_parse(out) : OUT_NONE;
	const char *doc = member(ev, "doc", &bad);
	if (doc && /* received, amend, reassess: the document as it then became */
	    str_copy(a->digest, sizeof(a->digest), doc) == 0)
		a->digest_index = h->log_index;
}

/* Where the row stands in the request's chain of rows. */
static void check_chain(struct audit *a, const struct history_entry *h)
{
	int first = strcmp(h->event, "received") == 0 ||
		    strcmp(h->event, INTAKE_IMPORT_EVENT) == 0;
	if (a->rows == 0 && (!first || h->from_state != -1)) {
		finding(
		    a, a->id, h->log_index,
		    "request %lld: its first history row is '%s' (log entry %llu), not "
		    "how a request comes in (a history row was removed or added)",
		    (long long)a->id, h->event, (unsigned long long)h->log_index);
		return;
	}
	if (a->rows == 0)
		return;
	if (first || h->from_state != a->last_to)
		finding(
		    a, a->id, h->log_index,
		    "request %lld: history row '%s' (log entry %llu) starts from '%s' "
		    "but the row before ended in '%s' (a history row was removed, added "
		    "or changed)",
		    (long long)a->id, h->event, (unsigned long long)h->log_index,
		    h->from_state < 0 ? "(none)" : state_str(h->from_state),
		    state_str(a->last_to));
	if (h->log_index <= a->last_index)
		finding(
		    a, a->id, h->log_index,
		    "request %lld: history row '%s' (log entry %llu) is not after the "
		    "row before it (log entry %llu)",
		    (long long)a->id, h->event, (unsigned long long)h->log_index,
		    (unsigned long long)a->last_index);
}

/* I10: the sign-off that makes a request ready is a second, different
 * approver's (workflow.c refuses otherwise; this catches any path around
 * it). */
static void check_four_eyes(struct audit *a, const struct history_entry *h)
{
	if (strcmp(h->event, "sign_off") == 0) {
		str_copy(a->approver, sizeof(a->approver), h->actor);
		return;
	}
	if (strcmp(h->event, "sign_off_final") != 0)
		return;
	if (!a->approver[0] || strcmp(a->approver, h->actor) == 0)
		finding(a, a->id, h->log_index,
			"request %lld: '%s' made it ready (log entry %llu) without a first "
			"sign-off by a different approver (four eyes)",
			(long long)a->id, shown(h->actor), (unsigned long long)h->log_index);
	a->approver[0] = '\0';
}

static int check_row(struct audit *a, const struct history_entry *h)
{
	int rc;
	a->rep->history++;
	check_chain(a, h);
	check_four_eyes(a, h);
	json_t *ev = load_entry(a, h, &rc);
	a->last_outcome = UNKNOWN; /* until an entry of the right kind says */
	a->outcome_from_doc = 0;
	if (ev && strcmp(h->event, INTAKE_IMPORT_EVENT) == 0)
		check_import_row(a, h, ev);
	else if (ev)
		check_transition_row(a, h, ev);
	a->rows++;
	a->last_to = h->to_state;
	a->last_index = h->log_index;
	return rc;
}

/* The stored document against the digest logged for it; the outcome of an
 * import is the document's. */
static int check_document(struct audit *a)
{
	char digest[DIGEST_TAG_LEN], *doc = NULL;
	if (a->digest_index == NONE && !a->outcome_from_doc)
		return 0;
	int rc = store_request_doc(a->st, a->id, &doc);
	if (rc < 0)
		return rc;
	digest_tag(doc, strlen(doc), digest);
	if (a->digest_index != NONE && strcmp(digest, a->digest) != 0)
		finding(
		    a, a->id, a->digest_index,
		    "request %lld: its stored document is not the one logged in entry "
		    "%llu (%s, stored %s)",
		    (long long)a->id, (unsigned long long)a->digest_index, a->digest,
		    digest);
	if (a->outcome_from_doc) {
		json_t *j = json_loads(doc, 0, NULL);
		const char *out = json_string_value(json_object_get(j, "outcome"));
		a->last_outcome = out ? outcome_parse(out) : OUT_NONE;
		json_decref(j);
	}
	free(doc);
	return 0;
}

/* Everything known about request a->id once its rows are read. */
static int finish_request(struct audit *a)
{
	int rc;
	if (a->id == 0 || !a->stored)
		return 0;
	a->rep->requests++;
	if (a->rows == 0) {
		finding(a, a->id, NONE,
			"request %lld has no history: nothing in the log records it",
			(long long)a->id);
		return 0;
	}
	if (a->state != a->last_to)
		finding(
		    a, a->id, a->last_index,
		    "request %lld is '%s' but its history ends in '%s' (log entry %llu)",
		    (long long)a->id, state_str(a->state), state_str(a->last_to),
		    (unsigned long long)a->last_index);
	if ((rc = check_document(a)) < 0)
		return rc;
	if (a->last_outcome != UNKNOWN && a->outcome != a->last_outcome)
		finding(a, a->id, a->last_index,
			"request %lld has outcome '%s' but log entry %llu gives '%s'",
			(long long)a->id, outcome_shown(a->outcome),
			(unsigned long long)a->last_index,
			outcome_shown(a->last_outcome));
	return 0;
}

static void start_request(struct audit *a, const struct history_trail *t)
{
	a->id = t->request_id;
	a->stored = t->stored;
	a->state = t->state;
	a->outcome = t->outcome;
	a->rows = 0;
	a->last_to = -1;
	a->last_index = 0;
	a->last_outcome = OUT_NONE;
	a->outcome_from_doc = 0;
	a->digest[0] = '\0';
	a->digest_index = NONE;
	a->approver[0] = '\0';
}

static int on_trail(void *ctx, const struct history_trail *t)
{
	struct audit *a = ctx;
	int rc;
	if (t->request_id != a->id || t->stored != a->stored) {
		if ((rc = finish_request(a)) < 0)
			return rc;
		start_request(a, t);
	}
	if (!t->h)
		return 0;
	progress(a);
	if (t->stored)
		return check_row(a, t->h);
	a->rep->history++;
	finding(a, t->request_id, t->h->log_index,
		"request %lld: history row '%s' (log entry %llu) belongs to no stored "
		"request",
		(long long)t->request_id, t->h->event,
		(unsigned long long)t->h->log_index);
	return 0;
}

/* ===================================================================
 * Pass 2: each request entry against the history
 * =================================================================== */

static int has_text(const void *entry, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	const char *p = entry, *end = p + len;
	while ((size_t)(end - p) >= n &&
	       (p = memchr(p, needle[0], (size_t)(end - p) - n + 1))) {
		if (memcmp(p, needle, n) == 0)
			return 1;
		p++;
	}
	return 0;
}

/* Request `id`, named by entry `index`, needs a history row for it. */
static int expect_row(struct audit *a, uint64_t index, json_t *id, const char *type,
		      const char *what)
{
	int found, rc;
	if (!json_is_integer(id))
		return 0;
	int in_ns = store_log_selected(a->st) == STORE_LOG_NS;
	if (STORE_ID_IS_NS(json_integer_value(id)) != in_ns) {
		finding(a, json_integer_value(id), index,
			"log entry %llu (%s) of the %s log %s request %lld, which belongs to "
			"the %s log",
			(unsigned long long)index, type,
			in_ns ? "national-security" : "main", what,
			(long long)json_integer_value(id),
			in_ns ? "main" : "national-security");
		return 0;
	}
	rc = store_history_at(a->st, json_integer_value(id), index, &found);
	if (rc == 0 && !found)
		finding(
		    a, json_integer_value(id), index,
		    "log entry %llu (%s) %s request %lld, but the request's history has "
		    "no row for it",
		    (unsigned long long)index, type, what,
		    (long long)json_integer_value(id));
	return rc;
}

static int on_entry(void *ctx, uint64_t index, const void *entry, size_t len)
{
	struct audit *a = ctx;
	json_t *ev, *items, *item;
	size_t i;
	int rc = 0;
	progress(a);
	if (!has_text(entry, len, REQUEST_TYPE))
		return 0;
	if (!(ev = json_loadb(entry, len, JSON_REJECT_DUPLICATES, NULL)))
		return 0; /* not canonical: journal_verify() reports it */
	const char *type = json_string_value(json_object_get(ev, "type"));
	if (type && strcmp(type, IMPORT_TYPE) == 0) {
		a->rep->entries++;
		items = json_object_get(ev, "requests");
		json_array_foreach(items, i, item)
		{
			if ((rc = expect_row(a, index, json_object_get(item, "request"),
					     type, "imports")) < 0)
				break;
		}
	} else if (type && strncmp(type, "request.", 8) == 0 &&
		   json_object_get(ev, "to")) {
		a->rep->entries++;
		rc = expect_row(a, index, json_object_get(ev, "request"), type, "moves");
	}
	json_decref(ev);
	return rc;
}

/* =================================================================== */

int audit_verify(struct store *st, const struct journal_hooks *hooks,
		 struct audit_report *out)
{
	struct audit a = {.st = st, .hooks = hooks, .rep = out};
	int rc;
	memset(out, 0, sizeof(*out));
	buf_init(&a.entry, JOURNAL_READ_MAX);
	if ((rc = store_history_all(st, on_trail, &a)) == 0 &&
	    (rc = finish_request(&a)) == 0 &&
	    (rc = store_log_each_entry(st, 0, on_entry, &a)) == 0) {
		/* the national-security compartment's entries, likewise */
		int was = store_log_select(st, STORE_LOG_NS);
		rc = store_log_each_entry(st, 0, on_entry, &a);
		store_log_select(st, (enum store_log)was);
	}
	buf_release(&a.entry);
	json_decref(a.last);
	if (rc < 0)
		return rc;
	if (out->problems == 0)
		return 0;
	if (out->first_request == 0)
		return err_set(E_INVALID,
			       "the records do not match the log: %llu problems",
			       (unsigned long long)out->problems);
	return err_set(
	    E_INVALID,
	    "the records do not match the log: %llu problems, first at request "
	    "%lld",
	    (unsigned long long)out->problems, (long long)out->first_request);
}
