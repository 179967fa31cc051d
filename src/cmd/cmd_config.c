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
#include "cmd/cmd.h"
#include "core/config.h"
#include "core/staff.h"

static int config_set(struct app *app, int argc, char **argv)
{
	if (argc != 3)
		return err_set(E_USAGE, "usage: docket config set KEY VALUE");
	const struct config_key *k = config_find(argv[1]);
	int rc;
	if (!k)
		return err_set(E_USAGE, "unknown setting '%s' (see 'docket config list')",
			       argv[1]);
	if ((rc = config_check(k, argv[2])) < 0)
		return rc;
	if ((rc = app_open(app, ROLE_BIT(ROLE_ADMIN))) < 0 || (rc = app_begin(app)) < 0)
		return rc;
	if (strcmp(k->name, "cli_auth") == 0 && strcmp(argv[2], "unix") == 0) {
		char login[64];
		if ((rc = app_os_login(login, sizeof(login))) < 0 ||
		    (rc = staff_check_unix_admin(app->st, login)) < 0) {
			app_abort(app);
			return rc;
		}
	}
	char *key = xasprintf("config.%s", k->name);
	rc = store_setting_set(app->st, key, argv[2]);
	free(key);
	if (rc == 0)
		rc = app_log(app, "config.set",
			     json_pack("{s:s, s:s}", "key", k->name, "value", argv[2]), NULL);
	if (rc == 0)
		rc = app_commit(app);
	else
		app_abort(app);
	if (rc == 0 && !app->json)
		printf("%s = %s\n", k->name, argv[2]);
	return rc;
}

static int config_get(struct app *app, int argc, char **argv)
{
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket config get KEY");
	const struct config_key *k = config_find(argv[1]);
	int rc;
	if (!k)
		return err_set(E_USAGE, "unknown setting '%s' (see 'docket config list')",
			       argv[1]);
	if ((rc = app_open(app, ROLE_BIT(ROLE_ADMIN))) < 0)
		return rc;
	char *v = NULL;
	if ((rc = config_get_value(app->st, k, &v)) < 0)
		return rc;
	if (app->json)
		rc = cmd_print_json(json_pack("{s:s, s:s?}", "key", k->name, "value", v));
	else
		printf("%s\n", v ? v : "");
	free(v);
	return rc;
}

static int config_list(struct app *app, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return err_set(E_USAGE, "usage: docket config list");
	int rc = app_open(app, ROLE_BIT(ROLE_ADMIN));
	if (rc < 0)
		return rc;
	json_t *arr = app->json ? json_array() : NULL;
	for (const struct config_key *k = config_keys; k->name; k++) {
		char *v = NULL;
		if ((rc = config_get_value(app->st, k, &v)) < 0) {
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

int cmd_config(struct app *app, int argc, char **argv)
{
	return cmd_dispatch(app, "config", config_cmds, argc, argv);
}
