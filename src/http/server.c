/*
 * server.c - `docket serve` on libmicrohttpd: the daemon and its limits,
 * one database connection per worker thread, reading bodies with a cap,
 * authentication and the checks every route shares, the access log, the
 * scheduler thread, and the drain on SIGTERM.
 *
 * libmicrohttpd 0.9.75 calls the access handler at least twice per
 * request: once when the headers are in (we allocate the request and
 * return MHD_YES - queueing a response here makes it close the connection,
 * so keep-alive would be lost), then once per chunk of body (we copy it
 * into a capped buffer), then once more with no data: only then do we run
 * the route and queue the response.  Errors found early (an oversize
 * Content-Length) are queued early on purpose: the connection closes, which
 * is what an oversize upload deserves.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/keys.h"
#include "base/util.h"
#include "app/app.h"
#include "http/remedy.h"
#include "core/access/auth.h"
#include "http/auth.h"
#include "http/cache.h"
#include "http/http.h"
#include "core/policy/rules.h"
#include "core/ledger/journal.h"
#include "http/page.h"
#include "http/server_int.h"
#include "log/signer.h"

/* --- one request ------------------------------------------------------- */

struct conn_req {
	struct pool pool;
	struct http_req req;
	struct http_res res;
	struct buf body;
	struct timespec start;
	const struct route *route;
	int match_status;          /* 404/405/414 when no route matched */
	int too_large;
	int counted;               /* counted in srv->active */
	struct MHD_Connection *conn;
};

static const char *conn_header(void *hctx, const char *name)
{
	struct conn_req *cr = hctx;
	return MHD_lookup_connection_value(cr->conn, MHD_HEADER_KIND, name);
}

/* --- the worker's database connection --------------------------------- */

static pthread_key_t store_key;
static pthread_once_t store_once = PTHREAD_ONCE_INIT;

static void store_destroy(void *p)
{
	store_close(p);
}

static void store_key_init(void)
{
	pthread_key_create(&store_key, store_destroy);
}

/* This thread's connection, opened on first use. */
int http_worker_store(struct http_server *srv, struct store **out)
{
	pthread_once(&store_once, store_key_init);
	struct store *st = pthread_getspecific(store_key);
	if (!st) {
		int rc = store_open(srv->db_path, STORE_OPEN_EXISTING, &st);
		if (rc < 0)
			return rc;
		pthread_setspecific(store_key, st);
	}
	*out = st;
	return 0;
}

int http_change_mark(struct http_req *req, const struct store_mark **out)
{
	if (!req->has_mark) {
		int rc = store_change_mark(req->st, &req->mark);
		if (rc < 0)
			return rc;
		req->has_mark = 1;
	}
	*out = &req->mark;
	return 0;
}

/* --- responses -------------------------------------------------------- */

void http_res_header(struct http_req *req, struct http_res *res, const char *name,
		     const char *value)
{
	if (res->n_headers >= HTTP_MAX_RES_HEADERS)
		return;
	res->headers[res->n_headers].name = pool_strdup(req->pool, name);
	res->headers[res->n_headers].value = pool_strdup(req->pool, value);
	res->n_headers++;
}

int http_reply_static(struct http_res *res, int status, const char *ctype,
		      const void *body, size_t len)
{
	res->status = status;
	res->ctype = ctype;
	res->body = body;
	res->len = len;
	return 0;
}

int http_reply(struct http_req *req, struct http_res *res, int status, const char *ctype,
	       const void *body, size_t len)
{
	return http_reply_static(res, status, ctype, pool_memdup(req->pool, body, len), len);
}

int http_reply_json(struct http_req *req, struct http_res *res, int status, json_t *j)
{
	if (!j)
		return err_set(E_INTERNAL, "no response");
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	if (!s)
		return err_set(E_INTERNAL, "cannot encode the response");
	size_t n = strlen(s);
	char *copy = pool_memdup(req->pool, s, n);
	free(s);
	return http_reply_static(res, status, "application/json", copy, n);
}

int http_reply_file(struct http_res *res, int status, const char *ctype, int fd,
		    uint64_t size)
{
	res->status = status;
	res->ctype = ctype;
	res->fd = fd;
	res->fd_len = size;
	return 0;
}

int http_reply_empty(struct http_res *res, int status)
{
	return http_reply_static(res, status, NULL, "", 0);
}

int http_reply_error(struct http_req *req, struct http_res *res, int status,
		     const char *code, const char *message, const char *field)
{
	json_t *e = json_pack("{s:s, s:s}", "code", code, "message", message);
	json_object_set_new(e, "field", field ? json_string(field) : json_null());
	return http_reply_json(req, res, status, json_pack("{s:o}", "error", e));
}

