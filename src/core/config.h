/*
 * config.h - every operator setting is one row of config_keys[]: its name,
 * default, meaning and check.  Values are stored as "config.<name>" in the
 * store's settings; code reads them with config_get_value() /
 * config_get_int(), which fall back to the default.
 */
#ifndef DOCKET_CONFIG_H
#define DOCKET_CONFIG_H

#include <stdint.h>

#include "store/store.h"

enum config_type { CONFIG_STRING, CONFIG_INT, CONFIG_URL, CONFIG_PATH, CONFIG_EMAIL };

struct config_key {
	const char *name;
	enum config_type type;
	const char *def;         /* NULL: unset by default */
	int64_t min, max;        /* CONFIG_INT bounds */
	const char *help;
};

extern const struct config_key config_keys[];   /* ends with {NULL} */

const struct config_key *config_find(const char *name);
/* 0 when value is acceptable for k, else E_INVALID naming the setting. */
int config_check(const struct config_key *k, const char *value);
/* The stored value or the default; *out is NULL when neither (caller frees). */
int config_get_value(struct store *st, const struct config_key *k, char **out);
int config_get_int(struct store *st, const char *name, int64_t *out);

#endif
