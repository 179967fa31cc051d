/*
 * customer.c - the customer document of SPEC §2 (one line of
 * `customer import`): strict parsing and its JSON form.
 *
 * Defaults: key_custody "provider", us_person false, data_location the
 * customer's country.  customer_to_json() always writes every field, so its
 * output parses back to an equal customer.
 */
#include <arpa/inet.h>
#include <stdlib.h>

#include <sodium.h>

#include "base/err.h"
#include "base/util.h"
#include "model/jsonv.h"
#include "model/model.h"
#include "model/normalize.h"

#define ALL JSONV_ALL_MODES
#define REQ JSONV_REQUIRED
#define PUBLIC_KEY_BYTES 32

static const struct jsonv_key customer_keys[] = {
    {"id", ALL},
    {"name", ALL},
    {"type", ALL},
    {"country", ALL},
    {"data_location", ALL},
    {"us_person", ALL},
    {"contact", ALL},
    {"key_custody", ALL},
    {"public_key", ALL},
    {"accounts", ALL},
    {NULL, 0},
};
static const struct jsonv_key contact_keys[] = {{"email", ALL}, {"name", ALL}, {NULL, 0}};
static const struct jsonv_key account_keys[] = {{"type", ALL}, {"value", ALL}, {NULL, 0}};

/* id, name, type, country, data_location, us_person. */
static int parse_identity(const json_t *d, struct customer *c)
{
	int v, rc;
	if ((rc = jsonv_str_syntax(d, "", "id", JSONV_REQUIRED, MODEL_MAX_SHORT,
				   jsonv_id_ok, "customer id", &c->id)) < 0 ||
	    (rc = jsonv_str(d, "", "name", REQ, MODEL_MAX_SHORT, &c->name)) < 0 ||
	    (rc = jsonv_enum(d, "", "type", JSONV_REQUIRED, customer_type_parse,
			     "customer type", &v)) < 0)
		return rc;
	c->type = (enum customer_type)v;
	if ((rc = jsonv_country(d, "", "country", JSONV_REQUIRED, c->country)) < 0 ||
	    (rc = jsonv_country(d, "", "data_location", 0, c->data_location)) < 0)
		return rc;
	if (rc == 0)
		memcpy(c->data_location, c->country, sizeof(c->data_location));
	rc = jsonv_bool(d, "", "us_person", 0, &c->us_person);
	return rc < 0 ? rc : 0;
}

static int parse_contact(const json_t *d, struct customer *c)
{
	json_t *o;
	int rc;
	if ((rc = jsonv_object(d, "", "contact", REQ, contact_keys, ALL, &o)) < 0)
		return rc;
	rc = jsonv_str_syntax(o, "contact", "email", REQ, MODEL_MAX_SHORT, jsonv_email_ok,
			      "e-mail address", &c->contact_email);
	if (rc < 0)
		return rc;
	rc = jsonv_str(o, "contact", "name", 0, MODEL_MAX_SHORT, &c->contact_name);
	return rc < 0 ? rc : 0;
}

