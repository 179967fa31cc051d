/*
 * witness_http.h - the one network call of the witness protocol: POST
 * <url>/add-checkpoint (c2sp.org/tlog-witness) over libcurl, with a time
 * limit and a cap on the answer.  No SQL, no parsing of the answer (that is
 * log/cosig.h's).
 */
#ifndef DOCKET_WITNESS_HTTP_H
#define DOCKET_WITNESS_HTTP_H

#include <stddef.h>

#include "base/buf.h"

#define WITNESS_URL_MAX 1024
#define WITNESS_TIMEOUT_MS 10000L /* the whole exchange with one witness */

struct witness_answer {
	long status;	 /* HTTP status; 0 when there was none */
	char ctype[64];	 /* media type of the answer, lower case, "" when none */
	struct buf body; /* at most COSIG_RESPONSE_MAX bytes */
};

/* POST body[0..len) to <url>/add-checkpoint (url without the final path;
 * a trailing '/' is allowed).  0 with *out filled (the caller releases
 * out->body) when the witness answered at all, whatever the status;
 * E_IO naming the url when it could not be reached, timed out or sent too
 * much. */
int witness_post(const char *url, const char *body, size_t len, long timeout_ms,
		 struct witness_answer *out);
void witness_answer_release(struct witness_answer *a);

/* Is url an http:// or https:// URL docket will post to (printable ASCII,
 * no spaces, at most WITNESS_URL_MAX bytes)?  1 when it is. */
int witness_url_valid(const char *url);

#endif
