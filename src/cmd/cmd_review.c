/*
 * cmd_review.c - the review workflow on the command line: request decide,
 * approve, verify, challenge-outcome, withdraw, close; hold renew/release.
 * Each command is one call of the application layer (app/request.h).
 * The clock-driven part (holds expiring, notices) is `docket tick`
 * (cmd_tick.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "app/request.h"
#include "cmd/cmd.h"
#include "cmd/request_cmds.h"

struct review_opts {
	const char *reason, *categories, *court, *grounds, *extraordinary;
	const char *callback, *person, *outcome, *agency;
};

/* The options every review command shares. */
static const struct cmd_option review_opts_table[] = {
	CMD_OPTION(struct review_opts, reason, "reason"),
	CMD_OPTION(struct review_opts, categories, "categories"),
	CMD_OPTION(struct review_opts, court, "court"),
	CMD_OPTION(struct review_opts, grounds, "grounds"),
	CMD_OPTION(struct review_opts, extraordinary, "extraordinary"),
	CMD_OPTION(struct review_opts, callback, "callback"),
	CMD_OPTION(struct review_opts, person, "person"),
	CMD_OPTION(struct review_opts, outcome, "outcome"),
	CMD_OPTION(struct review_opts, agency, "agency"),
	{0},
};

typedef int (*review_op)(struct session *s, int64_t id, const struct review_opts *o,
			 char **argv, int nargs);

/* Open the session, parse ID, run op (one app function), print the result. */
static int run_review(struct cli *cli, int argc, char **argv, int nargs,
		      const char *usage, review_op op)
{
	struct review_opts o = {0};
	int64_t id;
	int rc;
	if ((rc = cmd_string_options(argc, argv, review_opts_table, &o)) < 0)
		return rc;
	if (argc - optind != 1 + nargs)
		return err_set(E_USAGE, "usage: docket %s", usage);
	char **pos = argv + optind;
	if ((rc = cmd_parse_id(pos[0], &id)) < 0 || (rc = cli_open(cli, 0)) < 0 ||
	    (rc = op(cli->s, id, &o, pos + 1, nargs)) < 0)
		return rc;
	if (cli->json)
		return request_print(cli, id);
	struct request r = {0};
	if ((rc = app_request_get(cli->s, id, &r, NULL, NULL)) < 0)
		return rc;
	printf("request %lld is now %s%s%s\n", (long long)id, state_str(r.state),
	       r.outcome ? ", outcome " : "", r.outcome ? outcome_str(r.outcome) : "");
	request_release(&r);
	return 0;
}

static int has_court(const struct review_opts *o)
{
	return o->court && *o->court && o->grounds && *o->grounds;
}

static const char *const decide_words[] = {"reject", "narrow", "redirect", "challenge",
					   "approve"};

static int op_decide(struct session *s, int64_t id, const struct review_opts *o,
		 char **args, int nargs)
{
	(void)nargs;
	struct decision d = {.name = args[0], .reason = o->reason, .court = o->court,
			     .grounds = o->grounds, .extraordinary = o->extraordinary};
	size_t i;
	for (i = 0; i < ARRAY_SIZE(decide_words); i++)
		if (strcmp(args[0], decide_words[i]) == 0)
			break;
	if (i == ARRAY_SIZE(decide_words))
		return err_set(E_USAGE, "unknown decision '%s' (reject, narrow, redirect, "
					"challenge, approve)",
			       args[0]);
	if (!o->reason || !*o->reason)
		return err_set(E_USAGE, "a decision needs --reason TEXT");
	if (strcmp(args[0], "narrow") == 0) {
		if (!o->categories || categories_parse(o->categories, &d.categories) < 0)
			return err_set(E_USAGE, "narrow needs --categories with the categories "
						"kept (subscriber, noncontent, content)");
	} else if (o->categories) {
		return err_set(E_USAGE, "--categories goes with narrow only");
	}
	if (strcmp(args[0], "challenge") == 0 && !has_court(o))
		return err_set(E_USAGE, "a challenge needs --court and --grounds");
	return app_request_decide(s, id, &d);
}

static int request_decide(struct cli *cli, int argc, char **argv)
{
	return run_review(cli, argc, argv, 1,
			  "request decide ID ACTION --reason TEXT [--categories C,...]", op_decide);
}

