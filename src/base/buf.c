#include <stdarg.h>
#include <stdlib.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"

void buf_init(struct buf *b, size_t max)
{
	b->cap = 64;
	b->ptr = xmalloc(b->cap);
	b->ptr[0] = '\0';
	b->len = 0;
	b->max = max;
}

void buf_release(struct buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p = b->ptr;
	if (len)
		*len = b->len;
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->ptr[0] = '\0';
}

static int buf_reserve(struct buf *b, size_t extra)
{
	if (extra > b->max || b->len > b->max - extra)
		return err_set(E_INVALID, "input larger than %zu bytes", b->max);
	size_t need = b->len + extra + 1;
	if (need > b->cap) {
		size_t c = b->cap;
		while (c < need)
			c *= 2;
		b->ptr = xrealloc(b->ptr, c);
		b->cap = c;
	}
	return 0;
}

int buf_add(struct buf *b, const void *data, size_t n)
{
	int rc = buf_reserve(b, n);
	if (rc < 0)
		return rc;
	memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return 0;
}

int buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	int rc = n < 0 ? err_set(E_INTERNAL, "bad format") : buf_reserve(b, (size_t)n);
	if (rc == 0) {
		vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap2);
		b->len += (size_t)n;
	}
	va_end(ap2);
	return rc;
}

int buf_read_file(struct buf *b, FILE *fp, const char *what)
{
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (buf_add(b, chunk, n) < 0)
			return err_set(E_INVALID, "%s: larger than the limit of %zu bytes",
				       what, b->max);
	}
	if (ferror(fp))
		return err_set(E_IO, "%s: read error", what);
	return 0;
}

int buf_getline(struct buf *b, FILE *fp)
{
	int c;
	buf_reset(b);
	while ((c = getc(fp)) != EOF) {
		if (c == '\n')
			return 1;
		if (buf_addc(b, (char)c) < 0) {
			/* skip the rest of the over-long line */
			while ((c = getc(fp)) != EOF && c != '\n')
				;
			return err_set(E_INVALID, "line longer than %zu bytes", b->max);
		}
	}
	if (ferror(fp))
		return err_set(E_IO, "read error");
	return b->len > 0 ? 1 : 0;
}
