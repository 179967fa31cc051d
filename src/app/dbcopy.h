/*
 * dbcopy.h - `docket db copy SRC DST`: a whole database into a new one,
 * between engines (SQLite and PostgreSQL, either way; SPEC §16).
 */
#ifndef DOCKET_APP_DBCOPY_H
#define DOCKET_APP_DBCOPY_H

#include <stdint.h>

#include "app/app.h"

struct app_db_copy_result {
	int64_t rows;             /* rows copied */
	uint64_t size;            /* the log's size, on both sides */
	uint64_t signed_size;     /* the latest checkpoint's size, on both */
	int keys_copied;          /* key files copied to where DST keeps them */
};

/* Copy database src into dst, which must not exist yet (created here), in
 * one pass: every table in one transaction on dst from one read snapshot
 * of src.  Then the log is verified on both sides (every entry, hash,
 * signature and checkpoint, by the log's own verifier key) and both latest
 * checkpoints must be the same note; only then are the key files copied to
 * where dst keeps them (base/keys.h; an SQLite source's keys are taken
 * from beside its file when they are there) and 0 returned.  On any
 * failure dst and any key file copied are removed: nothing is left
 * behind.  Needs no docket user: it is the operator's, like init. */
int app_db_copy(const char *src, const char *dst, const struct app_progress *progress,
		struct app_db_copy_result *out);

#endif
