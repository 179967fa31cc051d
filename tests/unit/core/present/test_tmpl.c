/*
 * test_tmpl.c - the template renderer (core/present/tmpl.c): every value escaped
 * for where it stands, the places a value may not stand refused at compile
 * time, sections and partials, caps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"
#include "core/present/tmpl.h"

static const char *HOSTILE = "<script>alert(\"x\")</script>&'`=";

/* Render src in mode over the JSON text data; returns the output (static
 * buffer) or NULL with the error in err_msg(). */
static char out_text[8192];
static const char *render_mode(const char *src, const char *data, enum tmpl_mode mode,
			       tmpl_loader load)
{
	struct tmpl *t;
	json_error_t je;
	json_t *d = json_loads(data, 0, &je);
	assert_non_null(d);
	if (tmpl_compile("t.html", src, strlen(src), mode, load, NULL, &t) < 0) {
		json_decref(d);
		return NULL;
	}
	struct buf b;
	buf_init(&b, sizeof(out_text) - 1);
	int rc = tmpl_render(t, d, &b);
	tmpl_free(t);
	json_decref(d);
	if (rc < 0) {
		buf_release(&b);
		return NULL;
	}
	memcpy(out_text, b.ptr, b.len + 1);
	buf_release(&b);
	return out_text;
}

static const char *render(const char *src, const char *data)
{
	return render_mode(src, data, TMPL_HTML, NULL);
}

static char *hostile_json(const char *key)
{
	json_t *o = json_pack("{s:s}", key, HOSTILE);
	char *s = json_dumps(o, 0);
	json_decref(o);
	return s;
}

static void test_text_escaped(void **state)
{
	(void)state;
	char *d = hostile_json("v");
	const char *o = render("<p>{{v}}</p>", d);
	assert_non_null(o);
	assert_string_equal(o, "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"
			       "&#96;&#61;</p>");
	o = render("<input value=\"{{v}}\" title='{{v}}'>", d);
	assert_non_null(o);
	assert_null(strstr(o, "<script"));
	assert_null(strstr(o + 14, "\"x"));
	free(d);
}

static void test_url_attribute_encoded(void **state)
{
	(void)state;
	const char *o = render("<a href=\"{{u}}\">x</a>", "{\"u\":\"javascript:alert(1)\"}");
	assert_non_null(o);
	assert_string_equal(o, "<a href=\"javascript%3Aalert%281%29\">x</a>");
	o = render("<form action=\"/requests/{{id}}/approve\"></form>", "{\"id\":\"a/../b c\"}");
	assert_string_equal(o, "<form action=\"/requests/a%2F..%2Fb%20c/approve\"></form>");
	o = render("<a href=\"/q?ref={{r}}\">{{r}}</a>", "{\"r\":\"A&B\"}");
	assert_string_equal(o, "<a href=\"/q?ref=A%26B\">A&amp;B</a>");
}

static void test_refused_places(void **state)
{
	(void)state;
	static const char *bad[] = {
		"<{{t}}>",                      /* tag name */
		"</{{t}}>",
		"<a {{attr}}>",                 /* attribute name */
		"<a href={{u}}>",               /* unquoted value */
		"<a title=x{{u}}>",
		"<!-- {{c}} -->",               /* comment */
		"<script>{{x}}</script>",       /* no script at all */
		"<script></script>",
		"<style>p{}</style>",
		"<p onclick=\"x\">",            /* event handler */
		"<p style=\"color:red\">",      /* inline style */
		"<iframe srcdoc=\"{{x}}\"></iframe>",
		"<meta http-equiv=\"refresh\" content=\"0\">",
		"{{#s}}<a title=\"{{/s}}\">",   /* section across a quote */
		"{{#s}}<p{{/s}}>",
		"<a hr{{#s}}{{/s}}ef=\"{{u}}\">",  /* a name the data decides */
		"<a {{#s}}x{{/s}}href=\"{{u}}\">",
		"<a href={{#s}}x{{/s}}>",
		"<p title=\"x",                 /* ends inside a tag */
		"{{#s}}",                       /* unclosed */
		"{{/s}}",
		"{{#a}}{{/b}}",
		"{{a b}}",                      /* bad names */
		"{{}}",
		"{{a..b}}",
		"{{x",
		"{{>p}}",                       /* no loader */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		err_clear();
		if (render(bad[i], "{\"t\":\"script\",\"s\":true}") != NULL)
			fail_msg("compiled: %s", bad[i]);
		assert_true(err_msg()[0] != '\0');
	}
	/* the message names the template and the line */
	assert_null(render("<p>\n<a href={{u}}>", "{}"));
	assert_non_null(strstr(err_msg(), "t.html:2"));
}

