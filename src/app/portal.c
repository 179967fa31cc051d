/*
 * portal.c - the agency portal and the customer portal (app/portal.h).
 *
 * The officer's side: registration at a verified domain, requests of its
 * own agency, withdrawal, extension, production.  Staff's side:
 * suspensions, the registration attempts, verification failures.  The
 * customer's side (my.c would be its own file were it larger): sign-in
 * links and the requests whose notice was sent, with the notice's
 * inclusion proof.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "app/auth.h"
#include "app/journal.h"
#include "app/portal.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/digest.h"
#include "base/err.h"
#include "base/util.h"
#include "core/access/portal.h"
#include "core/config.h"
#include "core/ledger/event.h"
#include "core/ledger/journal.h"
#include "core/notice/notice.h"
#include "log/merkle.h"
#include "mail/mail.h"
#include "model/normalize.h"

#define R_OFFICER ROLE_BIT(ROLE_OFFICER)
#define R_CUSTOMER ROLE_BIT(ROLE_CUSTOMER)
#define REASON_MAX 1000

/* --- small helpers ------------------------------------------------------------ */

/* What the log records of a value it must not show (an address, a name):
 * its SHA-256 tag, which core/ledger/replay.c compares the table with. */
static json_t *tag_of(const char *value)
{
	char tag[DIGEST_TAG_LEN];
	digest_tag(value, strlen(value), tag);
	return json_string(tag);
}

static json_t *time_of(int64_t t)
{
	char at[TS_BUFSZ];
	time_format(t, at);
	return json_string(at);
}

/* email in normal form (trimmed, lower case) into out; E_INVALID when it
 * is not an address docket sends to. */
static int email_norm(const char *email, char out[PORTAL_EMAIL_MAX + 1])
{
	if (!email || strlen(email) > PORTAL_EMAIL_MAX ||
	    normalize_email(email, out, PORTAL_EMAIL_MAX + 1) < 0 || !mail_addr_ok(out))
		return err_set(E_INVALID, "field 'email': not an e-mail address");
	return 0;
}

static int reason_ok(const char *reason)
{
	if (!reason || !*reason)
		return err_set(E_INVALID, "field 'reason': required");
	if (strlen(reason) > REASON_MAX)
		return err_set(E_INVALID, "field 'reason': longer than %d bytes",
			       REASON_MAX);
	return 0;
}

/* The user name of a customer's contact: not the address itself, which is
 * personal data and would otherwise stand in log entries and access lines. */
static void contact_user(const char *email, char out[32])
{
	char hex[65];
	digest_hex(email, strlen(email), hex);
	snprintf(out, 32, "my-%.24s", hex);
}

/* Mail one message (after its unit of work, never inside one): SMTP when
 * configured, else the outbox as NAME.eml.  A failure is logged (never the
 * address) and returned. */
static int portal_mail(struct session *s, const char *name, int64_t id, const char *to,
		       const char *subject, const char *body)
{
	struct notice_mailer m;
	struct buf msg;
	int rc;
	if ((rc = notice_mailer_load(s->st, s->db,
				     s->origin ? s->origin : "docket.invalid", &m)) < 0)
		return rc;
	char host[MAIL_HOST_MAX], mid[MAIL_ID_MAX + 64];
	mail_origin_host(m.origin, host);
	snprintf(mid, sizeof(mid), "<%s-%lld@%s>", name, (long long)id, host);
	struct mail_message mm = {.from = m.from,
				  .from_name = m.from_name,
				  .to = to,
				  .subject = subject,
				  .message_id = mid,
				  .date = s->now,
				  .body = body};
	buf_init(&msg, MAIL_MAX_MESSAGE);
	rc = mail_format(&mm, &msg);
	if (rc == 0) {
		if (m.transport.smtp_url) {
			rc = mail_smtp_send(&m.transport, m.from, to, msg.ptr, msg.len,
					    NULL);
		} else {
			char file[96];
			snprintf(file, sizeof(file), "%s-%lld.eml", name, (long long)id);
			rc = mail_outbox_write(m.outbox_dir, file, msg.ptr, msg.len);
		}
	}
	sodium_memzero(msg.ptr, msg.len);
	buf_release(&msg);
	notice_mailer_release(&m);
	return rc;
}

struct mailfail_job {
	const char *what;
	int64_t id;
	const char *why;
};

static int mailfail_body(struct session *s, void *ctx)
{
	struct mailfail_job *j = ctx;
	return app_log(s, "portal.mail_failed",
		       json_pack("{s:s, s:I, s:s}", "mail", j->what, "link",
				 (json_int_t)j->id, "error", j->why),
		       NULL);
}

/* Mail a link; a failure is logged (without the address) and is not the
 * caller's error (the answer is the same whatever happened: ask again). */
static void mail_link(struct session *s, const char *what, int64_t id, const char *to,
		      const char *subject, const char *body)
{
	int rc = portal_mail(s, what, id, to, subject, body);
	if (rc < 0) {
		/* the class of the failure only: a mail server's answer may
		 * quote the address, which stays out of the log */
		struct mailfail_job j = {what, id, err_name(err_from_rc(rc))};
		err_clear();
		app_unit(s, mailfail_body, &j);
		err_clear();
	}
}

/* --- accounts --------------------------------------------------------------- */

int app_portal_active(struct store *st, const char *user, unsigned roles)
{
	struct portal_account a;
	int64_t at = 0;
	int rc;
	if (!(roles & R_OFFICER))
		return 0;
	if ((rc = store_portal_account_get(st, user, &a)) < 0)
		return rc == -E_NOTFOUND
			   ? err_set(E_UNAUTHENTICATED, "no officer '%s'", user)
			   : rc;
	if (a.suspended_at)
		return err_set(E_UNAUTHENTICATED, "officer '%s' is suspended", user);
	if ((rc = store_agency_suspended(st, a.agency_id, &at)) < 0)
		return rc;
	if (at)
		return err_set(E_UNAUTHENTICATED,
			       "the agency of officer '%s' is suspended", user);
	return 0;
}

/* s's officer account, in force (else E_FORBIDDEN). */
static int officer_of(struct session *s, struct portal_account *a, const char *what)
{
	int rc = session_require(s, R_OFFICER, what);
	if (rc < 0)
		return rc;
	if ((rc = app_portal_active(s->st, s->user, s->roles)) < 0) {
		if (rc == -E_UNAUTHENTICATED)
			return err_set(E_FORBIDDEN, "%s", err_msg());
		return rc;
	}
	return store_portal_account_get(s->st, s->user, a);
}

/* --- registration ------------------------------------------------------------- */

struct agencies {
	struct agency *v;
	size_t n, cap;
};

static int agency_row(void *ctx, const struct agency *a)
{
	struct agencies *l = ctx;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	/* a deep copy through the canonical JSON */
	json_t *j = agency_to_json(a);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	int rc = agency_parse(text, strlen(text), &l->v[l->n]);
	free(text);
	if (rc == 0)
		l->n++;
	return rc;
}

static void agencies_release(struct agencies *l)
{
	for (size_t i = 0; i < l->n; i++)
		agency_release(&l->v[i]);
	free(l->v);
}

struct reg_job {
	const char *email, *domain, *remote;
	enum portal_verdict verdict;
	const char *agency, *imitates;
	int existing;
	char *secret;
	int64_t link_id;
};

