/*
 * test_perf_change_mark.c - the database's change marker (store.h,
 * store_change_mark): what the server's cache (http/cache.h) trusts to
 * tell it the database did not change.  Every committed write moves it,
 * seen from another connection too; reads and rolled-back writes do not.
 * Runs on both engines (pg/unit/test_perf_change_mark).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "tmpdir.h"

#include "base/err.h"
#include "base/util.h"
#include "store/store.h"
#include "store/txn.h"

struct fixture {
	char dir[64];
	char path[256];
	struct store *st;     /* the writer */
	struct store *other;  /* another connection: another process or server */
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	if (tmpdir_make(f->dir, "mark") < 0 || testdb_path(f->dir, f->path, sizeof(f->path)) < 0 ||
	    store_open(f->path, STORE_CREATE, &f->st) < 0 ||
	    store_open(f->path, STORE_OPEN_EXISTING, &f->other) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->other);
	store_close(f->st);
	if (tmpdir_remove(f->dir) < 0)
		return -1;
	free(f);
	return 0;
}

static struct store_mark mark_of(struct store *st)
{
	struct store_mark m = {0};
	assert_int_equal(store_change_mark(st, &m), 0);
	return m;
}

static int same(struct store_mark a, struct store_mark b)
{
	return a.n == b.n && a.tag == b.tag;
}

static void test_reads_keep_it(void **state)
{
	struct fixture *f = *state;
	struct store_mark m0 = mark_of(f->other);
	char *v = NULL;
	assert_int_equal(store_setting_get(f->st, "nothing.here", &v), -E_NOTFOUND);
	err_clear();
	uint64_t size;
	assert_int_equal(store_log_size(f->st, &size), 0);
	assert_true(same(m0, mark_of(f->other)));
	assert_true(same(m0, mark_of(f->st)));
}

static void test_a_transaction_moves_it_once(void **state)
{
	struct fixture *f = *state;
	struct store_mark m0 = mark_of(f->other);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_setting_set(f->st, "t.a", "1"), 0);
	assert_int_equal(store_setting_set(f->st, "t.b", "2"), 0);
	/* not before the commit, for anyone else */
	assert_true(same(m0, mark_of(f->other)));
	assert_int_equal(store_commit(f->st), 0);
	struct store_mark m1 = mark_of(f->other);
	assert_int_equal(m1.n, m0.n + 1);
	assert_false(same(m0, m1));

	/* each transaction that writes moves it again */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_setting_set(f->st, "t.a", "3"), 0);
	assert_int_equal(store_commit(f->st), 0);
	struct store_mark m2 = mark_of(f->other);
	assert_int_equal(m2.n, m1.n + 1);
	assert_true(m2.tag != m1.tag || m2.n != m1.n);
}

static void test_a_rollback_keeps_it(void **state)
{
	struct fixture *f = *state;
	struct store_mark m0 = mark_of(f->other);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_setting_set(f->st, "t.c", "1"), 0);
	store_rollback(f->st);
	assert_true(same(m0, mark_of(f->other)));
	assert_true(same(m0, mark_of(f->st)));
}

static void test_a_write_outside_a_transaction_moves_it(void **state)
{
	struct fixture *f = *state;
	struct store_mark m0 = mark_of(f->other);
	/* the sign-in failure counter is written outside any unit of work */
	assert_int_equal(store_signin_fail(f->st, "k", 1000, 900), 0);
	struct store_mark m1 = mark_of(f->other);
	assert_false(same(m0, m1));
	assert_true(m1.n > m0.n);
}

static void test_a_transaction_that_writes_nothing_keeps_it(void **state)
{
	struct fixture *f = *state;
	struct store_mark m0 = mark_of(f->other);
	char *v = NULL;
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_setting_get(f->st, "t.zzz", &v), -E_NOTFOUND);
	err_clear();
	assert_int_equal(store_commit(f->st), 0);
	assert_true(same(m0, mark_of(f->other)));
}

/* A database whose schema went past 0075 before the marker existed (its
 * table missing): opening it puts the table back, and writes work. */
static void test_a_database_without_it_gets_it(void **state)
{
	struct fixture *f = *state;
	if (testdb_is_pg())
		skip();
	store_close(f->other);
	store_close(f->st);
	f->other = f->st = NULL;
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE change_mark", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(f->path, STORE_OPEN_EXISTING, &f->st), 0);
	assert_int_equal(store_open(f->path, STORE_OPEN_EXISTING, &f->other), 0);
	struct store_mark m0 = mark_of(f->other);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_setting_set(f->st, "t.a", "1"), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(mark_of(f->other).n, m0.n + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reads_keep_it, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_transaction_moves_it_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_rollback_keeps_it, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_write_outside_a_transaction_moves_it, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_a_transaction_that_writes_nothing_keeps_it,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_database_without_it_gets_it, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
