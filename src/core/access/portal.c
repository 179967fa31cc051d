/*
 * portal.c - the agency portal's domain check (core/access/portal.h).
 */
#include <string.h>
#include <strings.h>

#include "core/access/portal.h"
#include "core/policy/lookalike.h"

/* The classes and distance of the rule GEN-REQUESTER as shipped
 * (rules/general.json): one standard for a forged requester and a forged
 * registration. */
static char *const confusables[] = {"o0", "l1i", "e3", "a4", "s5",
				    "t7", "b8",	 "g9", "z2"};
#define MAX_DISTANCE 2

const char *portal_verdict_str(enum portal_verdict v)
{
	switch (v) {
	case PORTAL_VERIFIED:
		return "verified";
	case PORTAL_LOOKALIKE:
		return "lookalike";
	default:
		return "unverified";
	}
}

int portal_email_domain(const char *email, char *out, size_t outsz)
{
	const char *at = strrchr(email, '@');
	if (!at || at == email || !at[1])
		return -1;
	size_t n = strlen(at + 1);
	if (n >= outsz || n > LOOKALIKE_MAX_LEN)
		return -1;
	for (size_t i = 0; i <= n; i++) {
		char c = at[1 + i];
		out[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	if (out[n - 1] == '.')
		out[n - 1] = '\0';
	return out[0] ? 0 : -1;
}

enum portal_verdict portal_domain_verdict(const char *domain,
					  const struct agency *agencies, size_t n,
					  const struct agency **agency,
					  const char **imitates)
{
	*agency = NULL;
	*imitates = NULL;
	for (size_t i = 0; i < n; i++)
		for (size_t d = 0; d < agencies[i].n_domains; d++)
			if (strcasecmp(domain, agencies[i].domains[d]) == 0) {
				*agency = &agencies[i];
				return PORTAL_VERIFIED;
			}
	for (size_t i = 0; i < n; i++)
		for (size_t d = 0; d < agencies[i].n_domains; d++)
			if (lookalike_match(
				domain, agencies[i].domains[d], MAX_DISTANCE, confusables,
				sizeof(confusables) / sizeof(confusables[0]))) {
				*imitates = agencies[i].domains[d];
				return PORTAL_LOOKALIKE;
			}
	return PORTAL_UNVERIFIED;
}
