/*
 * cmd_auth.c - sign-in credentials for `docket serve` (SPEC §12):
 * `user passwd NAME` (the password from standard input), `user mfa NAME`
 * (prints an otpauth:// URI once), and `token add/list/revoke`.
 *
 * Each is one call of app/auth.h (one unit of work with its log entry); no
 * secret is ever logged or printed except the one thing the operator must
 * hand on (a token, an enrolment URI), printed once on standard output.
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
#include "app/auth.h"

static int user_passwd(struct cli *cli, int argc, char **argv)
{
	struct buf pw;
	int rc;
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket user passwd NAME < password");
	const char *name = argv[1];
	if ((rc = cli_open(cli, 0)) < 0)
		return rc;
	buf_init(&pw, AUTH_PASSWORD_MAX + 2);
	rc = buf_getline(&pw, stdin);
	if (rc == 0)
		rc = err_set(E_INVALID, "no password on standard input");
	if (rc > 0) {
		if (pw.len && pw.ptr[pw.len - 1] == '\r')
			pw.ptr[--pw.len] = '\0';
		rc = app_user_passwd(cli->s, name, pw.ptr);
	}
	sodium_memzero(pw.ptr, pw.len);
	buf_release(&pw);
	if (rc == 0 && !cli->json)
		printf("password of %s set; its sessions are ended\n", name);
	return rc;
}

static int user_mfa(struct cli *cli, int argc, char **argv)
{
	char *uri = NULL;
	int rc;
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket user mfa NAME");
	if ((rc = cli_open(cli, 0)) < 0 || (rc = app_user_mfa(cli->s, argv[1], &uri)) < 0)
		return rc;
	printf("%s\n", uri);
	sodium_memzero(uri, strlen(uri));
	free(uri);
	return 0;
}

static int user_link(struct cli *cli, int argc, char **argv)
{
	char secret[AUTH_SECRET_LEN];
	int rc;
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket user link NAME");
	if ((rc = cli_open(cli, 0)) < 0 || (rc = app_signin_link(cli->s, argv[1], secret)) < 0)
		return rc;
	printf("/signin/link?k=%s\n", secret);
	sodium_memzero(secret, sizeof(secret));
	return 0;
}

const struct command user_auth_cmds[] = {
	{"passwd", user_passwd, "user passwd NAME < PASSWORD",
	 "set a user's password for the server (read from standard input)",
	 "Reads one line from standard input (at least 10 characters), stores its\n"
	 "argon2id hash and ends every session of the user.  An admin sets anyone's;\n"
	 "a user its own."},
	{"link", user_link, "user link NAME",
	 "a one-time sign-in link for the server's pages; prints its path once",
	 "Prints /signin/link?k=SECRET: put the server's origin in front.  Opening it\n"
	 "signs in as NAME once, without password or code (the operator on the\n"
	 "database host vouches); unused, it lapses after 30 minutes.  Admin only;\n"
	 "logged as auth.signin_link."},
	{"mfa", user_mfa, "user mfa NAME",
	 "enrol a user in TOTP; prints the otpauth:// URI once",
	 "Give the URI to the user's authenticator app (as a QR code or text).  From\n"
	 "then on signing in needs a 6-digit code, each accepted once.  With config\n"
	 "mfa_required (default 1) every role but auditor must be enrolled to sign in.\n"
	 "Running it again replaces the secret."},
	{0},
};

/* --- tokens ------------------------------------------------------------- */

static int token_add(struct cli *cli, int argc, char **argv)
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
	if ((rc = cli_open(cli, ROLE_BIT(ROLE_ADMIN))) < 0 ||
	    (rc = app_token_add(cli->s, name, roles, expires, token, &id)) < 0)
		return rc;
	if (cli->json)
		rc = cmd_print_json(json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "user",
					      name, "token", token));
	else
		printf("%s\n", token);
	sodium_memzero(token, sizeof(token));
	if (!cli->json)
		fprintf(stderr, "token %lld for %s: shown once, keep it secret\n", (long long)id,
			name);
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

static int token_list(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	int rc;
	if (argc != 1)
		return err_set(E_USAGE, "usage: docket token list");
	if ((rc = cli_open(cli, ROLE_BIT(ROLE_ADMIN))) < 0)
		return rc;
	struct token_list l = {cli->json ? json_array() : NULL};
	if (!l.arr)
		printf("%6s  %-16s %-28s %-20s %-20s %s\n", "ID", "USER", "ROLES", "CREATED",
		       "EXPIRES", "REVOKED");
	if ((rc = app_token_each(cli->s, token_row, &l)) < 0) {
		json_decref(l.arr);
		return rc;
	}
	return l.arr ? cmd_print_json(l.arr) : 0;
}

static int token_revoke(struct cli *cli, int argc, char **argv)
{
	uint64_t id;
	int rc;
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket token revoke ID");
	if ((rc = cmd_parse_u64(argv[1], "token id", &id)) < 0)
		return rc;
	if (id == 0 || id > INT64_MAX)
		return err_set(E_NOTFOUND, "no token %s", argv[1]);
	if ((rc = cli_open(cli, ROLE_BIT(ROLE_ADMIN))) < 0 ||
	    (rc = app_token_revoke(cli->s, (int64_t)id)) < 0)
		return rc;
	if (!cli->json)
		printf("token %llu revoked\n", (unsigned long long)id);
	return 0;
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

int cmd_token(struct cli *cli, int argc, char **argv)
{
	return cmd_dispatch(cli, "token", token_cmds, argc, argv);
}
