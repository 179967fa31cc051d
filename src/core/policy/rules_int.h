/*
 * rules_int.h - what the code behind each rule declares, shared by the
 * loader (rules.c, which validates a file against it) and the evaluator
 * (policy*.c, which runs it).  Not for use outside core/rules*.c and
 * core/policy*.c.
 *
 * A rule_spec names a rule id of LEGAL-RULES.md, the effects its file may
 * give it, its typed parameters and its evaluator.  Every spec must be
 * matched by exactly one rule in the rules files and vice versa.
 */
#ifndef DOCKET_RULES_INT_H
#define DOCKET_RULES_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/policy/rules.h"

#define RULE_MAX_PARAMS 10

enum param_type {
	PT_INT,		 /* integer 0..1000000 */
	PT_DATE,	 /* "YYYY-MM-DD" -> seconds */
	PT_EFFECT,	 /* an effect name */
	PT_CATEGORY,	 /* one category */
	PT_CATEGORIES,	 /* array of categories -> CAT_BIT set (may be empty) */
	PT_PROCESSES,	 /* array of processes -> bit set */
	PT_PROCESS,	 /* one process */
	PT_KINDS,	 /* array of request kinds -> bit set */
	PT_AGENCY_TYPES, /* array of agency types -> bit set */
	PT_COUNTRIES,	 /* array of ISO 3166-1 alpha-2 codes */
	PT_STRINGS	 /* array of non-empty strings */
};

struct strlist {
	char **v;
	size_t n;
};

union rule_param {
	int64_t i;	     /* PT_INT, PT_DATE, PT_EFFECT, PT_CATEGORY, PT_PROCESS */
	unsigned bits;	     /* PT_CATEGORIES, PT_PROCESSES, PT_KINDS, PT_AGENCY_TYPES */
	struct strlist list; /* PT_COUNTRIES, PT_STRINGS */
};

struct param_spec {
	const char *name;
	enum param_type type;
	unsigned effects; /* PT_EFFECT: allowed effects, bit per effect */
};

struct policy_ctx; /* policy_int.h */

struct rule_spec {
	const char *id;
	unsigned effects; /* allowed "effect" values, bit per effect */
	int governs;	  /* 1: the rule must say which processes it governs;
			     0: it must not ("governs" absent) */
	struct param_spec params[RULE_MAX_PARAMS]; /* ends at name NULL */
	void (*eval)(struct policy_ctx *ctx, const struct rule *r);
};

#define EFF_BIT(e) (1u << (e))

extern const struct rule_spec rule_specs[];
extern const size_t rule_spec_count;

const struct rule_spec *rule_spec_find(const char *id);
int rule_spec_param_index(const struct rule_spec *s, const char *name);

/* The decoded parameter `name` of r; the name must be in r's spec (a
 * programming error aborts). */
const union rule_param *rule_param(const struct rule *r, const char *name);
int rule_list_has(const struct strlist *l, const char *s);

/* Loading (rules_params.c), for rules.c.  Each reads a member of o, sets a
 * "field '...'" message naming it on error and returns <0. */
/* An effect name, which must be among `allowed` (EFF_BIT set). */
int rules_parse_effect(const json_t *o, const char *path, const char *key,
		       unsigned allowed, int *out);
/* Array a of enum names (named by path) as a bit set; no repeats. */
int rules_parse_bits(const json_t *a, const char *path, int (*parse)(const char *),
		     const char *what, unsigned *bits);
/* o's "params" against r->spec: every parameter present, none unknown,
 * each of its type; fills r->params and r->param. */
int rules_parse_params(const json_t *o, struct rule *r);

#endif
