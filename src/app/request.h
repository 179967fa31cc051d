/*
 * request.h - requests in the application layer: intake, historical
 * import, the review workflow, preservation holds, and the read-only views
 * the command line and the server show (app/app.h explains sessions and
 * the unit of work).
 *
 * Every function that changes anything runs one unit of work (the import
 * one per batch) and checks the actor's roles: intake needs ROLE_INTAKE,
 * import ROLE_ADMIN; the review operations leave the check to the
 * transition table (core/workflow/workflow.h), which names the role each step
 * needs.  Refusals are E_FORBIDDEN (role) or E_REFUSED (the law or the
 * workflow); bad input is E_INVALID or E_USAGE with the field named.
 */
#ifndef DOCKET_APP_REQUEST_H
#define DOCKET_APP_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "app/app.h"
#include "core/policy/policy.h"

/* --- intake ------------------------------------------------------------- */

/* Take in a new request from its SPEC §3 document (doc, len bytes): parse,
 * resolve targets, evaluate the policy, store it in its first state, log
 * "request.received", plan notices.  *id receives its id.  A document that
 * does not parse is E_INVALID with `name` (may be NULL) before the
 * message. */
int app_request_add(struct session *s, const char *name, const char *doc, size_t len,
		    int64_t *id);

/* A document uploaded with a request (the intake page): its bytes as they
 * came; sha256 is filled by app_request_add_docs(). */
struct app_upload {
	const char *name, *media_type;
	const void *data;
	size_t len;
	char sha256[65];
};
/* app_request_add() with the uploaded documents: each must be one of the
 * request's `documents` by SHA-256 (computed here, on arrival), and they
 * are stored with the request in its unit of work, each logged by name,
 * hash and size ("request.document"); a mismatch stores nothing. */
int app_request_add_docs(struct session *s, const char *name, const char *doc, size_t len,
			 struct app_upload *docs, size_t n_docs, int64_t *id);

/* Intake of the parsed request r (r->id set on success) with its uploads,
 * and `after` (may be NULL) run in the same unit of work once r is stored.
 * No role is checked: for callers that checked who may submit (the agency
 * portal's officers, app/portal.h). */
int app_request_intake(struct session *s, struct request *r, struct app_upload *docs,
		       size_t n_docs, app_body_fn after, void *after_ctx);

/* A stored document of request id by its SHA-256, checked again against
 * the hash as it is read (E_INTERNAL when the bytes no longer match);
 * E_NOTFOUND when the request names no such document or it was never
 * uploaded.  Any role.  Release with app_document_release(). */
struct app_document {
	char *name, *media_type;
	void *data;
	size_t len;
	char sha256[65];
};
int app_document_get(struct session *s, int64_t request_id, const char *sha256,
		     struct app_document *out);
void app_document_release(struct app_document *d);
/* The stored documents of request id: [{name, sha256, media_type, size}]. */
int app_document_list_json(struct session *s, int64_t request_id, json_t **out);

/* Customer id as a request page shows it: {id, name, type, country,
 * data_location, us_person, key_custody, enterprise, customer_keys}. */
int app_customer_json(struct session *s, const char *id, json_t **out);

/* Import historical, already-closed requests from a JSON Lines text (one
 * SPEC §3 object plus "outcome" and "closed_at" a line; `name` names it in
 * errors as NAME:LINE).  Every line is checked first and nothing is stored
 * if one is bad; then batches of APP_IMPORT_BATCH are stored, one unit of
 * work and one "request.import" log entry each.  *count receives the number
 * imported. */
#define APP_IMPORT_BATCH 1000
int app_request_import(struct session *s, const char *name, const char *text, size_t len,
		       const struct app_progress *progress, size_t *count);
/* The same, saying how many lines an earlier, interrupted run of the
 * same file had stored already (skipped; *count is the new ones). */
int app_request_import_again(struct session *s, const char *name, const char *text,
			     size_t len, const struct app_progress *progress, size_t *count,
			     size_t *skipped);

/* --- review (core/workflow/workflow.h says what each step checks) -------------- */

/* A reviewer's decision d on request id. */
int app_request_decide(struct session *s, int64_t id, const struct decision *d);
/* An approver's sign-off; *ready (optional) is set when it was the second. */
int app_request_approve(struct session *s, int64_t id, const char *reason, int *ready);
int app_request_verify(struct session *s, int64_t id, const struct verify_input *v);
/* Run the policy again once the agency is registered, or as the registered
 * agency `agency` (may be NULL) (core/workflow/intake.h, intake_reassess). */
int app_request_reassess(struct session *s, int64_t id, const char *agency,
			 const char *reason);
/* Challenge in court (a decision "challenge" with court and grounds). */
int app_request_challenge(struct session *s, int64_t id, const char *court,
			  const char *grounds, const char *reason);
