/*
 * notice.c - customer notices: planning, states, delivery (see notice.h).
 *
 * Every change of a notice goes through notice_move(), which writes the row
 * and appends "notice.<event>" with the old and new state in the same unit
 * of work.  Log entries name the customer and the recipient by hash
 * (journal_ref) and the message by its digest, never in clear.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/clock.h"
#include "base/digest.h"
#include "base/err.h"
#include "base/keys.h"
#include "base/util.h"
#include "core/config.h"
#include "core/ledger/journal.h"
#include "core/notice/ndo.h"
#include "core/notice/notice.h"
#include "core/policy/policy.h"
#include "model/jsonv.h"

#define NOTICE_STATE_NAME(name, str) str,
static const char *const state_names[] = {NOTICE_STATES(NOTICE_STATE_NAME)};

const char *notice_state_str(int s)
{
	return s >= 0 && s < notice_state__COUNT ? state_names[s] : "?";
}

int notice_state_parse(const char *s)
{
	for (int i = 0; s && i < notice_state__COUNT; i++)
		if (strcmp(s, state_names[i]) == 0)
			return i;
	return -1;
}

/* --- planning ------------------------------------------------------------------ */

void notice_plan(const struct notice_basis *b, int64_t now, struct notice_plan *out)
{
	int64_t due = b->received_at;
	const char *reason = NULL;
	if (b->statutory_secrecy) {
		out->state = NS_SUPPRESSED;
		out->due_at = 0;
		out->reason = "statute";
		return;
	}
	if (b->emergency && b->emergency_delay > 0) {
		due += b->emergency_delay;
		reason = "emergency";
	}
	for (size_t i = 0; i < b->n_ndos; i++) {
		const struct ndo_record *n = &b->ndos[i];
		if (n->lifted_at)
			continue;
		if (!n->has_expiry) {
			/* GEN-NDO-INDEFINITE: held until a court or the agency
			 * ends it; never dropped */
			out->state = NS_SUPPRESSED;
			out->due_at = 0;
			out->reason = "ndo_indefinite";
			return;
		}
		if (n->expires_at > due) {
			due = n->expires_at;
			reason = "ndo";
		}
	}
	out->due_at = due;
	out->state = due <= now ? NS_PENDING : NS_DELAYED;
	out->reason = out->state == NS_PENDING ? NULL : reason;
}

int64_t notice_backoff(int attempts)
{
	int64_t d = NOTICE_BACKOFF_FIRST;
	for (int i = 1; i < attempts && d < NOTICE_BACKOFF_MAX; i++)
		d *= 2;
	return d < NOTICE_BACKOFF_MAX ? d : NOTICE_BACKOFF_MAX;
}

/* --- the notice ------------------------------------------------------------- */

static char *dup_opt(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void notice_from_record(const struct notice_record *r, struct notice *n)
{
	int s = notice_state_parse(r->state);
	n->id = r->id;
	n->request_id = r->request_id;
	n->customer_id = xstrdup(r->customer_id);
	n->state = s < 0 ? NS_FAILED : (enum notice_state)s;
	n->reason = dup_opt(r->delay_reason);
	n->due_at = r->due_at;
	n->sent_at = r->sent_at;
	n->next_try_at = r->next_try_at;
	n->claimed_at = r->claimed_at;
	n->created_at = r->created_at;
	n->attempts = r->attempts;
	n->generation = r->generation;
	n->last_error = dup_opt(r->last_error);
	n->claim = dup_opt(r->claim);
	n->message_id = dup_opt(r->message_id);
	n->body = dup_opt(r->body);
	n->log_index = r->log_index;
}

static void to_record(const struct notice *n, struct notice_record *r)
{
	*r = (struct notice_record){
		.id = n->id,
		.request_id = n->request_id,
		.customer_id = n->customer_id,
		.state = notice_state_str(n->state),
		.delay_reason = n->reason,
		.due_at = n->due_at,
		.sent_at = n->sent_at,
		.attempts = n->attempts,
		.next_try_at = n->next_try_at,
		.last_error = n->last_error,
		.claim = n->claim,
		.claimed_at = n->claimed_at,
		.generation = n->generation,
		.message_id = n->message_id,
		.body = n->body,
		.log_index = n->log_index,
		.created_at = n->created_at,
	};
}

void notice_release(struct notice *n)
{
	free(n->customer_id);
	free(n->reason);
	free(n->last_error);
	free(n->claim);
	free(n->message_id);
	free(n->body);
	memset(n, 0, sizeof(*n));
}

static int get_one(void *ctx, const struct notice_record *r)
{
	notice_from_record(r, ctx);
	return 1;
}

int notice_get(struct store *st, int64_t id, struct notice *out)
{
	struct notice_filter f;
	notice_filter_init(&f);
	f.id = id;
	memset(out, 0, sizeof(*out));
	int rc = store_notice_each(st, &f, get_one, out);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(E_NOTFOUND, "no notice %lld", (long long)id);
	return 0;
}

/* A notice list, owned: the walks below collect first and change after. */
struct notice_list {
	struct notice *v;
	size_t n, cap;
};

static int collect(void *ctx, const struct notice_record *r)
{
	struct notice_list *l = ctx;
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
	notice_from_record(r, &l->v[l->n++]);
	return 0;
}

static void list_release(struct notice_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		notice_release(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}


static json_t *opt_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *notice_to_json(const struct notice *n, int full)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:i, s:o, s:o, s:o, s:o, s:i}",
			      "id", (json_int_t)n->id, "request", (json_int_t)n->request_id,
			      "customer", n->customer_id, "state", notice_state_str(n->state),
			      "due_at", jsonv_time_or_null(n->due_at), "sent_at", jsonv_time_or_null(n->sent_at),
			      "attempts", n->attempts, "next_try_at",
			      n->state == NS_FAILED ? jsonv_time_or_null(n->next_try_at) : json_null(),
			      "last_error", opt_str(n->last_error), "reason", opt_str(n->reason),
			      "message_id", opt_str(n->message_id), "resends", n->generation);
	if (o && full)
		json_object_set_new(o, "body", opt_str(n->body));
	return o;
}

