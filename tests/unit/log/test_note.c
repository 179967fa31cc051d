/*
 * test_note.c - log/note.c (signed notes, verifier keys, checkpoints) and
 * log/signer.c (key files).  Known answers come from the test data of Go's
 * golang.org/x/mod/sumdb/note, the reference implementation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"
#include "log/note.h"
#include "log/signer.h"

static const char *VKEY =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
static const char *SKEY =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
static const char *TEXT = "If you think cryptography is the answer to your problem,\n"
			  "then you don't know what your problem is.\n";
static const char *PETER_SIG =
    "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2"
    "pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
static const char *ENOCH_SIG =
    "\xe2\x80\x94 EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ov"
    "TG01oOTGwnWLox33WWd1RvMc+QQ=\n";

static struct note_verifier peter;

static char *cat3(const char *a, const char *b, const char *c)
{
	return xasprintf("%s%s%s", a, b, c);
}

/* Open s with the Peter key: the return code. */
static int open_rc(const char *s)
{
	size_t n;
	return note_open(s, strlen(s), &peter, &n);
}

/* --- verifier keys ---------------------------------------------------- */

static void test_verifier_parse(void **state)
{
	(void)state;
	struct note_verifier v;
	assert_int_equal(note_verifier_parse(VKEY, &v), 0);
	assert_string_equal(v.name, "PeterNeumann");
	assert_int_equal(v.key_id, 0xc74f20a3);
	char *again;
	assert_int_equal(note_verifier_format(v.name, v.pub, &again), 0);
	assert_string_equal(again, VKEY);
	free(again);
}

static void test_verifier_bad(void **state)
{
	(void)state;
	static const char *bad[] = {
	    "",
	    "PeterNeumann",
	    "PeterNeumann+c74f20a3",
	    "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
	    "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
	    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",
	    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW=",
	    "PeterNeumann+c74f20a3+ ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
	    "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
	    "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
	    /* Go's own bad keys: wrong length and unknown algorithm */
	    "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
	    "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
	};
	struct note_verifier v;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(note_verifier_parse(bad[i], &v), -E_INVALID);
}

static void test_names(void **state)
{
	(void)state;
	assert_true(note_name_valid("example.com/log", 15));
	assert_true(note_name_valid("caf\xc3\xa9", 5));
	assert_false(note_name_valid("", 0));
	assert_false(note_name_valid("a b", 3));
	assert_false(note_name_valid("a+b", 3));
	assert_false(note_name_valid("a\tb", 3));
	assert_false(note_name_valid("a\xc2\xa0"
				     "b",
				     4)); /* no-break space */
	assert_false(note_name_valid("a\xe3\x80\x80"
				     "b",
				     5));		   /* ideographic space */
	assert_false(note_name_valid("a\xc0\xafz", 4));	   /* overlong */
	assert_false(note_name_valid("a\xed\xa0\x80", 4)); /* surrogate */
}

/* --- signing and opening ----------------------------------------------- */

static void test_sign_known_answer(void **state)
{
	(void)state;
	struct signer *s;
	char *note;
	assert_int_equal(signer_parse(SKEY, strlen(SKEY), &s), 0);
	assert_string_equal(signer_verifier_key(s), VKEY);
	assert_string_equal(signer_name(s), "PeterNeumann");
	assert_int_equal(signer_sign(s, TEXT, strlen(TEXT), &note), 0);
	char *want = cat3(TEXT, "\n", PETER_SIG);
	assert_string_equal(note, want);
	assert_int_equal(open_rc(note), 0);
	free(want);
	free(note);
	signer_free(s);
}

static void test_open_known(void **state)
{
	(void)state;
	size_t n;
	char *msg = cat3(TEXT, "\n", PETER_SIG);
	assert_int_equal(note_open(msg, strlen(msg), &peter, &n), 0);
	assert_int_equal(n, strlen(TEXT));
	free(msg);
	/* unknown keys are ignored, before or after */
	char *two = xasprintf("%s\n%s%s", TEXT, ENOCH_SIG, PETER_SIG);
	assert_int_equal(open_rc(two), 0);
	free(two);
	two = xasprintf("%s\n%s%s", TEXT, PETER_SIG, ENOCH_SIG);
	assert_int_equal(open_rc(two), 0);
	free(two);
	/* signed only by someone else */
	msg = cat3(TEXT, "\n", ENOCH_SIG);
	assert_int_equal(open_rc(msg), -E_INVALID);
	free(msg);
}

