/*
 * cmd_auth.c - sign-in credentials for `docket serve` (SPEC §12):
 * `user passwd NAME` (the password from standard input), `user mfa NAME`
 * (prints an otpauth:// URI once), and `token add/list/revoke`.
 *
 * Each change is one unit of work with its log entry; no secret is ever
 * logged or printed except the one thing the operator must hand on (a
 * token, an enrolment URI), printed once on standard output.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "cmd/auth_cmds.h"
#include "cmd/cmd.h"
#include "core/auth.h"

/* Admins manage everyone's credentials; a user may set its own password. */
static int open_for(struct app *app, const char *name)
{
	int rc = app_open(app, 0);
	if (rc < 0)
		return rc;
	if (strcmp(app->user, name) == 0)
		return 0;
	return app_require(app, ROLE_BIT(ROLE_ADMIN), "change another user's sign-in");
}

static int user_passwd(struct app *app, int argc, char **argv)
{
	struct buf pw;
	int rc;
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket user passwd NAME < password");
	const char *name = argv[1];
	if ((rc = open_for(app, name)) < 0)
		return rc;
	buf_init(&pw, AUTH_PASSWORD_MAX + 2);
	rc = buf_getline(&pw, stdin);
	if (rc == 0)
		rc = err_set(E_INVALID, "no password on standard input");
	if (rc < 0) {
		sodium_memzero(pw.ptr, pw.len);
		buf_release(&pw);
		return rc;
	}
	if (pw.len && pw.ptr[pw.len - 1] == '\r')
		pw.ptr[--pw.len] = '\0';
	if ((rc = app_begin(app)) == 0) {
		if ((rc = auth_password_set(app->st, name, pw.ptr, app->now)) < 0 ||
		    (rc = app_log(app, "user.passwd", json_pack("{s:s}", "user", name), NULL)) < 0 ||
		    (rc = app_commit(app)) < 0)
			app_abort(app);
	}
	sodium_memzero(pw.ptr, pw.len);
	buf_release(&pw);
	if (rc == 0 && !app->json)
		printf("password of %s set; its sessions are ended\n", name);
	return rc;
}

static int user_mfa(struct app *app, int argc, char **argv)
{
	char *uri = NULL;
	int rc;
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket user mfa NAME");
	const char *name = argv[1];
	if ((rc = open_for(app, name)) < 0 || (rc = app_begin(app)) < 0)
		return rc;
	const char *issuer = app->origin ? app->origin : "docket";
	if ((rc = auth_mfa_enrol(app->st, name, issuer, &uri)) < 0 ||
	    (rc = app_log(app, "user.mfa", json_pack("{s:s}", "user", name), NULL)) < 0 ||
	    (rc = app_commit(app)) < 0) {
		app_abort(app);
	} else {
		printf("%s\n", uri);
	}
	if (uri) {
		sodium_memzero(uri, strlen(uri));
		free(uri);
	}
	return rc;
}

const struct command user_auth_cmds[] = {
	{"passwd", user_passwd, "user passwd NAME < PASSWORD",
	 "set a user's password for the server (read from standard input)",
	 "Reads one line from standard input (at least 10 characters), stores its\n"
	 "argon2id hash and ends every session of the user.  An admin sets anyone's;\n"
	 "a user its own."},
	{"mfa", user_mfa, "user mfa NAME",
	 "enrol a user in TOTP; prints the otpauth:// URI once",
	 "Give the URI to the user's authenticator app (as a QR code or text).  From\n"
	 "then on signing in needs a 6-digit code, each accepted once.  With config\n"
	 "mfa_required (default 1) every role but auditor must be enrolled to sign in.\n"
	 "Running it again replaces the secret."},
	{0},
};

/* --- tokens ------------------------------------------------------------- */

static int token_add(struct app *app, int argc, char **argv)
{
	static const struct option opts[] = {
		{"role", required_argument, NULL, 'r'},
		{"expires", required_argument, NULL, 'e'},
		{0},
	};
	const char *roles_arg = NULL, *expires_arg = NULL;
	unsigned roles = 0;
	int64_t expires = 0, id = 0;
	char token[AUTH_SECRET_LEN];
	struct ts ts;
	int c, rc;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'r')
			roles_arg = optarg;
		else if (c == 'e')
			expires_arg = optarg;
		else
			return -E_USAGE;
	}
	if (optind + 1 != argc)
		return err_set(E_USAGE, "usage: docket token add NAME [--role R,...] "
					"[--expires DATE]");
	const char *name = argv[optind];
	if (roles_arg && roles_parse(roles_arg, &roles) < 0)
		return err_set(E_USAGE, "unknown role in '%s'", roles_arg);
	if (expires_arg) {
		if (ts_parse(expires_arg, &ts) < 0)
			return err_set(E_USAGE, "--expires '%s' is not a date", expires_arg);
		expires = ts.t;
	}
	if ((rc = app_open(app, ROLE_BIT(ROLE_ADMIN))) < 0 || (rc = app_begin(app)) < 0)
		return rc;
	char list[128];
	if ((rc = auth_token_add(app->st, name, roles, expires, app->now, token, &id)) < 0)
		goto fail;
	unsigned have = 0;
	if (!roles && (rc = store_user_roles(app->st, name, &have)) < 0)
		goto fail;
	roles_format(roles ? roles : have, list, sizeof(list));
	json_t *ev = json_pack("{s:I, s:s, s:s}", "token", (json_int_t)id, "user", name, "roles",
			       list);
	if (expires) {
		char at[TS_BUFSZ];
		time_format(expires, at);
		json_object_set_new(ev, "expires_at", json_string(at));
	}
	if ((rc = app_log(app, "token.add", ev, NULL)) < 0 || (rc = app_commit(app)) < 0)
		goto fail;
	if (app->json)
		rc = cmd_print_json(json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "user",
					      name, "roles", list, "token", token));
	else
		printf("%s\n", token);
	sodium_memzero(token, sizeof(token));
	if (!app->json)
		fprintf(stderr, "token %lld for %s (%s): shown once, keep it secret\n",
			(long long)id, name, list);
	return rc;
