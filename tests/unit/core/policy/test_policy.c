/*
 * test_policy.c - the policy engine (core/policy*.c) against the shipped
 * rules (the files in rules/).
 *
 * The scenario table tests/policy/cases.json drives most of it: each case
 * is a request (a base request with some fields replaced), evaluated with
 * the table's registered agencies and customers, and the exact action,
 * set of rule ids, flags, kept categories and deadlines it must produce.
 * Each case is one cmocka test.  A case may list rule ids that must "not"
 * fire: every rule id of LEGAL-RULES.md must fire in some case and be
 * named under "not" in another (test_coverage).
 *
 * Then: determinism (byte-identical JSON), the JSON shape of SPEC §4, the
 * plain-text explanation, precedence, and the look-alike domain test.
 */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"
#include "core/policy/lookalike.h"
#include "model/model.h"
#include "core/policy/policy.h"
#include "core/policy/rules.h"

#define MIN_CASES 60

/* ---- the fixture: rules, agencies and customers of the table ----------- */

static struct {
	struct ruleset *rs;
	json_t *doc; /* cases.json */
	struct agency *agencies;
	size_t n_agencies;
	struct customer *customers;
	size_t n_customers;
	const char **known; /* every agency's domains */
	size_t n_known;
} fx;

static char *source_path(const char *rel)
{
	const char *dir = getenv("DOCKET_SOURCE_DIR");
	return xasprintf("%s/%s", dir && *dir ? dir : ".", rel);
}

static void setup_fail(const char *what, size_t i)
{
	fprintf(stderr, "cases.json: %s %zu: %s\n", what, i, err_msg());
	exit(1);
}

static void parse_agencies(const json_t *a)
{
	size_t i;
	json_t *v;
	fx.agencies = xcalloc(json_array_size(a) + 1, sizeof(*fx.agencies));
	json_array_foreach(a, i, v)
	{
		char *text = json_dumps(v, JSON_COMPACT);
		if (agency_parse(text, strlen(text), &fx.agencies[i]) < 0)
			setup_fail("agency", i);
		free(text);
		fx.n_agencies++;
		for (size_t d = 0; d < fx.agencies[i].n_domains; d++) {
			fx.known =
			    xrealloc(fx.known, (fx.n_known + 1) * sizeof(*fx.known));
			fx.known[fx.n_known++] = fx.agencies[i].domains[d];
		}
	}
}

static void parse_customers(const json_t *a)
{
	size_t i;
	json_t *v;
	fx.customers = xcalloc(json_array_size(a) + 1, sizeof(*fx.customers));
	json_array_foreach(a, i, v)
	{
		char *text = json_dumps(v, JSON_COMPACT);
		if (customer_parse(text, strlen(text), &fx.customers[i]) < 0)
			setup_fail("customer", i);
		free(text);
		fx.n_customers++;
	}
}

static int setup(void **state)
{
	char *rules = source_path("rules");
	char *cases = source_path("tests/policy/cases.json");
	json_error_t e;
	(void)state;
	if (rules_load(rules, &fx.rs) < 0) {
		fprintf(stderr, "rules: %s\n", err_msg());
		return -1;
	}
	fx.doc = json_load_file(cases, JSON_REJECT_DUPLICATES, &e);
	if (!fx.doc) {
		fprintf(stderr, "%s:%d: %s\n", cases, e.line, e.text);
		return -1;
	}
	parse_agencies(json_object_get(fx.doc, "agencies"));
	parse_customers(json_object_get(fx.doc, "customers"));
	free(rules);
	free(cases);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < fx.n_agencies; i++)
		agency_release(&fx.agencies[i]);
	for (size_t i = 0; i < fx.n_customers; i++)
		customer_release(&fx.customers[i]);
	free(fx.agencies);
	free(fx.customers);
	free(fx.known);
	json_decref(fx.doc);
	rules_free(fx.rs);
	memset(&fx, 0, sizeof(fx));
	return 0;
}

static const struct agency *find_agency(const char *id)
{
	for (size_t i = 0; id && i < fx.n_agencies; i++)
		if (strcmp(fx.agencies[i].id, id) == 0)
			return &fx.agencies[i];
	return NULL;
}

