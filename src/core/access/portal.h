/*
 * portal.h - who may register at the agency portal (SPEC §14): an e-mail
 * address whose domain is exactly one of an agency's verified domains.  A
 * domain that imitates a verified one (core/policy/lookalike.h: within two
 * edits, or equal once confusable characters are folded) is a look-alike;
 * any other is unverified.  Both are refused, and the caller logs them.
 * Pure; nothing allocated.
 */
#ifndef DOCKET_PORTAL_H
#define DOCKET_PORTAL_H

#include <stddef.h>

#include "model/model.h"

enum portal_verdict {
	PORTAL_VERIFIED,   /* exactly a verified domain of *agency */
	PORTAL_LOOKALIKE,  /* imitates *imitates */
	PORTAL_UNVERIFIED, /* no agency's, and like none */
};
const char *portal_verdict_str(enum portal_verdict v);

/* The domain of e-mail address email (lower case, after the last '@'),
 * into out; -1 when there is none or it does not fit. */
int portal_email_domain(const char *email, char *out, size_t outsz);

/* The verdict for domain among agencies[0..n): *agency receives the agency
 * of a verified domain (the first, in the order given), *imitates the
 * verified domain a look-alike imitates; both NULL otherwise. */
enum portal_verdict portal_domain_verdict(const char *domain,
					  const struct agency *agencies, size_t n,
					  const struct agency **agency,
					  const char **imitates);

#endif
