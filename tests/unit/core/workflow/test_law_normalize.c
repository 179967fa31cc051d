/*
 * test_law_normalize.c - identifiers in one spelling (core/workflow/normalize.h):
 * phone numbers in E.164, e-mail addresses trimmed and lower case, IP
 * addresses in canonical form, usernames trimmed; call-back numbers
 * compared in E.164 form.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/workflow/normalize.h"

static void expect_form(int (*fn)(const char *, char *, size_t), const char *in,
			int rc, const char *want)
{
	char out[NORMALIZE_MAX];
	assert_int_equal(fn(in, out, sizeof(out)), rc);
	if (want)
		assert_string_equal(out, want);
}

static void test_phone(void **state)
{
	(void)state;
	expect_form(normalize_phone, "+1 213 555 0100", 0, "+12135550100");
	expect_form(normalize_phone, " +1 (213) 555-0100 ", 0, "+12135550100");
	expect_form(normalize_phone, "001 213.555.0100", 0, "+12135550100");
	expect_form(normalize_phone, "+44 20 7946 0000", 0, "+442079460000");
	expect_form(normalize_phone, "213 555 0100", -1, NULL); /* no country code */
	expect_form(normalize_phone, "+1 213 555 0100 ext 4", -1, NULL);
	expect_form(normalize_phone, "+12", -1, NULL);
	expect_form(normalize_phone, "+1234567890123456", -1, NULL); /* 16 digits */
	expect_form(normalize_phone, "1+213", -1, NULL);
}

static void test_phone_same(void **state)
{
	(void)state;
	assert_true(phone_same("+1 213 555 0100", "001 (213) 555-0100"));
	assert_true(phone_same("+1 213 555 0100", "+12135550100"));
	assert_false(phone_same("+1 213 555 0100", "+1 310 555 0199"));
	assert_false(phone_same("+1 213 555 0100", "213 555 0100"));
	assert_true(phone_same("213-555-0100", "(213) 555 0100"));
	assert_false(phone_same(NULL, "+12135550100"));
	assert_false(phone_same("", ""));
}

static void test_email(void **state)
{
	(void)state;
	expect_form(normalize_email, "  Alice@Example.NET ", 0, "alice@example.net");
	expect_form(normalize_email, "nobody", -1, "nobody");
}

static void test_ip(void **state)
{
	(void)state;
	expect_form(normalize_ip, " 192.0.2.1 ", 0, "192.0.2.1");
	expect_form(normalize_ip, "2001:DB8:0:0:0:0:0:1", 0, "2001:db8::1");
	expect_form(normalize_ip, "2001:db8::0001", 0, "2001:db8::1");
	expect_form(normalize_ip, "192.0.2.0/24", -1, NULL);
	expect_form(normalize_ip, "not-an-ip", -1, NULL);
}

static void test_target(void **state)
{
	char out[NORMALIZE_MAX];
	(void)state;
	assert_int_equal(normalize_target(TGT_USERNAME, "  alice.smith\t", out, sizeof(out)), 0);
	assert_string_equal(out, "alice.smith");
	assert_int_equal(normalize_target(TGT_USERNAME, "Alice", out, sizeof(out)), 0);
	assert_string_equal(out, "Alice"); /* usernames keep their case */
	assert_int_equal(normalize_target(TGT_PHONE, "+1 787 555 0100", out, sizeof(out)), 0);
	assert_string_equal(out, "+17875550100");
	char tiny[4];
	assert_int_equal(normalize_trim("abcdef", tiny, sizeof(tiny)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_phone), cmocka_unit_test(test_phone_same),
	    cmocka_unit_test(test_email), cmocka_unit_test(test_ip),
	    cmocka_unit_test(test_target),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
