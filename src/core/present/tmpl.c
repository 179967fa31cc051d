/*
 * tmpl.c - the template compiler and renderer of tmpl.h.
 *
 * Compiling turns the source into a flat array of nodes: literal text,
 * values (each with the escaping chosen for its place) and sections (with
 * the index just past their end).  Partials are compiled inline, so the
 * HTML state runs on across them.  The HTML state is a small tokenizer of
 * the template's literal markup; values never change it because every
 * value is escaped for the state it lands in.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/err.h"
#include "base/util.h"
#include "core/present/tmpl.h"

enum esc { ESC_NONE, ESC_HTML, ESC_URL };
enum node_kind { N_TEXT, N_VAR, N_SECTION, N_INVERTED };

struct node {
	enum node_kind kind;
	enum esc esc;
	size_t off, len;     /* N_TEXT: span of t->text; else the name in t->text */
	size_t end;          /* sections: index of the first node after them */
};

struct tmpl {
	struct node *nodes;
	size_t n, cap;
	struct buf text;     /* literal text and names */
};

/* --- the HTML state of the literal markup -------------------------------- */

enum hstate {
	H_TEXT,
	H_TAG_NAME,
	H_TAG,
	H_ATTR_NAME,
	H_AFTER_ATTR,
	H_BEFORE_VALUE,
	H_VALUE_DQ,
	H_VALUE_SQ,
	H_VALUE_UNQ,
	H_COMMENT,
	H_DECL,
};

struct html {
	enum hstate st;
	char tag[16];
	size_t tag_len;
	char attr[24];
	size_t attr_len;
	int comment_dashes;
};

struct compiler {
	struct tmpl *t;
	enum tmpl_mode mode;
	tmpl_loader load;
	void *lctx;
	struct html h;
	int depth;
};

static void name_add(char *dst, size_t cap, size_t *len, char c)
{
	if (*len + 1 < cap)
		dst[(*len)++] = (char)tolower((unsigned char)c);
	dst[*len] = '\0';
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Attributes a template may not have: event handlers and style (the CSP
 * forbids inline code), srcdoc (a document in an attribute, where escaped
 * markup becomes markup again) and http-equiv (a refresh to any URL). */
static int forbidden_attr(const char *a)
{
	return strncmp(a, "on", 2) == 0 || strcmp(a, "style") == 0 ||
	       strcmp(a, "srcdoc") == 0 || strcmp(a, "http-equiv") == 0;
}

static int raw_text_tag(const struct html *h)
{
	return strcmp(h->tag, "script") == 0 || strcmp(h->tag, "style") == 0;
}

/* Advance h over one literal character c (next: the rest of the text, for
 * the look-ahead of "<!--"); E_INVALID for markup a template may not hold. */
static int html_step(struct html *h, const char *p, const char *end)
{
	char c = *p;
	switch (h->st) {
	case H_TEXT:
		if (c != '<')
			return 0;
		if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			h->st = H_COMMENT;
			h->comment_dashes = 0;
		} else if (end - p >= 2 && p[1] == '{') {
			h->st = H_TAG_NAME;   /* "<{{x}}": a value as a tag name */
			h->tag_len = 0;
			h->tag[0] = '\0';
		} else if (end - p >= 2 && (p[1] == '!' || p[1] == '?')) {
			h->st = H_DECL;
		} else if (end - p >= 2 && (isalpha((unsigned char)p[1]) || p[1] == '/')) {
			h->st = H_TAG_NAME;
			h->tag_len = 0;
			h->tag[0] = '\0';
		}
		return 0;
	case H_TAG_NAME:
		if (c == '/' && h->tag_len == 0)
			return 0;
		if (is_space(c) || c == '>' || c == '/') {
			h->st = H_TAG;
			return c == '>' ? html_step(h, p, end) : 0;
		}
		name_add(h->tag, sizeof(h->tag), &h->tag_len, c);
		return 0;
	case H_TAG:
	case H_AFTER_ATTR:
		if (c == '>') {
			if (raw_text_tag(h))
				return err_set(E_INVALID, "<%s> is not allowed in a template (no "
							  "inline script or style)",
					       h->tag);
			h->st = H_TEXT;
		} else if (c == '=' && h->st == H_AFTER_ATTR) {
			h->st = H_BEFORE_VALUE;
		} else if (!is_space(c) && c != '/') {
			h->st = H_ATTR_NAME;
			h->attr_len = 0;
			name_add(h->attr, sizeof(h->attr), &h->attr_len, c);
		}
		return 0;
	case H_ATTR_NAME:
		if (c == '=')
			h->st = H_BEFORE_VALUE;
		else if (is_space(c))
			h->st = H_AFTER_ATTR;
		else if (c == '>') {
			h->st = H_TAG;
			return html_step(h, p, end);
		} else
			name_add(h->attr, sizeof(h->attr), &h->attr_len, c);
		if (h->st == H_BEFORE_VALUE && forbidden_attr(h->attr))
			return err_set(E_INVALID, "attribute '%s' is not allowed in a template "
						  "(no inline script or style)",
				       h->attr);
		return 0;
	case H_BEFORE_VALUE:
		if (c == '"')
			h->st = H_VALUE_DQ;
		else if (c == '\'')
			h->st = H_VALUE_SQ;
		else if (c == '>') {
			h->st = H_TAG;
			return html_step(h, p, end);
		} else if (!is_space(c))
			h->st = H_VALUE_UNQ;
		return 0;
	case H_VALUE_DQ:
		if (c == '"')
			h->st = H_TAG;
		return 0;
	case H_VALUE_SQ:
		if (c == '\'')
			h->st = H_TAG;
		return 0;
	case H_VALUE_UNQ:
		if (is_space(c))
			h->st = H_TAG;
		else if (c == '>') {
			h->st = H_TAG;
			return html_step(h, p, end);
		}
		return 0;
	case H_COMMENT:
		if (c == '>' && h->comment_dashes >= 2)
			h->st = H_TEXT;
		h->comment_dashes = c == '-' ? h->comment_dashes + 1 : 0;
		return 0;
	case H_DECL:
		if (c == '>')
			h->st = H_TEXT;
		return 0;
	}
	return 0;
}

