/*
 * jsonv.h - strict validation of untrusted JSON documents.
 *
 * Every parser of outside input (request, customer and agency documents,
 * JSONL imports, API bodies) goes through these helpers, so they all reject
 * the same things in the same words:
 *
 *   jsonv_decode()      one JSON object, size- and depth-capped, duplicate
 *                       keys, trailing garbage and invalid UTF-8 rejected
 *   jsonv_check_keys()  unknown fields rejected, from a table
 *   jsonv_str() ...     typed getters with length caps that name the field
 *
 * Field paths: each getter takes the path of the object it reads from
 * ("" at top level, "requester", "targets[2]") and a key, and names the field
 * "path.key" in its message: "field 'targets[2].value': must be a string".
 * jsonv_index() builds element paths.
 *
 * Return values: getters return 1 when the field was present and read, 0
 * when it is absent (or null where JSONV_NULLABLE allows that), and
 * -E_INVALID with the message set when it is wrong.  A missing field with
 * JSONV_REQUIRED is an error.  Nothing is allocated on error.
 *
 * Ownership: strings returned through char ** are new copies owned by the
 * caller (free()).  json_t pointers returned by jsonv_object()/jsonv_array()
 * are borrowed from the parent object.
 */
#ifndef DOCKET_JSONV_H
#define DOCKET_JSONV_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/clock.h"

/* Deepest nesting of arrays and objects a document may have. */
#define JSONV_MAX_DEPTH 16
/* Longest field path that messages show in full. */
#define JSONV_PATH_MAX 128

/* Getter flags. */
#define JSONV_REQUIRED 0x01u /* absent is an error */
#define JSONV_NULLABLE 0x02u /* null counts as absent */
#define JSONV_TEXT 0x04u     /* string may hold tab, CR and LF */
#define JSONV_EMPTY_OK 0x08u /* string may be "" */

/* Decode text[0..len) as one JSON object no longer than max_len bytes and
 * no deeper than JSONV_MAX_DEPTH.  On success *out is a new reference. */
int jsonv_decode(const char *text, size_t len, size_t max_len, json_t **out);

/* One row of an allowed-fields table; a table ends with {NULL, 0}.  A key is
 * allowed when its `modes` shares a bit with the mode given to
 * jsonv_check_keys(); use JSONV_ALL_MODES for fields every mode accepts. */
struct jsonv_key {
	const char *name;
	unsigned modes;
};
#define JSONV_ALL_MODES (~0u)

/* Fail on the first key of obj that keys[] does not allow in `mode`. */
int jsonv_check_keys(const json_t *obj, const char *path, const struct jsonv_key *keys,
		     unsigned mode);

/* Set "field 'path.key': <message>" and return -E_INVALID.  key may be NULL
 * to name path itself. */
int jsonv_err(const char *path, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Write "path.key" (or "key" when path is "") into out. */
void jsonv_path(char out[JSONV_PATH_MAX], const char *path, const char *key);
/* Write "path.key[i]" into out: the path of element i of array key. */
void jsonv_index(char out[JSONV_PATH_MAX], const char *path, const char *key, size_t i);

/* A string of at most max bytes, without NULs or control characters (tab,
 * CR and LF are allowed with JSONV_TEXT), non-empty unless JSONV_EMPTY_OK.
 * *out is a new copy, or NULL when absent. */
int jsonv_str(const json_t *obj, const char *path, const char *key, unsigned flags,
	      size_t max, char **out);
/* The same checks on a string value that is already in hand (an array
 * element); `path` names it in full.  Returns 1 with *out borrowed from v,
 * or <0. */
int jsonv_str_value(const json_t *v, const char *path, unsigned flags, size_t max,
		    const char **out);
/* A string copied into out (of size outsz, so at most outsz-1 bytes). */
int jsonv_strbuf(const json_t *obj, const char *path, const char *key, unsigned flags,
		 char *out, size_t outsz);

/* A string that also passes ok() (which returns 0 for good input), else
 * "field 'requester.email': 'x@' is not a valid e-mail address" with
 * what = "e-mail address". */
int jsonv_str_syntax(const json_t *obj, const char *path, const char *key, unsigned flags,
		     size_t max, int (*ok)(const char *), const char *what, char **out);

/* A string that parse() maps to a value >= 0; otherwise
 * "field 'process': unknown process 'warant'" with what = "process". */
int jsonv_enum(const json_t *obj, const char *path, const char *key, unsigned flags,
	       int (*parse)(const char *), const char *what, int *out);
/* The same for a value in hand (an array element) named by path. */
int jsonv_enum_value(const json_t *v, const char *path, int (*parse)(const char *),
		     const char *what, int *out);

/* An ISO 3166-1 alpha-2 code docket knows (country_valid), into out. */
int jsonv_country(const json_t *obj, const char *path, const char *key, unsigned flags,
		  char out[3]);

int jsonv_bool(const json_t *obj, const char *path, const char *key, unsigned flags,
	       int *out);
/* An integer in [min, max]. */
int jsonv_int(const json_t *obj, const char *path, const char *key, unsigned flags,
	      int64_t min, int64_t max, int64_t *out);
/* An RFC 3339 UTC time or YYYY-MM-DD date (see ts_parse). */
int jsonv_ts(const json_t *obj, const char *path, const char *key, unsigned flags,
	     struct ts *out);

/* An object (borrowed), whose keys are then checked against keys[]/mode
 * (keys may be NULL to skip that check). */
int jsonv_object(const json_t *obj, const char *path, const char *key, unsigned flags,
		 const struct jsonv_key *keys, unsigned mode, json_t **out);
/* Check that v (an array element named by path) is an object whose keys
 * keys[] allows in mode; returns 1 or <0. */
int jsonv_object_value(const json_t *v, const char *path, const struct jsonv_key *keys,
		       unsigned mode);
/* An array (borrowed) of at most max elements. */
int jsonv_array(const json_t *obj, const char *path, const char *key, unsigned flags,
		size_t max, json_t **out);

/* Loose syntax checks shared by the parsers (0 ok, -1 not). */
int jsonv_email_ok(const char *s);    /* one '@', non-empty parts, no space */
int jsonv_phone_ok(const char *s);    /* 3+ digits, spaces and "+-()." only */
int jsonv_id_ok(const char *s);	      /* letters, digits and "._:@+-" */
int jsonv_hostname_ok(const char *s); /* lower-case DNS name, two labels+ */

/* Find a repeated (type, value) pair in O(n log n): items[] is sorted in
 * place, and the smallest `index` of an item equal to one with a smaller
 * index is returned (the first repeat in input order), or -1 when all pairs
 * are distinct. */
struct jsonv_pair {
	int type;
	const char *value;
	size_t index;
};
long jsonv_first_dup(struct jsonv_pair *items, size_t n);

/* Add key: value to obj when value is non-NULL (json_object_set_new with
 * NULL dropped); and a struct ts as its string form. */
void jsonv_set_str(json_t *obj, const char *key, const char *value);
void jsonv_set_ts(json_t *obj, const char *key, struct ts ts);
/* A time (seconds since the epoch) as an RFC 3339 string, or null when t
 * is 0 ("none"); a new reference. */
json_t *jsonv_time_or_null(int64_t t);

#endif
