/*
 * log_tiles.c - the log over HTTP as C2SP tlog-tiles (SPEC §12, docs/log.md):
 *
 *	GET /log/checkpoint                   public   text/plain; charset=utf-8
 *	GET /log/tile/<L>/<N>[.p/<W>]         public   application/octet-stream
 *	GET /log/tile/entries/<N>[.p/<W>]     auditor  application/octet-stream
 *
 * The checkpoint is exactly `docket log checkpoint` (the log's signature,
 * then the witnesses' cosignatures) and is never cached; full tiles are
 * immutable; partial tiles are revalidated; entry bundles are private (they
 * need the auditor role).  Every answer may be read from any origin.
 * Tiles and bundles are sent gzip-compressed to a client that accepts it
 * when that makes them smaller - in practice entry bundles; hash tiles are
 * random bytes - always with "Vary: Accept-Encoding" (http/gzip.c).  The
 * content is the application layer's (app_log_checkpoint(), app_log_tile());
 * this file only speaks HTTP.
 */
#include <stdlib.h>
#include <string.h>

#include "app/journal.h"
#include "base/err.h"
#include "http/handlers.h"
#include "http/http.h"
#include "log/tile.h"

#define IMMUTABLE "max-age=31536000, immutable"

int http_log_checkpoint(struct http_req *req, struct http_res *res)
{
	char *note = NULL;
	size_t len = 0;
	int rc = app_log_checkpoint(req->st, &note, &len);
	if (rc < 0)
		return rc;
	rc = http_reply(req, res, 200, "text/plain; charset=utf-8", note, len);
	free(note);
	http_res_header(req, res, "Cache-Control", "no-store");
	http_res_header(req, res, "Access-Control-Allow-Origin", "*");
	return rc;
}

/* The tile named by the rest of the path after "/log/tile/". */
static int serve_tile(struct http_req *req, struct http_res *res, const char *prefix)
{
	struct app_log_tile t;
	const char *rest = http_param(req, "tile");
	if (!rest)
		return err_set(E_NOTFOUND, "no such tile");
	size_t plen = strlen(prefix), rlen = strlen(rest);
	char path[TILE_PATH_MAX];
	if (plen + rlen >= sizeof(path))
		return err_set(E_NOTFOUND, "no such tile");
	memcpy(path, prefix, plen);
	memcpy(path + plen, rest, rlen + 1);
	int rc = app_log_tile(req->st, path, plen + rlen, &t);
	if (rc < 0)
		return rc;
	if (t.entries != (plen > 0)) { /* entry bundles only by their own route */
		buf_release(&t.body);
		return err_set(E_NOTFOUND, "no such tile");
	}
	rc = http_reply_maybe_gzip(req, res, "application/octet-stream", t.body.ptr,
				   t.body.len);
	buf_release(&t.body);
	const char *cache = t.entries ? (t.full ? "private, " IMMUTABLE : "private, no-cache")
				      : (t.full ? "public, " IMMUTABLE : "no-cache");
	http_res_header(req, res, "Cache-Control", cache);
	http_res_header(req, res, "Access-Control-Allow-Origin", "*");
	return rc;
}

int http_log_tile(struct http_req *req, struct http_res *res)
{
	return serve_tile(req, res, "");
}

int http_log_entries(struct http_req *req, struct http_res *res)
{
	return serve_tile(req, res, "entries/");
}