static int url_attr(const char *a)
{
	static const char *const urls[] = {"href", "src", "action", "formaction", "cite",
					   "poster", "data", "srcset", "background", NULL};
	for (const char *const *u = urls; *u; u++)
		if (strcmp(a, *u) == 0)
			return 1;
	return 0;
}

/* The escaping for a value at the current state, or E_INVALID. */
static int value_escape(const struct compiler *c, enum esc *esc)
{
	const struct html *h = &c->h;
	if (c->mode == TMPL_TEXT) {
		*esc = ESC_NONE;
		return 0;
	}
	switch (h->st) {
	case H_TEXT:
		*esc = ESC_HTML;
		return 0;
	case H_VALUE_DQ:
	case H_VALUE_SQ:
		*esc = url_attr(h->attr) ? ESC_URL : ESC_HTML;
		return 0;
	case H_VALUE_UNQ:
	case H_BEFORE_VALUE:
		return err_set(E_INVALID, "a value in the unquoted attribute '%s': quote it",
			       h->attr);
	case H_COMMENT:
		return err_set(E_INVALID, "a value inside a comment");
	default:
		return err_set(E_INVALID, "a value inside a tag or attribute name");
	}
}

/* --- compiling ----------------------------------------------------------- */

static size_t node_add(struct tmpl *t, enum node_kind kind)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->nodes = xrealloc(t->nodes, t->cap * sizeof(*t->nodes));
	}
	memset(&t->nodes[t->n], 0, sizeof(*t->nodes));
	t->nodes[t->n].kind = kind;
	return t->n++;
}

static int text_add(struct compiler *c, const char *s, size_t n, size_t *off)
{
	*off = c->t->text.len;
	return buf_add(&c->t->text, s, n);
}

static int line_of(const char *start, const char *p)
{
	int line = 1;
	for (; start < p; start++)
		line += *start == '\n';
	return line;
}

static int valid_name(const char *s, size_t n)
{
	if (n == 0 || n > TMPL_NAME_MAX)
		return 0;
	if (n == 1 && s[0] == '.')
		return 1;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-' &&
		    !(s[i] == '.' && i > 0 && i + 1 < n && s[i - 1] != '.'))
			return 0;
	return 1;
}

static int compile_text(struct compiler *c, const char *name, const char *src, size_t len);

