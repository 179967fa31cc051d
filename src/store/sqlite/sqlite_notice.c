/*
 * sqlite_notice.c - nondisclosure orders and customer notices (SPEC §5).
 *
 * Plain rows: what a notice's state means and when it moves is decided in
 * core/notice/notice.c; the one query here that knows about delivery is
 * store_notice_next_due(), which the claim step runs inside its write
 * transaction (BEGIN IMMEDIATE), so two processes never pick the same
 * notice.
 */
#include <stdint.h>
#include <stdlib.h>

#include "base/err.h"
#include "base/util.h"
#include "store/sqlite/sqlite_int.h"

static void bind_opt(sqlite3_stmt *q, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(q, i, v);
	else
		sqlite3_bind_null(q, i);
}

static const char *col_opt_text(sqlite3_stmt *q, int i)
{
	return sqlite3_column_type(q, i) == SQLITE_NULL ? NULL : sq_col_text(q, i);
}

/* --- nondisclosure orders ---------------------------------------------- */

#define NDO_COLUMNS                                                              \
	"SELECT id, request_id, statute, issued_at, expires_at, coalesce(lifted_at, 0), " \
	"lift_reason, coalesce(review_at, 0), coalesce(reminded_at, 0), created_at "   \
	"FROM ndo "

int store_ndo_add(struct store *st, const struct ndo_record *n, int64_t *id)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO ndo(request_id, statute, issued_at, "
				      "expires_at, lifted_at, lift_reason, review_at, "
				      "reminded_at, created_at) VALUES (?,?,?,?,?,?,?,?,?)");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, n->request_id);
	sq_bind_text(q, 2, n->statute);
	sqlite3_bind_int64(q, 3, n->issued_at);
	if (n->has_expiry)
		sqlite3_bind_int64(q, 4, n->expires_at);
	else
		sqlite3_bind_null(q, 4);
	bind_opt(q, 5, n->lifted_at);
	sq_bind_text(q, 6, n->lift_reason);
	bind_opt(q, 7, n->review_at);
	bind_opt(q, 8, n->reminded_at);
	sqlite3_bind_int64(q, 9, n->created_at);
	int rc = sq_done(st, q, "record nondisclosure order");
	if (rc == 0 && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

int store_ndo_update(struct store *st, const struct ndo_record *n)
{
	sqlite3_stmt *q = sq_prep(st, "UPDATE ndo SET expires_at = ?, lifted_at = ?, "
				      "lift_reason = ?, reminded_at = ? WHERE id = ?");
	if (!q)
		return -E_STORAGE;
	if (n->has_expiry)
		sqlite3_bind_int64(q, 1, n->expires_at);
	else
		sqlite3_bind_null(q, 1);
	bind_opt(q, 2, n->lifted_at);
	sq_bind_text(q, 3, n->lift_reason);
	bind_opt(q, 4, n->reminded_at);
	sqlite3_bind_int64(q, 5, n->id);
	int rc = sq_done(st, q, "update nondisclosure order");
	if (rc == 0 && sqlite3_changes(st->db) == 0)
		return err_set(E_NOTFOUND, "no nondisclosure order %lld", (long long)n->id);
	return rc;
}

static int ndo_walk(struct store *st, sqlite3_stmt *q, store_ndo_cb cb, void *ctx)
{
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct ndo_record n = {
			.id = sqlite3_column_int64(q, 0),
			.request_id = sqlite3_column_int64(q, 1),
			.statute = sq_col_text(q, 2),
			.issued_at = sqlite3_column_int64(q, 3),
			.has_expiry = sqlite3_column_type(q, 4) != SQLITE_NULL,
			.expires_at = sqlite3_column_int64(q, 4),
			.lifted_at = sqlite3_column_int64(q, 5),
			.lift_reason = col_opt_text(q, 6),
			.review_at = sqlite3_column_int64(q, 7),
			.reminded_at = sqlite3_column_int64(q, 8),
			.created_at = sqlite3_column_int64(q, 9),
		};
		if ((ret = cb(ctx, &n)) != 0)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "read nondisclosure orders");
	sq_walk_end(st, q);
	return ret;
}

int store_ndo_each(struct store *st, int64_t request_id, store_ndo_cb cb, void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(st, NDO_COLUMNS "WHERE ?1 = 0 OR request_id = ?1 "
						       "ORDER BY id");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, request_id);
	return ndo_walk(st, q, cb, ctx);
}

int store_ndo_each_review_due(struct store *st, int64_t at, store_ndo_cb cb, void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(st, NDO_COLUMNS
				       "WHERE review_at <= ? AND lifted_at IS NULL AND "
				       "reminded_at IS NULL ORDER BY review_at, id");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, at);
	return ndo_walk(st, q, cb, ctx);
}

/* --- notices ------------------------------------------------------------- */

