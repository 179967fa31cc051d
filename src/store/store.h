/*
 * store.h - the one storage interface.  All SQL lives behind it.
 *
 * Engines.  The database name picks the engine: a file path is SQLite;
 * "postgres://..." and "postgresql://..." name a PostgreSQL database
 * (libpq connection URIs).  The SQL of every store function is written
 * once, in src/store/sqlite/, in the dialect both engines share, and runs
 * on either through the statement layer (store/sqlite/sqlite_int.h); what
 * differs - connecting, migrations, the transaction bracket - is each
 * engine's (src/store/sqlite/sqlite.c, src/store/pg/).  Nothing above this header knows which engine runs, and no engine header
 * (sqlite3.h, libpq-fe.h) appears outside its engine's folder
 * (tests/layering.sh).  Functions return 0 or a negative error code
 * (base/err.h) with a message; "not found" is -E_NOTFOUND.
 *
 * The contract every engine keeps:
 *   - One connection per thread.  A struct store is used by one thread at
 *     a time; a server opens one per worker.  Engines keep no state shared
 *     between connections beyond the database itself.
 *   - Who may commit.  Changes are made inside a transaction that only the
 *     application layer's unit of work (src/app/unit.c) opens and ends,
 *     through the private header store/txn.h, so nothing commits without
 *     signing a checkpoint of the log (I8).  The write lock is taken at
 *     begin, so units of work on one database serialise.
 *   - Transient conflicts.  When the engine cannot take or keep the write
 *     lock (SQLite: busy past the timeout; PostgreSQL: the write lock not
 *     had within lock_timeout, a serialization failure or a deadlock),
 *     begin or commit fails with E_CONFLICT, nothing is written,
 *     and the unit of work runs again.  Any other commit failure is fatal.
 *   - Claims.  Work that must not run twice and cannot run inside a
 *     transaction (sending a notice) is claimed first: a unit of work moves
 *     the row to a claimed state with a fresh token and commits; the work
 *     runs with no transaction open; a second unit of work records the
 *     outcome only if the token still matches (store_notice_update writes
 *     what the caller read).  Claims left by a dead process are recovered
 *     by age (notice_filter.claimed_before).
 *   - Reads outside a unit of work see committed data only; a report reads
 *     in one snapshot (store_snapshot_begin).
 *   - The change marker.  Every transaction that writes anything - a unit
 *     of work, or a single statement run outside one - also changes the
 *     database's change marker (store_change_mark), atomically with its
 *     writes.  Equal markers read at two moments mean the database did not
 *     change in between, whichever process or server wrote to it.
 *   - No legal rule lives here: what lists and reports filter on (national
 *     security process, open or finished) is computed by the domain and
 *     stored as columns.
 *
 * Ownership: strings and structs filled by store_* functions are owned by
 * the caller and freed with free() or the model's *_release().
 */
#ifndef DOCKET_STORE_H
#define DOCKET_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "model/model.h"

struct store;

enum store_open_mode {
	STORE_OPEN_EXISTING,      /* fail with E_NOTFOUND when missing */
	STORE_CREATE              /* create; fail when it already exists */
};

/* Open database `name` with the engine it names. */
int store_open(const char *name, enum store_open_mode mode, struct store **out);
void store_close(struct store *st);
/* 1 when database `name` exists (SQLite: the file is there; PostgreSQL:
 * the database holds docket's schema), 0 when not, or a negative error
 * (a PostgreSQL server that cannot be reached). */
int store_exists(const char *name);
/* Remove database `name` and every file the engine keeps beside it (SQLite:
 * the -wal, -shm and -journal files), as after a failed `docket init`;
 * files that are not there are no error. */
void store_remove(const char *name);
/* The schema version after migrations. */
int store_schema_version(struct store *st);
/* The path the database was opened with (owned by st); files that belong
 * to the database live beside it under this name plus a suffix. */
const char *store_path(const struct store *st);

/* Copy every row of every table of src into dst, a database just created
 * (same schema version, no rows but what its creation made, which are
 * replaced), in one transaction on dst and one read snapshot of src
 * (`docket db copy`, app/admin.h).  hook (may be NULL) is called per table
 * with done = 0 first and every few thousand rows after; *rows receives
 * the rows copied.  Into PostgreSQL the rows travel by COPY. */
struct store_copy_hook {
	void (*table)(void *ctx, const char *name, int64_t total);
	void (*rows)(void *ctx, int64_t done);
	void *ctx;
};
int store_copy(struct store *src, struct store *dst, const struct store_copy_hook *hook,
	       int64_t *rows);
/* Rows in table `name` (one of docket's). */
int store_table_rows(struct store *st, const char *name, int64_t *n);

/* The scheduler pass runs in one process at a time (SPEC §16).
 * store_scheduler_lock() takes the database's scheduler lock if no other
 * connection holds it: *held = 1 then, and store_scheduler_unlock()
 * releases it (so does closing st or the death of the process).
 * PostgreSQL: a session advisory lock (pg_try_advisory_lock); SQLite: the
 * pass is on one machine and safe to run twice at once (claims), so *held
 * is always 1. */
int store_scheduler_lock(struct store *st, int *held);
void store_scheduler_unlock(struct store *st);

/* For the rest of the open unit of work, inserts that need no answer (a
 * request, its targets, history) may travel to PostgreSQL without waiting
 * for it (pipelining, store/pg/pg_stmt.c): a bulk import waits once per
 * lookup instead of once per row.  A failure of such an insert is reported
 * by the next statement or the commit, and the unit rolls back as always.
 * No effect on SQLite or outside a unit of work; the unit's end clears it. */
void store_pipeline(struct store *st);

/* Whether a unit of work is open on st (store/txn.h opens and ends it). */
int store_in_transaction(struct store *st);

/* --- settings: key/value pairs (config and internal metadata) ---------- */
/* *value is NULL with rc -E_NOTFOUND when the key is unset. */
int store_setting_get(struct store *st, const char *key, char **value);
int store_setting_set(struct store *st, const char *key, const char *value);

