/*
 * request.c - the request document of SPEC §3: strict parsing and its JSON
 * form.
 *
 * A document is read by a table of steps (request_steps[]), each reading
 * one group of fields, in the order SPEC §3 lists them, so the first error
 * a user sees is the first wrong field.  Which top-level fields a mode
 * accepts is one table (request_keys[]).  request_to_json() writes the same
 * fields back, omitting absent ones, so that parsing its output gives an
 * equal request.
 */
#include <stdlib.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"
#include "model/jsonv.h"
#include "model/model.h"

#define REQ JSONV_REQUIRED
#define MODE_BIT(m) (1u << (m))
#define ALL JSONV_ALL_MODES
#define IMPORTS (MODE_BIT(REQUEST_HISTORICAL) | MODE_BIT(REQUEST_STORED))

/* SPEC §3, plus the historical-import fields of SPEC §9. */
static const struct jsonv_key request_keys[] = {
    {"ref", ALL},	  {"received_at", ALL},
    {"channel", ALL},	  {"agency", ALL},
    {"requester", ALL},	  {"kind", ALL},
    {"process", ALL},	  {"issued_by", ALL},
    {"signed", ALL},	  {"targets", ALL},
    {"categories", ALL},  {"date_range", ALL},
    {"ndo", ALL},	  {"emergency", ALL},
    {"due_at", ALL},	  {"documents", ALL},
    {"outcome", IMPORTS}, {"closed_at", IMPORTS},
    {"country", IMPORTS}, {NULL, 0},
};

static const struct jsonv_key requester_keys[] = {
    {"name", ALL}, {"email", ALL}, {"phone", ALL}, {NULL, 0}};
static const struct jsonv_key issuer_keys[] = {
    {"type", ALL}, {"name", ALL}, {"judge", ALL}, {NULL, 0}};
static const struct jsonv_key target_keys[] = {{"type", ALL}, {"value", ALL}, {NULL, 0}};
static const struct jsonv_key range_keys[] = {{"from", ALL}, {"to", ALL}, {NULL, 0}};
static const struct jsonv_key ndo_keys[] = {
    {"statute", ALL}, {"issued_at", ALL}, {"expires_at", ALL}, {NULL, 0}};
static const struct jsonv_key emergency_keys[] = {
    {"justification", ALL}, {"supervisor", ALL}, {NULL, 0}};
static const struct jsonv_key supervisor_keys[] = {
    {"name", ALL}, {"phone", ALL}, {NULL, 0}};
static const struct jsonv_key document_keys[] = {
    {"name", ALL}, {"sha256", ALL}, {NULL, 0}};

struct rctx {
	enum request_mode mode;
	int64_t now;
};

/* ---- small field readers ---------------------------------------------- */

static int short_str(const json_t *o, const char *path, const char *key, unsigned flags,
		     char **out)
{
	return jsonv_str(o, path, key, flags, MODEL_MAX_SHORT, out);
}

static int phone_str(const json_t *o, const char *path, const char *key, unsigned flags,
		     char **out)
{
	return jsonv_str_syntax(o, path, key, flags, MODEL_MAX_SHORT, jsonv_phone_ok,
				"phone number", out);
}

/* ---- parsing steps ----------------------------------------------------- */

static int check_keys(const json_t *d, const struct rctx *c, struct request *r)
{
	(void)r;
	return jsonv_check_keys(d, "", request_keys, MODE_BIT(c->mode));
}

/* ref, received_at, channel, agency and (imports only) country. */
static int parse_ident(const json_t *d, const struct rctx *c, struct request *r)
{
	unsigned at_flags = c->mode == REQUEST_NEW ? 0 : JSONV_REQUIRED;
	int rc;
	if ((rc = short_str(d, "", "ref", JSONV_REQUIRED, &r->ref)) < 0 ||
	    (rc = jsonv_ts(d, "", "received_at", at_flags, &r->received_at)) < 0)
		return rc;
	if (rc == 0) {
		r->received_at.t = c->now;
		r->received_at.date_only = 0;
	}
	if ((rc = short_str(d, "", "channel", 0, &r->channel)) < 0 ||
	    (rc = jsonv_str_syntax(d, "", "agency", 0, MODEL_MAX_SHORT, jsonv_id_ok,
				   "agency id", &r->agency)) < 0 ||
	    (rc = jsonv_country(d, "", "country", 0, r->country)) < 0)
		return rc;
	if (r->agency)
		return 0;
	if (c->mode == REQUEST_NEW)
		return jsonv_err("", "agency", "required");
	if (!r->country[0])
		return jsonv_err("", "agency", "required when 'country' is absent");
	return 0;
}

