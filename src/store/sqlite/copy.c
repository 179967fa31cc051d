/*
 * copy.c - store_copy(): every row of one docket database into another,
 * whatever the two engines (`docket db copy`, store.h).
 *
 * The tables are copied in the order the migrations create them, so a row
 * is copied after the rows it refers to.  The columns are the destination's
 * (both databases are at the same schema version, and tests/t/t3000
 * checks that the engines' schemas have the same columns).  Into
 * PostgreSQL the rows go by COPY FROM STDIN in text format; into SQLite by
 * one prepared INSERT per table.  Ids are copied as they are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"
#include "store/migrations.h"
#include "store/sqlite/sqlite_int.h"
#include "store/txn.h"

#define COPY_HOOK_EVERY 5000

static int is_word(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* docket's tables in creation order: *out is an array of *n strings. */
static void tables(char ***out, size_t *n)
{
	size_t len = 0, cap = 0;
	char **arr = NULL;
	for (int i = 0; i < store_migration_count; i++) {
		const char *p = store_migrations[i].sql;
		while ((p = strstr(p, "CREATE TABLE ")) != NULL) {
			p += strlen("CREATE TABLE ");
			size_t k = 0;
			while (is_word(p[k]))
				k++;
			arr = xgrow(arr, &cap, len + 1, sizeof(*arr));
			arr[len++] = xstrndup(p, k);
		}
	}
	*out = arr;
	*n = len;
}

static void free_list(char **arr, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(arr[i]);
	free(arr);
}

/* The columns of table t on st, comma-separated, and their number. */
static int columns(struct store *st, const char *t, char **list, int *n)
{
	sqlite3_stmt *q = sq_prep_walk(
		st, SQL_BY_ENGINE(st, "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
				  "SELECT column_name FROM information_schema.columns WHERE "
				  "table_schema = current_schema() AND table_name = ?1 "
				  "ORDER BY ordinal_position"));
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, t);
	struct buf b;
	buf_init(&b, BUF_UNLIMITED);
	int rc;
	*n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		/* quoted: a column may be named by a reserved word ("user") */
		buf_addf(&b, "%s\"%s\"", *n ? ", " : "", sq_col_text(q, 0));
		(*n)++;
	}
	int ret = rc == SQLITE_DONE ? 0 : sq_err(st, "list columns");
	sqlite3_finalize(q);
	if (ret == 0 && *n == 0)
		ret = err_set(E_STORAGE, "database %s has no table '%s'", st->path, t);
	*list = buf_detach(&b, NULL);
	return ret;
}

int store_table_rows(struct store *st, const char *name, int64_t *n)
{
	char *sql = xasprintf("SELECT count(*) FROM %s", name);
	sqlite3_stmt *q = sq_prep_once(st, sql);
	free(sql);
	if (!q)
		return -E_STORAGE;
	int rc = sqlite3_step(q);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	int ret = rc == SQLITE_ROW ? 0 : sq_err(st, "count rows");
	sqlite3_finalize(q);
	return ret;
}

/* One value of the current row of q in COPY's text format. */
static void copy_value(struct buf *b, sqlite3_stmt *q, int i)
{
	switch (db_column_kind(q, i)) {
	case 'n':
		buf_adds(b, "\\N");
		return;
	case 'i':
		buf_addf(b, "%lld", (long long)sqlite3_column_int64(q, i));
		return;
	case 'b': {
		const unsigned char *p = sqlite3_column_blob(q, i);
		int len = sqlite3_column_bytes(q, i);
		buf_adds(b, "\\\\x");
		for (int k = 0; k < len; k++)
			buf_addf(b, "%02x", p[k]);
		return;
	}
	default: {
		const char *s = (const char *)sqlite3_column_text(q, i);
		for (; s && *s; s++) {
			switch (*s) {
			case '\\': buf_adds(b, "\\\\"); break;
			case '\n': buf_adds(b, "\\n"); break;
			case '\r': buf_adds(b, "\\r"); break;
			case '\t': buf_adds(b, "\\t"); break;
			default: buf_addc(b, *s);
			}
		}
	}
	}
}

static int copy_in_pg(struct store *src, struct store *dst, const char *t, const char *cols, int ncols,
		      sqlite3_stmt *q, const struct store_copy_hook *hook, int64_t *rows)
{
	int rc = pg_copy_begin(dst, t, cols);
	if (rc < 0)
		return rc;
	struct buf b;
	buf_init(&b, BUF_UNLIMITED);
	int step, ret = 0;
	int64_t n = 0;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		for (int i = 0; i < ncols; i++) {
			if (i)
				buf_addc(&b, '\t');
			copy_value(&b, q, i);
		}
		buf_addc(&b, '\n');
		if (b.len >= 1 << 20) {
			if ((ret = pg_copy_put(dst, b.ptr, b.len)) < 0)
				break;
			buf_reset(&b);
		}
		if (++n % COPY_HOOK_EVERY == 0 && hook && hook->rows)
			hook->rows(hook->ctx, n);
	}
	if (!ret && step != SQLITE_DONE)
		ret = err_set(E_STORAGE, "read the rows of %s: %s", t, db_errmsg(src));
	if (!ret && b.len)
		ret = pg_copy_put(dst, b.ptr, b.len);
	buf_release(&b);
	rc = pg_copy_end(dst, ret != 0);
	*rows = n;
	return ret ? ret : rc;
}

