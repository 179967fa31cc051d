/*
 * api_admin.c - the rest of the command line over HTTP (SPEC §12: every
 * command a person or program runs has an endpoint): nondisclosure orders,
 * a notice and its resend, converting a preservation, status, changing
 * one's own password, and for admins users, settings and API tokens.  Each
 * handler calls the app function the matching command calls.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/admin.h"
#include "app/auth.h"
#include "app/notice.h"
#include "app/request.h"
#include "app/staff.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "http/auth.h"
#include "http/handlers.h"

#define REASON_MAX 4096

static void json_release(void *j)
{
	json_decref(j);
}

json_t *api_body_or_empty(struct http_req *req, int *rc)
{
	json_t *b = NULL;
	*rc = req->body_len ? http_body_json(req, &b) : 0;
	if (*rc == 0 && !b) {
		b = json_object();
		pool_defer(req->pool, json_release, b);
	}
	return b;
}

int api_date_field(json_t *body, const char *field, int required, struct ts *out,
		   int *present)
{
	const char *v;
	int rc = api_string(body, field, 40, required, &v);
	*present = 0;
	if (rc < 0 || !v)
		return rc;
	if (ts_parse(v, out) < 0)
		return err_set(E_INVALID, "field '%s': '%.40s' is not a date (YYYY-MM-DD or "
					  "RFC 3339)",
			       field, v);
	*present = 1;
	return 0;
}

static int reply_request(struct http_req *req, struct http_res *res, int64_t id)
{
	json_t *v;
	int rc = app_request_json(http_session(req), id, &v);
	return rc < 0 ? rc : http_reply_json(req, res, 200, v);
}

/* --- nondisclosure orders (docket ndo add/extend/lift) --------------------- */

int api_ndo_add(struct http_req *req, struct http_res *res)
{
	static const char *const fields[] = {"statute", "issued_at", "expires_at", NULL};
	int64_t id;
	int rc, has;
	json_t *body = api_body_or_empty(req, &rc);
	const char *statute;
	struct ndo nd = {0};
	if (rc < 0 || (rc = http_param_id(req, "id", &id)) < 0 ||
	    (rc = api_only_fields(body, fields)) < 0 ||
	    (rc = api_string(body, "statute", 256, 1, &statute)) < 0 ||
	    (rc = api_date_field(body, "issued_at", 1, &nd.issued_at, &has)) < 0 ||
	    (rc = api_date_field(body, "expires_at", 0, &nd.expires_at, &nd.has_expiry)) < 0)
		return rc;
	nd.statute = (char *)statute;
	if ((rc = app_ndo_add(http_session(req), id, &nd)) < 0)
		return rc;
	return reply_request(req, res, id);
}

int api_ndo_extend(struct http_req *req, struct http_res *res)
{
	static const char *const fields[] = {"expires_at", NULL};
	int64_t id;
	struct ts t;
	int rc, has;
	json_t *body = api_body_or_empty(req, &rc);
	if (rc < 0 || (rc = http_param_id(req, "id", &id)) < 0 ||
	    (rc = api_only_fields(body, fields)) < 0 ||
	    (rc = api_date_field(body, "expires_at", 1, &t, &has)) < 0 ||
	    (rc = app_ndo_extend(http_session(req), id, t.t)) < 0)
		return rc;
	return reply_request(req, res, id);
}

int api_ndo_lift(struct http_req *req, struct http_res *res)
{
	static const char *const fields[] = {"reason", NULL};
	int64_t id;
	const char *reason;
	int rc;
	json_t *body = api_body_or_empty(req, &rc);
	if (rc < 0 || (rc = http_param_id(req, "id", &id)) < 0 ||
	    (rc = api_only_fields(body, fields)) < 0 ||
	    (rc = api_string(body, "reason", REASON_MAX, 1, &reason)) < 0 ||
	    (rc = app_ndo_lift(http_session(req), id, reason)) < 0)
		return rc;
	return reply_request(req, res, id);
}

/* --- a notice (docket notice show / resend) --------------------------------- */

static int reply_notice(struct http_req *req, struct http_res *res, int64_t id)
{
	struct notice n;
	int rc = app_notice_get(http_session(req), id, &n);
	if (rc < 0)
		return rc;
	json_t *j = notice_to_json(&n, 1);
	notice_release(&n);
	return http_reply_json(req, res, 200, j);
}

int api_notice_show(struct http_req *req, struct http_res *res)
{
	int64_t id;
	int rc = http_param_id(req, "id", &id);
	return rc < 0 ? rc : reply_notice(req, res, id);
}

int api_notice_resend(struct http_req *req, struct http_res *res)
{
	static const char *const fields[] = {"reason", NULL};
	int64_t id;
	const char *reason;
	int rc;
	json_t *body = api_body_or_empty(req, &rc);
	if (rc < 0 || (rc = http_param_id(req, "id", &id)) < 0 ||
	    (rc = api_only_fields(body, fields)) < 0 ||
	    (rc = api_string(body, "reason", REASON_MAX, 1, &reason)) < 0 ||
	    (rc = app_notice_resend(http_session(req), id, reason)) < 0)
		return rc;
	return reply_notice(req, res, id);
}

