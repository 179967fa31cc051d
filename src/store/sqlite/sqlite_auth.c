/*
 * sqlite_auth.c - sign-in records for `docket serve`: password hashes,
 * TOTP secrets and steps, API token hashes, sessions (store.h).
 */
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "store/sqlite/sqlite_int.h"

int store_auth_get(struct store *st, const char *user, struct staff_auth *out)
{
	memset(out, 0, sizeof(*out));
	out->totp_last = -1;
	sqlite3_stmt *q = sq_prep(st, "SELECT password, totp_secret, totp_last FROM staff_auth "
				      "WHERE name = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, user);
	int rc = sq_row(st, q, "read sign-in record");
	if (rc <= 0)
		return rc;
	out->password = sq_col_dup(q, 0);
	int n = sqlite3_column_bytes(q, 1);
	if (n > 0 && (size_t)n <= sizeof(out->totp_secret)) {
		memcpy(out->totp_secret, sqlite3_column_blob(q, 1), (size_t)n);
		out->totp_len = (size_t)n;
	}
	out->totp_last = sqlite3_column_int64(q, 2);
	sqlite3_reset(q);
	return 0;
}

int store_auth_set_password(struct store *st, const char *user, const char *hash,
			    int64_t at)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO staff_auth(name, password, password_at) "
				      "VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
				      "password = excluded.password, "
				      "password_at = excluded.password_at");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, user);
	sq_bind_text(q, 2, hash);
	sqlite3_bind_int64(q, 3, at);
	return sq_done(st, q, "set password");
}

int store_auth_set_totp(struct store *st, const char *user, const uint8_t *secret,
			size_t len)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO staff_auth(name, totp_secret, totp_last) "
				      "VALUES (?, ?, -1) ON CONFLICT(name) DO UPDATE SET "
				      "totp_secret = excluded.totp_secret, totp_last = -1");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, user);
	sqlite3_bind_blob(q, 2, secret, (int)len, SQLITE_TRANSIENT);
	return sq_done(st, q, "set totp secret");
}

int store_auth_reseal_totp(struct store *st, const char *user, const uint8_t *stored,
			   size_t len)
{
	sqlite3_stmt *q = sq_prep(st, "UPDATE staff_auth SET totp_secret = ? WHERE name = ?");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_blob(q, 1, stored, (int)len, SQLITE_TRANSIENT);
	sq_bind_text(q, 2, user);
	int rc = sq_done(st, q, "reseal totp secret");
	if (rc == 0 && sqlite3_changes(st->db) != 1)
		rc = err_set(E_NOTFOUND, "user '%s' has no totp secret", user);
	return rc;
}

int store_auth_each_totp(struct store *st, store_totp_cb cb, void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(st, "SELECT name, totp_secret FROM staff_auth "
					   "WHERE totp_secret IS NOT NULL ORDER BY name");
	if (!q)
		return -E_STORAGE;
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int n = sqlite3_column_bytes(q, 1);
		if (n <= 0)
			continue;
		if ((ret = cb(ctx, sq_col_text(q, 0), sqlite3_column_blob(q, 1), (size_t)n)) != 0)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "list totp secrets");
	sq_walk_end(st, q);
	return ret;
}

int store_auth_totp_step(struct store *st, const char *user, int64_t step, int *accepted)
{
	sqlite3_stmt *q = sq_prep(st, "UPDATE staff_auth SET totp_last = ? "
				      "WHERE name = ? AND totp_last < ?");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, step);
	sq_bind_text(q, 2, user);
	sqlite3_bind_int64(q, 3, step);
	int rc = sq_done(st, q, "record totp step");
	*accepted = rc == 0 && sqlite3_changes(st->db) == 1;
	return rc;
}

int store_token_add(struct store *st, const char *hash, const struct token_record *t,
		    int64_t *id)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO api_token(hash, \"user\", roles, created_at, "
				      "expires_at) VALUES (?, ?, ?, ?, ?)");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, hash);
	sq_bind_text(q, 2, t->user);
	sqlite3_bind_int64(q, 3, t->roles);
	sqlite3_bind_int64(q, 4, t->created_at);
	if (t->expires_at)
		sqlite3_bind_int64(q, 5, t->expires_at);
	else
		sqlite3_bind_null(q, 5);
	int rc = sq_done(st, q, "add token");
	if (rc == 0 && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

static void token_row(sqlite3_stmt *q, struct token_record *t)
{
	t->id = sqlite3_column_int64(q, 0);
	t->user = sq_col_text(q, 1);
	t->roles = (unsigned)sqlite3_column_int64(q, 2);
	t->created_at = sqlite3_column_int64(q, 3);
	t->expires_at = sqlite3_column_int64(q, 4);
	t->revoked_at = sqlite3_column_int64(q, 5);
}

int store_token_find(struct store *st, const char *hash, struct token_record *out,
		     char **user)
{
	*user = NULL;
	sqlite3_stmt *q = sq_prep(st, "SELECT id, \"user\", roles, created_at, expires_at, "
				      "revoked_at FROM api_token WHERE hash = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, hash);
	int rc = sq_row(st, q, "find token");
	if (rc <= 0)
		return rc < 0 ? rc : err_set(E_NOTFOUND, "no such token");
	token_row(q, out);
	*user = xstrdup(out->user);
	out->user = *user;
	sqlite3_reset(q);
	return 0;
}

int store_token_each(struct store *st, store_token_cb cb, void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(st, "SELECT id, \"user\", roles, created_at, expires_at, "
					   "revoked_at FROM api_token ORDER BY id");
	if (!q)
		return -E_STORAGE;
	int rc, ret = 0;
	struct token_record t;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		token_row(q, &t);
		if ((ret = cb(ctx, &t)) != 0)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "list tokens");
	sq_walk_end(st, q);
	return ret;
}

int store_token_revoke(struct store *st, int64_t id, int64_t at, char **user)
{
	*user = NULL;
	sqlite3_stmt *q = sq_prep(st, "SELECT \"user\" FROM api_token WHERE id = ? AND "
				      "revoked_at IS NULL");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, id);
	int rc = sq_row(st, q, "find token");
	if (rc <= 0)
		return rc < 0 ? rc : err_set(E_NOTFOUND, "no token %lld in force", (long long)id);
	*user = sq_col_dup(q, 0);
	sqlite3_reset(q);
	q = sq_prep(st, "UPDATE api_token SET revoked_at = ? WHERE id = ?");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, at);
	sqlite3_bind_int64(q, 2, id);
	return sq_done(st, q, "revoke token");
}