static int register_body(struct session *s, void *ctx)
{
	struct reg_job *j = ctx;
	unsigned roles;
	int rc;
	j->link_id = 0;
	j->existing = 0;
	const char *verdict = portal_verdict_str(j->verdict);
	if (j->verdict == PORTAL_VERIFIED) {
		rc = store_user_roles(s->st, j->email, &roles);
		if (rc < 0 && rc != -E_NOTFOUND)
			return rc;
		if (rc == 0) {
			err_clear();
			j->existing = 1; /* registered already: no second account */
			verdict = "registered";
		} else {
			int64_t at = 0;
			err_clear();
			if ((rc = store_agency_suspended(s->st, j->agency, &at)) < 0)
				return rc;
			if (at) {
				j->existing =
				    1; /* no new officer of a suspended agency */
				verdict = "agency_suspended";
			}
		}
	}
	struct portal_registration r = {.email = j->email,
					.domain = j->domain,
					.verdict = verdict,
					.agency_id = j->agency,
					.imitates = j->imitates,
					.remote = j->remote,
					.at = s->now};
	int64_t reg_id;
	if ((rc = store_portal_registration_add(s->st, &r, &reg_id)) < 0)
		return rc;
	json_t *f = json_pack("{s:I, s:s, s:s, s:o, s:o}", "registration", (json_int_t)reg_id,
			      "domain", j->domain, "verdict", verdict, "email",
			      tag_of(j->email), "remote", tag_of(j->remote ? j->remote : "-"));
	if (j->agency)
		json_object_set_new(f, "agency", json_string(j->agency));
	if (j->imitates)
		json_object_set_new(f, "imitates", json_string(j->imitates));
	if (j->verdict != PORTAL_VERIFIED || j->existing)
		return app_log(s, "agency.registration_refused", f, NULL);
	char hash[65];
	auth_secret_hash(j->secret, hash);
	struct portal_link l = {.created_at = s->now,
				.expires_at = s->now + PORTAL_LINK_TTL};
	str_copy(l.purpose, sizeof(l.purpose), "register");
	str_copy(l.email, sizeof(l.email), j->email);
	str_copy(l.agency_id, sizeof(l.agency_id), j->agency);
	if ((rc = store_portal_link_add(s->st, hash, &l, &j->link_id)) < 0) {
		json_decref(f);
		return rc;
	}
	json_object_set_new(f, "link", json_integer(j->link_id));
	json_object_set_new(f, "hash", json_string(hash));
	json_object_set_new(f, "expires_at", time_of(l.expires_at));
	return app_log(s, "agency.registration_link", f, NULL);
}

int app_agency_register_start(struct session *s, const char *email, const char *remote,
			      const char *base_url)
{
	char norm[PORTAL_EMAIL_MAX + 1], domain[PORTAL_EMAIL_MAX + 1];
	struct agencies l = {0};
	int rc;
	if ((rc = email_norm(email, norm)) < 0)
		return rc;
	if (portal_email_domain(norm, domain, sizeof(domain)) < 0)
		return err_set(E_INVALID, "field 'email': not an e-mail address");
	if ((rc = store_agency_each(s->st, NULL, agency_row, &l)) < 0) {
		agencies_release(&l);
		return rc;
	}
	const struct agency *ag;
	const char *imitates;
	char secret[AUTH_SECRET_LEN];
	auth_secret_new("", secret);
	struct reg_job j = {
	    .email = norm, .domain = domain, .remote = remote, .secret = secret};
	j.verdict = portal_domain_verdict(domain, l.v, l.n, &ag, &imitates);
	j.agency = ag ? ag->id : NULL;
	j.imitates = imitates;
	char agency_name[PORTAL_NAME_MAX + 1] = "";
	if (ag)
		str_copy(agency_name, sizeof(agency_name), ag->name);
	rc = app_unit(s, register_body, &j);
	agencies_release(&l);
	if (rc == 0 && j.link_id) {
		char *body = xasprintf(
		    "Someone, probably you, asked to register %s as an officer of\n"
		    "%s at the agency portal.\n\n"
		    "To set your password and your authenticator, open this link within\n"
		    "30 minutes.  It works once:\n\n"
		    "%s/agency/register?token=%s\n\n"
		    "If you did not ask for this, ignore this message: no account is "
		    "made.\n",
		    norm, agency_name, base_url, secret);
		mail_link(s, "register", j.link_id, norm,
			  "Your registration at the agency portal", body);
		sodium_memzero(body, strlen(body));
		free(body);
	}
	sodium_memzero(secret, sizeof(secret));
	return rc;
}

/* The link of token for purpose, unused and alive (E_UNAUTHENTICATED
 * otherwise: one message for every way it can fail). */
static int link_find(struct session *s, const char *token, const char *purpose,
		     struct portal_link *l)
{
	char hash[65];
	if (!token || !*token || strlen(token) >= AUTH_SECRET_LEN)
		return err_set(E_UNAUTHENTICATED,
			       "this link is unknown, used or expired: ask "
			       "for a new one");
	auth_secret_hash(token, hash);
	int rc = store_portal_link_find(s->st, hash, l);
	if (rc < 0 && rc != -E_NOTFOUND)
		return rc;
	if (rc == -E_NOTFOUND || strcmp(l->purpose, purpose) != 0 || l->used_at ||
	    s->now >= l->expires_at)
		return err_set(E_UNAUTHENTICATED,
			       "this link is unknown, used or expired: ask "
			       "for a new one");
	return 0;
}

static int link_use(struct session *s, const struct portal_link *l)
{
	int used = 0;
	int rc = store_portal_link_use(s->st, l->id, s->now, &used);
	if (rc == 0 && !used)
		rc = err_set(E_UNAUTHENTICATED,
			     "this link is unknown, used or expired: ask for "
			     "a new one");
	return rc;
}

struct finish_job {
	const char *token, *name, *password;
	char *uri;
};

static int finish_body(struct session *s, void *ctx)
{
	struct finish_job *j = ctx;
	struct portal_link l;
	unsigned roles;
	int rc;
	if (j->uri) {
		sodium_memzero(j->uri, strlen(j->uri));
		free(j->uri);
		j->uri = NULL;
	}
	if ((rc = link_find(s, j->token, "register", &l)) < 0 ||
	    (rc = link_use(s, &l)) < 0)
		return rc;
	rc = store_user_roles(s->st, l.email, &roles);
	if (rc == 0)
		return err_set(E_REFUSED, "'%s' is registered already", l.email);
	if (rc != -E_NOTFOUND)
		return rc;
	err_clear();
	int64_t at = 0;
	if ((rc = store_agency_suspended(s->st, l.agency_id, &at)) < 0)
		return rc;
	if (at)
		return err_set(E_FORBIDDEN, "agency '%s' is suspended", l.agency_id);
	struct portal_account a = {.created_at = s->now};
	str_copy(a.name, sizeof(a.name), l.email);
	str_copy(a.kind, sizeof(a.kind), "officer");
	str_copy(a.agency_id, sizeof(a.agency_id), l.agency_id);
	str_copy(a.display_name, sizeof(a.display_name), j->name);
	if ((rc = store_user_add(s->st, l.email, R_OFFICER)) < 0 ||
	    (rc = store_portal_account_add(s->st, &a)) < 0 ||
	    (rc = auth_password_set(s->st, l.email, j->password, s->now)) < 0 ||
	    (rc = auth_mfa_enrol(s->st, l.email, s->origin ? s->origin : "docket",
				 &j->uri)) < 0)
		return rc;
	/* the user, its password and its second factor as the log records
	 * every user's (core/ledger/replay.c), then the officer */
	if ((rc = app_log(s, "user.add",
			  json_pack("{s:s, s:s}", "user", l.email, "roles", "officer"), NULL)) <
		    0 ||
	    (rc = app_log(s, "user.passwd",
			  app_cred_refs(s, l.email, json_pack("{s:s}", "user", l.email)), NULL)) <
		    0 ||
	    (rc = app_log(s, "user.mfa",
			  app_cred_refs(s, l.email, json_pack("{s:s}", "user", l.email)), NULL)) <
		    0)
		return rc;
	return app_log(s, "agency.officer_registered",
		       json_pack("{s:s, s:s, s:o, s:s, s:I}", "officer", l.email, "name",
				 j->name, "display_name", tag_of(j->name), "agency",
				 l.agency_id, "link", (json_int_t)l.id),
		       NULL);
}

