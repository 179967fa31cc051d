/*
 * import.c - customers, agencies and vault items in bulk (app/import.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/import.h"
#include "core/ledger/records.h"
#include "app/jsonl.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"

/* ===================================================================
 * Customers and agencies: one table row of operations each
 * =================================================================== */

struct entity_ops {
	const char *noun; /* "customer" */
	size_t size;	  /* sizeof the struct */
	int (*parse)(const char *text, size_t len, void *out);
	int (*put)(struct store *st, const void *item);
	void (*release)(void *item);
	const char *(*id)(const void *item);
	json_t *(*record)(struct store *st, const void *item); /* core/ledger/records.h */
	json_t *(*doc)(const void *item);		       /* the stored form */
	int (*stored)(struct store *st, const void *item, json_t **doc); /* by id */
	const char *const *clear; /* fields logged in clear by an update */
};

static int parse_customer(const char *t, size_t n, void *o)
{
	return customer_parse(t, n, o);
}
static int put_customer(struct store *st, const void *c)
{
	return store_customer_put(st, c);
}
static void release_customer(void *c)
{
	customer_release(c);
}
static const char *customer_id(const void *c)
{
	return ((const struct customer *)c)->id;
}
static int parse_agency(const char *t, size_t n, void *o)
{
	return agency_parse(t, n, o);
}
static int put_agency(struct store *st, const void *a)
{
	return store_agency_put(st, a);
}
static void release_agency(void *a)
{
	agency_release(a);
}
static const char *agency_id(const void *a)
{
	return ((const struct agency *)a)->id;
}
static json_t *doc_customer(const void *c)
{
	return customer_to_json(c);
}
static int stored_customer(struct store *st, const void *c, json_t **doc)
{
	struct customer old = {0};
	int rc = store_customer_get(st, ((const struct customer *)c)->id, &old);
	if (rc == 0)
		*doc = customer_to_json(&old);
	customer_release(&old);
	return rc;
}
static json_t *doc_agency(const void *a)
{
	return agency_to_json(a);
}
static int stored_agency(struct store *st, const void *a, json_t **doc)
{
	struct agency old = {0};
	int rc = store_agency_get(st, ((const struct agency *)a)->id, &old);
	if (rc == 0)
		*doc = agency_to_json(&old);
	agency_release(&old);
	return rc;
}
/* A customer's name, contact and accounts are personal data: an update
 * logs them by hash; an agency's fields are not. */
static const char *const customer_clear[] = {"id", "type", "country", "data_location",
					     "us_person", "key_custody", NULL};
static const char *const agency_clear[] = {"*", NULL};

static json_t *record_customer(struct store *st, const void *c)
{
	return customer_record(st, c);
}
static json_t *record_agency(struct store *st, const void *a)
{
	(void)st;
	return agency_record(a);
}

static const struct entity_ops customer_ops = {"customer",	 sizeof(struct customer),
					       parse_customer,	 put_customer,
					       release_customer, customer_id,
					       record_customer,	 doc_customer,
					       stored_customer,	 customer_clear};
static const struct entity_ops agency_ops = {"agency",	     sizeof(struct agency),
					     parse_agency,   put_agency,
					     release_agency, agency_id,
					     record_agency,  doc_agency,
					     stored_agency,  agency_clear};

struct batch {
	const struct entity_ops *ops;
	char *items; /* n items of ops->size bytes */
	size_t n, cap;
	size_t *lineno, cap_lines; /* each item's line */
	const char *name;	   /* the file, in errors */
	int update;		   /* --update: changed fields may be replaced */
	size_t same, updated;	   /* stored identically already; replaced */
	char digest[DIGEST_TAG_LEN]; /* of the file */
	const struct app_progress *pr;
};

