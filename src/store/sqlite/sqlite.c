/*
 * sqlite.c - the SQLite engine behind store.h: opening, migrations, the
 * unit-of-work transaction, settings and staff.
 *
 * The connection runs in WAL mode with synchronous=FULL (every commit is
 * fsynced: an acknowledged change survives a crash), foreign keys on, and a
 * busy timeout so concurrent docket processes wait for each other.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/util.h"
#include "store/migrations.h"
#include "store/engine.h"
#include "store/sqlite/sqlite_int.h"
#include "store/txn.h"

#define BUSY_TIMEOUT_MS 30000

sqlite3_stmt *sq_prep(struct store *st, const char *sql)
{
	for (size_t i = 0; i < st->n_stmts; i++) {
		if (st->stmts[i].sql == sql) {
			sqlite3_stmt *q = st->stmts[i].stmt;
			sqlite3_reset(q);
			sqlite3_clear_bindings(q);
			return q;
		}
	}
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &q, NULL) !=
	    SQLITE_OK) {
		sq_err(st, "prepare");
		return NULL;
	}
	if (st->n_stmts < STMT_CACHE_MAX) {
		st->stmts[st->n_stmts].sql = sql;
		st->stmts[st->n_stmts].stmt = q;
		st->n_stmts++;
	} else {
		/* cache full: should not happen; keep working, leak-free */
		sqlite3_finalize(q);
		err_set(E_INTERNAL, "statement cache full");
		return NULL;
	}
	return q;
}

/* Walk statements are cached like the others (parsing SQL was half the
 * time of a request's view), but each is handed out to one walk at a time:
 * a walk whose callback starts the same walk again gets a fresh statement. */
sqlite3_stmt *sq_prep_walk(struct store *st, const char *sql)
{
	size_t i;
	for (i = 0; i < st->n_walks; i++)
		if (st->walks[i].sql == sql)
			break;
	if (i < st->n_walks && !st->walks[i].busy) {
		st->walks[i].busy = 1;
		return st->walks[i].stmt;
	}
	sqlite3_stmt *q = NULL;
	int cache = i == st->n_walks && st->n_walks < WALK_CACHE_MAX;
	if (sqlite3_prepare_v3(st->db, sql, -1, cache ? SQLITE_PREPARE_PERSISTENT : 0, &q,
			       NULL) != SQLITE_OK) {
		sq_err(st, "prepare");
		return NULL;
	}
	if (cache) {
		st->walks[i].sql = sql;
		st->walks[i].stmt = q;
		st->walks[i].busy = 1;
		st->n_walks++;
	}
	return q;
}

/* SQLITE_FULL, or an I/O error whose cause was ENOSPC (as when WAL mode
 * is enabled on a full disk): say so instead of "disk I/O error". */
static int disk_full(struct store *st)
{
	return (sqlite3_extended_errcode(st->db) & 0xff) == SQLITE_FULL ||
	       sqlite3_system_errno(st->db) == ENOSPC;
}

void sq_walk_end(struct store *st, sqlite3_stmt *q)
{
	for (size_t i = 0; i < st->n_walks; i++)
		if (st->walks[i].stmt == q) {
			sqlite3_reset(q);
			sqlite3_clear_bindings(q);
			st->walks[i].busy = 0;
			return;
		}
	sqlite3_finalize(q); /* not a cached walk: its own statement */
}

int sq_err(struct store *st, const char *what)
{
	int code = sqlite3_extended_errcode(st->db);
	if (disk_full(st))
		return err_set(E_STORAGE, "database %s: %s: the disk is full (free some "
					  "space and run the command again; nothing was changed)",
			       st->path, what);
	if ((code & 0xff) == SQLITE_CONSTRAINT)
		return err_set(E_INVALID, "%s: %s", what, sqlite3_errmsg(st->db));
	if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
		return err_set(E_CONFLICT, "database %s: %s: %s", st->path, what,
			       sqlite3_errmsg(st->db));
	return err_set(E_STORAGE, "database %s: %s: %s", st->path, what,
		       sqlite3_errmsg(st->db));
}

int sq_done(struct store *st, sqlite3_stmt *q, const char *what)
{
	int rc = sqlite3_step(q);
	int ret = (rc == SQLITE_DONE || rc == SQLITE_ROW) ? 0 : sq_err(st, what);
	sqlite3_reset(q);
	return ret;
}

int sq_row(struct store *st, sqlite3_stmt *q, const char *what)
{
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		return 1;
	int ret = rc == SQLITE_DONE ? 0 : sq_err(st, what);
	sqlite3_reset(q);
	return ret;
}

