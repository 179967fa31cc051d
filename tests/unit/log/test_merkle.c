/*
 * test_merkle.c - log/merkle.c against the RFC 6962 test vectors and a naive
 * recursive implementation of RFC 9162's MTH, PATH and PROOF written
 * straight from the definitions (memoised so all sizes 1..300 stay fast).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "base/err.h"
#include "base/util.h"
#include "log/merkle.h"

#define N_NAIVE 300

static struct merkle_hasher *H;

/* --- an in-memory stored tree ------------------------------------------- */

struct mem_tree {
	uint8_t (*lv[64])[MERKLE_HASH_LEN];
	size_t cap[64];
	uint64_t size; /* leaves stored */
	size_t reads;
};

static int mem_get(void *ctx, unsigned level, uint64_t index,
		   uint8_t out[MERKLE_HASH_LEN])
{
	struct mem_tree *m = ctx;
	m->reads++;
	if (level >= 64 || index >= m->cap[level] || ((index + 1) << level) > m->size)
		return err_set(E_NOTFOUND, "no node %u/%llu", level,
			       (unsigned long long)index);
	memcpy(out, m->lv[level][index], MERKLE_HASH_LEN);
	return 0;
}

static void mem_put(struct mem_tree *m, const struct merkle_node *n)
{
	if (n->index >= m->cap[n->level]) {
		size_t old = m->cap[n->level];
		m->lv[n->level] = xgrow(m->lv[n->level], &m->cap[n->level], n->index + 1,
					MERKLE_HASH_LEN);
		memset(m->lv[n->level][old], 0,
		       (m->cap[n->level] - old) * MERKLE_HASH_LEN);
	}
	memcpy(m->lv[n->level][n->index], n->hash, MERKLE_HASH_LEN);
}

static void mem_free(struct mem_tree *m)
{
	for (int i = 0; i < 64; i++)
		free(m->lv[i]);
	memset(m, 0, sizeof(*m));
}

static struct merkle_tree tree_of(struct mem_tree *m)
{
	struct merkle_tree t = {mem_get, m, H};
	return t;
}

/* Append every leaf hash through merkle_append, checking it against the
 * frontier. */
static void mem_build(struct mem_tree *m, uint8_t (*leaves)[MERKLE_HASH_LEN], size_t n)
{
	struct merkle_tree t = tree_of(m);
	struct merkle_frontier f;
	merkle_frontier_init(&f);
	for (size_t i = 0; i < n; i++) {
		struct merkle_node a[MERKLE_MAX_APPEND], b[MERKLE_MAX_APPEND];
		size_t na, nb;
		assert_int_equal(merkle_append(&t, i, leaves[i], a, &na), 0);
		assert_int_equal(merkle_frontier_push(&f, H, leaves[i], b, &nb), 0);
		assert_int_equal(na, nb);
		assert_int_equal(na, 1 + (size_t)__builtin_ctzll(~(uint64_t)i));
		for (size_t j = 0; j < na; j++) {
			assert_int_equal(a[j].level, b[j].level);
			assert_int_equal(a[j].index, b[j].index);
			assert_memory_equal(a[j].hash, b[j].hash, MERKLE_HASH_LEN);
			mem_put(m, &a[j]);
		}
		m->size = i + 1;
	}
}

/* --- the naive reference, straight from RFC 9162 §2.1 ------------------- */

static uint8_t leafh[N_NAIVE][MERKLE_HASH_LEN];
static uint8_t memo[N_NAIVE + 1][N_NAIVE + 1][MERKLE_HASH_LEN];
static uint8_t have[N_NAIVE + 1][N_NAIVE + 1];

static size_t k_of(size_t n)
{
	size_t k = 1;
	while (k * 2 < n)
		k *= 2;
	return k;
}

static const uint8_t *mth(size_t lo, size_t hi)
{
	if (!have[lo][hi]) {
		if (hi - lo == 1) {
			memcpy(memo[lo][hi], leafh[lo], MERKLE_HASH_LEN);
		} else {
			size_t k = k_of(hi - lo);
			merkle_node_hash(H, mth(lo, lo + k), mth(lo + k, hi),
					 memo[lo][hi]);
		}
		have[lo][hi] = 1;
	}
	return memo[lo][hi];
}

static void naive_add(struct merkle_proof *p, const uint8_t *h)
{
	assert_true(p->len < MERKLE_MAX_PROOF);
	memcpy(p->hash[p->len++], h, MERKLE_HASH_LEN);
}

static void naive_path(size_t m, size_t lo, size_t hi, struct merkle_proof *p)
{
	if (hi - lo <= 1)
		return;
	size_t k = k_of(hi - lo);
	if (m < k) {
		naive_path(m, lo, lo + k, p);
		naive_add(p, mth(lo + k, hi));
	} else {
		naive_path(m - k, lo + k, hi, p);
		naive_add(p, mth(lo, lo + k));
	}
}

