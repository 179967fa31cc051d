/*
 * pg.c - the PostgreSQL engine behind store.h (store/engine.h): connecting,
 * migrations, and the unit-of-work transaction.  The statements themselves
 * run through the statement layer (sql.c, pg_stmt.c).
 *
 * Several docket processes, on one machine or several, may share one
 * database (SPEC §16).  What keeps them correct is the database:
 *
 *   - Every unit of work is one transaction (READ COMMITTED) that first
 *     takes docket's write lock, a transaction-scoped advisory lock
 *     (pg_advisory_xact_lock).  Writers therefore run one at a time across
 *     every process, as SQLite's BEGIN IMMEDIATE makes them on one machine:
 *     each sees every change committed before it, so the log it appends to
 *     is the one tree - no gap, no duplicate index, whichever process
 *     appends - and a read-modify-write (a state transition, a notice
 *     claim) cannot interleave with another.  The lock is released by
 *     COMMIT or ROLLBACK, also when the process dies.
 *   - A lock not had within lock_timeout (30 s), a serialization failure or
 *     a deadlock is E_CONFLICT, which the unit of work retries.
 *   - Reads outside a unit of work see committed data; a report runs in a
 *     REPEATABLE READ snapshot (store_snapshot_begin).
 *   - A row's id is max(id) + 1 when the insert gives none, as SQLite's
 *     rowid (ensure_rowids()): ids have no gaps on either engine.
 *   - Times are integer seconds since the epoch in BIGINT columns; no SQL
 *     converts them, and the session's time zone is set to UTC regardless.
 *
 * Migrations are the same numbered files as SQLite's, with the column types
 * rewritten by pg_dialect(); a file src/store/migrations/pg/NNNN_*.sql
 * replaces migration NNNN where the dialects differ more (its types are
 * rewritten too).  The schema
 * version is the one row of table docket_schema.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"
#include "store/engine.h"
#include "store/migrations.h"

/* docket's advisory locks: (LOCK_CLASS, what). */
#define LOCK_CLASS "1684763648"   /* "dkt\0" */
#define LOCK_WRITE "1"
#define LOCK_MIGRATE "2"
#define LOCK_SCHEDULER "3"

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* name without a password (user:password@ or password=...), for messages. */
static char *redact(const char *name)
{
	char *out = xstrdup(name);
	char *scheme = strstr(out, "://");
	if (scheme) {
		char *auth = scheme + 3;
		char *at = strchr(auth, '@');
		char *slash = strchr(auth, '/');
		char *colon = strchr(auth, ':');
		if (at && (!slash || at < slash) && colon && colon < at)
			memmove(colon, at, strlen(at) + 1);
	}
	char *pw = strstr(out, "password=");
	if (pw) {
		char *end = pw + strlen("password=");
		size_t skip = strcspn(end, "& ");
		memmove(end + 3, end + skip, strlen(end + skip) + 1);
		memcpy(end, "***", 3);
	}
	return out;
}

/* The message of a failed result or connection, on st. */
static int fail(struct store *st, PGresult *res, const char *what)
{
	int code = pg_result_error(st, res);
	PQclear(res);
	return err_set(code == SQ_BUSY ? E_CONFLICT : E_STORAGE, "database %s: %s: %s",
		       st->path, what, st->errmsg);
}

/* Before anything synchronous: the pipeline's pending results. */
static int sync_first(struct store *st, const char *what)
{
	if (!st->pipe_cmds && !st->pipe_n_prepared)
		return 0;
	int code = pg_pipe_sync(st, NULL);
	if (code == SQ_OK)
		return 0;
	return err_set(code == SQ_BUSY ? E_CONFLICT : code == SQ_CONSTRAINT ? E_INVALID : E_STORAGE,
		       "database %s: %s: %s", st->path, what, st->errmsg);
}

int pg_exec(struct store *st, const char *sql, const char *what)
{
	int rc = sync_first(st, what);
	if (rc < 0)
		return rc;
	PGresult *res = PQexec(st->pg, sql);
	ExecStatusType s = PQresultStatus(res);
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
		return fail(st, res, what);
	PQclear(res);
	return 0;
}

