/*
 * replay.c - the log replayed against the tables (replay.h).
 *
 * Each covered table is described by its key columns and its fact columns;
 * each event type that sets a fact has a handler that writes the expected
 * row (all its fact columns, as the store's text for them).  The
 * comparison is generic: rows are read as text by store_table_each().
 *
 * Columns that are not compared are listed with the reason next to each
 * table: they are either derived from compared ones, bookkeeping of a
 * delivery in progress, or checked elsewhere.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/digest.h"
#include "base/err.h"
#include "base/util.h"
#include "core/ledger/journal.h"
#include "core/ledger/replay.h"

#define MAX_FACTS 24

enum {
	T_SETTING,
	T_STAFF,
	T_PROPOSAL,
	T_CUSTOMER,
	T_ACCOUNT,
	T_AGENCY,
	T_REQUEST,
	T_TARGET,
	T_APPROVAL,
	T_VERIFICATION,
	T_NDO,
	T_NOTICE,
	T_HOLD,
	T_CHALLENGE,
	T_DEADLINE,
	T_DISCLOSURE,
	T_VAULT_ITEM,
	T_VAULT_IMPORT,
	T_WITNESS,
	T_AUTH,
	T_TOKEN,
	T_SESSION,
	T_PUBLICATION,
	T_DOCUMENT,
	T_LETTER,
	T_PORTAL_ACCOUNT,
	T_AGENCY_SUSPENSION,
	T_PORTAL_LINK,
	T_PORTAL_REGISTRATION,
	T_PORTAL_REQUEST,
	T_VERIFICATION_FAILURE,
	T__COUNT
};

struct table_def {
	const char *name;
	const char *keys;  /* key columns, comma-separated */
	const char *facts; /* compared columns, comma-separated */
};

/* What each table holds; see replay_table_check() for every table.
 *
 * A fact column named "col#" compares the SHA-256 tag of the stored value;
 * "col@" compares journal_ref(<the row's type column>, value); "col@c"
 * compares journal_ref("customer", value); "policy.action" compares the
 * "action" member of the stored policy JSON. */
static const struct table_def defs[T__COUNT] = {
	/* settings: config.* by config.set, log.* by log.init */
	[T_SETTING] = {"setting", "key", "value"},
	/* users: user.add/set/remove/confirm give the resulting row */
	[T_STAFF] = {"staff", "name", "roles,unix_login"},
	/* proposals: user.propose, then user.confirm or user.cancel */
	[T_PROPOSAL] = {"staff_proposal", "id",
			"op,name,roles,unix_login,proposed_by,at,log_index,state,"
			"decided_by,decided_at"},
	/* customer.records: the stored document by hash, the columns policy
	 * and reports read in clear */
	[T_CUSTOMER] = {"customer", "id",
			"doc#,type,country,data_location,us_person,key_custody"},
	/* customer.records: each account by id, its owner and its ref */
	[T_ACCOUNT] = {"account", "id", "customer_id,value@"},
	[T_AGENCY] = {"agency", "id", "doc#,country,type"},
	/* request.received / request.import give the input's facts, the
	 * transitions the state, outcome and closing time, narrowing the
	 * scope (the document and history are audit.c's) */
	[T_REQUEST] = {"request", "id",
		       "ref,agency_id,country,kind,process,categories,n_targets,"
		       "received_at,due_at,created_at,policy.action,scope,supported,"
		       "state,outcome,closed_at,extraordinary,voided_at"},
	/* the targets: ref (type and value) and the account resolved */
	[T_TARGET] = {"request_target", "request_id,seq", "value@,account_id,decision"},
	/* request.sign_off / sign_off_final */
	[T_APPROVAL] = {"approval", "request_id,approver", "at,log_index"},
	/* request.verify (id is a surrogate: the entry is the key) */
	[T_VERIFICATION] = {"verification", "log_index",
			    "request_id,method,callback,person,at,actor"},
	/* ndo.added, ndo.extended, ndo.lifted, ndo.review_due */
	[T_NDO] = {"ndo", "id",
		   "request_id,statute,issued_at,expires_at,lifted_at,lift_reason,"
		   "review_at,reminded_at,created_at"},
	/* notice.created, then every notice.<move>; attempts, retry times,
	 * errors, claims, Message-ID and body are delivery bookkeeping */
	[T_NOTICE] = {"notice", "id",
		      "request_id,customer_id@c,state,delay_reason,due_at,sent_at,"
		      "generation,log_index,created_at"},
	/* request.received (preservation), hold_renew, hold_release,
	 * convert, hold_expire, hold.lapsed */
	[T_HOLD] = {"hold", "id", "request_id,account_id,created_at,expires_at,renewals,state"},
	/* request.challenge, request.challenge_<outcome> */
	[T_CHALLENGE] = {"challenge", "id",
			 "request_id,subject,filed_at,court,grounds,outcome,decided_at"},
	/* request.received deadlines, hold_renew (id is a surrogate) */
	[T_DEADLINE] = {"deadline", "request_id,kind,at", "done"},
	/* disclosure, disclosure.package */
	[T_DISCLOSURE] = {"disclosure", "request_id",
			  "file_name,size,sha256,items,created_at,log_index,package_index,"
			  "manifest#"},
	/* vault.items: metadata and the hash of the stored bytes */
	[T_VAULT_ITEM] = {"vault_item", "id",
			  "account_id,category,kind,created_at,location,sealed,enc,size,data"},
	/* vault.import */
	[T_VAULT_IMPORT] = {"vault_import", "file_sha256", "items,at,log_index"},
	/* witness.add, witness.remove: where checkpoints are offered, the key
	 * their cosignatures are checked with, whether it is in service;
	 * cosigned, claimed and status are the last offer's outcome
	 * (bookkeeping) */
	[T_WITNESS] = {"witness", "name", "url,vkey,added_at,removed_at"},
	/* user.passwd, user.mfa, user.mfa_sealed: the stored password hash and
	 * (sealed) TOTP secret by SHA-256 (totp_last is the replay guard of the
	 * last code accepted) */
	[T_AUTH] = {"staff_auth", "name", "password#,password_at,totp_secret"},
	/* token.add, token.revoke */
	[T_TOKEN] = {"api_token", "id", "hash,user,roles,created_at,expires_at,revoked_at"},
	/* auth.signin, auth.signout (seen_at is when it was last used) */
	[T_SESSION] = {"session", "id", "hash,user,created_at,revoked_at"},
	/* request.document: a request's document by name, hash and size; the
	 * stored bytes by their SHA-256 (media_type is what the upload said) */
	/* report.published: the exact bytes published, by their SHA-256 */
	[T_PUBLICATION] = {"report_publication", "id",
			   "period,format,published_at,published_by,sha256,size,"
			   "checkpoint_size,body"},
	[T_DOCUMENT] = {"request_document", "request_id,sha256",
			"name,size,content,added_at,added_by"},
	/* letter.written, then letter.sent or letter.failed (the text is
	 * named by its SHA-256; the SMTP error is bookkeeping) */
	[T_LETTER] = {"letter", "id",
		      "request_id,kind,to_addr,sha256,state,written_at,written_by,sent_at,"
		      "message_id"},
	/* the portals (docs/portals.md): agency.officer_registered and
	 * customer.contact_added (the name or address by its tag), then
	 * agency.officer_suspended / _reinstated */
	[T_PORTAL_ACCOUNT] = {"portal_account", "name",
			      "kind,agency_id,display_name#,created_at,suspended_at,"
			      "suspended_by,suspend_reason"},
	/* agency.suspended, agency.reinstated */
	[T_AGENCY_SUSPENSION] = {"agency_suspension", "agency_id",
				 "suspended_at,suspended_by,reason"},
	/* agency.registration_link, customer.link (the address by its tag,
	 * the secret by its SHA-256), used by agency.officer_registered or
	 * auth.signin's portal_link */
	[T_PORTAL_LINK] = {"portal_link", "id",
			   "hash,purpose,email#,agency_id,created_at,expires_at,used_at"},
	/* agency.registration_link, agency.registration_refused */
	[T_PORTAL_REGISTRATION] = {"portal_registration", "id",
				   "email#,domain,verdict,agency_id,imitates,remote#,at"},
	/* agency.request_submitted, then agency.status_mail(_skipped) */
	[T_PORTAL_REQUEST] = {"portal_request", "request_id",
			      "officer,agency_id,at,mailed_state"},
	/* agency.verification_failed (the entry is the key) */
	[T_VERIFICATION_FAILURE] = {"verification_failure", "log_index",
				    "request_id,officer,agency_id,reason,at,actor"},
};

/* Tables checked elsewhere or holding no fact. */
static const struct {
	const char *name;
	const char *check;
} others[] = {
	{"request", "audit"},
	{"history", "audit"},
	{"log_entry", "journal"},
	{"log_hash", "journal"},
	{"log_checkpoint", "journal"},
	{"ns_log_entry", "journal (the compartment)"},
	{"ns_log_hash", "journal (the compartment)"},
	{"ns_log_checkpoint", "journal (the compartment)"},
	{"cosignature", "none: each is checked against its witness's key (witness_verify)"},
	{"signin_failure", "none: counts of failed sign-ins (http/auth.c), which decide only "
			   "how long a key waits"},
	{"change_mark", "none: the change marker (store.h), which tells a server only "
			"whether what it cached may be reused"},
};

