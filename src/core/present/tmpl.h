/*
 * tmpl.h - templates whose only interpolation escapes (docs/pages.md).
 *
 * A template is text with a small Mustache-like syntax, filled from a
 * JSON value (jansson):
 *
 *   {{name}} {{a.b}} {{.}}    the value, escaped for where it stands
 *   {{#name}}...{{/name}}     a section: once per array element (the
 *                             element becomes the context), once with an
 *                             object as context, once for a true scalar;
 *                             never for false, null, "", 0, [] or {}
 *   {{^name}}...{{/name}}     the inverse: only when #name would not run
 *   {{>partial}}              another template of the same set, inline
 *   {{!comment}}              nothing
 *
 * Escaping by construction (SPEC §13).  There is no syntax that writes a
 * value unescaped: the only way raw markup reaches the output is the
 * template's own literal text and the partials it includes, both files of
 * the template set, never data.  In HTML mode the compiler follows the
 * markup of the literal text, so it knows where each {{value}} stands and
 * picks the escaping for that place:
 *
 *   - element text and quoted attribute values: & < > " ' ` = escaped as
 *     character references;
 *   - inside a quoted URL attribute (href, src, action, formaction): the
 *     value is percent-encoded (only A-Z a-z 0-9 - . _ ~ stay), so a value
 *     can name a path segment or a query value but never a scheme
 *     ("javascript:" becomes "javascript%3A", a relative path);
 *
 * and refuses to compile a template that puts a value anywhere else: in a
 * tag or attribute name, in an unquoted attribute value, in an event
 * handler (on*) or style attribute, inside <script> or <style> (which a
 * template may not contain at all: the CSP forbids inline code anyway), or
 * in a comment.  A section must end in the markup state it began in, so
 * the state at every {{value}} is the same whatever the data.
 *
 * In TEXT mode (letters, plain-text mail) values are written as they are;
 * TEXT output is never served as HTML.
 *
 * Ownership: tmpl_compile() returns a template owned by the caller
 * (tmpl_free()); it keeps no pointer into the source text or the loader.
 * Rendering never changes the template, so one compiled template may be
 * rendered by several threads at once.
 */
#ifndef DOCKET_TMPL_H
#define DOCKET_TMPL_H

#include <stddef.h>

#include <jansson.h>

#include "base/buf.h"

#define TMPL_SOURCE_MAX ((size_t)256 << 10)  /* bytes of one template file */
#define TMPL_DEPTH_MAX 16                    /* nested sections / partials */
#define TMPL_NAME_MAX 64                     /* a {{name}} or partial name */

enum tmpl_mode { TMPL_HTML, TMPL_TEXT };

struct tmpl;

/* Read the template named `name` (a partial, or the top template): its
 * text in *text (malloc'd, the compiler frees it) and *len.  E_NOTFOUND
 * when there is none. */
typedef int (*tmpl_loader)(void *ctx, const char *name, char **text, size_t *len);

/* Compile text (len bytes, named `name` in errors as NAME:LINE) in mode;
 * partials come from load (may be NULL: then {{>x}} is an error).  Errors
 * are E_INVALID naming the template, the line and what is wrong. */
int tmpl_compile(const char *name, const char *text, size_t len, enum tmpl_mode mode,
		 tmpl_loader load, void *lctx, struct tmpl **out);
void tmpl_free(struct tmpl *t);

/* Append t filled from data to out (whose cap bounds the output: E_INVALID
 * past it). */
int tmpl_render(const struct tmpl *t, json_t *data, struct buf *out);

/* The escapers themselves (also fuzzed on their own). */
int tmpl_escape_html(struct buf *out, const char *s, size_t n);
int tmpl_escape_url(struct buf *out, const char *s, size_t n);

#endif
