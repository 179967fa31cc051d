/*
 * audit.h - the records against the log (invariant I8): what the request
 * tables say happened must be what the tamper-evident log says happened.
 *
 * journal_verify() proves the log is intact; audit_verify() proves the
 * domain tables agree with it, in both directions:
 *
 *  - every history row points (log_index) at an entry of type
 *    "request.<event>" with the same request id, "to" and "from" states,
 *    actor, time and reason; an "imported" row points at the
 *    "request.import" entry of its batch, which lists the request;
 *  - a request's history is one chain: it starts with "received" or
 *    "imported", each row starts in the state the row before ended in, and
 *    the rows follow the log's order;
 *  - every request has a history, and its stored state and outcome are the
 *    ones its last history row's entry gives;
 *  - the stored request document hashes to the digest logged when the
 *    request came in ("doc" of its request.received entry, or of its item
 *    in a request.import entry);
 *  - every request.* entry that records a transition ("to"), and every
 *    request a request.import entry lists, has its history row.
 *
 * The other tables (users and roles among them) are replayed from the log
 * by core/ledger/replay.h.
 *
 * Findings go to hooks->finding as JOURNAL_BAD_RECORD with the request id
 * and the log index concerned (UINT64_MAX when there is none).  Requests
 * are walked in id order and the log once, in constant memory.  Run it in
 * a read snapshot (store_snapshot_begin) next to journal_verify() so both
 * see the same database.
 */
#ifndef DOCKET_AUDIT_H
#define DOCKET_AUDIT_H

#include <stdint.h>

#include "core/ledger/journal.h"
#include "store/store.h"

struct audit_report {
	uint64_t requests;     /* requests checked */
	uint64_t history;      /* history rows checked against their entries */
	uint64_t users;	       /* unused: users are replayed (replay.h) */
	uint64_t entries;      /* request and user entries checked against them */
	uint64_t problems;     /* findings reported */
	int64_t first_request; /* the smallest request with a finding; 0: none */
};

/* Returns 0 when the records match the log, E_INVALID ("... first at
 * request N") when they do not, and other errors when the store fails.
 * hooks may be NULL; progress() counts history rows, then entries. */
int audit_verify(struct store *st, const struct journal_hooks *hooks,
		 struct audit_report *out);

#endif
