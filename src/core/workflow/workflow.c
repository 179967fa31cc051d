/*
 * workflow.c - the transition table and the review operations (see
 * workflow.h).  The table is the only place that says what may follow what.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "core/policy/classify.h"
#include "core/ledger/journal.h"
#include "core/notice/notice.h"
#include "core/policy/policy.h"
#include "model/normalize.h"
#include "core/workflow/workflow.h"

#define R_INTAKE ROLE_BIT(ROLE_INTAKE)
#define R_REVIEWER ROLE_BIT(ROLE_REVIEWER)
#define R_APPROVER ROLE_BIT(ROLE_APPROVER)
#define R_ADMIN ROLE_BIT(ROLE_ADMIN)
#define R_OFFICER ROLE_BIT(ROLE_OFFICER)   /* the agency's own officer (portal) */

const struct transition workflow_table[] = {
	/* requester verification (GEN-AGENCY, GEN-REQUESTER, US-EMERGENCY) */
	{ST_VERIFYING, "verify", ST_IN_REVIEW, R_REVIEWER, OUT_NONE},
	{ST_VERIFYING, "reject", ST_REJECTED, R_REVIEWER, OUT_REJECTED},
	/* sending the agency to the enterprise needs no verified requester */
	{ST_VERIFYING, "redirect", ST_REDIRECTED, R_REVIEWER, OUT_REDIRECTED},
	/* legal review (I4) */
	{ST_IN_REVIEW, "reject", ST_REJECTED, R_REVIEWER, OUT_REJECTED},
	{ST_IN_REVIEW, "narrow", ST_APPROVED, R_REVIEWER, OUT_NONE},
	{ST_IN_REVIEW, "redirect", ST_REDIRECTED, R_REVIEWER, OUT_REDIRECTED},
	{ST_IN_REVIEW, "challenge", ST_CHALLENGED, R_REVIEWER, OUT_NONE},
	{ST_IN_REVIEW, "approve", ST_APPROVED, R_REVIEWER, OUT_NONE},
	{ST_CHALLENGED, "challenge_quashed", ST_REJECTED, R_REVIEWER, OUT_REJECTED},
	{ST_CHALLENGED, "challenge_modified", ST_IN_REVIEW, R_REVIEWER, OUT_NONE},
	{ST_CHALLENGED, "challenge_denied", ST_IN_REVIEW, R_REVIEWER, OUT_NONE},
	/* four eyes (I10): two distinct approvers */
	{ST_APPROVED, "sign_off", ST_APPROVED, R_APPROVER, OUT_NONE},
	{ST_APPROVED, "sign_off_final", ST_READY, R_APPROVER, OUT_NONE},
	/* production (I1, I7) */
	{ST_READY, "disclose", ST_DISCLOSED, R_APPROVER, OUT_NONE},
	/* closing: the outcome a report counts */
	{ST_DISCLOSED, "close", ST_CLOSED, R_REVIEWER, OUT_NONE},
	{ST_APPROVED, "close", ST_CLOSED, R_REVIEWER, OUT_NO_DATA},
	{ST_READY, "close", ST_CLOSED, R_REVIEWER, OUT_NO_DATA},
	{ST_REJECTED, "close", ST_CLOSED, R_REVIEWER, OUT_REJECTED},
	{ST_REDIRECTED, "close", ST_CLOSED, R_REVIEWER, OUT_REDIRECTED},
	{ST_WITHDRAWN, "close", ST_CLOSED, R_REVIEWER, OUT_WITHDRAWN},
	/* the agency withdraws, any time before disclosure */
	{ST_VERIFYING, "withdraw", ST_WITHDRAWN, R_REVIEWER | R_OFFICER, OUT_WITHDRAWN},
	{ST_IN_REVIEW, "withdraw", ST_WITHDRAWN, R_REVIEWER | R_OFFICER, OUT_WITHDRAWN},
	{ST_CHALLENGED, "withdraw", ST_WITHDRAWN, R_REVIEWER | R_OFFICER, OUT_WITHDRAWN},
	{ST_APPROVED, "withdraw", ST_WITHDRAWN, R_REVIEWER | R_OFFICER, OUT_WITHDRAWN},
	{ST_READY, "withdraw", ST_WITHDRAWN, R_REVIEWER | R_OFFICER, OUT_WITHDRAWN},
	{ST_PRESERVED, "withdraw", ST_WITHDRAWN, R_REVIEWER | R_OFFICER, OUT_WITHDRAWN},
	/* preservation (US-PRESERVATION, EU-EPOC-PR) */
	{ST_PRESERVED, "hold_renew", ST_PRESERVED, R_REVIEWER, OUT_NONE},
	{ST_PRESERVED, "hold_release", ST_RELEASED, R_REVIEWER, OUT_NO_DATA},
	{ST_PRESERVED, "hold_expire", ST_EXPIRED, R_ADMIN, OUT_NO_DATA},
	{ST_PRESERVED, "convert", ST_CONVERTED, R_INTAKE, OUT_NONE},
	{0, NULL, 0, 0, OUT_NONE},
};