static int list_json_row(void *ctx, const struct notice_record *r)
{
	struct notice n;
	notice_from_record(r, &n);
	json_array_append_new(ctx, notice_to_json(&n, 0));
	notice_release(&n);
	return 0;
}

json_t *notice_list_json(struct store *st, int64_t request_id)
{
	struct notice_filter f;
	notice_filter_init(&f);
	f.request_id = request_id;
	json_t *arr = json_array();
	if (store_notice_each(st, &f, list_json_row, arr) < 0) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

/* The one entry point for a change: writes n and logs "notice.<event>" with
 * from -> n->state plus extra (stolen; may be NULL). */
static int notice_move(struct store *st, const struct actor *who, const struct notice *n,
		       enum notice_state from, const char *event, json_t *extra,
		       uint64_t *index)
{
	struct notice_record rec;
	char type[64];
	json_t *ev = extra ? extra : json_object();
	to_record(n, &rec);
	int rc = store_notice_update(st, &rec);
	if (rc < 0) {
		json_decref(ev);
		return rc;
	}
	json_object_set_new(ev, "notice", json_integer(n->id));
	json_object_set_new(ev, "request", json_integer(n->request_id));
	json_object_set_new(ev, "from", json_string(notice_state_str(from)));
	json_object_set_new(ev, "to", json_string(notice_state_str(n->state)));
	/* the notice's facts as this change leaves them (core/ledger/replay.c) */
	json_object_set_new(ev, "due_at", jsonv_time_or_null(n->due_at));
	json_object_set_new(ev, "delay", opt_str(n->reason));
	json_object_set_new(ev, "sent_at", jsonv_time_or_null(n->sent_at));
	json_object_set_new(ev, "generation", json_integer(n->generation));
	snprintf(type, sizeof(type), "notice.%s", event);
	return event_log(st, who, type, ev, index);
}

static void set_str(char **slot, const char *s)
{
	free(*slot);
	*slot = dup_opt(s);
}

/* --- a request's basis for planning --------------------------------------------- */

struct basis {
	struct request req;
	struct ndo_set ndos;
	struct notice_basis b;
};

static void basis_release(struct basis *b)
{
	request_release(&b->req);
	ndo_set_release(&b->ndos);
}

static int basis_load(struct store *st, int64_t request_id, struct basis *out)
{
	int64_t days = 0;
	char *policy = NULL;
	memset(out, 0, sizeof(*out));
	int rc = store_request_get(st, request_id, &out->req, &policy);
	if (rc < 0)
		return rc;
	int secret = policy_has_flag(policy, "statutory_secrecy");
	free(policy);
	if ((rc = ndo_set_load(st, request_id, &out->ndos)) < 0 ||
	    (rc = config_get_int(st, "emergency_notice_delay_days", &days)) < 0) {
		basis_release(out);
		return rc;
	}
	out->b = (struct notice_basis){
		.received_at = out->req.received_at.t,
		.emergency = out->req.kind == KIND_EMERGENCY || out->req.process == PROC_EMERGENCY,
		.emergency_delay = days * DAY_SECONDS,
		.ndos = out->ndos.v,
		.n_ndos = out->ndos.n,
		.statutory_secrecy = secret,
	};
	return 0;
}

/* --- intake -------------------------------------------------------------------- */

static int create_one(struct store *st, const struct actor *who, const struct request *r,
		      const char *customer_id, const struct notice_plan *p)
{
	struct notice_record rec = {
		.request_id = r->id,
		.customer_id = customer_id,
		.state = notice_state_str(p->state),
		.delay_reason = p->reason,
		.due_at = p->due_at,
		.created_at = who->now,
	};
	char ref[JOURNAL_REF_LEN];
	int64_t id;
	int rc = store_notice_add(st, &rec, &id);
	if (rc < 0 || (rc = journal_ref(st, "customer", customer_id, ref)) < 0)
		return rc;
	json_t *ev = json_pack("{s:I, s:I, s:s, s:s, s:o, s:o}", "notice", (json_int_t)id,
			       "request", (json_int_t)r->id, "customer", ref, "state",
			       rec.state, "due_at", jsonv_time_or_null(p->due_at), "reason",
			       opt_str(p->reason));
	return event_log(st, who, "notice.created", ev, NULL);
}

int notice_intake(struct store *st, const struct actor *who, const struct request *r)
{
	struct basis b;
	struct notice_plan p;
	int rc = ndo_record_intake(st, who, r);
	if (rc < 0 || (rc = basis_load(st, r->id, &b)) < 0)
		return rc;
	notice_plan(&b.b, who->now, &p);
	/* I6: every customer the targets resolve to, once */
	for (size_t i = 0; rc == 0 && i < r->n_targets; i++) {
		const char *c = r->targets[i].customer_id;
		int seen = !c;
		for (size_t j = 0; !seen && j < i; j++)
			seen = str_eq(r->targets[j].customer_id, c);
		if (!seen)
			rc = create_one(st, who, r, c, &p);
	}
	basis_release(&b);
	return rc;
}

/* --- re-planning and release ------------------------------------------------------- */

/* Bring one undelivered notice in line with its plan; *released is set
 * when it became pending. */
static int replan_one(struct store *st, const struct actor *who, struct notice *n,
		      const struct notice_basis *b, int *changed, int *released)
{
	struct notice_plan p;
	enum notice_state from = n->state;
	*changed = *released = 0;
	if (from != NS_PENDING && from != NS_DELAYED && from != NS_SUPPRESSED &&
	    from != NS_FAILED)
		return 0;   /* being delivered or delivered: too late to hold */
	notice_plan(b, who->now, &p);
	if (from == NS_FAILED && p.state == NS_PENDING)
		return 0;   /* keeps its retry schedule */
	if (p.state == from && p.due_at == n->due_at && str_eq(p.reason, n->reason))
		return 0;
	n->state = p.state;
	n->due_at = p.due_at;
	set_str(&n->reason, p.reason);
	*changed = 1;
	*released = p.state == NS_PENDING;
	json_t *ev = json_pack("{s:o, s:o}", "due_at", jsonv_time_or_null(p.due_at), "reason",
			       opt_str(p.reason));
	return notice_move(st, who, n, from, *released ? "released" : "held", ev, NULL);
}

static int replan_request(struct store *st, const struct actor *who, int64_t request_id,
			  int64_t only_id, int *changed, int *released)
{
	struct notice_filter f;
	struct notice_list l = {0};
	struct basis b;
	notice_filter_init(&f);
	f.request_id = request_id;
	int rc = basis_load(st, request_id, &b);
	if (rc < 0)
		return rc;
	if ((rc = store_notice_each(st, &f, collect, &l)) < 0)
		goto out;
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		int c, r;
		if (only_id && l.v[i].id != only_id)
			continue;
		rc = replan_one(st, who, &l.v[i], &b.b, &c, &r);
		if (changed)
			*changed += c;
		if (released)
			*released += r;
	}
out:
	list_release(&l);
	basis_release(&b);
	return rc;
}

