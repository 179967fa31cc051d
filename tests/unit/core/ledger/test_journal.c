/*
 * test_journal.c - core/ledger/journal.c over a real SQLite store: canonical
 * entries, appends inside the unit of work, signed checkpoints, proofs that
 * verify against them, and journal_verify() finding every kind of damage.
 *
 * Damage is made through the store interface (an entry whose bytes differ
 * from what its hashes commit to, a missing node, forged checkpoints), so
 * no SQL is needed here.
 *
 * `test_journal --export DIR` instead writes a log with checkpoints at the
 * sizes of the interop test, for tests/t/t0400-log-interop.sh to check with
 * Go's sumdb/note and sumdb/tlog (see export()).
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

#include <sodium.h>
#include <sys/stat.h>

#include "tmpdir.h"
#include "base/keys.h"

#include "base/err.h"
#include "base/util.h"
#include "core/ledger/journal.h"
#include "log/signer.h"
#include "store/store.h"
#include "store/txn.h"

#define ORIGIN "test.example/log"
#define AT "2026-03-02T10:00:00Z"

static const uint64_t SIZES[] = {1, 2, 3, 7, 8, 9, 255, 256, 257, 1000};

struct fixture {
	char dir[64];
	char path[256];
	struct store *st;
	struct signer *key;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	if (tmpdir_make(f->dir, "journal") < 0)
		return -1;
	if (testdb_path(f->dir, f->path, sizeof(f->path)) < 0)
		return -1;
	if (store_open(f->path, STORE_CREATE, &f->st) < 0 ||
	    signer_new(ORIGIN, &f->key) < 0)
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

static json_t *event(uint64_t n)
{
	return json_pack("{s:s, s:s, s:s, s:I}", "type", "test.event", "at", AT, "actor",
			 "tester", "n", (json_int_t)n);
}

/* One unit of work: append events until the log has `size` entries, then
 * sign a checkpoint. */
static int grow_to(struct store *st, const struct signer *key, uint64_t size)
{
	uint64_t n, idx;
	int rc;
	if ((rc = store_log_size(st, &n)) < 0 || (rc = store_begin(st)) < 0)
		return rc;
	for (; n < size && rc == 0; n++) {
		json_t *ev = event(n);
		rc = journal_append(st, ev, &idx);
		json_decref(ev);
		if (rc == 0 && idx != n)
			rc = err_set(E_INTERNAL, "appended at %llu, not %llu",
				     (unsigned long long)idx, (unsigned long long)n);
	}
	if (rc == 0)
		rc = journal_checkpoint(st, key, ORIGIN);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st);
}

static void grow(struct fixture *f, uint64_t size)
{
	int rc = grow_to(f->st, f->key, size);
	if (rc < 0)
		fail_msg("%s", err_msg());
}

/* --- canonical entries ---------------------------------------------------- */

static void test_canonical(void **state)
{
	(void)state;
	json_t *ev = json_loads("{\"type\":\"x\",\"zeta\":1,\"at\":\"" AT "\","
				"\"alpha\":{\"b\":[1,\"caf\xc3\xa9\",true],\"a\":null},"
				"\"actor\":\"a\",\"s\":\"q\\\"\\n/\\u0001\"}",
				JSON_REJECT_DUPLICATES, NULL);
	char *out;
	size_t len;
	assert_non_null(ev);
	assert_int_equal(journal_canonical(ev, &out, &len), 0);
	assert_string_equal(
	    out, "{\"actor\":\"a\",\"alpha\":{\"a\":null,\"b\":[1,\"caf\xc3\xa9\","
		 "true]},\"at\":\"" AT "\",\"s\":\"q\\\"\\n/\\u0001\","
		 "\"type\":\"x\",\"zeta\":1}");
	assert_int_equal(len, strlen(out));
	free(out);
	json_decref(ev);
}

static void expect_refused(json_t *ev)
{
	char *out = NULL;
	size_t len;
	assert_int_equal(journal_canonical(ev, &out, &len), -E_INVALID);
	assert_null(out);
	json_decref(ev);
}

