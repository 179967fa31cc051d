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

#endif
