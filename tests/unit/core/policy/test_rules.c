/*
 * test_rules.c - loading the rules files (core/policy/rules.c).
 *
 * The shipped files load and hold every rule of LEGAL-RULES.md, with its
 * "(policy)" and "(check)" marks.  Every kind of damage to a rules file is
 * an E_INVALID error naming the file and the rule: each test copies the
 * shipped files into a temporary directory with one change (a field set
 * to a JSON value or deleted, a file replaced or left out), loads it and
 * checks the message.
 */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/err.h"
#include "base/util.h"
#include "core/policy/rules.h"

static const char *const shipped[] = {"default.json", "eu.json", "general.json",
				      "uk.json", "us.json"};

static char *source_path(const char *rel)
{
	const char *dir = getenv("DOCKET_SOURCE_DIR");
	return xasprintf("%s/%s", dir && *dir ? dir : ".", rel);
}

/* ---- a scratch copy of the rules directory ------------------------------- */

struct scratch {
	char dir[64];
	json_t *docs[ARRAY_SIZE(shipped)];
};

static void scratch_open(struct scratch *s)
{
	str_copy(s->dir, sizeof(s->dir), "/tmp/docket-rules-XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	for (size_t i = 0; i < ARRAY_SIZE(shipped); i++) {
		char *rel = xasprintf("rules/%s", shipped[i]);
		char *path = source_path(rel);
		json_error_t e;
		s->docs[i] = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
		assert_non_null(s->docs[i]);
		free(rel);
		free(path);
	}
}

static json_t *scratch_doc(struct scratch *s, const char *file)
{
	for (size_t i = 0; i < ARRAY_SIZE(shipped); i++)
		if (strcmp(shipped[i], file) == 0)
			return s->docs[i];
	fail_msg("no shipped file %s", file);
	return NULL;
}

static json_t *rule_obj(json_t *doc, const char *id)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(doc, "rules"), i, r)
	{
		if (strcmp(json_string_value(json_object_get(r, "id")), id) == 0)
			return r;
	}
	fail_msg("no rule %s", id);
	return NULL;
}

/* Write every document still held (a NULL one is left out). */
static void scratch_write(struct scratch *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(shipped); i++) {
		if (!s->docs[i])
			continue;
		char *path = xasprintf("%s/%s", s->dir, shipped[i]);
		assert_int_equal(json_dump_file(s->docs[i], path, JSON_INDENT(2)), 0);
		free(path);
	}
}

static void write_text(const struct scratch *s, const char *file, const char *text)
{
	char *path = xasprintf("%s/%s", s->dir, file);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	free(path);
}

static void scratch_close(struct scratch *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(shipped); i++) {
		char *path = xasprintf("%s/%s", s->dir, shipped[i]);
		unlink(path);
		free(path);
		json_decref(s->docs[i]);
	}
	assert_int_equal(rmdir(s->dir), 0);
}

/* Load s's directory; it must fail with code and a message holding each
 * of the NULL-terminated strings. */
static void expect_error(struct scratch *s, enum err_code code, ...)
{
	struct ruleset *rs = (struct ruleset *)1;
	va_list ap;
	const char *want;
	int rc = rules_load(s->dir, &rs);
	assert_null(rs);
	if (rc != -(int)code)
		fail_msg("want error %d, got %d: %s", code, -rc, err_msg());
	va_start(ap, code);
	while ((want = va_arg(ap, const char *)) != NULL)
		if (!strstr(err_msg(), want))
			fail_msg("message '%s' lacks '%s'", err_msg(), want);
	va_end(ap);
}

/* Set doc's member at a dotted path ("params.hold_days") to the JSON value
 * `value`, or delete it when value is NULL. */
static void set_path(json_t *obj, const char *path, const char *value)
{
	char *p = xstrdup(path), *dot;
	json_t *o = obj;
	char *key = p;
	while ((dot = strchr(key, '.')) != NULL) {
		*dot = '\0';
		o = json_object_get(o, key);
		assert_non_null(o);
		key = dot + 1;
	}
	if (value) {
		json_error_t e;
		json_t *v = json_loads(value, JSON_DECODE_ANY, &e);
		assert_non_null(v);
		json_object_set_new(o, key, v);
	} else {
		json_object_del(o, key);
	}
	free(p);
}

