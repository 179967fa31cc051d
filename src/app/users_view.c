/*
 * users_view.c - users and tokens for the admin page (users_view.h).
 */
#include "base/clock.h"
#include "base/err.h"
#include "app/auth.h"
#include "app/users_view.h"
#include "model/enums.h"

static json_t *roles_json(unsigned roles)
{
	json_t *a = json_array();
	for (int r = 0; r < role__COUNT; r++)
		if (roles & ROLE_BIT(r))
			json_array_append_new(a, json_string(role_str(r)));
	return a;
}

static int user_row(void *ctx, const char *name, unsigned roles)
{
	json_array_append_new(ctx, json_pack("{s:s, s:o}", "name", name, "roles",
					     roles_json(roles)));
	return 0;
}

int app_users_json(struct session *s, json_t **out)
{
	int rc = session_require(s, ROLE_BIT(ROLE_ADMIN), "list users");
	*out = NULL;
	if (rc < 0)
		return rc;
	json_t *a = json_array();
	if ((rc = store_user_each(s->st, user_row, a)) < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

static json_t *when(int64_t t)
{
	char b[TS_BUFSZ];
	if (!t)
		return json_null();
	time_format(t, b);
	return json_string(b);
}

static int token_row(void *ctx, const struct token_record *t)
{
	json_array_append_new(ctx, json_pack("{s:I, s:s, s:o, s:o, s:o, s:o}", "id",
					     (json_int_t)t->id, "user", t->user, "roles",
					     roles_json(t->roles), "created_at", when(t->created_at),
					     "expires_at", when(t->expires_at), "revoked_at",
					     when(t->revoked_at)));
	return 0;
}

int app_tokens_json(struct session *s, json_t **out)
{
	json_t *a = json_array();
	int rc = app_token_each(s, token_row, a);
	*out = NULL;
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}