/* The first "{{" or "}}" (pair) in [p, end), or NULL. */
static const char *find_pair(const char *p, const char *end, char ch)
{
	for (; p + 1 < end; p++)
		if (p[0] == ch && p[1] == ch)
			return p;
	return NULL;
}

/* Literal text: copied, and run through the HTML state. */
static int literal(struct compiler *c, const char *p, const char *q, const char *end)
{
	size_t off;
	if (p == q)
		return 0;
	if (c->mode == TMPL_HTML)
		for (const char *r = p; r < q; r++)
			if (html_step(&c->h, r, end) < 0)
				return -1;
	if (text_add(c, p, (size_t)(q - p), &off) < 0)
		return err_set(E_INVALID, "template larger than its cap");
	size_t i = node_add(c->t, N_TEXT);
	c->t->nodes[i].off = off;
	c->t->nodes[i].len = (size_t)(q - p);
	return 0;
}

static int partial(struct compiler *c, const char *name)
{
	char *text = NULL;
	size_t len = 0;
	int rc;
	if (!c->load)
		return err_set(E_INVALID, "no partials here: '%s'", name);
	if (c->depth >= TMPL_DEPTH_MAX)
		return err_set(E_INVALID, "partials nested deeper than %d (a loop?)",
			       TMPL_DEPTH_MAX);
	if ((rc = c->load(c->lctx, name, &text, &len)) < 0)
		return rc;
	c->depth++;
	rc = compile_text(c, name, text, len);
	c->depth--;
	free(text);
	return rc;
}

/* The same markup state, for a section's start and end: the state, and in
 * an attribute value the attribute. */
static enum hstate state_class(enum hstate s)
{
	return s == H_AFTER_ATTR ? H_TAG : s;
}

static int same_state(const struct html *a, const struct html *b)
{
	if (state_class(a->st) != state_class(b->st))
		return 0;
	if (a->st == H_VALUE_DQ || a->st == H_VALUE_SQ || a->st == H_VALUE_UNQ)
		return strcmp(a->attr, b->attr) == 0;
	return 1;
}

/* A section may not begin or end inside a tag or attribute name or before
 * an unquoted value: the name the browser sees would depend on the data
 * ("hr{{#s}}{{/s}}ef" is "href" to the browser), and with it the escaping
 * the value after it needs. */
static int boundary_ok(const struct html *h)
{
	return h->st != H_TAG_NAME && h->st != H_ATTR_NAME && h->st != H_BEFORE_VALUE &&
	       h->st != H_VALUE_UNQ;
}

struct open_section {
	size_t node;
	const char *name;
	size_t name_len;
	struct html h;
};

#define SECTION_ERR(...)                                                        \
	do {                                                                    \
		err_set(E_INVALID, __VA_ARGS__);                                \
		err_prefix("%s:%d", name, line_of(src, tag));                 \
		return -E_INVALID;                                              \
	} while (0)

