/*
 * jsonv.c - strict validation of untrusted JSON documents (see jsonv.h).
 *
 * Values from the input appear in messages only through show(), which cuts
 * them short and masks control characters, so a hostile document cannot
 * forge extra lines or flood the error output.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/err.h"
#include "base/util.h"
#include "model/jsonv.h"
#include "model/model.h"

/* How much of an input value a message quotes. */
#define SHOW_MAX 64
/* Longest spelling of an enum value worth looking up. */
#define ENUM_MAX 256

/* ---- messages ---------------------------------------------------------- */

/* Copy at most SHOW_MAX bytes of s (whole UTF-8 sequences) into out, with
 * control characters replaced by '?' and "..." marking a cut. */
static const char *show(const char *s, char out[SHOW_MAX + 4])
{
	size_t n = strlen(s), i;
	int cut = n > SHOW_MAX;
	if (cut) {
		n = SHOW_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		out[i] = c < 0x20 || c == 0x7F ? '?' : (char)c;
	}
	if (cut) {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
	return out;
}

/* Mark a path that snprintf() cut short (n is its return value). */
static void path_fit(char out[JSONV_PATH_MAX], int n)
{
	if (n >= JSONV_PATH_MAX)
		memcpy(out + JSONV_PATH_MAX - 4, "...", 4);
}

void jsonv_path(char out[JSONV_PATH_MAX], const char *path, const char *key)
{
	char k[SHOW_MAX + 4];
	if (!key)
		path_fit(out, snprintf(out, JSONV_PATH_MAX, "%s", path));
	else if (path[0])
		path_fit(out, snprintf(out, JSONV_PATH_MAX, "%s.%s", path, show(key, k)));
	else
		path_fit(out, snprintf(out, JSONV_PATH_MAX, "%s", show(key, k)));
}

void jsonv_index(char out[JSONV_PATH_MAX], const char *path, const char *key, size_t i)
{
	char base[JSONV_PATH_MAX];
	jsonv_path(base, path, key);
	path_fit(out, snprintf(out, JSONV_PATH_MAX, "%s[%zu]", base, i));
}

int jsonv_err(const char *path, const char *key, const char *fmt, ...)
{
	char field[JSONV_PATH_MAX], msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	jsonv_path(field, path, key);
	return err_set(E_INVALID, "field '%s': %s", field, msg);
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "unknown";
}

static int wrong_type(const char *path, const char *key, const json_t *v,
		      const char *want)
{
	return jsonv_err(path, key, "must be %s, not %s", want, type_name(v));
}

/* ---- decoding ---------------------------------------------------------- */

static int blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n", s[i]) || !s[i])
			return 0;
	return 1;
}

/* Reject nesting deeper than JSONV_MAX_DEPTH before jansson builds it. */
static int depth_ok(const char *s, size_t len)
{
	int depth = 0, in_str = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			if (++depth > JSONV_MAX_DEPTH)
				return 0;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return 1;
}

/* jansson reports a duplicate as "duplicate object key near '"key"'". */
static int duplicate_err(const json_error_t *e)
{
	char key[sizeof(e->text)];
	const char *p = strstr(e->text, "near '\"");
	size_t n;
	if (!p)
		return err_set(E_INVALID, "duplicate key at line %d, column %d", e->line,
			       e->column);
	p += 7;
	n = strlen(p);
	if (n >= 2 && p[n - 1] == '\'' && p[n - 2] == '"')
		n -= 2;
	memcpy(key, p, n);
	key[n] = '\0';
	return jsonv_err("", key, "duplicate key at line %d, column %d", e->line,
			 e->column);
}

static int decode_err(const json_error_t *e)
{
	char text[sizeof(e->text) + 4];
	if (json_error_code(e) == json_error_duplicate_key)
		return duplicate_err(e);
	if (json_error_code(e) == json_error_null_character)
		return err_set(E_INVALID,
			       "invalid json at line %d, column %d: \\u0000 in a string",
			       e->line, e->column);
	show(e->text, text);
	return err_set(E_INVALID, "invalid json at line %d, column %d: %s", e->line,
		       e->column, text);
}

