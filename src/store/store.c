/*
 * store.c - the engine-neutral part of store.h: opening by name (an SQLite
 * file or a PostgreSQL URI, store/engine.h), the transaction bracket of
 * store/txn.h, settings and staff.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "base/util.h"
#include "store/sqlite_int.h"
#include "store/txn.h"

void sq_cache_free(struct store *st);

int store_name_is_pg(const char *name)
{
	return name && (str_has_prefix(name, "postgres://") ||
			str_has_prefix(name, "postgresql://"));
}

int store_open(const char *path, enum store_open_mode mode, struct store **out)
{
	*out = NULL;
	struct store *st = xcalloc(1, sizeof(*st));
	st->db = st;
	st->path = xstrdup(path);
	st->engine = store_name_is_pg(path) ? ENGINE_PG : ENGINE_SQLITE;
	int rc = st->engine == ENGINE_PG ? pg_open(st, mode) : lite_open(st, mode);
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
	if (st->engine == ENGINE_PG)
		pg_close(st);
	else
		lite_close(st);
	free(st->path);
	free(st);
}

void store_remove(const char *path)
{
	if (store_name_is_pg(path)) {
		pg_remove(path);
		return;
	}
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		char *p = xasprintf("%s%s", path, suffixes[i]);
		unlink(p);
		free(p);
	}
}

int store_exists(const char *path, int *exists)
{
	*exists = 0;
	if (!store_name_is_pg(path)) {
		*exists = access(path, F_OK) == 0;
		return 0;
	}
	return pg_exists(path, exists);
}

const char *store_path(const struct store *st)
{
	return st->path;
}

int store_schema_version(struct store *st)
{
	int v = 0;
	int rc = st->engine == ENGINE_PG ? pg_schema_version(st, &v)
					 : lite_schema_version(st, &v);
	return rc < 0 ? -1 : v;
}

int store_begin(struct store *st)
{
	if (st->in_tx)
		return err_set(E_INTERNAL, "transaction already open");
	return st->engine == ENGINE_PG ? pg_begin(st) : lite_begin(st);
}

int store_commit(struct store *st)
{
	if (!st->in_tx)
		return err_set(E_INTERNAL, "commit without a transaction");
	return st->engine == ENGINE_PG ? pg_commit(st) : lite_commit(st);
}

void store_rollback(struct store *st)
{
	if (!st->in_tx)
		return;
	if (st->engine == ENGINE_PG)
		pg_rollback(st);
	else
		lite_rollback(st);
}

int store_in_transaction(struct store *st)
{
	return st->in_tx;
}

/* --- settings ---------------------------------------------------------- */

int store_setting_get(struct store *st, const char *key, char **value)
{
	*value = NULL;
	sqlite3_stmt *q = sq_prep(st, "SELECT value FROM setting WHERE key = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, key);
	int rc = sq_row(st, q, "read setting");
	if (rc <= 0)
		return rc < 0 ? rc : err_set(E_NOTFOUND, "setting '%s' is not set", key);
	*value = sq_col_dup(q, 0);
	sqlite3_reset(q);
	return 0;
}

int store_setting_set(struct store *st, const char *key, const char *value)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO setting(key, value) VALUES (?, ?) "
				      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, key);
	sq_bind_text(q, 2, value);
	return sq_done(st, q, "write setting");
}

/* --- staff ------------------------------------------------------------- */

int store_user_add(struct store *st, const char *name, unsigned roles)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO staff(name, roles) VALUES (?, ?) "
				      "ON CONFLICT(name) DO UPDATE SET roles = excluded.roles");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, name);
	sqlite3_bind_int64(q, 2, roles);
	return sq_done(st, q, "add user");
}

int store_user_each(struct store *st, store_user_cb cb, void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(st, "SELECT name, roles FROM staff ORDER BY name");
	if (!q)
		return -E_STORAGE;
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if ((ret = cb(ctx, sq_col_text(q, 0), (unsigned)sqlite3_column_int64(q, 1))) != 0)
			break;
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "list users");
	sqlite3_finalize(q);
	return ret;
}

int store_user_roles(struct store *st, const char *name, unsigned *roles)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT roles FROM staff WHERE name = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, name);
	int rc = sq_row(st, q, "read user");
	if (rc <= 0)
		return rc < 0 ? rc : err_set(E_NOTFOUND, "no user '%s'", name);
	*roles = (unsigned)sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return 0;
}
