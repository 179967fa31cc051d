/*
 * policy_checks.c - what each rule of LEGAL-RULES.md looks for.
 *
 * One evaluator per rule, then the table (rule_specs[]) that ties a rule
 * id to its evaluator, the effects its rules file may give it and its
 * typed parameters.  Evaluators only record findings, flags, dropped
 * categories and deadlines through the ctx_* helpers (policy_int.h); the
 * engine picks the action.  Every number, list and secondary effect comes
 * from the rule's "params", so counsel can change them in rules/.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/clock.h"
#include "base/util.h"
#include "core/policy/lookalike.h"
#include "core/policy/policy_int.h"

#define P(r, name) (rule_param((r), (name)))
#define HAS(bits, v) (((bits) >> (v)) & 1u)

/* ---- small helpers ---------------------------------------------------- */

static int64_t days_after(int64_t t, int64_t days)
{
	return t + days * DAY_SECONDS;
}

/* The same day and month `years` later (29 Feb becomes 28 Feb). */
static int64_t years_after(int64_t t, int64_t years)
{
	int64_t day = t >= 0 ? t / DAY_SECONDS : (t - DAY_SECONDS + 1) / DAY_SECONDS;
	int64_t secs = t - day * DAY_SECONDS;
	int y;
	unsigned m, d;
	civil_from_days(day, &y, &m, &d);
	y += (int)years;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		d = 28;
	return days_from_civil(y, m, d) * DAY_SECONDS + secs;
}

static int kind_in(const struct policy_ctx *c, const struct rule *r, const char *name)
{
	return HAS(P(r, name)->bits, c->req->kind);
}

static int process_in(const struct policy_ctx *c, const struct rule *r, const char *name)
{
	return HAS(P(r, name)->bits, c->req->process);
}

static int is_emergency(const struct request *q)
{
	return q->kind == KIND_EMERGENCY || q->process == PROC_EMERGENCY;
}

/* Drop each requested category not in `allowed`. */
static void drop_unless(struct policy_ctx *c, const struct rule *r, int effect,
			unsigned allowed, const char *why)
{
	for (int cat = 0; cat < category__COUNT; cat++)
		if ((c->req->categories & CAT_BIT(cat)) && !(allowed & CAT_BIT(cat)))
			ctx_drop(c, r, effect, cat, "%s", why);
}

/* ==== general (GEN-*) =================================================== */

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* s without surrounding blanks equals phrase, ignoring case. */
static int trimmed_equal(const char *s, const char *phrase)
{
	size_t n;
	while (is_space(*s))
		s++;
	n = strlen(s);
	while (n && is_space(s[n - 1]))
		n--;
	return n == strlen(phrase) && strncasecmp(s, phrase, n) == 0;
}

static int blank(const char *s)
{
	while (is_space(*s))
		s++;
	return *s == '\0';
}

/* "contoso.com" or "@contoso.com" given as an e-mail target. */
static int whole_domain(const char *v)
{
	const char *at = strchr(v, '@');
	return at ? at == v : strchr(v, '.') != NULL;
}

static const char *target_problem(const struct rule *r, const struct target *t)
{
	const struct strlist *wild = &P(r, "wildcards")->list;
	const struct strlist *phrases = &P(r, "phrases")->list;
	if (blank(t->value))
		return "an empty identifier";
	for (size_t i = 0; i < wild->n; i++)
		if (strstr(t->value, wild->v[i]))
			return "a wildcard";
	for (size_t i = 0; i < phrases->n; i++)
		if (trimmed_equal(t->value, phrases->v[i]))
			return "not an identifier";
	if (t->type == TGT_EMAIL && whole_domain(t->value))
		return "a whole domain, not one address";
	if (t->type == TGT_IP && strchr(t->value, '/'))
		return "an address range, not one address";
	return NULL;
}

/* GEN-TARGETS: only specific identifiers (SPEC I2). */
static void eval_gen_targets(struct policy_ctx *c, const struct rule *r)
{
	if (c->req->n_targets == 0) {
		ctx_find(c, r, r->effect, -1, -1, "no targets named");
		return;
	}
	for (size_t i = 0; i < c->req->n_targets; i++) {
		const char *why = target_problem(r, &c->req->targets[i]);
		if (why)
			ctx_find(c, r, r->effect, -1, (int)i, "'%s' is %s",
				 c->req->targets[i].value, why);
	}
}