static int name_ok(const char *name)
{
	if (!name || !*name)
		return err_set(E_INVALID, "field 'name': required");
	if (strlen(name) > PORTAL_NAME_MAX)
		return err_set(E_INVALID, "field 'name': longer than %d bytes",
			       PORTAL_NAME_MAX);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return err_set(E_INVALID,
				       "field 'name': contains a control character");
	return 0;
}

int app_agency_register_finish(struct session *s, const char *token, const char *name,
			       const char *password, char **totp_uri)
{
	struct finish_job j = {.token = token, .name = name, .password = password};
	int rc;
	*totp_uri = NULL;
	if ((rc = name_ok(name)) < 0)
		return rc;
	if (!password || strlen(password) < AUTH_PASSWORD_MIN ||
	    strlen(password) > AUTH_PASSWORD_MAX)
		return err_set(E_INVALID, "field 'password': %d to %d characters",
			       AUTH_PASSWORD_MIN, AUTH_PASSWORD_MAX);
	rc = app_unit(s, finish_body, &j);
	if (rc == 0) {
		*totp_uri = j.uri;
	} else if (j.uri) {
		sodium_memzero(j.uri, strlen(j.uri));
		free(j.uri);
	}
	return rc;
}

/* --- an officer's requests ------------------------------------------------------- */

struct portal_submit {
	const char *officer, *agency;
	struct request *r;
};

static int submit_after(struct session *s, void *ctx)
{
	struct portal_submit *p = ctx;
	int rc = store_portal_request_add(s->st, p->r->id, p->officer, p->agency, s->now);
	return rc < 0
		   ? rc
		   : app_log(s, "agency.request_submitted",
			     json_pack("{s:I, s:s, s:s, s:s}", "request", (json_int_t)p->r->id,
				       "state", state_str(p->r->state),
				       "officer", p->officer, "agency", p->agency),
			     NULL);
}

int app_agency_request_add(struct session *s, const char *doc, size_t len,
			   struct app_upload *docs, size_t n_docs, int64_t *id)
{
	struct portal_account a;
	json_error_t jerr;
	int rc;
	*id = 0;
	if ((rc = officer_of(s, &a, "submit requests through the agency portal")) < 0)
		return rc;
	json_t *j = json_loadb(doc, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!j || !json_is_object(j)) {
		json_decref(j);
		return err_set(E_BAD_JSON, "the request is not a JSON object: %s",
			       jerr.text);
	}
	json_t *ag = json_object_get(j, "agency");
	if (ag &&
	    (!json_is_string(ag) || strcmp(json_string_value(ag), a.agency_id) != 0)) {
		json_decref(j);
		return err_set(E_INVALID,
			       "field 'agency': an officer submits for its own agency "
			       "'%s' only",
			       a.agency_id);
	}
	if (json_object_get(j, "requester")) {
		json_decref(j);
		return err_set(E_INVALID,
			       "field 'requester': the portal names the signed-in "
			       "officer; leave it out");
	}
	json_t *ch = json_object_get(j, "channel");
	if (ch && (!json_is_string(ch) || strcmp(json_string_value(ch), "portal") != 0)) {
		json_decref(j);
		return err_set(E_INVALID,
			       "field 'channel': a request from the portal has the "
			       "channel 'portal'");
	}
	json_object_set_new(j, "agency", json_string(a.agency_id));
	json_object_set_new(j, "channel", json_string("portal"));
	json_object_set_new(
	    j, "requester",
	    json_pack("{s:s, s:s}", "name", a.display_name, "email", a.name));
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	struct request r = {0};
	rc = request_parse(text, strlen(text), REQUEST_NEW, s->now, &r);
	free(text);
	if (rc < 0)
		return rc;
	if (r.kind == KIND_EMERGENCY || r.process == PROC_EMERGENCY) {
		if (!r.has_emergency || !r.emergency_supervisor.name ||
		    !*r.emergency_supervisor.name)
			rc = err_set(E_INVALID,
				     "field 'emergency.supervisor.name': an emergency "
				     "request needs the supervisor's name");
		else if (!r.emergency_supervisor.phone || !*r.emergency_supervisor.phone)
			rc = err_set(E_INVALID,
				     "field 'emergency.supervisor.phone': an emergency "
				     "request needs the supervisor's phone");
	}
	if (rc == 0) {
		struct portal_submit p = {a.name, a.agency_id, &r};
		rc = app_request_intake(s, &r, docs, n_docs, submit_after, &p);
	}
	if (rc == 0)
		*id = r.id;
	request_release(&r);
	return rc;
}

/* A request's outcome as the staff API spells it: null until it has one. */
static json_t *outcome_json(enum outcome o)
{
	return o == OUT_NONE ? json_null() : json_string(outcome_str(o));
}

static int agency_list_row(void *ctx, const struct request *r)
{
	char at[TS_BUFSZ];
	time_format(r->received_at.t, at);
	json_array_insert_new(
	    ctx, 0,
	    json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:s}", "id", (json_int_t)r->id,
		      "ref", r->ref, "state", state_str(r->state), "outcome",
		      outcome_json(r->outcome), "kind", kind_str(r->kind), "process",
		      process_str(r->process), "received_at", at));
	return 0;
}

int app_agency_requests_json(struct session *s, json_t **out)
{
	struct portal_account a;
	struct request_filter f;
	int rc;
	*out = NULL;
	if ((rc = officer_of(s, &a, "list the agency's requests")) < 0)
		return rc;
	request_filter_init(&f);
	f.agency = a.agency_id;
	json_t *list = json_array();
	if ((rc = store_request_each(s->st, &f, agency_list_row, list)) < 0) {
		json_decref(list);
		return rc;
	}
	*out = json_pack("{s:s, s:o}", "agency", a.agency_id, "requests", list);
	return 0;
}

/* Request id, if it is the agency's (E_NOTFOUND otherwise: another
 * agency's request does not exist for this officer). */
static int agency_request(struct session *s, const struct portal_account *a, int64_t id,
			  struct request *r)
{
	int rc = store_request_get(s->st, id, r, NULL);
	if (rc == 0 && (!r->agency || strcmp(r->agency, a->agency_id) != 0)) {
		request_release(r);
		rc = -E_NOTFOUND;
	}
	if (rc == -E_NOTFOUND)
		return err_set(E_NOTFOUND, "no request %lld of agency '%s'",
			       (long long)id, a->agency_id);
	return rc;
}

static int letter_row(void *ctx, const struct letter_row *l)
{
	if (strcmp(l->state, "sent") != 0)
		return 0;
	char at[TS_BUFSZ];
	time_format(l->sent_at, at);
	json_array_append_new(ctx, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id",
					     (json_int_t)l->id, "kind", l->kind,
					     "subject", l->subject, "text", l->body,
					     "sha256", l->sha256, "sent_at", at));
	return 0;
}

struct disc {
	int found;
	int64_t created_at;
	char sha256[65];
	char file[256];
	uint64_t size;
};

static int disc_row(void *ctx, const struct disclosure_record *d)
{
	struct disc *x = ctx;
	x->found = 1;
	x->created_at = d->created_at;
	x->size = d->size;
	str_copy(x->sha256, sizeof(x->sha256), d->sha256);
	str_copy(x->file, sizeof(x->file), d->file_name);
	return 0;
}

