/*
 * remedy.h - the way forward of a refusal as the server spells it, for the
 * JSON API and for the pages, from one table (remedy.c).
 *
 * The domain names the remedy in its own words (base/err.h's enum
 * err_remedy, set with err_set_remedy(): "another approver approves the
 * request"); each front end spells it in its own terms.  The command line
 * names the command to run (cmd/cmd.c; below the front ends no layer may
 * speak the command line's language, tests/layering.sh).  The server
 * speaks twice - the API names the call to make, appended to the error's
 * message; the staff pages and portals say what to do in the browser, a
 * sentence under the error with a link where one helps - and both come
 * from one row per remedy here, so they cannot drift apart.
 */
#ifndef DOCKET_HTTP_REMEDY_H
#define DOCKET_HTTP_REMEDY_H

#include <stddef.h>

#include "base/err.h"

enum remedy_front {
	FRONT_API,  /* " (POST /api/v1/requests/7/void with a reason)" */
	FRONT_PAGE, /* "If the request was entered in error, void it ..." */
};

/* Where a page's remedy links to (the template writes the address). */
enum remedy_link {
	REMEDY_LINK_NONE,
	REMEDY_LINK_SIGNIN,  /* the sign-in page (a customer's, under /my/) */
	REMEDY_LINK_REQUEST, /* the subject request's page */
	REMEDY_LINK_USERS,   /* the users page (/admin) */
	REMEDY_LINK_LOG,     /* the log page */
	REMEDY_LINK_VERIFY,  /* the log page, verifying */
};

/* Remedy r as front spells it into out (n bytes; "" when it has none or
 * that front has no spelling), with the subject's id put where the text
 * names it.  Returns out. */
char *http_remedy_spell(enum err_remedy r, long long subject, enum remedy_front front,
			char *out, size_t n);
/* The same for the last error's remedy (err_remedy()). */
char *http_remedy_text(enum remedy_front front, char *out, size_t n);
/* Where the pages link the remedy r to. */
enum remedy_link http_remedy_link(enum err_remedy r);

#endif