struct row {
	char *key;
	char **v;	/* n_facts values; NULL: SQL NULL */
	uint64_t index; /* the entry that set it last */
	int seen;
};

struct table {
	const struct table_def *def;
	int n_facts;
	char *facts[MAX_FACTS];
	int n_keys;
	char *keys[MAX_FACTS];
	struct row *slots; /* open addressing */
	size_t cap, n;
};

struct replay {
	struct store *st;
	const struct journal_hooks *hooks;
	struct replay_report *rep;
	struct table t[T__COUNT];
	int first_table; /* -1: no finding yet */
};

/* --- findings ------------------------------------------------------------- */

static void finding(struct replay *r, int table, uint64_t index, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void finding(struct replay *r, int table, uint64_t index, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->rep->problems++;
	if (r->first_table < 0)
		r->first_table = table;
	if (r->hooks && r->hooks->finding) {
		struct journal_finding f = {.problem = JOURNAL_BAD_RECORD,
					    .index = index,
					    .message = msg,
					    .request = 0};
		r->hooks->finding(r->hooks->ctx, &f);
	}
}

/* --- the expected rows ------------------------------------------------------ */

static size_t split(const char *list, char **out)
{
	size_t n = 0;
	const char *p = list;
	while (*p && n < MAX_FACTS) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);
		out[n++] = xstrndup(p, len);
		p += len + (c ? 1 : 0);
	}
	return n;
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static struct row *slot(struct table *t, const char *key)
{
	size_t i = hash(key) & (t->cap - 1);
	while (t->slots[i].key && strcmp(t->slots[i].key, key) != 0)
		i = (i + 1) & (t->cap - 1);
	return &t->slots[i];
}

static void grow(struct table *t)
{
	struct row *old = t->slots;
	size_t n = t->cap;
	t->cap = n ? n * 2 : 64;
	t->slots = xcalloc(t->cap, sizeof(*t->slots));
	for (size_t i = 0; i < n; i++)
		if (old[i].key)
			*slot(t, old[i].key) = old[i];
	free(old);
}

static void row_free_values(struct table *t, struct row *w)
{
	if (!w->v)
		return;
	for (int i = 0; i < t->n_facts; i++)
		free(w->v[i]);
	free(w->v);
	w->v = NULL;
}

/* The expected row of `key` (created with every column NULL). */
static struct row *expect_row(struct replay *r, int table, const char *key, uint64_t index)
{
	struct table *t = &r->t[table];
	if ((t->n + 1) * 2 > t->cap)
		grow(t);
	struct row *w = slot(t, key);
	if (!w->key) {
		w->key = xstrdup(key);
		t->n++;
	}
	if (!w->v)
		w->v = xcalloc((size_t)t->n_facts, sizeof(char *));
	w->index = index;
	return w;
}

static struct row *find_row(struct replay *r, int table, const char *key)
{
	struct table *t = &r->t[table];
	if (!t->cap)
		return NULL;
	struct row *w = slot(t, key);
	return w->key && w->v ? w : NULL;
}

/* Deleting keeps the key (a tombstone) so probing still works. */
static void drop_row(struct replay *r, int table, const char *key)
{
	struct row *w = find_row(r, table, key);
	if (w)
		row_free_values(&r->t[table], w);
}

static int col_index(const struct table *t, const char *name)
{
	for (int i = 0; i < t->n_facts; i++)
		if (strcmp(t->facts[i], name) == 0)
			return i;
	return -1;
}

/* Set column `name` of row w (value copied; NULL for SQL NULL). */
static void set(struct replay *r, int table, struct row *w, const char *name,
		const char *value)
{
	int i = col_index(&r->t[table], name);
	if (i < 0)
		abort(); /* a handler names a column its table does not have */
	free(w->v[i]);
	w->v[i] = value ? xstrdup(value) : NULL;
}

static void set_int(struct replay *r, int table, struct row *w, const char *name,
		    int64_t value)
{
	char s[32];
	snprintf(s, sizeof(s), "%lld", (long long)value);
	set(r, table, w, name, s);
}

/* --- reading events ----------------------------------------------------------- */

static const char *str(const json_t *ev, const char *key)
{
	return json_string_value(json_object_get(ev, key));
}

/* "at" of an entry as seconds (0 when absent or bad). */
static int64_t when(const json_t *ev, const char *key)
{
	struct ts ts;
	const char *s = str(ev, key);
	return s && ts_parse(s, &ts) == 0 ? ts.t : 0;
}

static int roles_bits(const char *list, int64_t *out)
{
	unsigned bits = 0;
	if (list && *list && roles_parse(list, &bits) < 0)
		return -1;
	*out = bits;
	return 0;
}

/* --- handlers: one per event type that sets a fact ---------------------------- */

typedef void (*handler_fn)(struct replay *r, uint64_t index, const json_t *ev);

static void on_log_init(struct replay *r, uint64_t index, const json_t *ev)
{
	struct row *w = expect_row(r, T_SETTING, "log.origin", index);
	set(r, T_SETTING, w, "value", str(ev, "origin"));
	w = expect_row(r, T_SETTING, "log.key", index);
	set(r, T_SETTING, w, "value", str(ev, "key"));
	if (str(ev, "ns_key")) { /* the compartment's, since it exists */
		w = expect_row(r, T_SETTING, "log.ns-key", index);
		set(r, T_SETTING, w, "value", str(ev, "ns_key"));
	}
}

/* A deadline met: tick raises no reminder for it any more
 * (core/workflow/reminder.c). */
static void on_deadline_met(struct replay *r, uint64_t index, const json_t *ev)
{
	char key[160];
	if (!json_is_integer(json_object_get(ev, "request")) || !str(ev, "kind"))
		return;
	snprintf(key, sizeof(key), "%lld/%s/%lld",
		 (long long)json_integer_value(json_object_get(ev, "request")), str(ev, "kind"),
		 (long long)when(ev, "due"));
	set(r, T_DEADLINE, expect_row(r, T_DEADLINE, key, index), "done", "1");
}

/* The national-security compartment's verifier key (app/unit.c). */
static void on_log_compartment(struct replay *r, uint64_t index, const json_t *ev)
{
	struct row *w = expect_row(r, T_SETTING, "log.ns-key", index);
	set(r, T_SETTING, w, "value", str(ev, "key"));
}

/* The main log's hourly commitment to the compartment: the setting that
 * keeps it to once an hour holds the hour it was made in (journal.c). */
static void on_compartment_checkpoint(struct replay *r, uint64_t index, const json_t *ev)
{
	char bucket[32];
	snprintf(bucket, sizeof(bucket), "%lld",
		 (long long)(when(ev, "at") / JOURNAL_NS_COMMIT_EVERY));
	struct row *w = expect_row(r, T_SETTING, "log.ns-committed", index);
	set(r, T_SETTING, w, "value", bucket);
}

static void on_config_set(struct replay *r, uint64_t index, const json_t *ev)
{
	const char *key = str(ev, "key");
	if (!key)
		return;
	char *k = xasprintf("config.%s", key);
	struct row *w = expect_row(r, T_SETTING, k, index);
	set(r, T_SETTING, w, "value", str(ev, "value"));
	free(k);
}

static void drop_user_rows(struct replay *r, int table, const char *user)
{
	struct table *t = &r->t[table];
	int c = col_index(t, "user");
	for (size_t i = 0; i < t->cap; i++) {
		struct row *w = &t->slots[i];
		if (w->key && w->v && str_eq(w->v[c], user))
			row_free_values(t, w);
	}
}

/* The user as an entry leaves it: op "remove" (or type user.remove)
 * deletes, anything else writes roles and login. */
static void user_result(struct replay *r, uint64_t index, const json_t *ev, int removed)
{
	const char *name = str(ev, "user");
	int64_t bits;
	if (!name)
		return;
	if (removed) {
		drop_row(r, T_STAFF, name);
		drop_row(r, T_AUTH, name);
		drop_user_rows(r, T_TOKEN, name);
		drop_user_rows(r, T_SESSION, name);
		return;
	}
	struct row *w = expect_row(r, T_STAFF, name, index);
	if (roles_bits(str(ev, "roles"), &bits) < 0)
		set(r, T_STAFF, w, "roles", "?");
	else
		set_int(r, T_STAFF, w, "roles", bits);
	set(r, T_STAFF, w, "unix_login", str(ev, "unix"));
}

static void on_user(struct replay *r, uint64_t index, const json_t *ev)
{
	const char *type = str(ev, "type");
	user_result(r, index, ev, strcmp(type, "user.remove") == 0);
}

static void on_user_propose(struct replay *r, uint64_t index, const json_t *ev)
{
	json_t *id = json_object_get(ev, "proposal");
	int64_t bits;
	char key[32];
	if (!json_is_integer(id))
		return;
	snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(id));
	struct row *w = expect_row(r, T_PROPOSAL, key, index);
	set(r, T_PROPOSAL, w, "op", str(ev, "op"));
	set(r, T_PROPOSAL, w, "name", str(ev, "user"));
	if (roles_bits(str(ev, "roles"), &bits) < 0)
		set(r, T_PROPOSAL, w, "roles", "?");
	else
		set_int(r, T_PROPOSAL, w, "roles", bits);
	set(r, T_PROPOSAL, w, "unix_login", str(ev, "unix"));
	set(r, T_PROPOSAL, w, "proposed_by", str(ev, "actor"));
	set_int(r, T_PROPOSAL, w, "at", when(ev, "at"));
	set_int(r, T_PROPOSAL, w, "log_index", (int64_t)index);
	set(r, T_PROPOSAL, w, "state", "pending");
}

