/*
 * test_store.c - the store behind store.h, on SQLite and (DOCKET_TEST_ENGINE
 * =pg) on PostgreSQL: migrations, the unit of work (rollback discards
 * everything), pipelined inserts, and each table's round trip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tmpdir.h"

#include "base/err.h"
#include "base/util.h"
#include "store/store.h"
#include "store/txn.h"

struct fixture {
	char dir[64];
	char path[256];
	struct store *st;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	if (tmpdir_make(f->dir, "store") < 0)
		return -1;
	if (testdb_path(f->dir, f->path, sizeof(f->path)) < 0)
		return -1;
	if (store_open(f->path, STORE_CREATE, &f->st) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->st);
	if (tmpdir_remove(f->dir) < 0)
		return -1;
	free(f);
	return 0;
}

static const char *CUSTOMER =
	"{\"id\":\"c1\",\"name\":\"Alice\",\"type\":\"consumer\",\"country\":\"US\","
	"\"data_location\":\"IE\",\"us_person\":true,\"contact\":{\"email\":\"a@x.net\"},"
	"\"accounts\":[{\"type\":\"email\",\"value\":\"a@x.net\"},"
	"{\"type\":\"phone\",\"value\":\"+15550100\"}]}";

static void put_customer(struct store *st, const char *doc)
{
	struct customer c = {0};
	assert_int_equal(customer_parse(doc, strlen(doc), &c), 0);
	assert_int_equal(store_customer_put(st, &c), 0);
	customer_release(&c);
}

static void test_open_modes(void **state)
{
	struct fixture *f = *state;
	struct store *st = NULL;
	char missing[128];
	assert_true(store_schema_version(f->st) >= 1);
	assert_int_equal(store_open(f->path, STORE_CREATE, &st), -E_REFUSED);
	snprintf(missing, sizeof(missing), "%s/none.db", f->dir);
	assert_int_equal(store_open(missing, STORE_OPEN_EXISTING, &st), -E_NOTFOUND);
	assert_null(st);
	assert_int_equal(access(missing, F_OK), -1);
}

/* The name picks the engine; store_remove() takes the engine's own files
 * with the database and leaves others alone. */
static void test_engines_and_remove(void **state)
{
	struct fixture *f = *state;
	struct store *st = NULL;
	char other[128], side[128];
	assert_int_equal(store_exists(f->path), 1);
	/* a PostgreSQL URL goes to libpq; nothing listens on port 1, and the
	 * password never appears in the message */
	assert_int_equal(store_open("postgresql://u:pw@127.0.0.1:1/db", STORE_OPEN_EXISTING, &st),
			 -E_STORAGE);
	assert_null(st);
	assert_non_null(strstr(err_msg(), "PostgreSQL"));
	assert_null(strstr(err_msg(), "pw"));
	assert_int_equal(store_exists("postgres://127.0.0.1:1/db"), -E_STORAGE);
	store_close(f->st);
	f->st = NULL;
	if (testdb_is_pg()) {   /* the database's tables go, the database stays */
		store_remove(f->path);
		assert_int_equal(store_exists(f->path), 0);
		assert_int_equal(store_open(f->path, STORE_OPEN_EXISTING, &st), -E_NOTFOUND);
		return;
	}
	static const char *const engine_files[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < 4; i++) {
		snprintf(side, sizeof(side), "%s%s", f->path, engine_files[i]);
		FILE *fp = fopen(side, "a");
		assert_non_null(fp);
		fclose(fp);
	}
	snprintf(other, sizeof(other), "%s.key", f->path);
	FILE *fp = fopen(other, "w");
	assert_non_null(fp);
	fclose(fp);
	store_remove(f->path);
	for (size_t i = 0; i < 4; i++) {
		snprintf(side, sizeof(side), "%s%s", f->path, engine_files[i]);
		assert_int_equal(access(side, F_OK), -1);
	}
	assert_int_equal(access(other, F_OK), 0);   /* not the engine's */
	assert_int_equal(store_exists(f->path), 0);
}

