/*
 * policy.c - the evaluation engine: runs the applicable rules, then turns
 * their findings into one recommendation (see policy.h).  What each rule
 * looks for is in policy_checks.c; the plain-text explanation is in
 * policy_explain.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "core/policy/policy_int.h"

/* ---- vocabularies ----------------------------------------------------- */

#define POLICY_NAME(name, str) str,
static const char *const flag_names[] = {POLICY_FLAGS(POLICY_NAME)};
static const char *const deadline_names[] = {POLICY_DEADLINES(POLICY_NAME)};

static int name_index(const char *const *names, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *policy_flag_str(int f)
{
	return f >= 0 && f < policy_flag__COUNT ? flag_names[f] : "?";
}

int policy_flag_parse(const char *s)
{
	return name_index(flag_names, policy_flag__COUNT, s);
}

const char *deadline_kind_str(int k)
{
	return k >= 0 && k < deadline_kind__COUNT ? deadline_names[k] : "?";
}

int deadline_kind_parse(const char *s)
{
	return name_index(deadline_names, deadline_kind__COUNT, s);
}

/* ---- the context evaluators write to ---------------------------------- */

int ctx_governs(const struct policy_ctx *c, const struct rule *r)
{
	unsigned p = 1u << c->req->process;
	if (r->governs_rest)
		return !(c->governed & p);
	return (r->governs & p) != 0;
}

static void add_finding(struct policy_ctx *c, const struct rule *r, int effect,
			int category, int target, int drops, const char *fmt, va_list ap)
{
	struct finding *f;
	c->f = xgrow(c->f, &c->cap_f, c->n_f + 1, sizeof(*c->f));
	f = &c->f[c->n_f++];
	memset(f, 0, sizeof(*f));
	f->rule = r;
	f->effect = effect;
	f->category = category;
	f->target = target;
	f->drops = drops;
	if (fmt) {
		char text[1024];
		vsnprintf(text, sizeof(text), fmt, ap);
		f->detail = xstrdup(text);
	}
}

void ctx_find(struct policy_ctx *c, const struct rule *r, int effect, int category,
	      int target, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_finding(c, r, effect, category, target, 0, fmt, ap);
	va_end(ap);
}

void ctx_drop(struct policy_ctx *c, const struct rule *r, int effect, int category,
	      const char *fmt, ...)
{
	int drops = effect == ACT_NARROW || effect == ACT_REJECT;
	va_list ap;
	if (drops)
		c->dropped |= CAT_BIT(category);
	va_start(ap, fmt);
	add_finding(c, r, effect, category, -1, drops, fmt, ap);
	va_end(ap);
}

void ctx_flag(struct policy_ctx *c, enum policy_flag f)
{
	c->flags |= PF_BIT(f);
}

void ctx_deadline(struct policy_ctx *c, const struct rule *r, enum deadline_kind k,
		  int64_t at)
{
	c->dl = xgrow(c->dl, &c->cap_dl, c->n_dl + 1, sizeof(*c->dl));
	c->dl[c->n_dl++] = (struct policy_deadline){k, at, r ? xstrdup(r->id) : NULL};
}

const struct customer *ctx_customer(const struct policy_ctx *c, size_t i)
{
	return c->in->customers && i < c->req->n_targets ? c->in->customers[i] : NULL;
}

/* ---- running the rules ------------------------------------------------ */

/* Does r apply to this request?  Until the agency is registered its
 * country is unknown (GEN-AGENCY): only the rules that apply in every
 * jurisdiction ("applies_in": ["*"]) run, so no country's rule rejects or
 * narrows the request on the strength of a guessed country.  Once the
 * agency is registered or identified, the policy runs again (intake.h,
 * intake_reassess). */
static int applies(const struct policy_ctx *c, const struct rule *r)
{
	if (!c->in->agency)
		return rule_applies_everywhere(r);
	return rule_applies_in(r, c->jur);
}

/* Processes that an applicable rule names in "governs": a "*" rule
 * (US-CONTENT-WARRANT's ladder, INTL-CONTENT) takes only the rest. */
static unsigned governed_here(const struct policy_ctx *c)
{
	unsigned bits = 0;
	for (size_t i = 0; i < rules_count(c->rs); i++) {
		const struct rule *r = rules_at(c->rs, i);
		if (applies(c, r) && !r->governs_rest)
			bits |= r->governs;
	}
	return bits;
}

static void run_rules(struct policy_ctx *c)
{
	for (size_t i = 0; i < rules_count(c->rs); i++) {
		const struct rule *r = rules_at(c->rs, i);
		if (applies(c, r))
			r->spec->eval(c, r);
	}
}

/* Deadlines the request carries itself (no rule sets them). */
static void request_deadlines(struct policy_ctx *c)
{
	const struct request *q = c->req;
	if (q->has_due)
		ctx_deadline(c, NULL, DL_REQUESTER_DUE, q->due_at.t);
	if (q->has_ndo && q->ndo.has_expiry)
		ctx_deadline(c, NULL, DL_NDO_EXPIRY, q->ndo.expires_at.t);
}

/* When narrowing leaves nothing, the request is rejected. */
static void settle_drops(struct policy_ctx *c, unsigned kept)
{
	if (!c->dropped || kept)
		return;
	for (size_t i = 0; i < c->n_f; i++)
		if (c->f[i].drops && c->f[i].effect == ACT_NARROW)
			c->f[i].effect = ACT_REJECT;
}

static enum action strongest(const struct policy_ctx *c)
{
	int best = ACT_REVIEW;
	for (size_t i = 0; i < c->n_f; i++) {
		int e = c->f[i].effect;
		if (e != EFFECT_FLAG && rules_rank(c->rs, e) > rules_rank(c->rs, best))
			best = e;
	}
	return (enum action)best;
}

/* ---- building the result ---------------------------------------------- */

static char *reason_text(const struct finding *f)
{
	if (!f->detail)
		return xstrdup(f->rule->summary);
	return xasprintf("%s; %s", f->rule->summary, f->detail);
}

static void fill_reason(const struct policy_ctx *c, const struct finding *f,
			struct policy_reason *out)
{
	out->rule = xstrdup(f->rule->id);
	out->cite = xstrdup(f->rule->citation);
	out->text = reason_text(f);
	out->effect = f->effect;
	out->category = f->category;
	out->target = f->target >= 0 ? xstrdup(c->req->targets[f->target].value) : NULL;
}

/* Findings, strongest effect first; equal effects keep rule order. */
static void fill_reasons(const struct policy_ctx *c, struct policy_result *out)
{
	size_t k = 0;
	int prec[EFFECT__COUNT + 1];
	size_t n_prec = 0;
	for (int i = 0; i < action__COUNT; i++)
		prec[n_prec++] = rules_precedence(c->rs)[i];
	prec[n_prec++] = EFFECT_FLAG;
	out->reasons = xcalloc(c->n_f ? c->n_f : 1, sizeof(*out->reasons));
	for (size_t p = 0; p < n_prec; p++)
		for (size_t i = 0; i < c->n_f; i++)
			if (c->f[i].effect == prec[p])
				fill_reason(c, &c->f[i], &out->reasons[k++]);
	out->n_reasons = k;
}

static int deadline_cmp(const void *a, const void *b)
{
	const struct policy_deadline *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->rule ? x->rule : "", y->rule ? y->rule : "");
}

