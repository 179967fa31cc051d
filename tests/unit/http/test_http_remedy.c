/*
 * test_http_remedy.c - the server's spellings of the remedies
 * (http/remedy.c): every remedy the domain can set has a sentence for the
 * pages and (but for a database that does not exist yet, which the server
 * never meets) a call for the API; the subject goes where "{id}" stands;
 * the last error's remedy is the one spelled; a short buffer truncates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/err.h"
#include "http/remedy.h"

static void test_every_remedy_spelled(void **state)
{
	(void)state;
	char buf[512];
	for (int r = REMEDY_NONE + 1; r < REMEDY__COUNT; r++) {
		http_remedy_spell((enum err_remedy)r, 7, FRONT_PAGE, buf, sizeof(buf));
		assert_true(strlen(buf) > 10);
		assert_int_equal(buf[strlen(buf) - 1], '.');   /* a sentence */
		assert_null(strstr(buf, "{id}"));
		assert_null(strstr(buf, "/api/"));             /* the browser's terms */
		http_remedy_spell((enum err_remedy)r, 7, FRONT_API, buf, sizeof(buf));
		if (r != REMEDY_INIT) {
			assert_true(strncmp(buf, " (", 2) == 0);
			assert_int_equal(buf[strlen(buf) - 1], ')');
		}
		assert_null(strstr(buf, "{id}"));
	}
	http_remedy_spell(REMEDY_NONE, 0, FRONT_PAGE, buf, sizeof(buf));
	assert_string_equal(buf, "");
	http_remedy_spell(REMEDY__COUNT, 0, FRONT_API, buf, sizeof(buf));
	assert_string_equal(buf, "");
}

static void test_subject_and_last_error(void **state)
{
	(void)state;
	char buf[512], small[12];
	http_remedy_spell(REMEDY_SECOND_APPROVER, 42, FRONT_API, buf, sizeof(buf));
	assert_string_equal(buf, " (another approver makes POST /api/v1/requests/42/approval)");
	assert_int_equal(http_remedy_link(REMEDY_SECOND_APPROVER), REMEDY_LINK_REQUEST);
	assert_int_equal(http_remedy_link(REMEDY_SIGN_IN), REMEDY_LINK_SIGNIN);
	err_set(E_REFUSED, "no");
	err_set_remedy(REMEDY_VOID, 9);
	http_remedy_text(FRONT_API, buf, sizeof(buf));
	assert_string_equal(buf, " (POST /api/v1/requests/9/void with a reason)");
	err_set(E_REFUSED, "no remedy this time");
	assert_string_equal(http_remedy_text(FRONT_PAGE, buf, sizeof(buf)), "");
	http_remedy_spell(REMEDY_VOID, 123456789, FRONT_API, small, sizeof(small));
	assert_int_equal(strlen(small), sizeof(small) - 1);   /* cut, terminated */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_remedy_spelled),
		cmocka_unit_test(test_subject_and_last_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
