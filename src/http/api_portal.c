/*
 * api_portal.c - the JSON API of the agency portal and the customer portal
 * (SPEC §14, §15; docs/portals.md): translate each call into one
 * app/portal.h function on the caller's session.
 *
 * One-time links are asked for without signing in, so each ask counts
 * against the client's address, and every wrong, used or expired token
 * counts as a failed sign-in of that address (429 after the limit):
 * guessing a 256-bit token is hopeless, and this keeps it so.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "app/portal.h"
#include "base/digest.h"
#include "base/err.h"
#include "base/util.h"
#include "core/config.h"
#include "http/handlers.h"
#include "http/page.h"
#include "http/server_int.h"

#define PDF_MAGIC "%PDF-"

const char *http_portal_url(struct http_req *req)
{
	char *v = NULL;
	if (config_get_value(req->st, config_find("portal_url"), &v) == 0 && v && *v) {
		const char *out = pool_strdup(req->pool, v);
		free(v);
		return out;
	}
	free(v);
	err_clear();
	if (req->srv->public_origin)
		return req->srv->public_origin;
	return pool_printf(req->pool, "%s://%s", req->srv->tls ? "https" : "http",
			   req->srv->listen ? req->srv->listen : "127.0.0.1:8080");
}

/* 429 when address has used up its tries (links asked, tokens wrong). */
static int limited(struct http_req *req, struct http_res *res, const char *kind)
{
	int64_t w = 0;
	int rc = auth_limits_wait(req, pool_printf(req->pool, "%s:%s", kind, req->remote),
				  SIGNIN_FAILURES_ADDR, &w);
	if (rc < 0)
		return rc;
	if (!w)
		return 0;
	char secs[24];
	snprintf(secs, sizeof(secs), "%lld", (long long)w);
	http_res_header(req, res, "Retry-After", secs);
	return err_set(E_RATE_LIMITED,
		       "too many tries from this address: try again in %lld "
		       "seconds",
		       (long long)w);
}

static void count(struct http_req *req, const char *kind)
{
	/* best effort: a failure to count is no reason to answer otherwise */
	if (auth_limits_fail(req, pool_printf(req->pool, "%s:%s", kind, req->remote)) < 0)
		err_clear();
}

/* A token that did not work counts against the address. */
static int token_failed(struct http_req *req, int rc)
{
	if (err_from_rc(rc) == E_UNAUTHENTICATED)
		count(req, "a");
	return rc;
}

/* The answer to a link asked for takes at least LINK_FLOOR_MS, whether a
 * link was made and mailed or not, so its timing does not tell a known
 * address from an unknown one either (the routes run outside the
 * server's write lock, so the wait holds nobody up). */
#define LINK_FLOOR_MS 250

static struct timespec link_start(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t;
}

static void link_floor(struct timespec start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	int64_t spent = (int64_t)(now.tv_sec - start.tv_sec) * 1000000000 +
			(now.tv_nsec - start.tv_nsec);
	int64_t left = (int64_t)LINK_FLOOR_MS * 1000000 - spent;
	if (left > 0) {
		struct timespec d = {(time_t)(left / 1000000000),
				     (long)(left % 1000000000)};
		nanosleep(&d, NULL);
	}
}

static int reply_accepted(struct http_req *req, struct http_res *res, const char *what)
{
	return http_reply_json(req, res, 202, json_pack("{s:s}", "status", what));
}

/* --- the agency portal --------------------------------------------------------- */

int api_agency_register(struct http_req *req, struct http_res *res)
{
	static const char *const fields[] = {"email", NULL};
	json_t *body;
	const char *email;
	int rc;
	if ((rc = limited(req, res, "l")) < 0 || (rc = http_body_json(req, &body)) < 0 ||
	    (rc = api_only_fields(body, fields)) < 0 ||
	    (rc = api_string(body, "email", PORTAL_EMAIL_MAX, 1, &email)) < 0)
		return rc;
	count(req, "l");
	struct timespec t0 = link_start();
	rc = app_agency_register_start(http_session(req), email, req->remote,
				       http_portal_url(req));
	link_floor(t0);
	if (rc < 0)
		return rc;
	return reply_accepted(
	    req, res,
	    "if the address is at a verified domain of an agency, a one-time "
	    "link is on its way to it");
}

