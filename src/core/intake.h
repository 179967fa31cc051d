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

#include "core/event.h"
#include "core/model.h"
#include "store/store.h"

struct ruleset;

/* A new request (request add): resolves targets to accounts and customers,
 * fills the requesting country from the agency (left empty when the agency
 * is not registered: policy then asks for verification, GEN-AGENCY), evaluates the
 * policy (SPEC §4), stores the request with its recommendation in its first
 * state, logs "request.received" and records the history.  r->id is set. */
int intake_add(struct store *st, const struct ruleset *rules, const struct actor *who,
	       struct request *r, uint64_t *log_index);

/* A historical, already-closed request (request import): resolves targets,
 * fills the country from the agency when not already set, stores it as
 * closed with its outcome.  It is logged by the caller, one entry per
 * batch, with the digest of its canonical document, which *digest receives.
 * r->id is set. */
int intake_import(struct store *st, struct request *r, char digest[72]);
/* The same with r's canonical document and its digest worked out
 * beforehand (doc may be NULL: worked out here).  A country filled in here
 * (an agency registered since) makes a new document. */
int intake_import_doc(struct store *st, struct request *r, const char *doc,
		      char digest[72]);
/* Accounts resolved once for a whole import (which adds none): a target
 * seen before is not looked up again.  intake_import_cached() is
 * intake_import_doc() resolving through it. */
struct account_cache;
struct account_cache *account_cache_new(void);
void account_cache_free(struct account_cache *c);
int intake_import_cached(struct store *st, struct account_cache *cache, struct request *r,
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

/* "sha256:<hex>" of an identifier "type:value": how log entries name
 * accounts without putting personal data in clear. */
void intake_target_hash(const struct target *t, char out[72]);

/* Add the facts of stored request r that the log records (request, ref,
 * agency, country, kind, process, categories, target refs, account ids,
 * received_at, due_at, and outcome and closed_at when set) to `into`,
 * which is returned (core/replay.c compares them with the tables). */
json_t *intake_facts(const struct request *r, json_t *into);

#endif
