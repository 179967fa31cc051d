/*
 * test_log_bounds.c - the entry bound of SPEC §6: journal_append() takes an
 * entry of exactly JOURNAL_MAX_ENTRY bytes, refuses one byte more and
 * writes nothing; event_log_list() splits a bulk record into entries that
 * each fit, in order, with "count", "part" and "parts", and tells each
 * item's entry.
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

#include "base/err.h"
#include "base/util.h"
#include "core/ledger/event.h"
#include "core/ledger/journal.h"
#include "store/store.h"
#include "store/txn.h"

#define AT "2026-03-02T10:00:00Z"

struct fixture {
	char dir[64];
	char path[256];
	struct store *st;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	if (tmpdir_make(f->dir, "bounds") < 0)
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
	int rc = tmpdir_remove(f->dir);
	free(f);
	return rc == 0 ? 0 : -1;
}

static uint64_t log_size(struct store *st)
{
	uint64_t n = 0;
	assert_int_equal(store_log_size(st, &n), 0);
	return n;
}

/* An event whose canonical form is exactly `len` bytes. */
static json_t *event_of_len(size_t len)
{
	/* {"actor":"a","at":"<20>","pad":"","type":"x"} around the padding */
	const size_t frame = strlen("{\"actor\":\"a\",\"at\":\"" AT "\",\"pad\":\"\","
				    "\"type\":\"x\"}");
	char *pad = xcalloc(1, len - frame + 1);
	memset(pad, 'p', len - frame);
	json_t *ev = json_pack("{s:s, s:s, s:s, s:s}", "type", "x", "at", AT, "actor", "a",
			       "pad", pad);
	free(pad);
	return ev;
}

static void test_append_bound(void **state)
{
	struct fixture *f = *state;
	char *bytes;
	size_t len;
	uint64_t idx;
	json_t *ok = event_of_len(JOURNAL_MAX_ENTRY), *big = event_of_len(JOURNAL_MAX_ENTRY + 1);
	assert_int_equal(journal_canonical(ok, &bytes, &len), 0);
	assert_int_equal(len, JOURNAL_MAX_ENTRY);
	free(bytes);

	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(journal_append(f->st, ok, &idx), 0);
	assert_int_equal(idx, 0);
	assert_int_equal(journal_append(f->st, big, &idx), -E_INVALID);
	assert_non_null(strstr(err_msg(), "65536 bytes"));
	assert_int_equal(log_size(f->st), 1);	/* nothing written */
	uint8_t h[32];
	assert_int_equal(store_log_get_hash(f->st, 0, 1, h), -E_NOTFOUND);
	store_rollback(f->st);
	json_decref(ok);
	json_decref(big);
}

static void test_list_split(void **state)
{
	struct fixture *f = *state;
	struct actor who = {"tester", 1772445600};
	enum { N = 2000 };
	uint64_t where[N], first = UINT64_MAX;
	struct buf entry;
	json_t *items = json_array();
	for (int i = 0; i < N; i++)
		json_array_append_new(
		    items, json_pack("{s:i, s:s}", "request", i + 1, "doc",
				     "sha256:0123456789abcdef0123456789abcdef0123456789abcdef01"
				     "23456789abcdef"));
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(event_log_list(f->st, &who, "request.import",
					json_pack("{s:s}", "file", "f"), "requests", items,
					where, &first),
			 0);
	uint64_t n = log_size(f->st);
	assert_int_equal(first, 0);
	assert_true(n >= 3); /* 2000 items of ~90 bytes */
	buf_init(&entry, JOURNAL_READ_MAX);
	int next = 1;
	for (uint64_t e = 0; e < n; e++) {
		assert_int_equal(store_log_get_entry(f->st, e, &entry), 0);
		assert_true(entry.len <= JOURNAL_MAX_ENTRY);
		json_t *ev = json_loadb(entry.ptr, entry.len, 0, NULL);
		json_t *list = json_object_get(ev, "requests");
		assert_string_equal(json_string_value(json_object_get(ev, "file")), "f");
		assert_int_equal(json_integer_value(json_object_get(ev, "count")),
				 json_array_size(list));
		assert_int_equal(json_integer_value(json_object_get(ev, "part")), e + 1);
		assert_int_equal(json_integer_value(json_object_get(ev, "parts")), n);
		for (size_t i = 0; i < json_array_size(list); i++, next++) {
			json_t *it = json_array_get(list, i);
			assert_int_equal(json_integer_value(json_object_get(it, "request")),
					 next);
			assert_int_equal(where[next - 1], e);
		}
		json_decref(ev);
	}
	assert_int_equal(next, N + 1);
	/* the fullest entry is close to the bound: the plan is not wasteful */
	assert_int_equal(store_log_get_entry(f->st, 0, &entry), 0);
	assert_true(entry.len > JOURNAL_MAX_ENTRY - 200);
	buf_release(&entry);
	store_rollback(f->st);
}

static void test_list_small_and_empty(void **state)
{
	struct fixture *f = *state;
	struct actor who = {"tester", 1772445600};
	struct buf entry;
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(event_log_list(f->st, &who, "customer.import", NULL, "ids",
					json_pack("[s,s]", "a", "b"), NULL, NULL),
			 0);
	assert_int_equal(event_log_list(f->st, &who, "customer.import", NULL, "ids",
					json_array(), NULL, NULL),
			 0);
	buf_init(&entry, JOURNAL_READ_MAX);
	assert_int_equal(store_log_get_entry(f->st, 0, &entry), 0);
	assert_string_equal(entry.ptr, "{\"actor\":\"tester\",\"at\":\"2026-03-02T10:00:00Z\","
				       "\"count\":2,\"ids\":[\"a\",\"b\"],\"type\":"
				       "\"customer.import\"}");
	assert_int_equal(store_log_get_entry(f->st, 1, &entry), 0);
	assert_non_null(strstr(entry.ptr, "\"count\":0,\"ids\":[]"));
	buf_release(&entry);
	store_rollback(f->st);
}

static void test_list_item_too_large(void **state)
{
	struct fixture *f = *state;
	struct actor who = {"tester", 1772445600};
	char *huge = xcalloc(1, JOURNAL_MAX_ENTRY);
	memset(huge, 'h', JOURNAL_MAX_ENTRY - 1);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(event_log_list(f->st, &who, "customer.import", NULL, "ids",
					json_pack("[s,s]", "a", huge), NULL, NULL),
			 -E_INVALID);
	assert_non_null(strstr(err_msg(), "item 2"));
	assert_int_equal(log_size(f->st), 0);
	store_rollback(f->st);
	free(huge);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_append_bound, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_list_split, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_list_small_and_empty, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_list_item_too_large, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