static void decide_proposal(struct replay *r, uint64_t index, const json_t *ev,
			    const char *state)
{
	json_t *id = json_object_get(ev, "proposal");
	char key[32];
	if (!json_is_integer(id))
		return;
	snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(id));
	struct row *w = find_row(r, T_PROPOSAL, key);
	if (!w) {
		finding(r, T_PROPOSAL, index,
			"log entry %llu decides proposal %s, which no earlier entry proposes",
			(unsigned long long)index, key);
		return;
	}
	w->index = index;
	set(r, T_PROPOSAL, w, "state", state);
	set(r, T_PROPOSAL, w, "decided_by", str(ev, "actor"));
	set_int(r, T_PROPOSAL, w, "decided_at", when(ev, "at"));
}

static void on_user_confirm(struct replay *r, uint64_t index, const json_t *ev)
{
	const char *op = str(ev, "op");
	decide_proposal(r, index, ev, "confirmed");
	user_result(r, index, ev, op && strcmp(op, "remove") == 0);
}

static void on_user_cancel(struct replay *r, uint64_t index, const json_t *ev)
{
	decide_proposal(r, index, ev, "cancelled");
}


/* --- requests and what hangs off them ------------------------------------------- */

static void key_int(char *out, size_t sz, json_int_t v)
{
	snprintf(out, sz, "%lld", (long long)v);
}

/* A time member as the store keeps it: seconds, or NULL. */
static void set_time(struct replay *r, int table, struct row *w, const char *name,
		     const json_t *ev, const char *key)
{
	if (json_is_string(json_object_get(ev, key)))
		set_int(r, table, w, name, when(ev, key));
	else
		set(r, table, w, name, NULL);
}

static void set_member(struct replay *r, int table, struct row *w, const char *name,
		       const json_t *ev, const char *key)
{
	json_t *v = json_object_get(ev, key);
	if (json_is_integer(v))
		set_int(r, table, w, name, json_integer_value(v));
	else
		set(r, table, w, name, json_string_value(v));
}

static void set_categories(struct replay *r, int table, struct row *w, const char *name,
			   const char *list)
{
	unsigned bits = 0;
	if (!list || (*list && categories_parse(list, &bits) < 0))
		set(r, table, w, name, "?");
	else
		set_int(r, table, w, name, bits);
}

/* Drop the expected rows whose key starts with prefix (all rows of a
 * request), but (keep not NULL) those whose key contains `keep` or is an
 * NSL review deadline: the deadlines the workflow keeps when the policy
 * runs again (intake.c, drop_stale_deadline). */
static void drop_prefixed(struct replay *r, int table, const char *prefix, const char *keep)
{
	struct table *t = &r->t[table];
	size_t n = strlen(prefix);
	for (size_t i = 0; i < t->cap; i++) {
		struct row *w = &t->slots[i];
		if (w->key && w->v && strncmp(w->key, prefix, n) == 0 &&
		    !(keep && (strstr(w->key + n, keep) ||
			       strstr(w->key + n, "nsl_gag_review"))))
			row_free_values(t, w);
	}
}

/* The facts of a request as it comes in (request.received, or an item
 * of request.import). */
static void request_facts(struct replay *r, uint64_t index, const json_t *f,
			  int64_t created_at, const char *state)
{
	json_t *id = json_object_get(f, "request");
	json_t *targets = json_object_get(f, "targets"), *accounts = json_object_get(f, "accounts");
	char key[64];
	if (!json_is_integer(id))
		return;
	key_int(key, sizeof(key), json_integer_value(id));
	struct row *w = expect_row(r, T_REQUEST, key, index);
	set(r, T_REQUEST, w, "ref", str(f, "ref"));
	set(r, T_REQUEST, w, "agency_id", str(f, "agency"));
	set(r, T_REQUEST, w, "country", str(f, "country"));
	set(r, T_REQUEST, w, "kind", str(f, "kind"));
	set(r, T_REQUEST, w, "process", str(f, "process"));
	set_categories(r, T_REQUEST, w, "categories", str(f, "categories"));
	set_int(r, T_REQUEST, w, "n_targets", (int64_t)json_array_size(targets));
	set_time(r, T_REQUEST, w, "received_at", f, "received_at");
	set_time(r, T_REQUEST, w, "due_at", f, "due_at");
	if (created_at >= 0) {  /* a new request (not an amendment) */
		set_int(r, T_REQUEST, w, "created_at", created_at);
		set(r, T_REQUEST, w, "scope", NULL);
		set(r, T_REQUEST, w, "extraordinary", NULL);
		set(r, T_REQUEST, w, "voided_at", NULL);
	}
	set(r, T_REQUEST, w, "state", state);
	set(r, T_REQUEST, w, "outcome", str(f, "outcome") ? str(f, "outcome") : "");
	set_time(r, T_REQUEST, w, "closed_at", f, "closed_at");
	/* the targets as they now are (an amendment may have fewer) */
	char prefix[80];
	snprintf(prefix, sizeof(prefix), "%s/", key);
	drop_prefixed(r, T_TARGET, prefix, NULL);
	for (size_t i = 0; i < json_array_size(targets); i++) {
		char tkey[96];
		json_t *acct = json_array_get(accounts, i);
		snprintf(tkey, sizeof(tkey), "%s/%zu", key, i);
		struct row *t = expect_row(r, T_TARGET, tkey, index);
		set(r, T_TARGET, t, "value@", json_string_value(json_array_get(targets, i)));
		if (json_is_integer(acct))
			set_int(r, T_TARGET, t, "account_id", json_integer_value(acct));
		else
			set(r, T_TARGET, t, "account_id", NULL);
		set(r, T_TARGET, t, "decision", NULL);
	}
}

static void on_request_import(struct replay *r, uint64_t index, const json_t *ev)
{
	json_t *items = json_object_get(ev, "requests"), *item;
	size_t i;
	json_array_foreach(items, i, item)
	{
		char key[64];
		request_facts(r, index, item, when(item, "closed_at"), "closed");
		if (!json_is_integer(json_object_get(item, "request")))
			continue;
		key_int(key, sizeof(key), json_integer_value(json_object_get(item, "request")));
		struct row *w = find_row(r, T_REQUEST, key);
		set(r, T_REQUEST, w, "policy.action", NULL);
		set(r, T_REQUEST, w, "supported", NULL);
	}
}

/* Every row of `table` whose column `col` is `value`, and (when state is
 * given) whose column "state" is `state`. */
static void each_row(struct replay *r, int table, const char *col, const char *value,
		     const char *state, void (*fn)(struct replay *, struct row *, void *),
		     void *ctx)
{
	struct table *t = &r->t[table];
	int c = col_index(t, col), sc = state ? col_index(t, "state") : -1;
	for (size_t i = 0; i < t->cap; i++) {
		struct row *w = &t->slots[i];
		if (!w->key || !w->v || !str_eq(w->v[c], value))
			continue;
		if (state && !str_eq(w->v[sc], state))
			continue;
		fn(r, w, ctx);
	}
}

struct hold_change {
	const char *state;   /* new state; NULL: renew */
	int64_t until;
	uint64_t index;
};

static void change_hold(struct replay *r, struct row *w, void *ctx)
{
	struct hold_change *h = ctx;
	w->index = h->index;
	if (h->state) {
		set(r, T_HOLD, w, "state", h->state);
		return;
	}
	set_int(r, T_HOLD, w, "expires_at", h->until);
	set_int(r, T_HOLD, w, "renewals",
		strtoll(w->v[col_index(&r->t[T_HOLD], "renewals")] ? w->v[col_index(&r->t[T_HOLD], "renewals")] : "0", NULL, 10) + 1);
}

static void holds_of(struct replay *r, uint64_t index, const char *request,
		     const char *state, int64_t until)
{
	struct hold_change h = {state, until, index};
	each_row(r, T_HOLD, "request_id", request, "active", change_hold, &h);
}

struct decided {
	const json_t *ev;
	uint64_t index;
};

static void decide_challenge(struct replay *r, struct row *w, void *ctx)
{
	struct decided *d = ctx;
	if (w->v[col_index(&r->t[T_CHALLENGE], "outcome")])
		return;
	w->index = d->index;
	set(r, T_CHALLENGE, w, "outcome", str(d->ev, "challenge_outcome"));
	set_int(r, T_CHALLENGE, w, "decided_at", when(d->ev, "at"));
}

/* US-NSL: at the investigation's close every NDO of the letter still in
 * force is reviewed (core/notice/ndo.c). */
static void review_ndo(struct replay *r, struct row *w, void *ctx)
{
	struct decided *d = ctx;
	if (w->v[col_index(&r->t[T_NDO], "lifted_at")])
		return;
	w->index = d->index;
	set_int(r, T_NDO, w, "review_at", when(d->ev, "investigation_closed_at"));
	set(r, T_NDO, w, "reminded_at", NULL);
}

