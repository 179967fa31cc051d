/*
 * sqlite_entity.c - customers, their accounts, and agencies.
 *
 * Each is kept as its canonical JSON document plus the columns queries
 * filter on.  Accounts are never deleted: requests, holds and vault items
 * refer to them, so re-importing a customer adds accounts but keeps old ones.
 */
#include <stdlib.h>

#include <jansson.h>

#include "base/err.h"
#include "base/util.h"
#include "store/sqlite/sqlite_int.h"

static int put_doc(struct store *st, sqlite3_stmt *q, int col, json_t *doc)
{
	char *text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(doc);
	if (!text)
		return err_set(E_INTERNAL, "cannot serialise document");
	sqlite3_bind_text(q, col, text, -1, free);
	(void)st;
	return 0;
}

static int account_add(struct store *st, const char *customer_id,
		       const struct account *a)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT customer_id FROM account "
				      "WHERE type = ? AND value = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, target_type_str(a->type));
	sq_bind_text(q, 2, a->value);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		int same = str_eq(sq_col_text(q, 0), customer_id);
		char *owner = sq_col_dup(q, 0);
		sqlite3_reset(q);
		if (same) {
			free(owner);
			return 0;
		}
		rc = err_set(E_INVALID, "account %s '%s' already belongs to customer '%s'",
			     target_type_str(a->type), a->value, owner);
		free(owner);
		return rc;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return sq_err(st, "look up account");
	q = sq_prep(st, "INSERT INTO account(customer_id, type, value) VALUES (?, ?, ?)");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, customer_id);
	sq_bind_text(q, 2, target_type_str(a->type));
	sq_bind_text(q, 3, a->value);
	return sq_done(st, q, "insert account");
}

int store_customer_put(struct store *st, const struct customer *c)
{
	sqlite3_stmt *q = sq_prep(
		st, "INSERT INTO customer(id, doc, type, country, data_location, "
		    "us_person, key_custody) VALUES (?, ?, ?, ?, ?, ?, ?) "
		    "ON CONFLICT(id) DO UPDATE SET doc = excluded.doc, type = excluded.type, "
		    "country = excluded.country, data_location = excluded.data_location, "
		    "us_person = excluded.us_person, key_custody = excluded.key_custody");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, c->id);
	int rc = put_doc(st, q, 2, customer_to_json(c));
	if (rc < 0)
		return rc;
	sq_bind_text(q, 3, customer_type_str(c->type));
	sq_bind_text(q, 4, c->country);
	sq_bind_text(q, 5, c->data_location);
	sqlite3_bind_int(q, 6, c->us_person);
	sq_bind_text(q, 7, key_custody_str(c->key_custody));
	if ((rc = sq_done(st, q, "write customer")) < 0)
		return rc;
	for (size_t i = 0; i < c->n_accounts; i++)
		if ((rc = account_add(st, c->id, &c->accounts[i])) < 0)
			return rc;
	return 0;
}

static int get_doc(struct store *st, const char *sql, const char *id,
		   const char *what, char **doc)
{
	sqlite3_stmt *q = sq_prep(st, sql);
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, id);
	int rc = sq_row(st, q, what);
	if (rc <= 0)
		return rc < 0 ? rc : err_set(E_NOTFOUND, "no %s '%s'", what, id);
	*doc = sq_col_dup(q, 0);
	sqlite3_reset(q);
	return 0;
}

int store_customer_get(struct store *st, const char *id, struct customer *out)
{
	char *doc = NULL;
	int rc = get_doc(st, "SELECT doc FROM customer WHERE id = ?", id, "customer", &doc);
	if (rc < 0)
		return rc;
	rc = customer_parse(doc, strlen(doc), out);
	free(doc);
	return rc;
}

static int count(struct store *st, const char *sql, int64_t *n)
{
	sqlite3_stmt *q = sq_prep(st, sql);
	if (!q)
		return -E_STORAGE;
	if (sqlite3_step(q) != SQLITE_ROW)
		return sq_err(st, "count");
	*n = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return 0;
}

int store_customer_count(struct store *st, int64_t *n)
{
	return count(st, "SELECT count(*) FROM customer", n);
}

int store_account_count(struct store *st, int64_t *n)
{
	return count(st, "SELECT count(*) FROM account", n);
}

int store_account_resolve(struct store *st, enum target_type type, const char *value,
			  int64_t *account_id, char **customer_id)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT id, customer_id FROM account "
				      "WHERE type = ? AND value = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, target_type_str(type));
	sq_bind_text(q, 2, value);
	int rc = sq_row(st, q, "resolve account");
	if (rc <= 0)
		return rc < 0 ? rc : -E_NOTFOUND;
	*account_id = sqlite3_column_int64(q, 0);
	*customer_id = sq_col_dup(q, 1);
	sqlite3_reset(q);
	return 0;
}