static int production_days(struct session *s, int64_t *days)
{
	*days = PORTAL_PRODUCTION_DAYS;
	return config_get_int(s->st, "production_link_days", days);
}

static int history_row(void *ctx, const struct history_entry *h)
{
	char at[TS_BUFSZ];
	time_format(h->at, at);
	json_array_append_new(
	    ctx, json_pack("{s:s, s:s, s:s}", "at", at, "event", h->event, "state",
			   h->to_state >= 0 ? state_str(h->to_state) : ""));
	return 0;
}

int app_agency_request_json(struct session *s, int64_t id, json_t **out)
{
	struct portal_account a;
	struct request r = {0};
	struct disc d = {0};
	int64_t days;
	int rc;
	char officer[PORTAL_EMAIL_MAX + 1] = "";
	*out = NULL;
	if ((rc = officer_of(s, &a, "read the agency's requests")) < 0 ||
	    (rc = agency_request(s, &a, id, &r)) < 0)
		return rc;
	json_t *letters = json_array(), *hist = json_array();
	char at[TS_BUFSZ];
	time_format(r.received_at.t, at);
	if ((rc = store_letter_each(s->st, id, letter_row, letters)) < 0 ||
	    (rc = store_history_each(s->st, id, history_row, hist)) < 0 ||
	    (rc = store_disclosure_each(s->st, id, disc_row, &d)) < 0 ||
	    (rc = production_days(s, &days)) < 0) {
		json_decref(letters);
		json_decref(hist);
		request_release(&r);
		return rc;
	}
	rc = store_portal_request_get(s->st, id, officer);
	if (rc == -E_NOTFOUND) {
		err_clear();
		rc = 0;
	}
	if (rc < 0) {
		json_decref(letters);
		json_decref(hist);
		request_release(&r);
		return rc;
	}
	json_t *cats = json_array();
	for (int c = 0; c < category__COUNT; c++)
		if (r.categories & CAT_BIT(c))
			json_array_append_new(cats, json_string(category_str(c)));
	json_t *j = json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:o, s:o}", "id",
			      (json_int_t)r.id, "ref", r.ref, "state", state_str(r.state),
			      "outcome", outcome_json(r.outcome), "kind", kind_str(r.kind),
			      "process", process_str(r.process), "received_at", at,
			      "categories", cats, "letters", letters, "history", hist);
	if (officer[0])
		json_object_set_new(j, "submitted_by", json_string(officer));
	json_object_set_new(j, "production", json_null()); /* none until a disclosure */
	if (d.found) {
		char exp[TS_BUFSZ];
		int64_t expires = d.created_at + days * 86400;
		time_format(expires, exp);
		json_object_set_new(j, "production",
				    json_pack("{s:s, s:s, s:I, s:b}", "sha256", d.sha256,
					      "expires_at", exp, "size",
					      (json_int_t)d.size, "available",
					      s->now < expires));
	}
	request_release(&r);
	*out = j;
	return 0;
}

int app_agency_withdraw(struct session *s, int64_t id, const char *reason)
{
	struct portal_account a;
	struct request r = {0};
	int rc;
	if ((rc = officer_of(s, &a, "withdraw the agency's requests")) < 0 ||
	    (rc = reason_ok(reason)) < 0 || (rc = agency_request(s, &a, id, &r)) < 0)
		return rc;
	request_release(&r);
	return app_request_withdraw(s, id, reason);
}

struct ext_job {
	int64_t id;
	const char *reason;
};

static int extension_body(struct session *s, void *ctx)
{
	struct ext_job *j = ctx;
	struct request r = {0};
	struct actor who = session_actor(s);
	int rc = store_request_get(s->st, j->id, &r, NULL);
	if (rc < 0)
		return rc;
	if (r.state != ST_PRESERVED) {
		rc = err_set(E_REFUSED,
			     "request %lld is %s: only a preserved request's hold "
			     "can be extended",
			     (long long)j->id, state_str(r.state));
	} else {
		rc = event_transition(s->st, &who, j->id, "extension_asked", r.state,
				      r.state, j->reason, NULL, NULL);
	}
	request_release(&r);
	return rc;
}

int app_agency_extension(struct session *s, int64_t id, const char *reason)
{
	struct portal_account a;
	struct request r = {0};
	struct ext_job j = {id, reason};
	int rc;
	if ((rc = officer_of(s, &a, "ask for preservation extensions")) < 0 ||
	    (rc = reason_ok(reason)) < 0 || (rc = agency_request(s, &a, id, &r)) < 0)
		return rc;
	request_release(&r);
	return app_unit(s, extension_body, &j);
}

struct dl_job {
	int64_t id;
	const char *sha256;
};

static int download_body(struct session *s, void *ctx)
{
	struct dl_job *j = ctx;
	return app_log(s, "agency.production_download",
		       json_pack("{s:I, s:s, s:s}", "request", (json_int_t)j->id,
				 "sha256", j->sha256, "officer", s->user),
		       NULL);
}

