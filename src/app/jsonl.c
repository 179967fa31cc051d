/*
 * jsonl.c - the lines of a JSON Lines text (app/jsonl.h).
 */
#include <string.h>

#include "app/jsonl.h"
#include "base/err.h"

static int blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

int jsonl_each(const char *file, const char *text, size_t len_total, jsonl_cb cb,
	       void *ctx, size_t *count)
{
	const char *p = text, *end = text + len_total;
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