static int collect(void *ctx, size_t lineno, const char *line, size_t len)
{
	struct batch *b = ctx;
	(void)lineno;
	b->items = xgrow(b->items, &b->cap, b->n + 1, b->ops->size);
	void *item = b->items + b->n * b->ops->size;
	memset(item, 0, b->ops->size);
	int rc = b->ops->parse(line, len, item);
	b->lineno = xgrow(b->lineno, &b->cap_lines, b->n + 1, sizeof(*b->lineno));
	b->lineno[b->n] = lineno;
	if (rc == 0) {
		/* a second line with the same id would silently replace the first */
		for (size_t i = 0; i < b->n; i++)
			if (strcmp(b->ops->id(b->items + i * b->ops->size),
				   b->ops->id(item)) == 0) {
				rc = err_set(E_INVALID,
					     "%s id '%s' appears twice in the file",
					     b->ops->noun, b->ops->id(item));
				b->ops->release(item);
				return rc;
			}
		b->n++;
	}
	return rc;
}

static int is_clear(const char *const *clear, const char *field)
{
	for (; *clear; clear++)
		if (strcmp(*clear, "*") == 0 || strcmp(*clear, field) == 0)
			return 1;
	return 0;
}

/* A logged value: in clear, or (personal data) its SHA-256 tag. */
static json_t *field_value(const json_t *v, int clear)
{
	char tag[DIGEST_TAG_LEN];
	if (!v)
		return json_null();
	if (clear)
		return json_deep_copy(v);
	char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	digest_tag(text ? text : "", text ? strlen(text) : 0, tag);
	free(text);
	return json_string(tag);
}

/* The fields that differ between two stored forms: [{field, old, new}]. */
static json_t *changed_fields(const struct entity_ops *ops, json_t *old, json_t *new)
{
	json_t *out = json_array(), *v;
	const char *k;
	json_object_foreach(new, k, v)
	{
		json_t *o = json_object_get(old, k);
		if (o && json_equal(o, v))
			continue;
		int clear = is_clear(ops->clear, k);
		json_array_append_new(out, json_pack("{s:s, s:o, s:o}", "field", k, "old",
						     field_value(o, clear), "new",
						     field_value(v, clear)));
	}
	json_object_foreach(old, k, v)
	{
		if (json_object_get(new, k))
			continue;
		json_array_append_new(out, json_pack("{s:s, s:o, s:o}", "field", k, "old",
						     field_value(v, is_clear(ops->clear, k)),
						     "new", json_null()));
	}
	return out;
}

static void list_fields(const json_t *changes, char *out, size_t sz)
{
	size_t i, len = 0;
	json_t *c;
	out[0] = '\0';
	json_array_foreach(changes, i, c)
	{
		snprintf(out + len, sz - len, "%s%s", i ? ", " : "",
			 json_string_value(json_object_get(c, "field")));
		len = strlen(out);
	}
}

/* Whether item must be written: new (1), stored identically (0, a run
 * of the same file again), or changed (1 with --update, logged field by
 * field; an error naming the line without). */
static int must_write(struct session *s, struct batch *b, size_t i)
{
	const void *item = b->items + i * b->ops->size;
	json_t *old = NULL, *now;
	int rc = b->ops->stored(s->st, item, &old);
	if (rc == -E_NOTFOUND) {
		err_clear();
		return 1;
	}
	if (rc < 0)
		return rc;
	now = b->ops->doc(item);
	json_t *changes = changed_fields(b->ops, old, now);
	json_decref(old);
	json_decref(now);
	if (json_array_size(changes) == 0) {
		json_decref(changes);
		b->same++;
		return 0;
	}
	if (!b->update) {
		char fields[256];
		list_fields(changes, fields, sizeof(fields));
		json_decref(changes);
		return err_set(E_INVALID,
			       "%s:%zu: %s '%s' is stored with other %s (%s): re-import with "
			       "--update to replace them",
			       b->name, b->lineno[i], b->ops->noun, b->ops->id(item),
			       strchr(fields, ',') ? "fields" : "field", fields);
	}
	char type[64];
	snprintf(type, sizeof(type), "%s.update", b->ops->noun);
	b->updated++;
	rc = app_log(s, type, json_pack("{s:s, s:o}", "id", b->ops->id(item), "fields", changes),
		     NULL);
	return rc < 0 ? rc : 1;
}