int app_agency_production(struct session *s, int64_t id, const char *dir,
			  struct package_ref *out, int *fd)
{
	struct portal_account a;
	struct request r = {0};
	struct disc d = {0};
	struct stat sb;
	int64_t days;
	int rc;
	char file[256] = "";
	memset(out, 0, sizeof(*out));
	*fd = -1;
	if ((rc = officer_of(s, &a, "download productions")) < 0 ||
	    (rc = agency_request(s, &a, id, &r)) < 0)
		return rc;
	request_release(&r);
	if ((rc = store_disclosure_each(s->st, id, disc_row, &d)) < 0 ||
	    (rc = production_days(s, &days)) < 0)
		return rc;
	if (!d.found)
		return err_set(E_NOTFOUND, "request %lld has no production",
			       (long long)id);
	if (s->now >= d.created_at + days * 86400)
		return err_set(E_GONE,
			       "the production link of request %lld expired: ask the "
			       "provider for it again",
			       (long long)id);
	/* the package as the disclosure named it, in the server's folder */
	if (!d.file[0] || strchr(d.file, '/') || d.file[0] == '.')
		return err_set(E_NOTFOUND, "request %lld has no production",
			       (long long)id);
	str_copy(file, sizeof(file), d.file);
	char *path = xasprintf("%s/%s", dir, file);
	int f = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	free(path);
	if (f < 0)
		return err_set(E_NOTFOUND,
			       "the production of request %lld is not on this server",
			       (long long)id);
	if (fstat(f, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(f);
		return err_set(E_IO, "cannot read the production of request %lld",
			       (long long)id);
	}
	struct dl_job j = {id, d.sha256};
	if ((rc = app_unit(s, download_body, &j)) < 0) {
		close(f);
		return rc;
	}
	str_copy(out->file_name, sizeof(out->file_name), file);
	str_copy(out->sha256, sizeof(out->sha256), d.sha256);
	out->size = (uint64_t)sb.st_size;
	*fd = f;
	return 0;
}

/* --- status mails ---------------------------------------------------------------------
 */

struct change {
	int64_t id;
	char officer[PORTAL_EMAIL_MAX + 1];
	char ref[160];
	char state[24];
};

struct changes {
	struct change *v;
	size_t n;
};

static int change_row(void *ctx, int64_t id, const char *officer, const char *ref,
		      const char *state)
{
	struct changes *c = ctx;
	struct change *x = &c->v[c->n++];
	x->id = id;
	str_copy(x->officer, sizeof(x->officer), officer);
	str_copy(x->ref, sizeof(x->ref), ref);
	str_copy(x->state, sizeof(x->state), state);
	return 0;
}

struct mailed_job {
	const struct change *c;
	int sent;
};

static int mailed_body(struct session *s, void *ctx)
{
	struct mailed_job *j = ctx;
	int rc = store_portal_request_mailed(s->st, j->c->id, j->c->state);
	return rc < 0
		   ? rc
		   : app_log(
			 s, j->sent ? "agency.status_mail" : "agency.status_mail_skipped",
			 json_pack("{s:I, s:s, s:s}", "request", (json_int_t)j->c->id,
				   "officer", j->c->officer, "state", j->c->state),
			 NULL);
}

#define STATUS_MAILS_PER_PASS 100

int app_portal_mail_due(struct session *s, int *sent)
{
	struct change v[STATUS_MAILS_PER_PASS];
	struct changes c = {v, 0};
	int rc;
	*sent = 0;
	if ((rc = session_require(s, ROLE_BIT(ROLE_ADMIN), "mail officers")) < 0 ||
	    (rc = store_portal_request_changed(s->st, STATUS_MAILS_PER_PASS, change_row,
					       &c)) < 0)
		return rc;
	for (size_t i = 0; i < c.n; i++) {
		struct mailed_job j = {&v[i], 0};
		/* a suspended officer's mailbox may be another's now */
		if (app_portal_active(s->st, v[i].officer, R_OFFICER) == 0) {
			char *subject =
			    xasprintf("Your request %s is now %s", v[i].ref, v[i].state);
			char *body = xasprintf(
			    "The state of your request %s at the provider is now: %s.\n\n"
			    "Sign in to the agency portal to see its history, the "
			    "provider's\n"
			    "letters and, once approved, the production.\n",
			    v[i].ref, v[i].state);
			char name[48];
			snprintf(name, sizeof(name), "status-%s", v[i].state);
			rc = portal_mail(s, name, v[i].id, v[i].officer, subject, body);
			free(subject);
			free(body);
			if (rc < 0)
				return rc; /* the next pass tries again (same Message-ID)
					    */
			j.sent = 1;
		}
		err_clear();
		if ((rc = app_unit(s, mailed_body, &j)) < 0)
			return rc;
		*sent += j.sent;
	}
	return 0;
}

/* --- staff ------------------------------------------------------------------------ */

struct suspend_job {
	const char *who;
	int suspend;
	const char *reason;
};

static int officer_suspend_body(struct session *s, void *ctx)
{
	struct suspend_job *j = ctx;
	int rc = store_portal_account_suspend(s->st, j->who, j->suspend ? s->now : 0,
					      s->user, j->reason);
	if (rc == 0 && j->suspend)
		rc = store_session_revoke_user(s->st, j->who, s->now);
	return rc < 0 ? rc
		      : app_log(s,
				j->suspend ? "agency.officer_suspended"
					   : "agency.officer_reinstated",
				json_pack("{s:s, s:s}", "officer", j->who, "reason",
					  j->reason),
				NULL);
}

int app_officer_suspend(struct session *s, const char *officer, int suspend,
			const char *reason)
{
	struct portal_account a;
	struct suspend_job j = {officer, suspend, reason};
	int rc;
	if ((rc = session_require(s, ROLE_BIT(ROLE_ADMIN), "suspend officers")) < 0 ||
	    (rc = reason_ok(reason)) < 0)
		return rc;
	rc = officer ? store_portal_account_get(s->st, officer, &a) : -E_NOTFOUND;
	if (rc == -E_NOTFOUND || (rc == 0 && strcmp(a.kind, "officer") != 0))
		return err_set(E_NOTFOUND, "no officer '%s'", officer ? officer : "");
	if (rc < 0)
		return rc;
	if (suspend && a.suspended_at)
		return err_set(E_REFUSED, "officer '%s' is suspended already", officer);
	if (!suspend && !a.suspended_at)
		return err_set(E_REFUSED, "officer '%s' is not suspended", officer);
	return app_unit(s, officer_suspend_body, &j);
}

static int agency_suspend_body(struct session *s, void *ctx)
{
	struct suspend_job *j = ctx;
	int rc = store_agency_suspend(s->st, j->who, j->suspend ? s->now : 0, s->user,
				      j->reason);
	return rc < 0 ? rc
		      : app_log(s, j->suspend ? "agency.suspended" : "agency.reinstated",
				json_pack("{s:s, s:s}", "agency", j->who, "reason",
					  j->reason),
				NULL);
}

int app_agency_suspend(struct session *s, const char *agency, int suspend,
		       const char *reason)
{
	struct agency ag;
	struct suspend_job j = {agency, suspend, reason};
	int rc;
	if ((rc = session_require(s, ROLE_BIT(ROLE_ADMIN), "suspend agencies")) < 0 ||
	    (rc = reason_ok(reason)) < 0)
		return rc;
	if (!agency || (rc = store_agency_get(s->st, agency, &ag)) == -E_NOTFOUND)
		return err_set(E_NOTFOUND, "no agency '%s'", agency ? agency : "");
	if (rc < 0)
		return rc;
	agency_release(&ag);
	return app_unit(s, agency_suspend_body, &j);
}

static int officer_json_row(void *ctx, const struct portal_account *a)
{
	json_t *o =
	    json_pack("{s:s, s:s, s:s, s:b}", "officer", a->name, "name", a->display_name,
		      "agency", a->agency_id, "suspended", a->suspended_at != 0);
	json_array_append_new(ctx, o);
	return 0;
}

static int registration_json_row(void *ctx, const struct portal_registration *r)
{
	char at[TS_BUFSZ];
	time_format(r->at, at);
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)r->id,
			      "email", r->email, "domain", r->domain, "verdict",
			      r->verdict, "remote", r->remote, "at", at);
	if (*r->agency_id)
		json_object_set_new(o, "agency", json_string(r->agency_id));
	if (*r->imitates)
		json_object_set_new(o, "imitates", json_string(r->imitates));
	json_array_append_new(ctx, o);
	return 0;
}

static int suspended_row(void *ctx, const struct agency *a)
{
	struct session *s = ((void **)ctx)[0];
	int64_t at = 0;
	int rc = store_agency_suspended(s->st, a->id, &at);
	if (rc == 0 && at)
		json_array_append_new(((void **)ctx)[1], json_string(a->id));
	return rc;
}

int app_portal_overview_json(struct session *s, json_t **out)
{
	int rc;
	*out = NULL;
	if ((rc = session_require(s, 0, "see the agency portal's officers")) < 0)
		return rc;
	json_t *off = json_array(), *reg = json_array(), *sus = json_array();
	void *ctx[2] = {s, sus};
	if ((rc = store_portal_account_each(s->st, NULL, officer_json_row, off)) < 0 ||
	    (rc = store_portal_registration_each(s->st, 200, registration_json_row,
						 reg)) < 0 ||
	    (rc = store_agency_each(s->st, NULL, suspended_row, ctx)) < 0) {
		json_decref(off);
		json_decref(reg);
		json_decref(sus);
		return rc;
	}
	*out = json_pack("{s:o, s:o, s:o}", "officers", off, "registrations", reg,
			 "suspended_agencies", sus);
	return 0;
}

struct vf_job {
	int64_t id;
	const char *reason;
};

static int vfail_body(struct session *s, void *ctx)
{
	struct vf_job *j = ctx;
	struct request r = {0};
	char officer[PORTAL_EMAIL_MAX + 1] = "";
	uint64_t idx;
	int rc = store_request_get(s->st, j->id, &r, NULL);
	if (rc < 0)
		return rc;
	if (!r.agency) {
		request_release(&r);
		return err_set(E_REFUSED, "request %lld names no agency",
			       (long long)j->id);
	}
	rc = store_portal_request_get(s->st, j->id, officer);
	if (rc == -E_NOTFOUND) {
		err_clear();
		rc = 0;
	}
	if (rc == 0) {
		json_t *f = json_pack("{s:I, s:s, s:s}", "request", (json_int_t)j->id,
				      "agency", r.agency, "reason", j->reason);
		if (officer[0])
			json_object_set_new(f, "officer", json_string(officer));
		if ((rc = app_log(s, "agency.verification_failed", f, &idx)) == 0)
			rc = store_verification_failure_add(
			    s->st, j->id, officer[0] ? officer : NULL, r.agency,
			    j->reason, s->now, s->user, idx);
	}
	request_release(&r);
	return rc;
}

