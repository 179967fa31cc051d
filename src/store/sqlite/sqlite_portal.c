/*
 * sqlite_portal.c - the portals' records (store.h, "the portals";
 * migrations/0050_portal.sql): officers' and customers' accounts, agency
 * suspensions, one-time links, registration attempts, the officer of a
 * portal request, verification failures.
 */
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "store/sqlite/sqlite_int.h"

static void col_copy(sq_stmt *q, int i, char *out, size_t outsz)
{
	str_copy(out, outsz, sq_col_text(q, i));
}

int store_portal_account_add(struct store *st, const struct portal_account *a)
{
	sqlite3_stmt *q =
	    sq_prep(st, "INSERT INTO portal_account (name, kind, agency_id, "
			"display_name, created_at) VALUES (?, ?, ?, ?, ?)");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, a->name);
	sq_bind_text(q, 2, a->kind);
	sq_bind_text(q, 3, a->agency_id[0] ? a->agency_id : NULL);
	sq_bind_text(q, 4, a->display_name[0] ? a->display_name : NULL);
	sqlite3_bind_int64(q, 5, a->created_at);
	return sq_done(st, q, "add portal account");
}

#define ACCOUNT_COLS                                                                     \
	"name, kind, coalesce(agency_id, ''), coalesce(display_name, ''), created_at, "  \
	"coalesce(suspended_at, 0), coalesce(suspended_by, ''), "                        \
	"coalesce(suspend_reason, '')"

static void account_row(sq_stmt *q, struct portal_account *a)
{
	memset(a, 0, sizeof(*a));
	col_copy(q, 0, a->name, sizeof(a->name));
	col_copy(q, 1, a->kind, sizeof(a->kind));
	col_copy(q, 2, a->agency_id, sizeof(a->agency_id));
	col_copy(q, 3, a->display_name, sizeof(a->display_name));
	a->created_at = sqlite3_column_int64(q, 4);
	a->suspended_at = sqlite3_column_int64(q, 5);
	col_copy(q, 6, a->suspended_by, sizeof(a->suspended_by));
	col_copy(q, 7, a->suspend_reason, sizeof(a->suspend_reason));
}

int store_portal_account_get(struct store *st, const char *name,
			     struct portal_account *out)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT " ACCOUNT_COLS " FROM portal_account WHERE "
				      "name = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, name);
	int rc = db_step(q);
	if (rc == SQLITE_ROW) {
		account_row(q, out);
		sqlite3_reset(q);
		return 0;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return sq_err(st, "read portal account");
	return -E_NOTFOUND;
}

int store_portal_account_suspend(struct store *st, const char *name, int64_t at,
				 const char *by, const char *reason)
{
	sqlite3_stmt *q =
	    sq_prep(st, "UPDATE portal_account SET suspended_at = ?, "
			"suspended_by = ?, suspend_reason = ? WHERE name = ?");
	if (!q)
		return -E_STORAGE;
	if (at)
		sqlite3_bind_int64(q, 1, at);
	else
		sqlite3_bind_null(q, 1);
	sq_bind_text(q, 2, at ? by : NULL);
	sq_bind_text(q, 3, at ? reason : NULL);
	sq_bind_text(q, 4, name);
	int rc = sq_done(st, q, "suspend portal account");
	if (rc == 0 && sqlite3_changes(st->db) != 1)
		return err_set(E_NOTFOUND, "no officer '%s'", name);
	return rc;
}