static int parse_requester(const json_t *d, const struct rctx *c, struct request *r)
{
	struct party *p = &r->requester;
	json_t *o;
	int rc = jsonv_object(d, "", "requester", 0, requester_keys, ALL, &o);
	(void)c;
	if (rc <= 0)
		return rc;
	r->has_requester = 1;
	if ((rc = short_str(o, "requester", "name", 0, &p->name)) < 0 ||
	    (rc = jsonv_str_syntax(o, "requester", "email", JSONV_REQUIRED,
				   MODEL_MAX_SHORT, jsonv_email_ok, "e-mail address",
				   &p->email)) < 0 ||
	    (rc = phone_str(o, "requester", "phone", 0, &p->phone)) < 0)
		return rc;
	return 0;
}

static int parse_issuer(const json_t *d, struct request *r)
{
	json_t *o;
	int v, rc = jsonv_object(d, "", "issued_by", 0, issuer_keys, ALL, &o);
	if (rc <= 0)
		return rc;
	r->has_issued_by = 1;
	if ((rc = jsonv_enum(o, "issued_by", "type", JSONV_REQUIRED, issuer_type_parse,
			     "issuer type", &v)) < 0)
		return rc;
	r->issued_by.type = (enum issuer_type)v;
	if ((rc = short_str(o, "issued_by", "name", REQ, &r->issued_by.name)) < 0 ||
	    (rc = short_str(o, "issued_by", "judge", 0, &r->issued_by.judge)) < 0)
		return rc;
	return 0;
}

/* kind, process, issued_by, signed. */
static int parse_legal(const json_t *d, const struct rctx *c, struct request *r)
{
	int k, p, rc;
	(void)c;
	if ((rc = jsonv_enum(d, "", "kind", REQ, kind_parse, "kind", &k)) < 0 ||
	    (rc = jsonv_enum(d, "", "process", REQ, process_parse, "process", &p)) < 0)
		return rc;
	r->kind = (enum kind)k;
	r->process = (enum process)p;
	if ((rc = parse_issuer(d, r)) < 0 ||
	    (rc = jsonv_bool(d, "", "signed", 0, &r->is_signed)) < 0)
		return rc;
	r->has_signed = rc;
	return 0;
}

/* A wildcard or an empty-looking value is not a parse error: policy rejects
 * unspecific targets with a cited rule (GEN-TARGETS). */
static int parse_target(const json_t *t, const char *path, struct target *out)
{
	int v, rc;
	if ((rc = jsonv_object_value(t, path, target_keys, ALL)) < 0 ||
	    (rc = jsonv_enum(t, path, "type", JSONV_REQUIRED, target_type_parse,
			     "target type", &v)) < 0)
		return rc;
	out->type = (enum target_type)v;
	rc = short_str(t, path, "value", JSONV_REQUIRED, &out->value);
	return rc < 0 ? rc : 0;
}

static int targets_distinct(const struct request *r)
{
	struct jsonv_pair *items = xcalloc(r->n_targets, sizeof(*items));
	char path[JSONV_PATH_MAX];
	long dup;
	for (size_t i = 0; i < r->n_targets; i++)
		items[i] =
		    (struct jsonv_pair){(int)r->targets[i].type, r->targets[i].value, i};
	dup = jsonv_first_dup(items, r->n_targets);
	free(items);
	if (dup < 0)
		return 0;
	jsonv_index(path, "", "targets", (size_t)dup);
	return jsonv_err(path, NULL, "repeats an earlier target");
}

