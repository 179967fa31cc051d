/*
 * store.c - the engine-neutral front of store.h: a database name picks its
 * engine (store/engine.h), which opens the connection and brackets the unit
 * of work; every other store function is written once over the statement
 * layer.
 */
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "store/engine.h"
#include "store/txn.h"

void sq_cache_free(struct store *st);   /* store/sqlite/sql.c */

enum store_engine store_engine_of(const char *name)
{
	if (str_has_prefix(name, "postgres://") || str_has_prefix(name, "postgresql://"))
		return STORE_ENGINE_POSTGRES;
	return STORE_ENGINE_SQLITE;
}

/* The change marker's table as migration 0075 makes it, made again if
 * missing (keep them alike). */
#define CHANGE_MARK_TABLE                                                        \
	"CREATE TABLE IF NOT EXISTS change_mark (id INTEGER PRIMARY KEY CHECK (id = 1), " \
	"n INTEGER NOT NULL, tag INTEGER NOT NULL); "                              \
	"INSERT INTO change_mark (id, n, tag) VALUES (1, 0, 0) ON CONFLICT (id) DO NOTHING"

/* The change marker's migration (0075) was numbered below one that reached
 * some databases first (0080): a database whose schema went past 0075
 * before the marker existed never ran it, and every write there would
 * fail on the missing table.  So each open reads the marker once and,
 * when its table is missing, makes it. */
static int ensure_change_mark(struct store *st)
{
	struct store_mark m;
	int rc;
	if (store_change_mark(st, &m) == 0)
		return 0;
	err_clear();
	if (st->engine == STORE_ENGINE_POSTGRES) {
		char *sql = pg_dialect(CHANGE_MARK_TABLE);
		rc = pg_exec(st, sql, "make the change marker");
		free(sql);
	} else {
		rc = lite_exec(st, CHANGE_MARK_TABLE, "make the change marker");
	}
	return rc < 0 ? rc : store_change_mark(st, &m);
}

int store_open(const char *name, enum store_open_mode mode, struct store **out)
{
	*out = NULL;
	struct store *st = xcalloc(1, sizeof(*st));
	st->db = st;
	st->path = xstrdup(name);
	st->engine = store_engine_of(name);
	int rc = st->engine == STORE_ENGINE_POSTGRES ? pg_open(st, mode) : lite_open(st, mode);
	if (rc == 0)
		rc = ensure_change_mark(st);
	if (rc < 0) {
		store_close(st);
		return rc;
	}
	*out = st;
	return 0;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	if (st->in_tx)
		store_rollback(st);
	sq_cache_free(st);
	if (st->engine == STORE_ENGINE_POSTGRES)
		pg_close(st);
	else
		lite_close(st);
	free(st->path);
	free(st);
}

int store_exists(const char *name)
{
	if (store_engine_of(name) == STORE_ENGINE_POSTGRES)
		return pg_exists(name);
	return lite_exists(name);
}

void store_remove(const char *name)
{
	if (store_engine_of(name) == STORE_ENGINE_POSTGRES)
		pg_remove(name);
	else
		lite_remove(name);
}

const char *store_path(const struct store *st)
{
	return st->path;
}

int store_schema_version(struct store *st)
{
	int v = 0;
	int rc = st->engine == STORE_ENGINE_POSTGRES ? pg_schema_version(st, &v)
						     : lite_schema_version(st, &v);
	return rc < 0 ? -1 : v;
}

int store_begin(struct store *st)
{
	if (st->in_tx)
		return err_set(E_INTERNAL, "transaction already open");
	st->marked = 0;   /* its first write bumps the change marker (sql.c) */
	st->next_request_id = st->next_history_id = 0;
	return st->engine == STORE_ENGINE_POSTGRES ? pg_begin(st) : lite_begin(st);
}

int store_commit(struct store *st)
{
	if (!st->in_tx)
		return err_set(E_INTERNAL, "commit without a transaction");
	st->next_request_id = st->next_history_id = 0;
	st->pipeline = 0;
	return st->engine == STORE_ENGINE_POSTGRES ? pg_commit(st) : lite_commit(st);
}

void store_rollback(struct store *st)
{
	st->next_request_id = st->next_history_id = 0;
	st->pipeline = 0;
	if (!st->in_tx)
		return;
	if (st->engine == STORE_ENGINE_POSTGRES)
		pg_rollback(st);
	else
		lite_rollback(st);
}

int store_scheduler_lock(struct store *st, int *held)
{
	*held = 1;
	if (st->engine != STORE_ENGINE_POSTGRES)
		return 0;
	return pg_scheduler_lock(st, held);
}

void store_scheduler_unlock(struct store *st)
{
	if (st->engine == STORE_ENGINE_POSTGRES)
		pg_scheduler_unlock(st);
}

void store_pipeline(struct store *st)
{
	if (st->in_tx)
		st->pipeline = 1;
}

int store_in_transaction(struct store *st)
{
	return st->in_tx;
}
