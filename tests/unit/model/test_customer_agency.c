/*
 * test_customer_agency.c - strict parsing of customer and agency documents
 * (SPEC §2), their JSON round trip, and the country table (model/customer.c,
 * model/agency.c, model/country.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "base/err.h"
#include "base/util.h"
#include "model/jsonv.h"
#include "model/model.h"

/* base64 of 32 bytes 0x00..0x1f */
#define KEY "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

static const char CUSTOMER[] =
    "{\"id\": \"c-1001\", \"name\": \"Contoso Ltd\", \"type\": \"enterprise\","
    " \"country\": \"IE\", \"data_location\": \"NL\", \"us_person\": false,"
    " \"contact\": {\"email\": \"legal@contoso.com\", \"name\": \"Legal Dept\"},"
    " \"key_custody\": \"customer\", \"public_key\": \"" KEY "\","
    " \"accounts\": [{\"type\": \"email\", \"value\": \"alice@contoso.com\"},"
    " {\"type\": \"username\", \"value\": \"alice\"},"
    " {\"type\": \"ip\", \"value\": \"2001:db8::1\"}]}";

static const char CUSTOMER_MIN[] =
    "{\"id\": \"c-7\", \"name\": \"Bob\", \"type\": \"consumer\", \"country\": \"US\","
    " \"contact\": {\"email\": \"bob@example.com\"}, \"accounts\": []}";

static const char AGENCY[] =
    "{\"id\": \"us-lapd\", \"name\": \"Los Angeles Police Department\","
    " \"country\": \"US\", \"type\": \"law_enforcement\","
    " \"domains\": [\"lapd.gov\", \"lapdonline.org\"], \"phone\": \"+1 213 555 0100\"}";

/* ---- helpers ----------------------------------------------------------- */

static json_t *load(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	if (!j)
		fail_msg("bad test json: %s", e.text);
	return j;
}

/* Set top-level key (or "key.sub", or "key[i].sub") to JSON value text. */
static void mutate(json_t *doc, const char *path, const char *value)
{
	char key[64], sub[64] = "";
	long idx = -1;
	json_t *parent = doc, *v;
	const char *dot = strchr(path, '.'), *br = strchr(path, '[');
	size_t n = strcspn(path, ".[");
	memcpy(key, path, n);
	key[n] = '\0';
	if (br)
		idx = strtol(br + 1, NULL, 10);
	if (dot)
		snprintf(sub, sizeof(sub), "%s", dot + 1);
	if (dot || br) {
		parent = json_object_get(doc, key);
		if (idx >= 0)
			parent = json_array_get(parent, (size_t)idx);
		snprintf(key, sizeof(key), "%s", sub);
	}
	assert_non_null(parent);
	if (!value) {
		assert_int_equal(json_object_del(parent, key), 0);
		return;
	}
	v = json_loads(value, JSON_DECODE_ANY, NULL);
	if (!v)
		fail_msg("bad test value %s", value);
	assert_int_equal(json_object_set_new(parent, key, v), 0);
}

struct bad_case {
	const char *path;
	const char *value; /* NULL deletes */
	const char *want;
};

typedef int (*parse_fn)(const char *, size_t, void *);

static int customer_parse_any(const char *t, size_t n, void *out)
{
	return customer_parse(t, n, out);
}

static int agency_parse_any(const char *t, size_t n, void *out)
{
	return agency_parse(t, n, out);
}

static void run_bad(const char *base, const struct bad_case *cases, size_t n,
		    parse_fn parse, void *out, size_t outsz)
{
	for (size_t i = 0; i < n; i++) {
		json_t *doc = load(base);
		char *text;
		int rc;
		mutate(doc, cases[i].path, cases[i].value);
		text = json_dumps(doc, 0);
		err_clear();
		rc = parse(text, strlen(text), out);
		if (rc != -E_INVALID)
			fail_msg("case %zu (%s): rc %d", i, cases[i].path, rc);
		if (!strstr(err_msg(), cases[i].want))
			fail_msg("case %zu: message '%s' lacks '%s'", i, err_msg(),
				 cases[i].want);
		for (size_t b = 0; b < outsz; b++)
			if (((unsigned char *)out)[b])
				fail_msg("case %zu: output not released", i);
		free(text);
		json_decref(doc);
	}
}

