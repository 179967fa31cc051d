/*
 * bench_disclose.c - disclosure throughput: how fast `docket disclose`
 * turns vault items into a verified-ready package, as a ratio to `tar czf`
 * of the same items as plain files in the same run (the machines are
 * noisy; ratios travel, absolute numbers do not).
 *
 *	bench_disclose [--quick] [--size MB] [--item KB] [--dir DIR] [--keep]
 *
 * Default 1024 MB of vault data (--quick: 64 MB) in items of 256 KB of
 * text-like bytes (pseudo-words drawn from a seeded generator with a skew,
 * compressing about 2:1 like mail), all of one account, all in scope of
 * one ready request.  Setup, untimed: a fresh database with the items (one
 * transaction) and the same items as files in a directory.  Timed:
 *
 *   disclose: one unit of work - read every item through the vault's data
 *             source, check it against the scope, hash it, log the reads,
 *             write the pax .tar.gz, log and sign the disclosure, prove its
 *             entry, fsync, record, change state, commit - then publish;
 *   tar czf:  `tar czf OUT -C DIR .` of the item files (page cache warm
 *             for both).
 *
 * Prints MB/s of item data for both and the ratio disclose / tar.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "base/err.h"
#include "base/util.h"
#include "core/policy/classify.h"
#include "core/disclose/disclose.h"
#include "core/ledger/journal.h"
#include "core/disclose/vault.h"
#include "log/signer.h"
#include "store/store.h"
#include "store/txn.h"

#define ORIGIN "bench.example/log"
#define NOW 1772452800

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "bench_disclose: %s: %s\n", what, err_msg());
	exit(1);
}

static void check(int rc, const char *what)
{
	if (rc < 0)
		die(what);
}

static uint64_t rng_next(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

#define VOCABULARY 4096

static char vocabulary[VOCABULARY][12];

/* Pseudo-words of 2-10 letters; drawn below with a skew toward the first
 * ones, as words are in mail. */
static void make_vocabulary(uint64_t *seed)
{
	for (size_t i = 0; i < VOCABULARY; i++) {
		size_t n = 2 + rng_next(seed) % 9;
		for (size_t k = 0; k < n; k++)
			vocabulary[i][k] = (char)('a' + rng_next(seed) % 26);
		vocabulary[i][n] = '\0';
	}
}

/* len bytes of mail-like text. */
static void fill_text(char *out, size_t len, uint64_t *seed)
{
	size_t n = 0;
	while (n < len) {
		uint64_t r = rng_next(seed);
		const char *w = vocabulary[(r % VOCABULARY) * ((r >> 12) % VOCABULARY) / VOCABULARY];
		for (const char *p = w; *p && n < len; p++)
			out[n++] = *p;
		if (n < len)
			out[n++] = (r >> 24) % 12 == 0 ? '\n' : ' ';
	}
}

static void put_customer(struct store *st)
{
	const char *doc = "{\"id\":\"c-bench\",\"name\":\"Bench\",\"type\":\"consumer\","
			  "\"country\":\"US\",\"contact\":{\"email\":\"bench@example.net\"},"
			  "\"accounts\":[{\"type\":\"email\",\"value\":\"bench@example.net\"}]}";
	struct customer c;
	check(customer_parse(doc, strlen(doc), &c), "customer");
	check(store_customer_put(st, &c), "customer");
	customer_release(&c);
}

static int64_t put_request(struct store *st)
{
	const char *doc = "{\"ref\":\"B-1\",\"agency\":\"us-x\",\"kind\":\"criminal\",\"process\":"
			  "\"search_warrant\",\"targets\":[{\"type\":\"email\",\"value\":"
			  "\"bench@example.net\"}],\"categories\":[\"content\"]}";
	struct request r = {0};
	check(request_parse(doc, strlen(doc), REQUEST_NEW, NOW, &r), "request");
	str_copy(r.country, sizeof(r.country), "US");
	free(r.targets[0].customer_id);
	check(store_account_resolve(st, TGT_EMAIL, "bench@example.net", &r.targets[0].account_id,
				    &r.targets[0].customer_id),
	      "resolve");
	r.state = ST_READY;
	request_classify(&r);
	check(store_request_insert(st, &r, NULL), "request");
	check(store_approval_add(st, r.id, "abe", NOW, 0), "approval");
	check(store_approval_add(st, r.id, "amy", NOW, 0), "approval");
	int64_t id = r.id;
	request_release(&r);
	return id;
}

