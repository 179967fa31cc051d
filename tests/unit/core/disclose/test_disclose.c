/*
 * test_disclose.c - the disclosure step (core/disclose/disclose.h) and the one read
 * path to customer data (I1, I7, I8, I10; docs/disclosure.md):
 *
 *   - exactly the items in scope reach the package: never another account,
 *     another category, or an item outside the date range; narrowing at
 *     review is honoured; a source that hands over more is refused;
 *   - refusals (not ready, not an approver, one approver, file exists)
 *     write nothing and change nothing;
 *   - content of customers who hold their keys leaves only as ciphertext,
 *     which the customer's secret key opens;
 *   - content in the provider's custody is encrypted at rest under the
 *     vault key; a changed row, swapped metadata, or a missing or too open
 *     key file fails the disclosure and changes nothing;
 *   - every item read is logged; the package is reproducible; verification
 *     catches a changed item, manifest, key or proof;
 *   - no file of src/ but the allowed ones can reach the content-reading
 *     function (a scan of the source tree).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "base/err.h"
#include "core/policy/classify.h"
#include "base/util.h"
#include "core/disclose/disclose.h"
#include "core/disclose/package.h"
#include "core/disclose/vault.h"
#include "core/ledger/event.h"
#include "core/ledger/journal.h"
#include "core/workflow/intake.h"
#include "log/signer.h"
#include "store/store.h"
#include "store/txn.h"

#define ORIGIN "test.example/log"
#define NOW 1772452800 /* 2026-03-02T12:00:00Z */

static const char *const PEOPLE[] = {"alice", "bob", "carol"};
static const char *const DATES[] = {
	"2024-06-01T00:00:00Z",	/* before the range */
	"2025-06-01T00:00:00Z",	/* inside */
	"2026-02-28T23:59:59Z",	/* the last second of the date-only "to" day */
	"2026-03-01T00:00:00Z", /* after */
};

struct fx {
	char dir[64];
	char db[96];
	struct store *st;
	struct signer *key;
	unsigned char pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES];
	int n;
};

/* ===================================================================
 * Fixture: three customers (carol holds her keys), each with one item
 * per category and date
 * =================================================================== */

static void put_customer(struct store *st, const char *who, const char *public_key)
{
	char doc[1024];
	struct customer c;
	snprintf(doc, sizeof(doc),
		 "{\"id\":\"c-%s\",\"name\":\"N\",\"type\":\"consumer\",\"country\":\"US\","
		 "\"contact\":{\"email\":\"%s@example.net\"},%s%s%s\"accounts\":[{\"type\":"
		 "\"email\",\"value\":\"%s@example.net\"}]}",
		 who, who, public_key ? "\"key_custody\":\"customer\",\"public_key\":\"" : "",
		 public_key ? public_key : "", public_key ? "\"," : "", who);
	assert_int_equal(customer_parse(doc, strlen(doc), &c), 0);
	assert_int_equal(store_customer_put(st, &c), 0);
	customer_release(&c);
}

static void put_items(struct store *st)
{
	struct vault_import *vi = vault_import_new(st);
	for (size_t p = 0; p < ARRAY_SIZE(PEOPLE); p++)
		for (int c = 0; c < category__COUNT; c++)
			for (size_t d = 0; d < ARRAY_SIZE(DATES); d++) {
				char line[512];
				struct vault_item it;
				snprintf(line, sizeof(line),
					 "{\"account\":{\"type\":\"email\",\"value\":"
					 "\"%s@example.net\"},\"category\":\"%s\",\"kind\":"
					 "\"k_%s\",\"created_at\":\"%s\",\"location\":\"US\","
					 "\"data\":\"%s|%s|%s\"}",
					 PEOPLE[p], category_str(c), category_str(c), DATES[d],
					 PEOPLE[p], category_str(c), DATES[d]);
				assert_int_equal(vault_item_parse(line, strlen(line), &it), 0);
				assert_int_equal(vault_import_put(vi, &it), 0);
				vault_item_release(&it);
			}
	vault_import_free(vi);
}

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	str_copy(f->dir, sizeof(f->dir), "/tmp/docket-disclose-XXXXXX");
	if (!mkdtemp(f->dir) || sodium_init() < 0)
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/t.db", f->dir);
	if (store_open(f->db, STORE_CREATE, &f->st) < 0 || signer_new(ORIGIN, &f->key) < 0)
		return -1;
	crypto_box_keypair(f->pk, f->sk);
	char *b64 = note_base64(f->pk, sizeof(f->pk));
	assert_int_equal(store_begin(f->st), 0);
	put_customer(f->st, "alice", NULL);
	put_customer(f->st, "bob", NULL);
	put_customer(f->st, "carol", b64);
	put_items(f->st);
	assert_int_equal(store_commit(f->st), 0);
	free(b64);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];
	store_close(f->st);
	signer_free(f->key);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* The history a request reaches state s by, logged as the workflow would:
 * the disclosure checks its basis against these entries (core/ledger/basis.h). */
