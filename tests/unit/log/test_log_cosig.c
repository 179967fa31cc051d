/*
 * test_log_cosig.c - witness cosignatures (log/cosig.c) and the offer of a
 * checkpoint to a witness (core/ledger/witness.c) against a fake witness: key ids
 * (computed independently with Python's hashlib), signing and verifying,
 * every way a cosignature line can be wrong, the add-checkpoint body, and
 * what an offer does with 200, 409 (offered again from the size it names),
 * 422, 404 and an unreachable witness.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "tmpdir.h"

#include "base/err.h"
#include "base/util.h"
#include "core/ledger/journal.h"
#include "core/ledger/witness.h"
#include "log/cosig.h"
#include "log/signer.h"
#include "store/store.h"
#include "store/txn.h"

#define WNAME "witness.example/w1"
#define TEXT "test.example/log\n7\nqdXw0Wh1dg5nNw7PGIYr0UjjDSnZZXK4O2TQGC9eKXw=\n"

static void keypair(uint8_t pk[32], uint8_t sk[64])
{
	uint8_t seed[32];
	memset(seed, 7, sizeof(seed));
	crypto_sign_seed_keypair(pk, sk, seed);
}

static void verifier_for(const char *name, const uint8_t pk[32], struct note_verifier *v)
{
	uint8_t key[33] = {NOTE_ALG_COSIGNATURE};
	memcpy(key + 1, pk, 32);
	char *b64 = note_base64(key, sizeof(key));
	char *vkey = xasprintf("%s+%08x+%s", name,
			       (unsigned)note_key_id_alg(name, NOTE_ALG_COSIGNATURE, pk), b64);
	assert_int_equal(cosig_verifier_parse(vkey, v), 0);
	free(b64);
	free(vkey);
}

static void test_key_ids(void **state)
{
	(void)state;
	uint8_t pub[32];
	struct note_verifier v;
	for (int i = 0; i < 32; i++)
		pub[i] = (uint8_t)i;
	assert_int_equal(note_key_id_alg(WNAME, NOTE_ALG_COSIGNATURE, pub), 0x7e136b5c);
	assert_int_equal(note_key_id(WNAME, pub), 0xb1e3ec3e);
	assert_int_equal(cosig_verifier_parse(WNAME "+7e136b5c+BAABAgMEBQYHCAkKCwwNDg8QERIT"
						    "FBUWFxgZGhscHR4f",
					      &v),
			 0);
	assert_string_equal(v.name, WNAME);
	assert_memory_equal(v.pub, pub, 32);
	/* the signing key type, a wrong key id, garbage */
	assert_int_equal(cosig_verifier_parse(WNAME "+b1e3ec3e+AQABAgMEBQYHCAkKCwwNDg8QERIT"
						    "FBUWFxgZGhscHR4f",
					      &v),
			 -E_INVALID);
	assert_int_equal(cosig_verifier_parse(WNAME "+7e136b5d+BAABAgMEBQYHCAkKCwwNDg8QERIT"
						    "FBUWFxgZGhscHR4f",
					      &v),
			 -E_INVALID);
	assert_int_equal(cosig_verifier_parse("nonsense", &v), -E_INVALID);
}