/* "invalid input" -> "invalid_input" */
static const char *error_code(struct pool *p, enum err_code code)
{
	char *s = pool_strdup(p, err_name(code));
	for (char *c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')))
			*c = '_';
	return s;
}

/* The field a message names: "field 'process': ..." -> "process"; a query
 * parameter is the field of a GET: "query parameter 'limit' ..." -> "limit". */
static const char *error_field(struct pool *p, const char *msg)
{
	const char *f = strstr(msg, "field '");
	if (f) {
		f += 7;
	} else if ((f = strstr(msg, "query parameter '"))) {
		f += 17;
	} else {
		return NULL;
	}
	const char *end = strchr(f, '\'');
	return end && end > f ? pool_strndup(p, f, (size_t)(end - f)) : NULL;
}

/* The way forward a refusal names (base/err.h), as the API spells it: the
 * call to make (http/remedy.c).  "" when it has none. */
static const char *remedy_text(struct pool *p)
{
	char buf[512];
	return pool_strdup(p, http_remedy_text(FRONT_API, buf, sizeof(buf)));
}

int http_reply_err(struct http_req *req, struct http_res *res, int rc)
{
	enum err_code code = err_from_rc(rc);
	int status = err_http_status(code);
	const char *msg = err_msg()[0] ? err_msg() : err_name(code);
	const char *remedy = remedy_text(req->pool);
	if (*remedy)
		msg = pool_printf(req->pool, "%s%s", msg, remedy);
	if (status >= 500) {
		/* the detail (paths, engine messages) goes to the server's log,
		 * the client gets the class of the failure */
		fprintf(stderr, "docket serve: %s %s: %s\n", req->method, req->path, msg);
		msg = err_name(code);
	}
	if (status == 503)
		http_res_header(req, res, "Retry-After", "1");
	if (status == 401)
		http_res_header(req, res, "WWW-Authenticate", "Bearer realm=\"docket\"");
	/* the log may be read from any origin, its refusals too (docs/api.md) */
	if (req->path && strncmp(req->path, "/log/", 5) == 0)
		http_res_header(req, res, "Access-Control-Allow-Origin", "*");
	http_reply_error(req, res, status, error_code(req->pool, code),
			 msg, error_field(req->pool, msg));
	return 0;
}

/* --- what every handler may ask ---------------------------------------- */

const char *http_header(const struct http_req *req, const char *name)
{
	return req->header_fn ? req->header_fn(req->hctx, name) : NULL;
}

const char *http_param(const struct http_req *req, const char *name)
{
	for (size_t i = 0; i < req->n_params; i++)
		if (strcmp(req->params[i].name, name) == 0)
			return req->params[i].value;
	return NULL;
}

int http_param_id(const struct http_req *req, const char *name, int64_t *id)
{
	const char *v = http_param(req, name);
	int64_t n = 0;
	if (!v || !*v || strlen(v) > 18)
		return err_set(E_NOTFOUND, "no such %s", name);
	for (const char *c = v; *c; c++) {
		if (*c < '0' || *c > '9')
			return err_set(E_NOTFOUND, "no such %s '%.40s'", name, v);
		n = n * 10 + (*c - '0');
	}
	if (n <= 0)
		return err_set(E_NOTFOUND, "no such %s '%.40s'", name, v);
	*id = n;
	return 0;
}

const char *http_query(struct http_req *req, const char *name, int *rc)
{
	int bad = 0;
	const char *v = http_form_value(req->pool, req->query, strlen(req->query), name, &bad);
	if (bad)
		*rc = err_set(E_USAGE, "query parameter '%s' is badly encoded", name);
	/* "?state=&q=x" (SPEC §12 writes the list's query so, and a GET form
	 * sends its empty fields so): an empty value is no filter */
	return v && *v ? v : NULL;
}

static void json_release(void *j)
{
	json_decref(j);
}

int http_body_json(struct http_req *req, json_t **out)
{
	int rc = http_json_parse(req->body, req->body_len, out);
	if (rc == 0)
		pool_defer(req->pool, json_release, *out);
	return rc;
}

/* The caller's session: the signed-in user (or "-") and roles on this
 * worker's connection, with the signing key loaded at start.  It lives in
 * the pool and borrows everything: never session_close() it. */
struct session *http_session(struct http_req *req)
{
	if (req->session)
		return req->session;
	struct session *s = pool_alloc(req->pool, sizeof(*s));
	s->st = req->st;
	s->db = pool_strdup(req->pool, req->srv->db_path);
	s->user = pool_strdup(req->pool, req->who.user ? req->who.user : "-");
	s->roles = req->who.user ? req->who.roles : 0;
	s->now = req->now;
	s->rules_dir = req->srv->rules_dir ? pool_strdup(req->pool, req->srv->rules_dir)
					   : NULL;
	s->rules = req->srv->rules;
	s->signer = req->srv->signer;
	s->ns_signer = req->srv->ns_signer;
	s->origin = req->srv->origin;
	req->session = s;
	return s;
}

/* --- the access log ----------------------------------------------------- */

/* One line per request: time, client, method, path (never the query, which
 * may carry a search for an account or a one-time token), status, bytes,
 * milliseconds, the user or "-".  No header, cookie or body is logged.
 *
 * Lines are gathered in a buffer and written in one go - not one write per
 * request, and never with the lock held for each - when the buffer is
 * nearly full, when no other request is in flight (so a quiet server's log
 * is always up to date), when the last write is a second old, and at the
 * drain.  Under load a line may wait up to a second; the access log is for
 * operators, the record of what was done is the Merkle log. */
static void access_flush_locked(struct http_server *srv)
{
	if (srv->access_len) {
		fwrite(srv->access_buf, 1, srv->access_len, srv->access);
		fflush(srv->access);
		srv->access_len = 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &srv->access_flushed);
}

static void access_flush(struct http_server *srv)
{
	pthread_mutex_lock(&srv->log_lock);
	access_flush_locked(srv);
	pthread_mutex_unlock(&srv->log_lock);
}

static void access_log(struct http_server *srv, struct conn_req *cr, const char *method)
{
	struct timespec end;
	clock_gettime(CLOCK_MONOTONIC, &end);
	long ms = (long)((end.tv_sec - cr->start.tv_sec) * 1000 +
			 (end.tv_nsec - cr->start.tv_nsec) / 1000000);
	char at[TS_BUFSZ];
	int64_t now;
	if (clock_now(&now) < 0)
		now = 0;
	time_format(now, at);
	char path[256];
	size_t n = 0;
	/* a one-time token in the path (/api/v1/agency/registrations/T) is
	 * logged as the route's pattern */
	const char *shown = cr->req.path ? cr->req.path : "-";
	if (cr->route && strstr(cr->route->pattern, "{token}"))
		shown = cr->route->pattern;
	/* ... also when no route took it: a GET of that path (405), a last
	 * '/' or more after the token (404) */
	for (const struct route *r = http_routes; !cr->route && r->method; r++) {
		const char *t = strstr(r->pattern, "{token}");
		size_t pl = t ? (size_t)(t - r->pattern) : 0;
		if (t && strncmp(shown, r->pattern, pl) == 0 && shown[pl]) {
			shown = r->pattern;
			break;
		}
	}
	for (const char *p = shown; *p && n < sizeof(path) - 1; p++)
		path[n++] = (*p < 0x21 || *p > 0x7e || *p == '"') ? '?' : *p;
	path[n] = '\0';
	unsigned long long bytes =
		cr->res.fd >= 0 ? (unsigned long long)cr->res.fd_len : cr->res.len;
	char line[ACCESS_LINE_MAX];
	int len = snprintf(line, sizeof(line), "%s %s \"%s %s\" %d %llu %ldms %s\n", at,
			   cr->req.remote ? cr->req.remote : "-", method, path, cr->res.status,
			   bytes, ms, cr->req.who.user ? cr->req.who.user : "-");
	if (len < 0)
		return;
	if ((size_t)len >= sizeof(line)) {   /* cut, still one line */
		len = (int)sizeof(line) - 1;
		line[len - 1] = '\n';
	}
	pthread_mutex_lock(&srv->log_lock);
	if (srv->access_len + (size_t)len > sizeof(srv->access_buf))
		access_flush_locked(srv);
	memcpy(srv->access_buf + srv->access_len, line, (size_t)len);
	srv->access_len += (size_t)len;
	if (atomic_load(&srv->active) <= 1 || end.tv_sec - srv->access_flushed.tv_sec >= 1)
		access_flush_locked(srv);
	pthread_mutex_unlock(&srv->log_lock);
}

/* --- checks before the handler ------------------------------------------ */

static int is_safe_method(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "OPTIONS") == 0;
}

