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

/* Accounts resolved once for a whole import (which adds none): a target
 * seen before is not looked up again. */
struct account_cache;
struct account_cache *account_cache_new(void);
void account_cache_free(struct account_cache *c);
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

#endif
