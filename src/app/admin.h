/*
 * admin.h - the database itself, its users and settings, in the
 * application layer: init, user add, config set/get, status.
 *
 * Everything here but app_init() and app_status() needs ROLE_ADMIN.
 */
#ifndef DOCKET_APP_ADMIN_H
#define DOCKET_APP_ADMIN_H

#include <stdint.h>

#include "app/app.h"
#include "core/config.h"

#define APP_DEFAULT_ORIGIN "docket.local/log"
#define APP_NAME_MAX 64

/* Is s a valid user name (printable, no spaces, at most APP_NAME_MAX)? */
int app_name_valid(const char *s);
/* Is s a valid log origin (printable, no spaces or '+', at most 200)? */
int app_origin_valid(const char *s);

/* What app_init() made; the strings are owned by the struct and freed
 * with app_init_release(). */
struct app_init_result {
	char *key_file;	      /* the Ed25519 signing key, DB.key */
	char *vault_key_file; /* the vault data key, DB.vault-key */
	char *ref_key_file;   /* the log's identifier-reference key, DB.ref-key */
	char *mfa_key_file;   /* the key of the TOTP secrets, DB.mfa-key */
};
/* A new database `db` with its signing key and vault key (0600 files
 * beside it), the log's origin, and `admin` as its first admin, logged as
 * "log.init" and "user.add" in the first unit of work.  E_REFUSED when the
 * database exists; on any failure nothing is left behind. */
int app_init(const char *db, const char *origin, const char *admin,
	     struct app_init_result *out);
void app_init_release(struct app_init_result *r);

/* Add user `name` with `roles` under separation of duties (app/staff.h:
 * with two or more admins a legal role is only proposed). */
int app_user_add(struct session *s, const char *name, unsigned roles);

/* Set a setting after its check (core/config.h), logged "config.set".
 * An unknown key is E_USAGE. */
int app_config_set(struct session *s, const char *key, const char *value);
/* The value of a setting or its default (*value NULL when neither; the
 * caller frees it). */
int app_config_get(struct session *s, const char *key, char **value);

/* What the database holds at a glance. */
struct app_status {
	int64_t by_state[state__COUNT];
	int64_t requests, customers, accounts;
	uint64_t log_size, checkpoint_size;
	int64_t admins;	/* separation of duties is in force with two or more */
};
int app_status(struct session *s, struct app_status *out);

#endif