int notice_replan(struct store *st, const struct actor *who, int64_t request_id,
		  int *changed)
{
	if (changed)
		*changed = 0;
	return replan_request(st, who, request_id, 0, changed, NULL);
}

static int recover_claims(struct store *st, const struct actor *who, const char *receipts,
			  int *recovered)
{
	struct notice_filter f;
	struct notice_list l = {0};
	notice_filter_init(&f);
	f.state = notice_state_str(NS_SENDING);
	f.claimed_before = who->now - NOTICE_CLAIM_LEASE;
	int rc = store_notice_each(st, &f, collect, &l);
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		struct notice *n = &l.v[i];
		int64_t at = 0;
		uint64_t idx = 0;
		if (receipts && n->claim && mail_receipt_read(receipts, n->claim, &at) == 0) {
			/* delivered, but the process died before recording it: the
			 * receipt says so, and the message does not go again */
			n->state = NS_SENT;
			n->sent_at = at ? at : who->now;
			n->next_try_at = 0;
			set_str(&n->claim, NULL);
			set_str(&n->last_error, NULL);
			json_t *ev = json_pack("{s:i, s:s}", "attempt", n->attempts, "recovered",
					       "delivery receipt");
			if ((rc = notice_move(st, who, n, NS_SENDING, "sent", ev, &idx)) == 0) {
				struct notice_record rec;
				n->log_index = (int64_t)idx;
				to_record(n, &rec);
				rc = store_notice_update(st, &rec);
			}
			if (rc == 0)
				(*recovered)++;
			continue;
		}
		n->state = NS_FAILED;
		n->next_try_at = who->now;
		set_str(&n->claim, NULL);
		set_str(&n->last_error, "delivery interrupted: the process sending it stopped "
					"before recording the outcome; retried with the same "
					"Message-ID");
		json_t *ev = json_pack("{s:i}", "attempt", n->attempts);
		if ((rc = notice_move(st, who, n, NS_SENDING, "interrupted", ev, NULL)) == 0)
			(*recovered)++;
	}
	list_release(&l);
	return rc;
}