/* The origin this server answers as: the configured public origin, else
 * the scheme and Host of the request. */
static const char *own_origin(struct http_req *req)
{
	if (req->srv->public_origin)
		return req->srv->public_origin;
	const char *host = http_header(req, "Host");
	if (!host)
		return NULL;
	return pool_printf(req->pool, "%s://%s", req->srv->tls ? "https" : "http", host);
}

/* A state change made with a session cookie: the CSRF token (header or
 * form field) and a same-origin Sec-Fetch-Site or Origin (SPEC §12). */
static int csrf_check(struct http_req *req)
{
	const char *site = http_header(req, "Sec-Fetch-Site");
	const char *origin = http_header(req, "Origin");
	if (!site && !origin)
		return err_set(E_FORBIDDEN, "a request signed in by cookie must come from this "
					    "site: no Sec-Fetch-Site or Origin header");
	if (site && strcmp(site, "same-origin") != 0)
		return err_set(E_FORBIDDEN, "cross-site request refused (Sec-Fetch-Site: %.20s)",
			       site);
	if (origin) {
		const char *own = own_origin(req);
		if (!own || strcmp(origin, own) != 0)
			return err_set(E_FORBIDDEN, "cross-origin request refused");
	}
	const char *token = http_header(req, "X-CSRF-Token");
	if (!token) {
		const char *ct = http_media_type(req->pool, http_header(req, "Content-Type"));
		int bad = 0;
		if (ct && (strcmp(ct, "application/x-www-form-urlencoded") == 0 ||
			   strcmp(ct, "multipart/form-data") == 0))
			token = page_field(req, "csrf", &bad);   /* a page's form */
	}
	if (!token || !auth_equal(token, req->who.csrf))
		return err_set(E_FORBIDDEN, "missing or wrong CSRF token (header X-CSRF-Token "
					    "or form field csrf)");
	return 0;
}

