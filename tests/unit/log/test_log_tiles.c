/*
 * test_log_tiles.c - log/tile.c: C2SP tlog-tiles paths (every form the
 * spec gives, and each way a path can be wrong), which tiles a tree has,
 * hash tile contents and entry bundles.
 *
 * The SHA-256 digests of tile contents below were computed independently
 * (Python's hashlib over RFC 6962 MTH written from the RFC) for a log of
 * 70,000 entries "entry 0", "entry 1", ...; the tree here is built with
 * merkle_frontier_push() into in-memory arrays, one per level.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/err.h"
#include "base/util.h"
#include "log/merkle.h"
#include "log/tile.h"

#define N_LEAVES 70000

/* --- paths ------------------------------------------------------------------ */

static void expect_path(struct tile t, const char *path)
{
	char out[TILE_PATH_MAX];
	struct tile back;
	assert_int_equal(tile_path_format(&t, out), 0);
	assert_string_equal(out, path);
	assert_int_equal(tile_path_parse(path, strlen(path), &back), 0);
	assert_int_equal(back.entries, t.entries);
	assert_int_equal(back.level, t.level);
	assert_int_equal(back.index, t.index);
	assert_int_equal(back.width, t.width);
}

static void test_paths(void **state)
{
	(void)state;
	expect_path((struct tile){0, 0, 0, 256}, "0/000");
	expect_path((struct tile){0, 0, 1234067, 256}, "0/x001/x234/067");
	expect_path((struct tile){0, 2, 1000, 256}, "2/x001/000");
	expect_path((struct tile){0, 1, 5, 17}, "1/005.p/17");
	expect_path((struct tile){0, 63, 999, 255}, "63/999.p/255");
	expect_path((struct tile){1, 0, 273, 112}, "entries/273.p/112");
	expect_path((struct tile){1, 0, 1000000, 1}, "entries/x001/x000/000.p/1");
	expect_path((struct tile){0, 0, UINT64_MAX, 256},
		    "0/x018/x446/x744/x073/x709/x551/615");
}

static void test_bad_paths(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "", "0", "0/", "/000", "00/000", "01/000", "64/000", "-1/000", "1a/000",
	    "0/00", "0/0000", "0/x000/001", "0/x001", "0/x01/000", "0/001/",
	    "0/x1000/000", "0/000.p/0", "0/000.p/256", "0/000.p/01", "0/000.p/",
	    "0/000.p", "0/000.p/1x", "0/000.p/1/", "0/000/.p/1", "0/.p/1",
	    "entries", "entries/", "entries/0", "Entries/000", "entries/000.p/300",
	    "0/x018/x446/x744/x073/x709/x551/616", "0/x999/x999/x999/x999/x999/x999/x999/999",
	    "0/000 ", " 0/000", "0//000", "0/000?x", "1/2/3",
	};
	struct tile t;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		if (tile_path_parse(bad[i], strlen(bad[i]), &t) != -E_INVALID)
			fail_msg("accepted '%s'", bad[i]);
	}
	assert_int_equal(tile_path_parse("0/000\0", 6, &t), -E_INVALID);
	char out[TILE_PATH_MAX];
	assert_int_equal(tile_path_format(&(struct tile){0, 0, 0, 0}, out), -E_INVALID);
	assert_int_equal(tile_path_format(&(struct tile){0, 64, 0, 256}, out), -E_INVALID);
	assert_int_equal(tile_path_format(&(struct tile){0, 0, 0, 257}, out), -E_INVALID);
}

/* --- which tiles a tree has ------------------------------------------------- */

static void expect_at(unsigned level, uint64_t index, int entries, uint64_t size,
		      unsigned width)
{
	struct tile t;
	if (width == 0) {
		assert_int_equal(tile_at(level, index, entries, size, &t), -E_NOTFOUND);
		return;
	}
	assert_int_equal(tile_at(level, index, entries, size, &t), 0);
	assert_int_equal(t.width, width);
	assert_int_equal(tile_available(&t, size), 0);
	if (width < TILE_WIDTH) { /* one wider does not exist yet */
		t.width++;
		assert_int_equal(tile_available(&t, size), -E_NOTFOUND);
	}
}

static void test_tiles_of_tree(void **state)
{
	(void)state;
	/* the spec's example: 273 full level 0 tiles, a partial of width 112,
	 * one full level 1 tile, a partial level 1 tile of 17, level 2 of 1 */
	expect_at(0, 0, 0, 70000, 256);
	expect_at(0, 272, 0, 70000, 256);
	expect_at(0, 273, 0, 70000, 112);
	expect_at(0, 274, 0, 70000, 0);
	expect_at(0, 273, 1, 70000, 112);
	expect_at(1, 0, 0, 70000, 256);
	expect_at(1, 1, 0, 70000, 17);
	expect_at(2, 0, 0, 70000, 1);
	expect_at(3, 0, 0, 70000, 0);
	/* size 256: a full level 0 tile and a level 1 tile of width 1 */
	expect_at(0, 0, 0, 256, 256);
	expect_at(0, 1, 0, 256, 0);
	expect_at(1, 0, 0, 256, 1);
	expect_at(0, 0, 0, 0, 0);   /* empty tiles do not exist */
	expect_at(0, 0, 1, 1, 1);
	expect_at(63, 0, 0, (uint64_t)1 << 62, 0);
	expect_at(7, 0, 0, (uint64_t)1 << 62, 64);
	/* a narrower partial tile of an existing one is still available */
	struct tile t = {0, 0, 273, 5};
	assert_int_equal(tile_available(&t, 70000), 0);
	t = (struct tile){0, 0, UINT64_MAX, 1};
	assert_int_equal(tile_available(&t, 70000), -E_NOTFOUND);
}