const struct transition *workflow_find(enum state from, const char *event)
{
	for (const struct transition *t = workflow_table; t->event; t++)
		if (t->from == from && strcmp(t->event, event) == 0)
			return t;
	return NULL;
}

/* The command a user types for each event of the table: messages name
 * commands, never internal event names (SPEC §4). */
static const struct {
	const char *event, *command;
} event_commands[] = {
	{"verify", "request verify"},
	{"reject", "request decide ID reject"},
	{"narrow", "request decide ID narrow"},
	{"redirect", "request decide ID redirect"},
	{"challenge", "request challenge"},
	{"approve", "request decide ID approve"},
	{"challenge_quashed", "request challenge-outcome"},
	{"challenge_modified", "request challenge-outcome"},
	{"challenge_denied", "request challenge-outcome"},
	{"sign_off", "request approve"},
	{"sign_off_final", "request approve"},
	{"disclose", "disclose"},
	{"close", "request close"},
	{"withdraw", "request withdraw"},
	{"hold_renew", "hold renew"},
	{"hold_release", "hold release"},
	{"hold_expire", "tick"},
	{"convert", "hold convert"},
	{"void", "request void"},
};

const char *workflow_command(const char *event)
{
	for (size_t i = 0; i < ARRAY_SIZE(event_commands); i++)
		if (str_eq(event_commands[i].event, event))
			return event_commands[i].command;
	return event;
}

/* "'request verify', 'request decide ID reject', ..." - the commands the
 * table allows from state s, each once. */
static void allowed_events(enum state s, char *out, size_t outsz)
{
	size_t len = 0;
	out[0] = '\0';
	for (const struct transition *t = workflow_table; t->event; t++) {
		if (t->from != s)
			continue;
		const char *cmd = workflow_command(t->event);
		char quoted[96];
		snprintf(quoted, sizeof(quoted), "'docket %s'", cmd);
		if (strstr(out, quoted))
			continue;
		int n = snprintf(out + len, outsz - len, "%s%s", len ? ", " : "", quoted);
		if (n < 0 || (size_t)n >= outsz - len)
			break;
		len += (size_t)n;
	}
	if (!len)
		str_copy(out, outsz, "nothing: the request is finished");
}

static int is_resolving(enum state s)
{
	return s == ST_CLOSED || s == ST_WITHDRAWN || s == ST_RELEASED || s == ST_EXPIRED ||
	       s == ST_CONVERTED;
}

/* The roles that may take `event` from some state (0: no such event). */
static unsigned event_roles(const char *event)
{
	unsigned roles = 0;
	for (const struct transition *t = workflow_table; t->event; t++)
		if (strcmp(t->event, event) == 0)
			roles |= t->roles;
	return roles;
}

int workflow_apply(struct store *st, const struct staff *by, struct request *r,
		   const char *event, const char *reason, enum outcome outcome,
		   json_t *extra, uint64_t *log_index)
{
	const struct transition *t = workflow_find(r->state, event);
	unsigned may = event_roles(event);
	/* the role first: a user who may never take this step learns nothing
	 * about the request's state */
	if (may && !(by->roles & may)) {
		char need[96];
		roles_format(may, need, sizeof(need));
		json_decref(extra);
		return err_set(E_FORBIDDEN, "user '%s' may not %s request %lld: it needs the "
					    "role %s",
			       by->who.name, event, (long long)r->id, need);
	}
	if (!t) {
		char allowed[768];
		allowed_events(r->state, allowed, sizeof(allowed));
		json_decref(extra);
		return err_set(E_REFUSED, "request %lld is %s: 'docket %s' is not possible now "
					  "(possible: %s)",
			       (long long)r->id, state_str(r->state), workflow_command(event),
			       allowed);
	}
	if (!(by->roles & t->roles)) {
		char need[96];
		roles_format(t->roles, need, sizeof(need));
		json_decref(extra);
		return err_set(E_FORBIDDEN, "user '%s' may not run 'docket %s' on request %lld: "
					    "it needs the role %s",
			       by->who.name, workflow_command(event), (long long)r->id, need);
	}
	enum outcome out = outcome != OUT_NONE ? outcome : t->outcome;
	if (out == OUT_NONE)
		out = r->outcome;
	int64_t closed = is_resolving(t->to) ? by->who.now
					     : (r->has_closed_at ? r->closed_at.t : 0);
	int rc = store_request_set_state(st, r->id, t->to, out, closed,
					 classify_finished(t->to));
	if (rc < 0) {
		json_decref(extra);
		return rc;
	}
	json_t *ev = extra ? extra : json_object();
	if (out != OUT_NONE)
		json_object_set_new(ev, "outcome", json_string(outcome_str(out)));
	if (is_resolving(t->to)) {
		char at[TS_BUFSZ];
		time_format(closed, at);
		json_object_set_new(ev, "closed_at", json_string(at));
	}
	rc = event_transition(st, &by->who, r->id, event, r->state, t->to, reason, ev,
			      log_index);
	if (rc == 0) {
		r->state = t->to;
		r->outcome = out;
	}
	return rc;
}

