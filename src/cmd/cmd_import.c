/*
 * cmd_import.c - `customer import` and `agency import`: JSON Lines files of
 * customers (with their accounts) and of agencies.  Every line is checked
 * before anything is stored; the whole file then commits in one unit of
 * work with "<noun>.records" entries recording each stored customer or
 * agency (core/records.h) and one "<noun>.import" entry naming the file's
 * SHA-256.
 */
#include <stdio.h>
#include <stdlib.h>

#include "base/digest.h"
#include "base/err.h"
#include "base/util.h"
#include "cmd/cmd.h"
#include "cmd/jsonl.h"
#include "core/records.h"

struct entity_ops {
	const char *noun;                 /* "customer" */
	const char *plural;               /* "customers" */
	size_t size;                      /* sizeof the struct */
	int (*parse)(const char *text, size_t len, void *out);
	int (*put)(struct store *st, const void *item);
	void (*release)(void *item);
	const char *(*id)(const void *item);
	json_t *(*record)(struct store *st, const void *item);   /* core/records.h */
};

static int parse_customer(const char *t, size_t n, void *o) { return customer_parse(t, n, o); }
static int put_customer(struct store *st, const void *c) { return store_customer_put(st, c); }
static void release_customer(void *c) { customer_release(c); }
static const char *customer_id(const void *c) { return ((const struct customer *)c)->id; }
static int parse_agency(const char *t, size_t n, void *o) { return agency_parse(t, n, o); }
static int put_agency(struct store *st, const void *a) { return store_agency_put(st, a); }
static void release_agency(void *a) { agency_release(a); }
static const char *agency_id(const void *a) { return ((const struct agency *)a)->id; }
static json_t *record_customer(struct store *st, const void *c) { return customer_record(st, c); }
static json_t *record_agency(struct store *st, const void *a) { (void)st; return agency_record(a); }

static const struct entity_ops customer_ops = {
	"customer", "customers", sizeof(struct customer), parse_customer, put_customer,
	release_customer, customer_id, record_customer};
static const struct entity_ops agency_ops = {
	"agency", "agencies", sizeof(struct agency), parse_agency, put_agency, release_agency,
	agency_id, record_agency};

struct batch {
	const struct entity_ops *ops;
	char *items;                      /* n items of ops->size bytes */
	size_t n, cap;
};

static int collect(void *ctx, size_t lineno, const char *line, size_t len)
{
	struct batch *b = ctx;
	(void)lineno;
	b->items = xgrow(b->items, &b->cap, b->n + 1, b->ops->size);
	void *item = b->items + b->n * b->ops->size;
	memset(item, 0, b->ops->size);
	int rc = b->ops->parse(line, len, item);
	if (rc == 0) {
		/* a second line with the same id would silently replace the first */
		for (size_t i = 0; i < b->n; i++)
			if (strcmp(b->ops->id(b->items + i * b->ops->size), b->ops->id(item)) == 0) {
				rc = err_set(E_INVALID, "%s id '%s' appears twice in the file",
					     b->ops->noun, b->ops->id(item));
				b->ops->release(item);
				return rc;
			}
		b->n++;
	}
	return rc;
}

static int store_batch(struct app *app, struct batch *b, const struct buf *text)
{
	struct progress pr;
	int rc;
	char digest[72];
	if ((rc = app_begin(app)) < 0)
		return rc;
	progress_init(&pr, app, b->ops->noun, b->n);
	char type[64], rtype[64];
	snprintf(type, sizeof(type), "%s.import", b->ops->noun);
	snprintf(rtype, sizeof(rtype), "%s.records", b->ops->noun);
	json_t *recs = json_array(), *rec = NULL;
	for (size_t i = 0; i < b->n; i++) {
		const void *item = b->items + i * b->ops->size;
		if ((rc = b->ops->put(app->st, item)) < 0 ||
		    !(rec = b->ops->record(app->st, item))) {
			if (rc == 0)
				rc = -E_STORAGE;
			err_prefix("%s '%s'", b->ops->noun, b->ops->id(item));
			json_decref(recs);
			goto fail;
		}
		/* each stored record, in bounded entries (core/replay.c) */
		json_array_append_new(recs, rec);
		if (json_array_size(recs) == RECORDS_CHUNK || i + 1 == b->n) {
			rc = app_log(app, rtype, json_pack("{s:o}", "records", recs), NULL);
			recs = json_array();
			if (rc < 0) {
				json_decref(recs);
				goto fail;
			}
		}
		progress_update(&pr, i + 1);
	}
	json_decref(recs);
	digest_tag(text->ptr, text->len, digest);
	if ((rc = app_log(app, type,
			  json_pack("{s:s, s:I}", "file", digest, "count", (json_int_t)b->n),
			  NULL)) < 0 ||
	    (rc = app_commit(app)) < 0)
		goto fail;
	progress_done(&pr, b->n);
	return 0;
fail:
	app_abort(app);
	return rc;
}

static int import_file(struct app *app, const struct entity_ops *ops, int argc,
		       char **argv)
{
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket %s import FILE.jsonl", ops->noun);
	int rc;
	if ((rc = app_open(app, ROLE_BIT(ROLE_ADMIN))) < 0)
		return rc;
	struct buf text;
	if ((rc = cmd_read_file(argv[1], JSONL_MAX_FILE, &text)) < 0)
		return rc;
	struct batch b = {.ops = ops};
	size_t lines = 0;
	rc = jsonl_each(argv[1], &text, collect, &b, &lines);
	if (rc == 0)
		rc = store_batch(app, &b, &text);
	for (size_t i = 0; i < b.n; i++)
		ops->release(b.items + i * ops->size);
	free(b.items);
	buf_release(&text);
	if (rc < 0)
		return rc;
	if (app->json)
		return cmd_print_json(json_pack("{s:s, s:I}", "imported", ops->noun, "count",
						(json_int_t)lines));
	printf("imported %zu %s\n", lines, lines == 1 ? ops->noun : ops->plural);
	return 0;
}

static int customer_import(struct app *app, int argc, char **argv)
{
	return import_file(app, &customer_ops, argc, argv);
}

static int agency_import(struct app *app, int argc, char **argv)
{
	return import_file(app, &agency_ops, argc, argv);
}

static const struct command customer_cmds[] = {
	{"import", customer_import, "customer import FILE.jsonl",
	 "import customers with their accounts (admin)",
	 "One customer per line: {\"id\", \"name\", \"type\": consumer|enterprise,\n"
	 "\"country\", \"data_location\", \"us_person\", \"contact\": {\"email\", \"name\"},\n"
	 "\"key_custody\": provider|customer, \"public_key\", \"accounts\": [{\"type\",\n"
	 "\"value\"}]}.  Every line is checked first; one bad line stores nothing."},
	{0},
};

static const struct command agency_cmds[] = {
	{"import", agency_import, "agency import FILE.jsonl", "import agencies (admin)",
	 "One agency per line: {\"id\", \"name\", \"country\", \"type\", \"domains\": [...],\n"
	 "\"phone\"}.  Every line is checked first; one bad line stores nothing."},
	{0},
};

int cmd_customer(struct app *app, int argc, char **argv)
{
	return cmd_dispatch(app, "customer", customer_cmds, argc, argv);
}

int cmd_agency(struct app *app, int argc, char **argv)
{
	return cmd_dispatch(app, "agency", agency_cmds, argc, argv);
}