static void test_settings_and_users(void **state)
{
	struct store *st = ((struct fixture *)*state)->st;
	char *v = NULL;
	unsigned roles = 0;
	assert_int_equal(store_setting_get(st, "x", &v), -E_NOTFOUND);
	assert_int_equal(store_setting_set(st, "x", "1"), 0);
	assert_int_equal(store_setting_set(st, "x", "2"), 0);
	assert_int_equal(store_setting_get(st, "x", &v), 0);
	assert_string_equal(v, "2");
	free(v);
	assert_int_equal(store_user_roles(st, "bob", &roles), -E_NOTFOUND);
	assert_int_equal(store_user_add(st, "bob", ROLE_BIT(ROLE_REVIEWER)), 0);
	assert_int_equal(store_user_roles(st, "bob", &roles), 0);
	assert_int_equal(roles, ROLE_BIT(ROLE_REVIEWER));
}

static void test_rollback_discards(void **state)
{
	struct store *st = ((struct fixture *)*state)->st;
	char *v = NULL;
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_begin(st), -E_INTERNAL);
	assert_int_equal(store_setting_set(st, "gone", "1"), 0);
	put_customer(st, CUSTOMER);
	store_rollback(st);
	assert_false(store_in_transaction(st));
	assert_int_equal(store_setting_get(st, "gone", &v), -E_NOTFOUND);
	int64_t n = -1;
	assert_int_equal(store_customer_count(st, &n), 0);
	assert_int_equal(n, 0);
}

struct many {
	int n;
	int64_t phone, email;
};

static int many_cb(void *ctx, enum target_type type, const char *value, int64_t account_id,
		   const char *customer_id)
{
	struct many *m = ctx;
	assert_string_equal(customer_id, "c1");
	if (type == TGT_PHONE) {
		assert_string_equal(value, "+15550100");
		m->phone = account_id;
	} else {
		assert_int_equal(type, TGT_EMAIL);
		assert_string_equal(value, "a@x.net");
		m->email = account_id;
	}
	m->n++;
	return 0;
}

static void test_customers_and_accounts(void **state)
{
	struct store *st = ((struct fixture *)*state)->st;
	put_customer(st, CUSTOMER);
	put_customer(st, CUSTOMER); /* re-import is idempotent */
	int64_t acc = 0, n = 0;
	char *cid = NULL;
	assert_int_equal(store_account_resolve(st, TGT_PHONE, "+15550100", &acc, &cid), 0);
	assert_true(acc > 0);
	assert_string_equal(cid, "c1");
	free(cid);
	assert_int_equal(store_account_resolve(st, TGT_EMAIL, "+15550100", &acc, &cid),
			 -E_NOTFOUND);
	assert_int_equal(store_account_count(st, &n), 0);
	assert_int_equal(n, 2);

	/* many at once: only those that name an account come back */
	enum target_type types[] = {TGT_PHONE, TGT_EMAIL, TGT_EMAIL, TGT_EMAIL};
	const char *values[] = {"+15550100", "+15550100", "a@x.net", "it's \"odd\""};
	struct many m = {0};
	assert_int_equal(store_account_resolve_many(st, 4, types, values, many_cb, &m), 0);
	assert_int_equal(m.n, 2);
	assert_int_equal(m.phone, acc);
	assert_true(m.email > 0 && m.email != acc);
	assert_int_equal(store_account_resolve_many(st, 0, types, values, many_cb, &m), 0);
	assert_int_equal(m.n, 2);

	const char *thief = "{\"id\":\"c2\",\"name\":\"B\",\"type\":\"consumer\",\"country\":"
			    "\"US\",\"contact\":{\"email\":\"b@x.net\"},\"accounts\":"
			    "[{\"type\":\"email\",\"value\":\"a@x.net\"}]}";
	struct customer c = {0};
	assert_int_equal(customer_parse(thief, strlen(thief), &c), 0);
	assert_int_equal(store_customer_put(st, &c), -E_INVALID);
	assert_non_null(strstr(err_msg(), "c1"));
	customer_release(&c);

	struct customer got = {0};
	assert_int_equal(store_customer_get(st, "c1", &got), 0);
	assert_string_equal(got.data_location, "IE");
	assert_int_equal(got.n_accounts, 2);
	customer_release(&got);
	assert_int_equal(store_customer_get(st, "nope", &got), -E_NOTFOUND);
}