/* --- loading ------------------------------------------------------------ */

static int load(struct store *st, int64_t id, struct request *r, char **policy)
{
	return store_request_get(st, id, r, policy);
}

/* A request with its recommendation, parsed once; *have is 0 for an
 * imported request, which has none. */
static int load_with_policy(struct store *st, int64_t id, struct request *r,
			    struct policy_result *pol, int *have)
{
	char *text = NULL;
	int rc = load(st, id, r, &text);
	*have = 0;
	memset(pol, 0, sizeof(*pol));
	if (rc == 0 && text && (rc = policy_parse(text, pol)) == 0)
		*have = 1;
	free(text);
	return rc;
}

/* --- decide ---------------------------------------------------------------- */

/* The rule ids of the recommendation's findings, "A, B": those about one
 * of `cats` (CAT_BIT()s) when some are, else those whose effect is
 * `effect` (an enum action; -1: none wanted), else all. */
static void finding_rules(const struct policy_result *pol, unsigned cats, int effect,
			  char *out, size_t outsz)
{
	size_t len = 0;
	out[0] = '\0';
	for (int pass = 0; pass < 3 && len == 0; pass++) {
		for (size_t i = 0; i < pol->n_reasons; i++) {
			const struct policy_reason *v = &pol->reasons[i];
			if (strstr(out, v->rule))
				continue;
			if (pass == 0 && (v->category < 0 || !(cats & CAT_BIT(v->category))))
				continue;
			if (pass == 1 && (effect < 0 || v->effect != effect))
				continue;
			int n = snprintf(out + len, outsz - len, "%s%s", len ? ", " : "", v->rule);
			if (n < 0 || (size_t)n >= outsz - len)
				break;
			len += (size_t)n;
		}
	}
}

/* I2, I3: what the law does not allow, no decision can allow.  A request
 * the policy rejects (no specific target, unsigned or insufficient process,
 * a US person under an agreement order) cannot be approved or narrowed
 * into approval; and no approval may reach a category the process does not
 * support.  The refusal names the rules whose effect is to reject. */
static int check_lawful_scope(const struct request *r, const struct policy_result *pol,
			      int have, unsigned scope)
{
	char rules[256], cats[64];
	if (have && pol->action == ACT_REJECT) {
		finding_rules(pol, 0, ACT_REJECT, rules, sizeof(rules));
		return err_set(E_REFUSED, "request %lld cannot be approved: the law does not "
					  "allow it (%s); reject or challenge it, or ask the "
					  "agency for proper process",
			       (long long)r->id, rules);
	}
	if (scope & ~r->supported) {
		categories_format(scope & ~r->supported, cats, sizeof(cats));
		finding_rules(pol, scope & ~r->supported, -1, rules, sizeof(rules));
		return err_set(E_REFUSED, "request %lld: the legal process does not reach %s "
					  "(%s); narrow it to what the process supports",
			       (long long)r->id, cats, rules);
	}
	return 0;
}

/* The targets the recommendation redirects to an enterprise customer
 * (GEN-ENTERPRISE) that no per-target decision has taken out of
 * production: "'a', 'b'" in out; returns how many. */
static int open_redirects(const struct request *r, const struct policy_result *pol,
			  char *out, size_t outsz)
{
	size_t len = 0;
	int n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < pol->n_reasons; i++) {
		const char *tv = pol->reasons[i].target;
		if (!str_eq(pol->reasons[i].rule, WORKFLOW_REDIRECT_RULE) || !tv)
			continue;
		for (size_t k = 0; k < r->n_targets; k++) {
			if (!str_eq(r->targets[k].value, tv) ||
			    r->targets[k].decision != TD_NONE)
				continue;
			int w = snprintf(out + len, outsz - len, "%s'%s'", len ? ", " : "", tv);
			if (w > 0 && (size_t)w < outsz - len)
				len += (size_t)w;
			n++;
			break;
		}
	}
	return n;
}

/* I5: a GEN-ENTERPRISE redirect binds every step that moves the request
 * towards production (verify, narrow, approve), whatever path it took:
 * each open enterprise target must be redirected, or the step needs the
 * written "extraordinary circumstances" justification, which is kept with
 * the request and shown to both approvers (request show).  Given once, it
 * holds for the later steps. */