int notice_release_due(struct store *st, const struct actor *who, const char *receipts,
		       int *released, int *recovered)
{
	struct notice_filter f;
	struct notice_list l = {0};
	*released = *recovered = 0;
	notice_filter_init(&f);
	f.state = notice_state_str(NS_DELAYED);
	f.due_before = who->now;
	int rc = store_notice_each(st, &f, collect, &l);
	for (size_t i = 0; rc == 0 && i < l.n; i++)
		rc = replan_request(st, who, l.v[i].request_id, l.v[i].id, NULL, released);
	list_release(&l);
	return rc == 0 ? recover_claims(st, who, receipts, recovered) : rc;
}

int notice_resend(struct store *st, const struct actor *who, int64_t id, const char *reason)
{
	struct notice n;
	struct basis b;
	struct notice_plan p;
	int rc = notice_get(st, id, &n);
	if (rc < 0)
		return rc;
	enum notice_state from = n.state;
	if (from != NS_SENT && from != NS_FAILED) {
		rc = err_set(E_REFUSED, "notice %lld is %s: only a sent or failed notice can be "
					"resent%s",
			     (long long)id, notice_state_str(from),
			     from == NS_PENDING ? " (it goes out at the next tick)" : "");
		goto out;
	}
	if ((rc = basis_load(st, n.request_id, &b)) < 0)
		goto out;
	notice_plan(&b.b, who->now, &p);
	basis_release(&b);
	if (p.state != NS_PENDING) {
		rc = err_set(E_REFUSED, "notice %lld may not be sent now: a nondisclosure order "
					"on request %lld holds it back",
			     (long long)id, (long long)n.request_id);
		goto out;
	}
	if (from == NS_SENT) {
		/* a new message, deliberately: a new generation, a new Message-ID */
		n.generation++;
		n.state = NS_PENDING;
		n.due_at = who->now;
	} else {
		n.next_try_at = who->now;
	}
	json_t *ev = json_pack("{s:i}", "resends", n.generation);
	if (reason)
		json_object_set_new(ev, "reason", json_string(reason));
	rc = notice_move(st, who, &n, from, "resend", ev, NULL);
out:
	notice_release(&n);
	return rc;
}

/* --- delivery settings ---------------------------------------------------------- */

static int setting(struct store *st, const char *name, char **out)
{
	const struct config_key *k = config_find(name);
	if (!k)
		return err_set(E_INTERNAL, "unknown setting '%s'", name);
	return config_get_value(st, k, out);
}

/* "outbox" beside the database file, or for a PostgreSQL database (which
 * has no file) beside its key directory. */
static char *default_outbox(const char *db_path)
{
	if ((str_has_prefix(db_path, "postgres://") || str_has_prefix(db_path, "postgresql://")) &&
	    keys_dir())
		db_path = keys_dir();
	const char *slash = strrchr(db_path, '/');
	if (!slash)
		return xstrdup("outbox");
	return xasprintf("%.*s/outbox", (int)(slash - db_path), db_path);
}

