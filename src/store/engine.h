/*
 * engine.h - private to src/store/: the connection behind a struct store
 * and the two engines that can hold it.
 *
 * A database name is an engine's: "postgres://..." or "postgresql://..."
 * is PostgreSQL (libpq), anything else an SQLite file (SPEC §16).  The
 * store functions (sqlite_*.c, named for the dialect they were first
 * written in) are engine-neutral: they run their SQL through the statement
 * layer declared in store/sqlite_int.h, which prepares, binds, steps and
 * reads on whichever engine the connection has.  What differs between the
 * engines - opening, migrations, the transaction bracket - lives in
 * sqlite.c and pg.c behind the functions declared here; store.c picks one.
 */
#ifndef DOCKET_STORE_ENGINE_H
#define DOCKET_STORE_ENGINE_H

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdint.h>

#include "store/store.h"

#define STMT_CACHE_MAX 160

enum store_engine { ENGINE_SQLITE, ENGINE_PG };

struct sq_stmt;

struct store {
	enum store_engine engine;
	/* The statement layer is called with SQLite's names, which take the
	 * connection as st->db: it is the store itself. */
	struct store *db;
	char *path;               /* the name it was opened with */
	int in_tx;
	sqlite3 *lite;            /* ENGINE_SQLITE */
	PGconn *pg;               /* ENGINE_PG */
	int pg_names;             /* prepared statements named so far */
	int64_t changes;          /* rows changed by the last statement */
	int errcode;              /* SQLite result code of the last failure */
	char errmsg[512];         /* its message */
	size_t n_stmts;
	struct {
		const char *sql;
		struct sq_stmt *stmt;
	} stmts[STMT_CACHE_MAX];
};

/* Whether name names a PostgreSQL database. */
int store_name_is_pg(const char *name);

/* Each engine: open (and migrate) st->path into st, close, and the
 * transaction bracket of store/txn.h. */
int lite_open(struct store *st, enum store_open_mode mode);
void lite_close(struct store *st);
int lite_exec(struct store *st, const char *sql, const char *what);
int lite_begin(struct store *st);
int lite_commit(struct store *st);
void lite_rollback(struct store *st);
int lite_schema_version(struct store *st, int *v);

int pg_open(struct store *st, enum store_open_mode mode);
void pg_close(struct store *st);
int pg_exec(struct store *st, const char *sql, const char *what);
int pg_begin(struct store *st);
int pg_commit(struct store *st);
void pg_rollback(struct store *st);
int pg_schema_version(struct store *st, int *v);
void pg_remove(const char *name);
int pg_exists(const char *name, int *exists);

/* PostgreSQL's side of the statement layer (pg_stmt.c). */
struct pg_stmt;
struct pg_stmt *pg_stmt_new(struct store *st, const char *sql, int cached);
void pg_stmt_free(struct pg_stmt *p);
void pg_stmt_reset(struct pg_stmt *p);
void pg_stmt_clear(struct pg_stmt *p);
int pg_stmt_params(const struct pg_stmt *p);
/* kind: 'i' int64, 't' text, 'b' bytes, 'n' NULL. */
int pg_stmt_bind(struct pg_stmt *p, int i, char kind, const void *v, size_t len);
int pg_stmt_step(struct pg_stmt *p);      /* SQLITE_ROW, SQLITE_DONE or an error */
int pg_stmt_isnull(struct pg_stmt *p, int col);
/* 'i' for an integer column, 'b' for bytea, 't' for anything else. */
char pg_stmt_kind(struct pg_stmt *p, int col);
const char *pg_stmt_text(struct pg_stmt *p, int col, int *len);
const void *pg_stmt_blob(struct pg_stmt *p, int col, int *len);
/* Record the result's failure on st: errcode/errmsg from its SQLSTATE;
 * returns the SQLite-style code. */
int pg_result_error(struct store *st, const PGresult *res);

/* Translate SQL written with SQLite's placeholders (?, ?NNN) to
 * PostgreSQL's ($N), outside quoted strings; *nparams receives the
 * highest number.  The caller frees the result. */
char *pg_placeholders(const char *sql, int *nparams);
/* A migration's SQL in PostgreSQL's dialect (pg.c; caller frees). */
char *pg_dialect(const char *sql);

#endif