/* Sorted by time, then kind; an identical (kind, at) pair is kept once. */
static void fill_deadlines(struct policy_ctx *c, struct policy_result *out)
{
	size_t k = 0;
	if (c->n_dl)
		qsort(c->dl, c->n_dl, sizeof(*c->dl), deadline_cmp);
	out->deadlines = xcalloc(c->n_dl ? c->n_dl : 1, sizeof(*out->deadlines));
	for (size_t i = 0; i < c->n_dl; i++) {
		if (k && out->deadlines[k - 1].kind == c->dl[i].kind &&
		    out->deadlines[k - 1].at == c->dl[i].at) {
			free(c->dl[i].rule);
			continue;
		}
		out->deadlines[k++] = c->dl[i]; /* transferred */
	}
	c->n_dl = 0;
	out->n_deadlines = k;
}

static void ctx_release(struct policy_ctx *c)
{
	for (size_t i = 0; i < c->n_f; i++)
		free(c->f[i].detail);
	free(c->f);
	for (size_t i = 0; i < c->n_dl; i++)
		free(c->dl[i].rule);
	free(c->dl);
}

int policy_evaluate(const struct ruleset *rs, const struct policy_input *in,
		    struct policy_result *out)
{
	struct policy_ctx c = {0};
	memset(out, 0, sizeof(*out));
	if (!rs || !in || !in->req)
		return err_set(E_INVALID, "policy: no request to evaluate");
	c.rs = rs;
	c.in = in;
	c.req = in->req;
	c.jur = rules_jurisdiction_for(rs, in->req->country[0] ? in->req->country : NULL);
	c.base = in->req->received_at.t ? in->req->received_at.t : in->now;
	c.governed = governed_here(&c);