/* GEN-AGENCY: the agency must be registered. */
static void eval_gen_agency(struct policy_ctx *c, const struct rule *r)
{
	if (!c->in->agency)
		ctx_find(c, r, r->effect, -1, -1, "agency '%s' is not registered",
			 c->req->agency ? c->req->agency : "(none)");
}

/* The requester's e-mail domain, lower case, without a trailing dot. */
static int requester_domain(const struct request *q, char *out, size_t outsz)
{
	const char *at;
	size_t n;
	if (!q->has_requester || !q->requester.email)
		return -1;
	at = strrchr(q->requester.email, '@');
	if (!at || !at[1] || strlen(at + 1) >= outsz)
		return -1;
	n = strlen(at + 1);
	for (size_t i = 0; i < n; i++)
		out[i] = (char)(at[1 + i] >= 'A' && at[1 + i] <= 'Z' ? at[1 + i] + 32
								     : at[1 + i]);
	out[n] = '\0';
	if (n && out[n - 1] == '.')
		out[n - 1] = '\0';
	return out[0] ? 0 : -1;
}

static int domain_listed(const char *d, char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(d, list[i]) == 0)
			return 1;
	return 0;
}

/* A verified domain (the agency's, or any agency's) d imitates, or NULL. */
static const char *imitated(const struct policy_ctx *c, const struct rule *r,
			    const char *d)
{
	const struct strlist *cls = &P(r, "confusables")->list;
	int max = (int)P(r, "max_distance")->i;
	const struct agency *a = c->in->agency;
	for (size_t i = 0; a && i < a->n_domains; i++)
		if (lookalike_match(d, a->domains[i], max, cls->v, cls->n))
			return a->domains[i];
	for (size_t i = 0; i < c->in->n_known_domains; i++)
		if (lookalike_match(d, c->in->known_domains[i], max, cls->v, cls->n))
			return c->in->known_domains[i];
	return NULL;
}

/* GEN-REQUESTER: the requester writes from a verified domain of the
 * agency; a look-alike of any verified domain is flagged. */
static void eval_gen_requester(struct policy_ctx *c, const struct rule *r)
{
	const struct agency *a = c->in->agency;
	char d[LOOKALIKE_MAX_LEN + 1];
	const char *like;
	if (requester_domain(c->req, d, sizeof(d)) < 0) {
		ctx_flag(c, PF_UNVERIFIED_REQUESTER);
		ctx_find(c, r, r->effect, -1, -1,
			 "no requester e-mail address to verify");
		return;
	}
	if (a && domain_listed(d, a->domains, a->n_domains))
		return;
	ctx_flag(c, PF_UNVERIFIED_REQUESTER);
	if (!domain_listed(d, (char *const *)c->in->known_domains,
			   c->in->n_known_domains) &&
	    (like = imitated(c, r, d)) != NULL) {
		ctx_flag(c, PF_LOOKALIKE_DOMAIN);
		ctx_find(c, r, r->effect, -1, -1,
			 "'%s' looks like the verified domain '%s'", d, like);
		return;
	}
	if (a)
		ctx_find(c, r, r->effect, -1, -1,
			 "'%s' is not a verified domain of agency '%s'", d, a->id);
	else
		ctx_find(c, r, r->effect, -1, -1,
			 "'%s' cannot be checked: the agency is not registered", d);
}

/* GEN-UNSIGNED: compulsory process must be signed. */
static void eval_gen_unsigned(struct policy_ctx *c, const struct rule *r)
{
	if (process_in(c, r, "processes") && !(c->req->has_signed && c->req->is_signed))
		ctx_find(c, r, r->effect, -1, -1, "the %s is not marked signed",
			 process_str(c->req->process));
}

/* GEN-ENTERPRISE: seek an enterprise's data from the enterprise first;
 * not for preservation, nor emergencies. */