static void on_request_received(struct replay *r, uint64_t index, const json_t *ev,
				const char *key, int rerun)
{
	unsigned kept = 0;
	json_t *dl = json_object_get(ev, "deadlines"), *d, *holds = json_object_get(ev, "holds");
	size_t i;
	char prefix[80];
	if (rerun) {
		/* the policy ran again: its deadlines replace the policy's old
		 * ones; the workflow's own (a renewed hold, an NSL review) stay */
		snprintf(prefix, sizeof(prefix), "%s/", key);
		drop_prefixed(r, T_DEADLINE, prefix, "hold_expiry");
	}
	request_facts(r, index, ev, rerun ? -1 : when(ev, "at"), str(ev, "to"));
	struct row *w = find_row(r, T_REQUEST, key);
	if (!w)
		return;
	set(r, T_REQUEST, w, "policy.action", str(ev, "action"));
	if (str(ev, "supported") && !*str(ev, "supported"))
		set_int(r, T_REQUEST, w, "supported", 0); /* the policy kept nothing */
	else if (str(ev, "supported") && categories_parse(str(ev, "supported"), &kept) == 0)
		set_int(r, T_REQUEST, w, "supported", kept);
	else
		set(r, T_REQUEST, w, "supported", NULL);
	json_array_foreach(dl, i, d)
	{
		struct ts ts;
		const char *kind = json_string_value(json_array_get(d, 0));
		const char *at = json_string_value(json_array_get(d, 1));
		char dkey[160];
		if (!kind || !at || ts_parse(at, &ts) < 0)
			continue;
		snprintf(dkey, sizeof(dkey), "%s/%s/%lld", key, kind, (long long)ts.t);
		set(r, T_DEADLINE, expect_row(r, T_DEADLINE, dkey, index), "done", "0");
	}
	json_array_foreach(holds, i, d)
	{
		char hkey[32];
		json_t *id = json_array_get(d, 0);
		if (!json_is_integer(id))
			continue;
		key_int(hkey, sizeof(hkey), json_integer_value(id));
		struct row *h = expect_row(r, T_HOLD, hkey, index);
		set(r, T_HOLD, h, "request_id", key);
		if (json_is_integer(json_array_get(d, 1)))
			set_int(r, T_HOLD, h, "account_id", json_integer_value(json_array_get(d, 1)));
		set_time(r, T_HOLD, h, "created_at", ev, "received_at");
		set_time(r, T_HOLD, h, "expires_at", ev, "hold_until");
		set(r, T_HOLD, h, "renewals", "0");
		set(r, T_HOLD, h, "state", "active");
	}
}

/* Any request.<event> that moves a request ("to"). */
static void on_request_event(struct replay *r, uint64_t index, const json_t *ev)
{
	const char *type = str(ev, "type") + strlen("request.");
	json_t *id = json_object_get(ev, "request");
	char key[64], akey[256];
	if (!json_is_integer(id) || !str(ev, "to"))
		return;
	key_int(key, sizeof(key), json_integer_value(id));
	if (strcmp(type, "received") == 0) {
		on_request_received(r, index, ev, key, 0);
		return;
	}
	if ((strcmp(type, "amend") == 0 || strcmp(type, "reassess") == 0) &&
	    json_object_get(ev, "targets")) {
		on_request_received(r, index, ev, key, 1);
		return;
	}
	struct row *w = find_row(r, T_REQUEST, key);
	if (!w) {
		finding(r, T_REQUEST, index,
			"log entry %llu moves request %s, which no earlier entry brings in",
			(unsigned long long)index, key);
		return;
	}
	w->index = index;
	set(r, T_REQUEST, w, "state", str(ev, "to"));
	if (str(ev, "outcome"))
		set(r, T_REQUEST, w, "outcome", str(ev, "outcome"));
	if (str(ev, "closed_at"))
		set_time(r, T_REQUEST, w, "closed_at", ev, "closed_at");
	if (str(ev, "extraordinary"))
		set(r, T_REQUEST, w, "extraordinary", str(ev, "extraordinary"));
	if (strcmp(type, "void") == 0)
		set_int(r, T_REQUEST, w, "voided_at", when(ev, "at"));
	if (strcmp(type, "narrow") == 0) {
		set_categories(r, T_REQUEST, w, "scope", str(ev, "categories"));
	} else if (strcmp(type, "sign_off") == 0 || strcmp(type, "sign_off_final") == 0) {
		snprintf(akey, sizeof(akey), "%s/%s", key, str(ev, "actor") ? str(ev, "actor") : "");
		struct row *a = expect_row(r, T_APPROVAL, akey, index);
		set_int(r, T_APPROVAL, a, "at", when(ev, "at"));
		set_int(r, T_APPROVAL, a, "log_index", (int64_t)index);
	} else if (strcmp(type, "verify") == 0) {
		key_int(akey, sizeof(akey), (json_int_t)index);
		struct row *v = expect_row(r, T_VERIFICATION, akey, index);
		set(r, T_VERIFICATION, v, "request_id", key);
		set(r, T_VERIFICATION, v, "method", str(ev, "method"));
		set(r, T_VERIFICATION, v, "callback", str(ev, "callback"));
		set(r, T_VERIFICATION, v, "person", str(ev, "person"));
		set_int(r, T_VERIFICATION, v, "at", when(ev, "at"));
		set(r, T_VERIFICATION, v, "actor", str(ev, "actor"));
	} else if (strcmp(type, "challenge") == 0 &&
		   json_is_integer(json_object_get(ev, "challenge"))) {
		key_int(akey, sizeof(akey), json_integer_value(json_object_get(ev, "challenge")));
		struct row *c = expect_row(r, T_CHALLENGE, akey, index);
		set(r, T_CHALLENGE, c, "request_id", key);
		set(r, T_CHALLENGE, c, "subject", "request");
		set_int(r, T_CHALLENGE, c, "filed_at", when(ev, "at"));
		set(r, T_CHALLENGE, c, "court", str(ev, "court"));
		set(r, T_CHALLENGE, c, "grounds", str(ev, "grounds"));
		set(r, T_CHALLENGE, c, "outcome", NULL);
		set(r, T_CHALLENGE, c, "decided_at", NULL);
	} else if (strncmp(type, "challenge_", 10) == 0) {
		struct decided d = {ev, index};
		each_row(r, T_CHALLENGE, "request_id", key, NULL, decide_challenge, &d);
	} else if (strcmp(type, "hold_renew") == 0 && str(ev, "until") && *str(ev, "until")) {
		int64_t until = when(ev, "until");
		holds_of(r, index, key, NULL, until);
		snprintf(akey, sizeof(akey), "%s/hold_expiry/%lld", key, (long long)until);
		set(r, T_DEADLINE, expect_row(r, T_DEADLINE, akey, index), "done", "0");
	} else if ((strcmp(type, "target_redirect") == 0 || strcmp(type, "target_reject") == 0) &&
		   json_is_integer(json_object_get(ev, "seq"))) {
		snprintf(akey, sizeof(akey), "%s/%lld", key,
			 (long long)json_integer_value(json_object_get(ev, "seq")));
		set(r, T_TARGET, expect_row(r, T_TARGET, akey, index), "decision",
		    str(ev, "decision"));
	} else if (strcmp(type, "investigation_closed") == 0) {
		struct decided d = {ev, index};
		each_row(r, T_NDO, "request_id", key, NULL, review_ndo, &d);
		snprintf(akey, sizeof(akey), "%s/nsl_gag_review/%lld", key,
			 (long long)when(ev, "investigation_closed_at"));
		set(r, T_DEADLINE, expect_row(r, T_DEADLINE, akey, index), "done", "0");
	} else if (strcmp(type, "hold_release") == 0) {
		holds_of(r, index, key, "released", 0);
	} else if (strcmp(type, "convert") == 0) {
		holds_of(r, index, key, "converted", 0);
	} else if (strcmp(type, "hold_expire") == 0) {
		holds_of(r, index, key, "expired", 0);
	}
}

static void on_hold_lapsed(struct replay *r, uint64_t index, const json_t *ev)
{
	char key[64];
	if (!json_is_integer(json_object_get(ev, "request")))
		return;
	key_int(key, sizeof(key), json_integer_value(json_object_get(ev, "request")));
	holds_of(r, index, key, "expired", 0);
}

/* --- customers, accounts, agencies ---------------------------------------------- */

static void on_customer_records(struct replay *r, uint64_t index, const json_t *ev)
{
	json_t *recs = json_object_get(ev, "records"), *c, *a;
	size_t i, j;
	json_array_foreach(recs, i, c)
	{
		if (!str(c, "id"))
			continue;
		struct row *w = expect_row(r, T_CUSTOMER, str(c, "id"), index);
		set(r, T_CUSTOMER, w, "doc#", str(c, "doc"));
		set(r, T_CUSTOMER, w, "type", str(c, "type"));
		set(r, T_CUSTOMER, w, "country", str(c, "country"));
		set(r, T_CUSTOMER, w, "data_location", str(c, "data_location"));
		set_member(r, T_CUSTOMER, w, "us_person", c, "us_person");
		set(r, T_CUSTOMER, w, "key_custody", str(c, "key_custody"));
		json_array_foreach(json_object_get(c, "accounts"), j, a)
		{
			char key[32];
			if (!json_is_integer(json_array_get(a, 0)))
				continue;
			key_int(key, sizeof(key), json_integer_value(json_array_get(a, 0)));
			struct row *acc = expect_row(r, T_ACCOUNT, key, index);
			set(r, T_ACCOUNT, acc, "customer_id", str(c, "id"));
			set(r, T_ACCOUNT, acc, "value@", json_string_value(json_array_get(a, 2)));
		}
	}
}

