/*
 * test_vault.c - the vault (core/disclose/vault.h): the strict import line parser,
 * account resolution, sealing of items of customers who hold their keys,
 * and a data source that refuses to read without a grant (I1).
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

#include "base/err.h"
#include "base/util.h"
#include "core/disclose/vault.h"
#include "log/note.h"
#include "store/store.h"
#include "store/txn.h"

#define ACCT "\"account\":{\"type\":\"email\",\"value\":\"alice@example.net\"}"
#define META "\"category\":\"content\",\"kind\":\"email_message\"," \
	     "\"created_at\":\"2025-07-01T10:00:00Z\",\"location\":\"IE\""

/* ===================================================================
 * Parsing
 * =================================================================== */

static void test_parse_text(void **state)
{
	(void)state;
	const char *line = "{" ACCT "," META ",\"data\":\"From: a\\n\\nhello\\tthere\"}";
	struct vault_item it;
	assert_int_equal(vault_item_parse(line, strlen(line), &it), 0);
	assert_int_equal(it.account.type, TGT_EMAIL);
	assert_string_equal(it.account.value, "alice@example.net");
	assert_int_equal(it.category, CAT_CONTENT);
	assert_string_equal(it.kind, "email_message");
	assert_string_equal(it.location, "IE");
	assert_int_equal(it.created_at.t, 1751364000);
	assert_int_equal(it.len, strlen("From: a\n\nhello\tthere"));
	assert_memory_equal(it.data, "From: a\n\nhello\tthere", it.len);
	vault_item_release(&it);
	assert_null(it.data);
}

static void test_parse_base64_and_empty(void **state)
{
	(void)state;
	const char *line = "{" ACCT "," META ",\"data_base64\":\"AAEC/w==\"}";
	static const unsigned char want[] = {0, 1, 2, 0xff};
	struct vault_item it;
	assert_int_equal(vault_item_parse(line, strlen(line), &it), 0);
	assert_int_equal(it.len, 4);
	assert_memory_equal(it.data, want, 4);
	vault_item_release(&it);
	line = "{" ACCT "," META ",\"data\":\"\"}";
	assert_int_equal(vault_item_parse(line, strlen(line), &it), 0);
	assert_int_equal(it.len, 0);
	assert_non_null(it.data);
	vault_item_release(&it);
	line = "{" ACCT "," META ",\"data_base64\":\"\"}";
	assert_int_equal(vault_item_parse(line, strlen(line), &it), 0);
	assert_int_equal(it.len, 0);
	vault_item_release(&it);
}

struct bad {
	const char *line;
	const char *field;        /* the message names it */
};