static const struct customer *find_customer(const struct target *t)
{
	for (size_t i = 0; i < fx.n_customers; i++)
		for (size_t k = 0; k < fx.customers[i].n_accounts; k++)
			if (fx.customers[i].accounts[k].type == t->type &&
			    strcmp(fx.customers[i].accounts[k].value, t->value) == 0)
				return &fx.customers[i];
	return NULL;
}

/* ---- running one case --------------------------------------------------- */

struct run {
	struct request req;
	const struct customer **slots;
	struct policy_input in;
	struct policy_result res;
	json_t *json;
};

/* The base request with the case's fields replaced (null deletes). */
static char *case_request(const json_t *c)
{
	json_t *req = json_deep_copy(json_object_get(fx.doc, "base"));
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)json_object_get(c, "request"), k, v)
	{
		if (json_is_null(v))
			json_object_del(req, k);
		else
			json_object_set(req, k, v);
	}
	char *text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	return text;
}

/* What intake does: the country from the agency ("ZZ" when it is not
 * registered), targets resolved to customers. */
static void run_case(const json_t *c, struct run *r)
{
	const char *name = json_string_value(json_object_get(c, "name"));
	char *text = case_request(c);
	memset(r, 0, sizeof(*r));
	if (request_parse(text, strlen(text), REQUEST_NEW, 0, &r->req) < 0)
		fail_msg("case '%s': request does not parse: %s", name, err_msg());
	free(text);
	r->in.agency = find_agency(r->req.agency);
	str_copy(r->req.country, sizeof(r->req.country),
		 r->in.agency ? r->in.agency->country : "ZZ");
	r->slots = xcalloc(r->req.n_targets + 1, sizeof(*r->slots));
	for (size_t i = 0; i < r->req.n_targets; i++)
		r->slots[i] = find_customer(&r->req.targets[i]);
	r->in.req = &r->req;
	r->in.customers = r->slots;
	r->in.known_domains = fx.known;
	r->in.n_known_domains = fx.n_known;
	assert_int_equal(policy_evaluate(fx.rs, &r->in, &r->res), 0);
	r->json = policy_to_json(&r->res);
}

static void run_release(struct run *r)
{
	json_decref(r->json);
	policy_result_release(&r->res);
	free(r->slots);
	request_release(&r->req);
}

/* ---- comparing ---------------------------------------------------------- */

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The distinct strings of a, sorted and joined with ",". */
static char *set_text(char **v, size_t n)
{
	struct buf b;
	qsort(v, n, sizeof(*v), str_cmp);
	buf_init(&b, BUF_UNLIMITED);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(v[i], v[i - 1]) != 0)
			buf_addf(&b, "%s%s", b.len ? "," : "", v[i]);
	return buf_detach(&b, NULL);
}

/* Strings of array a (or of member `key` of each element, or "kind@at"). */
static char *array_set(const json_t *a, const char *key)
{
	size_t n = json_array_size(a), i;
	char **v = xcalloc(n + 1, sizeof(*v));
	json_t *e;
	json_array_foreach(a, i, e)
	{
		if (key && strcmp(key, "deadline") == 0)
			v[i] = xasprintf("%s@%s",
					 json_string_value(json_object_get(e, "kind")),
					 json_string_value(json_object_get(e, "at")));
		else
			v[i] =
			    xstrdup(json_string_value(key ? json_object_get(e, key) : e));
	}
	char *s = set_text(v, n);
	for (size_t k = 0; k < n; k++)
		free(v[k]);
	free(v);
	return s;
}

/* want: strings (or deadline objects); got: strings, or the member `key`
 * of each object ("deadline": "kind@at"). */
static int expect_equal(const char *name, const char *what, const json_t *want,
			const json_t *got, const char *key)
{
	int deadline = key && strcmp(key, "deadline") == 0;
	char *w = array_set(want, deadline ? key : NULL), *g = array_set(got, key);
	int same = strcmp(w, g) == 0;
	if (!same)
		print_error("case '%s': %s: want [%s], got [%s]\n", name, what, w, g);
	free(w);
	free(g);
	return same;
}