/* --- users ------------------------------------------------------------- */
int store_user_add(struct store *st, const char *name, unsigned roles);
int store_user_roles(struct store *st, const char *name, unsigned *roles);
/* Every user in name order (name valid during the call only). */
typedef int (*store_user_cb)(void *ctx, const char *name, unsigned roles);
int store_user_each(struct store *st, store_user_cb cb, void *ctx);

/* Separation of duties in user administration (sqlite_staff.c;
 * core/access/staff.h).  unix_login may be NULL (not bound to a login). */
int store_user_get(struct store *st, const char *name, unsigned *roles,
		   char **unix_login);
int store_user_put(struct store *st, const char *name, unsigned roles,
		   const char *unix_login);
int store_user_remove(struct store *st, const char *name);
/* The user bound to an operating-system login, or -E_NOTFOUND. */
int store_user_by_unix(struct store *st, const char *login, char **name);
/* Users holding at least one of `roles`. */
int store_user_count_with(struct store *st, unsigned roles, int64_t *n);
typedef int (*store_staff_cb)(void *ctx, const char *name, unsigned roles,
			      const char *unix_login);
int store_staff_each(struct store *st, store_staff_cb cb, void *ctx);

struct staff_proposal {
	int64_t id;
	const char *op;           /* "add", "set", "remove" */
	const char *name;
	unsigned roles;           /* the user's roles once it takes effect */
	const char *unix_login;   /* and login; may be NULL */
	const char *proposed_by;
	int64_t at;
	uint64_t log_index;       /* the user.propose entry */
	const char *state;        /* "pending", "confirmed", "cancelled" */
	const char *decided_by;   /* NULL while pending */
	int64_t decided_at;
};
int store_proposal_add(struct store *st, const struct staff_proposal *p, int64_t *id);
/* The id the next proposal will get (to log it before the row exists). */
int store_proposal_next_id(struct store *st, int64_t *id);
/* Pending -> state; -E_NOTFOUND when id is not pending. */
int store_proposal_decide(struct store *st, int64_t id, const char *state,
			  const char *by, int64_t at);
/* Proposals in id order (id 0: all); strings valid during the call. */
typedef int (*store_proposal_cb)(void *ctx, const struct staff_proposal *p);
int store_proposal_each(struct store *st, int64_t id, store_proposal_cb cb, void *ctx);

/* --- every row of every table, for core/ledger/replay.c only (sqlite_rows.c) ---
 * Values are text (NULL for SQL NULL; a BLOB as "sha256:<hex>" of it);
 * names and values are valid during the call only. */
int store_table_names(struct store *st, int (*cb)(void *ctx, const char *name),
		      void *ctx);
typedef int (*store_row_cb)(void *ctx, int ncols, const char *const *names,
			    const char *const *values);
/* E_NOTFOUND when the table does not exist. */
int store_table_each(struct store *st, const char *table, store_row_cb cb, void *ctx);

/* A customer's accounts in id order (for the log's record of an import). */
int store_customer_accounts(struct store *st, const char *customer_id,
			    int (*cb)(void *ctx, int64_t id, const char *type,
				      const char *value),
			    void *ctx);

/* --- customers, accounts, agencies ------------------------------------ */
/* Insert or replace a customer and its accounts.  An account that already
 * belongs to another customer is E_INVALID. */
int store_customer_put(struct store *st, const struct customer *c);
int store_customer_get(struct store *st, const char *id, struct customer *out);
int store_customer_count(struct store *st, int64_t *n);
/* Resolve an identifier: fills *account_id and *customer_id (caller frees),
 * or returns -E_NOTFOUND. */
int store_account_resolve(struct store *st, enum target_type type,
			  const char *value, int64_t *account_id,
			  char **customer_id);
/* Resolve n identifiers in one query (a bulk import's round trips): cb is
 * called for each (type, value) that names an account, with its id and
 * customer (borrowed for the call); nonzero from cb stops the walk and is
 * returned.  Values are in normal form, as store_account_resolve's. */
int store_account_resolve_many(struct store *st, size_t n, const enum target_type *types,
			       const char *const *values,
			       int (*cb)(void *ctx, enum target_type type, const char *value,
					 int64_t account_id, const char *customer_id),
			       void *ctx);
int store_account_count(struct store *st, int64_t *n);

int store_agency_put(struct store *st, const struct agency *a);
int store_agency_get(struct store *st, const char *id, struct agency *out);
/* Every customer / agency in id order, parsed; q (NULL: all) keeps those
 * whose id or stored document (name, accounts, domains...) contains it,
 * case-insensitively.  A nonzero return of cb stops. */
typedef int (*store_customer_cb)(void *ctx, const struct customer *c);
typedef int (*store_agency_cb)(void *ctx, const struct agency *a);
int store_customer_each(struct store *st, const char *q, store_customer_cb cb, void *ctx);
int store_agency_each(struct store *st, const char *q, store_agency_cb cb, void *ctx);
/* Every verified domain of every registered agency, sorted and distinct
 * (for lookalike detection, GEN-REQUESTER).  *out is an array of *n
 * strings; the caller frees each and the array. */
int store_agency_domains(struct store *st, char ***out, size_t *n);

/* --- requests ---------------------------------------------------------- */
/* Stored alongside the request document. */
struct request_meta {
	const char *policy_json;  /* the policy recommendation (may be NULL) */
	int64_t created_at;
	const char *doc;          /* r's canonical document when the caller has
				     it already (intake_canonical), else NULL */
	unsigned supported;       /* categories the process supports (I3);
				     0: not evaluated (imports) */
};

/* Insert r (r->id must be 0); sets r->id.  A duplicate (agency, ref) is
 * E_INVALID.  r->national_security and r->finished are stored as the
 * domain set them (request_classify(), core/policy/classify.h). */
int store_request_insert(struct store *st, struct request *r,
			 const struct request_meta *meta);
/* Load a request; *policy_json (optional, may be NULL) receives the stored
 * policy recommendation (caller frees). */
