/*
 * test_intake.c - a request's way in (core/workflow/intake.h), through the
 * application layer as docket takes it: targets resolved to accounts and
 * customers, the country from the agency, the first state from the policy,
 * the "request.received" entry naming the document's digest and the
 * targets by hash only; a bad document changes nothing; historical imports
 * are stored closed and logged per batch with each document's digest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "appfx.h"

#include "app/request.h"
#include "base/err.h"
#include "base/util.h"
#include "core/workflow/intake.h"
#include "core/ledger/journal.h"

static int setup(void **state)
{
	struct appfx *f = xcalloc(1, sizeof(*f));
	if (appfx_setup(f, "intake") < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	appfx_teardown(*state);
	free(*state);
	return 0;
}

static uint64_t log_size(struct appfx *f)
{
	uint64_t n = 0;
	assert_int_equal(store_log_size(f->s->st, &n), 0);
	return n;
}

/* The log entry at index, parsed (a new reference). */
static json_t *entry(struct appfx *f, uint64_t index)
{
	struct buf b;
	buf_init(&b, JOURNAL_MAX_ENTRY);
	assert_int_equal(store_log_get_entry(f->s->st, index, &b), 0);
	json_t *j = json_loadb(b.ptr, b.len, 0, NULL);
	assert_non_null(j);
	buf_release(&b);
	return j;
}

static int64_t add(struct appfx *f, const char *doc)
{
	struct session *s = appfx_as(f, "intake-1");
	int64_t id = 0;
	assert_non_null(s);
	int rc = app_request_add(s, "r.json", doc, strlen(doc), &id);
	session_close(s);
	return rc < 0 ? rc : id;
}

static const char *SUBPOENA =
    "{\"ref\":\"LA-1\",\"agency\":\"us-lapd\",\"kind\":\"criminal\",\"process\":"
    "\"subpoena\",\"targets\":[{\"type\":\"email\",\"value\":\"alice@example.net\"},"
    "{\"type\":\"email\",\"value\":\"nobody@example.org\"}],\"categories\":["
    "\"subscriber\"]}";

static void test_add_resolves_and_logs(void **state)
{
	struct appfx *f = *state;
	uint64_t before = log_size(f);
	int64_t id = add(f, SUBPOENA);
	assert_true(id > 0);

	struct request r = {0};
	struct policy_result pol;
	int have;
	assert_int_equal(app_request_get(f->s, id, &r, &pol, &have), 0);
	assert_true(have);
	assert_string_equal(r.country, "US"); /* from the agency */
	assert_int_equal(r.n_targets, 2);
	assert_string_equal(r.targets[0].customer_id, "c-alice");
	assert_true(r.targets[0].account_id > 0);
	assert_null(r.targets[1].customer_id); /* no such account */
	assert_int_equal(r.targets[1].account_id, 0);
	assert_int_equal(r.state, pol.action == ACT_VERIFY ? ST_VERIFYING : ST_IN_REVIEW);

	/* one "request.received" entry: the digest of the stored document, the
	 * targets by hash, no address in clear */
	char digest[DIGEST_TAG_LEN], ref[JOURNAL_REF_LEN];
	assert_int_equal(intake_digest(&r, digest), 0);
	json_t *e = NULL;
	for (uint64_t i = before; i < log_size(f) && !e; i++) {
		json_t *j = entry(f, i);
		if (strcmp(json_string_value(json_object_get(j, "type")),
			   "request.received") == 0)
			e = j;
		else
			json_decref(j);
	}
	assert_non_null(e);
	assert_int_equal(json_integer_value(json_object_get(e, "request")), id);
	assert_string_equal(json_string_value(json_object_get(e, "doc")), digest);
	assert_string_equal(json_string_value(json_object_get(e, "actor")), "intake-1");
	assert_int_equal(journal_ref(f->s->st, "email", "alice@example.net", ref), 0);
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(e, "targets"), 0)), ref);
	char *text = json_dumps(e, 0);
	assert_null(strstr(text, "alice@example.net"));
	free(text);
	json_decref(e);
	policy_result_release(&pol);
	request_release(&r);
}

static int first_history(void *ctx, const struct history_entry *h)
{
	struct history_entry *out = ctx;
	if (!out->event) {
		*out = *h;
		out->event = xstrdup(h->event);
		out->actor = xstrdup(h->actor);
	}
	return 0;
}

