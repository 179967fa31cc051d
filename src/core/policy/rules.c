/*
 * rules.c - loading and validating the rules files (see rules.h and
 * docs/policy.md for the format).
 *
 * Loading runs in two passes: first every file's header (jurisdiction,
 * countries, precedence), so that a rule's "applies_in" can name a
 * jurisdiction of a later file; then every rule, each checked against the
 * rule_spec of the code that implements it (rules_int.h).  Every error
 * names the file, and the rule when there is one.
 */
#include <dirent.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "model/jsonv.h"
#include "model/model.h"
#include "core/policy/rules_int.h"

#define ALL JSONV_ALL_MODES
#define REQ JSONV_REQUIRED
#define RULE_MAX_TEXT 4096
#define RULE_MAX_SHORT 256

struct rfile {
	char *name; /* "us.json" */
	char *path; /* "<dir>/us.json", what messages show */
	json_t *doc;
	struct jurisdiction *jur;
};

struct ruleset {
	atomic_int refs;          /* rules_share() adds one; rules_free() drops one */
	char *dir;
	struct jurisdiction *jur; /* general first, then by file name */
	size_t n_jur;
	struct rule **rules;
	size_t n_rules, cap_rules;
	int precedence[action__COUNT];
	int rank[EFFECT__COUNT];
};

/* ---- freeing ---------------------------------------------------------- */

static int is_list(enum param_type t)
{
	return t == PT_COUNTRIES || t == PT_STRINGS;
}

