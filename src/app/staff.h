/*
 * staff.h - user administration under separation of duties, in the
 * application layer (SPEC §9; the rules are core/access/staff.h's).
 *
 * Changing users needs ROLE_ADMIN; listing them any role.
 */
#ifndef DOCKET_APP_STAFF_H
#define DOCKET_APP_STAFF_H

#include <jansson.h>

#include "app/app.h"
#include "core/access/staff.h"

/* Make, propose or refuse a change (one unit of work). */
int app_user_change(struct session *s, const struct staff_change *c,
		    struct staff_outcome *out);
/* Confirm (another admin) or cancel a pending proposal. */
int app_user_confirm(struct session *s, int64_t proposal, struct staff_outcome *out);
int app_user_cancel(struct session *s, int64_t proposal);
/* {"users": [{name, roles, unix?}], "proposals": [pending ones],
 * "admins": n, "separation_of_duties": bool}; caller frees *out. */
int app_user_list(struct session *s, json_t **out);
/* The number of admins (separation of duties is in force with two). */
int app_admins(struct session *s, int64_t *n);

/* Who the command line acts as (SPEC §9): `given` (--as / DOCKET_USER)
 * unless the database's cli_auth setting is "unix"; then `given` must be
 * NULL (E_FORBIDDEN) and the user is the one bound to `os_login`.  *user
 * is NULL when nothing was given in name mode (caller frees). */
int app_cli_actor(const char *db, const char *given, const char *os_login, char **user);
/* Before `config set cli_auth unix`: os_login must be bound to an admin. */
int app_check_unix_admin(struct session *s, const char *os_login);

#endif
