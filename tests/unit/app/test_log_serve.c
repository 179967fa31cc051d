/*
 * test_log_serve.c - the log as tlog-tiles over a real store
 * (app_log_tile(), app_log_checkpoint() in app/journal.c): a log of 300
 * entries serves a full level 0 tile of its leaf hashes, a partial one of
 * 44, the level 1 tile whose one hash is the root of the first 256
 * entries, entry bundles whose entries hash to the level 0 tile, and
 * nothing beyond the latest signed checkpoint.
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

#include "app/journal.h"
#include "base/err.h"
#include "base/util.h"
#include "core/ledger/journal.h"
#include "log/signer.h"
#include "log/tile.h"
#include "store/store.h"
#include "store/txn.h"

#define ORIGIN "test.example/log"

struct fixture {
	char dir[64];
	char path[256];
	struct store *st;
	struct signer *key;
};

static void grow(struct fixture *f, int n, int sign)
{
	assert_int_equal(store_begin(f->st), 0);
	for (int i = 0; i < n; i++) {
		json_t *ev = json_pack("{s:s, s:s, s:s, s:i}", "type", "t", "at",
				       "2026-03-02T10:00:00Z", "actor", "a", "n", i);
		assert_int_equal(journal_append(f->st, ev, NULL), 0);
		json_decref(ev);
	}
	if (sign)
		assert_int_equal(journal_checkpoint(f->st, f->key, ORIGIN), 0);
	assert_int_equal(store_commit(f->st), 0);
}

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	if (tmpdir_make(f->dir, "serve") < 0)
		return -1;
	if (testdb_path(f->dir, f->path, sizeof(f->path)) < 0)
		return -1;
	if (store_open(f->path, STORE_CREATE, &f->st) < 0 || signer_new(ORIGIN, &f->key) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->st);
	signer_free(f->key);
	int rc = tmpdir_remove(f->dir);
	free(f);
	return rc == 0 ? 0 : -1;
}

static int get(struct fixture *f, const char *path, struct app_log_tile *t)
{
	return app_log_tile(f->st, path, strlen(path), t);
}

static void test_tiles(void **state)
{
	struct fixture *f = *state;
	struct app_log_tile t;
	struct merkle_hasher *h = merkle_hasher_new();
	struct buf e;
	uint8_t leaf[32], root[32];

	assert_int_equal(get(f, "0/000.p/1", &t), -E_NOTFOUND); /* no checkpoint yet */
	grow(f, 300, 1);
	grow(f, 20, 0); /* entries past the checkpoint are not served */

	assert_int_equal(get(f, "0/000", &t), 0);
	assert_false(t.entries);
	assert_true(t.full);
	assert_int_equal(t.body.len, 8192);
	buf_init(&e, JOURNAL_READ_MAX);
	for (uint64_t i = 0; i < 256; i += 51) {
		assert_int_equal(store_log_get_entry(f->st, i, &e), 0);
		assert_int_equal(merkle_leaf_hash(h, e.ptr, e.len, leaf), 0);
		assert_memory_equal(t.body.ptr + i * 32, leaf, 32);
	}
	buf_release(&t.body);

	assert_int_equal(get(f, "0/001.p/44", &t), 0);
	assert_false(t.full);
	assert_int_equal(t.body.len, 44 * 32);
	buf_release(&t.body);
	assert_int_equal(get(f, "0/001.p/45", &t), -E_NOTFOUND);
	assert_int_equal(get(f, "0/001", &t), -E_NOTFOUND);
	assert_int_equal(get(f, "0/002.p/1", &t), -E_NOTFOUND);

	assert_int_equal(get(f, "1/000.p/1", &t), 0);
	assert_int_equal(journal_root(f->st, 256, root), 0);
	assert_memory_equal(t.body.ptr, root, 32);
	buf_release(&t.body);

	/* an entry bundle: each entry hashes to the level 0 tile */
	struct app_log_tile hashes;
	assert_int_equal(get(f, "0/001.p/44", &hashes), 0);
	assert_int_equal(get(f, "entries/001.p/44", &t), 0);
	assert_true(t.entries);
	size_t off = 0, len, n = 0;
	const uint8_t *entry;
	while (tile_bundle_next((const uint8_t *)t.body.ptr, t.body.len, &off, &entry, &len) ==
	       1) {
		assert_int_equal(merkle_leaf_hash(h, entry, len, leaf), 0);
		assert_memory_equal(hashes.body.ptr + n * 32, leaf, 32);
		n++;
	}
	assert_int_equal(n, 44);
	buf_release(&t.body);
	buf_release(&hashes.body);

	assert_int_equal(get(f, "entries/000", &t), 0);
	assert_true(t.full);
	buf_release(&t.body);

	static const char *const bad[] = {"", "x", "0/0", "entries/1", "../../etc/passwd",
					  "0/000.p/0"};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(get(f, bad[i], &t), -E_NOTFOUND);

	/* the served checkpoint is the stored one (no witnesses here) */
	char *served, *stored;
	size_t slen;
	uint64_t size;
	assert_int_equal(app_log_checkpoint(f->st, &served, &slen), 0);
	assert_int_equal(store_checkpoint_latest(f->st, &size, &stored), 0);
	assert_int_equal(size, 300);
	assert_string_equal(served, stored);
	assert_int_equal(slen, strlen(stored));
	free(served);
	free(stored);
	buf_release(&e);
	merkle_hasher_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_tiles, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
