/*
 * notice.c - NDOs, notice delivery and the scheduler pass (app/notice.h).
 */
#include "app/notice.h"
#include "app/auth.h"
#include "core/access/auth.h"
#include "app/portal.h"
#include "core/ledger/journal.h"
#include "log/signer.h"
#include "app/witness.h"
#include "base/err.h"
#include "base/util.h"
#include "core/workflow/reminder.h"

/* --- nondisclosure orders ------------------------------------------------ */

enum ndo_step { NDO_ADD, NDO_EXTEND, NDO_LIFT };

struct ndo_job {
	enum ndo_step step;
	int64_t request_id;
	const struct ndo *nd;
	int64_t expires_at;
	const char *reason;
};

static int ndo_body(struct session *s, void *ctx)
{
	struct ndo_job *j = ctx;
	struct actor who = session_actor(s);
	switch (j->step) {
	case NDO_ADD:
		return ndo_add(s->st, &who, j->request_id, j->nd, NULL);
	case NDO_EXTEND:
		return ndo_extend(s->st, &who, j->request_id, j->expires_at);
	case NDO_LIFT:
		return ndo_lift(s->st, &who, j->request_id, j->reason);
	}
	return err_set(E_INTERNAL, "unknown NDO step %d", (int)j->step);
}

static int ndo_run(struct session *s, struct ndo_job *j, const char *what)
{
	int rc = session_require(s, ROLE_BIT(ROLE_INTAKE), what);
	return rc < 0 ? rc : app_unit(s, ndo_body, j);
}

int app_ndo_add(struct session *s, int64_t request_id, const struct ndo *nd)
{
	struct ndo_job j = {.step = NDO_ADD, .request_id = request_id, .nd = nd};
	return ndo_run(s, &j, "record nondisclosure orders");
}

int app_ndo_extend(struct session *s, int64_t request_id, int64_t expires_at)
{
	struct ndo_job j = {
	    .step = NDO_EXTEND, .request_id = request_id, .expires_at = expires_at};
	return ndo_run(s, &j, "extend nondisclosure orders");
}

int app_ndo_lift(struct session *s, int64_t request_id, const char *reason)
{
	struct ndo_job j = {.step = NDO_LIFT, .request_id = request_id, .reason = reason};
	return ndo_run(s, &j, "lift nondisclosure orders");
}

int app_ndo_each(struct session *s, int64_t request_id, store_ndo_cb cb, void *ctx)
{
	return store_ndo_each(s->st, request_id, cb, ctx);
}

int app_ndo_list_json(struct session *s, int64_t request_id, json_t **out)
{
	*out = ndo_list_json(s->st, request_id, s->now);
	return *out ? 0 : err_last() ? -(int)err_last() : -E_STORAGE;
}

/* --- delivery ------------------------------------------------------------- */

struct claim_job {
	const struct notice_mailer *m;
	int64_t id;
	struct notice_job job;
};

static int claim_body(struct session *s, void *ctx)
{
	struct claim_job *c = ctx;
	struct actor who = session_actor(s);
	notice_job_release(&c->job); /* a retry claims afresh */
	return notice_claim(s->st, &who, c->m, c->id, &c->job);
}

struct finish_job {
	const struct notice_job *job;
	int delivered;
	const char *error;
	long status;
	int sent;
};

static int finish_body(struct session *s, void *ctx)
{
	struct finish_job *f = ctx;
	struct actor who = session_actor(s);
	f->sent = 0;
	return notice_finish(s->st, &who, f->job, f->delivered, f->error, f->status,
			     &f->sent);
}

/* The delivery receipts beside the database (mail_receipt_*). */
static char *receipts_dir(const struct session *s)
{
	return xasprintf("%s.deliveries", s->db);
}

