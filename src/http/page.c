/*
 * page.c - what every staff page shares (page.h): finding and rendering
 * templates, the common fields, redirects, the error page, form fields,
 * the stylesheet.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"
#include "app/letter.h"
#include "http/remedy.h"
#include "core/present/tmpl.h"
#include "model/enums.h"
#include "http/page.h"
#include "http/server_int.h"

/* --- the templates -------------------------------------------------------- */

const char *page_templates_dir(void)
{
	return app_templates_dir();
}

/* Read dir/rel (at most max bytes) into *text. */
static int read_small(const char *rel, size_t max, char **text, size_t *len)
{
	return app_template_read(rel, max, text, len);
}

static int load_template(void *ctx, const char *name, char **text, size_t *len)
{
	(void)ctx;
	char rel[TMPL_NAME_MAX + 8];
	snprintf(rel, sizeof(rel), "%s.html", name);
	return read_small(rel, TMPL_SOURCE_MAX, text, len);
}

/* --- common fields -------------------------------------------------------- */

static json_t *me_json(const struct http_req *req)
{
	json_t *roles = json_array(), *has = json_object();
	char text[256] = "";
	size_t len = 0;
	for (int r = 0; r < role__COUNT; r++)
		if (req->who.roles & ROLE_BIT(r)) {
			json_array_append_new(roles, json_string(role_str(r)));
			json_object_set_new(has, role_str(r), json_true());
			int n = snprintf(text + len, sizeof(text) - len, "%s%s", len ? ", " : "",
					 role_str(r));
			if (n > 0 && (size_t)n < sizeof(text) - len)
				len += (size_t)n;
		}
	return json_pack("{s:s, s:o, s:s, s:o, s:b}", "user", req->who.user, "roles", roles,
			 "roles_text", text, "is", has, "staff",
			 (req->who.roles & ROLES_STAFF) != 0);
}

const char *page_home_path(unsigned roles)
{
	if (roles & ROLES_STAFF)
		return "/queue";
	if (roles & ROLE_BIT(ROLE_OFFICER))
		return "/agency/";
	return "/my/";
}

const char *page_take_error(struct http_req *req)
{
	long long subject = 0;
	const char *msg = pool_strdup(req->pool, err_msg());
	req->remedy = (int)err_remedy(&subject);
	req->remedy_subject = subject;
	err_clear();
	return msg;
}

/* What templates/remedy.html shows: the page's spelling of the remedy
 * and where it links to; NULL when there is none. */
static json_t *remedy_json(const struct http_req *req)
{
	char text[512];
	enum err_remedy r = (enum err_remedy)req->remedy;
	if (r == REMEDY_NONE || !*http_remedy_spell(r, req->remedy_subject, FRONT_PAGE, text,
						      sizeof(text)))
		return NULL;
	json_t *j = json_pack("{s:s}", "text", text);
	switch (http_remedy_link(r)) {
	case REMEDY_LINK_SIGNIN:
		json_object_set_new(j, strncmp(req->path, "/my/", 4) == 0 ? "signin_my"
									  : "signin_staff",
				    json_true());
		break;
	case REMEDY_LINK_REQUEST:
		/* the request's own page names it already */
		if (req->remedy_subject > 0) {
			const char *own = pool_printf(req->pool, "/requests/%lld",
						      req->remedy_subject);
			size_t n = strlen(own);
			if (strncmp(req->path, own, n) != 0 ||
			    (req->path[n] != '\0' && req->path[n] != '/'))
				json_object_set_new(j, "request",
						    json_integer(req->remedy_subject));
		}
		break;
	case REMEDY_LINK_USERS:
		json_object_set_new(j, "users", json_true());
		break;
	case REMEDY_LINK_LOG:
		json_object_set_new(j, "log", json_true());
		break;
	case REMEDY_LINK_VERIFY:
		json_object_set_new(j, "verify", json_true());
		break;
	default:
		break;
	}
	return j;
}

int page_render(struct http_req *req, struct http_res *res, int status, const char *name,
		json_t *data)
{
	return page_render_csp(req, res, status, name, data, PAGE_CSP);
}

