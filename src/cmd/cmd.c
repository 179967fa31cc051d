/*
 * cmd.c - the machinery every command shares: dispatch and help, opening
 * the database as a user with a role, the unit of work and its log entries,
 * input files, JSON output and progress.
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "cmd/cmd.h"
#include "core/event.h"
#include "core/journal.h"
#include "core/rules.h"
#include "log/signer.h"

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

int cmd_dispatch_tables(struct app *app, const char *group,
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
			return c->fn(app, argc - 1, argv + 1);
		}
	}
	return err_set(E_USAGE, "unknown command '%s %s' (see 'docket %s --help')", group,
		       argv[1], group);
}

int cmd_dispatch(struct app *app, const char *group, const struct command *table,
		 int argc, char **argv)
{
	const struct command *const tables[] = {table, NULL};
	return cmd_dispatch_tables(app, group, tables, argc, argv);
}

int app_require(struct app *app, unsigned roles, const char *what)
{
	if (roles == 0 || (app->roles & roles))
		return 0;
	char need[128];
	roles_format(roles, need, sizeof(need));
	return err_set(E_FORBIDDEN, "user '%s' may not %s: it needs the role %s",
		       app->user, what, need);
}

int app_os_login(char *out, size_t outsz)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	int e = getpwuid_r(geteuid(), &pw, buf, sizeof(buf), &res);
	if (e || !res)
		return err_set(E_FORBIDDEN, "cannot find the login of user id %u",
			       (unsigned)geteuid());
	if (str_copy(out, outsz, pw.pw_name) < 0)
		return err_set(E_FORBIDDEN, "login name '%.40s...' is too long", pw.pw_name);
	return 0;
}

/* cli_auth unix: the actor is the user bound to the login. */
static int unix_actor(struct app *app)
{
	char *mode = NULL, login[64];
	int rc = store_setting_get(app->st, "config.cli_auth", &mode);
	if (rc == -E_NOTFOUND) {
		err_clear();
		return 0;
	}
	if (rc < 0)
		return rc;
	int unix_mode = strcmp(mode, "unix") == 0;
	free(mode);
	if (!unix_mode || app->user_owned)
		return 0;
	if (app->user)
		return err_set(E_FORBIDDEN, "--as and DOCKET_USER are refused: this database "
					    "binds the command line to operating-system "
					    "logins (cli_auth unix)");
	if ((rc = app_os_login(login, sizeof(login))) < 0)
		return rc;
	rc = store_user_by_unix(app->st, login, &app->user_owned);
	if (rc == -E_NOTFOUND)
		return err_set(E_FORBIDDEN, "login '%s' is not bound to a docket user (an "
					    "admin binds it with 'docket user set NAME "
					    "--unix %s')",
			       login, login);
	if (rc < 0)
		return rc;
	app->user = app->user_owned;
	return 0;
}

int app_open(struct app *app, unsigned roles)
{
	int rc;
	if (!app->st && (rc = store_open(app->db_path, STORE_OPEN_EXISTING, &app->st)) < 0)
		return rc;
	if ((rc = unix_actor(app)) < 0)
		return rc;
	if (!app->user)
		return err_set(E_USAGE, "no acting user: pass --as NAME or set DOCKET_USER");
	rc = store_user_roles(app->st, app->user, &app->roles);
	if (rc == -E_NOTFOUND)
		return err_set(E_FORBIDDEN, "'%s' is not a docket user (an admin adds "
					    "users with 'docket user add')",
			       app->user);
	if (rc < 0)
		return rc;
	if (roles && !(app->roles & roles))
		return app_require(app, roles, "run this command");
	return 0;
}

void app_close(struct app *app)
{
	store_close(app->st);
	app->st = NULL;
	signer_free(app->signer);
	app->signer = NULL;
	free(app->origin);
	app->origin = NULL;
	if (app->user_owned) {
		app->user = NULL;
		free(app->user_owned);
		app->user_owned = NULL;
	}
}

static char *key_path(const char *db_path)
{
	return xasprintf("%s.key", db_path);
}

int app_begin(struct app *app)
{
	int rc;
	if (!app->signer) {
		char *path = key_path(app->db_path);
		rc = signer_load(path, &app->signer);
		free(path);
		if (rc < 0)
			return rc;
	}
	if (!app->origin && (rc = store_setting_get(app->st, "log.origin", &app->origin)) < 0)
		return rc == -E_NOTFOUND ? err_set(E_STORAGE, "the database has no log "
							      "origin (was it made by 'docket init'?)")
					 : rc;
	return store_begin(app->st);
}

int app_commit(struct app *app)
{
	int rc = journal_checkpoint(app->st, app->signer, app->origin);
	if (rc < 0) {
		store_rollback(app->st);
		return rc;
	}
	return store_commit(app->st);
}

void app_abort(struct app *app)
{
	if (app->st)
		store_rollback(app->st);
}

int app_log(struct app *app, const char *type, json_t *fields, uint64_t *index)
{
	struct actor who = {app->user, app->now};
	return event_log(app->st, &who, type, fields, index);
}

/* The installed rules beside the binary (PREFIX/bin/docket ->
 * PREFIX/share/docket/rules), when they are there. */
static char *installed_rules_dir(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	char *dir = xasprintf("%s/../share/docket/rules", exe);
	struct stat sb;
	if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
		return dir;
	free(dir);
	return NULL;
}

int app_rules(struct app *app, struct ruleset **out)
{
	(void)app;
	const char *env = getenv("DOCKET_RULES_DIR");
	if (env && *env)
		return rules_load(env, out);
	char *installed = installed_rules_dir();
	int rc = rules_load(installed ? installed : DOCKET_RULES_DIR, out);
	free(installed);
	return rc;
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

void progress_init(struct progress *p, struct app *app, const char *what,
		   uint64_t total)
{
	p->what = what;
	p->total = total;
	p->last_ms = 0;
	p->shown = 0;
	p->enabled = app->interactive;
}

void progress_update(struct progress *p, uint64_t n)
{
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

void progress_done(struct progress *p, uint64_t n)
{
	if (!p->enabled || !p->shown)
		return;
	fprintf(stderr, "\r%s: %llu, done\n", p->what, (unsigned long long)n);
}

int cmd_parse_u64(const char *s, const char *what, uint64_t *out)
{
	char *end;
	if (!s || !*s || *s == '-' || *s == '+')
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