/* Claim, deliver and record one notice; -E_NOTFOUND when none is due. */
static int deliver_one(struct session *s, const struct notice_mailer *m, int64_t id,
		       struct delivery_stats *stats)
{
	struct claim_job c = {.m = m, .id = id};
	char error[512] = "";
	int rc = app_unit(s, claim_body, &c);
	if (rc < 0) {
		notice_job_release(&c.job);
		return rc;
	}
	if (!c.job.to) {
		stats->failed++;
	} else {
		/* no transaction is open while the message travels */
		struct finish_job f = {.job = &c.job};
		f.delivered = notice_deliver(m, &c.job, &f.status);
		if (f.delivered < 0)
			str_copy(error, sizeof(error), err_msg());
		f.error = error;
		/* delivered: a durable receipt before recording it, so that a
		 * crash or a failed commit now does not send it again (the next
		 * tick records it from the receipt: notice_release_due) */
		char *receipts = receipts_dir(s);
		if (f.delivered == 0)
			mail_receipt_write(receipts, c.job.claim, s->now);
		rc = app_unit(s, finish_body, &f);
		if (rc == 0 && f.delivered == 0)
			mail_receipt_remove(receipts, c.job.claim);
		free(receipts);
		if (rc == 0 && f.sent)
			stats->sent++;
		else if (rc == 0)
			stats->failed++;
	}
	notice_job_release(&c.job);
	return rc;
}

static int deliver_with(struct session *s, const struct notice_mailer *m, int64_t only_id,
			struct delivery_stats *stats)
{
	for (;;) {
		int rc = deliver_one(s, m, only_id, stats);
		if (rc == -E_NOTFOUND && !only_id)
			return 0;
		if (rc < 0 || only_id)
			return rc;
	}
}

int app_notice_deliver_due(struct session *s, int64_t only_id,
			   struct delivery_stats *stats)
{
	struct notice_mailer m;
	int rc;
	/* the origin the notices cite is loaded with the signer */
	if (!s->origin && (rc = store_setting_get(s->st, "log.origin", &s->origin)) < 0)
		return rc;
	if ((rc = notice_mailer_load(s->st, s->db, s->origin, &m)) < 0)
		return rc;
	if (m.missing) {
		/* SPEC §5: not sent until the provider is named; left pending */
		str_copy(stats->held, sizeof(stats->held), m.missing);
		notice_mailer_release(&m);
		return 0;
	}
	rc = deliver_with(s, &m, only_id, stats);
	notice_mailer_release(&m);
	return rc;
}

struct resend_job {
	int64_t id;
	const char *reason;
};

static int resend_body(struct session *s, void *ctx)
{
	struct resend_job *r = ctx;
	struct actor who = session_actor(s);
	return notice_resend(s->st, &who, r->id, r->reason);
}

int app_notice_resend(struct session *s, int64_t id, const char *reason)
{
	struct resend_job r = {id, reason};
	struct delivery_stats stats = {0};
	int rc;
	if ((rc = session_require(s, ROLE_BIT(ROLE_COMPLIANCE), "resend notices")) < 0 ||
	    (rc = app_unit(s, resend_body, &r)) < 0)
		return rc;
	return app_notice_deliver_due(s, id, &stats);
}

int app_notice_get(struct session *s, int64_t id, struct notice *out)
{
	return notice_get(s->st, id, out);
}

int app_notice_each(struct session *s, const struct notice_filter *f, store_notice_cb cb,
		    void *ctx)
{
	return store_notice_each(s->st, f, cb, ctx);
}

/* --- the scheduler pass ---------------------------------------------------- */

static int claim_held(void *ctx, const struct notice_record *n)
{
	return str_eq(n->claim, ctx) ? 1 : 0;
}

static int log_sealed(void *ctx, const char *user)
{
	struct session *s = ctx;
	return app_log(s, "user.mfa_sealed",
		       app_cred_refs(s, user, json_pack("{s:s}", "user", user)), NULL);
}

