/*
 * test_request.c - strict parsing of request documents (SPEC §3, §9) and
 * their JSON round trip (model/request.c, model/jsonv.c).
 *
 * Most invalid inputs are written as one change to a valid document: set
 * the field at a path ("targets[0].type") to a JSON value, or delete it.
 * Each must fail with E_INVALID and a message naming the field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>
#include <dirent.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"
#include "model/model.h"

#define NOW ((int64_t)1775124000) /* 2026-04-02T10:00:00Z */

#define SHA "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

/* The SPEC §3 example, in the canonical form request_to_json() writes. */
static const char FULL[] =
    "{\"ref\": \"LAPD-2026-00123\", \"received_at\": \"2026-03-02T10:00:00Z\","
    " \"channel\": \"portal\", \"agency\": \"us-lapd\","
    " \"requester\": {\"name\": \"Det. J. Smith\", \"email\": \"jsmith@lapd.gov\","
    " \"phone\": \"+1 213 555 0100\"},"
    " \"kind\": \"criminal\", \"process\": \"search_warrant\","
    " \"issued_by\": {\"type\": \"court\", \"name\": \"Superior Court of California,"
    " Los Angeles\", \"judge\": \"Hon. A. Lee\"},"
    " \"signed\": true,"
    " \"targets\": [{\"type\": \"email\", \"value\": \"alice@contoso.com\"}],"
    " \"categories\": [\"subscriber\", \"content\"],"
    " \"date_range\": {\"from\": \"2025-01-01\", \"to\": \"2026-02-28\"},"
    " \"ndo\": {\"statute\": \"18 U.S.C. 2705(b)\", \"issued_at\": \"2026-03-01\","
    " \"expires_at\": \"2027-03-01\"},"
    " \"emergency\": {\"justification\": \"imminent danger\\nof serious injury\","
    " \"supervisor\": {\"name\": \"Sgt. B. Jones\", \"phone\": \"+1 213 555 0199\"}},"
    " \"due_at\": \"2026-03-16T00:00:00Z\","
    " \"documents\": [{\"name\": \"warrant.pdf\", \"sha256\": \"" SHA "\"}]}";

static const char MINIMAL[] =
    "{\"ref\": \"R-1\", \"agency\": \"us-lapd\", \"kind\": \"civil\","
    " \"process\": \"civil_subpoena\", \"targets\": [],"
    " \"categories\": [\"subscriber\"]}";

static const char HISTORICAL[] =
    "{\"ref\": \"OLD-7\", \"received_at\": \"2024-02-10\", \"country\": \"DE\","
    " \"kind\": \"criminal\", \"process\": \"court_order\","
    " \"targets\": [{\"type\": \"username\", \"value\": \"bob\"},"
    " {\"type\": \"ip\", \"value\": \"192.0.2.1\"}],"
    " \"categories\": [\"noncontent\"], \"outcome\": \"noncontent_only\","
    " \"closed_at\": \"2024-03-01T09:30:00Z\"}";

/* ---- helpers ----------------------------------------------------------- */

static json_t *load(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	if (!j)
		fail_msg("bad test json: %s: %s", e.text, text);
	return j;
}

/* The container and final key or index that path names inside root. */
static json_t *walk(json_t *root, const char *path, char *key, size_t keysz, long *idx)
{
	json_t *cur = root;
	const char *p = path;
	for (;;) {
		size_t n = strcspn(p, ".[");
		*idx = -1;
		if (n) {
			assert_true(n < keysz);
			memcpy(key, p, n);
			key[n] = '\0';
			p += n;
			if (!*p)
				return cur;
			cur = json_object_get(cur, key);
		}
		if (*p == '[') {
			char *end;
			*idx = strtol(p + 1, &end, 10);
			p = end + 1;
			if (!*p)
				return cur;
			cur = json_array_get(cur, (size_t)*idx);
		}
		if (*p == '.')
			p++;
		assert_non_null(cur);
	}
}

/* Set the field at path to the JSON value text (NULL deletes it). */
static void mutate(json_t *root, const char *path, const char *value)
{
	char key[64];
	long idx;
	json_t *parent = walk(root, path, key, sizeof(key), &idx);
	json_t *v = value ? json_loads(value, JSON_DECODE_ANY, NULL) : NULL;
	if (value && !v)
		fail_msg("bad test value %s", value);
	if (idx >= 0 && v && (size_t)idx == json_array_size(parent))
		assert_int_equal(json_array_append_new(parent, v), 0);
	else if (idx >= 0 && v)
		assert_int_equal(json_array_set_new(parent, (size_t)idx, v), 0);
	else if (idx >= 0)
		assert_int_equal(json_array_remove(parent, (size_t)idx), 0);
	else if (v)
		assert_int_equal(json_object_set_new(parent, key, v), 0);
	else
		assert_int_equal(json_object_del(parent, key), 0);
}