static int check_redirect(struct store *st, const struct request *r,
			  const struct policy_result *pol, const char *extraordinary,
			  const char *step, json_t *extra)
{
	char targets[512], *on_file = NULL;
	int n = open_redirects(r, pol, targets, sizeof(targets));
	if (n == 0)
		return 0;
	int rc = store_request_extraordinary(st, r->id, &on_file);
	if (rc < 0)
		return rc;
	if (on_file && !extraordinary) {
		free(on_file);
		return 0;
	}
	free(on_file);
	if (!extraordinary || strlen(extraordinary) < WORKFLOW_EXTRAORDINARY_MIN) {
		rc = err_set(E_REFUSED,
			     "request %lld: %s belong%s to an enterprise customer and should "
			     "be sought from it (%s): redirect %s, or %s with a written "
			     "justification of the extraordinary circumstances (at least %d "
			     "characters%s), which the approvers will see",
			     (long long)r->id, targets, n == 1 ? "s" : "", WORKFLOW_REDIRECT_RULE,
			     n == 1 ? "it" : "them", step, WORKFLOW_EXTRAORDINARY_MIN,
			     extraordinary ? "; the one given is shorter" : "");
		err_set_remedy(REMEDY_REDIRECT, r->id);
		return rc;
	}
	if ((rc = store_request_set_extraordinary(st, r->id, extraordinary)) < 0)
		return rc;
	json_object_set_new(extra, "extraordinary", json_string(extraordinary));
	return 0;
}

static int decide_narrow(struct store *st, const struct request *r, unsigned keep)
{
	if (!keep || (keep & ~r->categories) || keep == r->categories) {
		char asked[64];
		categories_format(r->categories, asked, sizeof(asked));
		return err_set(E_INVALID, "narrowing keeps some, not all, of the categories "
					  "asked for (%s)",
			       asked);
	}
	return store_request_set_scope(st, r->id, keep);
}

static int decide_challenge(struct store *st, const struct staff *by,
			    const struct request *r, const struct decision *d, int64_t *id)
{
	if (!d->court || !*d->court || !d->grounds || !*d->grounds)
		return err_set(E_INVALID, "a challenge needs a court and grounds");
	struct challenge c = {.subject = "request", .filed_at = by->who.now,
			      .court = d->court, .grounds = d->grounds};
	return store_challenge_add(st, r->id, &c, id);
}

/* Index of the target of r named by value (as given, or in normal form),
 * or -1. */
static int find_target(const struct request *r, const char *value)
{
	for (size_t i = 0; i < r->n_targets; i++) {
		char a[NORMALIZE_MAX], b[NORMALIZE_MAX];
		if (str_eq(r->targets[i].value, value))
			return (int)i;
		normalize_target(r->targets[i].type, r->targets[i].value, a, sizeof(a));
		normalize_target(r->targets[i].type, value, b, sizeof(b));
		if (a[0] && str_eq(a, b))
			return (int)i;
	}
	return -1;
}

static int decide_target(struct store *st, const struct staff *by, struct request *r,
			 const struct decision *d)
{
	enum target_decision td;
	if (str_eq(d->name, "redirect"))
		td = TD_REDIRECT;
	else if (str_eq(d->name, "reject"))
		td = TD_REJECT;
	else
		return err_set(E_USAGE, "a decision about one target is redirect or reject; "
					"'%s' is for the whole request",
			       d->name);
	if (!(by->roles & R_REVIEWER))
		return err_set(E_FORBIDDEN, "user '%s' may not decide a target of "
					    "request %lld: it needs the role reviewer",
			       by->who.name, (long long)r->id);
	if (r->state != ST_VERIFYING && r->state != ST_IN_REVIEW)
		return err_set(E_REFUSED, "request %lld is %s: a target can be redirected or "
					  "refused on its own only while the request is "
					  "verifying or in review",
			       (long long)r->id, state_str(r->state));
	int i = find_target(r, d->target);
	if (i < 0)
		return err_set(E_NOTFOUND, "request %lld has no target '%s'", (long long)r->id,
			       d->target);
	if (r->targets[i].decision != TD_NONE)
		return err_set(E_REFUSED, "target '%s' of request %lld is already %s",
			       r->targets[i].value, (long long)r->id,
			       r->targets[i].decision == TD_REDIRECT ? "redirected" : "refused");
	size_t open = 0;
	for (size_t k = 0; k < r->n_targets; k++)
		open += r->targets[k].decision == TD_NONE;
	if (open <= 1) {
		int e = err_set(E_REFUSED, "'%s' is the last target of request %lld still "
					   "open: decide the whole request (%s)",
				r->targets[i].value, (long long)r->id, d->name);
		err_set_remedy(REMEDY_DECIDE_WHOLE, (long long)r->id);
		return e;
	}
	char ref[JOURNAL_REF_LEN];
	int rc = journal_ref(st, target_type_str(r->targets[i].type), TARGET_KEY(&r->targets[i]),
			     ref);
	if (rc < 0 || (rc = store_target_set_decision(st, r->id, (size_t)i, td)) < 0)
		return rc;
	json_t *ev = json_pack("{s:s, s:I, s:s}", "target", ref, "seq", (json_int_t)i,
			       "decision", d->name);
	return event_transition(st, &by->who, r->id,
				td == TD_REDIRECT ? "target_redirect" : "target_reject", r->state,
				r->state, d->reason, ev, NULL);
}