static int op_approve(struct session *s, int64_t id, const struct review_opts *o,
		 char **args, int nargs)
{
	(void)args;
	(void)nargs;
	return app_request_approve(s, id, o->reason, NULL);
}

static int request_approve(struct cli *cli, int argc, char **argv)
{
	return run_review(cli, argc, argv, 0, "request approve ID [--reason TEXT]", op_approve);
}

static int op_verify(struct session *s, int64_t id, const struct review_opts *o,
		 char **args, int nargs)
{
	(void)args;
	(void)nargs;
	if (!o->callback || !*o->callback || !o->person || !*o->person)
		return err_set(E_USAGE, "verification needs --callback NUMBER and --person NAME");
	struct verify_input v = {.callback = o->callback, .person = o->person,
				 .reason = o->reason, .extraordinary = o->extraordinary};
	return app_request_verify(s, id, &v);
}

static int request_verify(struct cli *cli, int argc, char **argv)
{
	return run_review(cli, argc, argv, 0,
			  "request verify ID --callback NUMBER --person NAME [--reason TEXT] "
			  "[--extraordinary TEXT]",
			  op_verify);
}

static int op_reassess(struct session *s, int64_t id, const struct review_opts *o,
		       char **args, int nargs)
{
	(void)args;
	(void)nargs;
	return app_request_reassess(s, id, o->agency, o->reason);
}

static int request_reassess(struct cli *cli, int argc, char **argv)
{
	return run_review(cli, argc, argv, 0,
			  "request reassess ID [--agency AGENCY-ID] [--reason TEXT]",
			  op_reassess);
}

static int op_challenge(struct session *s, int64_t id, const struct review_opts *o,
		 char **args, int nargs)
{
	(void)args;
	(void)nargs;
	if (!o->reason)
		return err_set(E_USAGE, "a challenge needs --reason TEXT");
	if (!has_court(o))
		return err_set(E_USAGE, "a challenge needs --court and --grounds");
	return app_request_challenge(s, id, o->court, o->grounds, o->reason);
}

static int request_challenge(struct cli *cli, int argc, char **argv)
{
	return run_review(cli, argc, argv, 0,
			  "request challenge ID --court COURT --grounds TEXT --reason TEXT",
			  op_challenge);
}

static int op_challenge_outcome(struct session *s, int64_t id, const struct review_opts *o,
		 char **args, int nargs)
{
	(void)nargs;
	if (!review_challenge_outcome_valid(args[0]))
		return err_set(E_USAGE, "challenge outcome '%s' is not quashed, modified or denied",
			       args[0]);
	return app_request_challenge_outcome(s, id, args[0], o->reason);
}

static int request_challenge_outcome(struct cli *cli, int argc, char **argv)
{
	return run_review(cli, argc, argv, 1,
			  "request challenge-outcome ID quashed|modified|denied [--reason TEXT]",
			  op_challenge_outcome);
}

static int op_withdraw(struct session *s, int64_t id, const struct review_opts *o,
		 char **args, int nargs)
{
	(void)args;
	(void)nargs;
	return app_request_withdraw(s, id, o->reason);
}

static int request_withdraw(struct cli *cli, int argc, char **argv)
{
	return run_review(cli, argc, argv, 0, "request withdraw ID [--reason TEXT]",
			  op_withdraw);
}

static int op_close(struct session *s, int64_t id, const struct review_opts *o,
		 char **args, int nargs)
{
	(void)args;
	(void)nargs;
	int out = OUT_NONE;
	if (o->outcome && ((out = outcome_parse(o->outcome)) <= 0))
		return err_set(E_USAGE, "unknown outcome '%s' (content, noncontent_only, "
					"no_data, rejected, redirected, withdrawn)",
			       o->outcome);
	return app_request_close(s, id, (enum outcome)out, o->reason);
}

static int request_close(struct cli *cli, int argc, char **argv)
{
	return run_review(cli, argc, argv, 0,
			  "request close ID [--outcome OUTCOME] [--reason TEXT]", op_close);
}

static int op_hold_renew(struct session *s, int64_t id, const struct review_opts *o,
		 char **args, int nargs)
{
	(void)args;
	(void)nargs;
	return app_hold_renew(s, id, o->reason);
}

static int op_hold_release(struct session *s, int64_t id, const struct review_opts *o,
		 char **args, int nargs)
{
	(void)args;
	(void)nargs;
	return app_hold_release(s, id, o->reason);
}

