/*
 * page_intake.c - the intake form for orders that arrive by mail or
 * e-mail (SPEC §13): every SPEC §3 field as a form field, turned into the
 * same JSON document `docket request add` takes and handed to the same
 * app function, app_request_add().  An error names its field; the form is
 * shown again with the message at that field and what was typed kept;
 * nothing is stored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/digest.h"
#include "base/err.h"
#include "base/util.h"
#include "app/request.h"
#include "model/enums.h"
#include "http/page.h"

#define INTAKE_FIELD_MAX 4096
#define INTAKE_TARGETS_MAX 65536

/* The form's fields: name in the form, the §3 path it fills. */
static const char *const text_fields[] = {
	"ref", "received_at", "channel", "agency", "requester_name", "requester_email",
	"requester_phone", "kind", "process", "issued_by_type", "issued_by_name",
	"issued_by_judge", "signed", "targets", "date_from", "date_to", "ndo_statute",
	"ndo_issued_at", "ndo_expires_at", "emergency_justification", "supervisor_name",
	"supervisor_phone", "due_at", NULL};

static json_t *options(int n, const char *(*str)(int), const char *selected)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:b}", "value", str(i), "selected",
						   selected && strcmp(selected, str(i)) == 0));
	return a;
}

static int form_page(struct http_req *req, struct http_res *res, int status, json_t *vals,
		     const char *err_field, const char *error, unsigned cats)
{
	json_t *d = json_pack("{s:s}", "title", "Intake");
	const char *kind = json_string_value(json_object_get(vals, "kind"));
	const char *process = json_string_value(json_object_get(vals, "process"));
	const char *issuer = json_string_value(json_object_get(vals, "issued_by_type"));
	json_object_set_new(d, "kinds", options(kind__COUNT, kind_str, kind));
	json_object_set_new(d, "processes", options(process__COUNT, process_str, process));
	json_object_set_new(d, "issuers", options(issuer_type__COUNT, issuer_type_str, issuer));
	json_t *c = json_array();
	for (int i = 0; i < category__COUNT; i++)
		json_array_append_new(c, json_pack("{s:s, s:b}", "value", category_str(i),
						   "checked", (cats & CAT_BIT(i)) != 0));
	json_object_set_new(d, "categories", c);
	json_object_set_new(d, "v", vals);
	if (error) {
		json_object_set_new(d, "error", json_string(error));
		json_t *errs = json_object();
		json_object_set_new(errs, err_field ? err_field : "form", json_string(error));
		json_object_set_new(d, "err", errs);
	}
	return page_render(req, res, status, "intake", d);
}

int page_intake_get(struct http_req *req, struct http_res *res)
{
	return form_page(req, res, 200, json_pack("{s:s}", "channel", "mail"), NULL, NULL, 0);
}

/* One target a line: "TYPE: VALUE" (TYPE one of SPEC §2's identifier
 * types) or just an e-mail address. */
static json_t *targets_json(const char *text)
{
	json_t *a = json_array();
	const char *p = text;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		const char *s = p;
		while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
			n--;
		while (n && *s == ' ')
			s++, n--;
		if (n) {
			const char *colon = memchr(s, ':', n);
			char type[16] = "email";
			const char *val = s;
			size_t vl = n;
			if (colon && (size_t)(colon - s) < sizeof(type)) {
				char t[16];
				snprintf(t, sizeof(t), "%.*s", (int)(colon - s), s);
				if (target_type_parse(t) >= 0) {
					memcpy(type, t, sizeof(t));
					val = colon + 1;
					vl = n - (size_t)(colon - s) - 1;
					while (vl && *val == ' ')
						val++, vl--;
				}
			}
			json_array_append_new(a, json_pack("{s:s, s:s%}", "type", type, "value",
							   val, vl));
		}
		p = nl ? nl + 1 : NULL;
	}
	return a;
}

