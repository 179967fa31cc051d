/*
 * sqlite_staff.c - staff users, their operating-system logins, and the
 * proposals of user administration that wait for a second admin
 * (migration 0020; core/access/staff.h decides what they mean).
 */
#include <stdlib.h>

#include "base/err.h"
#include "base/util.h"
#include "store/sqlite/sqlite_int.h"

int store_user_get(struct store *st, const char *name, unsigned *roles,
		   char **unix_login)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT roles, unix_login FROM staff WHERE name = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, name);
	int rc = sq_row(st, q, "read user");
	if (rc <= 0)
		return rc < 0 ? rc : err_set(E_NOTFOUND, "no user '%s'", name);
	if (roles)
		*roles = (unsigned)sqlite3_column_int64(q, 0);
	if (unix_login)
		*unix_login = sq_col_dup(q, 1);
	sqlite3_reset(q);
	return 0;
}

int store_user_put(struct store *st, const char *name, unsigned roles,
		   const char *unix_login)
{
	sqlite3_stmt *q = sq_prep(
		st, "INSERT INTO staff(name, roles, unix_login) VALUES (?, ?, ?) "
		    "ON CONFLICT(name) DO UPDATE SET roles = excluded.roles, "
		    "unix_login = excluded.unix_login");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, name);
	sqlite3_bind_int64(q, 2, roles);
	sq_bind_text(q, 3, unix_login);
	return sq_done(st, q, "write user");
}

int store_user_remove(struct store *st, const char *name)
{
	/* the user's sign-in records go with it: nothing may sign in as a
	 * removed user (the log keeps their history) */
	static const char *const sql[] = {
		"DELETE FROM session WHERE user = ?",
		"DELETE FROM api_token WHERE user = ?",
		"DELETE FROM staff_auth WHERE name = ?",
		"DELETE FROM staff WHERE name = ?",
	};
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < sizeof(sql) / sizeof(sql[0]); i++) {
		sqlite3_stmt *q = sq_prep(st, sql[i]);
		if (!q)
			return -E_STORAGE;
		sq_bind_text(q, 1, name);
		rc = sq_done(st, q, "remove user");
	}
	return rc;
}

int store_user_by_unix(struct store *st, const char *login, char **name)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT name FROM staff WHERE unix_login = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, login);
	int rc = sq_row(st, q, "find user by login");
	if (rc <= 0)
		return rc < 0 ? rc : err_set(E_NOTFOUND, "no user is bound to login '%s'", login);
	*name = sq_col_dup(q, 0);
	sqlite3_reset(q);
	return 0;
}

int store_user_count_with(struct store *st, unsigned roles, int64_t *n)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT count(*) FROM staff WHERE (roles & ?) != 0");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, roles);
	int rc = sq_row(st, q, "count users");
	if (rc <= 0)
		return rc < 0 ? rc : err_set(E_STORAGE, "count users: no row");
	*n = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return 0;
}

int store_staff_each(struct store *st, store_staff_cb cb, void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(st, "SELECT name, roles, unix_login FROM staff "
					   "ORDER BY name");
	if (!q)
		return -E_STORAGE;
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *login = (const char *)sqlite3_column_text(q, 2);
		if ((ret = cb(ctx, sq_col_text(q, 0), (unsigned)sqlite3_column_int64(q, 1),
			      login)) != 0)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "list users");
	sq_walk_end(st, q);
	return ret;
}

int store_proposal_add(struct store *st, const struct staff_proposal *p, int64_t *id)
{
	sqlite3_stmt *q = sq_prep(
		st, "INSERT INTO staff_proposal(op, name, roles, unix_login, proposed_by, "
		    "at, log_index, state) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, p->op);
	sq_bind_text(q, 2, p->name);
	sqlite3_bind_int64(q, 3, p->roles);
	sq_bind_text(q, 4, p->unix_login);
	sq_bind_text(q, 5, p->proposed_by);
	sqlite3_bind_int64(q, 6, p->at);
	sqlite3_bind_int64(q, 7, (sqlite3_int64)p->log_index);
	int rc = sq_done(st, q, "add proposal");
	if (rc == 0 && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

int store_proposal_next_id(struct store *st, int64_t *id)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT coalesce(max(id), 0) + 1 FROM staff_proposal");
	if (!q)
		return -E_STORAGE;
	int rc = sq_row(st, q, "next proposal");
	if (rc <= 0)
		return rc < 0 ? rc : err_set(E_STORAGE, "next proposal: no row");
	*id = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return 0;
}

int store_proposal_decide(struct store *st, int64_t id, const char *state,
			  const char *by, int64_t at)
{
	sqlite3_stmt *q = sq_prep(st, "UPDATE staff_proposal SET state = ?, decided_by = ?, "
				      "decided_at = ? WHERE id = ? AND state = 'pending'");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, state);
	sq_bind_text(q, 2, by);
	sqlite3_bind_int64(q, 3, at);
	sqlite3_bind_int64(q, 4, id);
	int rc = sq_done(st, q, "decide proposal");
	if (rc == 0 && sqlite3_changes(st->db) != 1)
		return err_set(E_NOTFOUND, "no pending proposal %lld", (long long)id);
	return rc;
}

int store_proposal_each(struct store *st, int64_t id, store_proposal_cb cb, void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(
		st, "SELECT id, op, name, roles, unix_login, proposed_by, at, log_index, "
		    "state, decided_by, decided_at FROM staff_proposal "
		    "WHERE ?1 = 0 OR id = ?1 ORDER BY id");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, id);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct staff_proposal p = {
			.id = sqlite3_column_int64(q, 0),
			.op = sq_col_text(q, 1),
			.name = sq_col_text(q, 2),
			.roles = (unsigned)sqlite3_column_int64(q, 3),
			.unix_login = (const char *)sqlite3_column_text(q, 4),
			.proposed_by = sq_col_text(q, 5),
			.at = sqlite3_column_int64(q, 6),
			.log_index = (uint64_t)sqlite3_column_int64(q, 7),
			.state = sq_col_text(q, 8),
			.decided_by = (const char *)sqlite3_column_text(q, 9),
			.decided_at = sqlite3_column_int64(q, 10),
		};
		if ((ret = cb(ctx, &p)) != 0)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "list proposals");
	sq_walk_end(st, q);
	return ret;
}
