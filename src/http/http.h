/*
 * http.h - `docket serve`: the request/response API every route handler
 * uses, the route table's row, and the server's entry point.
 *
 * A route is one row of the table in src/http/routes.c: method, path
 * pattern ("/api/v1/requests/{id}"), handler, the roles that may call it,
 * flags (public, body type) and the body cap.  The server (server.c) reads
 * the request, matches the row (router.c), authenticates the caller
 * (auth.c: session cookie or Bearer token), checks the roles, CSRF and the
 * body's type and size, then calls the handler with a struct http_req and
 * an empty struct http_res.  The same rows generate the OpenAPI document
 * (openapi.c) and drive the role x route matrix test.
 *
 * Adding a route: write `int my_handler(struct http_req *req, struct
 * http_res *res)` in an api_*.c (or your own) file, declare it in
 * http/handlers.h, and add one row to routes.c.
 *
 * Handler contract:
 *   - On success fill res with one of the http_reply_*() calls and return 0.
 *   - On failure return a negative error code after err_set() (base/err.h):
 *     the server answers with the code's HTTP status and the SPEC §12 body
 *     {"error":{"code","message","field"}}.  A message naming "field 'x'"
 *     gives "field": "x".  Never put a secret into a message.
 *   - Allocate from req->pool (http/pool.h); everything there is freed when
 *     the response is sent, so no handler frees on its error paths.  Hand
 *     a json_t or other owned object to the pool with pool_defer().
 *   - The handler runs on a worker thread that owns req->st, a database
 *     connection of its own.  Every operation is the application layer's
 *     function (the app/ headers) called on http_session(req): the same role
 *     checks, unit of work and log entries as the command line.
 *
 * Strings in struct http_req are NUL-terminated, valid until the response
 * is sent, and capped: the path and each header by the server's header
 * limit, the body by the route's body_max.
 */
#ifndef DOCKET_HTTP_H
#define DOCKET_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "http/pool.h"
#include "store/store.h"

struct store;
struct session;
struct http_server;
struct cache_view;

#define HTTP_BODY_JSON_MAX ((size_t)1 << 20)    /* 1 MiB (SPEC §12) */
#define HTTP_BODY_DOC_MAX ((size_t)25 << 20)    /* 25 MiB per document */
#define HTTP_BODY_IMPORT_MAX ((size_t)25 << 20) /* a JSON Lines import (larger
						   files: the command line) */
#define HTTP_MAX_PARAMS 4
#define HTTP_MAX_RES_HEADERS 12
#define HTTP_PATH_MAX 2048

/* --- the route table -------------------------------------------------- */

enum route_flags {
	ROUTE_PUBLIC = 1 << 0,     /* no sign-in needed (roles ignored) */
	ROUTE_BODY_JSON = 1 << 1,  /* body must be application/json */
	ROUTE_BODY_TEXT = 1 << 2,  /* body must be text/plain */
	ROUTE_NO_CSRF = 1 << 3,    /* a state change exempt from CSRF (sign-in) */
	ROUTE_UNSERIALIZED = 1 << 4,   /* a change that need not wait for the
					  server's one-writer-at-a-time lock:
					  it does slow work (argon2id) before
					  its short unit of work */
	ROUTE_BODY_FORM = 1 << 5,  /* body must be application/x-www-form-urlencoded */
	ROUTE_PAGE = 1 << 6,       /* an HTML page (http/page.h): errors as a page,
				      not signed in -> /signin */
	ROUTE_BODY_MULTIPART = 1 << 7,  /* body must be multipart/form-data */
	ROUTE_BODY_JSONL = 1 << 8, /* body must be JSON Lines: application/x-ndjson
				      or application/jsonl */
	ROUTE_ANY_USER = 1 << 9,   /* roles 0 means every signed-in user, the
				      portals' officers and customers too (one's
				      own session, password); without it roles 0
				      means any staff role */
};

struct http_req;
struct http_res;
typedef int (*http_handler)(struct http_req *req, struct http_res *res);

struct route {
	const char *method;        /* "GET", "POST", "DELETE" */
	const char *pattern;       /* literal segments and "{name}" segments */
	http_handler fn;
	unsigned roles;            /* ROLE_BIT()s any of which may call it; 0:
				      any staff role, or with ROUTE_ANY_USER
				      any signed-in user (ignored when public) */
	unsigned flags;            /* enum route_flags */
	size_t body_max;           /* 0: no body allowed */
	int status;                /* the success status (OpenAPI) */
	const char *ctype;         /* the success content type (OpenAPI);
				      NULL: application/json */
	const char *summary;       /* one line: what it does, "same as" command */
};

