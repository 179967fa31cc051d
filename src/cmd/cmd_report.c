/*
 * cmd_report.c - `docket report`: the biannual transparency report (SPEC
 * §7) as JSON, CSV or an HTML page, on standard output or written
 * atomically to --out.
 *
 * Read-only, so any role may run it and nothing is logged; the report
 * states the signed checkpoint it was computed at instead (I9).  CSV holds
 * exactly the SPEC columns, so for CSV the checkpoint goes to standard
 * error as "checkpoint: <origin> <size> <root>" and, with --out FILE, the
 * signed note itself to FILE.checkpoint.  See docs/report.md.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/fileio.h"
#include "base/util.h"
#include "app/report.h"
#include "cmd/cmd.h"

enum report_format { FMT_JSON, FMT_CSV, FMT_HTML };
static const char *const format_names[] = {"json", "csv", "html"};

struct report_args {
	const char *period;
	const char *format;
	const char *out;
	const char *published;
	const char *band;
	const char *table;
	int publish;
};

static const struct command report_cmd = {
    "report", cmd_report,
    "report --period YYYY-H1|YYYY-H2 [--format json|csv|html] [--out FILE] "
    "[--published DATE] [--band 1000|500|250|100] [--table NAME] [--publish]",
    "the transparency report for a half-year (any role; read-only)",
    "Counts the requests received in the half-year, with their outcomes as of\n"
    "now (unresolved ones are pending), per section (criminal, emergency, civil)\n"
    "and requesting country, and by legal process; preservation requests and\n"
    "holds; enterprise requests; notices; warrants for content stored abroad;\n"
    "challenges; the share of customers and accounts affected; and national-\n"
    "security process only in bands (50 U.S.C. 1874).\n\n"
    "  --period P       the half-year, e.g. 2026-H1 (January to June)\n"
    "  --format F       json (default; also with --json), csv or html\n"
    "  --out FILE       write FILE atomically instead of standard output (-)\n"
    "  --published D    publication date (default: today, or DOCKET_NOW); FISA\n"
    "                   figures appear only for a half-year that ended at least\n"
    "                   180 days before it\n"
    "  --band N         national-security band width: 1000, 500, 250 or 100\n"
    "                   (default: the report_band_width setting, 500); 250 and\n"
    "                   100 combine all national-security process, 100 per year\n"
    "  --table NAME     with --format csv: countries (default: the SPEC table),\n"
    "                   headline, response_times, ndos, notices, emergency or\n"
    "                   preservation (columns in docs/report.md)\n"
    "  --publish        publish it (role compliance): the report's exact bytes\n"
    "                   are stored and their SHA-256 logged; prints the\n"
    "                   publication's number and hash\n\n"
    "Every report states the signed log checkpoint it was computed at.  CSV has\n"
    "exactly the columns period,section,country_code,country,requests,accounts,\n"
    "content,noncontent_only,no_data,rejected,pending; its checkpoint is printed\n"
    "on standard error, and with --out FILE the signed checkpoint is also\n"
    "written to FILE.checkpoint."};

static int parse_args(int argc, char **argv, struct report_args *a)
{
	static const struct option opts[] = {
	    {"period", required_argument, NULL, 'p'},
	    {"format", required_argument, NULL, 'f'},
	    {"out", required_argument, NULL, 'o'},
	    {"published", required_argument, NULL, 'd'},
	    {"band", required_argument, NULL, 'b'},
	    {"table", required_argument, NULL, 't'},
	    {"publish", no_argument, NULL, 'P'},
	    {0},
	};
	int c;
	memset(a, 0, sizeof(*a));
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			a->period = optarg;
			break;
		case 'f':
			a->format = optarg;
			break;
		case 'o':
			a->out = optarg;
			break;
		case 'd':
			a->published = optarg;
			break;
		case 'b':
			a->band = optarg;
			break;
		case 't':
			a->table = optarg;
			break;
		case 'P':
			a->publish = 1;
			break;
		default:
			if (optopt)
				return err_set(E_USAGE,
					       "option '%s' needs a value (see 'docket "
					       "report --help')",
					       argv[optind - 1]);
			return err_set(E_USAGE,
				       "unknown option '%s' (see 'docket report "
				       "--help')",
				       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return err_set(E_USAGE,
			       "unexpected argument '%s' (see 'docket report "
			       "--help')",
			       argv[optind]);
	if (!a->period)
		return err_set(E_USAGE, "report needs --period, e.g. --period 2026-H1");
	if (a->table) {
		size_t i = 0;
		while (report_csv_tables[i] && strcmp(report_csv_tables[i], a->table) != 0)
			i++;
		if (!report_csv_tables[i])
			return err_set(E_USAGE,
				       "unknown --table '%s' (countries, headline, "
				       "response_times, ndos, notices, emergency or "
				       "preservation)",
				       a->table);
	}
	return 0;
}

static int pick_format(const struct cli *cli, const char *given, enum report_format *out)
{
	if (!given) {
		*out = FMT_JSON;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(format_names); i++)
		if (strcmp(given, format_names[i]) == 0) {
			if (cli->json && i != FMT_JSON)
				return err_set(E_USAGE,
					       "--json asks for JSON but --format "
					       "asks for %s",
					       given);
			*out = (enum report_format)i;
			return 0;
		}
	return err_set(E_USAGE, "unknown report format '%s' (json, csv or html)", given);
}

/* Options that need no database: checked first, so a bad --period fails
 * the same way for everyone. */
