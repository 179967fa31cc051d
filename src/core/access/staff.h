/*
 * staff.h - user administration under separation of duties (SPEC §9).
 *
 * The rules, all enforced here (cmd/ only parses and prints):
 *
 *  - a user holds at least one role, and `admin` is never held together
 *    with `approver` or `reviewer` (an admin who could also approve could
 *    make the second approver too);
 *  - a change is *guarded* when it grants admin, reviewer or approver (or
 *    creates a user with one), binds or unbinds the operating-system login
 *    of a user who ends with one of them, or takes admin away from a user
 *    (demotion or removal of an admin).  While there are two or more
 *    admins a guarded change is only proposed (user.propose); it takes
 *    effect when a different admin confirms it (user.confirm), and the
 *    rules are checked again then.  While there is a single admin it
 *    takes effect at once and the caller is told (sole_admin) so that it
 *    can warn that separation of duties is not in force;
 *  - the last admin cannot be removed or demoted;
 *  - every change is logged: user.add, user.set, user.remove (each with
 *    the user's resulting roles and login), user.propose, user.confirm,
 *    user.cancel.  core/ledger/replay.c rebuilds the staff and staff_proposal
 *    tables from these entries.
 *
 * Each function runs inside the caller's unit of work.
 */
#ifndef DOCKET_STAFF_H
#define DOCKET_STAFF_H

#include <stdint.h>

#include "core/ledger/event.h"
#include "store/store.h"

#define STAFF_GUARDED \
	(ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_REVIEWER) | ROLE_BIT(ROLE_APPROVER))
#define STAFF_NAME_MAX 64
#define STAFF_LOGIN_MAX 32

enum staff_op { STAFF_ADD, STAFF_SET, STAFF_REMOVE };

struct staff_change {
	enum staff_op op;
	const char *name;
	unsigned roles;		/* ADD, SET: the roles the user ends with;
				   SET with 0: keep the roles */
	const char *unix_login; /* ADD, SET: bind to this login; NULL: none
				   (ADD) or keep (SET) */
	int unbind;		/* SET: remove the login binding */
};

struct staff_outcome {
	int proposed;	    /* 1: waits for another admin's confirmation */
	int64_t proposal;   /* its id */
	int sole_admin;	    /* took effect under a single admin */
	int removed;	    /* the user is gone */
	unsigned roles;	    /* the user's roles now (or once confirmed) */
	char login[STAFF_LOGIN_MAX + 1]; /* and login ("" for none) */
};

/* A valid user name / operating-system login name (printable, no spaces;
 * a login of letters, digits, '_', '-', '.'). */
int staff_name_valid(const char *s);
int staff_login_valid(const char *s);

/* Make, propose or refuse a change (E_REFUSED naming the rule). */
int staff_change(struct store *st, const struct actor *who,
		 const struct staff_change *c, struct staff_outcome *out);
/* Confirm (E_REFUSED when the actor proposed it) or cancel a pending
 * proposal. */
int staff_confirm(struct store *st, const struct actor *who, int64_t proposal,
		  struct staff_outcome *out);
int staff_cancel(struct store *st, const struct actor *who, int64_t proposal);

/* Before `config set cli_auth unix`: the login must be bound to an admin,
 * or nobody could administer the database afterwards (E_REFUSED). */
int staff_check_unix_admin(struct store *st, const char *login);

/* The number of admins (separation of duties is in force with two or
 * more). */
int staff_admins(struct store *st, int64_t *n);

#endif