/* The table (routes.c), ended by a row with method NULL. */
extern const struct route http_routes[];
size_t http_route_count(void);

/* --- the request -------------------------------------------------------- */

enum http_auth_kind { HTTP_AUTH_NONE, HTTP_AUTH_SESSION, HTTP_AUTH_TOKEN };

struct http_principal {
	enum http_auth_kind kind;
	const char *user;          /* NULL when not signed in */
	unsigned roles;            /* effective roles (a token's may be fewer) */
	int64_t id;                /* session or token id */
	const char *csrf;          /* the session's CSRF token; NULL for tokens */
};

struct http_param {
	const char *name, *value;
};

struct http_req {
	struct pool *pool;
	const char *method;
	const char *path;          /* without the query; percent-escapes kept */
	const char *query;         /* raw query after '?', "" when none */
	const char *remote;        /* the client's address as text */
	const struct route *route;
	struct http_param params[HTTP_MAX_PARAMS];   /* {name} path segments */
	size_t n_params;
	const char *body;          /* NUL-terminated; "" when none */
	size_t body_len;
	struct http_principal who;
	int64_t now;               /* the clock, read once per request */
	struct store *st;          /* this worker thread's connection */
	struct store_mark mark;    /* the change marker (http_change_mark()) */
	int has_mark;
	struct session *session;   /* made by http_session() */
	struct http_server *srv;
	/* header lookup (server.c, or a test's table) */
	const char *(*header_fn)(void *hctx, const char *name);
	void *hctx;
	void *form;                /* the parsed form body (http/page.c), or NULL */
	/* the way forward of the error a page shows (page_take_error()) */
	int remedy;                /* enum err_remedy; 0: none */
	long long remedy_subject;
};

/* A request header (case-insensitive name), or NULL. */
const char *http_header(const struct http_req *req, const char *name);
/* A {name} path parameter, or NULL. */
const char *http_param(const struct http_req *req, const char *name);
/* The {name} parameter as a positive id; E_NOTFOUND when it is not one. */
int http_param_id(const struct http_req *req, const char *name, int64_t *id);
/* A query parameter, percent-decoded into the pool; NULL when absent or
 * empty ("?state=" is no filter).
 * E_USAGE (400) is recorded for a malformed escape: check err via *rc. */
const char *http_query(struct http_req *req, const char *name, int *rc);
/* The body parsed as a JSON object (duplicate keys refused, depth capped);
 * owned by the pool.  A body that does not parse is E_BAD_JSON (400). */
int http_body_json(struct http_req *req, json_t **out);
/* The application-layer session (app/app.h) of the caller: the signed-in
 * user (or "-" with no roles) on this worker's connection, with the
 * server's signing key.  Call the same app_*() function the command calls
 * on it.  Owned by the pool; never session_close() it. */
struct session *http_session(struct http_req *req);

/* --- the response ------------------------------------------------------- */

struct http_res {
	int status;
	const char *ctype;
	const void *body;          /* pool memory or static */
	size_t len;
	int fd;                    /* >= 0: send this file instead (closed by
				      the server) */
	uint64_t fd_len;
	struct http_param headers[HTTP_MAX_RES_HEADERS];
	size_t n_headers;
	const struct cache_view *view;   /* the body is this kept view's
					    (http/cache.h): its response,
					    headers and all, is made once */
};

/* Answer 200 with body as it is, or gzip-compressed (Content-Encoding:
 * gzip) when the request accepts gzip and the compressed form is smaller;
 * either way with "Vary: Accept-Encoding" (gzip.c). */
int http_reply_maybe_gzip(struct http_req *req, struct http_res *res, const char *ctype,
			  const void *body, size_t len);

/* Add a response header (name and value copied into the pool); extra
 * headers past HTTP_MAX_RES_HEADERS are dropped (a programming error:
 * asserted in debug builds). */
void http_res_header(struct http_req *req, struct http_res *res, const char *name,
		     const char *value);
/* body copied into the pool. */
int http_reply(struct http_req *req, struct http_res *res, int status, const char *ctype,
	       const void *body, size_t len);
/* body not copied: a static string or pool memory. */
int http_reply_static(struct http_res *res, int status, const char *ctype,
		      const void *body, size_t len);
