/*
 * sqlite_int.h - private to the SQLite implementation of store.h.
 *
 * Statements are prepared once per connection and cached by their SQL text
 * pointer (every SQL string is a literal), so a hot path such as the log
 * append re-binds an existing statement instead of re-parsing SQL.
 */
#ifndef DOCKET_SQLITE_INT_H
#define DOCKET_SQLITE_INT_H

#include <sqlite3.h>

#include "store/store.h"

#define STMT_CACHE_MAX 128
#define WALK_CACHE_MAX 64

struct store {
	sqlite3 *db;
	char *path;
	int in_tx;
	size_t n_stmts;
	struct {
		const char *sql;
		sqlite3_stmt *stmt;
	} stmts[STMT_CACHE_MAX];
	size_t n_walks;
	struct {
		const char *sql;
		sqlite3_stmt *stmt;
		int busy;         /* handed out and not yet ended */
	} walks[WALK_CACHE_MAX];
};

/* A reset, unbound cached statement for sql (a string literal), or NULL with
 * an E_STORAGE message. */
sqlite3_stmt *sq_prep(struct store *st, const char *sql);
/* A statement for a walk whose callback may use the store again (which
 * would reset a cached statement under it): a cached walk statement of its
 * own, or, when that one is in use further up the stack, a fresh one.  The
 * caller ends it with sq_walk_end(), never sqlite3_finalize().  NULL with an
 * E_STORAGE message on failure. */
sqlite3_stmt *sq_prep_walk(struct store *st, const char *sql);
void sq_walk_end(struct store *st, sqlite3_stmt *q);
/* Record the connection's error as E_STORAGE (or E_INVALID for constraint
 * violations) and return the negative code. */
int sq_err(struct store *st, const char *what);
/* Run a statement that returns no rows; 0 or an error. */
int sq_done(struct store *st, sqlite3_stmt *q, const char *what);

/* Step q for a single-row lookup: 1 when a row is there (read its columns,
 * then sqlite3_reset(q)); 0 when there is none and <0 on error, both with q
 * already reset. */
int sq_row(struct store *st, sqlite3_stmt *q, const char *what);

void sq_bind_text(sqlite3_stmt *q, int i, const char *s);   /* NULL binds NULL */
const char *sq_col_text(sqlite3_stmt *q, int i);            /* "" for NULL */
char *sq_col_dup(sqlite3_stmt *q, int i);                   /* NULL for NULL */

#endif