int store_request_get(struct store *st, int64_t id, struct request *out,
		      char **policy_json);
/* finished: classify_finished(state) (core/policy/classify.h), kept as a column. */
int store_request_set_state(struct store *st, int64_t id, enum state state,
			    enum outcome outcome, int64_t closed_at, int finished);
int store_request_set_policy(struct store *st, int64_t id, const char *policy_json);
int store_request_count(struct store *st, int64_t *n);
/* The stored canonical document of request id, byte for byte as it was
 * digested when the request was logged (caller frees). */
int store_request_doc(struct store *st, int64_t id, char **doc);
/* Requests per state: counts[s] for every enum state. */
int store_request_count_by_state(struct store *st, int64_t counts[state__COUNT]);
/* The id of the request with this ref from this agency (or, with agency
 * NULL, from this country without an agency), or -E_NOTFOUND. */
int store_request_find_ref(struct store *st, const char *agency, const char *country,
			   const char *ref, int64_t *id);
/* Every stored request's ref and id, with its agency (or "~" and its
 * country, without an agency): the key store_request_find_ref() matches.
 * Stops at cb's first nonzero return, which it returns. */
int store_request_each_ref(struct store *st,
			   int (*cb)(void *ctx, const char *agency_key, const char *ref,
				     int64_t id),
			   void *ctx);

struct request_filter {
	int state;                /* -1: any */
	int kind;                 /* -1: any */
	const char *country;      /* NULL: any */
	int64_t received_from;    /* inclusive; INT64_MIN: any */
	int64_t received_to;      /* exclusive; INT64_MAX: any */
	int64_t due_before;       /* INT64_MAX: any; else requests with an open
				     deadline (due_at or a policy deadline)
				     before it */
	size_t limit;             /* 0: no limit */
	const char *q;            /* NULL: any; else a substring of the ref, the
				     agency id or a target (case-insensitive) */
	const char *q_exact;      /* NULL, or a target value in normal form that
				     also matches */
	int urgent;               /* order by the nearest open deadline (none
				     last), then id; else by id */
	const char *agency;       /* NULL: any; else only this agency's */
};
void request_filter_init(struct request_filter *f);
/* Calls cb for each matching request in id order; a non-zero return from
 * cb stops the walk and is returned. */
typedef int (*store_request_cb)(void *ctx, const struct request *r);
int store_request_each(struct store *st, const struct request_filter *f,
		       store_request_cb cb, void *ctx);

int store_request_set_scope(struct store *st, int64_t id, unsigned categories);

/* --- review records ----------------------------------------------------- */
/* Four eyes: one sign-off per approver per request. */
int store_approval_add(struct store *st, int64_t request_id, const char *approver,
		       int64_t at, uint64_t log_index);
typedef int (*store_approval_cb)(void *ctx, const char *approver, int64_t at);
int store_approval_each(struct store *st, int64_t request_id, store_approval_cb cb,
			void *ctx);

struct verification {
	const char *method;       /* "callback" */
	const char *callback;     /* the independently sourced number called */
	const char *person;       /* who confirmed */
	int64_t at;
	const char *actor;
	uint64_t log_index;
};
int store_verification_add(struct store *st, int64_t request_id,
			   const struct verification *v);

struct challenge {
	int64_t id;
	const char *subject;      /* "request" or "ndo" */
	int64_t filed_at;
	const char *court;
	const char *grounds;
	const char *outcome;      /* NULL while pending */
	int64_t decided_at;
};
int store_challenge_add(struct store *st, int64_t request_id, const struct challenge *c,
			int64_t *id);
/* Record the outcome of the request's pending challenge; -E_NOTFOUND when
 * none is pending. */
int store_challenge_decide(struct store *st, int64_t request_id, const char *outcome,
			   int64_t at);

/* --- preservation holds ------------------------------------------------- */
struct hold {
	int64_t id;
	int64_t request_id;
	int64_t account_id;       /* 0: the target did not resolve */
	int64_t created_at;
	int64_t expires_at;
	int renewals;
	const char *state;        /* "active", "released", "expired" */
};
/* *id (optional) receives the new hold's id. */
int store_hold_add(struct store *st, const struct hold *h, int64_t *id);
int store_hold_update(struct store *st, int64_t id, int64_t expires_at, int renewals,
		      const char *state);
typedef int (*store_hold_cb)(void *ctx, const struct hold *h);
int store_hold_each(struct store *st, int64_t request_id, store_hold_cb cb, void *ctx);
/* Active holds whose expiry is at or before `at`, oldest first. */
int store_hold_each_due(struct store *st, int64_t at, store_hold_cb cb, void *ctx);

/* The request with reference ref (any agency); E_NOTFOUND, E_INVALID when
 * several share it. */
int store_request_find_any_ref(struct store *st, const char *ref, int64_t *id);
/* request void: the request was entered in error at `at`. */
int store_request_set_voided(struct store *st, int64_t id, int64_t at);
/* A per-target decision (request_target.decision); TD_NONE clears it. */
int store_target_set_decision(struct store *st, int64_t request_id, size_t seq,
			      enum target_decision d);
/* The written justification that overrides a GEN-ENTERPRISE redirect;
 * *text is NULL when none was given.  Caller frees. */
int store_request_set_extraordinary(struct store *st, int64_t id, const char *text);
int store_request_extraordinary(struct store *st, int64_t id, char **text);

/* Replace a stored request's input (request amend, reassess): its columns,
 * canonical document `doc`, recommendation, supported categories, state and
 * targets (r->targets, resolved; per-target decisions are cleared). */
int store_request_update(struct store *st, struct request *r, const char *doc,
			 const char *policy_json, unsigned supported);

/* --- deadlines ----------------------------------------------------------- */
int store_deadline_add(struct store *st, int64_t request_id, const char *kind,
		       int64_t at);
typedef int (*store_deadline_cb)(void *ctx, int64_t request_id, const char *kind,
				 int64_t at);
