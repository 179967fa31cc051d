/*
 * test_notice_golden.c - what a customer notice says, word for word, in
 * each situation (SPEC §5): disclosed, refused, narrowed, nothing found,
 * a lookalike requester, an NDO released, an emergency delay ended.
 *
 * Each case builds the facts (request, customer, state, disclosure
 * manifest, reason, NDO, proof), renders notice_text() and compares it
 * with tests/golden/notices/NAME.txt byte for byte.  A notice must state
 * only what happened: besides the golden comparison, every case checks
 * that "disclosed" appears only next to a positive number of items and
 * that nothing about another customer's accounts leaks.
 *
 * DOCKET_UPDATE_GOLDEN=1 rewrites the files instead (review the diff: each
 * file is a text a lawyer signs off).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/fileio.h"
#include "base/util.h"
#include "core/notice/notice.h"

static const char *ALICE =
	"{\"id\":\"c-alice\",\"name\":\"Alice Example\",\"type\":\"consumer\",\"country\":"
	"\"US\",\"data_location\":\"US\",\"us_person\":true,\"contact\":{\"email\":"
	"\"alice@example.net\"},\"accounts\":[{\"type\":\"email\",\"value\":"
	"\"alice@example.net\"}]}";

/* Items of the package: alice's and another customer's. */
static const char *MANIFEST_BOTH =
	"{\"items\":["
	"{\"account\":{\"type\":\"email\",\"value\":\"alice@example.net\"},\"category\":"
	"\"subscriber\"},"
	"{\"account\":{\"type\":\"email\",\"value\":\"alice@example.net\"},\"category\":"
	"\"content\"},"
	"{\"account\":{\"type\":\"email\",\"value\":\"alice@example.net\"},\"category\":"
	"\"content\"},"
	"{\"account\":{\"type\":\"email\",\"value\":\"alice@example.net\"},\"category\":"
	"\"content\"},"
	"{\"account\":{\"type\":\"email\",\"value\":\"bob@contoso.com\"},\"category\":"
	"\"content\"}]}";
static const char *MANIFEST_SUBSCRIBER =
	"{\"items\":[{\"account\":{\"type\":\"email\",\"value\":\"alice@example.net\"},"
	"\"category\":\"subscriber\"}]}";
static const char *MANIFEST_OTHERS_ONLY =
	"{\"items\":[{\"account\":{\"type\":\"email\",\"value\":\"bob@contoso.com\"},"
	"\"category\":\"subscriber\"}]}";

static const char *PROOF = "9Gv4o7wqGZ6b1pWl1bqZbqH0v7sNn1m2k3j4h5g6f7A=\n"
			   "q0cJt3J5cHJvb2YtaGFzaC10d28tZm9yLXRlc3RzLi4=\n";

struct golden_case {
	const char *name;
	const char *request;  /* the request document */
	enum state state;
	enum outcome outcome;
	unsigned scope;       /* 0: as asked */
	const char *manifest; /* NULL: no disclosure */
	const char *reason;   /* refusal reason */
	int claimed;
	int ndo;              /* held by an NDO that expired */
	int emergency_days;
};

#define REQ(process, cats, extra)                                                        \
	"{\"ref\":\"LAPD-2026-0412\",\"agency\":\"us-lapd\",\"kind\":\"criminal\","       \
	"\"process\":\"" process "\",\"received_at\":\"2026-03-02T10:00:00Z\","           \
	"\"requester\":{\"name\":\"Det. R. Diaz\",\"email\":\"rdiaz@lapd.gov\"},"          \
	"\"targets\":[{\"type\":\"email\",\"value\":\"alice@example.net\"},"              \
	"{\"type\":\"email\",\"value\":\"bob@contoso.com\"}],\"categories\":[" cats "]" \
	extra "}"
#define RANGE ",\"date_range\":{\"from\":\"2026-01-01\",\"to\":\"2026-02-28\"}"