static void test_sign_verify(void **state)
{
	(void)state;
	uint8_t pk[32], sk[64], opk[32], osk[64], seed[32] = {1};
	struct note_verifier v, other;
	struct buf msg;
	char *line;
	uint64_t t = 0;
	keypair(pk, sk);
	crypto_sign_seed_keypair(opk, osk, seed);
	verifier_for(WNAME, pk, &v);
	verifier_for("witness.example/w2", opk, &other);

	buf_init(&msg, 4096);
	assert_int_equal(cosig_message(TEXT, strlen(TEXT), 1679315147, &msg), 0);
	assert_string_equal(msg.ptr, "cosignature/v1\ntime 1679315147\n" TEXT);
	buf_release(&msg);

	assert_int_equal(cosig_sign(WNAME, sk, TEXT, strlen(TEXT), 1679315147, &line), 0);
	assert_true(strncmp(line, "\xe2\x80\x94 " WNAME " ", strlen(WNAME) + 5) == 0);
	assert_int_equal(line[strlen(line) - 1], '\n');
	assert_int_equal(cosig_verify(&v, TEXT, strlen(TEXT), line, strlen(line), &t), 0);
	assert_int_equal(t, 1679315147);
	/* without its newline too */
	assert_int_equal(cosig_verify(&v, TEXT, strlen(TEXT), line, strlen(line) - 1, NULL), 0);
	/* another checkpoint, another witness */
	const char *text2 = "test.example/log\n8\nqdXw0Wh1dg5nNw7PGIYr0UjjDSnZZXK4O2TQGC9eKXw=\n";
	assert_int_equal(cosig_verify(&v, text2, strlen(text2), line, strlen(line), NULL),
			 -E_INVALID);
	assert_int_equal(cosig_verify(&other, TEXT, strlen(TEXT), line, strlen(line), NULL),
			 -E_NOTFOUND);

	/* a changed timestamp (bytes 4..11 of the signature field) fails */
	uint8_t raw[4 + 8 + 64 + 1];
	size_t n;
	const char *b64 = strrchr(line, ' ') + 1;
	assert_int_equal(note_unbase64(b64, strlen(b64) - 1, raw, sizeof(raw), &n), 0);
	assert_int_equal(n, 76);
	raw[11] ^= 1;
	char *b = note_base64(raw, n);
	char *forged = xasprintf("\xe2\x80\x94 " WNAME " %s", b);
	assert_int_equal(cosig_verify(&v, TEXT, strlen(TEXT), forged, strlen(forged), NULL),
			 -E_INVALID);
	free(forged);
	free(b);
	/* a short signature, a bad line */
	b = note_base64(raw, 40);
	forged = xasprintf("\xe2\x80\x94 " WNAME " %s", b);
	assert_int_equal(cosig_verify(&v, TEXT, strlen(TEXT), forged, strlen(forged), NULL),
			 -E_INVALID);
	free(forged);
	free(b);
	assert_int_equal(cosig_verify(&v, TEXT, strlen(TEXT), "- x y", 5, NULL), -E_INVALID);
	free(line);
}

static void test_body_and_answer(void **state)
{
	(void)state;
	struct merkle_proof p = {.len = 2};
	struct buf b;
	memset(p.hash[0], 0, 32);
	memset(p.hash[1], 0xff, 32);
	buf_init(&b, 1 << 16);
	assert_int_equal(cosig_request_body(5, &p, "NOTE\n", 5, &b), 0);
	assert_string_equal(b.ptr, "old 5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
				   "//////////////////////////////////////////8=\n\nNOTE\n");
	p.len = 0;
	assert_int_equal(cosig_request_body(0, &p, "NOTE\n", 5, &b), 0);
	assert_string_equal(b.ptr, "old 0\n\nNOTE\n");
	p.len = 64;
	assert_int_equal(cosig_request_body(0, &p, "NOTE\n", 5, &b), -E_INVALID);
	buf_release(&b);

	uint8_t pk[32], sk[64];
	struct note_verifier v;
	keypair(pk, sk);
	verifier_for(WNAME, pk, &v);
	char *mine, *theirs;
	uint8_t osk[64], opk[32], seed[32] = {2};
	crypto_sign_seed_keypair(opk, osk, seed);
	assert_int_equal(cosig_sign(WNAME, sk, TEXT, strlen(TEXT), 10, &mine), 0);
	assert_int_equal(cosig_sign("other.example/w", osk, TEXT, strlen(TEXT), 11, &theirs), 0);
	char *answer = xasprintf("%s%s", theirs, mine);
	size_t off, len;
	uint64_t t;
	assert_int_equal(cosig_find(&v, TEXT, strlen(TEXT), answer, strlen(answer), &off, &len, &t),
			 0);
	assert_int_equal(off, strlen(theirs));
	assert_int_equal(len, strlen(mine) - 1);
	assert_int_equal(t, 10);
	assert_int_equal(cosig_find(&v, TEXT, strlen(TEXT), theirs, strlen(theirs), &off, &len, &t),
			 -E_NOTFOUND);
	assert_int_equal(cosig_find(&v, TEXT, strlen(TEXT), answer, strlen(answer) - 1, &off, &len,
				    &t),
			 -E_INVALID); /* no final newline */
	free(answer);
	free(mine);
	free(theirs);

	uint64_t size;
	assert_int_equal(cosig_parse_size("1234\n", 5, &size), 0);
	assert_int_equal(size, 1234);
	assert_int_equal(cosig_parse_size("0\n", 2, &size), 0);
	assert_int_equal(size, 0);
	assert_int_equal(cosig_parse_size("012\n", 4, &size), -E_INVALID);
	assert_int_equal(cosig_parse_size("\n", 1, &size), -E_INVALID);
	assert_int_equal(cosig_parse_size("12a\n", 4, &size), -E_INVALID);
	assert_int_equal(cosig_parse_size("99999999999999999999\n", 21, &size), -E_INVALID);
}

