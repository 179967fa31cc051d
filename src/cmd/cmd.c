/*
 * cmd.c - the machinery every command shares: dispatch and help, opening
 * the session as a user with a role, input files, JSON output and
 * progress.
 */
#include <errno.h>
#include <pwd.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "app/staff.h"
#include "app/import.h"
#include "cmd/cmd.h"

void cmd_print_usage(const struct command *c)
{
	printf("usage: docket %s\n\n%s\n", c->usage, c->summary);
	if (c->help)
		printf("\n%s\n", c->help);
}

int cmd_wants_help(const struct command *c, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cmd_print_usage(c);
			return 1;
		}
	}
	return 0;
}

static void group_usage(FILE *fp, const char *group,
			const struct command *const *tables)
{
	fprintf(fp, "usage: docket %s SUBCOMMAND ...\n\n", group);
	for (; *tables; tables++)
		for (const struct command *c = *tables; c->name; c++)
			fprintf(fp, "  docket %s\n      %s\n", c->usage, c->summary);
	fprintf(fp, "\nRun 'docket %s SUBCOMMAND --help' for details.\n", group);
}

int cmd_dispatch_tables(struct cli *cli, const char *group,
			const struct command *const *tables, int argc, char **argv)
{
	if (argc < 2) {
		group_usage(stderr, group, tables);
		return -E_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		group_usage(stdout, group, tables);
		return 0;
	}
	for (const struct command *const *t = tables; *t; t++) {
		for (const struct command *c = *t; c->name; c++) {
			if (strcmp(c->name, argv[1]) != 0)
				continue;
			if (cmd_wants_help(c, argc - 1, argv + 1))
				return 0;
			/* "-2" would reach getopt as an unknown option */
			for (int i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
				if (argv[i][0] == '-' && argv[i][1] >= '0' && argv[i][1] <= '9')
					return err_set(E_USAGE,
						       "'%s' is negative: ids and numbers are "
						       "positive (see 'docket %s %s --help')",
						       argv[i], group, c->name);
			return c->fn(cli, argc - 1, argv + 1);
		}
	}
	return err_set(E_USAGE, "unknown command '%s %s' (see 'docket %s --help')", group,
		       argv[1], group);
}

int cmd_dispatch(struct cli *cli, const char *group, const struct command *table,
		 int argc, char **argv)
{
	const struct command *const tables[] = {table, NULL};
	return cmd_dispatch_tables(cli, group, tables, argc, argv);
}

const char *cli_os_login(void)
{
	static char login[64];
	struct passwd pw, *res = NULL;
	char buf[4096];
	if (getpwuid_r(geteuid(), &pw, buf, sizeof(buf), &res) != 0 || !res ||
	    str_copy(login, sizeof(login), pw.pw_name) < 0)
		return NULL;
	return login;
}

int cli_open(struct cli *cli, unsigned roles)
{
	int rc;
	if (!cli->s) {
		free(cli->actor);
		cli->actor = NULL;
		if ((rc = app_cli_actor(cli->db_path, cli->user, cli_os_login(), &cli->actor)) <
		    0)
			return rc;
		/* cli_auth name (the default) needs a name; unix mode found the login */
		if (!cli->actor)
			return err_set(E_USAGE,
				       "no acting user: pass --as NAME or set DOCKET_USER");
		if ((rc = session_open(cli->db_path, cli->actor, &cli->s)) < 0)
			return rc;
		session_set_rules_dir(cli->s, getenv("DOCKET_RULES_DIR"));
	}
	return session_require(cli->s, roles, "run this command");
}

void cli_close(struct cli *cli)
{
	session_close(cli->s);
	cli->s = NULL;
	free(cli->actor);
	cli->actor = NULL;
}

void cmd_remedy_text(char *out, size_t outsz)
{
	long long id;
	switch (err_remedy(&id)) {
	case REMEDY_INIT:
		snprintf(out, outsz, " (run 'docket init' first, or set --db / DOCKET_DB)");
		break;
	case REMEDY_REDIRECT:
		snprintf(out, outsz,
			 " (redirect: 'docket request decide %lld redirect --reason TEXT "
			 "[--target VALUE]'; the justification: --extraordinary TEXT)",
			 id);
		break;
	case REMEDY_REASSESS:
		snprintf(out, outsz,
			 " (register it with 'docket agency import FILE' and run 'docket "
			 "request reassess %lld', or run 'docket request reassess %lld "
			 "--agency ID')",
			 id, id);
		break;
	case REMEDY_REASON:
		snprintf(out, outsz, " (--reason TEXT)");
		break;
	case REMEDY_ADD_USER:
		snprintf(out, outsz, " (an admin adds users with 'docket user add')");
		break;
	case REMEDY_VOID:
		snprintf(out, outsz, " ('docket request void %lld --reason TEXT')", id);
		break;
	case REMEDY_NDO:
		snprintf(out, outsz, " ('docket ndo add/extend/lift')");
		break;
	case REMEDY_DECIDE_WHOLE:
		snprintf(out, outsz, " ('docket request decide %lld ACTION --reason TEXT')", id);
		break;
	case REMEDY_FIND_REF:
		snprintf(out, outsz, " ('docket request list --q REFERENCE')");
		break;
	case REMEDY_BIND_LOGIN:
		snprintf(out, outsz, " (an admin binds it with 'docket user set NAME --unix LOGIN')");
		break;
	case REMEDY_REMOVE_USER:
		snprintf(out, outsz, " (remove a user with 'docket user remove')");
		break;
	case REMEDY_LIST_PROPOSALS:
		snprintf(out, outsz, " (see 'docket user list')");
		break;
	case REMEDY_VERIFY_LOG:
		snprintf(out, outsz, " (run 'docket log verify')");
		break;
	case REMEDY_IMPORT_UPDATE:
		snprintf(out, outsz, " (run the import again with --update)");
		break;
	case REMEDY_LIST_WITNESSES:
		snprintf(out, outsz, " (see 'docket witness list')");
		break;
	case REMEDY_SECOND_APPROVER:
		snprintf(out, outsz, " (another approver runs 'docket request approve %lld')", id);
		break;
	default:
		out[0] = '\0';
	}
}

int cmd_read_file(const char *path, size_t max, struct buf *out)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!fp)
		return err_set(errno == ENOENT ? E_NOTFOUND : E_IO, "cannot open '%s': %s",
			       path, strerror(errno));
	buf_init(out, max);
	int rc = buf_read_file(out, fp, strcmp(path, "-") == 0 ? "standard input" : path);
	if (fp != stdin)
		fclose(fp);
	if (rc < 0)
		buf_release(out);
	return rc;
}

