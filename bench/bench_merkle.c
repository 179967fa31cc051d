/*
 * bench_merkle.c - how fast the log's Merkle tree is, as ratios against raw
 * SHA-256 of the same inputs measured in the same run (the machines are
 * noisy; ratios travel, absolute numbers do not).
 *
 *	bench_merkle [--quick] [-n LEAVES] [-s ENTRY_BYTES] [--store ENTRIES]
 *
 * Without -n it runs 1M and 10M leaves and 100k entries through the store;
 * --quick runs 100k leaves and 10k entries (bench/run.sh with
 * BENCH_QUICK=1).  For each size: the raw cost of SHA-256 over every entry
 * (one reused EVP context, as the tree uses), then building the tree through
 * merkle_append() into an in-memory hash array (the stand-in for the store:
 * level l is an array of n >> l hashes), then verifying it the way
 * `docket log verify` does (rehash every entry, rebuild every node with a
 * frontier, compare with the stored ones), then inclusion and consistency
 * proof latency at that size.  --store also appends ENTRIES events to a real
 * SQLite store through journal_append() in one transaction and runs
 * journal_verify() over them.  Each section ends with its ratio lines; peak
 * RSS is printed at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "base/err.h"
#include "base/util.h"
#include "core/ledger/journal.h"
#include "log/merkle.h"
#include "log/signer.h"
#include "store/store.h"
#include "store/txn.h"

#define PROOFS 20000

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "bench_merkle: %s: %s\n", what, err_msg());
	exit(1);
}

/* Entry i: `size` bytes, distinct per index, cheap to make. */
static void make_entry(uint64_t i, unsigned char *e, size_t size)
{
	memset(e, 'a' + (int)(i % 26), size);
	memcpy(e, &i, sizeof(i) < size ? sizeof(i) : size);
}

/* --- the in-memory store ----------------------------------------------- */

struct mem {
	uint8_t (*lv[64])[MERKLE_HASH_LEN];
	uint64_t len[64];
};

static void mem_init(struct mem *m, uint64_t n)
{
	memset(m, 0, sizeof(*m));
	for (unsigned l = 0; l < 64 && (n >> l); l++) {
		m->len[l] = n >> l;
		m->lv[l] = xmalloc(m->len[l] * MERKLE_HASH_LEN);
	}
}

static void mem_free(struct mem *m)
{
	for (unsigned l = 0; l < 64; l++)
		free(m->lv[l]);
}

static int mem_get(void *ctx, unsigned level, uint64_t index,
		   uint8_t out[MERKLE_HASH_LEN])
{
	struct mem *m = ctx;
	if (level >= 64 || index >= m->len[level])
		return err_set(E_NOTFOUND, "no node %u/%llu", level,
			       (unsigned long long)index);
	memcpy(out, m->lv[level][index], MERKLE_HASH_LEN);
	return 0;
}

/* --- the measurements -------------------------------------------------------- */

static volatile unsigned char sink; /* keeps the reference loop */

static double raw_sha256(uint64_t n, size_t esize)
{
	EVP_MD *md = EVP_MD_fetch(NULL, "SHA256", NULL);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char *e = xmalloc(esize), out[32];
	unsigned int len;
	double t = now();
	for (uint64_t i = 0; i < n; i++) {
		make_entry(i, e, esize);
		EVP_DigestInit_ex(ctx, md, NULL);
		EVP_DigestUpdate(ctx, e, esize);
		EVP_DigestFinal_ex(ctx, out, &len);
		sink ^= out[0];
	}
	t = now() - t;
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(md);
	free(e);
	return t;
}