static int content_type_check(struct http_req *req, const struct route *r)
{
	if (req->body_len == 0)
		return 0;
	if (r->body_max == 0)
		return err_set(E_MEDIA_TYPE, "this endpoint takes no body");
	const char *ct = http_media_type(req->pool, http_header(req, "Content-Type"));
	if ((r->flags & (ROUTE_BODY_FORM | ROUTE_BODY_JSON)) && (r->flags & ROUTE_BODY_MULTIPART) &&
	    ct && strcmp(ct, "multipart/form-data") == 0)
		return 0;   /* a form (or JSON) that takes multipart too */
	if ((r->flags & ROUTE_BODY_JSON) && ct && strcmp(ct, "application/json") == 0)
		return 0;
	if (r->flags & ROUTE_BODY_JSONL) {
		if (ct && (strcmp(ct, "application/x-ndjson") == 0 ||
			   strcmp(ct, "application/jsonl") == 0))
			return 0;
		return err_set(E_MEDIA_TYPE, "content type must be application/x-ndjson or "
					     "application/jsonl");
	}
	const char *want = (r->flags & ROUTE_BODY_TEXT)        ? "text/plain"
			   : (r->flags & ROUTE_BODY_FORM)      ? "application/x-www-form-urlencoded"
			   : (r->flags & ROUTE_BODY_MULTIPART) ? "multipart/form-data"
							       : "application/json";
	if (!ct || strcmp(ct, want) != 0)
		return err_set(E_MEDIA_TYPE, "content type must be %s", want);
	return 0;
}

/* Authenticate, authorise and check the request; then run the handler. */
static int dispatch(struct http_req *req, struct http_res *res)
{
	const struct route *r = req->route;
	int rc;
	if ((rc = http_worker_store(req->srv, &req->st)) < 0)
		return rc;
	if ((rc = http_identify(req)) < 0)
		return rc;
	if (!(r->flags & ROUTE_PUBLIC)) {
		if (!req->who.user) {
			rc = err_set(E_UNAUTHENTICATED, "not signed in, or the session has ended");
			err_set_remedy(REMEDY_SIGN_IN, 0);
			return rc;
		}
		unsigned need_roles = r->roles ? r->roles
				      : (r->flags & ROUTE_ANY_USER) ? 0 : ROLES_STAFF;
		if (need_roles && !(req->who.roles & need_roles)) {
			char need[128];
			roles_format(need_roles, need, sizeof(need));
			return err_set(E_FORBIDDEN, "user '%s' may not do this: it needs the "
						    "role %s",
				       req->who.user, need);
		}
	}
	if (req->who.kind == HTTP_AUTH_SESSION && !is_safe_method(req->method) &&
	    !(r->flags & ROUTE_NO_CSRF) && (rc = csrf_check(req)) < 0)
		return rc;
	if ((rc = content_type_check(req, r)) < 0)
		return rc;
	if (is_safe_method(req->method) || (r->flags & ROUTE_UNSERIALIZED))
		return r->fn(req, res);
	/* Changes take turns inside the process: SQLite has one writer, and a
	 * worker waiting here wakes the moment the lock is free, where one
	 * waiting in SQLite's busy handler sleeps in growing steps.  Other
	 * processes (the command line, another server) still meet the busy
	 * timeout and the unit of work's retries. */
	pthread_mutex_lock(&req->srv->write_lock);
	rc = r->fn(req, res);
	pthread_mutex_unlock(&req->srv->write_lock);
	return rc;
}

