/*
 * fuzz_multipart.c - libFuzzer target for the multipart/form-data parser
 * of the intake form (http/multipart.c).  The input's first line is the
 * Content-Type header, the rest the body.  Whatever parses must have at
 * most MULTIPART_PARTS_MAX parts, each named, each lying inside the body.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/page.h"
#include "http/pool.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	const char *nl = memchr(in, '\n', size);
	if (!nl)
		return 0;
	struct pool p;
	pool_init(&p);
	char *ct = pool_strndup(&p, in, (size_t)(nl - in));
	const char *body = nl + 1;
	size_t len = size - (size_t)(nl - in) - 1;
	const char *b = multipart_boundary(&p, ct);
	struct multipart_part parts[MULTIPART_PARTS_MAX];
	size_t n = 0;
	if (b && multipart_parse(&p, body, len, b, parts, MULTIPART_PARTS_MAX, &n) == 0) {
		if (n > MULTIPART_PARTS_MAX)
			abort();
		for (size_t i = 0; i < n; i++)
			if (!parts[i].name || parts[i].data < body ||
			    parts[i].data + parts[i].len > body + len)
				abort();
	}
	pool_release(&p);
	return 0;
}
