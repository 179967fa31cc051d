/*
 * sql.c - the statement layer of store/sqlite_int.h on either engine:
 * SQLite's own statements, or PostgreSQL's through pg_stmt.c.
 */
#define DOCKET_SQL_IMPL
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/err.h"
#include "base/util.h"
#include "store/sqlite/sqlite_int.h"

_Static_assert(SQ_OK == SQLITE_OK && SQ_ERROR == SQLITE_ERROR && SQ_BUSY == SQLITE_BUSY &&
		       SQ_CONSTRAINT == SQLITE_CONSTRAINT && SQ_RANGE == SQLITE_RANGE &&
		       SQ_ROW == SQLITE_ROW && SQ_DONE == SQLITE_DONE,
	       "the statement layer answers in SQLite's codes");

struct sq_stmt {
	struct store *st;
	sqlite3_stmt *lite;
	struct pg_stmt *pg;
	int cached;               /* lives as long as st: 1 statement, 2 walk */
	int writes;               /* SQLite: may change rows (PostgreSQL says so
				     per execution: st->pg_wrote) */
};

static sq_stmt *stmt_new(struct store *st, const char *sql, int cached)
{
	sq_stmt *q = xcalloc(1, sizeof(*q));
	q->st = st;
	q->cached = cached;
	if (st->engine == STORE_ENGINE_POSTGRES) {
		q->pg = pg_stmt_new(st, sql, cached);
		return q;
	}
	int rc = cached ? sqlite3_prepare_v3(st->lite, sql, -1, SQLITE_PREPARE_PERSISTENT,
					     &q->lite, NULL)
			: sqlite3_prepare_v2(st->lite, sql, -1, &q->lite, NULL);
	if (rc != SQLITE_OK) {
		sq_err(st, "prepare");
		free(q);
		return NULL;
	}
	q->writes = !sqlite3_stmt_readonly(q->lite);
	return q;
}

sq_stmt *sq_prep(struct store *st, const char *sql)
{
	for (size_t i = 0; i < st->n_stmts; i++) {
		if (st->stmts[i].sql == sql) {
			sq_stmt *q = st->stmts[i].stmt;
			db_reset(q);
			db_clear_bindings(q);
			return q;
		}
	}
	if (st->n_stmts >= STMT_CACHE_MAX) {
		err_set(E_INTERNAL, "statement cache full");
		return NULL;
	}
	sq_stmt *q = stmt_new(st, sql, 1);
	if (!q)
		return NULL;
	st->stmts[st->n_stmts].sql = sql;
	st->stmts[st->n_stmts].stmt = q;
	st->n_stmts++;
	return q;
}

/* Walk statements are cached like the others (parsing SQL was half the
 * time of a request's view), but each is handed out to one walk at a time:
 * a walk whose callback starts the same walk again gets a fresh statement. */
sq_stmt *sq_prep_walk(struct store *st, const char *sql)
{
	size_t i;
	for (i = 0; i < st->n_walks; i++)
		if (st->walks[i].sql == sql)
			break;
	if (i < st->n_walks && !st->walks[i].busy) {
		st->walks[i].busy = 1;
		return st->walks[i].stmt;
	}
	int cache = i == st->n_walks && st->n_walks < WALK_CACHE_MAX;
	sq_stmt *q = stmt_new(st, sql, cache);
	if (q && cache) {
		q->cached = 2;
		st->walks[i].sql = sql;
		st->walks[i].stmt = q;
		st->walks[i].busy = 1;
		st->n_walks++;
	}
	return q;
}

sq_stmt *sq_prep_once(struct store *st, const char *sql)
{
	return stmt_new(st, sql, 0);
}

void sq_walk_end(struct store *st, sq_stmt *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < st->n_walks; i++)
		if (st->walks[i].stmt == q) {
			db_reset(q);
			db_clear_bindings(q);
			st->walks[i].busy = 0;
			return;
		}
	db_finalize(q);
}

