/*
 * dbcopy.c - `docket db copy SRC DST` (app/dbcopy.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/dbcopy.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/keys.h"
#include "base/util.h"
#include "core/access/auth.h"
#include "core/ledger/journal.h"
#include "core/ledger/refkey.h"
#include "core/disclose/vault.h"
#include "log/note.h"

#define KEY_FILE_MAX 4096

/* the log key, the vault key, the national-security compartment key, the
 * key of the log's keyed references and the key of the TOTP secrets (which
 * are copied sealed, as they are stored) */
static const char *const key_suffixes[] = {".key", VAULT_KEY_SUFFIX, JOURNAL_NS_KEY_SUFFIX,
					   REFKEY_SUFFIX, AUTH_MFA_KEY_SUFFIX};
#define NKEYS ((int)(sizeof(key_suffixes) / sizeof(key_suffixes[0])))

/* Where src keeps key `suffix`: beside an SQLite file when it is there,
 * else where base/keys.h says. */
static int src_key(const char *src, const char *suffix, char **out)
{
	if (!str_has_prefix(src, "postgres://") && !str_has_prefix(src, "postgresql://")) {
		char *p = xasprintf("%s%s", src, suffix);
		if (access(p, F_OK) == 0) {
			*out = p;
			return 0;
		}
		free(p);
	}
	return keys_path(src, suffix, out);
}

struct keys {
	char *from[NKEYS], *to[NKEYS];
	int copied[NKEYS];
};

static void keys_free(struct keys *k)
{
	for (int i = 0; i < NKEYS; i++) {
		free(k->from[i]);
		free(k->to[i]);
	}
}

static int keys_plan(const char *src, const char *dst, struct keys *k)
{
	int rc;
	for (int i = 0; i < NKEYS; i++) {
		if ((rc = src_key(src, key_suffixes[i], &k->from[i])) < 0 ||
		    (rc = keys_path(dst, key_suffixes[i], &k->to[i])) < 0)
			return rc;
		if (strcmp(k->from[i], k->to[i]) != 0 && access(k->to[i], F_OK) == 0)
			return err_set(E_REFUSED, "key file '%s' exists already: move it away "
						  "or copy to another database", k->to[i]);
	}
	return 0;
}

static int keys_copy(struct keys *k, int *copied)
{
	for (int i = 0; i < NKEYS; i++) {
		if (strcmp(k->from[i], k->to[i]) == 0 || access(k->from[i], F_OK) != 0)
			continue;   /* shared, or never made (the vault key, the compartment's) */
		FILE *fp = fopen(k->from[i], "r");
		if (!fp)
			return err_set(E_IO, "cannot read key file '%s'", k->from[i]);
		struct buf b;
		buf_init(&b, KEY_FILE_MAX);
		int rc = buf_read_file(&b, fp, k->from[i]);
		fclose(fp);
		if (rc == 0)
			rc = file_create_secret(k->to[i], b.ptr, "key file");
		freezero(b.ptr, b.cap);
		b.ptr = NULL;
		if (rc < 0)
			return rc;
		k->copied[i] = 1;
		(*copied)++;
	}
	return 0;
}

struct copy_progress {
	const struct app_progress *p;
	int open;
	char what[96];
};

static void on_table(void *ctx, const char *name, int64_t total)
{
	struct copy_progress *cp = ctx;
	if (cp->open)
		app_progress_finish(cp->p, 0);
	snprintf(cp->what, sizeof(cp->what), "copying %s", name);
	app_progress_start(cp->p, cp->what, (uint64_t)total);
	cp->open = 1;
}

static void on_rows(void *ctx, int64_t done)
{
	struct copy_progress *cp = ctx;
	app_progress_update(cp->p, (uint64_t)done);
}

static void on_verify(void *ctx, uint64_t done, uint64_t total)
{
	(void)total;
	app_progress_update(ctx, done);
}

/* Verify st's log with v; *size and *note receive its latest checkpoint. */
static int verify(struct store *st, const struct note_verifier *v, const char *side,
		  const struct app_progress *p, uint64_t *size, uint64_t *signed_size,
		  char **note)
{
	struct journal_report r;
	struct journal_hooks hooks = {NULL, on_verify, (void *)p};
	char what[64];
	int rc;
	snprintf(what, sizeof(what), "verifying the log of the %s", side);
	if ((rc = store_log_size(st, size)) < 0)
		return rc;
	app_progress_start(p, what, *size);
	rc = journal_verify(st, v, &hooks, &r);
	app_progress_finish(p, r.entries);
	if (rc < 0) {
		char why[512];
		str_copy(why, sizeof(why), err_msg());
		return err_set(rc == -E_INVALID ? E_INVALID : (enum err_code)-rc,
			       "the log of the %s: %s", side, why);
	}
	return store_checkpoint_latest(st, signed_size, note);
}

int app_db_copy(const char *src, const char *dst, const struct app_progress *progress,
		struct app_db_copy_result *out)
{
	struct store *a = NULL, *b = NULL;
	struct keys k = {0};
	struct note_verifier v;
	char *vkey = NULL, *note_a = NULL, *note_b = NULL;
	int exists = 0, created = 0, rc;
	memset(out, 0, sizeof(*out));
	if (strcmp(src, dst) == 0)
		return err_set(E_USAGE, "source and destination are the same database");
	if ((rc = exists = store_exists(dst)) < 0)
		return rc;
	if (exists)
		return err_set(E_REFUSED, "database '%s' exists already: db copy makes a new one",
			       dst);
	if ((rc = keys_plan(src, dst, &k)) < 0 ||
	    (rc = store_open(src, STORE_OPEN_EXISTING, &a)) < 0)
		goto done;
	if ((rc = store_setting_get(a, "log.key", &vkey)) < 0 ||
	    (rc = note_verifier_parse(vkey, &v)) < 0)
		goto done;
	if ((rc = store_open(dst, STORE_CREATE, &b)) < 0)
		goto done;
	created = 1;
	struct copy_progress cp = {progress, 0, ""};
	struct store_copy_hook hook = {on_table, on_rows, &cp};
	rc = store_copy(a, b, &hook, &out->rows);
	if (cp.open)
		app_progress_finish(progress, 0);
	if (rc < 0)
		goto done;
	uint64_t size_a, size_b, signed_a, signed_b;
	if ((rc = verify(a, &v, "source", progress, &size_a, &signed_a, &note_a)) < 0 ||
	    (rc = verify(b, &v, "copy", progress, &size_b, &signed_b, &note_b)) < 0)
		goto done;
	if (size_a != size_b || signed_a != signed_b || strcmp(note_a, note_b) != 0) {
		rc = err_set(E_INVALID, "the copy's log (size %llu, checkpoint at %llu) is not the "
					"source's (size %llu, checkpoint at %llu)",
			     (unsigned long long)size_b, (unsigned long long)signed_b,
			     (unsigned long long)size_a, (unsigned long long)signed_a);
		goto done;
	}
	out->size = size_a;
	out->signed_size = signed_a;
	rc = keys_copy(&k, &out->keys_copied);
done:
	store_close(a);
	store_close(b);
	if (rc < 0 && created) {
		store_remove(dst);
		for (int i = 0; i < NKEYS; i++)
			if (k.copied[i])
				unlink(k.to[i]);
	}
	keys_free(&k);
	free(vkey);
	free(note_a);
	free(note_b);
	return rc;
}
