/*
 * test_audit.c - the records against the log (core/ledger/audit.h): a database
 * changed only through units of work passes; a state, a history row, a
 * request document or a user's roles changed behind the log's back is
 * found, named with its request (0 for a user), and makes the verdict
 * E_INVALID.
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
#include "core/ledger/audit.h"
#include "core/ledger/replay.h"
#include "core/workflow/intake.h"

static int setup(void **state)
{
	struct appfx *f = xcalloc(1, sizeof(*f));
	if (appfx_setup(f, "audit") < 0)
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

struct findings {
	int n;
	int64_t request; /* of the first */
	char first[256];
};

static void on_finding(void *ctx, const struct journal_finding *fd)
{
	struct findings *fs = ctx;
	assert_int_equal(fd->problem, JOURNAL_BAD_RECORD);
	if (!fs->n++) {
		fs->request = fd->request;
		str_copy(fs->first, sizeof(fs->first), fd->message);
	}
}

static int audit(struct appfx *f, struct findings *fs, struct audit_report *rep)
{
	struct journal_hooks hooks = {on_finding, NULL, fs};
	memset(fs, 0, sizeof(*fs));
	return audit_verify(f->s->st, &hooks, rep);
}

/* A request taken in and decided, the way docket does it. */
static int64_t reviewed_request(struct appfx *f)
{
	static const char *doc =
	    "{\"ref\":\"A-1\",\"agency\":\"us-lapd\",\"kind\":\"criminal\",\"process\":"
	    "\"subpoena\",\"targets\":[{\"type\":\"email\",\"value\":\"alice@example."
	    "net\"}],"
	    "\"categories\":[\"subscriber\"]}";
	struct session *s = appfx_as(f, "intake-1");
	int64_t id = 0;
	assert_int_equal(app_request_add(s, "r.json", doc, strlen(doc), &id), 0);
	session_close(s);
	s = appfx_as(f, "reviewer-1");
	struct decision d = {.name = "reject", .reason = "no"};
	assert_int_equal(app_request_decide(s, id, &d), 0);
	session_close(s);
	return id;
}

static void test_clean_database_passes(void **state)
{
	struct appfx *f = *state;
	struct findings fs;
	struct audit_report rep;
	reviewed_request(f);
	assert_int_equal(audit(f, &fs, &rep), 0);
	assert_int_equal(fs.n, 0);
	assert_int_equal(rep.problems, 0);
	assert_int_equal(rep.requests, 1);
	assert_int_equal(rep.history, 2);
}

static void test_state_changed_behind_the_log(void **state)
{
	struct appfx *f = *state;
	struct findings fs;
	struct audit_report rep;
	int64_t id = reviewed_request(f);
	assert_int_equal(store_request_set_state(f->s->st, id, ST_READY, OUT_NONE, 0, 0),
			 0);
	assert_int_equal(audit(f, &fs, &rep), -E_INVALID);
	assert_true(fs.n >= 1);
	assert_int_equal(fs.request, id);
	assert_int_equal(rep.first_request, id);
}

static void test_history_row_without_entry(void **state)
{
	struct appfx *f = *state;
	struct findings fs;
	struct audit_report rep;
	int64_t id = reviewed_request(f);
	struct history_entry h = {.at = 1,
				  .actor = "root",
				  .event = "close",
				  .from_state = ST_REJECTED,
				  .to_state = ST_CLOSED,
				  .log_index = 2}; /* an entry of another kind */
	assert_int_equal(store_history_add(f->s->st, id, &h), 0);
	assert_int_equal(audit(f, &fs, &rep), -E_INVALID);
	assert_int_equal(fs.request, id);
}

static void test_document_changed(void **state)
{
	struct appfx *f = *state;
	struct findings fs;
	struct audit_report rep;
	struct request r = {0};
	char *policy = NULL;
	int64_t id = reviewed_request(f);
	assert_int_equal(store_request_get(f->s->st, id, &r, &policy), 0);
	free(r.ref);
	r.ref = xstrdup("A-1-EDITED");
	char *doc = intake_canonical(&r);
	assert_non_null(doc);
	assert_int_equal(store_request_update(f->s->st, &r, doc, policy, r.supported), 0);
	assert_int_equal(audit(f, &fs, &rep), -E_INVALID);
	assert_int_equal(fs.request, id);
	free(doc);
	free(policy);
	request_release(&r);
}

/* Users are the replay's (core/ledger/replay.h): the records' audit leaves them,
 * the replay of the log against the staff table names the changed row. */
static void test_roles_changed_behind_the_log(void **state)
{
	struct appfx *f = *state;
	struct findings fs;
	struct replay_report rep;
	struct journal_hooks hooks = {on_finding, NULL, &fs};
	assert_int_equal(store_user_add(f->s->st, "reviewer-1", ROLE_BIT(ROLE_ADMIN)), 0);
	memset(&fs, 0, sizeof(fs));
	assert_int_equal(replay_verify(f->s->st, &hooks, &rep), -E_INVALID);
	assert_int_equal(fs.n, 1);
	assert_int_equal(fs.request, 0); /* a user, not a request */
	assert_non_null(strstr(fs.first, "table staff: row reviewer-1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_clean_database_passes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_state_changed_behind_the_log, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_history_row_without_entry, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_document_changed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_roles_changed_behind_the_log, setup,
					    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
