/*
 * vault.c - the customer data vault (vault.h): the import line parser, the
 * importer that resolves accounts, seals items of customers who hold their
 * keys and encrypts the others under the vault data key, the vault data key
 * file, and the vault's data source.
 *
 * The data source's read callback is the only code that calls
 * store_vault_read() (store/vault_content.h), and it does so only with the
 * scope of a grant that core/disclose/disclose.c made (I1, docs/disclosure.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "base/clock.h"
#include "base/digest.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/keys.h"
#include "base/util.h"
#include "core/ledger/event.h"
#include "model/jsonv.h"
#include "model/normalize.h"
#include "core/disclose/vault.h"
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
 * The vault data key and its file
 * =================================================================== */

#define VKEY_PREFIX "docket-vault-key/1 "
#define VKEY_FILE_MAX 256
#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
#define ENC_FORMAT 1   /* vault_item.enc: nonce || ciphertext || tag */

struct vault_key {
	int loaded;
	unsigned char k[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
};

static void key_wipe(struct vault_key *key)
{
	sodium_memzero(key, sizeof(*key));
}

char *vault_key_path(struct store *st)
{
	char *path = NULL;
	if (keys_path(store_path(st), VAULT_KEY_SUFFIX, &path) < 0)
		return NULL;
	return path;
}

/* "docket-vault-key/1 <base64 key>\n" into a new secret file at path. */
static int key_save(const char *path, const struct vault_key *key)
{
	char *b64 = note_base64(key->k, sizeof(key->k));
	char *text = xasprintf(VKEY_PREFIX "%s\n", b64);
	freezero(b64, strlen(b64));
	int rc = file_create_secret(path, text, "vault key file");
	freezero(text, strlen(text));
	return rc;
}

int vault_key_generate(const char *path)
{
	struct vault_key key = {0};
	if (sodium_init() < 0)
		return err_set(E_INTERNAL, "libsodium failed to start");
	crypto_aead_xchacha20poly1305_ietf_keygen(key.k);
	int rc = key_save(path, &key);
	key_wipe(&key);
	return rc;
}

static int key_parse(const char *path, char *text, size_t len, struct vault_key *key)
{
	size_t n = 0, plen = strlen(VKEY_PREFIX);
	unsigned char raw[sizeof(key->k) + 3];
	if (len > 0 && text[len - 1] == '\n')
		len--;
	int ok = len > plen && memcmp(text, VKEY_PREFIX, plen) == 0 &&
		 !memchr(text, '\n', len) &&
		 note_unbase64(text + plen, len - plen, raw, sizeof(raw), &n) == 0 &&
		 n == sizeof(key->k);
	if (ok) {
		memcpy(key->k, raw, sizeof(key->k));
		key->loaded = 1;
	}
	sodium_memzero(raw, sizeof(raw));
	return ok ? 0 : err_set(E_INVALID, "vault key file '%s' is damaged: expected one "
					   "line '" VKEY_PREFIX "<base64 of 32 bytes>'",
				path);
}

/* Load the key file at path: E_NOTFOUND when missing, E_REFUSED when it is
 * not a regular file or group or others may access it, E_INVALID when
 * damaged. */
static int key_load(const char *path, struct vault_key *key)
{
	char text[VKEY_FILE_MAX];
	struct stat sb;
	size_t len = 0;
	int rc = 0;
	key_wipe(key);
	if (sodium_init() < 0)
		return err_set(E_INTERNAL, "libsodium failed to start");
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT
			       ? err_set(E_NOTFOUND, "no vault key file '%s'", path)
			       : err_set(E_IO, "cannot open vault key file '%s': %s", path,
					 strerror(errno));
	if (fstat(fd, &sb) != 0)
		rc = err_set(E_IO, "cannot stat vault key file '%s': %s", path,
			     strerror(errno));
	else if (!S_ISREG(sb.st_mode))
		rc = err_set(E_REFUSED, "vault key file '%s' is not a regular file", path);
	else if (sb.st_mode & (S_IRWXG | S_IRWXO))
		rc = err_set(E_REFUSED,
			     "vault key file '%s' may be read or changed by group or others "
			     "(mode %04o): run 'chmod 600 %s'",
			     path, (unsigned)(sb.st_mode & 07777), path);
	while (rc == 0) {
		ssize_t r = read(fd, text + len, sizeof(text) - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			rc = err_set(E_IO, "cannot read vault key file '%s': %s", path,
				     strerror(errno));
		else if (r == 0)
			break;
		else if ((len += (size_t)r) == sizeof(text))
			rc = err_set(E_INVALID, "vault key file '%s' is too large", path);
	}
	close(fd);
	if (rc == 0)
		rc = key_parse(path, text, len, key);
	sodium_memzero(text, sizeof(text));
	return rc;
}

/* The key for reading: a missing file is an error that says what is lost. */
static int key_for_read(struct store *st, struct vault_key *key)
{
	char *path = vault_key_path(st);
	if (!path)
		return -E_USAGE;
	int rc = key_load(path, key);
	if (rc == -E_NOTFOUND)
		rc = err_set(E_NOTFOUND, "no vault key file '%s': the vault's encrypted "
					 "items cannot be read without it (restore it from "
					 "the backup of this database)",
			     path);
	free(path);
	return rc;
}

/* The key for storing: made on first use for a database created before the
 * vault was encrypted - but never while items encrypted under a lost key
 * are stored. */
static int key_for_write(struct store *st, struct vault_key *key)
{
	char *path = vault_key_path(st);
	if (!path)
		return -E_USAGE;
	int64_t n = 0;
	int rc = key_load(path, key);
	if (rc == -E_NOTFOUND && (rc = store_vault_count_encrypted(st, &n)) == 0) {
		if (n > 0)
			rc = err_set(E_NOTFOUND,
				     "no vault key file '%s', but %lld vault items are "
				     "encrypted under it: restore it from the backup of this "
				     "database",
				     path, (long long)n);
		else if ((rc = vault_key_generate(path)) == 0)
			rc = key_load(path, key);
	}
	free(path);
	return rc;
}

/* What binds an item's ciphertext to its row. */
static size_t item_ad(char *buf, size_t max, int64_t account_id, enum category cat,
		      const char *kind, int64_t created_at, const char *location)
{
	int n = snprintf(buf, max, "docket-vault-item/1\n%lld\n%s\n%s\n%lld\n%s",
			 (long long)account_id, category_str(cat), kind,
			 (long long)created_at, location);
	return n < 0 || (size_t)n >= max ? 0 : (size_t)n;
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
	struct vault_key key;     /* loaded for the first provider-custody item */
	struct vault_import_stats stats;
	const struct actor *who;  /* logs each item's metadata and hash */
	json_t *unlogged;         /* items stored but not logged yet */
};

void vault_import_log_to(struct vault_import *vi, const struct actor *who)
{
	vi->who = who;
}

int vault_import_flush(struct vault_import *vi)
{
	if (!vi->who || !json_array_size(vi->unlogged))
		return 0;
	json_t *items = vi->unlogged;
	vi->unlogged = NULL;
	/* split into entries within the entry bound (SPEC §6) */
	return event_log_list(vi->st, vi->who, "vault.items",
			      json_pack("{s:[s, s, s, s, s, s, s, s, s, s]}", "fields", "id",
					"account", "category", "kind", "created_at",
					"location", "sealed", "enc", "size", "stored"),
			      "items", items, NULL, NULL);
}

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
	json_decref(vi->unlogged);
	free(vi->value);
	freezero(vi, sizeof(*vi));
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
	char norm[NORMALIZE_MAX];
	if (normalize_target(a->type, a->value, norm, sizeof(norm)) < 0)
		str_copy(norm, sizeof(norm), a->value);
	int rc = store_account_resolve(vi->st, a->type, norm, &id, &customer_id);
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
	if (!vi->sealed) {
		/* the provider's custody: encrypted at rest under the vault key */
		char ad[VAULT_MAX_KIND + 128];
		size_t adlen = item_ad(ad, sizeof(ad), vi->account_id, it->category,
				       it->kind, it->created_at.t, it->location);
		if (!adlen)
			return err_set(E_INTERNAL, "vault item metadata too long");
		if (!vi->key.loaded && (rc = key_for_write(vi->st, &vi->key)) < 0)
			return rc;
		v.enc = ENC_FORMAT;
		v.size = it->len;
		v.len = NONCE_BYTES + it->len + TAG_BYTES;
		box = xmalloc(v.len);
		randombytes_buf(box, NONCE_BYTES);
		unsigned long long clen = 0;
		crypto_aead_xchacha20poly1305_ietf_encrypt(
		    box + NONCE_BYTES, &clen, it->data, it->len, (unsigned char *)ad, adlen,
		    NULL, box, vi->key.k);
		v.data = box;
	} else {
		/* the provider keeps only what the customer's secret key opens */
		v.len = it->len + crypto_box_SEALBYTES;
		box = xmalloc(v.len);
		if (crypto_box_seal(box, it->data, it->len, vi->pk) != 0) {
			free(box);
			return err_set(E_INTERNAL, "cannot seal an item to the customer's key");
		}
		v.data = box;
	}
	int64_t id = 0;
	char stored[DIGEST_TAG_LEN], at[TS_BUFSZ];
	digest_tag(v.data, v.len, stored);
	rc = store_vault_put(vi->st, &v, &id);
	free(box);
	if (rc < 0)
		return rc;
	if (vi->who) {
		/* the replay of the log checks every row of vault_item against these */
		time_format(it->created_at.t, at);
		if (!vi->unlogged)
			vi->unlogged = json_array();
		json_array_append_new(
		    vi->unlogged,
		    json_pack("[I, I, s, s, s, s, i, i, I, s]", (json_int_t)id,
			      (json_int_t)vi->account_id, category_str(it->category), it->kind,
			      at, it->location, vi->sealed, v.enc,
			      (json_int_t)(v.enc ? v.size : v.len), stored));
		if (json_array_size(vi->unlogged) >= VAULT_LOG_CHUNK &&
		    (rc = vault_import_flush(vi)) < 0)
			return rc;
	}
	vi->stats.items++;
	vi->stats.sealed += vi->sealed ? 1 : 0;
	vi->stats.bytes += v.enc ? v.size : v.len;
	vi->stats.per_category[it->category]++;
	return 0;
}

/* ===================================================================
 * The data source
 * =================================================================== */

struct forward {
	struct store *st;
	struct vault_key key;     /* loaded for the first encrypted item */
	source_item_cb cb;
	void *ctx;
};

/* The plaintext of an encrypted row into *out (caller wipes and frees), or
 * an error naming the item when it does not authenticate. */
static int open_row(struct forward *f, const struct vault_row *row, unsigned char **out,
		    size_t *len)
{
	char ad[VAULT_MAX_KIND + 128];
	unsigned long long n = 0;
	int rc;
	*out = NULL;
	if (row->enc != ENC_FORMAT)
		return err_set(E_STORAGE, "vault item %lld: unknown storage format %d",
			       (long long)row->id, row->enc);
	if (!f->key.loaded && (rc = key_for_read(f->st, &f->key)) < 0)
		return rc;
	size_t adlen = item_ad(ad, sizeof(ad), row->account_id, row->category, row->kind,
			       row->created_at, row->location);
	if (row->len < NONCE_BYTES + TAG_BYTES || !adlen)
		goto bad;
	*out = xmalloc(row->len - NONCE_BYTES - TAG_BYTES + 1);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(
		*out, &n, NULL, (const unsigned char *)row->data + NONCE_BYTES,
		row->len - NONCE_BYTES, (unsigned char *)ad, adlen,
		(const unsigned char *)row->data, f->key.k) != 0) {
		free(*out);
		*out = NULL;
		goto bad;
	}
	*len = (size_t)n;
	return 0;
bad:
	return err_set(E_STORAGE, "vault item %lld does not authenticate: its stored "
				  "bytes, account, category, kind, date or location were "
				  "changed, or the vault key file is not the one it was "
				  "stored with; nothing was disclosed",
		       (long long)row->id);
}