	run_rules(&c);
	request_deadlines(&c);

	out->requested = c.req->categories;
	out->kept = c.req->categories & ~c.dropped;
	settle_drops(&c, out->kept);
	out->action = strongest(&c);
	out->jurisdiction = xstrdup(c.jur->id);
	out->flags = c.flags;
	fill_reasons(&c, out);
	fill_deadlines(&c, out);
	ctx_release(&c);
	return 0;
}

void policy_result_release(struct policy_result *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->n_reasons; i++) {
		free(res->reasons[i].rule);
		free(res->reasons[i].cite);
		free(res->reasons[i].text);
		free(res->reasons[i].target);
	}
	free(res->reasons);
	for (size_t i = 0; i < res->n_deadlines; i++)
		free(res->deadlines[i].rule);
	free(res->deadlines);
	free(res->jurisdiction);
	memset(res, 0, sizeof(*res));
}

/* ---- JSON ------------------------------------------------------------- */

static json_t *reason_json(const struct policy_reason *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "rule", json_string(r->rule));
	json_object_set_new(o, "cite", json_string(r->cite));
	json_object_set_new(o, "text", json_string(r->text));
	if (r->effect >= 0)
		json_object_set_new(o, "effect", json_string(effect_str(r->effect)));
	if (r->category >= 0)
		json_object_set_new(o, "category",
				    json_string(category_str(r->category)));
	if (r->target)
		json_object_set_new(o, "target", json_string(r->target));
	return o;
}

static json_t *categories_json(unsigned bits)
{
	json_t *a = json_array();
	for (int i = 0; i < category__COUNT; i++)
		if (bits & CAT_BIT(i))
			json_array_append_new(a, json_string(category_str(i)));
	return a;
}

json_t *policy_to_json(const struct policy_result *res)
{
	json_t *o = json_object(), *reasons = json_array(), *flags = json_array(),
	       *deadlines = json_array();
	char at[TS_BUFSZ];
	json_object_set_new(o, "action", json_string(action_str(res->action)));
	for (size_t i = 0; i < res->n_reasons; i++)
		json_array_append_new(reasons, reason_json(&res->reasons[i]));
	for (int f = 0; f < policy_flag__COUNT; f++)
		if (res->flags & PF_BIT(f))
			json_array_append_new(flags, json_string(policy_flag_str(f)));
	for (size_t i = 0; i < res->n_deadlines; i++) {
		time_format(res->deadlines[i].at, at);
		json_array_append_new(deadlines,
				      json_pack("{s:s, s:s}", "kind",
						deadline_kind_str(res->deadlines[i].kind),
						"at", at));
	}
	json_object_set_new(o, "reasons", reasons);
	json_object_set_new(o, "flags", flags);
	json_object_set_new(o, "deadlines", deadlines);
	if (res->kept && res->kept != res->requested)
		json_object_set_new(o, "categories", categories_json(res->kept));
	return o;
}