static const struct golden_case cases[] = {
    {"disclosed", REQ("search_warrant", "\"subscriber\",\"content\"", RANGE ",\"signed\":true"),
     ST_DISCLOSED, OUT_NONE, 0, NULL, NULL, 0, 0, 0},
    {"refused", REQ("subpoena", "\"content\"", ""), ST_REJECTED, OUT_REJECTED, 0, NULL,
     "a subpoena cannot compel content; content needs a search warrant "
     "(US-CONTENT-WARRANT)",
     0, 0, 0},
    {"narrowed", REQ("subpoena", "\"subscriber\",\"content\"", RANGE), ST_CLOSED,
     OUT_NONCONTENT_ONLY, 1u << CAT_SUBSCRIBER, NULL,
     "a subpoena reaches subscriber records only (US-CONTENT-WARRANT)", 0, 0, 0},
    {"nothing-found", REQ("court_order", "\"subscriber\",\"noncontent\"", RANGE ",\"signed\":true"),
     ST_CLOSED, OUT_NO_DATA, 0, NULL, NULL, 0, 0, 0},
    {"lookalike-requester",
     "{\"ref\":\"EM-77\",\"agency\":\"us-lapd\",\"kind\":\"emergency\",\"process\":"
     "\"emergency\",\"received_at\":\"2026-03-02T10:00:00Z\",\"requester\":{\"name\":"
     "\"Sgt. M. Ortiz\",\"email\":\"m.ortiz@lapd-gov.com\"},\"targets\":[{\"type\":"
     "\"email\",\"value\":\"alice@example.net\"}],\"categories\":[\"subscriber\"]}",
     ST_REJECTED, OUT_REJECTED, 0, NULL,
     "the call-back to the agency's published number did not confirm the "
     "request (GEN-REQUESTER)",
     1, 0, 90},
    {"ndo-released", REQ("search_warrant", "\"content\"", ",\"signed\":true"), ST_CLOSED,
     OUT_CONTENT, 0, NULL, NULL, 0, 1, 0},
    {"emergency-delay-ended",
     "{\"ref\":\"EM-12\",\"agency\":\"us-lapd\",\"kind\":\"emergency\",\"process\":"
     "\"emergency\",\"received_at\":\"2026-03-02T10:00:00Z\",\"requester\":{\"name\":"
     "\"Sgt. M. Ortiz\",\"email\":\"m.ortiz@lapd.gov\"},\"targets\":[{\"type\":"
     "\"email\",\"value\":\"alice@example.net\"}],\"categories\":[\"subscriber\","
     "\"noncontent\"]}",
     ST_DISCLOSED, OUT_NONE, 0, NULL, NULL, 0, 0, 90},
};

static const char *manifest_of(const struct golden_case *c)
{
	if (strcmp(c->name, "disclosed") == 0 || strcmp(c->name, "ndo-released") == 0)
		return MANIFEST_BOTH;
	if (strcmp(c->name, "narrowed") == 0 || strcmp(c->name, "emergency-delay-ended") == 0)
		return MANIFEST_SUBSCRIBER;
	if (strcmp(c->name, "nothing-found") == 0)
		return MANIFEST_OTHERS_ONLY;
	return c->manifest;
}

static char *render(const struct golden_case *c)
{
	struct request r = {0};
	struct customer alice = {0};
	assert_int_equal(request_parse(c->request, strlen(c->request), REQUEST_NEW, 0, &r), 0);
	assert_int_equal(customer_parse(ALICE, strlen(ALICE), &alice), 0);
	r.targets[0].customer_id = xstrdup("c-alice");
	if (r.n_targets > 1)
		r.targets[1].customer_id = xstrdup("c-contoso");
	str_copy(r.country, sizeof(r.country), "US");
	r.state = c->state;
	r.outcome = c->outcome;
	r.scope = c->scope;
	struct ndo_record nd = {.statute = "18 U.S.C. 2705(b)",
				.has_expiry = 1,
				.issued_at = 1772452800,
				.expires_at = 1788220800 /* 2026-09-01 */};
	struct notice_facts f = {
	    .provider = "Example Cloud Inc.",
	    .legal_contact = "legal@cloud.example",
	    .origin = "cloud.example/log",
	    .notice_id = 4711,
	    .notice_ref = "7",
	    .req = &r,
	    .cust = &alice,
	    .agency_name = "Los Angeles Police Department",
	    .agency_country = "US",
	    .receipt_index = 41,
	    .ndo = c->ndo ? &nd : NULL,
	    .emergency_delay_days = c->emergency_days,
	    .claimed = c->claimed,
	    .refusal_reason = c->reason,
	    .proof = PROOF,
	    .proof_size = 57,
	    .proof_root = "Zm9vYmFyYmF6cXV4cXV1eGZvb2JhcmJhenF1eHF1dXg=",
	};
	notice_facts_done(&f, manifest_of(c));
	char *text = notice_text(&f);
	request_release(&r);
	customer_release(&alice);
	return text;
}

