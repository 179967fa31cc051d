/*
 * handlers.h - every route handler of the table in routes.c, and the small
 * helpers the API handlers share (api_util in api_session.c).
 */
#ifndef DOCKET_HTTP_HANDLERS_H
#define DOCKET_HTTP_HANDLERS_H

#include <jansson.h>

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
int api_request_decision(struct http_req *req, struct http_res *res);
int api_request_approval(struct http_req *req, struct http_res *res);
int api_request_verification(struct http_req *req, struct http_res *res);
int api_request_reassessment(struct http_req *req, struct http_res *res);
int api_request_closure(struct http_req *req, struct http_res *res);
int api_request_withdrawal(struct http_req *req, struct http_res *res);
int api_request_challenge(struct http_req *req, struct http_res *res);
int api_request_challenge_outcome(struct http_req *req, struct http_res *res);
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
