#include <string.h>

#include "base/err.h"
#include "cmd/jsonl.h"

static int blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

int jsonl_each(const char *file, const struct buf *text, jsonl_cb cb, void *ctx,
	       size_t *count)
{
	const char *p = text->ptr, *end = text->ptr + text->len;
	size_t lineno = 0, n = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		lineno++;
		if (!blank(p, len)) {
			int rc = len > JSONL_MAX_LINE
					 ? err_set(E_INVALID, "line longer than %zu bytes",
						   JSONL_MAX_LINE)
					 : cb(ctx, lineno, p, len);
			if (rc < 0) {
				err_prefix("%s:%zu", file, lineno);
				return rc;
			}
			n++;
		}
		p += len + (nl ? 1 : 0);
	}
	if (count)
		*count = n;
	return 0;
}