static void eval_gen_enterprise(struct policy_ctx *c, const struct rule *r)
{
	if (process_in(c, r, "exempt_processes") || kind_in(c, r, "exempt_kinds"))
		return;
	for (size_t i = 0; i < c->req->n_targets; i++) {
		const struct customer *cu = ctx_customer(c, i);
		if (cu && cu->type == CUST_ENTERPRISE)
			ctx_find(c, r, r->effect, -1, (int)i,
				 "'%s' belongs to enterprise customer '%s'",
				 c->req->targets[i].value, cu->id);
	}
}

/* GEN-CUSTOMER-KEYS: the provider cannot decrypt content whose keys the
 * customer holds; flag always, redirect when such content is asked for. */
static void eval_gen_customer_keys(struct policy_ctx *c, const struct rule *r)
{
	int wants = (c->req->categories & P(r, "redirect_categories")->bits) &&
		    !process_in(c, r, "exempt_processes");
	for (size_t i = 0; i < c->req->n_targets; i++) {
		const struct customer *cu = ctx_customer(c, i);
		if (!cu || cu->key_custody != CUSTODY_CUSTOMER)
			continue;
		ctx_flag(c, PF_CUSTOMER_HELD_KEYS);
		ctx_find(c, r, wants ? r->effect : EFFECT_FLAG, -1, (int)i,
			 "customer '%s' holds the keys to its content", cu->id);
	}
}

/* GEN-NDO-INDEFINITE: an NDO without an end date; challenge it. */
static void eval_gen_ndo_indefinite(struct policy_ctx *c, const struct rule *r)
{
	if (!c->req->has_ndo || c->req->ndo.has_expiry)
		return;
	ctx_flag(c, PF_NDO_INDEFINITE);
	ctx_find(c, r, r->effect, -1, -1, "the NDO (%s) has no end date",
		 c->req->ndo.statute);
}

/* GEN-NDO-LONG: an NDO longer than max_days (365). */
static void eval_gen_ndo_long(struct policy_ctx *c, const struct rule *r)
{
	const struct ndo *n = &c->req->ndo;
	int64_t days;
	if (!c->req->has_ndo || !n->has_expiry)
		return;
	days = (n->expires_at.t - n->issued_at.t) / DAY_SECONDS;
	if (n->expires_at.t - n->issued_at.t <= P(r, "max_days")->i * DAY_SECONDS)
		return;
	ctx_flag(c, PF_NDO_OVER_ONE_YEAR);
	ctx_find(c, r, r->effect, -1, -1, "the NDO runs %lld days", (long long)days);
}

/* ==== United States (US-*) ============================================= */

/* US-SUBSCRIBER-SUBPOENA, US-NONCONTENT-ORDER, US-CONTENT-WARRANT: the
 * ladder subpoena < court_order < search_warrant, one rule per category,
 * for every process no more specific rule governs. */
static void eval_ladder(struct policy_ctx *c, const struct rule *r)
{
	int cat = (int)P(r, "category")->i;
	if (!ctx_governs(c, r) || !(c->req->categories & CAT_BIT(cat)) ||
	    HAS(P(r, "sufficient")->bits, c->req->process))
		return;
	ctx_drop(c, r, r->effect, cat, "'%s' is not sufficient",
		 process_str(c->req->process));
}

/* US-PROSPECTIVE: pen register (non-content, 60 days) and wiretap
 * (content, 30 days) orders. */
static void eval_us_prospective(struct policy_ctx *c, const struct rule *r)
{
	int pen = c->req->process == PROC_PEN_REGISTER;
	const char *cats = pen ? "pen_register_categories" : "wiretap_categories";
	int64_t days = P(r, pen ? "pen_register_days" : "wiretap_days")->i;
	if (!ctx_governs(c, r))
		return;
	drop_unless(c, r, r->effect, P(r, cats)->bits,
		    pen ? "a pen register order reaches only what it lists"
			: "a wiretap order reaches only what it lists");
	if (c->req->has_date_range &&
	    c->req->date_to.t - c->req->date_from.t > days * DAY_SECONDS)
		ctx_find(
		    c, r, r->effect, -1, -1,
		    "the period asked for exceeds the %lld-day maximum of a %s order",
		    (long long)days, process_str(c->req->process));
	ctx_deadline(c, r, pen ? DL_PEN_REGISTER_EXPIRY : DL_WIRETAP_EXPIRY,
		     days_after(c->base, days));
}

