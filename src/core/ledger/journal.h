/*
 * journal.h - the tamper-evident log of SPEC §6 over the store: appending
 * events, signing checkpoints, proofs, and verifying everything.
 *
 * Invariant I8: every state change appends its event with journal_append()
 * inside the store transaction that makes the change, and the unit of work
 * ends with journal_checkpoint() before store_commit(), so the change, its
 * entry, the new tree nodes and a signed checkpoint commit together or not
 * at all.  Both functions refuse to run outside a transaction.
 *
 * Entries are canonical JSON, defined here as: the output of jansson's
 * compact writer with keys sorted - no whitespace, object keys in byte
 * order of their UTF-8 (duplicate keys impossible), strings in UTF-8 with
 * only '"', '\\' and control characters escaped (\b \f \n \r \t, others as
 * \u00XX), integers in plain decimal, and no floating-point numbers at all
 * (they have no single spelling; an event holding one is refused).  An
 * event is an object with the strings "type" (non-empty), "at" (RFC 3339
 * UTC, "2026-03-02T10:00:00Z") and "actor", plus its own fields.  The same
 * event therefore always gives the same bytes, and journal_verify() checks
 * that every stored entry is in this form.
 *
 * Personal data is referenced by hash where it need not be in clear
 * (journal_ref()).
 *
 * The tree is stored as described in log/merkle.h: level 0 holds leaf
 * hashes, level k the roots of complete subtrees of 2^k leaves; appending
 * writes 1 + (trailing one bits of the index) nodes, and roots and proofs
 * read O(log n) nodes.
 *
 * Ownership: events are borrowed, never stolen.  Functions return 0 or a
 * negative error code (base/err.h).
 */
#ifndef DOCKET_JOURNAL_H
#define DOCKET_JOURNAL_H

#include <stdint.h>

#include <jansson.h>

#include "base/digest.h"
#include "log/merkle.h"
#include "log/note.h"
#include "core/ledger/refkey.h"
#include "store/store.h"

struct signer;

/* Bytes of one canonical entry: what a C2SP tlog-tiles entry bundle can
 * carry behind its 2-byte length (SPEC §6).  journal_append() refuses a
 * larger event (E_INVALID) and writes nothing; bulk operations split their
 * record into bounded entries (event_log_list() in core/ledger/event.h). */
#define JOURNAL_MAX_ENTRY 65535u
/* Largest stored entry read back: one above JOURNAL_MAX_ENTRY is damage,
 * which journal_verify() reports rather than failing to read it. */
#define JOURNAL_READ_MAX (1u << 20)
#define JOURNAL_MAX_DEPTH 32	     /* nesting of an event */

/* The canonical bytes of an event (caller frees *out); E_INVALID naming the
 * problem when the event is not a valid event. */
int journal_canonical(const json_t *event, char **out, size_t *len);

/* Append an event as the next entry; *index (optional) receives its index. */
int journal_append(struct store *st, const json_t *event, uint64_t *index);

/* Sign and store a checkpoint for the current log size with key, whose name
 * must be the origin; does nothing when one exists for this size.  Refuses
 * (E_STORAGE) when the stored tree no longer matches the latest signed
 * checkpoint, so a damaged log is never signed over. */
int journal_checkpoint(struct store *st, const struct signer *key, const char *origin);

/* --- the national-security compartment (SPEC §6) ------------------------
 * Events of national-security process (core/event.c decides which) are
 * appended to a second log with its own origin - the main origin followed
 * by JOURNAL_NS_SUFFIX - its own Ed25519 key (the file DB.ns-key, mode
 * 0600) and its own checkpoints.  The main log names it only in
 * "compartment.checkpoint" entries, which hold the digest of the
 * compartment's latest signed checkpoint and are appended at fixed
 * intervals (the first scheduler pass of every clock hour), whether it
 * changed or not; so neither
 * the main log's entries nor its size move with the number of
 * national-security requests. */
#define JOURNAL_NS_SUFFIX "/national-security"
#define JOURNAL_NS_KEY_SUFFIX ".ns-key"
#define JOURNAL_NS_NAME "national_security"
/* Sign a compartment checkpoint when it has grown (or has none yet). */
int journal_checkpoint_ns(struct store *st, const struct signer *key, const char *origin);
/* Append to the main log the commitment to the compartment's latest
 * checkpoint (signing one first when needed) - once per interval of
 * JOURNAL_NS_COMMIT_EVERY seconds of the clock: a pass in an interval that
 * has its commitment adds nothing. */