static int compile_text(struct compiler *c, const char *name, const char *src, size_t len)
{
	const char *p = src, *end = src + len;
	struct open_section open[TMPL_DEPTH_MAX];
	int depth = 0;
	if (len > TMPL_SOURCE_MAX)
		return err_set(E_INVALID, "template '%s': larger than %zu bytes", name,
			       TMPL_SOURCE_MAX);
	if (memchr(src, '\0', len))
		return err_set(E_INVALID, "template '%s': contains a NUL", name);
	while (p < end) {
		const char *tag = find_pair(p, end, '{');
		if (!tag)
			tag = end;
		if (literal(c, p, tag, end) < 0) {
			err_prefix("%s:%d", name, line_of(src, tag));
			return -E_INVALID;
		}
		if (tag == end)
			break;
		const char *close = find_pair(tag + 2, end, '}');
		if (!close)
			SECTION_ERR("'{{' without '}}'");
		char sigil = tag[2];
		const char *nm = tag + 2;
		if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '>' || sigil == '!')
			nm++;
		while (nm < close && *nm == ' ')
			nm++;
		const char *ne = close;
		while (ne > nm && ne[-1] == ' ')
			ne--;
		size_t nlen = (size_t)(ne - nm);
		p = close + 2;
		if (sigil == '!')
			continue;
		if (!valid_name(nm, nlen))
			SECTION_ERR("bad name '%.*s' (letters, digits, _ - and dots)",
				    (int)(nlen > 64 ? 64 : nlen), nm);
		if (sigil == '>') {
			char pname[TMPL_NAME_MAX + 1];
			memcpy(pname, nm, nlen);
			pname[nlen] = '\0';
			if (partial(c, pname) < 0) {
				err_prefix("%s:%d", name, line_of(src, tag));
				return -E_INVALID;
			}
			continue;
		}
		if (sigil == '#' || sigil == '^') {
			if (depth >= TMPL_DEPTH_MAX)
				SECTION_ERR("sections nested deeper than %d", TMPL_DEPTH_MAX);
			if (c->mode == TMPL_HTML && !boundary_ok(&c->h))
				SECTION_ERR("section '%.*s' begins inside a tag or attribute name "
					    "(put a space before it)",
					    (int)nlen, nm);
			size_t i = node_add(c->t, sigil == '#' ? N_SECTION : N_INVERTED);
			size_t off;
			if (text_add(c, nm, nlen, &off) < 0)
				SECTION_ERR("template larger than its cap");
			c->t->nodes[i].off = off;
			c->t->nodes[i].len = nlen;
			open[depth++] = (struct open_section){i, nm, nlen, c->h};
			continue;
		}
		if (sigil == '/') {
			if (depth == 0 || open[depth - 1].name_len != nlen ||
			    memcmp(open[depth - 1].name, nm, nlen) != 0)
				SECTION_ERR("'{{/%.*s}}' closes no open section", (int)nlen, nm);
			depth--;
			if (c->mode == TMPL_HTML && !boundary_ok(&c->h))
				SECTION_ERR("section '%.*s' ends inside a tag or attribute name "
					    "(put a space before its end)",
					    (int)nlen, nm);
			if (c->mode == TMPL_HTML && !same_state(&open[depth].h, &c->h))
				SECTION_ERR("section '%.*s' ends in other markup than it began "
					    "(a tag or quote left open)",
					    (int)nlen, nm);
			c->t->nodes[open[depth].node].end = c->t->n;
			continue;
		}
		enum esc esc = ESC_HTML;
		if (value_escape(c, &esc) < 0) {
			err_prefix("%s:%d", name, line_of(src, tag));
			return -E_INVALID;
		}
		size_t i = node_add(c->t, N_VAR), off;
		if (text_add(c, nm, nlen, &off) < 0)
			SECTION_ERR("template larger than its cap");
		c->t->nodes[i].off = off;
		c->t->nodes[i].len = nlen;
		c->t->nodes[i].esc = esc;
	}
	if (depth > 0) {
		const char *tag = end;
		SECTION_ERR("section '%.*s' is not closed", (int)open[depth - 1].name_len,
			    open[depth - 1].name);
	}
	return 0;
}

int tmpl_compile(const char *name, const char *text, size_t len, enum tmpl_mode mode,
		 tmpl_loader load, void *lctx, struct tmpl **out)
{
	struct tmpl *t = xcalloc(1, sizeof(*t));
	struct compiler c = {.t = t, .mode = mode, .load = load, .lctx = lctx};
	*out = NULL;
	buf_init(&t->text, TMPL_SOURCE_MAX * 4);
	int rc = compile_text(&c, name, text, len);
	if (rc == 0 && mode == TMPL_HTML && c.h.st != H_TEXT)
		rc = err_set(E_INVALID, "template '%s' ends inside a tag or comment", name);
	if (rc < 0) {
		tmpl_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

void tmpl_free(struct tmpl *t)
{
	if (!t)
		return;
	free(t->nodes);
	buf_release(&t->text);
	free(t);
}

/* --- escaping ------------------------------------------------------------ */

int tmpl_escape_html(struct buf *out, const char *s, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		const char *ent = NULL;
		switch (s[i]) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		case '`': ent = "&#96;"; break;
		case '=': ent = "&#61;"; break;
		case '\0': ent = "\xEF\xBF\xBD"; break;
		default: continue;
		}
		if (buf_add(out, s + run, i - run) < 0 || buf_adds(out, ent) < 0)
			return -E_INVALID;
		run = i + 1;
	}
	return buf_add(out, s + run, n - run);
}

int tmpl_escape_url(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
			if (buf_addc(out, (char)c) < 0)
				return -E_INVALID;
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			if (buf_add(out, e, 3) < 0)
				return -E_INVALID;
		}
	}
	return 0;
}