static void test_sections(void **state)
{
	(void)state;
	const char *d = "{\"rows\":[{\"n\":1,\"s\":\"a\"},{\"n\":2,\"s\":\"<b>\"}],\"t\":\"T\","
			"\"yes\":true,\"no\":false,\"empty\":[],\"zero\":0,\"o\":{\"k\":\"v\"}}";
	assert_string_equal(render("{{#rows}}[{{n}}{{s}}{{t}}]{{/rows}}", d),
			    "[1aT][2&lt;b&gt;T]");
	assert_string_equal(render("{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}n{{/no}}"
				   "{{^empty}}E{{/empty}}{{#zero}}Z{{/zero}}{{o.k}}{{#o}}{{k}}{{/o}}",
				   d),
			    "YnEvv");
	assert_string_equal(render("{{#rows}}{{.}}{{/rows}}{{missing}}{{#s}}x{{/s}}", d), "");
	assert_string_equal(render("{{#l}}{{.}},{{/l}}", "{\"l\":[\"a&\",2,true,null]}"),
			    "a&amp;,2,true,,");
	assert_string_equal(render("a{{! a comment }}b", "{}"), "ab");
	/* optional attributes */
	assert_string_equal(render("<input required {{#yes}}aria-invalid=\"true\"{{/yes}}>"
				   "<option {{#yes}}selected {{/yes}}>",
				   d),
			    "<input required aria-invalid=\"true\"><option selected >");
}

static int loader(void *ctx, const char *name, char **text, size_t *len)
{
	(void)ctx;
	const char *src = strcmp(name, "head") == 0   ? "<h1>{{title}}</h1>"
			  : strcmp(name, "loop") == 0 ? "{{>loop}}"
			  : strcmp(name, "open") == 0 ? "<a title=\""
						      : NULL;
	if (!src)
		return err_set(E_NOTFOUND, "no template '%s'", name);
	*text = xstrdup(src);
	*len = strlen(src);
	return 0;
}

static void test_partials(void **state)
{
	(void)state;
	assert_string_equal(render_mode("{{>head}}<p>x</p>", "{\"title\":\"<T>\"}", TMPL_HTML,
					loader),
			    "<h1>&lt;T&gt;</h1><p>x</p>");
	assert_null(render_mode("{{>loop}}", "{}", TMPL_HTML, loader));
	assert_non_null(strstr(err_msg(), "deeper"));
	assert_null(render_mode("{{>nope}}", "{}", TMPL_HTML, loader));
	/* the state runs on across a partial: a value after an open quote is in
	 * the attribute, and the page must close it */
	assert_string_equal(render_mode("{{>open}}{{v}}\">", "{\"v\":\"\\\"\"}", TMPL_HTML, loader),
			    "<a title=\"&quot;\">");
}

static void test_text_mode(void **state)
{
	(void)state;
	assert_string_equal(render_mode("Dear {{n}}, <{{x}}>", "{\"n\":\"A&B\",\"x\":\"y\"}",
					TMPL_TEXT, NULL),
			    "Dear A&B, <y>");
}

static void test_caps(void **state)
{
	(void)state;
	/* output past the buffer's cap is an error, not a truncation */
	char src[64];
	snprintf(src, sizeof(src), "{{#l}}{{v}}{{/l}}");
	json_t *l = json_array();
	for (int i = 0; i < 2000; i++)
		json_array_append_new(l, json_integer(i));
	json_t *d = json_pack("{s:o, s:s}", "l", l, "v", "0123456789");
	char *ds = json_dumps(d, 0);
	assert_null(render(src, ds));
	free(ds);
	json_decref(d);
	/* sections nested deeper than the cap */
	struct buf deep;
	buf_init(&deep, 4096);
	for (int i = 0; i < 20; i++)
		buf_adds(&deep, "{{#a}}");
	for (int i = 0; i < 20; i++)
		buf_adds(&deep, "{{/a}}");
	assert_null(render(deep.ptr, "{\"a\":[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]}"));
	assert_non_null(strstr(err_msg(), "deeper"));
	buf_release(&deep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_escaped),  cmocka_unit_test(test_url_attribute_encoded),
		cmocka_unit_test(test_refused_places), cmocka_unit_test(test_sections),
		cmocka_unit_test(test_partials),      cmocka_unit_test(test_text_mode),
		cmocka_unit_test(test_caps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
