/*
 * handlers.h - every route handler of the table in routes.c, and the small
 * helpers the API handlers share (api_util in api_session.c).
 */
#ifndef DOCKET_HTTP_HANDLERS_H
#define DOCKET_HTTP_HANDLERS_H

#include <jansson.h>

#include "base/clock.h"
#include "http/http.h"

/* health and the API's own description (api_health.c, openapi.c) */
int api_healthz(struct http_req *req, struct http_res *res);
int api_readyz(struct http_req *req, struct http_res *res);
int api_openapi(struct http_req *req, struct http_res *res);

/* sign-in (api_session.c) */
int api_session_post(struct http_req *req, struct http_res *res);
int api_session_get(struct http_req *req, struct http_res *res);
int api_session_delete(struct http_req *req, struct http_res *res);

/* requests (api_requests.c) */
int api_requests_list(struct http_req *req, struct http_res *res);
int api_requests_add(struct http_req *req, struct http_res *res);
int api_request_show(struct http_req *req, struct http_res *res);
int api_request_explain(struct http_req *req, struct http_res *res);
int api_request_amendment(struct http_req *req, struct http_res *res);
int api_request_decision(struct http_req *req, struct http_res *res);
int api_request_approval(struct http_req *req, struct http_res *res);
int api_request_verification(struct http_req *req, struct http_res *res);
int api_request_reassessment(struct http_req *req, struct http_res *res);
int api_request_closure(struct http_req *req, struct http_res *res);
int api_request_withdrawal(struct http_req *req, struct http_res *res);
int api_request_challenge(struct http_req *req, struct http_res *res);
int api_request_challenge_outcome(struct http_req *req, struct http_res *res);
int api_request_void(struct http_req *req, struct http_res *res);
int api_request_investigation_closed(struct http_req *req, struct http_res *res);
int api_request_disclose(struct http_req *req, struct http_res *res);
int api_request_package(struct http_req *req, struct http_res *res);

/* lists and reports (api_lists.c) */
int api_notices_list(struct http_req *req, struct http_res *res);
int api_ndos_list(struct http_req *req, struct http_res *res);
int api_holds_list(struct http_req *req, struct http_res *res);
int api_hold_renewal(struct http_req *req, struct http_res *res);
int api_hold_release(struct http_req *req, struct http_res *res);
int api_report(struct http_req *req, struct http_res *res);

/* the rest of the command line (api_admin.c) */
int api_ndo_add(struct http_req *req, struct http_res *res);
int api_ndo_extend(struct http_req *req, struct http_res *res);
int api_ndo_lift(struct http_req *req, struct http_res *res);
int api_notice_show(struct http_req *req, struct http_res *res);
int api_notice_resend(struct http_req *req, struct http_res *res);
int api_hold_conversion(struct http_req *req, struct http_res *res);
int api_status(struct http_req *req, struct http_res *res);
int api_password_change(struct http_req *req, struct http_res *res);
int api_user_add(struct http_req *req, struct http_res *res);
int api_config_list(struct http_req *req, struct http_res *res);
int api_config_set(struct http_req *req, struct http_res *res);
int api_token_add(struct http_req *req, struct http_res *res);
int api_token_list(struct http_req *req, struct http_res *res);
int api_token_revoke(struct http_req *req, struct http_res *res);

/* reference data (api_directory.c) */
int api_customers_list(struct http_req *req, struct http_res *res);
int api_customer_show(struct http_req *req, struct http_res *res);
int api_customers_import(struct http_req *req, struct http_res *res);
int api_agencies_list(struct http_req *req, struct http_res *res);
int api_agency_show(struct http_req *req, struct http_res *res);
int api_agencies_import(struct http_req *req, struct http_res *res);
int api_vault_import(struct http_req *req, struct http_res *res);
int api_requests_import(struct http_req *req, struct http_res *res);
int api_rules_list(struct http_req *req, struct http_res *res);
int api_rule_show(struct http_req *req, struct http_res *res);

/* users, witnesses, the log, settings, the scheduler, letters (api_ops.c) */
int api_users_list(struct http_req *req, struct http_res *res);
int api_user_set(struct http_req *req, struct http_res *res);
int api_user_remove(struct http_req *req, struct http_res *res);
int api_user_password(struct http_req *req, struct http_res *res);
int api_proposal_confirm(struct http_req *req, struct http_res *res);
int api_proposal_cancel(struct http_req *req, struct http_res *res);
int api_witnesses_list(struct http_req *req, struct http_res *res);
int api_witness_add(struct http_req *req, struct http_res *res);
int api_witness_remove(struct http_req *req, struct http_res *res);
int api_witness_offer(struct http_req *req, struct http_res *res);
int api_log_verify(struct http_req *req, struct http_res *res);
int api_log_key(struct http_req *req, struct http_res *res);
int api_log_checkpoint(struct http_req *req, struct http_res *res);
int api_log_compartment_entry(struct http_req *req, struct http_res *res);
int api_log_proof(struct http_req *req, struct http_res *res);
int api_log_consistency(struct http_req *req, struct http_res *res);
int api_config_get(struct http_req *req, struct http_res *res);
int api_tick(struct http_req *req, struct http_res *res);
int api_letters_list(struct http_req *req, struct http_res *res);
int api_letter_draft(struct http_req *req, struct http_res *res);
int api_letter_send(struct http_req *req, struct http_res *res);

/* Where the server writes request id's disclosure package (made 0700 if
 * need be): DB.packages/request-ID.tar.gz beside an SQLite file, or
 * docket.packages/ beside the key directory of a PostgreSQL database
 * (base/keys.h).  NULL with *rc set when the folder cannot be made. */
