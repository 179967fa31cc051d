/*
 * notice.h - customer notices (SPEC §5, invariant I6): one notice per
 * affected customer per request, its state, its text, and its delivery.
 *
 * States (one entry point, notice_move(), changes a state and logs
 * "notice.<event>" with old -> new in the same unit of work):
 *
 *   pending     due now: the next `docket tick` sends it
 *   delayed     held until due_at by an NDO with an end date, or by the
 *               emergency delay (emergency_notice_delay_days)
 *   suppressed  held by an indefinite NDO; the NDO is flagged for
 *               challenge (GEN-NDO-INDEFINITE); released when it is lifted
 *   sending     claimed by one delivery (claim token); a claim left behind
 *               by a process that died is recovered after NOTICE_CLAIM_LEASE
 *   sent        delivered (sent_at); sent again only by notice_resend()
 *   failed      the last attempt failed (last_error); retried from
 *               next_try_at with exponential backoff, for ever
 *
 * Nothing removes a notice: whatever happens to the request, its notices
 * stay and are counted in reports.
 *
 * Delivery is three units of work so that the slow part holds no lock:
 * notice_claim() (pending|failed -> sending, message composed), then the
 * caller delivers with notice_deliver() outside any transaction, then
 * notice_finish() (sending -> sent|failed).  BEGIN IMMEDIATE serialises
 * claims across processes, so two `docket tick` runs never deliver the same
 * notice.  Between the delivery and the unit that records it the caller
 * writes a durable delivery receipt (mail_receipt_write): a crash or a
 * failed commit there leaves a stale claim that notice_release_due()
 * records as sent from its receipt instead of delivering again.  Only a
 * crash in the instant between the server's acceptance and the receipt
 * write can make a message go twice, with the same Message-ID, so
 * receivers can drop it (docs/notices.md).
 */
#ifndef DOCKET_NOTICE_H
#define DOCKET_NOTICE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "core/ledger/event.h"
#include "model/model.h"
#include "mail/mail.h"
#include "store/store.h"

#define NOTICE_STATES(X)                                                      \
	X(NS_PENDING, "pending") X(NS_DELAYED, "delayed")                     \
	X(NS_SUPPRESSED, "suppressed") X(NS_SENDING, "sending")               \
	X(NS_SENT, "sent") X(NS_FAILED, "failed")                             \
	X(NS_CANCELLED, "cancelled")
#define NOTICE_STATE_MEMBER(name, str) name,
enum notice_state { NOTICE_STATES(NOTICE_STATE_MEMBER) notice_state__COUNT };
const char *notice_state_str(int s);
int notice_state_parse(const char *s);   /* -1 when unknown */

#define NOTICE_BACKOFF_FIRST (5 * 60)        /* the first retry after 5 minutes */
#define NOTICE_BACKOFF_MAX (24 * 60 * 60)    /* doubling up to one day */
#define NOTICE_CLAIM_LEASE (15 * 60)         /* a claim older than this was
						abandoned by a dead process */

/* --- deciding a notice's state (pure) --------------------------------------- */

struct notice_basis {
	int64_t received_at;
	int emergency;                 /* kind or process emergency */
	int64_t emergency_delay;       /* seconds (emergency_notice_delay_days) */
	const struct ndo_record *ndos; /* the request's NDOs, lifted ones included */
	size_t n_ndos;
	int statutory_secrecy;         /* secrecy imposed by statute (US-FISA:
					  the policy's statutory_secrecy flag) */
};

struct notice_plan {
	enum notice_state state;       /* pending, delayed or suppressed */
	int64_t due_at;                /* 0 when suppressed */
	const char *reason;            /* "ndo", "ndo_indefinite", "emergency",
					  "statute", or NULL when pending */
};

/* What an undelivered notice's state must be at `now`: due at receipt;
 * later by the emergency delay; later still until the end of every NDO in
 * force; suppressed while an indefinite NDO is in force, and always when
 * a statute imposes secrecy (FISA: 50 U.S.C. 1805(c)(2)(B), 1861(d)(1),
 * 1881a(i)(1)(A)), which no NDO needs to state.  Lifted NDOs hold nothing
 * back. */
void notice_plan(const struct notice_basis *b, int64_t now, struct notice_plan *out);

