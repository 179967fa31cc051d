/*
 * cmd_config.c - `docket config set|get|list`: the settings an operator may
 * change, each one row of one table with its default, its meaning and its
 * check.  Settings live in the database; setting one is logged (the value
 * itself is logged except for settings marked secret-adjacent, which name a
 * file rather than hold a secret).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "app/admin.h"
#include "app/staff.h"
#include "cmd/cmd.h"

static int config_set(struct cli *cli, int argc, char **argv)
{
	int rc;
	if (argc != 3)
		return err_set(E_USAGE, "usage: docket config set KEY VALUE");
	if (!config_find(argv[1]))
		return err_set(E_USAGE, "unknown setting '%s' (see 'docket config list')",
			       argv[1]);
	if ((rc = cli_open(cli, 0)) < 0)
		return rc;
	/* binding the command line to logins must not lock the admins out */
	if (strcmp(argv[1], "cli_auth") == 0 && strcmp(argv[2], "unix") == 0 &&
	    (rc = app_check_unix_admin(cli->s, cli_os_login())) < 0)
		return rc;
	if ((rc = app_config_set(cli->s, argv[1], argv[2])) < 0)
		return rc;
	if (!cli->json)
		printf("%s = %s\n", argv[1], argv[2]);
	return 0;
}

static int config_get(struct cli *cli, int argc, char **argv)
{
	char *v = NULL;
	int rc;
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket config get KEY");
	if (!config_find(argv[1]))
		return err_set(E_USAGE, "unknown setting '%s' (see 'docket config list')",
			       argv[1]);
	if ((rc = cli_open(cli, ROLE_BIT(ROLE_ADMIN))) < 0 ||
	    (rc = app_config_get(cli->s, argv[1], &v)) < 0)
		return rc;
	if (cli->json)
		rc = cmd_print_json(json_pack("{s:s, s:s?}", "key", argv[1], "value", v));
	else
		printf("%s\n", v ? v : "");
	free(v);
	return rc;
}

static int config_list(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return err_set(E_USAGE, "usage: docket config list");
	int rc = cli_open(cli, ROLE_BIT(ROLE_ADMIN));
	if (rc < 0)
		return rc;
	json_t *arr = cli->json ? json_array() : NULL;
	for (const struct config_key *k = config_keys; k->name; k++) {
		char *v = NULL;
		if ((rc = app_config_get(cli->s, k->name, &v)) < 0) {
			json_decref(arr);
			return rc;
		}
		if (arr)
			json_array_append_new(arr, json_pack("{s:s, s:s?, s:s}", "key", k->name,
							     "value", v, "help", k->help));
		else
			printf("%-28s %-30s %s\n", k->name, v ? v : "(unset)", k->help);
		free(v);
	}
	return arr ? cmd_print_json(arr) : 0;
}

static const struct command config_cmds[] = {
	{"set", config_set, "config set KEY VALUE", "change a setting (admin)", NULL},
	{"get", config_get, "config get KEY", "print a setting (admin)", NULL},
	{"list", config_list, "config list", "every setting, its value and meaning (admin)",
	 NULL},
	{0},
};

int cmd_config(struct cli *cli, int argc, char **argv)
{
	return cmd_dispatch(cli, "config", config_cmds, argc, argv);
}
