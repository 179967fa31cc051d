/*
 * agency.c - the agency document of SPEC §2 (one line of `agency import`):
 * strict parsing and its JSON form.
 *
 * `domains` are the e-mail domains verified for the agency; requester
 * addresses are checked against them, so they are stored lower-case and must
 * be syntactically valid host names.  `phone` is the independently sourced
 * call-back number.
 */
#include <stdlib.h>

#include "base/err.h"
#include "base/util.h"
#include "model/jsonv.h"
#include "model/model.h"

#define ALL JSONV_ALL_MODES
#define REQ JSONV_REQUIRED

static const struct jsonv_key agency_keys[] = {
    {"id", ALL},      {"name", ALL},  {"country", ALL}, {"type", ALL},
    {"domains", ALL}, {"phone", ALL}, {NULL, 0},
};

static int parse_identity(const json_t *d, struct agency *a)
{
	int v, rc;
	if ((rc = jsonv_str_syntax(d, "", "id", JSONV_REQUIRED, MODEL_MAX_SHORT,
				   jsonv_id_ok, "agency id", &a->id)) < 0 ||
	    (rc = jsonv_str(d, "", "name", REQ, MODEL_MAX_SHORT, &a->name)) < 0 ||
	    (rc = jsonv_country(d, "", "country", JSONV_REQUIRED, a->country)) < 0 ||
	    (rc = jsonv_enum(d, "", "type", JSONV_REQUIRED, agency_type_parse,
			     "agency type", &v)) < 0)
		return rc;
	a->type = (enum agency_type)v;
	rc = jsonv_str_syntax(d, "", "phone", 0, MODEL_MAX_SHORT, jsonv_phone_ok,
			      "phone number", &a->phone);
	return rc < 0 ? rc : 0;
}

/* One domain, lower-cased into a new string. */
static int parse_domain(const json_t *v, const char *path, char **out)
{
	const char *s;
	char *low;
	int rc = jsonv_str_value(v, path, 0, MODEL_MAX_SHORT, &s);
	if (rc < 0)
		return rc;
	low = xstrdup(s);
	for (char *p = low; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (jsonv_hostname_ok(low) < 0) {
		free(low);
		return jsonv_err(path, NULL, "'%s' is not a valid domain name", s);
	}
	*out = low;
	return 0;
}

static int parse_domains(const json_t *d, struct agency *ag)
{
	char path[JSONV_PATH_MAX];
	json_t *a;
	int rc = jsonv_array(d, "", "domains", JSONV_REQUIRED, MODEL_MAX_DOMAINS, &a);
	if (rc < 0)
		return rc;
	ag->domains = xcalloc(json_array_size(a), sizeof(*ag->domains));
	for (size_t i = 0; i < json_array_size(a); i++) {
		jsonv_index(path, "", "domains", i);
		if ((rc = parse_domain(json_array_get(a, i), path, &ag->domains[i])) < 0)
			return rc;
		ag->n_domains = i + 1;
		for (size_t j = 0; j < i; j++)
			if (strcmp(ag->domains[j], ag->domains[i]) == 0)
				return jsonv_err(path, NULL, "repeats domain '%s'",
						 ag->domains[i]);
	}
	return 0;
}

int agency_parse(const char *text, size_t len, struct agency *out)
{
	json_t *d;
	int rc;
	memset(out, 0, sizeof(*out));
	if ((rc = jsonv_decode(text, len, MODEL_MAX_DOC, &d)) < 0)
		return rc;
	if ((rc = jsonv_check_keys(d, "", agency_keys, ALL)) < 0 ||
	    (rc = parse_identity(d, out)) < 0 || (rc = parse_domains(d, out)) < 0)
		agency_release(out);
	json_decref(d);
	return rc < 0 ? rc : 0;
}

json_t *agency_to_json(const struct agency *a)
{
	json_t *o = json_object(), *domains = json_array();
	jsonv_set_str(o, "id", a->id);
	jsonv_set_str(o, "name", a->name);
	jsonv_set_str(o, "country", a->country);
	json_object_set_new(o, "type", json_string(agency_type_str(a->type)));
	for (size_t i = 0; i < a->n_domains; i++)
		json_array_append_new(domains, json_string(a->domains[i]));
	json_object_set_new(o, "domains", domains);
	jsonv_set_str(o, "phone", a->phone);
	return o;
}

void agency_release(struct agency *a)
{
	free(a->id);
	free(a->name);
	for (size_t i = 0; i < a->n_domains; i++)
		free(a->domains[i]);
	free(a->domains);
	free(a->phone);
	memset(a, 0, sizeof(*a));
}