int api_agency_register_finish(struct http_req *req, struct http_res *res)
{
	static const char *const fields[] = {"name", "password", NULL};
	json_t *body;
	const char *name, *password;
	char *uri = NULL;
	int rc;
	if ((rc = limited(req, res, "a")) < 0 || (rc = http_body_json(req, &body)) < 0 ||
	    (rc = api_only_fields(body, fields)) < 0 ||
	    (rc = api_string(body, "name", PORTAL_NAME_MAX, 1, &name)) < 0 ||
	    (rc = api_string(body, "password", AUTH_PASSWORD_MAX, 1, &password)) < 0)
		return rc;
	if ((rc = app_agency_register_finish(http_session(req), http_param(req, "token"),
					     name, password, &uri)) < 0)
		return token_failed(req, rc);
	json_t *j = json_pack("{s:s}", "totp_uri", uri);
	sodium_memzero(uri, strlen(uri));
	free(uri);
	return http_reply_json(req, res, 201, j);
}

int api_agency_requests(struct http_req *req, struct http_res *res)
{
	json_t *j;
	int rc = app_agency_requests_json(http_session(req), &j);
	return rc < 0 ? rc : http_reply_json(req, res, 200, j);
}

/* The uploads of a multipart submission: part "request" (the SPEC §3
 * JSON; not for a page's form, whose other parts are its fields) and any
 * number of "documents" files, each a PDF (by its first bytes, whatever it
 * claims) of at most HTTP_BODY_DOC_MAX bytes. */
int http_pdf_uploads(struct http_req *req, int page, const char **doc, size_t *doc_len,
		     struct app_upload **out, size_t *n_out)
{
	const struct multipart_part *parts;
	size_t np;
	int rc;
	*out = NULL;
	*n_out = 0;
	if ((rc = page_multipart(req, &parts, &np)) < 0)
		return rc;
	struct app_upload *ups = pool_alloc(req->pool, (np ? np : 1) * sizeof(*ups));
	size_t nu = 0;
	*doc = NULL;
	for (size_t i = 0; i < np; i++) {
		if (!page && !parts[i].filename &&
		    strcmp(parts[i].name, "request") == 0) {
			*doc = parts[i].data;
			*doc_len = parts[i].len;
			continue;
		}
		if (page &&
		    (!parts[i].filename || strcmp(parts[i].name, "documents") != 0 ||
		     (!*parts[i].filename && parts[i].len == 0)))
			continue; /* the form's fields; an empty file input */
		if (!parts[i].filename || strcmp(parts[i].name, "documents") != 0)
			return err_set(E_INVALID,
				       "field '%.32s': unknown part (a submission has "
				       "'request' and 'documents')",
				       parts[i].name);
		const char *fname = parts[i].filename;
		if (!*fname || strlen(fname) > 255 || strpbrk(fname, "/\\"))
			return err_set(E_INVALID,
				       "field 'documents': a document needs a plain "
				       "file name of at most 255 characters");
		if (parts[i].len > HTTP_BODY_DOC_MAX)
			return err_set(E_TOO_LARGE,
				       "field 'documents': '%s' is larger than %zu "
				       "bytes",
				       fname, HTTP_BODY_DOC_MAX);
		if (parts[i].len < strlen(PDF_MAGIC) ||
		    memcmp(parts[i].data, PDF_MAGIC, strlen(PDF_MAGIC)) != 0)
			return err_set(E_MEDIA_TYPE,
				       "field 'documents': '%s' is not a PDF (a PDF "
				       "begins with %s)",
				       fname, PDF_MAGIC);
		ups[nu] = (struct app_upload){.name = fname,
					      .media_type = "application/pdf",
					      .data = parts[i].data,
					      .len = parts[i].len};
		digest_hex(parts[i].data, parts[i].len, ups[nu].sha256);
		nu++;
	}
	if (!page && !*doc)
		return err_set(E_INVALID,
			       "field 'request': the part with the request's JSON is "
			       "missing");
	*out = ups;
	*n_out = nu;
	return 0;
}

int api_agency_request_add(struct http_req *req, struct http_res *res)
{
	const char *doc = req->body;
	size_t len = req->body_len;
	struct app_upload *ups = NULL;
	size_t nu = 0;
	int64_t id;
	json_t *j;
	int rc;
	const char *ct = http_media_type(req->pool, http_header(req, "Content-Type"));
	if (ct && strcmp(ct, "multipart/form-data") == 0) {
		if ((rc = http_pdf_uploads(req, 0, &doc, &len, &ups, &nu)) < 0)
			return rc;
		/* the request names its documents by hash: add those uploaded
		 * when it does not */
		json_error_t e;
		json_t *r = json_loadb(doc, len, JSON_REJECT_DUPLICATES, &e);
		if (!r || !json_is_object(r)) {
			json_decref(r);
			return err_set(E_BAD_JSON, "field 'request': not a JSON object");
		}
		if (nu && !json_object_get(r, "documents")) {
			json_t *docs = json_array();
			for (size_t i = 0; i < nu; i++)
				json_array_append_new(
				    docs, json_pack("{s:s, s:s}", "name", ups[i].name,
						    "sha256", ups[i].sha256));
			json_object_set_new(r, "documents", docs);
		}
		char *text = json_dumps(r, JSON_COMPACT);
		json_decref(r);
		doc = pool_strdup(req->pool, text);
		len = strlen(doc);
		free(text);
	}
	if ((rc = app_agency_request_add(http_session(req), doc, len, ups, nu, &id)) <
		0 ||
	    (rc = app_agency_request_json(http_session(req), id, &j)) < 0)
		return rc;
	http_res_header(
	    req, res, "Location",
	    pool_printf(req->pool, "/api/v1/agency/requests/%lld", (long long)id));
	return http_reply_json(req, res, 201, j);
}