/* --- offers against a fake witness ------------------------------------------ */

struct fake {
	uint8_t pk[32], sk[64];
	uint64_t size; /* what it cosigned last */
	int mode;      /* 0: honest; 1: unreachable; 2: 404; 3: 422 always; 4: bad sig */
	int calls;
	char last_body[8192];
};

static int fake_post(void *ctx, const char *url, const char *body, size_t len,
		     struct witness_answer *out)
{
	struct fake *f = ctx;
	unsigned long long old;
	(void)url;
	f->calls++;
	memset(out, 0, sizeof(*out));
	buf_init(&out->body, COSIG_RESPONSE_MAX);
	snprintf(f->last_body, sizeof(f->last_body), "%.*s", (int)len, body);
	if (f->mode == 1) {
		buf_release(&out->body);
		return err_set(E_IO, "witness %s: connection refused", url);
	}
	if (f->mode == 2) {
		out->status = 404;
		buf_adds(&out->body, "unknown log\n");
		return 0;
	}
	assert_int_equal(sscanf(body, "old %llu\n", &old), 1);
	if (old != f->size) {
		out->status = 409;
		str_copy(out->ctype, sizeof(out->ctype), "text/x.tlog.size");
		buf_addf(&out->body, "%llu\n", (unsigned long long)f->size);
		return 0;
	}
	if (f->mode == 3) {
		out->status = 422;
		buf_adds(&out->body, "not consistent\n");
		return 0;
	}
	const char *note = strstr(body, "\n\n") + 2;
	const char *end = strstr(note, "\n\n") + 1;
	char *line;
	assert_int_equal(cosig_sign(WNAME, f->sk, note, (size_t)(end - note), 99, &line), 0);
	if (f->mode == 4)
		line[strlen(line) - 3] ^= 1;
	out->status = 200;
	buf_adds(&out->body, line);
	free(line);
	unsigned long long n;
	assert_int_equal(sscanf(strchr(note, '\n') + 1, "%llu", &n), 1);
	f->size = n;
	return 0;
}

