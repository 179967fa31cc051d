/*
 * intake.c - a request's way in (see intake.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/digest.h"
#include "base/err.h"
#include "base/util.h"
#include "core/policy/classify.h"
#include "core/workflow/intake.h"
#include "core/ledger/journal.h"
#include "model/normalize.h"
#include "core/notice/notice.h"
#include "core/policy/policy.h"
#include "core/policy/rules.h"
#include "core/workflow/workflow.h"

char *intake_canonical(const struct request *r)
{
	struct buf b;
	buf_init(&b, BUF_UNLIMITED);
	if (request_canonical(r, &b) == 0)
		return buf_detach(&b, NULL);
	buf_release(&b);
	json_t *doc = request_to_json(r);
	char *text = doc ? json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(doc);
	if (!text)
		err_set(E_INTERNAL, "cannot serialise request '%s'", r->ref);
	return text;
}

int intake_digest(const struct request *r, char out[72])
{
	char *text = intake_canonical(r);
	if (!text)
		return -E_INTERNAL;
	digest_tag(text, strlen(text), out);
	free(text);
	return 0;
}

/* SPEC §3: each target in normal form (e-mail lower case, phone E.164, IP
 * canonical, names trimmed) before it is resolved or stored; a value that
 * has no normal form is used trimmed. */
static void normalize_targets(struct request *r)
{
	for (size_t i = 0; i < r->n_targets; i++) {
		struct target *t = &r->targets[i];
		char out[NORMALIZE_MAX];
		free(t->normal);
		t->normal = NULL;
		if (normalize_target(t->type, t->value, out, sizeof(out)) < 0 &&
		    normalize_trim(t->value, out, sizeof(out)) < 0)
			continue;
		if (!str_eq(out, t->value))
			t->normal = xstrdup(out);
	}
}

static int resolve_targets(struct store *st, struct request *r)
{
	normalize_targets(r);
	for (size_t i = 0; i < r->n_targets; i++) {
		struct target *t = &r->targets[i];
		free(t->customer_id);
		t->customer_id = NULL;
		t->account_id = 0;
		int rc = store_account_resolve(st, t->type, TARGET_KEY(t), &t->account_id,
					       &t->customer_id);
		if (rc < 0 && rc != -E_NOTFOUND)
			return rc;
	}
	return 0;
}

/* Customers of the resolved targets, one slot per target (NULL when the
 * target did not resolve).  Targets of one customer share nothing: each
 * slot is loaded on its own, which keeps ownership simple. */
static int load_customers(struct store *st, const struct request *r,
			  struct customer **out)
{
	struct customer *c = xcalloc(r->n_targets ? r->n_targets : 1, sizeof(*c));
	for (size_t i = 0; i < r->n_targets; i++) {
		if (!r->targets[i].customer_id)
			continue;
		int rc = store_customer_get(st, r->targets[i].customer_id, &c[i]);
		if (rc < 0) {
			for (size_t j = 0; j < i; j++)
				customer_release(&c[j]);
			free(c);
			return rc;
		}
	}
	*out = c;
	return 0;
}