int store_session_add(struct store *st, const char *hash, const char *user, int64_t at,
		      int64_t *id)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO session(hash, \"user\", created_at, seen_at) "
				      "VALUES (?, ?, ?, ?)");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, hash);
	sq_bind_text(q, 2, user);
	sqlite3_bind_int64(q, 3, at);
	sqlite3_bind_int64(q, 4, at);
	int rc = sq_done(st, q, "add session");
	if (rc == 0 && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

int store_session_find(struct store *st, const char *hash, struct session_record *out)
{
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *q = sq_prep(st, "SELECT id, \"user\", created_at, seen_at, revoked_at "
				      "FROM session WHERE hash = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, hash);
	int rc = sq_row(st, q, "find session");
	if (rc <= 0)
		return rc < 0 ? rc : err_set(E_NOTFOUND, "no such session");
	out->id = sqlite3_column_int64(q, 0);
	out->user = sq_col_dup(q, 1);
	out->created_at = sqlite3_column_int64(q, 2);
	out->seen_at = sqlite3_column_int64(q, 3);
	out->revoked_at = sqlite3_column_int64(q, 4);
	sqlite3_reset(q);
	return 0;
}

int store_session_touch(struct store *st, int64_t id, int64_t at)
{
	sqlite3_stmt *q = sq_prep(st, "UPDATE session SET seen_at = ? WHERE id = ?");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, at);
	sqlite3_bind_int64(q, 2, id);
	return sq_done(st, q, "touch session");
}

int store_session_revoke(struct store *st, int64_t id, int64_t at)
{
	sqlite3_stmt *q = sq_prep(st, "UPDATE session SET revoked_at = ? WHERE id = ? AND "
				      "revoked_at IS NULL");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, at);
	sqlite3_bind_int64(q, 2, id);
	return sq_done(st, q, "revoke session");
}

int store_session_revoke_user(struct store *st, const char *user, int64_t at)
{
	sqlite3_stmt *q = sq_prep(st, "UPDATE session SET revoked_at = ? WHERE \"user\" = ? AND "
				      "revoked_at IS NULL");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, at);
	sq_bind_text(q, 2, user);
	return sq_done(st, q, "revoke sessions");
}

/* --- failed sign-ins (migrations/0044_signin_failure.sql) ----------------------- */

int store_signin_get(struct store *st, const char *key, int *failures, int64_t *since)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT failures, since FROM signin_failure WHERE key = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, key);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*failures = sqlite3_column_int(q, 0);
		*since = sqlite3_column_int64(q, 1);
	}
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return sq_err(st, "read failed sign-ins");
	return -E_NOTFOUND;
}

int store_signin_fail(struct store *st, const char *key, int64_t now, int64_t window)
{
	sqlite3_stmt *q = sq_prep(
	    st, "INSERT INTO signin_failure (key, failures, since) VALUES (?1, 1, ?2) "
		"ON CONFLICT (key) DO UPDATE SET "
		"failures = CASE WHEN ?2 - signin_failure.since >= ?3 THEN 1 "
		"ELSE signin_failure.failures + 1 END, "
		"since = CASE WHEN ?2 - signin_failure.since >= ?3 THEN ?2 "
		"ELSE signin_failure.since END");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, key);
	sqlite3_bind_int64(q, 2, now);
	sqlite3_bind_int64(q, 3, window);
	int rc = sq_done(st, q, "count a failed sign-in");
	if (rc < 0)
		return rc;
	if (!(q = sq_prep(st, "DELETE FROM signin_failure WHERE since <= ? - ?")))
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, now);
	sqlite3_bind_int64(q, 2, window);
	return sq_done(st, q, "forget old failed sign-ins");
}

int store_signin_clear(struct store *st, const char *key)
{
	sqlite3_stmt *q = sq_prep(st, "DELETE FROM signin_failure WHERE key = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, key);
	return sq_done(st, q, "forget failed sign-ins");
}
