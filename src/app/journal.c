#define _GNU_SOURCE /* memmem */
/*
 * journal.c - reading and verifying the log (app/journal.h).
 */
#include <stdlib.h>
#include <string.h>

#include "app/journal.h"
#include "base/err.h"
#include "base/keys.h"
#include "base/util.h"
#include "log/signer.h"
#include "log/tile.h"

int app_journal_key(struct session *s, const char *given, char **out)
{
	struct signer *sg = NULL;
	*out = NULL;
	if (given) {
		*out = xstrdup(given);
		return 0;
	}
	char *path = NULL;
	int rc = keys_path(s->db, ".key", &path);
	if (rc == 0)
		rc = signer_load(path, &sg);
	free(path);
	if (rc == 0) {
		*out = xstrdup(signer_verifier_key(sg));
		signer_free(sg);
		return 0;
	}
	if (store_setting_get(s->st, "log.key", out) == 0)
		return 0;
	return err_set(E_NOTFOUND,
		       "no verifier key: the signing key is not readable and the "
		       "database names none; pass --key");
}

int app_journal_checkpoint(struct session *s, int have_size, uint64_t *size, char **note)
{
	/* as served: the log's signature, then the witnesses' cosignatures */
	int rc = witness_checkpoint(s->st, have_size ? *size : UINT64_MAX, size, note);
	if (rc == -E_NOTFOUND && have_size)
		rc = err_set(E_NOTFOUND, "no signed checkpoint at size %llu",
			     (unsigned long long)*size);
	return rc;
}

int app_journal_entry(struct session *s, uint64_t index, struct buf *out)
{
	buf_init(out, JOURNAL_READ_MAX);
	int rc = store_log_get_entry(s->st, index, out);
	if (rc < 0)
		buf_release(out);
	return rc;
}

int app_journal_proof_size(struct session *s, int have_size, uint64_t *size)
{
	char *note = NULL;
	if (have_size)
		return 0;
	int rc = store_checkpoint_latest(s->st, size, &note);
	free(note);
	return rc;
}

int app_journal_inclusion(struct session *s, uint64_t index, uint64_t size,
		      struct merkle_proof *out)
{
	if (index >= size)
		return err_set(E_NOTFOUND, "entry %llu is not in the tree of size %llu",
			       (unsigned long long)index, (unsigned long long)size);
	return journal_inclusion_proof(s->st, index, size, out);
}

int app_journal_consistency(struct session *s, uint64_t old, uint64_t size,
			struct merkle_proof *out)
{
	if (old == 0 || old > size)
		return err_set(E_INVALID,
			       "no consistency proof from size %llu to size %llu",
			       (unsigned long long)old, (unsigned long long)size);
	return journal_consistency_proof(s->st, old, size, out);
}

struct verify_progress {
	const struct journal_hooks *outer;
	const struct app_progress *progress;
};

static void on_finding(void *ctx, const struct journal_finding *f)
{
	const struct verify_progress *vp = ctx;
	if (vp->outer && vp->outer->finding)
		vp->outer->finding(vp->outer->ctx, f);
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
	const struct verify_progress *vp = ctx;
	(void)total;
	app_progress_update(vp->progress, done);
}

int app_journal_ns_key(struct session *s, char **out)
{
	struct signer *sg = NULL;
	char *path = NULL;
	int rc = keys_path(s->db, JOURNAL_NS_KEY_SUFFIX, &path);
	if (rc < 0)
		return rc;
	rc = signer_load(path, &sg);
	free(path);
	*out = NULL;
	if (rc == 0) {
		*out = xstrdup(signer_verifier_key(sg));
		signer_free(sg);
		return 0;
	}
	err_clear();
	rc = store_setting_get(s->st, "log.ns-key", out);
	if (rc == -E_NOTFOUND)
		return err_set(E_NOTFOUND, "no verifier key for the national-security "
					   "compartment (neither its key file nor the "
					   "database's 'log.ns-key')");
	return rc;
}

int app_journal_cleared(const struct session *s)
{
	return (s->roles & ROLE_BIT(ROLE_CLEARED)) != 0;
}

/* The digests of the compartment's signed checkpoints, sorted. */
struct cp_digests {
	char (*d)[DIGEST_TAG_LEN];
	size_t n, cap;
};