int app_verification_failure(struct session *s, int64_t id, const char *reason)
{
	struct vf_job j = {id, reason};
	int rc;
	if ((rc = session_require(s, ROLE_BIT(ROLE_REVIEWER),
				  "record verification failures")) < 0 ||
	    (rc = reason_ok(reason)) < 0)
		return rc;
	return app_unit(s, vfail_body, &j);
}

int app_request_sender_json(struct session *s, int64_t id, json_t **out)
{
	struct request r = {0};
	struct portal_account a;
	char officer[PORTAL_EMAIL_MAX + 1] = "";
	int64_t by_officer = 0, by_agency = 0, at = 0;
	int rc;
	*out = NULL;
	if ((rc = session_require(s, 0, "see who sent a request")) < 0 ||
	    (rc = store_request_get(s->st, id, &r, NULL)) < 0)
		return rc;
	rc = store_portal_request_get(s->st, id, officer);
	if (rc == -E_NOTFOUND) {
		err_clear();
		rc = 0;
	}
	json_t *j = json_pack("{s:s}", "channel",
			      officer[0] ? "portal" : (r.channel ? r.channel : ""));
	if (rc == 0 && r.agency)
		rc = store_verification_failure_count(s->st, officer[0] ? officer : NULL,
						      r.agency, &by_officer, &by_agency);
	if (rc == 0 && r.agency)
		rc = store_agency_suspended(s->st, r.agency, &at);
	if (rc == 0 && officer[0] &&
	    (rc = store_portal_account_get(s->st, officer, &a)) == 0) {
		json_object_set_new(j, "officer", json_string(officer));
		json_object_set_new(j, "officer_name", json_string(a.display_name));
		json_object_set_new(j, "officer_suspended",
				    json_boolean(a.suspended_at != 0));
	}
	if (r.agency) {
		json_object_set_new(j, "agency", json_string(r.agency));
		json_object_set_new(j, "agency_suspended", json_boolean(at != 0));
	}
	json_object_set_new(j, "failures",
			    json_pack("{s:I, s:I}", "officer", (json_int_t)by_officer,
				      "agency", (json_int_t)by_agency));
	request_release(&r);
	if (rc < 0) {
		json_decref(j);
		return rc;
	}
	*out = j;
	return 0;
}

/* --- the customer portal ------------------------------------------------------------ */

/* The customers whose contact address is email. */
struct contact {
	const char *email;
	struct customer *v;
	size_t n, cap;
	int enterprise;
};

static int contact_row(void *ctx, const struct customer *c)
{
	struct contact *k = ctx;
	char norm[PORTAL_EMAIL_MAX + 1];
	if (!c->contact_email ||
	    normalize_email(c->contact_email, norm, sizeof(norm)) < 0 ||
	    strcmp(norm, k->email) != 0)
		return 0;
	if (k->n == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 4;
		k->v = xrealloc(k->v, k->cap * sizeof(*k->v));
	}
	json_t *j = customer_to_json(c);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	int rc = customer_parse(text, strlen(text), &k->v[k->n]);
	free(text);
	if (rc == 0) {
		if (k->v[k->n].type == CUST_ENTERPRISE)
			k->enterprise = 1;
		k->n++;
	}
	return rc;
}

static void contact_release(struct contact *k)
{
	for (size_t i = 0; i < k->n; i++)
		customer_release(&k->v[i]);
	free(k->v);
	memset(k, 0, sizeof(*k));
}

static int contact_load(struct store *st, const char *email, struct contact *k)
{
	memset(k, 0, sizeof(*k));
	k->email = email;
	return store_customer_each(st, NULL, contact_row, k);
}

struct my_link_job {
	const char *email;
	char *secret;
	int64_t link_id;
};

static int my_link_body(struct session *s, void *ctx)
{
	struct my_link_job *j = ctx;
	char hash[65];
	auth_secret_hash(j->secret, hash);
	struct portal_link l = {.created_at = s->now,
				.expires_at = s->now + PORTAL_LINK_TTL};
	str_copy(l.purpose, sizeof(l.purpose), "customer");
	str_copy(l.email, sizeof(l.email), j->email);
	int rc = store_portal_link_add(s->st, hash, &l, &j->link_id);
	char user[32];
	contact_user(j->email, user);
	return rc < 0 ? rc
		      : app_log(s, "customer.link",
				json_pack("{s:I, s:s, s:s, s:o, s:o}", "link",
					  (json_int_t)j->link_id, "contact", user, "hash", hash,
					  "email", tag_of(j->email), "expires_at",
					  time_of(l.expires_at)),
				NULL);
}

int app_my_link(struct session *s, const char *email, const char *base_url)
{
	char norm[PORTAL_EMAIL_MAX + 1];
	struct contact k;
	int rc;
	if ((rc = email_norm(email, norm)) < 0)
		return rc;
	if ((rc = contact_load(s->st, norm, &k)) < 0) {
		contact_release(&k);
		return rc;
	}
	size_t n = k.n;
	contact_release(&k);
	if (n == 0)
		return 0; /* the same answer: nothing tells an unknown address */
	char secret[AUTH_SECRET_LEN];
	auth_secret_new("", secret);
	struct my_link_job j = {norm, secret, 0};
	rc = app_unit(s, my_link_body, &j);
	if (rc == 0) {
		char *body = xasprintf(
		    "Someone, probably you, asked to sign in to the customer portal,\n"
		    "where you can see the government requests about your accounts\n"
		    "that you have been notified of, and check each notice against\n"
		    "the provider's public log.\n\n"
		    "Open this link within 30 minutes.  It works once:\n\n"
		    "%s/my/sign-in?token=%s\n\n"
		    "If you did not ask for this, ignore this message.\n",
		    base_url, secret);
		mail_link(s, "my-link", j.link_id, norm,
			  "Your sign-in link to the customer portal", body);
		sodium_memzero(body, strlen(body));
		free(body);
	}
	sodium_memzero(secret, sizeof(secret));
	return rc;
}

int app_my_link_check(struct session *s, const char *token, int *enterprise,
		      int *enrolled)
{
	struct portal_link l;
	struct contact k;
	struct staff_auth a;
	char user[32];
	int rc;
	*enterprise = *enrolled = 0;
	if ((rc = link_find(s, token, "customer", &l)) < 0)
		return rc;
	if ((rc = contact_load(s->st, l.email, &k)) < 0) {
		contact_release(&k);
		return rc;
	}
	*enterprise = k.enterprise;
	contact_release(&k);
	contact_user(l.email, user);
	if ((rc = store_auth_get(s->st, user, &a)) < 0)
		return rc;
	*enrolled = a.totp_len > 0;
	free(a.password);
	sodium_memzero(&a, sizeof(a));
	return 0;
}

