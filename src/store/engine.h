/*
 * engine.h - private to src/store/: which engine serves a database name,
 * the connection behind a struct store, and each engine's entry points.
 *
 * A database name is an engine's: "postgres://..." or "postgresql://..." is
 * PostgreSQL (libpq), anything else an SQLite file (SPEC §16).  The store
 * functions (src/store/sqlite/sqlite_*.c, named for the dialect they were
 * first written in) are engine-neutral: they run their SQL through the
 * statement layer (store/sqlite/sqlite_int.h, sql.c), which prepares,
 * binds, steps and reads on whichever engine the connection has.  What
 * differs between the engines - connecting, migrations, the transaction
 * bracket - lives behind the functions declared here: SQLite's in
 * src/store/sqlite/sqlite.c, PostgreSQL's in src/store/pg/.  store.c picks
 * one.  This header includes neither engine's header (tests/layering.sh):
 * the connections are named by their struct tags only.
 */
#ifndef DOCKET_STORE_ENGINE_H
#define DOCKET_STORE_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

enum store_engine {
	STORE_ENGINE_SQLITE,      /* a file path */
	STORE_ENGINE_POSTGRES,    /* postgres://... or postgresql://... */
};

/* The engine a database name asks for. */
enum store_engine store_engine_of(const char *name);

/* Result codes of the statement layer: SQLite's values (sql.c checks),
 * so PostgreSQL's side answers in the same terms. */
#define SQ_OK 0
#define SQ_ERROR 1
#define SQ_BUSY 5
#define SQ_CONSTRAINT 19
#define SQ_RANGE 25
#define SQ_ROW 100
#define SQ_DONE 101

#define STMT_CACHE_MAX 160
/* PostgreSQL's pipeline (pg_stmt.c): results are collected at least every
 * PIPE_MAX deferred commands and PIPE_MAX_PREPARED new prepared statements. */
#define PIPE_MAX 4096
#define PIPE_MAX_PREPARED 32
#define WALK_CACHE_MAX 64

struct sqlite3;
struct pg_conn;
struct pg_result;
struct sq_stmt;
struct pg_stmt;

struct store {
	enum store_engine engine;
	/* The statement layer is called with SQLite's names, which take the
	 * connection as st->db: it is the store itself. */
	struct store *db;
	char *path;               /* the name it was opened with (PostgreSQL:
				     without a password) */
	int in_tx;
	int marked;               /* the change marker was bumped in the open
				     transaction (sql.c) */
	int marking;              /* bumping it now: no bump of the bump */
	int pg_wrote;             /* PostgreSQL: the statement just executed
				     was an INSERT, UPDATE, DELETE or MERGE */
	int changes_kept;         /* SQLite: `changes` holds the count of the
				     last statement (the bump after it ran
				     one of its own) */
	int64_t next_request_id;  /* sq_next_id_used(); 0: ask the database */
	int64_t next_history_id;  /* store_history_add(); 0: ask the database */
	int log_ns;               /* store_log_select(): the national-security
				     compartment */
	struct sqlite3 *lite;     /* STORE_ENGINE_SQLITE */
	struct pg_conn *pg;       /* STORE_ENGINE_POSTGRES */
	int pg_names;             /* prepared statements named so far */
	int pipeline;             /* store_pipeline(): deferrable statements may
				     be pipelined (PostgreSQL) */
	int pipe_cmds;            /* commands in the pipeline, results pending */
	int pipe_n_prepared;      /* of which Prepares of these statements: */
	struct pg_stmt *pipe_prepared[PIPE_MAX_PREPARED];
	int64_t changes;          /* rows changed by the last statement
				     (PostgreSQL; SQLite when changes_kept) */
	int errcode;              /* SQ_* code of the last failure (PostgreSQL) */
	char errmsg[512];         /* its message */
	size_t n_stmts;
	struct {
		const char *sql;
		struct sq_stmt *stmt;
	} stmts[STMT_CACHE_MAX];
	size_t n_walks;
	struct {
		const char *sql;
		struct sq_stmt *stmt;
		int busy;         /* handed out and not yet ended */
	} walks[WALK_CACHE_MAX];
};

