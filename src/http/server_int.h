/*
 * server_int.h - private to src/http/: the server's shared state and the
 * few helpers the handlers need beyond http.h.
 *
 * Shared state is read-only after start (signing key, rules, origin),
 * except what the locks guard: the access log, the scheduler's wake-up,
 * and the sign-in failure counters (auth.c).
 */
#ifndef DOCKET_HTTP_SERVER_INT_H
#define DOCKET_HTTP_SERVER_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

#include "core/access/auth.h"
#include "http/auth.h"
#include "http/http.h"

#define ACCESS_BUF (64 * 1024)    /* access log lines gathered (server.c) */
#define ACCESS_LINE_MAX 1024

struct signer;
struct ruleset;
struct http_cache;

struct http_server {
	const char *db_path;
	const char *public_origin;
	const char *listen;        /* ADDR:PORT, for links when no origin is set */
	char *origin;              /* the log's origin line */
	struct signer *signer;     /* the log's signing key (signer.c wipes it) */
	struct signer *ns_signer;  /* the national-security compartment's key */
	const char *rules_dir;     /* DOCKET_RULES_DIR, else NULL */
	struct ruleset *rules;     /* loaded once at start, shared read-only */
	int tls;
	int trust_proxy;
	char *cert, *key;          /* PEM text for TLS */
	unsigned tick_s;
	struct http_cache *cache;  /* views and token callers (http/cache.h);
				      NULL: --no-cache */
	FILE *access;
	pthread_mutex_t log_lock;  /* guards the access log's buffer */
	char access_buf[ACCESS_BUF];
	size_t access_len;
	struct timespec access_flushed;
	pthread_mutex_t write_lock;   /* one change at a time in this process */
	pthread_mutex_t tick_lock;
	pthread_cond_t tick_cond;
	int stopping;              /* under tick_lock */
	atomic_int draining;
	atomic_int active;         /* requests in flight */
};

/* This worker thread's database connection, opened on first use and
 * closed when the thread ends. */
int http_worker_store(struct http_server *srv, struct store **out);
/* The database's change marker (store.h) as this request read it: read
 * once, on first use, before anything the request caches is read. */
int http_change_mark(struct http_req *req, const struct store_mark **out);
/* Sign-in failures, shared by the API and the pages (api_session.c): count
 * a failure for the name and the address, log it, and return the one
 * message the client sees; answer 429 with Retry-After. */
int http_signin_failed(struct http_req *req, const char *user, enum auth_fail why);
int http_signin_too_many(struct http_req *req, struct http_res *res, int64_t wait);
/* *wait: the seconds before user (and the client's address) may try to
 * sign in again, 0 when they may now (http/auth.h limits). */
int http_signin_wait(struct http_req *req, const char *user, int64_t *wait);

/* Where the portals' one-time links point: the setting portal_url, else
 * --public-origin, else http(s)://the listening address; never the
 * client's Host header (pool string). */
const char *http_portal_url(struct http_req *req);

/* One scheduler pass: the work of `docket tick` (tick.c). */
void http_tick(struct http_server *srv);
/* Refuse to start when the database or a key file beside it can be read
 * by group or others, or belongs to another user than the server's
 * (SPEC §10, §12). */
int http_key_files_check(const char *db_path);
/* The same check for one secret file (the TLS key). */
int http_secret_file_check(const char *path);

#endif