static int copy_in_sqlite(struct store *dst, const char *t, const char *cols, int ncols,
			  sqlite3_stmt *q, const struct store_copy_hook *hook, int64_t *rows)
{
	struct buf b;
	buf_init(&b, BUF_UNLIMITED);
	buf_addf(&b, "INSERT INTO %s (%s) VALUES (", t, cols);
	for (int i = 0; i < ncols; i++)
		buf_adds(&b, i ? ", ?" : "?");
	buf_addc(&b, ')');
	sqlite3_stmt *ins = sq_prep_once(dst, b.ptr);
	buf_release(&b);
	if (!ins)
		return -E_STORAGE;
	int rc, ret = 0;
	int64_t n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		sqlite3_reset(ins);
		for (int i = 0; i < ncols; i++) {
			switch (db_column_kind(q, i)) {
			case 'n': sqlite3_bind_null(ins, i + 1); break;
			case 'i': sqlite3_bind_int64(ins, i + 1, sqlite3_column_int64(q, i)); break;
			case 'b':
				sqlite3_bind_blob64(ins, i + 1, sqlite3_column_blob(q, i),
						    (uint64_t)sqlite3_column_bytes(q, i),
						    SQLITE_TRANSIENT);
				break;
			default:
				sq_bind_text(ins, i + 1, (const char *)sqlite3_column_text(q, i));
			}
		}
		if ((ret = sq_done(dst, ins, "insert copied row")) < 0)
			break;
		if (++n % COPY_HOOK_EVERY == 0 && hook && hook->rows)
			hook->rows(hook->ctx, n);
	}
	sqlite3_finalize(ins);
	*rows = n;
	return ret;
}

static int copy_table(struct store *src, struct store *dst, const char *t,
		      const struct store_copy_hook *hook, int64_t *rows)
{
	char *cols = NULL;
	int ncols = 0;
	int64_t total = 0;
	int rc;
	*rows = 0;
	if ((rc = columns(dst, t, &cols, &ncols)) < 0 ||
	    (rc = store_table_rows(src, t, &total)) < 0) {
		free(cols);
		return rc;
	}
	if (hook && hook->table)
		hook->table(hook->ctx, t, total);
	char *sql = xasprintf("SELECT %s FROM %s", cols, t);
	sqlite3_stmt *q = sq_prep_once(src, sql);
	free(sql);
	if (!q) {
		free(cols);
		return -E_STORAGE;
	}
	rc = dst->engine == STORE_ENGINE_POSTGRES ? copy_in_pg(src, dst, t, cols, ncols, q, hook, rows)
				      : copy_in_sqlite(dst, t, cols, ncols, q, hook, rows);
	sqlite3_finalize(q);
	free(cols);
	if (rc == 0 && hook && hook->rows)
		hook->rows(hook->ctx, *rows);
	return rc;
}

int store_copy(struct store *src, struct store *dst, const struct store_copy_hook *hook,
	       int64_t *rows)
{
	char **names;
	size_t n;
	int rc;
	*rows = 0;
	if (store_schema_version(src) != store_schema_version(dst))
		return err_set(E_STORAGE, "databases %s and %s have different schema versions",
			       src->path, dst->path);
	tables(&names, &n);
	if ((rc = store_snapshot_begin(src)) < 0) {
		free_list(names, n);
		return rc;
	}
	if ((rc = store_begin(dst)) == 0) {
		for (size_t i = 0; i < n && rc == 0; i++) {
			/* ids may go anywhere; the copy replaces what creation made */
			char *sql = xasprintf("DELETE FROM %s", names[i]);
			rc = dst->engine == STORE_ENGINE_POSTGRES ? pg_exec(dst, sql, "empty table")
						      : lite_exec(dst, sql, "empty table");
			free(sql);
		}
		for (size_t i = 0; i < n && rc == 0; i++) {
			int64_t r = 0;
			rc = copy_table(src, dst, names[i], hook, &r);
			*rows += r;
		}
		if (rc == 0)
			rc = store_commit(dst);
		else
			store_rollback(dst);
	}
	store_snapshot_end(src);
	free_list(names, n);
	return rc;
}
