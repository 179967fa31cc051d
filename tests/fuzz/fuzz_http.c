/*
 * fuzz_http.c - libFuzzer target for the server's request parsers
 * (http/parse.c): the router over the real route table, the Cookie header,
 * URL-encoded query strings and form bodies, the Content-Type media type,
 * Accept-Encoding and JSON bodies.  The input is split at NUL bytes into method, path, cookie
 * header, form/query text and JSON body; each part goes to its parser and
 * the results are checked against what the parser promises.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next NUL-terminated part of the input (a copy), or the rest. */
static char *part(const uint8_t **p, const uint8_t *end, struct pool *pool, size_t *len)
{
	const uint8_t *z = memchr(*p, 0, (size_t)(end - *p));
	const uint8_t *stop = z ? z : end;
	*len = (size_t)(stop - *p);
	char *s = pool_memdup(pool, *p, *len);
	*p = z ? z + 1 : end;
	return s;
}

static void check_route(struct pool *pool, const char *method, const char *path)
{
	struct http_req req;
	int status = 0;
	memset(&req, 0, sizeof(req));
	req.pool = pool;
	const struct route *r = http_route_match(&req, method, path, &status);
	if (r) {
		/* a match: the method agrees and every {param} is non-empty,
		 * with no '/' unless it is a last {name*} taking the rest */
		if (strcmp(r->method, method) != 0 &&
		    !(strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0))
			abort();
		int rest = strstr(r->pattern, "*}") != NULL;
		for (size_t i = 0; i < req.n_params; i++)
			if (!req.params[i].value[0] ||
			    (strchr(req.params[i].value, '/') && !(rest && i + 1 == req.n_params)))
				abort();
	} else if (status != 404 && status != 405 && status != 414) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pool pool;
	const uint8_t *p = data, *end = data + size;
	size_t n;
	int bad;
	pool_init(&pool);
	char *method = part(&p, end, &pool, &n);
	char *path = part(&p, end, &pool, &n);
	char *cookie = part(&p, end, &pool, &n);
	char *form = part(&p, end, &pool, &n);
	size_t form_len = n;
	char *body = part(&p, end, &pool, &n);
	size_t body_len = n;

	check_route(&pool, method, path);
	check_route(&pool, "GET", path);

	const char *v = http_cookie(&pool, cookie, "__Host-docket");
	if (v && (strchr(v, ';') || strchr(v, ' ') || strchr(v, ',')))
		abort();

	for (const char *name = "csrf"; name; name = strcmp(name, "csrf") == 0 ? "q" : NULL) {
		const char *f = http_form_value(&pool, form, form_len, name, &bad);
		if (bad && f)
			abort();
		if (f && strlen(f) > form_len)
			abort();
	}
	/* a path segment decoded: never longer, never holding a NUL */
	const char *seg = http_path_decode(&pool, path);
	if (seg && strlen(seg) > strlen(path))
		abort();
	/* Accept-Encoding: a yes or a no, whatever the bytes */
	int gz = http_accepts_gzip(cookie);
	if (gz != 0 && gz != 1)
		abort();
	const char *mt = http_media_type(&pool, cookie);
	if (mt && (strchr(mt, ';') || strchr(mt, ' ')))
		abort();

	json_t *j = NULL;
	if (http_json_parse(body, body_len, &j) == 0) {
		if (!json_is_object(j))
			abort();
		json_decref(j);
	}
	pool_release(&pool);
	return 0;
}