/* The vault and the same items as files under dir/items. */
static void load(struct store *st, const char *dir, uint64_t total, size_t item,
		 uint64_t *count)
{
	char *buf = xmalloc(item);
	uint64_t seed = 0x9e3779b97f4a7c15ull, n = 0;
	int64_t account;
	make_vocabulary(&seed);
	char *customer = NULL, path[4200];
	snprintf(path, sizeof(path), "%s/items", dir);
	if (mkdir(path, 0700) < 0)
		die("mkdir");
	check(store_account_resolve(st, TGT_EMAIL, "bench@example.net", &account, &customer),
	      "resolve");
	free(customer);
	for (uint64_t done = 0; done < total; done += item, n++) {
		fill_text(buf, item, &seed);
		struct vault_record v = {.account_id = account, .category = CAT_CONTENT,
					 .kind = "email_message",
					 .created_at = NOW - 86400 - (int64_t)n,
					 .location = "US", .data = buf, .len = item};
		check(store_vault_put(st, &v, NULL), "vault put");
		snprintf(path, sizeof(path), "%s/items/%06llu", dir, (unsigned long long)n);
		FILE *fp = fopen(path, "wb");
		if (!fp || fwrite(buf, 1, item, fp) != item || fclose(fp) != 0)
			die("write item file");
	}
	free(buf);
	*count = n;
}

static double run_disclose(struct store *st, const struct signer *key, int64_t id,
			   const char *out, struct disclosure *d)
{
	struct staff by = {{"abe", NOW}, ROLE_BIT(ROLE_APPROVER)};
	struct source src;
	vault_source(st, &src);
	double t0 = now_s();
	check(store_begin(st), "begin");
	check(disclose_prepare(st, &src, key, ORIGIN, &by, id, out, NULL, NULL, d), "disclose");
	check(journal_checkpoint(st, key, ORIGIN), "checkpoint");
	check(store_commit(st), "commit");
	check(disclose_publish(d), "publish");
	double t = now_s() - t0;
	disclose_release(d);
	return t;
}

static double run_tar(const char *dir)
{
	char cmd[8400];
	snprintf(cmd, sizeof(cmd), "tar czf '%s/ref.tar.gz' -C '%s/items' .", dir, dir);
	double t0 = now_s();
	if (system(cmd) != 0)
		die("tar czf");
	return now_s() - t0;
}

static off_t file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? sb.st_size : 0;
}

int main(int argc, char **argv)
{
	uint64_t mb = 1024, item_kb = 256, count = 0;
	const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	int keep = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			mb = 64;
		else if (strcmp(argv[i], "--size") == 0 && i + 1 < argc)
			mb = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--item") == 0 && i + 1 < argc)
			item_kb = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			base = argv[++i];
		else if (strcmp(argv[i], "--keep") == 0)
			keep = 1;
		else {
			fprintf(stderr, "usage: bench_disclose [--quick] [--size MB] [--item KB] "
					"[--dir DIR] [--keep]\n");
			return 2;
		}
	}
	if (!mb || !item_kb || item_kb * 1024 > VAULT_MAX_ITEM) {
		fprintf(stderr, "bench_disclose: --size and --item (at most %zu KB) must be "
				"positive\n",
			VAULT_MAX_ITEM / 1024);
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	char dir[4096], db[4200], out[4200];
	snprintf(dir, sizeof(dir), "%s/bench-disclose-XXXXXX", base);
	if (!mkdtemp(dir))
		die("mkdtemp");
	snprintf(db, sizeof(db), "%s/bench.db", dir);
	snprintf(out, sizeof(out), "%s/disclosure.tar.gz", dir);

	struct store *st;
	struct signer *key;
	check(store_open(db, STORE_CREATE, &st), "open");
	check(signer_new(ORIGIN, &key), "key");
	double t0 = now_s();
	check(store_begin(st), "begin");
	put_customer(st);
	int64_t id = put_request(st);
	load(st, dir, mb << 20, item_kb << 10, &count);
	check(store_commit(st), "commit");
	printf("bench_disclose: %llu MB in %llu items of %llu KB (setup %.1f s)\n",
	       (unsigned long long)mb, (unsigned long long)count, (unsigned long long)item_kb,
	       now_s() - t0);

	struct disclosure d;
	double td = run_disclose(st, key, id, out, &d);
	double tt = run_tar(dir);
	double bytes = (double)d.bytes / 1e6;
	char ref[4200];
	snprintf(ref, sizeof(ref), "%s/ref.tar.gz", dir);
	printf("  disclose  %8.2f s  %7.1f MB/s  (%llu items, package %.1f MB)\n", td,
	       bytes / td, (unsigned long long)d.items, (double)d.size / 1e6);
	printf("  tar czf   %8.2f s  %7.1f MB/s  (archive %.1f MB)\n", tt, bytes / tt,
	       (double)file_size(ref) / 1e6);
	printf("  ratio disclose/tar (time) %.2f\n", td / tt);

	store_close(st);
	signer_free(key);
	if (!keep) {
		char cmd[4200];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			return 1;
	} else {
		printf("  kept %s\n", dir);
	}
	return d.items == count ? 0 : 1;
}