static void naive_subproof(size_t m, size_t lo, size_t hi, int b, struct merkle_proof *p)
{
	if (m == hi - lo) {
		if (!b)
			naive_add(p, mth(lo, hi));
		return;
	}
	size_t k = k_of(hi - lo);
	if (m <= k) {
		naive_subproof(m, lo, lo + k, b, p);
		naive_add(p, mth(lo + k, hi));
	} else {
		naive_subproof(m - k, lo + k, hi, 0, p);
		naive_add(p, mth(lo, lo + k));
	}
}

static void naive_leaves(void)
{
	for (size_t i = 0; i < N_NAIVE; i++) {
		char e[32];
		int n = snprintf(e, sizeof(e), "entry %zu", i);
		merkle_leaf_hash(H, e, (size_t)n, leafh[i]);
	}
}

/* --- RFC 6962 test vectors ----------------------------------------------- */

static void unhex(const char *s, uint8_t *out)
{
	for (size_t i = 0; s[2 * i]; i++) {
		unsigned v;
		sscanf(s + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
}

static const char *const vec_roots[] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

static void vec_tree(struct mem_tree *m)
{
	static const struct {
		const char *d;
		size_t n;
	} in[8] = {
	    {"", 0},
	    {"\x00", 1},
	    {"\x10", 1},
	    {"\x20\x21", 2},
	    {"\x30\x31", 2},
	    {"\x40\x41\x42\x43", 4},
	    {"\x50\x51\x52\x53\x54\x55\x56\x57", 8},
	    {"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f", 16},
	};
	uint8_t leaves[8][MERKLE_HASH_LEN];
	for (int i = 0; i < 8; i++)
		merkle_leaf_hash(H, in[i].d, in[i].n, leaves[i]);
	mem_build(m, leaves, 8);
}

static void expect_proof(const struct merkle_proof *p, const char *const *hex, size_t n)
{
	uint8_t want[MERKLE_HASH_LEN];
	assert_int_equal(p->len, n);
	for (size_t i = 0; i < n; i++) {
		unhex(hex[i], want);
		assert_memory_equal(p->hash[i], want, MERKLE_HASH_LEN);
	}
}

static void test_vectors_roots(void **state)
{
	(void)state;
	struct mem_tree m = {0};
	struct merkle_tree t = tree_of(&m);
	uint8_t root[MERKLE_HASH_LEN], want[MERKLE_HASH_LEN];
	vec_tree(&m);
	for (uint64_t n = 0; n <= 8; n++) {
		assert_int_equal(merkle_root(&t, n, root), 0);
		unhex(vec_roots[n], want);
		assert_memory_equal(root, want, MERKLE_HASH_LEN);
	}
	mem_free(&m);
}

static void test_vectors_proofs(void **state)
{
	(void)state;
	static const char *const path0[] = {
	    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"};
	static const char *const path5[] = {
	    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
	    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"};
	static const char *const cons3[] = {
	    "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
	    "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
	    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"};
	static const char *const cons6[] = {
	    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
	    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"};
	static const char *const cons4[] = {
	    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"};
	struct mem_tree m = {0};
	struct merkle_tree t = tree_of(&m);
	struct merkle_proof p;
	vec_tree(&m);
	assert_int_equal(merkle_inclusion_proof(&t, 0, 8, &p), 0);
	expect_proof(&p, path0, 3);
	assert_int_equal(merkle_inclusion_proof(&t, 5, 8, &p), 0);
	expect_proof(&p, path5, 3);
	assert_int_equal(merkle_inclusion_proof(&t, 0, 1, &p), 0);
	assert_int_equal(p.len, 0);
	assert_int_equal(merkle_consistency_proof(&t, 1, 8, &p), 0);
	expect_proof(&p, path0, 3);
	assert_int_equal(merkle_consistency_proof(&t, 3, 8, &p), 0);
	expect_proof(&p, cons3, 4);
	assert_int_equal(merkle_consistency_proof(&t, 6, 8, &p), 0);
	expect_proof(&p, cons6, 3);
	assert_int_equal(merkle_consistency_proof(&t, 4, 8, &p), 0);
	expect_proof(&p, cons4, 1);
	assert_int_equal(merkle_consistency_proof(&t, 8, 8, &p), 0);
	assert_int_equal(p.len, 0);
	mem_free(&m);
}

/* --- everything against the naive definitions ---------------------------- */

static void check_inclusion(const struct merkle_tree *t, uint64_t m, uint64_t n)
{
	struct merkle_proof got, want = {0};
	assert_int_equal(merkle_inclusion_proof(t, m, n, &got), 0);
	naive_path(m, 0, n, &want);
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.hash, want.hash, got.len * MERKLE_HASH_LEN);
	assert_int_equal(merkle_verify_inclusion(H, m, n, leafh[m], &got, mth(0, n)), 0);
}

static void check_consistency(const struct merkle_tree *t, uint64_t m, uint64_t n)
{
	struct merkle_proof got, want = {0};
	assert_int_equal(merkle_consistency_proof(t, m, n, &got), 0);
	naive_subproof(m, 0, n, 1, &want);
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.hash, want.hash, got.len * MERKLE_HASH_LEN);
	assert_int_equal(merkle_verify_consistency(H, m, n, mth(0, m), mth(0, n), &got),
			 0);
}

static void test_all_sizes(void **state)
{
	(void)state;
	struct mem_tree m = {0};
	struct merkle_tree t = tree_of(&m);
	uint8_t root[MERKLE_HASH_LEN];
	mem_build(&m, leafh, N_NAIVE);
	for (uint64_t n = 1; n <= N_NAIVE; n++) {
		assert_int_equal(merkle_root(&t, n, root), 0);
		assert_memory_equal(root, mth(0, n), MERKLE_HASH_LEN);
		for (uint64_t i = 0; i < n; i++)
			check_inclusion(&t, i, n);
		for (uint64_t o = 1; o <= n; o++)
			check_consistency(&t, o, n);
	}
	mem_free(&m);
}

static void test_frontier_roots(void **state)
{
	(void)state;
	struct merkle_frontier f;
	struct merkle_node nodes[MERKLE_MAX_APPEND];
	uint8_t root[MERKLE_HASH_LEN], empty[MERKLE_HASH_LEN];
	size_t count;
	merkle_frontier_init(&f);
	assert_int_equal(merkle_frontier_root(&f, H, root), 0);
	unhex(vec_roots[0], empty);
	assert_memory_equal(root, empty, MERKLE_HASH_LEN);
	for (size_t n = 0; n < N_NAIVE; n++) {
		assert_int_equal(merkle_frontier_push(&f, H, leafh[n], nodes, &count), 0);
		assert_int_equal(merkle_frontier_root(&f, H, root), 0);
		assert_memory_equal(root, mth(0, n + 1), MERKLE_HASH_LEN);
	}
}

/* --- tampering ------------------------------------------------------------ */

static void test_tampered_inclusion(void **state)
{
	(void)state;
	struct mem_tree m = {0};
	struct merkle_tree t = tree_of(&m);
	struct merkle_proof p, q;
	const uint64_t n = 257, i = 100;
	mem_build(&m, leafh, n);
	assert_int_equal(merkle_inclusion_proof(&t, i, n, &p), 0);
	for (size_t k = 0; k < p.len; k++) {
		q = p;
		q.hash[k][k % MERKLE_HASH_LEN] ^= 0x01;
		assert_int_equal(
		    merkle_verify_inclusion(H, i, n, leafh[i], &q, mth(0, n)),
		    -E_INVALID);
	}
	assert_int_equal(merkle_verify_inclusion(H, i, n, leafh[i + 1], &p, mth(0, n)),
			 -E_INVALID);
	assert_int_equal(merkle_verify_inclusion(H, i + 1, n, leafh[i], &p, mth(0, n)),
			 -E_INVALID);
	assert_int_equal(merkle_verify_inclusion(H, i, n - 1, leafh[i], &p, mth(0, n)),
			 -E_INVALID);
	assert_int_equal(merkle_verify_inclusion(H, i, n, leafh[i], &p, mth(0, n - 1)),
			 -E_INVALID);
	assert_int_equal(merkle_verify_inclusion(H, n, n, leafh[i], &p, mth(0, n)),
			 -E_INVALID);
	q = p;
	q.len--;
	assert_int_equal(merkle_verify_inclusion(H, i, n, leafh[i], &q, mth(0, n)),
			 -E_INVALID);
	q = p;
	memcpy(q.hash[q.len++], leafh[0], MERKLE_HASH_LEN);
	assert_int_equal(merkle_verify_inclusion(H, i, n, leafh[i], &q, mth(0, n)),
			 -E_INVALID);
	mem_free(&m);
}

static void test_tampered_consistency(void **state)
{
	(void)state;
	struct mem_tree m = {0};
	struct merkle_tree t = tree_of(&m);
	struct merkle_proof p, q;
	const uint64_t o = 100, n = 257;
	mem_build(&m, leafh, n);
	assert_int_equal(merkle_consistency_proof(&t, o, n, &p), 0);
	for (size_t k = 0; k < p.len; k++) {
		q = p;
		q.hash[k][0] ^= 0x80;
		assert_int_equal(
		    merkle_verify_consistency(H, o, n, mth(0, o), mth(0, n), &q),
		    -E_INVALID);
	}
	assert_int_equal(merkle_verify_consistency(H, o, n, mth(0, o + 1), mth(0, n), &p),
			 -E_INVALID);
	assert_int_equal(merkle_verify_consistency(H, o, n, mth(0, o), mth(0, n - 1), &p),
			 -E_INVALID);
	assert_int_equal(merkle_verify_consistency(H, o + 1, n, mth(0, o), mth(0, n), &p),
			 -E_INVALID);
	q = p;
	q.len = 0;
	assert_int_equal(merkle_verify_consistency(H, o, n, mth(0, o), mth(0, n), &q),
			 -E_INVALID);
	q = p;
	memcpy(q.hash[q.len++], leafh[0], MERKLE_HASH_LEN);
	assert_int_equal(merkle_verify_consistency(H, o, n, mth(0, o), mth(0, n), &q),
			 -E_INVALID);
	/* trivial cases */
	q.len = 0;
	assert_int_equal(merkle_verify_consistency(H, 0, n, mth(0, o), mth(0, n), &q), 0);
	assert_int_equal(merkle_verify_consistency(H, n, n, mth(0, n), mth(0, n), &q), 0);
	assert_int_equal(merkle_verify_consistency(H, n, n, mth(0, o), mth(0, n), &q),
			 -E_INVALID);
	assert_int_equal(merkle_verify_consistency(H, n, o, mth(0, n), mth(0, o), &q),
			 -E_INVALID);
	mem_free(&m);
}

static void test_bad_requests(void **state)
{
	(void)state;
	struct mem_tree m = {0};
	struct merkle_tree t = tree_of(&m);
	struct merkle_proof p;
	mem_build(&m, leafh, 10);
	assert_int_equal(merkle_inclusion_proof(&t, 10, 10, &p), -E_INVALID);
	assert_int_equal(merkle_inclusion_proof(&t, 0, 0, &p), -E_INVALID);
	assert_int_equal(merkle_consistency_proof(&t, 0, 10, &p), -E_INVALID);
	assert_int_equal(merkle_consistency_proof(&t, 11, 10, &p), -E_INVALID);
	/* a node the store does not have is reported, not invented */
	assert_int_equal(merkle_inclusion_proof(&t, 0, 12, &p), -E_NOTFOUND);
	mem_free(&m);
}

/* --- O(log n) reads on huge trees, without storing them ------------------ */

static int fake_get(void *ctx, unsigned level, uint64_t index,
		    uint8_t out[MERKLE_HASH_LEN])
{
	size_t *reads = ctx;
	(*reads)++;
	memset(out, 0, MERKLE_HASH_LEN);
	memcpy(out, &level, sizeof(level));
	memcpy(out + 8, &index, sizeof(index));
	return 0;
}

static void test_read_bounds(void **state)
{
	(void)state;
	static const uint64_t sizes[] = {2,
					 3,
					 1000,
					 1 << 20,
					 (1 << 20) + 1,
					 10000000,
					 ((uint64_t)1 << 62) + 12345,
					 MERKLE_MAX_SIZE - 1};
	size_t reads = 0;
	struct merkle_tree t = {fake_get, &reads, H};
	struct merkle_proof p;
	struct merkle_node nodes[MERKLE_MAX_APPEND];
	uint8_t root[MERKLE_HASH_LEN];
	size_t count;
	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		uint64_t n = sizes[s];
		uint64_t probes[] = {0, 1 % n, n / 3, n / 2, n - 2, n - 1};
		for (size_t j = 0; j < ARRAY_SIZE(probes); j++) {
			reads = 0;
			assert_int_equal(merkle_inclusion_proof(&t, probes[j], n, &p), 0);
			assert_true(reads <= 2 * 64);
			assert_true(p.len <= 63);
			if (probes[j] == 0)
				continue;
			reads = 0;
			assert_int_equal(merkle_consistency_proof(&t, probes[j], n, &p),
					 0);
			assert_true(reads <= 2 * 64);
		}
		reads = 0;
		assert_int_equal(merkle_root(&t, n, root), 0);
		assert_true(reads <= 64);
		reads = 0;
		assert_int_equal(merkle_append(&t, n - 1, root, nodes, &count), 0);
		assert_int_equal(reads, count - 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vectors_roots),
	    cmocka_unit_test(test_vectors_proofs),
	    cmocka_unit_test(test_all_sizes),
	    cmocka_unit_test(test_frontier_roots),
	    cmocka_unit_test(test_tampered_inclusion),
	    cmocka_unit_test(test_tampered_consistency),
	    cmocka_unit_test(test_bad_requests),
	    cmocka_unit_test(test_read_bounds),
	};
	H = merkle_hasher_new();
	naive_leaves();
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	merkle_hasher_free(H);
	return rc;
}