/* The contact's user, made on first use. */
static int contact_account(struct session *s, const char *email, const char *user)
{
	unsigned roles;
	int rc = store_user_roles(s->st, user, &roles);
	if (rc == 0)
		return roles == R_CUSTOMER ? 0
					   : err_set(E_INTERNAL,
						     "user '%s' is not a "
						     "customer's contact",
						     user);
	if (rc != -E_NOTFOUND)
		return rc;
	err_clear();
	struct portal_account a = {.created_at = s->now};
	str_copy(a.name, sizeof(a.name), user);
	str_copy(a.kind, sizeof(a.kind), "customer");
	str_copy(a.display_name, sizeof(a.display_name), email);
	if ((rc = store_user_add(s->st, user, R_CUSTOMER)) < 0 ||
	    (rc = store_portal_account_add(s->st, &a)) < 0)
		return rc;
	if ((rc = app_log(s, "user.add",
			  json_pack("{s:s, s:s}", "user", user, "roles", "customer"), NULL)) < 0)
		return rc;
	return app_log(s, "customer.contact_added",
		       json_pack("{s:s, s:o}", "contact", user, "display_name", tag_of(email)),
		       NULL);
}

struct enrol_job {
	const char *token;
	char *uri;
};

static int enrol_body(struct session *s, void *ctx)
{
	struct enrol_job *j = ctx;
	struct portal_link l;
	struct staff_auth a;
	char user[32];
	int rc;
	if (j->uri) {
		sodium_memzero(j->uri, strlen(j->uri));
		free(j->uri);
		j->uri = NULL;
	}
	if ((rc = link_find(s, j->token, "customer", &l)) < 0)
		return rc;
	contact_user(l.email, user);
	if ((rc = contact_account(s, l.email, user)) < 0 ||
	    (rc = store_auth_get(s->st, user, &a)) < 0)
		return rc;
	int used = a.totp_len > 0 && a.totp_last >= 0;
	free(a.password);
	sodium_memzero(&a, sizeof(a));
	if (used)
		return err_set(E_REFUSED,
			       "an authenticator is set up already: sign in with its "
			       "code");
	if ((rc = auth_mfa_enrol(s->st, user, s->origin ? s->origin : "docket",
				 &j->uri)) < 0)
		return rc;
	return app_log(s, "user.mfa", app_cred_refs(s, user, json_pack("{s:s}", "user", user)),
		       NULL);
}

int app_my_enrol(struct session *s, const char *token, char **uri)
{
	struct enrol_job j = {token, NULL};
	int enterprise, enrolled;
	int rc = app_my_link_check(s, token, &enterprise, &enrolled);
	*uri = NULL;
	if (rc < 0)
		return rc;
	if (!enterprise)
		return err_set(E_REFUSED, "only an enterprise's administrator uses an "
					  "authenticator here");
	rc = app_unit(s, enrol_body, &j);
	if (rc == 0)
		*uri = j.uri;
	else if (j.uri) {
		sodium_memzero(j.uri, strlen(j.uri));
		free(j.uri);
	}
	return rc;
}

struct my_signin_job {
	const char *token, *totp;
	char *cookie, *csrf;
	char user[32];
	int64_t session;
};

static int my_signin_body(struct session *s, void *ctx)
{
	struct my_signin_job *j = ctx;
	struct portal_link l;
	struct contact k;
	int rc;
	if ((rc = link_find(s, j->token, "customer", &l)) < 0)
		return rc;
	if ((rc = contact_load(s->st, l.email, &k)) < 0) {
		contact_release(&k);
		return rc;
	}
	int enterprise = k.enterprise, n = (int)k.n;
	contact_release(&k);
	if (n == 0)
		return err_set(E_UNAUTHENTICATED,
			       "this link is unknown, used or expired: ask "
			       "for a new one");
	contact_user(l.email, j->user);
	if ((rc = contact_account(s, l.email, j->user)) < 0)
		return rc;
	if (enterprise) {
		unsigned roles;
		enum auth_fail why = AUTH_OK;
		if (!j->totp || !*j->totp)
			return err_set(E_UNAUTHENTICATED,
				       "an enterprise's administrator signs in "
				       "with the link and an authenticator "
				       "code");
		if ((rc = auth_check_totp(s->st, j->user, j->totp, s->now, &roles,
					  &why)) < 0)
			return rc;
		if (why != AUTH_OK)
			return err_set(E_UNAUTHENTICATED, "wrong code");
	}
	if ((rc = link_use(s, &l)) < 0 ||
	    (rc = auth_session_new(s->st, j->user, s->now, j->cookie, j->csrf,
				   &j->session)) < 0)
		return rc;
	char hash[65];
	auth_secret_ref(j->cookie, hash);
	/* "portal_link": a portal's link is used up (a staff sign-in link,
	 * "link", is a session of its own) */
	return app_log(s, "auth.signin",
		       json_pack("{s:s, s:I, s:I, s:s}", "user", j->user, "session",
				 (json_int_t)j->session, "portal_link", (json_int_t)l.id, "hash",
				 hash),
		       NULL);
}

int app_my_signin(struct session *s, const char *token, const char *totp,
		  char cookie[AUTH_SECRET_LEN], char csrf[AUTH_SECRET_LEN], char **user)
{
	struct my_signin_job j = {
	    .token = token, .totp = totp, .cookie = cookie, .csrf = csrf};
	*user = NULL;
	int rc = app_unit(s, my_signin_body, &j);
	if (rc < 0) {
		sodium_memzero(cookie, AUTH_SECRET_LEN);
		return rc;
	}
	*user = xstrdup(j.user);
	return 0;
}

/* --- what a customer sees --------------------------------------------------------- */

/* s's contact and customers. */
static int my_contact(struct session *s, struct contact *k,
		      char email[PORTAL_EMAIL_MAX + 1])
{
	struct portal_account a;
	int rc = session_require(s, R_CUSTOMER, "use the customer portal");
	memset(k, 0, sizeof(*k));
	if (rc < 0)
		return rc;
	if ((rc = store_portal_account_get(s->st, s->user, &a)) < 0)
		return rc == -E_NOTFOUND
			   ? err_set(E_FORBIDDEN, "no customer contact '%s'", s->user)
			   : rc;
	str_copy(email, PORTAL_EMAIL_MAX + 1, a.display_name);
	return contact_load(s->st, email, k);
}

struct notice_pick {
	const char *customer;
	int found;
	struct notice_record n;
	char *body;
	char state[16];
};

static int notice_pick_row(void *ctx, const struct notice_record *n)
{
	struct notice_pick *p = ctx;
	if (strcmp(n->customer_id, p->customer) != 0)
		return 0;
	p->found = 1;
	p->n = *n;
	str_copy(p->state, sizeof(p->state), n->state);
	p->n.state = p->state;
	free(p->body);
	p->body = n->body ? xstrdup(n->body) : NULL;
	p->n.body = p->body;
	p->n.customer_id = p->customer;
	p->n.delay_reason = p->n.last_error = p->n.claim = p->n.message_id = NULL;
	return 0;
}

/* Whether customer c may see request r: its notice to c was sent; or c is
 * an enterprise the request was redirected to and no notice to c is held
 * back.  Never national-security process. */
static int visible(struct session *s, const struct request *r, const struct customer *c,
		   struct notice_pick *p, int *ok)
{
	struct notice_filter f;
	*ok = 0;
	if (r->national_security || r->kind == KIND_NATIONAL_SECURITY ||
	    r->process == PROC_NSL || r->process == PROC_FISA_ORDER)
		return 0;
	notice_filter_init(&f);
	f.request_id = r->id;
	p->customer = c->id;
	int rc = store_notice_each(s->st, &f, notice_pick_row, p);
	if (rc < 0)
		return rc;
	if (p->found && strcmp(p->n.state, "sent") == 0) {
		*ok = 1;
		return 0;
	}
	if (c->type != CUST_ENTERPRISE || (p->found && strcmp(p->n.state, "failed") != 0))
		return 0;
	int redirected = r->state == ST_REDIRECTED || r->outcome == OUT_REDIRECTED;
	for (size_t i = 0; i < r->n_targets && !redirected; i++)
		if (r->targets[i].customer_id &&
		    strcmp(r->targets[i].customer_id, c->id) == 0 &&
		    r->targets[i].decision == TD_REDIRECT)
			redirected = 1;
	*ok = redirected;
	return 0;
}