static int check_not(const char *name, const json_t *c, const json_t *got)
{
	size_t i, k;
	json_t *id, *reason;
	int ok = 1;
	json_array_foreach(json_object_get(c, "not"), i, id)
	{
		json_array_foreach(json_object_get(got, "reasons"), k, reason)
		{
			if (json_equal(json_object_get(reason, "rule"), id)) {
				print_error("case '%s': %s fired but must not\n", name,
					    json_string_value(id));
				ok = 0;
			}
		}
	}
	return ok;
}

static int check_categories(const char *name, const json_t *exp, const json_t *got)
{
	const json_t *want = json_object_get(exp, "categories");
	const json_t *have = json_object_get(got, "categories");
	if (!want && !have)
		return 1;
	if (!want || !have) {
		print_error("case '%s': categories: want %s, got %s\n", name,
			    want ? "a narrowed list" : "none", have ? "a list" : "none");
		return 0;
	}
	return expect_equal(name, "categories", want, have, NULL);
}

static void test_case(void **state)
{
	const json_t *c = *state;
	const json_t *exp = json_object_get(c, "expect");
	const char *name = json_string_value(json_object_get(c, "name"));
	json_t *none = json_array();
	struct run r;
	int ok;
	run_case(c, &r);
	const char *action = json_string_value(json_object_get(r.json, "action"));
	ok = strcmp(action, json_string_value(json_object_get(exp, "action"))) == 0;
	if (!ok)
		print_error("case '%s': action: want %s, got %s\n", name,
			    json_string_value(json_object_get(exp, "action")), action);
	ok &= expect_equal(name, "rules", json_object_get(exp, "rules"),
			   json_object_get(r.json, "reasons"), "rule");
	ok &= expect_equal(name, "flags",
			   json_object_get(exp, "flags") ? json_object_get(exp, "flags")
							 : none,
			   json_object_get(r.json, "flags"), NULL);
	ok &= expect_equal(
	    name, "deadlines",
	    json_object_get(exp, "deadlines") ? json_object_get(exp, "deadlines") : none,
	    json_object_get(r.json, "deadlines"), "deadline");
	ok &= check_categories(name, exp, r.json);
	ok &= check_not(name, c, r.json);
	if (!ok) {
		char *got = json_dumps(r.json, JSON_INDENT(1));
		print_error("case '%s': got %s\n", name, got);
		free(got);
	}
	json_decref(none);
	run_release(&r);
	assert_true(ok);
}

/* ---- properties over all cases ------------------------------------------ */

static const json_t *cases(void)
{
	return json_object_get(fx.doc, "cases");
}

/* Same input, byte-identical JSON; and an explanation naming every rule. */
static void test_deterministic(void **state)
{
	size_t i;
	json_t *c;
	(void)state;
	json_array_foreach((json_t *)cases(), i, c)
	{
		struct run a, b;
		struct buf text;
		run_case(c, &a);
		run_case(c, &b);
		char *ja = json_dumps(a.json, JSON_COMPACT),
		     *jb = json_dumps(b.json, JSON_COMPACT);
		assert_string_equal(ja, jb);
		buf_init(&text, BUF_UNLIMITED);
		assert_int_equal(policy_explain(fx.rs, &a.res, &text), 0);
		for (size_t k = 0; k < a.res.n_reasons; k++)
			assert_non_null(strstr(text.ptr, a.res.reasons[k].rule));
		assert_non_null(strstr(text.ptr, action_str(a.res.action)));
		buf_release(&text);
		free(ja);
		free(jb);
		run_release(&a);
		run_release(&b);
	}
}

static const char *const reason_keys[] = {"rule", "cite", "text", "effect", "category",
					  "target"};

static int reason_key_ok(const char *k)
{
	for (size_t i = 0; i < ARRAY_SIZE(reason_keys); i++)
		if (strcmp(k, reason_keys[i]) == 0)
			return 1;
	return 0;
}

/* SPEC §4's shape, every reason citing a rule that exists, with its
 * citation; the strongest effect first. */