static int parse_targets(const json_t *d, const struct rctx *c, struct request *r)
{
	char path[JSONV_PATH_MAX];
	json_t *a;
	size_t n;
	int rc = jsonv_array(d, "", "targets", JSONV_REQUIRED, MODEL_MAX_TARGETS, &a);
	(void)c;
	if (rc < 0)
		return rc;
	n = json_array_size(a);
	r->targets = xcalloc(n, sizeof(*r->targets));
	for (size_t i = 0; i < n; i++) {
		r->n_targets = i + 1;
		jsonv_index(path, "", "targets", i);
		if ((rc = parse_target(json_array_get(a, i), path, &r->targets[i])) < 0)
			return rc;
	}
	return targets_distinct(r);
}

static int parse_categories(const json_t *d, const struct rctx *c, struct request *r)
{
	char path[JSONV_PATH_MAX];
	json_t *a;
	int v, rc = jsonv_array(d, "", "categories", JSONV_REQUIRED, 16, &a);
	(void)c;
	if (rc < 0)
		return rc;
	if (json_array_size(a) == 0)
		return jsonv_err("", "categories", "must not be empty");
	for (size_t i = 0; i < json_array_size(a); i++) {
		jsonv_index(path, "", "categories", i);
		if ((rc = jsonv_enum_value(json_array_get(a, i), path, category_parse,
					   "category", &v)) < 0)
			return rc;
		if (r->categories & CAT_BIT(v))
			return jsonv_err(path, NULL, "repeats category '%s'",
					 category_str(v));
		r->categories |= CAT_BIT(v);
	}
	return 0;
}

static int parse_date_range(const json_t *d, const struct rctx *c, struct request *r)
{
	json_t *o;
	int rc = jsonv_object(d, "", "date_range", 0, range_keys, ALL, &o);
	(void)c;
	if (rc <= 0)
		return rc;
	r->has_date_range = 1;
	if ((rc = jsonv_ts(o, "date_range", "from", JSONV_REQUIRED, &r->date_from)) < 0 ||
	    (rc = jsonv_ts(o, "date_range", "to", JSONV_REQUIRED, &r->date_to)) < 0)
		return rc;
	if (r->date_to.t < r->date_from.t)
		return jsonv_err("date_range", "to", "before date_range.from");
	return 0;
}

/* expires_at null or absent: an indefinite NDO (flagged by policy). */
static int parse_ndo(const json_t *d, const struct rctx *c, struct request *r)
{
	struct ndo *n = &r->ndo;
	json_t *o;
	int rc = jsonv_object(d, "", "ndo", 0, ndo_keys, ALL, &o);
	(void)c;
	if (rc <= 0)
		return rc;
	r->has_ndo = 1;
	if ((rc = short_str(o, "ndo", "statute", JSONV_REQUIRED, &n->statute)) < 0 ||
	    (rc = jsonv_ts(o, "ndo", "issued_at", JSONV_REQUIRED, &n->issued_at)) < 0 ||
	    (rc = jsonv_ts(o, "ndo", "expires_at", JSONV_NULLABLE, &n->expires_at)) < 0)
		return rc;
	n->has_expiry = rc;
	if (n->has_expiry && n->expires_at.t <= n->issued_at.t)
		return jsonv_err("ndo", "expires_at", "not after ndo.issued_at");
	return 0;
}

static int parse_emergency(const json_t *d, const struct rctx *c, struct request *r)
{
	struct party *s = &r->emergency_supervisor;
	json_t *o, *sup;
	int rc = jsonv_object(d, "", "emergency", 0, emergency_keys, ALL, &o);
	(void)c;
	if (rc <= 0)
		return rc;
	r->has_emergency = 1;
	/* Each part is optional here: a deficient emergency request is still a
	 * request the provider received and must answer; the policy says what
	 * is missing (US-EMERGENCY).  Malformed parts are still errors. */
	if ((rc = jsonv_str(o, "emergency", "justification", JSONV_TEXT, MODEL_MAX_STR,
			    &r->emergency_justification)) < 0 ||
	    (rc = jsonv_object(o, "emergency", "supervisor", 0, supervisor_keys, ALL,
			       &sup)) < 0)
		return rc;
	if (rc == 0)
		return 0;
	if ((rc = short_str(sup, "emergency.supervisor", "name", 0, &s->name)) < 0 ||
	    (rc = phone_str(sup, "emergency.supervisor", "phone", 0, &s->phone)) < 0)
		return rc;
	return 0;
}