/* Seconds to wait after the attempts-th failed attempt: 5 minutes,
 * doubling, at most one day. */
int64_t notice_backoff(int attempts);

/* --- the notice ------------------------------------------------------------- */

struct notice {
	int64_t id, request_id;
	char *customer_id;
	enum notice_state state;
	char *reason;             /* why delayed or suppressed; may be NULL */
	int64_t due_at, sent_at, next_try_at, claimed_at, created_at;
	int attempts, generation;
	char *last_error, *claim, *message_id, *body;   /* may be NULL */
	int64_t log_index;        /* -1: never delivered */
};
void notice_release(struct notice *n);
/* An owned copy of a stored record. */
void notice_from_record(const struct notice_record *r, struct notice *out);
int notice_get(struct store *st, int64_t id, struct notice *out);
/* n as JSON; `full` adds the message body. */
json_t *notice_to_json(const struct notice *n, int full);
/* The notices of a request as a JSON array (for request show). */
json_t *notice_list_json(struct store *st, int64_t request_id);

/* At intake, after the request is stored and logged: records the NDO that
 * came with it, then one notice per distinct customer its targets resolve
 * to - whatever the policy recommends - each logged "notice.created". */
int notice_intake(struct store *st, const struct actor *who, const struct request *r);

/* After request amend or void (SPEC §3): the unsent notices (pending,
 * delayed, suppressed, failed) of customers the request no longer targets -
 * every one when `all` (void) - become cancelled ("notice.cancelled", with
 * reason); a cancelled notice of a customer targeted again is restored, and
 * a customer newly targeted gets a notice ("notice.created"); then the
 * rest are re-planned.  A sent notice stays sent. */
int notice_sync(struct store *st, const struct actor *who, const struct request *r,
		int all, const char *reason);

/* Re-decide the undelivered notices of a request after its NDOs changed
 * (pending/delayed/suppressed/failed; a failed notice keeps its retry
 * schedule unless an NDO now holds it back).  *changed (optional) counts. */
int notice_replan(struct store *st, const struct actor *who, int64_t request_id,
		  int *changed);

/* tick: delayed notices whose time has come become pending
 * ("notice.released"); claims older than the lease become sent when a
 * delivery receipt for the claim is in `receipts` (mail_receipt_read; the
 * process died after delivering, before recording: "notice.sent" with
 * "recovered"), else failed and due now ("notice.interrupted"). */
int notice_release_due(struct store *st, const struct actor *who, const char *receipts,
		       int *released,
		       int *recovered);

/* notice resend: a failed notice is retried now; a sent one gets a new
 * generation (a new Message-ID: it is a new message) and is sent again.
 * Refused for notices an NDO holds back or one being delivered. */
int notice_resend(struct store *st, const struct actor *who, int64_t id,
		  const char *reason);

/* --- delivery ---------------------------------------------------------------- */

/* The settings delivery needs, read once per run. */
struct notice_mailer {
	struct mail_transport transport;
	char *smtp_url, *smtp_user, *password_file, *outbox_dir;
	char *from, *from_name, *legal_contact, *provider, *origin;
	/* Why no notice may go out yet (SPEC §5), naming the settings to
	 * configure; NULL when provider_name (not the shipped placeholder
	 * NOTICE_PROVIDER_PLACEHOLDER) and smtp_from are both set. */
	char *missing;
};
#define NOTICE_PROVIDER_PLACEHOLDER "Example Cloud"
/* Loads smtp_* / outbox_dir / provider_name / legal_contact; outbox_dir
 * defaults to "outbox" beside db_path.  E_INVALID when smtp_url is set
 * without smtp_from, or smtp_user without smtp_password_file.  Notices are
 * not to be sent while out->missing is set: callers leave them pending. */
int notice_mailer_load(struct store *st, const char *db_path, const char *origin,
		       struct notice_mailer *out);
void notice_mailer_release(struct notice_mailer *m);

/* One claimed delivery: what notice_deliver() sends and notice_finish()
 * records. */
