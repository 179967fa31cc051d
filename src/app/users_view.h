/*
 * users_view.h - the staff users and API tokens as the admin page shows
 * them (read-only; admin).  Changes are app/admin.h and app/auth.h.
 */
#ifndef DOCKET_APP_USERS_VIEW_H
#define DOCKET_APP_USERS_VIEW_H

#include <jansson.h>

#include "app/app.h"

/* [{name, roles: [..]}] in name order. */
int app_users_json(struct session *s, json_t **out);
/* [{id, user, roles: [..], created_at, expires_at, revoked_at}] (never a
 * token or its hash); times RFC 3339 or null. */
int app_tokens_json(struct session *s, json_t **out);

#endif
