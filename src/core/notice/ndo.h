/*
 * ndo.h - nondisclosure orders (SPEC §2, §5): recording, extending and
 * lifting them, the flags they raise, and the NSL gag review reminder.
 *
 * Invariants:
 *   - a request has at most one NDO in force (not lifted); a court's later
 *     order changes it with ndo_extend() or ends it with ndo_lift(), and a
 *     new NDO may follow a lifted one;
 *   - every change appends its log entry ("ndo.added", "ndo.extended",
 *     "ndo.lifted", "ndo.review_due") and re-plans the request's notices
 *     (core/notice/notice.h) in the caller's unit of work, so an NDO and the
 *     notices it holds back never disagree;
 *   - an indefinite NDO (GEN-NDO-INDEFINITE) and one longer than 365 days
 *     (GEN-NDO-LONG) are flagged for challenge wherever an NDO is shown;
 *   - an NDO on a National Security Letter gets a review date 3 years
 *     after the request (US-NSL; the policy's nsl_gag_review deadline when
 *     the request has one), which `docket tick` raises once.
 *
 * All functions run inside the caller's unit of work and never commit.
 */
#ifndef DOCKET_NDO_H
#define DOCKET_NDO_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/ledger/event.h"
#include "model/model.h"
#include "store/store.h"

#define NDO_LONG_DAYS 365     /* GEN-NDO-LONG: longer than this is flagged */
#define NDO_NSL_REVIEW_YEARS 3 /* US-NSL: review the gag after 3 years */

enum ndo_flag {
	NDO_FLAG_INDEFINITE = 1,     /* GEN-NDO-INDEFINITE */
	NDO_FLAG_OVER_ONE_YEAR = 2,  /* GEN-NDO-LONG */
	NDO_FLAG_REVIEW_DUE = 4,     /* US-NSL: the gag review date has come */
};

/* The flags of n at `now` (a lifted NDO raises none). */
unsigned ndo_flags(const struct ndo_record *n, int64_t now);
/* ["ndo_indefinite", "ndo_over_one_year", "nsl_review_due"] for flags. */
json_t *ndo_flags_json(unsigned flags);
/* One line for people: "indefinite: challenge recommended (GEN-NDO-INDEFINITE)". */
void ndo_flags_text(unsigned flags, char *out, size_t outsz);
/* n as JSON (a new reference). */
json_t *ndo_to_json(const struct ndo_record *n, int64_t now);
/* The first instant after `now` at which ndo_to_json(n, t) may differ from
 * ndo_to_json(n, now) with n unchanged - its expiry ("in_force") or its
 * review date ("nsl_review_due") - or INT64_MAX when nothing in it moves
 * with the clock.  Keep it true when a flag or field comes to depend on
 * the time: the server's cached views expire by it (http/cache.h). */
int64_t ndo_changes_after(const struct ndo_record *n, int64_t now);

/* The NDOs of a request (0: of every request) as a JSON array; NULL with
 * an error set on failure.  With until not NULL, *until is lowered to the
 * earliest ndo_changes_after() of them. */
json_t *ndo_list_json(struct store *st, int64_t request_id, int64_t now);
json_t *ndo_list_json_until(struct store *st, int64_t request_id, int64_t now,
			    int64_t *until);

/* The NDOs of one request, with their strings owned by the set. */
struct ndo_set {
	struct ndo_record *v;
	size_t n, cap;
};
int ndo_set_load(struct store *st, int64_t request_id, struct ndo_set *out);
void ndo_set_release(struct ndo_set *s);
/* The latest NDO of s that was not lifted (it may have expired), or NULL. */
const struct ndo_record *ndo_set_current(const struct ndo_set *s);
/* Is n in force at `now`: not lifted and not expired? */
int ndo_in_force(const struct ndo_record *n, int64_t now);

/* Record the NDO that came with request r at intake and log "ndo.added".
 * The notices do not exist yet; notice_intake() plans them after this. */
int ndo_record_intake(struct store *st, const struct actor *who, const struct request *r);

/* ndo add: a new NDO on request_id (refused when one is in force). */
int ndo_add(struct store *st, const struct actor *who, int64_t request_id,
	    const struct ndo *nd, int64_t *id);
/* ndo extend: a new expiry for the NDO in force: later than the current
 * one, or - for an indefinite NDO a court has limited - any time after it
 * was issued. */
int ndo_extend(struct store *st, const struct actor *who, int64_t request_id,
	       int64_t expires_at);
/* ndo lift: the NDO in force ends now; held notices become due. */
int ndo_lift(struct store *st, const struct actor *who, int64_t request_id,
	     const char *reason);

/* request investigation-closed ID: the agency reported that the
 * investigation behind NSL request_id closed at closed_at (not in the
 * future, not before receipt): the review of each NDO in force becomes due
 * then, a nsl_gag_review deadline is tracked, and "request.investigation_
 * closed" is logged in its history (the state does not change).  Reviewer
 * role. */
struct staff;
int ndo_investigation_closed(struct store *st, const struct staff *by, int64_t request_id,
			     int64_t closed_at, const char *reason);

/* tick: raise each NSL gag review that has come due (once); *due counts. */
int ndo_remind_due(struct store *st, const struct actor *who, int *due);

#endif