static void log_history(struct fx *f, const struct request *r, unsigned scope,
			enum state s, int approvals)
{
	struct actor intake = {"ivan", NOW}, review = {"rita", NOW};
	char cats[64];
	int at = ST_IN_REVIEW;
	json_t *facts = json_object();
	assert_int_equal(intake_facts(f->st, r, facts), 0);
	assert_int_equal(event_transition(f->st, &intake, r->id, "received", -1, ST_IN_REVIEW,
					  NULL, facts, NULL),
			 0);
	if (s == ST_IN_REVIEW)
		return;
	json_t *extra = NULL;
	if (scope) {
		categories_format(scope, cats, sizeof(cats));
		extra = json_pack("{s:s}", "categories", cats);
	}
	assert_int_equal(event_transition(f->st, &review, r->id, scope ? "narrow" : "approve",
					  at, ST_APPROVED, "ok", extra, NULL),
			 0);
	at = ST_APPROVED;
	for (int i = 0; i < approvals; i++) {
		struct actor who = {i ? "amy" : "abe", NOW};
		int final = i + 1 == approvals && s == ST_READY;
		uint64_t idx;
		assert_int_equal(event_transition(f->st, &who, r->id,
						  final ? "sign_off_final" : "sign_off", at,
						  final ? ST_READY : ST_APPROVED, NULL, NULL, &idx),
				 0);
		assert_int_equal(store_approval_add(f->st, r->id, who.name, NOW, idx), 0);
		at = final ? ST_READY : ST_APPROVED;
	}
}

/* A request for `who` (a comma-separated list of people or other e-mail
 * names) asking `cats`, in state s with `approvals` sign-offs; `range`
 * adds a date range; scope (when non-zero) is what review kept. */
static int64_t make_request(struct fx *f, const char *who, const char *cats, int range,
			    unsigned scope, enum state s, int approvals)
{
	char doc[1024], targets[512] = "";
	struct request r = {0};
	char *list = xstrdup(who), *save = NULL;
	for (char *p = strtok_r(list, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		size_t n = strlen(targets);
		snprintf(targets + n, sizeof(targets) - n,
			 "%s{\"type\":\"email\",\"value\":\"%s@example.net\"}", n ? "," : "", p);
	}
	free(list);
	snprintf(doc, sizeof(doc),
		 "{\"ref\":\"W-%d\",\"agency\":\"us-x\",\"kind\":\"criminal\",\"process\":"
		 "\"search_warrant\",\"targets\":[%s],\"categories\":[%s]%s}",
		 ++f->n, targets, cats,
		 range ? ",\"date_range\":{\"from\":\"2025-01-01\",\"to\":\"2026-02-28\"}" : "");
	assert_int_equal(request_parse(doc, strlen(doc), REQUEST_NEW, NOW, &r), 0);
	str_copy(r.country, sizeof(r.country), "US");
	for (size_t i = 0; i < r.n_targets; i++) {
		int rc = store_account_resolve(f->st, r.targets[i].type, r.targets[i].value,
					       &r.targets[i].account_id,
					       &r.targets[i].customer_id);
		assert_true(rc == 0 || rc == -E_NOTFOUND);
	}
	r.state = s;
	request_classify(&r);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_request_insert(f->st, &r, NULL), 0);
	if (scope)
		assert_int_equal(store_request_set_scope(f->st, r.id, scope), 0);
	log_history(f, &r, scope, s, approvals);
	assert_int_equal(journal_checkpoint(f->st, f->key, ORIGIN), 0);
	assert_int_equal(store_commit(f->st), 0);
	int64_t id = r.id;
	request_release(&r);
	return id;
}

static int disclose_as(struct fx *f, const struct source *src, unsigned roles, int64_t id,
		       const char *file, struct disclosure *d)
{
	struct staff by = {{"abe", NOW}, roles};
	char path[160];
	snprintf(path, sizeof(path), "%s/%s", f->dir, file);
	assert_int_equal(store_begin(f->st), 0);
	int rc = disclose_prepare(f->st, src, f->key, ORIGIN, &by, id, path, NULL, NULL, d);
	if (rc == 0)
		rc = journal_checkpoint(f->st, f->key, ORIGIN);
	if (rc == 0) {
		assert_int_equal(store_commit(f->st), 0);
		rc = disclose_publish(d);
	} else {
		store_rollback(f->st);
	}
	disclose_release(d);
	return rc;
}

static int disclose(struct fx *f, int64_t id, const char *file, struct disclosure *d)
{
	struct source src;
	vault_source(f->st, &src);
	return disclose_as(f, &src, ROLE_BIT(ROLE_APPROVER), id, file, d);
}

/* ===================================================================
 * Reading packages back
 * =================================================================== */

struct unpacked {
	size_t n;
	char *name[256];
	char *data[256];
	size_t len[256];
	json_t *manifest;
};

static int collect(void *ctx, const struct package_member *m)
{
	struct unpacked *u = ctx;
	assert_true(u->n < 256);
	assert_non_null(m->data);
	u->name[u->n] = xstrdup(m->name);
	u->data[u->n] = xmalloc(m->size + 1);
	memcpy(u->data[u->n], m->data, m->size + 1);
	u->len[u->n++] = m->size;
	return 0;
}

static void unpack(struct fx *f, const char *file, struct unpacked *u)
{
	char path[160];
	json_error_t jerr;
	memset(u, 0, sizeof(*u));
	snprintf(path, sizeof(path), "%s/%s", f->dir, file);
	assert_int_equal(package_read(path, 1 << 20, collect, u, NULL, NULL), 0);
	for (size_t i = 0; i < u->n; i++)
		if (strcmp(u->name[i], "manifest.json") == 0)
			u->manifest = json_loads(u->data[i], 0, &jerr);
	assert_non_null(u->manifest);
}

static void unpacked_release(struct unpacked *u)
{
	for (size_t i = 0; i < u->n; i++) {
		free(u->name[i]);
		free(u->data[i]);
	}
	json_decref(u->manifest);
}

