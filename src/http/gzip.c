/*
 * gzip.c - answers compressed with gzip when the client accepts it
 * (http_reply_maybe_gzip(), http.h).  The log's entry bundles are canonical
 * JSON and shrink several times; hash tiles are random hashes that gzip
 * only makes longer, so they stay as they are.  The choice is by size,
 * every time: an answer is compressed only when that makes it smaller.
 * zlib's deflate writes the gzip wrapper itself (windowBits 15 + 16).
 */
#include <string.h>

#include <zlib.h>

#include "base/err.h"
#include "http/http.h"
#include "http/pool.h"

/* body gzip-compressed into the pool: 0 and *out, *outlen; -1 when zlib
 * fails or the result is not smaller than the input. */
static int gzip_pool(struct pool *pool, const void *body, size_t len, void **out,
		     size_t *outlen)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (len == 0 || len > UINT32_MAX / 2 ||
	    deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	uLong cap = deflateBound(&z, (uLong)len);
	unsigned char *buf = pool_alloc(pool, (size_t)cap);
	z.next_in = (Bytef *)(uintptr_t)body;
	z.avail_in = (uInt)len;
	z.next_out = buf;
	z.avail_out = (uInt)cap;
	int r = deflate(&z, Z_FINISH);
	size_t n = (size_t)z.total_out;
	deflateEnd(&z);
	if (r != Z_STREAM_END || n >= len)
		return -1;
	*out = buf;
	*outlen = n;
	return 0;
}

int http_reply_maybe_gzip(struct http_req *req, struct http_res *res, const char *ctype,
			  const void *body, size_t len)
{
	void *z = NULL;
	size_t zlen = 0;
	int rc;
	if (http_accepts_gzip(http_header(req, "Accept-Encoding")) &&
	    gzip_pool(req->pool, body, len, &z, &zlen) == 0) {
		rc = http_reply_static(res, 200, ctype, z, zlen);
		http_res_header(req, res, "Content-Encoding", "gzip");
	} else {
		rc = http_reply(req, res, 200, ctype, body, len);
	}
	http_res_header(req, res, "Vary", "Accept-Encoding");
	return rc;
}