const char *http_package_file(struct http_req *req, int64_t id, int *rc);
/* That folder itself (not made here), where the packages are read from. */
const char *http_package_dir(struct http_req *req);

/* published reports (api_lists.c) */
int api_publications_list(struct http_req *req, struct http_res *res);
int api_publication_add(struct http_req *req, struct http_res *res);
int api_publication_get(struct http_req *req, struct http_res *res);
/* A publication as JSON (no body). */
struct publication_row;
json_t *api_publication_json(const struct publication_row *p);

/* The OpenAPI 3.1 document generated from the route table (openapi.c). */
json_t *openapi_document(void);

/* --- helpers -------------------------------------------------------------- */

/* The roles as a JSON array of names. */
json_t *api_roles_json(unsigned roles);
/* A string field of a JSON body: E_INVALID naming the field when it is
 * missing (required), not a string, longer than max or holds a NUL. */
int api_string(json_t *body, const char *field, size_t max, int required,
	       const char **out);
/* E_INVALID naming the first field of body not in allowed (NULL-ended). */
int api_only_fields(json_t *body, const char *const *allowed);
/* rc, an app function's refusal of a body's value, with the field named
 * (SPEC §12: "field" in the error): an E_INVALID or E_USAGE whose message
 * begins with map[i][0] and names no field yet becomes "field
 * 'map[i][1]': <message>", its code (and so its status, by the command's
 * exit code) kept.  map ends with {NULL, NULL}. */
int api_name_field(int rc, const char *const map[][2]);
/* (api_admin.c) The map for a user's change: "name", "unix". */
extern const char *const api_user_fields[][2];
/* (api_admin.c) The body as a JSON object, an empty one for no body;
 * owned by the pool.  *rc < 0 when it does not parse. */
json_t *api_body_or_empty(struct http_req *req, int *rc);
/* A date field (YYYY-MM-DD or RFC 3339): E_INVALID naming it when it is
 * missing (required) or not a date; *present says whether it was given. */
int api_date_field(json_t *body, const char *field, int required, struct ts *out,
		   int *present);
/* "roles": ["intake", ...] or "intake,reviewer": E_INVALID naming the field
 * for an unknown role, or when missing and required. */
int api_roles_field(json_t *body, const char *field, int required, unsigned *out);

/* the log as C2SP tlog-tiles (log_tiles.c) */
int http_log_checkpoint(struct http_req *req, struct http_res *res);
int http_log_tile(struct http_req *req, struct http_res *res);
int http_log_entries(struct http_req *req, struct http_res *res);

/* the agency portal and the customer portal (api_portal.c, page_portal.c) */
int api_agency_register(struct http_req *req, struct http_res *res);
int api_agency_register_finish(struct http_req *req, struct http_res *res);
int api_agency_requests(struct http_req *req, struct http_res *res);
int api_agency_request_add(struct http_req *req, struct http_res *res);
int api_agency_request(struct http_req *req, struct http_res *res);
int api_agency_withdrawal(struct http_req *req, struct http_res *res);
int api_agency_extension(struct http_req *req, struct http_res *res);
int api_agency_production(struct http_req *req, struct http_res *res);
int api_portal_overview(struct http_req *req, struct http_res *res);
int api_officer_suspend(struct http_req *req, struct http_res *res);
int api_officer_reinstate(struct http_req *req, struct http_res *res);
int api_agency_suspend(struct http_req *req, struct http_res *res);
int api_agency_reinstate(struct http_req *req, struct http_res *res);
int api_request_verification_failure(struct http_req *req, struct http_res *res);
int api_request_sender(struct http_req *req, struct http_res *res);
int api_my_link(struct http_req *req, struct http_res *res);
int api_my_requests(struct http_req *req, struct http_res *res);
int api_my_request(struct http_req *req, struct http_res *res);
int api_my_proof(struct http_req *req, struct http_res *res);
/* the sign-in of a customer's link, shared by the pages: sets the cookie */
int http_my_signin(struct http_req *req, struct http_res *res, const char *token,
		   const char *totp);
/* The PDF uploads of a multipart body (api_portal.c); page: a form whose
 * other parts are its fields, else the API's "request" part goes to doc. */
struct app_upload;
int http_pdf_uploads(struct http_req *req, int page, const char **doc, size_t *doc_len,
		     struct app_upload **out, size_t *n_out);
int http_my_limited(struct http_req *req, struct http_res *res);
int http_my_token_failed(struct http_req *req, int rc);
int page_my_signin_get(struct http_req *req, struct http_res *res);
int page_my_signin_post(struct http_req *req, struct http_res *res);
int page_my_enrol(struct http_req *req, struct http_res *res);
int page_my_link(struct http_req *req, struct http_res *res);
int page_my_home(struct http_req *req, struct http_res *res);
int page_my_request(struct http_req *req, struct http_res *res);
int page_agency_register_get(struct http_req *req, struct http_res *res);
int page_agency_register_post(struct http_req *req, struct http_res *res);
int page_agency_home(struct http_req *req, struct http_res *res);
int page_agency_new(struct http_req *req, struct http_res *res);
int page_agency_submit(struct http_req *req, struct http_res *res);
int page_agency_request(struct http_req *req, struct http_res *res);
int page_agency_action(struct http_req *req, struct http_res *res);
int page_verification_failure(struct http_req *req, struct http_res *res);
int page_portal_staff(struct http_req *req, struct http_res *res);
int page_portal_suspend(struct http_req *req, struct http_res *res);

#endif