/* A tracked deadline with its reminders (SPEC §5) and its request's state. */
struct deadline_row {
	int64_t id, request_id;
	const char *kind;
	int64_t at;
	int64_t near_at, missed_at; /* when tick raised each reminder; 0: not yet */
	const char *state;	    /* the request's state */
	int64_t received_at;	    /* the request's receipt */
	int done;		    /* met (no more reminders) */
};
typedef int (*store_deadline_row_cb)(void *ctx, const struct deadline_row *d);
/* Deadlines not met whose missed reminder was not raised, at or before
 * horizon, of requests not voided, by time. */
int store_deadline_each_unreminded(struct store *st, int64_t horizon,
				   store_deadline_row_cb cb, void *ctx);
/* Every deadline of one request, by time. */
int store_deadline_each_row(struct store *st, int64_t request_id, store_deadline_row_cb cb,
			    void *ctx);
/* Record the reminders raised for deadline id and whether it is met. */
int store_deadline_mark(struct store *st, int64_t id, int64_t near_at, int64_t missed_at,
			int done);
/* Remove one deadline (the policy that set it was re-run). */
int store_deadline_delete(struct store *st, int64_t request_id, const char *kind, int64_t at);
int store_deadline_each(struct store *st, int64_t request_id, store_deadline_cb cb,
			void *ctx);

/* --- nondisclosure orders and customer notices (SPEC §5; sqlite/sqlite_notice.c)
 * Strings in a record passed to a callback are valid during the call only.
 * Times are seconds since the epoch; 0 means "none" for optional times. */
struct ndo_record {
	int64_t id;
	int64_t request_id;
	const char *statute;
	int64_t issued_at;
	int has_expiry;           /* 0: indefinite */
	int64_t expires_at;
	int64_t lifted_at;        /* 0: in force */
	const char *lift_reason;  /* may be NULL */
	int64_t review_at;        /* 0: none; the NSL gag review date (US-NSL) */
	int64_t reminded_at;      /* 0: the review reminder was not raised yet */
	int64_t created_at;
};
int store_ndo_add(struct store *st, const struct ndo_record *n, int64_t *id);
/* Write the mutable fields (expiry, lift, review date, reminder) of NDO
 * n->id. */
int store_ndo_update(struct store *st, const struct ndo_record *n);
typedef int (*store_ndo_cb)(void *ctx, const struct ndo_record *n);
/* The NDOs of a request (request_id 0: of every request), in id order. */
int store_ndo_each(struct store *st, int64_t request_id, store_ndo_cb cb, void *ctx);
/* NDOs in force whose review date is at or before `at` and whose reminder
 * has not been raised. */
int store_ndo_each_review_due(struct store *st, int64_t at, store_ndo_cb cb, void *ctx);

struct notice_record {
	int64_t id;
	int64_t request_id;
	const char *customer_id;
	const char *state;        /* pending delayed suppressed sending sent failed */
	const char *delay_reason; /* why delayed or suppressed; may be NULL */
	int64_t due_at;           /* 0: none (suppressed) */
	int64_t sent_at;
	int attempts;
	int64_t next_try_at;      /* failed: the next retry */
	const char *last_error;   /* may be NULL */
	const char *claim;        /* sending: the claim token; else NULL */
	int64_t claimed_at;
	int generation;           /* explicit resends so far */
	const char *message_id;   /* may be NULL */
	const char *body;         /* may be NULL */
	int64_t log_index;        /* -1: never delivered */
	int64_t created_at;
};
/* A new notice; a second notice for the same (request, customer) is
 * E_INVALID. */
int store_notice_add(struct store *st, const struct notice_record *n, int64_t *id);
/* Write every mutable field of notice n->id. */
int store_notice_update(struct store *st, const struct notice_record *n);
struct notice_filter {
	int64_t id;               /* 0: any */
	int64_t request_id;       /* 0: any */
	const char *state;        /* NULL: any */
	int64_t due_before;       /* INT64_MAX: any; else due_at <= due_before */
	int64_t claimed_before;   /* INT64_MAX: any; else claimed_at <= it */
};
void notice_filter_init(struct notice_filter *f);
typedef int (*store_notice_cb)(void *ctx, const struct notice_record *n);
/* Matching notices in id order; a non-zero return from cb stops the walk. */
int store_notice_each(struct store *st, const struct notice_filter *f,
		      store_notice_cb cb, void *ctx);
/* The notice to deliver next at `now`: pending and due, or failed and due
 * for a retry; earliest first.  -E_NOTFOUND when none. */
int store_notice_next_due(struct store *st, int64_t now, int64_t *id);

/* --- history: each transition of a request ------------------------------ */
struct history_entry {
	int64_t at;
	const char *actor;
	const char *event;        /* "received", "decide.reject", ... */
	int from_state;           /* -1 for the first entry */
	int to_state;
	const char *reason;       /* may be NULL */
	uint64_t log_index;
};
int store_history_add(struct store *st, int64_t request_id,
		      const struct history_entry *h);
typedef int (*store_history_cb)(void *ctx, const struct history_entry *h);
int store_history_each(struct store *st, int64_t request_id,
		       store_history_cb cb, void *ctx);

/* For the audit of the records against the log (core/ledger/audit.c): every
 * request in id order with each of its history rows in order (h NULL for a
 * request without history), then history rows whose request is not stored
 * (stored 0), in request id order.  Reads the tables as they are, whatever
 * foreign keys say. */
struct history_trail {
	int64_t request_id;
	int stored;               /* 0: the request is not stored */
	int state;                /* the request's state; -1: not a state */
	int outcome;              /* its outcome; -1: not an outcome */
	const struct history_entry *h;   /* NULL: no history */
};
typedef int (*store_trail_cb)(void *ctx, const struct history_trail *t);
int store_history_all(struct store *st, store_trail_cb cb, void *ctx);
/* *found: whether request_id has a history row recorded by log entry
 * log_index. */
int store_history_at(struct store *st, int64_t request_id, uint64_t log_index,
		     int *found);