/* --- contents --------------------------------------------------------------- */

struct mem_tree {
	uint8_t (*level[64])[MERKLE_HASH_LEN];
	uint64_t count[64];
};

static int mem_get(void *ctx, unsigned level, uint64_t index, uint8_t out[MERKLE_HASH_LEN])
{
	struct mem_tree *m = ctx;
	if (level >= 64 || index >= m->count[level])
		return err_set(E_NOTFOUND, "no node");
	memcpy(out, m->level[level][index], MERKLE_HASH_LEN);
	return 0;
}

static int entry_get(void *ctx, uint64_t index, struct buf *out)
{
	(void)ctx;
	buf_reset(out);
	return buf_addf(out, "entry %llu", (unsigned long long)index);
}

static struct mem_tree *build(uint64_t n, struct merkle_hasher *h)
{
	struct mem_tree *m = xcalloc(1, sizeof(*m));
	struct merkle_frontier f;
	struct merkle_node nodes[MERKLE_MAX_APPEND];
	char e[32];
	size_t count;
	for (unsigned l = 0; l < 64; l++)
		m->level[l] = xcalloc((n >> l) + 1, MERKLE_HASH_LEN);
	merkle_frontier_init(&f);
	for (uint64_t i = 0; i < n; i++) {
		uint8_t leaf[MERKLE_HASH_LEN];
		int len = snprintf(e, sizeof(e), "entry %llu", (unsigned long long)i);
		assert_int_equal(merkle_leaf_hash(h, e, (size_t)len, leaf), 0);
		assert_int_equal(merkle_frontier_push(&f, h, leaf, nodes, &count), 0);
		for (size_t k = 0; k < count; k++) {
			assert_int_equal(nodes[k].index, m->count[nodes[k].level]);
			memcpy(m->level[nodes[k].level][m->count[nodes[k].level]++],
			       nodes[k].hash, MERKLE_HASH_LEN);
		}
	}
	return m;
}

static void free_tree(struct mem_tree *m)
{
	for (unsigned l = 0; l < 64; l++)
		free(m->level[l]);
	free(m);
}

static void expect_tile_digest(struct mem_tree *m, struct merkle_hasher *h, const char *path,
			       const char *hex)
{
	static uint8_t data[TILE_WIDTH * MERKLE_HASH_LEN];
	struct tile t;
	uint8_t d[MERKLE_HASH_LEN];
	char got[2 * MERKLE_HASH_LEN + 1];
	assert_int_equal(tile_path_parse(path, strlen(path), &t), 0);
	assert_int_equal(tile_hashes(&t, N_LEAVES, mem_get, m, data), 0);
	assert_int_equal(merkle_sha256(h, data, (size_t)t.width * MERKLE_HASH_LEN, d), 0);
	for (int i = 0; i < MERKLE_HASH_LEN; i++)
		snprintf(got + 2 * i, 3, "%02x", d[i]);
	if (strcmp(got, hex) != 0)
		fail_msg("tile %s: sha256 %s, wanted %s", path, got, hex);
}

