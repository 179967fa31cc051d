/*
 * rules.h - the legal rules of LEGAL-RULES.md, loaded as data.
 *
 * Each file rules/<name>.json describes one jurisdiction: its id ("US"),
 * its name, the requesting countries it covers, and the rules defined there.
 * general.json (jurisdiction "general", no countries) holds the rules every
 * request meets and the precedence of effects; default.json (jurisdiction
 * "default", no countries) covers every country no other file claims.  A
 * rule says where it is evaluated ("applies_in": jurisdiction ids or "*"),
 * which processes it governs, its citation, a one-line summary (the text of
 * a policy reason), a plain-language statement, its effect, the "(policy)"
 * and "(check)" marks of LEGAL-RULES.md, and typed parameters.  The format
 * is described in docs/policy.md.
 *
 * The logic behind a rule is code (policy_checks.c); the file supplies
 * everything a lawyer may want to adjust.  Loading is strict: a file that
 * is not valid JSON, an unknown or missing field, a wrong type, an unknown
 * rule id, a rule defined twice, a rule docket implements but no file
 * defines, an effect the rule cannot have, a bad parameter - each fails
 * with E_INVALID and a message naming the file and the rule
 * ("us.json: rule 'US-NSL': field 'params.allowed': unknown category 'x'").
 * Nothing is ever defaulted silently.
 *
 * Ownership: rules_load() returns a ruleset the caller frees with
 * rules_free().  Every pointer a rules_* or rule_* function returns is
 * borrowed from the ruleset and valid until rules_free().  A loaded
 * ruleset is read-only, so threads may share it.
 */
#ifndef DOCKET_RULES_H
#define DOCKET_RULES_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "model/enums.h"

/* A rule's effect is an action (enum action) or EFFECT_FLAG: a finding
 * that only flags and does not change the recommendation. */
#define EFFECT_FLAG ((int)action__COUNT)
#define EFFECT__COUNT (EFFECT_FLAG + 1)
int effect_parse(const char *s); /* -1 when unknown */
const char *effect_str(int effect);

/* Caps on the rules files (they are trusted but still checked). */
#define RULES_MAX_FILE 262144
#define RULES_MAX_FILES 64
#define RULES_MAX_JURISDICTIONS 32

struct rule_spec; /* rules_int.h: the code behind a rule */
union rule_param; /* rules_int.h: a decoded parameter */

struct jurisdiction {
	char *id;	  /* "general", "US", "EU", "UK", "default" ... */
	char *name;	  /* "United States" */
	char *file;	  /* "us.json" */
	char **countries; /* ISO 3166-1 alpha-2 codes it covers */
	size_t n_countries;
	int index; /* position in the ruleset, for applies_in bits */
};

struct rule {
	char *id;	    /* "US-CONTENT-WARRANT" */
	char *jurisdiction; /* id of the jurisdiction whose file defines it */
	char *file;	    /* "us.json" */
	char *citation;	    /* "18 U.S.C. 2703(a)-(b)" */
	char *summary;	    /* one line: reasons[].text */
	char *text;	    /* the rule in plain language */
	int effect;	    /* enum action or EFFECT_FLAG */
	int policy;	    /* "(policy)": a provider practice, not a statute */
	int check;	    /* "(check)": a detail counsel should confirm */
	json_t *doc;	    /* the rule's object as written (validated) */
	json_t *params;	    /* its "params" member (borrowed from doc) */

	/* For the evaluator (policy.c): */
	unsigned applies_in; /* bit per jurisdiction index */
	unsigned governs;    /* bit (1u << process) per governed process */
	int governs_rest;    /* "governs": ["*"]: every process no other
				applicable rule governs */
	const struct rule_spec *spec;
	union rule_param *param; /* decoded params, in spec order */
};

struct ruleset;

/* Load every *.json file of dir (in name order).  dir NULL means the
 * compiled-in DOCKET_RULES_DIR (the front end passes the runtime
 * override in).  On error *out is NULL. */
int rules_load(const char *dir, struct ruleset **out);
void rules_free(struct ruleset *rs);
/* Another reference to rs (threads may share a loaded ruleset); each is
 * released with rules_free(), the last one frees it. */
struct ruleset *rules_share(struct ruleset *rs);

/* The directory the ruleset was loaded from. */
const char *rules_dir(const struct ruleset *rs);

/* Rules in evaluation order: general.json first, then the other files in
 * name order, each file's rules in the order written. */
size_t rules_count(const struct ruleset *rs);
const struct rule *rules_at(const struct ruleset *rs, size_t i);
/* NULL when no rule has this id. */
const struct rule *rules_find(const struct ruleset *rs, const char *id);

size_t rules_jurisdiction_count(const struct ruleset *rs);
const struct jurisdiction *rules_jurisdiction_at(const struct ruleset *rs, size_t i);
/* The jurisdiction of a requesting country: the file that lists it, else
 * "default".  Never NULL. */
const struct jurisdiction *rules_jurisdiction_for(const struct ruleset *rs,
						  const char *country);
/* The jurisdiction with this id, or NULL. */
const struct jurisdiction *rules_jurisdiction_find(const struct ruleset *rs,
						   const char *id);

int rule_applies_in(const struct rule *r, const struct jurisdiction *j);
/* Does r apply in every jurisdiction ("applies_in": ["*"])? */
int rule_applies_everywhere(const struct rule *r);

/* Precedence of effects (general.json "precedence", strongest first):
 * a larger rank is stronger; EFFECT_FLAG ranks below every action. */
int rules_rank(const struct ruleset *rs, int effect);
/* The actions, strongest first (action__COUNT entries). */
const int *rules_precedence(const struct ruleset *rs);

/* The rule as written in its file, plus "file" (new reference) - for
 * `docket rules` and the API. */
json_t *rule_to_json(const struct rule *r);

/* An integer parameter (e.g. US-PRESERVATION "renewal_days"), for modules
 * that act on a rule later (holds, reminders).  -E_NOTFOUND when the rule
 * has no such integer parameter. */
int rule_param_int(const struct rule *r, const char *name, int64_t *out);

#endif