static void test_open_rejects(void **state)
{
	(void)state;
	char *good = cat3(TEXT, "\n", PETER_SIG);
	char *m;
	/* a changed text */
	m = xstrdup(good);
	m[3] ^= 0x20;
	assert_int_equal(open_rc(m), -E_INVALID);
	free(m);
	/* a changed signature */
	m = xstrdup(good);
	m[strlen(m) - 10] = m[strlen(m) - 10] == 'A' ? 'B' : 'A';
	assert_int_equal(open_rc(m), -E_INVALID);
	free(m);
	/* the right name with another key id is not our signature */
	m = cat3(TEXT, "\n",
		 "\xe2\x80\x94 PeterNeumann AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n");
	assert_int_equal(open_rc(m), -E_INVALID);
	free(m);
	/* no final newline, no blank line, ASCII dash, control character */
	m = xstrndup(good, strlen(good) - 1);
	assert_int_equal(open_rc(m), -E_INVALID);
	free(m);
	m = cat3(TEXT, "", PETER_SIG);
	assert_int_equal(open_rc(m), -E_INVALID);
	free(m);
	m = cat3(TEXT,
		 "\n-- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgY"
		 "N1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
		 "");
	assert_int_equal(open_rc(m), -E_INVALID);
	free(m);
	m = cat3("tab\there\n", "\n", PETER_SIG);
	assert_int_equal(open_rc(m), -E_INVALID);
	free(m);
	m = cat3("bad \xff utf-8\n", "\n", PETER_SIG);
	assert_int_equal(open_rc(m), -E_INVALID);
	free(m);
	/* an empty signature block, and a blank line in it */
	m = cat3(TEXT, "\n", "");
	assert_int_equal(open_rc(m), -E_INVALID);
	free(m);
	m = cat3(good, "\n", "");
	assert_int_equal(open_rc(m), -E_INVALID);
	free(m);
	free(good);
}

static void test_open_caps(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, BUF_UNLIMITED);
	buf_addf(&b, "%s\n", TEXT);
	for (int i = 0; i < NOTE_MAX_SIGS; i++)
		buf_adds(&b, ENOCH_SIG);
	buf_adds(&b, PETER_SIG);
	assert_int_equal(open_rc(b.ptr), -E_INVALID); /* 101 signatures */
	buf_reset(&b);
	for (int i = 0; i < NOTE_MAX_LEN; i++)
		buf_addc(&b, 'x');
	buf_addf(&b, "\n\n%s", PETER_SIG);
	assert_int_equal(open_rc(b.ptr), -E_INVALID); /* too long */
	buf_release(&b);
}

static void test_sign_rejects(void **state)
{
	(void)state;
	struct signer *s;
	char *note;
	assert_int_equal(signer_parse(SKEY, strlen(SKEY), &s), 0);
	assert_int_equal(signer_sign(s, "no newline", 10, &note), -E_INVALID);
	assert_int_equal(signer_sign(s, "a\n\nb\n", 5, &note), -E_INVALID);
	assert_int_equal(signer_sign(s, "\n", 1, &note), -E_INVALID);
	assert_int_equal(signer_sign(s, "a\rb\n", 4, &note), -E_INVALID);
	assert_int_equal(signer_sign(s, "", 0, &note), -E_INVALID);
	assert_null(note);
	signer_free(s);
	struct signer *t;
	assert_int_equal(signer_new("bad name", &t), -E_INVALID);
	assert_int_equal(signer_new("bad+name", &t), -E_INVALID);
}