static int sha256_field(const json_t *o, const char *path, char out[65])
{
	int rc = jsonv_strbuf(o, path, "sha256", JSONV_REQUIRED, out, 65);
	if (rc < 0)
		return rc;
	if (strlen(out) != 64 || strspn(out, "0123456789abcdefABCDEF") != 64)
		return jsonv_err(path, "sha256", "must be 64 hex digits");
	for (char *p = out; *p; p++)
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
	return 0;
}

static int parse_documents(const json_t *d, struct request *r)
{
	char path[JSONV_PATH_MAX];
	json_t *a;
	int rc = jsonv_array(d, "", "documents", 0, MODEL_MAX_DOCUMENTS, &a);
	if (rc <= 0)
		return rc;
	r->documents = xcalloc(json_array_size(a), sizeof(*r->documents));
	for (size_t i = 0; i < json_array_size(a); i++) {
		json_t *e = json_array_get(a, i);
		struct document *doc = &r->documents[i];
		r->n_documents = i + 1;
		jsonv_index(path, "", "documents", i);
		if ((rc = jsonv_object_value(e, path, document_keys, ALL)) < 0 ||
		    (rc = short_str(e, path, "name", JSONV_REQUIRED, &doc->name)) < 0 ||
		    (rc = sha256_field(e, path, doc->sha256)) < 0)
			return rc;
	}
	return 0;
}

/* due_at, documents. */
static int parse_papers(const json_t *d, const struct rctx *c, struct request *r)
{
	int rc;
	(void)c;
	if ((rc = jsonv_ts(d, "", "due_at", 0, &r->due_at)) < 0)
		return rc;
	r->has_due = rc;
	return parse_documents(d, r);
}

/* outcome and closed_at: required for a historical import (SPEC §9). */
static int parse_closing(const json_t *d, const struct rctx *c, struct request *r)
{
	unsigned flags = c->mode == REQUEST_HISTORICAL ? JSONV_REQUIRED : 0;
	int v, rc;
	if ((rc = jsonv_enum(d, "", "outcome", flags, outcome_parse, "outcome", &v)) < 0)
		return rc;
	r->outcome = rc ? (enum outcome)v : OUT_NONE;
	if ((rc = jsonv_ts(d, "", "closed_at", flags, &r->closed_at)) < 0)
		return rc;
	r->has_closed_at = rc;
	if (r->has_closed_at && r->closed_at.t < r->received_at.t)
		return jsonv_err("", "closed_at", "before received_at");
	return 0;
}

typedef int (*request_step)(const json_t *, const struct rctx *, struct request *);

static const request_step request_steps[] = {
    check_keys,	     parse_ident,      parse_requester,	 parse_legal,
    parse_targets,   parse_categories, parse_date_range, parse_ndo,
    parse_emergency, parse_papers,     parse_closing,
};

int request_from_json(json_t *obj, enum request_mode mode, int64_t now,
		      struct request *out)
{
	struct rctx c = {mode, now};
	int rc = 0;
	memset(out, 0, sizeof(*out));
	if (!json_is_object(obj))
		return err_set(E_INVALID, "request must be a json object");
	for (size_t i = 0; i < ARRAY_SIZE(request_steps) && rc >= 0; i++)
		rc = request_steps[i](obj, &c, out);
	if (rc < 0)
		request_release(out);
	return rc < 0 ? rc : 0;
}

int request_parse(const char *text, size_t len, enum request_mode mode, int64_t now,
		  struct request *out)
{
	/* A stored document may have grown by the defaults filled in at intake. */
	size_t max = mode == REQUEST_STORED ? 2 * MODEL_MAX_DOC : MODEL_MAX_DOC;
	json_t *doc;
	int rc;
	memset(out, 0, sizeof(*out));
	if ((rc = jsonv_decode(text, len, max, &doc)) < 0)
		return rc;
	rc = request_from_json(doc, mode, now, out);
	json_decref(doc);
	return rc;
}

/* ---- JSON form --------------------------------------------------------- */