int review_decide(struct store *st, const struct staff *by, int64_t id,
		  const struct decision *d)
{
	struct request r = {0};
	struct policy_result pol;
	int have;
	int rc = load_with_policy(st, id, &r, &pol, &have);
	if (rc < 0)
		goto out;
	if (d->target) {
		rc = decide_target(st, by, &r, d);
		goto out;
	}
	json_t *extra = json_object();
	const char *event = d->name;
	if (!workflow_find(r.state, event)) {
		rc = workflow_apply(st, by, &r, event, d->reason, OUT_NONE, extra, NULL);
		goto out;
	}
	if (strcmp(event, "narrow") == 0) {
		char kept[64];
		if ((rc = check_lawful_scope(&r, &pol, have, d->categories)) < 0 ||
		    (rc = check_redirect(st, &r, &pol, d->extraordinary, "narrow it",
					 extra)) < 0 ||
		    (rc = decide_narrow(st, &r, d->categories)) < 0)
			goto fail;
		categories_format(d->categories, kept, sizeof(kept));
		json_object_set_new(extra, "categories", json_string(kept));
	} else if (strcmp(event, "challenge") == 0) {
		int64_t cid = 0;
		if ((rc = decide_challenge(st, by, &r, d, &cid)) < 0)
			goto fail;
		json_object_set_new(extra, "court", json_string(d->court));
		json_object_set_new(extra, "grounds", json_string(d->grounds));
		json_object_set_new(extra, "challenge", json_integer(cid));
	} else if (strcmp(event, "approve") == 0 &&
		   ((rc = check_lawful_scope(&r, &pol, have, r.categories)) < 0 ||
		    (rc = check_redirect(st, &r, &pol, d->extraordinary, "approve it",
					 extra)) < 0)) {
		/* GEN-ENTERPRISE: overriding the redirect needs a written
		 * justification; the two approvals that follow are the second
		 * pair of eyes (I5, I10). */
		goto fail;
	}
	rc = workflow_apply(st, by, &r, event, d->reason, OUT_NONE, extra, NULL);
	extra = NULL;
	goto out;
fail:
	json_decref(extra);
out:
	policy_result_release(&pol);
	request_release(&r);
	return rc;
}

/* --- four eyes --------------------------------------------------------- */

struct approvals {
	const char *me;
	int mine;
	int n;
};

static int count_approval(void *ctx, const char *approver, int64_t at)
{
	struct approvals *a = ctx;
	(void)at;
	a->n++;
	if (strcmp(approver, a->me) == 0)
		a->mine = 1;
	return 0;
}

int review_approve(struct store *st, const struct staff *by, int64_t id,
		   const char *reason, int *now_ready)
{
	struct request r = {0};
	struct approvals a = {.me = by->who.name};
	int rc = load(st, id, &r, NULL);
	if (rc < 0)
		return rc;
	if ((rc = store_approval_each(st, id, count_approval, &a)) < 0)
		goto out;
	if (r.state == ST_APPROVED && a.mine) {
		rc = err_set(E_REFUSED, "user '%s' has already approved request %lld: a "
					"second, different approver is needed (four eyes)",
			     by->who.name, (long long)id);
		err_set_remedy(REMEDY_SECOND_APPROVER, (long long)id);
		goto out;
	}
	const char *event = a.n >= 1 ? "sign_off_final" : "sign_off";
	uint64_t idx;
	json_t *extra = json_pack("{s:i}", "approval", a.n + 1);
	if ((rc = workflow_apply(st, by, &r, event, reason, OUT_NONE, extra, &idx)) < 0 ||
	    (rc = store_approval_add(st, id, by->who.name, by->who.now, idx)) < 0)
		goto out;
	if (now_ready)
		*now_ready = r.state == ST_READY;
out:
	request_release(&r);
	return rc;
}

/* GEN-AGENCY, US-EMERGENCY: the requester is verified by calling the
 * agency back on its independently sourced number on file.  An agency that
 * is not registered cannot be called back (register or identify it and
 * reassess first); another number than the one on file (compared in E.164
 * form) needs the reviewer's reason, as does an agency without one. */
