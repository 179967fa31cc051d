#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "model/enums.h"

#define ENUM_NAME(name, str) str,
#define ENUM_DEFINE(type, LIST)                                       \
	static const char *const type##_names[] = {LIST(ENUM_NAME)};  \
	int type##_parse(const char *s)                               \
	{                                                             \
		for (int i = 0; i < (int)ARRAY_SIZE(type##_names); i++) \
			if (s && type##_names[i][0] && strcmp(s, type##_names[i]) == 0) \
				return i;                             \
		return -1;                                            \
	}                                                             \
	const char *type##_str(int v)                                 \
	{                                                             \
		if (v < 0 || v >= (int)ARRAY_SIZE(type##_names))      \
			return "?";                                   \
		return type##_names[v];                               \
	}

ENUM_DEFINE(kind, KINDS)
ENUM_DEFINE(process, PROCESSES)
ENUM_DEFINE(category, CATEGORIES)
ENUM_DEFINE(issuer_type, ISSUER_TYPES)
ENUM_DEFINE(target_type, TARGET_TYPES)
ENUM_DEFINE(customer_type, CUSTOMER_TYPES)
ENUM_DEFINE(key_custody, KEY_CUSTODIES)
ENUM_DEFINE(agency_type, AGENCY_TYPES)
ENUM_DEFINE(role, ROLES)
ENUM_DEFINE(state, STATES)
ENUM_DEFINE(outcome, OUTCOMES)
ENUM_DEFINE(action, ACTIONS)

static void bits_format(unsigned bits, const char *(*name)(int), int count,
			char *out, unsigned outsz)
{
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; i < count; i++) {
		if (!(bits & (1u << i)))
			continue;
		int n = snprintf(out + len, outsz - len, "%s%s", len ? "," : "", name(i));
		if (n < 0 || (size_t)n >= outsz - len)
			return;
		len += (size_t)n;
	}
}

static int bits_parse(const char *s, int (*parse)(const char *), unsigned *bits)
{
	char word[64];
	*bits = 0;
	while (*s) {
		const char *end = strchr(s, ',');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		if (n == 0 || n >= sizeof(word))
			return -1;
		memcpy(word, s, n);
		word[n] = '\0';
		int v = parse(word);
		if (v < 0)
			return -1;
		*bits |= 1u << v;
		s += n + (end ? 1 : 0);
		if (end && !*s)
			return -1;
	}
	return *bits ? 0 : -1;
}

void categories_format(unsigned bits, char *out, unsigned outsz)
{
	bits_format(bits, category_str, category__COUNT, out, outsz);
}

int categories_parse(const char *s, unsigned *bits)
{
	return bits_parse(s, category_parse, bits);
}

int roles_parse(const char *s, unsigned *bits)
{
	return bits_parse(s, role_parse, bits);
}

void roles_format(unsigned bits, char *out, unsigned outsz)
{
	bits_format(bits, role_str, role__COUNT, out, outsz);
}