static json_t *party_json(const struct party *p)
{
	json_t *o = json_object();
	jsonv_set_str(o, "name", p->name);
	jsonv_set_str(o, "email", p->email);
	jsonv_set_str(o, "phone", p->phone);
	return o;
}

static json_t *issuer_json(const struct issuer *i)
{
	json_t *o = json_object();
	json_object_set_new(o, "type", json_string(issuer_type_str(i->type)));
	jsonv_set_str(o, "name", i->name);
	jsonv_set_str(o, "judge", i->judge);
	return o;
}

static json_t *targets_json(const struct request *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->n_targets; i++) {
		json_t *t = json_object();
		json_object_set_new(t, "type",
				    json_string(target_type_str(r->targets[i].type)));
		jsonv_set_str(t, "value", r->targets[i].value);
		json_array_append_new(a, t);
	}
	return a;
}

static json_t *categories_json(unsigned bits)
{
	json_t *a = json_array();
	for (int c = 0; c < category__COUNT; c++)
		if (bits & CAT_BIT(c))
			json_array_append_new(a, json_string(category_str(c)));
	return a;
}

static json_t *range_json(const struct request *r)
{
	json_t *o = json_object();
	jsonv_set_ts(o, "from", r->date_from);
	jsonv_set_ts(o, "to", r->date_to);
	return o;
}

static json_t *ndo_json(const struct ndo *n)
{
	json_t *o = json_object();
	jsonv_set_str(o, "statute", n->statute);
	jsonv_set_ts(o, "issued_at", n->issued_at);
	if (n->has_expiry)
		jsonv_set_ts(o, "expires_at", n->expires_at);
	return o;
}

static json_t *emergency_json(const struct request *r)
{
	json_t *o = json_object(), *s = json_object();
	jsonv_set_str(o, "justification", r->emergency_justification);
	jsonv_set_str(s, "name", r->emergency_supervisor.name);
	jsonv_set_str(s, "phone", r->emergency_supervisor.phone);
	json_object_set_new(o, "supervisor", s);
	return o;
}

static json_t *documents_json(const struct request *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->n_documents; i++) {
		json_t *o = json_object();
		jsonv_set_str(o, "name", r->documents[i].name);
		jsonv_set_str(o, "sha256", r->documents[i].sha256);
		json_array_append_new(a, o);
	}
	return a;
}

static void set_new(json_t *o, const char *key, int present, json_t *v)
{
	if (present)
		json_object_set_new(o, key, v);
	else
		json_decref(v);
}

json_t *request_to_json(const struct request *r)
{
	json_t *o = json_object();
	jsonv_set_str(o, "ref", r->ref);
	jsonv_set_ts(o, "received_at", r->received_at);
	jsonv_set_str(o, "channel", r->channel);
	jsonv_set_str(o, "agency", r->agency);
	if (r->country[0])
		jsonv_set_str(o, "country", r->country);
	set_new(o, "requester", r->has_requester, party_json(&r->requester));
	json_object_set_new(o, "kind", json_string(kind_str(r->kind)));
	json_object_set_new(o, "process", json_string(process_str(r->process)));
	set_new(o, "issued_by", r->has_issued_by, issuer_json(&r->issued_by));
	set_new(o, "signed", r->has_signed, json_boolean(r->is_signed));
	json_object_set_new(o, "targets", targets_json(r));
	json_object_set_new(o, "categories", categories_json(r->categories));
	set_new(o, "date_range", r->has_date_range, range_json(r));
	set_new(o, "ndo", r->has_ndo, ndo_json(&r->ndo));
	set_new(o, "emergency", r->has_emergency, emergency_json(r));
	if (r->has_due)
		jsonv_set_ts(o, "due_at", r->due_at);
	set_new(o, "documents", r->n_documents > 0, documents_json(r));
	if (r->outcome != OUT_NONE)
		jsonv_set_str(o, "outcome", outcome_str(r->outcome));
	if (r->has_closed_at)
		jsonv_set_ts(o, "closed_at", r->closed_at);
	return o;
}

/* ---- canonical text ---------------------------------------------------- */

/* The text json_dumps(request_to_json(r), JSON_COMPACT | JSON_SORT_KEYS)
 * gives, written straight from r: keys in strcmp order, no spaces, strings
 * escaped as jansson escapes them (", \, and control characters only). */