static void test_canonical_rejects(void **state)
{
	(void)state;
	expect_refused(json_pack("[]"));
	expect_refused(json_pack("{s:s, s:s}", "at", AT, "actor", "a"));
	expect_refused(json_pack("{s:s, s:s, s:s}", "type", "", "at", AT, "actor", "a"));
	expect_refused(
	    json_pack("{s:s, s:s, s:s}", "type", "x", "at", "2026-03-02", "actor", "a"));
	expect_refused(
	    json_pack("{s:s, s:s, s:s}", "type", "x", "at", "yesterday", "actor", "a"));
	expect_refused(json_pack("{s:s, s:s}", "type", "x", "at", AT));
	expect_refused(json_pack("{s:s, s:s, s:i}", "type", "x", "at", AT, "actor", 1));
	expect_refused(json_pack("{s:s, s:s, s:s, s:f}", "type", "x", "at", AT, "actor",
				 "a", "amount", 1.5));
	json_t *deep = json_pack("{s:s, s:s, s:s}", "type", "x", "at", AT, "actor", "a");
	json_t *cur = deep;
	for (int i = 0; i < JOURNAL_MAX_DEPTH + 2; i++) {
		json_t *next = json_array();
		json_object_set_new(cur, "d", next);
		cur = json_object();
		json_array_append_new(next, cur);
	}
	expect_refused(deep);
	char *big = xcalloc(1, JOURNAL_MAX_ENTRY + 1);
	memset(big, 'x', JOURNAL_MAX_ENTRY);
	expect_refused(json_pack("{s:s, s:s, s:s, s:s}", "type", "x", "at", AT, "actor",
				 "a", "big", big));
	free(big);
}

/* SPEC §6: a keyed hash - HMAC-SHA-256 under the key file beside the
 * database (0600, made on first use), never the plain SHA-256 anyone can
 * recompute; the same value gives the same reference, another database's
 * key another one. */
