/*
 * remedy.h - the way forward of a refusal, spelled for each front end from
 * one table (base/err.h's enum err_remedy, which the domain sets with
 * err_set_remedy()).
 *
 * The domain names the remedy in its own words ("another approver approves
 * the request"); the command line spells it as the command to run, the
 * JSON API as the call to make (appended to the error's message), and the
 * staff pages and portals as what to do in the browser (a sentence shown
 * under the error, with a link where one helps).  Every spelling of every
 * remedy is a row of remedy.c, so a new remedy is one row, and the front
 * ends never drift apart.
 */
#ifndef DOCKET_APP_REMEDY_H
#define DOCKET_APP_REMEDY_H

#include <stddef.h>

#include "base/err.h"

enum remedy_front {
	FRONT_CLI,  /* " ('docket request void 7 --reason TEXT')" */
	FRONT_API,  /* " (POST /api/v1/requests/7/void with a reason)" */
	FRONT_PAGE, /* "If the request was entered in error, void it ..." */
};

/* Where a page's remedy links to (the template writes the address). */
enum remedy_link {
	REMEDY_LINK_NONE,
	REMEDY_LINK_SIGNIN,  /* the sign-in page (a customer's, under /my/) */
	REMEDY_LINK_REQUEST, /* the subject request's page */
	REMEDY_LINK_USERS,   /* the users page (/admin) */
	REMEDY_LINK_LOG,     /* the log page, verifying */
};

/* The last error's remedy (err_remedy()) as front spells it into out (n
 * bytes; "" when it has none or that front has no spelling), with the
 * subject's id put where the text names it.  Returns out. */
char *app_remedy_text(enum remedy_front front, char *out, size_t n);
/* The same for a given remedy and subject. */
char *app_remedy_spell(enum err_remedy r, long long subject, enum remedy_front front,
		       char *out, size_t n);
/* Where the pages link the remedy r to. */
enum remedy_link app_remedy_link(enum err_remedy r);

#endif
