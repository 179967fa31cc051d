/*
 * sqlite.c - the SQLite engine behind store.h (store/engine.h): opening,
 * migrations and the unit-of-work transaction.  The statements themselves
 * run through the statement layer (sql.c).
 *
 * The connection runs in WAL mode with synchronous=FULL (every commit is
 * fsynced: an acknowledged change survives a crash), foreign keys on, and a
 * busy timeout so concurrent docket processes wait for each other.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/err.h"
#include "base/util.h"
#include "store/engine.h"
#include "store/migrations.h"

#define BUSY_TIMEOUT_MS 30000

static int lite_err(struct store *st, const char *what)
{
	int code = sqlite3_extended_errcode(st->lite) & 0xff;
	return err_set(code == SQLITE_BUSY || code == SQLITE_LOCKED ? E_CONFLICT : E_STORAGE,
		       "database %s: %s: %s", st->path, what, sqlite3_errmsg(st->lite));
}

/* SQLITE_FULL, or an I/O error whose cause was ENOSPC (as when WAL mode
 * is enabled on a full disk): say so instead of "disk I/O error". */
int lite_disk_full(struct store *st)
{
	return st->lite && ((sqlite3_extended_errcode(st->lite) & 0xff) == SQLITE_FULL ||
			    sqlite3_system_errno(st->lite) == ENOSPC);
}

int lite_exec(struct store *st, const char *sql, const char *what)
{
	char *msg = NULL;
	if (sqlite3_exec(st->lite, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int busy = (sqlite3_errcode(st->lite) & 0xff) == SQLITE_BUSY;
		int rc = err_set(busy ? E_CONFLICT : E_STORAGE, "database %s: %s: %s", st->path,
				 what,
				 lite_disk_full(st) ? "the disk is full (free some space and run "
						      "the command again; nothing was changed)"
				 : msg		    ? msg
						    : "unknown error");
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

int lite_schema_version(struct store *st, int *v)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(st->lite, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK)
		return lite_err(st, "read schema version");
	if (sqlite3_step(q) != SQLITE_ROW) {
		int rc = lite_err(st, "read schema version");
		sqlite3_finalize(q);
		return rc;
	}
	*v = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return 0;
}

/* Apply every migration newer than the database, each in its own
 * transaction together with the version bump. */
static int migrate(struct store *st)
{
	int v, rc;
	if ((rc = lite_schema_version(st, &v)) < 0)
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
		if ((rc = lite_begin(st)) < 0 || (rc = lite_exec(st, m->sql, m->name)) < 0 ||
		    (rc = lite_exec(st, pragma, "set schema version")) < 0) {
			lite_rollback(st);
			return rc;
		}
		if ((rc = lite_commit(st)) < 0)
			return rc;
	}
	return 0;
}

static int configure(struct store *st)
{
	int rc;
	sqlite3_busy_timeout(st->lite, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(st->lite, 1);
	if ((rc = lite_exec(st, "PRAGMA journal_mode = WAL", "enable WAL")) < 0 ||
	    (rc = lite_exec(st, "PRAGMA synchronous = FULL", "set synchronous")) < 0 ||
	    (rc = lite_exec(st, "PRAGMA foreign_keys = ON", "enable foreign keys")) < 0)
		return rc;
	return 0;
}

/* Once per process, before SQLite starts: no memory statistics.  They
 * are kept under one global mutex that every allocation of every
 * connection takes, which the server's workers then queue on; docket
 * never reads them. */
static pthread_once_t lite_once = PTHREAD_ONCE_INIT;

static void lite_global(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);   /* refused once started: harmless */
}

int lite_open(struct store *st, enum store_open_mode mode)
{
	pthread_once(&lite_once, lite_global);
	struct stat sb;
	int exists = stat(st->path, &sb) == 0;
	if (mode == STORE_OPEN_EXISTING && !exists) {
		int rc = err_set(E_NOTFOUND, "no database at '%s'", st->path);
		err_set_remedy(REMEDY_INIT, 0);
		return rc;
	}
	if (mode == STORE_CREATE && exists)
		return err_set(E_REFUSED, "database '%s' already exists", st->path);
	if (mode == STORE_CREATE) {
		/* the database holds secrets' hashes and customer data: only
		 * its owner reads it (SQLite gives its -wal and -shm files the
		 * database file's mode) */
		int fd = open(st->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0)
			return err_set(errno == EEXIST ? E_REFUSED : E_IO,
				       "cannot create database '%s': %s", st->path, strerror(errno));
		close(fd);
	}
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
		    (mode == STORE_CREATE ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(st->path, &st->lite, flags, NULL) != SQLITE_OK)
		return err_set(E_STORAGE, "cannot open database '%s': %s", st->path,
			       st->lite ? sqlite3_errmsg(st->lite) : "out of memory");
	int rc;
	if ((rc = configure(st)) < 0 || (rc = migrate(st)) < 0)
		return rc;
	return 0;
}

void lite_close(struct store *st)
{
	sqlite3_close(st->lite);
	st->lite = NULL;
}

int lite_exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

void lite_remove(const char *path)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		char *p = xasprintf("%s%s", path, suffixes[i]);
		unlink(p);
		free(p);
	}
}

int lite_begin(struct store *st)
{
	int rc = lite_exec(st, "BEGIN IMMEDIATE", "begin transaction");
	if (rc == 0)
		st->in_tx = 1;
	return rc;
}

int lite_commit(struct store *st)
{
	if (sqlite3_exec(st->lite, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		int code = sqlite3_extended_errcode(st->lite);
		if (code == SQLITE_BUSY) {
			/* nothing was written; the caller may report it */
			int rc = lite_err(st, "commit");
			lite_rollback(st);
			return rc;
		}
		/* An I/O error during commit (a failed fsync among them) leaves
		 * the durability of this change unknown: stop here rather than
		 * report success or carry on with a connection in doubt. */
		fprintf(stderr, "docket: fatal: commit to '%s' failed: %s\n", st->path,
			lite_disk_full(st) ? "the disk is full (free some space; run 'docket "
					     "log verify' before carrying on)"
					   : sqlite3_errmsg(st->lite));
		_exit(1);
	}
	st->in_tx = 0;
	return 0;
}

void lite_rollback(struct store *st)
{
	sqlite3_exec(st->lite, "ROLLBACK", NULL, NULL, NULL);
	st->in_tx = 0;
}