static void set_str(json_t *o, const char *key, json_t *vals, const char *field)
{
	const char *v = json_string_value(json_object_get(vals, field));
	if (v && *v)
		json_object_set_new(o, key, json_string(v));
}

/* The SPEC §3 document of the form's values. */
static json_t *document_json(json_t *vals, unsigned cats)
{
	json_t *d = json_object(), *o;
	set_str(d, "ref", vals, "ref");
	set_str(d, "received_at", vals, "received_at");
	set_str(d, "channel", vals, "channel");
	set_str(d, "agency", vals, "agency");
	set_str(d, "kind", vals, "kind");
	set_str(d, "process", vals, "process");
	set_str(d, "due_at", vals, "due_at");
	o = json_object();
	set_str(o, "name", vals, "requester_name");
	set_str(o, "email", vals, "requester_email");
	set_str(o, "phone", vals, "requester_phone");
	if (json_object_size(o))
		json_object_set(d, "requester", o);
	json_decref(o);
	o = json_object();
	set_str(o, "type", vals, "issued_by_type");
	set_str(o, "name", vals, "issued_by_name");
	set_str(o, "judge", vals, "issued_by_judge");
	if (json_object_size(o))
		json_object_set(d, "issued_by", o);
	json_decref(o);
	const char *sig = json_string_value(json_object_get(vals, "signed"));
	if (sig && *sig)
		json_object_set_new(d, "signed", json_true());
	const char *t = json_string_value(json_object_get(vals, "targets"));
	json_object_set_new(d, "targets", targets_json(t ? t : ""));
	json_t *c = json_array();
	for (int i = 0; i < category__COUNT; i++)
		if (cats & CAT_BIT(i))
			json_array_append_new(c, json_string(category_str(i)));
	json_object_set_new(d, "categories", c);
	o = json_object();
	set_str(o, "from", vals, "date_from");
	set_str(o, "to", vals, "date_to");
	if (json_object_size(o))
		json_object_set(d, "date_range", o);
	json_decref(o);
	o = json_object();
	set_str(o, "statute", vals, "ndo_statute");
	set_str(o, "issued_at", vals, "ndo_issued_at");
	set_str(o, "expires_at", vals, "ndo_expires_at");
	if (json_object_size(o))
		json_object_set(d, "ndo", o);
	json_decref(o);
	o = json_object();
	set_str(o, "justification", vals, "emergency_justification");
	json_t *sup = json_object();
	set_str(sup, "name", vals, "supervisor_name");
	set_str(sup, "phone", vals, "supervisor_phone");
	if (json_object_size(sup))
		json_object_set(o, "supervisor", sup);
	json_decref(sup);
	if (json_object_size(o))
		json_object_set(d, "emergency", o);
	json_decref(o);
	return d;
}

/* The form field an error message is about: "field 'requester.email'" ->
 * "requester_email", "field 'targets[0].value'" -> "targets". */
static const char *error_field(struct http_req *req, const char *msg)
{
	static const char *const map[][2] = {
		{"requester", "requester_name"}, {"issued_by", "issued_by_name"},
		{"date_range", "date_from"},     {"ndo", "ndo_statute"},
		{"emergency", "emergency_justification"}, {"documents", "documents"},
	};
	const char *f = strstr(msg, "field '");
	if (!f)
		return NULL;
	f += 7;
	size_t n = strcspn(f, "'");
	char *name = pool_strndup(req->pool, f, n);
	char *cut = name + strcspn(name, "[");
	*cut = '\0';
	for (char *c = name; *c; c++)
		if (*c == '.')
			*c = '_';
	if (strcmp(name, "date_range_to") == 0)
		return "date_to";
	if (strcmp(name, "emergency_supervisor_name") == 0 ||
	    strcmp(name, "emergency_supervisor") == 0)
		return "supervisor_name";
	if (strcmp(name, "emergency_supervisor_phone") == 0)
		return "supervisor_phone";
	for (size_t i = 0; text_fields[i]; i++)
		if (strcmp(name, text_fields[i]) == 0)
			return text_fields[i];
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (strncmp(name, map[i][0], strlen(map[i][0])) == 0)
			return map[i][1];
	return name;
}