int page_render_csp(struct http_req *req, struct http_res *res, int status, const char *name,
		    json_t *data, const char *csp)
{
	struct tmpl *t = NULL;
	char *text = NULL;
	size_t len = 0;
	int rc;
	if (!data)
		data = json_object();
	if (req->who.user && !json_object_get(data, "me"))
		json_object_set_new(data, "me", me_json(req));
	if (req->who.csrf)
		json_object_set_new(data, "csrf", json_string(req->who.csrf));
	if (!json_object_get(data, "title"))
		json_object_set_new(data, "title", json_string("docket"));
	json_t *remedy = remedy_json(req);
	if (remedy)
		json_object_set_new(data, "remedy", remedy);
	if ((rc = load_template(NULL, name, &text, &len)) == 0) {
		rc = tmpl_compile(name, text, len, TMPL_HTML, load_template, NULL, &t);
		free(text);
	}
	if (rc == 0) {
		struct buf b;
		buf_init(&b, PAGE_OUT_MAX);
		rc = tmpl_render(t, data, &b);
		tmpl_free(t);
		if (rc == 0) {
			http_res_header(req, res, "Content-Security-Policy", csp);
			http_res_header(req, res, "X-Frame-Options", "DENY");
			/* a form post must carry its Origin for the same-origin check
			 * (with no-referrer, Chromium sends "Origin: null") */
			http_res_header(req, res, "Referrer-Policy", "same-origin");
			rc = http_reply(req, res, status, "text/html; charset=utf-8", b.ptr, b.len);
		}
		buf_release(&b);
	}
	json_decref(data);
	return rc;
}

int page_redirect(struct http_req *req, struct http_res *res, const char *path)
{
	http_res_header(req, res, "Location", path);
	return http_reply_empty(res, 303);
}

void page_fail(struct http_req *req, struct http_res *res, int rc)
{
	enum err_code code = err_from_rc(rc);
	int status = err_http_status(code);
	const char *msg = err_msg()[0] ? page_take_error(req) : err_name(code);
	res->n_headers = 0;
	if (code == E_UNAUTHENTICATED && strcmp(req->method, "GET") == 0) {
		/* a customer signs in with a link, everyone else with a password */
		page_redirect(req, res, strncmp(req->path, "/my/", 4) == 0 ? "/my/sign-in" : "/signin");
		return;
	}
	if (status >= 500) {
		fprintf(stderr, "docket serve: %s %s: %s\n", req->method, req->path, msg);
		msg = err_name(code);
		req->remedy = REMEDY_NONE;
	}
	if (status == 503)
		http_res_header(req, res, "Retry-After", "1");
	json_t *d = json_pack("{s:s, s:s, s:i, s:b}", "title", "Something went wrong", "message",
			      msg, "status", status, "signin", code == E_UNAUTHENTICATED);
	err_clear();
	if (page_render(req, res, status, "error", d) < 0) {
		fprintf(stderr, "docket serve: the error page: %s\n", err_msg());
		http_reply(req, res, status, "text/plain; charset=utf-8", "error\n", 6);
	}
}

struct page_form {
	int rc;
	size_t n;
	struct multipart_part parts[MULTIPART_PARTS_MAX];
};

static int is_multipart(struct http_req *req)
{
	const char *ct = http_media_type(req->pool, http_header(req, "Content-Type"));
	return ct && strcmp(ct, "multipart/form-data") == 0;
}

int page_multipart(struct http_req *req, const struct multipart_part **parts, size_t *n)
{
	struct page_form *f = req->form;
	*parts = NULL;
	*n = 0;
	if (!is_multipart(req))
		return 0;
	if (!f) {
		f = pool_alloc(req->pool, sizeof(*f));
		memset(f, 0, sizeof(*f));
		const char *b = multipart_boundary(req->pool, http_header(req, "Content-Type"));
		f->rc = b ? multipart_parse(req->pool, req->body, req->body_len, b, f->parts,
					    MULTIPART_PARTS_MAX, &f->n)
			  : err_set(E_INVALID, "field 'documents': no multipart boundary");
		req->form = f;
	}
	if (f->rc < 0)
		return err_set(E_INVALID, "field 'documents': a malformed multipart body");
	*parts = f->parts;
	*n = f->n;
	return 0;
}

