/*
 * rules_params.c - the code side of a rule (rule_spec, rules_int.h) and
 * the typed "params" of a rule, checked against it when a rules file is
 * loaded (rules.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "model/jsonv.h"
#include "model/model.h"
#include "core/policy/rules_int.h"

#define REQ JSONV_REQUIRED
#define RULE_MAX_SHORT 256
#define PARAM_INT_MAX 1000000

/* ---- effects --------------------------------------------------------- */

int effect_parse(const char *s)
{
	if (s && strcmp(s, "flag") == 0)
		return EFFECT_FLAG;
	return action_parse(s);
}

const char *effect_str(int effect)
{
	return effect == EFFECT_FLAG ? "flag" : action_str(effect);
}

static void effects_format(unsigned bits, struct buf *b)
{
	for (int e = 0; e < EFFECT__COUNT; e++)
		if (bits & EFF_BIT(e))
			buf_addf(b, "%s%s", b->len ? ", " : "", effect_str(e));
}

/* ---- specs ------------------------------------------------------------ */

const struct rule_spec *rule_spec_find(const char *id)
{
	for (size_t i = 0; i < rule_spec_count; i++)
		if (strcmp(rule_specs[i].id, id) == 0)
			return &rule_specs[i];
	return NULL;
}

int rule_spec_param_index(const struct rule_spec *s, const char *name)
{
	for (int i = 0; i < RULE_MAX_PARAMS && s->params[i].name; i++)
		if (strcmp(s->params[i].name, name) == 0)
			return i;
	return -1;
}

const union rule_param *rule_param(const struct rule *r, const char *name)
{
	int i = rule_spec_param_index(r->spec, name);
	if (i < 0) {
		fprintf(stderr, "docket: rule %s has no parameter %s\n", r->id, name);
		abort();
	}
	return &r->param[i];
}

int rule_list_has(const struct strlist *l, const char *s)
{
	for (size_t i = 0; s && i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

int rules_parse_effect(const json_t *o, const char *path, const char *key,
		       unsigned allowed, int *out)
{
	char field[JSONV_PATH_MAX];
	int rc = jsonv_enum(o, path, key, REQ, effect_parse, "effect", out);
	if (rc < 0 || (allowed & EFF_BIT(*out)))
		return rc;
	struct buf b;
	buf_init(&b, BUF_UNLIMITED);
	effects_format(allowed, &b);
	jsonv_path(field, path, key);
	rc = jsonv_err(field, NULL, "this rule cannot have effect '%s' (one of: %s)",
		       effect_str(*out), b.ptr);
	buf_release(&b);
	return rc;
}

/* An array of enum names as a bit set; names must not repeat. */
int rules_parse_bits(const json_t *a, const char *path, int (*parse)(const char *),
		     const char *what, unsigned *bits)
{
	char el[JSONV_PATH_MAX];
	*bits = 0;
	for (size_t i = 0; i < json_array_size(a); i++) {
		int v, rc;
		snprintf(el, sizeof(el), "%s[%zu]", path, i);
		if ((rc = jsonv_enum_value(json_array_get(a, i), el, parse, what, &v)) <
		    0)
			return rc;
		if (*bits & (1u << v))
			return jsonv_err(el, NULL, "repeats '%s'",
					 json_string_value(json_array_get(a, i)));
		*bits |= 1u << v;
	}
	return 0;
}

static int parse_list(const json_t *a, const char *path, int countries,
		      struct strlist *out)
{
	char el[JSONV_PATH_MAX];
	out->v = xcalloc(json_array_size(a) + 1, sizeof(*out->v));
	for (size_t i = 0; i < json_array_size(a); i++) {
		const char *s;
		int rc;
		snprintf(el, sizeof(el), "%s[%zu]", path, i);
		if ((rc = jsonv_str_value(json_array_get(a, i), el, 0, RULE_MAX_SHORT,
					  &s)) < 0)
			return rc;
		if (countries && !country_valid(s))
			return jsonv_err(el, NULL, "unknown country code '%s'", s);
		if (rule_list_has(out, s))
			return jsonv_err(el, NULL, "repeats '%s'", s);
		out->v[out->n++] = xstrdup(s);
	}
	return 0;
}

static int parse_date_param(const json_t *p, const char *key, int64_t *out)
{
	char field[JSONV_PATH_MAX];
	struct ts ts;
	const char *s;
	int rc;
	jsonv_path(field, "params", key);
	if ((rc = jsonv_str_value(json_object_get(p, key), field, 0, 64, &s)) < 0)
		return rc;
	if (ts_parse(s, &ts) < 0 || !ts.date_only)
		return jsonv_err(field, NULL, "'%s' is not a date like 2026-08-18", s);
	*out = ts.t;
	return 0;
}

static int parse_array_param(const json_t *p, const struct param_spec *ps,
			     union rule_param *out)
{
	char field[JSONV_PATH_MAX];
	json_t *a;
	int rc = jsonv_array(p, "params", ps->name, REQ, 1000, &a);
	if (rc < 0)
		return rc;
	jsonv_path(field, "params", ps->name);
	switch (ps->type) {
	case PT_CATEGORIES:
		return rules_parse_bits(a, field, category_parse, "category", &out->bits);
	case PT_PROCESSES:
		return rules_parse_bits(a, field, process_parse, "process", &out->bits);
	case PT_KINDS:
		return rules_parse_bits(a, field, kind_parse, "kind", &out->bits);
	case PT_AGENCY_TYPES:
		return rules_parse_bits(a, field, agency_type_parse, "agency type",
					&out->bits);
	default:
		return parse_list(a, field, ps->type == PT_COUNTRIES, &out->list);
	}
}

static int parse_param(const json_t *p, const struct param_spec *ps,
		       union rule_param *out)
{
	int v, rc;
	switch (ps->type) {
	case PT_INT:
		rc = jsonv_int(p, "params", ps->name, REQ, 0, PARAM_INT_MAX, &out->i);
		return rc < 0 ? rc : 0;
	case PT_DATE:
		return parse_date_param(p, ps->name, &out->i);
	case PT_EFFECT:
		rc = rules_parse_effect(p, "params", ps->name, ps->effects, &v);
		break;
	case PT_CATEGORY:
		rc = jsonv_enum(p, "params", ps->name, REQ, category_parse, "category",
				&v);
		break;
	case PT_PROCESS:
		rc = jsonv_enum(p, "params", ps->name, REQ, process_parse, "process", &v);
		break;
	default:
		return parse_array_param(p, ps, out);
	}
	if (rc >= 0)
		out->i = v;
	return rc < 0 ? rc : 0;
}

int rules_parse_params(const json_t *o, struct rule *r)
{
	const struct rule_spec *s = r->spec;
	json_t *p = json_object_get(o, "params"), *v;
	const char *k;
	int rc;
	if (!p)
		return jsonv_err("", "params", "required (may be {})");
	if (!json_is_object(p))
		return jsonv_err("", "params", "must be an object");
	json_object_foreach(p, k, v)
	{
		if (rule_spec_param_index(s, k) < 0)
			return jsonv_err("params", k, "unknown parameter for this rule");
	}
	r->params = p;
	r->param = xcalloc(RULE_MAX_PARAMS, sizeof(*r->param));
	for (int i = 0; i < RULE_MAX_PARAMS && s->params[i].name; i++) {
		if (!json_object_get(p, s->params[i].name))
			return jsonv_err("params", s->params[i].name, "required");
		if ((rc = parse_param(p, &s->params[i], &r->param[i])) < 0)
			return rc;
	}
	return 0;
}
