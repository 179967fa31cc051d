/*
 * test_notice.c - customer notices and NDOs (src/core/notice*.c, ndo.c):
 * the state decisions (NDO, indefinite NDO, emergency delay, lifting),
 * backoff, NDO flags, the notice text, and the claim / deliver / finish
 * cycle on a real store (one claim per notice, retries, lost claims,
 * resend).
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

#include "base/clock.h"
#include "base/err.h"
#include "core/policy/classify.h"
#include "base/util.h"
#include "core/notice/ndo.h"
#include "core/notice/notice.h"
#include "store/store.h"
#include "store/txn.h"

#define DAY DAY_SECONDS

/* --- state decisions ------------------------------------------------------------ */

static struct notice_plan plan(int64_t received, int emergency, int64_t delay,
			       const struct ndo_record *ndos, size_t n, int64_t now)
{
	struct notice_basis b = {received, emergency, delay, ndos, n, 0};
	struct notice_plan p;
	notice_plan(&b, now, &p);
	return p;
}

static void test_plan_no_ndo(void **state)
{
	(void)state;
	struct notice_plan p = plan(1000, 0, 90 * DAY, NULL, 0, 2000);
	assert_int_equal(p.state, NS_PENDING);
	assert_int_equal(p.due_at, 1000);
	assert_null(p.reason);
	/* the emergency delay applies to emergencies only */
	p = plan(1000, 1, 90 * DAY, NULL, 0, 2000);
	assert_int_equal(p.state, NS_DELAYED);
	assert_int_equal(p.due_at, 1000 + 90 * DAY);
	assert_string_equal(p.reason, "emergency");
	p = plan(1000, 1, 90 * DAY, NULL, 0, 1000 + 90 * DAY);
	assert_int_equal(p.state, NS_PENDING);
	p = plan(1000, 1, 0, NULL, 0, 1000);   /* delay configured to 0 */
	assert_int_equal(p.state, NS_PENDING);
}

/* US-FISA: secrecy by statute suppresses the notice from intake, with no
 * NDO, and no time or lifted NDO releases it. */
static void test_plan_statutory_secrecy(void **state)
{
	(void)state;
	struct ndo_record lifted = {.issued_at = 0, .lifted_at = DAY};
	struct notice_basis b = {1000, 0, 0, NULL, 0, 1};
	struct notice_plan p;
	notice_plan(&b, 1000, &p);
	assert_int_equal(p.state, NS_SUPPRESSED);
	assert_int_equal(p.due_at, 0);
	assert_string_equal(p.reason, "statute");
	b.ndos = &lifted;
	b.n_ndos = 1;
	notice_plan(&b, 100000 * DAY, &p);
	assert_int_equal(p.state, NS_SUPPRESSED);
}

static void test_plan_ndo(void **state)
{
	(void)state;
	struct ndo_record dated = {.issued_at = 0, .has_expiry = 1, .expires_at = 100 * DAY};
	struct notice_plan p = plan(DAY, 0, 0, &dated, 1, 100 * DAY - 1);
	assert_int_equal(p.state, NS_DELAYED);
	assert_int_equal(p.due_at, 100 * DAY);
	assert_string_equal(p.reason, "ndo");
	p = plan(DAY, 0, 0, &dated, 1, 100 * DAY);   /* exactly at expiry */
	assert_int_equal(p.state, NS_PENDING);
	assert_int_equal(p.due_at, 100 * DAY);

	/* GEN-NDO-INDEFINITE: suppressed, whatever the time */
	struct ndo_record indef = {.issued_at = 0};
	p = plan(DAY, 0, 0, &indef, 1, 100000 * DAY);
	assert_int_equal(p.state, NS_SUPPRESSED);
	assert_int_equal(p.due_at, 0);
	assert_string_equal(p.reason, "ndo_indefinite");
	indef.lifted_at = 5 * DAY;   /* lifted: due at once */
	p = plan(DAY, 0, 0, &indef, 1, 5 * DAY);
	assert_int_equal(p.state, NS_PENDING);

	/* the later of the emergency delay and the NDO wins */
	p = plan(0, 1, 90 * DAY, &dated, 1, DAY);
	assert_int_equal(p.due_at, 100 * DAY);
	assert_string_equal(p.reason, "ndo");
	dated.expires_at = 30 * DAY;
	p = plan(0, 1, 90 * DAY, &dated, 1, DAY);
	assert_int_equal(p.due_at, 90 * DAY);
	assert_string_equal(p.reason, "emergency");

	/* a lifted indefinite NDO and a dated one in force */
	struct ndo_record two[2] = {{.lifted_at = 2 * DAY},
				    {.has_expiry = 1, .expires_at = 50 * DAY}};
	p = plan(DAY, 0, 0, two, 2, 3 * DAY);
	assert_int_equal(p.state, NS_DELAYED);
	assert_int_equal(p.due_at, 50 * DAY);
}

