/*
 * disclose.c - the disclosure step (disclose.h): the one read path to
 * customer data.
 *
 * This file alone defines struct grant, and only disclose_prepare() makes
 * one - for a ready request, from that request's scope.  A data source's
 * read callback needs a grant, so no other code can ask a source for
 * content (I1).  Every item read is checked against the scope (I7) and
 * logged in the same unit of work (I8).  See docs/disclosure.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/digest.h"
#include "base/err.h"
#include "base/util.h"
#include "core/disclose/disclose.h"
#include "core/ledger/basis.h"
#include "core/ledger/journal.h"
#include "model/jsonv.h"
#include "core/disclose/package.h"
#include "log/signer.h"

/* ===================================================================
 * The grant: a ready request's scope, made here and nowhere else
 * =================================================================== */

struct grant {
	struct source_scope scope;
	int64_t *accounts;
};

const struct source_scope *grant_scope(const struct grant *g)
{
	return g ? &g->scope : NULL;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Accounts: the request's resolved targets, ascending and distinct.
 * Categories: those kept at review, else those asked - and never one the
 * legal process does not reach (I3).  Dates: created_at within the date
 * range, the whole of a date-only "to" day included - for content and
 * non-content records only: subscriber records describe the account as it
 * is (or was during the range) and are produced whatever their creation
 * date (SPEC §8). */
static void grant_make(const struct request *r, struct grant *g)
{
	size_t n = 0;
	g->accounts = xcalloc(r->n_targets + 1, sizeof(*g->accounts));
	for (size_t i = 0; i < r->n_targets; i++)
		if (r->targets[i].account_id && r->targets[i].decision == TD_NONE)
			g->accounts[n++] = r->targets[i].account_id;   /* not redirected
									  or refused on its
									  own (SPEC §4) */
	qsort(g->accounts, n, sizeof(*g->accounts), cmp_id);   /* never NULL */
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (k == 0 || g->accounts[k - 1] != g->accounts[i])
			g->accounts[k++] = g->accounts[i];
	g->scope.accounts = g->accounts;
	g->scope.n_accounts = k;
	g->scope.categories = (r->scope ? r->scope : r->categories) & r->supported & CAT_ALL;
	g->scope.from = INT64_MIN;
	g->scope.to = INT64_MAX;
	g->scope.dated = CAT_BIT(CAT_NONCONTENT) | CAT_BIT(CAT_CONTENT);
	if (r->has_date_range) {
		g->scope.from = r->date_from.t;
		g->scope.to = r->date_to.t + (r->date_to.date_only ? DAY_SECONDS : 1);
	}
}

static void grant_release(struct grant *g)
{
	free(g->accounts);
	memset(g, 0, sizeof(*g));
}

static int grant_covers(const struct grant *g, const struct source_item *it)
{
	const struct source_scope *s = &g->scope;
	if ((unsigned)it->category >= category__COUNT || !(s->categories & CAT_BIT(it->category)))
		return 0;
	if ((s->dated & CAT_BIT(it->category)) &&
	    (it->created_at < s->from || it->created_at >= s->to))
		return 0;
	return bsearch(&it->account_id, s->accounts, s->n_accounts, sizeof(*s->accounts),
		       cmp_id) != NULL;
}

/* ===================================================================
 * May this request be disclosed, by this person, to this file?
 * =================================================================== */

struct approvers {
	char *first;
	int distinct;
};

static int count_approver(void *ctx, const char *name, int64_t at)
{
	struct approvers *a = ctx;
	(void)at;
	if (!a->first) {
		a->first = xstrdup(name);
		a->distinct = 1;
	} else if (strcmp(a->first, name) != 0) {
		a->distinct = 2;
	}
	return 0;
}

static int check_may_disclose(struct store *st, const struct staff *by,
			      const struct request *r, const char *out_path)
{
	const struct transition *t = workflow_find(r->state, "disclose");
	struct approvers a = {0};
	struct stat sb;
	int rc;
	if (!t)
		return err_set(E_REFUSED, "request %lld is %s: only a ready request (approved "
					  "by two approvers) can be disclosed",
			       (long long)r->id, state_str(r->state));
	if (!(by->roles & t->roles))
		return err_set(E_FORBIDDEN, "user '%s' may not disclose request %lld: it needs "
					    "the role approver",
			       by->who.name, (long long)r->id);
	rc = store_approval_each(st, r->id, count_approver, &a);
	free(a.first);
	if (rc < 0)
		return rc;
	if (a.distinct < 2)   /* I10, checked again where it matters */
		return err_set(E_REFUSED, "request %lld has not been approved by two "
					  "different approvers (four eyes)",
			       (long long)r->id);
	if (lstat(out_path, &sb) == 0)
		return err_set(E_REFUSED, "'%s' already exists: a disclosure package is never "
					  "overwritten",
			       out_path);
	if (errno != ENOENT)
		return err_set(E_IO, "cannot write '%s': %s", out_path, strerror(errno));
	return 0;
}

#define NAME_KIND_MAX 64   /* bytes of a kind in a member name */

/* ===================================================================
 * Reading: every item is checked, logged and packed
 * =================================================================== */

struct collect {
	struct store *st;
	const struct staff *by;
	const struct source *src;
	const struct grant *g;
	struct package *pkg;
	struct disclosure *d;
	const struct disclose_hooks *hooks;
	json_t *items;            /* the manifest's items */
	json_t *read_ids;         /* ids read and not yet logged */
};

static int log_reads(struct collect *c)
{
	if (json_array_size(c->read_ids) == 0)
		return 0;
	json_t *ids = c->read_ids;
	c->read_ids = json_array();
	return event_log(c->st, &c->by->who, "data.read",
			 json_pack("{s:I, s:s, s:o}", "request", (json_int_t)c->d->request_id,
				   "source", c->src->name, "items", ids),
			 NULL);
}

static json_t *item_json(const struct source_item *it, const char *file, const char *hex)
{
	char at[TS_BUFSZ];
	time_format(it->created_at, at);
	return json_pack("{s:s, s:I, s:{s:s, s:s}, s:s, s:s, s:s, s:s, s:I, s:s, s:b}",
			 "file", file, "source_id", (json_int_t)it->id, "account", "type",
			 target_type_str(it->account_type), "value", it->account_value,
			 "category", category_str(it->category), "kind", it->kind,
			 "created_at", at, "location", it->location, "size",
			 (json_int_t)it->len, "sha256", hex, "sealed", it->sealed ? 1 : 0);
}

/* "items/000001-content-email_message[.sealed]"; a kind from another
 * source is reduced to [a-z0-9_] so every name is a safe member name. */
static char *item_file_name(uint64_t seq, const struct source_item *it)
{
	char kind[NAME_KIND_MAX + 1];
	size_t n = 0;
	for (const char *p = it->kind; *p && n < NAME_KIND_MAX; p++)
		kind[n++] = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ? *p : '_';
	kind[n] = '\0';
	return xasprintf("items/%06llu-%s-%s%s", (unsigned long long)seq,
			 category_str(it->category), n ? kind : "item",
			 it->sealed ? ".sealed" : "");
}

static int on_item(void *ctx, const struct source_item *it)
{
	struct collect *c = ctx;
	struct disclosure *d = c->d;
	char hex[65], *file;
	int rc;
	if (!grant_covers(c->g, it))
		return err_set(E_INTERNAL, "data source '%s' handed over item %lld, which is "
					   "outside the scope of request %lld; nothing was "
					   "disclosed",
			       c->src->name, (long long)it->id, (long long)d->request_id);
	json_array_append_new(c->read_ids, json_integer(it->id));
	if (json_array_size(c->read_ids) >= DISCLOSE_READ_CHUNK && (rc = log_reads(c)) < 0)
		return rc;
	file = item_file_name(d->items + 1, it);
	digest_hex(it->data, it->len, hex);
	rc = package_add(c->pkg, file, it->data, it->len);
	if (rc == 0)
		json_array_append_new(c->items, item_json(it, file, hex));
	free(file);
	if (rc < 0)
		return rc;
	d->items++;
	d->bytes += it->len;
	d->content_items += it->category == CAT_CONTENT;
	d->sealed_items += it->sealed ? 1 : 0;
	if (c->hooks && c->hooks->progress)
		c->hooks->progress(c->hooks->ctx, d->items, d->bytes);
	return 0;
}

/* ===================================================================
 * The manifest
 * =================================================================== */

static json_t *account_json(const struct target *t)
{
	return json_pack("{s:s, s:s}", "type", target_type_str(t->type), "value", t->value);
}

static json_t *scope_json(const struct request *r, const struct grant *g)
{
	json_t *o = json_object(), *resolved = json_array(), *unresolved = json_array();
	json_t *cats = json_array();
	for (size_t i = 0; i < r->n_targets; i++)
		if (r->targets[i].decision == TD_NONE)
			json_array_append_new(r->targets[i].account_id ? resolved : unresolved,
					      account_json(&r->targets[i]));
	for (int c = 0; c < category__COUNT; c++)
		if (g->scope.categories & CAT_BIT(c))
			json_array_append_new(cats, json_string(category_str(c)));
	json_object_set_new(o, "accounts", resolved);
	json_object_set_new(o, "unresolved", unresolved);
	json_object_set_new(o, "categories", cats);
	if (r->has_date_range) {
		json_t *range = json_object();
		jsonv_set_ts(range, "from", r->date_from);
		jsonv_set_ts(range, "to", r->date_to);
		json_object_set_new(o, "date_range", range);
	}
	return o;
}

static json_t *manifest_new(const struct request *r, const struct grant *g,
			    const struct collect *c)
{
	json_t *req = json_object();
	char at[TS_BUFSZ];
	json_object_set_new(req, "id", json_integer(r->id));
	jsonv_set_str(req, "ref", r->ref);
	jsonv_set_str(req, "agency", r->agency);
	jsonv_set_str(req, "country", r->country);
	json_object_set_new(req, "process", json_string(process_str(r->process)));
	ts_format(r->received_at, at);
	json_object_set_new(req, "received_at", json_string(at));
	json_t *m = json_pack("{s:s, s:s, s:o, s:o, s:O}", "format", DISCLOSE_FORMAT,
			      "source", c->src->name, "request", req, "scope",
			      scope_json(r, g), "items", c->items);
	if (c->d->sealed_items)
		json_object_set_new(m, "sealed",
				    json_string("items marked sealed are ciphertext made with "
						"libsodium crypto_box_seal (X25519, "
						"XSalsa20-Poly1305) to the customer's public key; "
						"only the customer's secret key opens them"));
	return m;
}

/* "sha256:<hex>" of the manifest's canonical form (compact, keys sorted),
 * without its "log" member: what the log entry commits to. */
static int manifest_digest(const json_t *manifest, char out[DIGEST_TAG_LEN])
{
	json_t *copy = json_copy((json_t *)manifest);
	json_object_del(copy, "log");
	char *text = json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(copy);
	if (!text)
		return err_set(E_INTERNAL, "cannot write the manifest");
	digest_tag(text, strlen(text), out);
	free(text);
	return 0;
}

/* ===================================================================
 * Writing the log material into the package
 * =================================================================== */

static int add_text(struct package *pkg, const char *name, const char *text)
{
	return package_add(pkg, name, text, strlen(text));
}

static int add_proof(struct package *pkg, const struct merkle_proof *p)
{
	struct buf b;
	buf_init(&b, BUF_UNLIMITED);
	for (size_t i = 0; i < p->len; i++) {
		char *h = note_base64(p->hash[i], MERKLE_HASH_LEN);
		buf_adds(&b, h);
		buf_addc(&b, '\n');
		free(h);
	}
	int rc = package_add(pkg, "proof.txt", b.ptr, b.len);
	buf_release(&b);
	return rc;
}

/* Log the disclosure, sign a checkpoint over it, and add manifest.json,
 * entry.json, checkpoint.txt, proof.txt and key.txt. */
static int add_log_material(struct collect *c, json_t *manifest, const struct signer *key,
			    const char *origin)
{
	struct disclosure *d = c->d;
	char digest[DIGEST_TAG_LEN], *note = NULL, *text = NULL;
	struct merkle_proof proof;
	struct buf entry;
	int rc;
	buf_init(&entry, JOURNAL_MAX_ENTRY);
	if ((rc = manifest_digest(manifest, digest)) < 0 ||
	    (rc = event_log(c->st, &c->by->who, "disclosure",
			    json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:I}", "request",
				      (json_int_t)d->request_id, "source", c->src->name,
				      "manifest", digest, "items", (json_int_t)d->items,
				      "content_items", (json_int_t)d->content_items,
				      "sealed_items", (json_int_t)d->sealed_items, "bytes",
				      (json_int_t)d->bytes),
			    &d->entry_index)) < 0 ||
	    (rc = journal_checkpoint(c->st, key, origin)) < 0 ||
	    (rc = store_log_size(c->st, &d->tree_size)) < 0 ||
	    (rc = store_checkpoint_get(c->st, d->tree_size, &note)) < 0 ||
	    (rc = journal_inclusion_proof(c->st, d->entry_index, d->tree_size, &proof)) < 0 ||
	    (rc = store_log_get_entry(c->st, d->entry_index, &entry)) < 0)
		goto out;
	json_object_set_new(manifest, "log",
			    json_pack("{s:s, s:I, s:I}", "origin", origin, "index",
				      (json_int_t)d->entry_index, "tree_size",
				      (json_int_t)d->tree_size));
	text = json_dumps(manifest, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (!text) {
		rc = err_set(E_INTERNAL, "cannot write the manifest");
		goto out;
	}
	char *key_line = xasprintf("%s\n", signer_verifier_key(key));
	char *manifest_text = xasprintf("%s\n", text);
	if ((rc = add_text(c->pkg, "manifest.json", manifest_text)) == 0 &&
	    (rc = package_add(c->pkg, "entry.json", entry.ptr, entry.len)) == 0 &&
	    (rc = add_text(c->pkg, "checkpoint.txt", note)) == 0 &&
	    (rc = add_proof(c->pkg, &proof)) == 0)
		rc = add_text(c->pkg, "key.txt", key_line);
	free(key_line);
	free(manifest_text);
out:
	free(text);
	free(note);
	buf_release(&entry);
	return rc;
}

