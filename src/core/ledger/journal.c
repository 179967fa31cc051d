/*
 * journal.c - the tamper-evident log over the store (journal.h): canonical
 * entries, appending, checkpoints, proofs and full verification.
 *
 * The Merkle arithmetic is log/merkle.c's; this file only connects it to
 * the store (store_log_* and store_checkpoint_*) and to the signer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/keys.h"
#include "base/util.h"
#include "core/ledger/journal.h"
#include "log/signer.h"

/* ===================================================================
 * Canonical entries
 * =================================================================== */

static int check_value(const json_t *v, int depth)
{
	const char *key;
	json_t *child;
	size_t i;
	int rc;
	if (depth > JOURNAL_MAX_DEPTH)
		return err_set(E_INVALID, "log event nested too deeply");
	switch (json_typeof(v)) {
	case JSON_REAL:
		return err_set(E_INVALID, "log event holds a floating-point number");
	case JSON_OBJECT:
		json_object_foreach((json_t *)v, key, child)
		{
			if (strlen(key) !=
			    json_object_iter_key_len(json_object_key_to_iter(key)))
				return err_set(E_INVALID, "log event key holds a NUL");
			if ((rc = check_value(child, depth + 1)) < 0)
				return rc;
		}
		return 0;
	case JSON_ARRAY:
		json_array_foreach(v, i, child)
		{
			if ((rc = check_value(child, depth + 1)) < 0)
				return rc;
		}
		return 0;
	default:
		return 0;
	}
}

static int check_event(const json_t *ev)
{
	struct ts at;
	if (!json_is_object(ev))
		return err_set(E_INVALID, "log event is not a JSON object");
	const char *type = json_string_value(json_object_get(ev, "type"));
	const char *when = json_string_value(json_object_get(ev, "at"));
	if (!type || !*type)
		return err_set(E_INVALID, "log event has no 'type'");
	if (!when || ts_parse(when, &at) < 0 || at.date_only)
		return err_set(E_INVALID, "log event '%s' has no RFC 3339 'at'", type);
	if (!json_is_string(json_object_get(ev, "actor")))
		return err_set(E_INVALID, "log event '%s' has no 'actor'", type);
	return check_value(ev, 0);
}

int journal_canonical(const json_t *event, char **out, size_t *len)
{
	int rc;
	*out = NULL;
	*len = 0;
	if ((rc = check_event(event)) < 0)
		return rc;
	char *s = json_dumps(event, JSON_COMPACT | JSON_SORT_KEYS);
	if (!s)
		return err_set(E_INVALID, "log event cannot be written as JSON");
	*len = strlen(s);
	if (*len > JOURNAL_MAX_ENTRY) {
		size_t n = *len;
		free(s);
		*len = 0;
		return err_set(E_INVALID,
			       "log event '%s' is %zu bytes, more than the %u an entry "
			       "may have",
			       json_string_value(json_object_get(event, "type")), n,
			       JOURNAL_MAX_ENTRY);
	}
	*out = s;
	return 0;
}

