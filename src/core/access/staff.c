/*
 * staff.c - user administration under separation of duties (staff.h).
 */
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "core/access/staff.h"

#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define EXCLUSIVE (ROLE_BIT(ROLE_APPROVER) | ROLE_BIT(ROLE_REVIEWER))

static const char *const op_names[] = {"add", "set", "remove"};

int staff_name_valid(const char *s)
{
	if (!s || !*s || strlen(s) > STAFF_NAME_MAX)
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			return 0;
	return 1;
}

int staff_login_valid(const char *s)
{
	if (!s || !*s || strlen(s) > STAFF_LOGIN_MAX || *s == '-')
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.'))
			return 0;
	return 1;
}

int staff_admins(struct store *st, int64_t *n)
{
	return store_user_count_with(st, ADMIN, n);
}

static int op_parse(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(s, op_names[i]) == 0)
			return i;
	return -1;
}

/* The user as stored: *exists, roles and login (caller frees *login). */
static int current(struct store *st, const char *name, int *exists, unsigned *roles,
		   char **login)
{
	*exists = 0;
	*roles = 0;
	*login = NULL;
	int rc = store_user_get(st, name, roles, login);
	if (rc == -E_NOTFOUND) {
		err_clear();
		return 0;
	}
	if (rc == 0)
		*exists = 1;
	return rc;
}

/* The rules every change meets when it is made and again when it is
 * confirmed. */
