/*
 * event.h - one place that turns a domain change into a log entry.
 *
 * Every state change, decision, verification, notice, data access and import
 * calls event_log() inside the unit of work that makes the change, so the
 * change and its entry commit together (invariant I8).  The entry is the
 * event's fields plus "type", "at" (RFC 3339) and "actor".
 */
#ifndef DOCKET_EVENT_H
#define DOCKET_EVENT_H

#include <stdint.h>

#include <jansson.h>

#include "store/store.h"

struct actor {
	const char *name;        /* the acting user */
	int64_t now;             /* the clock */
};

/* fields: a JSON object (reference stolen; NULL for none).  *index
 * (optional) receives the entry's log index. */
int event_log(struct store *st, const struct actor *who, const char *type,
	      json_t *fields, uint64_t *index);

/* A bulk record as bounded entries (SPEC §6: an entry is at most
 * JOURNAL_MAX_ENTRY bytes).  Logs `fields` (an object, stolen; NULL for
 * none) with the array `items` (stolen) under the key `list`, split into as
 * few consecutive entries as keep each within the cap.  Each entry holds
 * `fields`, "count" (the items in that entry) and its slice of `items`, in
 * order; when the record takes more than one entry, each also holds "part"
 * (1, 2, ...) and "parts".  item_index (optional, one per item) receives
 * the log index of the entry each item went into; *first (optional) the
 * index of the first entry.  An item that cannot fit in an entry on its own
 * is an error (E_INVALID) and nothing is logged. */
int event_log_list(struct store *st, const struct actor *who, const char *type,
		   json_t *fields, const char *list, json_t *items,
		   uint64_t *item_index, uint64_t *first);

/* Append a history row for request r and its log entry in one go: logs
 * "request.<event>" with the request id, the states and the reason. */
int event_transition(struct store *st, const struct actor *who, int64_t request_id,
		     const char *event, int from_state, int to_state,
		     const char *reason, json_t *extra, uint64_t *index);

#endif