/* Is entry[0..len) exactly the canonical form of the event it holds? */
static int entry_canonical(const void *entry, size_t len)
{
	json_error_t jerr;
	char *again = NULL;
	size_t n = 0;
	json_t *ev =
	    json_loadb(entry, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	int ok = ev && journal_canonical(ev, &again, &n) == 0 && n == len &&
		 memcmp(again, entry, len) == 0;
	json_decref(ev);
	free(again);
	return ok;
}

int journal_ref(struct store *st, const char *kind, const char *value,
		char out[JOURNAL_REF_LEN])
{
	unsigned char key[REFKEY_BYTES], mac[crypto_auth_hmacsha256_BYTES];
	int rc = refkey_get(st, key);
	if (rc < 0)
		return rc;
	char *s = xasprintf("%s:%s", kind, value);
	crypto_auth_hmacsha256(mac, (const unsigned char *)s, strlen(s), key);
	sodium_memzero(key, sizeof(key));
	free(s);
	memcpy(out, "hmac-sha256:", 12);
	sodium_bin2hex(out + 12, JOURNAL_REF_LEN - 12, mac, sizeof(mac));
	return 0;
}

int journal_ref_like(struct store *st, const char *kind, const char *value,
		     const char *logged, char out[JOURNAL_REF_LEN])
{
	if (logged && strncmp(logged, "sha256:", 7) == 0) {
		char *s = xasprintf("%s:%s", kind, value);
		digest_tag(s, strlen(s), out);
		free(s);
		return 0;
	}
	return journal_ref(st, kind, value, out);
}

/* ===================================================================
 * The stored tree
 * =================================================================== */

static int store_get(void *ctx, unsigned level, uint64_t index,
		     uint8_t out[MERKLE_HASH_LEN])
{
	return store_log_get_hash(ctx, level, index, out);
}

static int tree_open(struct store *st, struct merkle_tree *t)
{
	t->get = store_get;
	t->ctx = st;
	t->hasher = merkle_hasher_new();
	return t->hasher ? 0 : -E_INTERNAL;
}

static void tree_close(struct merkle_tree *t)
{
	merkle_hasher_free(t->hasher);
	t->hasher = NULL;
}

static int need_transaction(struct store *st, const char *what)
{
	if (!store_in_transaction(st))
		return err_set(E_INTERNAL, "%s outside a unit of work", what);
	return 0;
}

static int size_at_most(struct store *st, uint64_t size)
{
	uint64_t n;
	int rc = store_log_size(st, &n);
	if (rc == 0 && size > n)
		return err_set(E_NOTFOUND, "the log has only %llu entries, not %llu",
			       (unsigned long long)n, (unsigned long long)size);
	return rc;
}

int journal_append(struct store *st, const json_t *event, uint64_t *index)
{
	struct merkle_node nodes[MERKLE_MAX_APPEND];
	struct merkle_tree t = {0};
	uint8_t leaf[MERKLE_HASH_LEN];
	char *entry = NULL;
	size_t len, count = 0;
	uint64_t n;
	int rc;
	if ((rc = need_transaction(st, "log entry")) < 0 ||
	    (rc = journal_canonical(event, &entry, &len)) < 0 ||
	    (rc = tree_open(st, &t)) < 0)
		goto out;
	if ((rc = store_log_size(st, &n)) < 0 ||
	    (rc = merkle_leaf_hash(t.hasher, entry, len, leaf)) < 0 ||
	    (rc = merkle_append(&t, n, leaf, nodes, &count)) < 0 ||
	    (rc = store_log_put_entry(st, n, entry, len)) < 0)
		goto out;
	for (size_t i = 0; i < count && rc == 0; i++)
		rc =
		    store_log_put_hash(st, nodes[i].level, nodes[i].index, nodes[i].hash);
	if (rc == 0 && index)
		*index = n;
out:
	tree_close(&t);
	free(entry);
	return rc;
}

int journal_root(struct store *st, uint64_t size, uint8_t out[MERKLE_HASH_LEN])
{
	struct merkle_tree t;
	int rc = size_at_most(st, size);
	if (rc < 0 || (rc = tree_open(st, &t)) < 0)
		return rc;
	rc = merkle_root(&t, size, out);
	tree_close(&t);
	return rc;
}

int journal_inclusion_proof(struct store *st, uint64_t index, uint64_t size,
			    struct merkle_proof *out)
{
	struct merkle_tree t;
	int rc = size_at_most(st, size);
	out->len = 0;
	if (rc < 0 || (rc = tree_open(st, &t)) < 0)
		return rc;
	rc = merkle_inclusion_proof(&t, index, size, out);
	tree_close(&t);
	return rc;
}

int journal_consistency_proof(struct store *st, uint64_t old_size, uint64_t new_size,
			      struct merkle_proof *out)
{
	struct merkle_tree t;
	int rc = size_at_most(st, new_size);
	out->len = 0;
	if (rc < 0 || (rc = tree_open(st, &t)) < 0)
		return rc;
	rc = merkle_consistency_proof(&t, old_size, new_size, out);
	tree_close(&t);
	return rc;
}

/* ===================================================================
 * Checkpoints
 * =================================================================== */

/* Open a stored note with v and parse its checkpoint. */
static int open_checkpoint(const char *note, const struct note_verifier *v,
			   struct checkpoint *c)
{
	size_t text_len;
	int rc = note_open(note, strlen(note), v, &text_len);
	if (rc == 0)
		rc = checkpoint_parse(note, text_len, c);
	return rc;
}

/* The newest signed checkpoint must still describe the stored tree: never
 * sign over a log that was changed behind our back. */
static int check_latest(struct store *st, const struct signer *key,
			const struct merkle_tree *t, uint64_t size)
{
	struct checkpoint c;
	uint8_t root[MERKLE_HASH_LEN];
	uint64_t at;
	char *note = NULL;
	int rc = store_checkpoint_latest(st, &at, &note);
	if (rc == -E_NOTFOUND) {
		err_clear();
		return 0;
	}
	if (rc < 0)
		return rc;
	rc = open_checkpoint(note, signer_verifier(key), &c);
	free(note);
	if (rc < 0) {
		char why[256];
		str_copy(why, sizeof(why), err_msg());
		return err_set(E_STORAGE,
			       "the latest checkpoint (size %llu) does not verify "
			       "with the signing key: %s",
			       (unsigned long long)at, why);
	}
	if (c.size == at && at <= size) {
		rc = merkle_root(t, at, root);
		if (rc < 0 && rc != -E_NOTFOUND)
			return rc;
		if (rc == 0 && memcmp(root, c.root, MERKLE_HASH_LEN) == 0)
			return 0;
	}
	return err_set(E_STORAGE,
		       "the log no longer matches its signed checkpoint at "
		       "size %llu; verify the log",
		       (unsigned long long)at);
}

static int sign_and_store(struct store *st, const struct signer *key, const char *origin,
			  const struct merkle_tree *t, uint64_t size)
{
	struct checkpoint c = {.size = size};
	char *body = NULL, *note = NULL;
	int rc;
	if (str_copy(c.origin, sizeof(c.origin), origin) < 0)
		return err_set(E_INVALID, "log origin is too long");
	if ((rc = merkle_root(t, size, c.root)) < 0 ||
	    (rc = checkpoint_format(&c, &body)) < 0 ||
	    (rc = signer_sign(key, body, strlen(body), &note)) < 0)
		goto out;
	rc = store_checkpoint_put(st, size, note);
out:
	free(body);
	free(note);
	return rc;
}

int journal_checkpoint(struct store *st, const struct signer *key, const char *origin)
{
	struct merkle_tree t = {0};
	uint64_t size;
	char *note = NULL;
	int rc;
	if ((rc = need_transaction(st, "signing a checkpoint")) < 0)
		return rc;
	if (strcmp(signer_name(key), origin) != 0)
		return err_set(E_INVALID,
			       "the signing key is for '%s' but the log origin is "
			       "'%s'",
			       signer_name(key), origin);
	if ((rc = store_log_size(st, &size)) < 0)
		return rc;
	rc = store_checkpoint_get(st, size, &note);
	free(note);
	if (rc != -E_NOTFOUND)
		return rc;
	err_clear();
	if ((rc = tree_open(st, &t)) == 0 && (rc = check_latest(st, key, &t, size)) == 0)
		rc = sign_and_store(st, key, origin, &t, size);
	tree_close(&t);
	return rc;
}

/* ===================================================================
 * Verification
 * =================================================================== */

/* Entries missing in a row beyond which verification gives up. */
#define MAX_GAP 1000000
#define PROGRESS_EVERY 4096

struct verify {
	struct store *st;
	const struct note_verifier *v;
	struct merkle_tree t;
	struct merkle_frontier f;
	const struct journal_hooks *hooks;
	struct journal_report *rep;
	uint64_t next; /* index of the next entry expected */
	uint64_t bad;  /* see check_nodes() */
	int have_prev; /* a valid previous checkpoint */
	uint64_t prev_size;
	uint8_t prev_root[MERKLE_HASH_LEN];
};

static void finding(struct verify *vf, enum journal_problem p, uint64_t index,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void finding(struct verify *vf, enum journal_problem p, uint64_t index,
		    const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vf->rep->problems++;
	if ((p == JOURNAL_BAD_ENTRY || p == JOURNAL_BAD_HASH) &&
	    index < vf->rep->first_bad)
		vf->rep->first_bad = index;
	if (vf->hooks && vf->hooks->finding) {
		struct journal_finding f = {.problem = p, .index = index, .message = msg};
		vf->hooks->finding(vf->hooks->ctx, &f);
	}
}

/* Compare node n with its stored copy: 1 when it is missing or differs.
 * It is reported only when its children are sound: a bad node above a bad
 * node is a consequence, not a new problem. */
static int check_node(struct verify *vf, const struct merkle_node *n, int children_bad)
{
	uint8_t stored[MERKLE_HASH_LEN];
	uint64_t first = n->index << n->level;
	int rc = store_log_get_hash(vf->st, n->level, n->index, stored);
	vf->rep->hashes++;
	if (rc < 0 && rc != -E_NOTFOUND)
		return rc;
	if (rc == 0 && memcmp(stored, n->hash, MERKLE_HASH_LEN) == 0)
		return 0;
	if (!children_bad)
		finding(vf, JOURNAL_BAD_HASH, first,
			"entry %llu: the stored hash at level %u index %llu %s",
			(unsigned long long)first, n->level, (unsigned long long)n->index,
			rc < 0 ? "is missing" : "does not match the entries");
	return 1;
}

/* Compare the nodes a new leaf completes with the stored ones.  vf->bad
 * has bit l set when the frontier's subtree at level l holds a bad node. */
static int check_nodes(struct verify *vf, const struct merkle_node *nodes, size_t count,
		       int leaf_bad)
{
	int bad = leaf_bad, rc;
	for (size_t i = 0; i < count; i++) {
		const struct merkle_node *n = &nodes[i];
		if (i > 0)
			bad |= (int)((vf->bad >> (n->level - 1)) & 1);
		if ((rc = check_node(vf, n, bad)) < 0)
			return rc;
		bad |= rc;
	}
	unsigned top = nodes[count - 1].level;
	vf->bad &= top >= 63 ? 0 : ~(((uint64_t)2 << top) - 1);
	if (bad)
		vf->bad |= (uint64_t)1 << top;
	return 0;
}

static int push_leaf(struct verify *vf, const uint8_t leaf[MERKLE_HASH_LEN], int leaf_bad)
{
	struct merkle_node nodes[MERKLE_MAX_APPEND];
	size_t count;
	int rc = merkle_frontier_push(&vf->f, vf->t.hasher, leaf, nodes, &count);
	return rc < 0 ? rc : check_nodes(vf, nodes, count, leaf_bad);
}

/* Entries [vf->next, upto) are missing: report them, and carry on with
 * their stored leaf hashes so later entries are still checked. */
static int missing_entries(struct verify *vf, uint64_t upto)
{
	uint8_t leaf[MERKLE_HASH_LEN];
	int rc;
	finding(vf, JOURNAL_BAD_ENTRY, vf->next, "entries %llu to %llu are missing",
		(unsigned long long)vf->next, (unsigned long long)(upto - 1));
	if (upto - vf->next > MAX_GAP)
		return err_set(E_INVALID,
			       "log verification stopped: entries %llu to %llu "
			       "are missing",
			       (unsigned long long)vf->next,
			       (unsigned long long)(upto - 1));
	for (; vf->next < upto; vf->next++) {
		rc = store_log_get_hash(vf->st, 0, vf->next, leaf);
		if (rc == -E_NOTFOUND)
			memset(leaf, 0, sizeof(leaf));
		else if (rc < 0)
			return rc;
		if ((rc = push_leaf(vf, leaf, 1)) < 0)
			return rc;
	}
	return 0;
}

static int verify_entry(void *ctx, uint64_t index, const void *entry, size_t len)
{
	struct verify *vf = ctx;
	uint8_t leaf[MERKLE_HASH_LEN];
	int rc;
	if (index > vf->next && (rc = missing_entries(vf, index)) < 0)
		return rc;
	if (len > JOURNAL_MAX_ENTRY)
		finding(vf, JOURNAL_BAD_ENTRY, index,
			"entry %llu is %zu bytes, more than the %u an entry may have",
			(unsigned long long)index, len, JOURNAL_MAX_ENTRY);
	else if (!entry_canonical(entry, len))
		finding(vf, JOURNAL_BAD_ENTRY, index,
			"entry %llu is not a canonical JSON event",
			(unsigned long long)index);
	if ((rc = merkle_leaf_hash(vf->t.hasher, entry, len, leaf)) < 0 ||
	    (rc = push_leaf(vf, leaf, 0)) < 0)
		return rc;
	vf->rep->entries++;
	vf->next = index + 1;
	if (vf->hooks && vf->hooks->progress && vf->next % PROGRESS_EVERY == 0)
		vf->hooks->progress(vf->hooks->ctx, vf->next, vf->rep->size);
	return 0;
}

/* Is checkpoint c (stored under `size`) what the log holds? */
static int check_checkpoint_root(struct verify *vf, uint64_t size,
				 const struct checkpoint *c)
{
	uint8_t root[MERKLE_HASH_LEN];
	if (c->size != size) {
		finding(vf, JOURNAL_BAD_CHECKPOINT, size,
			"checkpoint %llu: its text says tree size %llu",
			(unsigned long long)size, (unsigned long long)c->size);
		return 1;
	}
	if (strcmp(c->origin, vf->v->name) != 0) {
		finding(vf, JOURNAL_BAD_CHECKPOINT, size,
			"checkpoint %llu: origin '%s' is not the key name '%s'",
			(unsigned long long)size, c->origin, vf->v->name);
		return 1;
	}
	if (size > vf->rep->size) {
		finding(vf, JOURNAL_BAD_CHECKPOINT, size,
			"checkpoint %llu: the log has only %llu entries (entries were "
			"removed)",
			(unsigned long long)size, (unsigned long long)vf->rep->size);
		return 1;
	}
	int rc = merkle_root(&vf->t, size, root);
	if (rc < 0 && rc != -E_NOTFOUND)
		return rc;
	if (rc < 0 || memcmp(root, c->root, MERKLE_HASH_LEN) != 0) {
		finding(vf, JOURNAL_BAD_CHECKPOINT, size,
			"checkpoint %llu: its root hash does not match the log",
			(unsigned long long)size);
		return 1;
	}
	return 0;
}

static int check_consistency(struct verify *vf, const struct checkpoint *c)
{
	struct merkle_proof p = {0};
	if (!vf->have_prev || vf->prev_size == 0)
		return 0;
	int rc = merkle_consistency_proof(&vf->t, vf->prev_size, c->size, &p);
	if (rc < 0 && rc != -E_NOTFOUND)
		return rc;
	if (rc < 0 || merkle_verify_consistency(vf->t.hasher, vf->prev_size, c->size,
						vf->prev_root, c->root, &p) < 0)
		finding(vf, JOURNAL_INCONSISTENT, c->size,
			"checkpoint %llu is not an extension of checkpoint %llu",
			(unsigned long long)c->size, (unsigned long long)vf->prev_size);
	return 0;
}

static int verify_checkpoint(void *ctx, uint64_t size, const char *note)
{
	struct verify *vf = ctx;
	struct checkpoint c;
	int rc;
	vf->rep->checkpoints++;
	vf->rep->signed_size = size;
	if (open_checkpoint(note, vf->v, &c) < 0) {
		finding(vf, JOURNAL_BAD_CHECKPOINT, size, "checkpoint %llu: %s",
			(unsigned long long)size, err_msg());
		return 0;
	}
	if ((rc = check_checkpoint_root(vf, size, &c)) != 0)
		return rc < 0 ? rc : 0;
	if ((rc = check_consistency(vf, &c)) < 0)
		return rc;
	vf->have_prev = 1;
	vf->prev_size = c.size;
	memcpy(vf->prev_root, c.root, MERKLE_HASH_LEN);
	return 0;
}

/* A leaf hash stored beyond the last entry: entries were removed from the
 * end (the hashes of a unit of work commit with its entries). */
static int check_end(struct verify *vf)
{
	uint8_t leaf[MERKLE_HASH_LEN];
	uint64_t n = vf->rep->size;
	int rc = store_log_get_hash(vf->st, 0, n, leaf);
	if (rc == -E_NOTFOUND) {
		err_clear();
		return 0;
	}
	if (rc < 0)
		return rc;
	finding(vf, JOURNAL_BAD_ENTRY, n,
		"entry %llu is missing: its leaf hash is stored (entries were removed "
		"from the end of the log)",
		(unsigned long long)n);
	return 0;
}

/* Every unit of work signs a checkpoint for the log size it commits, so
 * entries beyond the newest checkpoint were added behind docket's back, or
 * the checkpoint that covered them was removed. */
static void check_covered(struct verify *vf)
{
	uint64_t from = vf->rep->signed_size, to = vf->rep->size;
	if (from >= to)
		return;
	finding(vf, JOURNAL_BAD_ENTRY, from,
		"entries %llu to %llu are not covered by a signed checkpoint (a "
		"checkpoint was removed or entries were added)",
		(unsigned long long)from, (unsigned long long)(to - 1));
}

int journal_verify(struct store *st, const struct note_verifier *v,
		   const struct journal_hooks *hooks, struct journal_report *out)
{
	struct verify vf = {.st = st, .v = v, .hooks = hooks, .rep = out};
	int rc;
	memset(out, 0, sizeof(*out));
	out->first_bad = UINT64_MAX;
	merkle_frontier_init(&vf.f);
	if ((rc = store_log_size(st, &out->size)) < 0 || (rc = tree_open(st, &vf.t)) < 0)
		return rc;
	if ((rc = store_log_each_entry(st, 0, verify_entry, &vf)) == 0 &&
	    vf.next < out->size)
		rc = missing_entries(&vf, out->size);
	if (rc == 0)
		rc = check_end(&vf);
	if (rc == 0)
		rc = store_checkpoint_each(st, verify_checkpoint, &vf);
	if (rc == 0)
		check_covered(&vf);
	tree_close(&vf.t);
	if (rc < 0)
		return rc;
	if (out->problems == 0)
		return 0;
	if (out->first_bad != UINT64_MAX)
		return err_set(E_INVALID,
			       "the log does not verify: %llu problems, first bad "
			       "entry %llu",
			       (unsigned long long)out->problems,
			       (unsigned long long)out->first_bad);
	return err_set(E_INVALID,
		       "the log does not verify: %llu problems in its checkpoints",
		       (unsigned long long)out->problems);
}

/* ===================================================================
 * The national-security compartment
 * =================================================================== */

int journal_checkpoint_ns(struct store *st, const struct signer *key, const char *origin)
{
	int was = store_log_select(st, STORE_LOG_NS);
	int rc = journal_checkpoint(st, key, origin);
	store_log_select(st, (enum store_log)was);
	return rc;
}

int journal_commit_ns(struct store *st, const struct signer *key, const char *origin,
		      const char *actor, int64_t now)
{
	char *note = NULL, digest[DIGEST_TAG_LEN], at[TS_BUFSZ], *last = NULL, bucket[32];
	uint64_t size = 0;
	/* at most once per clock hour, whatever the scheduler's frequency: the
	 * fixed interval of the commitments */
	snprintf(bucket, sizeof(bucket), "%lld", (long long)(now / JOURNAL_NS_COMMIT_EVERY));
	int rc = store_setting_get(st, "log.ns-committed", &last);
	if (rc == 0 && strcmp(last, bucket) == 0) {
		free(last);
		return 0;
	}
	free(last);
	if (rc < 0 && rc != -E_NOTFOUND)
		return rc;
	err_clear();
	if ((rc = store_setting_set(st, "log.ns-committed", bucket)) < 0 ||
	    (rc = journal_checkpoint_ns(st, key, origin)) < 0)
		return rc;
	int was = store_log_select(st, STORE_LOG_NS);
	rc = store_checkpoint_latest(st, &size, &note);
	store_log_select(st, (enum store_log)was);
	if (rc < 0)
		return rc;
	digest_tag(note, strlen(note), digest);
	free(note);
	time_format(now, at);
	json_t *ev = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "compartment.checkpoint",
			       "at", at, "actor", actor ? actor : "", "compartment",
			       JOURNAL_NS_NAME, "checkpoint", digest);
	was = store_log_select(st, STORE_LOG_MAIN);
	rc = journal_append(st, ev, NULL);
	store_log_select(st, (enum store_log)was);
	json_decref(ev);
	return rc;
}

int journal_ns_signer(const char *db, const char *main_origin, struct signer **out)
{
	char *path = NULL;
	int rc = keys_path(db, JOURNAL_NS_KEY_SUFFIX, &path);
	if (rc < 0)
		return rc;
	char *name = xasprintf("%s" JOURNAL_NS_SUFFIX, main_origin);
	rc = signer_load(path, out);
	if (rc == -E_NOTFOUND) {
		err_clear();
		if ((rc = signer_generate(path, name)) == 0)
			rc = signer_load(path, out);
	}
	if (rc == 0 && strcmp(signer_name(*out), name) != 0) {
		rc = err_set(E_INVALID, "national-security key file '%s' is for '%s', not '%s'",
			     path, signer_name(*out), name);
		signer_free(*out);
		*out = NULL;
	}
	free(path);
	free(name);
	return rc;
}
