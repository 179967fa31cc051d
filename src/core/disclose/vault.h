/*
 * vault.h - the customer data vault: docket's built-in data source.
 *
 * Items come in through `docket vault import FILE.jsonl`, one per line
 * (SPEC §8):
 *
 *	{"account": {"type": "email", "value": "alice@example.net"},
 *	 "category": "content", "kind": "email_message",
 *	 "created_at": "2026-01-05T10:00:00Z", "location": "IE",
 *	 "data": "From: ...\n\n..."}
 *
 * with the bytes either as text in "data" (UTF-8; tab, CR and LF allowed)
 * or as "data_base64" (any bytes) - exactly one of the two.  Parsing is
 * strict (model/jsonv.h): unknown fields, wrong types, bad dates, unknown
 * categories and countries, and items over VAULT_MAX_ITEM bytes are
 * E_INVALID naming the field.
 *
 * Importing resolves the account to a known customer account (else
 * E_INVALID naming field 'account') and, when that customer holds its keys
 * (key_custody "customer"), seals the bytes to the customer's X25519 public
 * key with libsodium's crypto_box_seal before they are stored: from then on
 * the provider holds only ciphertext it cannot open.  Every other item (the
 * provider's custody) is encrypted at rest with XChaCha20-Poly1305 under the
 * vault data key - 32 random bytes in the file DB.vault-key beside the
 * database, mode 0600, read only by this code - with associated data that
 * binds it to its account, category, kind, created_at and location.
 *
 * Content leaves the vault only through its data source (vault_source()),
 * whose read callback needs a grant from the disclosure step (core/disclose/source.h,
 * docs/disclosure.md).  Nothing here returns content.
 */
#ifndef DOCKET_VAULT_H
#define DOCKET_VAULT_H

#include <stddef.h>
#include <stdint.h>

#include "core/ledger/event.h"
#include "model/model.h"
#include "core/disclose/source.h"
#include "store/store.h"

#define VAULT_MAX_LINE ((size_t)1 << 20) /* bytes of one import line */
#define VAULT_MAX_ITEM ((size_t)1 << 20) /* bytes of one item's data */
#define VAULT_MAX_KIND 64

/* One import line.  Owned by the struct; vault_item_release() frees it and
 * leaves it zeroed. */
struct vault_item {
	struct account account;
	enum category category;
	char *kind;               /* [a-z][a-z0-9_]*, at most VAULT_MAX_KIND */
	struct ts created_at;
	char location[3];
	unsigned char *data;      /* never NULL after a successful parse */
	size_t len;
};

/* Parse one line; a failed parse leaves *out released. */
int vault_item_parse(const char *text, size_t len, struct vault_item *out);
void vault_item_release(struct vault_item *it);

/* An import in progress: resolves accounts (remembering the last customer
 * and its key) and stores items.  vault_import_check() only reads, so a
 * whole file can be checked before anything is stored; vault_import_put()
 * runs inside the caller's unit of work. */
struct vault_import;
struct vault_import_stats {
	uint64_t items;
	uint64_t sealed;          /* items sealed to a customer's key */
	uint64_t bytes;           /* bytes stored (ciphertext for sealed items) */
	uint64_t per_category[category__COUNT];
};

struct vault_import *vault_import_new(struct store *st);
void vault_import_free(struct vault_import *vi);
/* Check the item's account is known: E_INVALID naming field 'account'. */
int vault_import_check(struct vault_import *vi, const struct vault_item *it);
/* Store the item (sealed when its customer holds the keys). */
int vault_import_put(struct vault_import *vi, const struct vault_item *it);
const struct vault_import_stats *vault_import_stats(const struct vault_import *vi);
/* Log every stored item's metadata and the SHA-256 of its stored bytes as
 * "vault.items" entries of at most VAULT_LOG_CHUNK items (SPEC §6: vault
 * item metadata and hashes are in the log); vault_import_flush() logs the
 * rest and is called before the import's own entry. */
#define VAULT_LOG_CHUNK 200
void vault_import_log_to(struct vault_import *vi, const struct actor *who);
int vault_import_flush(struct vault_import *vi);

/* The vault data key file: "<database path>.vault-key".  `docket init`
 * makes it; for a database created before the vault was encrypted the first
 * import that stores a provider-custody item makes it. */
#define VAULT_KEY_SUFFIX ".vault-key"
/* Caller frees. */
char *vault_key_path(struct store *st);   /* NULL with an error: no key directory */
/* A new random key in a new file at path (mode 0600, written atomically;
 * E_REFUSED when path exists). */
int vault_key_generate(const char *path);

/* The vault as a data source over st, which must outlive it.  Its read
 * decrypts provider-custody items, and fails (nothing handed over for the
 * item) when one does not authenticate or the key file is missing or open
 * to group or others. */
void vault_source(struct store *st, struct source *out);

#endif