/* --- rendering ----------------------------------------------------------- */

struct stack {
	json_t *v[TMPL_DEPTH_MAX + 1];
	int n;
};

static json_t *lookup(const struct stack *st, const char *name, size_t len)
{
	if (len == 1 && name[0] == '.')
		return st->v[st->n - 1];
	const char *dot = memchr(name, '.', len);
	size_t first = dot ? (size_t)(dot - name) : len;
	char key[TMPL_NAME_MAX + 1];
	json_t *v = NULL;
	memcpy(key, name, first);
	key[first] = '\0';
	for (int i = st->n - 1; i >= 0 && !v; i--)
		if (json_is_object(st->v[i]))
			v = json_object_get(st->v[i], key);
	while (v && dot) {
		const char *seg = dot + 1;
		dot = memchr(seg, '.', len - (size_t)(seg - name));
		size_t sl = dot ? (size_t)(dot - seg) : len - (size_t)(seg - name);
		memcpy(key, seg, sl);
		key[sl] = '\0';
		v = json_is_object(v) ? json_object_get(v, key) : NULL;
	}
	return v;
}

static int truthy(json_t *v)
{
	if (!v || json_is_null(v) || json_is_false(v))
		return 0;
	if (json_is_string(v))
		return json_string_length(v) > 0;
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	if (json_is_real(v))
		return json_real_value(v) != 0.0;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	if (json_is_object(v))
		return json_object_size(v) > 0;
	return 1;
}

static int put_value(struct buf *out, json_t *v, enum esc esc)
{
	char num[40];
	const char *s = NULL;
	size_t n = 0;
	if (json_is_string(v)) {
		s = json_string_value(v);
		n = json_string_length(v);
	} else if (json_is_integer(v)) {
		n = (size_t)snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		s = num;
	} else if (json_is_real(v)) {
		n = (size_t)snprintf(num, sizeof(num), "%g", json_real_value(v));
		s = num;
	} else if (json_is_true(v)) {
		s = "true";
		n = 4;
	}
	if (!s)
		return 0;
	switch (esc) {
	case ESC_HTML: return tmpl_escape_html(out, s, n);
	case ESC_URL: return tmpl_escape_url(out, s, n);
	case ESC_NONE: return buf_add(out, s, n);
	}
	return 0;
}

static int render_range(const struct tmpl *t, size_t from, size_t to, struct stack *st,
			struct buf *out)
{
	size_t i = from;
	while (i < to) {
		const struct node *nd = &t->nodes[i];
		const char *name = t->text.ptr + nd->off;
		json_t *v;
		int rc = 0;
		switch (nd->kind) {
		case N_TEXT:
			rc = buf_add(out, name, nd->len);
			i++;
			break;
		case N_VAR:
			rc = put_value(out, lookup(st, name, nd->len), nd->esc);
			i++;
			break;
		case N_INVERTED:
			if (!truthy(lookup(st, name, nd->len)))
				rc = render_range(t, i + 1, nd->end, st, out);
			i = nd->end;
			break;
		case N_SECTION:
			v = lookup(st, name, nd->len);
			if (truthy(v) && st->n > TMPL_DEPTH_MAX)
				return err_set(E_INVALID, "data nested deeper than %d",
					       TMPL_DEPTH_MAX);
			if (json_is_array(v)) {
				size_t k;
				json_t *e;
				json_array_foreach(v, k, e) {
					st->v[st->n++] = e;
					rc = render_range(t, i + 1, nd->end, st, out);
					st->n--;
					if (rc < 0)
						break;
				}
			} else if (truthy(v)) {
				json_t *ctx = json_is_object(v) ? v : st->v[st->n - 1];
				st->v[st->n++] = ctx;
				rc = render_range(t, i + 1, nd->end, st, out);
				st->n--;
			}
			i = nd->end;
			break;
		}
		if (rc < 0)
			return err_set(E_INVALID, "rendered page larger than %zu bytes", out->max);
	}
	return 0;
}

int tmpl_render(const struct tmpl *t, json_t *data, struct buf *out)
{
	struct stack st = {.n = 1};
	st.v[0] = data;
	return render_range(t, 0, t->n, &st, out);
}