/* --- converting a preservation (docket hold convert) ---------------------- */

int api_hold_conversion(struct http_req *req, struct http_res *res)
{
	static const char *const fields[] = {"follow_up", "reason", NULL};
	int64_t id;
	const char *reason;
	int rc;
	json_t *body = api_body_or_empty(req, &rc);
	if (rc < 0 || (rc = http_param_id(req, "id", &id)) < 0 ||
	    (rc = api_only_fields(body, fields)) < 0 ||
	    (rc = api_string(body, "reason", REASON_MAX, 0, &reason)) < 0)
		return rc;
	json_t *f = json_object_get(body, "follow_up");
	if (!json_is_integer(f) || json_integer_value(f) <= 0)
		return err_set(E_INVALID, "field 'follow_up': the id of the follow-up request");
	if ((rc = app_hold_convert(http_session(req), id, json_integer_value(f), reason)) < 0)
		return rc;
	return reply_request(req, res, id);
}

/* --- status (docket status --json) -------------------------------------- */

int api_status(struct http_req *req, struct http_res *res)
{
	struct app_status st;
	int rc = app_status(http_session(req), &st);
	if (rc < 0)
		return rc;
	json_t *states = json_object();
	for (int s = 0; s < state__COUNT; s++)
		if (st.by_state[s])
			json_object_set_new(states, state_str(s), json_integer(st.by_state[s]));
	return http_reply_json(
		req, res, 200,
		json_pack("{s:I, s:o, s:I, s:I, s:I, s:I, s:I, s:b}", "requests",
			  (json_int_t)st.requests, "by_state", states, "customers",
			  (json_int_t)st.customers, "accounts", (json_int_t)st.accounts,
			  "log_size", (json_int_t)st.log_size, "checkpoint_size",
			  (json_int_t)st.checkpoint_size, "admins", (json_int_t)st.admins,
			  "separation_of_duties", st.admins >= 2));
}

/* --- one's own password ------------------------------------------------------ */

/* {"password","new_password"}: the current password proves it is the
 * user; every session of the user ends, this one too (SPEC §12). */
int api_password_change(struct http_req *req, struct http_res *res)
{
	static const char *const fields[] = {"password", "new_password", NULL};
	const char *cur, *next;
	int rc;
	json_t *body = api_body_or_empty(req, &rc);
	if (rc < 0 || (rc = api_only_fields(body, fields)) < 0 ||
	    (rc = api_string(body, "password", AUTH_PASSWORD_MAX, 1, &cur)) < 0 ||
	    (rc = api_string(body, "new_password", AUTH_PASSWORD_MAX, 1, &next)) < 0)
		return rc;
	int match = 0;
	if ((rc = auth_password_check(req->st, req->who.user, cur, &match)) < 0)
		return rc;
	if (!match)
		return err_set(E_FORBIDDEN, "the current password is wrong");
	if ((rc = app_user_passwd(http_session(req), req->who.user, next)) < 0)
		return rc;
	if (req->who.kind == HTTP_AUTH_SESSION)
		http_res_header(req, res, "Set-Cookie",
				SESSION_COOKIE "=; Path=/; Secure; HttpOnly; SameSite=Strict; "
					       "Max-Age=0");
	return http_reply_empty(res, 204);
}

/* --- admin: users, settings, tokens --------------------------------------- */

int api_roles_field(json_t *body, const char *field, int required, unsigned *out)
{
	json_t *v = json_object_get(body, field);
	*out = 0;
	if (!v || json_is_null(v))
		return required ? err_set(E_INVALID, "field '%s': required", field) : 0;
	if (json_is_string(v)) {
		if (roles_parse(json_string_value(v), out) < 0)
			return err_set(E_INVALID, "field '%s': roles are intake, reviewer, "
						  "approver, compliance, auditor, admin",
				       field);
		return 0;
	}
	size_t i;
	json_t *r;
	if (!json_is_array(v) || json_array_size(v) > 6)
		return err_set(E_INVALID, "field '%s': a list of roles", field);
	json_array_foreach(v, i, r) {
		int k = json_is_string(r) ? role_parse(json_string_value(r)) : -1;
		if (k < 0)
			return err_set(E_INVALID, "field '%s': roles are intake, reviewer, "
						  "approver, compliance, auditor, admin",
				       field);
		*out |= ROLE_BIT(k);
	}
	return 0;
}

/* {"name", "roles", "unix"}: 201 {"user", "roles", "proposed", ...}; with
 * two or more admins a guarded role is only proposed ("proposal": id). */
/* Which body field an app refusal of a user's change is about. */
const char *const api_user_fields[][2] = {
	{"user name", "name"}, {"login", "unix"}, {NULL, NULL}};