static void test_backoff(void **state)
{
	(void)state;
	assert_int_equal(notice_backoff(0), 300);
	assert_int_equal(notice_backoff(1), 300);
	assert_int_equal(notice_backoff(2), 600);
	assert_int_equal(notice_backoff(3), 1200);
	assert_int_equal(notice_backoff(9), 300 * 256);
	assert_int_equal(notice_backoff(10), DAY);
	assert_int_equal(notice_backoff(1000), DAY);
}

static void test_ndo_flags(void **state)
{
	(void)state;
	struct ndo_record n = {.issued_at = 0, .has_expiry = 1, .expires_at = 365 * DAY};
	assert_int_equal(ndo_flags(&n, 0), 0);   /* one year exactly: not flagged */
	n.expires_at = 365 * DAY + 1;
	assert_int_equal(ndo_flags(&n, 0), NDO_FLAG_OVER_ONE_YEAR);
	assert_int_equal(ndo_flags(&n, 365 * DAY + 1), 0);   /* expired: nothing to fight */
	n.has_expiry = 0;
	assert_int_equal(ndo_flags(&n, 10000 * DAY), NDO_FLAG_INDEFINITE);
	n.review_at = 3 * 365 * DAY;
	assert_int_equal(ndo_flags(&n, 3 * 365 * DAY - 1), NDO_FLAG_INDEFINITE);
	assert_int_equal(ndo_flags(&n, 3 * 365 * DAY),
			 NDO_FLAG_INDEFINITE | NDO_FLAG_REVIEW_DUE);
	n.lifted_at = 1;
	assert_int_equal(ndo_flags(&n, 3 * 365 * DAY), 0);
	char text[256];
	ndo_flags_text(NDO_FLAG_INDEFINITE | NDO_FLAG_OVER_ONE_YEAR, text, sizeof(text));
	assert_non_null(strstr(text, "GEN-NDO-INDEFINITE"));
	assert_non_null(strstr(text, "GEN-NDO-LONG"));
}

/* --- the text ------------------------------------------------------------------- */

static const char *REQUEST_DOC =
	"{\"ref\":\"LAPD-7\",\"agency\":\"us-lapd\",\"kind\":\"criminal\",\"process\":"
	"\"search_warrant\",\"received_at\":\"2026-03-02T10:00:00Z\",\"issued_by\":{\"type\":"
	"\"court\",\"name\":\"Superior Court\"},\"signed\":true,\"targets\":["
	"{\"type\":\"email\",\"value\":\"alice@example.net\"},"
	"{\"type\":\"email\",\"value\":\"bob@contoso.com\"},"
	"{\"type\":\"username\",\"value\":\"alice2\"}],"
	"\"categories\":[\"subscriber\",\"content\"]}";

static const char *ALICE =
	"{\"id\":\"c-alice\",\"name\":\"Alice Example\",\"type\":\"consumer\",\"country\":"
	"\"US\",\"data_location\":\"US\",\"us_person\":true,\"contact\":{\"email\":"
	"\"alice@example.net\"},\"accounts\":[{\"type\":\"email\",\"value\":"
	"\"alice@example.net\"},{\"type\":\"username\",\"value\":\"alice2\"}]}";
static const char *CONTOSO =
	"{\"id\":\"c-contoso\",\"name\":\"Contoso Ltd\",\"type\":\"enterprise\",\"country\":"
	"\"US\",\"data_location\":\"US\",\"us_person\":true,\"contact\":{\"email\":"
	"\"legal@contoso.com\",\"name\":\"Contoso Legal\"},\"accounts\":[{\"type\":\"email\","
	"\"value\":\"bob@contoso.com\"}]}";

