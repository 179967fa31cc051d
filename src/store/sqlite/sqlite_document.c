/*
 * sqlite_document.c - the documents of requests (store.h, "documents";
 * migrations/0040_documents.sql), letters to agencies (0041_letters.sql)
 * and published reports (0042_report_publication.sql).
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

/* --- letters (migrations/0041_letters.sql) ------------------------------------ */

int store_letter_add(struct store *st, const struct letter_row *l, int64_t *id)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO letter (request_id, kind, to_addr, subject, "
				      "body, sha256, state, written_at, written_by) VALUES "
				      "(?, ?, ?, ?, ?, ?, 'written', ?, ?)");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, l->request_id);
	sq_bind_text(q, 2, l->kind);
	sq_bind_text(q, 3, l->to);
	sq_bind_text(q, 4, l->subject);
	sq_bind_text(q, 5, l->body);
	sq_bind_text(q, 6, l->sha256);
	sqlite3_bind_int64(q, 7, l->written_at);
	sq_bind_text(q, 8, l->written_by);
	int rc = sq_done(st, q, "add letter");
	if (rc == 0)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

int store_letter_finish(struct store *st, int64_t id, const char *state, int64_t at,
			const char *message_id, const char *error)
{
	sqlite3_stmt *q = sq_prep(st, "UPDATE letter SET state = ?, sent_at = ?, message_id = ?, "
				      "error = ? WHERE id = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, state);
	if (strcmp(state, "sent") == 0)
		sqlite3_bind_int64(q, 2, at);
	else
		sqlite3_bind_null(q, 2);
	sq_bind_text(q, 3, message_id);
	sq_bind_text(q, 4, error);
	sqlite3_bind_int64(q, 5, id);
	return sq_done(st, q, "finish letter");
}

int store_letter_each(struct store *st, int64_t request_id, store_letter_cb cb, void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(st, "SELECT id, kind, to_addr, subject, body, sha256, "
					   "state, written_at, written_by, sent_at, message_id, "
					   "error FROM letter WHERE request_id = ? ORDER BY id");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, request_id);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct letter_row l = {
			.id = sqlite3_column_int64(q, 0), .request_id = request_id,
			.kind = sq_col_text(q, 1), .to = sq_col_text(q, 2),
			.subject = sq_col_text(q, 3), .body = sq_col_text(q, 4),
			.sha256 = sq_col_text(q, 5), .state = sq_col_text(q, 6),
			.written_at = sqlite3_column_int64(q, 7), .written_by = sq_col_text(q, 8),
			.sent_at = sqlite3_column_int64(q, 9), .message_id = sq_col_text(q, 10),
			.error = sq_col_text(q, 11),
		};
		if ((ret = cb(ctx, &l)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = sq_err(st, "read letters");
	sq_walk_end(st, q);
	return ret;
}

/* --- published reports (migrations/0042_report_publication.sql) ---------------- */

int store_publication_add(struct store *st, const struct publication_row *p, int64_t *id)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO report_publication (period, format, "
				      "published_at, published_by, sha256, size, checkpoint_size, "
				      "body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, p->period);
	sq_bind_text(q, 2, p->format);
	sqlite3_bind_int64(q, 3, p->published_at);
	sq_bind_text(q, 4, p->published_by);
	sq_bind_text(q, 5, p->sha256);
	sqlite3_bind_int64(q, 6, (sqlite3_int64)p->size);
	sqlite3_bind_int64(q, 7, (sqlite3_int64)p->checkpoint_size);
	sqlite3_bind_blob64(q, 8, p->body ? p->body : (const void *)"", p->size, SQLITE_STATIC);
	int rc = sq_done(st, q, "store the published report");
	if (rc == 0 && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

int store_publication_each(struct store *st, int64_t id, int with_body,
			   store_publication_cb cb, void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(st, "SELECT id, period, format, published_at, "
					   "published_by, sha256, size, checkpoint_size, body "
					   "FROM report_publication WHERE ? = 0 OR id = ? "
					   "ORDER BY id DESC");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, id);
	int rc, ret = 0, n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct publication_row p = {
			.id = sqlite3_column_int64(q, 0),
			.period = sq_col_text(q, 1),
			.format = sq_col_text(q, 2),
			.published_at = sqlite3_column_int64(q, 3),
			.published_by = sq_col_text(q, 4),
			.sha256 = sq_col_text(q, 5),
			.size = (uint64_t)sqlite3_column_int64(q, 6),
			.checkpoint_size = (uint64_t)sqlite3_column_int64(q, 7),
		};
		n++;
		if (with_body) {
			p.body = sqlite3_column_blob(q, 8);
			p.size = (uint64_t)sqlite3_column_bytes(q, 8);
		}
		if ((ret = cb(ctx, &p)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = sq_err(st, "read published reports");
	sq_walk_end(st, q);
	if (ret == 0 && id && n == 0)
		return err_set(E_NOTFOUND, "no published report %lld", (long long)id);
	return ret;
}
