/*
 * api_directory.c - the reference data over HTTP (SPEC §12: every command
 * a person or program runs has an endpoint): customers and agencies (list,
 * show, import), customer data into the vault, historical requests, and the
 * legal rules.  Each handler calls the app function the matching command
 * calls (app/import.h, app/request.h, app/app.h) on the caller's session.
 *
 * Imports take the file itself as the body: JSON Lines
 * (application/x-ndjson or application/jsonl, route flag ROUTE_BODY_JSONL),
 * at most HTTP_BODY_IMPORT_MAX bytes; a line's error names it as
 * "body:LINE: field 'x': ...".  Larger files go through the command line on
 * the database host.
 */
#include <stdlib.h>
#include <string.h>

#include "app/import.h"
#include "app/request.h"
#include "base/err.h"
#include "base/util.h"
#include "core/policy/rules.h"
#include "http/handlers.h"

#define Q_MAX 256

/* --- customers and agencies (docket customer|agency list|show|import) ----- */

static int customer_row(void *ctx, const struct customer *c)
{
	json_array_append_new(ctx, customer_to_json(c));
	return 0;
}

static int agency_row(void *ctx, const struct agency *a)
{
	json_array_append_new(ctx, agency_to_json(a));
	return 0;
}

/* ?q=TEXT, capped. */
static int query_q(struct http_req *req, const char **q)
{
	int rc = 0;
	*q = http_query(req, "q", &rc);
	if (rc < 0)
		return rc;
	if (*q && strlen(*q) > Q_MAX)
		return err_set(E_USAGE, "query parameter 'q' is longer than %d bytes",
			       Q_MAX);
	return 0;
}

int api_customers_list(struct http_req *req, struct http_res *res)
{
	const char *q;
	int rc = query_q(req, &q);
	if (rc < 0)
		return rc;
	json_t *arr = json_array();
	if ((rc = app_customer_each(http_session(req), q, customer_row, arr)) < 0) {
		json_decref(arr);
		return rc;
	}
	return http_reply_json(req, res, 200, json_pack("{s:o}", "customers", arr));
}

int api_customer_show(struct http_req *req, struct http_res *res)
{
	struct customer c = {0};
	int rc = app_customer_get(http_session(req), http_param(req, "id"), &c);
	if (rc < 0)
		return rc;
	json_t *j = customer_to_json(&c);
	customer_release(&c);
	return http_reply_json(req, res, 200, j);
}

int api_agencies_list(struct http_req *req, struct http_res *res)
{
	const char *q;
	int rc = query_q(req, &q);
	if (rc < 0)
		return rc;
	json_t *arr = json_array();
	if ((rc = app_agency_each(http_session(req), q, agency_row, arr)) < 0) {
		json_decref(arr);
		return rc;
	}
	return http_reply_json(req, res, 200, json_pack("{s:o}", "agencies", arr));
}

int api_agency_show(struct http_req *req, struct http_res *res)
{
	struct agency a = {0};
	int rc = app_agency_get(http_session(req), http_param(req, "id"), &a);
	if (rc < 0)
		return rc;
	json_t *j = agency_to_json(&a);
	agency_release(&a);
	return http_reply_json(req, res, 200, j);
}

/* ?update=1 (or true): replace records stored with other fields. */
static int query_update(struct http_req *req, int *update)
{
	int rc = 0;
	const char *v = http_query(req, "update", &rc);
	*update = 0;
	if (rc < 0 || !v)
		return rc;
	if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
		*update = 1;
	else if (strcmp(v, "0") != 0 && strcmp(v, "false") != 0)
		return err_set(E_USAGE, "query parameter 'update' must be 1 or 0");
	return 0;
}

static int entity_import(struct http_req *req, struct http_res *res, int agency)
{
	struct app_import_result r;
	int update, rc;
	if ((rc = query_update(req, &update)) < 0 ||
	    (rc = app_entity_import(http_session(req), agency, "body", req->body,
				    req->body_len, update, NULL, &r)) < 0)
		return rc;
	return http_reply_json(
	    req, res, 200,
	    json_pack("{s:s, s:I, s:I, s:I}", "imported", agency ? "agency" : "customer",
		      "count", (json_int_t)(r.lines - r.unchanged), "unchanged",
		      (json_int_t)r.unchanged, "updated", (json_int_t)r.updated));
}

int api_customers_import(struct http_req *req, struct http_res *res)
{
	return entity_import(req, res, 0);
}

int api_agencies_import(struct http_req *req, struct http_res *res)
{
	return entity_import(req, res, 1);
}

/* --- the vault and historical requests (docket vault|request import) ----- */

int api_vault_import(struct http_req *req, struct http_res *res)
{
	struct vault_import_stats st;
	char digest[DIGEST_TAG_LEN];
	int rc = app_vault_import(http_session(req), "body", req->body, req->body_len,
				  NULL, &st, digest);
	return rc < 0
		   ? rc
		   : http_reply_json(req, res, 200, app_vault_import_json(digest, &st));
}

int api_requests_import(struct http_req *req, struct http_res *res)
{
	size_t n = 0, skipped = 0;
	int rc = app_request_import_again(http_session(req), "body", req->body,
					  req->body_len, NULL, &n, &skipped);
	if (rc < 0)
		return rc;
	return http_reply_json(req, res, 200,
			       json_pack("{s:I, s:I}", "imported", (json_int_t)n,
					 "already_stored", (json_int_t)skipped));
}

/* --- the legal rules (docket rules list|show) ----------------------------- */

int api_rules_list(struct http_req *req, struct http_res *res)
{
	struct ruleset *rs = NULL;
	int rc = app_rules(http_session(req), &rs);
	if (rc < 0)
		return rc;
	json_t *arr = json_array();
	for (size_t i = 0; i < rules_count(rs); i++)
		json_array_append_new(arr, rule_to_json(rules_at(rs, i)));
	rules_free(rs);
	return http_reply_json(req, res, 200, json_pack("{s:o}", "rules", arr));
}

int api_rule_show(struct http_req *req, struct http_res *res)
{
	struct ruleset *rs = NULL;
	const char *id = http_param(req, "id");
	int rc = app_rules(http_session(req), &rs);
	if (rc < 0)
		return rc;
	const struct rule *r = rules_find(rs, id);
	if (!r) {
		rules_free(rs);
		return err_set(E_NOTFOUND,
			       "no rule '%.64s' (GET /api/v1/rules lists them)", id);
	}
	json_t *j = rule_to_json(r);
	rules_free(rs);
	return http_reply_json(req, res, 200, j);
}
