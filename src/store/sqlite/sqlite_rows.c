/*
 * sqlite_rows.c - every row of every table, as text, for the replay of the
 * log against the tables (core/ledger/replay.c) and nothing else.
 *
 * Integers and text are given as the engine's text for them, NULL as a NULL
 * pointer, and a BLOB (bytea) as "sha256:<hex>" of its bytes, so no content
 * leaves this file.  The tables and their columns come from the engine's
 * catalogue (sqlite_master and pragma_table_info on SQLite,
 * information_schema on PostgreSQL).
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
	sqlite3_stmt *q = sq_prep_walk(
		st, SQL_BY_ENGINE(st,
				  "SELECT name FROM sqlite_master WHERE type = "
				  "'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
				  "SELECT table_name FROM information_schema.tables WHERE "
				  "table_schema = current_schema() AND table_type = 'BASE TABLE' "
				  "ORDER BY table_name"));
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
	sqlite3_stmt *q = sq_prep(
		st, SQL_BY_ENGINE(st, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
				  "SELECT 1 FROM information_schema.tables WHERE table_schema = "
				  "current_schema() AND table_type = 'BASE TABLE' AND "
				  "table_name = ?"));
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
	/* the column names, in the table's order, from the catalogue */
	sqlite3_stmt *c = sq_prep_walk(
		st, SQL_BY_ENGINE(st, "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
				  "SELECT column_name FROM information_schema.columns WHERE "
				  "table_schema = current_schema() AND table_name = ?1 "
				  "ORDER BY ordinal_position"));
	if (!c)
		return -E_STORAGE;
	sq_bind_text(c, 1, table);
	char *names[MAX_COLS];
	int n = 0, ret = 0;
	while ((rc = sqlite3_step(c)) == SQLITE_ROW) {
		if (n == MAX_COLS) {
			ret = err_set(E_INTERNAL, "table '%s' has more than %d columns", table,
				      MAX_COLS);
			break;
		}
		names[n++] = xstrdup(sq_col_text(c, 0));
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "list columns");
	sq_walk_end(st, c);
	if (ret) {
		for (int i = 0; i < n; i++)
			free(names[i]);
		return ret;
	}
	/* the table name comes from the catalogue (checked above); the SQL is
	 * built here, so it is prepared for this walk alone (not cached) */
	char *sql = xasprintf("SELECT * FROM \"%s\"", table);
	sqlite3_stmt *q = sq_prep_once(st, sql);
	free(sql);
	if (!q) {
		for (int i = 0; i < n; i++)
			free(names[i]);
		return -E_STORAGE;
	}
	char *vals[MAX_COLS];
	const char *cnames[MAX_COLS];
	for (int i = 0; i < n; i++)
		cnames[i] = names[i];
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++) {
			char kind = db_column_kind(q, i);
			if (kind == 'n') {
				vals[i] = NULL;
			} else if (kind == 'b') {
				char tag[DIGEST_TAG_LEN];
				digest_tag(sqlite3_column_blob(q, i),
					   (size_t)sqlite3_column_bytes(q, i), tag);
				vals[i] = xstrdup(tag);
			} else {
				vals[i] = xstrdup((const char *)sqlite3_column_text(q, i));
			}
		}
		ret = cb(ctx, n, cnames, (const char *const *)vals);
		for (int i = 0; i < n; i++)
			free(vals[i]);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "read table");
	sqlite3_finalize(q);
	for (int i = 0; i < n; i++)
		free(names[i]);
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