static void add_request(struct store *st, const char *doc, enum state s, int64_t *id)
{
	struct request r = {0};
	assert_int_equal(request_parse(doc, strlen(doc), REQUEST_NEW, 1000, &r), 0);
	str_copy(r.country, sizeof(r.country), "US");
	r.state = s;
	struct request_meta meta = {.policy_json = "{\"action\":\"review\"}", .created_at = 5};
	assert_int_equal(store_request_insert(st, &r, &meta), 0);
	assert_true(r.id > 0);
	*id = r.id;
	assert_int_equal(store_request_insert(st, &r, &meta), -E_INTERNAL);
	r.id = 0;
	assert_int_equal(store_request_insert(st, &r, &meta), -E_INVALID); /* same ref */
	request_release(&r);
}

static int count_cb(void *ctx, const struct request *r)
{
	(void)r;
	(*(int *)ctx)++;
	return 0;
}

static struct request *new_request(const char *ref)
{
	struct request *r = xcalloc(1, sizeof(*r));
	char *doc = xasprintf("{\"ref\":\"%s\",\"agency\":\"us-x\",\"kind\":\"criminal\","
			      "\"process\":\"subpoena\",\"targets\":[{\"type\":\"email\","
			      "\"value\":\"a@x.net\"}],\"categories\":[\"subscriber\"]}",
			      ref);
	assert_int_equal(request_parse(doc, strlen(doc), REQUEST_NEW, 1000, r), 0);
	free(doc);
	str_copy(r->country, sizeof(r->country), "US");
	r->state = ST_IN_REVIEW;
	return r;
}

static void drop_request(struct request *r)
{
	request_release(r);
	free(r);
}

/* Pipelined inserts (store_pipeline): rows inserted without waiting are
 * seen by the next statement of the unit and kept by its commit. */
static void test_pipeline_keeps(void **state)
{
	struct store *st = ((struct fixture *)*state)->st;
	struct request_meta meta = {.policy_json = "{\"action\":\"review\"}", .created_at = 5};
	put_customer(st, CUSTOMER);
	assert_int_equal(store_begin(st), 0);
	store_pipeline(st);
	int64_t ids[3];
	for (int i = 0; i < 3; i++) {
		char ref[8];
		snprintf(ref, sizeof(ref), "P-%d", i);
		struct request *r = new_request(ref);
		assert_int_equal(store_request_insert(st, r, &meta), 0);
		ids[i] = r->id;
		struct history_entry h = {.at = 1, .actor = "a", .event = "received",
					  .from_state = -1, .to_state = ST_IN_REVIEW,
					  .log_index = (uint64_t)i};
		assert_int_equal(store_history_add(st, r->id, &h), 0);
		drop_request(r);
	}
	assert_true(ids[0] > 0 && ids[1] == ids[0] + 1 && ids[2] == ids[1] + 1);
	int64_t n = 0, found = 0;
	assert_int_equal(store_request_count(st, &n), 0);   /* sees the pipelined rows */
	assert_int_equal(n, 3);
	assert_int_equal(store_request_find_ref(st, "us-x", "US", "P-2", &found), 0);
	assert_int_equal(found, ids[2]);
	assert_int_equal(store_commit(st), 0);
	struct request got = {0};
	assert_int_equal(store_request_get(st, ids[1], &got, NULL), 0);
	assert_string_equal(got.ref, "P-1");
	assert_int_equal(got.n_targets, 1);
	assert_string_equal(got.targets[0].value, "a@x.net");
	request_release(&got);
}

/* A pipelined insert that fails (a second request with the same reference)
 * fails the unit - at once on SQLite, by the next statement or the commit
 * on PostgreSQL - and nothing of the unit is kept. */