/* --- libmicrohttpd callbacks --------------------------------------------- */

static void default_headers(struct http_server *srv, struct MHD_Response *resp,
			    const struct http_res *res)
{
	int has_cache = 0, has_csp = 0, has_referrer = 0;
	for (size_t i = 0; i < res->n_headers; i++) {
		MHD_add_response_header(resp, res->headers[i].name, res->headers[i].value);
		if (strcasecmp(res->headers[i].name, "Cache-Control") == 0)
			has_cache = 1;
		if (strcasecmp(res->headers[i].name, "Content-Security-Policy") == 0)
			has_csp = 1;
		if (strcasecmp(res->headers[i].name, "Referrer-Policy") == 0)
			has_referrer = 1;
	}
	if (res->ctype)
		MHD_add_response_header(resp, "Content-Type", res->ctype);
	if (!has_cache)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (!has_referrer)
		MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	if (!has_csp)
		MHD_add_response_header(resp, "Content-Security-Policy",
					"default-src 'none'; frame-ancestors 'none'");
	if (srv->tls)
		MHD_add_response_header(resp, "Strict-Transport-Security",
					"max-age=31536000");
}

/* The response of a kept view (http/cache.h), made once and queued on
 * every connection that asks for the view while it is kept:
 * libmicrohttpd counts its users and sends the same bytes and headers to
 * each (its Date header is its own, per send).  Freed with the view. */
static void *view_response(const struct cache_view *v, void *ctx)
{
	struct http_server *srv = ctx;
	struct http_res res = {.status = 200, .ctype = "application/json", .fd = -1};
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(v->len, (void *)v->body, MHD_RESPMEM_PERSISTENT);
	if (resp)
		default_headers(srv, resp, &res);
	return resp;
}

static void view_response_free(void *resp)
{
	MHD_destroy_response(resp);
}

static enum MHD_Result queue(struct http_server *srv, struct conn_req *cr)
{
	struct MHD_Response *resp;
	if (cr->res.view && cr->res.n_headers == 0 && cr->res.fd < 0 && cr->res.status == 200 &&
	    (resp = cache_view_extra(cr->res.view, view_response, srv)) != NULL)
		return MHD_queue_response(cr->conn, 200, resp);
	if (cr->res.fd >= 0) {
		resp = MHD_create_response_from_fd64(cr->res.fd_len, cr->res.fd);
		cr->res.fd = -2;   /* transferred to libmicrohttpd, which closes it */
	} else {
		resp = MHD_create_response_from_buffer(cr->res.len, (void *)cr->res.body,
						       MHD_RESPMEM_PERSISTENT);
	}
	if (!resp)
		return MHD_NO;
	default_headers(srv, resp, &cr->res);
	enum MHD_Result ret = MHD_queue_response(cr->conn, (unsigned)cr->res.status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* The error answer; headers the handler set stay (Retry-After). */
static void fail(struct conn_req *cr, int rc)
{
	/* a page's refusal is a page, also before its handler ran (a body over
	 * the route's cap) */
	if (cr->route && (cr->route->flags & ROUTE_PAGE)) {
		page_fail(&cr->req, &cr->res, rc);
		return;
	}
	http_reply_err(&cr->req, &cr->res, rc);
}

static const char *client_address(struct pool *p, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char host[INET6_ADDRSTRLEN] = "-";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
				  host, sizeof(host));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, host,
				  sizeof(host));
	}
	return pool_strdup(p, host);
}

/* Behind a proxy on this host, the client is the last X-Forwarded-For
 * entry (the one the proxy added); anything else in the header came from
 * the client and is ignored.  A value that is not an address is ignored. */
static const char *forwarded_for(struct http_req *req)
{
	if (strcmp(req->remote, "127.0.0.1") != 0 && strcmp(req->remote, "::1") != 0)
		return req->remote;
	const char *xff = http_header(req, "X-Forwarded-For");
	if (!xff)
		return req->remote;
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	char addr[INET6_ADDRSTRLEN];
	size_t n = strcspn(last, " ");
	if (n == 0 || n >= sizeof(addr))
		return req->remote;
	memcpy(addr, last, n);
	addr[n] = '\0';
	unsigned char bin[16];
	if (inet_pton(AF_INET, addr, bin) != 1 && inet_pton(AF_INET6, addr, bin) != 1)
		return req->remote;
	return pool_strdup(req->pool, addr);
}