int notice_mailer_load(struct store *st, const char *db_path, const char *origin,
		       struct notice_mailer *m)
{
	int rc;
	memset(m, 0, sizeof(*m));
	if ((rc = setting(st, "smtp_url", &m->smtp_url)) < 0 ||
	    (rc = setting(st, "smtp_user", &m->smtp_user)) < 0 ||
	    (rc = setting(st, "smtp_password_file", &m->password_file)) < 0 ||
	    (rc = setting(st, "outbox_dir", &m->outbox_dir)) < 0 ||
	    (rc = setting(st, "smtp_from", &m->from)) < 0 ||
	    (rc = setting(st, "legal_contact", &m->legal_contact)) < 0 ||
	    (rc = setting(st, "provider_name", &m->provider)) < 0)
		goto fail;
	if (m->smtp_url && !m->from) {
		rc = err_set(E_INVALID, "setting 'smtp_from' is required when 'smtp_url' is set");
		goto fail;
	}
	if (m->smtp_url && m->smtp_user && !m->password_file) {
		rc = err_set(E_INVALID, "setting 'smtp_password_file' is required when "
					"'smtp_user' is set");
		goto fail;
	}
	{
		/* SPEC §5: no notice under the placeholder name or without a
		 * sender address */
		char *raw = NULL;
		int named = store_setting_get(st, "config.provider_name", &raw) == 0 && raw &&
			    *raw && strcmp(raw, NOTICE_PROVIDER_PLACEHOLDER) != 0;
		free(raw);
		const char *pn = "provider_name (the provider's name; still the shipped "
				 "placeholder '" NOTICE_PROVIDER_PLACEHOLDER "')";
		if (!named && !m->from)
			m->missing = xasprintf("notices are not sent until %s and smtp_from (the "
					       "sender address) are set: docket config set "
					       "provider_name NAME; docket config set smtp_from "
					       "ADDRESS",
					       pn);
		else if (!named)
			m->missing = xasprintf("notices are not sent until %s is set: docket "
					       "config set provider_name NAME",
					       pn);
		else if (!m->from)
			m->missing = xstrdup("notices are not sent until smtp_from (the sender "
					     "address) is set: docket config set smtp_from "
					     "ADDRESS");
	}
	if (!m->outbox_dir)
		m->outbox_dir = default_outbox(db_path);
	if (!m->provider)
		m->provider = xstrdup("the provider");
	m->origin = xstrdup(origin);
	if (!m->from) {
		/* outbox mode without a configured sender: the legal contact,
		 * else a no-reply address on the log's host */
		char host[MAIL_HOST_MAX];
		mail_origin_host(origin, host);
		m->from = m->legal_contact ? xstrdup(m->legal_contact)
					   : xasprintf("notices@%s", host);
	}
	m->from_name = xasprintf("%s legal team", m->provider);
	m->transport = (struct mail_transport){m->smtp_url, m->smtp_user, m->password_file,
					       m->outbox_dir};
	return 0;
fail:
	notice_mailer_release(m);
	return rc;
}

void notice_mailer_release(struct notice_mailer *m)
{
	free(m->smtp_url);
	free(m->smtp_user);
	free(m->password_file);
	free(m->outbox_dir);
	free(m->from);
	free(m->from_name);
	free(m->legal_contact);
	free(m->provider);
	free(m->origin);
	free(m->missing);
	memset(m, 0, sizeof(*m));
}

void notice_job_release(struct notice_job *j)
{
	free(j->to);
	free(j->message_id);
	free(j->file_name);
	if (j->message.ptr)
		buf_release(&j->message);
	memset(j, 0, sizeof(*j));
}

/* --- composing ------------------------------------------------------------------ */

/* From the request's history: the receipt's log entry, whether the
 * requester was verified, and the reason of the latest refusal or
 * narrowing (what the notice gives as the reason for refusing). */
struct history_facts {
	int64_t receipt;
	int verified;
	char *reason;
};

static int find_receipt(void *ctx, const struct history_entry *h)
{
	struct history_facts *x = ctx;
	if (strcmp(h->event, "received") == 0 && x->receipt < 0)
		x->receipt = (int64_t)h->log_index;
	else if (strcmp(h->event, "verify") == 0)
		x->verified = 1;
	else if (strcmp(h->event, "reject") == 0 || strcmp(h->event, "narrow") == 0 ||
		 strcmp(h->event, "challenge_quashed") == 0)
		set_str(&x->reason, h->reason);
	return 0;
}

/* The policy flagged the requester (GEN-REQUESTER): unverified or from a
 * lookalike domain. */
static int requester_flagged(const char *policy_json)
{
	json_t *p = policy_json ? json_loads(policy_json, 0, NULL) : NULL, *v;
	size_t i;
	int flagged = 0;
	json_array_foreach(json_object_get(p, "flags"), i, v)
	{
		const char *f = json_string_value(v);
		if (f && (strcmp(f, "unverified_requester") == 0 ||
			  strcmp(f, "lookalike_domain") == 0))
			flagged = 1;
	}
	json_decref(p);
	return flagged;
}

static int first_manifest(void *ctx, const struct disclosure_record *d)
{
	char **out = ctx;
	if (!*out && d->manifest)
		*out = xstrdup(d->manifest);
	return 0;
}

/* The inclusion proof of entry index in the log as it stands: one base64
 * hash per line, the size and the root. */
static int receipt_proof(struct store *st, uint64_t index, char **proof, uint64_t *size,
			 char **root)
{
	struct merkle_proof p;
	uint8_t r[MERKLE_HASH_LEN];
	int rc = store_log_size(st, size);
	if (rc < 0 || (rc = journal_inclusion_proof(st, index, *size, &p)) < 0)
		return rc;
	if ((rc = journal_root(st, *size, r)) < 0)
		return rc;
	struct buf b;
	buf_init(&b, BUF_UNLIMITED);
	for (size_t i = 0; i < p.len; i++) {
		char *h = note_base64(p.hash[i], MERKLE_HASH_LEN);
		buf_addf(&b, "%s\n", h);
		free(h);
	}
	*proof = buf_detach(&b, NULL);
	*root = note_base64(r, MERKLE_HASH_LEN);
	return 0;
}