static void strlist_release(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void rule_free(struct rule *r)
{
	if (!r)
		return;
	for (int i = 0;
	     r->spec && r->param && i < RULE_MAX_PARAMS && r->spec->params[i].name; i++)
		if (is_list(r->spec->params[i].type))
			strlist_release(&r->param[i].list);
	free(r->param);
	json_decref(r->doc);
	free(r->id);
	free(r->jurisdiction);
	free(r->file);
	free(r->citation);
	free(r->summary);
	free(r->text);
	free(r);
}

static void jurisdiction_release(struct jurisdiction *j)
{
	free(j->id);
	free(j->name);
	free(j->file);
	for (size_t i = 0; i < j->n_countries; i++)
		free(j->countries[i]);
	free(j->countries);
}

struct ruleset *rules_share(struct ruleset *rs)
{
	if (rs)
		atomic_fetch_add(&rs->refs, 1);
	return rs;
}

void rules_free(struct ruleset *rs)
{
	if (!rs || atomic_fetch_sub(&rs->refs, 1) > 1)
		return;
	for (size_t i = 0; i < rs->n_rules; i++)
		rule_free(rs->rules[i]);
	free(rs->rules);
	for (size_t i = 0; i < rs->n_jur; i++)
		jurisdiction_release(&rs->jur[i]);
	free(rs->jur);
	free(rs->dir);
	free(rs);
}

/* ---- reading files ---------------------------------------------------- */

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n > m && strcmp(s + n - m, suffix) == 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.json names in dir, sorted. */
static int list_files(const char *dir, char ***names, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t cap = 0;
	*names = NULL;
	*n = 0;
	if (!d)
		return err_set(errno == ENOENT ? E_NOTFOUND : E_IO,
			       "cannot open rules directory '%s': %s", dir,
			       strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || !has_suffix(e->d_name, ".json"))
			continue;
		if (*n == RULES_MAX_FILES) {
			closedir(d);
			return err_set(E_INVALID,
				       "rules directory '%s': more than %d files", dir,
				       RULES_MAX_FILES);
		}
		*names = xgrow(*names, &cap, *n + 1, sizeof(**names));
		(*names)[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (*n == 0)
		return err_set(E_INVALID, "rules directory '%s' has no *.json files",
			       dir);
	qsort(*names, *n, sizeof(**names), name_cmp);
	return 0;
}

static int read_doc(struct rfile *f)
{
	struct buf b;
	FILE *fp = fopen(f->path, "rb");
	int rc;
	if (!fp)
		return err_set(E_IO, "cannot open '%s': %s", f->path, strerror(errno));
	buf_init(&b, RULES_MAX_FILE);
	rc = buf_read_file(&b, fp, f->path);
	fclose(fp);
	if (rc == 0) {
		rc = jsonv_decode(b.ptr, b.len, RULES_MAX_FILE, &f->doc);
		if (rc < 0)
			err_prefix("%s", f->path);
	}
	buf_release(&b);
	return rc;
}

/* ---- file headers ----------------------------------------------------- */

static const struct jsonv_key file_keys[] = {{"jurisdiction", ALL}, {"name", ALL},
					     {"countries", ALL},    {"precedence", ALL},
					     {"rules", ALL},	    {NULL, 0}};

static int id_ok(const char *s)
{
	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
		return -1;
	for (; *s; s++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789_-",
			    *s))
			return -1;
	return 0;
}

static int is_general(const struct jurisdiction *j)
{
	return strcmp(j->id, "general") == 0;
}

static int is_default(const struct jurisdiction *j)
{
	return strcmp(j->id, "default") == 0;
}

/* A country claimed by an earlier jurisdiction, or NULL. */
static const struct jurisdiction *country_owner(const struct ruleset *rs, const char *cc)
{
	for (size_t i = 0; i < rs->n_jur; i++)
		for (size_t k = 0; k < rs->jur[i].n_countries; k++)
			if (strcmp(rs->jur[i].countries[k], cc) == 0)
				return &rs->jur[i];
	return NULL;
}

static int parse_countries(struct ruleset *rs, const json_t *doc, struct jurisdiction *j)
{
	char path[JSONV_PATH_MAX];
	json_t *a;
	int rc = jsonv_array(doc, "", "countries", REQ, 300, &a);
	if (rc < 0)
		return rc;
	int bare = is_general(j) || is_default(j);
	if (bare && json_array_size(a) > 0)
		return jsonv_err("", "countries", "must be empty for jurisdiction '%s'",
				 j->id);
	if (!bare && json_array_size(a) == 0)
		return jsonv_err("", "countries", "must name at least one country");
	j->countries = xcalloc(json_array_size(a) + 1, sizeof(*j->countries));
	for (size_t i = 0; i < json_array_size(a); i++) {
		const char *cc;
		jsonv_index(path, "", "countries", i);
		if ((rc = jsonv_str_value(json_array_get(a, i), path, 0, 2, &cc)) < 0)
			return rc;
		if (!country_valid(cc))
			return jsonv_err(path, NULL, "unknown country code '%s'", cc);
		const struct jurisdiction *o = country_owner(rs, cc);
		if (o)
			return jsonv_err(path, NULL,
					 "'%s' is already in jurisdiction '%s' (%s)", cc,
					 o->id, o->file);
		j->countries[j->n_countries++] = xstrdup(cc);
	}
	return 0;
}

/* general.json's "precedence": every action exactly once, strongest first. */
static int parse_precedence(struct ruleset *rs, const json_t *doc, int general)
{
	char path[JSONV_PATH_MAX];
	unsigned seen = 0;
	json_t *a;
	int rc = jsonv_array(doc, "", "precedence", general ? REQ : 0, action__COUNT, &a);
	if (rc <= 0)
		return rc;
	if (!general)
		return jsonv_err("", "precedence", "belongs in general.json only");
	if (json_array_size(a) != action__COUNT)
		return jsonv_err("", "precedence",
				 "must list each of the %d actions once", action__COUNT);
	for (size_t i = 0; i < json_array_size(a); i++) {
		int act;
		jsonv_index(path, "", "precedence", i);
		if ((rc = jsonv_enum_value(json_array_get(a, i), path, action_parse,
					   "action", &act)) < 0)
			return rc;
		if (seen & (1u << act))
			return jsonv_err(path, NULL, "repeats '%s'", action_str(act));
		seen |= 1u << act;
		rs->precedence[i] = act;
		rs->rank[act] = (int)(action__COUNT - i);
	}
	rs->rank[EFFECT_FLAG] = 0;
	return 0;
}

static int parse_header(struct ruleset *rs, struct rfile *f)
{
	struct jurisdiction *j = &rs->jur[rs->n_jur];
	int rc;
	if (rs->n_jur == RULES_MAX_JURISDICTIONS)
		return err_set(E_INVALID, "%s: more than %d jurisdictions", f->path,
			       RULES_MAX_JURISDICTIONS);
	memset(j, 0, sizeof(*j));
	j->file = xstrdup(f->name);
	rc = jsonv_check_keys(f->doc, "", file_keys, ALL);
	if (rc == 0 && (rc = jsonv_str_syntax(f->doc, "", "jurisdiction", REQ, 32, id_ok,
					      "jurisdiction id", &j->id)) > 0)
		rc = jsonv_str(f->doc, "", "name", REQ, RULE_MAX_SHORT, &j->name);
	if (rc >= 0)
		for (size_t i = 0; i < rs->n_jur; i++)
			if (strcmp(rs->jur[i].id, j->id) == 0)
				rc = jsonv_err("", "jurisdiction",
					       "'%s' is also defined in %s", j->id,
					       rs->jur[i].file);
	if (rc >= 0)
		rc = parse_countries(rs, f->doc, j);
	if (rc >= 0)
		rc = parse_precedence(rs, f->doc, is_general(j));
	if (rc < 0) {
		jurisdiction_release(j);
		err_prefix("%s", f->path);
		return rc;
	}
	j->index = (int)rs->n_jur++;
	f->jur = j;
	return 0;
}

/* general first, then the rest by file name (files arrive sorted). */
static void order_jurisdictions(struct ruleset *rs, struct rfile *files, size_t n)
{
	for (size_t i = 0; i < rs->n_jur; i++) {
		if (!is_general(&rs->jur[i]) || i == 0)
			continue;
		struct jurisdiction g = rs->jur[i];
		memmove(&rs->jur[1], &rs->jur[0], i * sizeof(rs->jur[0]));
		rs->jur[0] = g;
	}
	for (size_t i = 0; i < rs->n_jur; i++)
		rs->jur[i].index = (int)i;
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < rs->n_jur; i++)
			if (strcmp(rs->jur[i].file, files[k].name) == 0)
				files[k].jur = &rs->jur[i];
}