static int check_values(const struct report_args *a, struct report_opts *o, int64_t *band)
{
	struct ts pub;
	if (period_parse(a->period, &o->period) < 0)
		return err_set(E_INVALID,
			       "--period '%s' is not a half-year like 2026-H1 "
			       "(January-June) or 2026-H2 (July-December)",
			       a->period);
	if (a->published) {
		if (ts_parse(a->published, &pub) < 0)
			return err_set(E_INVALID,
				       "--published '%s' is not a date like "
				       "2026-08-01",
				       a->published);
		o->published = pub.t - pub.t % DAY_SECONDS;
	}
	*band = 0;
	if (a->band) {
		char *end;
		long long n = strtoll(a->band, &end, 10);
		if (*end || end == a->band || !report_band_width_valid(n))
			return err_set(E_INVALID,
				       "--band '%s': the law allows bands of 1000, "
				       "500, 250 or 100",
				       a->band);
		*band = n;
	}
	return 0;
}

static int emit(const struct report *r, enum report_format f, const char *path,
		const struct buf *text)
{
	int rc;
	if (path && strcmp(path, "-") == 0)
		path = NULL;
	if (!path) {
		if (fwrite(text->ptr, 1, text->len, stdout) != text->len)
			return err_set(E_IO, "cannot write standard output");
	} else if ((rc = file_write_atomic(path, text->ptr, text->len)) < 0) {
		return rc;
	}
	if (f != FMT_CSV)
		return 0;
	struct buf line;
	buf_init(&line, BUF_UNLIMITED);
	report_checkpoint_line(r, &line);
	fprintf(stderr, "%s\n", line.ptr);
	buf_release(&line);
	if (!path)
		return 0;
	char *side = xasprintf("%s.checkpoint", path);
	rc = file_write_atomic(side, r->checkpoint_note, strlen(r->checkpoint_note));
	free(side);
	return rc;
}

static int print_publication(void *ctx, const struct publication_row *p)
{
	struct cli *cli = ctx;
	char at[TS_BUFSZ];
	time_format(p->published_at, at);
	if (cli->json)
		return cmd_print_json(json_pack(
		    "{s:I, s:s, s:s, s:s, s:s, s:I, s:I}", "publication", (json_int_t)p->id,
		    "period", p->period, "format", p->format, "published_at", at, "sha256",
		    p->sha256, "size", (json_int_t)p->size, "checkpoint_size",
		    (json_int_t)p->checkpoint_size));
	printf("published report %lld: %s as %s, %llu bytes, sha256 %s, computed at log "
	       "size %llu\n",
	       (long long)p->id, p->period, p->format, (unsigned long long)p->size, p->sha256,
	       (unsigned long long)p->checkpoint_size);
	return 0;
}

static int publish(struct cli *cli, const struct report_opts *o, const char *format)
{
	int64_t id = 0;
	int rc;
	if ((rc = cli_open(cli, 0)) < 0 || (rc = app_report_publish(cli->s, o, format, &id)) < 0)
		return rc;
	return app_report_publication(cli->s, id, print_publication, cli);
}

int cmd_report(struct cli *cli, int argc, char **argv)
{
	struct report_args a;
	struct report_opts o = {0};
	enum report_format f = FMT_JSON;
	int64_t band;
	struct report *r = NULL;
	struct buf text = {0};
	int rc;
	if (cmd_wants_help(&report_cmd, argc, argv))
		return 0;
	o.published = cli->now - cli->now % DAY_SECONDS;
	if ((rc = parse_args(argc, argv, &a)) < 0 ||
	    (rc = pick_format(cli, a.format, &f)) < 0 ||
	    (rc = check_values(&a, &o, &band)) < 0)
		return rc;
	o.band_width = (unsigned)band;
	o.trend = f == FMT_HTML;
	if (a.table && f != FMT_CSV)
		return err_set(E_USAGE, "--table goes with --format csv");
	if (a.publish) {
		if (a.table || a.out)
			return err_set(E_USAGE, "--publish stores the whole report: no --table "
						"or --out");
		return publish(cli, &o, format_names[f]);
	}
	if ((rc = cli_open(cli, 0)) < 0 || (rc = app_report(cli->s, &o, &r)) < 0 ||
	    (rc = app_report_render(r, format_names[f], a.table, &text)) < 0)
		goto out;
	rc = emit(r, f, a.out, &text);
out:
	buf_release(&text);
	report_free(r);
	return rc;
}
