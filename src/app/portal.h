/*
 * app/portal.h - the agency portal and the customer portal (SPEC §14, §15;
 * docs/portals.md) as operations.
 *
 * Officers and customers' contacts are users named by their e-mail address
 * with the role officer or customer only (model/enums.h ROLES_PORTAL); the
 * sign-in, sessions and tokens of app/auth.h serve them.  An officer acts
 * only on its own agency's requests; a customer sees only the requests
 * about its own accounts whose notice was sent.  Every change is one unit
 * of work with its log entries; one-time links are mailed after their unit
 * (a link's secret is never stored or logged: only its SHA-256).
 *
 * base_url is where links point ("https://docket.example"): the caller's
 * configured public address, never a client's Host header.
 */
#ifndef DOCKET_APP_PORTAL_H
#define DOCKET_APP_PORTAL_H

#include <stdint.h>

#include <jansson.h>

#include "app/app.h"
#include "app/disclose.h"
#include "app/request.h"
#include "core/access/auth.h"

#define PORTAL_LINK_TTL (30 * 60) /* one-time links live 30 minutes */
#define PORTAL_PRODUCTION_DAYS 7  /* default of production_link_days */

/* --- accounts ------------------------------------------------------------- */

/* 0 when user (with roles) may act now: staff always; an officer whose
 * account and agency are not suspended; a customer's contact.
 * E_UNAUTHENTICATED naming why otherwise.  Takes the store: the server
 * asks before it has a session. */
int app_portal_active(struct store *st, const char *user, unsigned roles);

/* --- the agency portal: registration ----------------------------------------- */

/* An officer asks to register with email from address remote: at a
 * verified domain of an agency a one-time link (base_url/agency/register?
 * token=T, 30 minutes, single use) is made and mailed; at a look-alike or
 * unverified domain nothing is made.  Every attempt is recorded for staff
 * and logged.  Returns 0 for every well-formed address (the answer reveals
 * nothing); E_INVALID for one that is not an address. */
int app_agency_register_start(struct session *s, const char *email, const char *remote,
			      const char *base_url);
/* Complete a registration with the link's token: the officer's name and
 * password; enrols TOTP, *totp_uri (caller frees, wipes) the otpauth://
 * URI shown once.  E_UNAUTHENTICATED for an unknown, used or expired link. */
int app_agency_register_finish(struct session *s, const char *token, const char *name,
			       const char *password, char **totp_uri);

/* --- the agency portal: requests (an officer) ----------------------------------- */

/* Submit a SPEC §3 request as s's officer: agency, requester and channel
 * are set from the officer's verified identity (a different agency or
 * requester in doc is refused); an emergency request needs the supervisor's
 * name and phone.  docs as app_request_add_docs(). */
int app_agency_request_add(struct session *s, const char *doc, size_t len,
			   struct app_upload *docs, size_t n_docs, int64_t *id);
/* The agency's requests, newest first: {"requests":[...]} */
int app_agency_requests_json(struct session *s, json_t **out);
/* One of the agency's requests with its status, letters and production;
 * E_NOTFOUND for another agency's. */
int app_agency_request_json(struct session *s, int64_t id, json_t **out);
/* Withdraw one of the agency's requests (reason required). */
int app_agency_withdraw(struct session *s, int64_t id, const char *reason);
/* Ask for a preservation extension of one of the agency's preserved
 * requests: recorded in its history and logged, for staff to renew. */
int app_agency_extension(struct session *s, int64_t id, const char *reason);
/* The production of one of the agency's disclosed requests while its link
 * lives (production_link_days after the disclosure): as app_package_fetch,
 * each download logged. */
int app_agency_production(struct session *s, int64_t id, const char *dir,
			  struct package_ref *out, int *fd);

/* The scheduler's part (app_tick): mail each officer whose portal request
 * changed state since the last mail (never a suspended officer), then
 * record the state mailed, logged.  A mail that fails is tried again at
 * the next pass with the same Message-ID (the outbox file is rewritten
 * whole), as notices are.  *sent: the mails sent. */
int app_portal_mail_due(struct session *s, int *sent);

/* --- the agency portal: staff ------------------------------------------------- */

/* Suspend (suspend 1) or reinstate (0) an officer or an agency (admin,
 * reason required). */
int app_officer_suspend(struct session *s, const char *officer, int suspend,
			const char *reason);
int app_agency_suspend(struct session *s, const char *agency, int suspend,
		       const char *reason);
/* Officers and registration attempts, newest attempts first (any staff
 * role): {"officers":[...], "registrations":[...], "suspended_agencies":[...]} */
int app_portal_overview_json(struct session *s, json_t **out);
/* Record that the requester of request id could not be verified (the
 * call-back did not confirm it; reviewer): counted against its officer
 * and agency. */
int app_verification_failure(struct session *s, int64_t id, const char *reason);
/* Who sent request id and their record (any staff role): {"channel",
 * "officer", "officer_name", "agency", "agency_suspended",
 * "failures":{"officer","agency"}} */
int app_request_sender_json(struct session *s, int64_t id, json_t **out);

/* --- the customer portal ----------------------------------------------------------- */

/* A sign-in link for a customer's contact address: mailed only when email
 * is one (base_url/my/sign-in?token=T, 30 minutes, single use); 0 for
 * every well-formed address. */
int app_my_link(struct session *s, const char *email, const char *base_url);
/* What a link needs before it is used: *enterprise 1 when its contact
 * administers an enterprise customer (a TOTP code is needed), *enrolled 1
 * when that contact has TOTP already.  E_UNAUTHENTICATED for an unknown,
 * used or expired link. */
int app_my_link_check(struct session *s, const char *token, int *enterprise,
		      int *enrolled);
/* Enrol an enterprise administrator's TOTP with a link not used yet (when
 * not enrolled, or enrolled and never used); *uri as app_user_mfa(). */
int app_my_enrol(struct session *s, const char *token, char **uri);
/* Use the link once: a session for its contact (cookie, csrf); an
 * enterprise administrator's totp code is checked first.  *user (caller
 * frees) is the contact's address. */
int app_my_signin(struct session *s, const char *token, const char *totp,
		  char cookie[AUTH_SECRET_LEN], char csrf[AUTH_SECRET_LEN], char **user);
/* The requests about s's customers whose notice was sent (never delayed or
 * suppressed, never national-security process), and for an enterprise
 * those redirected to it: {"requests":[...]} */
int app_my_requests_json(struct session *s, json_t **out);
/* One of them with "notice" and "proof" (the notice's log entry, its
 * inclusion proof in the tree of the latest checkpoint, that checkpoint);
 * with_proof logs the proof download.  E_NOTFOUND for any other request. */
int app_my_request_json(struct session *s, int64_t id, int log_download, json_t **out);

#endif