static void check_shape(const struct run *r)
{
	const json_t *o = r->json;
	size_t i;
	json_t *v;
	const char *k;
	json_object_foreach((json_t *)o, k, v)
	{
		assert_true(strcmp(k, "action") == 0 || strcmp(k, "reasons") == 0 ||
			    strcmp(k, "flags") == 0 || strcmp(k, "deadlines") == 0 ||
			    strcmp(k, "categories") == 0);
	}
	assert_true(action_parse(json_string_value(json_object_get(o, "action"))) >= 0);
	json_array_foreach(json_object_get(o, "reasons"), i, v)
	{
		const char *rk;
		json_t *rv;
		const struct rule *rule =
		    rules_find(fx.rs, json_string_value(json_object_get(v, "rule")));
		assert_non_null(rule);
		assert_string_equal(json_string_value(json_object_get(v, "cite")),
				    rule->citation);
		assert_true(str_has_prefix(json_string_value(json_object_get(v, "text")),
					   rule->summary));
		json_object_foreach(v, rk, rv) assert_true(reason_key_ok(rk));
		assert_int_equal(effect_parse(json_string_value(json_object_get(v, "effect"))),
				 r->res.reasons[i].effect);
		if (i > 0)
			assert_true(rules_rank(fx.rs, r->res.reasons[i - 1].effect) >=
				    rules_rank(fx.rs, r->res.reasons[i].effect));
	}
	json_array_foreach(json_object_get(o, "flags"), i, v)
	    assert_true(policy_flag_parse(json_string_value(v)) >= 0);
	json_array_foreach(json_object_get(o, "deadlines"), i, v)
	{
		struct ts ts;
		assert_true(deadline_kind_parse(
				json_string_value(json_object_get(v, "kind"))) >= 0);
		assert_int_equal(
		    ts_parse(json_string_value(json_object_get(v, "at")), &ts), 0);
	}
}

static void test_shape(void **state)
{
	size_t i;
	json_t *c;
	(void)state;
	json_array_foreach((json_t *)cases(), i, c)
	{
		struct run r;
		run_case(c, &r);
		check_shape(&r);
		/* parsed back from its stored form, it stores the same bytes */
		struct policy_result back;
		char *stored = policy_dumps(&r.res), *again;
		assert_non_null(stored);
		assert_int_equal(policy_parse(stored, &back), 0);
		assert_int_equal(back.action, r.res.action);
		assert_int_equal(back.flags, r.res.flags);
		assert_non_null(again = policy_dumps(&back));
		assert_string_equal(again, stored);
		policy_result_release(&back);
		free(stored);
		free(again);
		/* The action is the strongest finding, or review. */
		if (r.res.n_reasons && r.res.reasons[0].effect != EFFECT_FLAG &&
		    rules_rank(fx.rs, r.res.reasons[0].effect) >
			rules_rank(fx.rs, ACT_REVIEW))
			assert_int_equal(r.res.action, r.res.reasons[0].effect);
		run_release(&r);
	}
}

/* The rule ids of LEGAL-RULES.md: first cells like "| GEN-TARGETS |". */
static size_t legal_rule_ids(char ***out)
{
	char *path = xasprintf("%s/LEGAL-RULES.md", getenv("DOCKET_SHARED_DIR")
							? getenv("DOCKET_SHARED_DIR")
							: "../shared");
	FILE *fp = fopen(path, "r");
	regex_t re;
	regmatch_t m[2];
	char line[4096];
	size_t n = 0;
	assert_non_null(fp);
	assert_int_equal(regcomp(&re, "^\\| ([A-Z]+-[A-Z0-9-]+) \\|", REG_EXTENDED), 0);
	*out = NULL;
	while (fgets(line, sizeof(line), fp)) {
		if (regexec(&re, line, 2, m, 0) != 0)
			continue;
		*out = xrealloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] =
		    xstrndup(line + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
	}
	regfree(&re);
	fclose(fp);
	free(path);
	return n;
}

static int named_in(const json_t *c, const char *where, const char *id)
{
	const json_t *a = strcmp(where, "rules") == 0
			      ? json_object_get(json_object_get(c, "expect"), "rules")
			      : json_object_get(c, "not");
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v) if (strcmp(json_string_value(v), id) == 0) return 1;
	return 0;
}

