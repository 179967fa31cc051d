/*
 * session.c - one actor on one database: opening, roles, the rules, and
 * progress hooks (app/app.h).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "core/policy/rules.h"
#include "log/signer.h"

int session_open(const char *db, const char *user, struct session **out)
{
	struct session *s;
	int rc;
	*out = NULL;
	if (!user || !*user)
		return err_set(E_USAGE, "no acting user");
	s = xcalloc(1, sizeof(*s));
	s->db = xstrdup(db);
	s->user = xstrdup(user);
	if ((rc = clock_now(&s->now)) < 0 ||
	    (rc = store_open(db, STORE_OPEN_EXISTING, &s->st)) < 0)
		goto fail;
	rc = store_user_roles(s->st, user, &s->roles);
	if (rc == -E_NOTFOUND) {
		rc = err_set(E_FORBIDDEN, "'%s' is not a docket user", user);
		err_set_remedy(REMEDY_ADD_USER, 0);
	}
	if (rc < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	session_close(s);
	return rc;
}

void session_close(struct session *s)
{
	if (!s)
		return;
	store_close(s->st);
	signer_free(s->signer);
	signer_free(s->ns_signer);
	free(s->origin);
	free(s->rules_dir);
	free(s->user);
	free(s->db);
	free(s);
}

int session_require(const struct session *s, unsigned roles, const char *what)
{
	/* 0: any staff role - an officer or a customer acts only through
	 * the portals' functions, which name their role */
	if (s->roles & (roles ? roles : ROLES_STAFF))
		return 0;
	char need[128];
	roles_format(roles ? roles : ROLES_STAFF, need, sizeof(need));
	return err_set(E_FORBIDDEN, "user '%s' may not %s: it needs the role %s", s->user,
		       what, need);
}

void session_set_rules_dir(struct session *s, const char *dir)
{
	free(s->rules_dir);
	s->rules_dir = dir && *dir ? xstrdup(dir) : NULL;
}

struct actor session_actor(const struct session *s)
{
	return (struct actor){s->user, s->now};
}

struct staff session_staff(const struct session *s)
{
	return (struct staff){session_actor(s), s->roles};
}

/* The installed rules beside the binary (PREFIX/bin/docket ->
 * PREFIX/share/docket/rules), when they are there. */
static char *installed_rules_dir(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	char *dir = xasprintf("%s/../share/docket/rules", exe);
	struct stat sb;
	if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
		return dir;
	free(dir);
	return NULL;
}

int app_rules(const struct session *s, struct ruleset **out)
{
	if (s && s->rules) {
		*out = rules_share(s->rules);   /* a server loads them once */
		return 0;
	}
	if (s && s->rules_dir)
		return rules_load(s->rules_dir, out);
	char *installed = installed_rules_dir();
	int rc = rules_load(installed ? installed : DOCKET_RULES_DIR, out);
	free(installed);
	return rc;
}

void app_progress_start(const struct app_progress *p, const char *what, uint64_t total)
{
	if (p && p->start)
		p->start(p->ctx, what, total);
}

void app_progress_update(const struct app_progress *p, uint64_t done)
{
	if (p && p->update)
		p->update(p->ctx, done);
}

void app_progress_finish(const struct app_progress *p, uint64_t done)
{
	if (p && p->finish)
		p->finish(p->ctx, done);
}
