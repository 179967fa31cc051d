/*
 * page.h - the staff pages of `docket serve` (SPEC §13, docs/pages.md):
 * HTML rendered on the server from the template files in templates/ by
 * core/present/tmpl.h, whose only interpolation escapes.
 *
 * Every page answers with a strict Content-Security-Policy (no inline
 * script or style: default-src 'self'), works without JavaScript and
 * posts plain forms (application/x-www-form-urlencoded, or
 * multipart/form-data for the intake form's documents), each carrying the
 * session's CSRF token in the field `csrf`; the server checks it and the
 * same-origin headers before the handler runs (server.c), as for the API.
 *
 * Page handlers are route rows with ROUTE_PAGE: when one fails, the
 * answer is an HTML page with the error (page_fail), and a caller who is
 * not signed in is sent to /signin.
 */
#ifndef DOCKET_HTTP_PAGE_H
#define DOCKET_HTTP_PAGE_H

#include <jansson.h>

#include "http/http.h"

#define PAGE_CSP                                                                  \
	"default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self'; " \
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
/* The same with the page's own scripts (the customer portal's proof check,
 * static/proof.js): still no inline script. */
#define PAGE_CSP_SCRIPT                                                           \
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " \
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "          \
	"base-uri 'none'; object-src 'none'"
#define PAGE_OUT_MAX ((size_t)4 << 20)   /* bytes of one rendered page */

/* Where the templates are: $DOCKET_TEMPLATES_DIR, else PREFIX/share/docket/
 * templates beside the installed binary, else the source tree's. */
const char *page_templates_dir(void);

/* Render template `name` (templates/NAME.html) over data (stolen) with the
 * common fields added (user, roles, csrf, nav, title) and answer with
 * status. */
int page_render(struct http_req *req, struct http_res *res, int status, const char *name,
		json_t *data);
/* Where a user of roles starts: the queue for staff, the agency portal
 * for an officer, the customer portal for a customer. */
const char *page_home_path(unsigned roles);
/* page_render() with another Content-Security-Policy (PAGE_CSP_SCRIPT). */
int page_render_csp(struct http_req *req, struct http_res *res, int status, const char *name,
		    json_t *data, const char *csp);
/* A 303 See Other to path. */
int page_redirect(struct http_req *req, struct http_res *res, const char *path);
/* The last error's message (a pool copy) for a page to show, its remedy
 * kept on req so that the page rendered next shows it too (the "remedy"
 * field, templates/remedy.html: http/remedy.h's page spelling and a link);
 * the error is then cleared. */
const char *page_take_error(struct http_req *req);
/* The answer for a failed page handler (rc < 0, message in err_msg()):
 * /signin for a caller who is not signed in, else the error page. */
void page_fail(struct http_req *req, struct http_res *res, int rc);

/* A field of the form body, urlencoded or multipart (pool string), or NULL
 * when absent or malformed (*bad set; a multipart field with a NUL). */
const char *page_field(struct http_req *req, const char *name, int *bad);
/* Every value of a repeated field (checkboxes), at most max; the count. */
size_t page_field_all(struct http_req *req, const char *name, const char **vals, size_t max);

/* --- multipart/form-data (multipart.c) ------------------------------------ */

#define MULTIPART_PARTS_MAX 64
#define MULTIPART_HEADER_MAX 4096

struct multipart_part {
	const char *name;          /* the form field */
	const char *filename;      /* NULL for a plain field */
	const char *media_type;    /* "application/octet-stream" when not given */
	const char *data;          /* into the body */
	size_t len;
};
/* The boundary parameter of a Content-Type header (pool), or NULL. */
const char *multipart_boundary(struct pool *p, const char *content_type);
/* Split body into its parts (at most max); E_INVALID naming 'documents'
 * for anything malformed. */
int multipart_parse(struct pool *p, const char *body, size_t len, const char *boundary,
		    struct multipart_part *parts, size_t max, size_t *n);
/* The parts of req's multipart body, parsed once per request; *n 0 and no
 * error for another content type. */
int page_multipart(struct http_req *req, const struct multipart_part **parts, size_t *n);
/* "in 3 d 4 h", "overdue by 2 h 5 min": the time from now to t. */
const char *page_time_left(struct http_req *req, int64_t now, int64_t t);

/* handlers (page_auth.c, page_requests.c, page_lists.c) */
int page_static(struct http_req *req, struct http_res *res);
int page_home(struct http_req *req, struct http_res *res);
int page_signin_get(struct http_req *req, struct http_res *res);
int page_signin_post(struct http_req *req, struct http_res *res);
int page_signin_code(struct http_req *req, struct http_res *res);
int page_link_get(struct http_req *req, struct http_res *res);
int page_link_post(struct http_req *req, struct http_res *res);
int page_signout(struct http_req *req, struct http_res *res);
int page_password_get(struct http_req *req, struct http_res *res);
int page_password_post(struct http_req *req, struct http_res *res);
int page_queue(struct http_req *req, struct http_res *res);
int page_request(struct http_req *req, struct http_res *res);
int page_letter_new(struct http_req *req, struct http_res *res);
int page_letter_send(struct http_req *req, struct http_res *res);
int page_document(struct http_req *req, struct http_res *res);
int page_request_action(struct http_req *req, struct http_res *res);
int page_intake_get(struct http_req *req, struct http_res *res);
int page_intake_post(struct http_req *req, struct http_res *res);
int page_lists(struct http_req *req, struct http_res *res);
int page_reports(struct http_req *req, struct http_res *res);
int page_report_publish(struct http_req *req, struct http_res *res);
int page_admin(struct http_req *req, struct http_res *res);
int page_admin_user(struct http_req *req, struct http_res *res);
int page_admin_token(struct http_req *req, struct http_res *res);
int page_admin_revoke(struct http_req *req, struct http_res *res);
int page_log(struct http_req *req, struct http_res *res);

#endif