static int due_body(struct session *s, void *ctx)
{
	struct tick_stats *t = ctx;
	struct staff by = session_staff(s);
	int rc;
	t->holds_expired = t->released = t->recovered = t->reviews = 0;
	t->reminders_near = t->reminders_missed = t->mfa_sealed = 0;
	if ((rc = hold_expire_due(s->st, &by, &t->holds_expired)) < 0 ||
	    (rc = notice_release_due(s->st, &by.who, t->receipts, &t->released,
				     &t->recovered)) < 0 ||
	    (rc = ndo_remind_due(s->st, &by.who, &t->reviews)) < 0)
		return rc;
	if ((rc = reminder_raise_due(s->st, &by.who, &t->reminders_near, &t->reminders_missed)) < 0)
		return rc;
	/* TOTP secrets an older docket stored in the clear are sealed under
	 * the MFA key (core/access/auth.h), each change logged */
	if ((rc = auth_mfa_seal_clear(s->st, log_sealed, s, &t->mfa_sealed)) < 0)
		return rc;
	/* SPEC §6: at every pass, changed or not, the main log commits to the
	 * national-security compartment's latest checkpoint */
	return journal_commit_ns(s->st, s->ns_signer, signer_name(s->ns_signer), s->user,
				 s->now);
}

struct sweep {
	struct session *s;
	const char *dir;
};

/* A receipt whose claim no notice holds any more was recorded: remove it. */
static int sweep_one(void *ctx, const char *claim)
{
	struct sweep *w = ctx;
	struct notice_filter f;
	int held = 0;
	notice_filter_init(&f);
	f.state = notice_state_str(NS_SENDING);
	if (store_notice_each(w->s->st, &f, claim_held, (void *)claim) == 1)
		held = 1;
	if (!held)
		mail_receipt_remove(w->dir, claim);
	return 0;
}

int app_tick(struct session *s, struct tick_stats *stats)
{
	int rc;
	char *receipts = receipts_dir(s);
	*stats = (struct tick_stats){0};
	int held = 0;
	stats->receipts = receipts;
	if ((rc = session_require(s, ROLE_BIT(ROLE_ADMIN), "run the scheduler")) < 0 ||
	    (rc = store_scheduler_lock(s->st, &held)) < 0) {
		free(receipts);
		stats->receipts = NULL;
		return rc;
	}
	if (!held) {
		free(receipts);
		stats->receipts = NULL;
		stats->elsewhere = 1;
		return 0;
	}
	if ((rc = app_unit(s, due_body, stats)) == 0) {
		struct sweep w = {s, receipts};
		mail_receipt_each(receipts, sweep_one, &w);
	}
	free(receipts);
	stats->receipts = NULL;
	if (rc == 0 && (rc = app_notice_deliver_due(s, 0, &stats->delivery)) == 0 &&
	    (rc = app_portal_mail_due(s, &stats->status_mails)) == 0)
		/* last, outside any unit of work: the newest checkpoint to the
		 * witnesses (the network is never waited on under the write
		 * lock) */
		rc = app_witness_offer_due(s, NULL, NULL, &stats->witness);
	store_scheduler_unlock(s->st);
	return rc;
}

json_t *app_tick_json(const struct tick_stats *s)
{
	json_t *j = json_pack("{s:b, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:s?}",
			 "elsewhere", s->elsewhere, "holds_expired", s->holds_expired,
			 "notices_released", s->released, "notices_recovered", s->recovered,
			 "notices_sent", s->delivery.sent, "notices_failed", s->delivery.failed,
			 "ndo_reviews_due", s->reviews, "witnesses_cosigned", s->witness.cosigned,
			 "witnesses_failed", s->witness.failed, "reminders_near",
			 s->reminders_near, "reminders_missed", s->reminders_missed,
			 "notices_held", s->delivery.held[0] ? s->delivery.held : NULL);
	json_object_set_new(j, "status_mails", json_integer(s->status_mails));
	json_object_set_new(j, "mfa_sealed", json_integer(s->mfa_sealed));
	return j;
}
