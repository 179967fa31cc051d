/*
 * cmd.h - what every command shares: the command-line context (global
 * options and the app layer's session), the command tables, input files,
 * output and progress.  Commands parse argv, call one function of the
 * application layer (app/app.h) and print its result; they never open a
 * transaction or append a log entry themselves.
 *
 * Commands are the only code that prints or decides an exit code.  A
 * command function returns 0 or a negative error code (base/err.h); main()
 * prints the message as "docket: <message>" and exits with the code's exit
 * status (SPEC §9).
 */
#ifndef DOCKET_CMD_H
#define DOCKET_CMD_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/clock.h"
#include "app/app.h"

struct cli {
	const char *db_path;     /* --db, DOCKET_DB, or ./docket.db */
	const char *user;        /* --as, DOCKET_USER; NULL when unset */
	int json;                /* --json */
	int64_t now;             /* the clock (DOCKET_NOW) at start */
	int interactive;         /* stderr is a terminal: show progress */
	struct session *s;       /* opened by cli_open() */
	char *actor;             /* who the session acts as (cli_auth: the
				    given user, or the one bound to the
				    operating-system login) */
};

typedef int (*cmd_fn)(struct cli *cli, int argc, char **argv);

struct command {
	const char *name;
	cmd_fn fn;
	const char *usage;       /* "request add FILE.json" */
	const char *summary;     /* one line */
	const char *help;        /* details shown by --help, may be NULL */
};

/* Run the subcommand argv[0] of a command group from table (NULL-terminated
 * by a zero entry); prints the group's help for no argument or --help. */
int cmd_dispatch(struct cli *cli, const char *group, const struct command *table,
		 int argc, char **argv);
/* The same over several tables (a NULL-terminated list). */
int cmd_dispatch_tables(struct cli *cli, const char *group,
			const struct command *const *tables, int argc, char **argv);
/* If argv holds -h or --help, print the usage and help of c and return 1. */
int cmd_wants_help(const struct command *c, int argc, char **argv);
void cmd_print_usage(const struct command *c);

/* Open the session as the acting user and check it holds one of `roles`
 * (0: any role; every command but init needs a known user).  Refusal is
 * E_FORBIDDEN.  With the setting cli_auth = unix the actor is the user
 * bound to the operating-system login running docket, and --as /
 * DOCKET_USER are refused (app_cli_actor()). */
int cli_open(struct cli *cli, unsigned roles);
void cli_close(struct cli *cli);

/* The last error's remedy (base/err.h) as the command line spells it,
 * " (run 'docket ...')", or "" when it has none. */
void cmd_remedy_text(char *out, size_t outsz);

/* Read FILE ("-" for standard input) whole, up to max bytes. */
int cmd_read_file(const char *path, size_t max, struct buf *out);

/* Print j (reference stolen) as indented JSON on stdout. */
int cmd_print_json(json_t *j);

/* Progress on a terminal: "what: n/total" redrawn at most a few times a
 * second; silent when stderr is not a terminal.  cli_progress() is the
 * app layer's progress hook (app/app.h) drawing it. */
struct progress {
	const char *what;
	uint64_t total;          /* 0: unknown */
	int64_t last_ms;
	int shown;
	int enabled;
};
struct app_progress cli_progress(struct cli *cli, struct progress *p);

/* The operating-system login running docket (effective user id); NULL
 * when it cannot be found.  Owned by a static buffer. */
const char *cli_os_login(void);

/* Options that each take a string: one row per option, naming the
 * `const char *` member of the caller's struct that receives it. */
struct cmd_option {
	const char *name;        /* "reason" for --reason */
	size_t offset;           /* offsetof(struct ..., member) */
};
#define CMD_OPTION(type, member, name) {name, offsetof(type, member)}
#define CMD_OPTIONS_MAX 16
/* Parse argv's options into *out by the table opts (ended by a row with
 * name NULL); an option not given leaves its member as it was.
 * Positional arguments are left at argv[optind..].  An unknown option is
 * E_USAGE. */
int cmd_string_options(int argc, char **argv, const struct cmd_option *opts, void *out);

/* Parse a date argument of option opt (YYYY-MM-DD or RFC 3339). */
int cmd_parse_date(const char *s, const char *opt, struct ts *out);

/* The common part of every import command: as an admin, read FILE whole
 * and hand it to the app layer's import fn with terminal progress;
 * *count receives what fn imported. */
typedef int (*cmd_import_fn)(struct session *s, const char *name, const char *text,
			     size_t len, const struct app_progress *progress, size_t *count);
int cmd_import(struct cli *cli, const char *file, cmd_import_fn fn, size_t *count);

/* Parse a positive request id argument. */
int cmd_parse_id(const char *s, int64_t *id);
/* Parse an unsigned 64-bit number argument named `what`. */
int cmd_parse_u64(const char *s, const char *what, uint64_t *out);

/* The command groups (one file each under src/cmd/). */
int cmd_init(struct cli *cli, int argc, char **argv);
int cmd_user(struct cli *cli, int argc, char **argv);
int cmd_customer(struct cli *cli, int argc, char **argv);
int cmd_agency(struct cli *cli, int argc, char **argv);
int cmd_request(struct cli *cli, int argc, char **argv);
int cmd_config(struct cli *cli, int argc, char **argv);
int cmd_log(struct cli *cli, int argc, char **argv);
int cmd_rules(struct cli *cli, int argc, char **argv);
int cmd_status(struct cli *cli, int argc, char **argv);
int cmd_hold(struct cli *cli, int argc, char **argv);
int cmd_tick(struct cli *cli, int argc, char **argv);   /* cmd_tick.c */
int cmd_ndo(struct cli *cli, int argc, char **argv);    /* cmd_ndo.c */
int cmd_notice(struct cli *cli, int argc, char **argv); /* cmd_notice.c */
int cmd_letter(struct cli *cli, int argc, char **argv); /* cmd_letter.c */
int cmd_report(struct cli *cli, int argc, char **argv);   /* cmd_report.c */
/* customer data: the vault and disclosure (docs/disclosure.md) */
int cmd_vault(struct cli *cli, int argc, char **argv);    /* cmd_vault.c */
int cmd_disclose(struct cli *cli, int argc, char **argv); /* cmd_disclose.c */
/* witnesses (docs/log.md) */
int cmd_witness(struct cli *cli, int argc, char **argv);  /* cmd_witness.c */
int cmd_db(struct cli *cli, int argc, char **argv);       /* cmd_db.c */

#endif