static void expect_invalid_text(const char *text, size_t len, enum request_mode mode,
				const char *want, const char *what)
{
	struct request r;
	int rc;
	err_clear();
	rc = request_parse(text, len, mode, NOW, &r);
	if (rc != -E_INVALID)
		fail_msg("%s: rc %d, want -E_INVALID", what, rc);
	if (!strstr(err_msg(), want))
		fail_msg("%s: message '%s' lacks '%s'", what, err_msg(), want);
	if (strchr(err_msg(), '\n'))
		fail_msg("%s: message has a newline", what);
	assert_null(r.ref);
	assert_null(r.targets);
}

/* ---- invalid documents ------------------------------------------------- */

struct bad_case {
	enum request_mode mode;
	const char *path;
	const char *value; /* JSON text; NULL deletes the field */
	const char *want;  /* in the message */
};

static const struct bad_case bad_cases[] = {
    {REQUEST_NEW, "ref", NULL, "field 'ref': required"},
    {REQUEST_NEW, "ref", "5", "field 'ref': must be a string, not a number"},
    {REQUEST_NEW, "ref", "\"\"", "field 'ref': must not be empty"},
    {REQUEST_NEW, "ref", "null", "field 'ref'"},
    {REQUEST_NEW, "ref", "\"tab\\there\"", "field 'ref': contains a control character"},
    {REQUEST_NEW, "ref", "\"esc\\u001b[31m\"", "field 'ref'"},
    {REQUEST_NEW, "ref", "\"c1\\u0085\"", "field 'ref'"},
    {REQUEST_NEW, "received_at", "\"2026-02-30\"", "field 'received_at'"},
    {REQUEST_NEW, "received_at", "\"2026-03-02T10:00:00+01:00\"", "field 'received_at'"},
    {REQUEST_NEW, "received_at", "\"yesterday\"", "field 'received_at'"},
    {REQUEST_NEW, "received_at", "1772445600", "field 'received_at'"},
    {REQUEST_NEW, "channel", "true", "field 'channel'"},
    {REQUEST_NEW, "agency", NULL, "field 'agency': required"},
    {REQUEST_NEW, "agency", "\"us lapd\"", "field 'agency'"},
    {REQUEST_NEW, "agency", "[\"us-lapd\"]", "field 'agency'"},
    {REQUEST_NEW, "requester", "\"Det. Smith\"", "field 'requester'"},
    {REQUEST_NEW, "requester.email", NULL, "field 'requester.email': required"},
    {REQUEST_NEW, "requester.email", "\"jsmith\"", "field 'requester.email'"},
    {REQUEST_NEW, "requester.email", "\"a@b@lapd.gov\"", "field 'requester.email'"},
    {REQUEST_NEW, "requester.email", "\"@lapd.gov\"", "field 'requester.email'"},
    {REQUEST_NEW, "requester.phone", "\"call the desk\"", "field 'requester.phone'"},
    {REQUEST_NEW, "requester.fax", "\"+1 213 555 0101\"",
     "field 'requester.fax': unknown field"},
    {REQUEST_NEW, "kind", "5", "field 'kind': must be a string"},
    {REQUEST_NEW, "kind", "\"criminals\"", "field 'kind': unknown kind 'criminals'"},
    {REQUEST_NEW, "kind", "null", "field 'kind'"},
    {REQUEST_NEW, "process", "\"warant\"", "field 'process': unknown process 'warant'"},
    {REQUEST_NEW, "process", NULL, "field 'process': required"},
    {REQUEST_NEW, "issued_by", "[]", "field 'issued_by'"},
    {REQUEST_NEW, "issued_by.type", "\"judge\"", "field 'issued_by.type'"},
    {REQUEST_NEW, "issued_by.name", NULL, "field 'issued_by.name'"},
    {REQUEST_NEW, "signed", "\"yes\"", "field 'signed'"},
    {REQUEST_NEW, "signed", "1", "field 'signed'"},
    {REQUEST_NEW, "targets", NULL, "field 'targets': required"},
    {REQUEST_NEW, "targets", "{}", "field 'targets': must be an array"},
    {REQUEST_NEW, "targets[0]", "\"alice@contoso.com\"", "field 'targets[0]'"},
    {REQUEST_NEW, "targets[0].type", "\"mail\"",
     "field 'targets[0].type': unknown target type 'mail'"},
    {REQUEST_NEW, "targets[0].type", NULL, "field 'targets[0].type': required"},
    {REQUEST_NEW, "targets[0].value", "\"\"", "field 'targets[0].value'"},
    {REQUEST_NEW, "targets[0].value", "42", "field 'targets[0].value'"},
    {REQUEST_NEW, "targets[0].note", "\"x\"", "field 'targets[0].note': unknown field"},
    {REQUEST_NEW, "targets[1]", "{\"type\": \"email\", \"value\": \"alice@contoso.com\"}",
     "field 'targets[1]': repeats an earlier target"},
    {REQUEST_NEW, "categories", "[]", "field 'categories': must not be empty"},
    {REQUEST_NEW, "categories", "\"content\"", "field 'categories'"},
    {REQUEST_NEW, "categories", NULL, "field 'categories': required"},
    {REQUEST_NEW, "categories[1]", "\"subscriber\"", "field 'categories[1]'"},
    {REQUEST_NEW, "categories[0]", "\"traffic\"",
     "field 'categories[0]': unknown category 'traffic'"},
    {REQUEST_NEW, "categories[0]", "null", "field 'categories[0]'"},
    {REQUEST_NEW, "date_range.from", "\"2026-03-01\"", "field 'date_range.to'"},
    {REQUEST_NEW, "date_range.to", NULL, "field 'date_range.to': required"},
    {REQUEST_NEW, "date_range.until", "\"2026-03-01\"", "field 'date_range.until'"},
    {REQUEST_NEW, "ndo.expires_at", "\"2026-02-01\"", "field 'ndo.expires_at'"},
    {REQUEST_NEW, "ndo.expires_at", "\"2026-03-01\"", "field 'ndo.expires_at'"},
    {REQUEST_NEW, "ndo.expires_at", "\"never\"", "field 'ndo.expires_at'"},
    {REQUEST_NEW, "ndo.statute", NULL, "field 'ndo.statute': required"},
    {REQUEST_NEW, "ndo.issued_at", "\"2026-03-01T25:00:00Z\"", "field 'ndo.issued_at'"},
    {REQUEST_NEW, "ndo.issued_at", "null", "field 'ndo.issued_at'"},
    /* a missing supervisor or phone is not malformed: the policy says what is
     * missing (US-EMERGENCY); a malformed one is */
    {REQUEST_NEW, "emergency.supervisor.phone", "\"call me\"",
     "field 'emergency.supervisor.phone'"},
    {REQUEST_NEW, "emergency.supervisor.email", "\"a@b.c\"",
     "field 'emergency.supervisor.email': unknown field"},
    {REQUEST_NEW, "emergency.justification", "\"\"", "field 'emergency.justification'"},
    {REQUEST_NEW, "due_at", "5", "field 'due_at'"},
    {REQUEST_NEW, "documents", "{}", "field 'documents'"},
    {REQUEST_NEW, "documents[0].sha256", "\"abc\"", "field 'documents[0].sha256'"},
    {REQUEST_NEW, "documents[0].sha256", "\"g" SHA "\"", "field 'documents[0].sha256'"},
    {REQUEST_NEW, "documents[0].sha256",
     "\"zf86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"",
     "field 'documents[0].sha256': must be 64 hex digits"},
    {REQUEST_NEW, "documents[0].name", NULL, "field 'documents[0].name'"},
    {REQUEST_NEW, "outcome", "\"content\"", "field 'outcome': unknown field"},
    {REQUEST_NEW, "closed_at", "\"2026-03-05\"", "field 'closed_at': unknown field"},
    {REQUEST_NEW, "country", "\"US\"", "field 'country': unknown field"},
    {REQUEST_NEW, "state", "\"approved\"", "field 'state': unknown field"},
    {REQUEST_NEW, "id", "7", "field 'id': unknown field"},
    {REQUEST_HISTORICAL, "outcome", NULL, "field 'outcome': required"},
    {REQUEST_HISTORICAL, "outcome", "\"won\"", "field 'outcome': unknown outcome 'won'"},
    {REQUEST_HISTORICAL, "outcome", "\"\"", "field 'outcome'"},
    {REQUEST_HISTORICAL, "closed_at", NULL, "field 'closed_at': required"},
    {REQUEST_HISTORICAL, "closed_at", "\"2024-02-09\"", "field 'closed_at': before"},
    {REQUEST_HISTORICAL, "received_at", NULL, "field 'received_at': required"},
    {REQUEST_HISTORICAL, "country", NULL, "field 'agency'"},
    {REQUEST_HISTORICAL, "country", "\"XX\"", "field 'country': unknown country code"},
    {REQUEST_HISTORICAL, "country", "\"de\"", "field 'country'"},
    {REQUEST_HISTORICAL, "country", "\"DEU\"", "field 'country'"},
    {REQUEST_HISTORICAL, "targets[1].type", "\"fax\"", "field 'targets[1].type'"},
    {REQUEST_STORED, "received_at", NULL, "field 'received_at': required"},
    {REQUEST_STORED, "policy", "{}", "field 'policy': unknown field"},
};