static int check_rules(struct store *st, const struct staff_change *c, int exists,
		       unsigned before, unsigned after)
{
	int rc;
	int64_t admins;
	if (c->op != STAFF_ADD && !exists)
		return err_set(E_NOTFOUND, "no user '%s'", c->name);
	if (c->op != STAFF_REMOVE && after == 0) {
		rc = err_set(E_INVALID, "user '%s' needs at least one role", c->name);
		err_set_remedy(REMEDY_REMOVE_USER, 0);
		return rc;
	}
	if ((after & ADMIN) && (after & EXCLUSIVE))
		return err_set(E_REFUSED,
			       "user '%s' may not hold admin together with approver or "
			       "reviewer (separation of duties)",
			       c->name);
	if ((before & ADMIN) && !(after & ADMIN)) {
		if ((rc = staff_admins(st, &admins)) < 0)
			return rc;
		if (admins <= 1)
			return err_set(E_REFUSED,
				       "'%s' is the last admin and cannot be %s (add another "
				       "admin first)",
				       c->name, c->op == STAFF_REMOVE ? "removed" : "demoted");
	}
	if (c->unix_login) {
		char *holder = NULL;
		rc = store_user_by_unix(st, c->unix_login, &holder);
		if (rc == -E_NOTFOUND) {
			err_clear();
			rc = 0;
		} else if (rc == 0 && strcmp(holder, c->name) != 0) {
			rc = err_set(E_REFUSED, "login '%s' is already bound to user '%s'",
				     c->unix_login, holder);
		}
		free(holder);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static json_t *change_json(const char *op, const char *name, unsigned roles,
			   const char *login)
{
	char list[128];
	roles_format(roles, list, sizeof(list));
	json_t *j = json_pack("{s:s, s:s}", "user", name, "roles", list);
	if (op)
		json_object_set_new(j, "op", json_string(op));
	if (login)
		json_object_set_new(j, "unix", json_string(login));
	return j;
}

/* Write the change and log it as type (user.add / user.set / user.remove,
 * or user.confirm with `extra` fields). */
static int apply(struct store *st, const struct actor *who, enum staff_op op,
		 const char *name, unsigned roles, const char *login, const char *type,
		 json_t *extra)
{
	int rc = op == STAFF_REMOVE ? store_user_remove(st, name)
				    : store_user_put(st, name, roles, login);
	json_t *ev = change_json(extra ? op_names[op] : NULL, name,
				 op == STAFF_REMOVE ? 0 : roles, op == STAFF_REMOVE ? NULL : login);
	if (extra) {
		json_object_update(ev, extra);
		json_decref(extra);
	}
	if (rc < 0) {
		json_decref(ev);
		return rc;
	}
	return event_log(st, who, type, ev, NULL);
}

static void outcome_set(struct staff_outcome *out, unsigned roles, const char *login)
{
	out->roles = roles;
	str_copy(out->login, sizeof(out->login), login ? login : "");
}

int staff_change(struct store *st, const struct actor *who,
		 const struct staff_change *c, struct staff_outcome *out)
{
	int exists, rc;
	unsigned before, after;
	char *was = NULL;
	int64_t admins;
	memset(out, 0, sizeof(*out));
	if (!staff_name_valid(c->name))
		return err_set(E_USAGE, "user name '%s' must be 1 to %d printable characters "
					"with no spaces",
			       c->name ? c->name : "", STAFF_NAME_MAX);
	if (c->unix_login && !staff_login_valid(c->unix_login))
		return err_set(E_USAGE, "login '%s' must be 1 to %d letters, digits, '_', "
					"'-' or '.'",
			       c->unix_login, STAFF_LOGIN_MAX);
	if ((rc = current(st, c->name, &exists, &before, &was)) < 0)
		return rc;
	/* adding a user that exists sets its roles, under the same rules */
	struct staff_change as_set;
	if (c->op == STAFF_ADD && exists) {
		as_set = *c;
		as_set.op = STAFF_SET;
		c = &as_set;
	}
	after = c->op == STAFF_REMOVE ? 0 : c->roles ? c->roles : before;
	const char *login = c->op == STAFF_REMOVE ? NULL
			    : c->unbind		  ? NULL
			    : c->unix_login	  ? c->unix_login
						  : was;
	int login_changed = !str_eq(login ? login : "", was ? was : "");
	if ((rc = check_rules(st, c, exists, before, after)) < 0)
		goto out;
	int guarded = (after & ~before & STAFF_GUARDED) ||
		      ((before & ADMIN) && !(after & ADMIN)) ||
		      (login_changed && ((after | before) & STAFF_GUARDED));
	if ((rc = staff_admins(st, &admins)) < 0)
		goto out;
	outcome_set(out, after, login);
	out->removed = c->op == STAFF_REMOVE;
	if (guarded && admins >= 2) {
		struct staff_proposal p = {.op = op_names[c->op],
					   .name = c->name,
					   .roles = after,
					   .unix_login = login,
					   .proposed_by = who->name,
					   .at = who->now};
		int64_t id, got;
		if ((rc = store_proposal_next_id(st, &id)) < 0)
			goto out;
		json_t *ev = change_json(op_names[c->op], c->name, after, login);
		json_object_set_new(ev, "proposal", json_integer(id));
		if ((rc = event_log(st, who, "user.propose", ev, &p.log_index)) < 0 ||
		    (rc = store_proposal_add(st, &p, &got)) < 0)
			goto out;
		if (got != id) {
			rc = err_set(E_INTERNAL, "proposal %lld was stored as %lld",
				     (long long)id, (long long)got);
			goto out;
		}
		out->proposed = 1;
		out->proposal = id;
		goto out;
	}
	out->sole_admin = guarded && admins < 2;
	static const char *const types[] = {"user.add", "user.set", "user.remove"};
	rc = apply(st, who, c->op, c->name, after, login, types[c->op], NULL);
out:
	free(was);
	return rc;
}

struct found {
	int n;
	struct staff_change c;
	char *name, *login, *by, *state;
};

static int on_proposal(void *ctx, const struct staff_proposal *p)
{
	struct found *f = ctx;
	int op = op_parse(p->op);
	f->n++;
	f->c.op = op < 0 ? STAFF_SET : (enum staff_op)op;
	f->name = xstrdup(p->name);
	f->login = p->unix_login ? xstrdup(p->unix_login) : NULL;
	f->by = xstrdup(p->proposed_by);
	f->state = xstrdup(p->state);
	f->c.name = f->name;
	f->c.roles = p->roles;
	f->c.unix_login = f->login;
	f->c.unbind = !p->unix_login;
	return 0;
}

static void found_free(struct found *f)
{
	free(f->name);
	free(f->login);
	free(f->by);
	free(f->state);
}

static int load_pending(struct store *st, int64_t id, struct found *f)
{
	memset(f, 0, sizeof(*f));
	int rc = store_proposal_each(st, id, on_proposal, f);
	if (rc < 0)
		return rc;
	if (f->n == 0) {
		rc = err_set(E_NOTFOUND, "no proposal %lld", (long long)id);
		err_set_remedy(REMEDY_LIST_PROPOSALS, id);
		return rc;
	}
	if (strcmp(f->state, "pending") != 0)
		return err_set(E_REFUSED, "proposal %lld is already %s", (long long)id,
			       f->state);
	return 0;
}

int staff_confirm(struct store *st, const struct actor *who, int64_t proposal,
		  struct staff_outcome *out)
{
	struct found f;
	int exists, rc;
	unsigned before;
	char *was = NULL;
	memset(out, 0, sizeof(*out));
	if ((rc = load_pending(st, proposal, &f)) < 0)
		goto out;
	if (str_eq(f.by, who->name)) {
		rc = err_set(E_REFUSED, "proposal %lld was made by '%s'; another admin must "
					"confirm it (separation of duties)",
			     (long long)proposal, f.by);
		goto out;
	}
	if ((rc = current(st, f.name, &exists, &before, &was)) < 0 ||
	    (rc = check_rules(st, &f.c, exists, before, f.c.roles)) < 0)
		goto out;
	outcome_set(out, f.c.op == STAFF_REMOVE ? 0 : f.c.roles, f.login);
	out->removed = f.c.op == STAFF_REMOVE;
	out->proposal = proposal;
	if ((rc = store_proposal_decide(st, proposal, "confirmed", who->name, who->now)) < 0)
		goto out;
	rc = apply(st, who, f.c.op, f.name, f.c.roles, f.login, "user.confirm",
		   json_pack("{s:I, s:s}", "proposal", (json_int_t)proposal, "proposed_by",
			     f.by));
out:
	free(was);
	found_free(&f);
	return rc;
}

int staff_cancel(struct store *st, const struct actor *who, int64_t proposal)
{
	struct found f;
	int rc = load_pending(st, proposal, &f);
	if (rc == 0 &&
	    (rc = store_proposal_decide(st, proposal, "cancelled", who->name, who->now)) == 0)
		rc = event_log(st, who, "user.cancel",
			       json_pack("{s:I, s:s}", "proposal", (json_int_t)proposal, "user",
					 f.name),
			       NULL);
	found_free(&f);
	return rc;
}

int staff_check_unix_admin(struct store *st, const char *login)
{
	char *name = NULL;
	unsigned roles = 0;
	int rc = store_user_by_unix(st, login, &name);
	if (rc == 0)
		rc = store_user_get(st, name, &roles, NULL);
	if (rc == -E_NOTFOUND || (rc == 0 && !(roles & ADMIN))) {
		rc = err_set(E_REFUSED, "cli_auth unix would lock the admins out: login '%s' "
					"is not bound to an admin",
			     login);
		err_set_remedy(REMEDY_BIND_LOGIN, 0);
	}
	free(name);
	return rc;
}