static void test_pipeline_failure_discards(void **state)
{
	struct store *st = ((struct fixture *)*state)->st;
	struct request_meta meta = {.policy_json = "{\"action\":\"review\"}", .created_at = 5};
	for (int at_commit = 0; at_commit < 2; at_commit++) {
		assert_int_equal(store_begin(st), 0);
		store_pipeline(st);
		struct request *a = new_request("D-1"), *b = new_request("D-1");
		assert_int_equal(store_request_insert(st, a, &meta), 0);
		int rc = store_request_insert(st, b, &meta);
		if (testdb_is_pg()) {   /* pipelined: reported by what comes next */
			assert_int_equal(rc, 0);
			int64_t n = 0;
			rc = at_commit ? store_commit(st) : store_request_count(st, &n);
			assert_int_equal(rc, -E_INVALID);
			assert_non_null(strstr(err_msg(), "duplicate key"));
		} else {
			assert_int_equal(rc, -E_INVALID);
			assert_non_null(strstr(err_msg(), "already exists"));
		}
		store_rollback(st);
		assert_false(store_in_transaction(st));
		int64_t n = -1, found = 0;
		assert_int_equal(store_request_count(st, &n), 0);
		assert_int_equal(n, 0);
		assert_int_equal(store_request_find_ref(st, "us-x", "US", "D-1", &found), -E_NOTFOUND);
		drop_request(a);
		drop_request(b);
	}
	/* the connection is whole again: a later unit works */
	assert_int_equal(store_begin(st), 0);
	store_pipeline(st);
	struct request *c = new_request("D-2");
	assert_int_equal(store_request_insert(st, c, &meta), 0);
	assert_int_equal(store_commit(st), 0);
	int64_t n = 0;
	assert_int_equal(store_request_count(st, &n), 0);
	assert_int_equal(n, 1);
	drop_request(c);
}

static void test_requests(void **state)
{
	struct store *st = ((struct fixture *)*state)->st;
	int64_t id1, id2, found;
	put_customer(st, CUSTOMER);
	add_request(st, "{\"ref\":\"A-1\",\"agency\":\"us-x\",\"kind\":\"criminal\","
			"\"process\":\"subpoena\",\"received_at\":\"2026-01-05\",\"targets\":"
			"[{\"type\":\"email\",\"value\":\"a@x.net\"}],\"categories\":[\"subscriber\"]}",
		    ST_IN_REVIEW, &id1);
	add_request(st, "{\"ref\":\"A-2\",\"agency\":\"us-x\",\"kind\":\"civil\","
			"\"process\":\"civil_subpoena\",\"received_at\":\"2026-08-05\",\"targets\":[],"
			"\"categories\":[\"subscriber\"]}",
		    ST_VERIFYING, &id2);
	assert_int_equal(store_request_find_ref(st, "us-x", "US", "A-2", &found), 0);
	assert_int_equal(found, id2);
	assert_int_equal(store_request_find_ref(st, "us-y", "US", "A-2", &found), -E_NOTFOUND);

	struct request r = {0};
	char *pol = NULL;
	assert_int_equal(store_request_get(st, id1, &r, &pol), 0);
	assert_string_equal(r.ref, "A-1");
	assert_int_equal(r.state, ST_IN_REVIEW);
	assert_string_equal(pol, "{\"action\":\"review\"}");
	request_release(&r);
	free(pol);

	assert_int_equal(store_request_set_state(st, id1, ST_CLOSED, OUT_NO_DATA, 99, 1), 0);
	assert_int_equal(store_request_get(st, id1, &r, NULL), 0);
	assert_int_equal(r.state, ST_CLOSED);
	assert_int_equal(r.outcome, OUT_NO_DATA);
	request_release(&r);
	assert_int_equal(store_request_set_state(st, 999, ST_CLOSED, OUT_NONE, 0, 1), -E_NOTFOUND);
	assert_int_equal(store_request_get(st, 999, &r, NULL), -E_NOTFOUND);

	struct request_filter f;
	int n = 0;
	request_filter_init(&f);
	assert_int_equal(store_request_each(st, &f, count_cb, &n), 0);
	assert_int_equal(n, 2);
	f.kind = KIND_CIVIL;
	n = 0;
	assert_int_equal(store_request_each(st, &f, count_cb, &n), 0);
	assert_int_equal(n, 1);
	request_filter_init(&f);
	struct period p;
	assert_int_equal(period_parse("2026-H1", &p), 0);
	f.received_from = p.start;
	f.received_to = p.end;
	n = 0;
	assert_int_equal(store_request_each(st, &f, count_cb, &n), 0);
	assert_int_equal(n, 1);
	request_filter_init(&f);
	f.state = ST_VERIFYING;
	n = 0;
	assert_int_equal(store_request_each(st, &f, count_cb, &n), 0);
	assert_int_equal(n, 1);

	/* a deadline is open while the domain says the request is not
	 * finished: the store reads the column, not a list of states */
	assert_int_equal(store_deadline_add(st, id2, "requester_due", 5000), 0);
	assert_int_equal(store_request_get(st, id2, &r, NULL), 0);
	assert_int_equal(r.next_deadline, 5000);
	request_release(&r);
	assert_int_equal(store_request_set_state(st, id2, ST_VERIFYING, OUT_NONE, 0, 1), 0);
	assert_int_equal(store_request_get(st, id2, &r, NULL), 0);
	assert_int_equal(r.next_deadline, 0);
	request_release(&r);
	assert_int_equal(store_request_set_state(st, id2, ST_CLOSED, OUT_NONE, 0, 0), 0);
	assert_int_equal(store_request_get(st, id2, &r, NULL), 0);
	assert_int_equal(r.next_deadline, 5000);
	request_release(&r);
}

