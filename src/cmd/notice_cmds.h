/*
 * notice_cmds.h - what `docket tick`, `notice resend` and `request show`
 * share about notices (cmd_notice.c).
 */
#ifndef DOCKET_NOTICE_CMDS_H
#define DOCKET_NOTICE_CMDS_H

#include <stdint.h>

#include "cmd/cmd.h"
#include "core/notice.h"

struct delivery_stats {
	int sent, failed;
	const char *held; /* nothing delivered: m->missing (SPEC §5) */
};

/* Deliver every notice due by the clock (only_id 0), or just notice
 * only_id, each in its own three units of work: claim and commit, deliver
 * with no transaction open, record the outcome and commit
 * (core/notice.h).  A failed delivery is counted, not returned: only a
 * storage error stops the run.  While m->missing is set nothing is claimed:
 * the notices stay pending and s->held says why. */
int notice_deliver_due(struct app *app, const struct notice_mailer *m, int64_t only_id,
		       struct delivery_stats *s);

/* The "Notices:" and "NDOs:" lines of `request show`. */
int notice_print_for_request(struct app *app, int64_t request_id);

#endif