static int batch_body(struct session *s, void *ctx)
{
	struct batch *b = ctx;
	int rc;
	b->same = b->updated = 0; /* a retried unit starts again */
	app_progress_start(b->pr, b->ops->noun, b->n);
	/* each stored record (core/ledger/records.h), for the replay of the log */
	json_t *recs = json_array(), *rec = NULL;
	for (size_t i = 0; i < b->n; i++) {
		const void *item = b->items + i * b->ops->size;
		int write = must_write(s, b, i);
		if (write <= 0) {
			if (write < 0) {
				json_decref(recs);
				return write;
			}
			app_progress_update(b->pr, i + 1);
			continue;
		}
		if ((rc = b->ops->put(s->st, item)) < 0 ||
		    !(rec = b->ops->record(s->st, item))) {
			if (rc == 0)
				rc = -E_STORAGE;
			err_prefix("%s '%s'", b->ops->noun, b->ops->id(item));
			json_decref(recs);
			return rc;
		}
		json_array_append_new(recs, rec);
		app_progress_update(b->pr, i + 1);
	}
	char type[64], rtype[64];
	snprintf(type, sizeof(type), "%s.import", b->ops->noun);
	snprintf(rtype, sizeof(rtype), "%s.records", b->ops->noun);
	/* as many entries as keep each within the entry bound (SPEC §6) */
	if (json_array_size(recs) == 0)
		json_decref(recs);
	else if ((rc = app_log_list(s, rtype, NULL, "records", recs, NULL)) < 0)
		return rc;
	if (b->same == b->n)
		return 0; /* the whole file was stored by an earlier run */
	rc = app_log(s, type,
		     json_pack("{s:s, s:I, s:I, s:I}", "file", b->digest, "count",
			       (json_int_t)b->n, "unchanged", (json_int_t)b->same, "updated",
			       (json_int_t)b->updated),
		     NULL);
	if (rc == 0)
		app_progress_finish(b->pr, b->n);
	return rc;
}

static int import_entities(struct session *s, const struct entity_ops *ops,
			   const char *name, const char *text, size_t len, int update,
			   const struct app_progress *progress, struct app_import_result *res)
{
	size_t n = 0, *count = &n;
	(void)count;
	char what[64];
	int rc;
	*count = 0;
	snprintf(what, sizeof(what), "import %s",
		 strcmp(ops->noun, "agency") == 0 ? "agencies" : "customers");
	if ((rc = session_require(s, ROLE_BIT(ROLE_ADMIN), what)) < 0)
		return rc;
	struct batch b = {.ops = ops, .pr = progress, .name = name, .update = update};
	size_t lines = 0;
	memset(res, 0, sizeof(*res));
	digest_tag(text, len, b.digest);
	rc = jsonl_each(name, text, len, collect, &b, &lines);
	if (rc == 0)
		rc = app_unit(s, batch_body, &b);
	for (size_t i = 0; i < b.n; i++)
		ops->release(b.items + i * ops->size);
	free(b.items);
	free(b.lineno);
	if (rc == 0) {
		*count = lines;
		res->lines = lines;
		res->unchanged = b.same;
		res->updated = b.updated;
	}
	return rc;
}

int app_entity_import(struct session *s, int agency, const char *name, const char *text,
		      size_t len, int update, const struct app_progress *progress,
		      struct app_import_result *res)
{
	return import_entities(s, agency ? &agency_ops : &customer_ops, name, text, len,
			       update, progress, res);
}

int app_customer_import(struct session *s, const char *name, const char *text, size_t len,
			const struct app_progress *progress, size_t *count)
{
	struct app_import_result res;
	int rc = import_entities(s, &customer_ops, name, text, len, 0, progress, &res);
	*count = res.lines;
	return rc;
}

int app_agency_import(struct session *s, const char *name, const char *text, size_t len,
		      const struct app_progress *progress, size_t *count)
{
	struct app_import_result res;
	int rc = import_entities(s, &agency_ops, name, text, len, 0, progress, &res);
	*count = res.lines;
	return rc;
}

/* ===================================================================
 * The vault: check every line, then store the file in one unit of work
 * =================================================================== */

struct vault_pass {
	const char *name, *text;
	size_t len, lines;
	const struct app_progress *pr;
	const char *digest;
	struct vault_import *vi;
	uint64_t n;
	int store; /* 0: check only */
};

