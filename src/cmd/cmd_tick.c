/*
 * cmd_tick.c - `docket tick`: everything the clock makes due, in order:
 *
 *   1. one unit of work: preservation holds past their date expire; delayed
 *      notices whose NDO expired (or emergency delay ended) are released;
 *      claims abandoned by a dead process are recovered; NSL nondisclosure
 *      reviews that came due are raised (US-NSL);
 *   2. every due notice is delivered, each claimed, sent and recorded in
 *      units of work of its own (cmd/notice_cmds.h), so two ticks running
 *      at once deliver each notice once.
 *
 * Uses the clock, so DOCKET_NOW jumps time.  Safe to run from cron at any
 * frequency and in parallel.
 */
#include <stdio.h>

#include "base/err.h"
#include "base/util.h"
#include "cmd/cmd.h"
#include "cmd/notice_cmds.h"
#include "core/ndo.h"
#include "core/notice.h"
#include "core/workflow.h"

struct tick_stats {
	int holds_expired, released, recovered, reviews;
	struct delivery_stats delivery;
};

static const struct command tick_cmd = {
	"tick", cmd_tick, "tick", "run what the clock makes due (admin)",
	"Expires preservation holds at their date, releases customer notices whose\n"
	"NDO expired or was lifted, raises NSL nondisclosure reviews (US-NSL), and\n"
	"delivers every due notice (SMTP when smtp_url is set, else .eml files in\n"
	"outbox_dir); failed deliveries are retried with backoff.  Uses the clock,\n"
	"so DOCKET_NOW jumps time.  Safe to run from cron, also twice at once."};

static int due_work(struct app *app, struct tick_stats *s)
{
	struct staff by = {{app->user, app->now}, app->roles};
	int rc;
	if ((rc = app_begin(app)) < 0)
		return rc;
	if ((rc = hold_expire_due(app->st, &by, &s->holds_expired)) < 0 ||
	    (rc = notice_release_due(app->st, &by.who, &s->released, &s->recovered)) < 0 ||
	    (rc = ndo_remind_due(app->st, &by.who, &s->reviews)) < 0 ||
	    (rc = app_commit(app)) < 0)
		app_abort(app);
	return rc;
}

static void print_stats(const struct tick_stats *s)
{
	printf("%d preservation hold%s expired\n", s->holds_expired,
	       s->holds_expired == 1 ? "" : "s");
	printf("%d notice%s released\n", s->released, s->released == 1 ? "" : "s");
	if (s->recovered)
		printf("%d interrupted deliver%s retried\n", s->recovered,
		       s->recovered == 1 ? "y" : "ies");
	printf("%d notice%s sent, %d failed\n", s->delivery.sent,
	       s->delivery.sent == 1 ? "" : "s", s->delivery.failed);
	if (s->delivery.held)
		printf("%s; due notices stay pending\n", s->delivery.held);
	if (s->reviews)
		printf("%d NSL nondisclosure review%s due (US-NSL): see 'docket ndo list'\n",
		       s->reviews, s->reviews == 1 ? "" : "s");
}

int cmd_tick(struct app *app, int argc, char **argv)
{
	struct tick_stats s = {0};
	struct notice_mailer m;
	int rc;
	if (cmd_wants_help(&tick_cmd, argc, argv))
		return 0;
	if (argc != 1)
		return err_set(E_USAGE, "usage: docket tick");
	if ((rc = app_open(app, ROLE_BIT(ROLE_ADMIN))) < 0 || (rc = due_work(app, &s)) < 0)
		return rc;
	if ((rc = notice_mailer_load(app->st, app->db_path, app->origin, &m)) < 0)
		return rc;
	rc = notice_deliver_due(app, &m, 0, &s.delivery);
	if (rc == 0 && app->json)
		rc = cmd_print_json(json_pack(
			"{s:i, s:i, s:i, s:i, s:i, s:i, s:s?}", "holds_expired", s.holds_expired,
			"notices_released", s.released, "notices_recovered", s.recovered,
			"notices_sent", s.delivery.sent, "notices_failed", s.delivery.failed,
			"ndo_reviews_due", s.reviews, "notices_held", s.delivery.held));
	else if (rc == 0)
		print_stats(&s);
	notice_mailer_release(&m);
	return rc;
}
