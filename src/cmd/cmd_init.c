/*
 * cmd_init.c - `docket init` (a new database, its Ed25519 signing key and
 * its vault data key in 0600 files beside it, the log's origin, and the
 * first admin: app_init) and `docket user ...` (app/staff.h: user
 * administration under separation of duties).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "app/admin.h"
#include "app/staff.h"
#include "cmd/auth_cmds.h"
#include "cmd/cmd.h"

static const struct command init_cmd = {
	"init", cmd_init, "init [--origin NAME] [--admin NAME]",
	"create a database, its signing key, its vault key and the first admin",
	"Creates the database (--db / DOCKET_DB, default ./docket.db), an Ed25519\n"
	"signing key in DB.key (mode 0600), the key that encrypts vault content in\n"
	"DB.vault-key (mode 0600), the key of the log's identifier references in\n"
	"DB.ref-key (mode 0600; never logged), the key that seals TOTP secrets in\n"
	"DB.mfa-key (mode 0600) and the first admin user (--admin, else\n"
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
		rc = cmd_print_json(json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "db",
					      cli->db_path, "key_file", made.key_file,
					      "vault_key_file", made.vault_key_file,
					      "ref_key_file", made.ref_key_file, "mfa_key_file",
					      made.mfa_key_file, "origin", origin, "admin",
					      admin));
	else
		printf("initialised %s (signing key %s, vault key %s, log reference key "
		       "%s, mfa key %s, log origin %s, admin %s)\n",
		       cli->db_path, made.key_file, made.vault_key_file, made.ref_key_file,
		       made.mfa_key_file, origin, admin);
	app_init_release(&made);
	return rc;
}

/* --- user: administration under separation of duties (core/access/staff.h) --- */

static int user_add(struct cli *cli, int argc, char **argv);
static int user_set(struct cli *cli, int argc, char **argv);
static int user_remove(struct cli *cli, int argc, char **argv);
static int user_confirm(struct cli *cli, int argc, char **argv);
static int user_cancel(struct cli *cli, int argc, char **argv);
static int user_list(struct cli *cli, int argc, char **argv);

#define SOD_HELP                                                                   \
	"admin is never held together with approver or reviewer.  While there are\n" \
	"two or more admins, granting admin, reviewer or approver, binding the login\n" \
	"of a user who holds one, or demoting or removing an admin is only proposed:\n" \
	"it takes effect when another admin runs 'docket user confirm ID'.  With a\n" \
	"single admin it takes effect at once, with a warning that separation of\n" \
	"duties is not in force.  The last admin cannot be removed or demoted."

static const struct command user_cmds[] = {
	{"add", user_add, "user add NAME --role ROLE[,ROLE] [--unix LOGIN]",
	 "add a staff user",
	 "Roles: intake, reviewer, approver, compliance, auditor, admin.  --unix binds\n"
	 "the user to an operating-system login (for 'config set cli_auth unix').\n"
	 "Needs admin.\n\n" SOD_HELP},
	{"set", user_set, "user set NAME [--role ROLE[,ROLE]] [--unix LOGIN | --no-unix]",
	 "change a user's roles or login", "Needs admin.\n\n" SOD_HELP},
	{"remove", user_remove, "user remove NAME", "remove a staff user",
	 "Needs admin.  The last admin cannot be removed; removing an admin while\n"
	 "there are two or more is confirmed by another admin."},
	{"confirm", user_confirm, "user confirm ID",
	 "confirm another admin's proposal (it takes effect now)", "Needs admin."},
	{"cancel", user_cancel, "user cancel ID", "cancel a pending proposal",
	 "Needs admin."},
	{"list", user_list, "user list", "the staff, their roles and pending proposals",
	 "Any role may run it."},
	{0},
};

static void print_outcome(struct cli *cli, const char *name, const struct staff_outcome *o)
{
	char list[128];
	roles_format(o->roles, list, sizeof(list));
	if (o->proposed)
		printf("proposed %lld: %s %s%s%s%s; another admin confirms it with 'docket "
		       "user confirm %lld'\n",
		       (long long)o->proposal, o->removed ? "remove" : "user", name,
		       o->removed ? "" : ": ", o->removed ? "" : list,
		       o->login[0] && !o->removed ? " (login set)" : "",
		       (long long)o->proposal);
	else if (o->removed)
		printf("user %s removed\n", name);
	else if (o->login[0])
		printf("user %s: %s (login %s)\n", name, list, o->login);
	else
		printf("user %s: %s\n", name, list);
	if (o->sole_admin)
		fprintf(stderr, "docket: warning: %s has a single admin: separation of duties "
				"is not in force until a second admin is added\n",
			cli->db_path);
}

/* One unit of work around a staff change. */
static int run_change(struct cli *cli, const struct staff_change *c)
{
	struct staff_outcome o;
	int rc;
	if ((rc = cli_open(cli, ROLE_BIT(ROLE_ADMIN))) < 0 ||
	    (rc = app_user_change(cli->s, c, &o)) < 0)
		return rc;
	if (cli->json) {
		if (o.sole_admin)
			fprintf(stderr, "docket: warning: separation of duties is not in force "
					"(a single admin)\n");
		return cmd_print_json(app_staff_outcome_json(c->name, &o));
	}
	print_outcome(cli, c->name, &o);
	return 0;
}

static int parse_roles(const char *arg, unsigned *roles)
{
	if (roles_parse(arg, roles) < 0 || *roles == 0)
		return err_set(E_USAGE, "unknown role in '%s' (roles: intake, reviewer, "
					"approver, compliance, auditor, admin)",
			       arg);
	return 0;
}

