/*
 * sqlite_vault.c - the customer data vault and disclosure records (store.h,
 * and the private store/vault_content.h).
 *
 * This is the only file with SQL that touches vault_item, and
 * store_vault_read() is the only function that selects its data column
 * (I1; tests/unit/core/disclose/test_disclose.c checks both).
 */
#include <stdint.h>
#include <stdlib.h>

#include "base/err.h"
#include "base/util.h"
#include "store/sqlite/sqlite_int.h"
#include "store/vault_content.h"

int store_vault_put(struct store *st, const struct vault_record *v, int64_t *id)
{
	if (v->len > (size_t)INT32_MAX)
		return err_set(E_INVALID, "vault item of %zu bytes is too large", v->len);
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO vault_item(account_id, category, kind, "
				      "created_at, location, sealed, size, data, enc) "
				      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, v->account_id);
	sq_bind_text(q, 2, category_str(v->category));
	sq_bind_text(q, 3, v->kind);
	sqlite3_bind_int64(q, 4, v->created_at);
	sq_bind_text(q, 5, v->location);
	sqlite3_bind_int(q, 6, v->sealed ? 1 : 0);
	sqlite3_bind_int64(q, 7, (int64_t)(v->enc ? v->size : v->len));
	if (v->len)
		sqlite3_bind_blob(q, 8, v->data, (int)v->len, SQLITE_STATIC);
	else
		sqlite3_bind_zeroblob(q, 8, 0);   /* a NULL blob would be NULL */
	sqlite3_bind_int(q, 9, v->enc);
	int rc = sq_done(st, q, "store vault item");
	if (rc == 0 && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

int store_vault_count(struct store *st, int64_t *items, int64_t *bytes)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT count(*), coalesce(sum(size), 0) "
				      "FROM vault_item");
	if (!q)
		return -E_STORAGE;
	if (sqlite3_step(q) != SQLITE_ROW)
		return sq_err(st, "count vault items");
	*items = sqlite3_column_int64(q, 0);
	if (bytes)
		*bytes = sqlite3_column_int64(q, 1);
	sqlite3_reset(q);
	return 0;
}

int store_vault_count_encrypted(struct store *st, int64_t *items)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT count(*) FROM vault_item WHERE enc != 0");
	if (!q)
		return -E_STORAGE;
	if (sqlite3_step(q) != SQLITE_ROW)
		return sq_err(st, "count encrypted vault items");
	*items = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return 0;
}

int store_vault_import_find(struct store *st, const char *file_sha256, int64_t *at)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT at FROM vault_import WHERE file_sha256 = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, file_sha256);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*at = sqlite3_column_int64(q, 0);
		sqlite3_reset(q);
		return 0;
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? -E_NOTFOUND : sq_err(st, "look up vault import");
}

int store_vault_import_add(struct store *st, const char *file_sha256, int64_t items,
			   int64_t at, uint64_t log_index)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO vault_import(file_sha256, items, at, "
				      "log_index) VALUES (?, ?, ?, ?)");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, file_sha256);
	sqlite3_bind_int64(q, 2, items);
	sqlite3_bind_int64(q, 3, at);
	sqlite3_bind_int64(q, 4, (int64_t)log_index);
	return sq_done(st, q, "record vault import");
}

/* --- the one read of content (vault_content.h) -------------------------- */

static int read_slice(struct store *st, int64_t account, enum category cat,
		      const struct vault_scope *scope, store_vault_row_cb cb, void *ctx)
{
	/* an uncached statement: the callback appends log entries meanwhile */
	sqlite3_stmt *q = sq_prep_walk(
		st, "SELECT v.id, v.kind, v.created_at, v.location, v.sealed, v.data, "
		    "a.type, a.value, v.enc FROM vault_item v JOIN account a ON a.id = v.account_id "
		    "WHERE v.account_id = ? AND v.category = ? AND v.created_at >= ? "
		    "AND v.created_at < ? ORDER BY v.created_at, v.id");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, account);
	sq_bind_text(q, 2, category_str(cat));
	sqlite3_bind_int64(q, 3, scope->from);
	sqlite3_bind_int64(q, 4, scope->to);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct vault_row row = {
			.id = sqlite3_column_int64(q, 0),
			.account_id = account,
			.category = cat,
			.kind = sq_col_text(q, 1),
			.created_at = sqlite3_column_int64(q, 2),
			.location = sq_col_text(q, 3),
			.sealed = sqlite3_column_int(q, 4),
			.data = sqlite3_column_blob(q, 5),
			.len = (size_t)sqlite3_column_bytes(q, 5),
			.account_type = sq_col_text(q, 6),
			.account_value = sq_col_text(q, 7),
			.enc = sqlite3_column_int(q, 8),
		};
		if ((ret = cb(ctx, &row)) != 0)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "read vault items");
	sq_walk_end(st, q);
	return ret;
}

int store_vault_read(struct store *st, const struct vault_scope *scope,
		     store_vault_row_cb cb, void *ctx)
{
	if (!scope)
		return err_set(E_INTERNAL, "vault read without a scope");
	for (size_t i = 0; i < scope->n_accounts; i++) {
		if (i && scope->accounts[i] <= scope->accounts[i - 1])
			return err_set(E_INTERNAL, "vault scope accounts not ascending");
		for (int c = 0; c < category__COUNT; c++) {
			if (!(scope->categories & CAT_BIT(c)))
				continue;
			int rc = read_slice(st, scope->accounts[i], (enum category)c, scope, cb,
					    ctx);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* --- disclosures --------------------------------------------------------- */

int store_disclosure_add(struct store *st, const struct disclosure_record *d)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO disclosure(request_id, file_name, size, "
				      "sha256, items, created_at, log_index, package_index, "
				      "manifest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, d->request_id);
	sq_bind_text(q, 2, d->file_name);
	sqlite3_bind_int64(q, 3, (int64_t)d->size);
	sq_bind_text(q, 4, d->sha256);
	sqlite3_bind_int64(q, 5, d->items);
	sqlite3_bind_int64(q, 6, d->created_at);
	sqlite3_bind_int64(q, 7, (int64_t)d->log_index);
	sqlite3_bind_int64(q, 8, (int64_t)d->package_index);
	sq_bind_text(q, 9, d->manifest);
	return sq_done(st, q, "record disclosure");
}

int store_disclosure_each(struct store *st, int64_t request_id, store_disclosure_cb cb,
			  void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(
		st, "SELECT request_id, file_name, size, sha256, items, created_at, "
		    "log_index, coalesce(package_index, 0), manifest FROM disclosure "
		    "WHERE ?1 = 0 OR request_id = ?1 ORDER BY id");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, request_id);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct disclosure_record d = {
			.request_id = sqlite3_column_int64(q, 0),
			.file_name = sq_col_text(q, 1),
			.size = (uint64_t)sqlite3_column_int64(q, 2),
			.sha256 = sq_col_text(q, 3),
			.items = sqlite3_column_int64(q, 4),
			.created_at = sqlite3_column_int64(q, 5),
			.log_index = (uint64_t)sqlite3_column_int64(q, 6),
			.package_index = (uint64_t)sqlite3_column_int64(q, 7),
			.manifest = (const char *)sqlite3_column_text(q, 8),
		};
		if ((ret = cb(ctx, &d)) != 0)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "list disclosures");
	sq_walk_end(st, q);
	return ret;
}
