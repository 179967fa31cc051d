/*
 * parse.c - the server's pure parsers: the route match, cookies, URL-encoded
 * query strings and form bodies, media types, JSON bodies and
 * Accept-Encoding.  None touches
 * the network or the database, so tests/fuzz/fuzz_http.c feeds them
 * arbitrary bytes.  Each is a chain of small length-capped steps.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "base/err.h"
#include "http/http.h"

/* --- routes ------------------------------------------------------------- */

/* The next segment of a path starting at *p (after a '/'): its start and
 * length; advances *p past it. */
static size_t segment(const char **p, const char **start)
{
	const char *s = *p;
	*start = s;
	while (*s && *s != '/')
		s++;
	*p = s;
	return (size_t)(s - *start);
}

static char *decode(struct pool *pool, const char *s, size_t len, int plus);

/* Does path match pattern?  Fills params (pool) when req is given, each
 * with its %XX escapes decoded (the server routes on the path as it came,
 * so "W-1%2F2026" is one segment, "W-1/2026"); a parameter with a bad
 * escape or a NUL matches nothing then. */
static int pattern_match(const char *pattern, const char *path, struct http_req *req)
{
	const char *pp = pattern, *sp = path;
	size_t n_params = 0;
	struct http_param params[HTTP_MAX_PARAMS];
	for (;;) {
		if (*pp != '/' || *sp != '/')
			return *pp == '\0' && *sp == '\0' && pp != pattern;
		pp++;
		sp++;
		const char *ps, *ss;
		size_t pl = segment(&pp, &ps), sl = segment(&sp, &ss);
		if (pl >= 3 && ps[0] == '{' && ps[pl - 2] == '*' && ps[pl - 1] == '}' &&
		    *pp == '\0') {
			/* a last "{name*}" takes the rest of the path: one or more
			 * segments (the log's tile paths) */
			size_t rest = strlen(ss);
			if (sl == 0 || n_params == HTTP_MAX_PARAMS)
				return 0;
			if (req) {
				params[n_params].name = pool_strndup(req->pool, ps + 1, pl - 3);
				params[n_params].value = decode(req->pool, ss, rest, 0);
				if (!params[n_params].value)
					return 0;
				memcpy(req->params, params, (n_params + 1) * sizeof(params[0]));
				req->n_params = n_params + 1;
			}
			return 1;
		}
		if (pl >= 2 && ps[0] == '{' && ps[pl - 1] == '}') {
			if (sl == 0 || n_params == HTTP_MAX_PARAMS)
				return 0;
			if (req) {
				params[n_params].name = pool_strndup(req->pool, ps + 1, pl - 2);
				params[n_params].value = decode(req->pool, ss, sl, 0);
				if (!params[n_params].value)
					return 0;
			}
			n_params++;
		} else if (pl != sl || memcmp(ps, ss, pl) != 0) {
			return 0;
		}
		if (*pp == '\0' && *sp == '\0') {
			if (req) {
				memcpy(req->params, params, n_params * sizeof(params[0]));
				req->n_params = n_params;
			}
			return 1;
		}
	}
}

const struct route *http_route_match(struct http_req *req, const char *method,
				     const char *path, int *status)
{
	int other_method = 0;
	/* HEAD is served by the GET row */
	const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
	if (strlen(path) > HTTP_PATH_MAX) {
		*status = 414;
		return NULL;
	}
	for (const struct route *r = http_routes; r->method; r++) {
		if (!pattern_match(r->pattern, path, NULL))
			continue;
		if (strcmp(r->method, want) != 0) {
			other_method = 1;
			continue;
		}
		if (!pattern_match(r->pattern, path, req)) {
			*status = 404;   /* a parameter with a bad escape */
			return NULL;
		}
		*status = 0;
		return r;
	}
	*status = other_method ? 405 : 404;
	return NULL;
}

const char *http_route_allow(struct pool *pool, const char *path)
{
	/* the methods in a fixed order, HEAD beside GET (RFC 9110 15.5.6) */
	static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
	char list[64] = "";
	size_t len = 0;
	for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
		int found = 0;
		for (const struct route *r = http_routes; r->method && !found; r++)
			found = strcmp(r->method, methods[m]) == 0 &&
				pattern_match(r->pattern, path, NULL);
		if (!found)
			continue;
		const char *add = m == 0 ? "GET, HEAD" : methods[m];
		size_t n = strlen(add);
		if (len + n + 2 >= sizeof(list))
			break;
		if (len) {
			memcpy(list + len, ", ", 2);
			len += 2;
		}
		memcpy(list + len, add, n + 1);
		len += n;
	}
	return len ? pool_strdup(pool, list) : NULL;
}

/* --- cookies ------------------------------------------------------------ */

static int cookie_octet(unsigned char c)
{
	/* RFC 6265 cookie-octet */
	return c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) ||
	       (c >= 0x3c && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
}

const char *http_cookie(struct pool *pool, const char *header, const char *name)
{
	if (!header)
		return NULL;
	size_t nlen = strlen(name);
	const char *p = header;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		const char *k = p;
		while (*p && *p != '=' && *p != ';')
			p++;
		size_t klen = (size_t)(p - k);
		while (klen && (k[klen - 1] == ' ' || k[klen - 1] == '\t'))
			klen--;
		if (*p != '=')
			continue;   /* a name without a value: skip it */
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		const char *v = p;
		while (*p && *p != ';')
			p++;
		size_t vlen = (size_t)(p - v);
		while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
			vlen--;
		if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
			v++;
			vlen -= 2;
		}
		if (klen != nlen || memcmp(k, name, nlen) != 0)
			continue;
		for (size_t i = 0; i < vlen; i++)
			if (!cookie_octet((unsigned char)v[i]))
				return NULL;
		return pool_strndup(pool, v, vlen);
	}
	return NULL;
}

