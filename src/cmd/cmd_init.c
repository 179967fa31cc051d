/*
 * cmd_init.c - `docket init`: a new database, its Ed25519 signing key and
 * its vault data key in 0600 files beside it, the log's origin, and the
 * first admin.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/util.h"
#include "cmd/auth_cmds.h"
#include "cmd/cmd.h"
#include "core/vault.h"
#include "log/signer.h"

#define DEFAULT_ORIGIN "docket.local/log"

static const struct command init_cmd = {
	"init", cmd_init, "init [--origin NAME] [--admin NAME]",
	"create a database, its signing key, its vault key and the first admin",
	"Creates the database (--db / DOCKET_DB, default ./docket.db), an Ed25519\n"
	"signing key in DB.key (mode 0600), the key that encrypts vault content in\n"
	"DB.vault-key (mode 0600) and the first admin user (--admin, else\n"
	"the acting user, else 'admin').  --origin names the log in its signed\n"
	"checkpoints (default " DEFAULT_ORIGIN "); it must not contain spaces or '+'."};

static int origin_valid(const char *s)
{
	if (!*s || strlen(s) > 200)
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '+' || (unsigned char)*p >= 0x7f)
			return 0;
	return 1;
}

static int name_valid(const char *s)
{
	if (!*s || strlen(s) > 64)
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			return 0;
	return 1;
}

static int init_db(struct app *app, const char *origin, const char *admin)
{
	int rc;
	json_t *ev;
	if ((rc = store_open(app->db_path, STORE_CREATE, &app->st)) < 0)
		return rc;
	app->user = admin;
	app->origin = xstrdup(origin);
	if ((rc = app_begin(app)) < 0)
		return rc;
	if ((rc = store_setting_set(app->st, "log.origin", origin)) < 0 ||
	    (rc = store_setting_set(app->st, "log.key", signer_verifier_key(app->signer))) < 0 ||
	    (rc = store_user_add(app->st, admin, ROLE_BIT(ROLE_ADMIN))) < 0)
		goto out;
	ev = json_pack("{s:s, s:s}", "origin", origin, "key", signer_verifier_key(app->signer));
	if ((rc = app_log(app, "log.init", ev, NULL)) < 0)
		goto out;
	ev = json_pack("{s:s, s:s}", "user", admin, "roles", "admin");
	if ((rc = app_log(app, "user.add", ev, NULL)) < 0)
		goto out;
	return app_commit(app);
out:
	app_abort(app);
	return rc;
}

int cmd_init(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{"origin", required_argument, NULL, 'o'},
		{"admin", required_argument, NULL, 'a'},
		{0},
	};
	const char *origin = DEFAULT_ORIGIN;
	const char *admin = app->user ? app->user : "admin";
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
	if (!origin_valid(origin))
		return err_set(E_USAGE, "origin '%s' must be printable with no spaces or '+'",
			       origin);
	if (!name_valid(admin))
		return err_set(E_USAGE, "admin name '%s' must be printable with no spaces",
			       admin);

	struct stat sb;
	if (stat(app->db_path, &sb) == 0)
		return err_set(E_REFUSED, "database '%s' already exists", app->db_path);
	char *key = xasprintf("%s.key", app->db_path);
	char *vkey = xasprintf("%s" VAULT_KEY_SUFFIX, app->db_path);
	int made_key = 0, made_vkey = 0;
	int rc = signer_generate(key, origin);
	if (rc == 0) {
		made_key = 1;
		rc = vault_key_generate(vkey);
	}
	if (rc == 0) {
		made_vkey = 1;
		rc = init_db(app, origin, admin);
	}
	if (rc < 0) {
		store_close(app->st);
		app->st = NULL;
		unlink(app->db_path);
		char *wal = xasprintf("%s-wal", app->db_path);
		char *shm = xasprintf("%s-shm", app->db_path);
		unlink(wal);
		unlink(shm);
		free(wal);
		free(shm);
		if (made_key)
			unlink(key);
		if (made_vkey)
			unlink(vkey);
	}
	if (rc == 0) {
		if (app->json)
			rc = cmd_print_json(json_pack("{s:s, s:s, s:s, s:s, s:s}", "db",
						      app->db_path, "key_file", key,
						      "vault_key_file", vkey, "origin",
						      origin, "admin", admin));
		else
			printf("initialised %s (signing key %s, vault key %s, log origin %s, "
			       "admin %s)\n",
			       app->db_path, key, vkey, origin, admin);
	}
	free(key);
	free(vkey);
	return rc;
}

/* --- user -------------------------------------------------------------- */

static int user_add(struct app *app, int argc, char **argv);

static const struct command user_cmds[] = {
	{"add", user_add, "user add NAME --role ROLE[,ROLE]", "add a staff user (or set its roles)",
	 "Roles: intake, reviewer, approver, compliance, auditor, admin.  Needs admin."},
	{0},
};

static int user_add(struct app *app, int argc, char **argv)
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
	if (!name_valid(name))
		return err_set(E_USAGE, "user name '%s' must be printable with no spaces", name);
	if (roles_parse(roles_arg, &roles) < 0)
		return err_set(E_USAGE, "unknown role in '%s' (roles: intake, reviewer, "
					"approver, compliance, auditor, admin)",
			       roles_arg);
	if ((rc = app_open(app, ROLE_BIT(ROLE_ADMIN))) < 0 || (rc = app_begin(app)) < 0)
		return rc;
	char list[128];
	roles_format(roles, list, sizeof(list));
	if ((rc = store_user_add(app->st, name, roles)) < 0 ||
	    (rc = app_log(app, "user.add", json_pack("{s:s, s:s}", "user", name, "roles", list),
			  NULL)) < 0 ||
	    (rc = app_commit(app)) < 0) {
		app_abort(app);
		return rc;
	}
	if (app->json)
		return cmd_print_json(json_pack("{s:s, s:s}", "user", name, "roles", list));
	printf("user %s: %s\n", name, list);
	return 0;
}

int cmd_user(struct app *app, int argc, char **argv)
{
	const struct command *const tables[] = {user_cmds, user_auth_cmds, NULL};
	return cmd_dispatch_tables(app, "user", tables, argc, argv);
}