struct notice_job {
	int64_t notice_id, request_id;
	int attempt;
	char claim[33];
	char *to;                 /* the recipient (never logged in clear) */
	char *message_id;
	char *file_name;          /* outbox: notice-000042.eml */
	const char *via;          /* "smtp" or "outbox" (static) */
	struct buf message;       /* the formatted RFC 5322 message */
};
void notice_job_release(struct notice_job *j);

/* Claim notice id (0: the next one due at who->now) for delivery: moves it
 * to sending with a fresh claim token, composes its message, stores the
 * body and logs "notice.sending".  -E_NOTFOUND (no message) when nothing
 * is due.  A notice that cannot be composed (a bad contact address, say)
 * is marked failed with the reason instead and *job->to is NULL. */
int notice_claim(struct store *st, const struct actor *who, const struct notice_mailer *m,
		 int64_t id, struct notice_job *job);
/* Deliver a claimed job (outside any transaction).  *smtp_status as in
 * mail_smtp_send(). */
int notice_deliver(const struct notice_mailer *m, const struct notice_job *job,
		   long *smtp_status);
/* Record the outcome: delivered (rc 0) -> sent, "notice.sent" with the
 * Message-ID and the digests of recipient and message; else failed with
 * `error`, the next retry after notice_backoff(), "notice.failed".  When
 * the claim is no longer ours (recovered meanwhile) the outcome is logged
 * but the state is left to the new claimant.  *sent tells which. */
int notice_finish(struct store *st, const struct actor *who, const struct notice_job *job,
		  int rc, const char *error, long smtp_status, int *sent);

/* --- the text ---------------------------------------------------------------- */

/* What the provider did with one data category, for one customer. */
enum notice_done {
	ND_NOT_ASKED,  /* the request did not ask for it */
	ND_OPEN,       /* no decision yet */
	ND_APPROVED,   /* approved, nothing disclosed yet */
	ND_DISCLOSED,  /* disclosed: items > 0 of this customer's */
	ND_NOTHING,    /* produced from the data source: nothing found */
	ND_REFUSED,    /* refused (rejected, or narrowed away): refusal_reason */
	ND_REDIRECTED, /* not answered: the agency was sent to the enterprise */
	ND_WITHDRAWN,  /* the agency withdrew the request */
	ND_NONE,       /* closed without a disclosure */
	ND_PRESERVED,  /* kept under a preservation hold, not disclosed */
};
struct notice_category {
	enum notice_done done;
	int64_t items; /* ND_DISCLOSED: this customer's items of the category */
};

/* Everything the text says, gathered by the caller. */
struct notice_facts {
	const char *provider;          /* provider_name */
	const char *legal_contact;     /* where to respond; may be NULL */
	const char *origin;            /* the log's origin line */
	int64_t notice_id;
	const struct request *req;
	const struct customer *cust;
	const char *agency_name;       /* NULL: not registered */
	const char *agency_country;    /* ISO code; NULL or "": unknown */
	int64_t receipt_index;         /* log index of "request.received"; -1 */
	const struct ndo_record *ndo;  /* the NDO that held the notice, or NULL */
	int emergency_delay_days;      /* >0: it was held by the emergency delay */
	/* The requester could not be confirmed (flag unverified_requester or
	 * lookalike_domain, and no successful verification): "a request
	 * claiming to come from ...", with the address it came from. */
	int claimed;
	/* What was done per category (index: enum category); the reason given
	 * for refusing (the reviewer's, from the request's history). */
	struct notice_category done[category__COUNT];
	const char *refusal_reason;
	/* The inclusion proof of receipt_index in the tree of proof_size
	 * entries with root proof_root (base64), one base64 hash per line;
	 * NULL: none. */
	const char *proof;
	uint64_t proof_size;
	const char *proof_root;
	const char *notice_ref; /* the number a customer quotes; NULL: notice_id */
	/* National-security process: its receipt is in the compartment of the
	 * log (SPEC §6), so no entry index or proof is given. */
	int compartment;
};
/* Fill f->done from the request's state and scope, the disclosure's
 * manifest (NULL: no disclosure) counted over the customer's accounts. */
void notice_facts_done(struct notice_facts *f, const char *manifest_json);
/* The subject and the plain-text body (UTF-8, '\n' line ends); the caller
 * frees both. */
char *notice_subject(const struct notice_facts *f);
char *notice_text(const struct notice_facts *f);

#endif
