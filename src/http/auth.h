/*
 * http/auth.h - the server's side of sign-in: finding the caller of a
 * request (Bearer token or session cookie), the session cookie itself, and
 * the limit on failed sign-ins per user name and per client address.
 * Passwords, codes, tokens and sessions themselves are core/access/auth.h.
 */
#ifndef DOCKET_HTTP_AUTH_H
#define DOCKET_HTTP_AUTH_H

#include <stdint.h>

struct http_req;

#define SESSION_COOKIE "__Host-docket"
#define SIGNIN_FAILURES_MAX 5            /* per user name ... */
#define SIGNIN_FAILURES_ADDR 20          /* ... per client address (several
					    people may share one, behind NAT) */
#define SIGNIN_WINDOW (15 * 60)          /* ... in this many seconds */
/* The failures of key ("u:NAME", "a:ADDRESS", ...) are counted in the
 * database (store.h, signin_failure), shared by every server over it.
 * wait: *wait the seconds until key may try again after max failures in
 * the window, 0 when it may now.  fail: one more.  clear: forget them (a
 * successful sign-in).  Each returns 0 or the store's error. */
int auth_limits_wait(struct http_req *req, const char *key, int max, int64_t *wait);
int auth_limits_fail(struct http_req *req, const char *key);
int auth_limits_clear(struct http_req *req, const char *key);

/* Fill req->who from an Authorization: Bearer header or the session
 * cookie.  A bad Bearer token is E_UNAUTHENTICATED (a program should learn
 * its token is revoked); a stale cookie is simply no sign-in. */
int http_identify(struct http_req *req);

#endif
