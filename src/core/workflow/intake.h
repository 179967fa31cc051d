/*
 * intake.h - taking a request in: resolving its targets, evaluating the
 * policy, storing it in its first state, and logging it.
 *
 * Both functions run inside the caller's unit of work (store_begin ..
 * store_commit) and never commit themselves.
 */
#ifndef DOCKET_INTAKE_H
#define DOCKET_INTAKE_H

#include <stdint.h>

#include "core/ledger/event.h"
#include "model/model.h"
#include "store/store.h"

struct ruleset;

/* A new request (request add): resolves targets to accounts and customers,
 * fills the requesting country from the agency (left empty when the agency
 * is not registered: policy then asks for verification, GEN-AGENCY), evaluates the
 * policy (SPEC §4), stores the request with its recommendation in its first
 * state, logs "request.received" and records the history.  r->id is set. */
int intake_add(struct store *st, const struct ruleset *rules, const struct actor *who,
	       struct request *r, uint64_t *log_index);

/* SPEC §3: a received_at more than this many seconds after the clock is
 * refused (E_INVALID): clock skew, not a request from the future. */
#define INTAKE_MAX_SKEW 300

/* Run the policy again for stored request r (id and current state set),
 * whose input the caller may have changed (request amend) or whose agency
 * was registered or identified since (request reassess): resolves targets,
 * fills the country from the agency, re-evaluates, stores the new input,
 * recommendation and deadlines, moves the request to the first state the
 * new recommendation calls for (it has had no review decision), replans
 * its notices and logs "request.<event>" with the new document's digest,
 * the new action and `extra`.  need_agency: refuse (E_REFUSED) while the
 * agency is still not registered. */
struct rerun {
	const char *event;   /* "reassess", "amend" */
	const char *reason;  /* may be NULL */
	json_t *extra;       /* borrowed, may be NULL */
	int need_agency;
};
int intake_rerun(struct store *st, const struct ruleset *rules, const struct actor *who,
		 struct request *r, const struct rerun *how);

/* 1 when stored request r has had no review decision yet (it is verifying
 * or in review and its history holds only intake, reassess and amend), 0
 * when it has, <0 on a storage error. */
int intake_undecided(struct store *st, const struct request *r);

/* request reassess ID [--agency AGENCY]: a reviewer who registered the
 * agency (agency import), or identifies the registered agency it really is,
 * runs the policy again (GEN-AGENCY); only before any review decision. */
struct staff;
int intake_reassess(struct store *st, const struct ruleset *rules, const struct staff *by,
		    int64_t id, const char *agency, const char *reason);

/* Accounts resolved once for a whole import (which adds none): a target
 * seen before is not looked up again. */
struct account_cache;
struct account_cache *account_cache_new(void);
void account_cache_free(struct account_cache *c);
/* Resolve every target of reqs[0..n) not yet in c in a few queries (one
 * per thousand), so that intake_import() finds them cached: a bulk import
 * then waits for the database once per thousand targets, not per target.
 * Normalises the targets (as intake_import does).  0 or an error. */
int account_cache_prefetch(struct store *st, struct account_cache *c, struct request *reqs,
			   size_t n);
/* request amend ID FILE.json (intake; SPEC §3): r (parsed from the new
 * document, with the old received_at as its default) replaces the input of
 * request id, before any review decision; the policy runs again, notices
 * follow the targets (new customers get one, unsent ones of customers no
 * longer named are cancelled) and "request.amend" logs the old and the new
 * document's digests ("doc_was", "doc").  The NDO is changed with ndo
 * add/extend/lift instead. */
int intake_amend(struct store *st, const struct ruleset *rules, const struct staff *by,
		 int64_t id, struct request *r, const char *reason);

/* A historical, already-closed request (request import): resolves targets
 * (through cache, which may be NULL), fills the country from the agency
 * when not already set, stores it as closed with its outcome.  doc is r's
 * canonical document with its digest in *digest, worked out beforehand
 * (doc NULL: worked out here into *digest); a country filled in here (an
 * agency registered since) makes a new document and digest.  It is logged
 * by the caller, one entry per batch, with the digest.  r->id is set. */
int intake_import(struct store *st, struct account_cache *cache, struct request *r,
		  const char *doc, char digest[72]);
/* The history row of an imported request: this event and reason, from no
 * state to closed, recorded by the batch's "request.import" entry. */
#define INTAKE_IMPORT_EVENT "imported"
#define INTAKE_IMPORT_REASON "historical import"

/* The request's canonical SPEC §3 document (compact, sorted keys), as
 * stored and as digested; NULL with an error set on failure.  Caller frees. */
char *intake_canonical(const struct request *r);
/* "sha256:<hex>" of the request's canonical SPEC §3 document. */
int intake_digest(const struct request *r, char out[72]);

/* Add the facts of stored request r that the log records (request, ref,
 * agency, country, kind, process, categories, target refs, account ids,
 * received_at, due_at, and outcome and closed_at when set) to `into`
 * (owned by the caller; core/ledger/replay.c compares them with the
 * tables).  Target references are keyed (journal_ref()). */
int intake_facts(struct store *st, const struct request *r, json_t *into);

/* A historical request's dates and outcome are possible: received not in
 * the future (beyond INTAKE_MAX_SKEW), not closed before it was received, and outcome 'content' only when content was asked for.
 * E_INVALID naming the field. */
int intake_check_historical(const struct request *r, int64_t now);

#endif
