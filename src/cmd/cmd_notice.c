/*
 * cmd_notice.c - `docket notice list|show|resend`, and the notice and NDO
 * lines of `request show` (notice_cmds.h).
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

/* --- list and show ------------------------------------------------------------ */

static void print_time(const char *label, int64_t t)
{
	char s[TS_BUFSZ];
	if (!t)
		return;
	time_format(t, s);
	printf("%-13s %s\n", label, s);
}

static void notice_line(const struct notice *n, const char *indent)
{
	char due[TS_BUFSZ] = "-", when[80] = "";
	if (n->due_at)
		time_format(n->due_at, due);
	if (n->state == NS_SENT)
		time_format(n->sent_at, when);
	else if (n->state == NS_FAILED)
		time_format(n->next_try_at, when);
	printf("%s%6lld %6lld  %-20.20s %-10s %-20s %-20s %3d  %s\n", indent, (long long)n->id,
	       (long long)n->request_id, n->customer_id, notice_state_str(n->state), due,
	       when[0] ? when : "-", n->attempts,
	       n->state == NS_FAILED && n->last_error ? n->last_error
						       : (n->reason ? n->reason : ""));
}

struct list_ctx {
	json_t *arr;
	size_t n;
};

static int list_row(void *ctx, const struct notice_record *r)
{
	struct list_ctx *l = ctx;
	struct notice n;
	notice_from_record(r, &n);
	l->n++;
	if (l->arr)
		json_array_append_new(l->arr, notice_to_json(&n, 0));
	else
		notice_line(&n, "");
	notice_release(&n);
	return 0;
}

static int notice_list(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"state", required_argument, NULL, 's'},
		{"request", required_argument, NULL, 'r'},
		{0},
	};
	struct notice_filter f;
	int c, rc = 0;
	notice_filter_init(&f);
	optind = 0;
	while (rc == 0 && (c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's' && notice_state_parse(optarg) >= 0)
			f.state = optarg;
		else if (c == 's')
			rc = err_set(E_USAGE, "unknown notice state '%s' (pending, delayed, "
					      "suppressed, sending, sent, failed)",
				     optarg);
		else if (c == 'r')
			rc = cmd_parse_id(optarg, &f.request_id);
		else
			rc = -E_USAGE;
	}
	if (rc == 0 && optind != argc)
		rc = err_set(E_USAGE, "unexpected argument '%s'", argv[optind]);
	if (rc < 0 || (rc = cli_open(cli, 0)) < 0)
		return rc;
	struct list_ctx l = {cli->json ? json_array() : NULL, 0};
	if (!cli->json)
		printf("%6s %6s  %-20s %-10s %-20s %-20s %3s  %s\n", "ID", "REQ", "CUSTOMER",
		       "STATE", "DUE", "SENT/RETRY", "TRY", "NOTE");
	if ((rc = app_notice_each(cli->s, &f, list_row, &l)) < 0) {
		json_decref(l.arr);
		return rc;
	}
	if (cli->json)
		return cmd_print_json(l.arr);
	printf("%zu notice%s\n", l.n, l.n == 1 ? "" : "s");
	return 0;
}

static int parse_notice_id(const char *s, int64_t *id)
{
	uint64_t v;
	int rc = cmd_parse_u64(s, "notice id", &v);
	if (rc == 0 && (v == 0 || v > INT64_MAX))
		rc = err_set(E_USAGE, "notice id '%s' is out of range", s);
	if (rc == 0)
		*id = (int64_t)v;
	return rc;
}

static int print_notice(struct cli *cli, int64_t id)
{
	struct notice n;
	int rc = app_notice_get(cli->s, id, &n);
	if (rc < 0)
		return rc;
	if (cli->json) {
		rc = cmd_print_json(notice_to_json(&n, 1));
		notice_release(&n);
		return rc;
	}
	printf("Notice %lld  request %lld, customer %s\n", (long long)n.id,
	       (long long)n.request_id, n.customer_id);
	printf("%-13s %s%s%s\n", "State:", notice_state_str(n.state), n.reason ? " by " : "",
	       n.reason ? n.reason : "");
	print_time("Due:", n.due_at);
	print_time("Sent:", n.sent_at);
	printf("%-13s %d\n", "Attempts:", n.attempts);
	if (n.state == NS_FAILED)
		print_time("Next try:", n.next_try_at);
	if (n.last_error)
		printf("%-13s %s\n", "Last error:", n.last_error);
	if (n.message_id)
		printf("%-13s %s\n", "Message-ID:", n.message_id);
	if (n.generation)
		printf("%-13s %d\n", "Resends:", n.generation);
	if (n.body)
		printf("\n%s", n.body);
	else
		printf("\n(the text is composed when the notice is first sent)\n");
	notice_release(&n);
	return 0;
}