/* Every deadline the policy found (LEGAL-RULES "Deadlines docket tracks"). */
static int store_deadlines(struct store *st, const struct request *r,
			   const struct policy_result *pol)
{
	for (size_t i = 0; i < pol->n_deadlines; i++) {
		int rc = store_deadline_add(st, r->id, deadline_kind_str(pol->deadlines[i].kind),
					    pol->deadlines[i].at);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The end of the first preservation period: the policy's hold_expiry
 * (US-PRESERVATION 90 days, EU-EPOC-PR 60), else 90 days. */
static int64_t hold_expiry(const struct request *r, const struct policy_result *pol)
{
	for (size_t i = 0; i < pol->n_deadlines; i++)
		if (pol->deadlines[i].kind == DL_HOLD_EXPIRY)
			return pol->deadlines[i].at;
	return r->received_at.t + 90 * DAY_SECONDS;
}

static enum state first_state(enum action a)
{
	switch (a) {
	case ACT_VERIFY:
		return ST_VERIFYING;
	case ACT_PRESERVE:
		return ST_PRESERVED;
	default:
		return ST_IN_REVIEW;
	}
}

/* SPEC §3: received_at may not lie in the future beyond a few minutes of
 * clock skew. */
static int check_received_at(const struct request *r, int64_t now)
{
	char at[TS_BUFSZ];
	if (r->received_at.t <= now + INTAKE_MAX_SKEW)
		return 0;
	ts_format(r->received_at, at);
	return err_set(E_INVALID,
		       "field 'received_at': %s lies in the future (more than %d minutes "
		       "ahead of the clock)",
		       at, INTAKE_MAX_SKEW / 60);
}

int intake_facts(struct store *st, const struct request *r, json_t *into)
{
	json_t *targets = json_array(), *accounts = json_array();
	for (size_t i = 0; i < r->n_targets; i++) {
		char h[JOURNAL_REF_LEN];
		int rc = journal_ref(st, target_type_str(r->targets[i].type),
				     TARGET_KEY(&r->targets[i]), h);
		if (rc < 0) {
			json_decref(targets);
			json_decref(accounts);
			return rc;
		}
		json_array_append_new(targets, json_string(h));
		json_array_append_new(accounts, r->targets[i].account_id
							? json_integer(r->targets[i].account_id)
							: json_null());
	}
	char cats[64], received[TS_BUFSZ], due[TS_BUFSZ], closed[TS_BUFSZ];
	categories_format(r->categories, cats, sizeof(cats));
	time_format(r->received_at.t, received);
	if (r->has_due)
		time_format(r->due_at.t, due);
	if (r->has_closed_at)
		time_format(r->closed_at.t, closed);
	json_t *f = json_pack("{s:I, s:s, s:s?, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s?}",
			      "request", (json_int_t)r->id, "ref", r->ref, "agency", r->agency,
			      "country", r->country, "kind", kind_str(r->kind), "process",
			      process_str(r->process), "categories", cats, "targets", targets,
			      "accounts", accounts, "received_at", received, "due_at",
			      r->has_due ? due : NULL);
	if (r->outcome != OUT_NONE)
		json_object_set_new(f, "outcome", json_string(outcome_str(r->outcome)));
	if (r->has_closed_at)
		json_object_set_new(f, "closed_at", json_string(closed));
	json_object_update(into, f);
	json_decref(f);
	return 0;
}

/* The request.received entry: the input's key facts (intake_facts), which
 * the replay of the log (core/ledger/replay.c) compares with the request's
 * columns and its target, deadline and hold rows. */
static json_t *received_event(struct store *st, const struct request *r,
			      const char *digest, const struct policy_result *pol, int *rc)
{
	json_t *deadlines = json_array();
	char at[TS_BUFSZ], kept[64];
	for (size_t i = 0; i < pol->n_deadlines; i++) {
		time_format(pol->deadlines[i].at, at);
		json_array_append_new(deadlines,
				      json_pack("[s, s]",
						deadline_kind_str(pol->deadlines[i].kind), at));
	}
	categories_format(pol->kept, kept, sizeof(kept));
	json_t *ev = json_pack("{s:s, s:s, s:o}", "doc", digest, "supported", kept, "deadlines",
			       deadlines);
	if ((*rc = intake_facts(st, r, ev)) < 0) {
		json_decref(ev);
		return NULL;
	}
	return ev;
}

/* A preserved request's holds, made now and named in its entry ev. */
static int add_holds(struct store *st, const struct request *r,
		     const struct policy_result *pol, json_t *ev)
{
	json_t *holds = json_array();
	char until[TS_BUFSZ];
	time_format(hold_expiry(r, pol), until);
	int rc = hold_create(st, r, hold_expiry(r, pol), holds);
	if (rc < 0) {
		json_decref(holds);
		return rc;
	}
	json_object_set_new(ev, "holds", holds);
	json_object_set_new(ev, "hold_until", json_string(until));
	return 0;
}

static int fill_country(struct store *st, struct request *r, struct agency *ag,
			int *have_agency)
{
	*have_agency = 0;
	if (!r->agency)
		return 0;
	int rc = store_agency_get(st, r->agency, ag);
	if (rc == -E_NOTFOUND)
		return 0;   /* unknown country until the agency is verified */
	if (rc < 0)
		return rc;
	*have_agency = 1;
	if (!r->country[0])
		str_copy(r->country, sizeof(r->country), ag->country);
	return 0;
}

/* Resolve r's targets and evaluate the policy for it, as it stands now:
 * fills *pol and its stored text (caller frees both). */
static int evaluate(struct store *st, const struct ruleset *rules, int64_t now,
		    struct request *r, const struct agency *ag,
		    struct policy_result *pol, char **policy_text)
{
	struct customer *custs = NULL;
	char **domains = NULL;
	size_t n_domains = 0;
	int rc;
	*policy_text = NULL;
	if ((rc = resolve_targets(st, r)) < 0 || (rc = load_customers(st, r, &custs)) < 0)
		return rc;
	if ((rc = store_agency_domains(st, &domains, &n_domains)) < 0)
		goto out;
	const struct customer **slots = xcalloc(r->n_targets ? r->n_targets : 1,
						sizeof(*slots));
	for (size_t i = 0; i < r->n_targets; i++)
		slots[i] = r->targets[i].customer_id ? &custs[i] : NULL;
	struct policy_input in = {
		.req = r,
		.agency = ag,
		.customers = slots,
		.known_domains = (const char *const *)domains,
		.n_known_domains = n_domains,
		.now = now,
	};
	rc = policy_evaluate(rules, &in, pol);
	free(slots);
	if (rc < 0)
		goto out;
	if (!(*policy_text = policy_dumps(pol)))
		rc = -E_INTERNAL;
out:
	for (size_t i = 0; custs && i < r->n_targets; i++)
		customer_release(&custs[i]);
	free(custs);
	for (size_t i = 0; i < n_domains; i++)
		free(domains[i]);
	free(domains);
	return rc;
}

int intake_add(struct store *st, const struct ruleset *rules, const struct actor *who,
	       struct request *r, uint64_t *log_index)
{
	struct agency ag = {0};
	struct policy_result pol = {0};
	char *policy_text = NULL;
	int have_agency, rc;

	if ((rc = check_received_at(r, who->now)) < 0 ||
	    (rc = fill_country(st, r, &ag, &have_agency)) < 0 ||
	    (rc = evaluate(st, rules, who->now, r, have_agency ? &ag : NULL, &pol,
			   &policy_text)) < 0)
		goto out;

	r->state = first_state(pol.action);
	struct request_meta meta = {.policy_json = policy_text, .created_at = who->now,
				    .supported = pol.kept};
	char digest[72];
	request_classify(r);
	if ((rc = store_request_insert(st, r, &meta)) < 0 ||
	    (rc = intake_digest(r, digest)) < 0)
		goto out;
	json_t *ev = received_event(st, r, digest, &pol, &rc);
	if (!ev)
		goto out;
	json_object_set_new(ev, "action", json_string(action_str(pol.action)));
	if (r->state == ST_PRESERVED && (rc = add_holds(st, r, &pol, ev)) < 0) {
		json_decref(ev);
		goto out;
	}
	if ((rc = event_transition(st, who, r->id, "received", -1, r->state, NULL, ev,
				   log_index)) < 0 ||
	    (rc = store_deadlines(st, r, &pol)) < 0)
		goto out;
	rc = notice_intake(st, who, r);
out:
	free(policy_text);
	policy_result_release(&pol);
	agency_release(&ag);
	return rc;
}

/* --- running the policy again ------------------------------------------------ */

struct dl_sync {
	struct store *st;
	int64_t id;
	const struct policy_result *pol;
	int rc;
};

static int drop_stale_deadline(void *ctx, int64_t request_id, const char *kind, int64_t at)
{
	struct dl_sync *d = ctx;
	(void)request_id;
	for (size_t i = 0; i < d->pol->n_deadlines; i++)
		if (str_eq(deadline_kind_str(d->pol->deadlines[i].kind), kind) &&
		    d->pol->deadlines[i].at == at)
			return 0;
	/* kept: deadlines the workflow set (a renewed hold, an investigation
	 * closed), which no policy sets */
	if (str_eq(kind, "hold_expiry") || str_eq(kind, "nsl_gag_review"))
		return 0;
	return d->rc = store_deadline_delete(d->st, d->id, kind, at);
}

struct dl_has {
	const char *kind;
	int64_t at;
	int found;
};

static int has_deadline(void *ctx, int64_t request_id, const char *kind, int64_t at)
{
	struct dl_has *h = ctx;
	(void)request_id;
	if (str_eq(h->kind, kind) && h->at == at)
		h->found = 1;
	return 0;
}

/* The stored deadlines become the policy's: stale ones go, new ones come;
 * one that stays keeps the reminders already raised for it. */
static int sync_deadlines(struct store *st, int64_t id, const struct policy_result *pol)
{
	struct dl_sync d = {st, id, pol, 0};
	int rc = store_deadline_each(st, id, drop_stale_deadline, &d);
	if (rc < 0 || d.rc < 0)
		return rc < 0 ? rc : d.rc;
	for (size_t i = 0; i < pol->n_deadlines; i++) {
		struct dl_has h = {deadline_kind_str(pol->deadlines[i].kind),
				   pol->deadlines[i].at, 0};
		if ((rc = store_deadline_each(st, id, has_deadline, &h)) < 0)
			return rc;
		if (!h.found && (rc = store_deadline_add(st, id, h.kind, h.at)) < 0)
			return rc;
	}
	return 0;
}

int intake_rerun(struct store *st, const struct ruleset *rules, const struct actor *who,
		 struct request *r, const struct rerun *how)
{
	struct agency ag = {0};
	struct policy_result pol = {0};
	char *policy_text = NULL, *doc = NULL;
	char digest[72];
	int have_agency, rc;
	enum state from = r->state;

	r->country[0] = '\0';
	if ((rc = fill_country(st, r, &ag, &have_agency)) < 0)
		goto out;
	if (how->need_agency && !have_agency) {
		rc = err_set(E_REFUSED,
			     "agency '%s' is still not registered: register it, or reassess "
			     "the request as the registered agency it is",
			     r->agency ? r->agency : "(none)");
		err_set_remedy(REMEDY_REASSESS, r->id);
		goto out;
	}
	if ((rc = evaluate(st, rules, who->now, r, have_agency ? &ag : NULL, &pol,
			   &policy_text)) < 0)
		goto out;
	r->state = first_state(pol.action);
	if (!(doc = intake_canonical(r))) {
		rc = -E_INTERNAL;
		goto out;
	}
	digest_tag(doc, strlen(doc), digest);
	request_classify(r);
	if ((rc = store_request_update(st, r, doc, policy_text, pol.kept)) < 0 ||
	    (rc = sync_deadlines(st, r->id, &pol)) < 0)
		goto out;
	json_t *ev = how->extra ? json_copy(how->extra) : json_object();
	/* the input's facts as they now stand, for the replay (core/ledger/replay.c) */
	json_t *facts = received_event(st, r, digest, &pol, &rc);
	if (!facts) {
		json_decref(ev);
		goto out;
	}
	json_object_del(facts, "request");
	json_object_update_missing(ev, facts);
	json_decref(facts);
	json_object_set_new(ev, "doc", json_string(digest));
	json_object_set_new(ev, "action", json_string(action_str(pol.action)));
	if (r->state == ST_PRESERVED && from != ST_PRESERVED &&
	    (rc = add_holds(st, r, &pol, ev)) < 0) {
		json_decref(ev);
		goto out;
	}
	if ((rc = event_transition(st, who, r->id, how->event, from, r->state, how->reason,
				   ev, NULL)) < 0)
		goto out;
	rc = notice_replan(st, who, r->id, NULL);
out:
	free(doc);
	free(policy_text);
	policy_result_release(&pol);
	agency_release(&ag);
	return rc;
}

static int same_ndo(const struct request *a, const struct request *b)
{
	if (a->has_ndo != b->has_ndo)
		return 0;
	if (!a->has_ndo)
		return 1;
	return str_eq(a->ndo.statute, b->ndo.statute) &&
	       a->ndo.issued_at.t == b->ndo.issued_at.t &&
	       a->ndo.has_expiry == b->ndo.has_expiry &&
	       (!a->ndo.has_expiry || a->ndo.expires_at.t == b->ndo.expires_at.t);
}

int intake_amend(struct store *st, const struct ruleset *rules, const struct staff *by,
		 int64_t id, struct request *r, const char *reason)
{
	struct request old = {0};
	char was[72];
	int rc;
	if (!(by->roles & ROLE_BIT(ROLE_INTAKE)))
		return err_set(E_FORBIDDEN, "user '%s' may not amend request %lld: it needs "
					    "the role intake",
			       by->who.name, (long long)id);
	if ((rc = store_request_get(st, id, &old, NULL)) < 0)
		return rc;
	if (old.voided_at) {
		rc = err_set(E_REFUSED, "request %lld is void", (long long)id);
		goto out;
	}
	if ((rc = intake_undecided(st, &old)) <= 0) {
		if (rc == 0) {
			rc = err_set(E_REFUSED,
				     "request %lld is %s and has had a review decision: its "
				     "input can no longer be amended (a request entered in "
				     "error is voided)",
				     (long long)id, state_str(old.state));
			err_set_remedy(REMEDY_VOID, (long long)id);
		}
		goto out;
	}
	if (!same_ndo(&old, r)) {
		rc = err_set(E_REFUSED, "request %lld: the NDO changes through its own "
					"operations (add, extend, lift), which re-plan the "
					"notices, not by amending the request",
			     (long long)id);
		err_set_remedy(REMEDY_NDO, (long long)id);
		goto out;
	}
	if ((rc = check_received_at(r, by->who.now)) < 0 ||
	    (rc = intake_digest(&old, was)) < 0)
		goto out;
	r->id = old.id;
	r->state = old.state;
	json_t *extra = json_pack("{s:s}", "doc_was", was);
	struct rerun how = {.event = "amend", .reason = reason, .extra = extra};
	rc = intake_rerun(st, rules, &by->who, r, &how);
	json_decref(extra);
	if (rc == 0)
		rc = notice_sync(st, &by->who, r, 0, "request amend");
out:
	request_release(&old);
	return rc;
}

/* Events that leave a request undecided: anything else in its history is
 * a review decision (or later), after which its input is settled. */
static int undecided_event(void *ctx, const struct history_entry *h)
{
	static const char *const quiet[] = {"received", "reassess", "amend"};
	for (size_t i = 0; i < ARRAY_SIZE(quiet); i++)
		if (str_eq(h->event, quiet[i]))
			return 0;
	*(const char **)ctx = "decided";
	return 1;
}

int intake_undecided(struct store *st, const struct request *r)
{
	const char *seen = NULL;
	if (r->state != ST_VERIFYING && r->state != ST_IN_REVIEW)
		return 0;
	int rc = store_history_each(st, r->id, undecided_event, &seen);
	return rc < 0 ? rc : !seen;
}

int intake_reassess(struct store *st, const struct ruleset *rules, const struct staff *by,
		    int64_t id, const char *agency, const char *reason)
{
	struct request r = {0};
	int rc;
	if (!(by->roles & ROLE_BIT(ROLE_REVIEWER)))
		return err_set(E_FORBIDDEN, "user '%s' may not reassess request %lld: it needs "
					    "the role reviewer",
			       by->who.name, (long long)id);
	if ((rc = store_request_get(st, id, &r, NULL)) < 0)
		return rc;
	if ((rc = intake_undecided(st, &r)) <= 0) {
		if (rc == 0)
			rc = err_set(E_REFUSED,
				     "request %lld is %s and has had a review decision: its "
				     "policy is settled",
				     (long long)id, state_str(r.state));
		goto out;
	}
	json_t *extra = json_object();
	if (agency) {
		struct agency ag = {0};
		if ((rc = store_agency_get(st, agency, &ag)) < 0) {
			if (rc == -E_NOTFOUND)
				rc = err_set(E_NOTFOUND,
					     "agency '%s' is not registered (docket agency "
					     "list)",
					     agency);
			json_decref(extra);
			goto out;
		}
		agency_release(&ag);
		json_object_set_new(extra, "agency_was",
				    r.agency ? json_string(r.agency) : json_null());
		json_object_set_new(extra, "agency", json_string(agency));
		free(r.agency);
		r.agency = xstrdup(agency);
	}
	struct rerun how = {.event = "reassess", .reason = reason, .extra = extra,
			    .need_agency = 1};
	rc = intake_rerun(st, rules, &by->who, &r, &how);
	json_decref(extra);
out:
	request_release(&r);
	return rc;
}

struct account_slot {
	char *key;             /* "<type>\n<value>", NULL: empty slot */
	int64_t account_id;    /* 0: no such account */
	char *customer_id;
};

struct account_cache {
	struct account_slot *slots;
	size_t n, cap;         /* cap: a power of two */
};

struct account_cache *account_cache_new(void)
{
	struct account_cache *c = xcalloc(1, sizeof(*c));
	c->cap = 1024;
	c->slots = xcalloc(c->cap, sizeof(*c->slots));
	return c;
}

void account_cache_free(struct account_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cap; i++) {
		free(c->slots[i].key);
		free(c->slots[i].customer_id);
	}
	free(c->slots);
	free(c);
}

static uint64_t key_hash(const char *s)
{
	uint64_t h = 14695981039346656037u;   /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static struct account_slot *cache_slot(struct account_slot *slots, size_t cap,
				       const char *key)
{
	size_t i = (size_t)key_hash(key) & (cap - 1);
	while (slots[i].key && strcmp(slots[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void cache_grow(struct account_cache *c)
{
	size_t cap = c->cap * 2;
	struct account_slot *slots = xcalloc(cap, sizeof(*slots));
	for (size_t i = 0; i < c->cap; i++)
		if (c->slots[i].key)
			*cache_slot(slots, cap, c->slots[i].key) = c->slots[i];
	free(c->slots);
	c->slots = slots;
	c->cap = cap;
}

/* The slot of key in c, added (taking key, customer_id) when missing. */
static struct account_slot *cache_put(struct account_cache *c, char *key, int64_t account_id,
				      char *customer_id)
{
	struct account_slot *s = cache_slot(c->slots, c->cap, key);
	if (s->key) {
		free(key);
		free(customer_id);
		return s;
	}
	if (2 * (c->n + 1) > c->cap) {
		cache_grow(c);
		s = cache_slot(c->slots, c->cap, key);
	}
	*s = (struct account_slot){key, account_id, customer_id};
	c->n++;
	return s;
}

static char *cache_key(enum target_type type, const char *value)
{
	return xasprintf("%s\n%s", target_type_str(type), value);
}

static int resolve_cached(struct store *st, struct account_cache *c, struct request *r)
{
	normalize_targets(r);
	for (size_t i = 0; i < r->n_targets; i++) {
		struct target *t = &r->targets[i];
		char *key = cache_key(t->type, TARGET_KEY(t));
		struct account_slot *s = cache_slot(c->slots, c->cap, key);
		if (!s->key) {
			int64_t id = 0;
			char *cust = NULL;
			int rc = store_account_resolve(st, t->type, TARGET_KEY(t), &id, &cust);
			if (rc < 0 && rc != -E_NOTFOUND) {
				free(key);
				return rc;
			}
			s = cache_put(c, key, rc == 0 ? id : 0, rc == 0 ? cust : NULL);
		} else {
			free(key);
		}
		free(t->customer_id);
		t->account_id = s->account_id;
		t->customer_id = s->customer_id ? xstrdup(s->customer_id) : NULL;
	}
	return 0;
}

static int prefetched(void *ctx, enum target_type type, const char *value, int64_t account_id,
		      const char *customer_id)
{
	struct account_cache *c = ctx;
	char *key = cache_key(type, value);
	struct account_slot *s = cache_slot(c->slots, c->cap, key);
	free(key);
	if (s->key && !s->account_id) {   /* noted as asked, below */
		s->account_id = account_id;
		free(s->customer_id);
		s->customer_id = xstrdup(customer_id);
	}
	return 0;
}

#define PREFETCH_CHUNK 1000

int account_cache_prefetch(struct store *st, struct account_cache *c, struct request *reqs,
			   size_t n)
{
	enum target_type types[PREFETCH_CHUNK];
	const char *values[PREFETCH_CHUNK];
	size_t k = 0;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		normalize_targets(&reqs[i]);
		for (size_t j = 0; j < reqs[i].n_targets && rc == 0; j++) {
			struct target *t = &reqs[i].targets[j];
			char *key = cache_key(t->type, TARGET_KEY(t));
			if (cache_slot(c->slots, c->cap, key)->key) {
				free(key);
				continue;
			}
			/* noted as "no such account" until the query says otherwise */
			struct account_slot *s = cache_put(c, key, 0, NULL);
			types[k] = t->type;
			values[k] = s->key + strlen(target_type_str(t->type)) + 1;
			if (++k == PREFETCH_CHUNK) {
				rc = store_account_resolve_many(st, k, types, values, prefetched, c);
				k = 0;
			}
		}
	}
	if (rc == 0 && k)
		rc = store_account_resolve_many(st, k, types, values, prefetched, c);
	return rc;
}

int intake_check_historical(const struct request *r, int64_t now)
{
	char at[TS_BUFSZ];
	if (r->received_at.t > now + INTAKE_MAX_SKEW) {
		ts_format(r->received_at, at);
		return err_set(E_INVALID, "field 'received_at': %s lies in the future", at);
	}
	if (r->has_closed_at && r->closed_at.t + DAY_SECONDS <= r->received_at.t)
		return err_set(E_INVALID, "field 'closed_at': the request was closed before "
					  "it was received");
	if (r->outcome == OUT_CONTENT && !(r->categories & CAT_BIT(CAT_CONTENT)))
		return err_set(E_INVALID, "field 'outcome': 'content' for a request that asked "
					  "for no content (categories)");
	return 0;
}

int intake_import(struct store *st, struct account_cache *cache, struct request *r,
		  const char *doc, char digest[72])
{
	struct agency ag = {0};
	int have_agency, rc;
	char *own = NULL;
	int had_country = r->country[0] != '\0';
	if ((!had_country && (rc = fill_country(st, r, &ag, &have_agency)) < 0) ||
	    (rc = cache ? resolve_cached(st, cache, r) : resolve_targets(st, r)) < 0)
		goto out;
	r->state = ST_CLOSED;
	if (!doc || (!had_country && r->country[0])) {
		if (!(own = intake_canonical(r))) {
			rc = -E_INTERNAL;
			goto out;
		}
		digest_tag(own, strlen(own), digest);
		doc = own;
	}
	struct request_meta meta = {.created_at = r->closed_at.t, .doc = doc};
	request_classify(r);
	rc = store_request_insert(st, r, &meta);
out:
	free(own);
	agency_release(&ag);
	return rc;
}