int store_account_resolve_many(struct store *st, size_t n, const enum target_type *types,
			       const char *const *values,
			       int (*cb)(void *ctx, enum target_type type, const char *value,
					 int64_t account_id, const char *customer_id),
			       void *ctx)
{
	static const char *const lite =
	    "SELECT a.type, a.value, a.id, a.customer_id FROM account a JOIN "
	    "(SELECT json_extract(j.value, '$[0]') AS t, json_extract(j.value, '$[1]') AS v "
	    "FROM json_each(?1) j) k ON a.type = k.t AND a.value = k.v";
	static const char *const pg =
	    "SELECT a.type, a.value, a.id, a.customer_id FROM account a JOIN "
	    "(SELECT j->>0 AS t, j->>1 AS v FROM jsonb_array_elements(CAST(?1 AS jsonb)) j) k "
	    "ON a.type = k.t AND a.value = k.v";
	if (!n)
		return 0;
	json_t *keys = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(keys, json_pack("[ss]", target_type_str(types[i]),
						      values[i]));
	char *text = json_dumps(keys, JSON_COMPACT);
	json_decref(keys);
	if (!text)
		return err_set(E_INTERNAL, "cannot serialise identifiers");
	sqlite3_stmt *q = sq_prep(st, SQL_BY_ENGINE(st, lite, pg));
	if (!q) {
		free(text);
		return -E_STORAGE;
	}
	sqlite3_bind_text(q, 1, text, -1, free);
	int rc, stop = 0;
	while (!stop && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		int type = target_type_parse(sq_col_text(q, 0));
		if (type < 0)
			continue;
		stop = cb(ctx, (enum target_type)type, sq_col_text(q, 1), sqlite3_column_int64(q, 2),
			  sq_col_text(q, 3));
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (stop)
		return stop;
	return rc == SQLITE_DONE ? 0 : sq_err(st, "resolve accounts");
}

int store_agency_put(struct store *st, const struct agency *a)
{
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO agency(id, doc, country, type) "
				      "VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
				      "doc = excluded.doc, country = excluded.country, "
				      "type = excluded.type");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, a->id);
	int rc = put_doc(st, q, 2, agency_to_json(a));
	if (rc < 0)
		return rc;
	sq_bind_text(q, 3, a->country);
	sq_bind_text(q, 4, agency_type_str(a->type));
	return sq_done(st, q, "write agency");
}

int store_agency_get(struct store *st, const char *id, struct agency *out)
{
	char *doc = NULL;
	int rc = get_doc(st, "SELECT doc FROM agency WHERE id = ?", id, "agency", &doc);
	if (rc < 0)
		return rc;
	rc = agency_parse(doc, strlen(doc), out);
	free(doc);
	return rc;
}

int store_agency_domains(struct store *st, char ***out, size_t *n)
{
	sqlite3_stmt *q = sq_prep(st, SQL_BY_ENGINE(st,
		"SELECT DISTINCT d.value FROM agency, "
		"json_each(agency.doc, '$.domains') AS d ORDER BY 1",
		"SELECT DISTINCT d.value FROM agency, "
		"jsonb_array_elements_text(agency.doc::jsonb -> 'domains') AS d(value) "
		"ORDER BY 1"));
	char **arr = NULL;
	size_t len = 0, cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if (!q)
		return -E_STORAGE;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		arr = xgrow(arr, &cap, len + 1, sizeof(*arr));
		arr[len++] = xstrdup(sq_col_text(q, 0));
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE) {
		for (size_t i = 0; i < len; i++)
			free(arr[i]);
		free(arr);
		return sq_err(st, "list agency domains");
	}
	*out = arr;
	*n = len;
	return 0;
}

/* Each stored document of a table, parsed, in id order; q (may be NULL)
 * keeps those whose id, name or account values contain it. */
static int each_doc(struct store *st, const char *sql, const char *q_text,
		    int (*row)(void *ctx, const char *doc), void *ctx, const char *what)
{
	sqlite3_stmt *q = sq_prep_walk(st, sql);
	if (!q)
		return -E_STORAGE;
	char *like = q_text ? xasprintf("%%%s%%", q_text) : NULL;
	if (like)
		sqlite3_bind_text(q, 1, like, -1, free);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if ((ret = row(ctx, sq_col_text(q, 0))) != 0)
			break;
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, what);
	sq_walk_end(st, q);
	return ret;
}

struct entity_walk {
	store_customer_cb ccb;
	store_agency_cb acb;
	void *ctx;
};

static int customer_row(void *ctx, const char *doc)
{
	struct entity_walk *w = ctx;
	struct customer c = {0};
	int rc = customer_parse(doc, strlen(doc), &c);
	if (rc == 0)
		rc = w->ccb(w->ctx, &c);
	customer_release(&c);
	return rc;
}

static int agency_row(void *ctx, const char *doc)
{
	struct entity_walk *w = ctx;
	struct agency a = {0};
	int rc = agency_parse(doc, strlen(doc), &a);
	if (rc == 0)
		rc = w->acb(w->ctx, &a);
	agency_release(&a);
	return rc;
}

int store_customer_each(struct store *st, const char *q, store_customer_cb cb, void *ctx)
{
	struct entity_walk w = {cb, NULL, ctx};
	return each_doc(st,
			"SELECT c.doc FROM customer c WHERE CAST(?1 AS TEXT) IS NULL OR "
			"lower(c.id) LIKE lower(?1) OR lower(c.doc) LIKE lower(?1) ORDER BY c.id",
			q, customer_row, &w, "list customers");
}

int store_agency_each(struct store *st, const char *q, store_agency_cb cb, void *ctx)
{
	struct entity_walk w = {NULL, cb, ctx};
	return each_doc(st,
			"SELECT a.doc FROM agency a WHERE CAST(?1 AS TEXT) IS NULL OR "
			"lower(a.id) LIKE lower(?1) OR lower(a.doc) LIKE lower(?1) ORDER BY a.id",
			q, agency_row, &w, "list agencies");
}
