/*
 * journal.h - the tamper-evident log for auditors in the application layer
 * (SPEC §6, core/ledger/journal.h, core/ledger/audit.h).  Read-only: any role.
 */
#ifndef DOCKET_APP_JOURNAL_H
#define DOCKET_APP_JOURNAL_H

#include <stdint.h>

#include "app/app.h"
#include "base/buf.h"
#include "core/ledger/audit.h"
#include "core/ledger/journal.h"
#include "core/ledger/replay.h"
#include "core/ledger/trusted.h"
#include "core/ledger/witness.h"

/* The verifier key: `given` when not NULL, else the key file's, else the
 * database's "log.key" setting (for an auditor without the secret key).
 * Caller frees *out. */
int app_journal_key(struct session *s, const char *given, char **out);
/* The signed checkpoint at *size, or (have_size 0) the latest, whose size
 * *size receives, as served: followed by the witnesses' cosignature lines
 * on it (core/ledger/witness.h); the caller frees *note. */
int app_journal_checkpoint(struct session *s, int have_size, uint64_t *size, char **note);
/* --- the log as C2SP tlog-tiles (SPEC §12; log/tile.h) -------------------
 * Read-only and public (the checkpoint and hash tiles) or for auditors
 * (entry bundles): they take the store, not a session, so the server can
 * answer without a signed-in user; who may fetch what is the route table's
 * business.  Everything is served for the tree of the latest signed
 * checkpoint. */

/* The latest checkpoint as served: exactly app_journal_checkpoint()'s
 * (the log's signature, then the witnesses'); caller frees *out. */
int app_log_checkpoint(struct store *st, char **out, size_t *len);

struct app_log_tile {
	struct buf body; /* the tile's bytes (release it) */
	int entries;	 /* an entry bundle (else a hash tile) */
	int full;	 /* a full tile: immutable */
};
/* The tile or entry bundle at path[0..len) (what follows "/log/tile/").
 * E_NOTFOUND for a path that names no tile, or a tile the tree of the
 * latest checkpoint does not have (yet). */
int app_log_tile(struct store *st, const char *path, size_t len, struct app_log_tile *out);

/* Entry index's exact bytes into out (initialised here; release it). */
int app_journal_entry(struct session *s, uint64_t index, struct buf *out);
/* The size proofs are made for: *size when have_size, else the latest
 * signed checkpoint's. */
int app_journal_proof_size(struct session *s, int have_size, uint64_t *size);
/* RFC 9162 inclusion proof of entry index in the tree of size entries. */
int app_journal_inclusion(struct session *s, uint64_t index, uint64_t size,
		      struct merkle_proof *out);
/* RFC 9162 consistency proof from old to size entries. */
int app_journal_consistency(struct session *s, uint64_t old, uint64_t size,
			struct merkle_proof *out);

/* Verify the log, then the records against it, then every table against
 * the log's replay (core/ledger/replay.h), then the witnesses'
 * cosignatures and verdicts (witness_verify()), in one read snapshot.
 * Findings go to hooks as they are found; *jrc and *arc receive each
 * part's verdict (0 or -E_INVALID, with the message of both set when
 * either fails); other errors are returned. */
struct app_verify {
	struct journal_report log;
	struct audit_report records;
	int jrc, arc;		      /* arc: the records' or the tables' verdict */
	struct replay_report tables;  /* the log replayed against every table */
	int rrc;
	uint64_t wchecked, wproblems; /* cosignatures checked, witness findings */
	/* The national-security compartment (SPEC §6): verified like the main
	 * log with its own key, and every "compartment.checkpoint" commitment
	 * of the main log names one of its signed checkpoints. */
	struct journal_report ns_log;
	uint64_t ns_commits;	      /* commitments checked */
	int nsrc;		      /* 0 or -E_INVALID */
	int cleared;		      /* the user may see the compartment's size */
};
int app_journal_verify(struct session *s, const char *vkey, const struct journal_hooks *hooks,
		   const struct app_progress *progress, struct app_verify *out);
/* The compartment's verifier key: its key file's, else the "log.ns-key"
 * setting; caller frees. */
int app_journal_ns_key(struct session *s, char **out);
/* Clearance for the national-security compartment: ROLE_CLEARED. */
int app_journal_cleared(const struct session *s);

/* The log against a checkpoint recorded elsewhere (core/ledger/trusted.h): its
 * signature by the verifier key (app_journal_key), origin, size and root.
 * E_INVALID when the log does not extend it. */
int app_journal_trusted(struct session *s, const char *vkey, const char *note, size_t len,
			const struct journal_hooks *hooks, struct trusted_report *out);

#endif