static void test_hash_tiles(void **state)
{
	(void)state;
	struct merkle_hasher *h = merkle_hasher_new();
	struct mem_tree *m = build(N_LEAVES, h);
	expect_tile_digest(m, h, "0/000",
			   "b0f6ca2ff42508faf8c6bb4ea8bb9c74243b19d4174fdc4fd17bdad9099e605e");
	expect_tile_digest(m, h, "0/273.p/112",
			   "e31da4e768fc0d0f1f1f0046a1c4b68d71326b04a07951a7d3dcefef0de9b8cd");
	expect_tile_digest(m, h, "1/000",
			   "44f879be76da41edaf37c0d67303fbd25f2ea44be93285b320561fbaaaaabbfa");
	expect_tile_digest(m, h, "1/001.p/17",
			   "5a8eb2fe63c90ddf7fd813d165c04fa79d6eca48534b61bd312fcd2d1cf0aef3");
	expect_tile_digest(m, h, "2/000.p/1",
			   "7e27fb89709243536fe26030f273fc9f7a73443f5e7ec296b3053aa520623e76");

	/* each hash of a level 1 tile is the root of the full level 0 tile
	 * below it: what a client checks */
	static uint8_t up[TILE_WIDTH * MERKLE_HASH_LEN], down[TILE_WIDTH * MERKLE_HASH_LEN];
	struct tile t1 = {0, 1, 0, 256};
	assert_int_equal(tile_hashes(&t1, N_LEAVES, mem_get, m, up), 0);
	for (unsigned i = 0; i < 256; i += 85) {
		struct tile t0 = {0, 0, i, 256};
		uint8_t level[TILE_WIDTH][MERKLE_HASH_LEN];
		assert_int_equal(tile_hashes(&t0, N_LEAVES, mem_get, m, down), 0);
		memcpy(level, down, sizeof(level));
		for (unsigned w = TILE_WIDTH; w > 1; w /= 2)
			for (unsigned k = 0; k < w / 2; k++)
				assert_int_equal(
				    merkle_node_hash(h, level[2 * k], level[2 * k + 1], level[k]),
				    0);
		assert_memory_equal(level[0], up + (size_t)i * MERKLE_HASH_LEN,
				    MERKLE_HASH_LEN);
	}

	/* tiles the tree does not have; a reader's error passes through */
	struct tile none[] = {{0, 0, 273, 256}, {0, 1, 1, 18}, {0, 3, 0, 1}, {0, 0, 274, 1}};
	for (size_t i = 0; i < ARRAY_SIZE(none); i++)
		assert_int_equal(tile_hashes(&none[i], N_LEAVES, mem_get, m, up), -E_NOTFOUND);
	struct tile beyond = {0, 0, 0, 256};
	assert_int_equal(tile_hashes(&beyond, 100000, mem_get, m, up), 0);
	beyond.index = 300;
	assert_int_equal(tile_hashes(&beyond, 100000, mem_get, m, up), -E_NOTFOUND);
	struct tile bundle = {1, 0, 0, 256};
	assert_int_equal(tile_hashes(&bundle, N_LEAVES, mem_get, m, up), -E_INVALID);
	free_tree(m);
	merkle_hasher_free(h);
}

static void test_bundles(void **state)
{
	(void)state;
	struct buf b;
	struct tile t;
	buf_init(&b, 1 << 20);
	assert_int_equal(tile_path_parse("entries/273.p/3", 15, &t), 0);
	assert_int_equal(tile_bundle(&t, N_LEAVES, entry_get, NULL, &b), 0);
	static const char want[] = "\x00\x0b" "entry 69888" "\x00\x0b" "entry 69889"
				   "\x00\x0b" "entry 69890";
	assert_int_equal(b.len, sizeof(want) - 1);
	assert_memory_equal(b.ptr, want, sizeof(want) - 1);

	/* walking it back */
	size_t off = 0, len, n = 0;
	const uint8_t *e;
	int rc;
	while ((rc = tile_bundle_next((const uint8_t *)b.ptr, b.len, &off, &e, &len)) == 1) {
		char expect[32];
		snprintf(expect, sizeof(expect), "entry %zu", 69888 + n++);
		assert_int_equal(len, strlen(expect));
		assert_memory_equal(e, expect, len);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(n, 3);
	off = 0;
	assert_int_equal(tile_bundle_next((const uint8_t *)b.ptr, b.len - 1, &off, &e, &len), 1);
	assert_int_equal(tile_bundle_next((const uint8_t *)b.ptr, b.len - 1, &off, &e, &len), 1);
	assert_int_equal(tile_bundle_next((const uint8_t *)b.ptr, b.len - 1, &off, &e, &len),
			 -E_INVALID);
	off = 0;
	assert_int_equal(tile_bundle_next((const uint8_t *)"\x00", 1, &off, &e, &len), -E_INVALID);

	/* a full bundle, a bundle the tree does not have, a hash tile */
	buf_reset(&b);
	t = (struct tile){1, 0, 0, 256};
	assert_int_equal(tile_bundle(&t, N_LEAVES, entry_get, NULL, &b), 0);
	assert_int_equal(b.len, 2 * 256 + 10 * 7 + 90 * 8 + 156 * 9);
	t.index = 274;
	assert_int_equal(tile_bundle(&t, N_LEAVES, entry_get, NULL, &b), -E_NOTFOUND);
	t = (struct tile){0, 0, 0, 256};
	assert_int_equal(tile_bundle(&t, N_LEAVES, entry_get, NULL, &b), -E_INVALID);

	/* the largest entry fits, one byte more does not */
	char *big = xcalloc(1, 65536);
	buf_release(&b);
	buf_init(&b, 1 << 20);
	assert_int_equal(tile_bundle_add(&b, big, 65535), 0);
	assert_int_equal((uint8_t)b.ptr[0], 0xff);
	assert_int_equal((uint8_t)b.ptr[1], 0xff);
	assert_int_equal(tile_bundle_add(&b, big, 65536), -E_INVALID);
	assert_int_equal(b.len, 65537);
	free(big);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_paths),
	    cmocka_unit_test(test_bad_paths),
	    cmocka_unit_test(test_tiles_of_tree),
	    cmocka_unit_test(test_hash_tiles),
	    cmocka_unit_test(test_bundles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
