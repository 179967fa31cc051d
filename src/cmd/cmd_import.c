/*
 * cmd_import.c - `customer import` and `agency import`: JSON Lines files of
 * customers (with their accounts) and of agencies, imported by
 * app/import.h (every line checked first, one unit of work, one log entry).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "app/import.h"
#include "cmd/cmd.h"

static int import_file(struct cli *cli, const char *noun, const char *plural, int agency,
		       int argc, char **argv)
{
	int update = argc == 3 && strcmp(argv[1], "--update") == 0;
	if (argc != 2 + update)
		return err_set(E_USAGE, "usage: docket %s import [--update] FILE.jsonl", noun);
	const char *file = argv[1 + update];
	struct buf text;
	struct progress pr;
	struct app_progress hook = cli_progress(cli, &pr);
	struct app_import_result res;
	int rc;
	if ((rc = cli_open(cli, ROLE_BIT(ROLE_ADMIN))) < 0 ||
	    (rc = cmd_read_file(file, APP_IMPORT_MAX_FILE, &text)) < 0)
		return rc;
	rc = app_entity_import(cli->s, agency, file, text.ptr, text.len, update, &hook, &res);
	buf_release(&text);
	if (rc < 0)
		return rc;
	size_t n = res.lines - res.unchanged;
	if (cli->json)
		return cmd_print_json(json_pack("{s:s, s:I, s:I, s:I}", "imported", noun,
						"count", (json_int_t)n, "unchanged",
						(json_int_t)res.unchanged, "updated",
						(json_int_t)res.updated));
	printf("imported %zu %s", n, n == 1 ? noun : plural);
	if (res.updated)
		printf(" (%zu updated)", res.updated);
	if (res.unchanged)
		printf(" (%zu already stored as they are)", res.unchanged);
	printf("\n");
	return 0;
}

static int customer_import(struct cli *cli, int argc, char **argv)
{
	return import_file(cli, "customer", "customers", 0, argc, argv);
}

static int agency_import(struct cli *cli, int argc, char **argv)
{
	return import_file(cli, "agency", "agencies", 1, argc, argv);
}

static const struct command customer_cmds[] = {
	{"import", customer_import, "customer import [--update] FILE.jsonl",
	 "import customers with their accounts (admin)",
	 "One customer per line: {\"id\", \"name\", \"type\": consumer|enterprise,\n"
	 "\"country\", \"data_location\", \"us_person\", \"contact\": {\"email\", \"name\"},\n"
	 "\"key_custody\": provider|customer, \"public_key\", \"accounts\": [{\"type\",\n"
	 "\"value\"}]}.  Every line is checked first; one bad line stores nothing.\n"
	 "A customer already stored as it is on its line is skipped (an import\n"
	 "run again); one stored with other fields is refused unless --update,\n"
	 "which replaces it and logs each changed field (personal ones by hash)."},
	{0},
};

static const struct command agency_cmds[] = {
	{"import", agency_import, "agency import [--update] FILE.jsonl", "import agencies (admin)",
	 "One agency per line: {\"id\", \"name\", \"country\", \"type\", \"domains\": [...],\n"
	 "\"phone\"}.  Every line is checked first; one bad line stores nothing.\n"
	 "An agency already stored as it is on its line is skipped; one stored\n"
	 "with other fields (its notice address, its call-back number) is refused\n"
	 "unless --update, which replaces it and logs each changed field."},
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
