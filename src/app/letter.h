/*
 * letter.h - letters to the requesting agency (SPEC §13): acknowledgement,
 * rejection citing the rules, redirect to the enterprise citing the DOJ
 * guidance, narrowing, production cover letter.
 *
 * A letter starts as a draft filled from the request by the editable
 * template templates/letters/KIND.txt (core/present/tmpl.h in TEXT mode: a first
 * line "Subject: ...", a blank line, the body), is reviewed and edited by a
 * person, and is sent: stored with the SHA-256 of its text and logged by
 * that hash ("letter.written"), then mailed through the notices' transport
 * (SMTP, or an .eml file in the outbox; docs/notices.md) and logged again
 * ("letter.sent" or "letter.failed").  The text itself is never in the log.
 */
#ifndef DOCKET_APP_LETTER_H
#define DOCKET_APP_LETTER_H

#include <stdint.h>

#include <jansson.h>

#include "app/app.h"

#define LETTER_TEXT_MAX ((size_t)64 << 10)

/* Where the templates are: $DOCKET_TEMPLATES_DIR, else PREFIX/share/docket/
 * templates beside the installed binary, else the source tree's. */
const char *app_templates_dir(void);
/* Read the template file rel (e.g. "letters/ack.txt"), at most max bytes,
 * from app_templates_dir() into *text (caller frees); E_NOTFOUND when it is
 * missing. */
int app_template_read(const char *rel, size_t max, char **text, size_t *len);

/* Is kind one of the letters (acknowledgement, rejection, redirect,
 * narrowing, production)? */
int letter_kind_ok(const char *kind);
extern const char *const letter_kinds[];   /* NULL-terminated */

/* The draft of letter kind for request id (any role); *text is the
 * caller's to free. */
int app_letter_draft(struct session *s, int64_t id, const char *kind, char **text);
/* Send text (reviewed, perhaps edited: "Subject: ...\n\nbody") as letter
 * kind of request id to address `to` (intake or reviewer).  *letter_id
 * receives its id.  Line ends are made '\n' first, and the SHA-256 logged
 * is of that text.  A failed delivery is recorded and returned (E_IO);
 * the letter stays stored as failed. */
int app_letter_send(struct session *s, int64_t id, const char *kind, const char *to,
		    const char *text, int64_t *letter_id);
/* The letters of request id: [{id, kind, to, subject, sha256, state,
 * written_at, written_by, sent_at, message_id, error}]. */
int app_letter_list_json(struct session *s, int64_t id, json_t **out);

#endif