char *policy_dumps(const struct policy_result *res)
{
	json_t *j = policy_to_json(res);
	char *text = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	if (!text)
		err_set(E_INTERNAL, "cannot serialise the policy");
	return text;
}

/* ---- the stored recommendation, parsed --------------------------------- */

static char *str_dup_field(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? xstrdup(s) : NULL;
}

static int parse_reason(json_t *v, struct policy_reason *r)
{
	const char *effect = json_string_value(json_object_get(v, "effect"));
	const char *cat = json_string_value(json_object_get(v, "category"));
	r->rule = str_dup_field(v, "rule");
	r->cite = str_dup_field(v, "cite");
	r->text = str_dup_field(v, "text");
	r->target = str_dup_field(v, "target");
	r->effect = effect ? effect_parse(effect) : -1;
	r->category = cat ? category_parse(cat) : -1;
	if (!r->rule || !r->cite || !r->text || (effect && r->effect < 0) ||
	    (cat && r->category < 0))
		return -1;
	return 0;
}

static int parse_deadline(json_t *v, struct policy_deadline *d)
{
	struct ts at;
	int kind = deadline_kind_parse(json_string_value(json_object_get(v, "kind")));
	const char *when = json_string_value(json_object_get(v, "at"));
	if (kind < 0 || !when || ts_parse(when, &at) < 0)
		return -1;
	d->kind = (enum deadline_kind)kind;
	d->at = at.t;
	return 0;
}

static int parse_members(json_t *p, struct policy_result *out)
{
	json_t *reasons = json_object_get(p, "reasons"), *flags = json_object_get(p, "flags");
	json_t *deadlines = json_object_get(p, "deadlines"), *v;
	json_t *cats = json_object_get(p, "categories");
	int action = action_parse(json_string_value(json_object_get(p, "action")));
	size_t i;
	if (action < 0 || !json_is_array(reasons) || !json_is_array(flags) ||
	    !json_is_array(deadlines) || (cats && !json_is_array(cats)))
		return -1;
	out->action = (enum action)action;
	out->reasons = xcalloc(json_array_size(reasons) + 1, sizeof(*out->reasons));
	json_array_foreach(reasons, i, v) {
		out->n_reasons = i + 1;
		if (parse_reason(v, &out->reasons[i]) < 0)
			return -1;
	}
	json_array_foreach(flags, i, v) {
		int f = policy_flag_parse(json_string_value(v));
		if (f < 0)
			return -1;
		out->flags |= PF_BIT(f);
	}
	out->deadlines = xcalloc(json_array_size(deadlines) + 1, sizeof(*out->deadlines));
	json_array_foreach(deadlines, i, v) {
		out->n_deadlines = i + 1;
		if (parse_deadline(v, &out->deadlines[i]) < 0)
			return -1;
	}
	json_array_foreach(cats, i, v) {
		int c = category_parse(json_string_value(v));
		if (c < 0)
			return -1;
		out->kept |= CAT_BIT(c);
	}
	return 0;
}

int policy_parse(const char *text, struct policy_result *out)
{
	json_error_t jerr;
	memset(out, 0, sizeof(*out));
	json_t *p = text ? json_loads(text, JSON_REJECT_DUPLICATES, &jerr) : NULL;
	int rc = p && json_is_object(p) ? parse_members(p, out) : -1;
	json_decref(p);
	if (rc < 0) {
		policy_result_release(out);
		return err_set(E_STORAGE, "a stored policy recommendation is not valid");
	}
	return 0;
}

int policy_has_flag(const char *policy_json, const char *flag)
{
	struct policy_result p;
	int f = policy_flag_parse(flag);
	if (f < 0 || !policy_json || policy_parse(policy_json, &p) < 0)
		return 0;
	int found = (p.flags & PF_BIT(f)) != 0;
	policy_result_release(&p);
	return found;
}