static double build(struct mem *m, struct merkle_hasher *h, uint64_t n, size_t esize)
{
	struct merkle_tree t = {mem_get, m, h};
	struct merkle_node nodes[MERKLE_MAX_APPEND];
	unsigned char *e = xmalloc(esize);
	uint8_t leaf[MERKLE_HASH_LEN];
	size_t count;
	double t0 = now();
	for (uint64_t i = 0; i < n; i++) {
		make_entry(i, e, esize);
		if (merkle_leaf_hash(h, e, esize, leaf) < 0 ||
		    merkle_append(&t, i, leaf, nodes, &count) < 0)
			die("build");
		for (size_t k = 0; k < count; k++)
			memcpy(m->lv[nodes[k].level][nodes[k].index], nodes[k].hash,
			       MERKLE_HASH_LEN);
	}
	t0 = now() - t0;
	free(e);
	return t0;
}

static double verify(struct mem *m, struct merkle_hasher *h, uint64_t n, size_t esize)
{
	struct merkle_frontier f;
	struct merkle_node nodes[MERKLE_MAX_APPEND];
	unsigned char *e = xmalloc(esize);
	uint8_t leaf[MERKLE_HASH_LEN];
	size_t count;
	uint64_t bad = 0;
	merkle_frontier_init(&f);
	double t0 = now();
	for (uint64_t i = 0; i < n; i++) {
		make_entry(i, e, esize);
		if (merkle_leaf_hash(h, e, esize, leaf) < 0 ||
		    merkle_frontier_push(&f, h, leaf, nodes, &count) < 0)
			die("verify");
		for (size_t k = 0; k < count; k++)
			bad += memcmp(m->lv[nodes[k].level][nodes[k].index],
				      nodes[k].hash, MERKLE_HASH_LEN) != 0;
	}
	t0 = now() - t0;
	if (bad)
		die("verify found differences");
	free(e);
	return t0;
}

/* Mean microseconds per proof made and per proof verified. */
static void proofs(struct mem *m, struct merkle_hasher *h, uint64_t n)
{
	struct merkle_tree t = {mem_get, m, h};
	struct merkle_proof p;
	uint8_t root[MERKLE_HASH_LEN], old_root[MERKLE_HASH_LEN];
	double make = 0, check = 0, cmake = 0, ccheck = 0, t0;
	size_t hashes = 0;
	uint64_t x = 88172645463325252ull;
	if (merkle_root(&t, n, root) < 0)
		die("root");
	for (int i = 0; i < PROOFS; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		uint64_t idx = x % n, old = 1 + x % n;
		t0 = now();
		if (merkle_inclusion_proof(&t, idx, n, &p) < 0)
			die("inclusion proof");
		make += now() - t0;
		hashes += p.len;
		t0 = now();
		if (merkle_verify_inclusion(h, idx, n, m->lv[0][idx], &p, root) < 0)
			die("inclusion verify");
		check += now() - t0;
		if (merkle_root(&t, old, old_root) < 0)
			die("old root");
		t0 = now();
		if (merkle_consistency_proof(&t, old, n, &p) < 0)
			die("consistency proof");
		cmake += now() - t0;
		t0 = now();
		if (merkle_verify_consistency(h, old, n, old_root, root, &p) < 0)
			die("consistency verify");
		ccheck += now() - t0;
	}
	printf("  inclusion proof   %6.2f us to make, %6.2f us to verify (%.1f hashes)\n",
	       make / PROOFS * 1e6, check / PROOFS * 1e6, (double)hashes / PROOFS);
	printf("  consistency proof %6.2f us to make, %6.2f us to verify\n",
	       cmake / PROOFS * 1e6, ccheck / PROOFS * 1e6);
}

static void run_memory(uint64_t n, size_t esize)
{
	struct merkle_hasher *h = merkle_hasher_new();
	struct mem m;
	if (!h)
		die("hasher");
	mem_init(&m, n);
	printf("merkle tree of %llu leaves of %zu bytes, in-memory hash array\n",
	       (unsigned long long)n, esize);
	double raw = raw_sha256(n, esize);
	double b = build(&m, h, n, esize);
	double v = verify(&m, h, n, esize);
	printf("  raw SHA-256       %6.2f s  %7.2f M entries/s\n", raw, n / raw / 1e6);
	printf("  build (append)    %6.2f s  %7.2f M leaves/s\n", b, n / b / 1e6);
	printf("  verify (rebuild)  %6.2f s  %7.2f M leaves/s\n", v, n / v / 1e6);
	proofs(&m, h, n);
	printf("  ratio build/raw SHA-256   %6.2fx  (floor ~2: a leaf and a node per "
	       "entry; aim: <= 3)\n",
	       b / raw);
	printf("  ratio verify/raw SHA-256  %6.2fx  (aim: <= 3)\n", v / raw);
	mem_free(&m);
	merkle_hasher_free(h);
}

