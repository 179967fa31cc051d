/*
 * cmd.h - what every command shares: the application context, the command
 * tables, role checks, the unit of work with its log entries, and output.
 *
 * Commands are the only code that prints or decides an exit code.  A
 * command function returns 0 or a negative error code (base/err.h); main()
 * prints the message as "docket: <message>" and exits with the code's exit
 * status (SPEC §9).
 */
#ifndef DOCKET_CMD_H
#define DOCKET_CMD_H

#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "store/store.h"

struct signer;

struct app {
	const char *db_path;     /* --db, DOCKET_DB, or ./docket.db */
	const char *user;        /* --as, DOCKET_USER; NULL when unset; with
				    cli_auth unix, the user bound to the
				    login (set by app_open) */
	char *user_owned;        /* app->user when app_open found it */
	int json;                /* --json */
	int64_t now;             /* the clock (DOCKET_NOW) at start */
	int interactive;         /* stderr is a terminal: show progress */

	struct store *st;        /* opened by app_open() */
	unsigned roles;          /* the user's roles, after app_open() */
	struct signer *signer;   /* loaded by app_begin() when needed */
	char *origin;            /* the log's origin line */
};

typedef int (*cmd_fn)(struct app *app, int argc, char **argv);

struct command {
	const char *name;
	cmd_fn fn;
	const char *usage;       /* "request add FILE.json" */
	const char *summary;     /* one line */
	const char *help;        /* details shown by --help, may be NULL */
};

/* Run the subcommand argv[0] of a command group from table (NULL-terminated
 * by a zero entry); prints the group's help for no argument or --help. */
int cmd_dispatch(struct app *app, const char *group, const struct command *table,
		 int argc, char **argv);
/* The same over several tables (a NULL-terminated list). */
int cmd_dispatch_tables(struct app *app, const char *group,
			const struct command *const *tables, int argc, char **argv);
/* If argv holds -h or --help, print the usage and help of c and return 1. */
int cmd_wants_help(const struct command *c, int argc, char **argv);
void cmd_print_usage(const struct command *c);

/* Open the database and check the actor holds one of `roles` (0: any role;
 * every command but init needs a known user).  Refusal is E_FORBIDDEN.
 * With the setting cli_auth = unix the actor is the user bound to the
 * operating-system login running docket, and --as / DOCKET_USER are
 * refused. */
int app_open(struct app *app, unsigned roles);
/* Check the actor holds one of `roles` (after app_open). */
int app_require(struct app *app, unsigned roles, const char *what);
void app_close(struct app *app);

/* The unit of work: begin a transaction; app_log() appends log entries in
 * it; app_commit() signs a checkpoint for the new log size and commits, so
 * the change and its entries are durable together or not at all. */
int app_begin(struct app *app);
int app_commit(struct app *app);
void app_abort(struct app *app);
/* Append an event to the log: fields (reference stolen, may be NULL) plus
 * "type", "at" and "actor".  *index (optional) receives its log index. */
int app_log(struct app *app, const char *type, json_t *fields, uint64_t *index);

/* Load the rules (DOCKET_RULES_DIR, else the installed or source rules
 * directory); *out is freed with rules_free(). */
struct ruleset;
int app_rules(struct app *app, struct ruleset **out);

/* Read FILE ("-" for standard input) whole, up to max bytes. */
int cmd_read_file(const char *path, size_t max, struct buf *out);

/* Print j (reference stolen) as indented JSON on stdout. */
int cmd_print_json(json_t *j);

/* Progress on a terminal: "what: n/total" redrawn at most a few times a
 * second; silent when stderr is not a terminal. */
struct progress {
	const char *what;
	uint64_t total;          /* 0: unknown */
	int64_t last_ms;
	int shown;
	int enabled;
};
void progress_init(struct progress *p, struct app *app, const char *what,
		   uint64_t total);
void progress_update(struct progress *p, uint64_t n);
void progress_done(struct progress *p, uint64_t n);

/* The operating-system login running docket (effective user id). */
int app_os_login(char *out, size_t outsz);

/* Parse a positive request id argument. */
int cmd_parse_id(const char *s, int64_t *id);
/* Parse an unsigned 64-bit number argument named `what`. */
int cmd_parse_u64(const char *s, const char *what, uint64_t *out);

/* The command groups (one file each under src/cmd/). */
int cmd_init(struct app *app, int argc, char **argv);
int cmd_user(struct app *app, int argc, char **argv);
int cmd_customer(struct app *app, int argc, char **argv);
int cmd_agency(struct app *app, int argc, char **argv);
int cmd_request(struct app *app, int argc, char **argv);
int cmd_config(struct app *app, int argc, char **argv);
int cmd_log(struct app *app, int argc, char **argv);
int cmd_rules(struct app *app, int argc, char **argv);
int cmd_status(struct app *app, int argc, char **argv);
int cmd_hold(struct app *app, int argc, char **argv);
int cmd_tick(struct app *app, int argc, char **argv);   /* cmd_tick.c */
int cmd_ndo(struct app *app, int argc, char **argv);    /* cmd_ndo.c */
int cmd_notice(struct app *app, int argc, char **argv); /* cmd_notice.c */
int cmd_report(struct app *app, int argc, char **argv);   /* cmd_report.c */
/* customer data: the vault and disclosure (docs/disclosure.md) */
int cmd_vault(struct app *app, int argc, char **argv);    /* cmd_vault.c */
int cmd_disclose(struct app *app, int argc, char **argv); /* cmd_disclose.c */

#endif