static size_t count_items(const struct unpacked *u)
{
	size_t n = 0;
	for (size_t i = 0; i < u->n; i++)
		n += str_has_prefix(u->name[i], "items/");
	return n;
}

/* Every item member is "who|category|date" of an allowed person and
 * category within [from, to], and the manifest says the same. */
static void assert_items_within(const struct unpacked *u, const char *who, unsigned cats,
				const char *from, const char *to)
{
	json_t *items = json_object_get(u->manifest, "items");
	assert_int_equal(json_array_size(items), count_items(u));
	for (size_t i = 0; i < u->n; i++) {
		if (!str_has_prefix(u->name[i], "items/"))
			continue;
		char person[32], cat[32], date[32];
		assert_int_equal(sscanf(u->data[i], "%31[^|]|%31[^|]|%31s", person, cat, date), 3);
		assert_non_null(strstr(who, person));
		assert_true(cats & CAT_BIT(category_parse(cat)));
		/* SPEC §8: the range scopes content and non-content records */
		if (from && category_parse(cat) != CAT_SUBSCRIBER)
			assert_true(strcmp(date, from) >= 0 && strcmp(date, to) <= 0);
	}
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		json_t *account = json_object_get(it, "account");
		const char *email = json_string_value(json_object_get(account, "value"));
		char *person = xstrndup(email, strcspn(email, "@"));
		assert_non_null(strstr(who, person));
		free(person);
		const char *cat = json_string_value(json_object_get(it, "category"));
		assert_true(cats & CAT_BIT(category_parse(cat)));
	}
}

static enum state state_of(struct fx *f, int64_t id, enum outcome *outcome)
{
	struct request r = {0};
	assert_int_equal(store_request_get(f->st, id, &r, NULL), 0);
	enum state s = r.state;
	if (outcome)
		*outcome = r.outcome;
	request_release(&r);
	return s;
}

static int file_exists(struct fx *f, const char *file)
{
	char path[160];
	struct stat sb;
	snprintf(path, sizeof(path), "%s/%s", f->dir, file);
	return stat(path, &sb) == 0;
}

/* ===================================================================
 * Scope (I1, I7)
 * =================================================================== */

static void test_exact_scope(void **state)
{
	struct fx *f = *state;
	struct disclosure d;
	struct unpacked u;
	enum outcome o;
	int64_t id = make_request(f, "alice", "\"subscriber\",\"content\"", 1, 0, ST_READY, 2);
	assert_int_equal(disclose(f, id, "p.tar.gz", &d), 0);
	/* content at the two dates inside the range, subscriber records at
	 * every date (SPEC §8: they describe the account as it is); bob,
	 * carol, noncontent and content outside the range never appear */
	assert_int_equal(d.items, 6);
	assert_int_equal(d.content_items, 2);
	assert_int_equal(d.outcome, OUT_CONTENT);
	unpack(f, "p.tar.gz", &u);
	assert_int_equal(count_items(&u), 6);
	assert_items_within(&u, "alice", CAT_BIT(CAT_SUBSCRIBER) | CAT_BIT(CAT_CONTENT),
			    "2025-01-01", "2026-02-28T23:59:59Z");
	unpacked_release(&u);
	assert_int_equal(state_of(f, id, &o), ST_DISCLOSED);
	assert_int_equal(o, OUT_CONTENT);
}

static void test_no_range_other_targets(void **state)
{
	struct fx *f = *state;
	struct disclosure d;
	struct unpacked u;
	enum outcome o;
	int64_t id = make_request(f, "bob,nobody", "\"noncontent\"", 0, 0, ST_READY, 2);
	assert_int_equal(disclose(f, id, "p.tar.gz", &d), 0);
	assert_int_equal(d.items, ARRAY_SIZE(DATES));
	unpack(f, "p.tar.gz", &u);
	assert_items_within(&u, "bob", CAT_BIT(CAT_NONCONTENT), NULL, NULL);
	json_t *unresolved = json_object_get(json_object_get(u.manifest, "scope"), "unresolved");
	assert_int_equal(json_array_size(unresolved), 1);
	unpacked_release(&u);
	assert_int_equal(state_of(f, id, &o), ST_DISCLOSED);
	assert_int_equal(o, OUT_NONCONTENT_ONLY);
}

static void test_narrowed_scope(void **state)
{
	struct fx *f = *state;
	struct disclosure d;
	struct unpacked u;
	int64_t id = make_request(f, "alice,bob", "\"subscriber\",\"content\"", 0,
				  CAT_BIT(CAT_SUBSCRIBER), ST_READY, 2);
	assert_int_equal(disclose(f, id, "p.tar.gz", &d), 0);
	assert_int_equal(d.items, 2 * ARRAY_SIZE(DATES));
	assert_int_equal(d.content_items, 0);
	unpack(f, "p.tar.gz", &u);
	assert_items_within(&u, "alice,bob", CAT_BIT(CAT_SUBSCRIBER), NULL, NULL);
	json_t *cats = json_object_get(json_object_get(u.manifest, "scope"), "categories");
	assert_int_equal(json_array_size(cats), 1);
	unpacked_release(&u);
}

