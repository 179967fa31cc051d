/*
 * sqlite_rows.c - every row of every table, as text, for the replay of the
 * log against the tables (core/replay.c) and nothing else.
 *
 * Integers and text are given as SQLite's text for them, NULL as a NULL
 * pointer, and a BLOB as "sha256:<hex>" of its bytes, so no content leaves
 * this file.
 */
#include <stdlib.h>
#include <string.h>

#include "base/digest.h"
#include "base/err.h"
#include "base/util.h"
#include "store/sqlite/sqlite_int.h"

#define MAX_COLS 64

int store_table_names(struct store *st, int (*cb)(void *ctx, const char *name), void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(st, "SELECT name FROM sqlite_master WHERE type = "
					   "'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
	if (!q)
		return -E_STORAGE;
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if ((ret = cb(ctx, sq_col_text(q, 0))) != 0)
			break;
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "list tables");
	sq_walk_end(st, q);
	return ret;
}

static int table_known(struct store *st, const char *table, int *known)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT 1 FROM sqlite_master WHERE type = 'table' "
				      "AND name = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, table);
	int rc = sq_row(st, q, "find table");
	if (rc < 0)
		return rc;
	*known = rc;
	sqlite3_reset(q);
	return 0;
}

int store_table_each(struct store *st, const char *table, store_row_cb cb, void *ctx)
{
	int known, rc;
	if ((rc = table_known(st, table, &known)) < 0)
		return rc;
	if (!known)
		return err_set(E_NOTFOUND, "no table '%s'", table);
	/* the table name comes from sqlite_master (checked above); the SQL is
	 * built here, so it is prepared for this walk alone (not cached) */
	char *sql = xasprintf("SELECT * FROM \"%s\"", table);
	sqlite3_stmt *q = NULL;
	rc = sqlite3_prepare_v2(st->db, sql, -1, &q, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return sq_err(st, "prepare");
	int n = sqlite3_column_count(q), ret = 0;
	if (n > MAX_COLS) {
		sqlite3_finalize(q);
		return err_set(E_INTERNAL, "table '%s' has more than %d columns", table, MAX_COLS);
	}
	const char *names[MAX_COLS];
	char *vals[MAX_COLS];
	for (int i = 0; i < n; i++)
		names[i] = sqlite3_column_name(q, i);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++) {
			int type = sqlite3_column_type(q, i);
			if (type == SQLITE_NULL) {
				vals[i] = NULL;
			} else if (type == SQLITE_BLOB) {
				char tag[DIGEST_TAG_LEN];
				digest_tag(sqlite3_column_blob(q, i),
					   (size_t)sqlite3_column_bytes(q, i), tag);
				vals[i] = xstrdup(tag);
			} else {
				vals[i] = xstrdup((const char *)sqlite3_column_text(q, i));
			}
		}
		ret = cb(ctx, n, names, (const char *const *)vals);
		for (int i = 0; i < n; i++)
			free(vals[i]);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "read table");
	sqlite3_finalize(q);
	return ret;
}

int store_customer_accounts(struct store *st, const char *customer_id,
			    int (*cb)(void *ctx, int64_t id, const char *type,
				      const char *value),
			    void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(st, "SELECT id, type, value FROM account "
					   "WHERE customer_id = ? ORDER BY id");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, customer_id);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if ((ret = cb(ctx, sqlite3_column_int64(q, 0), sq_col_text(q, 1),
			      sq_col_text(q, 2))) != 0)
			break;
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "list accounts");
	sq_walk_end(st, q);
	return ret;
}