static void test_base64_strict(void **state)
{
	(void)state;
	uint8_t out[8];
	size_t n;
	assert_int_equal(note_unbase64("AA==", 4, out, sizeof(out), &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(note_unbase64("AB==", 4, out, sizeof(out), &n), -E_INVALID);
	assert_int_equal(note_unbase64("AA", 2, out, sizeof(out), &n), -E_INVALID);
	assert_int_equal(note_unbase64("AA=", 3, out, sizeof(out), &n), -E_INVALID);
	assert_int_equal(note_unbase64("A A=", 4, out, sizeof(out), &n), -E_INVALID);
	assert_int_equal(note_unbase64("AAAAAAAAAAAA", 12, out, sizeof(out), &n),
			 -E_INVALID);
	assert_int_equal(note_unbase64("", 0, out, sizeof(out), &n), -E_INVALID);
}

/* --- checkpoints -------------------------------------------------------- */

static void test_checkpoint_roundtrip(void **state)
{
	(void)state;
	struct checkpoint c = {.origin = "example.com/behind-the-sofa", .size = 20852163},
			  d;
	static const char *root64 = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
	size_t n;
	char *text;
	assert_int_equal(note_unbase64(root64, strlen(root64), c.root, 32, &n), 0);
	assert_int_equal(checkpoint_format(&c, &text), 0);
	assert_string_equal(text, "example.com/behind-the-sofa\n20852163\n"
				  "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
	assert_int_equal(checkpoint_parse(text, strlen(text), &d), 0);
	assert_string_equal(d.origin, c.origin);
	assert_int_equal(d.size, c.size);
	assert_memory_equal(d.root, c.root, 32);
	free(text);
	/* extension lines are allowed and ignored */
	static const char *ext =
	    "o\n0\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\nx\ny\n";
	assert_int_equal(checkpoint_parse(ext, strlen(ext), &d), 0);
	assert_int_equal(d.size, 0);
}

static void test_checkpoint_bad(void **state)
{
	(void)state;
	static const char *bad[] = {
	    "",
	    "o\n1\n",
	    "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=",
	    "\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
	    "o\n01\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
	    "o\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
	    "o\n+1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
	    "o\n 1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
	    "o\n9223372036854775808\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
	    "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2=\n",
	    "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2IA\n",
	    "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n",
	    "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\nx\n\n",
	};
	struct checkpoint d;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(checkpoint_parse(bad[i], strlen(bad[i]), &d),
				 -E_INVALID);
	struct checkpoint c = {.origin = "has space", .size = 1};
	char *text;
	assert_int_equal(checkpoint_format(&c, &text), -E_INVALID);
}

/* --- key files ------------------------------------------------------------ */

struct keydir {
	char dir[64];
	char path[96];
};

static int key_setup(void **state)
{
	struct keydir *k = xcalloc(1, sizeof(*k));
	str_copy(k->dir, sizeof(k->dir), "/tmp/docket-note-XXXXXX");
	if (!mkdtemp(k->dir))
		return -1;
	snprintf(k->path, sizeof(k->path), "%s/t.db.key", k->dir);
	*state = k;
	return 0;
}

static int key_teardown(void **state)
{
	struct keydir *k = *state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", k->dir);
	int rc = system(cmd);
	free(k);
	return rc == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	chmod(path, mode);
}

static void test_key_generate_load(void **state)
{
	struct keydir *k = *state;
	struct signer *s;
	struct stat sb;
	assert_int_equal(signer_generate(k->path, "test.example/log"), 0);
	assert_int_equal(stat(k->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(signer_load(k->path, &s), 0);
	assert_string_equal(signer_name(s), "test.example/log");
	struct note_verifier v;
	assert_int_equal(note_verifier_parse(signer_verifier_key(s), &v), 0);
	assert_memory_equal(&v, signer_verifier(s), sizeof(v));
	/* a second generate never replaces the key */
	assert_int_equal(signer_generate(k->path, "test.example/log"), -E_REFUSED);
	struct signer *again;
	assert_int_equal(signer_load(k->path, &again), 0);
	assert_string_equal(signer_verifier_key(again), signer_verifier_key(s));
	signer_free(again);
	signer_free(s);
	/* no temporary file is left behind */
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "test $(ls -A %s | wc -l) -eq 1", k->dir);
	assert_int_equal(system(cmd), 0);
}

static void test_key_permissions(void **state)
{
	struct keydir *k = *state;
	struct signer *s = NULL;
	write_file(k->path, SKEY, 0640);
	assert_int_equal(signer_load(k->path, &s), -E_REFUSED);
	assert_non_null(strstr(err_msg(), "chmod 600"));
	assert_null(s);
	chmod(k->path, 0604);
	assert_int_equal(signer_load(k->path, &s), -E_REFUSED);
	chmod(k->path, 0400);
	assert_int_equal(signer_load(k->path, &s), 0);
	assert_string_equal(signer_verifier_key(s), VKEY);
	signer_free(s);
	char *d = xasprintf("%s/dir.key", k->dir);
	mkdir(d, 0700);
	assert_int_equal(signer_load(d, &s), -E_REFUSED);
	free(d);
}

static void test_key_damaged(void **state)
{
	struct keydir *k = *state;
	static const char *bad[] = {
	    "",
	    "PRIVATE+KEY+PeterNeumann+c74f20a3",
	    "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+"
	    "Y7hfZx09iUvxdXHKDFz",
	    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+"
	    "Y7hfZx09iUvxdXHKDF",
	    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+"
	    "Y7hfZx09iUvxdXHKDFz\n\n",
	    "PUBLIC+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+"
	    "Y7hfZx09iUvxdXHKDFz",
	};
	struct signer *s;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		unlink(k->path);
		write_file(k->path, bad[i], 0600);
		assert_int_equal(signer_load(k->path, &s), -E_INVALID);
		assert_non_null(strstr(err_msg(), k->path));
	}
	unlink(k->path);
	assert_int_equal(signer_load(k->path, &s), -E_NOTFOUND);
}

static void test_key_bad_dir(void **state)
{
	struct keydir *k = *state;
	char *p = xasprintf("%s/missing/t.db.key", k->dir);
	assert_int_equal(signer_generate(p, "x"), -E_IO);
	free(p);
	if (geteuid() == 0)
		return; /* root writes anywhere */
	chmod(k->dir, 0500);
	assert_int_equal(signer_generate(k->path, "x"), -E_IO);
	chmod(k->dir, 0700);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_verifier_parse),
	    cmocka_unit_test(test_verifier_bad),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_sign_known_answer),
	    cmocka_unit_test(test_open_known),
	    cmocka_unit_test(test_open_rejects),
	    cmocka_unit_test(test_open_caps),
	    cmocka_unit_test(test_sign_rejects),
	    cmocka_unit_test(test_base64_strict),
	    cmocka_unit_test(test_checkpoint_roundtrip),
	    cmocka_unit_test(test_checkpoint_bad),
	    cmocka_unit_test_setup_teardown(test_key_generate_load, key_setup,
					    key_teardown),
	    cmocka_unit_test_setup_teardown(test_key_permissions, key_setup,
					    key_teardown),
	    cmocka_unit_test_setup_teardown(test_key_damaged, key_setup, key_teardown),
	    cmocka_unit_test_setup_teardown(test_key_bad_dir, key_setup, key_teardown),
	};
	if (sodium_init() < 0 || note_verifier_parse(VKEY, &peter) < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