/* ---- one change to one rule or one file header ---------------------------- */

struct damage {
	const char *file;
	const char *rule; /* NULL: the file's top level */
	const char *path;
	const char *value;   /* JSON text; NULL deletes */
	const char *want[3]; /* substrings of the message */
};

static const struct damage damages[] = {
    {"us.json",
     "US-NSL",
     "citation",
     NULL,
     {"us.json: rule 'US-NSL': field 'citation': required"}},
    {"us.json",
     "US-NSL",
     "summary",
     "\"\"",
     {"rule 'US-NSL'", "'summary': must not be empty"}},
    {"us.json", "US-NSL", "text", "42", {"rule 'US-NSL'", "'text': must be a string"}},
    {"us.json",
     "US-NSL",
     "severity",
     "\"high\"",
     {"rule 'US-NSL'", "'severity': unknown field"}},
    {"us.json", "US-NSL", "effect", "1", {"rule 'US-NSL'", "'effect'"}},
    {"us.json",
     "US-NSL",
     "effect",
     "\"deny\"",
     {"rule 'US-NSL'", "unknown effect 'deny'"}},
    {"us.json",
     "US-PRESERVATION",
     "effect",
     "\"reject\"",
     {"rule 'US-PRESERVATION'", "cannot have effect 'reject' (one of: preserve)"}},
    {"us.json",
     "US-NSL",
     "id",
     "\"US-MAGIC\"",
     {"us.json: rule 'US-MAGIC'", "docket implements no rule with this id"}},
    {"us.json",
     "US-NSL",
     "id",
     "\"us-nsl\"",
     {"us.json", "'rules[6].id'", "not a valid rule id"}},
    {"us.json", "US-NSL", "id", NULL, {"us.json", "'rules[6].id': required"}},
    {"us.json",
     "US-NSL",
     "jurisdiction",
     "\"EU\"",
     {"rule 'US-NSL'", "'EU', but us.json is jurisdiction 'US'"}},
    {"us.json", "US-NSL", "policy", NULL, {"rule 'US-NSL'", "'policy': required"}},
    {"us.json",
     "US-NSL",
     "check",
     "\"no\"",
     {"rule 'US-NSL'", "'check': must be true or false"}},
    {"us.json",
     "US-NSL",
     "applies_in",
     "[\"MARS\"]",
     {"rule 'US-NSL'", "unknown jurisdiction 'MARS'"}},
    {"us.json",
     "US-NSL",
     "applies_in",
     "[\"*\", \"US\"]",
     {"rule 'US-NSL'", "must stand alone"}},
    {"us.json", "US-NSL", "applies_in", "[]", {"rule 'US-NSL'", "'applies_in'"}},
    {"us.json",
     "US-NSL",
     "applies_in",
     "[\"US\", \"US\"]",
     {"rule 'US-NSL'", "repeats 'US'"}},
    {"us.json",
     "US-COMITY",
     "governs",
     "[\"subpoena\"]",
     {"rule 'US-COMITY'", "does not govern processes"}},
    {"us.json", "US-NSL", "governs", NULL, {"rule 'US-NSL'", "'governs': required"}},
    {"us.json",
     "US-NSL",
     "governs",
     "[\"letter\"]",
     {"rule 'US-NSL'", "unknown process 'letter'"}},
    {"us.json", "US-NSL", "governs", "[]", {"rule 'US-NSL'", "'governs'"}},
    {"us.json", "US-NSL", "params", NULL, {"rule 'US-NSL'", "'params': required"}},
    {"us.json",
     "US-NSL",
     "params",
     "[]",
     {"rule 'US-NSL'", "'params': must be an object"}},
    {"us.json",
     "US-NSL",
     "params.color",
     "\"red\"",
     {"rule 'US-NSL'", "'params.color': unknown parameter"}},
    {"us.json",
     "US-PRESERVATION",
     "params.hold_days",
     NULL,
     {"rule 'US-PRESERVATION'", "'params.hold_days': required"}},
    {"us.json",
     "US-PRESERVATION",
     "params.hold_days",
     "\"90\"",
     {"rule 'US-PRESERVATION'", "'params.hold_days': must be an integer"}},
    {"us.json",
     "US-PRESERVATION",
     "params.hold_days",
     "-1",
     {"rule 'US-PRESERVATION'", "'params.hold_days': -1 is outside"}},
    {"us.json",
     "US-NSL",
     "params.allowed",
     "[\"subscribers\"]",
     {"rule 'US-NSL'", "'params.allowed[0]': unknown category 'subscribers'"}},
    {"us.json",
     "US-NSL",
     "params.allowed",
     "[\"subscriber\", \"subscriber\"]",
     {"rule 'US-NSL'", "'params.allowed[1]': repeats"}},
    {"us.json",
     "US-NSL",
     "params.allowed",
     "\"subscriber\"",
     {"rule 'US-NSL'", "'params.allowed': must be an array"}},
    {"us.json",
     "US-COMITY",
     "params.qualifying_countries",
     "[\"GB\", \"XX\"]",
     {"rule 'US-COMITY'", "'params.qualifying_countries[1]': unknown country code 'XX'"}},
    {"us.json",
     "US-EMERGENCY",
     "params.incomplete_effect",
     "\"preserve\"",
     {"rule 'US-EMERGENCY'", "'params.incomplete_effect'", "cannot have effect"}},
    {"us.json",
     "US-CIVIL",
     "params.kinds",
     "[\"civill\"]",
     {"rule 'US-CIVIL'", "unknown kind 'civill'"}},
    {"us.json",
     "US-CIVIL",
     "params.agency_types",
     "[\"lawyer\"]",
     {"rule 'US-CIVIL'", "unknown agency type 'lawyer'"}},
    {"us.json",
     "US-CONTENT-WARRANT",
     "params.category",
     "\"everything\"",
     {"rule 'US-CONTENT-WARRANT'", "unknown category 'everything'"}},
    {"default.json",
     "INTL-MLAT",
     "params.as",
     "\"warrant\"",
     {"default.json: rule 'INTL-MLAT'", "unknown process 'warrant'"}},
    {"eu.json",
     "EU-EPOC",
     "params.applies_from",
     "\"18 Aug 2026\"",
     {"eu.json: rule 'EU-EPOC'", "'params.applies_from': '18 Aug 2026' is not a date"}},
    {"general.json",
     "GEN-REQUESTER",
     "params.confusables",
     "[\"o0\", \"\"]",
     {"general.json: rule 'GEN-REQUESTER'",
      "'params.confusables[1]': must not be empty"}},
    {"us.json", NULL, "version", "2", {"us.json: field 'version': unknown field"}},
    {"us.json", NULL, "jurisdiction", NULL, {"us.json: field 'jurisdiction': required"}},
    {"us.json",
     NULL,
     "jurisdiction",
     "\"U S\"",
     {"us.json", "not a valid jurisdiction id"}},
    {"us.json", NULL, "name", NULL, {"us.json: field 'name': required"}},
    {"us.json", NULL, "rules", NULL, {"us.json: field 'rules': required"}},
    {"us.json", NULL, "rules", "{}", {"us.json: field 'rules': must be an array"}},
    {"us.json", NULL, "rules", "[\"US-NSL\"]", {"us.json", "'rules[0]'"}},
    {"us.json", NULL, "countries", "[\"USA\"]", {"us.json: field 'countries[0]'"}},
    {"us.json", NULL, "countries", "[\"XX\"]", {"us.json", "unknown country code 'XX'"}},
    {"us.json", NULL, "countries", "[]", {"us.json", "must name at least one country"}},
    {"uk.json",
     NULL,
     "countries",
     "[\"GB\", \"FR\"]",
     {"uk.json: field 'countries[1]': 'FR' is already in jurisdiction 'EU' (eu.json)"}},
    {"uk.json",
     NULL,
     "jurisdiction",
     "\"US\"",
     {"us.json", "'US' is also defined in uk.json"}},
    {"general.json",
     NULL,
     "countries",
     "[\"US\"]",
     {"general.json", "must be empty for jurisdiction 'general'"}},
    {"general.json",
     NULL,
     "precedence",
     NULL,
     {"general.json: field 'precedence': required"}},
    {"general.json",
     NULL,
     "precedence",
     "[\"reject\"]",
     {"general.json", "must list each of the 7 actions once"}},
    {"general.json",
     NULL,
     "precedence",
     "[\"reject\",\"verify\",\"redirect\",\"comity_review\",\"narrow\",\"preserve\","
     "\"reject\"]",
     {"general.json", "'precedence[6]': repeats 'reject'"}},
    {"us.json", NULL, "precedence", "[]", {"us.json", "belongs in general.json only"}},
};