int jsonv_decode(const char *text, size_t len, size_t max_len, json_t **out)
{
	json_error_t e;
	json_t *doc;
	*out = NULL;
	if (len > max_len)
		return err_set(E_INVALID, "document larger than %zu bytes", max_len);
	if (blank(text, len))
		return err_set(E_INVALID, "empty document");
	if (!depth_ok(text, len))
		return err_set(E_INVALID, "document nested deeper than %d levels",
			       JSONV_MAX_DEPTH);
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
	if (!doc)
		return decode_err(&e);
	if (!json_is_object(doc)) {
		json_decref(doc);
		return err_set(E_INVALID, "document must be a json object, not an array");
	}
	*out = doc;
	return 0;
}

int jsonv_check_keys(const json_t *obj, const char *path, const struct jsonv_key *keys,
		     unsigned mode)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)obj, k, v)
	{
		const struct jsonv_key *row = keys;
		while (row->name && !(strcmp(row->name, k) == 0 && (row->modes & mode)))
			row++;
		if (!row->name)
			return jsonv_err(path, k, "unknown field");
	}
	return 0;
}

/* ---- getters ----------------------------------------------------------- */

/* Look key up: 1 with *v set, 0 when absent (or null and nullable), <0. */
static int member(const json_t *obj, const char *path, const char *key, unsigned flags,
		  json_t **v)
{
	*v = json_object_get(obj, key);
	if (*v && json_is_null(*v) && (flags & JSONV_NULLABLE))
		*v = NULL;
	if (*v)
		return 1;
	if (flags & JSONV_REQUIRED)
		return jsonv_err(path, key, "required");
	return 0;
}

/* A C1 control character is U+0080..U+009F, encoded C2 80..C2 9F. */
static int has_control(const char *s, size_t n, int text)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (text && (c == '\t' || c == '\n' || c == '\r'))
			continue;
		if (c < 0x20 || c == 0x7F)
			return 1;
		if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9F)
			return 1;
	}
	return 0;
}

int jsonv_str_value(const json_t *v, const char *path, unsigned flags, size_t max,
		    const char **out)
{
	const char *s;
	size_t n;
	*out = NULL;
	if (!json_is_string(v))
		return wrong_type(path, NULL, v, "a string");
	s = json_string_value(v);
	n = json_string_length(v);
	if (strlen(s) != n)
		return jsonv_err(path, NULL, "contains a NUL byte");
	if (n > max)
		return jsonv_err(path, NULL, "longer than %zu bytes", max);
	if (n == 0 && !(flags & JSONV_EMPTY_OK))
		return jsonv_err(path, NULL, "must not be empty");
	if (has_control(s, n, (flags & JSONV_TEXT) != 0))
		return jsonv_err(path, NULL, "contains a control character");
	*out = s;
	return 1;
}

/* Fetch key as a checked string borrowed from obj. */
static int str_member(const json_t *obj, const char *path, const char *key,
		      unsigned flags, size_t max, const char **out)
{
	char field[JSONV_PATH_MAX];
	json_t *v;
	int rc = member(obj, path, key, flags, &v);
	*out = NULL;
	if (rc <= 0)
		return rc;
	jsonv_path(field, path, key);
	return jsonv_str_value(v, field, flags, max, out);
}

int jsonv_str(const json_t *obj, const char *path, const char *key, unsigned flags,
	      size_t max, char **out)
{
	const char *s;
	int rc = str_member(obj, path, key, flags, max, &s);
	*out = rc > 0 ? xstrdup(s) : NULL;
	return rc;
}

