/*
 * cmd_init.c - `docket init` (a new database, its Ed25519 signing key and
 * its vault data key in 0600 files beside it, the log's origin, and the
 * first admin: app_init) and `docket user add` (app_user_add).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "app/admin.h"
#include "cmd/auth_cmds.h"
#include "cmd/cmd.h"

static const struct command init_cmd = {
	"init", cmd_init, "init [--origin NAME] [--admin NAME]",
	"create a database, its signing key, its vault key and the first admin",
	"Creates the database (--db / DOCKET_DB, default ./docket.db), an Ed25519\n"
	"signing key in DB.key (mode 0600), the key that encrypts vault content in\n"
	"DB.vault-key (mode 0600), the key of the log's identifier references in\n"
	"DB.ref-key (mode 0600; never logged) and the first admin user (--admin, else\n"
	"the acting user, else 'admin').  --origin names the log in its signed\n"
	"checkpoints (default " APP_DEFAULT_ORIGIN "); it must not contain spaces or '+'."};

int cmd_init(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"origin", required_argument, NULL, 'o'},
		{"admin", required_argument, NULL, 'a'},
		{0},
	};
	const char *origin = APP_DEFAULT_ORIGIN;
	const char *admin = cli->user ? cli->user : "admin";
	int c;
	if (cmd_wants_help(&init_cmd, argc, argv))
		return 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'o')
			origin = optarg;
		else if (c == 'a')
			admin = optarg;
		else
			return -E_USAGE;
	}
	if (optind != argc)
		return err_set(E_USAGE, "init takes no arguments (see 'docket init --help')");
	struct app_init_result made;
	int rc = app_init(cli->db_path, origin, admin, &made);
	if (rc < 0)
		return rc;
	if (cli->json)
		rc = cmd_print_json(json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "db",
					      cli->db_path, "key_file", made.key_file,
					      "vault_key_file", made.vault_key_file,
					      "ref_key_file", made.ref_key_file, "origin",
					      origin, "admin", admin));
	else
		printf("initialised %s (signing key %s, vault key %s, log reference key "
		       "%s, log origin %s, admin %s)\n",
		       cli->db_path, made.key_file, made.vault_key_file, made.ref_key_file,
		       origin, admin);
	app_init_release(&made);
	return rc;
}

/* --- user -------------------------------------------------------------- */

static int user_add(struct cli *cli, int argc, char **argv);

static const struct command user_cmds[] = {
	{"add", user_add, "user add NAME --role ROLE[,ROLE]", "add a staff user (or set its roles)",
	 "Roles: intake, reviewer, approver, compliance, auditor, admin.  Needs admin."},
	{0},
};

static int user_add(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"role", required_argument, NULL, 'r'}, {0}};
	const char *roles_arg = NULL;
	int c, rc;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'r')
			return -E_USAGE;
		roles_arg = optarg;
	}
	if (optind + 1 != argc || !roles_arg)
		return err_set(E_USAGE, "usage: docket %s", user_cmds[0].usage);
	const char *name = argv[optind];
	unsigned roles;
	if (!app_name_valid(name))
		return err_set(E_USAGE, "user name '%s' must be printable with no spaces", name);
	if (roles_parse(roles_arg, &roles) < 0)
		return err_set(E_USAGE, "unknown role in '%s' (roles: intake, reviewer, "
					"approver, compliance, auditor, admin)",
			       roles_arg);
	if ((rc = cli_open(cli, ROLE_BIT(ROLE_ADMIN))) < 0 ||
	    (rc = app_user_add(cli->s, name, roles)) < 0)
		return rc;
	char list[128];
	roles_format(roles, list, sizeof(list));
	if (cli->json)
		return cmd_print_json(json_pack("{s:s, s:s}", "user", name, "roles", list));
	printf("user %s: %s\n", name, list);
	return 0;
}

int cmd_user(struct cli *cli, int argc, char **argv)
{
	const struct command *const tables[] = {user_cmds, user_auth_cmds, NULL};
	return cmd_dispatch_tables(cli, "user", tables, argc, argv);
}