static void test_bad_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		json_t *doc = load(c->mode == REQUEST_NEW ? FULL : HISTORICAL);
		char what[128];
		char *text;
		mutate(doc, c->path, c->value);
		text = json_dumps(doc, 0);
		snprintf(what, sizeof(what), "case %zu (%s)", i, c->path);
		expect_invalid_text(text, strlen(text), c->mode, c->want, what);
		free(text);
		json_decref(doc);
	}
}

/* Invalid at the level of the text itself. */
struct raw_case {
	const char *text;
	size_t len; /* 0: strlen */
	const char *want;
};

static const struct raw_case raw_cases[] = {
    {"", 0, "empty document"},
    {" \r\n\t", 0, "empty document"},
    {"[]", 0, "must be a json object"},
    {"\"ref\"", 0, "invalid json"},
    {"{\"ref\": \"a\", \"ref\": \"b\"}", 0, "field 'ref': duplicate key"},
    {"{\"requester\": {\"email\": \"a@b.c\", \"email\": \"d@e.f\"}}", 0,
     "field 'email': duplicate key"},
    {"{\"ref\": \"a\"} {}", 0, "invalid json"},
    {"{\"ref\": \"a\"} x", 0, "end of file expected"},
    {"{\"ref\": \"a\",}", 0, "invalid json"},
    {"{\"ref\": \"\xff\xfe\"}", 0, "invalid json"},
    {"{\"ref\": \"\xc0\xaf\"}", 0, "invalid json"},
    {"{\"ref\": \"a\\u0000b\"}", 0, "\\u0000 in a string"},
    {"{\"ref\": \"a\0b\"}", 14, "invalid json"},
    {"{\"ref\": \"a\nb\"}", 0, "invalid json"},
    {"{\"ref\": \"\\ud800\"}", 0, "invalid json"},
    {"{'ref': 'a'}", 0, "invalid json"},
    {"{\"targets\": [[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]}", 0, "nested"},
};