static int vault_line(void *ctx, size_t lineno, const char *line, size_t len)
{
	struct vault_pass *p = ctx;
	struct vault_item it;
	(void)lineno;
	int rc = vault_item_parse(line, len, &it);
	if (rc < 0)
		return rc;
	rc = p->store ? vault_import_put(p->vi, &it) : vault_import_check(p->vi, &it);
	vault_item_release(&it);
	if (rc == 0)
		app_progress_update(p->pr, ++p->n);
	return rc;
}

static int vault_run_pass(struct vault_pass *p)
{
	p->n = 0;
	app_progress_start(
	    p->pr, p->store ? "importing vault items" : "checking vault items", p->lines);
	int rc = jsonl_each(p->name, p->text, p->len, vault_line, p, NULL);
	if (rc == 0)
		app_progress_finish(p->pr, p->n);
	return rc;
}

json_t *app_vault_import_json(const char *file_digest, const struct vault_import_stats *s)
{
	json_t *cats = json_object();
	for (int c = 0; c < category__COUNT; c++)
		json_object_set_new(cats, category_str(c),
				    json_integer((json_int_t)s->per_category[c]));
	return json_pack("{s:s, s:I, s:I, s:I, s:o}", "file", file_digest, "count",
			 (json_int_t)s->items, "sealed", (json_int_t)s->sealed, "bytes",
			 (json_int_t)s->bytes, "categories", cats);
}

static int vault_body(struct session *s, void *ctx)
{
	struct vault_pass *p = ctx;
	uint64_t idx;
	int rc;
	vault_import_free(p->vi); /* a retry starts afresh */
	p->vi = vault_import_new(s->st);
	struct actor who = session_actor(s);
	vault_import_log_to(p->vi, &who);
	const struct vault_import_stats *st = vault_import_stats(p->vi);
	if ((rc = vault_run_pass(p)) < 0 || (rc = vault_import_flush(p->vi)) < 0 ||
	    (rc = app_log(s, "vault.import", app_vault_import_json(p->digest, st),
			  &idx)) < 0)
		return rc;
	return store_vault_import_add(s->st, p->digest, (int64_t)st->items, s->now, idx);
}

static int not_imported_before(struct session *s, const char *digest)
{
	int64_t at;
	char when[TS_BUFSZ];
	int rc = store_vault_import_find(s->st, digest, &at);
	if (rc == -E_NOTFOUND)
		return 0;
	if (rc < 0)
		return rc;
	time_format(at, when);
	return err_set(E_REFUSED, "this file (%s) was already imported at %s", digest,
		       when);
}

static int count_line(void *ctx, size_t lineno, const char *line, size_t len)
{
	(void)lineno;
	(void)line;
	(void)len;
	(*(size_t *)ctx)++;
	return 0;
}

int app_vault_import(struct session *s, const char *name, const char *text, size_t len,
		     const struct app_progress *progress,
		     struct vault_import_stats *stats, char file_digest[DIGEST_TAG_LEN])
{
	struct vault_pass p = {.name = name,
			       .text = text,
			       .len = len,
			       .pr = progress,
			       .digest = file_digest};
	int rc;
	memset(stats, 0, sizeof(*stats));
	if ((rc = session_require(s, ROLE_BIT(ROLE_ADMIN), "import vault data")) < 0)
		return rc;
	digest_tag(text, len, file_digest);
	p.vi = vault_import_new(s->st);
	if ((rc = not_imported_before(s, file_digest)) == 0 &&
	    (rc = jsonl_each(name, text, len, count_line, &p.lines, NULL)) == 0 &&
	    (rc = vault_run_pass(&p)) == 0) {
		p.store = 1;
		rc = app_unit(s, vault_body, &p);
	}
	if (rc == 0)
		*stats = *vault_import_stats(p.vi);
	vault_import_free(p.vi);
	return rc;
}

int app_customer_each(struct session *s, const char *q, store_customer_cb cb, void *ctx)
{
	return store_customer_each(s->st, q, cb, ctx);
}

int app_customer_get(struct session *s, const char *id, struct customer *out)
{
	return store_customer_get(s->st, id, out);
}

int app_agency_each(struct session *s, const char *q, store_agency_cb cb, void *ctx)
{
	return store_agency_each(s->st, q, cb, ctx);
}

int app_agency_get(struct session *s, const char *id, struct agency *out)
{
	return store_agency_get(s->st, id, out);
}
