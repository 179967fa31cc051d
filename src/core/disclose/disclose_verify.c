/*
 * disclose_verify.c - checking a disclosure package without the database
 * (disclose.h, `docket disclose verify`).
 *
 * A recipient who holds the package and docket's verifier key can show,
 * with nothing else: every item is the one the manifest lists (size and
 * SHA-256), the manifest is the one docket's log committed to, and that
 * log entry is in a checkpoint signed by docket's key.  Every problem is
 * reported, not only the first.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/digest.h"
#include "base/err.h"
#include "base/util.h"
#include "core/disclose/disclose.h"
#include "core/disclose/package.h"
#include "log/merkle.h"

#define KEEP_MAX ((size_t)256 << 20) /* manifest of ~1M items */
#define MSG_MAX 512

struct member {
	char *name;
	uint64_t size;
	char sha256[65];
	int listed;               /* named by a manifest item */
};

/* The members that are not items, in package order. */
enum log_file { F_MANIFEST, F_ENTRY, F_CHECKPOINT, F_PROOF, F_KEY, F__COUNT };
static const char *const log_files[F__COUNT] = {"manifest.json", "entry.json",
						"checkpoint.txt", "proof.txt", "key.txt"};

struct check {
	const char *path;
	const struct disclose_check_hooks *hooks;
	struct disclose_check *out;
	char first[MSG_MAX];
	struct member *items;
	size_t n_items, cap;
	char *file[F__COUNT];
	size_t file_len[F__COUNT];
	json_t *manifest;
	json_t *entry;
};

