/*
 * cmd_request.c - `docket request ...`: intake (add), import, show, list
 * (app/request.h); explain lives in cmd_rules.c, the review steps in
 * cmd_review.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "app/import.h"
#include "app/request.h"
#include "cmd/cmd.h"
#include "cmd/notice_cmds.h"
#include "cmd/request_cmds.h"

/* --- add --------------------------------------------------------------- */

int request_add(struct cli *cli, int argc, char **argv)
{
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket request add FILE.json");
	int rc;
	int64_t id = 0;
	struct buf text;
	if ((rc = cli_open(cli, ROLE_BIT(ROLE_INTAKE))) < 0 ||
	    (rc = cmd_read_file(argv[1], MODEL_MAX_DOC, &text)) < 0)
		return rc;
	rc = app_request_add(cli->s, argv[1], text.ptr, text.len, &id);
	buf_release(&text);
	if (rc < 0)
		return rc;
	if (cli->json)
		return request_print(cli, id);
	printf("%lld\n", (long long)id);
	return 0;
}

/* --- amend -------------------------------------------------------------- */

static int request_amend(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"reason", required_argument, NULL, 'r'}, {0}};
	const char *reason = NULL;
	int c, rc;
	int64_t id;
	struct buf text;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'r')
			return -E_USAGE;
		reason = optarg;
	}
	if (argc - optind != 2)
		return err_set(E_USAGE, "usage: docket request amend ID FILE.json [--reason TEXT]");
	if ((rc = cmd_parse_id(argv[optind], &id)) < 0 ||
	    (rc = cli_open(cli, ROLE_BIT(ROLE_INTAKE))) < 0 ||
	    (rc = cmd_read_file(argv[optind + 1], MODEL_MAX_DOC, &text)) < 0)
		return rc;
	rc = app_request_amend(cli->s, id, argv[optind + 1], text.ptr, text.len, reason);
	buf_release(&text);
	if (rc < 0)
		return rc;
	if (cli->json)
		return request_print(cli, id);
	printf("request %lld amended\n", (long long)id);
	return 0;
}

/* --- import ------------------------------------------------------------ */

int request_import(struct cli *cli, int argc, char **argv)
{
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket request import FILE.jsonl");
	struct buf text;
	struct progress pr;
	struct app_progress hook = cli_progress(cli, &pr);
	size_t n = 0, skipped = 0;
	int rc;
	if ((rc = cli_open(cli, ROLE_BIT(ROLE_ADMIN))) < 0 ||
	    (rc = cmd_read_file(argv[1], APP_IMPORT_MAX_FILE, &text)) < 0)
		return rc;
	rc = app_request_import_again(cli->s, argv[1], text.ptr, text.len, &hook, &n,
				      &skipped);
	buf_release(&text);
	if (rc < 0)
		return rc;
	if (cli->json)
		return cmd_print_json(json_pack("{s:I, s:I}", "imported", (json_int_t)n,
						"already_stored", (json_int_t)skipped));
	printf("imported %zu historical request%s", n, n == 1 ? "" : "s");
	if (skipped)
		printf(" (%zu already stored by an earlier run of this file)", skipped);
	printf("\n");
	return 0;
}

/* --- show -------------------------------------------------------------- */

static void print_history_line(const struct history_entry *h)
{
	char at[TS_BUFSZ];
	time_format(h->at, at);
	printf("  %s  %-10s %-16s %s%s%s  (log #%llu)\n", at, h->actor, h->event,
	       h->from_state >= 0 ? state_str(h->from_state) : "",
	       h->from_state >= 0 ? " -> " : "", state_str(h->to_state),
	       (unsigned long long)h->log_index);
	if (h->reason)
		printf("      reason: %s\n", h->reason);
}

static int history_line(void *ctx, const struct history_entry *h)
{
	(void)ctx;
	print_history_line(h);
	return 0;
}