struct cwriter {
	struct buf *b;
	int bad;          /* a string that is not valid UTF-8 */
};

/* Length of the valid UTF-8 sequence at s (as jansson accepts it), else 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c < 0xC2 || c > 0xF4)
		return 0;
	if (c < 0xE0) {
		len = 2;
		cp = c & 0x1F;
	} else if (c < 0xF0) {
		len = 3;
		cp = c & 0x0F;
	} else {
		len = 4;
		cp = c & 0x07;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
	    (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000))
		return 0;
	return len;
}

static void cw_raw(struct cwriter *w, const char *s, size_t n)
{
	if (buf_add(w->b, s, n) < 0)
		w->bad = 1;
}

static void cw_str(struct cwriter *w, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s, *run = p;
	size_t n = strlen(s);
	const unsigned char *end = p + n;
	cw_raw(w, "\"", 1);
	while (p < end) {
		unsigned c = *p;
		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0x80) {
			size_t len = utf8_seq(p, (size_t)(end - p));
			if (!len) {
				w->bad = 1;
				return;
			}
			p += len;
			continue;
		}
		cw_raw(w, (const char *)run, (size_t)(p - run));
		char esc[7] = {'\\', 0};
		size_t elen = 2;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			elen = 6;
		}
		cw_raw(w, esc, elen);
		run = ++p;
	}
	cw_raw(w, (const char *)run, (size_t)(p - run));
	cw_raw(w, "\"", 1);
}

/* One member: a separator unless first, then "key":. */
static void cw_key(struct cwriter *w, int *first, const char *key)
{
	if (!*first)
		cw_raw(w, ",", 1);
	*first = 0;
	cw_raw(w, "\"", 1);
	cw_raw(w, key, strlen(key));
	cw_raw(w, "\":", 2);
}

static void cw_member_str(struct cwriter *w, int *first, const char *key, const char *v)
{
	if (!v)
		return;
	cw_key(w, first, key);
	cw_str(w, v);
}

static void cw_member_ts(struct cwriter *w, int *first, const char *key, struct ts ts)
{
	char t[TS_BUFSZ];
	ts_format(ts, t);
	cw_member_str(w, first, key, t);
}

static void cw_party(struct cwriter *w, const struct party *p)
{
	int first = 1;
	cw_raw(w, "{", 1);
	cw_member_str(w, &first, "email", p->email);
	cw_member_str(w, &first, "name", p->name);
	cw_member_str(w, &first, "phone", p->phone);
	cw_raw(w, "}", 1);
}

static void cw_categories(struct cwriter *w, unsigned bits)
{
	int first = 1;
	cw_raw(w, "[", 1);
	for (int c = 0; c < category__COUNT; c++) {
		const char *s = bits & CAT_BIT(c) ? category_str(c) : NULL;
		if (!s)
			continue;
		if (!first)
			cw_raw(w, ",", 1);
		first = 0;
		cw_str(w, s);
	}
	cw_raw(w, "]", 1);
}

static void cw_targets(struct cwriter *w, const struct request *r)
{
	cw_raw(w, "[", 1);
	for (size_t i = 0; i < r->n_targets; i++) {
		int first = 1;
		if (i)
			cw_raw(w, ",", 1);
		cw_raw(w, "{", 1);
		cw_member_str(w, &first, "type", target_type_str(r->targets[i].type));
		cw_member_str(w, &first, "value", r->targets[i].value);
		cw_raw(w, "}", 1);
	}
	cw_raw(w, "]", 1);
}

static void cw_documents(struct cwriter *w, const struct request *r)
{
	cw_raw(w, "[", 1);
	for (size_t i = 0; i < r->n_documents; i++) {
		int first = 1;
		if (i)
			cw_raw(w, ",", 1);
		cw_raw(w, "{", 1);
		cw_member_str(w, &first, "name", r->documents[i].name);
		cw_member_str(w, &first, "sha256", r->documents[i].sha256);
		cw_raw(w, "}", 1);
	}
	cw_raw(w, "]", 1);
}