static void test_parse_rejects(void **state)
{
	(void)state;
	static const struct bad bad[] = {
		{"not json", "json"},
		{"{" ACCT "," META ",\"data\":\"x\",\"extra\":1}", "'extra'"},
		{"{" META ",\"data\":\"x\"}", "'account'"},
		{"{\"account\":{\"type\":\"mail\",\"value\":\"a@b\"}," META ",\"data\":\"x\"}",
		 "'account.type'"},
		{"{\"account\":{\"type\":\"email\"}," META ",\"data\":\"x\"}", "'account.value'"},
		{"{\"account\":{\"type\":\"email\",\"value\":\"a@b\",\"x\":1}," META
		 ",\"data\":\"x\"}",
		 "'account.x'"},
		{"{" ACCT ",\"category\":\"secrets\",\"kind\":\"k\",\"created_at\":\"2025-01-01\","
		 "\"location\":\"IE\",\"data\":\"x\"}",
		 "'category'"},
		{"{" ACCT ",\"category\":\"content\",\"kind\":\"Email Message\","
		 "\"created_at\":\"2025-01-01\",\"location\":\"IE\",\"data\":\"x\"}",
		 "'kind'"},
		{"{" ACCT ",\"category\":\"content\",\"kind\":\"../etc\","
		 "\"created_at\":\"2025-01-01\",\"location\":\"IE\",\"data\":\"x\"}",
		 "'kind'"},
		{"{" ACCT ",\"category\":\"content\",\"kind\":\"k\",\"created_at\":\"2025-02-30\","
		 "\"location\":\"IE\",\"data\":\"x\"}",
		 "'created_at'"},
		{"{" ACCT ",\"category\":\"content\",\"kind\":\"k\","
		 "\"created_at\":\"2025-01-01T10:00:00+02:00\",\"location\":\"IE\",\"data\":\"x\"}",
		 "'created_at'"},
		{"{" ACCT ",\"category\":\"content\",\"kind\":\"k\",\"created_at\":\"2025-01-01\","
		 "\"location\":\"XX\",\"data\":\"x\"}",
		 "'location'"},
		{"{" ACCT ",\"category\":\"content\",\"kind\":\"k\",\"created_at\":\"2025-01-01\","
		 "\"data\":\"x\"}",
		 "'location'"},
		{"{" ACCT "," META "}", "'data'"},
		{"{" ACCT "," META ",\"data\":\"x\",\"data_base64\":\"eA==\"}", "'data_base64'"},
		{"{" ACCT "," META ",\"data_base64\":\"eA\"}", "'data_base64'"},
		{"{" ACCT "," META ",\"data_base64\":\"e A==\"}", "'data_base64'"},
		{"{" ACCT "," META ",\"data\":\"bell\\u0007\"}", "'data'"},
		{"{" ACCT "," META ",\"data\":\"nul\\u0000\"}", ""},
		{"{" ACCT "," META ",\"data\":5}", "'data'"},
		{"{" ACCT "," META ",\"data\":\"x\",\"data\":\"y\"}", "data"},
		{"[1]", ""},
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct vault_item it;
		memset(&it, 0x5a, sizeof(it));
		int rc = vault_item_parse(bad[i].line, strlen(bad[i].line), &it);
		if (rc != -E_INVALID || !strstr(err_msg(), bad[i].field))
			fail_msg("line %zu: rc %d, message '%s', wanted field %s", i, rc, err_msg(),
				 bad[i].field);
		assert_null(it.data);
		assert_null(it.kind);
		assert_null(it.account.value);
	}
}

static void test_parse_size_cap(void **state)
{
	(void)state;
	size_t n = VAULT_MAX_ITEM + 1;
	struct buf b;
	struct vault_item it;
	buf_init(&b, BUF_UNLIMITED);
	buf_adds(&b, "{" ACCT "," META ",\"data\":\"");
	for (size_t i = 0; i < n; i++)
		buf_addc(&b, 'a');
	buf_adds(&b, "\"}");
	assert_int_equal(vault_item_parse(b.ptr, b.len, &it), -E_INVALID);
	buf_release(&b);
}

/* ===================================================================
 * Importing
 * =================================================================== */

struct fx {
	char dir[64];
	struct store *st;
	unsigned char pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES];
};

