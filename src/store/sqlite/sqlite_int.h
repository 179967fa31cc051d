/*
 * sqlite_int.h - private to src/store/: the statement layer the store
 * functions are written against, on either engine (store/engine.h).
 *
 * The store functions use SQLite's statement API by name; the macros below
 * route every call to the db_* functions of sql.c, which run it on the
 * connection's engine: SQLite itself, or PostgreSQL through libpq with the
 * placeholders translated (?N to $N).  SQL written here is therefore the
 * dialect both engines share; where they differ, SQL_BY_ENGINE() names one
 * literal per engine.  Statements are prepared once per connection and
 * cached by their SQL text pointer (every SQL string is a literal), so a hot
 * path such as the log append re-binds an existing statement.
 *
 * PostgreSQL notes: a statement's parameter types are fixed when it is
 * first run, from that run's bindings (int64, text, bytes; NULL leaves the
 * type to PostgreSQL); a walk reads its whole result before the first row
 * is returned, so its callback may use the connection again.
 */
#ifndef DOCKET_SQLITE_INT_H
#define DOCKET_SQLITE_INT_H

#include <sqlite3.h>
#include <stdint.h>

#include "store/engine.h"
#include "store/store.h"

typedef struct sq_stmt sq_stmt;

/* One literal per engine, chosen by the connection's. */
#define SQL_BY_ENGINE(st, lite, pg) ((st)->engine == STORE_ENGINE_POSTGRES ? (pg) : (lite))

/* A reset, unbound cached statement for sql (a string literal), or NULL with
 * an E_STORAGE message. */
sq_stmt *sq_prep(struct store *st, const char *sql);
/* A statement for a walk whose callback may use the store again (which
 * would reset a cached statement under it): a cached walk statement of its
 * own, or, when that one is in use further up the stack, a fresh one.  The
 * caller ends it with sq_walk_end() (sqlite3_finalize() does the same).
 * NULL with an E_STORAGE message on failure. */
sq_stmt *sq_prep_walk(struct store *st, const char *sql);
void sq_walk_end(struct store *st, sq_stmt *q);
/* A statement that is never cached, for SQL made at run time (whose
 * pointer may be reused); the caller finalizes it. */
sq_stmt *sq_prep_once(struct store *st, const char *sql);
/* Record the connection's error as E_STORAGE (E_INVALID for constraint
 * violations, E_CONFLICT for a busy database, a serialization failure or a
 * deadlock) and return the negative code. */
int sq_err(struct store *st, const char *what);
/* Run a statement that returns no rows; 0 or an error. */
int sq_done(struct store *st, sq_stmt *q, const char *what);

/* Step q for a single-row lookup: 1 when a row is there (read its columns,
 * then sqlite3_reset(q)); 0 when there is none and <0 on error, both with q
 * already reset. */
int sq_row(struct store *st, sq_stmt *q, const char *what);

void sq_bind_text(sq_stmt *q, int i, const char *s);   /* NULL binds NULL */
const char *sq_col_text(sq_stmt *q, int i);            /* "" for NULL */
char *sq_col_dup(sq_stmt *q, int i);                   /* NULL for NULL */
/* Mark an INSERT statement deferrable: its caller needs no row, no id and
 * no count, so PostgreSQL may pipeline it (store/pg/pg_stmt.c) and report
 * a failure at the next statement or the commit.  No effect on SQLite. */
void sq_defer(sq_stmt *q);

/* The statement API on either engine (sql.c). */
int db_step(sq_stmt *q);
int db_reset(sq_stmt *q);
int db_finalize(sq_stmt *q);
int db_clear_bindings(sq_stmt *q);
int db_bind_parameter_count(sq_stmt *q);
int db_bind_int64(sq_stmt *q, int i, int64_t v);
int db_bind_int(sq_stmt *q, int i, int v);
int db_bind_null(sq_stmt *q, int i);
int db_bind_text(sq_stmt *q, int i, const char *s, int n, void (*del)(void *));
int db_bind_blob(sq_stmt *q, int i, const void *p, int n, void (*del)(void *));
int db_bind_blob64(sq_stmt *q, int i, const void *p, uint64_t n, void (*del)(void *));
int db_bind_zeroblob(sq_stmt *q, int i, int n);
int64_t db_column_int64(sq_stmt *q, int i);
int db_column_int(sq_stmt *q, int i);
const unsigned char *db_column_text(sq_stmt *q, int i);
const void *db_column_blob(sq_stmt *q, int i);
int db_column_bytes(sq_stmt *q, int i);
int db_column_type(sq_stmt *q, int i);
/* The kind of column i's value in the current row: 'n' NULL, 'i' integer,
 * 'b' bytes, 't' text (store_copy). */
char db_column_kind(sq_stmt *q, int i);
int64_t db_changes(struct store *st);
int64_t db_last_insert_rowid(struct store *st);
const char *db_errmsg(struct store *st);
int db_errcode(struct store *st);
int db_exec(struct store *st, const char *sql, void *cb, void *arg, char **errmsg);
int db_get_autocommit(struct store *st);

#ifndef DOCKET_SQL_IMPL
#define sqlite3_stmt sq_stmt
#define sqlite3_step db_step
#define sqlite3_reset db_reset
#define sqlite3_finalize db_finalize
#define sqlite3_clear_bindings db_clear_bindings
#define sqlite3_bind_parameter_count db_bind_parameter_count
#define sqlite3_bind_int64 db_bind_int64
#define sqlite3_bind_int db_bind_int
#define sqlite3_bind_null db_bind_null
#define sqlite3_bind_text db_bind_text
#define sqlite3_bind_blob db_bind_blob
#define sqlite3_bind_blob64 db_bind_blob64
#define sqlite3_bind_zeroblob db_bind_zeroblob
#define sqlite3_column_int64 db_column_int64
#define sqlite3_column_int db_column_int
#define sqlite3_column_text db_column_text
#define sqlite3_column_blob db_column_blob
#define sqlite3_column_bytes db_column_bytes
#define sqlite3_column_type db_column_type
#define sqlite3_changes db_changes
#define sqlite3_last_insert_rowid db_last_insert_rowid
#define sqlite3_errmsg db_errmsg
#define sqlite3_errcode db_errcode
#define sqlite3_extended_errcode db_errcode
#define sqlite3_exec(db, sql, cb, arg, msg) db_exec((db), (sql), (void *)(cb), (arg), (msg))
#define sqlite3_get_autocommit db_get_autocommit
#endif

/* The next id of table in the space of id `near` (a request id; 0 or
 * below STORE_NS_ID_BASE: the ordinary space) or, for a request, of
 * national_security; see store.h. */
int sq_next_id(struct store *st, const char *table, int national_security, int64_t *id);
/* A row of table was inserted with id (from sq_next_id): until the
 * transaction ends, the next ordinary request id is known without asking
 * (every writer holds the write lock, so no other process inserts). */
void sq_next_id_used(struct store *st, const char *table, int64_t id);

#endif