static struct conn_req *conn_req_new(struct http_server *srv, struct MHD_Connection *c,
				     const char *url, const char *method)
{
	struct conn_req *cr = xcalloc(1, sizeof(*cr));
	clock_gettime(CLOCK_MONOTONIC, &cr->start);
	pool_init(&cr->pool);
	cr->conn = c;
	cr->res.fd = -1;
	struct http_req *req = &cr->req;
	req->pool = &cr->pool;
	req->srv = srv;
	req->method = pool_strdup(&cr->pool, method);
	req->header_fn = conn_header;
	req->hctx = cr;
	req->remote = client_address(&cr->pool, c);
	if (srv->trust_proxy)
		req->remote = forwarded_for(req);
	req->body = "";
	/* MHD gives the path without the query; the raw query is read back
	 * from the argument list only where a handler asks, so keep ours */
	size_t ulen = strnlen(url, HTTP_PATH_MAX + 1);
	req->path = pool_strndup(&cr->pool, url, ulen);
	req->query = "";
	const struct route *r = http_route_match(req, method, req->path, &cr->match_status);
	cr->route = r;
	req->route = r;
	buf_init(&cr->body, r ? r->body_max : 0);
	atomic_fetch_add(&srv->active, 1);
	cr->counted = 1;
	return cr;
}

/* libmicrohttpd leaves the path and the query's arguments as they came
 * (no_unescape below): the router decodes each path parameter itself
 * (parse.c), so an escaped '/' ("W-1%2F2026") stays inside its segment and
 * a "%00" is refused instead of cutting the path short. */
static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

/* MHD splits the query into arguments (still escaped, a '+' made a space);
 * rebuild the query string so handlers parse one form. */
static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	(void)kind;
	struct buf *b = cls;
	if (b->len)
		buf_addc(b, '&');
	for (int part = 0; part < 2; part++) {
		const char *s = part ? value : key;
		if (part) {
			if (!value)
				break;
			buf_addc(b, '=');
		}
		for (; s && *s; s++)
			buf_addc(b, *s == ' ' ? '+' : *s);
	}
	return MHD_YES;
}

static void read_query(struct conn_req *cr)
{
	struct buf b;
	buf_init(&b, 8192);
	MHD_get_connection_values(cr->conn, MHD_GET_ARGUMENT_KIND, add_arg, &b);
	cr->req.query = pool_memdup(&cr->pool, b.ptr, b.len);
	buf_release(&b);
}

static void run(struct http_server *srv, struct conn_req *cr)
{
	struct http_req *req = &cr->req;
	int rc;
	err_clear();
	if (clock_now(&req->now) < 0)
		req->now = 0;
	read_query(cr);
	if (!cr->route) {
		if (cr->match_status == 405) {
			const char *allow = http_route_allow(&cr->pool, req->path);
			if (allow)
				http_res_header(req, &cr->res, "Allow", allow);
			rc = err_set(E_METHOD, "method %s is not allowed here", req->method);
		} else if (cr->match_status == 414)
			rc = err_set(E_USAGE, "path too long");
		else
			rc = err_set(E_NOTFOUND, "no such endpoint");
		fail(cr, rc);
		return;
	}
	if (cr->too_large) {
		fail(cr, err_set(E_TOO_LARGE, "body larger than %zu bytes", cr->route->body_max));
		return;
	}
	req->body = pool_memdup(&cr->pool, cr->body.ptr, cr->body.len);
	req->body_len = cr->body.len;
	buf_release(&cr->body);
	if (atomic_load(&srv->draining) && !is_safe_method(req->method))
		http_res_header(req, &cr->res, "Connection", "close");
	rc = dispatch(req, &cr->res);
	if (rc < 0)
		fail(cr, rc);
	else if (cr->res.status == 0)
		fail(cr, err_set(E_INTERNAL, "no response"));
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct conn_req *cr = *con_cls;
	(void)version;
	if (!cr) {
		cr = conn_req_new(srv, c, url, method);
		*con_cls = cr;
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							     "Content-Length");
		if (cr->route && cl && strtoull(cl, NULL, 10) > cr->route->body_max) {
			/* refuse at once: the connection closes after it */
			cr->too_large = 1;
			read_query(cr);
			fail(cr, err_set(E_TOO_LARGE, "body larger than %zu bytes",
					 cr->route->body_max));
			return queue(srv, cr);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!cr->too_large && buf_add(&cr->body, upload_data, *upload_size) < 0)
			cr->too_large = 1;
		*upload_size = 0;
		return MHD_YES;
	}
	if (cr->res.status)
		return MHD_YES;   /* queued early */
	run(srv, cr);
	return queue(srv, cr);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_server *srv = cls;
	struct conn_req *cr = *con_cls;
	(void)c;
	(void)toe;
	if (!cr)
		return;
	if (cr->res.status)
		access_log(srv, cr, cr->req.method);
	if (cr->res.fd >= 0)
		close(cr->res.fd);
	buf_release(&cr->body);
	pool_release(&cr->pool);
	if (cr->counted)
		atomic_fetch_sub(&srv->active, 1);
	free(cr);
	*con_cls = NULL;
}

