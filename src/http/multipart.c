/*
 * multipart.c - multipart/form-data bodies (RFC 7578), for the intake
 * form's document upload: the parts' names, file names, media types and
 * bytes, found in place (no copy of the bytes).  Strict and capped: at most
 * MULTIPART_PARTS_MAX parts, a part's header block at most
 * MULTIPART_HEADER_MAX bytes, a boundary of 1-70 characters; anything else
 * is E_INVALID and nothing of the body is used.  Fuzzed by
 * tests/fuzz/fuzz_multipart.c.
 */
#include <string.h>
#include <strings.h>

#include "base/err.h"
#include "http/page.h"

static const char *find(const char *h, size_t hn, const char *n, size_t nn)
{
	if (nn == 0 || hn < nn)
		return NULL;
	for (size_t i = 0; i + nn <= hn; i++)
		if (h[i] == n[0] && memcmp(h + i, n, nn) == 0)
			return h + i;
	return NULL;
}

/* The value of parameter `name` in a header value ("form-data; name=\"x\"";
 * quoted or token), copied into the pool; NULL when absent. */
static const char *param(struct pool *p, const char *v, size_t n, const char *name)
{
	size_t nl = strlen(name);
	const char *end = v + n;
	for (const char *s = v; s < end; s++) {
		if (*s != ';')
			continue;
		s++;
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		if ((size_t)(end - s) > nl && strncasecmp(s, name, nl) == 0 && s[nl] == '=') {
			s += nl + 1;
			if (s < end && *s == '"') {
				const char *q = memchr(s + 1, '"', (size_t)(end - s - 1));
				return q ? pool_strndup(p, s + 1, (size_t)(q - s - 1)) : NULL;
			}
			const char *e = s;
			while (e < end && *e != ';' && *e != ' ')
				e++;
			return pool_strndup(p, s, (size_t)(e - s));
		}
	}
	return NULL;
}

const char *multipart_boundary(struct pool *p, const char *content_type)
{
	if (!content_type)
		return NULL;
	const char *b = param(p, content_type, strlen(content_type), "boundary");
	if (!b || !*b || strlen(b) > 70)
		return NULL;
	return b;
}

static int part_headers(struct pool *p, const char *h, size_t n, struct multipart_part *out)
{
	const char *end = h + n;
	memset(out, 0, sizeof(*out));
	out->media_type = "application/octet-stream";
	while (h < end) {
		const char *eol = find(h, (size_t)(end - h), "\r\n", 2);
		size_t ln = eol ? (size_t)(eol - h) : (size_t)(end - h);
		const char *colon = memchr(h, ':', ln);
		if (!colon)
			return err_set(E_INVALID, "field 'documents': a malformed part header");
		size_t kn = (size_t)(colon - h);
		const char *v = colon + 1;
		size_t vn = ln - kn - 1;
		while (vn && (*v == ' ' || *v == '\t'))
			v++, vn--;
		if (kn == 19 && strncasecmp(h, "Content-Disposition", 19) == 0) {
			if (vn < 9 || strncasecmp(v, "form-data", 9) != 0)
				return err_set(E_INVALID, "field 'documents': a part that is not "
							  "form-data");
			out->name = param(p, v, vn, "name");
			out->filename = param(p, v, vn, "filename");
		} else if (kn == 12 && strncasecmp(h, "Content-Type", 12) == 0) {
			out->media_type = pool_strndup(p, v, vn);
		}
		h = eol ? eol + 2 : end;
	}
	if (!out->name)
		return err_set(E_INVALID, "field 'documents': a part without a name");
	return 0;
}

int multipart_parse(struct pool *p, const char *body, size_t len, const char *boundary,
		    struct multipart_part *parts, size_t max, size_t *n)
{
	char delim[80];
	size_t dl = (size_t)snprintf(delim, sizeof(delim), "\r\n--%s", boundary);
	const char *end = body + len;
	*n = 0;
	/* the first delimiter may open the body without its CRLF */
	const char *s;
	if (len >= dl - 2 && memcmp(body, delim + 2, dl - 2) == 0)
		s = body + dl - 2;
	else if ((s = find(body, len, delim, dl)) != NULL)
		s += dl;
	else
		return err_set(E_INVALID, "field 'documents': no multipart boundary in the body");
	for (;;) {
		if (end - s >= 2 && s[0] == '-' && s[1] == '-')
			return 0;   /* the closing delimiter; the epilogue is ignored */
		if (end - s < 2 || s[0] != '\r' || s[1] != '\n')
			return err_set(E_INVALID, "field 'documents': a malformed multipart body");
		s += 2;
		size_t room = (size_t)(end - s);
		const char *hend = find(s, room < MULTIPART_HEADER_MAX ? room : MULTIPART_HEADER_MAX,
					"\r\n\r\n", 4);
		if (!hend)
			return err_set(E_INVALID, "field 'documents': a part's headers are too "
						  "long or not ended");
		if (*n == max)
			return err_set(E_INVALID, "field 'documents': more than %zu form parts",
				       max);
		struct multipart_part *pt = &parts[*n];
		if (part_headers(p, s, (size_t)(hend - s), pt) < 0)
			return -E_INVALID;
		const char *data = hend + 4;
		const char *next = find(data, (size_t)(end - data), delim, dl);
		if (!next)
			return err_set(E_INVALID, "field 'documents': the body ends inside a part");
		pt->data = data;
		pt->len = (size_t)(next - data);
		(*n)++;
		s = next + dl;
	}
}
