/*
 * test_workflow.c - the transition table (SPEC §4): every allowed
 * transition works with its role and records history and a log entry;
 * every (state, event) pair the table lacks is refused and changes nothing;
 * a wrong role is forbidden; four eyes needs two distinct approvers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tmpdir.h"

#include "app/admin.h"
#include "app/app.h"
#include "base/err.h"
#include "core/policy/classify.h"
#include "base/util.h"
#include "core/policy/policy.h"
#include "core/workflow/workflow.h"
#include "store/store.h"

static const char *const EVENTS[] = {
	"verify", "reject", "narrow", "redirect", "challenge", "approve",
	"challenge_quashed", "challenge_modified", "challenge_denied", "sign_off",
	"sign_off_final", "disclose", "close", "withdraw", "hold_renew", "hold_release",
	"hold_expire", "convert"};

/* Changes run in the application layer's unit of work, as in docket, so
 * each signs a checkpoint before it commits. */
struct fx {
	char dir[64];
	struct session *s;
	struct store *st;        /* s->st */
	int n;
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	struct app_init_result made;
	char path[96];
	if (tmpdir_make(f->dir, "wf") < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", f->dir);
	if (app_init(path, "test.local/log", "admin", &made) < 0 ||
	    session_open(path, "admin", &f->s) < 0)
		return -1;
	app_init_release(&made);
	f->st = f->s->st;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	session_close(f->s);
	if (tmpdir_remove(f->dir) < 0)
		return -1;
	free(f);
	return 0;
}

/* A request stored in state s. */
static int64_t make_request(struct fx *f, enum state s)
{
	char doc[256];
	struct request r = {0};
	snprintf(doc, sizeof(doc),
		 "{\"ref\":\"W-%d\",\"agency\":\"us-x\",\"kind\":\"criminal\",\"process\":"
		 "\"search_warrant\",\"targets\":[],\"categories\":[\"subscriber\",\"content\"]}",
		 ++f->n);
	assert_int_equal(request_parse(doc, strlen(doc), REQUEST_NEW, 1000, &r), 0);
	str_copy(r.country, sizeof(r.country), "US");
	r.state = s;
	request_classify(&r);
	assert_int_equal(store_request_insert(f->st, &r, NULL), 0);
	int64_t id = r.id;
	request_release(&r);
	return id;
}

static enum state state_of(struct fx *f, int64_t id)
{
	struct request r = {0};
	assert_int_equal(store_request_get(f->st, id, &r, NULL), 0);
	enum state s = r.state;
	request_release(&r);
	return s;
}

static int history_count(void *ctx, const struct history_entry *h)
{
	(void)h;
	(*(int *)ctx)++;
	return 0;
}

/* One workflow step as a unit of work, by `who` holding `roles`. */
struct step {
	int64_t id;
	const char *who;
	unsigned roles;
	const char *event;               /* workflow_apply */
	const struct decision *d;        /* review_decide */
	int approve;                     /* review_approve */
};

static int step_body(struct session *s, void *ctx)
{
	const struct step *p = ctx;
	struct staff by = {{p->who, s->now}, p->roles};
	if (p->d)
		return review_decide(s->st, &by, p->id, p->d);
	if (p->approve)
		return review_approve(s->st, &by, p->id, NULL, NULL);
	struct request r = {0};
	int rc = store_request_get(s->st, p->id, &r, NULL);
	if (rc == 0)
		rc = workflow_apply(s->st, &by, &r, p->event, "because", OUT_NONE, NULL, NULL);
	request_release(&r);
	return rc;
}

static int apply(struct fx *f, int64_t id, const char *event, unsigned roles)
{
	struct step p = {.id = id, .who = "tester", .roles = roles, .event = event};
	return app_unit(f->s, step_body, &p);
}

static void test_every_allowed_transition(void **state)
{
	struct fx *f = *state;
	int n = 0;
	for (const struct transition *t = workflow_table; t->event; t++, n++) {
		int64_t id = make_request(f, t->from);
		int hist = 0;
		/* without the role: forbidden, unchanged */
		assert_int_equal(apply(f, id, t->event, ~t->roles & 0x3fu), -E_FORBIDDEN);
		assert_int_equal(state_of(f, id), t->from);
		/* with it: the table's next state, one history row */
		assert_int_equal(apply(f, id, t->event, t->roles), 0);
		assert_int_equal(state_of(f, id), t->to);
		assert_int_equal(store_history_each(f->st, id, history_count, &hist), 0);
		assert_int_equal(hist, 1);
	}
	assert_true(n >= 25);
}

static void test_every_missing_transition_refused(void **state)
{
	struct fx *f = *state;
	int refused = 0;
	for (int s = 0; s < state__COUNT; s++) {
		int64_t id = make_request(f, (enum state)s);
		for (size_t e = 0; e < ARRAY_SIZE(EVENTS); e++) {
			if (workflow_find((enum state)s, EVENTS[e]))
				continue;
			uint64_t before = 0, after = 0;
			assert_int_equal(store_log_size(f->st, &before), 0);
			assert_int_equal(apply(f, id, EVENTS[e], 0x3fu), -E_REFUSED);
			assert_non_null(strstr(err_msg(), "is not allowed"));
			assert_int_equal(state_of(f, id), s);
			assert_int_equal(store_log_size(f->st, &after), 0);
			assert_int_equal(before, after);
			refused++;
		}
	}
	assert_true(refused > 150);
}

static int op_approve(struct fx *f, int64_t id, const char *who)
{
	struct step p = {.id = id, .who = who, .roles = ROLE_BIT(ROLE_APPROVER), .approve = 1};
	return app_unit(f->s, step_body, &p);
}

static void test_four_eyes(void **state)
{
	struct fx *f = *state;
	int64_t id = make_request(f, ST_APPROVED);
	assert_int_equal(op_approve(f, id, "ann"), 0);
	assert_int_equal(state_of(f, id), ST_APPROVED);
	assert_int_equal(op_approve(f, id, "ann"), -E_REFUSED);
	assert_non_null(strstr(err_msg(), "four eyes"));
	assert_int_equal(state_of(f, id), ST_APPROVED);
	assert_int_equal(op_approve(f, id, "bob"), 0);
	assert_int_equal(state_of(f, id), ST_READY);
	assert_int_equal(op_approve(f, id, "cat"), -E_REFUSED); /* ready: no more sign-offs */

	/* an approval before the review decided is refused */
	int64_t id2 = make_request(f, ST_IN_REVIEW);
	assert_int_equal(op_approve(f, id2, "ann"), -E_REFUSED);
}

static int decide(struct fx *f, int64_t id, const struct decision *d)
{
	struct step p = {.id = id, .who = "rev", .roles = ROLE_BIT(ROLE_REVIEWER), .d = d};
	return app_unit(f->s, step_body, &p);
}

static void test_narrow_keeps_subset(void **state)
{
	struct fx *f = *state;
	int64_t id = make_request(f, ST_IN_REVIEW);
	struct decision all = {.name = "narrow", .reason = "r",
			       .categories = CAT_BIT(CAT_SUBSCRIBER) | CAT_BIT(CAT_CONTENT)};
	struct decision other = {.name = "narrow", .reason = "r",
				 .categories = CAT_BIT(CAT_NONCONTENT)};
	struct decision ok = {.name = "narrow", .reason = "r",
			      .categories = CAT_BIT(CAT_SUBSCRIBER)};
	assert_int_equal(decide(f, id, &all), -E_INVALID);
	assert_int_equal(decide(f, id, &other), -E_INVALID);
	assert_int_equal(state_of(f, id), ST_IN_REVIEW);
	assert_int_equal(decide(f, id, &ok), 0);
	struct request r = {0};
	assert_int_equal(store_request_get(f->st, id, &r, NULL), 0);
	assert_int_equal(r.state, ST_APPROVED);
	assert_int_equal(r.scope, CAT_BIT(CAT_SUBSCRIBER));
	request_release(&r);
}

static void test_challenge_needs_court(void **state)
{
	struct fx *f = *state;
	int64_t id = make_request(f, ST_IN_REVIEW);
	struct decision bare = {.name = "challenge", .reason = "overbroad"};
	struct decision full = {.name = "challenge", .reason = "overbroad",
				.court = "N.D. Cal.", .grounds = "not particular"};
	assert_int_equal(decide(f, id, &bare), -E_INVALID);
	assert_string_equal(err_msg(), "a challenge needs a court and grounds");
	assert_int_equal(decide(f, id, &full), 0);
	assert_int_equal(state_of(f, id), ST_CHALLENGED);
}

/* Refusing to approve a request the law does not allow names the rules
 * whose effect is to reject it, not the flags found beside them. */
static void test_refusal_names_rejecting_rules(void **state)
{
	struct fx *f = *state;
	int64_t id = make_request(f, ST_IN_REVIEW);
	struct policy_reason reasons[] = {
	    {.rule = "GEN-NDO-INDEFINITE", .cite = "c", .text = "t", .effect = EFFECT_FLAG,
	     .category = -1},
	    {.rule = "GEN-TARGETS", .cite = "c", .text = "t", .effect = ACT_REJECT,
	     .category = -1},
	    {.rule = "GEN-NDO-LONG", .cite = "c", .text = "t", .effect = EFFECT_FLAG,
	     .category = -1},
	};
	struct policy_result pol = {.action = ACT_REJECT, .reasons = reasons,
				    .n_reasons = ARRAY_SIZE(reasons),
				    .flags = PF_BIT(PF_NDO_INDEFINITE)};
	char *stored = policy_dumps(&pol);
	assert_non_null(stored);
	assert_int_equal(store_request_set_policy(f->st, id, stored), 0);
	free(stored);
	struct decision approve = {.name = "approve", .reason = "r"};
	assert_int_equal(decide(f, id, &approve), -E_REFUSED);
	assert_non_null(strstr(err_msg(), "the law does not allow it (GEN-TARGETS)"));
	assert_null(strstr(err_msg(), "GEN-NDO"));
	assert_int_equal(state_of(f, id), ST_IN_REVIEW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_allowed_transition, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_missing_transition_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_four_eyes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_narrow_keeps_subset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_challenge_needs_court, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusal_names_rejecting_rules, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