/* The single integer a query returns. */
static int query_int(struct store *st, const char *sql, const char *what, int64_t *v)
{
	int rc = sync_first(st, what);
	if (rc < 0)
		return rc;
	PGresult *res = PQexec(st->pg, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
		return fail(st, res, what);
	const char *s = PQgetvalue(res, 0, 0);
	*v = s[0] == 't' ? 1 : s[0] == 'f' ? 0 : strtoll(s, NULL, 10);
	PQclear(res);
	return 0;
}

int pg_schema_version(struct store *st, int *v)
{
	int64_t x = 0;
	int rc = query_int(st, "SELECT coalesce(max(version), 0) FROM docket_schema",
			   "read schema version", &x);
	*v = (int)x;
	return rc;
}

static int is_word(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

char *pg_dialect(const char *sql)
{
	static const struct {
		const char *from, *to;
	} words[] = {
		{"INTEGER", "BIGINT"},
		{"BLOB", "BYTEA"},
		{"WITHOUT ROWID", ""},
	};
	struct buf b;
	buf_init(&b, BUF_UNLIMITED);
	char quote = 0;
	for (size_t i = 0; sql[i];) {
		char c = sql[i];
		if (quote) {
			if (c == quote)
				quote = 0;
			buf_add(&b, &c, 1);
			i++;
			continue;
		}
		if (c == '-' && sql[i + 1] == '-') {   /* a comment, to the line's end */
			size_t n = strcspn(sql + i, "\n");
			buf_add(&b, sql + i, n);
			i += n;
			continue;
		}
		if (c == '\'' || c == '"')
			quote = c;
		int done = 0;
		if (!i || !is_word(sql[i - 1])) {
			for (size_t w = 0; w < ARRAY_SIZE(words) && !done; w++) {
				size_t n = strlen(words[w].from);
				if (strncmp(sql + i, words[w].from, n) != 0 || is_word(sql[i + n]))
					continue;
				buf_add(&b, words[w].to, strlen(words[w].to));
				i += n;
				done = 1;
			}
		}
		if (!done) {
			buf_add(&b, &c, 1);
			i++;
		}
	}
	return buf_detach(&b, NULL);
}

/* SQLite gives a row without an id max(id) + 1 (its rowid), so ids have no
 * gaps, also after a rolled-back insert; a sequence would leave one.  The
 * same rule here: a trigger on every table with an "id" primary key fills
 * it in, safe because every writer holds docket's write lock (pg_begin),
 * and notes it for pg_last_id() in a transaction-local setting.  Each table
 * has its own trigger function, docket_rowid_TABLE, written with the table
 * named in static SQL so that its plan is cached (a function that built
 * the query per row cost 60 us an insert, a bulk import's main cost).  Run
 * after each migration, so a table a migration adds gets its trigger, and
 * a table with the older shared function gets its own. */
static int ensure_rowids(struct store *st)
{
	return pg_exec(st,
		"DO $d$ DECLARE t text; BEGIN "
		"FOR t IN SELECT c.relname FROM pg_constraint k "
		"JOIN pg_class c ON c.oid = k.conrelid "
		"JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.conkey[1] "
		"WHERE k.contype = 'p' AND array_length(k.conkey, 1) = 1 AND a.attname = 'id' "
		"AND c.relnamespace = current_schema()::regnamespace "
		"AND NOT EXISTS (SELECT 1 FROM pg_trigger g JOIN pg_proc f ON f.oid = g.tgfoid "
		"WHERE g.tgrelid = c.oid AND g.tgname = 'docket_rowid' "
		"AND f.proname = 'docket_rowid_' || c.relname) "
		"LOOP "
		"EXECUTE format('CREATE OR REPLACE FUNCTION %I() RETURNS trigger "
		"LANGUAGE plpgsql AS $f$ BEGIN IF NEW.id IS NULL THEN "
		"SELECT coalesce(max(id), 0) + 1 INTO NEW.id FROM %I; END IF; "
		"PERFORM set_config(''docket.last_id'', NEW.id::text, true); "
		"RETURN NEW; END $f$', 'docket_rowid_' || t, t); "
		"EXECUTE format('DROP TRIGGER IF EXISTS docket_rowid ON %I', t); "
		"EXECUTE format('CREATE TRIGGER docket_rowid BEFORE INSERT ON %I "
		"FOR EACH ROW EXECUTE FUNCTION %I()', t, 'docket_rowid_' || t); "
		"END LOOP; END $d$; "
		"DROP FUNCTION IF EXISTS docket_rowid()",
		"give tables SQLite's ids");
}

/* The SQL of migration m for PostgreSQL (caller frees). */
static char *migration_sql(const struct migration *m)
{
	for (int i = 0; i < store_pg_migration_count; i++)
		if (store_pg_migrations[i].version == m->version)
			return pg_dialect(store_pg_migrations[i].sql);
	return pg_dialect(m->sql);
}

static int migrate(struct store *st)
{
	const int last = store_migrations[store_migration_count - 1].version;
	int v = 0, rc;
	if ((rc = pg_schema_version(st, &v)) < 0)
		return rc;
	if (v == last)
		return 0;
	for (int i = 0; i < store_migration_count; i++) {
		const struct migration *m = &store_migrations[i];
		/* under the migration lock, so concurrent openers apply each once */
		if ((rc = pg_exec(st, "BEGIN; SELECT pg_advisory_xact_lock(" LOCK_CLASS ", "
				      LOCK_MIGRATE ")", "begin migration")) < 0 ||
		    (rc = pg_schema_version(st, &v)) < 0)
			goto fail;
		if (v > last) {
			rc = err_set(E_STORAGE,
				     "database %s has schema version %d, newer than this "
				     "docket (%d)", st->path, v, last);
			goto fail;
		}
		if (m->version > v) {
			char *sql = migration_sql(m);
			char bump[96];
			snprintf(bump, sizeof(bump),
				 "DELETE FROM docket_schema; INSERT INTO docket_schema VALUES (%d)",
				 m->version);
			rc = pg_exec(st, sql, m->name);
			free(sql);
			if (rc < 0 || (rc = ensure_rowids(st)) < 0 ||
			    (rc = pg_exec(st, bump, "set schema version")) < 0)
				goto fail;
		}
		if ((rc = pg_exec(st, "COMMIT", "commit migration")) < 0)
			goto fail;
	}
	return 0;
fail:
	pg_exec(st, "ROLLBACK", "roll back migration");
	return rc;
}

/* Connect st to st->path, whose password (if any) leaves st->path; *exists
 * receives whether the database holds docket's schema. */
static int connect_db(struct store *st, int64_t *exists)
{
	/* a server that does not answer is an error within seconds, unless
	 * the URI says otherwise */
	static const char *const keys[] = {"connect_timeout", "dbname", NULL};
	const char *values[] = {"10", st->path, NULL};
	st->pg = PQconnectdbParams(keys, values, 1);
	char *name = redact(st->path);
	free(st->path);
	st->path = name;
	if (!st->pg)
		return err_set(E_STORAGE, "cannot connect to PostgreSQL database %s: out of memory",
			       name);
	if (PQstatus(st->pg) != CONNECTION_OK) {
		char msg[256];
		snprintf(msg, sizeof(msg), "%s", PQerrorMessage(st->pg));
		msg[strcspn(msg, "\n")] = 0;
		return err_set(E_STORAGE, "cannot connect to PostgreSQL database %s: %s", name, msg);
	}
	PQsetNoticeProcessor(st->pg, quiet, NULL);
	int rc;
	if ((rc = pg_exec(st, "SET TimeZone = 'UTC'; SET lock_timeout = '30s'; "
			      "SET client_min_messages = warning", "configure session")) < 0 ||
	    (rc = query_int(st, "SELECT to_regclass('docket_schema') IS NOT NULL",
			    "look for docket's schema", exists)) < 0)
		return rc;
	return 0;
}

int pg_exists(const char *name)
{
	struct store *st = xcalloc(1, sizeof(*st));
	st->engine = STORE_ENGINE_POSTGRES;
	st->db = st;
	st->path = xstrdup(name);
	int64_t e = 0;
	int rc = connect_db(st, &e);
	pg_close(st);
	free(st->path);
	free(st);
	return rc < 0 ? rc : e != 0;
}

int pg_open(struct store *st, enum store_open_mode mode)
{
	int64_t exists = 0;
	int rc = connect_db(st, &exists);
	if (rc < 0)
		return rc;
	const char *name = st->path;
	if (mode == STORE_OPEN_EXISTING && !exists) {
		rc = err_set(E_NOTFOUND, "no docket database at %s", name);
		err_set_remedy(REMEDY_INIT, 0);
		return rc;
	}
	if (mode == STORE_CREATE && exists)
		return err_set(E_REFUSED, "database %s already holds a docket database", name);
	if (!exists &&
	    (rc = pg_exec(st, "BEGIN; SELECT pg_advisory_xact_lock(" LOCK_CLASS ", " LOCK_MIGRATE
			      "); CREATE TABLE IF NOT EXISTS docket_schema "
			      "(version INTEGER NOT NULL); COMMIT", "create schema version")) < 0)
		return rc;
	return migrate(st);
}

void pg_close(struct store *st)
{
	if (st->pg)
		PQfinish(st->pg);
	st->pg = NULL;
}

void pg_remove(const char *name)
{
	/* after a failed `docket init`: drop the tables docket's migrations
	 * make, and nothing else the database may hold */
	PGconn *c = PQconnectdb(name);
	if (!c || PQstatus(c) != CONNECTION_OK) {
		PQfinish(c);
		return;
	}
	PQsetNoticeProcessor(c, quiet, NULL);
	struct buf b;
	buf_init(&b, BUF_UNLIMITED);
	buf_addf(&b, "DROP TABLE IF EXISTS docket_schema");
	for (int i = 0; i < store_migration_count; i++) {
		const char *p = store_migrations[i].sql;
		while ((p = strstr(p, "CREATE TABLE ")) != NULL) {
			p += strlen("CREATE TABLE ");
			size_t n = 0;
			while (is_word(p[n]))
				n++;
			buf_addf(&b, ", %.*s", (int)n, p);
		}
	}
	buf_addf(&b, " CASCADE");
	char *sql = buf_detach(&b, NULL);
	PQclear(PQexec(c, sql));
	free(sql);
	PQfinish(c);
}

int pg_begin(struct store *st)
{
	int rc = pg_exec(st, "BEGIN ISOLATION LEVEL READ COMMITTED; "
			     "SELECT pg_advisory_xact_lock(" LOCK_CLASS ", " LOCK_WRITE ")",
			 "begin transaction");
	if (rc < 0) {
		PQclear(PQexec(st->pg, "ROLLBACK"));
		return rc;
	}
	st->in_tx = 1;
	return 0;
}

int pg_commit(struct store *st)
{
	int rc = sync_first(st, "commit");
	if (rc < 0) {   /* a deferred statement failed: nothing is kept */
		PQclear(PQexec(st->pg, "ROLLBACK"));
		st->in_tx = 0;
		return rc;
	}
	PGresult *res = PQexec(st->pg, "COMMIT");
	ExecStatusType s = PQresultStatus(res);
	st->in_tx = 0;
	if (s == PGRES_COMMAND_OK) {
		int committed = strcmp(PQcmdStatus(res), "COMMIT") == 0;
		PQclear(res);
		if (committed)
			return 0;
		/* the server had aborted the transaction on an earlier error */
		return err_set(E_STORAGE, "database %s: the transaction was rolled back",
			       st->path);
	}
	if (PQstatus(st->pg) != CONNECTION_OK) {
		/* Whether the commit happened is unknown: stop here rather than
		 * report success or failure (as for a failed fsync on SQLite). */
		fprintf(stderr, "docket: fatal: commit to %s failed: %s\n", st->path,
			PQerrorMessage(st->pg));
		_exit(1);
	}
	int code = pg_result_error(st, res);
	PQclear(res);
	PQclear(PQexec(st->pg, "ROLLBACK"));
	return err_set(code == SQ_BUSY ? E_CONFLICT : code == SQ_CONSTRAINT ? E_INVALID
										: E_STORAGE,
		       "database %s: commit: %s", st->path, st->errmsg);
}

int pg_scheduler_lock(struct store *st, int *held)
{
	int64_t got = 0;
	int rc = query_int(st, "SELECT pg_try_advisory_lock(" LOCK_CLASS ", " LOCK_SCHEDULER ")",
			   "take the scheduler lock", &got);
	*held = rc == 0 && got;
	return rc;
}

void pg_scheduler_unlock(struct store *st)
{
	pg_pipe_sync(st, NULL);
	PQclear(PQexec(st->pg, "SELECT pg_advisory_unlock(" LOCK_CLASS ", " LOCK_SCHEDULER ")"));
}

int64_t pg_last_id(struct store *st)
{
	/* the id the rowid trigger gave the last insert of this transaction */
	if (sync_first(st, "read the new row's id") < 0)
		return 0;
	PGresult *res = PQexec(st->pg, "SELECT current_setting('docket.last_id', true)");
	int64_t id = 0;
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return id;
}

int pg_idle(struct store *st)
{
	return PQtransactionStatus(st->pg) == PQTRANS_IDLE;
}

int pg_copy_begin(struct store *st, const char *table, const char *cols)
{
	int rc = sync_first(st, "copy in");
	if (rc < 0)
		return rc;
	char *sql = xasprintf("COPY %s (%s) FROM STDIN", table, cols);
	PGresult *res = PQexec(st->pg, sql);
	free(sql);
	if (PQresultStatus(res) != PGRES_COPY_IN)
		return fail(st, res, "copy in");
	PQclear(res);
	return 0;
}

int pg_copy_put(struct store *st, const char *data, size_t len)
{
	if (PQputCopyData(st->pg, data, (int)len) != 1)
		return err_set(E_STORAGE, "database %s: copy in: %s", st->path,
			       PQerrorMessage(st->pg));
	return 0;
}

int pg_copy_end(struct store *st, int failed)
{
	int rc = 0;
	PGresult *res;
	PQputCopyEnd(st->pg, failed ? "cancelled" : NULL);
	while ((res = PQgetResult(st->pg)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && !failed && rc == 0)
			rc = fail(st, res, "copy in");
		else
			PQclear(res);
	}
	return rc;
}

void pg_rollback(struct store *st)
{
	pg_pipe_sync(st, NULL);
	PQclear(PQexec(st->pg, "ROLLBACK"));
	st->in_tx = 0;
}