/* One test per row of damages[]. */
static void test_damage(void **state)
{
	const struct damage *d = *state;
	struct scratch s;
	scratch_open(&s);
	json_t *doc = scratch_doc(&s, d->file);
	set_path(d->rule ? rule_obj(doc, d->rule) : doc, d->path, d->value);
	scratch_write(&s);
	expect_error(&s, E_INVALID, s.dir, d->want[0], d->want[1], d->want[2], NULL);
	scratch_close(&s);
}

/* ---- whole files ---------------------------------------------------------- */

static void test_rule_missing(void **state)
{
	struct scratch s;
	(void)state;
	scratch_open(&s);
	json_t *rules = json_object_get(scratch_doc(&s, "us.json"), "rules");
	for (size_t i = 0; i < json_array_size(rules); i++)
		if (strcmp(json_string_value(
			       json_object_get(json_array_get(rules, i), "id")),
			   "US-CONTENT-WARRANT") == 0)
			json_array_remove(rules, i);
	scratch_write(&s);
	expect_error(&s, E_INVALID,
		     "rule 'US-CONTENT-WARRANT' is not defined in any file", NULL);
	scratch_close(&s);
}

static void test_rule_twice(void **state)
{
	struct scratch s;
	(void)state;
	scratch_open(&s);
	json_t *copy = json_deep_copy(rule_obj(scratch_doc(&s, "us.json"), "US-NSL"));
	json_object_set_new(copy, "jurisdiction", json_string("EU"));
	json_array_append_new(json_object_get(scratch_doc(&s, "eu.json"), "rules"), copy);
	scratch_write(&s);
	expect_error(&s, E_INVALID, "us.json: rule 'US-NSL': also defined in eu.json",
		     NULL);
	scratch_close(&s);
}