void sq_bind_text(sqlite3_stmt *q, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(q, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(q, i);
}

const char *sq_col_text(sqlite3_stmt *q, int i)
{
	const unsigned char *s = sqlite3_column_text(q, i);
	return s ? (const char *)s : "";
}

char *sq_col_dup(sqlite3_stmt *q, int i)
{
	const unsigned char *s = sqlite3_column_text(q, i);
	return s ? xstrdup((const char *)s) : NULL;
}

static int exec(struct store *st, const char *sql, const char *what)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int busy = (sqlite3_errcode(st->db) & 0xff) == SQLITE_BUSY;
		int rc = err_set(busy ? E_CONFLICT : E_STORAGE, "database %s: %s: %s", st->path, what,
				 disk_full(st) ? "the disk is full (free some space and run "
						 "the command again; nothing was changed)"
				 : msg	       ? msg
						 : "unknown error");
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

static int user_version(struct store *st, int *v)
{
	sqlite3_stmt *q = sq_prep(st, "PRAGMA user_version");
	if (!q)
		return -E_STORAGE;
	if (sqlite3_step(q) != SQLITE_ROW)
		return sq_err(st, "read schema version");
	*v = sqlite3_column_int(q, 0);
	sqlite3_reset(q);
	return 0;
}

/* Apply every migration newer than the database, each in its own
 * transaction together with the version bump. */
static int migrate(struct store *st)
{
	int v, rc;
	if ((rc = user_version(st, &v)) < 0)
		return rc;
	if (v > store_migrations[store_migration_count - 1].version)
		return err_set(E_STORAGE,
			       "database %s has schema version %d, newer than this "
			       "docket (%d)",
			       st->path, v,
			       store_migrations[store_migration_count - 1].version);
	for (int i = 0; i < store_migration_count; i++) {
		const struct migration *m = &store_migrations[i];
		if (m->version <= v)
			continue;
		char pragma[64];
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", m->version);
		if ((rc = store_begin(st)) < 0 || (rc = exec(st, m->sql, m->name)) < 0 ||
		    (rc = exec(st, pragma, "set schema version")) < 0) {
			store_rollback(st);
			return rc;
		}
		if ((rc = store_commit(st)) < 0)
			return rc;
	}
	return 0;
}

static int configure(struct store *st)
{
	int rc;
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(st->db, 1);
	if ((rc = exec(st, "PRAGMA journal_mode = WAL", "enable WAL")) < 0 ||
	    (rc = exec(st, "PRAGMA synchronous = FULL", "set synchronous")) < 0 ||
	    (rc = exec(st, "PRAGMA foreign_keys = ON", "enable foreign keys")) < 0)
		return rc;
	return 0;
}

const char *store_path(const struct store *st)
{
	return st->path;
}

int sqlite_store_open(const char *path, enum store_open_mode mode, struct store **out)
{
	struct stat sb;
	int exists = stat(path, &sb) == 0;
	*out = NULL;
	if (mode == STORE_OPEN_EXISTING && !exists)
		return err_set(E_NOTFOUND,
			       "no database at '%s' (run 'docket init' first, or set "
			       "--db / DOCKET_DB)",
			       path);
	if (mode == STORE_CREATE && exists)
		return err_set(E_REFUSED, "database '%s' already exists", path);

	if (mode == STORE_CREATE) {
		/* the database holds secrets' hashes and customer data: only
		 * its owner reads it (SQLite gives its -wal and -shm files the
		 * database file's mode) */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0)
			return err_set(errno == EEXIST ? E_REFUSED : E_IO,
				       "cannot create database '%s': %s", path, strerror(errno));
		close(fd);
	}
	struct store *st = xcalloc(1, sizeof(*st));
	st->path = xstrdup(path);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
		    (mode == STORE_CREATE ? SQLITE_OPEN_CREATE : 0);
	int rc;
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		rc = err_set(E_STORAGE, "cannot open database '%s': %s", path,
			     st->db ? sqlite3_errmsg(st->db) : "out of memory");
		store_close(st);
		return rc;
	}
	if ((rc = configure(st)) < 0 || (rc = migrate(st)) < 0) {
		store_close(st);
		return rc;
	}
	*out = st;
	return 0;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	if (st->in_tx)
		store_rollback(st);
	for (size_t i = 0; i < st->n_stmts; i++)
		sqlite3_finalize(st->stmts[i].stmt);
	for (size_t i = 0; i < st->n_walks; i++)
		sqlite3_finalize(st->walks[i].stmt);
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

int sqlite_store_exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

void sqlite_store_remove(const char *path)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		char *p = xasprintf("%s%s", path, suffixes[i]);
		unlink(p);
		free(p);
	}
}

int store_schema_version(struct store *st)
{
	int v = 0;
	return user_version(st, &v) < 0 ? -1 : v;
}

int store_begin(struct store *st)
{
	if (st->in_tx)
		return err_set(E_INTERNAL, "transaction already open");
	int rc = exec(st, "BEGIN IMMEDIATE", "begin transaction");
	if (rc == 0)
		st->in_tx = 1;
	return rc;
}

int store_commit(struct store *st)
{
	if (!st->in_tx)
		return err_set(E_INTERNAL, "commit without a transaction");
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		int code = sqlite3_extended_errcode(st->db);
		if (code == SQLITE_BUSY) {
			/* nothing was written; the caller may report it */
			int rc = sq_err(st, "commit");
			store_rollback(st);
			return rc;
		}
		/* An I/O error during commit (a failed fsync among them) leaves
		 * the durability of this change unknown: stop here rather than
		 * report success or carry on with a connection in doubt. */
		fprintf(stderr, "docket: fatal: commit to '%s' failed: %s\n", st->path,
			disk_full(st) ? "the disk is full (free some space; run 'docket log "
					"verify' before carrying on)"
				      : sqlite3_errmsg(st->db));
		_exit(1);
	}
	st->in_tx = 0;
	return 0;
}

void store_rollback(struct store *st)
{
	if (!st->in_tx)
		return;
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->in_tx = 0;
}

int store_in_transaction(struct store *st)
{
	return st->in_tx;
}

/* --- settings ---------------------------------------------------------- */

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
