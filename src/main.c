/*
 * main.c - docket's entry point: global options and the command table.
 *
 * Global options may appear anywhere before a "--": --db PATH, --as USER,
 * --json.  Then the first word picks the command group, which parses the
 * rest.  main() is the one place that turns an error into a message on
 * stderr and an exit code (SPEC §9).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/keys.h"
#include "base/util.h"
#include "cmd/auth_cmds.h"
#include "cmd/cmd.h"
#include "http/http.h"

/* docket serve: the server lives in src/http/, beside cmd/, not below it. */
static int cmd_serve(struct cli *cli, int argc, char **argv)
{
	return http_serve_main(cli->db_path, argc, argv);
}

static const struct command commands[] = {
	{"init", cmd_init, "init [--origin NAME] [--admin NAME]",
	 "create a database, its signing key and the first admin", NULL},
	{"user", cmd_user, "user add|set|remove|confirm|cancel|list|passwd|mfa ...",
	 "manage staff users (separation of duties) and their sign-in", NULL},
	{"token", cmd_token, "token add|list|revoke ...", "API tokens for programs (admin)",
	 NULL},
	{"serve", cmd_serve, "serve [--listen ADDR:PORT]",
	 "the HTTP server: JSON API, scheduler (docs/api.md)", NULL},
	{"customer", cmd_customer, "customer import FILE.jsonl",
	 "import customers with their accounts", NULL},
	{"agency", cmd_agency, "agency import FILE.jsonl", "import requesting agencies",
	 NULL},
	{"request", cmd_request, "request add|show|list|import|explain ...",
	 "government requests for customer data", NULL},
	{"hold", cmd_hold, "hold renew|release|convert ID ...", "preservation holds", NULL},
	{"ndo", cmd_ndo, "ndo add|extend|lift|list ...", "nondisclosure orders on requests",
	 NULL},
	{"notice", cmd_notice, "notice list|show|resend ...", "customer notices", NULL},
	{"letter", cmd_letter, "letter draft|send|list ID ...",
	 "letters to the agency: drafts from templates, sent and logged by hash", NULL},
	{"tick", cmd_tick, "tick",
	 "run what the clock makes due: holds, notices, NSL reviews, witnesses (admin)",
	 NULL},
	{"status", cmd_status, "status", "requests per state, customers, the log's size",
	 NULL},
	{"config", cmd_config, "config set KEY VALUE | get KEY | list", "settings", NULL},
	{"report", cmd_report, "report --period P [--format json|csv|html] [--out FILE]",
	 "the transparency report for a half-year", NULL},
	/* customer data: the vault and disclosure (docs/disclosure.md) */
	{"vault", cmd_vault, "vault import FILE.jsonl",
	 "load customer data into the vault, docket's built-in data source (admin)", NULL},
	{"disclose", cmd_disclose, "disclose ID --out FILE | disclose verify FILE [--key VKEY]",
	 "the disclosure package of a ready request (approver), and its check", NULL},
	{"rules", cmd_rules, "rules list | rules show ID", "the legal rules docket applies",
	 NULL},
	{"witness", cmd_witness, "witness add NAME URL VKEY | list | offer",
	 "the witnesses that cosign the log's checkpoints", NULL},
	{"db", cmd_db, "db copy SRC DST",
	 "copy a whole database between SQLite and PostgreSQL, verified", NULL},
	{"log", cmd_log,
	 "log checkpoint|key|entry N|proof N|consistency OLD|verify",
	 "the tamper-evident log", NULL},
	{0},
};

static void usage(FILE *fp)
{
	fprintf(fp, "usage: docket [--db PATH] [--as USER] [--json] COMMAND ...\n\n"
		    "commands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(fp, "  %-10s %s\n", c->name, c->summary);
	fprintf(fp, "\nRun 'docket COMMAND --help' for a command's options.\n"
		    "Environment: DOCKET_DB (database, default ./docket.db), DOCKET_USER "
		    "(the acting user),\nDOCKET_NOW (RFC 3339; overrides the clock).\n"
		    "Exit codes: 0 ok, 1 internal or storage error, 2 usage, 3 invalid "
		    "input,\n4 not found, 5 refused.\n");
}

/* Take the global options out of argv (in place); returns the new argc or
 * -1 on a usage error. */
static int global_options(struct cli *cli, int argc, char **argv)
{
	int out = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		const char **slot = NULL;
		if (strcmp(a, "--db") == 0 || str_has_prefix(a, "--db="))
			slot = &cli->db_path;
		else if (strcmp(a, "--as") == 0 || str_has_prefix(a, "--as="))
			slot = &cli->user;
		if (slot) {
			const char *eq = strchr(a, '=');
			if (eq) {
				*slot = eq + 1;
			} else if (i + 1 < argc) {
				*slot = argv[++i];
			} else {
				err_set(E_USAGE, "option '%s' needs a value", a);
				return -1;
			}
			continue;
		}
		if (strcmp(a, "--json") == 0) {
			cli->json = 1;
			continue;
		}
		argv[out++] = argv[i];
	}
	argv[out] = NULL;
	return out;
}

static int run(struct cli *cli, int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return -E_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
	    strcmp(name, "help") == 0) {
		usage(stdout);
		return 0;
	}
	/* "-2" would reach getopt as an unknown option: say what is wrong */
	for (int i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (argv[i][0] == '-' && argv[i][1] >= '0' && argv[i][1] <= '9')
			return err_set(E_USAGE,
				       "'%s' is negative: ids and numbers are positive (see "
				       "'docket %s --help')",
				       argv[i], name);
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c->fn(cli, argc - 1, argv + 1);
	return err_set(E_USAGE, "unknown command '%s' (see 'docket --help')", name);
}

int main(int argc, char **argv)
{
	struct cli cli = {0};
	int rc;

	if (sodium_init() < 0) {
		fprintf(stderr, "docket: cannot initialise libsodium\n");
		return 1;
	}
	cli.db_path = getenv("DOCKET_DB");
	if (!cli.db_path || !*cli.db_path)
		cli.db_path = "docket.db";
	keys_dir_set(getenv("DOCKET_KEYS"));
	cli.user = getenv("DOCKET_USER");
	if (cli.user && !*cli.user)
		cli.user = NULL;
	cli.interactive = isatty(STDERR_FILENO);

	argc = global_options(&cli, argc, argv);
	if (argc < 0)
		rc = -E_USAGE;
	else if ((rc = clock_now(&cli.now)) == 0)
		rc = run(&cli, argc, argv);
	cli_close(&cli);
	if (fflush(stdout) != 0 && rc == 0)
		rc = err_set(E_IO, "cannot write standard output");
	if (rc < 0) {
		enum err_code code = err_from_rc(rc);
		char remedy[256];
		cmd_remedy_text(remedy, sizeof(remedy));
		if (err_msg()[0])
			fprintf(stderr, "docket: %s%s\n", err_msg(), remedy);
		else if (code != E_USAGE)
			fprintf(stderr, "docket: %s\n", err_name(code));
		return err_exit_code(code);
	}
	return 0;
}