/* Every rule id of LEGAL-RULES.md fires in some case and is named under
 * "not" in another; the table has at least MIN_CASES cases. */
static void test_coverage(void **state)
{
	char **ids;
	size_t n = legal_rule_ids(&ids);
	(void)state;
	assert_true(n >= 25);
	assert_true(json_array_size(cases()) >= MIN_CASES);
	for (size_t k = 0; k < n; k++) {
		int fires = 0, spared = 0;
		size_t i;
		json_t *c;
		json_array_foreach((json_t *)cases(), i, c)
		{
			fires |= named_in(c, "rules", ids[k]);
			spared |= named_in(c, "not", ids[k]);
		}
		if (!fires || !spared)
			print_error("%s: %s\n", ids[k],
				    !fires ? "no case where it fires"
					   : "no case where it must not fire");
		assert_true(fires && spared);
		free(ids[k]);
	}
	free(ids);
}

/* Every case name is unique, so a failure points at one case. */
static void test_names_unique(void **state)
{
	size_t i, k;
	json_t *a, *b;
	(void)state;
	json_array_foreach((json_t *)cases(), i, a)
	{
		json_array_foreach((json_t *)cases(), k, b)
		{
			if (k > i)
				assert_false(json_equal(json_object_get(a, "name"),
							json_object_get(b, "name")));
		}
	}
}

/* ---- the engine outside the table ---------------------------------------- */

static void test_no_request(void **state)
{
	struct policy_input in = {0};
	struct policy_result res;
	(void)state;
	assert_int_equal(policy_evaluate(fx.rs, &in, &res), -E_INVALID);
	assert_null(res.reasons);
	policy_result_release(&res);
	policy_result_release(&res);
}

/* The first case of the table as plain text: the lawyer's view. */
static void test_explain_text(void **state)
{
	json_t *c = json_array_get(cases(), 0);
	struct run r;
	struct buf b;
	(void)state;
	for (size_t i = 0; i < json_array_size(cases()); i++) {
		const char *nm = json_string_value(
		    json_object_get(json_array_get(cases(), i), "name"));
		if (strcmp(nm, "US subpoena for subscriber and content of a GB "
			       "resident: comity review outranks narrowing") == 0)
			c = json_array_get(cases(), i);
	}
	run_case(c, &r);
	buf_init(&b, BUF_UNLIMITED);
	assert_int_equal(policy_explain(fx.rs, &r.res, &b), 0);
	assert_non_null(strstr(b.ptr, "Recommendation: comity_review"));
	assert_non_null(strstr(b.ptr, "US-COMITY"));
	assert_non_null(strstr(b.ptr, "18 U.S.C. 2703(h)(2)"));
	assert_non_null(strstr(b.ptr, "(check)"));
	assert_non_null(strstr(b.ptr, "comity_motion"));
	assert_non_null(strstr(b.ptr, "a narrowed answer covers only: subscriber"));
	assert_non_null(strstr(b.ptr, "reject > verify > redirect"));
	buf_release(&b);

	/* A capped buffer that cannot hold it: an error, nothing appended. */
	buf_init(&b, 16);
	assert_int_equal(policy_explain(fx.rs, &r.res, &b), -E_INVALID);
	assert_int_equal(b.len, 0);
	buf_release(&b);
	run_release(&r);
}

/* The stored form parses strictly; one stored before reasons carried
 * their effect gives effect -1. */