int jsonv_strbuf(const json_t *obj, const char *path, const char *key, unsigned flags,
		 char *out, size_t outsz)
{
	const char *s;
	int rc = str_member(obj, path, key, flags, outsz - 1, &s);
	out[0] = '\0';
	if (rc > 0)
		memcpy(out, s, strlen(s) + 1);
	return rc;
}

int jsonv_str_syntax(const json_t *obj, const char *path, const char *key, unsigned flags,
		     size_t max, int (*ok)(const char *), const char *what, char **out)
{
	char shown[SHOW_MAX + 4];
	const char *s;
	int rc = str_member(obj, path, key, flags, max, &s);
	*out = NULL;
	if (rc <= 0)
		return rc;
	if (ok(s) < 0)
		return jsonv_err(path, key, "'%s' is not a valid %s", show(s, shown),
				 what);
	*out = xstrdup(s);
	return 1;
}

int jsonv_enum_value(const json_t *v, const char *path, int (*parse)(const char *),
		     const char *what, int *out)
{
	char shown[SHOW_MAX + 4];
	const char *s;
	int rc = jsonv_str_value(v, path, JSONV_EMPTY_OK, ENUM_MAX, &s);
	if (rc <= 0)
		return rc;
	*out = parse(s);
	if (*out < 0)
		return jsonv_err(path, NULL, "unknown %s '%s'", what, show(s, shown));
	return 1;
}

int jsonv_enum(const json_t *obj, const char *path, const char *key, unsigned flags,
	       int (*parse)(const char *), const char *what, int *out)
{
	char field[JSONV_PATH_MAX];
	json_t *v;
	int rc = member(obj, path, key, flags, &v);
	if (rc <= 0)
		return rc;
	jsonv_path(field, path, key);
	return jsonv_enum_value(v, field, parse, what, out);
}

int jsonv_country(const json_t *obj, const char *path, const char *key, unsigned flags,
		  char out[3])
{
	char shown[SHOW_MAX + 4];
	const char *s;
	int rc = str_member(obj, path, key, flags | JSONV_EMPTY_OK, ENUM_MAX, &s);
	out[0] = '\0';
	if (rc <= 0)
		return rc;
	if (!country_valid(s))
		return jsonv_err(path, key,
				 "unknown country code '%s' (want ISO 3166-1 "
				 "alpha-2, like 'US')",
				 show(s, shown));
	memcpy(out, s, 3);
	return 1;
}

int jsonv_bool(const json_t *obj, const char *path, const char *key, unsigned flags,
	       int *out)
{
	json_t *v;
	int rc = member(obj, path, key, flags, &v);
	if (rc <= 0)
		return rc;
	if (!json_is_boolean(v))
		return wrong_type(path, key, v, "true or false");
	*out = json_is_true(v);
	return 1;
}

int jsonv_int(const json_t *obj, const char *path, const char *key, unsigned flags,
	      int64_t min, int64_t max, int64_t *out)
{
	json_t *v;
	int rc = member(obj, path, key, flags, &v);
	if (rc <= 0)
		return rc;
	if (!json_is_integer(v))
		return wrong_type(path, key, v, "an integer");
	*out = (int64_t)json_integer_value(v);
	if (*out < min || *out > max)
		return jsonv_err(path, key, "%lld is outside %lld..%lld", (long long)*out,
				 (long long)min, (long long)max);
	return 1;
}

int jsonv_ts(const json_t *obj, const char *path, const char *key, unsigned flags,
	     struct ts *out)
{
	char shown[SHOW_MAX + 4];
	const char *s;
	int rc = str_member(obj, path, key, flags | JSONV_EMPTY_OK, 64, &s);
	if (rc <= 0)
		return rc;
	if (ts_parse(s, out) < 0)
		return jsonv_err(path, key,
				 "'%s' is not an RFC 3339 UTC time or a YYYY-MM-DD date",
				 show(s, shown));
	return 1;
}