static void test_file_missing(void **state)
{
	static const struct {
		const char *file;
		const char *want;
	} cases[] = {
	    {"default.json", "no jurisdiction 'default'"},
	    {"general.json", "no general.json"},
	    {"us.json", "eu.json: rule 'EU-GDPR-48': field 'applies_in[0]': unknown "
			"jurisdiction 'US'"},
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct scratch s;
		scratch_open(&s);
		json_t **doc = &s.docs[0];
		for (size_t k = 0; k < ARRAY_SIZE(shipped); k++)
			if (strcmp(shipped[k], cases[i].file) == 0)
				doc = &s.docs[k];
		json_decref(*doc);
		*doc = NULL;
		scratch_write(&s);
		expect_error(&s, E_INVALID, cases[i].want, NULL);
		scratch_close(&s);
	}
}

static void test_bad_json(void **state)
{
	static const struct {
		const char *text;
		const char *want;
	} cases[] = {
	    {"{\"jurisdiction\": \"US\",\n \"name\": }",
	     "us.json: invalid json at line 2"},
	    {"{\"jurisdiction\": \"US\", \"jurisdiction\": \"EU\"}", "us.json"},
	    {"[1, 2]", "us.json: document must be a json object"},
	    {"", "us.json: empty document"},
	    {"  \n", "us.json: empty document"},
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct scratch s;
		scratch_open(&s);
		scratch_write(&s);
		write_text(&s, "us.json", cases[i].text);
		expect_error(&s, E_INVALID, cases[i].want, NULL);
		scratch_close(&s);
	}
}

static void test_oversize(void **state)
{
	struct scratch s;
	char *big = xmalloc(RULES_MAX_FILE + 16);
	(void)state;
	memset(big, ' ', RULES_MAX_FILE + 15);
	big[0] = '{';
	big[RULES_MAX_FILE + 14] = '}';
	big[RULES_MAX_FILE + 15] = '\0';
	scratch_open(&s);
	scratch_write(&s);
	write_text(&s, "us.json", big);
	expect_error(&s, E_INVALID, "us.json", "larger than", NULL);
	scratch_close(&s);
	free(big);
}