static void test_parse_stored(void **state)
{
	static const char *const bad[] = {
	    "", "[]", "{\"action\":\"maybe\",\"reasons\":[],\"flags\":[],\"deadlines\":[]}",
	    "{\"action\":\"review\",\"reasons\":[{\"rule\":\"X\"}],\"flags\":[],"
	    "\"deadlines\":[]}",
	    "{\"action\":\"review\",\"reasons\":[],\"flags\":[\"no_such_flag\"],"
	    "\"deadlines\":[]}",
	    "{\"action\":\"review\",\"reasons\":[],\"flags\":[],\"deadlines\":[{\"kind\":"
	    "\"requester_due\",\"at\":\"tomorrow\"}]}",
	};
	struct policy_result p;
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(policy_parse(bad[i], &p), -E_STORAGE);
	assert_int_equal(policy_parse("{\"action\":\"reject\",\"reasons\":[{\"rule\":\"GEN-"
				      "TARGETS\",\"cite\":\"c\",\"text\":\"t\"}],\"flags\":"
				      "[\"data_abroad\"],\"deadlines\":[]}",
				      &p),
			 0);
	assert_int_equal(p.action, ACT_REJECT);
	assert_int_equal(p.n_reasons, 1);
	assert_int_equal(p.reasons[0].effect, -1);
	assert_int_equal(p.flags, PF_BIT(PF_DATA_ABROAD));
	policy_result_release(&p);
}

static void test_vocabularies(void **state)
{
	(void)state;
	for (int f = 0; f < policy_flag__COUNT; f++)
		assert_int_equal(policy_flag_parse(policy_flag_str(f)), f);
	for (int k = 0; k < deadline_kind__COUNT; k++)
		assert_int_equal(deadline_kind_parse(deadline_kind_str(k)), k);
	assert_int_equal(policy_flag_parse("nope"), -1);
	assert_string_equal(policy_flag_str(-1), "?");
	assert_string_equal(deadline_kind_str(deadline_kind__COUNT), "?");
}

static void test_lookalike(void **state)
{
	char *cls[] = {"o0", "l1i", "e3", "a4", "s5", "t7"};
	(void)state;
	assert_int_equal(lookalike_distance("lapd.gov", "lapd.gov", 2), 0);
	assert_int_equal(lookalike_distance("lapd.gov", "1apd.gov", 2), 1);
	assert_int_equal(lookalike_distance("lapd.gov", "lpad.gov", 2), 2);
	assert_int_equal(lookalike_distance("lapd.gov", "lapd.com", 2), 2);
	assert_int_equal(lookalike_distance("lapd.gov", "lapd.co.uk", 2), 3);
	assert_int_equal(lookalike_distance("lapd.gov", "lapd.gov.example", 9), 8);
	assert_int_equal(lookalike_distance("a", "abcd", 2), 3);
	assert_int_equal(lookalike_distance("LAPD.GOV", "lapd.gov", 2), 0);
	assert_true(lookalike_match("po1ice.gov", "police.gov", 2, cls, 6));
	assert_true(lookalike_match("p0l1c3.gov", "police.gov", 2, cls, 6));
	assert_true(lookalike_match("poiice.gov", "police.gov", 0, cls, 6));
	assert_false(lookalike_match("police.gov", "POLICE.gov", 2, cls, 6));
	assert_false(lookalike_match("fbi.gov", "lapd.gov", 2, cls, 6));
	assert_false(lookalike_match("p0l1c3.gov", "police.gov", 2, NULL, 0));
}

int main(void)
{
	const struct CMUnitTest fixed[] = {
	    cmocka_unit_test(test_coverage),	  cmocka_unit_test(test_names_unique),
	    cmocka_unit_test(test_deterministic), cmocka_unit_test(test_shape),
	    cmocka_unit_test(test_no_request),	  cmocka_unit_test(test_explain_text),
	    cmocka_unit_test(test_vocabularies),  cmocka_unit_test(test_lookalike),
	    cmocka_unit_test(test_parse_stored),
	};
	struct CMUnitTest *tests;
	size_t n, total;
	int rc;
	if (setup(NULL) < 0)
		return 1;
	n = json_array_size(cases());
	total = n + ARRAY_SIZE(fixed);
	tests = xcalloc(total, sizeof(*tests));
	for (size_t i = 0; i < n; i++) {
		json_t *c = json_array_get(cases(), i);
		tests[i].name = json_string_value(json_object_get(c, "name"));
		tests[i].test_func = test_case;
		tests[i].initial_state = c;
	}
	memcpy(tests + n, fixed, sizeof(fixed));
	rc = _cmocka_run_group_tests("policy", tests, total, NULL, NULL);
	free(tests);
	teardown(NULL);
	return rc;
}
