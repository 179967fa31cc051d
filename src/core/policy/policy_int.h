/*
 * policy_int.h - the evaluation context shared by the engine (policy.c)
 * and the rule evaluators (policy_checks.c).  Not for use elsewhere.
 *
 * An evaluator looks at the request through ctx and records what it finds:
 * findings (a rule, an effect, optionally the category or target it
 * concerns, and a detail), flags, dropped categories and deadlines.  It
 * never decides the action: the engine does, from all findings, after
 * every applicable rule has run.
 */
#ifndef DOCKET_POLICY_INT_H
#define DOCKET_POLICY_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/policy/policy.h"
#include "core/policy/rules_int.h"

struct finding {
	const struct rule *rule;
	int effect;
	int category; /* -1: none */
	int target;   /* index into req->targets, -1: none */
	int drops;    /* it dropped `category` (narrow / reject) */
	char *detail; /* NULL or what exactly was found */
};

struct policy_ctx {
	const struct ruleset *rs;
	const struct policy_input *in;
	const struct request *req;
	const struct jurisdiction *jur;
	int64_t base;	   /* deadlines count from here: received_at */
	unsigned governed; /* processes named by an applicable rule's governs */

	struct finding *f;
	size_t n_f, cap_f;
	unsigned dropped; /* CAT_BIT() set */
	unsigned flags;	  /* PF_BIT() set */
	struct policy_deadline *dl;
	size_t n_dl, cap_dl;
};

/* Does r govern the request's process?  Either it names the process in
 * "governs", or it says "*" and no other applicable rule names it. */
int ctx_governs(const struct policy_ctx *c, const struct rule *r);

/* Record a finding.  fmt (may be NULL) gives the detail. */
void ctx_find(struct policy_ctx *c, const struct rule *r, int effect, int category,
	      int target, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* A category the process cannot reach.  With effect narrow or reject the
 * category is dropped; with review or flag it is only reported. */
void ctx_drop(struct policy_ctx *c, const struct rule *r, int effect, int category,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

void ctx_flag(struct policy_ctx *c, enum policy_flag f);
void ctx_deadline(struct policy_ctx *c, const struct rule *r, enum deadline_kind k,
		  int64_t at);

/* The customer target i resolved to, or NULL. */
const struct customer *ctx_customer(const struct policy_ctx *c, size_t i);

#endif