static int check_callback(struct store *st, const struct request *r,
			  const struct verify_input *v, json_t *extra)
{
	struct agency ag = {0};
	int rc = r->agency ? store_agency_get(st, r->agency, &ag) : -E_NOTFOUND;
	if (rc == -E_NOTFOUND) {
		rc = err_set(E_REFUSED,
			     "request %lld: agency '%s' is not registered, so there is no "
			     "number to call back (GEN-AGENCY): register it and reassess the "
			     "request, or reassess it as the registered agency it is",
			     (long long)r->id, r->agency ? r->agency : "(none)");
		err_set_remedy(REMEDY_REASSESS, r->id);
		return rc;
	}
	if (rc < 0)
		return rc;
	int on_file = ag.phone && phone_same(v->callback, ag.phone);
	int has_reason = v->reason && *v->reason;
	if (!on_file && !has_reason) {
		if (ag.phone)
			rc = err_set(E_REFUSED,
				     "request %lld: %s is not the number on file for agency "
				     "'%s' (%s); call the agency back on that number, or give "
				     "a reason saying why another number was dialled",
				     (long long)r->id, v->callback, ag.id, ag.phone);
		else
			rc = err_set(E_REFUSED,
				     "request %lld: agency '%s' has no call-back number on "
				     "file; give a reason saying where the number dialled (%s) "
				     "comes from, and add the number to the agency",
				     (long long)r->id, ag.id, v->callback);
		err_set_remedy(REMEDY_REASON, r->id);
	}
	json_object_set_new(extra, "number_on_file", json_boolean(on_file));
	agency_release(&ag);
	return rc;
}

int review_verify(struct store *st, const struct staff *by, int64_t id,
		  const struct verify_input *v_in)
{
	struct request r = {0};
	struct policy_result pol;
	int have;
	const char *callback = v_in->callback, *person = v_in->person, *reason = v_in->reason;
	if (!callback || !*callback || !person || !*person)
		return err_set(E_INVALID, "verification needs the call-back number and the "
					  "person who confirmed");
	int rc = load_with_policy(st, id, &r, &pol, &have);
	if (rc < 0) {
		request_release(&r);
		return rc;
	}
	uint64_t idx;
	json_t *extra = json_pack("{s:s, s:s, s:s}", "method", "callback", "callback",
				  callback, "person", person);
	if (workflow_find(r.state, "verify") && (by->roles & R_REVIEWER) &&
	    ((rc = check_callback(st, &r, v_in, extra)) < 0 ||
	     (rc = check_redirect(st, &r, &pol, v_in->extraordinary, "verify it", extra)) <
		 0)) {
		json_decref(extra);
		policy_result_release(&pol);
		request_release(&r);
		return rc;
	}
	policy_result_release(&pol);
	rc = workflow_apply(st, by, &r, "verify", reason, OUT_NONE, extra, &idx);
	if (rc == 0) {
		struct verification v = {.method = "callback", .callback = callback,
					 .person = person, .at = by->who.now,
					 .actor = by->who.name, .log_index = idx};
		rc = store_verification_add(st, id, &v);
	}
	request_release(&r);
	return rc;
}

int review_challenge_outcome_valid(const char *outcome)
{
	static const char *const outcomes[] = {"quashed", "modified", "denied"};
	for (size_t i = 0; i < ARRAY_SIZE(outcomes); i++)
		if (str_eq(outcome, outcomes[i]))
			return 1;
	return 0;
}

int review_challenge_outcome(struct store *st, const struct staff *by, int64_t id,
			     const char *outcome, const char *reason)
{
	char event[64];
	if (!review_challenge_outcome_valid(outcome))
		return err_set(E_INVALID, "challenge outcome '%s' is not quashed, modified or "
					"denied",
			       outcome ? outcome : "");
	struct request r = {0};
	int rc = load(st, id, &r, NULL);
	if (rc < 0)
		return rc;
	snprintf(event, sizeof(event), "challenge_%s", outcome);
	if (workflow_find(r.state, event) &&
	    (rc = store_challenge_decide(st, id, outcome, by->who.now)) < 0)
		goto out;
	rc = workflow_apply(st, by, &r, event, reason, OUT_NONE,
			    json_pack("{s:s}", "challenge_outcome", outcome), NULL);
out:
	request_release(&r);
	return rc;
}

int review_withdraw(struct store *st, const struct staff *by, int64_t id,
		    const char *reason)
{
	struct request r = {0};
	int rc = load(st, id, &r, NULL);
	if (rc == 0)
		rc = workflow_apply(st, by, &r, "withdraw", reason, OUT_NONE, NULL, NULL);
	request_release(&r);
	return rc;
}

/* Which outcomes a close from each state may record. */
static int close_outcome_ok(enum state from, enum outcome o)
{
	switch (from) {
	case ST_DISCLOSED:
		return o == OUT_CONTENT || o == OUT_NONCONTENT_ONLY || o == OUT_NO_DATA;
	case ST_APPROVED:
	case ST_READY:
		return o == OUT_NO_DATA;
	case ST_REJECTED:
		return o == OUT_REJECTED;
	case ST_REDIRECTED:
		return o == OUT_REDIRECTED;
	case ST_WITHDRAWN:
		return o == OUT_WITHDRAWN;
	default:
		return 0;
	}
}