/* user add / user set: NAME [--role R] [--unix LOGIN] [--no-unix] */
static int user_add_or_set(struct cli *cli, int argc, char **argv, enum staff_op op)
{
	static const struct option opts[] = {{"role", required_argument, NULL, 'r'},
					     {"unix", required_argument, NULL, 'u'},
					     {"no-unix", no_argument, NULL, 'n'},
					     {0}};
	struct staff_change c = {.op = op};
	const char *roles_arg = NULL;
	int ch, rc;
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'r')
			roles_arg = optarg;
		else if (ch == 'u')
			c.unix_login = optarg;
		else if (ch == 'n' && op == STAFF_SET)
			c.unbind = 1;
		else
			return err_set(E_USAGE, "usage: docket %s", user_cmds[op].usage);
	}
	if (optind + 1 != argc || (op == STAFF_ADD && !roles_arg) ||
	    (op == STAFF_SET && !roles_arg && !c.unix_login && !c.unbind) ||
	    (c.unbind && c.unix_login))
		return err_set(E_USAGE, "usage: docket %s", user_cmds[op].usage);
	c.name = argv[optind];
	if (!staff_name_valid(c.name))
		return err_set(E_USAGE, "user name '%s' must be printable with no spaces",
			       c.name);
	if (roles_arg && (rc = parse_roles(roles_arg, &c.roles)) < 0)
		return rc;
	return run_change(cli, &c);
}

static int user_add(struct cli *cli, int argc, char **argv)
{
	return user_add_or_set(cli, argc, argv, STAFF_ADD);
}

static int user_set(struct cli *cli, int argc, char **argv)
{
	return user_add_or_set(cli, argc, argv, STAFF_SET);
}

static int user_remove(struct cli *cli, int argc, char **argv)
{
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket %s", user_cmds[2].usage);
	struct staff_change c = {.op = STAFF_REMOVE, .name = argv[1]};
	return run_change(cli, &c);
}

static int parse_proposal(const char *s, int64_t *id)
{
	uint64_t v;
	int rc = cmd_parse_u64(s, "proposal id", &v);
	if (rc < 0)
		return rc;
	if (v == 0 || v > INT64_MAX)
		return err_set(E_USAGE, "proposal id '%s' is out of range", s);
	*id = (int64_t)v;
	return 0;
}

static int user_confirm(struct cli *cli, int argc, char **argv)
{
	int64_t id = 0;
	int rc;
	struct staff_outcome o;
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket %s", user_cmds[3].usage);
	if ((rc = parse_proposal(argv[1], &id)) < 0)
		return rc;
	if ((rc = cli_open(cli, ROLE_BIT(ROLE_ADMIN))) < 0 ||
	    (rc = app_user_confirm(cli->s, id, &o)) < 0)
		return rc;
	if (cli->json)
		return cmd_print_json(json_pack("{s:I, s:s}", "proposal", (json_int_t)id,
						"state", "confirmed"));
	printf("proposal %lld confirmed\n", (long long)id);
	return 0;
}

static int user_cancel(struct cli *cli, int argc, char **argv)
{
	int64_t id = 0;
	int rc;
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket %s", user_cmds[4].usage);
	if ((rc = parse_proposal(argv[1], &id)) < 0)
		return rc;
	if ((rc = cli_open(cli, ROLE_BIT(ROLE_ADMIN))) < 0 ||
	    (rc = app_user_cancel(cli->s, id)) < 0)
		return rc;
	if (cli->json)
		return cmd_print_json(json_pack("{s:I, s:s}", "proposal", (json_int_t)id,
						"state", "cancelled"));
	printf("proposal %lld cancelled\n", (long long)id);
	return 0;
}

static int user_list(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	int rc;
	json_t *all = NULL;
	if (argc != 1)
		return err_set(E_USAGE, "usage: docket %s", user_cmds[5].usage);
	if ((rc = cli_open(cli, 0)) < 0 || (rc = app_user_list(cli->s, &all)) < 0)
		return rc;
	if (cli->json)
		return cmd_print_json(all);
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(all, "users"), i, u)
	{
		const char *login = json_string_value(json_object_get(u, "unix"));
		printf("%-24s %s%s%s\n", json_string_value(json_object_get(u, "name")),
		       json_string_value(json_object_get(u, "roles")),
		       login ? "  login " : "", login ? login : "");
	}
	json_array_foreach(json_object_get(all, "proposals"), i, u)
	{
		const char *op = json_string_value(json_object_get(u, "op"));
		int rm = strcmp(op, "remove") == 0;
		printf("proposal %lld by %s: %s %s%s%s (confirm with 'docket user confirm "
		       "%lld')\n",
		       (long long)json_integer_value(json_object_get(u, "id")),
		       json_string_value(json_object_get(u, "proposed_by")), op,
		       json_string_value(json_object_get(u, "user")), rm ? "" : " ",
		       rm ? "" : json_string_value(json_object_get(u, "roles")),
		       (long long)json_integer_value(json_object_get(u, "id")));
	}
	if (!json_is_true(json_object_get(all, "separation_of_duties")))
		printf("warning: a single admin: separation of duties is not in force\n");
	json_decref(all);
	return 0;
}

int cmd_user(struct cli *cli, int argc, char **argv)
{
	const struct command *const tables[] = {user_cmds, user_auth_cmds, NULL};
	return cmd_dispatch_tables(cli, "user", tables, argc, argv);
}