struct fixture {
	char dir[64];
	char path[256];
	struct store *st;
	struct signer *key;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	if (tmpdir_make(f->dir, "cosig") < 0)
		return -1;
	if (testdb_path(f->dir, f->path, sizeof(f->path)) < 0)
		return -1;
	if (store_open(f->path, STORE_CREATE, &f->st) < 0 ||
	    signer_new("test.example/log", &f->key) < 0)
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

static void grow(struct fixture *f, int n)
{
	assert_int_equal(store_begin(f->st), 0);
	for (int i = 0; i < n; i++) {
		json_t *ev = json_pack("{s:s, s:s, s:s, s:i}", "type", "t", "at",
				       "2026-03-02T10:00:00Z", "actor", "a", "n", i);
		assert_int_equal(journal_append(f->st, ev, NULL), 0);
		json_decref(ev);
	}
	assert_int_equal(journal_checkpoint(f->st, f->key, "test.example/log"), 0);
	assert_int_equal(store_commit(f->st), 0);
}

static void offer(struct fixture *f, struct fake *w, struct witness_entry *e,
		  struct witness_outcome *o)
{
	uint64_t size;
	char *note;
	assert_int_equal(store_checkpoint_latest(f->st, &size, &note), 0);
	assert_int_equal(witness_offer(f->st, e, size, note, fake_post, w, o), 0);
	if (o->cosigned)
		e->cosigned = size;
	free(note);
}

static void test_offers(void **state)
{
	struct fixture *f = *state;
	struct fake w = {.size = 0};
	struct witness_outcome o;
	struct note_verifier v;
	keypair(w.pk, w.sk);
	verifier_for(WNAME, w.pk, &v);
	uint8_t key[33] = {NOTE_ALG_COSIGNATURE};
	memcpy(key + 1, w.pk, 32);
	char *b64 = note_base64(key, 33);
	char *vkey = xasprintf(WNAME "+%08x+%s", (unsigned)v.key_id, b64);
	struct witness_entry e = {(char *)WNAME, (char *)"http://127.0.0.1:9", vkey, 0, 0};

	grow(f, 3);
	offer(f, &w, &e, &o);
	assert_true(o.cosigned);
	assert_int_equal(w.size, 3);
	assert_non_null(strstr(w.last_body, "old 0\n\ntest.example/log\n3\n"));
	const char *sent = strstr(w.last_body, "\n\n") + 2;
	size_t text_len = (size_t)(strstr(sent, "\n\n") + 1 - sent);
	assert_int_equal(cosig_verify(&v, sent, text_len, o.line, strlen(o.line), NULL), 0);

	/* the next offer carries a proof from 3 */
	grow(f, 4);
	offer(f, &w, &e, &o);
	assert_true(o.cosigned);
	assert_int_equal(w.size, 7);
	assert_non_null(strstr(w.last_body, "old 3\n"));
	assert_int_equal(o.claimed, -1);

	/* docket lost its record: the 409 names 7, the offer is made from there */
	grow(f, 1);
	e.cosigned = 0;
	w.calls = 0;
	offer(f, &w, &e, &o);
	assert_true(o.cosigned);
	assert_int_equal(w.calls, 2);
	assert_int_equal(o.claimed, 7);
	assert_non_null(strstr(w.last_body, "old 7\n"));

	/* the witness is ahead of the log: a rollback, no proof possible */
	w.size = 100;
	grow(f, 1);
	offer(f, &w, &e, &o);
	assert_false(o.cosigned);
	assert_true(o.problem);
	assert_int_equal(o.claimed, 100);
	assert_non_null(strstr(o.status, "rolled back or forked"));

	/* 422: a problem; 404, unreachable, a bad cosignature: not */
	w.size = e.cosigned;
	w.mode = 3;
	offer(f, &w, &e, &o);
	assert_true(o.problem);
	assert_non_null(strstr(o.status, "HTTP 422"));
	w.mode = 2;
	offer(f, &w, &e, &o);
	assert_false(o.problem);
	assert_non_null(strstr(o.status, "HTTP 404"));
	w.mode = 1;
	offer(f, &w, &e, &o);
	assert_false(o.problem);
	assert_non_null(strstr(o.status, "not reached"));
	w.mode = 4;
	offer(f, &w, &e, &o);
	assert_false(o.cosigned);
	assert_non_null(strstr(o.status, "without a valid cosignature"));
	free(vkey);
	free(b64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_key_ids),
	    cmocka_unit_test(test_sign_verify),
	    cmocka_unit_test(test_body_and_answer),
	    cmocka_unit_test_setup_teardown(test_offers, setup, teardown),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