int review_close(struct store *st, const struct staff *by, int64_t id,
		 enum outcome outcome, const char *reason)
{
	struct request r = {0};
	int rc = load(st, id, &r, NULL);
	if (rc < 0)
		return rc;
	if (outcome == OUT_NONE) {
		const struct transition *t = workflow_find(r.state, "close");
		outcome = t && t->outcome != OUT_NONE ? t->outcome : r.outcome;
	}
	if (workflow_find(r.state, "close") && !close_outcome_ok(r.state, outcome)) {
		rc = err_set(E_REFUSED, "request %lld is %s: it cannot be closed with outcome "
					"'%s'",
			     (long long)id, state_str(r.state),
			     outcome == OUT_NONE ? "(none)" : outcome_str(outcome));
		goto out;
	}
	/* content can only have been produced within a scope that holds it */
	unsigned scope = (r.scope ? r.scope : r.categories) & (r.supported ? r.supported : ~0u);
	if (outcome == OUT_CONTENT && !(scope & CAT_BIT(CAT_CONTENT))) {
		rc = err_set(E_REFUSED, "request %lld: outcome 'content' is not possible: its "
					"scope holds no content",
			     (long long)id);
		goto out;
	}
	rc = workflow_apply(st, by, &r, "close", reason, outcome, NULL, NULL);
out:
	request_release(&r);
	return rc;
}

/* --- preservation holds ------------------------------------------------- */

struct hold_terms {
	enum process process;
	int renewal_days;
	const char *rule;
};

/* One renewal: US-PRESERVATION +90 days (18 U.S.C. 2703(f)); EU-EPOC-PR
 * +30 days (Regulation (EU) 2023/1543 Art. 11).  The first period comes
 * from the policy's hold_expiry deadline. */
static const struct hold_terms hold_table[] = {
	{PROC_EU_PRESERVATION_ORDER, 30, "EU-EPOC-PR"},
	{PROC_PRESERVATION, 90, "US-PRESERVATION"},
};

static const struct hold_terms *terms_for(enum process p)
{
	for (size_t i = 0; i < ARRAY_SIZE(hold_table); i++)
		if (hold_table[i].process == p)
			return &hold_table[i];
	return &hold_table[ARRAY_SIZE(hold_table) - 1];
}

int hold_create(struct store *st, const struct request *r, int64_t expires_at,
		json_t *ids)
{
	for (size_t i = 0; i < r->n_targets; i++) {
		struct hold h = {.request_id = r->id, .account_id = r->targets[i].account_id,
				 .created_at = r->received_at.t, .expires_at = expires_at,
				 .state = "active"};
		if (!h.account_id)
			continue;
		int64_t id;
		int rc = store_hold_add(st, &h, &id);
		if (rc < 0)
			return rc;
		if (ids)
			json_array_append_new(ids, json_pack("[I, I]", (json_int_t)id,
							     (json_int_t)h.account_id));
	}
	return 0;
}

struct hold_walk {
	struct store *st;
	const char *state;        /* new state, or NULL to renew */
	int days;
	int refused;
	int64_t expires;
	int n;
};

static int hold_step(void *ctx, const struct hold *h)
{
	struct hold_walk *w = ctx;
	if (strcmp(h->state, "active") != 0)
		return 0;
	w->n++;
	if (w->state)
		return store_hold_update(w->st, h->id, h->expires_at, h->renewals, w->state);
	if (h->renewals >= 1) {
		w->refused = 1;
		return 0;
	}
	w->expires = h->expires_at + w->days * DAY_SECONDS;
	return store_hold_update(w->st, h->id, w->expires, h->renewals + 1, "active");
}

int hold_renew(struct store *st, const struct staff *by, int64_t id, const char *reason)
{
	struct request r = {0};
	int rc = load(st, id, &r, NULL);
	if (rc < 0)
		return rc;
	const struct hold_terms *t = terms_for(r.process);
	struct hold_walk w = {.st = st, .days = t->renewal_days};
	if (r.state == ST_PRESERVED && (by->roles & R_REVIEWER)) {
		if ((rc = store_hold_each(st, id, hold_step, &w)) < 0)
			goto out;
		if (w.refused) {
			rc = err_set(E_REFUSED, "the hold of request %lld was already renewed "
						"once; the law allows one renewal (%s)",
				     (long long)id, t->rule);
			goto out;
		}
		if (w.n && (rc = store_deadline_add(st, id, "hold_expiry", w.expires)) < 0)
			goto out;
	}
	char until[TS_BUFSZ] = "";
	if (w.n)
		time_format(w.expires, until);
	rc = workflow_apply(st, by, &r, "hold_renew", reason, OUT_NONE,
			    json_pack("{s:s, s:s}", "until", until, "rule", t->rule), NULL);
out:
	request_release(&r);
	return rc;
}