static int history_cb(void *ctx, const struct history_entry *h)
{
	int *n = ctx;
	assert_int_equal(h->log_index, (uint64_t)(7 + *n));
	(*n)++;
	return 0;
}

static void test_history(void **state)
{
	struct store *st = ((struct fixture *)*state)->st;
	int64_t id;
	add_request(st, "{\"ref\":\"H\",\"agency\":\"us-x\",\"kind\":\"criminal\",\"process\":"
			"\"subpoena\",\"targets\":[],\"categories\":[\"subscriber\"]}",
		    ST_IN_REVIEW, &id);
	struct history_entry h = {.at = 1, .actor = "a", .event = "received",
				  .from_state = -1, .to_state = ST_IN_REVIEW, .log_index = 7};
	assert_int_equal(store_history_add(st, id, &h), 0);
	h.from_state = ST_IN_REVIEW;
	h.to_state = ST_REJECTED;
	h.reason = "no";
	h.log_index = 8;
	assert_int_equal(store_history_add(st, id, &h), 0);
	int n = 0;
	assert_int_equal(store_history_each(st, id, history_cb, &n), 0);
	assert_int_equal(n, 2);
}

static int walk_cb(void *ctx, uint64_t index, const void *entry, size_t len)
{
	uint64_t *n = ctx;
	assert_int_equal(index, *n);
	assert_int_equal(len, 1);
	assert_int_equal(((const char *)entry)[0], 'a' + (int)index);
	(*n)++;
	return 0;
}

static void test_log_tables(void **state)
{
	struct store *st = ((struct fixture *)*state)->st;
	uint64_t size = 99;
	uint8_t h[32], got[32];
	struct buf b;
	buf_init(&b, 1024);
	assert_int_equal(store_log_size(st, &size), 0);
	assert_int_equal(size, 0);
	for (uint64_t i = 0; i < 3; i++) {
		char c = (char)('a' + i);
		assert_int_equal(store_log_put_entry(st, i, &c, 1), 0);
	}
	assert_int_equal(store_log_put_entry(st, 1, "z", 1), -E_INVALID);
	assert_int_equal(store_log_size(st, &size), 0);
	assert_int_equal(size, 3);
	assert_int_equal(store_log_get_entry(st, 2, &b), 0);
	assert_string_equal(b.ptr, "c");
	assert_int_equal(store_log_get_entry(st, 3, &b), -E_NOTFOUND);
	uint64_t n = 0;
	assert_int_equal(store_log_each_entry(st, 0, walk_cb, &n), 0);
	assert_int_equal(n, 3);

	memset(h, 0xab, sizeof(h));
	assert_int_equal(store_log_put_hash(st, 1, 0, h), 0);
	assert_int_equal(store_log_get_hash(st, 1, 0, got), 0);
	assert_memory_equal(h, got, 32);
	assert_int_equal(store_log_get_hash(st, 1, 1, got), -E_NOTFOUND);

	char *note = NULL;
	assert_int_equal(store_checkpoint_latest(st, &size, &note), -E_NOTFOUND);
	assert_int_equal(store_checkpoint_put(st, 1, "one"), 0);
	assert_int_equal(store_checkpoint_put(st, 3, "three"), 0);
	assert_int_equal(store_checkpoint_put(st, 3, "other"), -E_INVALID);
	assert_int_equal(store_checkpoint_latest(st, &size, &note), 0);
	assert_int_equal(size, 3);
	assert_string_equal(note, "three");
	free(note);
	assert_int_equal(store_checkpoint_get(st, 1, &note), 0);
	assert_string_equal(note, "one");
	free(note);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_engines_and_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_and_users, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_discards, setup, teardown),
		cmocka_unit_test_setup_teardown(test_customers_and_accounts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipeline_keeps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipeline_failure_discards, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_tables, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