static void test_raw_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(raw_cases); i++) {
		const struct raw_case *c = &raw_cases[i];
		char what[32];
		snprintf(what, sizeof(what), "raw case %zu", i);
		expect_invalid_text(c->text, c->len ? c->len : strlen(c->text),
				    REQUEST_NEW, c->want, what);
	}
}

/* A string of n copies of c, as a JSON string literal. */
static char *long_string(size_t n, char c)
{
	char *s = xmalloc(n + 3);
	s[0] = '"';
	memset(s + 1, c, n);
	s[n + 1] = '"';
	s[n + 2] = '\0';
	return s;
}

static void expect_mutation(const char *path, char *value, const char *want)
{
	json_t *doc = load(FULL);
	char *text;
	mutate(doc, path, value);
	text = json_dumps(doc, JSON_COMPACT);
	expect_invalid_text(text, strlen(text), REQUEST_NEW, want, path);
	free(text);
	free(value);
	json_decref(doc);
}

static void test_length_caps(void **state)
{
	(void)state;
	expect_mutation("ref", long_string(MODEL_MAX_SHORT + 1, 'r'),
			"field 'ref': longer than 256 bytes");
	expect_mutation("requester.name", long_string(MODEL_MAX_SHORT + 1, 'n'),
			"field 'requester.name'");
	expect_mutation("targets[0].value", long_string(MODEL_MAX_SHORT + 1, 'v'),
			"field 'targets[0].value'");
	expect_mutation("emergency.justification", long_string(MODEL_MAX_STR + 1, 'j'),
			"field 'emergency.justification': longer than 4096 bytes");
	expect_mutation("process", long_string(5000, 'p'), "field 'process'");
}

/* A JSON array of n copies of elem. */
static char *long_array(size_t n, const char *elem)
{
	size_t el = strlen(elem);
	char *s = xmalloc(n * (el + 1) + 3), *p = s;
	*p++ = '[';
	for (size_t i = 0; i < n; i++) {
		if (i)
			*p++ = ',';
		memcpy(p, elem, el);
		p += el;
	}
	*p++ = ']';
	*p = '\0';
	return s;
}

static void test_array_caps(void **state)
{
	(void)state;
	expect_mutation("targets", long_array(MODEL_MAX_TARGETS + 1, "0"),
			"field 'targets': more than 10000 elements");
	expect_mutation("documents", long_array(MODEL_MAX_DOCUMENTS + 1, "0"),
			"field 'documents': more than 1000 elements");
	expect_mutation("categories", long_array(17, "\"content\""),
			"field 'categories'");
}

