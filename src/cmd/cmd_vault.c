/*
 * cmd_vault.c - `docket vault import FILE.jsonl` (admin): customer data into
 * the vault, docket's built-in data source (SPEC §8, core/vault.h).
 *
 * Every line is parsed and its account resolved before anything is stored,
 * so one bad line leaves the database unchanged (exit 3, FILE:LINE: field).
 * The file is then stored in one unit of work - items of customers who hold
 * their keys sealed to those keys - with one log entry that names the
 * file's SHA-256 and the counts, never the content.  The same file is not
 * imported twice.
 *
 * There is deliberately no command that shows, lists or exports vault
 * content: content leaves only through `docket disclose` (I1,
 * docs/disclosure.md).
 */
#include <stdio.h>
#include <stdlib.h>

#include "base/clock.h"
#include "base/digest.h"
#include "base/err.h"
#include "base/util.h"
#include "cmd/cmd.h"
#include "cmd/jsonl.h"
#include "core/vault.h"

struct pass {
	struct vault_import *vi;
	struct progress pr;
	uint64_t n;
	int store;                /* 0: check only */
};

static int on_line(void *ctx, size_t lineno, const char *line, size_t len)
{
	struct pass *p = ctx;
	struct vault_item it;
	(void)lineno;
	int rc = vault_item_parse(line, len, &it);
	if (rc < 0)
		return rc;
	rc = p->store ? vault_import_put(p->vi, &it) : vault_import_check(p->vi, &it);
	vault_item_release(&it);
	if (rc == 0)
		progress_update(&p->pr, ++p->n);
	return rc;
}

static int run_pass(struct app *app, const char *path, const struct buf *text,
		    struct vault_import *vi, int store, size_t total)
{
	struct pass p = {.vi = vi, .store = store};
	progress_init(&p.pr, app, store ? "importing vault items" : "checking vault items",
		      total);
	int rc = jsonl_each(path, text, on_line, &p, NULL);
	if (rc == 0)
		progress_done(&p.pr, p.n);
	return rc;
}

static int not_imported_before(struct app *app, const char *digest)
{
	int64_t at;
	char when[TS_BUFSZ];
	int rc = store_vault_import_find(app->st, digest, &at);
	if (rc == -E_NOTFOUND)
		return 0;
	if (rc < 0)
		return rc;
	time_format(at, when);
	return err_set(E_REFUSED, "this file (%s) was already imported at %s", digest, when);
}

static json_t *stats_json(const char *digest, const struct vault_import_stats *s)
{
	json_t *cats = json_object();
	for (int c = 0; c < category__COUNT; c++)
		json_object_set_new(cats, category_str(c),
				    json_integer((json_int_t)s->per_category[c]));
	return json_pack("{s:s, s:I, s:I, s:I, s:o}", "file", digest, "count",
			 (json_int_t)s->items, "sealed", (json_int_t)s->sealed, "bytes",
			 (json_int_t)s->bytes, "categories", cats);
}

static int store_file(struct app *app, const char *path, const struct buf *text,
		      struct vault_import *vi, const char *digest, size_t lines)
{
	uint64_t idx;
	int rc;
	if ((rc = app_begin(app)) < 0)
		return rc;
	const struct vault_import_stats *s = vault_import_stats(vi);
	struct actor who = {app->user, app->now};
	vault_import_log_to(vi, &who);
	if ((rc = run_pass(app, path, text, vi, 1, lines)) < 0 ||
	    (rc = vault_import_flush(vi)) < 0 ||
	    (rc = app_log(app, "vault.import", stats_json(digest, s), &idx)) < 0 ||
	    (rc = store_vault_import_add(app->st, digest, (int64_t)s->items, app->now, idx)) <
		    0 ||
	    (rc = app_commit(app)) < 0) {
		app_abort(app);
		return rc;
	}
	return 0;
}

static int count_line(void *ctx, size_t lineno, const char *line, size_t len)
{
	(void)lineno;
	(void)line;
	(void)len;
	(*(size_t *)ctx)++;
	return 0;
}

static int print_stats(struct app *app, const char *digest, const struct vault_import_stats *s)
{
	if (app->json)
		return cmd_print_json(stats_json(digest, s));
	printf("imported %llu vault item%s (%llu sealed to their customer's key)\n",
	       (unsigned long long)s->items, s->items == 1 ? "" : "s",
	       (unsigned long long)s->sealed);
	return 0;
}

static int vault_import(struct app *app, int argc, char **argv)
{
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket vault import FILE.jsonl");
	struct buf text;
	struct vault_import *check = NULL, *put = NULL;
	char digest[DIGEST_TAG_LEN];
	size_t lines = 0;
	int rc;
	if ((rc = app_open(app, ROLE_BIT(ROLE_ADMIN))) < 0 ||
	    (rc = cmd_read_file(argv[1], JSONL_MAX_FILE, &text)) < 0)
		return rc;
	digest_tag(text.ptr, text.len, digest);
	check = vault_import_new(app->st);
	put = vault_import_new(app->st);
	if ((rc = not_imported_before(app, digest)) == 0 &&
	    (rc = jsonl_each(argv[1], &text, count_line, &lines, NULL)) == 0 &&
	    (rc = run_pass(app, argv[1], &text, check, 0, lines)) == 0 &&
	    (rc = store_file(app, argv[1], &text, put, digest, lines)) == 0)
		rc = print_stats(app, digest, vault_import_stats(put));
	vault_import_free(check);
	vault_import_free(put);
	buf_release(&text);
	return rc;
}

static const struct command vault_cmds[] = {
	{"import", vault_import, "vault import FILE.jsonl",
	 "load customer data into the vault (admin)",
	 "One item per line: {\"account\": {\"type\", \"value\"}, \"category\":\n"
	 "subscriber|noncontent|content, \"kind\" (e.g. email_message, signin_log,\n"
	 "file), \"created_at\", \"location\" (country code), and either \"data\" (text)\n"
	 "or \"data_base64\" (any bytes), in a line of at most 1 MiB.  The account must belong to an\n"
	 "imported customer.  Items of customers who hold their keys (key_custody\n"
	 "\"customer\") are sealed to the customer's public key when stored: docket\n"
	 "keeps only ciphertext it cannot open.  Every line is checked first; one bad\n"
	 "line stores nothing.  The log records the file's SHA-256 and the counts,\n"
	 "never the content; the same file is not imported twice.\n"
	 "There is no command that shows vault content: it leaves docket only in a\n"
	 "disclosure package ('docket disclose')."},
	{0},
};

int cmd_vault(struct app *app, int argc, char **argv)
{
	return cmd_dispatch(app, "vault", vault_cmds, argc, argv);
}