/* --- the scheduler ------------------------------------------------------- */

static void *scheduler(void *arg)
{
	struct http_server *srv = arg;
	pthread_mutex_lock(&srv->tick_lock);
	while (!srv->stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += srv->tick_s;
		while (!srv->stopping &&
		       pthread_cond_timedwait(&srv->tick_cond, &srv->tick_lock, &until) == 0)
			;
		if (srv->stopping)
			break;
		pthread_mutex_unlock(&srv->tick_lock);
		http_tick(srv);
		pthread_mutex_lock(&srv->tick_lock);
	}
	pthread_mutex_unlock(&srv->tick_lock);
	return NULL;
}

/* --- start, run, drain ---------------------------------------------------- */

void http_config_init(struct http_config *c)
{
	memset(c, 0, sizeof(*c));
	c->listen = "127.0.0.1:8080";
	c->threads = 4;
	c->conn_max = 256;
	c->conn_per_ip = 32;
	c->timeout_s = 30;
	c->header_max = 32 * 1024;
	c->tick_s = 60;
}

static int parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[256];
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s || (size_t)(colon - s) >= sizeof(host) || !colon[1])
		return err_set(E_USAGE, "--listen '%s' must be ADDR:PORT", s);
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	char *h = host;
	size_t hl = strlen(h);
	if (h[0] == '[' && hl > 2 && h[hl - 1] == ']') {
		h[hl - 1] = '\0';
		h++;
	}
	/* getaddrinfo() takes "99999" and listens on 99999 mod 65536 */
	const char *port = colon + 1;
	size_t pl = strlen(port);
	if (pl > 5 || strspn(port, "0123456789") != pl || port[0] == '0' ||
	    strtol(port, NULL, 10) > 65535)
		return err_set(E_USAGE, "--listen '%s': the port must be a number from 1 to 65535",
			       s);
	struct addrinfo hints = {0}, *ai = NULL;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(h, colon + 1, &hints, &ai) != 0 || !ai)
		return err_set(E_USAGE, "--listen '%s' must be a numeric ADDR:PORT", s);
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

static int read_pem(const char *path, const char *what, char **out)
{
	struct buf b;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return err_set(errno == ENOENT ? E_NOTFOUND : E_IO, "%s: cannot open '%s': %s",
			       what, path, strerror(errno));
	buf_init(&b, 1 << 20);
	int rc = buf_read_file(&b, fp, path);
	fclose(fp);
	if (rc < 0) {
		buf_release(&b);
		return rc;
	}
	*out = buf_detach(&b, NULL);
	return 0;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fprintf(stderr, "docket serve: ");
	vfprintf(stderr, fmt, ap);
}

static int server_load(struct http_server *srv, const struct http_config *c)
{
	int rc;
	struct store *st = NULL;
	srv->db_path = c->db_path;
	srv->public_origin = c->public_origin;
	srv->listen = c->listen;
	srv->tick_s = c->tick_s;
	srv->access = c->access_log ? c->access_log : stderr;
	srv->tls = c->tls_cert != NULL;
	srv->trust_proxy = c->trust_proxy;
	srv->cache = c->no_cache ? NULL : cache_new(view_response_free);
	pthread_mutex_init(&srv->log_lock, NULL);
	pthread_mutex_init(&srv->write_lock, NULL);
	pthread_mutex_init(&srv->tick_lock, NULL);
	pthread_cond_init(&srv->tick_cond, NULL);
	if ((rc = http_key_files_check(c->db_path)) < 0)
		return rc;
	if ((rc = store_open(c->db_path, STORE_OPEN_EXISTING, &st)) < 0)
		return rc;
	rc = store_setting_get(st, "log.origin", &srv->origin);
	store_close(st);
	if (rc < 0)
		return rc;
	char *key = NULL;
	if ((rc = keys_path(c->db_path, ".key", &key)) < 0)
		return rc;
	rc = signer_load(key, &srv->signer);
	free(key);
	if (rc < 0 ||
	    (rc = journal_ns_signer(c->db_path, srv->origin, &srv->ns_signer)) < 0)
		return rc;
	/* the rules are loaded once and shared by every worker (a loaded
	 * ruleset is read-only); a change of the rules files needs a restart */
	const char *rules = getenv("DOCKET_RULES_DIR");
	srv->rules_dir = rules && *rules ? rules : NULL;
	struct session probe = {.rules_dir = (char *)srv->rules_dir};
	return app_rules(&probe, &srv->rules);
}

