/*
 * test_app_unit.c - the application layer's session and unit of work
 * (src/app/app.h): a body's changes and log entries commit with a signed
 * checkpoint or not at all; a transient conflict (E_CONFLICT) runs the
 * whole body again, a bounded number of times; other errors are not
 * retried; log entries outside a unit are refused; roles are checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tmpdir.h"

#include "app/admin.h"
#include "app/app.h"
#include "base/err.h"
#include "base/util.h"
#include "store/store.h"

struct fx {
	char dir[64];
	char path[256];
	struct session *s;
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	struct app_init_result made;
	if (tmpdir_make(f->dir, "unit") < 0)
		return -1;
	if (testdb_path(f->dir, f->path, sizeof(f->path)) < 0)
		return -1;
	if (app_init(f->path, "test.local/log", "admin", &made) < 0 ||
	    session_open(f->path, "admin", &f->s) < 0)
		return -1;
	app_init_release(&made);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	session_close(f->s);
	if (tmpdir_remove(f->dir) < 0)
		return -1;
	free(f);
	return 0;
}

/* A body that sets a setting and logs it, failing with `fail` on its
 * first `failures` runs. */
struct body {
	int runs, failures, fail;
};

static int body(struct session *s, void *ctx)
{
	struct body *b = ctx;
	char v[16];
	int rc;
	b->runs++;
	snprintf(v, sizeof(v), "%d", b->runs);
	if ((rc = store_setting_set(s->st, "test.runs", v)) < 0 ||
	    (rc = app_log(s, "test.run", json_pack("{s:i}", "run", b->runs), NULL)) < 0)
		return rc;
	return b->runs <= b->failures ? err_set(b->fail, "attempt %d failed", b->runs)
				      : 0;
}

static uint64_t log_size(struct fx *f)
{
	uint64_t n = 0;
	assert_int_equal(store_log_size(f->s->st, &n), 0);
	return n;
}

static uint64_t signed_size(struct fx *f)
{
	uint64_t n = 0;
	char *note = NULL;
	assert_int_equal(store_checkpoint_latest(f->s->st, &n, &note), 0);
	free(note);
	return n;
}

static char *setting(struct fx *f)
{
	char *v = NULL;
	int rc = store_setting_get(f->s->st, "test.runs", &v);
	return rc == 0 ? v : NULL;
}

static void test_commit_signs_checkpoint(void **state)
{
	struct fx *f = *state;
	struct body b = {0};
	uint64_t before = log_size(f);
	assert_int_equal(app_unit(f->s, body, &b), 0);
	assert_int_equal(b.runs, 1);
	assert_int_equal(log_size(f), before + 1);
	assert_int_equal(signed_size(f), before + 1);
	assert_false(store_in_transaction(f->s->st));
}

static void test_conflict_retries_whole_body(void **state)
{
	struct fx *f = *state;
	struct body b = {.failures = 2, .fail = E_CONFLICT};
	uint64_t before = log_size(f);
	assert_int_equal(app_unit(f->s, body, &b), 0);
	assert_int_equal(b.runs, 3);
	/* the failed attempts left nothing: one entry, the third run's value */
	assert_int_equal(log_size(f), before + 1);
	assert_int_equal(signed_size(f), before + 1);
	char *v = setting(f);
	assert_string_equal(v, "3");
	free(v);
}

static void test_conflict_retries_are_bounded(void **state)
{
	struct fx *f = *state;
	struct body b = {.failures = 1000, .fail = E_CONFLICT};
	uint64_t before = log_size(f);
	assert_int_equal(app_unit(f->s, body, &b), -E_CONFLICT);
	assert_int_equal(b.runs, APP_UNIT_TRIES);
	assert_int_equal(log_size(f), before);
	assert_null(setting(f));
	assert_false(store_in_transaction(f->s->st));
}

static void test_other_errors_not_retried(void **state)
{
	struct fx *f = *state;
	struct body b = {.failures = 1, .fail = E_REFUSED};
	uint64_t before = log_size(f);
	assert_int_equal(app_unit(f->s, body, &b), -E_REFUSED);
	assert_int_equal(b.runs, 1);
	assert_int_equal(log_size(f), before);
	assert_null(setting(f));
}

static void test_log_outside_unit_refused(void **state)
{
	struct fx *f = *state;
	uint64_t before = log_size(f);
	assert_int_equal(app_log(f->s, "test.stray", json_object(), NULL), -E_INTERNAL);
	assert_int_equal(log_size(f), before);
}

static int nested_body(struct session *s, void *ctx)
{
	(void)ctx;
	struct body b = {0};
	return app_unit(s, body, &b);
}

static void test_no_unit_inside_a_unit(void **state)
{
	struct fx *f = *state;
	uint64_t before = log_size(f);
	assert_int_equal(app_unit(f->s, nested_body, NULL), -E_INTERNAL);
	assert_int_equal(log_size(f), before);
}

static void test_roles(void **state)
{
	struct fx *f = *state;
	struct session *s = NULL;
	assert_int_equal(session_open(f->path, "nobody", &s), -E_FORBIDDEN);
	assert_null(s);
	assert_non_null(strstr(err_msg(), "'nobody' is not a docket user"));
	assert_int_equal(app_user_add(f->s, "ivy", ROLE_BIT(ROLE_INTAKE)), 0);
	assert_int_equal(session_open(f->path, "ivy", &s), 0);
	assert_int_equal(session_require(s, ROLE_BIT(ROLE_INTAKE), "add requests"), 0);
	assert_int_equal(session_require(s, ROLE_BIT(ROLE_ADMIN), "add users"),
			 -E_FORBIDDEN);
	assert_string_equal(err_msg(),
			    "user 'ivy' may not add users: it needs the role admin");
	/* an app function checks the role itself, whatever the front end did */
	uint64_t before = log_size(f);
	assert_int_equal(app_user_add(s, "eve", ROLE_BIT(ROLE_ADMIN)), -E_FORBIDDEN);
	assert_int_equal(log_size(f), before);
	session_close(s);
}

/* A refusal names its way forward as a remedy the front end spells, not
 * as a command: err_set() clears it, err_set_remedy() sets it. */
static void test_remedy(void **state)
{
	struct fx *f = *state;
	struct session *s = NULL;
	long long subject = -1;
	assert_int_equal(session_open(f->path, "nobody", &s), -E_FORBIDDEN);
	assert_int_equal(err_remedy(&subject), REMEDY_ADD_USER);
	assert_null(strstr(err_msg(), "user add"));
	err_set(E_INVALID, "another error");
	assert_int_equal(err_remedy(&subject), REMEDY_NONE);
	assert_int_equal(subject, 0);
	err_set(E_REFUSED, "x");
	err_set_remedy(REMEDY_REASSESS, 42);
	err_prefix("request %d", 42);
	assert_int_equal(err_remedy(&subject), REMEDY_REASSESS);
	assert_int_equal(subject, 42);
	err_clear();
	assert_int_equal(err_remedy(NULL), REMEDY_NONE);
}

static void test_conflict_is_http_503(void **state)
{
	(void)state;
	assert_int_equal(err_http_status(E_CONFLICT), 503);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_commit_signs_checkpoint, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_conflict_retries_whole_body, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_conflict_retries_are_bounded, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_other_errors_not_retried, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_log_outside_unit_refused, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_no_unit_inside_a_unit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_roles, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_remedy, setup, teardown),
	    cmocka_unit_test(test_conflict_is_http_503),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
