/*
 * ops.h - operations the command line and `docket serve` share, until the
 * application layer (issue 11) gives each its app/ function: the server
 * calls exactly what the command calls.
 */
#ifndef DOCKET_CMD_OPS_H
#define DOCKET_CMD_OPS_H

#include "base/buf.h"
#include "cmd/cmd.h"

struct report;

/* `docket report`: the report for period in format (json, csv, html; NULL:
 * json) as text, and the report itself (report_free()).  published and band
 * may be NULL (the defaults). */
int report_text(struct app *app, const char *period, const char *format,
		const char *published, const char *band, struct buf *text,
		struct report **out);

/* `docket tick`: one scheduler pass (app acts as an admin). */
struct tick_stats {
	int holds_expired, released, recovered, reviews;
	int sent, failed;
};
int tick_pass(struct app *app, struct tick_stats *s);

#endif