int api_agency_request(struct http_req *req, struct http_res *res)
{
	int64_t id;
	json_t *j;
	int rc;
	if ((rc = http_param_id(req, "id", &id)) < 0 ||
	    (rc = app_agency_request_json(http_session(req), id, &j)) < 0)
		return rc;
	return http_reply_json(req, res, 200, j);
}

static int reason_of(struct http_req *req, const char **reason)
{
	static const char *const fields[] = {"reason", NULL};
	json_t *body;
	int rc;
	*reason = NULL;
	if (req->body_len == 0)
		return err_set(E_INVALID, "field 'reason': required");
	if ((rc = http_body_json(req, &body)) < 0 ||
	    (rc = api_only_fields(body, fields)) < 0)
		return rc;
	return api_string(body, "reason", 1000, 1, reason);
}

int api_agency_withdrawal(struct http_req *req, struct http_res *res)
{
	int64_t id;
	const char *reason;
	json_t *j;
	int rc;
	if ((rc = http_param_id(req, "id", &id)) < 0 ||
	    (rc = reason_of(req, &reason)) < 0 ||
	    (rc = app_agency_withdraw(http_session(req), id, reason)) < 0 ||
	    (rc = app_agency_request_json(http_session(req), id, &j)) < 0)
		return rc;
	return http_reply_json(req, res, 200, j);
}

int api_agency_extension(struct http_req *req, struct http_res *res)
{
	int64_t id;
	const char *reason;
	json_t *j;
	int rc;
	if ((rc = http_param_id(req, "id", &id)) < 0 ||
	    (rc = reason_of(req, &reason)) < 0 ||
	    (rc = app_agency_extension(http_session(req), id, reason)) < 0 ||
	    (rc = app_agency_request_json(http_session(req), id, &j)) < 0)
		return rc;
	return http_reply_json(req, res, 202, j);
}

int api_agency_production(struct http_req *req, struct http_res *res)
{
	int64_t id;
	struct package_ref p;
	int fd, rc;
	if ((rc = http_param_id(req, "id", &id)) < 0 ||
	    (rc = app_agency_production(http_session(req), id, http_package_dir(req), &p,
					&fd)) < 0)
		return rc;
	http_res_header(
	    req, res, "Content-Disposition",
	    pool_printf(req->pool, "attachment; filename=\"%s\"", p.file_name));
	http_res_header(req, res, "Digest",
			pool_printf(req->pool, "sha-256-hex=%s", p.sha256));
	return http_reply_file(res, 200, "application/gzip", fd, p.size);
}

/* --- staff ------------------------------------------------------------------------ */

int api_portal_overview(struct http_req *req, struct http_res *res)
{
	json_t *j;
	int rc = app_portal_overview_json(http_session(req), &j);
	return rc < 0 ? rc : http_reply_json(req, res, 200, j);
}

static int suspension(struct http_req *req, struct http_res *res, int agency, int suspend)
{
	const char *reason;
	int rc;
	const char *who = http_param(req, agency ? "agency" : "officer");
	if ((rc = reason_of(req, &reason)) < 0)
		return rc;
	rc = agency ? app_agency_suspend(http_session(req), who, suspend, reason)
		    : app_officer_suspend(http_session(req), who, suspend, reason);
	if (rc < 0)
		return rc;
	return http_reply_json(req, res, 200,
			       json_pack("{s:s, s:b}", agency ? "agency" : "officer", who,
					 "suspended", suspend));
}

int api_officer_suspend(struct http_req *req, struct http_res *res)
{
	return suspension(req, res, 0, 1);
}

int api_officer_reinstate(struct http_req *req, struct http_res *res)
{
	return suspension(req, res, 0, 0);
}

int api_agency_suspend(struct http_req *req, struct http_res *res)
{
	return suspension(req, res, 1, 1);
}

int api_agency_reinstate(struct http_req *req, struct http_res *res)
{
	return suspension(req, res, 1, 0);
}