static void test_oversize_document(void **state)
{
	size_t n = MODEL_MAX_DOC + 16;
	char *text = xmalloc(n);
	(void)state;
	memset(text, ' ', n);
	text[0] = '{';
	text[n - 1] = '}';
	expect_invalid_text(text, n, REQUEST_NEW, "larger than 1048576 bytes",
			    "oversize");
	free(text);
}

static void test_non_object(void **state)
{
	struct request r;
	json_t *a = json_array();
	(void)state;
	assert_int_equal(request_from_json(a, REQUEST_NEW, NOW, &r), -E_INVALID);
	assert_non_null(strstr(err_msg(), "json object"));
	json_decref(a);
}

/* An unprintable key is named, but masked, in the message. */
static void test_hostile_key(void **state)
{
	const char text[] = "{\"ref\\n\\u001b[2J\": 1}";
	(void)state;
	expect_invalid_text(text, strlen(text), REQUEST_NEW, "field 'ref??[2J'",
			    "hostile key");
}

/* ---- valid documents --------------------------------------------------- */

static void parse_ok(const char *text, enum request_mode mode, struct request *r)
{
	err_clear();
	if (request_parse(text, strlen(text), mode, NOW, r) != 0)
		fail_msg("parse failed: %s", err_msg());
}

static void test_full(void **state)
{
	struct request r;
	struct ts ts;
	(void)state;
	parse_ok(FULL, REQUEST_NEW, &r);
	assert_string_equal(r.ref, "LAPD-2026-00123");
	assert_int_equal(ts_parse("2026-03-02T10:00:00Z", &ts), 0);
	assert_int_equal(r.received_at.t, ts.t);
	assert_false(r.received_at.date_only);
	assert_string_equal(r.channel, "portal");
	assert_string_equal(r.agency, "us-lapd");
	assert_string_equal(r.country, "");
	assert_true(r.has_requester);
	assert_string_equal(r.requester.name, "Det. J. Smith");
	assert_string_equal(r.requester.email, "jsmith@lapd.gov");
	assert_string_equal(r.requester.phone, "+1 213 555 0100");
	assert_int_equal(r.kind, KIND_CRIMINAL);
	assert_int_equal(r.process, PROC_SEARCH_WARRANT);
	assert_true(r.has_issued_by);
	assert_int_equal(r.issued_by.type, ISSUER_COURT);
	assert_string_equal(r.issued_by.judge, "Hon. A. Lee");
	assert_true(r.has_signed);
	assert_true(r.is_signed);
	assert_int_equal(r.n_targets, 1);
	assert_int_equal(r.targets[0].type, TGT_EMAIL);
	assert_string_equal(r.targets[0].value, "alice@contoso.com");
	assert_int_equal(r.targets[0].account_id, 0);
	assert_null(r.targets[0].customer_id);
	assert_int_equal(r.categories, CAT_BIT(CAT_SUBSCRIBER) | CAT_BIT(CAT_CONTENT));
	assert_true(r.has_date_range);
	assert_true(r.date_from.date_only);
	assert_true(r.has_ndo);
	assert_string_equal(r.ndo.statute, "18 U.S.C. 2705(b)");
	assert_true(r.ndo.has_expiry);
	assert_true(r.has_emergency);
	assert_string_equal(r.emergency_justification,
			    "imminent danger\nof serious injury");
	assert_string_equal(r.emergency_supervisor.phone, "+1 213 555 0199");
	assert_null(r.emergency_supervisor.email);
	assert_true(r.has_due);
	assert_int_equal(r.n_documents, 1);
	assert_string_equal(r.documents[0].sha256, SHA);
	assert_int_equal(r.outcome, OUT_NONE);
	assert_false(r.has_closed_at);
	request_release(&r);
	assert_null(r.ref);
	request_release(&r);
}

static void test_minimal(void **state)
{
	struct request r;
	(void)state;
	parse_ok(MINIMAL, REQUEST_NEW, &r);
	assert_string_equal(r.ref, "R-1");
	assert_int_equal(r.received_at.t, NOW);
	assert_false(r.received_at.date_only);
	assert_null(r.channel);
	assert_false(r.has_requester);
	assert_false(r.has_issued_by);
	assert_false(r.has_signed);
	assert_int_equal(r.n_targets, 0);
	assert_int_equal(r.categories, CAT_BIT(CAT_SUBSCRIBER));
	assert_false(r.has_date_range);
	assert_false(r.has_ndo);
	assert_false(r.has_emergency);
	assert_false(r.has_due);
	assert_int_equal(r.n_documents, 0);
	request_release(&r);
}

