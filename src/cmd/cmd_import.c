/*
 * cmd_import.c - `customer import` and `agency import`: JSON Lines files of
 * customers (with their accounts) and of agencies, imported by
 * app/import.h (every line checked first, one unit of work, one log entry).
 */
#include <stdio.h>
#include <stdlib.h>

#include "base/err.h"
#include "base/util.h"
#include "app/import.h"
#include "cmd/cmd.h"

typedef int (*import_fn)(struct session *s, const char *name, const char *text,
			 size_t len, const struct app_progress *progress, size_t *count);

static int import_file(struct cli *cli, const char *noun, const char *plural,
		       import_fn fn, int argc, char **argv)
{
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket %s import FILE.jsonl", noun);
	struct buf text;
	struct progress pr;
	struct app_progress hook = cli_progress(cli, &pr);
	size_t n = 0;
	int rc;
	if ((rc = cli_open(cli, ROLE_BIT(ROLE_ADMIN))) < 0 ||
	    (rc = cmd_read_file(argv[1], APP_IMPORT_MAX_FILE, &text)) < 0)
		return rc;
	rc = fn(cli->s, argv[1], text.ptr, text.len, &hook, &n);
	buf_release(&text);
	if (rc < 0)
		return rc;
	if (cli->json)
		return cmd_print_json(
		    json_pack("{s:s, s:I}", "imported", noun, "count", (json_int_t)n));
	printf("imported %zu %s\n", n, n == 1 ? noun : plural);
	return 0;
}

static int customer_import(struct cli *cli, int argc, char **argv)
{
	return import_file(cli, "customer", "customers", app_customer_import, argc, argv);
}

static int agency_import(struct cli *cli, int argc, char **argv)
{
	return import_file(cli, "agency", "agencies", app_agency_import, argc, argv);
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

int cmd_customer(struct cli *cli, int argc, char **argv)
{
	return cmd_dispatch(cli, "customer", customer_cmds, argc, argv);
}

int cmd_agency(struct cli *cli, int argc, char **argv)
{
	return cmd_dispatch(cli, "agency", agency_cmds, argc, argv);
}