int cmd_print_json(json_t *j)
{
	if (!j)
		return err_set(E_INTERNAL, "nothing to print");
	int rc = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(j);
	fputc('\n', stdout);
	return rc == 0 ? 0 : err_set(E_IO, "cannot write standard output");
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void progress_start(void *ctx, const char *what, uint64_t total)
{
	struct progress *p = ctx;
	p->what = what;
	p->total = total;
	p->last_ms = 0;
	p->shown = 0;
}

static void progress_update(void *ctx, uint64_t n)
{
	struct progress *p = ctx;
	if (!p->enabled)
		return;
	int64_t t = now_ms();
	if (t - p->last_ms < 200)
		return;
	p->last_ms = t;
	p->shown = 1;
	if (p->total)
		fprintf(stderr, "\r%s: %llu/%llu (%d%%)", p->what, (unsigned long long)n,
			(unsigned long long)p->total, (int)(n * 100 / p->total));
	else
		fprintf(stderr, "\r%s: %llu", p->what, (unsigned long long)n);
}

static void progress_finish(void *ctx, uint64_t n)
{
	struct progress *p = ctx;
	if (!p->enabled || !p->shown)
		return;
	fprintf(stderr, "\r%s: %llu, done\n", p->what, (unsigned long long)n);
}

struct app_progress cli_progress(struct cli *cli, struct progress *p)
{
	*p = (struct progress){.what = "", .enabled = cli->interactive};
	return (struct app_progress){progress_start, progress_update, progress_finish, p};
}

int cmd_string_options(int argc, char **argv, const struct cmd_option *opts, void *out)
{
	struct option lo[CMD_OPTIONS_MAX + 1];
	size_t n = 0;
	int c;
	for (; opts[n].name; n++) {
		if (n == CMD_OPTIONS_MAX)
			return err_set(E_INTERNAL, "too many options");
		lo[n] = (struct option){opts[n].name, required_argument, NULL, (int)n + 1};
	}
	lo[n] = (struct option){0};
	optind = 0;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c < 1 || (size_t)c > n)
			return -E_USAGE;
		*(const char **)((char *)out + opts[c - 1].offset) = optarg;
	}
	return 0;
}

int cmd_parse_date(const char *s, const char *opt, struct ts *out)
{
	if (ts_parse(s, out) < 0)
		return err_set(E_USAGE, "%s '%s' is not a date (YYYY-MM-DD or RFC 3339)", opt, s);
	return 0;
}

int cmd_import(struct cli *cli, const char *file, cmd_import_fn fn, size_t *count)
{
	struct buf text;
	struct progress pr;
	struct app_progress hook = cli_progress(cli, &pr);
	int rc;
	*count = 0;
	if ((rc = cli_open(cli, ROLE_BIT(ROLE_ADMIN))) < 0 ||
	    (rc = cmd_read_file(file, APP_IMPORT_MAX_FILE, &text)) < 0)
		return rc;
	rc = fn(cli->s, file, text.ptr, text.len, &hook, count);
	buf_release(&text);
	return rc;
}

int cmd_parse_u64(const char *s, const char *what, uint64_t *out)
{
	char *end;
	if (s && *s == '-' && s[1] >= '0' && s[1] <= '9')
		return err_set(E_USAGE, "%s '%s' is negative: it must be a positive number",
			       what, s);
	/* digits only: no sign, no spaces (" 1" is not an id) */
	for (const char *p = s; p && *p; p++)
		if (*p < '0' || *p > '9')
			return err_set(E_USAGE, "%s '%s' is not a number", what, s);
	if (!s || !*s)
		return err_set(E_USAGE, "%s '%s' is not a number", what, s ? s : "");
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end)
		return err_set(E_USAGE, "%s '%s' is not a number", what, s);
	*out = v;
	return 0;
}

int cmd_parse_id(const char *s, int64_t *id)
{
	uint64_t v;
	int rc = cmd_parse_u64(s, "request id", &v);
	if (rc < 0)
		return rc;
	if (v == 0 || v > INT64_MAX)
		return err_set(E_USAGE, "request id '%s' is out of range", s);
	*id = (int64_t)v;
	return 0;
}