/* --- the tamper-evident log (SPEC §6) ---------------------------------
 * Entries are numbered from 0.  Hashes are kept per level: level 0 holds
 * leaf hashes, level k holds the root of the complete subtree over leaves
 * [i * 2^k, (i+1) * 2^k).  The log layer decides what to store; the store
 * only keeps bytes.
 *
 * There are two logs: the main one and the national-security compartment
 * (SPEC §6; core/journal.h).  Every store_log_* and store_checkpoint_*
 * function works on the one selected; store_log_select() selects one and
 * returns the one selected before, so a caller restores it.  The main log
 * is selected when a store is opened. */
enum store_log { STORE_LOG_MAIN, STORE_LOG_NS };
int store_log_select(struct store *st, enum store_log which);
enum store_log store_log_selected(const struct store *st);

/* Identifier spaces (SPEC §6): requests of national-security process
 * (r->national_security, set by the domain) take random ids from
 * STORE_NS_ID_BASE up, every other request the next id below it, and a
 * notice or NDO takes its id from the space of its request - so no id,
 * notice number or count that the main log, a report or a customer notice
 * shows moves with the number of national-security requests, and no
 * national-security id tells how many came before it. */
#define STORE_NS_ID_BASE ((int64_t)1 << 40)
#define STORE_ID_IS_NS(id) ((id) >= STORE_NS_ID_BASE)
int store_log_size(struct store *st, uint64_t *size);
int store_log_put_entry(struct store *st, uint64_t index, const void *entry,
			size_t len);
int store_log_get_entry(struct store *st, uint64_t index, struct buf *out);
int store_log_put_hash(struct store *st, unsigned level, uint64_t index,
		       const uint8_t hash[32]);
int store_log_get_hash(struct store *st, unsigned level, uint64_t index,
		       uint8_t hash[32]);
typedef int (*store_log_entry_cb)(void *ctx, uint64_t index, const void *entry,
				  size_t len);
int store_log_each_entry(struct store *st, uint64_t from, store_log_entry_cb cb,
			 void *ctx);

/* Signed checkpoints, one per size. */
int store_checkpoint_put(struct store *st, uint64_t size, const char *note);
/* The newest checkpoint; -E_NOTFOUND when none. */
int store_checkpoint_latest(struct store *st, uint64_t *size, char **note);
int store_checkpoint_get(struct store *st, uint64_t size, char **note);
typedef int (*store_checkpoint_cb)(void *ctx, uint64_t size, const char *note);
int store_checkpoint_each(struct store *st, store_checkpoint_cb cb, void *ctx);

/* --- witnesses and cosignatures (SPEC §6; sqlite/sqlite_witness.c) -------------- */

struct witness_row {
	const char *name, *url, *vkey;
	int64_t added_at;
	uint64_t cosigned;	/* size of the newest cosignature held; 0: none */
	int64_t claimed;	/* size the witness said it cosigned (409); -1 */
	const char *status;	/* the last offer, one line */
	int problem;		/* refused the log as inconsistent */
	int64_t status_at;	/* 0: never offered */
	int64_t removed_at;	/* 0: in service */
};

/* E_REFUSED when a witness of that name exists (a removed one with the
 * same vkey is put back in service instead: url and added_at are set
 * anew). */
int store_witness_add(struct store *st, const char *name, const char *url,
		      const char *vkey, int64_t at);
/* Take a witness in service out of it at `at`; E_NOTFOUND when there is
 * no such witness in service. */
int store_witness_remove(struct store *st, const char *name, int64_t at);
/* Every witness in name order; strings valid during the callback. */
typedef int (*store_witness_cb)(void *ctx, const struct witness_row *w);
int store_witness_each(struct store *st, store_witness_cb cb, void *ctx);
/* Record an offer's outcome; claimed < 0 leaves the claimed size as it is. */
int store_witness_status(struct store *st, const char *name, const char *status,
			 int problem, int64_t claimed, int64_t at);
/* Store a cosignature and raise the witness's cosigned size to `size`. */
int store_cosig_put(struct store *st, const char *witness, uint64_t size,
		    const char *line, uint64_t time);
/* Cosignatures on the checkpoint of `size` (UINT64_MAX: all, by size then
 * witness); strings valid during the callback. */
typedef int (*store_cosig_cb)(void *ctx, const char *witness, uint64_t size,
			      const char *line, uint64_t time);
int store_cosig_each(struct store *st, uint64_t size, store_cosig_cb cb, void *ctx);

/* --- transparency reports (SPEC §7; src/store/sqlite/sqlite_report.c) ----------
 * Aggregates over the requests *received* in [from, to), computed by SQL
 * aggregates (GROUP BY, COUNT(DISTINCT)) or by a streaming walk into a
 * fixed tally: memory does not grow with the number of requests, and each
 * function calls its callback once per group, never once per request.
 * Outcomes are as stored now; OUT_NONE is "pending".
 *
 * National-security process may be published only in bands (50 U.S.C.
 * 1874); the domain marks such requests when it stores them (the
 * national_security column, core/policy/classify.h).  store_report_requests()
 * returns those requests as groups like any other, so the domain can band
 * them; every other function here leaves the marked requests out, so no
 * exact figure it gives can reveal one.  Strings passed to a
 * callback are valid during the call only. */

/* A consistent read snapshot: every query between begin and end sees the
 * database as of the first read after begin, so a report and the
 * checkpoint it states describe the same records.  Refused (E_INTERNAL)
 * inside a write transaction. */
int store_snapshot_begin(struct store *st);
void store_snapshot_end(struct store *st);

/* The change marker (migration 0075): n grows and tag takes a new random
 * value with every committed transaction that wrote anything, on every
 * engine and from every process.  The statement layer (sql.c) keeps it:
 * a transaction's first write bumps it inside the transaction, and a
 * write made outside a transaction is followed by its own bump.  So a
 * value derived from the database at marker m is still true while the
 * marker reads m (what the server caches, http/cache.h).  One primary-key
 * read. */
