/*
 * policy.h - the policy recommendation for a request (SPEC §4).
 *
 * policy_evaluate() applies the rules (rules.h) that hold in the request's
 * jurisdiction - general.json's everywhere, plus those whose "applies_in"
 * names the jurisdiction of req->country - and returns what a reviewing
 * lawyer starts from: one action, every finding with its rule id, citation
 * and text, flags, the categories that survive narrowing, and deadlines.
 *
 * Each finding has an effect (a rule's "effect", or a second effect named
 * in its parameters).  The action is the strongest effect found, by the
 * precedence in general.json (shipped: reject > verify > redirect >
 * comity_review > narrow > preserve > review); "review" when nothing
 * objects.  Findings that drop a category the process cannot reach (effect
 * "narrow") leave the remaining categories in `kept`; when none remain they
 * become "reject".  Every finding is reported, not only the strongest, so
 * an unregistered agency's insufficient process shows both reasons.
 *
 * Evaluation is deterministic: it reads no clock and no environment, and
 * deadlines count from the request's received_at (from `now` only when
 * received_at is unset).  Equal inputs give byte-identical JSON.
 *
 * Ownership: a policy_result owns all its strings and arrays (copies, so
 * it outlives the ruleset); policy_result_release() frees them and leaves
 * the result zeroed.  policy_evaluate() fills *out only on success (it is
 * released on failure); the input is only read.
 */
#ifndef DOCKET_POLICY_H
#define DOCKET_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "model/model.h"
#include "core/policy/rules.h"

/* Flags (SPEC §4 and a few more), in the order JSON lists them. */
#define POLICY_FLAGS(X)                                                                  \
	X(PF_NDO_INDEFINITE, "ndo_indefinite")                                           \
	X(PF_NDO_OVER_ONE_YEAR, "ndo_over_one_year")                                     \
	X(PF_DATA_ABROAD, "data_abroad")                                                 \
	X(PF_US_PERSON_TARGET, "us_person_target")                                       \
	X(PF_CUSTOMER_HELD_KEYS, "customer_held_keys")                                   \
	X(PF_UNVERIFIED_REQUESTER, "unverified_requester")                               \
	X(PF_LOOKALIKE_DOMAIN, "lookalike_domain")                                       \
	X(PF_GDPR_ART48, "gdpr_art48")                                                   \
	X(PF_NATIONAL_SECURITY, "national_security")                                     \
	X(PF_ENFORCING_STATE_NOTIFIED, "enforcing_state_notified")                       \
	X(PF_STATUTORY_SECRECY, "statutory_secrecy")

/* Deadline kinds.  hold_expiry serves US and EU preservation alike. */
#define POLICY_DEADLINES(X)                                                              \
	X(DL_REQUESTER_DUE, "requester_due")                                             \
	X(DL_NDO_EXPIRY, "ndo_expiry")                                                   \
	X(DL_HOLD_EXPIRY, "hold_expiry")                                                 \
	X(DL_EPOC_RESPONSE, "epoc_response")                                             \
	X(DL_EPOC_EMERGENCY_RESPONSE, "epoc_emergency_response")                         \
	X(DL_COMITY_MOTION, "comity_motion")                                             \
	X(DL_NSL_GAG_REVIEW, "nsl_gag_review")                                           \
	X(DL_PEN_REGISTER_EXPIRY, "pen_register_expiry")                                 \
	X(DL_WIRETAP_EXPIRY, "wiretap_expiry")                                           \
	X(DL_EMERGENCY_FOLLOW_UP, "emergency_follow_up")

#define POLICY_ENUM_MEMBER(name, str) name,
enum policy_flag { POLICY_FLAGS(POLICY_ENUM_MEMBER) policy_flag__COUNT };
enum deadline_kind { POLICY_DEADLINES(POLICY_ENUM_MEMBER) deadline_kind__COUNT };
#define PF_BIT(f) (1u << (f))

const char *policy_flag_str(int f);   /* "?" when out of range */
int policy_flag_parse(const char *s); /* -1 when unknown */
const char *deadline_kind_str(int k);
int deadline_kind_parse(const char *s);

struct policy_input {
	const struct request *req;
	const struct agency *agency; /* NULL: not registered (GEN-AGENCY) */
	/* One slot per req->targets[i]; NULL when that target did not
	 * resolve.  The array itself may be NULL when nothing resolved. */
	const struct customer *const *customers;
	/* Optional: every verified domain of every registered agency, so a
	 * lookalike of another agency's domain is caught (GEN-REQUESTER). */
	const char *const *known_domains;
	size_t n_known_domains;
	int64_t now; /* base for deadlines only when
			req->received_at is unset */
};

struct policy_reason {
	char *rule;   /* "US-CONTENT-WARRANT" */
	char *cite;   /* the rule's citation */
	char *text;   /* the rule's summary, then "; " and the detail */
	int effect;   /* effect of this finding (enum action / EFFECT_FLAG);
			 -1: unknown (parsed from an older stored form) */
	int category; /* enum category it concerns, or -1 */
	char *target; /* the target value it concerns, or NULL */
};

struct policy_deadline {
	enum deadline_kind kind;
	int64_t at;
	char *rule; /* the rule that set it; NULL when it is the
		       request's own date (due_at, NDO expiry) */
};

struct policy_result {
	enum action action;
	char *jurisdiction;	       /* id of the jurisdiction evaluated */
	struct policy_reason *reasons; /* strongest effect first */
	size_t n_reasons;
	unsigned flags;			   /* PF_BIT() set */
	unsigned requested;		   /* CAT_BIT() set asked for */
	unsigned kept;			   /* CAT_BIT() set that survives */
	struct policy_deadline *deadlines; /* by time, then kind */
	size_t n_deadlines;
};

/* Evaluate in against rs.  Fails (E_INVALID) only on an input that breaks
 * the contract (no request). */
int policy_evaluate(const struct ruleset *rs, const struct policy_input *in,
		    struct policy_result *out);

/* SPEC §4's object (new reference):
 *   {"action", "reasons": [{"rule", "cite", "text", "effect"[, "category"]
 *                           [, "target"]}],
 *    "flags": [...], "deadlines": [{"kind", "at"}][, "categories": [...]]}
 * "categories" (the kept categories) appears only when some were dropped
 * and some remain. */
json_t *policy_to_json(const struct policy_result *res);

/* The recommendation as policy_to_json() stored it, parsed into *out (which
 * policy_to_json() turns back into the same object).  What the stored form
 * does not hold is left empty: the jurisdiction, the deadlines' rules, and
 * `requested` (so `kept` is set only when "categories" is there).  A
 * reason stored before reasons carried their effect has effect -1.
 * E_STORAGE when text is not such an object; *out is then released. */
int policy_parse(const char *text, struct policy_result *out);

/* policy_to_json()'s object as stored: compact, keys sorted; NULL with an
 * error set on failure.  Caller frees. */
char *policy_dumps(const struct policy_result *res);

/* Plain text for a lawyer: the recommendation and why, each finding with
 * its rule id, citation, effect, the rule's statement and marks, then the
 * flags, categories and deadlines.  Appends to out. */
int policy_explain(const struct ruleset *rs, const struct policy_result *res,
		   struct buf *out);

void policy_result_release(struct policy_result *res);

/* Does a stored recommendation (policy_to_json's text) list flag? */
int policy_has_flag(const char *policy_json, const char *flag);

#endif