struct manifest {
	char *text;
};

static int manifest_row(void *ctx, const struct disclosure_record *d)
{
	struct manifest *m = ctx;
	free(m->text);
	m->text = d->manifest ? xstrdup(d->manifest) : NULL;
	return 0;
}

/* The customer's view of request r. */
static int my_view(struct session *s, const struct request *r, const struct customer *c,
		   const struct notice_pick *p, json_t **out)
{
	struct manifest m = {0};
	struct agency ag;
	int has_agency = 0;
	int rc = store_disclosure_each(s->st, r->id, manifest_row, &m);
	if (rc < 0)
		return rc;
	if (r->agency && store_agency_get(s->st, r->agency, &ag) == 0)
		has_agency = 1;
	err_clear();
	struct notice_facts f = {.req = r, .cust = c};
	notice_facts_done(&f, m.text);
	free(m.text);
	json_t *cats = json_object();
	for (int i = 0; i < category__COUNT; i++) {
		static const char *const done[] = {
		    "not_asked", "open",       "approved",  "disclosed", "nothing_found",
		    "refused",	 "redirected", "withdrawn", "none",	 "preserved"};
		if (f.done[i].done == ND_NOT_ASKED)
			continue;
		json_t *o = json_pack("{s:s}", "done",
				      (unsigned)f.done[i].done < 10 ? done[f.done[i].done]
								    : "open");
		if (f.done[i].done == ND_DISCLOSED)
			json_object_set_new(o, "items", json_integer(f.done[i].items));
		json_object_set_new(cats, category_str(i), o);
	}
	char at[TS_BUFSZ];
	time_format(r->received_at.t, at);
	json_t *j =
	    json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)r->id,
		      "customer", c->id, "received_at", at, "kind", kind_str(r->kind),
		      "process", process_str(r->process), "state", state_str(r->state),
		      "outcome", outcome_json(r->outcome), "categories", cats);
	json_object_set_new(j, "agency",
			    json_pack("{s:s, s:s}", "name",
				      has_agency ? ag.name : (r->agency ? r->agency : ""),
				      "country", r->country));
	if (has_agency)
		agency_release(&ag);
	if (p->found && strcmp(p->n.state, "sent") == 0) {
		char sent[TS_BUFSZ];
		time_format(p->n.sent_at, sent);
		json_object_set_new(j, "notice",
				    json_pack("{s:I, s:s, s:s, s:I}", "id",
					      (json_int_t)p->n.id, "sent_at", sent,
					      "text", p->n.body ? p->n.body : "",
					      "log_index", (json_int_t)p->n.log_index));
	}
	*out = j;
	return 0;
}

struct my_walk {
	struct session *s;
	const struct customer *c;
	json_t *list;
	int64_t want; /* 0: every request; else only this one */
	json_t *one;
	struct notice_pick pick; /* want: the notice of the one */
};

static int my_request_row(void *ctx, int64_t id)
{
	struct my_walk *w = ctx;
	struct request r = {0};
	struct notice_pick p = {0};
	int ok, rc;
	if (w->want && id != w->want)
		return 0;
	if ((rc = store_request_get(w->s->st, id, &r, NULL)) < 0)
		return rc;
	rc = visible(w->s, &r, w->c, &p, &ok);
	if (rc == 0 && ok) {
		json_t *v;
		if ((rc = my_view(w->s, &r, w->c, &p, &v)) == 0) {
			if (w->want) {
				w->one = v;
				w->pick = p;
				w->pick.n.state = w->pick.state; /* into the copy */
				p.body = NULL;
			} else {
				json_array_append_new(w->list, v);
			}
		}
	}
	free(p.body);
	request_release(&r);
	return rc;
}

int app_my_requests_json(struct session *s, json_t **out)
{
	struct contact k;
	char email[PORTAL_EMAIL_MAX + 1];
	int rc;
	*out = NULL;
	if ((rc = my_contact(s, &k, email)) < 0) {
		contact_release(&k);
		return rc;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < k.n && rc == 0; i++) {
		struct my_walk w = {.s = s, .c = &k.v[i], .list = list};
		rc = store_customer_request_each(s->st, k.v[i].id, my_request_row, &w);
	}
	contact_release(&k);
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	*out = json_pack("{s:o}", "requests", list);
	return 0;
}

struct proof_job {
	int64_t request;
	uint64_t index;
};

static int proof_body(struct session *s, void *ctx)
{
	struct proof_job *j = ctx;
	return app_log(s, "customer.proof_download",
		       json_pack("{s:I, s:I, s:s}", "request", (json_int_t)j->request,
				 "entry", (json_int_t)j->index, "contact", s->user),
		       NULL);
}

static char *b64(const void *p, size_t n)
{
	size_t len = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
	char *out = xmalloc(len);
	sodium_bin2base64(out, len, p, n, sodium_base64_VARIANT_ORIGINAL);
	return out;
}

/* The proof of entry index against the latest checkpoint. */
static int proof_json(struct session *s, uint64_t index, json_t **out)
{
	uint64_t size;
	char *note = NULL;
	struct merkle_proof proof;
	struct buf entry;
	int rc = store_checkpoint_latest(s->st, &size, &note);
	if (rc < 0)
		return rc;
	if (index >= size) {
		free(note);
		return err_set(E_NOTFOUND,
			       "the notice's entry is not in the latest checkpoint yet");
	}
	if ((rc = journal_inclusion_proof(s->st, index, size, &proof)) < 0 ||
	    (rc = app_journal_entry(s, index, &entry)) < 0) {
		free(note);
		return rc;
	}
	json_t *hashes = json_array();
	for (size_t i = 0; i < proof.len; i++) {
		char *h = b64(proof.hash[i], MERKLE_HASH_LEN);
		json_array_append_new(hashes, json_string(h));
		free(h);
	}
	char *e = b64(entry.ptr, entry.len);
	buf_release(&entry);
	*out = json_pack("{s:I, s:I, s:s, s:o, s:s}", "index", (json_int_t)index,
			 "tree_size", (json_int_t)size, "entry", e, "hashes", hashes,
			 "checkpoint", note);
	free(e);
	free(note);
	return 0;
}

int app_my_request_json(struct session *s, int64_t id, int log_download, json_t **out)
{
	struct contact k;
	char email[PORTAL_EMAIL_MAX + 1];
	int rc;
	*out = NULL;
	if ((rc = my_contact(s, &k, email)) < 0) {
		contact_release(&k);
		return rc;
	}
	struct my_walk w = {.s = s, .want = id};
	for (size_t i = 0; i < k.n && rc == 0 && !w.one; i++) {
		w.c = &k.v[i];
		rc = store_customer_request_each(s->st, k.v[i].id, my_request_row, &w);
	}
	contact_release(&k);
	if (rc == 0 && !w.one)
		rc = err_set(E_NOTFOUND, "no request %lld for you", (long long)id);
	if (rc == 0 && w.pick.found && strcmp(w.pick.n.state, "sent") == 0 &&
	    w.pick.n.log_index >= 0) {
		struct proof_job pj = {id, (uint64_t)w.pick.n.log_index};
		json_t *proof = NULL;
		if (log_download)
			rc = app_unit(s, proof_body, &pj);
		if (rc == 0 && (rc = proof_json(s, pj.index, &proof)) == 0)
			json_object_set_new(w.one, "proof", proof);
	}
	free(w.pick.body);
	if (rc < 0) {
		json_decref(w.one);
		return rc;
	}
	*out = w.one;
	return 0;
}
