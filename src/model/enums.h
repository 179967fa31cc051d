/*
 * enums.h - the closed vocabularies of SPEC §2-§4, each with its spelling.
 *
 * Each vocabulary is an X-macro list, so the enum and its names cannot drift
 * apart.  NAME_parse() returns the value or -1 for an unknown word;
 * NAME_str() returns the spelling (a static string, never NULL).
 */
#ifndef DOCKET_ENUMS_H
#define DOCKET_ENUMS_H

#define KINDS(X)                                                      \
	X(KIND_CRIMINAL, "criminal") X(KIND_EMERGENCY, "emergency")   \
	X(KIND_CIVIL, "civil") X(KIND_NATIONAL_SECURITY, "national_security") \
	X(KIND_PRESERVATION, "preservation")

#define PROCESSES(X)                                                  \
	X(PROC_SUBPOENA, "subpoena") X(PROC_COURT_ORDER, "court_order") \
	X(PROC_SEARCH_WARRANT, "search_warrant")                      \
	X(PROC_PEN_REGISTER, "pen_register") X(PROC_WIRETAP, "wiretap") \
	X(PROC_EMERGENCY, "emergency") X(PROC_PRESERVATION, "preservation") \
	X(PROC_NSL, "nsl") X(PROC_FISA_ORDER, "fisa_order")           \
	X(PROC_MLAT, "mlat") X(PROC_CLOUD_ACT_ORDER, "cloud_act_order") \
	X(PROC_EU_PRODUCTION_ORDER, "eu_production_order")            \
	X(PROC_EU_PRESERVATION_ORDER, "eu_preservation_order")        \
	X(PROC_FOREIGN_ORDER, "foreign_order")                        \
	X(PROC_CIVIL_SUBPOENA, "civil_subpoena") X(PROC_OTHER, "other")

/* Categories are also bits: CAT_BIT(CAT_CONTENT). */
#define CATEGORIES(X)                                                 \
	X(CAT_SUBSCRIBER, "subscriber") X(CAT_NONCONTENT, "noncontent") \
	X(CAT_CONTENT, "content")
#define CAT_BIT(c) (1u << (c))
#define CAT_ALL (CAT_BIT(CAT_SUBSCRIBER) | CAT_BIT(CAT_NONCONTENT) | CAT_BIT(CAT_CONTENT))

#define ISSUER_TYPES(X)                                               \
	X(ISSUER_COURT, "court") X(ISSUER_PROSECUTOR, "prosecutor")   \
	X(ISSUER_AGENCY, "agency")

#define TARGET_TYPES(X)                                               \
	X(TGT_EMAIL, "email") X(TGT_USERNAME, "username")             \
	X(TGT_PHONE, "phone") X(TGT_ACCOUNT_ID, "account_id") X(TGT_IP, "ip")

#define CUSTOMER_TYPES(X)                                             \
	X(CUST_CONSUMER, "consumer") X(CUST_ENTERPRISE, "enterprise")

#define KEY_CUSTODIES(X)                                              \
	X(CUSTODY_PROVIDER, "provider") X(CUSTODY_CUSTOMER, "customer")

#define AGENCY_TYPES(X)                                               \
	X(AG_LAW_ENFORCEMENT, "law_enforcement") X(AG_PROSECUTOR, "prosecutor") \
	X(AG_COURT, "court") X(AG_NATIONAL_SECURITY, "national_security") \
	X(AG_REGULATOR, "regulator") X(AG_CIVIL_LITIGANT, "civil_litigant")

#define ROLES(X)                                                      \
	X(ROLE_INTAKE, "intake") X(ROLE_REVIEWER, "reviewer")         \
	X(ROLE_APPROVER, "approver") X(ROLE_COMPLIANCE, "compliance") \
	X(ROLE_AUDITOR, "auditor") X(ROLE_ADMIN, "admin")             \
	X(ROLE_CLEARED, "cleared")                                    \
	X(ROLE_OFFICER, "officer") X(ROLE_CUSTOMER, "customer")
#define ROLE_BIT(r) (1u << (r))
/* The portals' roles (SPEC §14, §15): an officer of an agency, a customer's
 * contact.  Such users exist only through the portals, never act as staff,
 * and reach only the routes that name their role. */
#define ROLES_PORTAL (ROLE_BIT(ROLE_OFFICER) | ROLE_BIT(ROLE_CUSTOMER))
#define ROLES_STAFF (((1u << role__COUNT) - 1u) & ~ROLES_PORTAL)

#define STATES(X)                                                     \
	X(ST_VERIFYING, "verifying") X(ST_IN_REVIEW, "in_review")     \
	X(ST_REJECTED, "rejected") X(ST_REDIRECTED, "redirected")     \
	X(ST_CHALLENGED, "challenged") X(ST_APPROVED, "approved")     \
	X(ST_READY, "ready") X(ST_DISCLOSED, "disclosed")             \
	X(ST_CLOSED, "closed") X(ST_PRESERVED, "preserved")           \
	X(ST_RELEASED, "released") X(ST_EXPIRED, "expired")           \
	X(ST_CONVERTED, "converted") X(ST_WITHDRAWN, "withdrawn")

#define OUTCOMES(X)                                                   \
	X(OUT_NONE, "") X(OUT_CONTENT, "content")                     \
	X(OUT_NONCONTENT_ONLY, "noncontent_only") X(OUT_NO_DATA, "no_data") \
	X(OUT_REJECTED, "rejected") X(OUT_REDIRECTED, "redirected")   \
	X(OUT_WITHDRAWN, "withdrawn")

#define ACTIONS(X)                                                    \
	X(ACT_REVIEW, "review") X(ACT_REJECT, "reject") X(ACT_NARROW, "narrow") \
	X(ACT_REDIRECT, "redirect") X(ACT_VERIFY, "verify")           \
	X(ACT_PRESERVE, "preserve") X(ACT_COMITY_REVIEW, "comity_review")

#define ENUM_MEMBER(name, str) name,
#define ENUM_DECLARE(type, LIST)                                      \
	enum type { LIST(ENUM_MEMBER) type##__COUNT };                \
	int type##_parse(const char *s);                              \
	const char *type##_str(int v);

ENUM_DECLARE(kind, KINDS)
ENUM_DECLARE(process, PROCESSES)
ENUM_DECLARE(category, CATEGORIES)
ENUM_DECLARE(issuer_type, ISSUER_TYPES)
ENUM_DECLARE(target_type, TARGET_TYPES)
ENUM_DECLARE(customer_type, CUSTOMER_TYPES)
ENUM_DECLARE(key_custody, KEY_CUSTODIES)
ENUM_DECLARE(agency_type, AGENCY_TYPES)
ENUM_DECLARE(role, ROLES)
ENUM_DECLARE(state, STATES)
ENUM_DECLARE(outcome, OUTCOMES)
ENUM_DECLARE(action, ACTIONS)

/* "criminal, emergency, ..." - every word parse() accepts, for messages
 * that list the allowed values; "" for a parse function not listed here. */
const char *enum_allowed(int (*parse)(const char *));

/* "subscriber,content" for a category bit set, in canonical order. */
void categories_format(unsigned bits, char *out, unsigned outsz);
/* Parse "subscriber,content" (comma-separated) into bits; -1 on error. */
int categories_parse(const char *s, unsigned *bits);
/* Parse "intake,reviewer" into role bits; -1 on error. */
int roles_parse(const char *s, unsigned *bits);
void roles_format(unsigned bits, char *out, unsigned outsz);

#endif
