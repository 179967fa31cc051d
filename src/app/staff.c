/*
 * staff.c - user administration in the application layer (app/staff.h).
 */
#include <stdlib.h>
#include <string.h>

#include "app/staff.h"
#include "base/err.h"
#include "base/util.h"

struct change_job {
	const struct staff_change *c;
	int64_t proposal;
	struct staff_outcome *out;
	int op; /* 0 change, 1 confirm, 2 cancel */
};

static int change_body(struct session *s, void *ctx)
{
	struct change_job *j = ctx;
	struct actor who = session_actor(s);
	switch (j->op) {
	case 0:
		return staff_change(s->st, &who, j->c, j->out);
	case 1:
		return staff_confirm(s->st, &who, j->proposal, j->out);
	default:
		return staff_cancel(s->st, &who, j->proposal);
	}
}

static int run(struct session *s, struct change_job *j, const char *what)
{
	int rc = session_require(s, ROLE_BIT(ROLE_ADMIN), what);
	return rc < 0 ? rc : app_unit(s, change_body, j);
}

int app_user_change(struct session *s, const struct staff_change *c,
		    struct staff_outcome *out)
{
	struct change_job j = {.c = c, .out = out, .op = 0};
	if (c->op != STAFF_REMOVE && (c->roles & ROLES_PORTAL))
		return err_set(E_USAGE, "officers and customers are not added as users: they "
					"register through the agency portal or sign in with a "
					"link to the customer portal");
	return run(s, &j, "administer users");
}

int app_user_confirm(struct session *s, int64_t proposal, struct staff_outcome *out)
{
	struct change_job j = {.proposal = proposal, .out = out, .op = 1};
	return run(s, &j, "confirm user changes");
}

int app_user_cancel(struct session *s, int64_t proposal)
{
	struct change_job j = {.proposal = proposal, .op = 2};
	return run(s, &j, "cancel user changes");
}

int app_admins(struct session *s, int64_t *n)
{
	return staff_admins(s->st, n);
}

static int list_user(void *ctx, const char *name, unsigned roles, const char *login)
{
	char list[128];
	roles_format(roles, list, sizeof(list));
	json_t *j = json_pack("{s:s, s:s}", "name", name, "roles", list);
	if (login)
		json_object_set_new(j, "unix", json_string(login));
	json_array_append_new(ctx, j);
	return 0;
}

static int list_proposal(void *ctx, const struct staff_proposal *p)
{
	char list[128];
	if (strcmp(p->state, "pending") != 0)
		return 0;
	roles_format(p->roles, list, sizeof(list));
	json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)p->id, "op",
			      p->op, "user", p->name, "roles", list, "proposed_by",
			      p->proposed_by);
	if (p->unix_login)
		json_object_set_new(j, "unix", json_string(p->unix_login));
	json_array_append_new(ctx, j);
	return 0;
}

int app_user_list(struct session *s, json_t **out)
{
	int64_t admins = 0;
	json_t *users = json_array(), *props = json_array();
	int rc;
	*out = NULL;
	if ((rc = store_staff_each(s->st, list_user, users)) < 0 ||
	    (rc = store_proposal_each(s->st, 0, list_proposal, props)) < 0 ||
	    (rc = staff_admins(s->st, &admins)) < 0) {
		json_decref(users);
		json_decref(props);
		return rc;
	}
	*out = json_pack("{s:o, s:o, s:I, s:b}", "users", users, "proposals", props,
			 "admins", (json_int_t)admins, "separation_of_duties", admins >= 2);
	return 0;
}

int app_cli_actor(const char *db, const char *given, const char *os_login, char **user)
{
	struct store *st = NULL;
	char *mode = NULL;
	int rc;
	*user = NULL;
	if ((rc = store_open(db, STORE_OPEN_EXISTING, &st)) < 0)
		return rc;
	rc = store_setting_get(st, "config.cli_auth", &mode);
	if (rc == -E_NOTFOUND) {
		err_clear();
		rc = 0;
	}
	if (rc < 0 || !mode || strcmp(mode, "unix") != 0) {
		*user = rc == 0 && given ? xstrdup(given) : NULL;
		goto out;
	}
	if (given) {
		rc = err_set(E_FORBIDDEN, "--as and DOCKET_USER are refused: this database "
					  "binds the command line to operating-system logins "
					  "(cli_auth unix)");
		goto out;
	}
	if (!os_login) {
		rc = err_set(E_FORBIDDEN, "the operating-system login running docket is "
					  "unknown (cli_auth unix)");
		goto out;
	}
	rc = store_user_by_unix(st, os_login, user);
	if (rc == -E_NOTFOUND) {
		rc = err_set(E_FORBIDDEN, "login '%s' is not bound to a docket user", os_login);
		err_set_remedy(REMEDY_BIND_LOGIN, 0);
	}
out:
	free(mode);
	store_close(st);
	return rc;
}

int app_check_unix_admin(struct session *s, const char *os_login)
{
	int rc = session_require(s, ROLE_BIT(ROLE_ADMIN), "change settings");
	if (rc < 0)
		return rc;
	if (!os_login)
		return err_set(E_REFUSED, "cli_auth unix: the login running docket is unknown");
	return staff_check_unix_admin(s->st, os_login);
}

json_t *app_staff_outcome_json(const char *name, const struct staff_outcome *o)
{
	char list[128];
	roles_format(o->roles, list, sizeof(list));
	json_t *j = json_pack("{s:s, s:s, s:b, s:b, s:b}", "user", name, "roles", list,
			      "proposed", o->proposed, "removed", o->removed,
			      "separation_of_duties", !o->sole_admin);
	if (o->proposed || o->proposal)
		json_object_set_new(j, "proposal", json_integer(o->proposal));
	if (o->login[0])
		json_object_set_new(j, "unix", json_string(o->login));
	return j;
}