/* Free every cached statement (store_close). */
void sq_cache_free(struct store *st);
void sq_cache_free(struct store *st)
{
	for (size_t i = 0; i < st->n_stmts; i++) {
		st->stmts[i].stmt->cached = 0;
		db_finalize(st->stmts[i].stmt);
	}
	st->n_stmts = 0;
	for (size_t i = 0; i < st->n_walks; i++) {
		st->walks[i].stmt->cached = 0;
		db_finalize(st->walks[i].stmt);
	}
	st->n_walks = 0;
}

int db_errcode(struct store *st)
{
	if (st->engine == STORE_ENGINE_SQLITE)
		return sqlite3_extended_errcode(st->lite);
	return st->errcode;
}

const char *db_errmsg(struct store *st)
{
	if (st->engine == STORE_ENGINE_SQLITE)
		return sqlite3_errmsg(st->lite);
	return st->errmsg;
}

int sq_err(struct store *st, const char *what)
{
	int code = db_errcode(st) & 0xff;
	if (st->engine == STORE_ENGINE_SQLITE && lite_disk_full(st))
		return err_set(E_STORAGE, "database %s: %s: the disk is full (free some "
					  "space and run the command again; nothing was changed)",
			       st->path, what);
	if (code == SQLITE_CONSTRAINT)
		return err_set(E_INVALID, "%s: %s", what, db_errmsg(st));
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return err_set(E_CONFLICT, "database %s: %s: %s", st->path, what, db_errmsg(st));
	return err_set(E_STORAGE, "database %s: %s: %s", st->path, what, db_errmsg(st));
}

int sq_done(struct store *st, sq_stmt *q, const char *what)
{
	int rc = db_step(q);
	int ret = (rc == SQLITE_DONE || rc == SQLITE_ROW) ? 0 : sq_err(st, what);
	db_reset(q);
	return ret;
}

int sq_row(struct store *st, sq_stmt *q, const char *what)
{
	int rc = db_step(q);
	if (rc == SQLITE_ROW)
		return 1;
	int ret = rc == SQLITE_DONE ? 0 : sq_err(st, what);
	db_reset(q);
	return ret;
}

void sq_bind_text(sq_stmt *q, int i, const char *s)
{
	if (s)
		db_bind_text(q, i, s, -1, SQLITE_TRANSIENT);
	else
		db_bind_null(q, i);
}

const char *sq_col_text(sq_stmt *q, int i)
{
	const unsigned char *s = db_column_text(q, i);
	return s ? (const char *)s : "";
}

char *sq_col_dup(sq_stmt *q, int i)
{
	const unsigned char *s = db_column_text(q, i);
	return s ? xstrdup((const char *)s) : NULL;
}

void sq_defer(sq_stmt *q)
{
	if (q && q->pg)
		pg_stmt_defer(q->pg);
}

/* --- the statement API ------------------------------------------------- */

/* --- the change marker (store.h, store_change_mark) -------------------- */

#define SQL_MARK_BUMP "UPDATE change_mark SET n = n + 1, tag = ? WHERE id = 1"
#define SQL_MARK_GET "SELECT n, tag FROM change_mark WHERE id = 1"

static int mark_bump(struct store *st)
{
	int64_t tag;
	randombytes_buf(&tag, sizeof(tag));
	st->marking = 1;
	sq_stmt *q = sq_prep(st, SQL_MARK_BUMP);
	int rc = q ? SQLITE_OK : SQLITE_ERROR;
	if (q) {
		db_bind_int64(q, 1, tag & INT64_MAX);
		rc = db_step(q);
		db_reset(q);
	}
	st->marking = 0;
	return rc == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
}

/* After q stepped with rc: a statement that may have changed rows bumps
 * the change marker - once per unit of work, inside it (st->marked is
 * cleared by store_begin), and after each write made outside one, as a
 * transaction of its own right after it (a reader between the two sees
 * the new rows under the old marker, as it would had it read a moment
 * later: nothing it caches is older than the marker it is filed under).
 * A failed bump fails the statement: a unit of work then rolls back. */
