/*
 * test_ndo.c - nondisclosure orders (core/notice/ndo.h) through the application
 * layer: one NDO in force per request; an indefinite one flags the request
 * (GEN-NDO-INDEFINITE) and suppresses its notice; extensions must end later;
 * lifting ends it; the flags at a given time; the NSL gag review comes due
 * three years after the request and is raised once (US-NSL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "appfx.h"

#include "app/notice.h"
#include "app/request.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"

static int setup(void **state)
{
	struct appfx *f = xcalloc(1, sizeof(*f));
	setenv("DOCKET_NOW", "2026-03-02T12:00:00Z", 1);
	if (appfx_setup(f, "ndo") < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	appfx_teardown(*state);
	free(*state);
	unsetenv("DOCKET_NOW");
	return 0;
}

static int64_t add(struct appfx *f, const char *process, const char *kind)
{
	char doc[512];
	static int seq;
	int64_t id = 0;
	snprintf(
	    doc, sizeof(doc),
	    "{\"ref\":\"N-%d\",\"agency\":\"us-lapd\",\"kind\":\"%s\",\"process\":\"%s\","
	    "\"received_at\":\"2026-03-01\",\"targets\":[{\"type\":\"email\",\"value\":"
	    "\"alice@example.net\"}],\"categories\":[\"subscriber\"]}",
	    ++seq, kind, process);
	struct session *s = appfx_as(f, "intake-1");
	assert_non_null(s);
	assert_int_equal(app_request_add(s, "r.json", doc, strlen(doc), &id), 0);
	session_close(s);
	return id;
}

static struct ndo order(const char *issued, const char *expires)
{
	struct ndo nd = {.statute = "18 U.S.C. 2705(b)"};
	assert_int_equal(ts_parse(issued, &nd.issued_at), 0);
	if (expires) {
		nd.has_expiry = 1;
		assert_int_equal(ts_parse(expires, &nd.expires_at), 0);
	}
	return nd;
}

static int collect_one(void *ctx, const struct ndo_record *n)
{
	struct ndo_record *out = ctx;
	*out = *n;
	out->statute = NULL; /* valid during the call only */
	out->lift_reason = NULL;
	return 0;
}

static struct ndo_record last_ndo(struct appfx *f, int64_t id)
{
	struct ndo_record n = {0};
	assert_int_equal(app_ndo_each(f->s, id, collect_one, &n), 0);
	return n;
}

static int notice_state(void *ctx, const struct notice_record *n)
{
	str_copy(ctx, 32, n->state);
	return 0;
}

static void test_indefinite_flags_and_suppresses(void **state)
{
	struct appfx *f = *state;
	int64_t id = add(f, "subpoena", "criminal");
	struct session *s = appfx_as(f, "intake-1");
	struct ndo nd = order("2026-03-01", NULL);
	assert_int_equal(app_ndo_add(s, id, &nd), 0);

	struct request r = {0};
	struct policy_result pol;
	int have;
	assert_int_equal(app_request_get(f->s, id, &r, &pol, &have), 0);
	assert_true(pol.flags & PF_BIT(PF_NDO_INDEFINITE));
	policy_result_release(&pol);
	request_release(&r);

	struct notice_filter nf;
	char st[32] = "";
	notice_filter_init(&nf);
	nf.request_id = id;
	assert_int_equal(app_notice_each(f->s, &nf, notice_state, st), 0);
	assert_string_equal(st, "suppressed");

	/* a second NDO while one is in force is refused, nothing logged */
	uint64_t before = 0, after = 0;
	assert_int_equal(store_log_size(f->s->st, &before), 0);
	struct ndo again = order("2026-03-02", "2026-06-01");
	assert_int_equal(app_ndo_add(s, id, &again), -E_REFUSED);
	assert_int_equal(store_log_size(f->s->st, &after), 0);
	assert_int_equal(after, before);
	session_close(s);
}