static void test_lenient_where_policy_decides(void **state)
{
	static const char text[] =
	    "{\"ref\": \"R-2\", \"agency\": \"us-lapd\", \"kind\": \"criminal\","
	    " \"process\": \"subpoena\", \"categories\": [\"content\", \"subscriber\"],"
	    " \"targets\": [{\"type\": \"email\", \"value\": \"*\"},"
	    " {\"type\": \"username\", \"value\": \"all users\"},"
	    " {\"type\": \"email\", \"value\": \"*@contoso.com\"}],"
	    " \"requester\": {\"email\": \"x@gmail.com\"},"
	    " \"ndo\": {\"statute\": \"18 U.S.C. 2705(b)\", \"issued_at\": "
	    "\"2026-03-01\","
	    " \"expires_at\": null},"
	    " \"documents\": [{\"name\": \"w.pdf\", \"sha256\": "
	    "\"9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08\"}]}";
	struct request r;
	(void)state;
	parse_ok(text, REQUEST_NEW, &r);
	assert_int_equal(r.n_targets, 3);
	assert_string_equal(r.targets[0].value, "*");
	assert_null(r.requester.name);
	assert_true(r.has_ndo);
	assert_false(r.ndo.has_expiry);
	assert_string_equal(r.documents[0].sha256, SHA);
	request_release(&r);
}

static void test_historical(void **state)
{
	struct request r;
	(void)state;
	parse_ok(HISTORICAL, REQUEST_HISTORICAL, &r);
	assert_null(r.agency);
	assert_string_equal(r.country, "DE");
	assert_int_equal(r.outcome, OUT_NONCONTENT_ONLY);
	assert_true(r.has_closed_at);
	assert_true(r.received_at.date_only);
	assert_false(r.closed_at.date_only);
	request_release(&r);

	/* The same document is not a new request. */
	expect_invalid_text(HISTORICAL, strlen(HISTORICAL), REQUEST_NEW,
			    "field 'country': unknown field", "historical as new");
}

static void test_stored(void **state)
{
	json_t *doc = load(FULL);
	struct request r;
	char *text;
	(void)state;
	json_object_set_new(doc, "country", json_string("US"));
	text = json_dumps(doc, 0);
	parse_ok(text, REQUEST_STORED, &r);
	assert_string_equal(r.country, "US");
	assert_int_equal(r.outcome, OUT_NONE);
	assert_false(r.has_closed_at);
	request_release(&r);
	free(text);
	json_decref(doc);
}

/* ---- round trip -------------------------------------------------------- */

/* parse(to_json(r)) == r, compared through the JSON form. */
static void assert_round_trip(const char *text, enum request_mode mode, int exact)
{
	struct request a, b;
	json_t *ja, *jb, *in;
	char *out;
	parse_ok(text, mode, &a);
	ja = request_to_json(&a);
	out = json_dumps(ja, JSON_COMPACT);
	parse_ok(out, mode, &b);
	jb = request_to_json(&b);
	assert_true(json_equal(ja, jb));
	if (exact) {
		in = load(text);
		if (!json_equal(in, ja))
			fail_msg("to_json changed the document: %s", out);
		json_decref(in);
	}
	free(out);
	json_decref(ja);
	json_decref(jb);
	request_release(&a);
	request_release(&b);
}

static void test_round_trip(void **state)
{
	static const char emergency[] =
	    "{\"ref\": \"EM-1\", \"received_at\": \"2026-03-02T03:04:05Z\","
	    " \"agency\": \"gb-met\", \"kind\": \"emergency\", \"process\": "
	    "\"emergency\","
	    " \"signed\": false,"
	    " \"targets\": [{\"type\": \"phone\", \"value\": \"+44 20 7946 0000\"},"
	    " {\"type\": \"account_id\", \"value\": \"A-991\"}],"
	    " \"categories\": [\"subscriber\", \"noncontent\", \"content\"],"
	    " \"emergency\": {\"justification\": \"kidnapping\\tin progress\","
	    " \"supervisor\": {\"name\": \"Insp. K\", \"phone\": \"(020) 7946-0001\"}}}";
	static const char indefinite[] =
	    "{\"ref\": \"NSL-9\", \"received_at\": \"2026-01-05\", \"agency\": "
	    "\"us-fbi\","
	    " \"kind\": \"national_security\", \"process\": \"nsl\","
	    " \"targets\": [{\"type\": \"email\", \"value\": \"Zoë@example.org\"}],"
	    " \"categories\": [\"subscriber\"],"
	    " \"ndo\": {\"statute\": \"18 U.S.C. 2709(c)\", \"issued_at\": "
	    "\"2026-01-04\"}}";
	static const char stored[] =
	    "{\"ref\": \"S-1\", \"received_at\": \"2026-01-05T00:00:00Z\","
	    " \"agency\": \"fr-pn\", \"country\": \"FR\", \"kind\": \"criminal\","
	    " \"process\": \"eu_production_order\", \"targets\": [],"
	    " \"categories\": [\"content\"], \"outcome\": \"rejected\","
	    " \"closed_at\": \"2026-02-01\"}";
	(void)state;
	assert_round_trip(FULL, REQUEST_NEW, 1);
	assert_round_trip(FULL, REQUEST_STORED, 1);
	assert_round_trip(MINIMAL, REQUEST_NEW, 0);
	assert_round_trip(HISTORICAL, REQUEST_HISTORICAL, 1);
	assert_round_trip(HISTORICAL, REQUEST_STORED, 1);
	assert_round_trip(emergency, REQUEST_NEW, 1);
	assert_round_trip(indefinite, REQUEST_NEW, 1);
	assert_round_trip(stored, REQUEST_STORED, 1);
}