static void on_agency_records(struct replay *r, uint64_t index, const json_t *ev)
{
	json_t *recs = json_object_get(ev, "records"), *a;
	size_t i;
	json_array_foreach(recs, i, a)
	{
		if (!str(a, "id"))
			continue;
		struct row *w = expect_row(r, T_AGENCY, str(a, "id"), index);
		set(r, T_AGENCY, w, "doc#", str(a, "doc"));
		set(r, T_AGENCY, w, "country", str(a, "country"));
		set(r, T_AGENCY, w, "type", str(a, "type"));
	}
}

/* --- nondisclosure orders and notices ---------------------------------------------- */

static struct row *ndo_row(struct replay *r, uint64_t index, const json_t *ev, int create)
{
	char key[32];
	if (!json_is_integer(json_object_get(ev, "ndo")))
		return NULL;
	key_int(key, sizeof(key), json_integer_value(json_object_get(ev, "ndo")));
	struct row *w = create ? expect_row(r, T_NDO, key, index) : find_row(r, T_NDO, key);
	if (!w)
		finding(r, T_NDO, index, "log entry %llu changes NDO %s, which no earlier "
					 "entry adds",
			(unsigned long long)index, key);
	else
		w->index = index;
	return w;
}

static void on_ndo(struct replay *r, uint64_t index, const json_t *ev)
{
	const char *type = str(ev, "type");
	struct row *w = ndo_row(r, index, ev, strcmp(type, "ndo.added") == 0);
	if (!w)
		return;
	if (strcmp(type, "ndo.added") == 0) {
		set_member(r, T_NDO, w, "request_id", ev, "request");
		set(r, T_NDO, w, "statute", str(ev, "statute"));
		set_time(r, T_NDO, w, "issued_at", ev, "issued_at");
		set_time(r, T_NDO, w, "expires_at", ev, "expires_at");
		set(r, T_NDO, w, "lifted_at", NULL);
		set(r, T_NDO, w, "lift_reason", NULL);
		set_time(r, T_NDO, w, "review_at", ev, "review_at");
		set(r, T_NDO, w, "reminded_at", NULL);
		set_int(r, T_NDO, w, "created_at", when(ev, "at"));
	} else if (strcmp(type, "ndo.extended") == 0) {
		set_time(r, T_NDO, w, "expires_at", ev, "to");
	} else if (strcmp(type, "ndo.lifted") == 0) {
		set_int(r, T_NDO, w, "lifted_at", when(ev, "at"));
		set(r, T_NDO, w, "lift_reason", str(ev, "reason"));
	} else if (strcmp(type, "ndo.review_due") == 0) {
		set_int(r, T_NDO, w, "reminded_at", when(ev, "at"));
	}
}

static void on_notice(struct replay *r, uint64_t index, const json_t *ev)
{
	const char *type = str(ev, "type");
	char key[32];
	if (!json_is_integer(json_object_get(ev, "notice")) || json_object_get(ev, "claim_lost"))
		return;
	key_int(key, sizeof(key), json_integer_value(json_object_get(ev, "notice")));
	if (strcmp(type, "notice.created") == 0) {
		struct row *w = expect_row(r, T_NOTICE, key, index);
		set_member(r, T_NOTICE, w, "request_id", ev, "request");
		set(r, T_NOTICE, w, "customer_id@c", str(ev, "customer"));
		set(r, T_NOTICE, w, "state", str(ev, "state"));
		set(r, T_NOTICE, w, "delay_reason", str(ev, "reason"));
		set_time(r, T_NOTICE, w, "due_at", ev, "due_at");
		set(r, T_NOTICE, w, "sent_at", NULL);
		set(r, T_NOTICE, w, "generation", "0");
		set(r, T_NOTICE, w, "log_index", NULL);
		set_int(r, T_NOTICE, w, "created_at", when(ev, "at"));
		return;
	}
	if (!str(ev, "to"))
		return;
	struct row *w = find_row(r, T_NOTICE, key);
	if (!w) {
		finding(r, T_NOTICE, index,
			"log entry %llu moves notice %s, which no earlier entry creates",
			(unsigned long long)index, key);
		return;
	}
	w->index = index;
	set(r, T_NOTICE, w, "state", str(ev, "to"));
	set(r, T_NOTICE, w, "delay_reason", str(ev, "delay"));
	set_time(r, T_NOTICE, w, "due_at", ev, "due_at");
	set_time(r, T_NOTICE, w, "sent_at", ev, "sent_at");
	set_member(r, T_NOTICE, w, "generation", ev, "generation");
	if (strcmp(type, "notice.sent") == 0)
		set_int(r, T_NOTICE, w, "log_index", (int64_t)index);
}

/* --- disclosures and the vault ------------------------------------------------------ */

static struct row *disclosure_row(struct replay *r, uint64_t index, const json_t *ev)
{
	char key[32];
	if (!json_is_integer(json_object_get(ev, "request")))
		return NULL;
	key_int(key, sizeof(key), json_integer_value(json_object_get(ev, "request")));
	return expect_row(r, T_DISCLOSURE, key, index);
}

static void on_disclosure(struct replay *r, uint64_t index, const json_t *ev)
{
	struct row *w = disclosure_row(r, index, ev);
	if (!w)
		return;
	set_member(r, T_DISCLOSURE, w, "items", ev, "items");
	set_int(r, T_DISCLOSURE, w, "created_at", when(ev, "at"));
	set_int(r, T_DISCLOSURE, w, "log_index", (int64_t)index);
}

static void on_disclosure_package(struct replay *r, uint64_t index, const json_t *ev)
{
	struct row *w = disclosure_row(r, index, ev);
	if (!w)
		return;
	set(r, T_DISCLOSURE, w, "file_name", str(ev, "file"));
	set_member(r, T_DISCLOSURE, w, "size", ev, "size");
	set(r, T_DISCLOSURE, w, "sha256", str(ev, "sha256"));
	set_int(r, T_DISCLOSURE, w, "package_index", (int64_t)index);
	set(r, T_DISCLOSURE, w, "manifest#", str(ev, "manifest_stored"));
}

static void on_vault_items(struct replay *r, uint64_t index, const json_t *ev)
{
	static const char *const cols[] = {"account_id", "category", "kind", "created_at",
					   "location", "sealed", "enc", "size", "data"};
	json_t *items = json_object_get(ev, "items"), *it;
	size_t i;
	json_array_foreach(items, i, it)
	{
		char key[32];
		if (!json_is_integer(json_array_get(it, 0)))
			continue;
		key_int(key, sizeof(key), json_integer_value(json_array_get(it, 0)));
		struct row *w = expect_row(r, T_VAULT_ITEM, key, index);
		for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
			json_t *v = json_array_get(it, c + 1);
			if (strcmp(cols[c], "created_at") == 0) {
				struct ts ts;
				if (json_string_value(v) && ts_parse(json_string_value(v), &ts) == 0)
					set_int(r, T_VAULT_ITEM, w, cols[c], ts.t);
				else
					set(r, T_VAULT_ITEM, w, cols[c], "?");
			} else if (json_is_integer(v)) {
				set_int(r, T_VAULT_ITEM, w, cols[c], json_integer_value(v));
			} else {
				set(r, T_VAULT_ITEM, w, cols[c], json_string_value(v));
			}
		}
	}
}

static void on_vault_import(struct replay *r, uint64_t index, const json_t *ev)
{
	if (!str(ev, "file"))
		return;
	struct row *w = expect_row(r, T_VAULT_IMPORT, str(ev, "file"), index);
	set_member(r, T_VAULT_IMPORT, w, "items", ev, "count");
	set_int(r, T_VAULT_IMPORT, w, "at", when(ev, "at"));
	set_int(r, T_VAULT_IMPORT, w, "log_index", (int64_t)index);
}

static void on_credentials(struct replay *r, uint64_t index, const json_t *ev)
{
	const char *user = str(ev, "user");
	if (!user)
		return;
	int fresh = !find_row(r, T_AUTH, user);
	struct row *w = expect_row(r, T_AUTH, user, index);
	if (fresh) {
		set(r, T_AUTH, w, "password#", NULL);
		set(r, T_AUTH, w, "password_at", NULL);
		set(r, T_AUTH, w, "totp_secret", NULL);
	}
	if (strcmp(str(ev, "type"), "user.passwd") == 0) {
		set(r, T_AUTH, w, "password#", str(ev, "password"));
		set_int(r, T_AUTH, w, "password_at", when(ev, "at"));
		/* a new password signs the user out everywhere (core/access/auth.c) */
		struct table *t = &r->t[T_SESSION];
		int uc = col_index(t, "user"), rc = col_index(t, "revoked_at");
		for (size_t i = 0; i < t->cap; i++) {
			struct row *sw = &t->slots[i];
			if (sw->key && sw->v && str_eq(sw->v[uc], user) && !sw->v[rc])
				set_int(r, T_SESSION, sw, "revoked_at", when(ev, "at"));
		}
	} else {
		set(r, T_AUTH, w, "totp_secret", str(ev, "totp"));
	}
}