static int notice_show(struct cli *cli, int argc, char **argv)
{
	int64_t id;
	int rc;
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket notice show ID");
	if ((rc = parse_notice_id(argv[1], &id)) < 0 || (rc = cli_open(cli, 0)) < 0)
		return rc;
	return print_notice(cli, id);
}

/* --- resend ---------------------------------------------------------------------- */

static int notice_resend_cmd(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"reason", required_argument, NULL, 'r'}, {0}};
	const char *reason = NULL;
	int64_t id;
	int c, rc = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'r')
			return -E_USAGE;
		reason = optarg;
	}
	if (argc - optind != 1)
		return err_set(E_USAGE, "usage: docket notice resend ID [--reason TEXT]");
	if ((rc = parse_notice_id(argv[optind], &id)) < 0 ||
	    (rc = cli_open(cli, ROLE_BIT(ROLE_COMPLIANCE))) < 0 ||
	    (rc = app_notice_resend(cli->s, id, reason)) < 0)
		return rc;
	if (cli->json)
		return print_notice(cli, id);
	struct notice n;
	if ((rc = app_notice_get(cli->s, id, &n)) < 0)
		return rc;
	if (n.state == NS_SENT)
		printf("notice %lld resent, Message-ID %s\n", (long long)id, n.message_id);
	else
		printf("notice %lld is %s: %s\n", (long long)id, notice_state_str(n.state),
		       n.last_error ? n.last_error : "not delivered");
	notice_release(&n);
	return 0;
}

/* --- request show -------------------------------------------------------------- */

struct for_request {
	int n;
	int64_t now;
};

static int request_notice_line(void *ctx, const struct notice_record *r)
{
	struct for_request *fr = ctx;
	char t[TS_BUFSZ] = "";
	if (!fr->n++)
		printf("Notices:\n");
	if (strcmp(r->state, "sent") == 0)
		time_format(r->sent_at, t);
	else if (strcmp(r->state, "failed") == 0)
		time_format(r->next_try_at, t);
	else if (r->due_at)
		time_format(r->due_at, t);
	printf("  notice %lld to %s: %s%s%s%s%s (%d attempt%s)\n", (long long)r->id,
	       r->customer_id, r->state,
	       strcmp(r->state, "sent") == 0	 ? " at "
	       : strcmp(r->state, "failed") == 0 ? ", next try "
	       : t[0]				 ? ", due "
						 : "",
	       t, r->delay_reason ? " by " : "", r->delay_reason ? r->delay_reason : "",
	       r->attempts, r->attempts == 1 ? "" : "s");
	return 0;
}

static int request_ndo_line(void *ctx, const struct ndo_record *n)
{
	struct for_request *fr = ctx;
	char issued[TS_BUFSZ], until[TS_BUFSZ] = "indefinite", flags[256];
	if (!fr->n++)
		printf("NDOs:\n");
	date_format(n->issued_at, issued);
	if (n->has_expiry)
		time_format(n->expires_at, until);
	ndo_flags_text(ndo_flags(n, fr->now), flags, sizeof(flags));
	printf("  NDO %lld: %s, issued %s, until %s%s%s%s\n", (long long)n->id, n->statute,
	       issued, until, n->lifted_at ? " (lifted)" : "", flags[0] ? "\n    flag: " : "",
	       flags);
	return 0;
}

int notice_print_for_request(struct cli *cli, int64_t request_id)
{
	struct notice_filter f;
	struct for_request fr = {0, cli->s->now};
	notice_filter_init(&f);
	f.request_id = request_id;
	int rc = app_ndo_each(cli->s, request_id, request_ndo_line, &fr);
	fr.n = 0;
	if (rc == 0)
		rc = app_notice_each(cli->s, &f, request_notice_line, &fr);
	if (rc == 0 && !fr.n)
		printf("Notices:    none (no target resolved to a customer)\n");
	return rc;
}

/* --- the group ------------------------------------------------------------------ */

static const struct command notice_cmds[] = {
	{"list", notice_list, "notice list [--state S] [--request ID]",
	 "customer notices and their delivery",
	 "States: pending (due now), delayed (by an NDO with an end date or the\n"
	 "emergency delay), suppressed (indefinite NDO), sending, sent, failed (retried\n"
	 "with backoff).  With --json, one object per notice."},
	{"show", notice_show, "notice show ID", "a notice, its delivery and its text", NULL},
	{"resend", notice_resend_cmd, "notice resend ID [--reason TEXT]",
	 "send a failed notice now, or a sent one again (compliance)",
	 "A failed notice is retried at once with the same Message-ID.  A sent notice\n"
	 "is sent again as a new message (a new Message-ID), for a message that was\n"
	 "lost; this is logged with the reason.  A notice an NDO holds back cannot be\n"
	 "resent."},
	{0},
};

int cmd_notice(struct cli *cli, int argc, char **argv)
{
	return cmd_dispatch(cli, "notice", notice_cmds, argc, argv);
}