static void put_customer(struct store *st, const char *id, const char *email,
			 const char *public_key)
{
	char doc[1024];
	struct customer c;
	snprintf(doc, sizeof(doc),
		 "{\"id\":\"%s\",\"name\":\"N\",\"type\":\"consumer\",\"country\":\"US\","
		 "\"contact\":{\"email\":\"%s\"},%s%s%s\"accounts\":[{\"type\":\"email\","
		 "\"value\":\"%s\"}]}",
		 id, email, public_key ? "\"key_custody\":\"customer\",\"public_key\":\"" : "",
		 public_key ? public_key : "", public_key ? "\"," : "", email);
	assert_int_equal(customer_parse(doc, strlen(doc), &c), 0);
	assert_int_equal(store_customer_put(st, &c), 0);
	customer_release(&c);
}

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	char path[96];
	str_copy(f->dir, sizeof(f->dir), "/tmp/docket-vault-XXXXXX");
	if (!mkdtemp(f->dir) || sodium_init() < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", f->dir);
	if (store_open(path, STORE_CREATE, &f->st) < 0)
		return -1;
	crypto_box_keypair(f->pk, f->sk);
	char *b64 = note_base64(f->pk, sizeof(f->pk));
	put_customer(f->st, "c-alice", "alice@example.net", NULL);
	put_customer(f->st, "c-carol", "carol@example.net", b64);
	free(b64);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];
	store_close(f->st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void item_for(struct vault_item *it, const char *email, const char *data)
{
	char line[512];
	snprintf(line, sizeof(line),
		 "{\"account\":{\"type\":\"email\",\"value\":\"%s\"}," META ",\"data\":\"%s\"}",
		 email, data);
	assert_int_equal(vault_item_parse(line, strlen(line), it), 0);
}

static void test_unknown_account(void **state)
{
	struct fx *f = *state;
	struct vault_item it;
	struct vault_import *vi = vault_import_new(f->st);
	item_for(&it, "mallory@example.net", "x");
	assert_int_equal(vault_import_check(vi, &it), -E_INVALID);
	assert_non_null(strstr(err_msg(), "field 'account'"));
	assert_non_null(strstr(err_msg(), "mallory@example.net"));
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(vault_import_put(vi, &it), -E_INVALID);
	store_rollback(f->st);
	vault_item_release(&it);
	vault_import_free(vi);
}

static void test_import_seals_customer_held_keys(void **state)
{
	struct fx *f = *state;
	struct vault_item a, c;
	int64_t items = 0, bytes = 0;
	struct vault_import *vi = vault_import_new(f->st);
	item_for(&a, "alice@example.net", "plain words");
	item_for(&c, "carol@example.net", "secret words");
	assert_int_equal(vault_import_check(vi, &a), 0);
	assert_int_equal(vault_import_check(vi, &c), 0);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(vault_import_put(vi, &a), 0);
	assert_int_equal(vault_import_put(vi, &c), 0);
	assert_int_equal(vault_import_put(vi, &c), 0);
	assert_int_equal(store_commit(f->st), 0);
	const struct vault_import_stats *s = vault_import_stats(vi);
	assert_int_equal(s->items, 3);
	assert_int_equal(s->sealed, 2);
	assert_int_equal(s->per_category[CAT_CONTENT], 3);
	/* a sealed box is 48 bytes longer than what it seals */
	assert_int_equal(s->bytes, a.len + 2 * (c.len + crypto_box_SEALBYTES));
	assert_int_equal(store_vault_count(f->st, &items, &bytes), 0);
	assert_int_equal(items, 3);
	assert_int_equal((uint64_t)bytes, s->bytes);
	vault_item_release(&a);
	vault_item_release(&c);
	vault_import_free(vi);
}

static void test_import_file_recorded(void **state)
{
	struct fx *f = *state;
	int64_t at = 0;
	assert_int_equal(store_vault_import_find(f->st, "sha256:ab", &at), -E_NOTFOUND);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_vault_import_add(f->st, "sha256:ab", 3, 77, 5), 0);
	assert_int_equal(store_vault_import_add(f->st, "sha256:ab", 3, 78, 6), -E_INVALID);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(store_vault_import_find(f->st, "sha256:ab", &at), 0);
	assert_int_equal(at, 77);
}

static int never(void *ctx, const struct source_item *it)
{
	(void)ctx;
	(void)it;
	fail_msg("the vault handed over an item without a grant");
	return 0;
}

static void test_source_needs_a_grant(void **state)
{
	struct fx *f = *state;
	struct source src;
	vault_source(f->st, &src);
	assert_string_equal(src.name, "vault");
	assert_null(grant_scope(NULL));
	assert_int_equal(src.read(src.self, NULL, never, NULL), -E_INTERNAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_text),
		cmocka_unit_test(test_parse_base64_and_empty),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_parse_size_cap),
		cmocka_unit_test_setup_teardown(test_unknown_account, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_seals_customer_held_keys, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_import_file_recorded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_source_needs_a_grant, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
