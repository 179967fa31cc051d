/*
 * admin.c - init, users, settings and status (app/admin.h).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/admin.h"
#include "app/staff.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/keys.h"
#include "base/util.h"
#include "core/access/auth.h"
#include "core/ledger/refkey.h"
#include "core/disclose/vault.h"
#include "log/signer.h"

static int printable(const char *s, size_t max, const char *also_banned)
{
	if (!*s || strlen(s) > max)
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
		    (*also_banned && strchr(also_banned, *p)))
			return 0;
	return 1;
}

int app_name_valid(const char *s)
{
	return printable(s, APP_NAME_MAX, "");
}

int app_origin_valid(const char *s)
{
	return printable(s, 200, "+");
}

/* --- init --------------------------------------------------------------- */

static int init_body(struct session *s, void *ctx)
{
	(void)ctx;
	const char *vkey = signer_verifier_key(s->signer);
	const char *nskey = signer_verifier_key(s->ns_signer);
	int rc;
	if ((rc = store_setting_set(s->st, "log.origin", s->origin)) < 0 ||
	    (rc = store_setting_set(s->st, "log.key", vkey)) < 0 ||
	    (rc = store_setting_set(s->st, "log.ns-key", nskey)) < 0 ||
	    (rc = store_user_add(s->st, s->user, ROLE_BIT(ROLE_ADMIN))) < 0 ||
	    (rc = app_log(s, "log.init",
			  json_pack("{s:s, s:s, s:s}", "origin", s->origin, "key", vkey,
				    "ns_key", nskey),
			  NULL)) < 0)
		return rc;
	return app_log(s, "user.add",
		       json_pack("{s:s, s:s}", "user", s->user, "roles", "admin"), NULL);
}

/* The first unit of work of a new database, as its first admin. */
static int init_db(const char *db, const char *key, const char *origin, const char *admin)
{
	struct session *s = xcalloc(1, sizeof(*s));
	int rc;
	s->db = xstrdup(db);
	s->user = xstrdup(admin);
	s->origin = xstrdup(origin);
	s->roles = ROLE_BIT(ROLE_ADMIN);
	if ((rc = clock_now(&s->now)) == 0 && (rc = signer_load(key, &s->signer)) == 0 &&
	    (rc = store_open(db, STORE_CREATE, &s->st)) == 0)
		rc = app_unit(s, init_body, NULL);
	session_close(s);
	return rc;
}

int app_init(const char *db, const char *origin, const char *admin,
	     struct app_init_result *out)
{
	int rc;
	memset(out, 0, sizeof(*out));
	if (!app_origin_valid(origin))
		return err_set(E_USAGE,
			       "origin '%s' must be printable with no spaces or '+'",
			       origin);
	if (!app_name_valid(admin))
		return err_set(E_USAGE,
			       "admin name '%s' must be printable with no spaces", admin);
	if ((rc = store_exists(db)) != 0)
		return rc < 0 ? rc : err_set(E_REFUSED, "database '%s' already exists", db);
	if ((rc = keys_path(db, ".key", &out->key_file)) < 0 ||
	    (rc = keys_path(db, VAULT_KEY_SUFFIX, &out->vault_key_file)) < 0 ||
	    (rc = keys_path(db, REFKEY_SUFFIX, &out->ref_key_file)) < 0 ||
	    (rc = keys_path(db, AUTH_MFA_KEY_SUFFIX, &out->mfa_key_file)) < 0)
		return rc;
	int made_key = 0, made_vkey = 0, made_rkey = 0, made_mkey = 0;
	rc = signer_generate(out->key_file, origin);
	if (rc == 0) {
		made_key = 1;
		rc = vault_key_generate(out->vault_key_file);
	}
	if (rc == 0) {
		made_vkey = 1;
		rc = refkey_generate(out->ref_key_file);
	}
	if (rc == 0) {
		made_rkey = 1;
		rc = auth_mfa_key_generate(out->mfa_key_file);
	}
	if (rc == 0) {
		made_mkey = 1;
		rc = init_db(db, out->key_file, origin, admin);
	}
	if (rc < 0) {
		store_remove(db);
		if (made_key)
			unlink(out->key_file);
		if (made_vkey)
			unlink(out->vault_key_file);
		if (made_rkey)
			unlink(out->ref_key_file);
		if (made_mkey)
			unlink(out->mfa_key_file);
		app_init_release(out);
	}
	return rc;
}

void app_init_release(struct app_init_result *r)
{
	free(r->key_file);
	free(r->vault_key_file);
	free(r->ref_key_file);
	free(r->mfa_key_file);
	memset(r, 0, sizeof(*r));
}

/* --- users and settings -------------------------------------------------- */

int app_user_add(struct session *s, const char *name, unsigned roles)
{
	/* separation of duties (core/access/staff.h): a grant may only be proposed */
	struct staff_change c = {.op = STAFF_ADD, .name = name, .roles = roles};
	struct staff_outcome o;
	if (!app_name_valid(name))
		return err_set(E_USAGE, "user name '%s' must be printable with no spaces",
			       name);
	return app_user_change(s, &c, &o);
}

static int find_key(const char *name, const struct config_key **out)
{
	*out = config_find(name);
	if (!*out)
		return err_set(E_USAGE, "unknown setting '%s'", name);
	return 0;
}

struct config_job {
	const struct config_key *k;
	const char *value;
};

static int config_body(struct session *s, void *ctx)
{
	struct config_job *c = ctx;
	char *key = xasprintf("config.%s", c->k->name);
	int rc = store_setting_set(s->st, key, c->value);
	free(key);
	if (rc < 0)
		return rc;
	return app_log(s, "config.set",
		       json_pack("{s:s, s:s}", "key", c->k->name, "value", c->value),
		       NULL);
}

int app_config_set(struct session *s, const char *key, const char *value)
{
	struct config_job c = {NULL, value};
	int rc;
	if ((rc = find_key(key, &c.k)) < 0 || (rc = config_check(c.k, value)) < 0 ||
	    (rc = session_require(s, ROLE_BIT(ROLE_ADMIN), "change settings")) < 0)
		return rc;
	return app_unit(s, config_body, &c);
}

int app_config_get(struct session *s, const char *key, char **value)
{
	const struct config_key *k;
	int rc;
	*value = NULL;
	if ((rc = find_key(key, &k)) < 0 ||
	    (rc = session_require(s, ROLE_BIT(ROLE_ADMIN), "read settings")) < 0)
		return rc;
	return config_get_value(s->st, k, value);
}

/* --- status ---------------------------------------------------------------- */

int app_status(struct session *s, struct app_status *out)
{
	char *note = NULL;
	int rc;
	memset(out, 0, sizeof(*out));
	if ((rc = store_request_count_by_state(s->st, out->by_state)) < 0 ||
	    (rc = store_customer_count(s->st, &out->customers)) < 0 ||
	    (rc = store_account_count(s->st, &out->accounts)) < 0 ||
	    (rc = store_log_size(s->st, &out->log_size)) < 0 ||
	    (rc = staff_admins(s->st, &out->admins)) < 0)
		return rc;
	for (int i = 0; i < state__COUNT; i++)
		out->requests += out->by_state[i];
	rc = store_checkpoint_latest(s->st, &out->checkpoint_size, &note);
	free(note);
	return rc == -E_NOTFOUND ? 0 : rc;
}