/* ===================================================================
 * The cover letter (SPEC §8): reference, what is produced, what is not
 * and why
 * =================================================================== */

static const char *const letter_category[category__COUNT] = {
	[CAT_SUBSCRIBER] = "subscriber information",
	[CAT_NONCONTENT] = "non-content records",
	[CAT_CONTENT] = "content",
};

/* The reviewer's reason for narrowing or refusing, from the history. */
static int narrow_reason(void *ctx, const struct history_entry *h)
{
	char **out = ctx;
	if (strcmp(h->event, "narrow") == 0 && h->reason) {
		free(*out);
		*out = xstrdup(h->reason);
	}
	return 0;
}

static char *letter_text(struct store *st, const struct request *r, const struct grant *g,
			 const struct collect *c, const char *provider)
{
	struct buf b;
	int64_t n[category__COUNT] = {0};
	size_t i;
	json_t *it;
	char at[TS_BUFSZ], *reason = NULL;
	json_array_foreach(c->items, i, it)
	{
		int cat = category_parse(json_string_value(json_object_get(it, "category")));
		if (cat >= 0)
			n[cat]++;
	}
	if (store_history_each(st, r->id, narrow_reason, &reason) < 0)
		reason = NULL;
	buf_init(&b, BUF_UNLIMITED);
	date_format(r->received_at.t, at);
	buf_addf(&b, "Disclosure from %s\n\nYour reference:  %s\n", provider ? provider : "",
		 r->ref);
	buf_addf(&b, "Received:        %s\nOur request id:  %lld\nLegal process:   %s\n\n",
		 at, (long long)r->id, process_str(r->process));
	buf_adds(&b, "Produced\n");
	int any = 0;
	for (int k = 0; k < category__COUNT; k++)
		if (g->scope.categories & CAT_BIT(k)) {
			buf_addf(&b, "- %s: %lld item%s%s\n", letter_category[k], (long long)n[k],
				 n[k] == 1 ? "" : "s",
				 n[k] ? "" : " (nothing found for the accounts named)");
			any = 1;
		}
	if (!any)
		buf_adds(&b, "- nothing: no data category of the request is produced\n");
	if (r->has_date_range) {
		char from[TS_BUFSZ], to[TS_BUFSZ];
		date_format(r->date_from.t, from);
		date_format(r->date_to.t, to);
		buf_addf(&b, "Content and non-content records are those created from %s to %s; "
			     "subscriber information describes the account as it is, whatever "
			     "its creation date.\n",
			 from, to);
	}
	if (c->d->sealed_items)
		buf_addf(&b, "%llu item%s are ciphertext: the customer holds the keys and we "
			     "cannot decrypt them.\n",
			 (unsigned long long)c->d->sealed_items,
			 c->d->sealed_items == 1 ? " is" : "s");
	buf_adds(&b, "\nNot produced\n");
	any = 0;
	for (int k = 0; k < category__COUNT; k++) {
		if (!(r->categories & CAT_BIT(k)) || (g->scope.categories & CAT_BIT(k)))
			continue;
		buf_addf(&b, "- %s: not produced: ", letter_category[k]);
		if (!(r->supported & CAT_BIT(k)))
			buf_adds(&b, "the legal process served does not reach it");
		else
			buf_adds(&b, "our legal review narrowed the request");
		if (reason)
			buf_addf(&b, " (%s)", reason);
		buf_adds(&b, ".\n");
		any = 1;
	}
	for (size_t t = 0; t < r->n_targets; t++)
		if (!r->targets[t].account_id) {
			buf_addf(&b, "- %s %s: no account of ours has this identifier.\n",
				 target_type_str(r->targets[t].type), r->targets[t].value);
			any = 1;
		}
	if (!any)
		buf_adds(&b, "- nothing asked for was withheld.\n");
	buf_adds(&b, "\nChecking this package\n"
		     "manifest.json lists every item with its size and SHA-256; the log entry "
		     "in entry.json commits to the manifest (and so to this letter), proof.txt "
		     "proves the entry is in the signed checkpoint checkpoint.txt, and key.txt "
		     "is the log's verifier key. Check it with any C2SP signed-note verifier, "
		     "or with docket's own package check, given the key obtained from us "
		     "separately to rule out a substituted key.\n");
	free(reason);
	return buf_detach(&b, NULL);
}

