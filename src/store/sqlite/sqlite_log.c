/*
 * sqlite_log.c - storage for the tamper-evident log: entries, the stored
 * subtree hashes per level, and signed checkpoints.  The log layer
 * (src/log, src/core/ledger/journal.c) decides what to store; this file only keeps
 * bytes.
 */
#include <stdlib.h>

#include "base/err.h"
#include "base/util.h"
#include "store/sqlite/sqlite_int.h"

int store_log_size(struct store *st, uint64_t *size)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT coalesce(max(idx) + 1, 0) FROM log_entry");
	if (!q)
		return -E_STORAGE;
	if (sqlite3_step(q) != SQLITE_ROW)
		return sq_err(st, "read log size");
	*size = (uint64_t)sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return 0;
}

int store_log_put_entry(struct store *st, uint64_t index, const void *entry, size_t len)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO log_entry(idx, entry) VALUES (?, ?)");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, (int64_t)index);
	sqlite3_bind_blob64(q, 2, entry, len, SQLITE_STATIC);
	return sq_done(st, q, "append log entry");
}

int store_log_get_entry(struct store *st, uint64_t index, struct buf *out)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT entry FROM log_entry WHERE idx = ?");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, (int64_t)index);
	int rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			return sq_err(st, "read log entry");
		return err_set(E_NOTFOUND, "no log entry %llu", (unsigned long long)index);
	}
	buf_reset(out);
	rc = buf_add(out, sqlite3_column_blob(q, 0), (size_t)sqlite3_column_bytes(q, 0));
	sqlite3_reset(q);
	return rc;
}

int store_log_put_hash(struct store *st, unsigned level, uint64_t index,
		       const uint8_t hash[32])
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO log_hash(level, idx, hash) VALUES (?, ?, ?)");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int(q, 1, (int)level);
	sqlite3_bind_int64(q, 2, (int64_t)index);
	sqlite3_bind_blob(q, 3, hash, 32, SQLITE_STATIC);
	return sq_done(st, q, "store log hash");
}

int store_log_get_hash(struct store *st, unsigned level, uint64_t index, uint8_t hash[32])
{
	sqlite3_stmt *q = sq_prep(st, "SELECT hash FROM log_hash WHERE level = ? AND idx = ?");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int(q, 1, (int)level);
	sqlite3_bind_int64(q, 2, (int64_t)index);
	int rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			return sq_err(st, "read log hash");
		return err_set(E_NOTFOUND, "no log hash at level %u index %llu", level,
			       (unsigned long long)index);
	}
	int ok = sqlite3_column_bytes(q, 0) == 32;
	if (ok)
		memcpy(hash, sqlite3_column_blob(q, 0), 32);
	sqlite3_reset(q);
	if (!ok)
		return err_set(E_STORAGE, "log hash at level %u index %llu is damaged",
			       level, (unsigned long long)index);
	return 0;
}

int store_log_each_entry(struct store *st, uint64_t from, store_log_entry_cb cb,
			 void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(st, "SELECT idx, entry FROM log_entry "
					   "WHERE idx >= ? ORDER BY idx");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, (int64_t)from);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ret = cb(ctx, (uint64_t)sqlite3_column_int64(q, 0),
			 sqlite3_column_blob(q, 1), (size_t)sqlite3_column_bytes(q, 1));
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "walk log");
	sq_walk_end(st, q);
	return ret;
}

int store_checkpoint_put(struct store *st, uint64_t size, const char *note)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO log_checkpoint(size, note) VALUES (?, ?)");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, (int64_t)size);
	sq_bind_text(q, 2, note);
	return sq_done(st, q, "store checkpoint");
}

static int checkpoint_row(struct store *st, sqlite3_stmt *q, uint64_t *size, char **note)
{
	int rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			return sq_err(st, "read checkpoint");
		return err_set(E_NOTFOUND, "no signed checkpoint");
	}
	if (size)
		*size = (uint64_t)sqlite3_column_int64(q, 0);
	*note = sq_col_dup(q, 1);
	sqlite3_reset(q);
	return 0;
}

int store_checkpoint_latest(struct store *st, uint64_t *size, char **note)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT size, note FROM log_checkpoint "
				      "ORDER BY size DESC LIMIT 1");
	if (!q)
		return -E_STORAGE;
	return checkpoint_row(st, q, size, note);
}

int store_checkpoint_get(struct store *st, uint64_t size, char **note)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT size, note FROM log_checkpoint WHERE size = ?");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, (int64_t)size);
	return checkpoint_row(st, q, NULL, note);
}

int store_checkpoint_each(struct store *st, store_checkpoint_cb cb, void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(st, "SELECT size, note FROM log_checkpoint "
					   "ORDER BY size");
	if (!q)
		return -E_STORAGE;
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ret = cb(ctx, (uint64_t)sqlite3_column_int64(q, 0), sq_col_text(q, 1));
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "walk checkpoints");
	sq_walk_end(st, q);
	return ret;
}