static size_t field_values(struct http_req *req, const char *name, const char **vals,
			   size_t max, int *bad)
{
	size_t k = 0;
	*bad = 0;
	if (is_multipart(req)) {
		const struct multipart_part *p;
		size_t n;
		if (page_multipart(req, &p, &n) < 0) {
			*bad = 1;
			err_clear();
			return 0;
		}
		for (size_t i = 0; i < n && k < max; i++)
			if (!p[i].filename && strcmp(p[i].name, name) == 0) {
				if (memchr(p[i].data, '\0', p[i].len)) {
					*bad = 1;
					continue;
				}
				vals[k++] = pool_strndup(req->pool, p[i].data, p[i].len);
			}
		return k;
	}
	/* urlencoded: each name=value pair */
	const char *s = req->body, *end = req->body + req->body_len;
	size_t nl = strlen(name);
	while (s < end && k < max) {
		const char *amp = memchr(s, '&', (size_t)(end - s));
		const char *e = amp ? amp : end;
		if ((size_t)(e - s) >= nl && memcmp(s, name, nl) == 0 &&
		    (s + nl == e || s[nl] == '=')) {
			int b = 0;
			const char *v = http_form_value(req->pool, s, (size_t)(e - s), name, &b);
			if (b)
				*bad = 1;
			else if (v)
				vals[k++] = v;
		}
		s = e + (amp ? 1 : 0);
	}
	return k;
}

const char *page_field(struct http_req *req, const char *name, int *bad)
{
	const char *v = NULL;
	return field_values(req, name, &v, 1, bad) ? v : NULL;
}

size_t page_field_all(struct http_req *req, const char *name, const char **vals, size_t max)
{
	int bad;
	return field_values(req, name, vals, max, &bad);
}

const char *page_time_left(struct http_req *req, int64_t now, int64_t t)
{
	int64_t d = t - now, a = d < 0 ? -d : d;
	int64_t days = a / 86400, hours = (a % 86400) / 3600, mins = (a % 3600) / 60;
	const char *span;
	if (days)
		span = pool_printf(req->pool, "%lld d %lld h", (long long)days, (long long)hours);
	else if (hours)
		span = pool_printf(req->pool, "%lld h %lld min", (long long)hours,
				   (long long)mins);
	else
		span = pool_printf(req->pool, "%lld min", (long long)mins);
	return d < 0 ? pool_printf(req->pool, "overdue by %s", span)
		     : pool_printf(req->pool, "in %s", span);
}

/* --- the stylesheet -------------------------------------------------------- */

int page_static(struct http_req *req, struct http_res *res)
{
	static const struct {
		const char *name, *ctype;
	} files[] = {
		{"docket.css", "text/css; charset=utf-8"},
		{"proof.js", "text/javascript; charset=utf-8"},   /* docs/portals.md */
	};
	const char *file = http_param(req, "file");
	size_t i;
	for (i = 0; file && i < sizeof(files) / sizeof(files[0]); i++)
		if (strcmp(file, files[i].name) == 0)
			break;
	if (!file || i == sizeof(files) / sizeof(files[0]))
		return err_set(E_NOTFOUND, "no such file");
	char *text;
	size_t len;
	char rel[64];
	snprintf(rel, sizeof(rel), "static/%s", files[i].name);
	int rc = read_small(rel, 256 << 10, &text, &len);
	if (rc < 0)
		return rc;
	pool_defer(req->pool, free, text);
	http_res_header(req, res, "Cache-Control", "public, max-age=3600");
	return http_reply_static(res, 200, files[i].ctype, text, len);
}

int page_home(struct http_req *req, struct http_res *res)
{
	return page_redirect(req, res, req->who.user ? page_home_path(req->who.roles) : "/signin");
}
