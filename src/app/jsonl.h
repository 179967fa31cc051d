/*
 * jsonl.h - walking the lines of a JSON Lines file held in memory.
 *
 * Imports read the whole file first, check every line, and only then store
 * anything, so a bad line on line 9,000 leaves the database unchanged.
 * Blank lines are skipped.  Errors from a line's callback are prefixed with
 * "FILE:LINE".
 */
#ifndef DOCKET_JSONL_H
#define DOCKET_JSONL_H

#include <stddef.h>

#define JSONL_MAX_LINE ((size_t)1 << 20) /* MODEL_MAX_DOC */

typedef int (*jsonl_cb)(void *ctx, size_t lineno, const char *line, size_t len);

/* Call cb for each non-blank line of text; returns the first error (with the
 * file name and line number prefixed), else 0.  *count (optional) receives
 * the number of lines handed to cb. */
int jsonl_each(const char *file, const char *text, size_t len, jsonl_cb cb, void *ctx,
	       size_t *count);

#endif