/* --- the real store ------------------------------------------------------------ */

static void run_store(uint64_t n)
{
	char dir[] = "/tmp/docket-bench-XXXXXX";
	struct store *st;
	struct signer *key;
	struct journal_report rep;
	if (!mkdtemp(dir))
		die("mkdtemp");
	char *db = xasprintf("%s/bench.db", dir);
	if (store_open(db, STORE_CREATE, &st) < 0 ||
	    signer_new("bench.example/log", &key) < 0)
		die("store");
	double raw = raw_sha256(n, 100);
	double t0 = now();
	if (store_begin(st) < 0)
		die("begin");
	for (uint64_t i = 0; i < n; i++) {
		json_t *ev = json_pack(
		    "{s:s, s:s, s:s, s:I, s:s}", "type", "bench.event", "at",
		    "2026-03-02T10:00:00Z", "actor", "bench", "n", (json_int_t)i,
		    "account", "sha256:357ae478340d7a82de11c5ce01434fb14c164aeba9563008");
		if (journal_append(st, ev, NULL) < 0)
			die("append");
		json_decref(ev);
	}
	if (journal_checkpoint(st, key, "bench.example/log") < 0 || store_commit(st) < 0)
		die("commit");
	double a = now() - t0;
	t0 = now();
	if (journal_verify(st, signer_verifier(key), NULL, &rep) < 0)
		die("journal_verify");
	double v = now() - t0;
	printf("journal of %llu events in SQLite (journal_append, one transaction)\n",
	       (unsigned long long)n);
	printf("  raw SHA-256       %6.2f s  %7.0f entries/s\n", raw, n / raw);
	printf("  append            %6.2f s  %7.0f entries/s\n", a, n / a);
	printf("  journal_verify    %6.2f s  %7.0f entries/s\n", v, n / v);
	printf("  ratio append/raw SHA-256  %6.0fx  (storage dominates)\n", a / raw);
	printf("  ratio verify/raw SHA-256  %6.0fx  (storage dominates)\n", v / raw);
	store_close(st);
	signer_free(key);
	char *cmd = xasprintf("rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_merkle: cannot remove %s\n", dir);
	free(cmd);
	free(db);
}

static uint64_t number(const char *s, const char *what)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (*s == '-' || *end || v == 0) {
		fprintf(stderr, "bench_merkle: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	uint64_t sizes[2] = {1000000, 10000000}, store_n = 100000;
	size_t nsizes = 2, esize = 100;
	int quick = 0;
	struct rusage ru;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0) {
			quick = 1;
			sizes[0] = 100000;
			nsizes = 1;
			store_n = 10000;
		} else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
			sizes[0] = number(argv[++i], "-n");
			nsizes = 1;
		} else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
			esize = number(argv[++i], "-s");
		} else if (strcmp(argv[i], "--store") == 0 && i + 1 < argc) {
			store_n = number(argv[++i], "--store");
		} else {
			fprintf(
			    stderr,
			    "usage: bench_merkle [--quick] [-n LEAVES] [-s ENTRY_BYTES] "
			    "[--store ENTRIES]\n");
			return 2;
		}
	}
	if (sodium_init() < 0)
		return 1;
	if (quick)
		printf("bench_merkle --quick: small sizes, so the ratios are noisy\n");
	for (size_t i = 0; i < nsizes; i++)
		run_memory(sizes[i], esize);
	if (store_n)
		run_store(store_n);
	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS %.1f MiB\n", ru.ru_maxrss / 1024.0);
	return 0;
}