/* The NDO the notice was held by: the latest one no longer in force that
 * ended after the request came in. */
static const struct ndo_record *held_by(const struct ndo_set *s, int64_t received,
					int64_t now)
{
	for (size_t i = s->n; i-- > 0;) {
		const struct ndo_record *n = &s->v[i];
		int64_t end = n->lifted_at ? n->lifted_at : n->expires_at;
		if (!ndo_in_force(n, now) && end > received)
			return n;
	}
	return NULL;
}

/* The number a customer quotes and the Message-ID carries: the notice id,
 * or for a notice of national-security process (id in that space, SPEC
 * §6) "NS-" and 12 hex digits of its keyed reference, which says nothing
 * about how many such notices there are. */
static int notice_label(struct store *st, const struct notice *n, char label[32],
			int64_t *msg_num)
{
	if (!STORE_ID_IS_NS(n->id)) {
		snprintf(label, 32, "%lld", (long long)n->id);
		*msg_num = n->id;
		return 0;
	}
	char ref[JOURNAL_REF_LEN], num[32];
	snprintf(num, sizeof(num), "%lld", (long long)n->id);
	int rc = journal_ref(st, "notice", num, ref);
	if (rc < 0)
		return rc;
	snprintf(label, 32, "NS-%.12s", ref + 12);
	*msg_num = strtoll(label + 3, NULL, 16);
	return 0;
}

struct composed {
	struct request req;
	struct customer cust;
	struct agency ag;
	struct ndo_set ndos;
	char *subject, *body;
	char *policy, *manifest, *proof, *root, *reason;
	char label[32];
	int64_t msg_num;
};

static void composed_release(struct composed *c)
{
	request_release(&c->req);
	customer_release(&c->cust);
	agency_release(&c->ag);
	ndo_set_release(&c->ndos);
	free(c->subject);
	free(c->body);
	free(c->policy);
	free(c->manifest);
	free(c->proof);
	free(c->root);
	free(c->reason);
}

static int compose_text(struct store *st, const struct notice_mailer *m,
			const struct notice *n, int64_t now, struct composed *c)
{
	int64_t days = 0;
	struct history_facts hx = {-1, 0, NULL};
	uint64_t proof_size = 0;
	int have_agency = 0, rc;
	memset(c, 0, sizeof(*c));
	rc = store_request_get(st, n->request_id, &c->req, &c->policy);
	if (rc == 0)
		rc = store_history_each(st, n->request_id, find_receipt, &hx);
	c->reason = hx.reason;
	if (rc < 0 || (rc = store_customer_get(st, n->customer_id, &c->cust)) < 0 ||
	    (rc = ndo_set_load(st, n->request_id, &c->ndos)) < 0 ||
	    (rc = store_disclosure_each(st, n->request_id, first_manifest, &c->manifest)) <
		0 ||
	    (rc = config_get_int(st, "emergency_notice_delay_days", &days)) < 0)
		return rc;
	int ns = STORE_ID_IS_NS(n->request_id);
	if ((rc = notice_label(st, n, c->label, &c->msg_num)) < 0)
		return rc;
	if (ns)
		hx.receipt = -1; /* its index and proof would tell the compartment's size */
	if (hx.receipt >= 0 &&
	    (rc = receipt_proof(st, (uint64_t)hx.receipt, &c->proof, &proof_size, &c->root)) <
		0)
		return rc;
	if (c->req.agency) {
		rc = store_agency_get(st, c->req.agency, &c->ag);
		if (rc < 0 && rc != -E_NOTFOUND)
			return rc;
		have_agency = rc == 0;
	}
	int emergency = c->req.kind == KIND_EMERGENCY || c->req.process == PROC_EMERGENCY;
	struct notice_facts f = {
		.provider = m->provider,
		.legal_contact = m->legal_contact ? m->legal_contact : m->from,
		.origin = m->origin,
		.notice_id = n->id,
		.req = &c->req,
		.cust = &c->cust,
		.agency_name = have_agency ? c->ag.name : NULL,
		.agency_country = c->req.country,
		.receipt_index = hx.receipt,
		.ndo = held_by(&c->ndos, c->req.received_at.t, now),
		.emergency_delay_days = emergency ? (int)days : 0,
		.claimed = requester_flagged(c->policy) && !hx.verified,
		.refusal_reason = c->reason,
		.proof = c->proof,
		.proof_size = proof_size,
		.proof_root = c->root,
		.notice_ref = c->label,
		.compartment = ns,
	};
	notice_facts_done(&f, c->manifest);
	c->subject = notice_subject(&f);
	c->body = notice_text(&f);
	return 0;
}