static void test_extend_and_lift(void **state)
{
	struct appfx *f = *state;
	int64_t id = add(f, "subpoena", "criminal");
	struct session *s = appfx_as(f, "intake-1");
	struct ndo nd = order("2026-03-01", "2026-09-01");
	struct ts t;
	assert_int_equal(app_ndo_add(s, id, &nd), 0);
	assert_int_equal(ts_parse("2026-08-01", &t), 0);
	assert_int_equal(app_ndo_extend(s, id, t.t), -E_INVALID); /* earlier */
	assert_int_equal(ts_parse("2026-12-01", &t), 0);
	assert_int_equal(app_ndo_extend(s, id, t.t), 0);
	struct ndo_record n = last_ndo(f, id);
	assert_int_equal(n.expires_at, t.t);
	assert_true(ndo_in_force(&n, f->s->now));

	assert_int_equal(app_ndo_lift(s, id, "court order"), 0);
	n = last_ndo(f, id);
	assert_true(n.lifted_at > 0);
	assert_false(ndo_in_force(&n, f->s->now));
	assert_int_equal(app_ndo_lift(s, id, NULL), -E_NOTFOUND);
	/* a new NDO may follow a lifted one */
	struct ndo next = order("2026-03-02", "2026-04-01");
	assert_int_equal(app_ndo_add(s, id, &next), 0);
	session_close(s);
}

static void test_only_intake_records(void **state)
{
	struct appfx *f = *state;
	int64_t id = add(f, "subpoena", "criminal");
	struct session *s = appfx_as(f, "reviewer-1");
	struct ndo nd = order("2026-03-01", NULL);
	assert_int_equal(app_ndo_add(s, id, &nd), -E_FORBIDDEN);
	assert_int_equal(app_ndo_lift(s, id, NULL), -E_FORBIDDEN);
	session_close(s);
}

static void test_flags_at_a_time(void **state)
{
	(void)state;
	int64_t day = DAY_SECONDS;
	struct ndo_record indefinite = {.issued_at = 0, .has_expiry = 0};
	struct ndo_record year = {
	    .issued_at = 0, .has_expiry = 1, .expires_at = 365 * day};
	struct ndo_record longer = {
	    .issued_at = 0, .has_expiry = 1, .expires_at = 366 * day};
	struct ndo_record review = {.issued_at = 0,
				    .has_expiry = 1,
				    .expires_at = 2000 * day,
				    .review_at = 1000 * day};
	struct ndo_record lifted = {.issued_at = 0, .lifted_at = day};
	assert_int_equal(ndo_flags(&indefinite, day), NDO_FLAG_INDEFINITE);
	assert_int_equal(ndo_flags(&year, day), 0);
	assert_int_equal(ndo_flags(&longer, day), NDO_FLAG_OVER_ONE_YEAR);
	assert_int_equal(ndo_flags(&longer, 367 * day), 0); /* expired */
	assert_int_equal(ndo_flags(&review, 999 * day), NDO_FLAG_OVER_ONE_YEAR);
	assert_int_equal(ndo_flags(&review, 1000 * day),
			 NDO_FLAG_OVER_ONE_YEAR | NDO_FLAG_REVIEW_DUE);
	assert_int_equal(ndo_flags(&lifted, 2 * day), 0);
}

static void test_nsl_review_raised_once(void **state)
{
	struct appfx *f = *state;
	int64_t id = add(f, "nsl", "national_security");
	struct session *s = appfx_as(f, "intake-1");
	struct ndo nd = order("2026-03-01", NULL);
	struct tick_stats t;
	assert_int_equal(app_ndo_add(s, id, &nd), 0);
	session_close(s);
	struct ndo_record n = last_ndo(f, id);
	struct ts due;
	assert_int_equal(ts_parse("2029-03-01", &due), 0);
	assert_int_equal(n.review_at, due.t); /* three years after the request */

	setenv("DOCKET_NOW", "2029-02-28T00:00:00Z", 1);
	assert_int_equal(app_tick(f->s, &t), 0);
	assert_int_equal(t.reviews, 0);
	setenv("DOCKET_NOW", "2029-03-02T00:00:00Z", 1);
	assert_int_equal(app_tick(f->s, &t), 0);
	assert_int_equal(t.reviews, 1);
	assert_int_equal(app_tick(f->s, &t), 0);
	assert_int_equal(t.reviews, 0); /* raised once */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_indefinite_flags_and_suppresses, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_extend_and_lift, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_only_intake_records, setup, teardown),
	    cmocka_unit_test(test_flags_at_a_time),
	    cmocka_unit_test_setup_teardown(test_nsl_review_raised_once, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