struct store_mark {
	int64_t n;
	int64_t tag;
};
int store_change_mark(struct store *st, struct store_mark *out);

struct report_group {
	enum kind kind;
	enum process process;
	char country[3];          /* requesting country; "": unknown */
	int64_t requests;
	int64_t targets;          /* sum of targets specified */
	int64_t by_outcome[outcome__COUNT];   /* requests; [OUT_NONE]: pending */
	int64_t content_requests; /* requests asking for content ... */
	int64_t content_targets;  /* ... and their targets */
};
/* One group per (kind, process, country) with requests, in that order. */
typedef int (*store_report_group_cb)(void *ctx, const struct report_group *g);
int store_report_requests(struct store *st, int64_t from, int64_t to,
			  store_report_group_cb cb, void *ctx);
/* The first and last received_at on record; -E_NOTFOUND when no request. */
int store_report_received_span(struct store *st, int64_t *first, int64_t *last);

/* Requests with a resolved target of an enterprise customer (groups with
 * `enterprise` set), then search warrants for content with a target whose
 * data is stored outside the requesting country (`content_abroad` set); a
 * request that is both is in one group of each. */
struct report_target_group {
	char country[3];
	enum outcome outcome;
	int enterprise;
	int content_abroad;
	int64_t requests;
};
typedef int (*store_report_target_cb)(void *ctx, const struct report_target_group *g);
/* one_nation: ",US,PR,...,": codes counted as one country for "stored
 * abroad" (a country and its territories); may be NULL. */
int store_report_targets(struct store *st, int64_t from, int64_t to, const char *one_nation,
			 store_report_target_cb cb, void *ctx);

/* The targets (accounts specified) of the period's requests, national
 * security left out, by each target's own outcome (SPEC §4): its per-target
 * decision (redirected, rejected) or else its request's outcome. */
typedef int (*store_report_account_cb)(void *ctx, enum outcome o, int64_t n);
int store_report_account_outcomes(struct store *st, int64_t from, int64_t to,
				  store_report_account_cb cb, void *ctx);

/* Distinct resolved accounts and distinct customers targeted. */
int store_report_reach(struct store *st, int64_t from, int64_t to, int64_t *accounts,
		       int64_t *customers);

/* Notices of the requests, by state; `ndo` is set for delayed notices of a
 * request that carries a nondisclosure order. */
typedef int (*store_report_notice_cb)(void *ctx, const char *state, int ndo,
				      int64_t count);
int store_report_notices(struct store *st, int64_t from, int64_t to,
			 store_report_notice_cb cb, void *ctx);

/* Preservation holds of the requests, by state; `renewed` of them were
 * renewed at least once. */
typedef int (*store_report_hold_cb)(void *ctx, const char *state, int64_t holds,
				    int64_t renewed);
int store_report_holds(struct store *st, int64_t from, int64_t to,
		       store_report_hold_cb cb, void *ctx);

/* Court challenges of the requests, by subject ("request", "ndo") and
 * outcome (NULL while pending). */
typedef int (*store_report_challenge_cb)(void *ctx, const char *subject,
					 const char *outcome, int64_t count);
int store_report_challenges(struct store *st, int64_t from, int64_t to,
			    store_report_challenge_cb cb, void *ctx);

/* Beyond the anchors (SPEC §7).  Times from receipt to the provider's
 * decision of the requests of one kind: the first review decision in their
 * history (reject, narrow, redirect, challenge, approve), else - for an
 * imported request with an outcome other than withdrawn - its closed_at.
 * *decided is how many have one; the median and 90th percentile use the
 * nearest rank (value at rank ceil(p * n), counting from 1); -1 when none. */
int store_report_response(struct store *st, int64_t from, int64_t to, enum kind kind,
			  int64_t *decided, int64_t *median, int64_t *p90);

struct report_extra {
	int64_t ndos, ndos_indefinite, ndos_challenged, ndos_fixed;
	int64_t ndo_median_days; /* of fixed-length NDOs; -1 when none */
	int64_t notices_delayed;  /* delayed now, or delayed and since released */
	int64_t notices_released; /* due later than created, and no longer held */
	int64_t emergency_unverified; /* emergency requests rejected in verification */
	int64_t emergency_verifying;  /* emergency requests still in verification */
	int64_t hold_extensions;      /* renewals of the requests' holds */
};
int store_report_extra(struct store *st, int64_t from, int64_t to,
		       struct report_extra *out);

/* --- the customer data vault and disclosures (SPEC §8; sqlite/sqlite_vault.c) --
 * Nothing declared here returns vault content (I1).  Items are written and
 * counted here; the one function that reads their bytes is declared in the
 * private header store/vault_content.h, which only the vault data source
 * (core/disclose/vault.c) includes, and which only the disclosure step of a ready
 * request can reach (docs/disclosure.md). */
struct vault_record {
	int64_t account_id;
	enum category category;
	const char *kind;
	int64_t created_at;
	const char *location;     /* ISO 3166-1 alpha-2 */
	int sealed;               /* data is sealed to the customer's key */
	int enc;                  /* data is encrypted under the vault data key
				     (format 1, core/disclose/vault.c); size is then the
				     item's own size, len that of data */
	size_t size;
	const void *data;         /* may be NULL when len is 0 */
	size_t len;
};
/* Store one item; *id (optional) receives its id. */
int store_vault_put(struct store *st, const struct vault_record *v, int64_t *id);
/* Items in the vault, and the sum of their sizes. */
int store_vault_count(struct store *st, int64_t *items, int64_t *bytes);
/* Items encrypted under the vault data key (enc != 0). */
int store_vault_count_encrypted(struct store *st, int64_t *items);
/* A vault import file by its SHA-256 ("sha256:<hex>"): *at receives when it
 * was imported, or -E_NOTFOUND when it never was. */
int store_vault_import_find(struct store *st, const char *file_sha256, int64_t *at);
int store_vault_import_add(struct store *st, const char *file_sha256, int64_t items,
			   int64_t at, uint64_t log_index);