static void test_directory(void **state)
{
	struct scratch s;
	(void)state;
	scratch_open(&s);
	expect_error(&s, E_INVALID, "has no *.json files", NULL);
	scratch_close(&s);

	struct ruleset *rs = NULL;
	assert_int_equal(rules_load("/nonexistent/docket-rules", &rs), -E_NOTFOUND);
	assert_null(rs);
	assert_non_null(strstr(err_msg(), "cannot open rules directory "
					  "'/nonexistent/docket-rules'"));
}

/* rules_load(NULL) loads the compiled-in rules directory; the domain
 * reads no environment (the front end passes DOCKET_RULES_DIR in). */
static void test_env_override(void **state)
{
	struct ruleset *rs = NULL;
	(void)state;
	setenv("DOCKET_RULES_DIR", "/nonexistent/override", 1);
	assert_int_equal(rules_load(NULL, &rs), 0);
	assert_string_equal(rules_dir(rs), DOCKET_RULES_DIR);
	rules_free(rs);
	unsetenv("DOCKET_RULES_DIR");
}

/* ---- the shipped rules ---------------------------------------------------- */

static struct ruleset *load_shipped(void)
{
	char *dir = source_path("rules");
	struct ruleset *rs = NULL;
	if (rules_load(dir, &rs) < 0)
		fail_msg("%s", err_msg());
	free(dir);
	return rs;
}

struct legal_row {
	char id[64];
	int policy, check;
};

/* The rule rows of LEGAL-RULES.md ("| GEN-TARGETS | ... |") and their marks. */
static size_t legal_rows(struct legal_row **out)
{
	const char *shared = getenv("DOCKET_SHARED_DIR");
	char *path = xasprintf("%s/LEGAL-RULES.md", shared ? shared : "../shared");
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
		struct legal_row *row = &(*out)[n++];
		snprintf(row->id, sizeof(row->id), "%.*s", (int)(m[1].rm_eo - m[1].rm_so),
			 line + m[1].rm_so);
		row->policy = strstr(line, "(policy") != NULL;
		row->check = strstr(line, "(check") != NULL;
	}
	regfree(&re);
	fclose(fp);
	free(path);
	return n;
}

/* Every rule of LEGAL-RULES.md ships, with its marks; nothing else does. */
static void test_legal_rules_shipped(void **state)
{
	struct ruleset *rs = load_shipped();
	struct legal_row *rows;
	size_t n = legal_rows(&rows);
	(void)state;
	assert_int_equal(n, 25);
	assert_int_equal(rules_count(rs), n);
	for (size_t i = 0; i < n; i++) {
		const struct rule *r = rules_find(rs, rows[i].id);
		if (!r)
			fail_msg("%s is not in the shipped rules", rows[i].id);
		if (r->policy != rows[i].policy || r->check != rows[i].check)
			fail_msg("%s: marks differ from LEGAL-RULES.md", rows[i].id);
		assert_true(r->citation[0] && r->summary[0] && r->text[0]);
		if (r->check)
			assert_non_null(strstr(r->text, "(check"));
	}
	free(rows);
	rules_free(rs);
}