/* j (stolen) as compact JSON, application/json. */
int http_reply_json(struct http_req *req, struct http_res *res, int status, json_t *j);
/* The open file fd (transferred) of size bytes. */
int http_reply_file(struct http_res *res, int status, const char *ctype, int fd,
		    uint64_t size);
/* No body (204, or a status with headers only). */
int http_reply_empty(struct http_res *res, int status);
/* The SPEC §12 error body for status, code ("invalid_input"), message and
 * field (may be NULL). */
int http_reply_error(struct http_req *req, struct http_res *res, int status,
		     const char *code, const char *message, const char *field);
/* The error body for the last err_set() of this thread (rc negative). */
int http_reply_err(struct http_req *req, struct http_res *res, int rc);

/* --- parsers (parse.c; pure, fuzzed by tests/fuzz/fuzz_http.c) ---------- */

/* Match method and path against the table: the row, with its {name}
 * parameters in req->params (pool strings).  NULL when no row matches;
 * *status is then 404, or 405 when the path matches under another method. */
const struct route *http_route_match(struct http_req *req, const char *method,
				     const char *path, int *status);
/* The methods the table serves path under, for the Allow header of a 405
 * ("GET, HEAD, POST"), in the pool; NULL when none. */
const char *http_route_allow(struct pool *pool, const char *path);
/* The value of cookie `name` in a Cookie header, copied into the pool;
 * NULL when absent or malformed. */
const char *http_cookie(struct pool *pool, const char *header, const char *name);
/* The value of `name` in a URL-encoded string (query or form body) of len
 * bytes, percent- and '+'-decoded into the pool.  NULL when absent; *bad
 * set when the value has a bad escape or a NUL. */
const char *http_form_value(struct pool *pool, const char *s, size_t len, const char *name,
			    int *bad);
/* A path segment with its %XX escapes decoded, into the pool; NULL for a
 * bad escape or a NUL. */
char *http_path_decode(struct pool *pool, const char *s);
/* The media type of a Content-Type header ("application/json; charset=x"
 * -> "application/json"), lower-cased into the pool; NULL when absent. */
const char *http_media_type(struct pool *pool, const char *header);
/* Does an Accept-Encoding header accept gzip (RFC 9110 §12.5.3)?  1 when
 * it lists "gzip" or "x-gzip" with a weight above 0, or "*" above 0 while
 * gzip is not listed; 0 otherwise, also for NULL, a header over
 * HTTP_ACCEPT_ENCODING_MAX bytes or a malformed weight. */
#define HTTP_ACCEPT_ENCODING_MAX 1024
int http_accepts_gzip(const char *header);
/* Parse a JSON object body with the API's caps; E_BAD_JSON when it does
 * not parse or is not an object.  *out is owned by the caller. */
int http_json_parse(const char *body, size_t len, json_t **out);

/* --- the server ---------------------------------------------------------- */

struct http_config {
	const char *db_path;
	const char *listen;        /* "ADDR:PORT"; default 127.0.0.1:8080 */
	const char *tls_cert, *tls_key;   /* PEM files; both or neither */
	unsigned threads;          /* worker threads, 1..16 (default 4) */
	unsigned conn_max;         /* connections in total */
	unsigned conn_per_ip;      /* connections per client address */
	unsigned timeout_s;        /* idle seconds per connection */
	size_t header_max;         /* memory for a connection's headers */
	unsigned tick_s;           /* scheduler period; 0: no scheduler */
	FILE *access_log;          /* one line per request; NULL: stderr */
	const char *public_origin; /* "https://host" the Origin check accepts;
				      NULL: the request's own Host */
	int trust_proxy;           /* take the client address from the last
				      X-Forwarded-For entry when the peer is
				      loopback (a proxy on this host) */
	int no_cache;              /* reuse no view or token lookup between
				      requests (http/cache.h) */
};

/* `docket serve ARGS` over database db_path (cmd_serve.c); argv[0] is
 * "serve".  Returns 0 or a negative error code. */
int http_serve_main(const char *db_path, int argc, char **argv);

/* Fill c with the defaults (then the caller overrides). */
void http_config_init(struct http_config *c);
/* Run the server until SIGTERM or SIGINT, then drain: stop accepting,
 * let in-flight requests and their units of work finish, exit.  Returns 0
 * after a clean drain. */
int http_serve(const struct http_config *c);

#endif