struct disclosure_record {
	int64_t request_id;
	const char *file_name;    /* the package's file name, without directory */
	uint64_t size;
	const char *sha256;       /* 64 lower-case hex digits */
	int64_t items;
	int64_t created_at;
	uint64_t log_index;       /* the "disclosure" entry */
	uint64_t package_index;   /* the "disclosure.package" entry */
	const char *manifest;     /* manifest.json; may be NULL */
};
/* A second disclosure of the same request is E_INVALID. */
int store_disclosure_add(struct store *st, const struct disclosure_record *d);
/* The disclosures of a request (request_id 0: of every request), in id
 * order; strings are valid during the callback only. */
typedef int (*store_disclosure_cb)(void *ctx, const struct disclosure_record *d);
int store_disclosure_each(struct store *st, int64_t request_id, store_disclosure_cb cb,
			  void *ctx);

/* --- documents of requests (SPEC §13; sqlite/sqlite_document.c) ---------- */

struct document_row {
	int64_t id, request_id;
	const char *name, *sha256, *media_type, *added_by;
	uint64_t size;
	int64_t added_at;
	const void *content;      /* NULL unless asked for */
};
/* E_INVALID for a second document of the same hash on one request. */
int store_document_add(struct store *st, const struct document_row *d, int64_t *id);
/* Each document of request_id in the order added; strings and content
 * valid during the callback; a nonzero return of cb stops the walk. */
typedef int (*store_document_cb)(void *ctx, const struct document_row *d);
int store_document_each(struct store *st, int64_t request_id, int with_content,
			store_document_cb cb, void *ctx);

/* Letters to the agency (SPEC §13; sqlite/sqlite_document.c). */
struct letter_row {
	int64_t id, request_id;
	const char *kind, *to, *subject, *body, *sha256, *state, *written_by;
	const char *message_id, *error;   /* "" when none */
	int64_t written_at, sent_at;      /* sent_at 0: not sent */
};
/* A new letter in state "written". */
int store_letter_add(struct store *st, const struct letter_row *l, int64_t *id);
/* state "sent" (at, message_id) or "failed" (error). */
int store_letter_finish(struct store *st, int64_t id, const char *state, int64_t at,
			const char *message_id, const char *error);
typedef int (*store_letter_cb)(void *ctx, const struct letter_row *l);
int store_letter_each(struct store *st, int64_t request_id, store_letter_cb cb, void *ctx);

/* Failed sign-ins per key (sqlite/sqlite_auth.c; the key is a digest):
 * written outside any unit of work, shared by every server.  get: E_NOTFOUND
 * when the key has none.  fail: one more failure, a new window when the last
 * began `window` seconds or more before now (and keys whose window is over
 * are dropped).  clear: forget the key. */
int store_signin_get(struct store *st, const char *key, int *failures, int64_t *since);
int store_signin_fail(struct store *st, const char *key, int64_t now, int64_t window);
int store_signin_clear(struct store *st, const char *key);

/* Published transparency reports (SPEC §9, §13; sqlite/sqlite_document.c):
 * the exact bytes published, named by their SHA-256. */
struct publication_row {
	int64_t id;
	const char *period, *format, *published_by, *sha256;
	int64_t published_at;
	uint64_t size, checkpoint_size;
	const void *body;         /* NULL unless asked for */
};
int store_publication_add(struct store *st, const struct publication_row *p, int64_t *id);
/* Each publication, newest first (id 0: every one; else that one only);
 * strings and body valid during the callback; E_NOTFOUND when id names
 * none.  A nonzero return of cb stops the walk. */
typedef int (*store_publication_cb)(void *ctx, const struct publication_row *p);
int store_publication_each(struct store *st, int64_t id, int with_body,
			   store_publication_cb cb, void *ctx);

/* --- sign-in: passwords, TOTP, API tokens, sessions (sqlite_auth.c) -----
 * Secrets are stored only as hashes (passwords: argon2id strings; tokens
 * and session cookies: SHA-256 hex), except the TOTP secret, which the
 * check needs: it is stored sealed under the MFA key, a file outside the
 * database (core/access/auth.h; the store keeps the bytes it is given).
 * Times are seconds since the epoch. */
#define STORE_TOTP_MAX 96         /* bytes of a stored TOTP secret */
struct staff_auth {
	char *password;           /* argon2id string; NULL: none set */
	uint8_t totp_secret[STORE_TOTP_MAX];   /* as stored (sealed) */
	size_t totp_len;          /* 0: not enrolled */
	int64_t totp_last;        /* last accepted time step; -1: none */
};
/* A user's sign-in record; a user without one gets an empty record. */
int store_auth_get(struct store *st, const char *user, struct staff_auth *out);
int store_auth_set_password(struct store *st, const char *user, const char *hash,
			    int64_t at);
int store_auth_set_totp(struct store *st, const char *user, const uint8_t *secret,
			size_t len);
/* Replace user's stored TOTP secret by the same secret in another form
 * (sealed), keeping the replay guard. */
int store_auth_reseal_totp(struct store *st, const char *user, const uint8_t *stored,
			   size_t len);
/* Every user with a TOTP secret, by name, with the stored bytes (valid
 * during the callback); a nonzero return of cb stops the walk. */
typedef int (*store_totp_cb)(void *ctx, const char *user, const uint8_t *stored,
			     size_t len);
int store_auth_each_totp(struct store *st, store_totp_cb cb, void *ctx);
/* Record step as the last accepted TOTP step, only if it is newer than the
 * stored one; *accepted is 0 when it was not (a replay). */
int store_auth_totp_step(struct store *st, const char *user, int64_t step,
			 int *accepted);

struct token_record {
	int64_t id;
	const char *user;
	unsigned roles;
	int64_t created_at;
	int64_t expires_at;       /* 0: never */
	int64_t revoked_at;       /* 0: in force */
};
int store_token_add(struct store *st, const char *hash, const struct token_record *t,
		    int64_t *id);