static void missing_fields(const struct request *q, char *out, size_t outsz)
{
	const struct party *s = &q->emergency_supervisor;
	out[0] = '\0';
	if (!q->has_emergency || !q->emergency_justification ||
	    blank(q->emergency_justification))
		snprintf(out + strlen(out), outsz - strlen(out), "a justification");
	if (!q->has_emergency || !s->name || blank(s->name))
		snprintf(out + strlen(out), outsz - strlen(out),
			 "%sthe supervisor's name", out[0] ? ", " : "");
	if (!q->has_emergency || !s->phone || blank(s->phone))
		snprintf(out + strlen(out), outsz - strlen(out),
			 "%sthe supervisor's phone", out[0] ? ", " : "");
}

/* US-EMERGENCY: voluntary emergency disclosure needs a justification and
 * a supervisor, and a call-back to the agency's own number.  Content goes
 * voluntarily only to a US governmental entity (2702(b)(8) with 2711(4));
 * a foreign agency gets what 2702(c)(6) allows.  While the agency is not
 * registered its country is unknown and nothing is dropped on that ground
 * (GEN-AGENCY): the policy runs again once it is. */
static void eval_us_emergency(struct policy_ctx *c, const struct rule *r)
{
	const struct agency *a = c->in->agency;
	char missing[128];
	if (!ctx_governs(c, r))
		return;
	if (a && !rule_list_has(&P(r, "domestic_countries")->list, a->country))
		drop_unless(c, r, (int)P(r, "foreign_effect")->i,
			    ~P(r, "foreign_dropped")->bits,
			    "an emergency disclosure of content may go only to a US "
			    "governmental entity; a foreign agency must use an MLAT or a "
			    "US agency");
	missing_fields(c->req, missing, sizeof(missing));
	if (missing[0])
		ctx_find(c, r, (int)P(r, "incomplete_effect")->i, -1, -1, "missing %s",
			 missing);
	if (a && a->phone)
		ctx_find(c, r, r->effect, -1, -1, "call back the agency on %s", a->phone);
	else
		ctx_find(c, r, r->effect, -1, -1,
			 "no independently sourced call-back number on file");
	ctx_deadline(c, r, DL_EMERGENCY_FOLLOW_UP,
		     days_after(c->base, P(r, "follow_up_days")->i));
}

/* US-PRESERVATION: preserve for hold_days (90), renewable. */
static void eval_us_preservation(struct policy_ctx *c, const struct rule *r)
{
	if (!ctx_governs(c, r))
		return;
	ctx_find(c, r, r->effect, -1, -1,
		 "hold for %lld days, renewable %lld time(s) by %lld",
		 (long long)P(r, "hold_days")->i, (long long)P(r, "max_renewals")->i,
		 (long long)P(r, "renewal_days")->i);
	ctx_deadline(c, r, DL_HOLD_EXPIRY, days_after(c->base, P(r, "hold_days")->i));
}

/* US-NSL: a National Security Letter reaches subscriber records only. */
static void eval_us_nsl(struct policy_ctx *c, const struct rule *r)
{
	unsigned allowed = P(r, "allowed")->bits;
	if (!ctx_governs(c, r))
		return;
	ctx_flag(c, PF_NATIONAL_SECURITY);
	if (c->req->categories & ~allowed)
		drop_unless(c, r, r->effect, allowed, "an NSL never reaches this");
	else
		ctx_find(c, r, ACT_REVIEW, -1, -1, "designated counsel reviews");
	ctx_deadline(c, r, DL_NSL_GAG_REVIEW,
		     years_after(c->base, P(r, "gag_review_years")->i));
}

/* US-FISA: designated counsel only; banded reporting. */
static void eval_us_fisa(struct policy_ctx *c, const struct rule *r)
{
	if (!ctx_governs(c, r))
		return;
	ctx_flag(c, PF_NATIONAL_SECURITY);
	ctx_flag(c, PF_STATUTORY_SECRECY);
	ctx_find(c, r, r->effect, -1, -1,
		 "designated counsel reviews; the customer notice is suppressed by "
		 "statute, without a separate NDO");
}

