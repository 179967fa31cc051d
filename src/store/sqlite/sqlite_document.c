/*
 * sqlite_document.c - the documents of requests (store.h, "documents";
 * migrations/0040_documents.sql).
 */
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "store/sqlite/sqlite_int.h"

int store_document_add(struct store *st, const struct document_row *d, int64_t *id)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO request_document (request_id, name, sha256, "
				      "media_type, size, content, added_at, added_by) VALUES "
				      "(?, ?, ?, ?, ?, ?, ?, ?)");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, d->request_id);
	sq_bind_text(q, 2, d->name);
	sq_bind_text(q, 3, d->sha256);
	sq_bind_text(q, 4, d->media_type);
	sqlite3_bind_int64(q, 5, (sqlite3_int64)d->size);
	sqlite3_bind_blob64(q, 6, d->content ? (const void *)d->content : "", d->size,
			    SQLITE_STATIC);
	sqlite3_bind_int64(q, 7, d->added_at);
	sq_bind_text(q, 8, d->added_by);
	int rc = sq_done(st, q, "add document");
	if (rc == 0 && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

int store_document_each(struct store *st, int64_t request_id, int with_content,
			store_document_cb cb, void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(st, "SELECT id, name, sha256, media_type, size, "
					   "added_at, added_by, content FROM request_document "
					   "WHERE request_id = ? ORDER BY id");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, request_id);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct document_row d = {
			.id = sqlite3_column_int64(q, 0),
			.request_id = request_id,
			.name = sq_col_text(q, 1),
			.sha256 = sq_col_text(q, 2),
			.media_type = sq_col_text(q, 3),
			.size = (uint64_t)sqlite3_column_int64(q, 4),
			.added_at = sqlite3_column_int64(q, 5),
			.added_by = sq_col_text(q, 6),
		};
		if (with_content) {
			d.content = sqlite3_column_blob(q, 7);
			d.size = (uint64_t)sqlite3_column_bytes(q, 7);
		}
		if ((ret = cb(ctx, &d)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = sq_err(st, "read documents");
	sq_walk_end(st, q);
	return ret;
}