/* received_at filled from the clock is written out, so a stored copy keeps it. */
static void test_default_received_at_written(void **state)
{
	struct request r;
	json_t *j;
	(void)state;
	parse_ok(MINIMAL, REQUEST_NEW, &r);
	j = request_to_json(&r);
	assert_string_equal(json_string_value(json_object_get(j, "received_at")),
			    "2026-04-02T10:00:00Z");
	assert_null(json_object_get(j, "country"));
	assert_null(json_object_get(j, "documents"));
	json_decref(j);

	str_copy(r.country, sizeof(r.country), "US");
	j = request_to_json(&r);
	assert_string_equal(json_string_value(json_object_get(j, "country")), "US");
	json_decref(j);
	request_release(&r);
}

/* ---- canonical text ---------------------------------------------------- */

/* request_canonical() writes what json_dumps() of request_to_json() writes. */
static void assert_canonical_same(const struct request *r)
{
	json_t *j = request_to_json(r);
	char *want = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	struct buf b;
	json_decref(j);
	assert_non_null(want);
	buf_init(&b, BUF_UNLIMITED);
	buf_adds(&b, "x");
	assert_int_equal(request_canonical(r, &b), 0);
	if (strcmp(b.ptr + 1, want) != 0)
		fail_msg("canonical text differs:\n  jansson: %s\n  direct:  %s", want,
			 b.ptr + 1);
	free(want);
	buf_release(&b);
}

/* Every mode that accepts text; returns how many did. */
static int canonical_text_same(const char *text, size_t len)
{
	static const enum request_mode modes[] = {REQUEST_NEW, REQUEST_HISTORICAL,
						  REQUEST_STORED};
	int n = 0;
	for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
		struct request r;
		if (request_parse(text, len, modes[i], NOW, &r) < 0)
			continue;
		assert_canonical_same(&r);
		str_copy(r.country, sizeof(r.country), "DE");
		r.has_closed_at = !r.has_closed_at;
		r.has_signed = 1;
		r.is_signed = !r.is_signed;
		assert_canonical_same(&r);
		request_release(&r);
		n++;
	}
	return n;
}

static void test_canonical_documents(void **state)
{
	static const char odd[] =
	    "{\"ref\": \"a\\\"b\\\\c/d\\u00e9\\u6f22\\ud83d\\ude00\","
	    " \"received_at\": \"2026-03-02\", \"agency\": \"us-lapd\","
	    " \"channel\": \"x\\u2028y\", \"kind\": \"emergency\","
	    " \"process\": \"emergency\", \"targets\": [],"
	    " \"categories\": [\"content\", \"subscriber\"],"
	    " \"requester\": {\"email\": \"a@b.c\"},"
	    " \"emergency\": {\"justification\": \"tab\\there\\r\\nand \\\"quote\\\"\","
	    " \"supervisor\": {\"name\": \"S\", \"phone\": \"+1 213 555 0100\"}},"
	    " \"ndo\": {\"statute\": \"x\", \"issued_at\": \"2026-01-01T00:00:01Z\","
	    " \"expires_at\": null}, \"signed\": false}";
	(void)state;
	assert_true(canonical_text_same(FULL, strlen(FULL)) > 0);
	assert_true(canonical_text_same(MINIMAL, strlen(MINIMAL)) > 0);
	assert_true(canonical_text_same(HISTORICAL, strlen(HISTORICAL)) > 0);
	assert_true(canonical_text_same(odd, strlen(odd)) > 0);

	char *dir = xasprintf("%s/tests/fuzz/corpus/request",
			      getenv("DOCKET_SOURCE_DIR") ? getenv("DOCKET_SOURCE_DIR")
							  : ".");
	DIR *d = opendir(dir);
	struct dirent *e;
	int files = 0, parsed = 0;
	assert_non_null(d);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *path = xasprintf("%s/%s", dir, e->d_name);
		FILE *fp = fopen(path, "r");
		struct buf b;
		assert_non_null(fp);
		buf_init(&b, BUF_UNLIMITED);
		assert_int_equal(buf_read_file(&b, fp, path), 0);
		fclose(fp);
		parsed += canonical_text_same(b.ptr, b.len) > 0;
		files++;
		buf_release(&b);
		free(path);
	}
	closedir(d);
	free(dir);
	assert_true(files >= 5);
	assert_true(parsed >= 3);
}