static void test_no_data(void **state)
{
	struct fx *f = *state;
	struct disclosure d;
	enum outcome o;
	int64_t id = make_request(f, "nobody", "\"content\"", 0, 0, ST_READY, 2);
	assert_int_equal(disclose(f, id, "p.tar.gz", &d), 0);
	assert_int_equal(d.items, 0);
	assert_int_equal(state_of(f, id, &o), ST_DISCLOSED);
	assert_int_equal(o, OUT_NO_DATA);
	/* an empty package still proves what was (not) disclosed */
	char path[160];
	struct disclose_check k;
	snprintf(path, sizeof(path), "%s/p.tar.gz", f->dir);
	assert_int_equal(disclose_verify(path, signer_verifier_key(f->key), NULL, &k), 0);
	assert_int_equal(k.items, 0);
}

/* A source that ignores its grant and hands over everything. */
static int greedy_read(void *self, const struct grant *g, source_item_cb cb, void *ctx)
{
	(void)g;
	struct source_item it = {.id = 99, .account_id = 2, .account_type = TGT_EMAIL,
				 .account_value = "bob@example.net", .category = CAT_CONTENT,
				 .kind = "k", .created_at = NOW - 100, .location = "US",
				 .data = "bob's mail", .len = 10};
	(void)self;
	return cb(ctx, &it);
}

static void test_source_outside_scope_refused(void **state)
{
	struct fx *f = *state;
	struct disclosure d;
	struct source greedy = {.name = "greedy", .read = greedy_read};
	uint64_t before, after;
	int64_t id = make_request(f, "alice", "\"content\"", 0, 0, ST_READY, 2);
	assert_int_equal(store_log_size(f->st, &before), 0);
	assert_int_equal(disclose_as(f, &greedy, ROLE_BIT(ROLE_APPROVER), id, "p.tar.gz", &d),
			 -E_INTERNAL);
	assert_non_null(strstr(err_msg(), "outside the scope"));
	assert_false(file_exists(f, "p.tar.gz"));
	assert_int_equal(store_log_size(f->st, &after), 0);
	assert_int_equal(after, before);
	assert_int_equal(state_of(f, id, NULL), ST_READY);
	/* no temporary file is left behind either */
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A %s | grep -v '^t.db')\"", f->dir);
	assert_int_equal(system(cmd), 0);
}

/* ===================================================================
 * Refusals change nothing and write nothing (I10)
 * =================================================================== */

static void assert_refused(struct fx *f, int64_t id, unsigned roles, int want,
			   const char *file)
{
	struct disclosure d;
	struct source src;
	uint64_t before, after;
	enum state s = state_of(f, id, NULL);
	vault_source(f->st, &src);
	assert_int_equal(store_log_size(f->st, &before), 0);
	assert_int_equal(disclose_as(f, &src, roles, id, file, &d), want);
	assert_int_equal(store_log_size(f->st, &after), 0);
	assert_int_equal(after, before);
	assert_int_equal(state_of(f, id, NULL), s);
}

static void test_refusals(void **state)
{
	struct fx *f = *state;
	struct disclosure d;
	unsigned approver = ROLE_BIT(ROLE_APPROVER);
	for (int s = 0; s < state__COUNT; s++) {
		if (s == ST_READY)
			continue;
		int64_t id = make_request(f, "alice", "\"content\"", 0, 0, (enum state)s, 2);
		assert_refused(f, id, approver, -E_REFUSED, "p.tar.gz");
		assert_false(file_exists(f, "p.tar.gz"));
	}
	int64_t id = make_request(f, "alice", "\"content\"", 0, 0, ST_READY, 2);
	assert_refused(f, id, ROLE_BIT(ROLE_REVIEWER) | ROLE_BIT(ROLE_ADMIN), -E_FORBIDDEN,
		       "p.tar.gz");
	assert_false(file_exists(f, "p.tar.gz"));
	/* ready with a single approver: four eyes are checked again */
	int64_t one = make_request(f, "alice", "\"content\"", 0, 0, ST_READY, 1);
	assert_refused(f, one, approver, -E_REFUSED, "p.tar.gz");
	assert_non_null(strstr(err_msg(), "four eyes"));
	/* an existing file is never overwritten */
	assert_int_equal(disclose(f, id, "p.tar.gz", &d), 0);
	int64_t other = make_request(f, "bob", "\"content\"", 0, 0, ST_READY, 2);
	assert_refused(f, other, approver, -E_REFUSED, "p.tar.gz");
	assert_non_null(strstr(err_msg(), "already exists"));
	/* and a disclosed request is not disclosed again */
	assert_refused(f, id, approver, -E_REFUSED, "q.tar.gz");
	assert_false(file_exists(f, "q.tar.gz"));
}

/* ===================================================================
 * Customer-held keys: ciphertext only
 * =================================================================== */

static void test_sealed_content(void **state)
{
	struct fx *f = *state;
	struct disclosure d;
	struct unpacked u;
	int64_t id = make_request(f, "carol", "\"content\"", 0, 0, ST_READY, 2);
	assert_int_equal(disclose(f, id, "p.tar.gz", &d), 0);
	assert_int_equal(d.sealed_items, ARRAY_SIZE(DATES));
	unpack(f, "p.tar.gz", &u);
	size_t opened = 0;
	for (size_t i = 0; i < u.n; i++) {
		if (!str_has_prefix(u.name[i], "items/"))
			continue;
		assert_non_null(strstr(u.name[i], ".sealed"));
		assert_null(strstr(u.data[i], "carol|"));
		assert_true(u.len[i] > crypto_box_SEALBYTES);
		size_t n = u.len[i] - crypto_box_SEALBYTES;
		char *plain = xcalloc(1, n + 1);
		assert_int_equal(crypto_box_seal_open((unsigned char *)plain,
						      (unsigned char *)u.data[i], u.len[i], f->pk,
						      f->sk),
				 0);
		assert_true(str_has_prefix(plain, "carol|content|"));
		free(plain);
		opened++;
	}
	assert_int_equal(opened, ARRAY_SIZE(DATES));
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(u.manifest, "items"), i, it)
		assert_true(json_is_true(json_object_get(it, "sealed")));
	assert_non_null(json_object_get(u.manifest, "sealed"));
	unpacked_release(&u);
}