static void text_fixture(struct request *r, struct customer *alice, struct customer *contoso)
{
	assert_int_equal(request_parse(REQUEST_DOC, strlen(REQUEST_DOC), REQUEST_NEW, 0, r), 0);
	r->targets[0].customer_id = xstrdup("c-alice");
	r->targets[1].customer_id = xstrdup("c-contoso");
	r->targets[2].customer_id = xstrdup("c-alice");
	str_copy(r->country, sizeof(r->country), "US");
	r->state = ST_IN_REVIEW;
	assert_int_equal(customer_parse(ALICE, strlen(ALICE), alice), 0);
	assert_int_equal(customer_parse(CONTOSO, strlen(CONTOSO), contoso), 0);
}

/* The text with its line breaks and wrapping indentation folded to single
 * spaces, for phrase checks. */
static char *flat(const char *text)
{
	char *out = xstrdup(text), *w = out;
	for (const char *p = text; *p; p++) {
		if ((*p == ' ' || *p == '\n') && w > out && w[-1] == ' ')
			continue;
		*w++ = *p == '\n' ? ' ' : *p;
	}
	*w = '\0';
	return out;
}

static void test_text(void **state)
{
	struct request r = {0};
	struct customer alice = {0}, contoso = {0};
	(void)state;
	text_fixture(&r, &alice, &contoso);
	struct notice_facts f = {
		.provider = "Example Cloud",
		.legal_contact = "legal@cloud.example",
		.origin = "cloud.example/log",
		.notice_id = 9,
		.req = &r,
		.cust = &alice,
		.agency_name = "Los Angeles Police Department",
		.agency_country = "US",
		.receipt_index = 41,
	};
	char *subject = notice_subject(&f), *text = notice_text(&f), *t = flat(text);
	assert_non_null(strstr(subject, "notice 9"));
	assert_non_null(strstr(t, "Dear Alice Example,"));
	assert_non_null(strstr(t, "Who asked: Los Angeles Police Department (United States)"));
	assert_non_null(strstr(t, "When: 2026-03-02"));
	assert_non_null(strstr(t, "a search warrant, issued by Superior Court"));
	assert_non_null(strstr(t, "LAPD-7"));
	assert_non_null(strstr(t, "Accounts: email alice@example.net; username alice2"));
	assert_null(strstr(t, "bob@contoso.com"));   /* another customer's account */
	assert_non_null(strstr(t, "subscriber information"));
	assert_non_null(strstr(t, "content (such as messages and files)"));
	assert_non_null(strstr(t, "reviewing the request"));
	assert_non_null(strstr(t, "legal@cloud.example"));
	assert_non_null(strstr(t, "quash"));
	assert_non_null(strstr(t, "entry 41 of Example Cloud's tamper-evident"));
	assert_non_null(strstr(t, "cloud.example/log"));
	for (char *line = text, *end; *line; line = end + 1) {
		end = strchr(line, '\n');
		assert_non_null(end);
		assert_true(end - line <= 72);
	}
	free(subject);
	free(text);
	free(t);

	/* the enterprise's contact, its own accounts only; what was done */
	f.cust = &contoso;
	r.state = ST_CLOSED;
	r.outcome = OUT_CONTENT;
	r.scope = CAT_BIT(CAT_SUBSCRIBER);
	struct ndo_record nd = {.statute = "18 U.S.C. 2705(b)", .has_expiry = 1,
				.expires_at = 1788220800 /* 2026-09-01 */};
	f.ndo = &nd;
	text = notice_text(&f);
	t = flat(text);
	assert_non_null(strstr(t, "Dear Contoso Legal,"));
	assert_non_null(strstr(t, "accounts of your organisation, Contoso Ltd"));
	assert_non_null(strstr(t, "Accounts: email bob@contoso.com"));
	assert_null(strstr(t, "alice"));
	assert_non_null(strstr(t, "- Subscriber information: disclosed"));
	assert_non_null(strstr(t, "- Content: refused; nothing disclosed."));
	assert_non_null(strstr(t, "(18 U.S.C. 2705(b))"));
	assert_non_null(strstr(t, "expired on 2026-09-01"));
	free(text);
	free(t);

	/* refused; delayed by the emergency policy; an unregistered agency */
	r.state = ST_REJECTED;
	r.outcome = OUT_REJECTED;
	f.ndo = NULL;
	f.emergency_delay_days = 90;
	f.agency_name = NULL;
	f.agency_country = "";
	f.receipt_index = -1;
	text = notice_text(&f);
	t = flat(text);
	assert_non_null(strstr(t, "We refused the request. We have not disclosed any data."));
	assert_non_null(strstr(t, "waited 90 days"));
	assert_non_null(strstr(t, "Who asked: us-lapd"));
	assert_non_null(strstr(t, "recorded in Example Cloud's tamper-evident"));
	free(text);
	free(t);

	request_release(&r);
	customer_release(&alice);
	customer_release(&contoso);
}

