#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "core/config.h"

const struct config_key config_keys[] = {
	{"smtp_url", CONFIG_URL, NULL, 0, 0,
	 "SMTP server for notices, smtp://host:port or smtps://host:port"},
	{"smtp_from", CONFIG_EMAIL, NULL, 0, 0, "sender address of notices"},
	{"smtp_user", CONFIG_STRING, NULL, 0, 0, "SMTP user name (optional)"},
	{"smtp_password_file", CONFIG_PATH, NULL, 0, 0,
	 "file holding the SMTP password (never stored in the database or log)"},
	{"outbox_dir", CONFIG_PATH, NULL, 0, 0,
	 "folder for .eml notices when no SMTP server is set (default: outbox/ beside "
	 "the database)"},
	{"emergency_notice_delay_days", CONFIG_INT, "90", 0, 3650,
	 "days an emergency request's notice is delayed"},
	{"report_band_width", CONFIG_INT, "500", 100, 1000,
	 "national-security band width: 1000, 500, 250 or 100 (50 U.S.C. 1874)"},
	{"provider_name", CONFIG_STRING, "Example Cloud", 0, 0,
	 "the provider's name in notices and reports"},
	{"legal_contact", CONFIG_EMAIL, NULL, 0, 0,
	 "where customers reach the legal team about a notice (Reply-To; default: smtp_from)"},
	{"reminder_near_hours", CONFIG_INT, "48", 1, 8760,
	 "hours before a tracked deadline that tick raises its reminder (at most a "
	 "quarter of the deadline's span: 2 hours for an 8-hour deadline)"},
	{"cli_auth", CONFIG_STRING, "name", 0, 0,
	 "who the command line acts as: 'name' (the user it names, or DOCKET_USER) "
	 "or 'unix' (the operating-system login bound to a user)"},
	{"mfa_required", CONFIG_INT, "1", 0, 1,
	 "1: signing in to the server needs a TOTP code for every role but auditor "
	 "(docket user mfa NAME enrols); 0: only for enrolled users"},
	{"production_link_days", CONFIG_INT, "7", 1, 90,
	 "days an agency may download an approved production from the agency portal "
	 "after its disclosure"},
	{"portal_url", CONFIG_STRING, NULL, 0, 0,
	 "the address the portals' one-time links point to (https://docket.example); "
	 "default: the server's public origin, else its listening address"},
	{NULL, CONFIG_STRING, NULL, 0, 0, NULL},
};

const struct config_key *config_find(const char *name)
{
	for (const struct config_key *k = config_keys; k->name; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

static int printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

int config_check(const struct config_key *k, const char *v)
{
	if (!*v || strlen(v) > 1024 || !printable(v))
		return err_set(E_INVALID, "setting '%s': value must be 1 to 1024 printable "
					  "characters",
			       k->name);
	if (strcmp(k->name, "cli_auth") == 0 && strcmp(v, "name") != 0 &&
	    strcmp(v, "unix") != 0)
		return err_set(E_INVALID, "setting 'cli_auth': '%s' is not one of: name, unix",
			       v);
	switch (k->type) {
	case CONFIG_INT: {
		char *end;
		errno = 0;
		long long n = strtoll(v, &end, 10);
		if (errno || *end || n < k->min || n > k->max)
			return err_set(E_INVALID, "setting '%s': '%s' is not a number from "
						  "%lld to %lld",
				       k->name, v, (long long)k->min, (long long)k->max);
		if (strcmp(k->name, "report_band_width") == 0 && n != 1000 && n != 500 &&
		    n != 250 && n != 100)
			return err_set(E_INVALID, "setting 'report_band_width': the law allows "
						  "bands of 1000, 500, 250 or 100, not %lld",
				       n);
		return 0;
	}
	case CONFIG_URL:
		if (!str_has_prefix(v, "smtp://") && !str_has_prefix(v, "smtps://"))
			return err_set(E_INVALID, "setting '%s': '%s' is not an smtp:// or "
						  "smtps:// URL",
				       k->name, v);
		/* credentials belong in smtp_user and smtp_password_file, never
		 * in a value that is stored and logged */
		if (strchr(v, '@'))
			return err_set(E_INVALID, "setting '%s': the URL may not hold a user "
						  "or password (use smtp_user and "
						  "smtp_password_file)",
				       k->name);
		return 0;
	case CONFIG_STRING:
		if (strcmp(k->name, "portal_url") == 0 && !str_has_prefix(v, "https://") &&
		    !str_has_prefix(v, "http://"))
			return err_set(E_INVALID, "setting 'portal_url': '%s' is not an http:// "
						  "or https:// address",
				       v);
		return 0;
	case CONFIG_EMAIL: {
		const char *at = strchr(v, '@');
		if (!at || at == v || !at[1] || strchr(at + 1, '@') || strchr(v, ' '))
			return err_set(E_INVALID, "setting '%s': '%s' is not an e-mail address",
				       k->name, v);
		return 0;
	}
	default:
		return 0;
	}
}

int config_get_value(struct store *st, const struct config_key *k, char **out)
{
	char *key = xasprintf("config.%s", k->name);
	int rc = store_setting_get(st, key, out);
	free(key);
	if (rc == -E_NOTFOUND) {
		*out = k->def ? xstrdup(k->def) : NULL;
		return 0;
	}
	return rc;
}

int config_get_int(struct store *st, const char *name, int64_t *out)
{
	const struct config_key *k = config_find(name);
	char *v = NULL;
	if (!k)
		return err_set(E_INTERNAL, "unknown setting '%s'", name);
	int rc = config_get_value(st, k, &v);
	if (rc < 0)
		return rc;
	*out = v ? strtoll(v, NULL, 10) : 0;
	free(v);
	return 0;
}
