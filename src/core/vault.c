/*
 * vault.c - the customer data vault (vault.h): the import line parser, the
 * importer that resolves accounts and seals items of customers who hold
 * their keys, and the vault's data source.
 *
 * The data source's read callback is the only code that calls
 * store_vault_read() (store/vault_content.h), and it does so only with the
 * scope of a grant that core/disclose.c made (I1, docs/disclosure.md).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/err.h"
#include "base/util.h"
#include "core/jsonv.h"
#include "core/vault.h"
#include "log/note.h"
#include "store/vault_content.h"

#define REQ JSONV_REQUIRED
#define ALL JSONV_ALL_MODES
#define PUBLIC_KEY_BYTES crypto_box_PUBLICKEYBYTES

static const struct jsonv_key item_keys[] = {
	{"account", ALL}, {"category", ALL}, {"kind", ALL},	  {"created_at", ALL},
	{"location", ALL}, {"data", ALL},     {"data_base64", ALL}, {NULL, 0},
};
static const struct jsonv_key account_keys[] = {{"type", ALL}, {"value", ALL}, {NULL, 0}};

/* ===================================================================
 * Parsing one import line
 * =================================================================== */

static int kind_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > VAULT_MAX_KIND || s[0] < 'a' || s[0] > 'z')
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '_'))
			return -1;
	return 0;
}

static int parse_account(const json_t *d, struct vault_item *it)
{
	json_t *a;
	int v, rc;
	if ((rc = jsonv_object(d, "", "account", REQ, account_keys, ALL, &a)) < 0 ||
	    (rc = jsonv_enum(a, "account", "type", REQ, target_type_parse, "account type",
			     &v)) < 0)
		return rc;
	it->account.type = (enum target_type)v;
	rc = jsonv_str(a, "account", "value", REQ, MODEL_MAX_SHORT, &it->account.value);
	return rc < 0 ? rc : 0;
}

static int parse_meta(const json_t *d, struct vault_item *it)
{
	int v, rc;
	if ((rc = jsonv_enum(d, "", "category", REQ, category_parse, "category", &v)) < 0)
		return rc;
	it->category = (enum category)v;
	if ((rc = jsonv_str_syntax(d, "", "kind", REQ, VAULT_MAX_KIND, kind_ok,
				   "item kind (lower-case letters, digits and '_')",
				   &it->kind)) < 0 ||
	    (rc = jsonv_ts(d, "", "created_at", REQ, &it->created_at)) < 0 ||
	    (rc = jsonv_country(d, "", "location", REQ, it->location)) < 0)
		return rc;
	return 0;
}

static int decode_base64(const char *s, struct vault_item *it)
{
	size_t n = strlen(s), got = 0;
	it->data = xmalloc(n / 4 * 3 + 1);
	if (n && note_unbase64(s, n, it->data, n / 4 * 3, &got) < 0)
		return jsonv_err("", "data_base64", "not valid base64 (RFC 4648, padded)");
	if (got > VAULT_MAX_ITEM)
		return jsonv_err("", "data_base64", "more than %zu bytes", VAULT_MAX_ITEM);
	it->len = got;
	return 0;
}

/* Exactly one of "data" (text) and "data_base64" (any bytes). */
static int parse_data(const json_t *d, struct vault_item *it)
{
	char *text = NULL, *b64 = NULL;
	int rc, has_text, has_b64;
	if ((has_text = jsonv_str(d, "", "data", JSONV_TEXT | JSONV_EMPTY_OK, VAULT_MAX_ITEM,
				  &text)) < 0)
		return has_text;
	if ((has_b64 = jsonv_str(d, "", "data_base64", JSONV_EMPTY_OK,
				 (VAULT_MAX_ITEM + 2) / 3 * 4, &b64)) < 0) {
		free(text);
		return has_b64;
	}
	if (has_text && has_b64)
		rc = jsonv_err("", "data_base64", "give either 'data' or 'data_base64', not both");
	else if (!has_text && !has_b64)
		rc = jsonv_err("", "data", "required (or 'data_base64')");
	else if (has_b64)
		rc = decode_base64(b64, it);
	else {
		it->len = strlen(text);
		it->data = (unsigned char *)text;
		text = NULL;   /* transferred */
		rc = 0;
	}
	free(text);
	free(b64);
	return rc;
}

int vault_item_parse(const char *text, size_t len, struct vault_item *out)
{
	json_t *d;
	int rc;
	memset(out, 0, sizeof(*out));
	if ((rc = jsonv_decode(text, len, VAULT_MAX_LINE, &d)) < 0)
		return rc;
	if ((rc = jsonv_check_keys(d, "", item_keys, ALL)) < 0 ||
	    (rc = parse_account(d, out)) < 0 || (rc = parse_meta(d, out)) < 0 ||
	    (rc = parse_data(d, out)) < 0)
		vault_item_release(out);
	json_decref(d);
	return rc < 0 ? rc : 0;
}

void vault_item_release(struct vault_item *it)
{
	free(it->account.value);
	free(it->kind);
	free(it->data);
	memset(it, 0, sizeof(*it));
}