int store_portal_account_each(struct store *st, const char *agency_id,
			      store_portal_account_cb cb, void *ctx)
{
	sqlite3_stmt *q =
	    sq_prep_walk(st, "SELECT " ACCOUNT_COLS " FROM portal_account "
			     "WHERE kind = 'officer' AND (CAST(?1 AS TEXT) IS "
			     "NULL OR agency_id = ?1) ORDER BY name");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, agency_id);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct portal_account a;
		account_row(q, &a);
		if ((ret = cb(ctx, &a)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = sq_err(st, "read officers");
	sq_walk_end(st, q);
	return ret;
}

int store_agency_suspend(struct store *st, const char *agency_id, int64_t at,
			 const char *by, const char *reason)
{
	sqlite3_stmt *q;
	if (at) {
		q = sq_prep(st, "INSERT INTO agency_suspension (agency_id, suspended_at, "
				"suspended_by, reason) VALUES (?, ?, ?, ?)");
		if (!q)
			return -E_STORAGE;
		sq_bind_text(q, 1, agency_id);
		sqlite3_bind_int64(q, 2, at);
		sq_bind_text(q, 3, by);
		sq_bind_text(q, 4, reason);
		int rc = sq_done(st, q, "suspend agency");
		if (rc == -E_INVALID)
			return err_set(E_INVALID, "agency '%s' is suspended already",
				       agency_id);
		return rc;
	}
	q = sq_prep(st, "DELETE FROM agency_suspension WHERE agency_id = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, agency_id);
	int rc = sq_done(st, q, "reinstate agency");
	if (rc == 0 && sqlite3_changes(st->db) != 1)
		return err_set(E_NOTFOUND, "agency '%s' is not suspended", agency_id);
	return rc;
}

int store_agency_suspended(struct store *st, const char *agency_id, int64_t *at)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT suspended_at FROM agency_suspension WHERE "
				      "agency_id = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, agency_id);
	*at = 0;
	int rc = db_step(q);
	if (rc == SQLITE_ROW)
		*at = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_err(st, "read agency suspension");
	return 0;
}

/* --- one-time links ------------------------------------------------------ */

int store_portal_link_add(struct store *st, const char *hash, const struct portal_link *l,
			  int64_t *id)
{
	sqlite3_stmt *q =
	    sq_prep(st, "INSERT INTO portal_link (hash, purpose, email, "
			"agency_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, hash);
	sq_bind_text(q, 2, l->purpose);
	sq_bind_text(q, 3, l->email);
	sq_bind_text(q, 4, l->agency_id[0] ? l->agency_id : NULL);
	sqlite3_bind_int64(q, 5, l->created_at);
	sqlite3_bind_int64(q, 6, l->expires_at);
	int rc = sq_done(st, q, "add link");
	if (rc == 0 && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

int store_portal_link_find(struct store *st, const char *hash, struct portal_link *out)
{
	sqlite3_stmt *q =
	    sq_prep(st, "SELECT id, purpose, email, coalesce(agency_id, ''), "
			"created_at, expires_at, coalesce(used_at, 0) FROM "
			"portal_link WHERE hash = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, hash);
	memset(out, 0, sizeof(*out));
	int rc = db_step(q);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(q, 0);
		col_copy(q, 1, out->purpose, sizeof(out->purpose));
		col_copy(q, 2, out->email, sizeof(out->email));
		col_copy(q, 3, out->agency_id, sizeof(out->agency_id));
		out->created_at = sqlite3_column_int64(q, 4);
		out->expires_at = sqlite3_column_int64(q, 5);
		out->used_at = sqlite3_column_int64(q, 6);
	}
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return sq_err(st, "read link");
	return -E_NOTFOUND;
}

int store_portal_link_use(struct store *st, int64_t id, int64_t at, int *used)
{
	sqlite3_stmt *q =
	    sq_prep(st, "UPDATE portal_link SET used_at = ? WHERE id = ? AND "
			"used_at IS NULL");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, at);
	sqlite3_bind_int64(q, 2, id);
	int rc = sq_done(st, q, "use link");
	*used = rc == 0 && sqlite3_changes(st->db) == 1;
	return rc;
}

/* --- registration attempts ------------------------------------------------ */

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

int store_portal_registration_add(struct store *st, const struct portal_registration *r,
				  int64_t *id)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO portal_registration (email, domain, "
				      "verdict, agency_id, imitates, remote, at) VALUES "
				      "(?, ?, ?, ?, ?, ?, ?)");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, r->email);
	sq_bind_text(q, 2, r->domain);
	sq_bind_text(q, 3, r->verdict);
	sq_bind_text(q, 4, or_null(r->agency_id));
	sq_bind_text(q, 5, or_null(r->imitates));
	sq_bind_text(q, 6, r->remote ? r->remote : "-");
	sqlite3_bind_int64(q, 7, r->at);
	int rc = sq_done(st, q, "record registration");
	if (rc == 0 && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

int store_portal_registration_each(struct store *st, size_t limit,
				   store_portal_registration_cb cb, void *ctx)
{
	sqlite3_stmt *q =
	    sq_prep_walk(st, "SELECT id, email, domain, verdict, "
			     "coalesce(agency_id, ''), coalesce(imitates, ''), "
			     "remote, at FROM portal_registration ORDER BY id DESC "
			     "LIMIT ?");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, limit ? (int64_t)limit : INT64_MAX);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct portal_registration r = {
		    .id = sqlite3_column_int64(q, 0),
		    .email = sq_col_text(q, 1),
		    .domain = sq_col_text(q, 2),
		    .verdict = sq_col_text(q, 3),
		    .agency_id = sq_col_text(q, 4),
		    .imitates = sq_col_text(q, 5),
		    .remote = sq_col_text(q, 6),
		    .at = sqlite3_column_int64(q, 7),
		};
		if ((ret = cb(ctx, &r)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = sq_err(st, "read registrations");
	sq_walk_end(st, q);
	return ret;
}

/* --- portal requests and verification failures ----------------------------- */

int store_portal_request_add(struct store *st, int64_t request_id, const char *officer,
			     const char *agency_id, int64_t at)
{
	sqlite3_stmt *q =
	    sq_prep(st, "INSERT INTO portal_request (request_id, officer, "
			"agency_id, at, mailed_state) SELECT ?, ?, ?, ?, state FROM "
			"request WHERE id = ?1");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, request_id);
	sq_bind_text(q, 2, officer);
	sq_bind_text(q, 3, agency_id);
	sqlite3_bind_int64(q, 4, at);
	return sq_done(st, q, "record portal request");
}

int store_portal_request_get(struct store *st, int64_t request_id,
			     char officer[PORTAL_EMAIL_MAX + 1])
{
	sqlite3_stmt *q =
	    sq_prep(st, "SELECT officer FROM portal_request WHERE request_id = ?");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, request_id);
	int rc = db_step(q);
	if (rc == SQLITE_ROW)
		col_copy(q, 0, officer, PORTAL_EMAIL_MAX + 1);
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return sq_err(st, "read portal request");
	return -E_NOTFOUND;
}

int store_portal_request_changed(struct store *st, size_t limit,
				 store_portal_change_cb cb, void *ctx)
{
	sqlite3_stmt *q =
	    sq_prep_walk(st, "SELECT p.request_id, p.officer, r.ref, r.state FROM "
			     "portal_request p JOIN request r ON r.id = "
			     "p.request_id WHERE p.mailed_state IS NULL OR "
			     "p.mailed_state <> r.state ORDER BY p.request_id LIMIT ?");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, limit ? (int64_t)limit : INT64_MAX);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if ((ret = cb(ctx, sqlite3_column_int64(q, 0), sq_col_text(q, 1),
			      sq_col_text(q, 2), sq_col_text(q, 3))) != 0)
			break;
	if (ret == 0 && rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = sq_err(st, "read changed portal requests");
	sq_walk_end(st, q);
	return ret;
}

int store_portal_request_mailed(struct store *st, int64_t request_id, const char *state)
{
	sqlite3_stmt *q = sq_prep(st, "UPDATE portal_request SET mailed_state = ? WHERE "
				      "request_id = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, state);
	sqlite3_bind_int64(q, 2, request_id);
	return sq_done(st, q, "record the mailed state");
}

int store_verification_failure_add(struct store *st, int64_t request_id,
				   const char *officer, const char *agency_id,
				   const char *reason, int64_t at, const char *actor,
				   uint64_t log_index)
{
	sqlite3_stmt *q =
	    sq_prep(st, "INSERT INTO verification_failure (request_id, officer, "
			"agency_id, reason, at, actor, log_index) VALUES "
			"(?, ?, ?, ?, ?, ?, ?)");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, request_id);
	sq_bind_text(q, 2, officer);
	sq_bind_text(q, 3, agency_id);
	sq_bind_text(q, 4, reason);
	sqlite3_bind_int64(q, 5, at);
	sq_bind_text(q, 6, actor);
	sqlite3_bind_int64(q, 7, (int64_t)log_index);
	return sq_done(st, q, "record verification failure");
}

int store_verification_failure_count(struct store *st, const char *officer,
				     const char *agency_id, int64_t *by_officer,
				     int64_t *by_agency)
{
	sqlite3_stmt *q =
	    sq_prep(st, "SELECT count(*), coalesce(sum(CASE WHEN officer = ?1 "
			"THEN 1 ELSE 0 END), 0) FROM verification_failure WHERE "
			"agency_id = ?2");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, officer);
	sq_bind_text(q, 2, agency_id);
	*by_officer = *by_agency = 0;
	int rc = db_step(q);
	if (rc == SQLITE_ROW) {
		*by_agency = sqlite3_column_int64(q, 0);
		*by_officer = sqlite3_column_int64(q, 1);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_ROW)
		return sq_err(st, "count verification failures");
	return 0;
}

int store_customer_request_each(struct store *st, const char *customer_id,
				int (*cb)(void *ctx, int64_t request_id), void *ctx)
{
	sqlite3_stmt *q =
	    sq_prep_walk(st, "SELECT DISTINCT t.request_id FROM request_target t "
			     "JOIN account a ON a.id = t.account_id WHERE "
			     "a.customer_id = ? ORDER BY t.request_id");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, customer_id);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if ((ret = cb(ctx, sqlite3_column_int64(q, 0))) != 0)
			break;
	if (ret == 0 && rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = sq_err(st, "read a customer's requests");
	sq_walk_end(st, q);
	return ret;
}