/* The court's decision: "quashed", "modified" or "denied". */
int app_request_challenge_outcome(struct session *s, int64_t id, const char *outcome,
				  const char *reason);
int app_request_withdraw(struct session *s, int64_t id, const char *reason);
/* outcome OUT_NONE: the one the workflow gives. */
int app_request_close(struct session *s, int64_t id, enum outcome outcome,
		      const char *reason);

/* Preservation holds (US-PRESERVATION, EU-EPOC-PR). */
int app_hold_renew(struct session *s, int64_t id, const char *reason);
int app_hold_release(struct session *s, int64_t id, const char *reason);
int app_hold_convert(struct session *s, int64_t id, int64_t follow_up,
		     const char *reason);

/* --- reading ------------------------------------------------------------ */

/* Request id, and (policy not NULL) its policy recommendation, parsed;
 * *has_policy is 0 for an imported request, which has none.  The caller
 * releases *out with request_release() and *policy with
 * policy_result_release(). */
int app_request_get(struct session *s, int64_t id, struct request *out,
		    struct policy_result *policy, int *has_policy);
/* Request id as SPEC §9 JSON with policy, notices and history (a new
 * reference in *out). */
int app_request_json(struct session *s, int64_t id, json_t **out);
/* The same, and in *until the first instant after s->now at which the
 * view of the same stored rows would read differently
 * (view_request_until()); INT64_MAX when never. */
int app_request_json_until(struct session *s, int64_t id, json_t **out, int64_t *until);
/* Each request matching f, in id order (f->urgent: nearest open deadline
 * first); f->q matches a ref, an agency id or a target, an account
 * identifier in any spelling.  A nonzero return of cb stops. */
int app_request_each(struct session *s, const struct request_filter *f,
		     store_request_cb cb, void *ctx);
/* One row of the list (`request list --json`, GET /api/v1/requests): the
 * short view of r (no policy) with "overdue" at the session's clock,
 * "next_deadline", "recommendation" and "void"; NULL when it cannot be
 * made. */
json_t *app_request_list_row(struct session *s, const struct request *r);
/* The same as a JSON array of short views (no policy), each with
 * "overdue" at the session's clock. */
int app_request_list_json(struct session *s, const struct request_filter *f,
			  json_t **out);
/* The agency reported the close of the investigation behind NSL request
 * id at closed_at: the gag review comes due (core/ndo.h). */
int app_request_investigation_closed(struct session *s, int64_t id, int64_t closed_at,
				     const char *reason);
/* request amend: the SPEC §3 document (doc, len bytes; `name` for errors)
 * replaces the input of request id before any review decision
 * (core/intake.h, intake_amend).  Intake role. */
int app_request_amend(struct session *s, int64_t id, const char *name, const char *doc,
		      size_t len, const char *reason);
/* request void: entered in error (core/workflow.h, review_void). */
int app_request_void(struct session *s, int64_t id, const char *reason);
/* The id of a request named by its id or its reference (SPEC §9: request
 * show accepts either); E_NOTFOUND, or E_INVALID when a reference is shared
 * by requests of several agencies (use the id). */
int app_request_find(struct session *s, const char *ref_or_id, int64_t *id);
/* The written justification overriding a GEN-ENTERPRISE redirect, or
 * *text NULL when there is none; the caller frees it. */
int app_request_extraordinary(struct session *s, int64_t id, char **text);
/* The tracked deadlines of request id with their reminders (core/view.h,
 * view_deadlines; a new reference). */
int app_request_deadlines(struct session *s, int64_t id, json_t **out);
/* The preservation holds of request id, in id order. */
int app_hold_each(struct session *s, int64_t id, store_hold_cb cb, void *ctx);
/* A request's history rows in order. */
int app_request_history(struct session *s, int64_t id, store_history_cb cb, void *ctx);
/* The policy recommendation of request id with the request; E_NOTFOUND
 * for an imported request, which has none.  Release both on success. */
int app_request_policy(struct session *s, int64_t id, struct request *r,
		       struct policy_result *policy);
/* Is r's next deadline past at the session's clock? */
int app_request_overdue(const struct session *s, const struct request *r);

/* One page of requests matching f and the search q (NULL: none; matched
 * against reference, agency and account identifiers, case-insensitively),
 * with ids above `after`, at most `limit` of them, as the short views of
 * app_request_list_json().  *next is the cursor of the next page (the last
 * id given), 0 when this is the last (request_page.c). */
int app_request_page(struct session *s, const struct request_filter *f, const char *q,
		     int64_t after, size_t limit, json_t **out, int64_t *next);

/* Does r match the search q (reference, agency or an account identifier,
 * case-insensitively)? */
int app_request_matches(const struct request *r, const char *q);
/* Preservation holds as JSON: every hold of request_id, or (request_id 0)
 * the active holds, expiring soonest first (request_page.c). */
int app_hold_list_json(struct session *s, int64_t request_id, json_t **out);

#endif