/* Strings jansson escapes or refuses, set straight into a request. */
static void test_canonical_strings(void **state)
{
	static const char *const valid[] = {
	    "\x01\x02\x08\x0c\x1f\x7f", "\"\\/", "\xc2\x80\xdf\xbf", "\xe0\xa0\x80",
	    "\xef\xbf\xbf", "\xed\x9f\xbf\xee\x80\x80", "\xf0\x90\x80\x80",
	    "\xf4\x8f\xbf\xbf", "",
	};
	static const char *const invalid[] = {
	    "\x80", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xed\xa0\x80",
	    "\xf0\x80\x80\x80", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xe2\x82",
	    "a\xe2\x82\x28", "\xff",
	};
	struct request r;
	(void)state;
	parse_ok(FULL, REQUEST_STORED, &r);
	char *ref = r.ref, *judge = r.issued_by.judge;
	for (size_t i = 0; i < ARRAY_SIZE(valid); i++) {
		r.ref = (char *)valid[i];
		r.issued_by.judge = (char *)valid[i];
		assert_canonical_same(&r);
	}
	for (size_t i = 0; i < ARRAY_SIZE(invalid); i++) {
		json_t *s = json_string(invalid[i]);
		struct buf b;
		assert_null(s); /* jansson refuses it as well */
		r.ref = (char *)invalid[i];
		buf_init(&b, BUF_UNLIMITED);
		buf_adds(&b, "keep");
		assert_int_equal(request_canonical(&r, &b), -1);
		assert_string_equal(b.ptr, "keep");
		buf_release(&b);
	}
	r.ref = ref;
	r.issued_by.judge = judge;
	request_release(&r);
}

/* The demo generator's history and new requests (DOCKET_DEMOGEN, set by
 * the build, names the program). */
static void test_canonical_demo(void **state)
{
	const char *gen = getenv("DOCKET_DEMOGEN");
	(void)state;
	if (!gen || !*gen)
		skip();
	char dir[] = "/tmp/docket-test-canon-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *cmd = xasprintf("'%s' --seed 11 --out %s/gen --requests 3000 >/dev/null", gen,
			      dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	char *path = xasprintf("%s/gen/history.jsonl", dir);
	FILE *fp = fopen(path, "r");
	struct buf line;
	size_t n = 0;
	assert_non_null(fp);
	buf_init(&line, MODEL_MAX_DOC);
	while (buf_getline(&line, fp) > 0)
		n += canonical_text_same(line.ptr, line.len) > 0;
	fclose(fp);
	free(path);
	assert_true(n >= 2900);

	char *rdir = xasprintf("%s/gen/requests", dir);
	DIR *d = opendir(rdir);
	struct dirent *e;
	size_t m = 0;
	assert_non_null(d);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *p = xasprintf("%s/%s", rdir, e->d_name);
		fp = fopen(p, "r");
		assert_non_null(fp);
		buf_reset(&line);
		assert_int_equal(buf_read_file(&line, fp, p), 0);
		fclose(fp);
		m += canonical_text_same(line.ptr, line.len) > 0;
		free(p);
	}
	closedir(d);
	free(rdir);
	assert_true(m > 0);
	buf_release(&line);
	cmd = xasprintf("rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bad_cases),
	    cmocka_unit_test(test_raw_cases),
	    cmocka_unit_test(test_length_caps),
	    cmocka_unit_test(test_array_caps),
	    cmocka_unit_test(test_oversize_document),
	    cmocka_unit_test(test_non_object),
	    cmocka_unit_test(test_hostile_key),
	    cmocka_unit_test(test_full),
	    cmocka_unit_test(test_minimal),
	    cmocka_unit_test(test_lenient_where_policy_decides),
	    cmocka_unit_test(test_historical),
	    cmocka_unit_test(test_stored),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_default_received_at_written),
	    cmocka_unit_test(test_canonical_documents),
	    cmocka_unit_test(test_canonical_strings),
	    cmocka_unit_test(test_canonical_demo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