/* US-CIVIL: civil litigants cannot compel content. */
static void eval_us_civil(struct policy_ctx *c, const struct rule *r)
{
	const struct agency *a = c->in->agency;
	if (!ctx_governs(c, r) && !kind_in(c, r, "kinds") &&
	    !(a && HAS(P(r, "agency_types")->bits, a->type)))
		return;
	drop_unless(c, r, r->effect, ~P(r, "dropped")->bits,
		    "civil process cannot compel it");
}

/* US-DATA-ABROAD: record targets whose data is stored outside the US. */
static void eval_us_data_abroad(struct policy_ctx *c, const struct rule *r)
{
	for (size_t i = 0; i < c->req->n_targets; i++) {
		const struct customer *cu = ctx_customer(c, i);
		if (!cu ||
		    rule_list_has(&P(r, "home_countries")->list, cu->data_location))
			continue;
		ctx_flag(c, PF_DATA_ABROAD);
		ctx_find(c, r, r->effect, -1, (int)i, "data of '%s' is stored in %s",
			 c->req->targets[i].value, cu->data_location);
	}
}

/* US-COMITY: process requiring contents (2703(h)(2)(A)) for a non-US
 * person living in a qualifying foreign country; a motion to modify or
 * quash within motion_days (14) of service.  Process that seeks no content
 * gives no such motion. */
static void eval_us_comity(struct policy_ctx *c, const struct rule *r)
{
	int found = 0;
	if (!process_in(c, r, "processes") ||
	    !(c->req->categories & P(r, "categories")->bits))
		return;
	for (size_t i = 0; i < c->req->n_targets; i++) {
		const struct customer *cu = ctx_customer(c, i);
		if (!cu || cu->us_person ||
		    !rule_list_has(&P(r, "qualifying_countries")->list, cu->country))
			continue;
		found = 1;
		ctx_find(c, r, r->effect, -1, (int)i,
			 "'%s' belongs to a non-US person residing in %s",
			 c->req->targets[i].value, cu->country);
	}
	if (found)
		ctx_deadline(c, r, DL_COMITY_MOTION,
			     days_after(c->base, P(r, "motion_days")->i));
}

/* ==== other governments (INTL-*, EU-*) ================================= */

/* INTL-CONTENT: a foreign government's own order cannot obtain content. */
static void eval_intl_content(struct policy_ctx *c, const struct rule *r)
{
	char why[96];
	if (!ctx_governs(c, r))
		return;
	snprintf(why, sizeof(why), "a %s from %s is not a US warrant",
		 process_str(c->req->process), c->req->country);
	drop_unless(c, r, r->effect, ~P(r, "dropped")->bits, why);
}

/* The ladder rule (eval_ladder) for category cat, or NULL. */
static const struct rule *ladder_rule(const struct ruleset *rs, int cat)
{
	for (size_t i = 0; i < rules_count(rs); i++) {
		const struct rule *r = rules_at(rs, i);
		if (r->spec->eval == eval_ladder && P(r, "category")->i == cat)
			return r;
	}
	return NULL;
}

/* INTL-MLAT: once a US court executes it (18 U.S.C. 3512), an MLAT
 * request is the US process `as`; before that it reaches no content. */
static void eval_intl_mlat(struct policy_ctx *c, const struct rule *r)
{
	int as = (int)P(r, "as")->i;
	size_t before = c->n_f;
	if (!ctx_governs(c, r))
		return;
	if (!(c->req->has_issued_by && c->req->issued_by.type == ISSUER_COURT)) {
		drop_unless(c, r, r->effect, ~P(r, "unexecuted_dropped")->bits,
			    "not shown to be executed by a US court");
	} else {
		for (int cat = 0; cat < category__COUNT; cat++) {
			const struct rule *l = ladder_rule(c->rs, cat);
			if ((c->req->categories & CAT_BIT(cat)) && l &&
			    !HAS(P(l, "sufficient")->bits, (unsigned)as))
				ctx_drop(c, r, r->effect, cat,
					 "treated as a %s, which is not "
					 "sufficient (%s)",
					 process_str(as), l->id);
		}
	}
	if (c->n_f == before)
		ctx_find(c, r, ACT_REVIEW, -1, -1,
			 "treated as a %s executed by a US court", process_str(as));
}