/* Decode base64 to exactly 32 bytes and keep its canonical spelling. */
static int public_key_canon(char **key)
{
	unsigned char bin[PUBLIC_KEY_BYTES + 1];
	char b64[sodium_base64_ENCODED_LEN(PUBLIC_KEY_BYTES,
					   sodium_base64_VARIANT_ORIGINAL)];
	size_t n = 0;
	const char *end = NULL;
	if (sodium_base642bin(bin, sizeof(bin), *key, strlen(*key), NULL, &n, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    *end != '\0' || n != PUBLIC_KEY_BYTES)
		return -1;
	sodium_bin2base64(b64, sizeof(b64), bin, n, sodium_base64_VARIANT_ORIGINAL);
	free(*key);
	*key = xstrdup(b64);
	return 0;
}

/* key_custody and public_key: the key is required exactly when the
 * customer holds its keys (content is sealed to it, SPEC §8). */
static int parse_keys(const json_t *d, struct customer *c)
{
	int v = CUSTODY_PROVIDER, rc;
	if ((rc = jsonv_enum(d, "", "key_custody", 0, key_custody_parse, "key custody",
			     &v)) < 0)
		return rc;
	c->key_custody = (enum key_custody)v;
	rc = jsonv_str(d, "", "public_key", 0, MODEL_MAX_SHORT, &c->public_key);
	if (rc < 0)
		return rc;
	if (c->key_custody == CUSTODY_CUSTOMER && !c->public_key)
		return jsonv_err("", "public_key",
				 "required when key_custody is 'customer'");
	if (c->key_custody != CUSTODY_CUSTOMER && c->public_key)
		return jsonv_err("", "public_key",
				 "only allowed when key_custody is 'customer'");
	if (c->public_key && public_key_canon(&c->public_key) < 0)
		return jsonv_err("", "public_key", "must be the base64 of %d bytes",
				 PUBLIC_KEY_BYTES);
	return 0;
}

static int ip_ok(const char *s)
{
	unsigned char addr[16];
	return inet_pton(AF_INET, s, addr) == 1 || inet_pton(AF_INET6, s, addr) == 1 ? 0
										     : -1;
}

static int parse_account(const json_t *e, const char *path, struct account *a)
{
	int v, rc;
	if ((rc = jsonv_object_value(e, path, account_keys, ALL)) < 0 ||
	    (rc = jsonv_enum(e, path, "type", JSONV_REQUIRED, target_type_parse,
			     "account type", &v)) < 0)
		return rc;
	a->type = (enum target_type)v;
	if (a->type == TGT_EMAIL)
		rc = jsonv_str_syntax(e, path, "value", JSONV_REQUIRED, MODEL_MAX_SHORT,
				      jsonv_email_ok, "e-mail address", &a->value);
	else if (a->type == TGT_IP)
		rc = jsonv_str_syntax(e, path, "value", JSONV_REQUIRED, MODEL_MAX_SHORT,
				      ip_ok, "ip address", &a->value);
	else
		rc = jsonv_str(e, path, "value", JSONV_REQUIRED, MODEL_MAX_SHORT,
			       &a->value);
	if (rc < 0)
		return rc;
	/* SPEC §3: accounts are kept in normal form, so a target spelt another
	 * way resolves to them */
	char out[NORMALIZE_MAX];
	if (normalize_target(a->type, a->value, out, sizeof(out)) == 0 &&
	    !str_eq(out, a->value)) {
		if (!out[0])   /* only blanks: nothing to resolve a target to */
			return jsonv_err(path, "value", "must not be empty");
		free(a->value);
		a->value = xstrdup(out);
	}
	return 0;
}

static int accounts_distinct(const struct customer *c)
{
	struct jsonv_pair *items = xcalloc(c->n_accounts, sizeof(*items));
	char path[JSONV_PATH_MAX];
	long dup;
	for (size_t i = 0; i < c->n_accounts; i++)
		items[i] = (struct jsonv_pair){(int)c->accounts[i].type,
					       c->accounts[i].value, i};
	dup = jsonv_first_dup(items, c->n_accounts);
	free(items);
	if (dup < 0)
		return 0;
	jsonv_index(path, "", "accounts", (size_t)dup);
	return jsonv_err(path, NULL, "repeats an earlier account");
}

static int parse_accounts(const json_t *d, struct customer *c)
{
	char path[JSONV_PATH_MAX];
	json_t *a;
	int rc = jsonv_array(d, "", "accounts", JSONV_REQUIRED, MODEL_MAX_ACCOUNTS, &a);
	if (rc < 0)
		return rc;
	c->accounts = xcalloc(json_array_size(a), sizeof(*c->accounts));
	for (size_t i = 0; i < json_array_size(a); i++) {
		c->n_accounts = i + 1;
		jsonv_index(path, "", "accounts", i);
		if ((rc = parse_account(json_array_get(a, i), path, &c->accounts[i])) < 0)
			return rc;
	}
	return accounts_distinct(c);
}

int customer_parse(const char *text, size_t len, struct customer *out)
{
	json_t *d;
	int rc;
	memset(out, 0, sizeof(*out));
	if ((rc = jsonv_decode(text, len, MODEL_MAX_DOC, &d)) < 0)
		return rc;
	if ((rc = jsonv_check_keys(d, "", customer_keys, ALL)) < 0 ||
	    (rc = parse_identity(d, out)) < 0 || (rc = parse_contact(d, out)) < 0 ||
	    (rc = parse_keys(d, out)) < 0 || (rc = parse_accounts(d, out)) < 0)
		customer_release(out);
	json_decref(d);
	return rc < 0 ? rc : 0;
}

static json_t *accounts_json(const struct customer *c)
{
	json_t *a = json_array();
	for (size_t i = 0; i < c->n_accounts; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "type",
				    json_string(target_type_str(c->accounts[i].type)));
		jsonv_set_str(o, "value", c->accounts[i].value);
		json_array_append_new(a, o);
	}
	return a;
}

json_t *customer_to_json(const struct customer *c)
{
	json_t *o = json_object(), *contact = json_object();
	jsonv_set_str(o, "id", c->id);
	jsonv_set_str(o, "name", c->name);
	json_object_set_new(o, "type", json_string(customer_type_str(c->type)));
	jsonv_set_str(o, "country", c->country);
	jsonv_set_str(o, "data_location", c->data_location);
	json_object_set_new(o, "us_person", json_boolean(c->us_person));
	jsonv_set_str(contact, "email", c->contact_email);
	jsonv_set_str(contact, "name", c->contact_name);
	json_object_set_new(o, "contact", contact);
	json_object_set_new(o, "key_custody",
			    json_string(key_custody_str(c->key_custody)));
	jsonv_set_str(o, "public_key", c->public_key);
	json_object_set_new(o, "accounts", accounts_json(c));
	return o;
}

void customer_release(struct customer *c)
{
	free(c->id);
	free(c->name);
	free(c->contact_email);
	free(c->contact_name);
	free(c->public_key);
	for (size_t i = 0; i < c->n_accounts; i++)
		free(c->accounts[i].value);
	free(c->accounts);
	memset(c, 0, sizeof(*c));
}
