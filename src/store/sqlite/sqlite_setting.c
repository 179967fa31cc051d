/*
 * sqlite_setting.c - settings and staff (store.h), on either engine.
 */
#include <stdlib.h>

#include "base/err.h"
#include "base/util.h"
#include "store/sqlite/sqlite_int.h"


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
	sq_walk_end(st, q);
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
