/*
 * policy_explain.c - a policy result as plain text for the reviewing
 * lawyer (see policy.h): what docket recommends, each finding with the
 * rule, its citation and its statement, then flags, categories and
 * deadlines.  Lines are wrapped at 78 columns.
 */
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "core/policy/policy.h"

#define WRAP 78

/* Append first + text, wrapped at WRAP columns; continuation lines start
 * with as many spaces as first is long. */
static void add_wrapped(struct buf *b, const char *first, const char *text)
{
	size_t indent = strlen(first), col = indent;
	buf_adds(b, first);
	while (*text) {
		size_t word = strcspn(text, " \n");
		if (col > indent && col + 1 + word > WRAP) {
			buf_addf(b, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			buf_addc(b, ' ');
			col++;
		}
		buf_add(b, text, word);
		col += word;
		text += word;
		while (*text == ' ' || *text == '\n')
			text++;
	}
	buf_addc(b, '\n');
}

static void add_marks(struct buf *b, const struct rule *r)
{
	if (r->policy)
		add_wrapped(
		    b, "     Mark:  ", "(policy) a provider practice, not a statute");
	if (r->check)
		add_wrapped(b, "     Mark:  ", "(check) a detail counsel should confirm");
}

static void add_finding(struct buf *b, const struct ruleset *rs, size_t n,
			const struct policy_reason *p)
{
	const struct rule *r = rules_find(rs, p->rule);
	buf_addf(b, "  %zu. %s - %s", n, effect_str(p->effect), p->rule);
	if (p->category >= 0)
		buf_addf(b, " (category %s)", category_str(p->category));
	if (p->target)
		buf_addf(b, " (target %s)", p->target);
	buf_addc(b, '\n');
	add_wrapped(b, "     ", p->text);
	add_wrapped(b, "     Cite:  ", p->cite);
	if (r) {
		add_wrapped(b, "     Rule:  ", r->text);
		add_marks(b, r);
	}
}

static void add_categories(struct buf *b, const struct policy_result *res)
{
	char req[64], kept[64];
	if (res->kept == res->requested)
		return;
	categories_format(res->requested, req, sizeof(req));
	categories_format(res->kept, kept, sizeof(kept));
	buf_addf(b, "Categories:     requested %s\n", req);
	buf_addf(b, "                %s%s\n",
		 res->kept ? "a narrowed answer covers only: "
			   : "the process reaches none",
		 res->kept ? kept : "");
}

static void add_flags(struct buf *b, const struct policy_result *res)
{
	if (!res->flags)
		return;
	buf_adds(b, "Flags:");
	for (int f = 0; f < policy_flag__COUNT; f++)
		if (res->flags & PF_BIT(f))
			buf_addf(b, " %s", policy_flag_str(f));
	buf_addc(b, '\n');
}

static void add_deadlines(struct buf *b, const struct policy_result *res)
{
	char at[TS_BUFSZ];
	if (!res->n_deadlines)
		return;
	buf_adds(b, "Deadlines:\n");
	for (size_t i = 0; i < res->n_deadlines; i++) {
		const struct policy_deadline *d = &res->deadlines[i];
		time_format(d->at, at);
		buf_addf(b, "  %s  %-24s (%s)\n", at, deadline_kind_str(d->kind),
			 d->rule ? d->rule : "the request's own date");
	}
}

static void add_precedence(struct buf *b, const struct ruleset *rs)
{
	const int *p = rules_precedence(rs);
	buf_adds(b, "\nPrecedence:");
	for (int i = 0; i < action__COUNT; i++)
		buf_addf(b, "%s%s", i ? " > " : " ", action_str(p[i]));
	buf_addc(b, '\n');
	add_wrapped(b, "",
		    "The recommendation is the strongest effect found. Every "
		    "finding is listed; a lawyer reviews every request.");
}

static void explain(const struct ruleset *rs, const struct policy_result *res,
		    struct buf *out)
{
	const struct jurisdiction *j =
	    res->jurisdiction ? rules_jurisdiction_find(rs, res->jurisdiction) : NULL;
	buf_addf(out, "Recommendation: %s\n", action_str(res->action));
	if (j)
		buf_addf(out, "Jurisdiction:   %s (%s), rules in %s\n", j->id, j->name,
			 rules_dir(rs));
	add_categories(out, res);
	if (res->n_reasons == 0)
		buf_adds(out, "\nNo rule objects to this request.\n");
	else
		buf_adds(out, "\nFindings, strongest first:\n");
	for (size_t i = 0; i < res->n_reasons; i++)
		add_finding(out, rs, i + 1, &res->reasons[i]);
	if (res->flags || res->n_deadlines)
		buf_addc(out, '\n');
	add_flags(out, res);
	add_deadlines(out, res);
	add_precedence(out, rs);
}

int policy_explain(const struct ruleset *rs, const struct policy_result *res,
		   struct buf *out)
{
	struct buf text;
	int rc;
	buf_init(&text, BUF_UNLIMITED);
	explain(rs, res, &text);
	rc = buf_add(out, text.ptr, text.len);
	buf_release(&text);
	return rc;
}
