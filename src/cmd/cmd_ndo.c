/*
 * cmd_ndo.c - `docket ndo add|extend|lift|list`: nondisclosure orders on
 * requests (intake records them; anyone may list them).  Each change is one
 * call of app/notice.h.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "app/notice.h"
#include "cmd/cmd.h"
#include "cmd/notice_cmds.h"

struct ndo_opts {
	const char *statute, *issued, *expires, *reason;
};

static const struct cmd_option ndo_opts_table[] = {
	CMD_OPTION(struct ndo_opts, statute, "statute"),
	CMD_OPTION(struct ndo_opts, issued, "issued"),
	CMD_OPTION(struct ndo_opts, expires, "expires"),
	CMD_OPTION(struct ndo_opts, reason, "reason"),
	{0},
};

typedef int (*ndo_op)(struct session *s, int64_t id, const struct ndo_opts *o);

/* Parse ID and the options, run op as one unit of work, show the result. */
static int run_ndo(struct cli *cli, int argc, char **argv, const char *usage, ndo_op op)
{
	struct ndo_opts o = {0};
	int64_t id;
	int rc;
	if ((rc = cmd_string_options(argc, argv, ndo_opts_table, &o)) < 0)
		return rc;
	if (argc - optind != 1)
		return err_set(E_USAGE, "usage: docket %s", usage);
	json_t *list;
	if ((rc = cmd_parse_id(argv[optind], &id)) < 0 ||
	    (rc = cli_open(cli, ROLE_BIT(ROLE_INTAKE))) < 0 || (rc = op(cli->s, id, &o)) < 0)
		return rc;
	if (cli->json)
		return (rc = app_ndo_list_json(cli->s, id, &list)) < 0 ? rc : cmd_print_json(list);
	printf("Request %lld\n", (long long)id);
	return notice_print_for_request(cli, id);
}

static int op_add(struct session *s, int64_t id, const struct ndo_opts *o)
{
	struct ndo nd = {.statute = (char *)o->statute};
	int rc;
	if (!o->statute || !o->issued)
		return err_set(E_USAGE, "ndo add needs --statute and --issued");
	if ((rc = cmd_parse_date(o->issued, "--issued", &nd.issued_at)) < 0)
		return rc;
	if (o->expires) {
		nd.has_expiry = 1;
		if ((rc = cmd_parse_date(o->expires, "--expires", &nd.expires_at)) < 0)
			return rc;
	}
	return app_ndo_add(s, id, &nd);
}

static int op_extend(struct session *s, int64_t id, const struct ndo_opts *o)
{
	struct ts t;
	int rc;
	if (!o->expires)
		return err_set(E_USAGE, "ndo extend needs --expires DATE");
	if ((rc = cmd_parse_date(o->expires, "--expires", &t)) < 0)
		return rc;
	return app_ndo_extend(s, id, t.t);
}

static int op_lift(struct session *s, int64_t id, const struct ndo_opts *o)
{
	return app_ndo_lift(s, id, o->reason);
}

static int ndo_add_cmd(struct cli *cli, int argc, char **argv)
{
	return run_ndo(cli, argc, argv, "ndo add ID --statute S --issued DATE [--expires DATE]",
		       op_add);
}

static int ndo_extend_cmd(struct cli *cli, int argc, char **argv)
{
	return run_ndo(cli, argc, argv, "ndo extend ID --expires DATE", op_extend);
}

static int ndo_lift_cmd(struct cli *cli, int argc, char **argv)
{
	return run_ndo(cli, argc, argv, "ndo lift ID [--reason TEXT]", op_lift);
}

/* --- list ---------------------------------------------------------------------- */

struct list_ctx {
	int64_t now;
	size_t n;
};

static int list_row(void *ctx, const struct ndo_record *n)
{
	struct list_ctx *l = ctx;
	char issued[TS_BUFSZ], until[TS_BUFSZ] = "indefinite", review[TS_BUFSZ] = "-";
	char flags[256];
	const char *status = n->lifted_at ? "lifted" : ndo_in_force(n, l->now) ? "in force"
										: "expired";
	date_format(n->issued_at, issued);
	if (n->has_expiry)
		time_format(n->expires_at, until);
	if (n->review_at)
		date_format(n->review_at, review);
	ndo_flags_text(ndo_flags(n, l->now), flags, sizeof(flags));
	printf("%5lld %6lld  %-22.22s %-10s %-20s %-8s %-10s\n", (long long)n->id,
	       (long long)n->request_id, n->statute, issued, until, status, review);
	if (flags[0])
		printf("%13s flag: %s\n", "", flags);
	l->n++;
	return 0;
}

static int ndo_list(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"request", required_argument, NULL, 'r'}, {0}};
	int64_t request_id = 0;
	int c, rc = 0;
	optind = 0;
	while (rc == 0 && (c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		rc = c == 'r' ? cmd_parse_id(optarg, &request_id) : -E_USAGE;
	if (rc == 0 && optind != argc)
		rc = err_set(E_USAGE, "unexpected argument '%s'", argv[optind]);
	if (rc < 0 || (rc = cli_open(cli, 0)) < 0)
		return rc;
	if (cli->json) {
		json_t *arr;
		return (rc = app_ndo_list_json(cli->s, request_id, &arr)) < 0 ? rc
									  : cmd_print_json(arr);
	}
	struct list_ctx l = {cli->s->now, 0};
	printf("%5s %6s  %-22s %-10s %-20s %-8s %-10s\n", "NDO", "REQ", "STATUTE", "ISSUED",
	       "EXPIRES", "STATUS", "NSL REVIEW");
	if ((rc = app_ndo_each(cli->s, request_id, list_row, &l)) < 0)
		return rc;
	printf("%zu nondisclosure order%s\n", l.n, l.n == 1 ? "" : "s");
	return 0;
}

static const struct command ndo_cmds[] = {
	{"add", ndo_add_cmd, "ndo add ID --statute S --issued DATE [--expires DATE]",
	 "record a nondisclosure order on request ID (intake)",
	 "Without --expires the NDO is indefinite: the customer notices are suppressed\n"
	 "and the NDO is flagged for challenge (GEN-NDO-INDEFINITE); longer than 365\n"
	 "days is flagged too (GEN-NDO-LONG).  Notices not yet sent are held until the\n"
	 "expiry.  A request has at most one NDO in force."},
	{"extend", ndo_extend_cmd, "ndo extend ID --expires DATE",
	 "a new expiry for request ID's NDO (intake)",
	 "The new date must be later than the current expiry; an indefinite NDO that a\n"
	 "court has limited may be given any date after its issue."},
	{"lift", ndo_lift_cmd, "ndo lift ID [--reason TEXT]",
	 "end request ID's NDO now; its notices go out at the next tick (intake)", NULL},
	{"list", ndo_list, "ndo list [--request ID]",
	 "nondisclosure orders, their flags and NSL review dates",
	 "Flags: indefinite (GEN-NDO-INDEFINITE), longer than one year (GEN-NDO-LONG),\n"
	 "NSL nondisclosure review due 3 years after the request (US-NSL)."},
	{0},
};

int cmd_ndo(struct cli *cli, int argc, char **argv)
{
	return cmd_dispatch(cli, "ndo", ndo_cmds, argc, argv);
}
