/*
 * witness_http.c - POST add-checkpoint to a witness over libcurl
 * (witness_http.h).
 */
#include <curl/curl.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "log/cosig.h"
#include "log/witness_http.h"

int witness_url_valid(const char *url)
{
	size_t n = strlen(url);
	if (n > WITNESS_URL_MAX ||
	    !(strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (url[i] <= ' ' || url[i] >= 0x7f)
			return 0;
	return n > 8;
}

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	struct buf *b = ctx;
	size_t len = size * n;
	return buf_add(b, data, len) == 0 ? len : 0; /* 0 stops the transfer */
}

void witness_answer_release(struct witness_answer *a)
{
	buf_release(&a->body);
}

int witness_post(const char *url, const char *body, size_t len, long timeout_ms,
		 struct witness_answer *out)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *hdr = NULL;
	CURLcode e = CURLE_OK;
	CURL *c;
	memset(out, 0, sizeof(*out));
	buf_init(&out->body, COSIG_RESPONSE_MAX);
	if (!witness_url_valid(url))
		return err_set(E_INVALID, "witness url '%.100s' is not an http(s) url", url);
	size_t ul = strlen(url);
	char *full = xasprintf("%s%sadd-checkpoint", url,
			       ul && url[ul - 1] == '/' ? "" : "/");
	hdr = curl_slist_append(NULL, "Content-Type: text/plain; charset=utf-8");
	if (!hdr || !(c = curl_easy_init())) {
		curl_slist_free_all(hdr);
		free(full);
		return err_set(E_INTERNAL, "cannot start libcurl");
	}
#define SET(opt, val)                                 \
	do {                                          \
		if (e == CURLE_OK)                    \
			e = curl_easy_setopt(c, opt, val); \
	} while (0)
	SET(CURLOPT_URL, full);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_POST, 1L);
	SET(CURLOPT_POSTFIELDS, body);
	SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	SET(CURLOPT_HTTPHEADER, hdr);
	SET(CURLOPT_TIMEOUT_MS, timeout_ms);
	SET(CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 5000 ? timeout_ms : 5000L);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, &out->body);
	SET(CURLOPT_ERRORBUFFER, errbuf);
	SET(CURLOPT_USERAGENT, "docket");
#undef SET
	int rc = 0;
	if (e != CURLE_OK) {
		rc = err_set(E_INTERNAL, "libcurl option: %s", curl_easy_strerror(e));
	} else if ((e = curl_easy_perform(c)) != CURLE_OK) {
		rc = err_set(E_IO, "witness %s: %s", full,
			     e == CURLE_WRITE_ERROR ? "answer too long"
			     : errbuf[0]	    ? errbuf
						    : curl_easy_strerror(e));
	} else {
		char *ct = NULL;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
		if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct) {
			size_t i = 0;
			for (; ct[i] && ct[i] != ';' && ct[i] != ' ' &&
			       i + 1 < sizeof(out->ctype);
			     i++)
				out->ctype[i] = (char)((ct[i] >= 'A' && ct[i] <= 'Z')
							   ? ct[i] + 32
							   : ct[i]);
			out->ctype[i] = '\0';
		}
	}
	curl_easy_cleanup(c);
	curl_slist_free_all(hdr);
	free(full);
	if (rc < 0)
		buf_release(&out->body);
	return rc;
}