int page_intake_post(struct http_req *req, struct http_res *res)
{
	json_t *vals = json_object();
	unsigned cats = 0;
	int bad = 0;
	for (size_t i = 0; text_fields[i]; i++) {
		const char *v = page_field(req, text_fields[i], &bad);
		size_t max = strcmp(text_fields[i], "targets") == 0 ? INTAKE_TARGETS_MAX
								     : INTAKE_FIELD_MAX;
		if (bad || (v && strlen(v) > max)) {
			const char *msg = pool_printf(req->pool,
						      "field '%s': longer than %zu bytes or "
						      "badly encoded",
						      text_fields[i], max);
			return form_page(req, res, 422, vals, text_fields[i], msg, cats);
		}
		if (v)
			json_object_set_new(vals, text_fields[i], json_string(v));
	}
	const char *cv[8];
	size_t nc = page_field_all(req, "categories", cv, 8);
	for (size_t i = 0; i < nc; i++) {
		int c = category_parse(cv[i]);
		if (c < 0) /* not one of the form's boxes: named, as the API does */
			return form_page(req, res, 422, vals, "categories",
					 pool_printf(req->pool,
						     "field 'categories': unknown category "
						     "'%.32s' (subscriber, noncontent, content)",
						     cv[i]),
					 cats);
		cats |= CAT_BIT(c);
	}
	/* the uploads, hashed on arrival (app_request_add_docs hashes them
	 * again as it stores them, in the request's unit of work) */
	const struct multipart_part *parts;
	size_t np;
	if (page_multipart(req, &parts, &np) < 0) {
		const char *msg = page_take_error(req);
		return form_page(req, res, 422, vals, "documents", msg, cats);
	}
	struct app_upload *ups = pool_alloc(req->pool, (np ? np : 1) * sizeof(*ups));
	size_t nu = 0;
	json_t *docs = json_array();
	for (size_t i = 0; i < np; i++) {
		if (!parts[i].filename || strcmp(parts[i].name, "documents") != 0 ||
		    (!*parts[i].filename && parts[i].len == 0))
			continue;   /* the empty file input of a form sent without a file */
		const char *fname = parts[i].filename;
		if (!*fname || strlen(fname) > 255 || strpbrk(fname, "/\\")) {
			json_decref(docs);
			return form_page(req, res, 422, vals, "documents",
					 "a document needs a plain file name of at most 255 "
					 "characters",
					 cats);
		}
		ups[nu] = (struct app_upload){.name = fname, .media_type = parts[i].media_type,
					      .data = parts[i].data, .len = parts[i].len};
		digest_hex(parts[i].data, parts[i].len, ups[nu].sha256);
		json_array_append_new(docs, json_pack("{s:s, s:s}", "name", fname, "sha256",
						      ups[nu].sha256));
		nu++;
	}
	json_t *doc = document_json(vals, cats);
	if (json_array_size(docs))
		json_object_set(doc, "documents", docs);
	json_decref(docs);
	char *text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	int64_t id = 0;
	int rc = app_request_add_docs(http_session(req), NULL, text, strlen(text), ups, nu, &id);
	free(text);
	if (rc < 0) {
		enum err_code code = err_from_rc(rc);
		if (code != E_INVALID && code != E_BAD_JSON && code != E_REFUSED) {
			json_decref(vals);
			return rc;
		}
		const char *msg = page_take_error(req);
		return form_page(req, res, 422, vals, error_field(req, msg), msg, cats);
	}
	json_decref(vals);
	return page_redirect(req, res, pool_printf(req->pool, "/requests/%lld", (long long)id));
}