/* ===================================================================
 * The log: every read, the package hash; reproducibility; verification
 * =================================================================== */

struct reads {
	json_t *ids;
	char package[65];
	uint64_t from;
};

static int scan_entry(void *ctx, uint64_t index, const void *entry, size_t len)
{
	struct reads *r = ctx;
	json_error_t jerr;
	json_t *e = json_loadb(entry, len, 0, &jerr);
	const char *type = json_string_value(json_object_get(e, "type"));
	size_t i;
	json_t *v;
	(void)index;
	if (str_eq(type, "data.read"))
		json_array_foreach(json_object_get(e, "items"), i, v)
			json_array_append(r->ids, v);
	if (str_eq(type, "disclosure.package"))
		str_copy(r->package, sizeof(r->package),
			 json_string_value(json_object_get(e, "sha256")));
	json_decref(e);
	return 0;
}

static int first_disclosure(void *ctx, const struct disclosure_record *d)
{
	str_copy(ctx, 65, d->sha256);
	return 1;
}

/* ===================================================================
 * Provider-custody content: encrypted at rest
 * =================================================================== */

/* Run sql on the database behind the store's back (the store is closed
 * and opened again around it). */
static void raw_sql(struct fx *f, const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;
	store_close(f->st);
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		print_error("%s: %s\n", sql, msg ? msg : "?");
	assert_int_equal(rc, SQLITE_OK);
	assert_int_equal(sqlite3_changes(db) > 0, 1);
	sqlite3_close(db);
	assert_int_equal(store_open(f->db, STORE_OPEN_EXISTING, &f->st), 0);
}

static int has_bytes(const char *hay, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	for (size_t i = 0; i + m <= n; i++)
		if (memcmp(hay + i, needle, m) == 0)
			return 1;
	return 0;
}

/* Does the database file (or its WAL) contain needle? */
static int db_contains(struct fx *f, const char *needle)
{
	static const char *const suffix[] = {"", "-wal"};
	int found = 0;
	store_close(f->st);
	for (size_t i = 0; i < ARRAY_SIZE(suffix); i++) {
		char path[128];
		struct buf b;
		snprintf(path, sizeof(path), "%s%s", f->db, suffix[i]);
		FILE *fp = fopen(path, "rb");
		if (!fp)
			continue;
		buf_init(&b, BUF_UNLIMITED);
		assert_int_equal(buf_read_file(&b, fp, path), 0);
		fclose(fp);
		if (b.len && has_bytes(b.ptr, b.len, needle))
			found = 1;
		buf_release(&b);
	}
	assert_int_equal(store_open(f->db, STORE_OPEN_EXISTING, &f->st), 0);
	return found;
}