#define JOURNAL_NS_COMMIT_EVERY 3600
int journal_commit_ns(struct store *st, const struct signer *key, const char *origin,
		      const char *actor, int64_t now);
/* The compartment key of the database at db, made on first use. */
int journal_ns_signer(const char *db, const char *main_origin, struct signer **out);

/* The root hash of the log's first `size` entries (size <= log size, else
 * E_NOTFOUND). */
int journal_root(struct store *st, uint64_t size, uint8_t out[MERKLE_HASH_LEN]);
/* RFC 9162 inclusion proof of entry `index` in the tree of `size` entries. */
int journal_inclusion_proof(struct store *st, uint64_t index, uint64_t size,
			    struct merkle_proof *out);
/* RFC 9162 consistency proof from old_size to new_size entries. */
int journal_consistency_proof(struct store *st, uint64_t old_size, uint64_t new_size,
			      struct merkle_proof *out);

/* --- verification ---------------------------------------------------------- */

enum journal_problem {
	JOURNAL_BAD_ENTRY,	/* missing, or not a canonical event */
	JOURNAL_BAD_HASH,	/* stored node missing or not what the entries give */
	JOURNAL_BAD_CHECKPOINT, /* signature, format, origin, size or root */
	JOURNAL_INCONSISTENT,	/* not an extension of the previous checkpoint */
	JOURNAL_BAD_RECORD,	/* a record the log does not back (core/ledger/audit.h) */
	JOURNAL_BAD_WITNESS,	/* a cosignature or a witness's verdict (core/ledger/witness.h) */
};

struct journal_finding {
	enum journal_problem problem;
	uint64_t index;	     /* the entry (first leaf under a bad node), or a
				checkpoint's tree size; UINT64_MAX: none */
	const char *message; /* valid during the callback only */
	int64_t request;     /* the request concerned; 0: none */
};

/* What journal_verify() tells its caller as it goes; any member may be
 * NULL.  progress() is called every few thousand entries. */
struct journal_hooks {
	void (*finding)(void *ctx, const struct journal_finding *f);
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *ctx;
};

struct journal_report {
	uint64_t entries;     /* entries re-hashed */
	uint64_t hashes;      /* stored nodes compared */
	uint64_t checkpoints; /* checkpoints checked */
	uint64_t problems;    /* findings reported */
	uint64_t first_bad;   /* smallest bad entry index; UINT64_MAX when none */
	uint64_t signed_size; /* size of the newest checkpoint (0 when none) */
	uint64_t size;	      /* log size */
};

/*
 * Recompute everything: every entry's leaf hash (streaming, constant
 * memory) and every stored node from them; that every entry is a canonical
 * event; that no entry is missing, at the end either (a leaf hash stored
 * beyond the last entry); every stored checkpoint's signature by `v`,
 * format, origin (the key name), size and root; consistency between
 * consecutive checkpoints; and that the newest checkpoint covers every
 * entry, since every unit of work signs one before it commits.  Each problem is passed to hooks->finding (hooks may be
 * NULL).  Returns 0 when all is well, E_INVALID ("... first bad entry N")
 * when anything is wrong, and other errors when the store fails.
 */
int journal_verify(struct store *st, const struct note_verifier *v,
		   const struct journal_hooks *hooks, struct journal_report *out);

/* "hmac-sha256:<hex>" of "<kind>:<value>" under the database's reference
 * key (core/refkey.h), e.g. journal_ref(st, "email", "alice@contoso.com",
 * out): names an account in an entry without writing it in clear, so that
 * whoever holds the log but not the key cannot test whether an address was
 * targeted (SPEC §6). */
int journal_ref(struct store *st, const char *kind, const char *value,
		char out[JOURNAL_REF_LEN]);
/* The reference of "<kind>:<value>" in the scheme of `logged`, a reference
 * read from an entry: the plain "sha256:" of entries written before the
 * database had a reference key, the keyed one otherwise (logged NULL: keyed).
 * What the log's replay and a disclosure's basis compare with. */
int journal_ref_like(struct store *st, const char *kind, const char *value,
		     const char *logged, char out[JOURNAL_REF_LEN]);

#endif