static void test_ref(void **state)
{
	struct fixture *f = *state;
	char ref[JOURNAL_REF_LEN], again[JOURNAL_REF_LEN], other[JOURNAL_REF_LEN];
	char *keyfile = NULL; /* beside the file, or in DOCKET_KEYS on PostgreSQL */
	assert_int_equal(keys_path(f->path, REFKEY_SUFFIX, &keyfile), 0);
	struct stat sb;
	assert_int_equal(journal_ref(f->st, "email", "alice@contoso.com", ref), 0);
	assert_true(str_has_prefix(ref, "hmac-sha256:"));
	assert_int_equal(strlen(ref), 12 + 64);
	assert_string_not_equal(
	    ref + 12, "357ae478340d7a82de11c5ce01434fb14c164aeba9563008fb6b167514d06924");
	assert_int_equal(stat(keyfile, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(journal_ref(f->st, "email", "alice@contoso.com", again), 0);
	assert_string_equal(ref, again);
	assert_int_equal(journal_ref(f->st, "email", "bob@contoso.com", other), 0);
	assert_string_not_equal(ref, other);
	/* the MAC is HMAC-SHA-256 of "kind:value" under the file's key */
	unsigned char key[REFKEY_BYTES], mac[32];
	char hex[65];
	assert_int_equal(refkey_get(f->st, key), 0);
	crypto_auth_hmacsha256(mac, (const unsigned char *)"email:alice@contoso.com", 23, key);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	assert_string_equal(ref + 12, hex);
	free(keyfile);
}

/* --- appending and checkpoints ------------------------------------------------ */

static void test_outside_unit_of_work(void **state)
{
	struct fixture *f = *state;
	json_t *ev = event(0);
	assert_int_equal(journal_append(f->st, ev, NULL), -E_INTERNAL);
	assert_int_equal(journal_checkpoint(f->st, f->key, ORIGIN), -E_INTERNAL);
	json_decref(ev);
	uint64_t n;
	assert_int_equal(store_log_size(f->st, &n), 0);
	assert_int_equal(n, 0);
}

static void test_rollback_drops_entries(void **state)
{
	struct fixture *f = *state;
	uint64_t n;
	grow(f, 3);
	assert_int_equal(store_begin(f->st), 0);
	json_t *ev = event(3);
	assert_int_equal(journal_append(f->st, ev, NULL), 0);
	json_decref(ev);
	store_rollback(f->st);
	assert_int_equal(store_log_size(f->st, &n), 0);
	assert_int_equal(n, 3);
	grow(f, 5);
	struct journal_report rep;
	assert_int_equal(journal_verify(f->st, signer_verifier(f->key), NULL, &rep), 0);
}

static int count_cb(void *ctx, uint64_t size, const char *note)
{
	(void)size;
	(void)note;
	(*(int *)ctx)++;
	return 0;
}

static void test_checkpoint_once(void **state)
{
	struct fixture *f = *state;
	int count = 0;
	grow(f, 4);
	grow(f, 4); /* no new entries: no new checkpoint */
	assert_int_equal(store_checkpoint_each(f->st, count_cb, &count), 0);
	assert_int_equal(count, 1);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(journal_checkpoint(f->st, f->key, "other.example/log"),
			 -E_INVALID);
	store_rollback(f->st);
}

static void test_checkpoint_empty(void **state)
{
	struct fixture *f = *state;
	struct checkpoint c;
	uint8_t empty[MERKLE_HASH_LEN];
	size_t text_len;
	char *note;
	grow(f, 0);
	assert_int_equal(store_checkpoint_get(f->st, 0, &note), 0);
	assert_int_equal(
	    note_open(note, strlen(note), signer_verifier(f->key), &text_len), 0);
	assert_int_equal(checkpoint_parse(note, text_len, &c), 0);
	assert_int_equal(c.size, 0);
	crypto_hash_sha256(empty, (const unsigned char *)"", 0);
	assert_memory_equal(c.root, empty, MERKLE_HASH_LEN);
	free(note);
	grow(f, 1);
	struct journal_report rep;
	assert_int_equal(journal_verify(f->st, signer_verifier(f->key), NULL, &rep), 0);
	assert_int_equal(rep.checkpoints, 2);
}

/* Every checkpoint verifies and matches journal_root(); every inclusion and
 * consistency proof between them verifies. */
static void test_proofs(void **state)
{
	struct fixture *f = *state;
	struct merkle_hasher *h = merkle_hasher_new();
	struct checkpoint cp[ARRAY_SIZE(SIZES)];
	struct merkle_proof p;
	struct buf entry;
	buf_init(&entry, JOURNAL_MAX_ENTRY);
	for (size_t s = 0; s < ARRAY_SIZE(SIZES); s++) {
		uint64_t n = SIZES[s];
		uint8_t root[MERKLE_HASH_LEN], leaf[MERKLE_HASH_LEN];
		char *note;
		size_t text_len;
		grow(f, n);
		assert_int_equal(store_checkpoint_get(f->st, n, &note), 0);
		assert_int_equal(
		    note_open(note, strlen(note), signer_verifier(f->key), &text_len), 0);
		assert_int_equal(checkpoint_parse(note, text_len, &cp[s]), 0);
		free(note);
		assert_string_equal(cp[s].origin, ORIGIN);
		assert_int_equal(cp[s].size, n);
		assert_int_equal(journal_root(f->st, n, root), 0);
		assert_memory_equal(root, cp[s].root, MERKLE_HASH_LEN);
		for (uint64_t m = 0; m < n; m += 1 + m / 8) {
			assert_int_equal(store_log_get_entry(f->st, m, &entry), 0);
			assert_int_equal(merkle_leaf_hash(h, entry.ptr, entry.len, leaf),
					 0);
			assert_int_equal(journal_inclusion_proof(f->st, m, n, &p), 0);
			assert_int_equal(
			    merkle_verify_inclusion(h, m, n, leaf, &p, cp[s].root), 0);
		}
		for (size_t o = 0; o < s; o++) {
			assert_int_equal(
			    journal_consistency_proof(f->st, SIZES[o], n, &p), 0);
			assert_int_equal(merkle_verify_consistency(
					     h, SIZES[o], n, cp[o].root, cp[s].root, &p),
					 0);
		}
	}
	assert_int_equal(journal_inclusion_proof(f->st, 0, 1001, &p), -E_NOTFOUND);
	assert_int_equal(journal_root(f->st, 1001, cp[0].root), -E_NOTFOUND);
	buf_release(&entry);
	merkle_hasher_free(h);
}

/* --- verification ------------------------------------------------------------------ */

#define PROBLEMS (JOURNAL_BAD_RECORD + 1)

struct seen {
	int count[PROBLEMS];
	uint64_t first_index[PROBLEMS];
	char last[PROBLEMS][512]; /* the last message of each kind */
};

static void on_finding(void *ctx, const struct journal_finding *f)
{
	struct seen *s = ctx;
	assert_true(f->problem < PROBLEMS);
	if (s->count[f->problem]++ == 0)
		s->first_index[f->problem] = f->index;
	str_copy(s->last[f->problem], sizeof(s->last[0]), f->message);
}

static int verify(struct fixture *f, struct seen *s, struct journal_report *rep)
{
	struct journal_hooks hooks = {on_finding, NULL, s};
	memset(s, 0, sizeof(*s));
	return journal_verify(f->st, signer_verifier(f->key), &hooks, rep);
}

static void test_verify_clean(void **state)
{
	struct fixture *f = *state;
	struct journal_report rep;
	struct seen s;
	uint64_t nodes = 0;
	for (size_t i = 0; i < ARRAY_SIZE(SIZES); i++)
		grow(f, SIZES[i]);
	for (uint64_t i = 0; i < 1000; i++)
		nodes += 1 + (uint64_t)__builtin_ctzll(~i);
	assert_int_equal(verify(f, &s, &rep), 0);
	assert_int_equal(rep.entries, 1000);
	assert_int_equal(rep.hashes, nodes);
	assert_int_equal(rep.checkpoints, ARRAY_SIZE(SIZES));
	assert_int_equal(rep.problems, 0);
	assert_int_equal(rep.first_bad, UINT64_MAX);
	assert_int_equal(rep.signed_size, 1000);
	assert_int_equal(rep.size, 1000);
}

static int get_hash(void *ctx, unsigned level, uint64_t index,
		    uint8_t out[MERKLE_HASH_LEN])
{
	return store_log_get_hash(ctx, level, index, out);
}

/* Append entry `index` storing `stored` while the tree commits to `real`;
 * skip_level >= 0 leaves out the node at that level. */
static void append_forged(struct fixture *f, uint64_t index, const char *stored,
			  const char *real, int skip_level)
{
	struct merkle_tree t = {get_hash, f->st, merkle_hasher_new()};
	struct merkle_node nodes[MERKLE_MAX_APPEND];
	uint8_t leaf[MERKLE_HASH_LEN];
	size_t count;
	assert_int_equal(merkle_leaf_hash(t.hasher, real, strlen(real), leaf), 0);
	assert_int_equal(merkle_append(&t, index, leaf, nodes, &count), 0);
	assert_int_equal(store_log_put_entry(f->st, index, stored, strlen(stored)), 0);
	for (size_t i = 0; i < count; i++)
		if ((int)nodes[i].level != skip_level)
			assert_int_equal(store_log_put_hash(f->st, nodes[i].level,
							    nodes[i].index,
							    nodes[i].hash),
					 0);
	merkle_hasher_free(t.hasher);
}

static const char *REAL = "{\"actor\":\"a\",\"at\":\"" AT "\",\"type\":\"notice.sent\"}";
static const char *FAKE = "{\"actor\":\"a\",\"at\":\"" AT "\",\"type\":\"notice.lost\"}";

static void test_verify_changed_entry(void **state)
{
	struct fixture *f = *state;
	struct journal_report rep;
	struct seen s;
	grow(f, 10);
	assert_int_equal(store_begin(f->st), 0);
	append_forged(f, 10, FAKE, REAL, -1);
	assert_int_equal(journal_checkpoint(f->st, f->key, ORIGIN), 0);
	assert_int_equal(store_commit(f->st), 0);
	grow(f, 40);
	assert_int_equal(verify(f, &s, &rep), -E_INVALID);
	assert_non_null(strstr(err_msg(), "first bad entry 10"));
	assert_int_equal(rep.first_bad, 10);
	assert_int_equal(s.count[JOURNAL_BAD_HASH], 1); /* not its ancestors */
	assert_int_equal(s.first_index[JOURNAL_BAD_HASH], 10);
	assert_int_equal(rep.problems, 1);
	assert_int_equal(s.count[JOURNAL_BAD_ENTRY], 0);
}

static void test_verify_noncanonical_entry(void **state)
{
	struct fixture *f = *state;
	struct journal_report rep;
	struct seen s;
	static const char *loose = "{\"type\":\"x\", \"at\":\"" AT "\",\"actor\":\"a\"}";
	grow(f, 5);
	assert_int_equal(store_begin(f->st), 0);
	append_forged(f, 5, loose, loose, -1);
	assert_int_equal(journal_checkpoint(f->st, f->key, ORIGIN), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(verify(f, &s, &rep), -E_INVALID);
	assert_int_equal(s.count[JOURNAL_BAD_ENTRY], 1);
	assert_int_equal(s.first_index[JOURNAL_BAD_ENTRY], 5);
	assert_int_equal(s.count[JOURNAL_BAD_HASH], 0);
	assert_int_equal(rep.first_bad, 5);
}

static void test_verify_missing_node(void **state)
{
	struct fixture *f = *state;
	struct journal_report rep;
	struct seen s;
	grow(f, 7);
	assert_int_equal(store_begin(f->st), 0);
	append_forged(f, 7, REAL, REAL, 2); /* entry 7 completes [4, 8) at level 2 */
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(verify(f, &s, &rep), -E_INVALID);
	assert_int_equal(s.count[JOURNAL_BAD_HASH], 1);
	assert_int_equal(s.first_index[JOURNAL_BAD_HASH], 4);
	assert_non_null(strstr(s.last[JOURNAL_BAD_HASH], "missing"));
}

static void test_verify_missing_entries(void **state)
{
	struct fixture *f = *state;
	struct journal_report rep;
	struct seen s;
	grow(f, 6);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_log_put_entry(f->st, 9, REAL, strlen(REAL)), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(verify(f, &s, &rep), -E_INVALID);
	assert_int_equal(s.first_index[JOURNAL_BAD_ENTRY], 6);
	assert_int_equal(rep.first_bad, 6);
	assert_int_equal(rep.size, 10);
}

/* Entries committed without a checkpoint: every unit of work signs one, so
 * they were added behind docket's back (or their checkpoint was removed). */
static void test_verify_uncovered(void **state)
{
	struct fixture *f = *state;
	struct journal_report rep;
	struct seen s;
	grow(f, 5);
	assert_int_equal(store_begin(f->st), 0);
	for (uint64_t i = 5; i < 7; i++) {
		json_t *ev = event(i);
		assert_int_equal(journal_append(f->st, ev, NULL), 0);
		json_decref(ev);
	}
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(verify(f, &s, &rep), -E_INVALID);
	assert_int_equal(rep.problems, 1);
	assert_int_equal(s.count[JOURNAL_BAD_ENTRY], 1);
	assert_int_equal(s.first_index[JOURNAL_BAD_ENTRY], 5);
	assert_non_null(
	    strstr(s.last[JOURNAL_BAD_ENTRY], "entries 5 to 6 are not covered"));
	assert_int_equal(rep.first_bad, 5);
	grow(f, 8); /* a checkpoint over them: nothing to say any more */
	assert_int_equal(verify(f, &s, &rep), 0);
}

/* A leaf hash past the last entry: entries were removed from the end. */
static void test_verify_removed_at_end(void **state)
{
	struct fixture *f = *state;
	struct journal_report rep;
	struct seen s;
	uint8_t leaf[MERKLE_HASH_LEN] = {0};
	grow(f, 10);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_log_put_hash(f->st, 0, 10, leaf), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(verify(f, &s, &rep), -E_INVALID);
	assert_int_equal(s.count[JOURNAL_BAD_ENTRY], 1);
	assert_int_equal(s.first_index[JOURNAL_BAD_ENTRY], 10);
	assert_non_null(strstr(s.last[JOURNAL_BAD_ENTRY], "entry 10 is missing"));
	assert_int_equal(rep.first_bad, 10);
}

/* Sign and store an arbitrary checkpoint. */
static void put_checkpoint(struct fixture *f, const struct signer *key, uint64_t size,
			   const char *origin, const uint8_t root[MERKLE_HASH_LEN])
{
	struct checkpoint c = {.size = size};
	char *body, *note;
	str_copy(c.origin, sizeof(c.origin), origin);
	memcpy(c.root, root, MERKLE_HASH_LEN);
	assert_int_equal(checkpoint_format(&c, &body), 0);
	assert_int_equal(signer_sign(key, body, strlen(body), &note), 0);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_checkpoint_put(f->st, size, note), 0);
	assert_int_equal(store_commit(f->st), 0);
	free(body);
	free(note);
}

static void test_verify_forged_signature(void **state)
{
	struct fixture *f = *state;
	struct journal_report rep;
	struct seen s;
	struct signer *other;
	uint8_t root[MERKLE_HASH_LEN];
	grow(f, 8);
	assert_int_equal(store_begin(f->st), 0);
	json_t *ev = event(8);
	assert_int_equal(journal_append(f->st, ev, NULL), 0);
	json_decref(ev);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(journal_root(f->st, 9, root), 0);
	assert_int_equal(signer_new(ORIGIN, &other), 0);
	put_checkpoint(f, other, 9, ORIGIN, root);
	assert_int_equal(verify(f, &s, &rep), -E_INVALID);
	assert_int_equal(s.count[JOURNAL_BAD_CHECKPOINT], 1);
	assert_int_equal(s.first_index[JOURNAL_BAD_CHECKPOINT], 9);
	assert_int_equal(rep.first_bad, UINT64_MAX);
	/* and the log refuses to sign after it */
	assert_int_equal(store_begin(f->st), 0);
	ev = event(9);
	assert_int_equal(journal_append(f->st, ev, NULL), 0);
	json_decref(ev);
	assert_int_equal(journal_checkpoint(f->st, f->key, ORIGIN), -E_STORAGE);
	store_rollback(f->st);
	signer_free(other);
}

static void test_verify_bad_root_and_truncation(void **state)
{
	struct fixture *f = *state;
	struct journal_report rep;
	struct seen s;
	uint8_t root[MERKLE_HASH_LEN];
	grow(f, 20);
	assert_int_equal(journal_root(f->st, 19, root), 0);
	put_checkpoint(f, f->key, 21, ORIGIN, root); /* beyond the log */
	assert_int_equal(verify(f, &s, &rep), -E_INVALID);
	assert_int_equal(s.count[JOURNAL_BAD_CHECKPOINT], 1);
	assert_non_null(strstr(s.last[JOURNAL_BAD_CHECKPOINT], "entries were removed"));
	/* signing over a log that lost entries is refused */
	assert_int_equal(store_begin(f->st), 0);
	for (uint64_t i = 20; i < 22; i++) {
		json_t *ev = event(i);
		assert_int_equal(journal_append(f->st, ev, NULL), 0);
		json_decref(ev);
	}
	assert_int_equal(journal_checkpoint(f->st, f->key, ORIGIN), -E_STORAGE);
	store_rollback(f->st);
	put_checkpoint(f, f->key, 19, ORIGIN, root); /* fine */
	put_checkpoint(f, f->key, 18, ORIGIN, root); /* wrong root */
	put_checkpoint(f, f->key, 17, "other.example", root);
	assert_int_equal(verify(f, &s, &rep), -E_INVALID);
	assert_int_equal(s.count[JOURNAL_BAD_CHECKPOINT], 3);
	assert_int_equal(s.first_index[JOURNAL_BAD_CHECKPOINT], 17);
	assert_int_equal(rep.checkpoints, 4 + 1);
}

/* --- the interop export ----------------------------------------------------------- */

static int write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(path, "wb");
	int ok = fp && fwrite(data, 1, len, fp) == len;
	if (fp && fclose(fp) != 0)
		ok = 0;
	free(path);
	return ok ? 0 : err_set(E_IO, "cannot write %s/%s", dir, name);
}

static int write_proof(const char *dir, const char *name, const struct merkle_proof *p)
{
	struct buf b;
	buf_init(&b, BUF_UNLIMITED);
	for (size_t i = 0; i < p->len; i++) {
		char *line = note_base64(p->hash[i], MERKLE_HASH_LEN);
		buf_addf(&b, "%s\n", line);
		free(line);
	}
	int rc = write_file(dir, name, b.ptr, b.len);
	buf_release(&b);
	return rc;
}

/* One checkpoint size: its note, and proofs for the first, middle and last
 * entries and from every earlier size. */
static int export_size(struct store *st, const char *dir, size_t s, FILE *cases)
{
	uint64_t n = SIZES[s], probes[3] = {0, n / 2, n - 1};
	struct merkle_proof p;
	struct buf entry;
	char name[64], *note;
	int rc;
	if ((rc = store_checkpoint_get(st, n, &note)) < 0)
		return rc;
	snprintf(name, sizeof(name), "cp.%llu", (unsigned long long)n);
	rc = write_file(dir, name, note, strlen(note));
	free(note);
	buf_init(&entry, JOURNAL_MAX_ENTRY);
	for (int i = 0; i < 3 && rc == 0; i++) {
		uint64_t m = probes[i];
		snprintf(name, sizeof(name), "entry.%llu", (unsigned long long)m);
		if ((rc = store_log_get_entry(st, m, &entry)) < 0 ||
		    (rc = write_file(dir, name, entry.ptr, entry.len)) < 0 ||
		    (rc = journal_inclusion_proof(st, m, n, &p)) < 0)
			break;
		snprintf(name, sizeof(name), "incl.%llu.%llu", (unsigned long long)m,
			 (unsigned long long)n);
		rc = write_proof(dir, name, &p);
		fprintf(cases, "incl %llu %llu\n", (unsigned long long)m,
			(unsigned long long)n);
	}
	buf_release(&entry);
	for (size_t o = 0; o < s && rc == 0; o++) {
		if ((rc = journal_consistency_proof(st, SIZES[o], n, &p)) < 0)
			break;
		snprintf(name, sizeof(name), "cons.%llu.%llu",
			 (unsigned long long)SIZES[o], (unsigned long long)n);
		rc = write_proof(dir, name, &p);
		fprintf(cases, "cons %llu %llu\n", (unsigned long long)SIZES[o],
			(unsigned long long)n);
	}
	return rc;
}

/*
 * DIR/vkey holds the verifier key, DIR/cp.S the checkpoint at size S,
 * DIR/entry.M entry M's bytes, DIR/incl.M.S and DIR/cons.O.S proofs (one
 * base64 hash a line), and DIR/cases one "incl M S" or "cons O S" a line.
 */
static int export(const char *dir)
{
	struct store *st = NULL;
	struct signer *key = NULL;
	char *db = xasprintf("%s/export.db", dir);
	FILE *cases = NULL;
	int rc;
	if ((rc = store_open(db, STORE_CREATE, &st)) < 0 ||
	    (rc = signer_new(ORIGIN, &key)) < 0)
		goto out;
	const char *vkey = signer_verifier_key(key);
	char *casefile = xasprintf("%s/cases", dir);
	cases = fopen(casefile, "w");
	free(casefile);
	if (!cases || (rc = write_file(dir, "vkey", vkey, strlen(vkey))) < 0) {
		rc = rc < 0 ? rc : err_set(E_IO, "cannot write %s/cases", dir);
		goto out;
	}
	for (size_t s = 0; s < ARRAY_SIZE(SIZES) && rc == 0; s++)
		if ((rc = grow_to(st, key, SIZES[s])) == 0)
			rc = export_size(st, dir, s, cases);
out:
	if (cases && fclose(cases) != 0 && rc == 0)
		rc = err_set(E_IO, "cannot write %s/cases", dir);
	store_close(st);
	signer_free(key);
	free(db);
	if (rc < 0)
		fprintf(stderr, "test_journal: %s\n", err_msg());
	return rc < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_canonical),
	    cmocka_unit_test(test_canonical_rejects),
	    cmocka_unit_test_setup_teardown(test_ref, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_outside_unit_of_work, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rollback_drops_entries, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_checkpoint_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_checkpoint_empty, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_proofs, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_verify_clean, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_verify_changed_entry, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_verify_noncanonical_entry, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_verify_missing_node, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_verify_missing_entries, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_verify_uncovered, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_verify_removed_at_end, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_verify_forged_signature, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_verify_bad_root_and_truncation, setup,
					    teardown),
	};
	if (sodium_init() < 0)
		return 1;
	if (argc == 3 && strcmp(argv[1], "--export") == 0)
		return export(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
