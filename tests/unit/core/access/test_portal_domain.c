/*
 * test_portal_domain.c - who may register at the agency portal
 * (core/access/portal.c): exactly a verified domain of an agency; a
 * look-alike of one (edits, confusable characters) is refused as such;
 * everything else, sub-domains and parent domains included, is unverified.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/access/portal.h"

static char *lapd_domains[] = {"lapd.gov"};
static char *met_domains[] = {"met.police.uk", "police.uk.example"};
static const struct agency agencies[] = {
    {.id = "us-lapd", .domains = lapd_domains, .n_domains = 1},
    {.id = "gb-met", .domains = met_domains, .n_domains = 2},
};

static enum portal_verdict verdict(const char *domain, const char **agency,
				   const char **imitates)
{
	const struct agency *a;
	enum portal_verdict v = portal_domain_verdict(domain, agencies, 2, &a, imitates);
	*agency = a ? a->id : NULL;
	return v;
}

static void test_verified(void **state)
{
	(void)state;
	const char *ag, *im;
	assert_int_equal(verdict("lapd.gov", &ag, &im), PORTAL_VERIFIED);
	assert_string_equal(ag, "us-lapd");
	assert_null(im);
	assert_int_equal(verdict("LAPD.GOV", &ag, &im), PORTAL_VERIFIED);
	assert_int_equal(verdict("police.uk.example", &ag, &im), PORTAL_VERIFIED);
	assert_string_equal(ag, "gb-met");
}

static void test_lookalike(void **state)
{
	(void)state;
	const char *ag, *im;
	static const char *const fakes[] = {"1apd.gov",	  "lapd.gv",	   "iapd.gov",
					    "lapd.gov.x", "met.p0lice.uk", "lpd.gov"};
	for (size_t i = 0; i < sizeof(fakes) / sizeof(fakes[0]); i++) {
		assert_int_equal(verdict(fakes[i], &ag, &im), PORTAL_LOOKALIKE);
		assert_null(ag);
		assert_non_null(im);
	}
	verdict("1apd.gov", &ag, &im);
	assert_string_equal(im, "lapd.gov");
}

static void test_unverified(void **state)
{
	(void)state;
	const char *ag, *im;
	static const char *const others[] = {"gmail.com", "mail.lapd.gov", "gov",
					     "sheriff.example"};
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		assert_int_equal(verdict(others[i], &ag, &im), PORTAL_UNVERIFIED);
		assert_null(ag);
		assert_null(im);
	}
}

static void test_email_domain(void **state)
{
	(void)state;
	char d[64];
	assert_int_equal(portal_email_domain("Det.Smith@LAPD.Gov.", d, sizeof(d)), 0);
	assert_string_equal(d, "lapd.gov");
	assert_int_equal(portal_email_domain("a@b@lapd.gov", d, sizeof(d)), 0);
	assert_string_equal(d, "lapd.gov");
	assert_int_equal(portal_email_domain("nodomain@", d, sizeof(d)), -1);
	assert_int_equal(portal_email_domain("@lapd.gov", d, sizeof(d)), -1);
	assert_int_equal(portal_email_domain("plain", d, sizeof(d)), -1);
	assert_int_equal(
	    portal_email_domain("x@averyveryverylongdomainname.example", d, 8), -1);
	assert_string_equal(portal_verdict_str(PORTAL_LOOKALIKE), "lookalike");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_verified),
	    cmocka_unit_test(test_lookalike),
	    cmocka_unit_test(test_unverified),
	    cmocka_unit_test(test_email_domain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
