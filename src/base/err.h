/*
 * err.h - docket's error codes, in one place.
 *
 * Every fallible library function returns 0 on success or a negative error
 * code (-E_INVALID, ...) after recording a one-line message with err_set().
 * Library code never prints and never exits; only commands turn the last
 * error into "docket: <message>" on stderr and the exit code below.
 *
 * The message is kept per thread, so the HTTP server's worker threads do not
 * see each other's errors.  The message is lower case, has no full stop and
 * names the field, file and line where that helps.
 */
#ifndef DOCKET_ERR_H
#define DOCKET_ERR_H

#include <stdarg.h>

/* X(name, exit code, HTTP status, short description).  E_REFUSED is a
 * step the workflow does not allow now (409); E_FORBIDDEN a missing role
 * (403).  The rows after E_FORBIDDEN are mostly the server's: a body that is
 * not JSON, no sign-in, a wrong method, an oversize body, a wrong content
 * type, too many attempts; E_CONFLICT is a database that stays busy (503
 * with Retry-After).  The API's "code" is the description with '_' for spaces. */
#define DOCKET_ERRORS(X)                                              \
	X(E_OK, 0, 200, "ok")                                         \
	X(E_INTERNAL, 1, 500, "internal error")                       \
	X(E_STORAGE, 1, 500, "storage error")                         \
	X(E_IO, 1, 500, "i/o error")                                  \
	X(E_USAGE, 2, 400, "usage error")                             \
	X(E_INVALID, 3, 422, "invalid input")                         \
	X(E_NOTFOUND, 4, 404, "not found")                            \
	X(E_REFUSED, 5, 409, "refused")                               \
	X(E_FORBIDDEN, 5, 403, "forbidden")                           \
	X(E_BAD_JSON, 3, 400, "bad json")                             \
	X(E_UNAUTHENTICATED, 5, 401, "unauthenticated")               \
	X(E_METHOD, 2, 405, "method not allowed")                     \
	X(E_TOO_LARGE, 3, 413, "too large")                           \
	X(E_MEDIA_TYPE, 3, 415, "unsupported media type")             \
	X(E_RATE_LIMITED, 5, 429, "rate limited")                     \
	X(E_CONFLICT, 1, 503, "transient conflict, try again")        \
	X(E_GONE, 4, 410, "gone")

enum err_code {
#define X(name, exit, http, desc) name,
	DOCKET_ERRORS(X)
#undef X
	E__COUNT
};

/* A way forward that a refusal names in the domain's words and each front
 * end spells in its own terms (the command line: the command to run,
 * cmd/cmd.c; the API: the call to make, and the pages: what to do in the
 * browser, both from one table, http/remedy.c).  Set after err_set(), which clears it; the
 * subject is the request (or other record) it concerns. */
enum err_remedy {
	REMEDY_NONE,
	REMEDY_INIT,              /* no database yet: make one */
	REMEDY_REDIRECT,          /* redirect the enterprise targets, or give
				     the extraordinary-circumstances text */
	REMEDY_REASSESS,          /* register or identify the agency, then run
				     the policy again */
	REMEDY_REASON,            /* give a reason */
	REMEDY_ADD_USER,          /* an admin adds the user */
	REMEDY_VOID,              /* void the request (entered in error) */
	REMEDY_NDO,               /* change the NDO through its own operations */
	REMEDY_DECIDE_WHOLE,      /* decide the whole request, not one target */
	REMEDY_FIND_REF,          /* list the requests matching a reference */
	REMEDY_BIND_LOGIN,        /* an admin binds the operating-system login
				     to a user */
	REMEDY_REMOVE_USER,       /* remove the user instead */
	REMEDY_LIST_PROPOSALS,    /* the pending proposals are listed */
	REMEDY_VERIFY_LOG,        /* verify the log against the records */
	REMEDY_IMPORT_UPDATE,     /* import again as an update */
	REMEDY_SECOND_APPROVER,   /* another approver approves the request */
	REMEDY_SIGN_IN,           /* sign in (again) */
	REMEDY_LIST_WITNESSES,    /* the registered witnesses are listed */
	REMEDY__COUNT
};
void err_set_remedy(enum err_remedy remedy, long long subject);
/* The remedy of the last error (REMEDY_NONE when none); *subject
 * (optional) receives its subject. */
enum err_remedy err_remedy(long long *subject);

/* Record a message for code and return -code, so callers can write
 * `return err_set(E_INVALID, "field '%s' ...", name);`.  An argument may be
 * err_msg() itself (the last message, wrapped). */
int err_set(enum err_code code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int err_setv(enum err_code code, const char *fmt, va_list ap);

/* Prefix the current message with "prefix: " (e.g. a file and line). */
void err_prefix(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The last message of this thread; never NULL (empty when none). */
const char *err_msg(void);
/* The code recorded with the last message (E_OK when none). */
enum err_code err_last(void);
void err_clear(void);

int err_exit_code(enum err_code code);
int err_http_status(enum err_code code);
const char *err_name(enum err_code code);

/* Map a negative return value to its code: err_from_rc(-E_INVALID) ==
 * E_INVALID; any unknown negative value is E_INTERNAL. */
enum err_code err_from_rc(int rc);

#endif
