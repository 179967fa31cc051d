/*
 * openapi.c - the OpenAPI 3.1 document of the API, generated from the
 * route table (routes.c) so it cannot drift from what the server does:
 * every row becomes an operation with its path parameters, body, success
 * status and content type, the roles that may call it (x-docket-roles),
 * and the SPEC §12 error responses.
 */
#include <string.h>

#include "base/util.h"
#include "model/enums.h"
#include "http/handlers.h"

/* Query parameters per path (the rows with GET). */
static const struct {
	const char *pattern;
	const char *names[11];     /* NULL-ended */
} query_params[] = {
	{"/api/v1/requests",
	 {"state", "kind", "country", "from", "to", "period", "due_before", "q", "limit", "cursor"}},
	{"/api/v1/notices", {"state", "request", NULL}},
	{"/api/v1/ndos", {"request", NULL}},
	{"/api/v1/holds", {"request", NULL}},
	{"/api/v1/reports/{period}", {"format", "published", "band", "table", NULL}},
	{"/api/v1/customers", {"q", "update", NULL}},
	{"/api/v1/agencies", {"q", "update", NULL}},
	{"/api/v1/requests/{id}/letters/draft", {"kind", NULL}},
	{"/api/v1/log/checkpoint", {"size", "compartment", NULL}},
	{"/api/v1/log/verify", {"key", "trusted", NULL}},
	{"/api/v1/log/proof/{n}", {"size", NULL}},
	{"/api/v1/log/consistency/{old}", {"size", NULL}},
};

static json_t *error_response(const char *why)
{
	return json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", why, "content",
			 "application/json", "schema", "$ref", "#/components/schemas/Error");
}

static json_t *parameters(const struct route *r)
{
	json_t *ps = json_array();
	for (const char *p = strchr(r->pattern, '{'); p; p = strchr(p + 1, '{')) {
		const char *end = strchr(p, '}');
		if (!end)
			break;
		char name[64];
		size_t n = (size_t)(end - p - 1);
		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		memcpy(name, p + 1, n);
		name[n] = '\0';
		json_array_append_new(ps, json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", name, "in",
						    "path", "required", 1, "schema", "type",
						    "string"));
	}
	/* GET rows take the listed query parameters; an import (JSON Lines)
	 * takes ?update= only */
	int jsonl = (r->flags & ROUTE_BODY_JSONL) != 0;
	if (strcmp(r->method, "GET") != 0 && !jsonl)
		return ps;
	for (size_t i = 0; i < ARRAY_SIZE(query_params); i++) {
		if (strcmp(query_params[i].pattern, r->pattern) != 0)
			continue;
		for (const char *const *q = query_params[i].names; *q; q++) {
			if ((strcmp(*q, "update") == 0) != jsonl)
				continue;
			json_array_append_new(ps, json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", *q,
							    "in", "query", "required", 0,
							    "schema", "type", "string"));
		}
	}
	return ps;
}

/* The body a row takes: its media types, and whether it is required (the
 * documents: a session, a request, an amendment, an import). */
static json_t *request_body(const struct route *r)
{
	int jsonl = (r->flags & ROUTE_BODY_JSONL) != 0;
	int required = jsonl || strcmp(r->pattern, "/api/v1/session") == 0 ||
		       strcmp(r->pattern, "/api/v1/requests") == 0 ||
		       strcmp(r->pattern, "/api/v1/requests/{id}/amendment") == 0;
	json_t *content = json_object();
	if (jsonl) {
		/* one JSON object a line */
		json_object_set_new(content, "application/x-ndjson",
				    json_pack("{s:{s:s}}", "schema", "type", "string"));
		json_object_set_new(content, "application/jsonl",
				    json_pack("{s:{s:s}}", "schema", "type", "string"));
	} else {
		json_object_set_new(content,
				    (r->flags & ROUTE_BODY_TEXT) ? "text/plain" : "application/json",
				    json_pack("{s:{s:s}}", "schema", "type", "object"));
	}
	return json_pack("{s:b, s:o, s:I}", "required", required, "content", content,
			 "x-docket-max-bytes", (json_int_t)r->body_max);
}