static void test_shipped_shape(void **state)
{
	struct ruleset *rs = load_shipped();
	int64_t v;
	(void)state;
	assert_int_equal(rules_jurisdiction_count(rs), 5);
	assert_string_equal(rules_jurisdiction_at(rs, 0)->id, "general");
	assert_null(rules_jurisdiction_at(rs, 5));
	assert_string_equal(rules_at(rs, 0)->id, "GEN-TARGETS");
	assert_null(rules_at(rs, rules_count(rs)));
	assert_null(rules_find(rs, "US-NOPE"));
	assert_string_equal(rules_jurisdiction_for(rs, "US")->id, "US");
	assert_string_equal(rules_jurisdiction_for(rs, "FR")->id, "EU");
	assert_string_equal(rules_jurisdiction_for(rs, "DK")->id, "EU");
	assert_string_equal(rules_jurisdiction_for(rs, "GB")->id, "UK");
	assert_string_equal(rules_jurisdiction_for(rs, "JP")->id, "default");
	assert_string_equal(rules_jurisdiction_for(rs, "ZZ")->id, "default");
	assert_string_equal(rules_jurisdiction_for(rs, NULL)->id, "default");
	assert_null(rules_jurisdiction_find(rs, "MARS"));

	const struct rule *pres = rules_find(rs, "US-PRESERVATION");
	assert_int_equal(rule_param_int(pres, "hold_days", &v), 0);
	assert_int_equal(v, 90);
	assert_int_equal(rule_param_int(pres, "renewal_days", &v), 0);
	assert_int_equal(v, 90);
	assert_int_equal(rule_param_int(pres, "nope", &v), -E_NOTFOUND);
	assert_int_equal(rule_param_int(rules_find(rs, "EU-EPOC-PR"), "hold_days", &v),
			 0);
	assert_int_equal(v, 60);
	assert_int_equal(rule_param_int(rules_find(rs, "EU-EPOC"), "applies_from", &v),
			 -E_NOTFOUND);

	assert_true(
	    rule_applies_in(rules_find(rs, "US-NSL"), rules_jurisdiction_for(rs, "US")));
	assert_false(
	    rule_applies_in(rules_find(rs, "US-NSL"), rules_jurisdiction_for(rs, "GB")));
	assert_true(rule_applies_in(rules_find(rs, "GEN-TARGETS"),
				    rules_jurisdiction_for(rs, "JP")));

	json_t *j = rule_to_json(rules_find(rs, "US-COMITY"));
	assert_string_equal(json_string_value(json_object_get(j, "file")), "us.json");
	assert_string_equal(json_string_value(json_object_get(j, "citation")),
			    "18 U.S.C. 2703(h)(2)");
	assert_true(json_is_true(json_object_get(j, "check")));
	json_decref(j);
	rules_free(rs);
}

static void test_effects_and_precedence(void **state)
{
	struct ruleset *rs = load_shipped();
	static const int order[] = {ACT_REJECT,	       ACT_VERIFY, ACT_REDIRECT,
				    ACT_COMITY_REVIEW, ACT_NARROW, ACT_PRESERVE,
				    ACT_REVIEW};
	(void)state;
	assert_int_equal(effect_parse("flag"), EFFECT_FLAG);
	assert_int_equal(effect_parse("narrow"), ACT_NARROW);
	assert_int_equal(effect_parse("nope"), -1);
	assert_string_equal(effect_str(EFFECT_FLAG), "flag");
	assert_string_equal(effect_str(ACT_COMITY_REVIEW), "comity_review");
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		assert_int_equal(rules_precedence(rs)[i], order[i]);
		if (i)
			assert_true(rules_rank(rs, order[i - 1]) >
				    rules_rank(rs, order[i]));
	}
	assert_true(rules_rank(rs, ACT_REVIEW) > rules_rank(rs, EFFECT_FLAG));
	assert_int_equal(rules_rank(rs, -1), 0);
	rules_free(rs);
	rules_free(NULL);
}

int main(void)
{
	const struct CMUnitTest fixed[] = {
	    cmocka_unit_test(test_legal_rules_shipped),
	    cmocka_unit_test(test_shipped_shape),
	    cmocka_unit_test(test_effects_and_precedence),
	    cmocka_unit_test(test_rule_missing),
	    cmocka_unit_test(test_rule_twice),
	    cmocka_unit_test(test_file_missing),
	    cmocka_unit_test(test_bad_json),
	    cmocka_unit_test(test_oversize),
	    cmocka_unit_test(test_directory),
	    cmocka_unit_test(test_env_override),
	};
	size_t n = ARRAY_SIZE(damages), total = n + ARRAY_SIZE(fixed);
	struct CMUnitTest *tests = xcalloc(total, sizeof(*tests));
	char **names = xcalloc(n, sizeof(*names));
	for (size_t i = 0; i < n; i++) {
		const struct damage *d = &damages[i];
		names[i] = xasprintf("damage %s %s %s = %s", d->file,
				     d->rule ? d->rule : "(file)", d->path,
				     d->value ? d->value : "(deleted)");
		tests[i].name = names[i];
		tests[i].test_func = test_damage;
		tests[i].initial_state = (void *)d;
	}
	memcpy(tests + n, fixed, sizeof(fixed));
	int rc = _cmocka_run_group_tests("rules", tests, total, NULL, NULL);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(tests);
	return rc;
}