/* ===================================================================
 * Importing
 * =================================================================== */

struct vault_import {
	struct store *st;
	/* the last account resolved, and its customer's key */
	enum target_type type;
	char *value;
	int64_t account_id;
	int sealed;
	unsigned char pk[PUBLIC_KEY_BYTES];
	struct vault_import_stats stats;
};

struct vault_import *vault_import_new(struct store *st)
{
	struct vault_import *vi = xcalloc(1, sizeof(*vi));
	vi->st = st;
	return vi;
}

void vault_import_free(struct vault_import *vi)
{
	if (!vi)
		return;
	free(vi->value);
	free(vi);
}

const struct vault_import_stats *vault_import_stats(const struct vault_import *vi)
{
	return &vi->stats;
}

/* The customer's sealing key, when it holds its keys. */
static int customer_key(struct vault_import *vi, const char *customer_id)
{
	struct customer c = {0};
	size_t n = 0;
	int rc = store_customer_get(vi->st, customer_id, &c);
	if (rc < 0)
		return rc;
	vi->sealed = c.key_custody == CUSTODY_CUSTOMER;
	if (vi->sealed &&
	    (!c.public_key ||
	     note_unbase64(c.public_key, strlen(c.public_key), vi->pk, sizeof(vi->pk), &n) < 0 ||
	     n != sizeof(vi->pk)))
		rc = err_set(E_INVALID, "customer '%s' holds its keys but has no valid "
					"public_key",
			     customer_id);
	customer_release(&c);
	return rc;
}

static int resolve(struct vault_import *vi, const struct account *a)
{
	char *customer_id = NULL;
	int64_t id = 0;
	if (vi->value && vi->type == a->type && strcmp(vi->value, a->value) == 0)
		return 0;
	free(vi->value);
	vi->value = NULL;
	int rc = store_account_resolve(vi->st, a->type, a->value, &id, &customer_id);
	if (rc == -E_NOTFOUND)
		return jsonv_err("", "account", "no customer has the account %s '%s' (import "
						"the customer first)",
				 target_type_str(a->type), a->value);
	if (rc == 0)
		rc = customer_key(vi, customer_id);
	free(customer_id);
	if (rc < 0)
		return rc;
	vi->type = a->type;
	vi->value = xstrdup(a->value);
	vi->account_id = id;
	return 0;
}

int vault_import_check(struct vault_import *vi, const struct vault_item *it)
{
	return resolve(vi, &it->account);
}

int vault_import_put(struct vault_import *vi, const struct vault_item *it)
{
	int rc = resolve(vi, &it->account);
	if (rc < 0)
		return rc;
	struct vault_record v = {
		.account_id = vi->account_id,
		.category = it->category,
		.kind = it->kind,
		.created_at = it->created_at.t,
		.location = it->location,
		.sealed = vi->sealed,
		.data = it->data,
		.len = it->len,
	};
	unsigned char *box = NULL;
	if (vi->sealed) {
		/* the provider keeps only what the customer's secret key opens */
		v.len = it->len + crypto_box_SEALBYTES;
		box = xmalloc(v.len);
		if (crypto_box_seal(box, it->data, it->len, vi->pk) != 0) {
			free(box);
			return err_set(E_INTERNAL, "cannot seal an item to the customer's key");
		}
		v.data = box;
	}
	rc = store_vault_put(vi->st, &v, NULL);
	free(box);
	if (rc < 0)
		return rc;
	vi->stats.items++;
	vi->stats.sealed += vi->sealed ? 1 : 0;
	vi->stats.bytes += v.len;
	vi->stats.per_category[it->category]++;
	return 0;
}

/* ===================================================================
 * The data source
 * =================================================================== */

struct forward {
	source_item_cb cb;
	void *ctx;
};

static int forward_row(void *ctx, const struct vault_row *row)
{
	struct forward *f = ctx;
	int type = target_type_parse(row->account_type);
	if (type < 0)
		return err_set(E_STORAGE, "vault item %lld: account of unknown type '%s'",
			       (long long)row->id, row->account_type);
	struct source_item it = {
		.id = row->id,
		.account_id = row->account_id,
		.account_type = (enum target_type)type,
		.account_value = row->account_value,
		.category = row->category,
		.kind = row->kind,
		.created_at = row->created_at,
		.location = row->location,
		.sealed = row->sealed,
		.data = row->data,
		.len = row->len,
	};
	return f->cb(f->ctx, &it);
}

static int vault_read(void *self, const struct grant *g, source_item_cb cb, void *ctx)
{
	const struct source_scope *s = grant_scope(g);
	if (!s)
		return err_set(E_INTERNAL, "the vault is read only for a disclosure");
	struct vault_scope vs = {s->accounts, s->n_accounts, s->categories, s->from, s->to};
	struct forward f = {cb, ctx};
	return store_vault_read(self, &vs, forward_row, &f);
}

void vault_source(struct store *st, struct source *out)
{
	*out = (struct source){.name = "vault", .self = st, .read = vault_read,
			       .release = NULL};
}
