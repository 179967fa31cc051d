/*
 * sqlite_review.c - the records review leaves behind: approvals (four
 * eyes), requester verifications, court challenges, preservation holds and
 * deadlines.
 */
#include <stdlib.h>

#include "base/err.h"
#include "base/util.h"
#include "store/sqlite/sqlite_int.h"

int store_request_set_scope(struct store *st, int64_t id, unsigned categories)
{
	sqlite3_stmt *q = sq_prep(st, "UPDATE request SET scope = ? WHERE id = ?");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int(q, 1, (int)categories);
	sqlite3_bind_int64(q, 2, id);
	return sq_done(st, q, "narrow request");
}

int store_approval_add(struct store *st, int64_t request_id, const char *approver,
		       int64_t at, uint64_t log_index)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO approval(request_id, approver, at, "
				      "log_index) VALUES (?, ?, ?, ?)");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, request_id);
	sq_bind_text(q, 2, approver);
	sqlite3_bind_int64(q, 3, at);
	sqlite3_bind_int64(q, 4, (int64_t)log_index);
	return sq_done(st, q, "record approval");
}

int store_approval_each(struct store *st, int64_t request_id, store_approval_cb cb,
			void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(st, "SELECT approver, at FROM approval "
					   "WHERE request_id = ? ORDER BY at, approver");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, request_id);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if ((ret = cb(ctx, sq_col_text(q, 0), sqlite3_column_int64(q, 1))) != 0)
			break;
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "read approvals");
	sq_walk_end(st, q);
	return ret;
}

int store_verification_add(struct store *st, int64_t request_id,
			   const struct verification *v)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO verification(request_id, method, "
				      "callback, person, at, actor, log_index) "
				      "VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, request_id);
	sq_bind_text(q, 2, v->method);
	sq_bind_text(q, 3, v->callback);
	sq_bind_text(q, 4, v->person);
	sqlite3_bind_int64(q, 5, v->at);
	sq_bind_text(q, 6, v->actor);
	sqlite3_bind_int64(q, 7, (int64_t)v->log_index);
	return sq_done(st, q, "record verification");
}

int store_challenge_add(struct store *st, int64_t request_id, const struct challenge *c,
			int64_t *id)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO challenge(request_id, subject, filed_at, "
				      "court, grounds) VALUES (?, ?, ?, ?, ?)");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, request_id);
	sq_bind_text(q, 2, c->subject);
	sqlite3_bind_int64(q, 3, c->filed_at);
	sq_bind_text(q, 4, c->court);
	sq_bind_text(q, 5, c->grounds);
	int rc = sq_done(st, q, "record challenge");
	if (rc == 0 && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

int store_challenge_decide(struct store *st, int64_t request_id, const char *outcome,
			   int64_t at)
{
	sqlite3_stmt *q = sq_prep(st, "UPDATE challenge SET outcome = ?, decided_at = ? "
				      "WHERE request_id = ? AND outcome IS NULL");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, outcome);
	sqlite3_bind_int64(q, 2, at);
	sqlite3_bind_int64(q, 3, request_id);
	int rc = sq_done(st, q, "record challenge outcome");
	if (rc == 0 && sqlite3_changes(st->db) == 0)
		return err_set(E_NOTFOUND, "request %lld has no pending challenge",
			       (long long)request_id);
	return rc;
}


int store_hold_add(struct store *st, const struct hold *h, int64_t *id)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO hold(request_id, account_id, created_at, "
				      "expires_at, renewals, state) VALUES (?, ?, ?, ?, ?, ?)");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, h->request_id);
	if (h->account_id)
		sqlite3_bind_int64(q, 2, h->account_id);
	else
		sqlite3_bind_null(q, 2);
	sqlite3_bind_int64(q, 3, h->created_at);
	sqlite3_bind_int64(q, 4, h->expires_at);
	sqlite3_bind_int(q, 5, h->renewals);
	sq_bind_text(q, 6, h->state);
	int rc = sq_done(st, q, "record hold");
	if (rc == 0 && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

int store_hold_update(struct store *st, int64_t id, int64_t expires_at, int renewals,
		      const char *state)
{
	sqlite3_stmt *q = sq_prep(st, "UPDATE hold SET expires_at = ?, renewals = ?, "
				      "state = ? WHERE id = ?");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, expires_at);
	sqlite3_bind_int(q, 2, renewals);
	sq_bind_text(q, 3, state);
	sqlite3_bind_int64(q, 4, id);
	return sq_done(st, q, "update hold");
}

