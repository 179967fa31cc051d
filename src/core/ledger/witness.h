/*
 * witness.h - witnesses that cosign the log's checkpoints (SPEC §6;
 * c2sp.org/tlog-witness, c2sp.org/tlog-cosignature).
 *
 * A witness is registered with its key name, the URL prefix its
 * add-checkpoint is posted under and its verifier key (signature type 0x04);
 * registering is a unit of work with a "witness.add" entry, and so is
 * removing one ("witness.remove").  Every new
 * checkpoint is offered to each witness (witness_offer_all(), run by the
 * scheduler pass): "old <size it last cosigned>", the consistency proof from
 * that size, and the signed checkpoint.  A 409 answer names the size the
 * witness did cosign last, and the offer is made again from there; a
 * cosignature that verifies is stored and from then on served after the
 * log's own signature (witness_checkpoint()); any other answer is recorded
 * as the witness's status, and a 422 - the witness found the log not to
 * extend what it cosigned before - marks a problem that `log verify`
 * reports (witness_verify()).
 *
 * Offers run outside any transaction: the network is never waited on while
 * the database is locked.  Each outcome is recorded afterwards by the
 * application layer in a short unit of work of its own (app/witness.c).  Cosignatures are not log entries: they are statements about
 * checkpoints, kept beside them (a cosignature entry would make a new
 * checkpoint to offer, forever).
 */
#ifndef DOCKET_WITNESS_H
#define DOCKET_WITNESS_H

#include <stdint.h>

#include "core/ledger/event.h"
#include "core/ledger/journal.h"
#include "log/cosig.h"
#include "log/witness_http.h"
#include "store/store.h"

#define WITNESS_MAX 32       /* witnesses in service a log may have */
#define WITNESS_ROWS_MAX 128 /* witnesses it may have had, removed ones too */

/* Register a witness, inside a unit of work: name a valid key name that is
 * the verifier key's name, url an http(s) URL prefix, vkey a type 0x04
 * verifier key.  E_INVALID naming the argument; E_REFUSED when the name is
 * taken or there are WITNESS_MAX witnesses.  A removed witness may be added
 * again with the same key (its past cosignatures are checked with it); a
 * new key needs a new name. */
int witness_add(struct store *st, const struct actor *who, const char *name,
		const char *url, const char *vkey);

/* Take a witness out of service, inside a unit of work, with a
 * "witness.remove" entry: checkpoints are no longer offered to it and its
 * cosignatures are no longer served with them.  What it cosigned while it
 * was trusted stays stored and `log verify` keeps checking it with its key
 * (a cosignature is a statement the witness made then; removing the
 * witness does not unmake it, and a refusal it made - a fork it saw - stays
 * reported).  E_NOTFOUND for a name no witness has; E_REFUSED for one
 * removed already. */
int witness_remove(struct store *st, const struct actor *who, const char *name);

/* The checkpoint of `size` (UINT64_MAX: the latest, whose size goes to
 * *size_out) as served: the stored signed note followed by every stored
 * cosignature line on it, in witness name order (caller frees). */
int witness_checkpoint(struct store *st, uint64_t size, uint64_t *size_out, char **out);

/* How an offer reaches a witness (witness_post() in production; tests
 * answer themselves). */
typedef int (*witness_post_fn)(void *ctx, const char *url, const char *body, size_t len,
			       struct witness_answer *out);

struct witness_entry {
	char *name, *url, *vkey;
	uint64_t cosigned; /* size of the newest cosignature held */
	int removed;       /* out of service (witness_remove) */
};
/* Every witness, removed ones too (skip those for offers). */
struct witness_list {
	struct witness_entry v[WITNESS_ROWS_MAX];
	int n;
};
int witness_list_load(struct store *st, struct witness_list *out);
void witness_list_free(struct witness_list *ws);

/* What an offer gave, for witness_record(). */
struct witness_outcome {
	int cosigned;	      /* line and time hold the cosignature */
	char line[COSIG_LINE_MAX];
	uint64_t time;
	int problem;	      /* refused the log as inconsistent, or is beyond it */
	int64_t claimed;      /* the size a 409 named; -1: none */
	char status[400];     /* one line */
};

/* Offer the checkpoint `note` of `size` to witness w, outside any
 * transaction: from the size it last cosigned, again from the size a 409
 * names (at most twice), with a time limit per exchange (post NULL:
 * witness_post() with WITNESS_TIMEOUT_MS).  A witness that cannot be
 * reached or refuses is an outcome, not an error; errors returned are the
 * store's. */
int witness_offer(struct store *st, const struct witness_entry *w, uint64_t size,
		  const char *note, witness_post_fn post, void *ctx,
		  struct witness_outcome *out);
/* Store an outcome (inside a unit of work): the cosignature, if any, and
 * the witness's status. */
int witness_record(struct store *st, const char *name, uint64_t size,
		   const struct witness_outcome *o, int64_t now);

/* For `log verify`: every stored cosignature verifies with its witness's
 * key over the stored checkpoint of its size; no witness refused the log as
 * inconsistent or has cosigned beyond its end.  Findings go to hooks as
 * JOURNAL_BAD_WITNESS; *problems and *checked (cosignatures) are added to. */
int witness_verify(struct store *st, const struct journal_hooks *hooks, uint64_t *problems,
		   uint64_t *checked);

#endif
