/*
 * journal.h - the tamper-evident log for auditors in the application layer
 * (SPEC §6, core/journal.h, core/audit.h).  Read-only: any role.
 */
#ifndef DOCKET_APP_JOURNAL_H
#define DOCKET_APP_JOURNAL_H

#include <stdint.h>

#include "app/app.h"
#include "base/buf.h"
#include "core/audit.h"
#include "core/journal.h"
#include "core/witness.h"

/* The verifier key: `given` when not NULL, else the key file's, else the
 * database's "log.key" setting (for an auditor without the secret key).
 * Caller frees *out. */
int app_journal_key(struct session *s, const char *given, char **out);
/* The signed checkpoint at *size, or (have_size 0) the latest, whose size
 * *size receives, as served: followed by the witnesses' cosignature lines
 * on it (core/witness.h); the caller frees *note. */
int app_journal_checkpoint(struct session *s, int have_size, uint64_t *size, char **note);
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

/* Verify the log, then the records against it, then the witnesses'
 * cosignatures and verdicts (witness_verify()), in one read snapshot.
 * Findings go to hooks as they are found; *jrc and *arc receive each
 * part's verdict (0 or -E_INVALID, with the message of both set when
 * either fails); other errors are returned. */
struct app_verify {
	struct journal_report log;
	struct audit_report records;
	int jrc, arc;
	uint64_t wchecked, wproblems; /* cosignatures checked, witness findings */
};
int app_journal_verify(struct session *s, const char *vkey, const struct journal_hooks *hooks,
		   const struct app_progress *progress, struct app_verify *out);

#endif