static void print_policy_summary(const struct policy_result *p, int have)
{
	char at[TS_BUFSZ];
	if (!have) {
		printf("Policy:     (none: imported request)\n");
		return;
	}
	printf("Policy:     recommends %s\n", action_str(p->action));
	for (size_t i = 0; i < p->n_reasons; i++) {
		const struct policy_reason *v = &p->reasons[i];
		const char *cat = v->category >= 0 ? category_str(v->category) : NULL;
		printf("  [%s]%s%s%s %s (%s)\n", v->rule, cat ? " (" : "", cat ? cat : "",
		       cat ? ")" : "", v->text, v->cite);
	}
	for (int f = 0; f < policy_flag__COUNT; f++)
		if (p->flags & PF_BIT(f))
			printf("  flag: %s\n", policy_flag_str(f));
	for (size_t i = 0; i < p->n_deadlines; i++) {
		time_format(p->deadlines[i].at, at);
		printf("  deadline: %s at %s\n", deadline_kind_str(p->deadlines[i].kind), at);
	}
}

/* Each tracked deadline, whether it is met, and the reminders tick raised
 * (SPEC §5: shown until the deadline is met). */
static int print_deadlines(struct cli *cli, int64_t id)
{
	json_t *a, *v;
	size_t i;
	int rc = app_request_deadlines(cli->s, id, &a);
	if (rc < 0)
		return rc;
	if (json_array_size(a))
		printf("Deadlines:\n");
	json_array_foreach(a, i, v) {
		const char *near = json_string_value(json_object_get(v, "reminded_near"));
		const char *missed = json_string_value(json_object_get(v, "reminded_missed"));
		int met = json_is_true(json_object_get(v, "met"));
		printf("  %-24s %s%s", json_string_value(json_object_get(v, "kind")),
		       json_string_value(json_object_get(v, "at")),
		       met ? "  (met)" : missed ? "  MISSED" : "");
		if (!met && near)
			printf("  reminder raised %s", near);
		if (!met && missed)
			printf("; missed reminder %s", missed);
		printf("\n");
	}
	json_decref(a);
	return 0;
}

/* The packages produced for the request (SPEC §8). */
static int print_disclosures(struct cli *cli, int64_t id)
{
	json_t *v, *d;
	size_t i;
	int rc = app_request_json(cli->s, id, &v);
	if (rc < 0)
		return rc;
	json_t *a = json_object_get(v, "disclosures");
	if (json_array_size(a))
		printf("Disclosures:\n");
	json_array_foreach(a, i, d)
		printf("  %s  %s  %lld item%s, %lld bytes, sha256 %s  (log #%lld)\n",
		       json_string_value(json_object_get(d, "at")),
		       json_string_value(json_object_get(d, "file")),
		       (long long)json_integer_value(json_object_get(d, "items")),
		       json_integer_value(json_object_get(d, "items")) == 1 ? "" : "s",
		       (long long)json_integer_value(json_object_get(d, "size")),
		       json_string_value(json_object_get(d, "sha256")),
		       (long long)json_integer_value(json_object_get(d, "log_index")));
	json_decref(v);
	return 0;
}