static void problem(struct check *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem(struct check *c, const char *fmt, ...)
{
	char msg[MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!c->out->problems++)
		str_copy(c->first, sizeof(c->first), msg);
	if (c->hooks && c->hooks->problem)
		c->hooks->problem(c->hooks->ctx, msg);
}

/* ===================================================================
 * Members
 * =================================================================== */

static int on_member(void *ctx, const struct package_member *m)
{
	struct check *c = ctx;
	for (int f = 0; f < F__COUNT; f++) {
		if (strcmp(m->name, log_files[f]) != 0)
			continue;
		if (c->file[f])
			problem(c, "member '%s' appears twice", m->name);
		else if (!m->data)
			problem(c, "member '%s' is too large", m->name);
		else {
			c->file[f] = xstrndup(m->data, m->size);
			c->file_len[f] = m->size;
		}
		return 0;
	}
	if (!str_has_prefix(m->name, "items/")) {
		problem(c, "member '%s' does not belong in a disclosure package", m->name);
		return 0;
	}
	c->items = xgrow(c->items, &c->cap, c->n_items + 1, sizeof(*c->items));
	c->items[c->n_items++] = (struct member){.name = xstrdup(m->name), .size = m->size};
	memcpy(c->items[c->n_items - 1].sha256, m->sha256, 65);
	return 0;
}

static int cmp_member(const void *a, const void *b)
{
	return strcmp(((const struct member *)a)->name, ((const struct member *)b)->name);
}

static struct member *find_member(struct check *c, const char *name)
{
	struct member key = {.name = (char *)name};
	if (!c->n_items)
		return NULL;
	return bsearch(&key, c->items, c->n_items, sizeof(*c->items), cmp_member);
}

/* ===================================================================
 * The manifest and its items
 * =================================================================== */

static json_t *parse_json(struct check *c, enum log_file f)
{
	json_error_t jerr;
	if (!c->file[f]) {
		problem(c, "the package has no %s", log_files[f]);
		return NULL;
	}
	json_t *j = json_loadb(c->file[f], c->file_len[f], JSON_REJECT_DUPLICATES, &jerr);
	if (!j || !json_is_object(j)) {
		problem(c, "%s is not a JSON object%s%s", log_files[f], j ? "" : ": ",
			j ? "" : jerr.text);
		json_decref(j);
		return NULL;
	}
	return j;
}

static int hex64_ok(const char *s)
{
	if (!s || strlen(s) != 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

static void check_item(struct check *c, size_t i, const json_t *it)
{
	const char *file = json_string_value(json_object_get(it, "file"));
	const char *sha = json_string_value(json_object_get(it, "sha256"));
	json_t *size = json_object_get(it, "size");
	if (!file || !hex64_ok(sha) || !json_is_integer(size) || json_integer_value(size) < 0) {
		problem(c, "manifest item %zu lacks a file, size or sha256", i + 1);
		return;
	}
	struct member *m = find_member(c, file);
	if (!m) {
		problem(c, "item '%s' is in the manifest but not in the package", file);
		return;
	}
	if (m->listed++) {
		problem(c, "item '%s' is listed twice in the manifest", file);
		return;
	}
	if (m->size != (uint64_t)json_integer_value(size))
		problem(c, "item '%s' has %llu bytes, the manifest says %lld", file,
			(unsigned long long)m->size, (long long)json_integer_value(size));
	else if (strcmp(m->sha256, sha) != 0)
		problem(c, "item '%s' does not match its sha256 in the manifest", file);
	if (json_is_true(json_object_get(it, "sealed")))
		c->out->sealed_items++;
}

static void check_manifest(struct check *c)
{
	json_t *m = c->manifest, *items = json_object_get(m, "items"), *it;
	json_t *req = json_object_get(m, "request");
	size_t i;
	if (!str_eq(json_string_value(json_object_get(m, "format")), DISCLOSE_FORMAT))
		problem(c, "manifest.json is not a %s manifest", DISCLOSE_FORMAT);
	c->out->request_id = json_integer_value(json_object_get(req, "id"));
	const char *ref = json_string_value(json_object_get(req, "ref"));
	str_copy(c->out->ref, sizeof(c->out->ref), ref ? ref : "");
	if (!json_is_array(items)) {
		problem(c, "manifest.json has no items");
		return;
	}
	c->out->items = json_array_size(items);
	if (c->n_items)
		qsort(c->items, c->n_items, sizeof(*c->items), cmp_member);
	for (i = 1; i < c->n_items; i++)
		if (strcmp(c->items[i - 1].name, c->items[i].name) == 0) {
			problem(c, "member '%s' appears twice", c->items[i].name);
			c->items[i].listed = 1;   /* reported once */
		}
	json_array_foreach(items, i, it)
		check_item(c, i, it);
	for (i = 0; i < c->n_items; i++)
		if (!c->items[i].listed)
			problem(c, "member '%s' is not in the manifest", c->items[i].name);
}

/* ===================================================================
 * The log: entry, checkpoint, proof
 * =================================================================== */

/* The entry commits to the manifest (without its "log" member). */
static void check_entry(struct check *c)
{
	json_t *e = c->entry, *copy = json_copy(c->manifest);
	char digest[DIGEST_TAG_LEN];
	json_object_del(copy, "log");
	char *text = json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(copy);
	digest_tag(text ? text : "", text ? strlen(text) : 0, digest);
	free(text);
	if (!str_eq(json_string_value(json_object_get(e, "type")), "disclosure"))
		problem(c, "entry.json is not a disclosure entry");
	if (json_integer_value(json_object_get(e, "request")) != c->out->request_id)
		problem(c, "entry.json is for another request");
	if (!str_eq(json_string_value(json_object_get(e, "manifest")), digest))
		problem(c, "manifest.json is not the manifest the log entry names (%s)",
			digest);
	if ((uint64_t)json_integer_value(json_object_get(e, "items")) != c->out->items)
		problem(c, "entry.json counts another number of items");
}

static int load_verifier(struct check *c, const char *vkey, struct note_verifier *v)
{
	char *own = NULL;
	int rc;
	c->out->key_given = vkey != NULL;
	if (!vkey) {
		if (!c->file[F_KEY]) {
			problem(c, "no verifier key: none was given and the package has no key.txt");
			return -1;
		}
		own = xstrndup(c->file[F_KEY], strcspn(c->file[F_KEY], "\n"));
	}
	rc = note_verifier_parse(vkey ? vkey : own, v);
	free(own);
	if (rc < 0) {
		problem(c, "%s: %s", vkey ? "the verifier key given" : "key.txt", err_msg());
		return -1;
	}
	str_copy(c->out->key_name, sizeof(c->out->key_name), v->name);
	return 0;
}

static int parse_proof(struct check *c, struct merkle_proof *p)
{
	const char *s = c->file[F_PROOF];
	memset(p, 0, sizeof(*p));
	if (!s) {
		problem(c, "the package has no proof.txt");
		return -1;
	}
	while (*s) {
		size_t len = strcspn(s, "\n"), n = 0;
		if (p->len == MERKLE_MAX_PROOF || s[len] != '\n' ||
		    note_unbase64(s, len, p->hash[p->len], MERKLE_HASH_LEN, &n) < 0 ||
		    n != MERKLE_HASH_LEN) {
			problem(c, "proof.txt line %zu is not a base64 SHA-256 hash", p->len + 1);
			return -1;
		}
		p->len++;
		s += len + 1;
	}
	return 0;
}

static void check_inclusion(struct check *c, const char *vkey)
{
	json_t *log = json_object_get(c->manifest, "log");
	struct note_verifier v;
	struct checkpoint cp;
	struct merkle_proof proof;
	uint8_t leaf[MERKLE_HASH_LEN];
	size_t text_len = 0;
	c->out->entry_index = (uint64_t)json_integer_value(json_object_get(log, "index"));
	c->out->tree_size = (uint64_t)json_integer_value(json_object_get(log, "tree_size"));
	if (!json_is_integer(json_object_get(log, "index")) ||
	    !json_is_integer(json_object_get(log, "tree_size"))) {
		problem(c, "manifest.json does not say where its entry is in the log");
		return;
	}
	if (load_verifier(c, vkey, &v) < 0)
		return;
	if (!c->file[F_CHECKPOINT]) {
		problem(c, "the package has no checkpoint.txt");
		return;
	}
	if (note_open(c->file[F_CHECKPOINT], c->file_len[F_CHECKPOINT], &v, &text_len) < 0 ||
	    checkpoint_parse(c->file[F_CHECKPOINT], text_len, &cp) < 0) {
		problem(c, "checkpoint.txt: %s", err_msg());
		return;
	}
	if (cp.size != c->out->tree_size)
		problem(c, "checkpoint.txt is for tree size %llu, the manifest says %llu",
			(unsigned long long)cp.size, (unsigned long long)c->out->tree_size);
	if (!str_eq(cp.origin, json_string_value(json_object_get(log, "origin"))))
		problem(c, "checkpoint.txt is for log '%s', not the manifest's", cp.origin);
	if (parse_proof(c, &proof) < 0 || !c->file[F_ENTRY])
		return;
	struct merkle_hasher *h = merkle_hasher_new();
	if (!h || merkle_leaf_hash(h, c->file[F_ENTRY], c->file_len[F_ENTRY], leaf) < 0 ||
	    merkle_verify_inclusion(h, c->out->entry_index, cp.size, leaf, &proof, cp.root) < 0)
		problem(c, "the inclusion proof of entry %llu does not lead to the signed "
			   "checkpoint's root: %s",
			(unsigned long long)c->out->entry_index, err_msg());
	merkle_hasher_free(h);
}

/* ===================================================================
 * The check
 * =================================================================== */

int disclose_verify(const char *path, const char *vkey,
		    const struct disclose_check_hooks *hooks, struct disclose_check *out)
{
	struct check c = {.path = path, .hooks = hooks, .out = out};
	memset(out, 0, sizeof(*out));
	int rc = package_read(path, KEEP_MAX, on_member, &c, out->sha256, &out->size);
	if (rc == -E_INVALID)   /* damaged: nothing else can be trusted */
		problem(&c, "%s", err_msg());
	else if (rc < 0)
		goto done;
	else if ((c.manifest = parse_json(&c, F_MANIFEST)) != NULL) {
		check_manifest(&c);
		if ((c.entry = parse_json(&c, F_ENTRY)) != NULL)
			check_entry(&c);
		check_inclusion(&c, vkey);
	}
	if (out->problems)
		rc = err_set(E_INVALID, "package '%s' failed verification: %llu problem%s, "
					"first: %s",
			     path, (unsigned long long)out->problems,
			     out->problems == 1 ? "" : "s", c.first);
done:
	json_decref(c.manifest);
	json_decref(c.entry);
	for (size_t i = 0; i < c.n_items; i++)
		free(c.items[i].name);
	free(c.items);
	for (int f = 0; f < F__COUNT; f++)
		free(c.file[f]);
	return rc;
}