static int mark_after(sq_stmt *q, int rc)
{
	struct store *st = q->st;
	int writes = q->lite ? q->writes : st->pg_wrote;
	st->pg_wrote = 0;   /* once per execution, not per row read */
	if (!writes || st->marking || (rc != SQLITE_DONE && rc != SQLITE_ROW))
		return rc;
	if (st->in_tx && st->marked)
		return rc;
	/* the caller may ask how many rows its statement changed (a replay
	 * guard does): the bump's own count must not answer */
	int64_t changes = db_changes(st);
	if (mark_bump(st) != SQLITE_OK)
		return SQLITE_ERROR;
	st->changes = changes;
	st->changes_kept = 1;
	if (st->in_tx)
		st->marked = 1;
	return rc;
}

int store_change_mark(struct store *st, struct store_mark *out)
{
	sq_stmt *q = sq_prep(st, SQL_MARK_GET);
	if (!q)
		return -E_STORAGE;
	int rc = sq_row(st, q, "read the change marker");
	if (rc == 1) {
		out->n = db_column_int64(q, 0);
		out->tag = db_column_int64(q, 1);
		db_reset(q);
		return 0;
	}
	return rc < 0 ? rc : err_set(E_STORAGE, "database %s has no change marker", st->path);
}

int db_step(sq_stmt *q)
{
	q->st->changes_kept = 0;
	if (q->lite)
		return mark_after(q, sqlite3_step(q->lite));
	return mark_after(q, pg_stmt_step(q->pg));
}

int db_reset(sq_stmt *q)
{
	if (q->lite)
		return sqlite3_reset(q->lite);
	pg_stmt_reset(q->pg);
	return SQLITE_OK;
}

int db_finalize(sq_stmt *q)
{
	if (q && q->cached == 2) {   /* a cached walk: ended, not freed */
		sq_walk_end(q->st, q);
		return SQLITE_OK;
	}
	if (!q || q->cached)   /* a cached statement lives as long as st */
		return SQLITE_OK;
	if (q->lite)
		sqlite3_finalize(q->lite);
	else
		pg_stmt_free(q->pg);
	free(q);
	return SQLITE_OK;
}

int db_clear_bindings(sq_stmt *q)
{
	if (q->lite)
		return sqlite3_clear_bindings(q->lite);
	pg_stmt_clear(q->pg);
	return SQLITE_OK;
}

int db_bind_parameter_count(sq_stmt *q)
{
	if (q->lite)
		return sqlite3_bind_parameter_count(q->lite);
	return pg_stmt_params(q->pg);
}

static int is_destructor(void (*del)(void *))
{
	return del != SQLITE_STATIC && del != SQLITE_TRANSIENT;
}

int db_bind_int64(sq_stmt *q, int i, int64_t v)
{
	if (q->lite)
		return sqlite3_bind_int64(q->lite, i, v);
	return pg_stmt_bind(q->pg, i, 'i', &v, sizeof(v));
}

int db_bind_int(sq_stmt *q, int i, int v)
{
	return db_bind_int64(q, i, v);
}

int db_bind_null(sq_stmt *q, int i)
{
	if (q->lite)
		return sqlite3_bind_null(q->lite, i);
	return pg_stmt_bind(q->pg, i, 'n', NULL, 0);
}

int db_bind_text(sq_stmt *q, int i, const char *s, int n, void (*del)(void *))
{
	if (q->lite)
		return sqlite3_bind_text(q->lite, i, s, n, del);
	int rc = s ? pg_stmt_bind(q->pg, i, 't', s, n < 0 ? strlen(s) : (size_t)n)
		   : pg_stmt_bind(q->pg, i, 'n', NULL, 0);
	if (s && is_destructor(del))
		del((void *)s);   /* copied: the caller gave it away */
	return rc;
}

int db_bind_blob64(sq_stmt *q, int i, const void *p, uint64_t n, void (*del)(void *))
{
	if (q->lite)
		return sqlite3_bind_blob64(q->lite, i, p, n, del);
	int rc = pg_stmt_bind(q->pg, i, p ? 'b' : 'n', p, (size_t)n);
	if (p && is_destructor(del))
		del((void *)p);
	return rc;
}