/* The token with this hash (strings valid until the next call on st);
 * -E_NOTFOUND when none. */
int store_token_find(struct store *st, const char *hash, struct token_record *out,
		     char **user);
typedef int (*store_token_cb)(void *ctx, const struct token_record *t);
int store_token_each(struct store *st, store_token_cb cb, void *ctx);
/* Revoke token id at `at`; *user receives its user (caller frees).
 * -E_NOTFOUND when there is no such token in force. */
int store_token_revoke(struct store *st, int64_t id, int64_t at, char **user);

struct session_record {
	int64_t id;
	char *user;               /* caller frees */
	char *csrf;               /* filled by core/access/auth.c, not stored */
	int64_t created_at, seen_at, revoked_at;
};
int store_session_add(struct store *st, const char *hash, const char *user, int64_t at,
		      int64_t *id);
int store_session_find(struct store *st, const char *hash, struct session_record *out);
int store_session_touch(struct store *st, int64_t id, int64_t at);
int store_session_revoke(struct store *st, int64_t id, int64_t at);
/* Revoke every session of user (password change). */
int store_session_revoke_user(struct store *st, const char *user, int64_t at);

/* --- the portals (SPEC §14, §15; sqlite/sqlite_portal.c,
 * migrations/0050_portal.sql) ---------------------------------------------
 * Officers and customers' contacts are users (store_user_add) with the
 * role officer or customer; these rows say whose they are. */
#define PORTAL_EMAIL_MAX 254
#define PORTAL_ID_MAX 64
#define PORTAL_NAME_MAX 200
struct portal_account {
	char name[PORTAL_EMAIL_MAX + 1];      /* the user: an e-mail address */
	char kind[16];                        /* officer | customer */
	char agency_id[PORTAL_ID_MAX + 1];    /* "" for a customer */
	char display_name[PORTAL_NAME_MAX + 1];
	int64_t created_at;
	int64_t suspended_at;                 /* 0: in force */
	char suspended_by[PORTAL_EMAIL_MAX + 1];
	char suspend_reason[PORTAL_NAME_MAX + 1];
};
int store_portal_account_add(struct store *st, const struct portal_account *a);
/* -E_NOTFOUND when name has no portal account. */
int store_portal_account_get(struct store *st, const char *name, struct portal_account *out);
/* Suspend (at > 0) or reinstate (at 0) an account; -E_NOTFOUND when none. */
int store_portal_account_suspend(struct store *st, const char *name, int64_t at,
				 const char *by, const char *reason);
/* The officers of agency_id (NULL: of every agency), by name. */
typedef int (*store_portal_account_cb)(void *ctx, const struct portal_account *a);
int store_portal_account_each(struct store *st, const char *agency_id,
			      store_portal_account_cb cb, void *ctx);

/* An agency's suspension: at > 0 suspends (again: E_INVALID), at 0
 * reinstates (-E_NOTFOUND when it was not suspended). */
int store_agency_suspend(struct store *st, const char *agency_id, int64_t at, const char *by,
			 const char *reason);
/* *at: when agency_id was suspended, 0 when it is not. */
int store_agency_suspended(struct store *st, const char *agency_id, int64_t *at);

/* One-time links; only the hash of the secret is stored. */
struct portal_link {
	int64_t id;
	char purpose[16];                     /* register | customer */
	char email[PORTAL_EMAIL_MAX + 1];
	char agency_id[PORTAL_ID_MAX + 1];
	int64_t created_at, expires_at, used_at;   /* used_at 0: unused */
};
int store_portal_link_add(struct store *st, const char *hash, const struct portal_link *l,
			  int64_t *id);
/* The link of a hash; -E_NOTFOUND when none. */
int store_portal_link_find(struct store *st, const char *hash, struct portal_link *out);
/* Mark link id used at `at`; *used is 0 when it was used already. */
int store_portal_link_use(struct store *st, int64_t id, int64_t at, int *used);

struct portal_registration {
	int64_t id;
	const char *email, *domain, *verdict, *agency_id, *imitates, *remote;   /* "" none */
	int64_t at;
};
int store_portal_registration_add(struct store *st, const struct portal_registration *r,
				  int64_t *id);
/* Attempts newest first, at most limit; strings valid during the callback. */
typedef int (*store_portal_registration_cb)(void *ctx, const struct portal_registration *r);
int store_portal_registration_each(struct store *st, size_t limit,
				   store_portal_registration_cb cb, void *ctx);

/* The officer who submitted request_id through the portal. */
int store_portal_request_add(struct store *st, int64_t request_id, const char *officer,
			     const char *agency_id, int64_t at);
/* -E_NOTFOUND when request_id did not come through the portal. */
int store_portal_request_get(struct store *st, int64_t request_id,
			     char officer[PORTAL_EMAIL_MAX + 1]);

/* Portal requests whose state differs from the last one mailed to their
 * officer (at most limit), in id order: cb(ctx, request id, officer, ref,
 * state).  Strings valid during the callback. */
typedef int (*store_portal_change_cb)(void *ctx, int64_t request_id, const char *officer,
				      const char *ref, const char *state);
int store_portal_request_changed(struct store *st, size_t limit, store_portal_change_cb cb,
				 void *ctx);
/* Record state as the last one mailed about request_id. */
int store_portal_request_mailed(struct store *st, int64_t request_id, const char *state);

/* A verification failure recorded by staff (officer NULL: not a portal
 * request). */
int store_verification_failure_add(struct store *st, int64_t request_id, const char *officer,
				   const char *agency_id, const char *reason, int64_t at,
				   const char *actor, uint64_t log_index);
/* Failures recorded against officer (NULL: none asked) and agency_id. */
int store_verification_failure_count(struct store *st, const char *officer,
				     const char *agency_id, int64_t *by_officer,
				     int64_t *by_agency);

/* The ids of the requests with a target among customer_id's accounts, in
 * id order. */
int store_customer_request_each(struct store *st, const char *customer_id,
				int (*cb)(void *ctx, int64_t request_id), void *ctx);

#endif