static int add_cp_digest(void *ctx, uint64_t size, const char *note)
{
	struct cp_digests *c = ctx;
	(void)size;
	c->d = xgrow(c->d, &c->cap, c->n + 1, sizeof(*c->d));
	digest_tag(note, strlen(note), c->d[c->n++]);
	return 0;
}

static int cmp_digest(const void *a, const void *b)
{
	return strcmp(a, b);
}

struct commit_walk {
	struct cp_digests *cps;
	const struct journal_hooks *hooks;
	struct app_verify *out;
};

/* Each "compartment.checkpoint" entry of the main log names a signed
 * checkpoint of the compartment. */
static int on_commit(void *ctx, uint64_t index, const void *entry, size_t len)
{
	struct commit_walk *w = ctx;
	static const char tag[] = "\"type\":\"compartment.checkpoint\"";
	if (len < sizeof(tag) || !memmem(entry, len, tag, sizeof(tag) - 1))
		return 0;
	json_t *ev = json_loadb(entry, len, 0, NULL);
	const char *d = json_string_value(json_object_get(ev, "checkpoint"));
	w->out->ns_commits++;
	if (!d || !bsearch(d, w->cps->d, w->cps->n, sizeof(*w->cps->d), cmp_digest)) {
		char msg[256];
		snprintf(msg, sizeof(msg),
			 "log entry %llu commits to a national-security compartment "
			 "checkpoint that is not stored",
			 (unsigned long long)index);
		struct journal_finding f = {JOURNAL_BAD_CHECKPOINT, index, msg, 0};
		if (w->hooks && w->hooks->finding)
			w->hooks->finding(w->hooks->ctx, &f);
		w->out->nsrc = -E_INVALID;
	}
	json_decref(ev);
	return 0;
}

/* Findings about the compartment say so. */
static void on_ns_finding(void *ctx, const struct journal_finding *f)
{
	const struct journal_hooks *outer = ctx;
	char msg[600];
	struct journal_finding g = *f;
	snprintf(msg, sizeof(msg), "national-security compartment: %s", f->message);
	g.message = msg;
	if (outer && outer->finding)
		outer->finding(outer->ctx, &g);
}

/* The compartment with its own key, then the main log's commitments. */
static int verify_compartment(struct session *s, const struct journal_hooks *outer,
			      struct app_verify *out)
{
	struct journal_hooks ns_hooks = {on_ns_finding, NULL, (void *)outer};
	const struct journal_hooks *hooks = outer;
	struct note_verifier v;
	struct cp_digests cps = {0};
	char *key = NULL;
	int rc = app_journal_ns_key(s, &key);
	if (rc < 0)
		return rc;
	rc = note_verifier_parse(key, &v);
	free(key);
	if (rc < 0)
		return rc;
	int was = store_log_select(s->st, STORE_LOG_NS);
	rc = journal_verify(s->st, &v, &ns_hooks, &out->ns_log);
	if (rc == -E_INVALID) {
		out->nsrc = rc;
		rc = 0;
	}
	if (rc == 0)
		rc = store_checkpoint_each(s->st, add_cp_digest, &cps);
	store_log_select(s->st, (enum store_log)was);
	if (rc == 0) {
		struct commit_walk w = {&cps, hooks, out};
		if (cps.n)
			qsort(cps.d, cps.n, sizeof(*cps.d), cmp_digest);
		rc = store_log_each_entry(s->st, 0, on_commit, &w);
	}
	free(cps.d);
	return rc;
}