static void print_request_text(const struct request *r)
{
	char recv[TS_BUFSZ], cats[64];
	ts_format(r->received_at, recv);
	categories_format(r->categories, cats, sizeof(cats));
	printf("Request %lld  %s\n", (long long)r->id, r->ref);
	printf("State:      %s%s%s\n", state_str(r->state), r->outcome ? ", outcome " : "",
	       r->outcome ? outcome_str(r->outcome) : "");
	printf("Agency:     %s (%s)%s\n", r->agency ? r->agency : "(none)",
	       r->country[0] ? r->country : "country unknown: not registered",
	       r->voided_at ? "  VOID: entered in error" : "");
	if (r->has_requester)
		printf("Requester:  %s%s%s%s%s\n", r->requester.name ? r->requester.name : "",
		       r->requester.name ? " <" : "", r->requester.email,
		       r->requester.name ? ">" : "", "");
	if (r->has_requester && r->requester.phone)
		printf("            phone %s\n", r->requester.phone);
	printf("Received:   %s%s%s\n", recv, r->channel ? " via " : "",
	       r->channel ? r->channel : "");
	printf("Kind:       %s, process %s\n", kind_str(r->kind), process_str(r->process));
	if (r->has_issued_by)
		printf("Issued by:  %s %s%s%s\n", issuer_type_str(r->issued_by.type),
		       r->issued_by.name, r->issued_by.judge ? ", " : "",
		       r->issued_by.judge ? r->issued_by.judge : "");
	printf("Signed:     %s\n", !r->has_signed ? "not stated" : r->is_signed ? "yes" : "no");
	printf("Categories: %s", cats);
	if (r->scope && r->scope != r->categories) {
		char kept[64];
		categories_format(r->scope, kept, sizeof(kept));
		printf(" (narrowed to %s)", kept);
	}
	printf("\n");
	if (r->has_date_range) {
		char from[TS_BUFSZ], to[TS_BUFSZ];
		ts_format(r->date_from, from);
		ts_format(r->date_to, to);
		printf("Date range: %s to %s\n", from, to);
	} else {
		printf("Date range: none given (all dates)\n");
	}
	if (r->has_due) {
		char due[TS_BUFSZ];
		ts_format(r->due_at, due);
		printf("Return by:  %s\n", due);
	}
	if (r->has_emergency) {
		const struct party *sv = &r->emergency_supervisor;
		printf("Emergency:  %s\n", r->emergency_justification
						 ? r->emergency_justification
						 : "(no justification given)");
		printf("Supervisor: %s%s%s\n", sv->name ? sv->name : "(no name given)",
		       ", phone ", sv->phone ? sv->phone : "(none given)");
	}
	for (size_t i = 0; i < r->n_documents; i++)
		printf("%s %s  sha256 %s\n", i ? "           " : "Documents: ",
		       r->documents[i].name, r->documents[i].sha256);
	printf("Targets:    %zu\n", r->n_targets);
	for (size_t i = 0; i < r->n_targets; i++)
		printf("  %s %s -> %s%s\n", target_type_str(r->targets[i].type),
		       r->targets[i].value,
		       r->targets[i].customer_id ? r->targets[i].customer_id : "no data",
		       r->targets[i].decision == TD_REDIRECT ? "  (redirected)"
		       : r->targets[i].decision == TD_REJECT ? "  (refused)"
							     : "");
	if (r->has_ndo) {
		char exp[TS_BUFSZ + 8] = "no end date (indefinite)";
		if (r->ndo.has_expiry) {
			char t[TS_BUFSZ];
			ts_format(r->ndo.expires_at, t);
			snprintf(exp, sizeof(exp), "until %s", t);
		}
		printf("NDO:        %s, %s\n", r->ndo.statute, exp);
	}
}

int request_print(struct cli *cli, int64_t id)
{
	struct request r = {0};
	struct policy_result policy;
	json_t *v;
	int rc, have;
	if (cli->json)
		return (rc = app_request_json(cli->s, id, &v)) < 0 ? rc : cmd_print_json(v);
	if ((rc = app_request_get(cli->s, id, &r, &policy, &have)) < 0)
		return rc;
	char *extra = NULL;
	print_request_text(&r);
	if ((rc = app_request_extraordinary(cli->s, id, &extra)) < 0)
		goto done;
	if (extra)
		printf("Extraordinary circumstances (overrides the GEN-ENTERPRISE redirect):\n"
		       "  %s\n",
		       extra);
	free(extra);
	print_policy_summary(&policy, have);
	if ((rc = print_deadlines(cli, id)) < 0 || (rc = print_disclosures(cli, id)) < 0)
		goto done;
	if ((rc = notice_print_for_request(cli, id)) == 0) {
		printf("History:\n");
		rc = app_request_history(cli->s, id, history_line, NULL);
	}
done:
	policy_result_release(&policy);
	request_release(&r);
	return rc;
}