static int hold_end(struct store *st, const struct staff *by, int64_t id,
		    const char *event, const char *hold_state, const char *reason)
{
	struct request r = {0};
	int rc = load(st, id, &r, NULL);
	if (rc < 0)
		return rc;
	struct hold_walk w = {.st = st, .state = hold_state};
	if (workflow_find(r.state, event) && (by->roles & workflow_find(r.state, event)->roles) &&
	    (rc = store_hold_each(st, id, hold_step, &w)) < 0)
		goto out;
	rc = workflow_apply(st, by, &r, event, reason, OUT_NONE, NULL, NULL);
out:
	request_release(&r);
	return rc;
}

int hold_release(struct store *st, const struct staff *by, int64_t id, const char *reason)
{
	return hold_end(st, by, id, "hold_release", "released", reason);
}

int hold_convert(struct store *st, const struct staff *by, int64_t id, int64_t follow_up,
		 const char *reason)
{
	struct request r = {0}, next = {0};
	int rc = load(st, follow_up, &next, NULL);
	if (rc < 0)
		return rc;
	request_release(&next);
	if (follow_up == id)
		return err_set(E_INVALID, "a request cannot be its own follow-up");
	if ((rc = load(st, id, &r, NULL)) < 0)
		return rc;
	struct hold_walk w = {.st = st, .state = "converted"};
	const struct transition *t = workflow_find(r.state, "convert");
	if (t && (by->roles & t->roles) && (rc = store_hold_each(st, id, hold_step, &w)) < 0)
		goto out;
	rc = workflow_apply(st, by, &r, "convert", reason, OUT_NONE,
			    json_pack("{s:I}", "follow_up", (json_int_t)follow_up), NULL);
out:
	request_release(&r);
	return rc;
}

struct due {
	int64_t *ids;
	size_t n, cap;
};

static int collect_due(void *ctx, const struct hold *h)
{
	struct due *d = ctx;
	for (size_t i = 0; i < d->n; i++)
		if (d->ids[i] == h->request_id)
			return 0;
	d->ids = xgrow(d->ids, &d->cap, d->n + 1, sizeof(*d->ids));
	d->ids[d->n++] = h->request_id;
	return 0;
}

int hold_expire_due(struct store *st, const struct staff *by, int *expired)
{
	struct due d = {0};
	int rc = store_hold_each_due(st, by->who.now, collect_due, &d);
	*expired = 0;
	for (size_t i = 0; rc == 0 && i < d.n; i++) {
		struct request r = {0};
		if ((rc = load(st, d.ids[i], &r, NULL)) < 0)
			break;
		int preserved = r.state == ST_PRESERVED;
		request_release(&r);
		if (!preserved) {
			/* withdrawn or converted meanwhile: the hold simply lapses,
			 * on the record like every change */
			struct hold_walk w = {.st = st, .state = "expired"};
			if ((rc = store_hold_each(st, d.ids[i], hold_step, &w)) == 0)
				rc = event_log(st, &by->who, "hold.lapsed",
					       json_pack("{s:I, s:i}", "request",
							 (json_int_t)d.ids[i], "holds", w.n),
					       NULL);
			continue;
		}
		rc = hold_end(st, by, d.ids[i], "hold_expire", "expired",
			      "the preservation period ended");
		if (rc == 0)
			(*expired)++;
	}
	free(d.ids);
	return rc;
}

/* --- void ------------------------------------------------------------------ */

int review_void(struct store *st, const struct staff *by, int64_t id, const char *reason)
{
	struct request r = {0};
	int rc;
	if (!(by->roles & R_REVIEWER))
		return err_set(E_FORBIDDEN, "user '%s' may not void a request: it "
					    "needs the role reviewer",
			       by->who.name);
	if (!reason || strlen(reason) < 3) {
		rc = err_set(E_USAGE, "voiding a request needs a reason saying why it was "
				      "entered in error");
		err_set_remedy(REMEDY_REASON, (long long)id);
		return rc;
	}
	if ((rc = load(st, id, &r, NULL)) < 0)
		return rc;
	if (r.voided_at) {
		rc = err_set(E_REFUSED, "request %lld is already void", (long long)id);
		goto out;
	}
	if (r.state == ST_DISCLOSED || r.outcome == OUT_CONTENT ||
	    r.outcome == OUT_NONCONTENT_ONLY) {
		rc = err_set(E_REFUSED, "request %lld: data was disclosed for it, so it was not "
					"entered in error and stays on the record; close it with "
					"its outcome",
			     (long long)id);
		goto out;
	}
	struct hold_walk w = {.st = st, .state = "released"};
	if ((rc = store_request_set_voided(st, id, by->who.now)) < 0 ||
	    (rc = store_hold_each(st, id, hold_step, &w)) < 0 ||
	    (rc = notice_sync(st, &by->who, &r, 1, "request void")) < 0)
		goto out;
	rc = event_transition(st, &by->who, id, "void", r.state, r.state, reason,
			      json_pack("{s:i}", "holds_released", w.n), NULL);
out:
	request_release(&r);
	return rc;
}