static void server_release(struct http_server *srv)
{
	signer_free(srv->signer);
	signer_free(srv->ns_signer);
	rules_free(srv->rules);
	cache_free(srv->cache);
	free(srv->origin);
	free(srv->cert);
	free(srv->key);
	pthread_mutex_destroy(&srv->log_lock);
	pthread_mutex_destroy(&srv->write_lock);
	pthread_mutex_destroy(&srv->tick_lock);
	pthread_cond_destroy(&srv->tick_cond);
}

static struct MHD_Daemon *start_daemon(struct http_server *srv, const struct http_config *c,
				       const struct sockaddr *sa)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
			 MHD_USE_AUTO;
	if (srv->tls)
		flags |= MHD_USE_TLS;
	if (sa->sa_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	unsigned threads = c->threads < 1 ? 1 : c->threads > 16 ? 16 : c->threads;
	struct MHD_OptionItem tls_opts[] = {
		{MHD_OPTION_HTTPS_MEM_CERT, 0, srv->cert},
		{MHD_OPTION_HTTPS_MEM_KEY, 0, srv->key},
		{MHD_OPTION_END, 0, NULL},
	};
	return MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, srv,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, sa,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_LIMIT, c->conn_max,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, c->conn_per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT, c->timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, c->header_max,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
		MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL,
		MHD_OPTION_ARRAY, srv->tls ? tls_opts : tls_opts + 2,
		MHD_OPTION_END);
}

/* Wait for SIGTERM or SIGINT (blocked in every thread). */
static int wait_signal(void)
{
	sigset_t set;
	int sig = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigwait(&set, &sig);
	return sig;
}

int http_serve(const struct http_config *c)
{
	struct http_server srv = {0};
	struct sockaddr_storage ss;
	socklen_t sslen;
	int rc;
	pthread_t tick_thread;
	int ticking = 0;

	if ((rc = parse_listen(c->listen, &ss, &sslen)) < 0)
		return rc;
	if ((c->tls_cert == NULL) != (c->tls_key == NULL))
		return err_set(E_USAGE, "--tls-cert and --tls-key go together");
	if (c->tls_cert && ((rc = read_pem(c->tls_cert, "--tls-cert", &srv.cert)) < 0 ||
			    (rc = http_secret_file_check(c->tls_key)) < 0 ||
			    (rc = read_pem(c->tls_key, "--tls-key", &srv.key)) < 0))
		goto out;
	if ((rc = server_load(&srv, c)) < 0)
		goto out;

	/* signals go to sigwait() in this thread only; every thread started
	 * from here inherits the mask */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct MHD_Daemon *d = start_daemon(&srv, c, (const struct sockaddr *)&ss);
	if (!d) {
		rc = err_set(E_IO, "cannot listen on %s: %s", c->listen, strerror(errno));
		goto out;
	}
	if (srv.tick_s && pthread_create(&tick_thread, NULL, scheduler, &srv) == 0)
		ticking = 1;
	fprintf(stderr, "docket serve: listening on %s%s (%u workers)\n", c->listen,
		srv.tls ? " with TLS" : "", c->threads);
	int sig = wait_signal();

	/* drain: stop accepting, let every request in flight finish (its unit
	 * of work commits or rolls back whole), then stop */
	atomic_store(&srv.draining, 1);
	fprintf(stderr, "docket serve: %s: draining\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	MHD_socket lsock = MHD_quiesce_daemon(d);
	for (int i = 0; i < 300 && atomic_load(&srv.active) > 0; i++) {
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	pthread_mutex_lock(&srv.tick_lock);
	srv.stopping = 1;
	pthread_cond_broadcast(&srv.tick_cond);
	pthread_mutex_unlock(&srv.tick_lock);
	if (ticking)
		pthread_join(tick_thread, NULL);
	MHD_stop_daemon(d);
	access_flush(&srv);
	if (lsock != MHD_INVALID_SOCKET)
		close(lsock);
	fprintf(stderr, "docket serve: stopped\n");
	rc = 0;
out:
	server_release(&srv);
	return rc;
}