/* ---- customers --------------------------------------------------------- */

static const struct bad_case customer_bad[] = {
    {"id", NULL, "field 'id': required"},
    {"id", "17", "field 'id': must be a string"},
    {"id", "\"c 1\"", "field 'id': 'c 1' is not a valid customer id"},
    {"name", "\"\"", "field 'name': must not be empty"},
    {"type", "\"business\"", "field 'type': unknown customer type 'business'"},
    {"country", "\"UK\"", "field 'country': unknown country code 'UK'"},
    {"country", NULL, "field 'country': required"},
    {"data_location", "\"EU\"", "field 'data_location'"},
    {"us_person", "\"no\"", "field 'us_person'"},
    {"us_person", "0", "field 'us_person'"},
    {"contact", NULL, "field 'contact': required"},
    {"contact", "\"legal@contoso.com\"", "field 'contact': must be an object"},
    {"contact.email", NULL, "field 'contact.email': required"},
    {"contact.email", "\"legal at contoso.com\"", "field 'contact.email'"},
    {"contact.phone", "\"+1 555 0100\"", "field 'contact.phone': unknown field"},
    {"key_custody", "\"shared\"", "field 'key_custody': unknown key custody 'shared'"},
    {"public_key", NULL, "field 'public_key': required when key_custody is 'customer'"},
    {"public_key", "\"not base64!\"", "field 'public_key': must be the base64"},
    {"public_key", "\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd\"", "field 'public_key'"},
    {"public_key", "\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\"",
     "field 'public_key'"},
    {"public_key", "\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=AA==\"",
     "field 'public_key'"},
    {"public_key", "\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8-\"",
     "field 'public_key'"},
    {"key_custody", "\"provider\"", "field 'public_key': only allowed"},
    {"accounts", NULL, "field 'accounts': required"},
    {"accounts", "{}", "field 'accounts': must be an array"},
    {"accounts[0].type", "\"mailbox\"",
     "field 'accounts[0].type': unknown account type 'mailbox'"},
    {"accounts[0].value", "\"alice\"", "field 'accounts[0].value'"},
    {"accounts[1].value", "\"\"", "field 'accounts[1].value': must not be empty"},
    {"accounts[1].value", "\" \"", "field 'accounts[1].value': must not be empty"},
    {"accounts[2].value", "\"999.1.1.1\"", "field 'accounts[2].value'"},
    {"accounts[1].note", "1", "field 'accounts[1].note': unknown field"},
    {"accounts[1].type", "\"email\"", "field 'accounts[1].value'"},
    {"accounts[2].type", "\"email\"", "field 'accounts[2].value'"},
    {"accounts[1].value", "\"alice\\u0007\"", "field 'accounts[1].value'"},
    {"region", "\"eu\"", "field 'region': unknown field"},
};

static void test_customer_bad(void **state)
{
	struct customer c;
	(void)state;
	run_bad(CUSTOMER, customer_bad, ARRAY_SIZE(customer_bad), customer_parse_any, &c,
		sizeof(c));
}

static void test_customer_duplicate_account(void **state)
{
	static const char text[] =
	    "{\"id\": \"c-2\", \"name\": \"Eve\", \"type\": \"consumer\","
	    " \"country\": \"FR\", \"contact\": {\"email\": \"eve@example.fr\"},"
	    " \"accounts\": [{\"type\": \"username\", \"value\": \"eve\"},"
	    " {\"type\": \"email\", \"value\": \"eve@example.fr\"},"
	    " {\"type\": \"username\", \"value\": \"eve2\"},"
	    " {\"type\": \"email\", \"value\": \"eve@example.fr\"}]}";
	struct customer c;
	(void)state;
	assert_int_equal(customer_parse(text, strlen(text), &c), -E_INVALID);
	assert_string_equal(err_msg(), "field 'accounts[3]': repeats an earlier account");
}

static void test_customer_raw(void **state)
{
	static const char *const raw[] = {
	    "{\"id\": \"a\", \"id\": \"b\"}", "[]", "{\"id\": \"a\"} trailing", "{",
	    "{\"id\": \"\xe2\x82\"}",
	};
	struct customer c;
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(raw); i++) {
		assert_int_equal(customer_parse(raw[i], strlen(raw[i]), &c), -E_INVALID);
		assert_true(strstr(err_msg(), "json") || strstr(err_msg(), "field 'id'"));
	}
}