int request_canonical(const struct request *r, struct buf *out)
{
	struct cwriter w = {out, 0};
	int first = 1;
	size_t start = out->len;
	cw_raw(&w, "{", 1);
	cw_member_str(&w, &first, "agency", r->agency);
	cw_key(&w, &first, "categories");
	cw_categories(&w, r->categories);
	cw_member_str(&w, &first, "channel", r->channel);
	if (r->has_closed_at)
		cw_member_ts(&w, &first, "closed_at", r->closed_at);
	if (r->country[0])
		cw_member_str(&w, &first, "country", r->country);
	if (r->has_date_range) {
		int f = 1;
		cw_key(&w, &first, "date_range");
		cw_raw(&w, "{", 1);
		cw_member_ts(&w, &f, "from", r->date_from);
		cw_member_ts(&w, &f, "to", r->date_to);
		cw_raw(&w, "}", 1);
	}
	if (r->n_documents > 0) {
		cw_key(&w, &first, "documents");
		cw_documents(&w, r);
	}
	if (r->has_due)
		cw_member_ts(&w, &first, "due_at", r->due_at);
	if (r->has_emergency) {
		int f = 1, fs = 1;
		cw_key(&w, &first, "emergency");
		cw_raw(&w, "{", 1);
		cw_member_str(&w, &f, "justification", r->emergency_justification);
		cw_key(&w, &f, "supervisor");
		cw_raw(&w, "{", 1);
		cw_member_str(&w, &fs, "name", r->emergency_supervisor.name);
		cw_member_str(&w, &fs, "phone", r->emergency_supervisor.phone);
		cw_raw(&w, "}}", 2);
	}
	if (r->has_issued_by) {
		int f = 1;
		cw_key(&w, &first, "issued_by");
		cw_raw(&w, "{", 1);
		cw_member_str(&w, &f, "judge", r->issued_by.judge);
		cw_member_str(&w, &f, "name", r->issued_by.name);
		cw_member_str(&w, &f, "type", issuer_type_str(r->issued_by.type));
		cw_raw(&w, "}", 1);
	}
	cw_member_str(&w, &first, "kind", kind_str(r->kind));
	if (r->has_ndo) {
		int f = 1;
		cw_key(&w, &first, "ndo");
		cw_raw(&w, "{", 1);
		if (r->ndo.has_expiry)
			cw_member_ts(&w, &f, "expires_at", r->ndo.expires_at);
		cw_member_ts(&w, &f, "issued_at", r->ndo.issued_at);
		cw_member_str(&w, &f, "statute", r->ndo.statute);
		cw_raw(&w, "}", 1);
	}
	if (r->outcome != OUT_NONE)
		cw_member_str(&w, &first, "outcome", outcome_str(r->outcome));
	cw_member_str(&w, &first, "process", process_str(r->process));
	cw_member_ts(&w, &first, "received_at", r->received_at);
	cw_member_str(&w, &first, "ref", r->ref);
	if (r->has_requester) {
		cw_key(&w, &first, "requester");
		cw_party(&w, &r->requester);
	}
	if (r->has_signed) {
		cw_key(&w, &first, "signed");
		if (r->is_signed)
			cw_raw(&w, "true", 4);
		else
			cw_raw(&w, "false", 5);
	}
	cw_key(&w, &first, "targets");
	cw_targets(&w, r);
	cw_raw(&w, "}", 1);
	if (w.bad) {
		out->len = start;
		out->ptr[start] = '\0';
		return -1;
	}
	return 0;
}

/* ---- release ----------------------------------------------------------- */

static void party_release(struct party *p)
{
	free(p->name);
	free(p->email);
	free(p->phone);
}

void request_release(struct request *r)
{
	free(r->ref);
	free(r->channel);
	free(r->agency);
	party_release(&r->requester);
	free(r->issued_by.name);
	free(r->issued_by.judge);
	for (size_t i = 0; i < r->n_targets; i++) {
		free(r->targets[i].value);
		free(r->targets[i].customer_id);
	}
	free(r->targets);
	free(r->ndo.statute);
	free(r->emergency_justification);
	party_release(&r->emergency_supervisor);
	for (size_t i = 0; i < r->n_documents; i++)
		free(r->documents[i].name);
	free(r->documents);
	memset(r, 0, sizeof(*r));
}