int db_bind_blob(sq_stmt *q, int i, const void *p, int n, void (*del)(void *))
{
	return db_bind_blob64(q, i, p, n < 0 ? 0 : (uint64_t)n, del);
}

int db_bind_zeroblob(sq_stmt *q, int i, int n)
{
	if (q->lite)
		return sqlite3_bind_zeroblob(q->lite, i, n);
	static const unsigned char none[1];
	return pg_stmt_bind(q->pg, i, 'b', none, 0);
}

int64_t db_column_int64(sq_stmt *q, int i)
{
	if (q->lite)
		return sqlite3_column_int64(q->lite, i);
	if (pg_stmt_isnull(q->pg, i))
		return 0;
	const char *s = pg_stmt_text(q->pg, i, NULL);
	if (s[0] == 't' && !s[1])
		return 1;   /* a boolean */
	return strtoll(s, NULL, 10);
}

int db_column_int(sq_stmt *q, int i)
{
	return (int)db_column_int64(q, i);
}

const unsigned char *db_column_text(sq_stmt *q, int i)
{
	if (q->lite)
		return sqlite3_column_text(q->lite, i);
	if (pg_stmt_isnull(q->pg, i))
		return NULL;
	return (const unsigned char *)pg_stmt_text(q->pg, i, NULL);
}

const void *db_column_blob(sq_stmt *q, int i)
{
	if (q->lite)
		return sqlite3_column_blob(q->lite, i);
	if (pg_stmt_isnull(q->pg, i))
		return NULL;
	return pg_stmt_blob(q->pg, i, NULL);
}

int db_column_bytes(sq_stmt *q, int i)
{
	if (q->lite)
		return sqlite3_column_bytes(q->lite, i);
	if (pg_stmt_isnull(q->pg, i))
		return 0;
	int len = 0;
	pg_stmt_blob(q->pg, i, &len);
	return len;
}

int db_column_type(sq_stmt *q, int i)
{
	if (q->lite)
		return sqlite3_column_type(q->lite, i);
	return pg_stmt_isnull(q->pg, i) ? SQLITE_NULL : SQLITE_TEXT;
}

char db_column_kind(sq_stmt *q, int i)
{
	if (q->lite) {
		switch (sqlite3_column_type(q->lite, i)) {
		case SQLITE_NULL: return 'n';
		case SQLITE_INTEGER: return 'i';
		case SQLITE_BLOB: return 'b';
		default: return 't';
		}
	}
	return pg_stmt_isnull(q->pg, i) ? 'n' : pg_stmt_kind(q->pg, i);
}

int64_t db_changes(struct store *st)
{
	if (st->engine == STORE_ENGINE_SQLITE && !st->changes_kept)
		return sqlite3_changes64(st->lite);
	return st->changes;
}

int64_t db_last_insert_rowid(struct store *st)
{
	if (st->engine == STORE_ENGINE_SQLITE)
		return sqlite3_last_insert_rowid(st->lite);
	return pg_last_id(st);
}

int db_exec(struct store *st, const char *sql, void *cb, void *arg, char **errmsg)
{
	(void)cb;
	(void)arg;
	if (errmsg)
		*errmsg = NULL;
	st->changes_kept = 0;
	if (st->engine == STORE_ENGINE_SQLITE)
		return sqlite3_exec(st->lite, sql, NULL, NULL, errmsg);
	if (strcmp(sql, "BEGIN DEFERRED") == 0)
		/* a read snapshot (store_snapshot_begin) */
		sql = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
	return pg_exec(st, sql, "run") < 0 ? SQLITE_ERROR : SQLITE_OK;
}

int db_get_autocommit(struct store *st)
{
	if (st->engine == STORE_ENGINE_SQLITE)
		return sqlite3_get_autocommit(st->lite);
	return pg_idle(st);
}