/* Compose n's message into job (to, Message-ID, file name, bytes) and
 * n->body / n->message_id. */
static int compose(struct store *st, const struct notice_mailer *m, struct notice *n,
		   int64_t now, struct notice_job *job)
{
	struct composed c;
	char id[MAIL_ID_MAX];
	int rc = compose_text(st, m, n, now, &c);
	if (rc < 0)
		goto out;
	mail_message_id(m->origin, c.msg_num, n->generation, id);
	struct mail_message msg = {
		.from = m->from,
		.from_name = m->from_name,
		.reply_to = m->legal_contact,
		.to = c.cust.contact_email,
		.subject = c.subject,
		.message_id = id,
		.date = now,
		.body = c.body,
	};
	if ((rc = mail_format(&msg, &job->message)) < 0)
		goto out;
	job->to = xstrdup(c.cust.contact_email);
	job->message_id = xstrdup(id);
	job->file_name = n->generation ? xasprintf("notice-%06lld-r%d.eml", (long long)n->id,
						   n->generation)
				       : xasprintf("notice-%06lld.eml", (long long)n->id);
	set_str(&n->message_id, id);
	set_str(&n->body, c.body);
out:
	composed_release(&c);
	return rc;
}

/* --- claim, deliver, finish --------------------------------------------------------- */

/* The recipient's address in an error message becomes "<recipient>". */
static char *scrub(const char *error, const char *to)
{
	struct buf b;
	const char *p = error, *hit;
	buf_init(&b, BUF_UNLIMITED);
	while (to && *to && (hit = strstr(p, to))) {
		buf_add(&b, p, (size_t)(hit - p));
		buf_adds(&b, "<recipient>");
		p = hit + strlen(to);
	}
	buf_adds(&b, p);
	if (b.len > 400)
		b.ptr[400] = '\0';
	return buf_detach(&b, NULL);
}

/* A notice that cannot even be composed fails visibly, with its reason. */
static int fail_unsendable(struct store *st, const struct actor *who, struct notice *n,
			   const char *why)
{
	enum notice_state from = n->state;
	char *err = scrub(why, NULL);
	n->attempts++;
	n->state = NS_FAILED;
	n->next_try_at = who->now + notice_backoff(n->attempts);
	set_str(&n->last_error, err);
	json_t *ev = json_pack("{s:i, s:s, s:o}", "attempt", n->attempts, "error", err,
			       "next_try_at", jsonv_time_or_null(n->next_try_at));
	free(err);
	return notice_move(st, who, n, from, "failed", ev, NULL);
}

int notice_claim(struct store *st, const struct actor *who, const struct notice_mailer *m,
		 int64_t id, struct notice_job *job)
{
	struct notice n = {0};
	unsigned char token[16];
	int rc;
	memset(job, 0, sizeof(*job));
	if (!id && (rc = store_notice_next_due(st, who->now, &id)) < 0)
		return rc;
	if ((rc = notice_get(st, id, &n)) < 0)
		return rc;
	enum notice_state from = n.state;
	if (from != NS_PENDING && from != NS_FAILED) {
		rc = err_set(E_REFUSED, "notice %lld is %s, not due for delivery", (long long)id,
			     notice_state_str(from));
		goto out;
	}
	job->notice_id = n.id;
	job->request_id = n.request_id;
	buf_init(&job->message, MAIL_MAX_MESSAGE);
	if ((rc = compose(st, m, &n, who->now, job)) < 0) {
		if (err_last() == E_STORAGE || err_last() == E_INTERNAL)
			goto out;
		char why[512];
		str_copy(why, sizeof(why), err_msg());
		free(job->to);
		job->to = NULL;
		rc = fail_unsendable(st, who, &n, why);
		goto out;
	}
	job->via = m->smtp_url ? "smtp" : "outbox";
	randombytes_buf(token, sizeof(token));
	hex_encode(token, sizeof(token), job->claim);
	n.attempts++;
	n.state = NS_SENDING;
	n.claimed_at = who->now;
	set_str(&n.claim, job->claim);
	job->attempt = n.attempts;
	json_t *ev = json_pack("{s:i, s:s}", "attempt", n.attempts, "message_id",
			       job->message_id);
	rc = notice_move(st, who, &n, from, "sending", ev, NULL);
out:
	notice_release(&n);
	return rc;
}

int notice_deliver(const struct notice_mailer *m, const struct notice_job *job,
		   long *smtp_status)
{
	if (smtp_status)
		*smtp_status = 0;
	if (m->smtp_url)
		return mail_smtp_send(&m->transport, m->from, job->to, job->message.ptr,
				      job->message.len, smtp_status);
	return mail_outbox_write(m->outbox_dir, job->file_name, job->message.ptr,
				 job->message.len);
}

