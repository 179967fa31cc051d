/*
 * queue.h - what the legal team works on next (SPEC §13): the queue of
 * requests, most urgent first, and the actions the workflow allows one
 * user on one request now.  Read-only; the pages and `docket request
 * queue` show them.
 */
#ifndef DOCKET_APP_QUEUE_H
#define DOCKET_APP_QUEUE_H

#include <jansson.h>

#include "app/app.h"

#define APP_QUEUE_MAX 500    /* rows of one queue page */

/* Urgency (SPEC §13): overdue first, then by nearest deadline - so an EU
 * 8-hour emergency order outranks a 14-day comity window - then requests
 * without a deadline, oldest received first; the id breaks ties.  Compares
 * two requests' (next_deadline, received_at, id); next_deadline 0 is none.
 * Negative when a is more urgent. */
int queue_urgency_cmp(int64_t a_deadline, int64_t a_received, int64_t a_id,
		      int64_t b_deadline, int64_t b_received, int64_t b_id);

/* Requests matching f and the search q (NULL or "": none), finished ones
 * only when with_finished, most urgent first, at most APP_QUEUE_MAX: the
 * short views of app_request_list_json() plus "next_deadline" (RFC 3339 or
 * null) and "recommendation" (the policy's action or null).  *out is a new
 * reference; *more is set when rows were left off. */
int app_queue_json(struct session *s, const struct request_filter *f, const char *q,
		   int with_finished, json_t **out, int *more);

/* The workflow events (core/workflow/workflow.h's table) that s's user may take on
 * request id in its current state, in table order, as a JSON array of
 * strings.  What the table does not allow, or allows only to other roles,
 * is not offered; the app function still checks everything when called. */
int app_request_actions(struct session *s, int64_t id, json_t **out);

#endif