static json_t *operation(const struct route *r)
{
	char status[8];
	snprintf(status, sizeof(status), "%d", r->status);
	json_t *ok = json_pack("{s:s}", "description", "success");
	if (r->status != 204)
		json_object_set_new(ok, "content",
				    json_pack("{s:{}}", r->ctype ? r->ctype : "application/json"));
	json_t *responses = json_pack("{s:o}", status, ok);
	json_object_set_new(responses, "400", error_response("bad request or JSON that does not parse"));
	json_object_set_new(responses, "404", error_response("not found"));
	json_object_set_new(responses, "503", error_response("the database stays busy (Retry-After)"));
	json_object_set_new(responses, "500", error_response("internal error"));
	if (!(r->flags & ROUTE_PUBLIC)) {
		json_object_set_new(responses, "401", error_response("not signed in"));
		json_object_set_new(responses, "403",
				    error_response("a role is missing, or a CSRF check failed"));
	}
	if (r->body_max) {
		json_object_set_new(responses, "409",
				    error_response("the workflow does not allow this now"));
		json_object_set_new(responses, "413", error_response("body over the cap"));
		json_object_set_new(responses, "415", error_response("wrong content type"));
		json_object_set_new(responses, "422",
				    error_response("invalid input, naming the field"));
	}
	if (r->flags & ROUTE_NO_CSRF)
		json_object_set_new(responses, "429", error_response("too many failed sign-ins"));

	char opid[160];
	size_t n = 0;
	for (const char *c = r->method; *c && n < sizeof(opid) - 1; c++)
		opid[n++] = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
	for (const char *c = r->pattern; *c && n < sizeof(opid) - 1; c++)
		opid[n++] = (*c == '/' || *c == '{' || *c == '}' || *c == '-' || *c == '.') ? '_' : *c;
	opid[n] = '\0';

	json_t *roles = json_array();
	if (!(r->flags & ROUTE_PUBLIC)) {
		if (!r->roles)   /* any staff role; with ROUTE_ANY_USER the portals' too */
			json_array_append_new(roles, json_string("any"));
		if (!r->roles && (r->flags & ROUTE_ANY_USER)) {
			json_array_append_new(roles, json_string(role_str(ROLE_OFFICER)));
			json_array_append_new(roles, json_string(role_str(ROLE_CUSTOMER)));
		}
		for (int i = 0; i < role__COUNT; i++)
			if (r->roles & ROLE_BIT(i))
				json_array_append_new(roles, json_string(role_str(i)));
	}
	json_t *op = json_pack("{s:s, s:s, s:o, s:o, s:o}", "summary", r->summary, "operationId",
			       opid, "parameters", parameters(r), "responses", responses,
			       "x-docket-roles", roles);
	if (r->flags & ROUTE_PUBLIC)
		json_object_set_new(op, "security", json_array());
	if (r->body_max)
		json_object_set_new(op, "requestBody", request_body(r));
	return op;
}

json_t *openapi_document(void)
{
	json_t *paths = json_object();
	for (const struct route *r = http_routes; r->method; r++) {
		json_t *item = json_object_get(paths, r->pattern);
		if (!item) {
			item = json_object();
			json_object_set_new(paths, r->pattern, item);
		}
		char m[8];
		size_t i;
		for (i = 0; r->method[i] && i < sizeof(m) - 1; i++)
			m[i] = (char)(r->method[i] - 'A' + 'a');
		m[i] = '\0';
		json_object_set_new(item, m, operation(r));
	}
	json_t *error = json_pack(
		"{s:s, s:[s], s:{s:{s:s, s:[s,s], s:{s:{s:s}, s:{s:s}, s:{s:[s,s]}}}}}", "type",
		"object", "required", "error", "properties", "error", "type", "object",
		"required", "code", "message", "properties", "code", "type", "string", "message",
		"type", "string", "field", "type", "string", "null");
	return json_pack(
		"{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:{s:o}, s:{s:{s:s, s:s}, s:{s:s, s:s, s:s}}}, "
		"s:[{s:[]}, {s:[]}]}",
		"openapi", "3.1.0", "info", "title", "docket", "version", "1",
		"description",
		"Government requests for customer data: the JSON API of docket serve "
		"(docs/api.md). Errors are {\"error\":{\"code\",\"message\",\"field\"}}.",
		"paths", paths, "components", "schemas", "Error", error, "securitySchemes",
		"bearer", "type", "http", "scheme", "bearer", "session", "type", "apiKey", "in",
		"cookie", "name", "__Host-docket", "security", "bearer", "session");
}

int api_openapi(struct http_req *req, struct http_res *res)
{
	return http_reply_json(req, res, 200, openapi_document());
}