static void test_customer_full(void **state)
{
	struct customer c;
	(void)state;
	assert_int_equal(customer_parse(CUSTOMER, strlen(CUSTOMER), &c), 0);
	assert_string_equal(c.id, "c-1001");
	assert_int_equal(c.type, CUST_ENTERPRISE);
	assert_string_equal(c.country, "IE");
	assert_string_equal(c.data_location, "NL");
	assert_false(c.us_person);
	assert_string_equal(c.contact_name, "Legal Dept");
	assert_int_equal(c.key_custody, CUSTODY_CUSTOMER);
	assert_string_equal(c.public_key, KEY);
	assert_int_equal(c.n_accounts, 3);
	assert_int_equal(c.accounts[2].type, TGT_IP);
	customer_release(&c);
	customer_release(&c);
}

static void test_customer_defaults(void **state)
{
	struct customer c;
	json_t *j;
	(void)state;
	assert_int_equal(customer_parse(CUSTOMER_MIN, strlen(CUSTOMER_MIN), &c), 0);
	assert_string_equal(c.data_location, "US");
	assert_false(c.us_person);
	assert_int_equal(c.key_custody, CUSTODY_PROVIDER);
	assert_null(c.public_key);
	assert_null(c.contact_name);
	assert_int_equal(c.n_accounts, 0);
	j = customer_to_json(&c);
	assert_string_equal(json_string_value(json_object_get(j, "key_custody")),
			    "provider");
	assert_true(json_is_false(json_object_get(j, "us_person")));
	assert_null(json_object_get(j, "public_key"));
	json_decref(j);
	customer_release(&c);
}

static void customer_round_trip(const char *text, int exact)
{
	struct customer a, b;
	json_t *ja, *jb;
	char *out;
	assert_int_equal(customer_parse(text, strlen(text), &a), 0);
	ja = customer_to_json(&a);
	out = json_dumps(ja, JSON_COMPACT);
	assert_int_equal(customer_parse(out, strlen(out), &b), 0);
	jb = customer_to_json(&b);
	assert_true(json_equal(ja, jb));
	if (exact) {
		json_t *in = load(text);
		assert_true(json_equal(in, ja));
		json_decref(in);
	}
	free(out);
	json_decref(ja);
	json_decref(jb);
	customer_release(&a);
	customer_release(&b);
}

static void test_customer_round_trip(void **state)
{
	(void)state;
	customer_round_trip(CUSTOMER, 1);
	customer_round_trip(CUSTOMER_MIN, 0);
}

/* ---- agencies ---------------------------------------------------------- */