/* ---- rules ------------------------------------------------------------ */

static const struct jsonv_key rule_keys[] = {
    {"id", ALL},	 {"jurisdiction", ALL}, {"citation", ALL}, {"summary", ALL},
    {"text", ALL},	 {"effect", ALL},	{"policy", ALL},   {"check", ALL},
    {"applies_in", ALL}, {"governs", ALL},	{"params", ALL},   {NULL, 0}};

/* Rule ids look like those of LEGAL-RULES.md: US-CONTENT-WARRANT. */
static int rule_id_ok(const char *s)
{
	const char *p = s;
	int dashes = 0;
	while (*p >= 'A' && *p <= 'Z')
		p++;
	if (p == s)
		return -1;
	while (*p == '-') {
		const char *q = ++p;
		while ((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
			p++;
		if (p == q)
			return -1;
		dashes++;
	}
	return *p || !dashes ? -1 : 0;
}

static int parse_applies_in(const struct ruleset *rs, const json_t *o, struct rule *r)
{
	char el[JSONV_PATH_MAX];
	json_t *a;
	int rc = jsonv_array(o, "", "applies_in", REQ, RULES_MAX_JURISDICTIONS, &a);
	if (rc < 0)
		return rc;
	if (json_array_size(a) == 0)
		return jsonv_err("", "applies_in", "must name a jurisdiction or \"*\"");
	for (size_t i = 0; i < json_array_size(a); i++) {
		const char *s;
		jsonv_index(el, "", "applies_in", i);
		if ((rc = jsonv_str_value(json_array_get(a, i), el, 0, 32, &s)) < 0)
			return rc;
		if (strcmp(s, "*") == 0 && json_array_size(a) == 1) {
			r->applies_in = ~0u;
			continue;
		}
		const struct jurisdiction *j = rules_jurisdiction_find(rs, s);
		if (!j)
			return jsonv_err(el, NULL, "unknown jurisdiction '%s'%s", s,
					 strcmp(s, "*") == 0 ? " (\"*\" must stand alone)"
							     : "");
		if (r->applies_in & (1u << j->index))
			return jsonv_err(el, NULL, "repeats '%s'", s);
		r->applies_in |= 1u << j->index;
	}
	return 0;
}

static int parse_governs(const json_t *o, struct rule *r)
{
	json_t *a, *first;
	int rc =
	    jsonv_array(o, "", "governs", r->spec->governs ? REQ : 0, process__COUNT, &a);
	if (rc <= 0)
		return rc;
	if (!r->spec->governs)
		return jsonv_err("", "governs", "this rule does not govern processes");
	if (json_array_size(a) == 0)
		return jsonv_err("", "governs", "must name a process or \"*\"");
	first = json_array_get(a, 0);
	if (json_array_size(a) == 1 && json_is_string(first) &&
	    strcmp(json_string_value(first), "*") == 0) {
		r->governs_rest = 1;
		return 0;
	}
	return rules_parse_bits(a, "governs", process_parse, "process", &r->governs);
}

static int parse_text_fields(const json_t *o, struct rule *r)
{
	int rc;
	if ((rc = jsonv_str(o, "", "citation", REQ, RULE_MAX_SHORT, &r->citation)) < 0 ||
	    (rc = jsonv_str(o, "", "summary", REQ, RULE_MAX_SHORT, &r->summary)) < 0 ||
	    (rc = jsonv_str(o, "", "text", REQ | JSONV_TEXT, RULE_MAX_TEXT, &r->text)) <
		0 ||
	    (rc = jsonv_bool(o, "", "policy", REQ, &r->policy)) < 0 ||
	    (rc = jsonv_bool(o, "", "check", REQ, &r->check)) < 0)
		return rc;
	return 0;
}

static int parse_rule_body(const struct ruleset *rs, const struct rfile *f,
			   const json_t *o, struct rule *r)
{
	const struct rule *dup = rules_find(rs, r->id);
	int rc;
	if (dup)
		return err_set(E_INVALID, "also defined in %s", dup->file);
	if (!(r->spec = rule_spec_find(r->id)))
		return err_set(E_INVALID, "docket implements no rule with this id");
	if ((rc = jsonv_check_keys(o, "", rule_keys, ALL)) < 0 ||
	    (rc = jsonv_str(o, "", "jurisdiction", REQ, 32, &r->jurisdiction)) < 0)
		return rc;
	if (strcmp(r->jurisdiction, f->jur->id) != 0)
		return jsonv_err("", "jurisdiction", "'%s', but %s is jurisdiction '%s'",
				 r->jurisdiction, f->name, f->jur->id);
	if ((rc = parse_text_fields(o, r)) < 0 ||
	    (rc = rules_parse_effect(o, "", "effect", r->spec->effects, &r->effect)) <
		0 ||
	    (rc = parse_applies_in(rs, o, r)) < 0 || (rc = parse_governs(o, r)) < 0)
		return rc;
	return rules_parse_params(o, r);
}

static int parse_rule(struct ruleset *rs, const struct rfile *f, const json_t *o,
		      size_t index)
{
	char path[JSONV_PATH_MAX];
	struct rule *r = xcalloc(1, sizeof(*r));
	int rc;
	jsonv_index(path, "", "rules", index);
	r->file = xstrdup(f->name);
	r->doc = json_incref((json_t *)o);
	if (!json_is_object(o))
		rc = jsonv_err(path, NULL, "must be an object");
	else
		rc = jsonv_str_syntax(o, path, "id", REQ, 64, rule_id_ok, "rule id",
				      &r->id);
	if (rc < 0) {
		rule_free(r);
		err_prefix("%s", f->path);
		return rc;
	}
	if ((rc = parse_rule_body(rs, f, o, r)) < 0) {
		err_prefix("%s: rule '%s'", f->path, r->id);
		rule_free(r);
		return rc;
	}
	rs->rules = xgrow(rs->rules, &rs->cap_rules, rs->n_rules + 1, sizeof(*rs->rules));
	rs->rules[rs->n_rules++] = r;
	return 0;
}

static int parse_rules(struct ruleset *rs, const struct rfile *f)
{
	json_t *a;
	int rc = jsonv_array(f->doc, "", "rules", REQ, 1000, &a);
	if (rc < 0) {
		err_prefix("%s", f->path);
		return rc;
	}
	for (size_t i = 0; i < json_array_size(a); i++)
		if ((rc = parse_rule(rs, f, json_array_get(a, i), i)) < 0)
			return rc;
	return 0;
}

/* ---- the whole set ---------------------------------------------------- */

static int check_jurisdictions(const struct ruleset *rs)
{
	if (!rules_jurisdiction_find(rs, "general"))
		return err_set(E_INVALID,
			       "rules directory '%s': no general.json "
			       "(jurisdiction 'general')",
			       rs->dir);
	if (!rules_jurisdiction_find(rs, "default"))
		return err_set(E_INVALID,
			       "rules directory '%s': no jurisdiction "
			       "'default' (default.json)",
			       rs->dir);
	return 0;
}

static int check_complete(const struct ruleset *rs)
{
	for (size_t i = 0; i < rule_spec_count; i++)
		if (!rules_find(rs, rule_specs[i].id))
			return err_set(
			    E_INVALID,
			    "rules directory '%s': rule '%s' is not defined in "
			    "any file",
			    rs->dir, rule_specs[i].id);
	return 0;
}

static void files_release(struct rfile *files, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(files[i].name);
		free(files[i].path);
		json_decref(files[i].doc);
	}
	free(files);
}

static int load_files(struct ruleset *rs, struct rfile *files, size_t n)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++)
		if ((rc = read_doc(&files[i])) == 0)
			rc = parse_header(rs, &files[i]);
	if (rc < 0)
		return rc;
	order_jurisdictions(rs, files, n);
	if ((rc = check_jurisdictions(rs)) < 0)
		return rc;
	for (size_t j = 0; j < rs->n_jur; j++)
		for (size_t i = 0; i < n; i++)
			if (files[i].jur == &rs->jur[j] &&
			    (rc = parse_rules(rs, &files[i])) < 0)
				return rc;
	return check_complete(rs);
}

