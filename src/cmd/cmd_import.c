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

/* --- reading ------------------------------------------------------------ */

struct dir_list {
	json_t *arr; /* --json */
	size_t n;
};

static int customer_line(void *ctx, const struct customer *c)
{
	struct dir_list *l = ctx;
	l->n++;
	if (l->arr) {
		json_array_append_new(l->arr, customer_to_json(c));
		return 0;
	}
	printf("%-20.20s %-30.30s %-10s %-2s %-2s %-3s %zu account%s\n", c->id, c->name,
	       customer_type_str(c->type), c->country, c->data_location,
	       c->us_person ? "yes" : "no", c->n_accounts, c->n_accounts == 1 ? "" : "s");
	return 0;
}

static int agency_line(void *ctx, const struct agency *a)
{
	struct dir_list *l = ctx;
	l->n++;
	if (l->arr) {
		json_array_append_new(l->arr, agency_to_json(a));
		return 0;
	}
	printf("%-16.16s %-36.36s %-2s %-17s %s\n", a->id, a->name, a->country,
	       agency_type_str(a->type), a->phone ? a->phone : "(no call-back number)");
	return 0;
}

static int dir_list(struct cli *cli, int argc, char **argv, int customers)
{
	const char *q = NULL;
	struct dir_list l = {0};
	int rc;
	if (argc == 3 && strcmp(argv[1], "--q") == 0)
		q = argv[2];
	else if (argc != 1)
		return err_set(E_USAGE, "usage: docket %s list [--q TEXT]",
			       customers ? "customer" : "agency");
	if ((rc = cli_open(cli, 0)) < 0)
		return rc;
	if (cli->json)
		l.arr = json_array();
	else if (customers)
		printf("%-20s %-30s %-10s %-2s %-2s %-3s %s\n", "ID", "NAME", "TYPE", "CC",
		       "AT", "US", "ACCOUNTS");
	else
		printf("%-16s %-36s %-2s %-17s %s\n", "ID", "NAME", "CC", "TYPE",
		       "CALL-BACK NUMBER");
	rc = customers ? app_customer_each(cli->s, q, customer_line, &l)
		       : app_agency_each(cli->s, q, agency_line, &l);
	if (rc < 0) {
		json_decref(l.arr);
		return rc;
	}
	if (l.arr)
		return cmd_print_json(l.arr);
	printf("%zu %s\n", l.n, customers ? (l.n == 1 ? "customer" : "customers")
					  : (l.n == 1 ? "agency" : "agencies"));
	return 0;
}

static int customer_list(struct cli *cli, int argc, char **argv)
{
	return dir_list(cli, argc, argv, 1);
}

static int agency_list(struct cli *cli, int argc, char **argv)
{
	return dir_list(cli, argc, argv, 0);
}

static int customer_show(struct cli *cli, int argc, char **argv)
{
	struct customer c = {0};
	int rc;
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket customer show ID");
	if ((rc = cli_open(cli, 0)) < 0 || (rc = app_customer_get(cli->s, argv[1], &c)) < 0)
		return rc;
	if (cli->json) {
		rc = cmd_print_json(customer_to_json(&c));
	} else {
		printf("Customer %s  %s\n", c.id, c.name);
		printf("Type:         %s\n", customer_type_str(c.type));
		printf("Country:      %s (%s); data stored in %s (%s)\n", c.country,
		       country_name(c.country) ? country_name(c.country) : "?",
		       c.data_location,
		       country_name(c.data_location) ? country_name(c.data_location) : "?");
		printf("US person:    %s\n", c.us_person ? "yes" : "no");
		printf("Contact:      %s%s%s%s\n", c.contact_name ? c.contact_name : "",
		       c.contact_name ? " <" : "", c.contact_email, c.contact_name ? ">" : "");
		printf("Keys:         %s\n", c.key_custody == CUSTODY_CUSTOMER
						  ? "held by the customer (content only as "
						    "ciphertext)"
						  : "held by the provider");
		printf("Accounts:     %zu\n", c.n_accounts);
		for (size_t i = 0; i < c.n_accounts; i++)
			printf("  %s %s\n", target_type_str(c.accounts[i].type),
			       c.accounts[i].value);
		printf("Requests naming it: docket request list --q ACCOUNT\n");
	}
	customer_release(&c);
	return rc;
}

static int agency_show(struct cli *cli, int argc, char **argv)
{
	struct agency a = {0};
	int rc;
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket agency show ID");
	if ((rc = cli_open(cli, 0)) < 0 || (rc = app_agency_get(cli->s, argv[1], &a)) < 0)
		return rc;
	if (cli->json) {
		rc = cmd_print_json(agency_to_json(&a));
	} else {
		printf("Agency %s  %s\n", a.id, a.name);
		printf("Country:   %s (%s)\n", a.country,
		       country_name(a.country) ? country_name(a.country) : "?");
		printf("Type:      %s\n", agency_type_str(a.type));
		printf("Call-back: %s\n",
		       a.phone ? a.phone : "(none on file: verification needs a reason)");
		printf("Domains:  ");
		for (size_t i = 0; i < a.n_domains; i++)
			printf(" %s", a.domains[i]);
		printf("\nRequests:  docket request list --q %s\n", a.id);
	}
	agency_release(&a);
	return rc;
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
	{"list", customer_list, "customer list [--q TEXT]",
	 "the customers: type, country, where the data is, US person, accounts",
	 "--q keeps those whose id, name, contact or accounts contain TEXT."},
	{"show", customer_show, "customer show ID", "one customer with its accounts", NULL},
	{0},
};

static const struct command agency_cmds[] = {
	{"import", agency_import, "agency import [--update] FILE.jsonl", "import agencies (admin)",
	 "One agency per line: {\"id\", \"name\", \"country\", \"type\", \"domains\": [...],\n"
	 "\"phone\"}.  Every line is checked first; one bad line stores nothing.\n"
	 "An agency already stored as it is on its line is skipped; one stored\n"
	 "with other fields (its notice address, its call-back number) is refused\n"
	 "unless --update, which replaces it and logs each changed field."},
	{"list", agency_list, "agency list [--q TEXT]",
	 "the registered agencies: country, type, call-back number",
	 "--q keeps those whose id, name or domains contain TEXT."},
	{"show", agency_show, "agency show ID",
	 "one agency: country, verified domains, call-back number on file", NULL},
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
