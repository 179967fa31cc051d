/*
 * sqlite_witness.c - storage for witnesses and their cosignatures
 * (store.h; the schema is migration 0030).  core/ledger/witness.c decides what is
 * stored; this file only keeps it.
 */
#include <stdint.h>

#include "base/err.h"
#include "store/sqlite/sqlite_int.h"

int store_witness_add(struct store *st, const char *name, const char *url,
		      const char *vkey, int64_t at)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO witness(name, url, vkey, added_at) "
				      "VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
				      "url = excluded.url, added_at = excluded.added_at, "
				      "removed_at = NULL WHERE witness.removed_at IS NOT NULL "
				      "AND witness.vkey = excluded.vkey");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, name);
	sq_bind_text(q, 2, url);
	sq_bind_text(q, 3, vkey);
	sqlite3_bind_int64(q, 4, at);
	int rc = sq_done(st, q, "add witness");
	if (rc == 0 && sqlite3_changes(st->db) == 0)
		return err_set(E_REFUSED, "witness '%s' is already registered", name);
	return rc;
}

int store_witness_remove(struct store *st, const char *name, int64_t at)
{
	sqlite3_stmt *q = sq_prep(st, "UPDATE witness SET removed_at = ? "
				      "WHERE name = ? AND removed_at IS NULL");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, at);
	sq_bind_text(q, 2, name);
	int rc = sq_done(st, q, "remove witness");
	if (rc == 0 && sqlite3_changes(st->db) == 0)
		return err_set(E_NOTFOUND, "no witness '%s' in service", name);
	return rc;
}

int store_witness_each(struct store *st, store_witness_cb cb, void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(
	    st, "SELECT name, url, vkey, added_at, cosigned, coalesce(claimed, -1), status, "
		"problem, coalesce(status_at, 0), coalesce(removed_at, 0) FROM witness "
		"ORDER BY name");
	if (!q)
		return -E_STORAGE;
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct witness_row w = {
		    .name = sq_col_text(q, 0),
		    .url = sq_col_text(q, 1),
		    .vkey = sq_col_text(q, 2),
		    .added_at = sqlite3_column_int64(q, 3),
		    .cosigned = (uint64_t)sqlite3_column_int64(q, 4),
		    .claimed = sqlite3_column_int64(q, 5),
		    .status = sq_col_text(q, 6),
		    .problem = sqlite3_column_int(q, 7),
		    .status_at = sqlite3_column_int64(q, 8),
		    .removed_at = sqlite3_column_int64(q, 9),
		};
		if ((ret = cb(ctx, &w)) != 0)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "walk witnesses");
	sq_walk_end(st, q);
	return ret;
}

int store_witness_status(struct store *st, const char *name, const char *status,
			 int problem, int64_t claimed, int64_t at)
{
	sqlite3_stmt *q = sq_prep(st, "UPDATE witness SET status = ?, problem = ?, "
				      "claimed = CASE WHEN ? < 0 THEN claimed ELSE ? END, "
				      "status_at = ? WHERE name = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, status);
	sqlite3_bind_int(q, 2, problem);
	sqlite3_bind_int64(q, 3, claimed);
	sqlite3_bind_int64(q, 4, claimed);
	sqlite3_bind_int64(q, 5, at);
	sq_bind_text(q, 6, name);
	int rc = sq_done(st, q, "record witness status");
	if (rc == 0 && sqlite3_changes(st->db) == 0)
		return err_set(E_NOTFOUND, "no witness '%s'", name);
	return rc;
}

int store_cosig_put(struct store *st, const char *witness, uint64_t size,
		    const char *line, uint64_t time)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO cosignature(witness, size, "
				      "line, time) VALUES (?, ?, ?, ?) ON CONFLICT(witness, size) "
				      "DO UPDATE SET line = excluded.line, time = excluded.time");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, witness);
	sqlite3_bind_int64(q, 2, (int64_t)size);
	sq_bind_text(q, 3, line);
	sqlite3_bind_int64(q, 4, (int64_t)time);
	int rc = sq_done(st, q, "store cosignature");
	if (rc < 0)
		return rc;
	q = sq_prep(st, "UPDATE witness SET cosigned = CASE WHEN cosigned > ?1 "
			"THEN cosigned ELSE ?1 END WHERE name = ?2");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, (int64_t)size);
	sq_bind_text(q, 2, witness);
	return sq_done(st, q, "record cosigned size");
}

int store_cosig_each(struct store *st, uint64_t size, store_cosig_cb cb, void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(
	    st, size == UINT64_MAX
		    ? "SELECT witness, size, line, time FROM cosignature ORDER BY size, witness"
		    : "SELECT witness, size, line, time FROM cosignature WHERE size = ? "
		      "ORDER BY witness");
	if (!q)
		return -E_STORAGE;
	if (size != UINT64_MAX)
		sqlite3_bind_int64(q, 1, (int64_t)size);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if ((ret = cb(ctx, sq_col_text(q, 0), (uint64_t)sqlite3_column_int64(q, 1),
			      sq_col_text(q, 2), (uint64_t)sqlite3_column_int64(q, 3))) != 0)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "walk cosignatures");
	sq_walk_end(st, q);
	return ret;
}
