/*
 * import.h - bulk imports of reference data in the application layer:
 * customers with their accounts, agencies, and customer data into the
 * vault (historical requests: app_request_import in app/request.h).
 *
 * Each takes a whole JSON Lines text (`name` names it in errors as
 * NAME:LINE: field), needs ROLE_ADMIN, checks every line before storing
 * anything, and stores the file in one unit of work with one log entry
 * naming the file's SHA-256 and what was imported (never vault content).
 */
#ifndef DOCKET_APP_IMPORT_H
#define DOCKET_APP_IMPORT_H

#include <stddef.h>

#include "app/app.h"
#include "base/digest.h"
#include "core/disclose/vault.h"

#define APP_IMPORT_MAX_FILE ((size_t)4 << 30) /* 4 GiB */

/* Customers (with accounts) or agencies; *count receives the lines
 * imported.  A second line with the same id is E_INVALID. */
int app_customer_import(struct session *s, const char *name, const char *text, size_t len,
			const struct app_progress *progress, size_t *count);
int app_agency_import(struct session *s, const char *name, const char *text, size_t len,
		      const struct app_progress *progress, size_t *count);

/* Reading them (any role): each customer / agency in id order, q (NULL:
 * all) keeping those whose id or record contains it; one by id (release
 * with customer_release / agency_release). */
int app_customer_each(struct session *s, const char *q, store_customer_cb cb, void *ctx);
int app_customer_get(struct session *s, const char *id, struct customer *out);
int app_agency_each(struct session *s, const char *q, store_agency_cb cb, void *ctx);
int app_agency_get(struct session *s, const char *id, struct agency *out);
/* Customers (agency 0) or agencies (agency 1), restartable (SPEC §9): a
 * line stored identically already (an interrupted import run again) is
 * skipped; a line whose id is stored with other fields is an error naming
 * the line unless `update`, which replaces it and logs the change field by
 * field ("customer.update" / "agency.update"; a customer's personal fields
 * by hash). */
struct app_import_result {
	size_t lines;	  /* lines in the file */
	size_t unchanged; /* already stored identically */
	size_t updated;	  /* replaced (--update) */
};
int app_entity_import(struct session *s, int agency, const char *name, const char *text,
		      size_t len, int update, const struct app_progress *progress,
		      struct app_import_result *res);

/* Vault items (core/disclose/vault.h); the same file twice is E_REFUSED.  *stats
 * and file_digest ("sha256:<hex>" of the text) describe what was stored. */
int app_vault_import(struct session *s, const char *name, const char *text, size_t len,
		     const struct app_progress *progress,
		     struct vault_import_stats *stats, char file_digest[DIGEST_TAG_LEN]);
/* The "vault.import" log entry's fields for a file (a new reference). */
json_t *app_vault_import_json(const char *file_digest,
			      const struct vault_import_stats *s);

#endif