fail:
	app_abort(app);
	sodium_memzero(token, sizeof(token));
	return rc;
}

struct token_list {
	json_t *arr;
};

static int token_row(void *ctx, const struct token_record *t)
{
	struct token_list *l = ctx;
	char roles[128], created[TS_BUFSZ], expires[TS_BUFSZ] = "-", revoked[TS_BUFSZ] = "-";
	roles_format(t->roles, roles, sizeof(roles));
	time_format(t->created_at, created);
	if (t->expires_at)
		time_format(t->expires_at, expires);
	if (t->revoked_at)
		time_format(t->revoked_at, revoked);
	if (l->arr) {
		json_t *j = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)t->id, "user",
				      t->user, "roles", roles, "created_at", created);
		json_object_set_new(j, "expires_at", t->expires_at ? json_string(expires)
								   : json_null());
		json_object_set_new(j, "revoked_at", t->revoked_at ? json_string(revoked)
								   : json_null());
		json_array_append_new(l->arr, j);
	} else {
		printf("%6lld  %-16s %-28s %-20s %-20s %s\n", (long long)t->id, t->user, roles,
		       created, expires, revoked);
	}
	return 0;
}

static int token_list(struct app *app, int argc, char **argv)
{
	(void)argv;
	int rc;
	if (argc != 1)
		return err_set(E_USAGE, "usage: docket token list");
	if ((rc = app_open(app, ROLE_BIT(ROLE_ADMIN))) < 0)
		return rc;
	struct token_list l = {app->json ? json_array() : NULL};
	if (!l.arr)
		printf("%6s  %-16s %-28s %-20s %-20s %s\n", "ID", "USER", "ROLES", "CREATED",
		       "EXPIRES", "REVOKED");
	if ((rc = store_token_each(app->st, token_row, &l)) < 0) {
		json_decref(l.arr);
		return rc;
	}
	return l.arr ? cmd_print_json(l.arr) : 0;
}

static int token_revoke(struct app *app, int argc, char **argv)
{
	uint64_t id;
	char *user = NULL;
	int rc;
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket token revoke ID");
	if ((rc = cmd_parse_u64(argv[1], "token id", &id)) < 0)
		return rc;
	if (id == 0 || id > INT64_MAX)
		return err_set(E_NOTFOUND, "no token %s", argv[1]);
	if ((rc = app_open(app, ROLE_BIT(ROLE_ADMIN))) < 0 || (rc = app_begin(app)) < 0)
		return rc;
	if ((rc = store_token_revoke(app->st, (int64_t)id, app->now, &user)) < 0 ||
	    (rc = app_log(app, "token.revoke",
			  json_pack("{s:I, s:s}", "token", (json_int_t)id, "user", user), NULL)) <
		    0 ||
	    (rc = app_commit(app)) < 0)
		app_abort(app);
	else if (!app->json)
		printf("token %llu of %s revoked\n", (unsigned long long)id, user);
	free(user);
	return rc;
}

static const struct command token_cmds[] = {
	{"add", token_add, "token add NAME [--role R,...] [--expires DATE]",
	 "an API token acting as NAME; prints it once (admin)",
	 "The token acts as the user, limited to the listed roles (default: all of\n"
	 "its roles), and never beyond the roles the user holds when it is used.\n"
	 "Only its SHA-256 is stored.  Send it as 'Authorization: Bearer TOKEN'."},
	{"list", token_list, "token list", "every token: id, user, roles, dates (admin)",
	 NULL},
	{"revoke", token_revoke, "token revoke ID",
	 "revoke a token; the server refuses it from the next request on (admin)", NULL},
	{0},
};

int cmd_token(struct app *app, int argc, char **argv)
{
	return cmd_dispatch(app, "token", token_cmds, argc, argv);
}