/* ===================================================================
 * The disclosure
 * =================================================================== */

static enum outcome outcome_of(const struct disclosure *d)
{
	if (d->content_items)
		return OUT_CONTENT;
	return d->items ? OUT_NONCONTENT_ONLY : OUT_NO_DATA;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* Record the package: its entry, the disclosure row, the state change. */
static int record(struct collect *c, struct request *r, const char *out_path,
		  const json_t *manifest, const char *reason)
{
	struct disclosure *d = c->d;
	char *text = json_dumps(manifest, JSON_COMPACT | JSON_SORT_KEYS);
	char stored[DIGEST_TAG_LEN];
	digest_tag(text ? text : "", text ? strlen(text) : 0, stored);
	int rc = event_log(c->st, &c->by->who, "disclosure.package",
			   json_pack("{s:I, s:s, s:s, s:I, s:I, s:s}", "request",
				     (json_int_t)d->request_id, "file", base_name(out_path),
				     "sha256", d->sha256, "size", (json_int_t)d->size,
				     "disclosure", (json_int_t)d->entry_index,
				     "manifest_stored", stored),
			   &d->package_index);
	if (rc == 0) {
		struct disclosure_record rec = {
			.request_id = d->request_id,
			.file_name = base_name(out_path),
			.size = d->size,
			.sha256 = d->sha256,
			.items = (int64_t)d->items,
			.created_at = c->by->who.now,
			.log_index = d->entry_index,
			.package_index = d->package_index,
			.manifest = text,
		};
		rc = store_disclosure_add(c->st, &rec);
	}
	free(text);
	if (rc < 0)
		return rc;
	d->outcome = outcome_of(d);
	return workflow_apply(c->st, c->by, r, "disclose", reason, d->outcome,
			      json_pack("{s:I, s:s}", "items", (json_int_t)d->items,
					"package", d->sha256),
			      NULL);
}

int disclose_prepare(struct store *st, const struct source *src,
		     const struct signer *key, const char *origin, const struct staff *by,
		     int64_t request_id, const char *out_path, const char *reason,
		     const struct disclose_hooks *hooks, struct disclosure *d)
{
	struct request r = {0};
	struct grant g = {0};
	struct collect c = {.st = st, .by = by, .src = src, .g = &g, .d = d, .hooks = hooks};
	json_t *manifest = NULL;
	int rc;
	memset(d, 0, sizeof(*d));
	d->request_id = request_id;
	if (!store_in_transaction(st))
		return err_set(E_INTERNAL, "disclosure outside a unit of work");
	if ((rc = store_request_get(st, request_id, &r, NULL)) < 0 ||
	    (rc = check_may_disclose(st, by, &r, out_path)) < 0 ||
	    (rc = disclose_basis_check(st, &r)) < 0)   /* before any data is read */
		goto out;
	grant_make(&r, &g);
	if ((rc = package_create(out_path, r.received_at.t, &d->pkg)) < 0)
		goto out;
	c.pkg = d->pkg;
	c.items = json_array();
	c.read_ids = json_array();
	if ((rc = src->read(src->self, &g, on_item, &c)) != 0 || (rc = log_reads(&c)) < 0)
		goto out;
	manifest = manifest_new(&r, &g, &c);
	{
		char *provider = NULL, *letter;
		char hex[65];
		if (store_setting_get(st, "config.provider_name", &provider) < 0)
			provider = NULL;
		letter = letter_text(st, &r, &g, &c, provider);
		free(provider);
		digest_hex(letter, strlen(letter), hex);
		json_object_set_new(manifest, "letter",
				    json_pack("{s:s, s:I, s:s}", "file", "letter.txt", "size",
					      (json_int_t)strlen(letter), "sha256", hex));
		rc = add_text(d->pkg, "letter.txt", letter);
		free(letter);
		if (rc < 0)
			goto out;
	}
	if ((rc = add_log_material(&c, manifest, key, origin)) < 0 ||
	    (rc = package_finish(d->pkg, d->sha256, &d->size)) < 0)
		goto out;
	rc = record(&c, &r, out_path, manifest, reason);
out:
	if (rc > 0)
		rc = err_set(E_INTERNAL, "data source stopped early");
	json_decref(manifest);
	json_decref(c.items);
	json_decref(c.read_ids);
	grant_release(&g);
	request_release(&r);
	return rc;
}

int disclose_publish(struct disclosure *d)
{
	if (!d->pkg)
		return err_set(E_INTERNAL, "no package to publish");
	return package_publish(d->pkg);
}

void disclose_release(struct disclosure *d)
{
	package_free(d->pkg);
	d->pkg = NULL;
}
