/*
 * workflow.h - the one table of allowed transitions (SPEC §4) and the one
 * entry point that moves a request from state to state.
 *
 * Every change of a request's state goes through workflow_apply(): it finds
 * the row (state, event) in the transition table, checks the actor holds
 * the row's role, updates the state (and outcome, when the transition
 * resolves the request), and logs "request.<event>" with old -> new state,
 * actor, time and reason in the same unit of work.  A (state, event) pair
 * the table does not hold is refused (E_REFUSED) and nothing changes; a
 * missing role is E_FORBIDDEN.
 *
 * The review operations below add their own checks and records (four eyes,
 * narrowing, verification, challenges, holds) and then call
 * workflow_apply().  All run inside the caller's unit of work.
 */
#ifndef DOCKET_WORKFLOW_H
#define DOCKET_WORKFLOW_H

#include <stdint.h>

#include "core/ledger/event.h"
#include "model/model.h"
#include "store/store.h"

struct transition {
	enum state from;
	const char *event;
	enum state to;
	unsigned roles;           /* ROLE_BIT()s, any of which may do it */
	enum outcome outcome;     /* set when the transition resolves the request */
};

extern const struct transition workflow_table[];   /* ends with event NULL */

/* The command a user types for a table event ("sign_off_final" ->
 * "request approve"); the event itself when it has none. */
const char *workflow_command(const char *event);

/* The row for (from, event), or NULL. */
const struct transition *workflow_find(enum state from, const char *event);

/* The acting user: name, clock and roles. */
struct staff {
	struct actor who;
	unsigned roles;
};

/* Move request r along (r->state, event).  outcome overrides the row's
 * outcome when not OUT_NONE (used by close).  extra (stolen, may be NULL)
 * adds fields to the log entry.  On success r->state is the new state. */
int workflow_apply(struct store *st, const struct staff *by, struct request *r,
		   const char *event, const char *reason, enum outcome outcome,
		   json_t *extra, uint64_t *log_index);

/* request decide ID ACTION: reject | narrow | redirect | challenge | approve.
 * narrow keeps `categories` (a non-empty strict subset of what was asked);
 * challenge needs court and grounds; approving against a redirect
 * recommendation (GEN-ENTERPRISE) needs an extraordinary-circumstances
 * justification. */
/* The rule whose redirect binds every later step (I5), and the shortest
 * written justification that overrides it. */
#define WORKFLOW_REDIRECT_RULE "GEN-ENTERPRISE"
#define WORKFLOW_EXTRAORDINARY_MIN 20

struct decision {
	enum action action;       /* ACT_REJECT, ACT_NARROW, ACT_REDIRECT, ACT_REVIEW
				     (= challenge), ACT_PRESERVE unused */
	const char *name;         /* the word the reviewer used */
	const char *reason;
	unsigned categories;      /* narrow */
	const char *court, *grounds;   /* challenge */
	const char *extraordinary;     /* approve against a redirect recommendation */
	const char *target;            /* redirect / reject one target only (its
					  value as given or normalised) */
};
int review_decide(struct store *st, const struct staff *by, int64_t id,
		  const struct decision *d);
/* A decision about one target (d->target set): SPEC §4 "decisions can
 * differ per target".  redirect or reject takes that target out of
 * production (disclosure skips it; reports count its account as redirected
 * or rejected) while the rest of the request goes on; the request's state
 * does not change.  Allowed while the request is verifying or in review,
 * for a target not yet decided and never the last undecided one (decide
 * the whole request instead).  Logged "request.target_redirect" or
 * "request.target_reject" with the target's reference (not its value). */

/* request approve ID: an approver's sign-off.  The second distinct approver
 * moves the request to ready (I10); the same person twice is refused. */
int review_approve(struct store *st, const struct staff *by, int64_t id,
		   const char *reason, int *now_ready);

/* request verify ID: how the requester was verified (call-back).  A
 * request with an enterprise target still to be redirected needs the
 * extraordinary justification here too (GEN-ENTERPRISE). */
struct verify_input {
	const char *callback;      /* the number dialled */
	const char *person;        /* who answered */
	const char *reason;        /* optional; required when callback is not the
				      agency's number on file */
	const char *extraordinary; /* optional */
};
int review_verify(struct store *st, const struct staff *by, int64_t id,
		  const struct verify_input *in);

/* The court's decision on a pending challenge: quashed (request rejected),
 * modified or denied (back to review). */
int review_challenge_outcome(struct store *st, const struct staff *by, int64_t id,
			     const char *outcome, const char *reason);
/* Is outcome one of the court's decisions above? */
int review_challenge_outcome_valid(const char *outcome);

int review_withdraw(struct store *st, const struct staff *by, int64_t id,
		    const char *reason);
int review_close(struct store *st, const struct staff *by, int64_t id,
		 enum outcome outcome, const char *reason);

/* request void ID --reason TEXT (reviewer; SPEC §3): the request was
 * entered in error (a duplicate, a typo'd agency).  It keeps its state and
 * history but leaves every report and list of work: voided_at is set, its
 * unsent notices are cancelled, its active holds released, its deadlines
 * raise no reminder, and "request.void" is logged.  Refused once data was
 * disclosed for it. */
int review_void(struct store *st, const struct staff *by, int64_t id, const char *reason);

/* Preservation holds (US-PRESERVATION, EU-EPOC-PR): renew once, release. */
/* Holds on every resolved target of preservation request r, until
 * expires_at (the policy's hold_expiry deadline). */
/* ids (optional): receives [hold id, account id] of each hold made. */
int hold_create(struct store *st, const struct request *r, int64_t expires_at,
		json_t *ids);
int hold_renew(struct store *st, const struct staff *by, int64_t id, const char *reason);
int hold_release(struct store *st, const struct staff *by, int64_t id,
		 const char *reason);
/* A follow-up request (follow_up, already taken in) converts preservation
 * request id: its holds end and the link is logged (US-PRESERVATION: no
 * disclosure without further process - the follow-up is that process). */
int hold_convert(struct store *st, const struct staff *by, int64_t id, int64_t follow_up,
		 const char *reason);
/* Expire every hold due at `now` (docket tick); *expired counts requests. */
int hold_expire_due(struct store *st, const struct staff *by, int *expired);

#endif