static int request_show(struct cli *cli, int argc, char **argv)
{
	int64_t id;
	int rc;
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket request show ID|REF");
	/* a number with a sign or spaces around it is a mistyped id, not a
	 * reference: say so rather than "no such reference" */
	const char *p = argv[1] + strspn(argv[1], " \t+-");
	if (p != argv[1] && *p && strspn(p, "0123456789 \t") == strlen(p))
		return cmd_parse_id(argv[1], &id);
	if ((rc = cli_open(cli, 0)) < 0 || (rc = app_request_find(cli->s, argv[1], &id)) < 0)
		return rc;
	return request_print(cli, id);
}

/* --- list -------------------------------------------------------------- */

struct list_text {
	struct cli *cli;
	size_t n;
};

static int list_row(void *ctx, const struct request *r)
{
	struct list_text *lt = ctx;
	char recv[TS_BUFSZ], next[TS_BUFSZ] = "-";
	lt->n++;
	date_format(r->received_at.t, recv);
	if (r->next_deadline)
		time_format(r->next_deadline, next);
	printf("%6lld  %-18.18s %-3s %-16.16s %-10s %-13s %-10s %-20s%s%s\n", (long long)r->id,
	       r->ref, r->country[0] ? r->country : "?", process_str(r->process),
	       state_str(r->state), r->recommendation ? r->recommendation : "-", recv, next,
	       app_request_overdue(lt->cli->s, r) ? "  OVERDUE" : "",
	       r->voided_at ? "  VOID" : "");
	return 0;
}

static int parse_time_arg(const char *s, const char *opt, int64_t *out)
{
	struct ts ts;
	int rc = cmd_parse_date(s, opt, &ts);
	if (rc == 0)
		*out = ts.t;
	return rc;
}

