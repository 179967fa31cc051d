/*
 * disclose.h - the disclosure step (SPEC §8; invariants I1, I7, I8, I10)
 * and the check of a disclosure package.
 *
 * disclose_prepare() is the one way customer data leaves docket.  For a
 * request in state `ready` (two distinct approvers, I10) and an actor with
 * the approver role it:
 *
 *   1. makes a grant holding the request's scope - its resolved target
 *      accounts x the categories kept at review (or asked, when the review
 *      kept all) x its date range - and reads the data source with it; every
 *      item handed over is checked against the scope once more, logged
 *      ("data.read" entries naming the items read) and written into the
 *      package; nothing outside the scope can reach the package (I1, I7);
 *   2. appends the "disclosure" entry with the SHA-256 of the manifest
 *      (the manifest.json of the package without its "log" member), signs a
 *      checkpoint covering it and computes the entry's inclusion proof;
 *   3. writes manifest.json, entry.json (the entry's exact bytes),
 *      checkpoint.txt, proof.txt and key.txt after the items, finishes the
 *      .tar.gz (core/disclose/package.h: reproducible) in a temporary file and
 *      fsyncs it;
 *   4. appends "disclosure.package" with the package's SHA-256, records the
 *      disclosure, and moves the request to `disclosed` with its outcome
 *      (content / noncontent_only / no_data) through workflow_apply().
 *
 * All of it runs inside the caller's unit of work (I8): the reads, their
 * entries and the state change commit together or not at all.  Only after
 * the commit does disclose_publish() give the package its final name, so a
 * package never exists without its record; a failed unit of work leaves no
 * file (disclose_release() removes the temporary one).
 *
 * Refusals change nothing and write nothing: a request that is not ready
 * (E_REFUSED), an actor who is not an approver (E_FORBIDDEN), an output
 * file that exists (E_REFUSED: packages are never overwritten).
 *
 * The same database state, clock and signing key give a byte-identical
 * package (the mtime of every member is the request's received_at).
 */
#ifndef DOCKET_DISCLOSE_H
#define DOCKET_DISCLOSE_H

#include <stdint.h>

#include "core/disclose/source.h"
#include "core/workflow/workflow.h"
#include "log/note.h"
#include "store/store.h"

struct signer;
struct package;

#define DISCLOSE_FORMAT "docket-disclosure/1"
#define DISCLOSE_READ_CHUNK 1000   /* item ids per "data.read" entry */

struct disclose_hooks {
	/* called after each item; may be NULL */
	void (*progress)(void *ctx, uint64_t items, uint64_t bytes);
	void *ctx;
};

struct disclosure {
	int64_t request_id;
	enum outcome outcome;
	uint64_t items;
	uint64_t content_items;
	uint64_t sealed_items;
	uint64_t bytes;           /* item bytes, before compression */
	char sha256[65];          /* of the package file */
	uint64_t size;            /* of the package file */
	uint64_t entry_index;     /* the "disclosure" entry */
	uint64_t tree_size;       /* the checkpoint the package proves it in */
	uint64_t package_index;   /* the "disclosure.package" entry */
	struct package *pkg;      /* written; published by disclose_publish() */
};

/* Steps 1-4 above inside the caller's transaction; `key` must be the
 * signer of the log `origin`.  On failure the caller rolls back and calls
 * disclose_release(). */
int disclose_prepare(struct store *st, const struct source *src,
		     const struct signer *key, const char *origin, const struct staff *by,
		     int64_t request_id, const char *out_path, const char *reason,
		     const struct disclose_hooks *hooks, struct disclosure *d);
/* After the unit of work committed: the package takes its final name. */
int disclose_publish(struct disclosure *d);
/* Free d; removes the package's temporary file unless it was published. */
void disclose_release(struct disclosure *d);

/* --- checking a package (no database needed) ----------------------------- */

struct disclose_check {
	char sha256[65];          /* of the package file */
	uint64_t size;
	int64_t request_id;
	char ref[MODEL_MAX_SHORT + 1];
	uint64_t items;
	uint64_t sealed_items;
	uint64_t entry_index;
	uint64_t tree_size;
	char key_name[NOTE_NAME_MAX + 1];
	int key_given;            /* checked against the caller's key, not the
				     package's own key.txt */
	uint64_t problems;
};

/* Each problem found; msg is valid during the call only. */
struct disclose_check_hooks {
	void (*problem)(void *ctx, const char *msg);
	void *ctx;
};

/*
 * Check the package at path: every member is expected and appears once;
 * each item's size and SHA-256 match the manifest and every manifest item
 * is present; the manifest is well-formed and its SHA-256 is the one the
 * log entry (entry.json) names, for the same request and item count; the
 * checkpoint is signed by vkey (a verifier key string; NULL: the key in the
 * package's key.txt, which only shows the package is self-consistent); and
 * the inclusion proof puts the entry at its index in the checkpoint's tree.
 * Returns 0 when all holds, E_INVALID ("... N problems, first: ...") when
 * anything fails (each reported to hooks), other errors when the file
 * cannot be read at all.
 */
int disclose_verify(const char *path, const char *vkey,
		    const struct disclose_check_hooks *hooks, struct disclose_check *out);

#endif
