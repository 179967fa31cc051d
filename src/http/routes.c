/*
 * routes.c - every route of `docket serve`, one row each: method, path
 * pattern, handler, the roles that may call it, flags, body cap, success
 * status and content type, summary.
 *
 * The same rows drive the router (parse.c), the OpenAPI document
 * (openapi.c, served at /api/v1/openapi.json) and the role x route matrix
 * test (tests/t/t2010-serve-roles.sh reads `docket serve --routes`).
 * Keep rows of one area together; a new area (the log, witnesses, pages)
 * adds its own block.  Read-only routes open to every signed-in role have
 * roles 0 (SPEC §9: "any role").
 */
#include "model/enums.h"
#include "http/handlers.h"
#include "http/page.h"
#include "http/http.h"

#define R(role) ROLE_BIT(ROLE_##role)
#define JSON_BODY ROUTE_BODY_JSON
#define J HTTP_BODY_JSON_MAX
#define PAGE ROUTE_PAGE
#define FORM ROUTE_BODY_FORM
#define HTML "text/html"

const struct route http_routes[] = {
	/* health, for load balancers and service managers */
	{"GET", "/healthz", api_healthz, 0, ROUTE_PUBLIC, 0, 200, NULL,
	 "the process lives"},
	{"GET", "/readyz", api_readyz, 0, ROUTE_PUBLIC, 0, 200, NULL,
	 "the database and the signing key are usable"},
	{"GET", "/api/v1/openapi.json", api_openapi, 0, ROUTE_PUBLIC, 0, 200, NULL,
	 "this API's OpenAPI 3.1 document"},

	/* sign-in */
	{"POST", "/api/v1/session", api_session_post, 0,
	 ROUTE_PUBLIC | ROUTE_NO_CSRF | ROUTE_UNSERIALIZED | JSON_BODY, 4096, 200, NULL,
	 "sign in with user, password and totp; sets the session cookie"},
	{"GET", "/api/v1/session", api_session_get, 0, ROUTE_ANY_USER, 0, 200, NULL,
	 "who is signed in, with which roles (and the session's CSRF token)"},
	{"DELETE", "/api/v1/session", api_session_delete, 0, ROUTE_ANY_USER, 0, 204, NULL,
	 "sign out: the session ends at once"},
	{"POST", "/api/v1/session/password", api_password_change, 0, ROUTE_ANY_USER | JSON_BODY,
	 4096, 204, NULL,
	 "change one's own password {password, new_password}; every session ends"},

	/* requests (docket request ...) */
	{"GET", "/api/v1/requests", api_requests_list, 0, 0, 0, 200, NULL,
	 "request list --json: filter by state, country, due_before, q; limit, cursor"},
	{"POST", "/api/v1/requests", api_requests_add, R(INTAKE), JSON_BODY, J, 201, NULL,
	 "request add: take in a SPEC §3 request"},
	{"GET", "/api/v1/requests/{id}", api_request_show, 0, 0, 0, 200, NULL,
	 "request show --json"},
	{"GET", "/api/v1/requests/{id}/explain", api_request_explain, 0, 0, 0, 200, NULL,
	 "request explain --json: the policy recommendation"},
	{"POST", "/api/v1/requests/{id}/decision", api_request_decision, R(REVIEWER), JSON_BODY,
	 J, 200, NULL,
	 "request decide: {action, reason, categories, extraordinary, court, grounds}"},
	{"POST", "/api/v1/requests/{id}/approval", api_request_approval, R(APPROVER), JSON_BODY,
	 J, 200, NULL, "request approve: an approver's sign-off {reason}"},
	{"POST", "/api/v1/requests/{id}/verification", api_request_verification, R(REVIEWER),
	 JSON_BODY, J, 200, NULL, "request verify: {callback, person, reason}"},
	{"POST", "/api/v1/requests/{id}/reassessment", api_request_reassessment, R(REVIEWER),
	 JSON_BODY, J, 200, NULL,
	 "request reassess: the policy again once the agency is known {agency, reason}"},
	{"POST", "/api/v1/requests/{id}/closure", api_request_closure, R(REVIEWER), JSON_BODY, J,
	 200, NULL, "request close: {outcome, reason}"},
	{"POST", "/api/v1/requests/{id}/withdrawal", api_request_withdrawal, R(REVIEWER),
	 JSON_BODY, J, 200, NULL, "request withdraw: {reason}"},
	{"POST", "/api/v1/requests/{id}/challenge", api_request_challenge, R(REVIEWER),
	 JSON_BODY, J, 200, NULL, "request challenge: {court, grounds, reason}"},
	{"POST", "/api/v1/requests/{id}/challenge-outcome", api_request_challenge_outcome,
	 R(REVIEWER), JSON_BODY, J, 200, NULL,
	 "request challenge-outcome: {outcome: quashed|modified|denied, reason}"},
	{"POST", "/api/v1/requests/{id}/disclosure", api_request_disclose, R(APPROVER),
	 JSON_BODY, J, 201, NULL, "disclose: write the package of a ready request {reason}"},
	{"GET", "/api/v1/requests/{id}/disclosure", api_request_package, R(APPROVER), 0, 0, 200,
	 "application/gzip", "the disclosure package (each download is logged)"},
	{"POST", "/api/v1/requests/{id}/holds/renewal", api_hold_renewal, R(REVIEWER),
	 JSON_BODY, J, 200, NULL, "hold renew: {reason}"},
	{"POST", "/api/v1/requests/{id}/holds/release", api_hold_release, R(REVIEWER),
	 JSON_BODY, J, 200, NULL, "hold release: {reason}"},
	{"POST", "/api/v1/requests/{id}/holds/conversion", api_hold_conversion, R(INTAKE),
	 JSON_BODY, J, 200, NULL, "hold convert: a follow-up request {follow_up, reason}"},
	{"POST", "/api/v1/requests/{id}/ndo", api_ndo_add, R(INTAKE), JSON_BODY, J, 200, NULL,
	 "ndo add: {statute, issued_at, expires_at}"},
	{"POST", "/api/v1/requests/{id}/ndo/extension", api_ndo_extend, R(INTAKE), JSON_BODY, J,
	 200, NULL, "ndo extend: {expires_at}"},
	{"POST", "/api/v1/requests/{id}/ndo/lift", api_ndo_lift, R(INTAKE), JSON_BODY, J, 200,
	 NULL, "ndo lift: {reason}"},

	/* lists and reports */
	{"GET", "/api/v1/notices", api_notices_list, 0, 0, 0, 200, NULL,
	 "notice list --json: ?state=, ?request="},
	{"GET", "/api/v1/notices/{id}", api_notice_show, 0, 0, 0, 200, NULL,
	 "notice show --json"},
	{"POST", "/api/v1/notices/{id}/resend", api_notice_resend, R(COMPLIANCE), JSON_BODY, J,
	 200, NULL, "notice resend: {reason}"},
	{"GET", "/api/v1/ndos", api_ndos_list, 0, 0, 0, 200, NULL,
	 "ndo list --json: ?request="},
	{"GET", "/api/v1/holds", api_holds_list, 0, 0, 0, 200, NULL,
	 "active preservation holds, expiring soonest first; ?request= for one request's"},
	{"GET", "/api/v1/reports/{period}", api_report, 0, 0, 0, 200, NULL,
	 "report --period P --format json|csv|html (?format=, ?published=)"},
	{"GET", "/api/v1/publications", api_publications_list, 0, 0, 0, 200, NULL,
	 "the published reports, newest first: period, format, SHA-256, size"},
	{"POST", "/api/v1/publications", api_publication_add, R(COMPLIANCE), JSON_BODY, 4096,
	 201, NULL,
	 "report --publish: {period, format (json|csv|html, default html), published}"},
	{"GET", "/api/v1/publications/{id}", api_publication_get, 0, 0, 0, 200, NULL,
	 "a published report's exact bytes (X-Docket-SHA256: their hash)"},
	{"GET", "/api/v1/status", api_status, 0, 0, 0, 200, NULL,
	 "status --json: requests per state, customers, the log's size"},

	/* administration (docket user, config, token) */
	{"POST", "/api/v1/users", api_user_add, R(ADMIN), JSON_BODY, 4096, 201, NULL,
	 "user add: {name, roles}"},
	{"GET", "/api/v1/config", api_config_list, R(ADMIN), 0, 0, 200, NULL,
	 "config list --json"},
	{"PUT", "/api/v1/config/{key}", api_config_set, R(ADMIN), JSON_BODY, 8192, 200, NULL,
	 "config set KEY VALUE: {value}"},
	{"POST", "/api/v1/tokens", api_token_add, R(ADMIN), JSON_BODY, 4096, 201, NULL,
	 "token add: {user, roles, expires_at}; the token is in this answer only"},
	{"GET", "/api/v1/tokens", api_token_list, R(ADMIN), 0, 0, 200, NULL,
	 "token list --json (never the tokens)"},
	{"DELETE", "/api/v1/tokens/{id}", api_token_revoke, R(ADMIN), 0, 0, 204, NULL,
	 "token revoke: refused from the next request on"},

	/* the agency portal (SPEC §14, api_portal.c, docs/portals.md) */
	{"POST", "/api/v1/agency/registrations", api_agency_register, 0,
	 ROUTE_PUBLIC | ROUTE_NO_CSRF | ROUTE_UNSERIALIZED | JSON_BODY, 4096, 202, NULL,
	 "an officer registers {email}: a one-time link goes to an address at a verified "
	 "domain of an agency (202 whatever the address)"},
	{"POST", "/api/v1/agency/registrations/{token}", api_agency_register_finish, 0,
	 ROUTE_PUBLIC | ROUTE_NO_CSRF | ROUTE_UNSERIALIZED | JSON_BODY, 4096, 201, NULL,
	 "complete a registration with the link's token {name, password}: {totp_uri}"},
	{"GET", "/api/v1/agency/requests", api_agency_requests, R(OFFICER), 0, 0, 200, NULL,
	 "the officer's agency's requests, newest first"},
	{"POST", "/api/v1/agency/requests", api_agency_request_add, R(OFFICER),
	 JSON_BODY | ROUTE_BODY_MULTIPART, HTTP_BODY_DOC_MAX + J, 201, NULL,
	 "submit a SPEC §3 request as the officer (JSON, or multipart: part request and PDF "
	 "parts documents)"},
	{"GET", "/api/v1/agency/requests/{id}", api_agency_request, R(OFFICER), 0, 0, 200, NULL,
	 "one of the agency's requests: status, history, letters, production"},
	{"POST", "/api/v1/agency/requests/{id}/withdrawal", api_agency_withdrawal, R(OFFICER),
	 JSON_BODY, 4096, 200, NULL, "the agency withdraws its request {reason}"},
	{"POST", "/api/v1/agency/requests/{id}/extension", api_agency_extension, R(OFFICER),
	 JSON_BODY, 4096, 202, NULL, "ask for a preservation extension {reason}"},
	{"GET", "/api/v1/agency/requests/{id}/production", api_agency_production, R(OFFICER), 0,
	 0, 200, "application/gzip",
	 "the approved production while its link lives (each download is logged)"},
	{"GET", "/api/v1/agency/officers", api_portal_overview, 0, 0, 0, 200, NULL,
	 "staff: officers, registration attempts (refused ones too), suspended agencies"},
	{"POST", "/api/v1/agency/officers/{officer}/suspension", api_officer_suspend, R(ADMIN),
	 JSON_BODY, 4096, 200, NULL, "suspend an officer {reason}: its sessions end"},
	{"POST", "/api/v1/agency/officers/{officer}/reinstatement", api_officer_reinstate,
	 R(ADMIN), JSON_BODY, 4096, 200, NULL, "reinstate a suspended officer {reason}"},
	{"POST", "/api/v1/agencies/{agency}/suspension", api_agency_suspend, R(ADMIN), JSON_BODY,
	 4096, 200, NULL, "suspend an agency {reason}: none of its officers signs in or acts"},
	{"POST", "/api/v1/agencies/{agency}/reinstatement", api_agency_reinstate, R(ADMIN),
	 JSON_BODY, 4096, 200, NULL, "reinstate a suspended agency {reason}"},
	{"POST", "/api/v1/requests/{id}/verification-failure", api_request_verification_failure,
	 R(REVIEWER), JSON_BODY, 4096, 201, NULL,
	 "the requester could not be verified {reason}: counted against officer and agency"},
	{"GET", "/api/v1/requests/{id}/sender", api_request_sender, 0, 0, 0, 200, NULL,
	 "who sent the request: channel, officer, agency, their verification failures"},

	/* the customer portal (SPEC §15) */
	{"POST", "/api/v1/my/links", api_my_link, 0,
	 ROUTE_PUBLIC | ROUTE_NO_CSRF | ROUTE_UNSERIALIZED | JSON_BODY, 4096, 202, NULL,
	 "a sign-in link to a customer's contact address {email} (202 whatever the address)"},
	{"GET", "/api/v1/my/requests", api_my_requests, R(CUSTOMER), 0, 0, 200, NULL,
	 "the requests about the customer whose notice was sent"},
	{"GET", "/api/v1/my/requests/{id}", api_my_request, R(CUSTOMER), 0, 0, 200, NULL,
	 "one of them, with notice and proof (the notice's log entry and inclusion proof; "
	 "logged)"},
	{"GET", "/api/v1/my/requests/{id}/proof", api_my_proof, R(CUSTOMER), 0, 0, 200, NULL,
	 "the inclusion proof of the notice's log entry, to download (logged)"},

	/* the log as C2SP tlog-tiles (log_tiles.c, docs/log.md); a last
	 * {name*} segment takes the rest of the path.  Entry bundles first:
	 * the hash tile row would match their paths too (and refuses them). */
	{"GET", "/log/checkpoint", http_log_checkpoint, 0, ROUTE_PUBLIC, 0, 200,
	 "text/plain; charset=utf-8",
	 "log checkpoint: the latest signed checkpoint with the witnesses' cosignatures"},
	{"GET", "/log/tile/entries/{tile*}", http_log_entries, R(AUDITOR), 0, 0, 200,
	 "application/octet-stream",
	 "an entry bundle N[.p/W]: each entry as a 2-byte length and its bytes"},
	{"GET", "/log/tile/{tile*}", http_log_tile, 0, ROUTE_PUBLIC, 0, 200,
	 "application/octet-stream", "a hash tile L/N[.p/W] of the Merkle tree"},

	/* the staff pages (SPEC §13, http/page.h): HTML, forms with the CSRF field */
	{"GET", "/", page_home, 0, ROUTE_PUBLIC | PAGE, 0, 303, HTML,
	 "page: to the queue, or to sign-in"},
	{"GET", "/static/{file}", page_static, 0, ROUTE_PUBLIC, 0, 200, "text/css",
	 "page: the stylesheet"},
	{"GET", "/signin", page_signin_get, 0, ROUTE_PUBLIC | PAGE, 0, 200,
	 HTML, "page: sign in, name and password"},
	{"POST", "/signin", page_signin_post, 0, ROUTE_PUBLIC | ROUTE_NO_CSRF | ROUTE_UNSERIALIZED | PAGE | FORM,
	 4096, 303, HTML, "page: the password step; asks for the code next"},
	{"POST", "/signin/code", page_signin_code, 0, ROUTE_PUBLIC | ROUTE_NO_CSRF | ROUTE_UNSERIALIZED | PAGE | FORM,
	 4096, 303, HTML, "page: the TOTP step; sets the session cookie"},
	{"GET", "/signin/link", page_link_get, 0, ROUTE_PUBLIC | PAGE, 0, 200, HTML,
	 "page: a one-time sign-in link (docket user link NAME): one button"},
	{"POST", "/signin/link", page_link_post, 0, ROUTE_PUBLIC | ROUTE_NO_CSRF | PAGE | FORM,
	 4096, 303, HTML, "page: use the link once; sets the session cookie"},
	{"POST", "/signout", page_signout, 0, ROUTE_ANY_USER | PAGE | FORM, 4096, 303, HTML,
	 "page: sign out"},
	{"GET", "/password", page_password_get, 0, ROUTE_ANY_USER | PAGE, 0, 200, HTML,
	 "page: change one's password"},
	{"POST", "/password", page_password_post, 0, ROUTE_ANY_USER | PAGE | FORM, 8192, 303, HTML,
	 "page: change one's password; every session ends"},
	{"GET", "/queue", page_queue, 0, PAGE, 0, 200, HTML,
	 "page: requests, most urgent first; ?state=&country=&q=&all="},
	{"GET", "/requests/{id}", page_request, 0, PAGE, 0, 200, HTML,
	 "page: one request, with the forms of the steps open to the user now"},
	{"GET", "/requests/{id}/documents/{sha256}", page_document, 0, PAGE, 0, 200,
	 "application/octet-stream",
	 "page: an uploaded document of the request, its SHA-256 checked as it is read"},
	{"GET", "/requests/{id}/letters/new", page_letter_new, 0, PAGE, 0, 200, HTML,
	 "page: a letter to the agency, drafted from its template, to review (?kind=)"},
	{"POST", "/requests/{id}/letters", page_letter_send, R(INTAKE) | R(REVIEWER), PAGE | FORM,
	 J, 303, HTML, "page: send the reviewed letter; stored and logged by its SHA-256"},
	{"POST", "/requests/{id}/verification-failure", page_verification_failure, R(REVIEWER),
	 PAGE | FORM, 4096, 303, HTML,
	 "page: the requester could not be verified (reason): counted against officer and "
	 "agency"},
	{"POST", "/requests/{id}/{step}", page_request_action, 0, PAGE | FORM, J, 303, HTML,
	 "page: a workflow step (decide, approve, verify, outcome, close, withdraw, "
	 "disclose, hold_renew, hold_release)"},
	{"GET", "/due", page_lists, 0, PAGE, 0, 200, HTML,
	 "page: notices, NDOs and holds, soonest due first"},
	{"GET", "/log", page_log, 0, PAGE, 0, 200, HTML,
	 "page: the latest checkpoint, the witnesses; ?verify=1 verifies the log"},
	{"GET", "/reports", page_reports, 0, PAGE, 0, 200, HTML,
	 "page: the transparency report of a half-year, previewed (?period=)"},
	{"POST", "/reports/publish", page_report_publish, R(COMPLIANCE), PAGE | FORM, 4096, 303,
	 HTML, "page: publish the report of a half-year (period, format)"},
	{"GET", "/admin", page_admin, R(ADMIN), PAGE, 0, 200, HTML, "page: users and API tokens"},
	{"POST", "/admin/users", page_admin_user, R(ADMIN), PAGE | FORM, 4096, 303, HTML,
	 "page: user add (name, roles)"},
	{"POST", "/admin/tokens", page_admin_token, R(ADMIN), PAGE | FORM, 4096, 201, HTML,
	 "page: token add (user, roles, expires); the token is on this answer only"},
	{"POST", "/admin/tokens/revoke", page_admin_revoke, R(ADMIN), PAGE | FORM, 4096, 303,
	 HTML, "page: token revoke (id)"},
	{"GET", "/intake", page_intake_get, R(INTAKE), PAGE, 0, 200, HTML,
	 "page: the intake form"},
	{"POST", "/intake", page_intake_post, R(INTAKE), PAGE | FORM | ROUTE_BODY_MULTIPART,
	 HTTP_BODY_DOC_MAX + J, 303, HTML,
	 "page: take in a request from the form"},


	/* the portals' pages (page_portal.c) */
	{"GET", "/my/sign-in", page_my_signin_get, 0, ROUTE_PUBLIC | PAGE, 0, 200, HTML,
	 "page: a customer's one-time link (?token=): signs in (an enterprise's "
	 "administrator: asks for the code); without a token, the form to ask for a link"},
	{"POST", "/my/sign-in", page_my_signin_post, 0,
	 ROUTE_PUBLIC | ROUTE_NO_CSRF | PAGE | FORM, 4096, 200, HTML,
	 "page: the link with an authenticator code (token, code)"},
	{"POST", "/my/sign-in/enrol", page_my_enrol, 0, ROUTE_PUBLIC | ROUTE_NO_CSRF | PAGE | FORM,
	 4096, 200, HTML, "page: an enterprise's administrator sets up an authenticator (token)"},
	{"POST", "/my/link", page_my_link, 0,
	 ROUTE_PUBLIC | ROUTE_NO_CSRF | ROUTE_UNSERIALIZED | PAGE | FORM, 4096, 200, HTML,
	 "page: ask for a sign-in link (email)"},
	{"GET", "/my/", page_my_home, R(CUSTOMER), PAGE, 0, 200, HTML,
	 "page: the customer's requests"},
	{"GET", "/my/requests/{id}", page_my_request, R(CUSTOMER), PAGE, 0, 200, HTML,
	 "page: one request, its notice and its log entry"},
	{"GET", "/agency/register", page_agency_register_get, 0, ROUTE_PUBLIC | PAGE, 0, 200,
	 HTML, "page: an officer's registration link (?token=): name and password"},
	{"POST", "/agency/register", page_agency_register_post, 0,
	 ROUTE_PUBLIC | ROUTE_NO_CSRF | ROUTE_UNSERIALIZED | PAGE | FORM, 8192, 200, HTML,
	 "page: complete the registration; shows the authenticator's setup once"},
	{"GET", "/agency/", page_agency_home, R(OFFICER), PAGE, 0, 200, HTML,
	 "page: the officer's agency's requests"},
	{"GET", "/agency/new", page_agency_new, R(OFFICER), PAGE, 0, 200, HTML,
	 "page: the submission form"},
	{"POST", "/agency/requests", page_agency_submit, R(OFFICER), PAGE | ROUTE_BODY_MULTIPART,
	 HTTP_BODY_DOC_MAX + J, 303, HTML, "page: submit a request with its PDFs"},
	{"GET", "/agency/requests/{id}", page_agency_request, R(OFFICER), PAGE, 0, 200, HTML,
	 "page: one of the agency's requests: status, letters, production"},
	{"POST", "/agency/requests/{id}/{step}", page_agency_action, R(OFFICER), PAGE | FORM,
	 4096, 303, HTML, "page: withdrawal or extension (reason)"},
	{"GET", "/portal", page_portal_staff, 0, PAGE, 0, 200, HTML,
	 "page: officers, registration attempts, suspended agencies"},
	{"POST", "/portal/suspend", page_portal_suspend, R(ADMIN), PAGE | FORM, 4096, 303, HTML,
	 "page: suspend or reinstate an officer or an agency"},

	{NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL},
};

size_t http_route_count(void)
{
	size_t n = 0;
	while (http_routes[n].method)
		n++;
	return n;
}