int notice_finish(struct store *st, const struct actor *who, const struct notice_job *job,
		  int delivered, const char *error, long smtp_status, int *sent)
{
	struct notice n;
	struct notice_record rec;
	char to_ref[JOURNAL_REF_LEN], msg_ref[DIGEST_TAG_LEN];
	uint64_t idx = 0;
	int rc = notice_get(st, job->notice_id, &n);
	if (rc < 0)
		return rc;
	/* a claim recovered meanwhile belongs to another delivery now */
	int ours = n.state == NS_SENDING && str_eq(n.claim, job->claim);
	enum notice_state from = n.state;
	*sent = delivered == 0;
	json_t *ev = json_pack("{s:i, s:s, s:s}", "attempt", job->attempt, "message_id",
			       job->message_id, "via", job->via);
	if (delivered == 0) {
		if ((rc = journal_ref(st, "email", job->to, to_ref)) < 0) {
			json_decref(ev);
			notice_release(&n);
			return rc;
		}
		digest_tag(job->message.ptr, job->message.len, msg_ref);
		json_object_set_new(ev, "recipient", json_string(to_ref));
		json_object_set_new(ev, "message", json_string(msg_ref));
		n.state = NS_SENT;
		n.sent_at = who->now;
		n.next_try_at = 0;
		set_str(&n.last_error, NULL);
	} else {
		char *err = scrub(error && *error ? error : "delivery failed", job->to);
		json_object_set_new(ev, "error", json_string(err));
		if (smtp_status)
			json_object_set_new(ev, "smtp_status", json_integer(smtp_status));
		n.state = NS_FAILED;
		n.next_try_at = who->now + notice_backoff(n.attempts);
		json_object_set_new(ev, "next_try_at", jsonv_time_or_null(n.next_try_at));
		set_str(&n.last_error, err);
		free(err);
	}
	if (!ours) {
		json_object_set_new(ev, "notice", json_integer(n.id));
		json_object_set_new(ev, "request", json_integer(n.request_id));
		json_object_set_new(ev, "claim_lost", json_true());
		rc = event_log(st, who, delivered == 0 ? "notice.sent" : "notice.failed", ev,
			       NULL);
		goto out;
	}
	set_str(&n.claim, NULL);
	rc = notice_move(st, who, &n, from, delivered == 0 ? "sent" : "failed", ev, &idx);
	if (rc == 0 && delivered == 0) {
		n.log_index = (int64_t)idx;
		to_record(&n, &rec);
		rc = store_notice_update(st, &rec);
	}
out:
	notice_release(&n);
	return rc;
}

/* --- amend and void ------------------------------------------------------------ */

static int targets_customer(const struct request *r, const char *customer_id)
{
	for (size_t i = 0; i < r->n_targets; i++)
		if (str_eq(r->targets[i].customer_id, customer_id))
			return 1;
	return 0;
}

int notice_sync(struct store *st, const struct actor *who, const struct request *r,
		int all, const char *reason)
{
	struct notice_filter f;
	struct notice_list l = {0};
	struct basis b;
	struct notice_plan p;
	notice_filter_init(&f);
	f.request_id = r->id;
	int rc = store_notice_each(st, &f, collect, &l);
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		struct notice *n = &l.v[i];
		enum notice_state from = n->state;
		int wanted = !all && targets_customer(r, n->customer_id);
		if (!wanted && (from == NS_PENDING || from == NS_DELAYED ||
				from == NS_SUPPRESSED || from == NS_FAILED)) {
			n->state = NS_CANCELLED;
			rc = notice_move(st, who, n, from, "cancelled",
					 json_pack("{s:s?}", "reason", reason), NULL);
		} else if (wanted && from == NS_CANCELLED) {
			n->state = NS_PENDING;
			n->due_at = who->now;
			rc = notice_move(st, who, n, from, "restored",
					 json_pack("{s:s?}", "reason", reason), NULL);
		}
	}
	if (rc == 0 && !all && (rc = basis_load(st, r->id, &b)) == 0) {
		notice_plan(&b.b, who->now, &p);
		for (size_t i = 0; rc == 0 && i < r->n_targets; i++) {
			const char *c = r->targets[i].customer_id;
			int seen = !c;
			for (size_t j = 0; !seen && j < i; j++)
				seen = str_eq(r->targets[j].customer_id, c);
			for (size_t k = 0; !seen && k < l.n; k++)
				seen = str_eq(l.v[k].customer_id, c);
			if (!seen)
				rc = create_one(st, who, r, c, &p);
		}
		basis_release(&b);
	}
	list_release(&l);
	if (rc == 0 && !all)
		rc = notice_replan(st, who, r->id, NULL);
	return rc;
}