int jsonv_object(const json_t *obj, const char *path, const char *key, unsigned flags,
		 const struct jsonv_key *keys, unsigned mode, json_t **out)
{
	char field[JSONV_PATH_MAX];
	int rc = member(obj, path, key, flags, out);
	if (rc <= 0)
		return rc;
	jsonv_path(field, path, key);
	return jsonv_object_value(*out, field, keys, mode);
}

int jsonv_object_value(const json_t *v, const char *path, const struct jsonv_key *keys,
		       unsigned mode)
{
	int rc;
	if (!json_is_object(v))
		return wrong_type(path, NULL, v, "an object");
	if (keys && (rc = jsonv_check_keys(v, path, keys, mode)) < 0)
		return rc;
	return 1;
}

int jsonv_array(const json_t *obj, const char *path, const char *key, unsigned flags,
		size_t max, json_t **out)
{
	int rc = member(obj, path, key, flags, out);
	if (rc <= 0)
		return rc;
	if (!json_is_array(*out))
		return wrong_type(path, key, *out, "an array");
	if (json_array_size(*out) > max)
		return jsonv_err(path, key, "more than %zu elements", max);
	return 1;
}

/* ---- syntax checks ----------------------------------------------------- */

int jsonv_email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || !at[1] || strchr(at + 1, '@') || strchr(s, ' '))
		return -1;
	return 0;
}

int jsonv_phone_ok(const char *s)
{
	int digits = 0;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (!strchr(" +-().", *s))
			return -1;
	}
	return digits >= 3 ? 0 : -1;
}

static int is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int jsonv_id_ok(const char *s)
{
	if (!*s)
		return -1;
	for (; *s; s++)
		if (!is_alnum(*s) && !strchr("._:@+-", *s))
			return -1;
	return 0;
}

/* One DNS label of s[0..n): 1-63 of [a-z0-9-], no '-' at either end. */
static int label_ok(const char *s, size_t n)
{
	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '-'))
			return 0;
	return 1;
}

int jsonv_hostname_ok(const char *s)
{
	size_t total = strlen(s), labels = 0;
	const char *last = s;
	if (total == 0 || total > 253)
		return -1;
	for (const char *p = s;; p++) {
		if (*p != '.' && *p)
			continue;
		if (!label_ok(last, (size_t)(p - last)))
			return -1;
		labels++;
		if (!*p)
			break;
		last = p + 1;
	}
	/* The top-level label is never all digits (that is an IP address). */
	if (labels < 2 || strspn(last, "0123456789") == strlen(last))
		return -1;
	return 0;
}

/* ---- duplicates -------------------------------------------------------- */

static int pair_cmp(const void *a, const void *b)
{
	const struct jsonv_pair *x = a, *y = b;
	int c;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	if ((c = strcmp(x->value, y->value)) != 0)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

long jsonv_first_dup(struct jsonv_pair *items, size_t n)
{
	long best = -1;
	if (n < 2)
		return -1;
	qsort(items, n, sizeof(*items), pair_cmp);
	for (size_t i = 1; i < n; i++) {
		const struct jsonv_pair *a = &items[i - 1], *b = &items[i];
		if (a->type != b->type || strcmp(a->value, b->value) != 0)
			continue;
		if (best < 0 || (long)b->index < best)
			best = (long)b->index;
	}
	return best;
}

/* ---- building ---------------------------------------------------------- */

void jsonv_set_str(json_t *obj, const char *key, const char *value)
{
	if (value)
		json_object_set_new(obj, key, json_string(value));
}

void jsonv_set_ts(json_t *obj, const char *key, struct ts ts)
{
	char buf[TS_BUFSZ];
	ts_format(ts, buf);
	json_object_set_new(obj, key, json_string(buf));
}

json_t *jsonv_time_or_null(int64_t t)
{
	char s[TS_BUFSZ];
	if (!t)
		return json_null();
	time_format(t, s);
	return json_string(s);
}