int rules_load(const char *dir, struct ruleset **out)
{
	struct ruleset *rs;
	struct rfile *files;
	char **names;
	size_t n;
	int rc;
	*out = NULL;
	if (!dir)
		dir = DOCKET_RULES_DIR;
	if ((rc = list_files(dir, &names, &n)) < 0) {
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
		return rc;
	}
	rs = xcalloc(1, sizeof(*rs));
	atomic_init(&rs->refs, 1);
	rs->dir = xstrdup(dir);
	rs->jur = xcalloc(n, sizeof(*rs->jur));
	files = xcalloc(n, sizeof(*files));
	for (size_t i = 0; i < n; i++) {
		files[i].name = names[i]; /* transferred */
		files[i].path = xasprintf("%s/%s", dir, names[i]);
	}
	free(names);
	rc = load_files(rs, files, n);
	files_release(files, n);
	if (rc < 0) {
		rules_free(rs);
		return rc;
	}
	*out = rs;
	return 0;
}

/* ---- queries ---------------------------------------------------------- */

const char *rules_dir(const struct ruleset *rs)
{
	return rs->dir;
}

size_t rules_count(const struct ruleset *rs)
{
	return rs->n_rules;
}

const struct rule *rules_at(const struct ruleset *rs, size_t i)
{
	return i < rs->n_rules ? rs->rules[i] : NULL;
}