static int list_options(int argc, char **argv, struct request_filter *f)
{
	static const struct option opts[] = {
		{"state", required_argument, NULL, 's'},
		{"kind", required_argument, NULL, 'k'},
		{"country", required_argument, NULL, 'c'},
		{"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'},
		{"period", required_argument, NULL, 'p'},
		{"due-before", required_argument, NULL, 'd'},
		{"limit", required_argument, NULL, 'l'},
		{"q", required_argument, NULL, 'q'},
		{"by-id", no_argument, NULL, 'i'},
		{0},
	};
	int c, rc = 0;
	struct period per;
	uint64_t lim;
	optind = 0;
	while (rc == 0 && (c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if ((f->state = state_parse(optarg)) < 0)
				rc = err_set(E_USAGE, "unknown state '%s' (allowed: %s)", optarg,
					     enum_allowed(state_parse));
			break;
		case 'k':
			if ((f->kind = kind_parse(optarg)) < 0)
				rc = err_set(E_USAGE, "unknown kind '%s' (allowed: %s)", optarg,
					     enum_allowed(kind_parse));
			break;
		case 'c':
			if (!country_valid(optarg))
				rc = err_set(E_USAGE, "unknown country code '%s'", optarg);
			f->country = optarg;
			break;
		case 'f':
			rc = parse_time_arg(optarg, "--from", &f->received_from);
			break;
		case 't':
			rc = parse_time_arg(optarg, "--to", &f->received_to);
			break;
		case 'p':
			if ((rc = period_parse(optarg, &per)) == 0) {
				f->received_from = per.start;
				f->received_to = per.end;
			} else {
				rc = -E_USAGE;
			}
			break;
		case 'd':
			rc = parse_time_arg(optarg, "--due-before", &f->due_before);
			break;
		case 'l':
			if ((rc = cmd_parse_u64(optarg, "--limit", &lim)) == 0)
				f->limit = (size_t)lim;
			break;
		case 'q':
			if (!*optarg || strlen(optarg) > MODEL_MAX_SHORT)
				rc = err_set(E_USAGE, "--q needs 1 to %d characters",
					     MODEL_MAX_SHORT);
			f->q = optarg;
			break;
		case 'i':
			f->urgent = 0;
			break;
		default:
			rc = -E_USAGE;
		}
	}
	if (rc == 0 && optind != argc)
		rc = err_set(E_USAGE, "unexpected argument '%s'", argv[optind]);
	return rc;
}

static int request_list(struct cli *cli, int argc, char **argv)
{
	struct request_filter f;
	json_t *arr;
	int rc;
	request_filter_init(&f);
	f.urgent = 1; /* SPEC §4: most urgent first */
	if ((rc = list_options(argc, argv, &f)) < 0 || (rc = cli_open(cli, 0)) < 0)
		return rc;
	if (cli->json)
		return (rc = app_request_list_json(cli->s, &f, &arr)) < 0 ? rc
									 : cmd_print_json(arr);
	printf("%6s  %-18s %-3s %-16s %-10s %-13s %-10s %-20s\n", "ID", "REF", "CC",
	       "PROCESS", "STATE", "RECOMMENDS", "RECEIVED", "NEXT DEADLINE");
	struct list_text lt = {cli, 0};
	if ((rc = app_request_each(cli->s, &f, list_row, &lt)) < 0)
		return rc;
	printf("%zu request%s\n", lt.n, lt.n == 1 ? "" : "s");
	return 0;
}

/* --- the group --------------------------------------------------------- */

static const struct command request_cmds[] = {
	{"add", request_add, "request add FILE.json",
	 "take in a new request; prints its id (intake)",
	 "FILE is a SPEC §3 request document (- reads standard input).  The policy\n"
	 "recommendation is computed and stored with it; targets are resolved to\n"
	 "accounts and customers.  With --json, prints the stored request."},
	{"show", request_show, "request show ID|REF", "show a request, its policy and history",
	 "With --json, prints every stored field: the SPEC §3 input plus id, state,\n"
	 "policy, outcome, notices and history."},
	{"list", request_list,
	 "request list [--q TEXT] [--state S] [--kind K] [--country CC] [--from DATE]\n"
	 "                    [--to DATE] [--period YYYY-HN] [--due-before DATE] [--limit N]\n"
	 "                    [--by-id]",
	 "list requests, most urgent first",
	 "Each row shows the recommendation, the nearest open deadline and whether it\n"
	 "is overdue; requests with the nearest deadline come first (--by-id: in id\n"
	 "order).  --q finds a reference, an agency or an account identifier (part\n"
	 "of it, any case; a phone number or address in any spelling).  --from/--to\n"
	 "bound the received date (--to is exclusive)."},
	{"amend", request_amend, "request amend ID FILE.json [--reason TEXT]",
	 "correct a request's input before any review decision (intake)",
	 "FILE is the whole corrected SPEC §3 document (- reads standard input); it\n"
	 "replaces the input, received_at defaulting to the one on record.  The\n"
	 "policy runs again; notices follow the targets.  The log records the old and\n"
	 "the new document's digests: nothing is erased.  After a review decision a\n"
	 "request entered in error is voided instead ('request void')."},
	{"explain", request_explain, "request explain ID",
	 "the policy reasoning: each finding, its rule and citation", NULL},
	{"import", request_import, "request import FILE.jsonl",
	 "import historical, already-closed requests (admin)",
	 "One request per line: a SPEC §3 object plus \"outcome\" and \"closed_at\";\n"
	 "\"agency\" may be omitted when \"country\" is given.  Every line is checked\n"
	 "first; nothing is stored if any line is bad.  Requests skip the workflow\n"
	 "but are logged, one log entry per batch listing each request's digest."},
	{0},
};

int cmd_request(struct cli *cli, int argc, char **argv)
{
	const struct command *const tables[] = {request_cmds, review_cmds, NULL};
	return cmd_dispatch_tables(cli, "request", tables, argc, argv);
}