static void test_encrypted_at_rest(void **state)
{
	struct fx *f = *state;
	struct disclosure d;
	struct unpacked u;
	char key_path[128];
	struct stat sb;
	/* the key file was made by the first import, 0600 */
	snprintf(key_path, sizeof(key_path), "%s.vault-key", f->db);
	assert_int_equal(stat(key_path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	/* no provider-custody plaintext in the database */
	assert_false(db_contains(f, "alice|"));
	assert_false(db_contains(f, "bob|"));
	assert_false(db_contains(f, "carol|"));
	/* and the disclosure carries the plaintext, its hash and size */
	int64_t id = make_request(f, "alice", "\"content\"", 1, 0, ST_READY, 2);
	assert_int_equal(disclose(f, id, "p.tar.gz", &d), 0);
	unpack(f, "p.tar.gz", &u);
	size_t items = 0;
	for (size_t i = 0; i < u.n; i++) {
		if (!str_has_prefix(u.name[i], "items/"))
			continue;
		items++;
		assert_true(str_has_prefix(u.data[i], "alice|content|"));
		assert_int_equal(u.len[i], strlen(u.data[i]));
	}
	assert_int_equal(items, 2);
	unpacked_release(&u);
}

static void assert_bad_row(struct fx *f, const char *sql)
{
	int64_t id = make_request(f, "alice", "\"content\"", 1, 0, ST_READY, 2);
	raw_sql(f, sql);
	assert_refused(f, id, ROLE_BIT(ROLE_APPROVER), -E_STORAGE, "p.tar.gz");
	assert_non_null(strstr(err_msg(), "does not authenticate"));
	assert_false(file_exists(f, "p.tar.gz"));
}

static void test_tampered_ciphertext(void **state)
{
	/* one byte of one stored item flipped */
	assert_bad_row(*state, "UPDATE vault_item SET data = substr(data, 1, 30) || "
			       "x'00' || substr(data, 32) WHERE id = (SELECT v.id FROM "
			       "vault_item v JOIN account a ON a.id = v.account_id WHERE "
			       "a.value = 'alice@example.net' AND v.category = 'content' AND "
			       "v.created_at > 1740000000 AND v.created_at < 1750000000)");
}

static void test_swapped_rows(void **state)
{
	/* the data of alice's two content items in range swapped: each row
	 * still holds a well-formed ciphertext, but for the other's date */
	assert_bad_row(*state,
		       "WITH p AS (SELECT v.id, v.data FROM vault_item v JOIN account a ON "
		       "a.id = v.account_id WHERE a.value = 'alice@example.net' AND "
		       "v.category = 'content' AND v.created_at BETWEEN 1740000000 AND "
		       "1772323199) UPDATE vault_item SET data = (SELECT p.data FROM p WHERE "
		       "p.id != vault_item.id) WHERE id IN (SELECT id FROM p)");
}

static void test_moved_row(void **state)
{
	/* an item of bob's moved to alice's account: the metadata no longer
	 * matches what the ciphertext is bound to */
	assert_bad_row(*state, "UPDATE vault_item SET account_id = (SELECT id FROM account "
			       "WHERE value = 'alice@example.net') WHERE id = (SELECT v.id "
			       "FROM vault_item v JOIN account a ON a.id = v.account_id WHERE "
			       "a.value = 'bob@example.net' AND v.category = 'content' AND "
			       "v.created_at BETWEEN 1740000000 AND 1772323199 LIMIT 1)");
}

static void test_key_file(void **state)
{
	struct fx *f = *state;
	char key_path[128], moved[140];
	unsigned approver = ROLE_BIT(ROLE_APPROVER);
	snprintf(key_path, sizeof(key_path), "%s.vault-key", f->db);
	snprintf(moved, sizeof(moved), "%s.away", key_path);
	int64_t id = make_request(f, "alice", "\"content\"", 1, 0, ST_READY, 2);
	/* open to the group */
	assert_int_equal(chmod(key_path, 0640), 0);
	assert_refused(f, id, approver, -E_REFUSED, "p.tar.gz");
	assert_non_null(strstr(err_msg(), "chmod 600"));
	assert_false(file_exists(f, "p.tar.gz"));
	assert_int_equal(chmod(key_path, 0600), 0);
	/* missing */
	assert_int_equal(rename(key_path, moved), 0);
	assert_refused(f, id, approver, -E_NOTFOUND, "p.tar.gz");
	assert_non_null(strstr(err_msg(), "no vault key file"));
	assert_false(file_exists(f, "p.tar.gz"));
	/* an import does not make a new key while items need the old one */
	struct vault_import *vi = vault_import_new(f->st);
	struct vault_item it;
	const char *line = "{\"account\":{\"type\":\"email\",\"value\":\"alice@example.net\"},"
			   "\"category\":\"content\",\"kind\":\"k\",\"created_at\":"
			   "\"2025-01-01\",\"location\":\"US\",\"data\":\"x\"}";
	assert_int_equal(vault_item_parse(line, strlen(line), &it), 0);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(vault_import_put(vi, &it), -E_NOTFOUND);
	assert_non_null(strstr(err_msg(), "restore it"));
	store_rollback(f->st);
	vault_item_release(&it);
	vault_import_free(vi);
	struct stat sb;
	assert_int_equal(stat(key_path, &sb), -1);
	/* a sealed-only scope needs no key */
	int64_t sealed = make_request(f, "carol", "\"content\"", 0, 0, ST_READY, 2);
	struct disclosure d;
	assert_int_equal(disclose(f, sealed, "k.tar.gz", &d), 0);
	/* restored: the disclosure works */
	assert_int_equal(rename(moved, key_path), 0);
	assert_int_equal(disclose(f, id, "p.tar.gz", &d), 0);
}

static void test_every_read_logged(void **state)
{
	struct fx *f = *state;
	struct disclosure d;
	struct unpacked u;
	struct reads r = {.ids = json_array()};
	uint64_t before;
	char recorded[65] = "";
	int64_t id = make_request(f, "alice,carol", "\"subscriber\",\"noncontent\",\"content\"",
				  0, 0, ST_READY, 2);
	assert_int_equal(store_log_size(f->st, &before), 0);
	assert_int_equal(disclose(f, id, "p.tar.gz", &d), 0);
	assert_int_equal(store_log_each_entry(f->st, before, scan_entry, &r), 0);
	unpack(f, "p.tar.gz", &u);
	json_t *items = json_object_get(u.manifest, "items"), *it;
	size_t i;
	assert_int_equal(json_array_size(r.ids), json_array_size(items));
	assert_int_equal(json_array_size(items), 2 * 3 * ARRAY_SIZE(DATES));
	json_array_foreach(items, i, it)
		assert_true(json_equal(json_object_get(it, "source_id"), json_array_get(r.ids, i)));
	assert_string_equal(r.package, d.sha256);
	assert_int_equal(store_disclosure_each(f->st, id, first_disclosure, recorded), 1);
	assert_string_equal(recorded, d.sha256);
	/* the log still verifies */
	struct journal_report rep;
	assert_int_equal(journal_verify(f->st, signer_verifier(f->key), NULL, &rep), 0);
	unpacked_release(&u);
	json_decref(r.ids);
}

static char *slurp(struct fx *f, const char *file, size_t *len)
{
	char path[160];
	struct buf b;
	snprintf(path, sizeof(path), "%s/%s", f->dir, file);
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	buf_init(&b, BUF_UNLIMITED);
	assert_int_equal(buf_read_file(&b, fp, path), 0);
	fclose(fp);
	return buf_detach(&b, len);
}

static void test_reproducible(void **state)
{
	struct fx *f = *state;
	struct disclosure d1, d2;
	char copy[128], cmd[320];
	size_t n1, n2;
	int64_t id = make_request(f, "alice,carol", "\"subscriber\",\"content\"", 1, 0,
				  ST_READY, 2);
	/* the same database (and its vault and reference keys) twice: disclose
	 * in each, to different files */
	store_close(f->st);
	snprintf(copy, sizeof(copy), "%s/copy", f->dir);
	snprintf(cmd, sizeof(cmd),
		 "mkdir %s && cp -p %s %s/t.db && cp -p %s.vault-key %s.ref-key %s/", copy,
		 f->db, copy, f->db, f->db, copy);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(store_open(f->db, STORE_OPEN_EXISTING, &f->st), 0);
	assert_int_equal(disclose(f, id, "one.tar.gz", &d1), 0);
	store_close(f->st);
	snprintf(cmd, sizeof(cmd), "%s/t.db", copy);
	assert_int_equal(store_open(cmd, STORE_OPEN_EXISTING, &f->st), 0);
	assert_int_equal(disclose(f, id, "two.tar.gz", &d2), 0);
	assert_string_equal(d1.sha256, d2.sha256);
	char *a = slurp(f, "one.tar.gz", &n1), *b = slurp(f, "two.tar.gz", &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(a, b, n1);
	free(a);
	free(b);
}

/* Rewrite a package with member `name` replaced by `data` (NULL: dropped),
 * or with `extra` added. */
struct rewrite {
	struct package *p;
	const char *name, *data, *extra;
};

static int copy_member(void *ctx, const struct package_member *m)
{
	struct rewrite *r = ctx;
	if (r->name && strcmp(m->name, r->name) == 0) {
		if (r->data)
			assert_int_equal(package_add(r->p, m->name, r->data, strlen(r->data)), 0);
		return 0;
	}
	assert_int_equal(package_add(r->p, m->name, m->data, m->size), 0);
	return 0;
}

static void rewrite(struct fx *f, const char *from, const char *to, const char *name,
		    const char *data, const char *extra)
{
	char src[160], dst[160], sha[65];
	uint64_t size;
	struct rewrite r = {.name = name, .data = data, .extra = extra};
	snprintf(src, sizeof(src), "%s/%s", f->dir, from);
	snprintf(dst, sizeof(dst), "%s/%s", f->dir, to);
	assert_int_equal(package_create(dst, 0, &r.p), 0);
	assert_int_equal(package_read(src, 1 << 20, copy_member, &r, NULL, NULL), 0);
	if (extra)
		assert_int_equal(package_add(r.p, extra, "x", 1), 0);
	assert_int_equal(package_finish(r.p, sha, &size), 0);
	assert_int_equal(package_publish(r.p), 0);
	package_free(r.p);
}

static void on_problem(void *ctx, const char *msg)
{
	(void)msg;
	(*(int *)ctx)++;
}

static void expect_bad(struct fx *f, const char *file, const char *vkey, const char *says)
{
	char path[160];
	struct disclose_check k;
	int n = 0;
	struct disclose_check_hooks hooks = {on_problem, &n};
	snprintf(path, sizeof(path), "%s/%s", f->dir, file);
	assert_int_equal(disclose_verify(path, vkey, &hooks, &k), -E_INVALID);
	if (!strstr(err_msg(), says))
		fail_msg("%s: '%s' does not say '%s'", file, err_msg(), says);
	assert_true(n >= 1);
	assert_int_equal((uint64_t)n, k.problems);
}

static void test_verify(void **state)
{
	struct fx *f = *state;
	struct disclosure d;
	struct disclose_check k;
	struct signer *other;
	char path[160];
	const char *vkey = signer_verifier_key(f->key);
	int64_t id = make_request(f, "alice", "\"subscriber\",\"content\"", 1, 0, ST_READY, 2);
	assert_int_equal(disclose(f, id, "p.tar.gz", &d), 0);
	snprintf(path, sizeof(path), "%s/p.tar.gz", f->dir);
	assert_int_equal(disclose_verify(path, vkey, NULL, &k), 0);
	assert_true(k.key_given);
	assert_int_equal(k.items, 6);
	assert_int_equal(k.request_id, id);
	assert_string_equal(k.sha256, d.sha256);
	assert_int_equal(k.entry_index, d.entry_index);
	assert_int_equal(disclose_verify(path, NULL, NULL, &k), 0);
	assert_false(k.key_given);
	/* another key */
	assert_int_equal(signer_new(ORIGIN, &other), 0);
	expect_bad(f, "p.tar.gz", signer_verifier_key(other), "checkpoint");
	signer_free(other);
	/* a changed item, a dropped item, an added member */
	rewrite(f, "p.tar.gz", "item.tar.gz", "items/000002-subscriber-k_subscriber",
		"alice|subscriber|2026-02-28T23:59:58Z", NULL);
	expect_bad(f, "item.tar.gz", vkey, "items/000002-subscriber-k_subscriber");
	rewrite(f, "p.tar.gz", "drop.tar.gz", "items/000001-subscriber-k_subscriber", NULL,
		NULL);
	expect_bad(f, "drop.tar.gz", vkey, "not in the package");
	rewrite(f, "p.tar.gz", "extra.tar.gz", NULL, NULL, "items/000099-content-k");
	expect_bad(f, "extra.tar.gz", vkey, "not in the manifest");
	/* a manifest that is not the one logged */
	rewrite(f, "p.tar.gz", "manifest.tar.gz", "manifest.json",
		"{\"format\":\"docket-disclosure/1\",\"items\":[],\"request\":{\"id\":1}}", NULL);
	expect_bad(f, "manifest.tar.gz", vkey, "");
	/* an entry, a proof that do not fit */
	rewrite(f, "p.tar.gz", "entry.tar.gz", "entry.json", "{\"type\":\"disclosure\"}", NULL);
	expect_bad(f, "entry.tar.gz", vkey, "");
	rewrite(f, "p.tar.gz", "proof.tar.gz", "proof.txt",
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", NULL);
	expect_bad(f, "proof.tar.gz", vkey, "inclusion proof");
	/* a byte changed in the file itself */
	size_t n;
	char *bytes = slurp(f, "p.tar.gz", &n);
	bytes[n / 2] ^= 0x01;
	snprintf(path, sizeof(path), "%s/flip.tar.gz", f->dir);
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(bytes, 1, n, fp), n);
	fclose(fp);
	free(bytes);
	assert_true(disclose_verify(path, vkey, NULL, &k) < 0);
}

/* ===================================================================
 * The one read path: a scan of src/ (docs/disclosure.md)
 * =================================================================== */

struct rule {
	const char *needle;
	const char *within;           /* checked in paths under src/ starting so */
	const char *const *allowed;   /* paths under src/, NULL-terminated */
};

static const char *const content_fn_files[] = {
	"store/vault_content.h", "store/sqlite/sqlite_vault.c", "core/disclose/vault.c", NULL};
static const char *const content_header_files[] = {"store/sqlite/sqlite_vault.c", "core/disclose/vault.c",
						   NULL};
static const char *const grant_files[] = {"core/disclose/source.h", "core/disclose/disclose.c", "core/disclose/vault.c",
					  NULL};
static const char *const grant_def_files[] = {"core/disclose/disclose.c", NULL};
static const char *const source_read_files[] = {"core/disclose/disclose.c", NULL};
static const char *const vault_sql_files[] = {"store/sqlite/sqlite_vault.c",
					      "store/migrations/0001_init.sql",
					      "store/migrations/0003_vault.sql",
					      "store/migrations/0004_vault_enc.sql", NULL};

static const struct rule rules[] = {
	/* the function that returns stored content */
	{"store_vault_read", "", content_fn_files},
	/* the private header declaring it */
	{"#include \"store/vault_content.h\"", "", content_header_files},
	/* grants: only disclose.c defines and makes them; only the vault
	 * source reads their scope */
	{"grant_scope", "", grant_files},
	{"struct grant {", "", grant_def_files},
	/* a source's content is asked for only by the disclosure step */
	{"->read(", "", source_read_files},
	{".read(", "", source_read_files},
	/* SQL names the vault's table in one file of the store */
	{"vault_item", "store/", vault_sql_files},
};

static const char *src_root;
static int violations, files_seen, hits[ARRAY_SIZE(rules)];

static int allowed(const char *rel, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(rel, *list) == 0)
			return 1;
	return 0;
}

static int scan_file(const char *path)
{
	const char *rel = path + strlen(src_root) + 1;
	FILE *fp = fopen(path, "rb");
	struct buf b;
	assert_non_null(fp);
	buf_init(&b, BUF_UNLIMITED);
	assert_int_equal(buf_read_file(&b, fp, path), 0);
	fclose(fp);
	files_seen++;
	for (size_t r = 0; r < ARRAY_SIZE(rules); r++) {
		if (!str_has_prefix(rel, rules[r].within) || !strstr(b.ptr, rules[r].needle))
			continue;
		hits[r]++;
		if (!allowed(rel, rules[r].allowed)) {
			print_error("src/%s uses '%s', which only these may use "
				    "(docs/disclosure.md):\n", rel, rules[r].needle);
			for (const char *const *a = rules[r].allowed; *a; a++)
				print_error("    src/%s\n", *a);
			violations++;
		}
	}
	buf_release(&b);
	return 0;
}

static void scan_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		struct stat sb;
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		assert_int_equal(lstat(path, &sb), 0);
		if (S_ISDIR(sb.st_mode))
			scan_dir(path);
		else if (S_ISREG(sb.st_mode))
			scan_file(path);
	}
	closedir(d);
}

static void test_one_read_path(void **state)
{
	(void)state;
	const char *root = getenv("DOCKET_SOURCE_DIR");
	char dir[4096];
	if (root && *root)
		snprintf(dir, sizeof(dir), "%s/src", root);
	else   /* this file is <root>/tests/unit/core/disclose/test_disclose.c */
		snprintf(dir, sizeof(dir), "%.*s/src",
			 (int)(strlen(__FILE__) - strlen("/tests/unit/core/disclose/test_disclose.c")), __FILE__);
	src_root = dir;
	scan_dir(dir);
	assert_true(files_seen > 50);
	assert_int_equal(violations, 0);
	/* and the scan does find the allowed uses, so it is looking */
	assert_true(hits[0] >= 3);
	assert_true(hits[1] == 2);
	assert_true(hits[3] == 1);
	assert_true(hits[4] >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exact_scope, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_range_other_targets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_narrowed_scope, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_source_outside_scope_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sealed_content, setup, teardown),
		cmocka_unit_test_setup_teardown(test_encrypted_at_rest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tampered_ciphertext, setup, teardown),
		cmocka_unit_test_setup_teardown(test_swapped_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_moved_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_read_logged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reproducible, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify, setup, teardown),
		cmocka_unit_test(test_one_read_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