static int hold_walk(struct store *st, sqlite3_stmt *q, store_hold_cb cb, void *ctx)
{
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct hold h = {
			.id = sqlite3_column_int64(q, 0),
			.request_id = sqlite3_column_int64(q, 1),
			.account_id = sqlite3_column_int64(q, 2),
			.created_at = sqlite3_column_int64(q, 3),
			.expires_at = sqlite3_column_int64(q, 4),
			.renewals = sqlite3_column_int(q, 5),
			.state = sq_col_text(q, 6),
		};
		if ((ret = cb(ctx, &h)) != 0)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "read holds");
	sq_walk_end(st, q);
	return ret;
}

int store_hold_each(struct store *st, int64_t request_id, store_hold_cb cb, void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(st, "SELECT id, request_id, coalesce(account_id, 0), "
					   "created_at, expires_at, renewals, state FROM hold "
					   "WHERE request_id = ? ORDER BY id");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, request_id);
	return hold_walk(st, q, cb, ctx);
}

int store_hold_each_due(struct store *st, int64_t at, store_hold_cb cb, void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(st, "SELECT id, request_id, coalesce(account_id, 0), "
					   "created_at, expires_at, renewals, state FROM hold "
					   "WHERE state = 'active' AND expires_at <= ? "
					   "ORDER BY expires_at, id");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, at);
	return hold_walk(st, q, cb, ctx);
}

int store_deadline_add(struct store *st, int64_t request_id, const char *kind, int64_t at)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO deadline(request_id, kind, at) "
				      "VALUES (?, ?, ?)");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, request_id);
	sq_bind_text(q, 2, kind);
	sqlite3_bind_int64(q, 3, at);
	return sq_done(st, q, "record deadline");
}

int store_deadline_each(struct store *st, int64_t request_id, store_deadline_cb cb,
			void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(st, "SELECT request_id, kind, at FROM deadline "
					   "WHERE request_id = ? ORDER BY at, id");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, request_id);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if ((ret = cb(ctx, sqlite3_column_int64(q, 0), sq_col_text(q, 1),
			      sqlite3_column_int64(q, 2))) != 0)
			break;
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "read deadlines");
	sq_walk_end(st, q);
	return ret;
}

int store_deadline_delete(struct store *st, int64_t request_id, const char *kind, int64_t at)
{
	sqlite3_stmt *q = sq_prep(st, "DELETE FROM deadline WHERE request_id = ? AND "
				      "kind = ? AND at = ?");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, request_id);
	sq_bind_text(q, 2, kind);
	sqlite3_bind_int64(q, 3, at);
	return sq_done(st, q, "remove deadline");
}

/* The deadlines a prepared walk over deadline d JOIN request r selects
 * (id, request_id, kind, at, near_at, missed_at, state, received_at, done). */
static int deadline_walk(struct store *st, sqlite3_stmt *q, store_deadline_row_cb cb,
			 void *ctx, const char *what)
{
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct deadline_row d = {
			.id = sqlite3_column_int64(q, 0),
			.request_id = sqlite3_column_int64(q, 1),
			.kind = sq_col_text(q, 2),
			.at = sqlite3_column_int64(q, 3),
			.near_at = sqlite3_column_int64(q, 4),
			.missed_at = sqlite3_column_int64(q, 5),
			.state = sq_col_text(q, 6),
			.received_at = sqlite3_column_int64(q, 7),
			.done = sqlite3_column_int(q, 8),
		};
		if ((ret = cb(ctx, &d)) != 0)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, what);
	sq_walk_end(st, q);
	return ret;
}

#define DEADLINE_COLUMNS                                                                 \
	"SELECT d.id, d.request_id, d.kind, d.at, d.near_at, d.missed_at, r.state, "     \
	"r.received_at, d.done FROM deadline d JOIN request r ON r.id = d.request_id "

int store_deadline_each_unreminded(struct store *st, int64_t horizon,
				   store_deadline_row_cb cb, void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(
		st, DEADLINE_COLUMNS "WHERE d.done = 0 AND d.missed_at = 0 AND d.at <= ? AND "
				     "r.voided_at IS NULL ORDER BY d.at, d.id");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, horizon);
	return deadline_walk(st, q, cb, ctx, "read deadlines to remind");
}

int store_deadline_each_row(struct store *st, int64_t request_id, store_deadline_row_cb cb,
			    void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(
		st, DEADLINE_COLUMNS "WHERE d.request_id = ? ORDER BY d.at, d.id");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, request_id);
	return deadline_walk(st, q, cb, ctx, "read deadlines");
}

int store_deadline_mark(struct store *st, int64_t id, int64_t near_at, int64_t missed_at,
			int done)
{
	sqlite3_stmt *q = sq_prep(st, "UPDATE deadline SET near_at = ?, missed_at = ?, "
				      "done = ? WHERE id = ?");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, near_at);
	sqlite3_bind_int64(q, 2, missed_at);
	sqlite3_bind_int(q, 3, done);
	sqlite3_bind_int64(q, 4, id);
	return sq_done(st, q, "record a reminder");
}