static int forward_row(void *ctx, const struct vault_row *row)
{
	struct forward *f = ctx;
	unsigned char *plain = NULL;
	size_t plain_len = 0;
	int rc, type = target_type_parse(row->account_type);
	if (type < 0)
		return err_set(E_STORAGE, "vault item %lld: account of unknown type '%s'",
			       (long long)row->id, row->account_type);
	if (row->enc && (rc = open_row(f, row, &plain, &plain_len)) < 0)
		return rc;
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
		.data = plain ? plain : row->data,
		.len = plain ? plain_len : row->len,
	};
	rc = f->cb(f->ctx, &it);
	if (plain) {
		sodium_memzero(plain, plain_len);
		free(plain);
	}
	return rc;
}

static int vault_read(void *self, const struct grant *g, source_item_cb cb, void *ctx)
{
	const struct source_scope *s = grant_scope(g);
	if (!s)
		return err_set(E_INTERNAL, "the vault is read only for a disclosure");
	struct vault_scope vs = {s->accounts, s->n_accounts, s->categories,
				 s->from,     s->to,	     s->dated};
	struct forward f = {.st = self, .cb = cb, .ctx = ctx};
	int rc = store_vault_read(self, &vs, forward_row, &f);
	key_wipe(&f.key);
	return rc;
}

void vault_source(struct store *st, struct source *out)
{
	*out = (struct source){.name = "vault", .self = st, .read = vault_read,
			       .release = NULL};
}
