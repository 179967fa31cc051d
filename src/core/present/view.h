/*
 * view.h - the stored request as users and scripts see it (SPEC §9):
 * every SPEC §3 field plus id, state, policy, outcome, notices and history.
 * Shared by `request show --json`, `request list --json` and the HTTP API.
 */
#ifndef DOCKET_VIEW_H
#define DOCKET_VIEW_H

#include <jansson.h>

#include "model/model.h"
#include "store/store.h"

/* A new JSON object for r (as loaded by store_request_get) with its stored
 * policy text (may be NULL).  With `full`, notices, NDOs (with their flags
 * at `now`) and history are read from the store and included.  NULL with an
 * error set on failure. */
json_t *view_request(struct store *st, const struct request *r, const char *policy_json,
		     int full, int64_t now);
/* The full view at `now`, and in *until the first instant after now at
 * which the same stored rows would give a different view: what the view
 * reads from the clock.  Today only the NDOs do (ndo_changes_after(): an
 * expiry, a review date); deadlines, notices and history print stored
 * times only.  INT64_MAX when nothing moves with the clock.  A field that
 * comes to depend on the time must lower *until here, or the server's
 * cached views (http/cache.h) go stale (tests/unit/core/notice/
 * test_perf_ndo_until.c checks the NDOs' instants second by second). */
json_t *view_request_until(struct store *st, const struct request *r,
			   const char *policy_json, int64_t now, int64_t *until);

/* The tracked deadlines of a request: [{"kind", "at", "met",
 * "reminded_near"?, "reminded_missed"?}] (a new reference; NULL with an
 * error set on failure). */
json_t *view_deadlines(struct store *st, int64_t request_id);

#endif