int api_request_verification_failure(struct http_req *req, struct http_res *res)
{
	int64_t id;
	const char *reason;
	json_t *j;
	int rc;
	if ((rc = http_param_id(req, "id", &id)) < 0 ||
	    (rc = reason_of(req, &reason)) < 0 ||
	    (rc = app_verification_failure(http_session(req), id, reason)) < 0 ||
	    (rc = app_request_sender_json(http_session(req), id, &j)) < 0)
		return rc;
	return http_reply_json(req, res, 201, j);
}

int api_request_sender(struct http_req *req, struct http_res *res)
{
	int64_t id;
	json_t *j;
	int rc;
	if ((rc = http_param_id(req, "id", &id)) < 0 ||
	    (rc = app_request_sender_json(http_session(req), id, &j)) < 0)
		return rc;
	return http_reply_json(req, res, 200, j);
}

/* --- the customer portal ---------------------------------------------------------- */

int api_my_link(struct http_req *req, struct http_res *res)
{
	static const char *const fields[] = {"email", NULL};
	json_t *body;
	const char *email;
	int rc;
	if ((rc = limited(req, res, "l")) < 0 || (rc = http_body_json(req, &body)) < 0 ||
	    (rc = api_only_fields(body, fields)) < 0 ||
	    (rc = api_string(body, "email", PORTAL_EMAIL_MAX, 1, &email)) < 0)
		return rc;
	count(req, "l");
	struct timespec t0 = link_start();
	rc = app_my_link(http_session(req), email, http_portal_url(req));
	link_floor(t0);
	if (rc < 0)
		return rc;
	return reply_accepted(
	    req, res,
	    "if the address is a customer's contact, a sign-in link is on its "
	    "way to it");
}

int api_my_requests(struct http_req *req, struct http_res *res)
{
	json_t *j;
	int rc = app_my_requests_json(http_session(req), &j);
	return rc < 0 ? rc : http_reply_json(req, res, 200, j);
}

int api_my_request(struct http_req *req, struct http_res *res)
{
	int64_t id;
	json_t *j;
	int rc;
	if ((rc = http_param_id(req, "id", &id)) < 0 ||
	    (rc = app_my_request_json(http_session(req), id, 1, &j)) < 0)
		return rc;
	return http_reply_json(req, res, 200, j);
}

int api_my_proof(struct http_req *req, struct http_res *res)
{
	int64_t id;
	json_t *j;
	int rc;
	if ((rc = http_param_id(req, "id", &id)) < 0 ||
	    (rc = app_my_request_json(http_session(req), id, 1, &j)) < 0)
		return rc;
	json_t *proof = json_object_get(j, "proof");
	if (!proof) {
		json_decref(j);
		return err_set(E_NOTFOUND, "request %lld has no notice entry to prove",
			       (long long)id);
	}
	json_incref(proof);
	json_decref(j);
	http_res_header(req, res, "Content-Disposition",
			pool_printf(req->pool,
				    "attachment; filename=\"notice-proof-%lld.json\"",
				    (long long)id));
	return http_reply_json(req, res, 200, proof);
}

/* The one-time link's sign-in (GET /my/sign-in?token=T, and the form's
 * POST for an enterprise's administrator): sets the session cookie; the
 * page handlers answer. */
int http_my_signin(struct http_req *req, struct http_res *res, const char *token,
		   const char *totp)
{
	char cookie[AUTH_SECRET_LEN], csrf[AUTH_SECRET_LEN];
	char *user = NULL;
	int rc;
	if ((rc = limited(req, res, "a")) < 0)
		return rc;
	if ((rc = app_my_signin(http_session(req), token, totp, cookie, csrf, &user)) < 0)
		return token_failed(req, rc);
	http_res_header(req, res, "Set-Cookie",
			pool_printf(req->pool,
				    SESSION_COOKIE "=%s; Path=/; Secure; HttpOnly; "
						   "SameSite=Strict; Max-Age=%d",
				    cookie, AUTH_SESSION_MAX));
	/* signed in from here on: the page answering this very request (the
	 * link's page) carries the session's CSRF token in its forms */
	req->who.kind = HTTP_AUTH_SESSION;
	req->who.user = pool_strdup(req->pool, user);
	req->who.roles = ROLE_BIT(ROLE_CUSTOMER);
	req->who.csrf = pool_strdup(req->pool, csrf);
	sodium_memzero(cookie, sizeof(cookie));
	sodium_memzero(csrf, sizeof(csrf));
	free(user);
	return 0;
}

int http_my_limited(struct http_req *req, struct http_res *res)
{
	return limited(req, res, "a");
}

int http_my_token_failed(struct http_req *req, int rc)
{
	return token_failed(req, rc);
}
