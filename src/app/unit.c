/*
 * unit.c - the unit of work (app/app.h): the one place that begins and
 * commits a transaction.  It is the only file above the store that
 * includes store/txn.h (tests/layering.sh checks).
 */
#include <stdlib.h>
#include <time.h>

#include "app/app.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/keys.h"
#include "base/util.h"
#include "core/ledger/event.h"
#include "core/ledger/journal.h"
#include "log/signer.h"
#include "store/txn.h"

/* The signing key beside the database and the log's origin, once. */
static int load_signer(struct session *s)
{
	int rc;
	if (!s->signer) {
		char *path = NULL;
		if ((rc = keys_path(s->db, ".key", &path)) < 0)
			return rc;
		rc = signer_load(path, &s->signer);
		free(path);
		if (rc < 0)
			return rc;
	}
	if (!s->origin && (rc = store_setting_get(s->st, "log.origin", &s->origin)) < 0) {
		if (rc == -E_NOTFOUND) {
			rc = err_set(E_STORAGE, "the database has no log origin");
			err_set_remedy(REMEDY_INIT, 0);
		}
		return rc;
	}
	if (!s->ns_signer && (rc = journal_ns_signer(s->db, s->origin, &s->ns_signer)) < 0)
		return rc;
	return 0;
}

/* The compartment's verifier key in the database, for auditors who verify
 * without the secret key: written by init (in its "log.init" entry), or in
 * a database made before the compartment by its first unit of work, with
 * a "log.compartment" entry that records it. */
static int note_ns_key(struct session *s)
{
	char *have = NULL;
	int rc = store_setting_get(s->st, "log.ns-key", &have);
	free(have);
	if (rc != -E_NOTFOUND)
		return rc;
	err_clear();
	const char *vkey = signer_verifier_key(s->ns_signer);
	if ((rc = store_setting_set(s->st, "log.ns-key", vkey)) < 0)
		return rc;
	/* a setting like any other: the log records it (core/ledger/replay.c) */
	return app_log(s, "log.compartment", json_pack("{s:s}", "key", vkey), NULL);
}

/* A short pause before trying again, longer each time. */
static void backoff(int attempt)
{
	struct timespec ts = {0, 20L * 1000 * 1000 * attempt};
	nanosleep(&ts, NULL);
}

static int run_once(struct session *s, app_body_fn body, void *ctx)
{
	int rc;
	if ((rc = clock_now(&s->now)) < 0 || (rc = store_begin(s->st)) < 0)
		return rc;
	if ((rc = body(s, ctx)) < 0 || (rc = note_ns_key(s)) < 0 ||
	    (rc = journal_checkpoint(s->st, s->signer, s->origin)) < 0 ||
	    (rc = journal_checkpoint_ns(s->st, s->ns_signer,
					signer_name(s->ns_signer))) < 0 ||
	    (rc = store_commit(s->st)) < 0) {
		store_rollback(s->st);
		return rc;
	}
	return 0;
}

int app_unit(struct session *s, app_body_fn body, void *ctx)
{
	int rc;
	if (store_in_transaction(s->st))
		return err_set(E_INTERNAL, "a unit of work inside another");
	if ((rc = load_signer(s)) < 0)
		return rc;
	for (int attempt = 1;; attempt++) {
		rc = run_once(s, body, ctx);
		if (rc != -E_CONFLICT || attempt >= APP_UNIT_TRIES)
			return rc;
		backoff(attempt);
	}
}

int app_log_list(struct session *s, const char *type, json_t *fields, const char *list,
		 json_t *items, uint64_t *item_index)
{
	if (!store_in_transaction(s->st)) {
		json_decref(fields);
		json_decref(items);
		return err_set(E_INTERNAL, "log entry '%s' outside a unit of work", type);
	}
	struct actor who = session_actor(s);
	return event_log_list(s->st, &who, type, fields, list, items, item_index, NULL);
}

int app_log(struct session *s, const char *type, json_t *fields, uint64_t *index)
{
	if (!store_in_transaction(s->st)) {
		json_decref(fields);
		return err_set(E_INTERNAL, "log entry '%s' outside a unit of work", type);
	}
	struct actor who = session_actor(s);
	return event_log(s->st, &who, type, fields, index);
}