/* INTL-CLOUD-AGREEMENT: an order under a CLOUD Act executive agreement may
 * reach content, but may not target a US person or a person located in the
 * United States (2523(b)(4)(A)-(B)): a customer whose country is one of
 * us_countries counts as located there.  From any other country it is a
 * foreign order. */
static void eval_intl_cloud_agreement(struct policy_ctx *c, const struct rule *r)
{
	size_t before = c->n_f;
	if (!ctx_governs(c, r))
		return;
	if (!rule_list_has(&P(r, "agreement_countries")->list, c->req->country)) {
		drop_unless(c, r, (int)P(r, "non_agreement_effect")->i,
			    ~P(r, "non_agreement_dropped")->bits,
			    "no executive agreement with the requesting country");
	} else {
		for (size_t i = 0; i < c->req->n_targets; i++) {
			const struct customer *cu = ctx_customer(c, i);
			if (!cu)
				continue;
			if (cu->us_person) {
				ctx_flag(c, PF_US_PERSON_TARGET);
				ctx_find(c, r, r->effect, -1, (int)i,
					 "'%s' belongs to a US person",
					 c->req->targets[i].value);
			} else if (rule_list_has(&P(r, "us_countries")->list,
						 cu->country)) {
				ctx_find(c, r, r->effect, -1, (int)i,
					 "'%s' belongs to a person located in the United "
					 "States (%s)",
					 c->req->targets[i].value, cu->country);
			}
		}
	}
	if (c->n_f == before)
		ctx_find(c, r, ACT_REVIEW, -1, -1,
			 "order under the executive agreement with %s", c->req->country);
}

/* Why the e-evidence Regulation does not bind this order, or NULL. */
static const char *epoc_inapplicable(const struct policy_ctx *c, const struct rule *r)
{
	if (rule_list_has(&P(r, "non_participating")->list, c->req->country))
		return "the issuing state does not take part in Regulation (EU) "
		       "2023/1543";
	if (c->base < P(r, "applies_from")->i)
		return "received before Regulation (EU) 2023/1543 applies";
	return NULL;
}

static unsigned epoc_issuer_categories(const struct policy_ctx *c, const struct rule *r)
{
	static const char *const names[issuer_type__COUNT] = {
	    [ISSUER_COURT] = "court_categories",
	    [ISSUER_PROSECUTOR] = "prosecutor_categories",
	    [ISSUER_AGENCY] = "agency_categories",
	};
	int who = c->req->has_issued_by ? (int)c->req->issued_by.type : ISSUER_AGENCY;
	return P(r, names[who])->bits;
}

/* EU-EPOC: a European Production Order - who may order what, and the
 * 10-day / 8-hour answer. */
static void eval_eu_epoc(struct policy_ctx *c, const struct rule *r)
{
	const char *why;
	unsigned allowed;
	if (!ctx_governs(c, r))
		return;
	if ((why = epoc_inapplicable(c, r)) != NULL) {
		size_t before = c->n_f;
		drop_unless(c, r, r->effect, ~P(r, "inapplicable_dropped")->bits, why);
		if (c->n_f == before)
			ctx_find(c, r, ACT_REVIEW, -1, -1, "%s", why);
		return;
	}
	allowed = epoc_issuer_categories(c, r);
	drop_unless(c, r, r->effect, allowed,
		    c->req->has_issued_by && c->req->issued_by.type == ISSUER_PROSECUTOR
			? "a prosecutor may order only subscriber data"
			: "not issued by a judge or court");
	if (c->req->categories & allowed & P(r, "notified_categories")->bits) {
		ctx_flag(c, PF_ENFORCING_STATE_NOTIFIED);
		ctx_find(c, r, EFFECT_FLAG, -1, -1,
			 "the enforcing state is notified and may raise refusal grounds");
	}
	if (is_emergency(c->req) || c->req->has_emergency)
		ctx_deadline(c, r, DL_EPOC_EMERGENCY_RESPONSE,
			     c->base + P(r, "emergency_response_hours")->i * 3600);
	else
		ctx_deadline(c, r, DL_EPOC_RESPONSE,
			     days_after(c->base, P(r, "response_days")->i));
}

