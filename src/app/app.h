/*
 * app.h - the application layer: sessions and the unit of work.
 *
 * Every operation docket offers - the command line's and the HTTP
 * server's alike - is one function of this layer (the per-area headers:
 * app/request.h, app/notice.h, app/admin.h, app/import.h, app/disclose.h,
 * app/report.h, app/journal.h).  Front ends only translate: argv or an HTTP
 * request into a call with plain C arguments, the result into output.  This
 * layer never prints, never exits and never reads argv or the environment.
 *
 * A session is one actor working on one database: the store connection,
 * the actor's name and roles, the clock, and (loaded by the first unit of
 * work) the log's signing key and origin.  A session belongs to one thread
 * at a time (store.h: one connection per thread).
 *
 * The unit of work (app_unit) is the only code that commits: it begins a
 * transaction, runs the operation's body - which changes the records and
 * appends the log entries that record them with app_log() - signs a
 * checkpoint for the new log size and commits, so the change and its
 * entries are durable together or not at all (invariant I8).  On a
 * transient conflict (E_CONFLICT: the engine could not get or keep the
 * write lock) the whole body runs again, up to APP_UNIT_TRIES times; a body
 * must therefore start from its inputs each time and write results only
 * into its context (which it resets first), never elsewhere.
 *
 * Errors: every function returns 0 or a negative code from base/err.h with
 * a message (err_msg()).  A refusal for lack of a role is E_FORBIDDEN.
 *
 * Ownership: a session is freed with session_close(); its strings are
 * owned by it.  Results handed out by the per-area functions say who frees
 * them.
 */
#ifndef DOCKET_APP_H
#define DOCKET_APP_H

#include <stdint.h>

#include <jansson.h>

#include "core/ledger/event.h"
#include "model/model.h"
#include "core/workflow/workflow.h"
#include "store/store.h"

struct signer;
struct ruleset;

#define APP_UNIT_TRIES 5

struct session {
	struct store *st;      /* the database (owned) */
	char *db;	       /* its name, as opened */
	char *user;	       /* the acting user */
	unsigned roles;	       /* the user's ROLE_BIT()s */
	int64_t now;	       /* the clock: read at open and again at the
				  start of every unit of work */
	char *rules_dir;       /* NULL: the installed or source rules */
	struct ruleset *rules; /* loaded rules to share (borrowed; NULL: read
				  them from rules_dir at each app_rules()) */
	struct signer *signer; /* loaded by the first unit of work */
	char *origin;	       /* the log's origin, with the signer */
	struct signer *ns_signer; /* the national-security compartment's key
				     (DB.ns-key; made on first use) */
};

/* Open database `db` as `user`, who must be a docket user (else
 * E_FORBIDDEN); the roles are read once here.  *out is NULL on error. */
int session_open(const char *db, const char *user, struct session **out);
void session_close(struct session *s);
/* 0 when the actor holds one of `roles` (0: any staff role - not the
 * portals' officer or customer), else E_FORBIDDEN saying
 * "user 'NAME' may not WHAT: it needs the role R". */
int session_require(const struct session *s, unsigned roles, const char *what);
/* Use the rules in dir (copied; NULL: the installed or source rules). */
void session_set_rules_dir(struct session *s, const char *dir);
/* The actor for core/ functions: name and the clock; with roles. */
struct actor session_actor(const struct session *s);
struct staff session_staff(const struct session *s);

/* Load the rules of the session's rules directory (or share the session's
 * loaded rules); *out is freed with rules_free(). */
int app_rules(const struct session *s, struct ruleset **out);

/* The body of a unit of work: changes the records through s->st and logs
 * them with app_log(); returns 0 to commit or a negative error to roll
 * back. */
typedef int (*app_body_fn)(struct session *s, void *ctx);

/* Run body as one unit of work (see the top of this file): begin, body,
 * signed checkpoint, commit; retried on E_CONFLICT.  Nothing is changed
 * when it fails. */
int app_unit(struct session *s, app_body_fn body, void *ctx);

/* Append an event to the log inside the running unit of work: fields
 * (reference stolen, may be NULL) plus "type", "at" (the session's clock)
 * and "actor".  *index (optional) receives its log index. */
int app_log(struct session *s, const char *type, json_t *fields, uint64_t *index);
/* A bulk record as bounded entries (SPEC §6; event_log_list() in
 * core/ledger/event.h): fields (stolen, may be NULL) with the array items (stolen)
 * under the key `list`, split into as many entries as keep each within the
 * entry bound; item_index (optional, one per item) receives the log index
 * of the entry each item went into. */
int app_log_list(struct session *s, const char *type, json_t *fields, const char *list,
		 json_t *items, uint64_t *item_index);

/* Progress of a long operation (imports, disclosure, log verification),
 * for a front end to show; every member may be NULL and a NULL hook shows
 * nothing.  start() opens a phase named `what` (total 0: unknown), update()
 * reports items done (as often as it likes: the front end throttles),
 * finish() closes the phase. */
struct app_progress {
	void (*start)(void *ctx, const char *what, uint64_t total);
	void (*update)(void *ctx, uint64_t done);
	void (*finish)(void *ctx, uint64_t done);
	void *ctx;
};
void app_progress_start(const struct app_progress *p, const char *what, uint64_t total);
void app_progress_update(const struct app_progress *p, uint64_t done);
void app_progress_finish(const struct app_progress *p, uint64_t done);

#endif