static void test_history_starts_received(void **state)
{
	struct appfx *f = *state;
	int64_t id = add(f, SUBPOENA);
	struct history_entry h = {0};
	assert_true(id > 0);
	assert_int_equal(app_request_history(f->s, id, first_history, &h), 0);
	assert_string_equal(h.event, "received");
	assert_string_equal(h.actor, "intake-1");
	assert_int_equal(h.from_state, -1);
	free((char *)h.event);
	free((char *)h.actor);
}

static void test_bad_document_changes_nothing(void **state)
{
	struct appfx *f = *state;
	uint64_t before = log_size(f);
	int64_t n_before = 0, n_after = 0;
	assert_int_equal(store_request_count(f->s->st, &n_before), 0);
	assert_int_equal(add(f, "{\"ref\":\"X\",\"kind\":\"criminal\"}"), -E_INVALID);
	assert_non_null(strstr(err_msg(), "r.json")); /* the document is named */
	assert_int_equal(add(f, "not json"), -E_INVALID);
	assert_int_equal(log_size(f), before);
	assert_int_equal(store_request_count(f->s->st, &n_after), 0);
	assert_int_equal(n_after, n_before);
}

static void test_duplicate_ref_refused(void **state)
{
	struct appfx *f = *state;
	assert_true(add(f, SUBPOENA) > 0);
	uint64_t before = log_size(f);
	assert_int_equal(add(f, SUBPOENA), -E_INVALID);
	assert_int_equal(log_size(f), before);
}

static void test_intake_role_needed(void **state)
{
	struct appfx *f = *state;
	struct session *s = appfx_as(f, "reviewer-1");
	int64_t id = 0;
	assert_non_null(s);
	assert_int_equal(app_request_add(s, "r.json", SUBPOENA, strlen(SUBPOENA), &id),
			 -E_FORBIDDEN);
	session_close(s);
}

static const char *HISTORY =
    "{\"ref\":\"H-1\",\"agency\":\"us-lapd\",\"kind\":\"criminal\",\"process\":"
    "\"subpoena\","
    "\"received_at\":\"2025-02-01\",\"targets\":[{\"type\":\"email\",\"value\":"
    "\"alice@example.net\"}],\"categories\":[\"subscriber\"],\"outcome\":\"no_data\","
    "\"closed_at\":\"2025-02-10\"}\n"
    "{\"ref\":\"H-2\",\"country\":\"DE\",\"kind\":\"civil\",\"process\":\"civil_"
    "subpoena\","
    "\"received_at\":\"2025-03-01\",\"targets\":[],\"categories\":[\"subscriber\"],"
    "\"outcome\":\"rejected\",\"closed_at\":\"2025-03-05\"}\n";

static void test_import_closed_and_logged(void **state)
{
	struct appfx *f = *state;
	uint64_t before = log_size(f);
	size_t n = 0;
	assert_int_equal(
	    app_request_import(f->s, "h.jsonl", HISTORY, strlen(HISTORY), NULL, &n), 0);
	assert_int_equal(n, 2);
	/* one batch: one "request.import" entry listing both with their digests */
	json_t *e = NULL;
	for (uint64_t i = before; i < log_size(f) && !e; i++) {
		json_t *j = entry(f, i);
		if (strcmp(json_string_value(json_object_get(j, "type")),
			   "request.import") == 0)
			e = j;
		else
			json_decref(j);
	}
	assert_non_null(e);
	json_t *items = json_object_get(e, "requests");
	assert_int_equal(json_array_size(items), 2);
	for (size_t i = 0; i < 2; i++) {
		json_t *it = json_array_get(items, i);
		struct request r = {0};
		char digest[DIGEST_TAG_LEN];
		int64_t id = json_integer_value(json_object_get(it, "request"));
		assert_int_equal(app_request_get(f->s, id, &r, NULL, NULL), 0);
		assert_int_equal(r.state, ST_CLOSED);
		assert_int_equal(r.outcome, i == 0 ? OUT_NO_DATA : OUT_REJECTED);
		assert_string_equal(r.country, i == 0 ? "US" : "DE");
		assert_int_equal(intake_digest(&r, digest), 0);
		assert_string_equal(json_string_value(json_object_get(it, "doc")),
				    digest);
		request_release(&r);
	}
	json_decref(e);
	/* the same file again (SPEC §9: an import run again completes): the
	 * stored lines are skipped and nothing is logged */
	before = log_size(f);
	assert_int_equal(
	    app_request_import(f->s, "h.jsonl", HISTORY, strlen(HISTORY), NULL, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(log_size(f), before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_add_resolves_and_logs, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_history_starts_received, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_bad_document_changes_nothing, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_duplicate_ref_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_intake_role_needed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_closed_and_logged, setup,
					    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