static const struct bad_case agency_bad[] = {
    {"id", NULL, "field 'id': required"},
    {"id", "\"us/lapd\"", "field 'id'"},
    {"name", "[]", "field 'name': must be a string, not an array"},
    {"country", "\"U\"", "field 'country'"},
    {"country", "\"us\"", "field 'country'"},
    {"type", "\"police\"", "field 'type': unknown agency type 'police'"},
    {"type", NULL, "field 'type': required"},
    {"domains", NULL, "field 'domains': required"},
    {"domains", "\"lapd.gov\"", "field 'domains': must be an array"},
    {"domains", "[\"lapd\"]", "field 'domains[0]': 'lapd' is not a valid domain name"},
    {"domains", "[\"lapd.gov\", \"-x.gov\"]", "field 'domains[1]'"},
    {"domains", "[\"lapd..gov\"]", "field 'domains[0]'"},
    {"domains", "[\"lapd.gov.\"]", "field 'domains[0]'"},
    {"domains", "[\"lapd_pd.gov\"]", "field 'domains[0]'"},
    {"domains", "[\"10.0.0.1\"]", "field 'domains[0]'"},
    {"domains", "[\"*.lapd.gov\"]", "field 'domains[0]'"},
    {"domains", "[\"lapd.gov\", \"LAPD.gov\"]", "field 'domains[1]': repeats domain"},
    {"domains", "[5]", "field 'domains[0]': must be a string"},
    {"domains", "[\"\"]", "field 'domains[0]': must not be empty"},
    {"domains",
     "[\"a.b\",\"c.d\",\"e.f\",\"g.h\",\"i.j\",\"k.l\",\"m.n\",\"o.p\",\"q.r\",\"s.t\","
     "\"a.b\",\"c.d\",\"e.f\",\"g.h\",\"i.j\",\"k.l\",\"m.n\",\"o.p\",\"q.r\",\"s.t\","
     "\"a.b\",\"c.d\",\"e.f\",\"g.h\",\"i.j\",\"k.l\",\"m.n\",\"o.p\",\"q.r\",\"s.t\","
     "\"a.b\",\"c.d\",\"e.f\",\"g.h\",\"i.j\",\"k.l\",\"m.n\",\"o.p\",\"q.r\",\"s.t\","
     "\"a.b\",\"c.d\",\"e.f\",\"g.h\",\"i.j\",\"k.l\",\"m.n\",\"o.p\",\"q.r\",\"s.t\","
     "\"a.b\",\"c.d\",\"e.f\",\"g.h\",\"i.j\",\"k.l\",\"m.n\",\"o.p\",\"q.r\",\"s.t\","
     "\"a.b\",\"c.d\",\"e.f\",\"g.h\",\"i.j\",\"k.l\",\"m.n\",\"o.p\",\"q.r\",\"s.t\","
     "\"a.b\",\"c.d\",\"e.f\",\"g.h\",\"i.j\",\"k.l\",\"m.n\",\"o.p\",\"q.r\",\"s.t\","
     "\"a.b\",\"c.d\",\"e.f\",\"g.h\",\"i.j\",\"k.l\",\"m.n\",\"o.p\",\"q.r\",\"s.t\","
     "\"a.b\",\"c.d\",\"e.f\",\"g.h\",\"i.j\",\"k.l\",\"m.n\",\"o.p\",\"q.r\",\"s.t\","
     "\"u.v\"]",
     "field 'domains': more than 100 elements"},
    {"phone", "\"ask for Bob\"", "field 'phone': 'ask for Bob' is not a valid phone"},
    {"phone", "\"12\"", "field 'phone'"},
    {"phone", "null", "field 'phone'"},
    {"email", "\"x@lapd.gov\"", "field 'email': unknown field"},
};

static void test_agency_bad(void **state)
{
	struct agency a;
	(void)state;
	run_bad(AGENCY, agency_bad, ARRAY_SIZE(agency_bad), agency_parse_any, &a,
		sizeof(a));
}

static void test_agency_full(void **state)
{
	static const char upper[] =
	    "{\"id\": \"de-bka\", \"name\": \"Bundeskriminalamt\", \"country\": \"DE\","
	    " \"type\": \"law_enforcement\", \"domains\": [\"BKA.Bund.DE\"]}";
	struct agency a;
	(void)state;
	assert_int_equal(agency_parse(AGENCY, strlen(AGENCY), &a), 0);
	assert_string_equal(a.id, "us-lapd");
	assert_string_equal(a.country, "US");
	assert_int_equal(a.type, AG_LAW_ENFORCEMENT);
	assert_int_equal(a.n_domains, 2);
	assert_string_equal(a.domains[1], "lapdonline.org");
	assert_string_equal(a.phone, "+1 213 555 0100");
	agency_release(&a);
	agency_release(&a);

	assert_int_equal(agency_parse(upper, strlen(upper), &a), 0);
	assert_string_equal(a.domains[0], "bka.bund.de");
	assert_null(a.phone);
	agency_release(&a);
}

static void agency_round_trip(const char *text, int exact)
{
	struct agency a, b;
	json_t *ja, *jb;
	char *out;
	assert_int_equal(agency_parse(text, strlen(text), &a), 0);
	ja = agency_to_json(&a);
	out = json_dumps(ja, JSON_COMPACT);
	assert_int_equal(agency_parse(out, strlen(out), &b), 0);
	jb = agency_to_json(&b);
	assert_true(json_equal(ja, jb));
	if (exact) {
		json_t *in = load(text);
		assert_true(json_equal(in, ja));
		json_decref(in);
	}
	free(out);
	json_decref(ja);
	json_decref(jb);
	agency_release(&a);
	agency_release(&b);
}