/* EU-EPOC-PR: a European Preservation Order - preserve 60 days (+30). */
static void eval_eu_epoc_pr(struct policy_ctx *c, const struct rule *r)
{
	if (!ctx_governs(c, r))
		return;
	ctx_find(c, r, r->effect, -1, -1,
		 "hold for %lld days, extendable %lld time(s) by %lld",
		 (long long)P(r, "hold_days")->i, (long long)P(r, "max_extensions")->i,
		 (long long)P(r, "extension_days")->i);
	ctx_deadline(c, r, DL_HOLD_EXPIRY, days_after(c->base, P(r, "hold_days")->i));
}

/* EU-GDPR-48: a non-EU government asks for data of a customer located in
 * the EU (the countries of the rule's own jurisdiction). */
static void eval_eu_gdpr_48(struct policy_ctx *c, const struct rule *r)
{
	const struct jurisdiction *eu = rules_jurisdiction_find(c->rs, r->jurisdiction);
	for (size_t i = 0; eu && i < c->req->n_targets; i++) {
		const struct customer *cu = ctx_customer(c, i);
		const char *where = NULL;
		for (size_t k = 0; cu && !where && k < eu->n_countries; k++)
			if (strcmp(cu->country, eu->countries[k]) == 0 ||
			    strcmp(cu->data_location, eu->countries[k]) == 0)
				where = eu->countries[k];
		if (!where)
			continue;
		ctx_flag(c, PF_GDPR_ART48);
		ctx_find(c, r, r->effect, -1, (int)i, "'%s': customer or data in %s",
			 c->req->targets[i].value, where);
	}
}

/* ==== the table ========================================================= */

#define E(x) EFF_BIT(x)
#define EF E(EFFECT_FLAG)
#define DROP_EFFECTS (E(ACT_NARROW) | E(ACT_REJECT) | E(ACT_REVIEW))
/* clang-format off */
#define LADDER {{"category", PT_CATEGORY, 0}, {"sufficient", PT_PROCESSES, 0}}
/* clang-format on */

