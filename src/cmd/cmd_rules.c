/*
 * cmd_rules.c - `docket rules list|show ID` and `docket request explain ID`:
 * the legal rules docket applies, and the reasoning behind one request's
 * recommendation, in words a lawyer reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "app/request.h"
#include "cmd/cmd.h"
#include "cmd/request_cmds.h"
#include "core/policy/rules.h"

static int load_rules(struct cli *cli, struct ruleset **rs)
{
	int rc = cli_open(cli, 0);
	return rc < 0 ? rc : app_rules(cli->s, rs);
}

static const char *marks(const struct rule *r)
{
	if (r->policy && r->check)
		return " (policy) (check)";
	if (r->policy)
		return " (policy)";
	return r->check ? " (check)" : "";
}

static int rules_list(struct cli *cli, int argc, char **argv)
{
	struct ruleset *rs = NULL;
	int rc;
	(void)argv;
	if (argc != 1)
		return err_set(E_USAGE, "usage: docket rules list");
	if ((rc = load_rules(cli, &rs)) < 0)
		return rc;
	json_t *arr = cli->json ? json_array() : NULL;
	for (size_t i = 0; i < rules_count(rs); i++) {
		const struct rule *r = rules_at(rs, i);
		if (arr)
			json_array_append_new(arr, rule_to_json(r));
		else
			printf("%-24s %-8s %-14s %s%s\n", r->id, r->jurisdiction,
			       effect_str(r->effect), r->summary, marks(r));
	}
	rules_free(rs);
	return arr ? cmd_print_json(arr) : 0;
}

static int rules_show(struct cli *cli, int argc, char **argv)
{
	struct ruleset *rs = NULL;
	int rc;
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket rules show ID");
	if ((rc = load_rules(cli, &rs)) < 0)
		return rc;
	const struct rule *r = rules_find(rs, argv[1]);
	if (!r) {
		rules_free(rs);
		return err_set(E_NOTFOUND, "no rule '%s' (see 'docket rules list')", argv[1]);
	}
	if (cli->json) {
		rc = cmd_print_json(rule_to_json(r));
	} else {
		printf("%s%s\n", r->id, marks(r));
		printf("Jurisdiction: %s (%s)\n", r->jurisdiction, r->file);
		printf("Citation:     %s\n", r->citation);
		printf("Effect:       %s\n", effect_str(r->effect));
		printf("Summary:      %s\n\n%s\n", r->summary, r->text);
	}
	rules_free(rs);
	return rc;
}

static const struct command rules_cmds[] = {
	{"list", rules_list, "rules list", "every rule: id, jurisdiction, effect, summary",
	 NULL},
	{"show", rules_show, "rules show ID", "one rule with its citation and full text",
	 NULL},
	{0},
};

int cmd_rules(struct cli *cli, int argc, char **argv)
{
	return cmd_dispatch(cli, "rules", rules_cmds, argc, argv);
}

/* --- request explain ------------------------------------------------------ */

static void explain_reason(const struct ruleset *rs, const struct policy_reason *reason)
{
	const struct rule *r = rules_find(rs, reason->rule);
	printf("\n  %s%s\n", reason->rule, r ? marks(r) : "");
	printf("    Finding:  %s\n", reason->text);
	printf("    Authority: %s\n", reason->cite);
	if (r)
		printf("    The rule: %s\n", r->text);
}

static int explain_text(const struct ruleset *rs, const struct request *r,
			const struct policy_result *pol)
{
	char at[TS_BUFSZ];
	printf("Request %lld (%s) from %s, %s under %s process.\n", (long long)r->id, r->ref,
	       r->agency ? r->agency : r->country, kind_str(r->kind), process_str(r->process));
	printf("Recommendation: %s\n", action_str(pol->action));
	if (pol->n_reasons == 0)
		printf("\nNo rule objects to this request; a lawyer reviews it as usual.\n");
	else
		printf("\nFindings, strongest first:\n");
	for (size_t i = 0; i < pol->n_reasons; i++)
		explain_reason(rs, &pol->reasons[i]);
	if (pol->flags) {
		printf("\nFlags:");
		for (int f = 0; f < policy_flag__COUNT; f++)
			if (pol->flags & PF_BIT(f))
				printf(" %s", policy_flag_str(f));
		printf("\n");
	}
	if (pol->kept) {
		printf("Categories the process supports:");
		for (int c = 0; c < category__COUNT; c++)
			if (pol->kept & CAT_BIT(c))
				printf(" %s", category_str(c));
		printf("\n");
	}
	if (pol->n_deadlines)
		printf("Deadlines:\n");
	for (size_t i = 0; i < pol->n_deadlines; i++) {
		time_format(pol->deadlines[i].at, at);
		printf("  %-24s %s\n", deadline_kind_str(pol->deadlines[i].kind), at);
	}
	return 0;
}

int request_explain(struct cli *cli, int argc, char **argv)
{
	int64_t id;
	int rc;
	struct ruleset *rs = NULL;
	struct request r = {0};
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket request explain ID");
	if ((rc = cmd_parse_id(argv[1], &id)) < 0 || (rc = load_rules(cli, &rs)) < 0)
		return rc;
	struct policy_result pol;
	if ((rc = app_request_policy(cli->s, id, &r, &pol)) < 0)
		goto out;
	if (cli->json)
		rc = cmd_print_json(json_pack("{s:I, s:o}", "request", (json_int_t)id, "policy",
					      policy_to_json(&pol)));
	else
		rc = explain_text(rs, &r, &pol);
	policy_result_release(&pol);
out:
	request_release(&r);
	rules_free(rs);
	return rc;
}