static void test_agency_round_trip(void **state)
{
	static const char empty[] =
	    "{\"id\": \"xx-court\", \"name\": \"Court\","
	    " \"country\": \"BR\", \"type\": \"court\", \"domains\": []}";
	(void)state;
	agency_round_trip(AGENCY, 1);
	agency_round_trip(empty, 1);
}

/* ---- countries --------------------------------------------------------- */

static void test_countries(void **state)
{
	static const char *const bad[] = {"",	"U",  "us", "USA", "XX", "UK",
					  "EU", "ZZ", "AA", "XK",  "U1", NULL};
	char code[3] = "AA";
	int count = 0;
	(void)state;
	assert_true(country_valid("US"));
	assert_true(country_valid("DE"));
	assert_true(country_valid("AD"));
	assert_true(country_valid("ZW"));
	assert_string_equal(country_name("US"), "United States");
	assert_string_equal(country_name("GB"), "United Kingdom");
	assert_string_equal(country_name("CI"), "Côte d'Ivoire");
	assert_string_equal(country_name("IE"), "Ireland");
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_false(country_valid(bad[i]));
		assert_null(country_name(bad[i]));
	}
	for (code[0] = 'A'; code[0] <= 'Z'; code[0]++)
		for (code[1] = 'A'; code[1] <= 'Z'; code[1]++)
			if (country_valid(code)) {
				assert_non_null(country_name(code));
				count++;
			}
	assert_int_equal(count, 249);
}

/* ---- shared syntax checks (model/jsonv.c) ------------------------------ */

static void test_syntax_helpers(void **state)
{
	struct jsonv_pair pairs[] = {
	    {1, "b", 0}, {0, "a", 1}, {1, "b", 2}, {0, "a", 3}, {0, "a", 4}, {2, "b", 5},
	};
	struct jsonv_pair distinct[] = {{0, "a", 0}, {1, "a", 1}, {0, "b", 2}};
	(void)state;
	assert_int_equal(jsonv_email_ok("a@b"), 0);
	assert_int_equal(jsonv_email_ok("a.b+c@d.example"), 0);
	assert_int_equal(jsonv_email_ok("a@"), -1);
	assert_int_equal(jsonv_email_ok("a b@c.d"), -1);
	assert_int_equal(jsonv_phone_ok("+1 (213) 555-0100"), 0);
	assert_int_equal(jsonv_phone_ok("+1-2"), -1);
	assert_int_equal(jsonv_phone_ok("555 0100 ext 1"), -1);
	assert_int_equal(jsonv_id_ok("us/lapd"), -1);
	assert_int_equal(jsonv_id_ok("us-lapd.v2:x@y+z_q"), 0);
	assert_int_equal(jsonv_id_ok(""), -1);
	assert_int_equal(jsonv_hostname_ok("xn--bcher-kva.example"), 0);
	assert_int_equal(jsonv_hostname_ok("a.b"), 0);
	assert_int_equal(jsonv_hostname_ok("123.example.co"), 0);
	assert_int_equal(jsonv_hostname_ok("example"), -1);
	assert_int_equal(jsonv_hostname_ok("Example.com"), -1);
	assert_int_equal(jsonv_hostname_ok("a.1"), -1);
	assert_int_equal(
	    jsonv_hostname_ok(
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com"),
	    -1);
	assert_int_equal(jsonv_first_dup(pairs, ARRAY_SIZE(pairs)), 2);
	assert_int_equal(jsonv_first_dup(distinct, ARRAY_SIZE(distinct)), -1);
	assert_int_equal(jsonv_first_dup(distinct, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_customer_bad),
	    cmocka_unit_test(test_customer_duplicate_account),
	    cmocka_unit_test(test_customer_raw),
	    cmocka_unit_test(test_customer_full),
	    cmocka_unit_test(test_customer_defaults),
	    cmocka_unit_test(test_customer_round_trip),
	    cmocka_unit_test(test_agency_bad),
	    cmocka_unit_test(test_agency_full),
	    cmocka_unit_test(test_agency_round_trip),
	    cmocka_unit_test(test_countries),
	    cmocka_unit_test(test_syntax_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
