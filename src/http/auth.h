/*
 * http/auth.h - the server's side of sign-in: finding the caller of a
 * request (Bearer token or session cookie), the session cookie itself, and
 * the limit on failed sign-ins per user name and per client address.
 * Passwords, codes, tokens and sessions themselves are core/access/auth.h.
 */
#ifndef DOCKET_HTTP_AUTH_H
#define DOCKET_HTTP_AUTH_H

#include <pthread.h>
#include <stdint.h>

struct http_req;

#define SESSION_COOKIE "__Host-docket"
#define SIGNIN_FAILURES_MAX 5            /* per user name ... */
#define SIGNIN_FAILURES_ADDR 20          /* ... per client address (several
					    people may share one, behind NAT) */
#define SIGNIN_WINDOW (15 * 60)          /* ... in this many seconds */
#define SIGNIN_SLOTS 1024

struct signin_slot {
	char key[80];              /* "u:NAME" or "a:ADDRESS"; "" when free */
	int failures;
	int64_t since;
};

struct auth_limits {
	pthread_mutex_t lock;
	struct signin_slot slots[SIGNIN_SLOTS];
};

void auth_limits_init(struct auth_limits *l);
void auth_limits_release(struct auth_limits *l);
/* Seconds until key may try again after max failures; 0 when it may now. */
int64_t auth_limits_wait(struct auth_limits *l, const char *key, int max, int64_t now);
void auth_limits_fail(struct auth_limits *l, const char *key, int64_t now);
void auth_limits_clear(struct auth_limits *l, const char *key);

/* Fill req->who from an Authorization: Bearer header or the session
 * cookie.  A bad Bearer token is E_UNAUTHENTICATED (a program should learn
 * its token is revoked); a stale cookie is simply no sign-in. */
int http_identify(struct http_req *req);

#endif