static int verify_snapshot(struct session *s, const struct note_verifier *v,
			   const struct journal_hooks *hooks, struct app_verify *out,
			   const struct app_progress *progress)
{
	struct verify_progress vp = {hooks, progress};
	struct journal_hooks inner = {on_finding, on_progress, &vp};
	char why[512] = "";
	uint64_t size = 0;
	int rc;
	if ((rc = store_log_size(s->st, &size)) < 0)
		return rc;
	app_progress_start(progress, "verifying log", size);
	rc = out->jrc = journal_verify(s->st, v, &inner, &out->log);
	app_progress_finish(progress, out->log.entries);
	if (rc < 0 && rc != -E_INVALID)
		return rc;
	str_copy(why, sizeof(why), rc < 0 ? err_msg() : "");
	app_progress_start(progress, "checking records", 0);
	rc = out->arc = audit_verify(s->st, &inner, &out->records);
	app_progress_finish(progress, out->records.history + out->log.size);
	if (rc < 0 && rc != -E_INVALID)
		return rc;
	char more_why[512];
	str_copy(more_why, sizeof(more_why), rc < 0 ? err_msg() : "");
	/* the tables are a cache of the log: replay it against them */
	app_progress_start(progress, "replaying the log against the tables", size);
	rc = out->rrc = replay_verify(s->st, &inner, &out->tables);
	app_progress_finish(progress, out->tables.entries);
	if (rc < 0 && rc != -E_INVALID)
		return rc;
	if (rc < 0) {
		size_t len = strlen(more_why);
		snprintf(more_why + len, sizeof(more_why) - len, "%s%s", len ? "; " : "",
			 err_msg());
		out->arc = rc;
	}
	if ((rc = witness_verify(s->st, &inner, &out->wproblems, &out->wchecked)) < 0)
		return rc;
	if ((rc = verify_compartment(s, &inner, out)) < 0)
		return rc;
	if (out->nsrc < 0 && out->jrc == 0) {
		out->jrc = -E_INVALID;
		str_copy(why, sizeof(why), "the national-security compartment does not verify");
	}
	if (out->arc < 0)
		err_set(E_INVALID, "%s", more_why);
	if (out->jrc < 0 && out->arc < 0) {
		char more[512];
		str_copy(more, sizeof(more), err_msg());
		err_set(E_INVALID, "%s; %s", why, more);
	} else if (out->jrc < 0) {
		err_set(E_INVALID, "%s", why);
	}
	return 0;
}

int app_journal_verify(struct session *s, const char *vkey, const struct journal_hooks *hooks,
		   const struct app_progress *progress, struct app_verify *out)
{
	struct note_verifier v;
	char *key = NULL;
	int rc;
	memset(out, 0, sizeof(*out));
	out->cleared = app_journal_cleared(s);
	if ((rc = app_journal_key(s, vkey, &key)) < 0)
		return rc;
	rc = note_verifier_parse(key, &v);
	free(key);
	if (rc < 0 || (rc = store_snapshot_begin(s->st)) < 0)
		return rc;
	rc = verify_snapshot(s, &v, hooks, out, progress);
	store_snapshot_end(s->st);
	return rc;
}

/* ===================================================================
 * The log as C2SP tlog-tiles
 * =================================================================== */

int app_log_checkpoint(struct store *st, char **out, size_t *len)
{
	uint64_t size;
	int rc = witness_checkpoint(st, UINT64_MAX, &size, out);
	if (rc == 0)
		*len = strlen(*out);
	return rc;
}

static int tile_get_hash(void *ctx, unsigned level, uint64_t index, uint8_t out[32])
{
	return store_log_get_hash(ctx, level, index, out);
}

static int tile_get_entry(void *ctx, uint64_t index, struct buf *out)
{
	return store_log_get_entry(ctx, index, out);
}

int app_log_tile(struct store *st, const char *path, size_t len, struct app_log_tile *out)
{
	struct tile t;
	uint64_t size;
	char *note = NULL;
	int rc;
	memset(out, 0, sizeof(*out));
	buf_init(&out->body, (size_t)TILE_WIDTH * (2 + TILE_BUNDLE_ENTRY_MAX));
	if (tile_path_parse(path, len, &t) < 0) {
		rc = err_set(E_NOTFOUND, "no such tile: %s", err_msg());
		goto fail;
	}
	rc = store_checkpoint_latest(st, &size, &note);
	free(note);
	if (rc < 0)
		goto fail;
	out->entries = t.entries;
	out->full = t.width == TILE_WIDTH;
	if (t.entries) {
		rc = tile_bundle(&t, size, tile_get_entry, st, &out->body);
	} else {
		static const size_t n = (size_t)TILE_WIDTH * MERKLE_HASH_LEN;
		uint8_t *hashes = xcalloc(1, n);
		if ((rc = tile_hashes(&t, size, tile_get_hash, st, hashes)) == 0)
			rc = buf_add(&out->body, hashes, (size_t)t.width * MERKLE_HASH_LEN);
		free(hashes);
	}
	if (rc == 0)
		return 0;
fail:
	buf_release(&out->body);
	return rc;
}
