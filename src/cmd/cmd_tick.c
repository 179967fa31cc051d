/*
 * cmd_tick.c - `docket tick`: everything the clock makes due (app_tick,
 * app/notice.h): holds expire, delayed notices are released, abandoned
 * claims recovered, NSL reviews raised (US-NSL), then every due notice is
 * delivered in units of work of its own, so two ticks running at once
 * deliver each notice once.
 *
 * Uses the clock, so DOCKET_NOW jumps time.  Safe to run from cron at any
 * frequency and in parallel.
 */
#include <stdio.h>

#include "base/err.h"
#include "base/util.h"
#include "app/notice.h"
#include "cmd/cmd.h"

static const struct command tick_cmd = {
	"tick", cmd_tick, "tick", "run what the clock makes due (admin)",
	"Expires preservation holds at their date, releases customer notices whose\n"
	"NDO expired or was lifted, raises NSL nondisclosure reviews (US-NSL) and a\n"
	"reminder for every tracked deadline that is near (reminder_near_hours,\n"
	"default 48; at most a quarter of the deadline's span) and again when it is\n"
	"missed, once each (see 'docket request list' and 'request show'), and\n"
	"delivers every due notice (SMTP when smtp_url is set, else .eml files in\n"
	"outbox_dir); failed deliveries are retried with backoff; last, offers the\n"
	"latest checkpoint to every witness that has not cosigned it ('docket\n"
	"witness list').  Uses the clock, so DOCKET_NOW jumps time.  Safe to run\n"
	"from cron, also twice at once."};

static void print_stats(const struct tick_stats *s)
{
	if (s->elsewhere) {
		printf("the scheduler pass is running in another process; nothing done\n");
		return;
	}
	printf("%d preservation hold%s expired\n", s->holds_expired,
	       s->holds_expired == 1 ? "" : "s");
	printf("%d notice%s released\n", s->released, s->released == 1 ? "" : "s");
	if (s->recovered)
		printf("%d interrupted deliver%s retried\n", s->recovered,
		       s->recovered == 1 ? "y" : "ies");
	printf("%d notice%s sent, %d failed\n", s->delivery.sent,
	       s->delivery.sent == 1 ? "" : "s", s->delivery.failed);
	if (s->delivery.held[0])
		printf("%s; due notices stay pending\n", s->delivery.held);
	if (s->witness.offered)
		printf("checkpoint offered to %d witness%s: %d cosigned, %d failed\n",
		       s->witness.offered, s->witness.offered == 1 ? "" : "es",
		       s->witness.cosigned, s->witness.failed);
	if (s->reviews)
		printf("%d NSL nondisclosure review%s due (US-NSL): see 'docket ndo list'\n",
		       s->reviews, s->reviews == 1 ? "" : "s");
	if (s->reminders_near || s->reminders_missed)
		printf("%d deadline reminder%s: %d near, %d missed: see 'docket request "
		       "list'\n",
		       s->reminders_near + s->reminders_missed,
		       s->reminders_near + s->reminders_missed == 1 ? "" : "s",
		       s->reminders_near, s->reminders_missed);
	if (s->status_mails)
		printf("%d officer%s mailed a change of state\n", s->status_mails,
		       s->status_mails == 1 ? "" : "s");
}

int cmd_tick(struct cli *cli, int argc, char **argv)
{
	struct tick_stats s;
	int rc;
	if (cmd_wants_help(&tick_cmd, argc, argv))
		return 0;
	if (argc != 1)
		return err_set(E_USAGE, "usage: docket tick");
	if ((rc = cli_open(cli, ROLE_BIT(ROLE_ADMIN))) < 0 || (rc = app_tick(cli->s, &s)) < 0)
		return rc;
	if (cli->json)
		return cmd_print_json(app_tick_json(&s));
	print_stats(&s);
	return 0;
}