int api_user_add(struct http_req *req, struct http_res *res)
{
	static const char *const fields[] = {"name", "roles", "unix", NULL};
	struct staff_change c = {.op = STAFF_ADD};
	struct staff_outcome o;
	int rc;
	json_t *body = api_body_or_empty(req, &rc);
	if (rc < 0 || (rc = api_only_fields(body, fields)) < 0 ||
	    (rc = api_string(body, "name", 64, 1, &c.name)) < 0 ||
	    (rc = api_roles_field(body, "roles", 1, &c.roles)) < 0 ||
	    (rc = api_string(body, "unix", STAFF_LOGIN_MAX, 0, &c.unix_login)) < 0)
		return rc;
	if (!c.roles)
		return err_set(E_INVALID, "field 'roles': at least one role");
	if ((rc = app_user_change(http_session(req), &c, &o)) < 0)
		return api_name_field(rc, api_user_fields);
	json_t *j = app_staff_outcome_json(c.name, &o);
	json_object_set_new(j, "roles", api_roles_json(c.roles));
	return http_reply_json(req, res, 201, j);
}

int api_config_list(struct http_req *req, struct http_res *res)
{
	json_t *arr = json_array();
	for (const struct config_key *k = config_keys; k->name; k++) {
		char *v = NULL;
		int rc = app_config_get(http_session(req), k->name, &v);
		if (rc < 0) {
			json_decref(arr);
			return rc;
		}
		json_array_append_new(arr, json_pack("{s:s, s:s?, s:s}", "key", k->name, "value",
						     v, "help", k->help));
		free(v);
	}
	return http_reply_json(req, res, 200, json_pack("{s:o}", "settings", arr));
}

int api_config_set(struct http_req *req, struct http_res *res)
{
	static const char *const fields[] = {"value", NULL};
	const char *key = http_param(req, "key"), *value;
	int rc;
	json_t *body = api_body_or_empty(req, &rc);
	if (rc < 0 || (rc = api_only_fields(body, fields)) < 0 ||
	    (rc = api_string(body, "value", 4096, 1, &value)) < 0)
		return rc;
	/* an unknown key (the path) stays 400; a bad value names "value" */
	static const char *const value_field[][2] = {{"setting '", "value"}, {NULL, NULL}};
	if ((rc = app_config_set(http_session(req), key, value)) < 0)
		return api_name_field(rc, value_field);
	return http_reply_json(req, res, 200, json_pack("{s:s, s:s}", "key", key, "value", value));
}

int api_token_add(struct http_req *req, struct http_res *res)
{
	static const char *const fields[] = {"user", "roles", "expires_at", NULL};
	const char *user;
	unsigned roles;
	struct ts exp = {0};
	int has, rc;
	char token[AUTH_SECRET_LEN];
	int64_t id;
	json_t *body = api_body_or_empty(req, &rc);
	if (rc < 0 || (rc = api_only_fields(body, fields)) < 0 ||
	    (rc = api_string(body, "user", 254, 1, &user)) < 0 ||
	    (rc = api_roles_field(body, "roles", 0, &roles)) < 0 ||
	    (rc = api_date_field(body, "expires_at", 0, &exp, &has)) < 0)
		return rc;
	static const char *const token_fields[][2] = {
		{"a token for", "roles"}, {"the token's expiry", "expires_at"}, {NULL, NULL}};
	if ((rc = app_token_add(http_session(req), user, roles, has ? exp.t : 0, token, &id)) <
	    0)
		return api_name_field(rc, token_fields);
	json_t *j = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "user", user, "token",
			      token);
	sodium_memzero(token, sizeof(token));
	http_res_header(req, res, "Location",
			pool_printf(req->pool, "/api/v1/tokens/%lld", (long long)id));
	return http_reply_json(req, res, 201, j);
}

static int token_row(void *ctx, const struct token_record *t)
{
	char created[TS_BUFSZ], at[TS_BUFSZ];
	time_format(t->created_at, created);
	json_t *j = json_pack("{s:I, s:s, s:o, s:s}", "id", (json_int_t)t->id, "user", t->user,
			      "roles", api_roles_json(t->roles), "created_at", created);
	if (t->expires_at)
		time_format(t->expires_at, at);
	json_object_set_new(j, "expires_at", t->expires_at ? json_string(at) : json_null());
	if (t->revoked_at)
		time_format(t->revoked_at, at);
	json_object_set_new(j, "revoked_at", t->revoked_at ? json_string(at) : json_null());
	json_array_append_new(ctx, j);
	return 0;
}

int api_token_list(struct http_req *req, struct http_res *res)
{
	json_t *arr = json_array();
	int rc = app_token_each(http_session(req), token_row, arr);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	return http_reply_json(req, res, 200, json_pack("{s:o}", "tokens", arr));
}

int api_token_revoke(struct http_req *req, struct http_res *res)
{
	int64_t id;
	int rc;
	if ((rc = http_param_id(req, "id", &id)) < 0 ||
	    (rc = app_token_revoke(http_session(req), id)) < 0)
		return rc;
	return http_reply_empty(res, 204);
}