static void on_token(struct replay *r, uint64_t index, const json_t *ev)
{
	char key[32];
	int64_t bits;
	if (!json_is_integer(json_object_get(ev, "token")))
		return;
	key_int(key, sizeof(key), json_integer_value(json_object_get(ev, "token")));
	if (strcmp(str(ev, "type"), "token.revoke") == 0) {
		struct row *w = find_row(r, T_TOKEN, key);
		if (w) {
			w->index = index;
			set_int(r, T_TOKEN, w, "revoked_at", when(ev, "at"));
		}
		return;
	}
	struct row *w = expect_row(r, T_TOKEN, key, index);
	set(r, T_TOKEN, w, "hash", str(ev, "hash"));
	set(r, T_TOKEN, w, "user", str(ev, "user"));
	if (roles_bits(str(ev, "roles"), &bits) < 0)
		set(r, T_TOKEN, w, "roles", "?");
	else
		set_int(r, T_TOKEN, w, "roles", bits);
	set_int(r, T_TOKEN, w, "created_at", when(ev, "at"));
	set_time(r, T_TOKEN, w, "expires_at", ev, "expires_at");
	set(r, T_TOKEN, w, "revoked_at", NULL);
}

static void on_signin(struct replay *r, uint64_t index, const json_t *ev)
{
	char key[32];
	if (!json_is_integer(json_object_get(ev, "session")))
		return;
	key_int(key, sizeof(key), json_integer_value(json_object_get(ev, "session")));
	if (strcmp(str(ev, "type"), "auth.signout") == 0) {
		struct row *w = find_row(r, T_SESSION, key);
		if (w) {
			w->index = index;
			set_int(r, T_SESSION, w, "revoked_at", when(ev, "at"));
		}
		return;
	}
	json_t *link = json_object_get(ev, "link");
	if (json_is_integer(link)) { /* a one-time link is spent on use */
		char lkey[32];
		key_int(lkey, sizeof(lkey), json_integer_value(link));
		struct row *lw = find_row(r, T_SESSION, lkey);
		if (lw) {
			lw->index = index;
			set_int(r, T_SESSION, lw, "revoked_at", when(ev, "at"));
		}
	}
	json_t *plink = json_object_get(ev, "portal_link");
	if (json_is_integer(plink)) { /* a portal's one-time link is used up */
		char pkey[32];
		key_int(pkey, sizeof(pkey), json_integer_value(plink));
		struct row *pw = find_row(r, T_PORTAL_LINK, pkey);
		if (pw) {
			pw->index = index;
			set_int(r, T_PORTAL_LINK, pw, "used_at", when(ev, "at"));
		}
	}
	struct row *w = expect_row(r, T_SESSION, key, index);
	set(r, T_SESSION, w, "hash", str(ev, "hash"));
	set(r, T_SESSION, w, "user", str(ev, "user"));
	set_int(r, T_SESSION, w, "created_at", when(ev, "at"));
	set(r, T_SESSION, w, "revoked_at", NULL);
}

static void on_witness_add(struct replay *r, uint64_t index, const json_t *ev)
{
	if (!str(ev, "name"))
		return;
	struct row *w = expect_row(r, T_WITNESS, str(ev, "name"), index);
	set(r, T_WITNESS, w, "url", str(ev, "url"));
	set(r, T_WITNESS, w, "vkey", str(ev, "vkey"));
	set_int(r, T_WITNESS, w, "added_at", when(ev, "at"));
	set(r, T_WITNESS, w, "removed_at", NULL);
}

static void on_witness_remove(struct replay *r, uint64_t index, const json_t *ev)
{
	if (!str(ev, "name"))
		return;
	struct row *w = expect_row(r, T_WITNESS, str(ev, "name"), index);
	set_int(r, T_WITNESS, w, "removed_at", when(ev, "at"));
}

static void on_document(struct replay *r, uint64_t index, const json_t *ev)
{
	json_t *id = json_object_get(ev, "request");
	char key[160], tag[80];
	if (!json_is_integer(id) || !str(ev, "sha256"))
		return;
	snprintf(key, sizeof(key), "%lld/%s", (long long)json_integer_value(id),
		 str(ev, "sha256"));
	snprintf(tag, sizeof(tag), "sha256:%s", str(ev, "sha256"));
	struct row *w = expect_row(r, T_DOCUMENT, key, index);
	set(r, T_DOCUMENT, w, "name", str(ev, "name"));
	set_int(r, T_DOCUMENT, w, "size", json_integer_value(json_object_get(ev, "size")));
	set(r, T_DOCUMENT, w, "content", tag);
	set_int(r, T_DOCUMENT, w, "added_at", when(ev, "at"));
	set(r, T_DOCUMENT, w, "added_by", str(ev, "actor"));
}

static void on_publication(struct replay *r, uint64_t index, const json_t *ev)
{
	char key[32], tag[80];
	json_t *id = json_object_get(ev, "publication");
	if (!json_is_integer(id) || !str(ev, "sha256"))
		return;
	key_int(key, sizeof(key), json_integer_value(id));
	snprintf(tag, sizeof(tag), "sha256:%s", str(ev, "sha256"));
	struct row *w = expect_row(r, T_PUBLICATION, key, index);
	set(r, T_PUBLICATION, w, "period", str(ev, "period"));
	set(r, T_PUBLICATION, w, "format", str(ev, "format"));
	set_int(r, T_PUBLICATION, w, "published_at", when(ev, "at"));
	set(r, T_PUBLICATION, w, "published_by", str(ev, "actor"));
	set(r, T_PUBLICATION, w, "sha256", str(ev, "sha256"));
	set_int(r, T_PUBLICATION, w, "size", json_integer_value(json_object_get(ev, "size")));
	set_int(r, T_PUBLICATION, w, "checkpoint_size",
		json_integer_value(json_object_get(ev, "checkpoint_size")));
	set(r, T_PUBLICATION, w, "body", tag);
}

static void on_letter(struct replay *r, uint64_t index, const json_t *ev)
{
	char key[32], rkey[32];
	json_t *id = json_object_get(ev, "letter");
	if (!json_is_integer(id) || !json_is_integer(json_object_get(ev, "request")))
		return;
	key_int(key, sizeof(key), json_integer_value(id));
	if (strcmp(str(ev, "type"), "letter.written") != 0) {
		struct row *w = find_row(r, T_LETTER, key);
		if (!w) {
			finding(r, T_LETTER, index,
				"log entry %llu finishes letter %s, which no earlier entry writes",
				(unsigned long long)index, key);
			return;
		}
		w->index = index;
		int sent = strcmp(str(ev, "type"), "letter.sent") == 0;
		set(r, T_LETTER, w, "state", sent ? "sent" : "failed");
		if (sent)
			set_int(r, T_LETTER, w, "sent_at", when(ev, "at"));
		else
			set(r, T_LETTER, w, "sent_at", NULL);
		set(r, T_LETTER, w, "message_id", str(ev, "message_id"));
		return;
	}
	key_int(rkey, sizeof(rkey), json_integer_value(json_object_get(ev, "request")));
	struct row *w = expect_row(r, T_LETTER, key, index);
	set(r, T_LETTER, w, "request_id", rkey);
	set(r, T_LETTER, w, "kind", str(ev, "kind"));
	set(r, T_LETTER, w, "to_addr", str(ev, "to"));
	set(r, T_LETTER, w, "sha256", str(ev, "sha256"));
	set(r, T_LETTER, w, "state", "written");
	set_int(r, T_LETTER, w, "written_at", when(ev, "at"));
	set(r, T_LETTER, w, "written_by", str(ev, "actor"));
	set(r, T_LETTER, w, "sent_at", NULL);
	set(r, T_LETTER, w, "message_id", NULL);
}

/* --- the portals (app/portal.c, docs/portals.md) ------------------------------ */

static void on_registration(struct replay *r, uint64_t index, const json_t *ev)
{
	char key[32];
	if (!json_is_integer(json_object_get(ev, "registration")))
		return;
	key_int(key, sizeof(key), json_integer_value(json_object_get(ev, "registration")));
	struct row *w = expect_row(r, T_PORTAL_REGISTRATION, key, index);
	set(r, T_PORTAL_REGISTRATION, w, "email#", str(ev, "email"));
	set(r, T_PORTAL_REGISTRATION, w, "domain", str(ev, "domain"));
	set(r, T_PORTAL_REGISTRATION, w, "verdict", str(ev, "verdict"));
	set(r, T_PORTAL_REGISTRATION, w, "agency_id", str(ev, "agency"));
	set(r, T_PORTAL_REGISTRATION, w, "imitates", str(ev, "imitates"));
	set(r, T_PORTAL_REGISTRATION, w, "remote#", str(ev, "remote"));
	set_int(r, T_PORTAL_REGISTRATION, w, "at", when(ev, "at"));
	if (strcmp(str(ev, "type"), "agency.registration_link") != 0 ||
	    !json_is_integer(json_object_get(ev, "link")))
		return;
	key_int(key, sizeof(key), json_integer_value(json_object_get(ev, "link")));
	w = expect_row(r, T_PORTAL_LINK, key, index);
	set(r, T_PORTAL_LINK, w, "hash", str(ev, "hash"));
	set(r, T_PORTAL_LINK, w, "purpose", "register");
	set(r, T_PORTAL_LINK, w, "email#", str(ev, "email"));
	set(r, T_PORTAL_LINK, w, "agency_id", str(ev, "agency"));
	set_int(r, T_PORTAL_LINK, w, "created_at", when(ev, "at"));
	set_time(r, T_PORTAL_LINK, w, "expires_at", ev, "expires_at");
	set(r, T_PORTAL_LINK, w, "used_at", NULL);
}

