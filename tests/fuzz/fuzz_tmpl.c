/*
 * fuzz_tmpl.c - libFuzzer target for the template renderer (core/present/tmpl.c).
 *
 * The input is split at its first NUL byte: the part before is a template
 * (compiled in HTML and TEXT mode, with itself as the only partial), the
 * part after is a string value.  The template is rendered over data
 * holding that string under several names.  Whatever compiles must render
 * without a memory error, and the escapers' output must hold no markup:
 * escaped HTML has none of < > " ' ` = and each & starts a reference;
 * percent-encoded output has only unreserved characters and %XX.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"
#include "core/present/tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *self_text;
static size_t self_len;

static int load_self(void *ctx, const char *name, char **text, size_t *len)
{
	(void)ctx;
	(void)name;
	*text = xmalloc(self_len + 1);
	memcpy(*text, self_text, self_len);
	(*text)[self_len] = '\0';
	*len = self_len;
	return 0;
}

static void check_html(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\0' && strchr("<>\"'`=", s[i]))
			abort();
		if (s[i] == '&' && !memchr(s + i, ';', n - i < 8 ? n - i : 8))
			abort();
	}
}

static void check_url(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			if (i + 2 >= n)
				abort();
			if (!isxdigit((unsigned char)s[i + 1]) || !isxdigit((unsigned char)s[i + 2]))
				abort();
			i += 2;
		} else if (!isalnum(c) && !strchr("-._~", c)) {
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nul = memchr(text, '\0', size);
	size_t tlen = nul ? (size_t)(nul - text) : size;
	size_t vlen = nul ? size - tlen - 1 : 0;
	const char *value = nul ? nul + 1 : "";

	struct buf b;
	buf_init(&b, 1 << 20);
	tmpl_escape_html(&b, value, vlen);
	check_html(b.ptr, b.len);
	buf_reset(&b);
	tmpl_escape_url(&b, value, vlen);
	check_url(b.ptr, b.len);

	json_t *v = json_stringn_nocheck(value, vlen);
	json_t *d = json_pack("{s:O, s:O, s:[O, {s:O}], s:b, s:i}", "v", v, "a", v, "l", v, "v", v,
			      "t", 1, "n", 0);
	json_decref(v);
	self_text = text;
	self_len = tlen;
	for (int mode = 0; mode < 2; mode++) {
		struct tmpl *t;
		if (tmpl_compile("fuzz", text, tlen, mode ? TMPL_TEXT : TMPL_HTML, load_self, NULL,
				 &t) < 0)
			continue;
		buf_reset(&b);
		tmpl_render(t, d, &b);
		tmpl_free(t);
	}
	json_decref(d);
	buf_release(&b);
	return 0;
}
