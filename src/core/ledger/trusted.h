/*
 * trusted.h - the log against a checkpoint recorded elsewhere (SPEC §6:
 * `log verify --trusted CHECKPOINT_FILE`).
 *
 * A local verify cannot see a rollback that removes the newest entries
 * together with every checkpoint that covered them, nor a rewrite re-signed
 * by someone holding the key: the database is then consistent with itself.
 * A checkpoint an operator (or a witness, or a published report) kept
 * outside the database settles it: its signature must verify with the
 * verifier key, its origin must be the log's, the log must hold at least
 * its tree size, and the root of the log's first `size` entries must be
 * its root.
 */
#ifndef DOCKET_TRUSTED_H
#define DOCKET_TRUSTED_H

#include <stddef.h>
#include <stdint.h>

#include "core/ledger/journal.h"
#include "log/note.h"
#include "store/store.h"

struct trusted_report {
	uint64_t size;	   /* the trusted checkpoint's tree size */
	uint64_t log_size; /* the log's */
};

/* 0 when the log extends the trusted checkpoint note[0..len); E_INVALID
 * saying how it does not (also passed to hooks->finding as
 * JOURNAL_INCONSISTENT); E_INVALID for a note that is not a checkpoint
 * signed by v. */
int journal_check_trusted(struct store *st, const struct note_verifier *v,
			  const char *note, size_t len, const struct journal_hooks *hooks,
			  struct trusted_report *out);

#endif