static int op_hold_convert(struct session *s, int64_t id, const struct review_opts *o,
		 char **args, int nargs)
{
	int64_t follow_up;
	(void)nargs;
	int rc = cmd_parse_id(args[0], &follow_up);
	return rc < 0 ? rc : app_hold_convert(s, id, follow_up, o->reason);
}

static int hold_convert_cmd(struct cli *cli, int argc, char **argv)
{
	return run_review(cli, argc, argv, 1, "hold convert ID FOLLOW-UP-ID [--reason TEXT]",
			  op_hold_convert);
}

static int hold_renew_cmd(struct cli *cli, int argc, char **argv)
{
	return run_review(cli, argc, argv, 0, "hold renew ID [--reason TEXT]", op_hold_renew);
}

static int hold_release_cmd(struct cli *cli, int argc, char **argv)
{
	return run_review(cli, argc, argv, 0, "hold release ID [--reason TEXT]",
			  op_hold_release);
}

const struct command review_cmds[] = {
	{"decide", request_decide,
	 "request decide ID ACTION --reason TEXT [--categories C,...] [--court C --grounds G] "
	 "[--extraordinary TEXT]",
	 "a reviewer's decision: reject, narrow, redirect, challenge or approve",
	 "narrow keeps --categories (a strict subset of those asked for).  challenge\n"
	 "needs --court and --grounds.  While a target the policy says to redirect to\n"
	 "an enterprise customer (GEN-ENTERPRISE) is not redirected, approving or\n"
	 "narrowing needs --extraordinary with a written justification of the\n"
	 "extraordinary circumstances, at least 20 characters; the approvers see it in\n"
	 "'request show'."},
	{"approve", request_approve, "request approve ID [--reason TEXT]",
	 "an approver's sign-off; the second distinct approver makes it ready", NULL},
	{"verify", request_verify,
	 "request verify ID --callback NUMBER --person NAME [--reason TEXT] "
	 "[--extraordinary TEXT]",
	 "record the call-back that verified the requester",
	 "--callback is the number dialled: the agency's independently sourced number\n"
	 "on file (agency show); another number needs --reason saying why.  The agency\n"
	 "must be registered.  A request with an enterprise target still to be\n"
	 "redirected (GEN-ENTERPRISE) needs --extraordinary (at least 20 characters)."},
	{"reassess", request_reassess, "request reassess ID [--agency AGENCY-ID] [--reason TEXT]",
	 "run the policy again once the agency is registered or identified (reviewer)",
	 "A request from an agency that was not registered waits in verifying with only\n"
	 "the rules that hold everywhere applied (GEN-AGENCY).  Register the agency\n"
	 "(docket agency import) and reassess, or name the registered agency it really\n"
	 "is with --agency.  The country's rules then apply; the request moves to the\n"
	 "state the new recommendation calls for.  Only before any review decision."},
	{"challenge", request_challenge,
	 "request challenge ID --court COURT --grounds TEXT --reason TEXT",
	 "challenge the request in court", NULL},
	{"challenge-outcome", request_challenge_outcome,
	 "request challenge-outcome ID quashed|modified|denied [--reason TEXT]",
	 "record the court's decision on a challenge", NULL},
	{"withdraw", request_withdraw, "request withdraw ID [--reason TEXT]",
	 "the agency withdrew the request", NULL},
	{"close", request_close, "request close ID [--outcome OUTCOME] [--reason TEXT]",
	 "close a finished request with its outcome", NULL},
	{0},
};

static const struct command hold_cmds[] = {
	{"renew", hold_renew_cmd, "hold renew ID [--reason TEXT]",
	 "renew a preservation hold once (US +90 days, EU +30 days)", NULL},
	{"release", hold_release_cmd, "hold release ID [--reason TEXT]",
	 "release a preservation hold", NULL},
	{"convert", hold_convert_cmd, "hold convert ID FOLLOW-UP-ID [--reason TEXT]",
	 "a follow-up request with legal process replaces the preservation (intake)",
	 "The preserved data is now sought by the follow-up request, which goes\n"
	 "through review like any other; the holds end and the link is logged."},
	{0},
};

int cmd_hold(struct cli *cli, int argc, char **argv)
{
	return cmd_dispatch(cli, "hold", hold_cmds, argc, argv);
}