/* --- URL-encoded strings ------------------------------------------------ */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decode s[0..len) into the pool ('+' is a space in a form, itself in a
 * path); NULL on a bad escape or a NUL. */
static char *decode(struct pool *pool, const char *s, size_t len, int plus_is_space)
{
	char *out = pool_alloc(pool, len + 1);
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)s[i];
		if (c == '+' && plus_is_space) {
			c = ' ';
		} else if (c == '%') {
			int hi, lo;
			if (i + 2 >= len || (hi = hexval(s[i + 1])) < 0 ||
			    (lo = hexval(s[i + 2])) < 0)
				return NULL;
			c = hi * 16 + lo;
			i += 2;
		}
		if (c == 0)
			return NULL;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return out;
}

static char *url_decode(struct pool *pool, const char *s, size_t len)
{
	return decode(pool, s, len, 1);
}

char *http_path_decode(struct pool *pool, const char *s)
{
	return decode(pool, s, strlen(s), 0);
}

const char *http_form_value(struct pool *pool, const char *s, size_t len, const char *name,
			    int *bad)
{
	size_t nlen = strlen(name);
	const char *end = s + len;
	*bad = 0;
	while (s < end) {
		const char *amp = memchr(s, '&', (size_t)(end - s));
		const char *pair_end = amp ? amp : end;
		const char *eq = memchr(s, '=', (size_t)(pair_end - s));
		const char *kend = eq ? eq : pair_end;
		/* names are compared undecoded: docket's names need no escapes */
		if ((size_t)(kend - s) == nlen && memcmp(s, name, nlen) == 0) {
			const char *v = eq ? eq + 1 : pair_end;
			char *d = url_decode(pool, v, (size_t)(pair_end - v));
			if (!d)
				*bad = 1;
			return d;
		}
		s = amp ? amp + 1 : end;
	}
	return NULL;
}

/* --- media types and JSON ---------------------------------------------- */

const char *http_media_type(struct pool *pool, const char *header)
{
	if (!header)
		return NULL;
	while (*header == ' ' || *header == '\t')
		header++;
	size_t n = strcspn(header, "; \t");
	char *t = pool_strndup(pool, header, n);
	for (char *c = t; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return t;
}

#define HTTP_JSON_DEPTH 32

int http_json_parse(const char *body, size_t len, json_t **out)
{
	json_error_t e;
	*out = NULL;
	/* the depth cap: count nesting before jansson recurses */
	int depth = 0, in_str = 0, esc = 0;
	for (size_t i = 0; i < len; i++) {
		char c = body[i];
		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			if (++depth > HTTP_JSON_DEPTH)
				return err_set(E_BAD_JSON, "json nested deeper than %d levels",
					       HTTP_JSON_DEPTH);
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &e);
	if (!j)
		return err_set(E_BAD_JSON, "body is not json: line %d, column %d: %s", e.line,
			       e.column, e.text);
	if (!json_is_object(j)) {
		json_decref(j);
		return err_set(E_BAD_JSON, "body must be a json object");
	}
	*out = j;
	return 0;
}

/* One weight "q=0.5" (RFC 9110 §12.4.2): *q in thousandths; -1 when
 * malformed. */
static int weight(const char *s, size_t len)
{
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len < 3 || (s[0] != 'q' && s[0] != 'Q') || s[1] != '=')
		return -1;
	s += 2;
	len -= 2;
	if (s[0] == '1') {
		for (size_t i = 1; i < len; i++)
			if ((i == 1 && s[i] != '.') || (i > 1 && (s[i] != '0' || i > 4)))
				return -1;
		return 1000;
	}
	if (s[0] != '0')
		return -1;
	int q = 0, digits = 0;
	for (size_t i = 1; i < len; i++) {
		if (i == 1 && s[i] == '.')
			continue;
		if (i == 1 || s[i] < '0' || s[i] > '9' || ++digits > 3)
			return -1;
		q = q * 10 + (s[i] - '0');
	}
	while (digits++ < 3)
		q *= 10;
	return q;
}

int http_accepts_gzip(const char *header)
{
	int gzip = -1, star = -1;   /* weights; -1: not listed */
	if (!header || strnlen(header, HTTP_ACCEPT_ENCODING_MAX + 1) > HTTP_ACCEPT_ENCODING_MAX)
		return 0;
	const char *p = header;
	while (*p) {
		size_t n = strcspn(p, ",");
		const char *item = p, *end = p + n;
		p = *end ? end + 1 : end;
		while (item < end && (*item == ' ' || *item == '\t'))
			item++;
		size_t tl = strcspn(item, ",; \t");
		if (item + tl > end)
			tl = (size_t)(end - item);
		if (tl == 0)
			continue;
		const char *semi = memchr(item, ';', (size_t)(end - item));
		int q = semi ? weight(semi + 1, (size_t)(end - semi - 1)) : 1000;
		if (q < 0)
			return 0;
		if ((tl == 4 && strncasecmp(item, "gzip", 4) == 0) ||
		    (tl == 6 && strncasecmp(item, "x-gzip", 6) == 0))
			gzip = gzip > q ? gzip : q;
		else if (tl == 1 && item[0] == '*')
			star = q;
	}
	return gzip >= 0 ? gzip > 0 : star > 0;
}