int store_notice_add(struct store *st, const struct notice_record *n, int64_t *id)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO notice(request_id, customer_id, state, "
				      "delay_reason, due_at, created_at) VALUES (?,?,?,?,?,?)");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, n->request_id);
	sq_bind_text(q, 2, n->customer_id);
	sq_bind_text(q, 3, n->state);
	sq_bind_text(q, 4, n->delay_reason);
	bind_opt(q, 5, n->due_at);
	sqlite3_bind_int64(q, 6, n->created_at);
	int rc = sq_done(st, q, "record notice");
	if (rc == 0 && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

int store_notice_update(struct store *st, const struct notice_record *n)
{
	sqlite3_stmt *q = sq_prep(st, "UPDATE notice SET state = ?, delay_reason = ?, "
				      "due_at = ?, sent_at = ?, attempts = ?, next_try_at = ?, "
				      "last_error = ?, claim = ?, claimed_at = ?, generation = ?, "
				      "message_id = ?, body = ?, log_index = ? WHERE id = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, n->state);
	sq_bind_text(q, 2, n->delay_reason);
	bind_opt(q, 3, n->due_at);
	bind_opt(q, 4, n->sent_at);
	sqlite3_bind_int(q, 5, n->attempts);
	bind_opt(q, 6, n->next_try_at);
	sq_bind_text(q, 7, n->last_error);
	sq_bind_text(q, 8, n->claim);
	bind_opt(q, 9, n->claimed_at);
	sqlite3_bind_int(q, 10, n->generation);
	sq_bind_text(q, 11, n->message_id);
	sq_bind_text(q, 12, n->body);
	if (n->log_index >= 0)
		sqlite3_bind_int64(q, 13, n->log_index);
	else
		sqlite3_bind_null(q, 13);
	sqlite3_bind_int64(q, 14, n->id);
	int rc = sq_done(st, q, "update notice");
	if (rc == 0 && sqlite3_changes(st->db) == 0)
		return err_set(E_NOTFOUND, "no notice %lld", (long long)n->id);
	return rc;
}

void notice_filter_init(struct notice_filter *f)
{
	f->id = 0;
	f->request_id = 0;
	f->state = NULL;
	f->due_before = INT64_MAX;
	f->claimed_before = INT64_MAX;
}

int store_notice_each(struct store *st, const struct notice_filter *f,
		      store_notice_cb cb, void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(
		st, "SELECT id, request_id, customer_id, state, delay_reason, "
		    "coalesce(due_at, 0), coalesce(sent_at, 0), attempts, "
		    "coalesce(next_try_at, 0), last_error, claim, coalesce(claimed_at, 0), "
		    "generation, message_id, body, coalesce(log_index, -1), created_at "
		    "FROM notice WHERE (?1 = 0 OR id = ?1) AND (?2 = 0 OR request_id = ?2) "
		    "AND (CAST(?3 AS TEXT) IS NULL OR state = ?3) AND (?4 = 9223372036854775807 OR "
		    "due_at <= ?4) AND (?5 = 9223372036854775807 OR claimed_at <= ?5) "
		    "ORDER BY id");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, f->id);
	sqlite3_bind_int64(q, 2, f->request_id);
	sq_bind_text(q, 3, f->state);
	sqlite3_bind_int64(q, 4, f->due_before);
	sqlite3_bind_int64(q, 5, f->claimed_before);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct notice_record n = {
			.id = sqlite3_column_int64(q, 0),
			.request_id = sqlite3_column_int64(q, 1),
			.customer_id = sq_col_text(q, 2),
			.state = sq_col_text(q, 3),
			.delay_reason = col_opt_text(q, 4),
			.due_at = sqlite3_column_int64(q, 5),
			.sent_at = sqlite3_column_int64(q, 6),
			.attempts = sqlite3_column_int(q, 7),
			.next_try_at = sqlite3_column_int64(q, 8),
			.last_error = col_opt_text(q, 9),
			.claim = col_opt_text(q, 10),
			.claimed_at = sqlite3_column_int64(q, 11),
			.generation = sqlite3_column_int(q, 12),
			.message_id = col_opt_text(q, 13),
			.body = col_opt_text(q, 14),
			.log_index = sqlite3_column_int64(q, 15),
			.created_at = sqlite3_column_int64(q, 16),
		};
		if ((ret = cb(ctx, &n)) != 0)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "read notices");
	sq_walk_end(st, q);
	return ret;
}

int store_notice_next_due(struct store *st, int64_t now, int64_t *id)
{
	sqlite3_stmt *q = sq_prep(
		st, "SELECT id, due_at AS t FROM notice WHERE state = 'pending' AND due_at <= ?1 "
		    "UNION ALL SELECT id, next_try_at AS t FROM notice "
		    "WHERE state = 'failed' AND next_try_at <= ?1 ORDER BY t, id LIMIT 1");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, now);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(q, 0);
		sqlite3_reset(q);
		return 0;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return sq_err(st, "find the next due notice");
	return -E_NOTFOUND;
}