/* The SQLite engine (src/store/sqlite/sqlite.c): open (and migrate)
 * st->path into st, close, and the transaction bracket of store/txn.h. */
int lite_open(struct store *st, enum store_open_mode mode);
void lite_close(struct store *st);
int lite_exists(const char *path);
void lite_remove(const char *path);
int lite_exec(struct store *st, const char *sql, const char *what);
int lite_begin(struct store *st);
int lite_commit(struct store *st);
void lite_rollback(struct store *st);
int lite_schema_version(struct store *st, int *v);
/* 1 when the connection's last error was a full disk (SQLITE_FULL, or an
 * I/O error whose cause was ENOSPC). */
int lite_disk_full(struct store *st);

/* The PostgreSQL engine (src/store/pg/pg.c). */
int pg_open(struct store *st, enum store_open_mode mode);
void pg_close(struct store *st);
int pg_exists(const char *name);
void pg_remove(const char *name);
int pg_exec(struct store *st, const char *sql, const char *what);
int pg_begin(struct store *st);
int pg_commit(struct store *st);
void pg_rollback(struct store *st);
int pg_schema_version(struct store *st, int *v);
/* The scheduler's session advisory lock (store_scheduler_lock). */
int pg_scheduler_lock(struct store *st, int *held);
void pg_scheduler_unlock(struct store *st);
/* The PostgreSQL session's last identity value (lastval()), 0 if none. */
int64_t pg_last_id(struct store *st);
/* Whether no transaction is open on the connection. */
int pg_idle(struct store *st);
/* COPY table (cols) FROM STDIN: begin, put bytes of text-format rows, end
 * (with failed set, the copy is cancelled); each 0 or an error. */
int pg_copy_begin(struct store *st, const char *table, const char *cols);
int pg_copy_put(struct store *st, const char *data, size_t len);
int pg_copy_end(struct store *st, int failed);

/* PostgreSQL's side of the statement layer (src/store/pg/pg_stmt.c). */
struct pg_stmt;
struct pg_stmt *pg_stmt_new(struct store *st, const char *sql, int cached);
void pg_stmt_free(struct pg_stmt *p);
void pg_stmt_reset(struct pg_stmt *p);
void pg_stmt_clear(struct pg_stmt *p);
int pg_stmt_params(const struct pg_stmt *p);
/* kind: 'i' int64, 't' text, 'b' bytes, 'n' NULL. */
int pg_stmt_bind(struct pg_stmt *p, int i, char kind, const void *v, size_t len);
int pg_stmt_step(struct pg_stmt *p);      /* SQ_ROW, SQ_DONE or an error code */
/* Mark p deferrable: inside a transaction its step is pipelined and
 * answers SQ_DONE at once (see pg_stmt.c); for INSERTs whose caller needs
 * no row, no id and no count. */
void pg_stmt_defer(struct pg_stmt *p);
/* Collect every pending result of the pipeline and leave pipeline mode:
 * SQ_OK, or the SQ_* code of the first failure (recorded on st).  With
 * last, the last command's result on success (the caller clears it).
 * Everything that talks to the server synchronously calls it first. */
int pg_pipe_sync(struct store *st, struct pg_result **last);
/* p is freed: forget it if the pipeline prepared it. */
void pg_pipe_forget(struct store *st, struct pg_stmt *p);
int pg_stmt_isnull(struct pg_stmt *p, int col);
/* 'i' for an integer column, 'b' for bytea, 't' for anything else. */
char pg_stmt_kind(struct pg_stmt *p, int col);
const char *pg_stmt_text(struct pg_stmt *p, int col, int *len);
const void *pg_stmt_blob(struct pg_stmt *p, int col, int *len);
/* Record a failed result (NULL: the connection's failure) on st: errcode
 * from its SQLSTATE and errmsg; returns the SQ_* code. */
int pg_result_error(struct store *st, const struct pg_result *res);

/* Translate SQL written with SQLite's placeholders (?, ?NNN) to
 * PostgreSQL's ($N), outside quoted strings; *nparams receives the
 * highest number.  The caller frees the result. */
char *pg_placeholders(const char *sql, int *nparams);
/* A migration's SQL in PostgreSQL's dialect (caller frees). */
char *pg_dialect(const char *sql);

#endif