/* "disclosed" only next to a positive count; nothing of bob's. */
static void check_truthful(const char *name, const char *text)
{
	if (strstr(text, "bob@contoso.com"))
		fail_msg("%s: another customer's account", name);
	for (const char *p = text; (p = strstr(p, "disclosed, ")); p += 11) {
		long n = strtol(p + 11, NULL, 10);
		if (n <= 0)
			fail_msg("%s: 'disclosed' with %ld items", name, n);
	}
	if (strstr(text, "disclosed, 0"))
		fail_msg("%s: disclosed after 0 items", name);
}

static char *read_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct buf b;
	char chunk[4096];
	size_t n;
	if (!fp)
		return NULL;
	buf_init(&b, BUF_UNLIMITED);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	buf_addc(&b, '\0');
	return buf_detach(&b, NULL);
}

static void test_golden(void **state)
{
	const char *src = getenv("DOCKET_SOURCE_DIR");
	int update = getenv("DOCKET_UPDATE_GOLDEN") != NULL;
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *text = render(&cases[i]);
		char *path = xasprintf("%s/tests/golden/notices/%s.txt", src ? src : ".",
				       cases[i].name);
		check_truthful(cases[i].name, text);
		if (update) {
			assert_int_equal(file_write_atomic(path, text, strlen(text)), 0);
		} else {
			char *want = read_file(path);
			if (!want)
				fail_msg("%s is missing (DOCKET_UPDATE_GOLDEN=1 writes it)", path);
			if (strcmp(want, text) != 0) {
				print_error("--- %s\n+++ rendered\n%s\n", path, text);
				fail_msg("%s differs from the rendered notice", cases[i].name);
			}
			free(want);
		}
		free(path);
		free(text);
	}
}

/* Every situation says what happened and only that. */
static void test_situations(void **state)
{
	(void)state;
	struct {
		const char *name, *must, *must_not;
	} want[] = {
	    {"disclosed", "- Subscriber information: disclosed, 1 item.", "nothing found"},
	    {"disclosed", "- Content: disclosed, 3 items.", NULL},
	    {"disclosed", "Date range:      2026-01-01 to 2026-02-28", NULL},
	    {"refused", "- Content: refused; nothing disclosed. Reason: a subpoena", "disclosed,"},
	    {"narrowed", "- Subscriber information: disclosed, 1 item.", NULL},
	    {"narrowed", "- Content: refused; nothing disclosed. Reason: a subpoena reaches",
	     NULL},
	    {"nothing-found", "nothing found for your account(s); nothing disclosed.",
	     "disclosed,"},
	    {"lookalike-requester", "a request claiming to come from Los Angeles Police",
	     "Who asked:       Los Angeles Police"},
	    {"lookalike-requester", "m.ortiz@lapd-gov.com", "disclosed,"},
	    {"lookalike-requester", "received a request claiming to come from a government",
	     "received a request from a government"},
	    {"ndo-released", "A nondisclosure order (18 U.S.C. 2705(b))", NULL},
	    {"emergency-delay-ended", "waited 90 days", "nondisclosure order"},
	    {"emergency-delay-ended", "- Records of use (not content): nothing found", NULL},
	};
	for (size_t k = 0; k < ARRAY_SIZE(want); k++) {
		size_t i = 0;
		while (strcmp(cases[i].name, want[k].name) != 0)
			i++;
		char *text = render(&cases[i]);
		/* fold the wrapping for phrase checks */
		char *flat = xstrdup(text), *w = flat;
		for (const char *p = text; *p; p++) {
			if ((*p == '\n' || *p == ' ') && w > flat && w[-1] == ' ')
				continue;
			if (*p == '\n' && p[1] == ' ')
				continue;
			*w++ = *p == '\n' ? ' ' : *p;
		}
		*w = '\0';
		if (!strstr(flat, want[k].must) && !strstr(text, want[k].must))
			fail_msg("%s: missing '%s' in:\n%s", want[k].name, want[k].must, text);
		if (want[k].must_not && strstr(flat, want[k].must_not))
			fail_msg("%s: must not say '%s':\n%s", want[k].name, want[k].must_not,
				 text);
		free(flat);
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_golden),
	    cmocka_unit_test(test_situations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