const struct rule_spec rule_specs[] = {
    {"GEN-TARGETS",
     E(ACT_REJECT) | E(ACT_VERIFY) | E(ACT_REVIEW),
     0,
     {{"wildcards", PT_STRINGS, 0}, {"phrases", PT_STRINGS, 0}},
     eval_gen_targets},
    {"GEN-AGENCY",
     E(ACT_VERIFY) | E(ACT_REJECT) | E(ACT_REVIEW),
     0,
     {{0}},
     eval_gen_agency},
    {"GEN-REQUESTER",
     E(ACT_VERIFY) | E(ACT_REJECT) | E(ACT_REVIEW),
     0,
     {{"max_distance", PT_INT, 0}, {"confusables", PT_STRINGS, 0}},
     eval_gen_requester},
    {"GEN-UNSIGNED",
     E(ACT_REJECT) | E(ACT_VERIFY) | E(ACT_REVIEW),
     0,
     {{"processes", PT_PROCESSES, 0}},
     eval_gen_unsigned},
    {"GEN-ENTERPRISE",
     E(ACT_REDIRECT) | E(ACT_REVIEW),
     0,
     {{"exempt_processes", PT_PROCESSES, 0}, {"exempt_kinds", PT_KINDS, 0}},
     eval_gen_enterprise},
    {"GEN-CUSTOMER-KEYS",
     E(ACT_REDIRECT) | E(ACT_REVIEW) | EF,
     0,
     {{"redirect_categories", PT_CATEGORIES, 0}, {"exempt_processes", PT_PROCESSES, 0}},
     eval_gen_customer_keys},
    {"GEN-NDO-INDEFINITE", EF | E(ACT_REVIEW), 0, {{0}}, eval_gen_ndo_indefinite},
    {"GEN-NDO-LONG", EF | E(ACT_REVIEW), 0, {{"max_days", PT_INT, 0}}, eval_gen_ndo_long},

    {"US-SUBSCRIBER-SUBPOENA", DROP_EFFECTS, 1, LADDER, eval_ladder},
    {"US-NONCONTENT-ORDER", DROP_EFFECTS, 1, LADDER, eval_ladder},
    {"US-CONTENT-WARRANT", DROP_EFFECTS, 1, LADDER, eval_ladder},
    {"US-PROSPECTIVE",
     DROP_EFFECTS,
     1,
     {{"pen_register_categories", PT_CATEGORIES, 0},
      {"pen_register_days", PT_INT, 0},
      {"wiretap_categories", PT_CATEGORIES, 0},
      {"wiretap_days", PT_INT, 0}},
     eval_us_prospective},
    {"US-EMERGENCY",
     E(ACT_VERIFY) | E(ACT_REVIEW),
     1,
     {{"incomplete_effect", PT_EFFECT, E(ACT_REJECT) | E(ACT_VERIFY) | E(ACT_REVIEW)},
      {"follow_up_days", PT_INT, 0},
      {"domestic_countries", PT_COUNTRIES, 0},
      {"foreign_dropped", PT_CATEGORIES, 0},
      {"foreign_effect", PT_EFFECT, DROP_EFFECTS}},
     eval_us_emergency},
    {"US-PRESERVATION",
     E(ACT_PRESERVE),
     1,
     {{"hold_days", PT_INT, 0}, {"renewal_days", PT_INT, 0}, {"max_renewals", PT_INT, 0}},
     eval_us_preservation},
    {"US-NSL",
     DROP_EFFECTS,
     1,
     {{"allowed", PT_CATEGORIES, 0}, {"gag_review_years", PT_INT, 0}},
     eval_us_nsl},
    {"US-FISA", E(ACT_REVIEW), 1, {{0}}, eval_us_fisa},
    {"US-CIVIL",
     DROP_EFFECTS,
     1,
     {{"kinds", PT_KINDS, 0},
      {"agency_types", PT_AGENCY_TYPES, 0},
      {"dropped", PT_CATEGORIES, 0}},
     eval_us_civil},
    {"US-DATA-ABROAD",
     EF | E(ACT_REVIEW),
     0,
     {{"home_countries", PT_COUNTRIES, 0}},
     eval_us_data_abroad},
    {"US-COMITY",
     E(ACT_COMITY_REVIEW) | E(ACT_REVIEW) | EF,
     0,
     {{"processes", PT_PROCESSES, 0},
      {"categories", PT_CATEGORIES, 0},
      {"qualifying_countries", PT_COUNTRIES, 0},
      {"motion_days", PT_INT, 0}},
     eval_us_comity},

    {"INTL-CONTENT", DROP_EFFECTS, 1, {{"dropped", PT_CATEGORIES, 0}}, eval_intl_content},
    {"INTL-MLAT",
     DROP_EFFECTS,
     1,
     {{"as", PT_PROCESS, 0}, {"unexecuted_dropped", PT_CATEGORIES, 0}},
     eval_intl_mlat},
    {"INTL-CLOUD-AGREEMENT",
     E(ACT_REJECT) | E(ACT_REVIEW),
     1,
     {{"agreement_countries", PT_COUNTRIES, 0},
      {"us_countries", PT_COUNTRIES, 0},
      {"non_agreement_dropped", PT_CATEGORIES, 0},
      {"non_agreement_effect", PT_EFFECT, DROP_EFFECTS}},
     eval_intl_cloud_agreement},
    {"EU-EPOC",
     DROP_EFFECTS,
     1,
     {{"applies_from", PT_DATE, 0},
      {"non_participating", PT_COUNTRIES, 0},
      {"inapplicable_dropped", PT_CATEGORIES, 0},
      {"court_categories", PT_CATEGORIES, 0},
      {"prosecutor_categories", PT_CATEGORIES, 0},
      {"agency_categories", PT_CATEGORIES, 0},
      {"notified_categories", PT_CATEGORIES, 0},
      {"response_days", PT_INT, 0},
      {"emergency_response_hours", PT_INT, 0}},
     eval_eu_epoc},
    {"EU-EPOC-PR",
     E(ACT_PRESERVE),
     1,
     {{"hold_days", PT_INT, 0},
      {"extension_days", PT_INT, 0},
      {"max_extensions", PT_INT, 0}},
     eval_eu_epoc_pr},
    {"EU-GDPR-48", EF | E(ACT_REVIEW), 0, {{0}}, eval_eu_gdpr_48},
};

const size_t rule_spec_count = ARRAY_SIZE(rule_specs);
