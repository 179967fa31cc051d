/*
 * notice.h - customer notices, nondisclosure orders and the scheduler pass
 * in the application layer (SPEC §5; core/notice/notice.h, core/notice/ndo.h).
 *
 * NDO changes need ROLE_INTAKE, resending a notice ROLE_COMPLIANCE, the
 * scheduler pass ROLE_ADMIN; reading needs any role.
 */
#ifndef DOCKET_APP_NOTICE_H
#define DOCKET_APP_NOTICE_H

#include <stdint.h>

#include <jansson.h>

#include "app/app.h"
#include "core/notice/ndo.h"
#include "core/notice/notice.h"
#include "app/witness.h"

/* --- nondisclosure orders ------------------------------------------------ */

/* Each runs one unit of work: the change, its log entry, the re-planned
 * notices (core/notice/ndo.h says what is refused). */
int app_ndo_add(struct session *s, int64_t request_id, const struct ndo *nd);
int app_ndo_extend(struct session *s, int64_t request_id, int64_t expires_at);
int app_ndo_lift(struct session *s, int64_t request_id, const char *reason);
/* The NDOs of a request (0: of every request), in id order. */
int app_ndo_each(struct session *s, int64_t request_id, store_ndo_cb cb, void *ctx);
/* The same as a JSON array with flags at the session's clock. */
int app_ndo_list_json(struct session *s, int64_t request_id, json_t **out);

/* --- notices ------------------------------------------------------------- */

struct delivery_stats {
	int sent, failed;
	/* Nothing delivered because provider_name (not the placeholder) or
	 * smtp_from is not set (SPEC §5): which, and how to set it; "" when
	 * delivery ran.  The notices stay pending. */
	char held[320];
};

/* Deliver every notice due by the clock (only_id 0), or just notice
 * only_id, each in three steps: claim it in a unit of work, deliver it
 * with no transaction open, record the outcome in another unit of work -
 * so two runs at once deliver each notice once.  A failed delivery is
 * counted in *stats, not returned: only a storage error stops the run. */
int app_notice_deliver_due(struct session *s, int64_t only_id,
			   struct delivery_stats *stats);
/* Resend notice id now (failed: retried with the same Message-ID; sent:
 * sent again as a new message), logged with the reason, then delivered. */
int app_notice_resend(struct session *s, int64_t id, const char *reason);
/* Notice id; release *out with notice_release(). */
int app_notice_get(struct session *s, int64_t id, struct notice *out);
/* Notices matching f in id order. */
int app_notice_each(struct session *s, const struct notice_filter *f, store_notice_cb cb,
		    void *ctx);

/* --- the scheduler pass (docket tick) ------------------------------------ */

struct tick_stats {
	int holds_expired; /* requests whose holds expired */
	int released;	   /* delayed notices now due */
	int recovered;	   /* deliveries a dead process left claimed */
	int reviews;	   /* NSL gag reviews raised (US-NSL) */
	int reminders_near;   /* deadline reminders raised: near */
	int reminders_missed; /* and missed (core/workflow/reminder.h) */
	struct delivery_stats delivery;
	struct witness_stats witness; /* the checkpoint offered to witnesses */
	int status_mails;  /* officers mailed a change of their request's state */
	int mfa_sealed;    /* TOTP secrets found in the clear and sealed */
	int elsewhere;	   /* another process was running the pass: nothing done */
	const char *receipts;	      /* internal: the delivery receipts folder */
};
/* Everything the clock makes due: one unit of work expires holds,
 * releases notices, recovers abandoned claims, raises NSL reviews and
 * deadline reminders (core/workflow/reminder.h) and seals TOTP secrets an
 * older docket stored in the clear (core/access/auth.h); then every due notice is
 * delivered (app_notice_deliver_due); last, outside any unit of work, the
 * newest checkpoint is offered to every witness that has not cosigned it
 * (core/ledger/witness.h).  The pass runs in one process at a time
 * (store_scheduler_lock): when another holds it, stats->elsewhere is set
 * and nothing is done.  Safe to run twice at once regardless. */
int app_tick(struct session *s, struct tick_stats *stats);
/* What a pass did, as `tick --json` prints it. */
json_t *app_tick_json(const struct tick_stats *s);

#endif