/* --- the delivery cycle on a store ------------------------------------------------ */

struct fx {
	char dir[64];
	char path[256];
	struct store *st;
	struct notice_mailer m;
	int64_t request_id;
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	struct customer c = {0};
	struct request r = {0};
	if (tmpdir_make(f->dir, "notice") < 0)
		return -1;
	if (testdb_path(f->dir, f->path, sizeof(f->path)) < 0)
		return -1;
	if (store_open(f->path, STORE_CREATE, &f->st) < 0 || store_begin(f->st) < 0)
		return -1;
	const char *docs[] = {ALICE, CONTOSO};
	for (size_t i = 0; i < 2; i++) {
		if (customer_parse(docs[i], strlen(docs[i]), &c) < 0 ||
		    store_customer_put(f->st, &c) < 0)
			return -1;
		customer_release(&c);
	}
	if (request_parse(REQUEST_DOC, strlen(REQUEST_DOC), REQUEST_NEW, 0, &r) < 0)
		return -1;
	for (size_t i = 0; i < r.n_targets; i++)
		if (store_account_resolve(f->st, r.targets[i].type, r.targets[i].value,
					  &r.targets[i].account_id, &r.targets[i].customer_id) < 0)
			return -1;
	str_copy(r.country, sizeof(r.country), "US");
	r.state = ST_IN_REVIEW;
	struct actor who = {"intake", 1772452800};
	request_classify(&r);
	if (store_request_insert(f->st, &r, NULL) < 0 || notice_intake(f->st, &who, &r) < 0 ||
	    store_commit(f->st) < 0)
		return -1;
	f->request_id = r.id;
	request_release(&r);
	if (notice_mailer_load(f->st, f->path, "test.example/log", &f->m) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	notice_mailer_release(&f->m);
	store_close(f->st);
	if (tmpdir_remove(f->dir) < 0)
		return -1;
	free(f);
	return 0;
}

static enum notice_state state_of(struct fx *f, int64_t id)
{
	struct notice n;
	assert_int_equal(notice_get(f->st, id, &n), 0);
	enum notice_state s = n.state;
	notice_release(&n);
	return s;
}

static int claim(struct fx *f, int64_t now, int64_t id, struct notice_job *job)
{
	struct actor who = {"admin", now};
	assert_int_equal(store_begin(f->st), 0);
	int rc = notice_claim(f->st, &who, &f->m, id, job);
	if (rc == 0)
		assert_int_equal(store_commit(f->st), 0);
	else
		store_rollback(f->st);
	return rc;
}

static void finish(struct fx *f, int64_t now, const struct notice_job *job, int delivered,
		   int *sent)
{
	struct actor who = {"admin", now};
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(notice_finish(f->st, &who, job, delivered, "boom", 421, sent), 0);
	assert_int_equal(store_commit(f->st), 0);
}

static void test_cycle(void **state)
{
	struct fx *f = *state;
	struct notice_job a, b, c;
	int64_t t0 = 1772452800;
	int sent;

	/* one notice per distinct customer: alice (two targets) and contoso */
	json_t *list = notice_list_json(f->st, f->request_id);
	assert_int_equal(json_array_size(list), 2);
	json_decref(list);

	/* each claim takes a different notice; a third finds nothing */
	assert_int_equal(claim(f, t0, 0, &a), 0);
	assert_int_equal(claim(f, t0, 0, &b), 0);
	assert_int_not_equal(a.notice_id, b.notice_id);
	assert_int_equal(claim(f, t0, 0, &c), -E_NOTFOUND);
	assert_int_equal(state_of(f, a.notice_id), NS_SENDING);
	assert_non_null(a.to);
	assert_string_equal(a.via, "outbox");
	assert_non_null(strstr(a.message.ptr, "Message-ID: <notice-"));
	/* a claimed notice cannot be claimed again by id */
	assert_int_equal(claim(f, t0, a.notice_id, &c), -E_REFUSED);

	/* a delivered, b failed: retried after 5 minutes with the same id */
	finish(f, t0, &a, 0, &sent);
	assert_true(sent);
	assert_int_equal(state_of(f, a.notice_id), NS_SENT);
	finish(f, t0, &b, -E_IO, &sent);
	assert_false(sent);
	assert_int_equal(state_of(f, b.notice_id), NS_FAILED);
	assert_int_equal(claim(f, t0 + 299, 0, &c), -E_NOTFOUND);
	assert_int_equal(claim(f, t0 + 300, 0, &c), 0);
	assert_int_equal(c.notice_id, b.notice_id);
	assert_int_equal(c.attempt, 2);
	assert_string_equal(c.message_id, b.message_id);

	/* c's process "dies"; after the lease the claim is recovered */
	struct actor who = {"admin", t0 + 300 + NOTICE_CLAIM_LEASE};
	int released, recovered;
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(notice_release_due(f->st, &who, NULL, &released, &recovered), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(recovered, 1);
	assert_int_equal(state_of(f, c.notice_id), NS_FAILED);
	/* the old claimant's late outcome does not overwrite the new state */
	finish(f, who.now, &c, 0, &sent);
	assert_int_equal(state_of(f, c.notice_id), NS_FAILED);

	/* resend: a sent notice becomes a new message (new generation) */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(notice_resend(f->st, &who, a.notice_id, "lost"), 0);
	assert_int_equal(store_commit(f->st), 0);
	notice_job_release(&c);
	assert_int_equal(claim(f, who.now, a.notice_id, &c), 0);
	assert_string_not_equal(c.message_id, a.message_id);
	assert_non_null(strstr(c.message_id, "-r1."));

	notice_job_release(&a);
	notice_job_release(&b);
	notice_job_release(&c);
}

static void test_ndo_replans(void **state)
{
	struct fx *f = *state;
	int64_t t0 = 1772452800;
	struct actor who = {"intake", t0};
	struct ndo nd = {.statute = "18 U.S.C. 2705(b)", .has_expiry = 0};
	ts_parse("2026-03-01", &nd.issued_at);

	/* an indefinite NDO suppresses both pending notices */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(ndo_add(f->st, &who, f->request_id, &nd, NULL), 0);
	assert_int_equal(ndo_add(f->st, &who, f->request_id, &nd, NULL), -E_REFUSED);
	assert_int_equal(store_commit(f->st), 0);
	json_t *list = notice_list_json(f->st, f->request_id);
	for (size_t i = 0; i < json_array_size(list); i++)
		assert_string_equal(json_string_value(json_object_get(json_array_get(list, i),
								      "state")),
				    "suppressed");
	json_decref(list);
	struct notice_job j;
	assert_int_equal(claim(f, t0 + 1000 * DAY, 0, &j), -E_NOTFOUND);

	/* a court limits it: delayed until then; lifted: pending */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(ndo_extend(f->st, &who, f->request_id, t0 + 10 * DAY), 0);
	assert_int_equal(ndo_extend(f->st, &who, f->request_id, t0 + 5 * DAY), -E_INVALID);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(claim(f, t0 + 10 * DAY - 1, 0, &j), -E_NOTFOUND);
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(ndo_lift(f->st, &who, f->request_id, "vacated"), 0);
	assert_int_equal(ndo_lift(f->st, &who, f->request_id, NULL), -E_NOTFOUND);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(claim(f, t0, 0, &j), 0);
	notice_job_release(&j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_no_ndo),
		cmocka_unit_test(test_plan_ndo),
		cmocka_unit_test(test_plan_statutory_secrecy),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_ndo_flags),
		cmocka_unit_test(test_text),
		cmocka_unit_test_setup_teardown(test_cycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ndo_replans, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