const struct rule *rules_find(const struct ruleset *rs, const char *id)
{
	for (size_t i = 0; id && i < rs->n_rules; i++)
		if (strcmp(rs->rules[i]->id, id) == 0)
			return rs->rules[i];
	return NULL;
}

size_t rules_jurisdiction_count(const struct ruleset *rs)
{
	return rs->n_jur;
}

const struct jurisdiction *rules_jurisdiction_at(const struct ruleset *rs, size_t i)
{
	return i < rs->n_jur ? &rs->jur[i] : NULL;
}

const struct jurisdiction *rules_jurisdiction_find(const struct ruleset *rs,
						   const char *id)
{
	for (size_t i = 0; i < rs->n_jur; i++)
		if (strcmp(rs->jur[i].id, id) == 0)
			return &rs->jur[i];
	return NULL;
}

const struct jurisdiction *rules_jurisdiction_for(const struct ruleset *rs,
						  const char *country)
{
	const struct jurisdiction *j = country ? country_owner(rs, country) : NULL;
	return j ? j : rules_jurisdiction_find(rs, "default");
}

int rule_applies_in(const struct rule *r, const struct jurisdiction *j)
{
	return (r->applies_in & (1u << j->index)) != 0;
}

int rule_applies_everywhere(const struct rule *r)
{
	return r->applies_in == ~0u;
}

int rules_rank(const struct ruleset *rs, int effect)
{
	return effect >= 0 && effect < EFFECT__COUNT ? rs->rank[effect] : 0;
}

const int *rules_precedence(const struct ruleset *rs)
{
	return rs->precedence;
}

json_t *rule_to_json(const struct rule *r)
{
	json_t *o = json_deep_copy(r->doc);
	json_object_set_new(o, "file", json_string(r->file));
	return o;
}

int rule_param_int(const struct rule *r, const char *name, int64_t *out)
{
	int i = rule_spec_param_index(r->spec, name);
	if (i < 0 || r->spec->params[i].type != PT_INT)
		return err_set(E_NOTFOUND, "rule '%s' has no integer parameter '%s'",
			       r->id, name);
	*out = r->param[i].i;
	return 0;
}