static void on_customer_link(struct replay *r, uint64_t index, const json_t *ev)
{
	char key[32];
	if (!json_is_integer(json_object_get(ev, "link")))
		return;
	key_int(key, sizeof(key), json_integer_value(json_object_get(ev, "link")));
	struct row *w = expect_row(r, T_PORTAL_LINK, key, index);
	set(r, T_PORTAL_LINK, w, "hash", str(ev, "hash"));
	set(r, T_PORTAL_LINK, w, "purpose", "customer");
	set(r, T_PORTAL_LINK, w, "email#", str(ev, "email"));
	set(r, T_PORTAL_LINK, w, "agency_id", NULL);
	set_int(r, T_PORTAL_LINK, w, "created_at", when(ev, "at"));
	set_time(r, T_PORTAL_LINK, w, "expires_at", ev, "expires_at");
	set(r, T_PORTAL_LINK, w, "used_at", NULL);
}

static void portal_account(struct replay *r, uint64_t index, const json_t *ev,
			   const char *name, const char *kind, const char *agency)
{
	if (!name)
		return;
	struct row *w = expect_row(r, T_PORTAL_ACCOUNT, name, index);
	set(r, T_PORTAL_ACCOUNT, w, "kind", kind);
	set(r, T_PORTAL_ACCOUNT, w, "agency_id", agency);
	set(r, T_PORTAL_ACCOUNT, w, "display_name#", str(ev, "display_name"));
	set_int(r, T_PORTAL_ACCOUNT, w, "created_at", when(ev, "at"));
	set(r, T_PORTAL_ACCOUNT, w, "suspended_at", NULL);
	set(r, T_PORTAL_ACCOUNT, w, "suspended_by", NULL);
	set(r, T_PORTAL_ACCOUNT, w, "suspend_reason", NULL);
}

static void on_officer_registered(struct replay *r, uint64_t index, const json_t *ev)
{
	portal_account(r, index, ev, str(ev, "officer"), "officer", str(ev, "agency"));
	char key[32];
	if (!json_is_integer(json_object_get(ev, "link")))
		return;
	key_int(key, sizeof(key), json_integer_value(json_object_get(ev, "link")));
	struct row *w = find_row(r, T_PORTAL_LINK, key);
	if (w) {
		w->index = index;
		set_int(r, T_PORTAL_LINK, w, "used_at", when(ev, "at"));
	}
}

static void on_contact_added(struct replay *r, uint64_t index, const json_t *ev)
{
	portal_account(r, index, ev, str(ev, "contact"), "customer", NULL);
}

/* A suspension ends the officer's sessions (app/portal.c). */
static void on_officer_suspension(struct replay *r, uint64_t index, const json_t *ev)
{
	const char *officer = str(ev, "officer");
	struct row *w = officer ? find_row(r, T_PORTAL_ACCOUNT, officer) : NULL;
	if (!w)
		return;
	w->index = index;
	if (strcmp(str(ev, "type"), "agency.officer_reinstated") == 0) {
		set(r, T_PORTAL_ACCOUNT, w, "suspended_at", NULL);
		set(r, T_PORTAL_ACCOUNT, w, "suspended_by", NULL);
		set(r, T_PORTAL_ACCOUNT, w, "suspend_reason", NULL);
		return;
	}
	set_int(r, T_PORTAL_ACCOUNT, w, "suspended_at", when(ev, "at"));
	set(r, T_PORTAL_ACCOUNT, w, "suspended_by", str(ev, "actor"));
	set(r, T_PORTAL_ACCOUNT, w, "suspend_reason", str(ev, "reason"));
	struct table *t = &r->t[T_SESSION];
	int uc = col_index(t, "user"), rc = col_index(t, "revoked_at");
	for (size_t i = 0; i < t->cap; i++) {
		struct row *sw = &t->slots[i];
		if (sw->key && sw->v && str_eq(sw->v[uc], officer) && !sw->v[rc])
			set_int(r, T_SESSION, sw, "revoked_at", when(ev, "at"));
	}
}

static void on_agency_suspension(struct replay *r, uint64_t index, const json_t *ev)
{
	const char *agency = str(ev, "agency");
	if (!agency)
		return;
	if (strcmp(str(ev, "type"), "agency.reinstated") == 0) {
		drop_row(r, T_AGENCY_SUSPENSION, agency);
		return;
	}
	struct row *w = expect_row(r, T_AGENCY_SUSPENSION, agency, index);
	set_int(r, T_AGENCY_SUSPENSION, w, "suspended_at", when(ev, "at"));
	set(r, T_AGENCY_SUSPENSION, w, "suspended_by", str(ev, "actor"));
	set(r, T_AGENCY_SUSPENSION, w, "reason", str(ev, "reason"));
}

static void on_portal_request(struct replay *r, uint64_t index, const json_t *ev)
{
	char key[32];
	if (!json_is_integer(json_object_get(ev, "request")))
		return;
	key_int(key, sizeof(key), json_integer_value(json_object_get(ev, "request")));
	if (strcmp(str(ev, "type"), "agency.request_submitted") != 0) {
		struct row *w = find_row(r, T_PORTAL_REQUEST, key);
		if (w) { /* agency.status_mail(_skipped): the state mailed */
			w->index = index;
			set(r, T_PORTAL_REQUEST, w, "mailed_state", str(ev, "state"));
		}
		return;
	}
	struct row *w = expect_row(r, T_PORTAL_REQUEST, key, index);
	set(r, T_PORTAL_REQUEST, w, "officer", str(ev, "officer"));
	set(r, T_PORTAL_REQUEST, w, "agency_id", str(ev, "agency"));
	set_int(r, T_PORTAL_REQUEST, w, "at", when(ev, "at"));
	set(r, T_PORTAL_REQUEST, w, "mailed_state", str(ev, "state"));
}

static void on_verification_failure(struct replay *r, uint64_t index, const json_t *ev)
{
	char key[32];
	if (!json_is_integer(json_object_get(ev, "request")))
		return;
	key_int(key, sizeof(key), (json_int_t)index);
	struct row *w = expect_row(r, T_VERIFICATION_FAILURE, key, index);
	set_int(r, T_VERIFICATION_FAILURE, w, "request_id",
		json_integer_value(json_object_get(ev, "request")));
	set(r, T_VERIFICATION_FAILURE, w, "officer", str(ev, "officer"));
	set(r, T_VERIFICATION_FAILURE, w, "agency_id", str(ev, "agency"));
	set(r, T_VERIFICATION_FAILURE, w, "reason", str(ev, "reason"));
	set_int(r, T_VERIFICATION_FAILURE, w, "at", when(ev, "at"));
	set(r, T_VERIFICATION_FAILURE, w, "actor", str(ev, "actor"));
}

static const struct {
	const char *type;
	handler_fn fn;
} handlers[] = {
	{"log.init", on_log_init},
	{"log.compartment", on_log_compartment},
	{"deadline.met", on_deadline_met},
	{"compartment.checkpoint", on_compartment_checkpoint},
	{"config.set", on_config_set},
	{"user.add", on_user},
	{"user.set", on_user},
	{"user.remove", on_user},
	{"user.propose", on_user_propose},
	{"user.confirm", on_user_confirm},
	{"user.cancel", on_user_cancel},
	{"customer.records", on_customer_records},
	{"agency.records", on_agency_records},
	{"request.import", on_request_import},
	{"hold.lapsed", on_hold_lapsed},
	{"ndo.added", on_ndo},
	{"ndo.extended", on_ndo},
	{"ndo.lifted", on_ndo},
	{"ndo.review_due", on_ndo},
	{"disclosure", on_disclosure},
	{"disclosure.package", on_disclosure_package},
	{"vault.items", on_vault_items},
	{"vault.import", on_vault_import},
	{"witness.add", on_witness_add},
	{"witness.remove", on_witness_remove},
	{"user.passwd", on_credentials},
	{"user.mfa", on_credentials},
	{"user.mfa_sealed", on_credentials},
	{"token.add", on_token},
	{"token.revoke", on_token},
	{"auth.signin", on_signin},
	{"auth.signin_link", on_signin},
	{"auth.signout", on_signin},
	{"report.published", on_publication},
	{"letter.written", on_letter},
	{"letter.sent", on_letter},
	{"letter.failed", on_letter},
	{"agency.registration_link", on_registration},
	{"agency.registration_refused", on_registration},
	{"customer.link", on_customer_link},
	{"agency.officer_registered", on_officer_registered},
	{"customer.contact_added", on_contact_added},
	{"agency.officer_suspended", on_officer_suspension},
	{"agency.officer_reinstated", on_officer_suspension},
	{"agency.suspended", on_agency_suspension},
	{"agency.reinstated", on_agency_suspension},
	{"agency.request_submitted", on_portal_request},
	{"agency.status_mail", on_portal_request},
	{"agency.status_mail_skipped", on_portal_request},
	{"agency.verification_failed", on_verification_failure},
};

