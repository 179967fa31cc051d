/*
 * remedy.c - the server's spellings of every remedy, in one table
 * (remedy.h).
 */
#include "http/remedy.h"

#include <stdio.h>
#include <string.h>

#include "base/util.h"

/* "{id}" in a spelling stands for the remedy's subject. */
static const struct {
	const char *api, *page;
	enum remedy_link link;
} rows[REMEDY__COUNT] = {
    [REMEDY_NONE] = {"", "", REMEDY_LINK_NONE},
    [REMEDY_INIT] = {"",
		     "The database is not set up yet: the operator runs 'docket init' on "
		     "the server's host.",
		     REMEDY_LINK_NONE},
    [REMEDY_REDIRECT] = {" (POST /api/v1/requests/{id}/decision with action redirect and "
			 "the target, or the justification in field 'extraordinary')",
			 "Decide it again in the request's decision form: redirect the "
			 "enterprise's targets to the enterprise, or give the "
			 "extraordinary-circumstances justification.",
			 REMEDY_LINK_REQUEST},
    [REMEDY_REASSESS] = {" (register it with POST /api/v1/agencies, then POST "
			 "/api/v1/requests/{id}/reassessment, or name it there in field "
			 "'agency')",
			 "Ask an admin to register the agency, then run the policy again "
			 "with the request's reassess form, or name the agency there.",
			 REMEDY_LINK_REQUEST},
    [REMEDY_REASON] = {" (field 'reason')",
		       "Write the reason in the form's reason field and send it again.",
		       REMEDY_LINK_NONE},
    [REMEDY_ADD_USER] = {" (an admin adds users with POST /api/v1/users)",
			 "Ask an admin to add you as a user.", REMEDY_LINK_NONE},
    [REMEDY_VOID] = {" (POST /api/v1/requests/{id}/void with a reason)",
		     "If the request was entered in error, void it with a reason on its "
		     "page.",
		     REMEDY_LINK_REQUEST},
    [REMEDY_NDO] = {" (POST /api/v1/requests/ID/ndo, ndo/extension or ndo/lift)",
		    "Change the nondisclosure order through its own forms on the request's "
		    "page (add, extend or lift).",
		    REMEDY_LINK_REQUEST},
    [REMEDY_DECIDE_WHOLE] = {" (POST /api/v1/requests/{id}/decision without a target)",
			     "Decide the whole request in the decision form, without naming "
			     "a target.",
			     REMEDY_LINK_REQUEST},
    [REMEDY_FIND_REF] = {" (GET /api/v1/requests?q=REFERENCE)",
			 "Several requests carry this reference: search for it in the "
			 "request lists and open the one you mean.",
			 REMEDY_LINK_NONE},
    [REMEDY_BIND_LOGIN] = {" (an admin binds it with PATCH /api/v1/users/NAME, field "
			   "'unix')",
			   "Ask an admin to bind the operating-system login to a user.",
			   REMEDY_LINK_NONE},
    [REMEDY_REMOVE_USER] = {" (DELETE /api/v1/users/NAME)",
			    "Remove the user instead, on the users page.", REMEDY_LINK_USERS},
    [REMEDY_LIST_PROPOSALS] = {" (GET /api/v1/users lists them)",
			       "The pending proposals are listed on the users page.",
			       REMEDY_LINK_USERS},
    [REMEDY_VERIFY_LOG] = {" (GET /api/v1/log/verify)",
			   "Verify the log on the log page: it names what was changed "
			   "outside docket, to be restored from a backup.",
			   REMEDY_LINK_VERIFY},
    [REMEDY_IMPORT_UPDATE] = {" (import again with ?update=1)",
			      "Import the file again as an update.", REMEDY_LINK_NONE},
    [REMEDY_SECOND_APPROVER] = {" (another approver makes POST "
				"/api/v1/requests/{id}/approval)",
				"This request is awaiting a second approver: ask another "
				"approver to approve it on this page (four eyes).",
				REMEDY_LINK_REQUEST},
    [REMEDY_LIST_WITNESSES] = {" (GET /api/v1/witnesses lists them)",
			       "The witnesses are listed on the log page.", REMEDY_LINK_LOG},
    [REMEDY_SIGN_IN] = {" (sign in with POST /api/v1/session, or send a Bearer token)",
			"Your session has ended, or you have not signed in: sign in "
			"again, then repeat what you were doing.",
			REMEDY_LINK_SIGNIN},
};

char *http_remedy_spell(enum err_remedy r, long long subject, enum remedy_front front,
		       char *out, size_t n)
{
	if (n == 0)
		return out;
	out[0] = '\0';
	if ((unsigned)r >= REMEDY__COUNT)
		return out;
	const char *t = front == FRONT_API ? rows[r].api : rows[r].page;
	size_t o = 0;
	while (t && *t && o + 1 < n) {
		if (strncmp(t, "{id}", 4) == 0) {
			int w = snprintf(out + o, n - o, "%lld", subject);
			if (w < 0 || (size_t)w >= n - o)
				break;
			o += (size_t)w;
			t += 4;
		} else {
			out[o++] = *t++;
		}
	}
	out[o] = '\0';
	return out;
}

char *http_remedy_text(enum remedy_front front, char *out, size_t n)
{
	long long id = 0;
	enum err_remedy r = err_remedy(&id);
	return http_remedy_spell(r, id, front, out, n);
}

enum remedy_link http_remedy_link(enum err_remedy r)
{
	return (unsigned)r < REMEDY__COUNT ? rows[r].link : REMEDY_LINK_NONE;
}