static int on_entry(void *ctx, uint64_t index, const void *entry, size_t len)
{
	struct replay *r = ctx;
	json_t *ev = json_loadb(entry, len, JSON_REJECT_DUPLICATES, NULL);
	const char *type = str(ev, "type");
	r->rep->entries++;
	if (type && strncmp(type, "notice.", 7) == 0) {
		on_notice(r, index, ev);
	} else if (type && strcmp(type, "request.document") == 0) {
		on_document(r, index, ev);
	} else if (type && strncmp(type, "request.", 8) == 0 &&
		   strcmp(type, "request.import") != 0) {
		on_request_event(r, index, ev);
	} else if (type) {
		for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
			if (strcmp(handlers[i].type, type) == 0) {
				handlers[i].fn(r, index, ev);
				break;
			}
	}
	json_decref(ev); /* a bad entry is journal_verify()'s to report */
	if (r->hooks && r->hooks->progress && index % 4096 == 4095)
		r->hooks->progress(r->hooks->ctx, index + 1, 0);
	return 0;
}

/* --- comparing ------------------------------------------------------------------ */

struct compare {
	struct replay *r;
	int table;
	int key_at[MAX_FACTS], fact_at[MAX_FACTS];
	int type_at; /* the row's "type" column, for "col@" facts */
	int mapped;
};

/* The value a fact compares for a stored row (caller frees). */
static char *fact_value(const struct compare *c, const char *fact,
			const char *const *vals, const char *raw, const char *logged)
{
	const char *mark = fact + strcspn(fact, "#@.");
	char tag[JOURNAL_REF_LEN];
	if (!*mark || !raw)
		return raw ? xstrdup(raw) : NULL;
	if (strcmp(mark, "#") == 0) {
		digest_tag(raw, strlen(raw), tag);
		return xstrdup(tag);
	}
	if (strcmp(mark, "@") == 0) {
		if (journal_ref_like(c->r->st,
				     c->type_at >= 0 && vals[c->type_at] ? vals[c->type_at] : "",
				     raw, logged, tag) < 0)
			return NULL;
		return xstrdup(tag);
	}
	if (strcmp(mark, "@c") == 0) {
		if (journal_ref_like(c->r->st, "customer", raw, logged, tag) < 0)
			return NULL;
		return xstrdup(tag);
	}
	if (strcmp(mark, ".action") == 0) {
		json_t *j = json_loads(raw, 0, NULL);
		const char *a = json_string_value(json_object_get(j, "action"));
		char *out = a ? xstrdup(a) : xstrdup("(no action)");
		json_decref(j);
		return out;
	}
	return xstrdup(raw);
}

static const char *shown(const char *s)
{
	return s ? s : "NULL";
}

/* The stored column a fact reads: "doc#" -> "doc", "policy.action" ->
 * "policy". */
static void base_column(const char *fact, char *out, size_t sz)
{
	size_t len = strcspn(fact, "#@.");
	snprintf(out, sz, "%.*s", (int)len, fact);
}

static int map_columns(struct compare *c, int n, const char *const *names)
{
	struct table *t = &c->r->t[c->table];
	c->type_at = -1;
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], "type") == 0)
			c->type_at = i;
	for (int k = 0; k < t->n_keys + t->n_facts; k++) {
		const char *fact = k < t->n_keys ? t->keys[k] : t->facts[k - t->n_keys];
		char want[64];
		int at = -1;
		base_column(fact, want, sizeof(want));
		for (int i = 0; i < n; i++)
			if (strcmp(names[i], want) == 0)
				at = i;
		if (at < 0)
			return err_set(E_STORAGE, "table '%s' has no column '%s'", t->def->name,
				       want);
		if (k < t->n_keys)
			c->key_at[k] = at;
		else
			c->fact_at[k - t->n_keys] = at;
	}
	c->mapped = 1;
	return 0;
}

static int on_row(void *ctx, int n, const char *const *names, const char *const *vals)
{
	struct compare *c = ctx;
	struct replay *r = c->r;
	struct table *t = &r->t[c->table];
	char key[512] = "";
	int rc;
	if (!c->mapped && (rc = map_columns(c, n, names)) < 0)
		return rc;
	for (int k = 0; k < t->n_keys; k++) {
		size_t len = strlen(key);
		snprintf(key + len, sizeof(key) - len, "%s%s", k ? "/" : "",
			 shown(vals[c->key_at[k]]));
	}
	r->rep->rows++;
	struct row *w = find_row(r, c->table, key);
	if (!w) {
		finding(r, c->table, UINT64_MAX,
			"table %s: row %s is not in the log (added or changed outside "
			"docket)",
			t->def->name, key);
		return 0;
	}
	w->seen = 1;
	for (int i = 0; i < t->n_facts; i++) {
		char *have = fact_value(c, t->facts[i], vals, vals[c->fact_at[i]], w->v[i]);
		if (!(str_eq(have, w->v[i]) || (!have && !w->v[i]))) {
			char col[64];
			base_column(t->facts[i], col, sizeof(col));
			finding(r, c->table, w->index,
				"table %s: row %s has %s '%s' but the log gives '%s' (entry "
				"%llu)",
				t->def->name, key, t->facts[i], shown(have), shown(w->v[i]),
				(unsigned long long)w->index);
		}
		free(have);
	}
	return 0;
}

static int compare_table(struct replay *r, int table)
{
	struct compare c = {.r = r, .table = table};
	struct table *t = &r->t[table];
	int rc = store_table_each(r->st, t->def->name, on_row, &c);
	if (rc < 0)
		return rc;
	r->rep->tables++;
	for (size_t i = 0; i < t->cap; i++) {
		struct row *w = &t->slots[i];
		if (w->key && w->v && !w->seen)
			finding(r, table, w->index,
				"table %s: row %s that log entry %llu records is missing "
				"(deleted outside docket)",
				t->def->name, w->key, (unsigned long long)w->index);
	}
	return 0;
}

/* --- the whole -------------------------------------------------------------------- */

static void tables_init(struct replay *r)
{
	for (int i = 0; i < T__COUNT; i++) {
		struct table *t = &r->t[i];
		t->def = &defs[i];
		t->n_facts = (int)split(defs[i].facts, t->facts);
		t->n_keys = (int)split(defs[i].keys, t->keys);
	}
}

static void tables_free(struct replay *r)
{
	for (int i = 0; i < T__COUNT; i++) {
		struct table *t = &r->t[i];
		for (size_t k = 0; k < t->cap; k++) {
			row_free_values(t, &t->slots[k]);
			free(t->slots[k].key);
		}
		free(t->slots);
		for (int k = 0; k < t->n_facts; k++)
			free(t->facts[k]);
		for (int k = 0; k < t->n_keys; k++)
			free(t->keys[k]);
	}
}

static int64_t count_admins(struct replay *r)
{
	struct table *t = &r->t[T_STAFF];
	int64_t n = 0;
	for (size_t i = 0; i < t->cap; i++) {
		const struct row *w = &t->slots[i];
		if (w->key && w->v && w->v[0]) {
			unsigned long long bits = strtoull(w->v[0], NULL, 10);
			if (bits & ROLE_BIT(ROLE_ADMIN))
				n++;
		}
	}
	return n;
}

int replay_verify(struct store *st, const struct journal_hooks *hooks,
		  struct replay_report *out)
{
	struct replay r = {.st = st, .hooks = hooks, .rep = out, .first_table = -1};
	int rc;
	memset(out, 0, sizeof(*out));
	tables_init(&r);
	rc = store_log_each_entry(st, 0, on_entry, &r);
	if (rc == 0) {
		/* then the national-security compartment, whose requests, NDOs,
		 * notices and deadlines are recorded there (SPEC §6) */
		int was = store_log_select(st, STORE_LOG_NS);
		rc = store_log_each_entry(st, 0, on_entry, &r);
		store_log_select(st, (enum store_log)was);
	}
	for (int i = 0; rc == 0 && i < T__COUNT; i++)
		rc = compare_table(&r, i);
	out->admins = count_admins(&r);
	int first = r.first_table;
	tables_free(&r);
	if (rc < 0)
		return rc;
	if (out->problems == 0)
		return 0;
	return err_set(E_INVALID, "the tables do not match the log: %llu problems, first in "
				  "table %s",
		       (unsigned long long)out->problems, defs[first].name);
}

const char *replay_table_check(const char *table)
{
	for (int i = 0; i < T__COUNT; i++)
		if (strcmp(defs[i].name, table) == 0)
			return "replay";
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (strcmp(others[i].name, table) == 0)
			return others[i].check;
	return NULL;
}
