/*
 * cmd_disclose.c - `docket disclose ID --out FILE` (approver): the
 * disclosure package of a ready request; and `docket disclose verify FILE
 * [--key KEYFILE]`, which needs no database and no user.
 *
 * The disclosure is app_disclose() (app/disclose.h): one unit of work
 * around disclose_prepare() (the reads, their log entries, a checkpoint,
 * the package record and the state change); the package takes its final
 * name only after the commit.  See core/disclose/disclose.h and docs/disclosure.md.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "app/disclose.h"
#include "cmd/cmd.h"
#include "log/note.h"

static const struct command disclose_cmds[] = {
	{"disclose", NULL, "disclose ID --out FILE [--reason TEXT]",
	 "write the disclosure package of a ready request (approver)",
	 "Only a request in state 'ready' (approved by two different approvers) can\n"
	 "be disclosed; anything else exits 5 and changes nothing.  The package is a\n"
	 "reproducible .tar.gz holding exactly the items in the request's scope - its\n"
	 "resolved accounts x the categories kept at review x its date range - each\n"
	 "listed with its SHA-256 in manifest.json; items of customers who hold their\n"
	 "keys are ciphertext only (the date range scopes content and non-content;\n"
	 "subscriber records go whatever their date).  It also holds a cover letter\n"
	 "(letter.txt: the reference, what is produced, what is not and why), the\n"
	 "log entry of the disclosure\n"
	 "(entry.json), a signed checkpoint covering it (checkpoint.txt), the entry's\n"
	 "inclusion proof (proof.txt) and the verifier key (key.txt).  Every item read\n"
	 "is logged, the package's SHA-256 is logged and recorded, and the request\n"
	 "moves to 'disclosed' with its outcome - all in one unit of work.  FILE must\n"
	 "not exist; it appears only once everything is committed."},
	{"verify", NULL, "disclose verify FILE [--key KEYFILE]",
	 "check a disclosure package (no database or user needed)",
	 "Checks every item against the manifest (size and SHA-256), that the\n"
	 "manifest is the one the log entry names, the checkpoint's signature, and\n"
	 "the entry's inclusion proof against the checkpoint's root.  Give the log's\n"
	 "verifier key with --key: a file ('docket log key > FILE') or the key\n"
	 "itself; without it the key inside the package is used, which only shows\n"
	 "the package is consistent with itself.\n"
	 "Exits 3 naming every problem found."},
	{0},
};

/* ===================================================================
 * docket disclose ID --out FILE
 * =================================================================== */

static int print_disclosure(struct cli *cli, const struct disclosure *d, const char *out)
{
	if (cli->json)
		return cmd_print_json(json_pack(
		    "{s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:s, s:I, s:I, s:I, s:I}", "request",
		    (json_int_t)d->request_id, "outcome", outcome_str(d->outcome), "file", out,
		    "items", (json_int_t)d->items, "content_items",
		    (json_int_t)d->content_items, "sealed_items", (json_int_t)d->sealed_items,
		    "bytes", (json_int_t)d->bytes, "sha256", d->sha256, "size",
		    (json_int_t)d->size, "log_index", (json_int_t)d->entry_index, "tree_size",
		    (json_int_t)d->tree_size, "package_index", (json_int_t)d->package_index));
	printf("request %lld disclosed, outcome %s: %llu item%s (%llu content, %llu sealed)\n"
	       "package: %s\n"
	       "sha256:  %s (%llu bytes)\n"
	       "log:     disclosure entry %llu (proved in the tree of size %llu), package "
	       "entry %llu\n",
	       (long long)d->request_id, outcome_str(d->outcome), (unsigned long long)d->items,
	       d->items == 1 ? "" : "s", (unsigned long long)d->content_items,
	       (unsigned long long)d->sealed_items, out, d->sha256,
	       (unsigned long long)d->size, (unsigned long long)d->entry_index,
	       (unsigned long long)d->tree_size, (unsigned long long)d->package_index);
	return 0;
}

static int disclose_run(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"out", required_argument, NULL, 'o'},
		{"reason", required_argument, NULL, 'r'},
		{0},
	};
	const char *out = NULL, *reason = NULL;
	int64_t id;
	int c, rc;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == 'r')
			reason = optarg;
		else
			return -E_USAGE;
	}
	if (argc - optind != 1 || !out || !*out)
		return err_set(E_USAGE, "usage: docket %s", disclose_cmds[0].usage);
	if ((rc = cmd_parse_id(argv[optind], &id)) < 0 ||
	    (rc = cli_open(cli, ROLE_BIT(ROLE_APPROVER))) < 0)
		return rc;
	struct progress pr;
	struct app_progress hook = cli_progress(cli, &pr);
	struct disclosure d;
	rc = app_disclose(cli->s, id, out, reason, &hook, &d);
	if (rc == 0)
		rc = print_disclosure(cli, &d, out);
	disclose_release(&d);
	return rc;
}

/* ===================================================================
 * docket disclose verify FILE [--key KEYFILE]
 * =================================================================== */

static void on_problem(void *ctx, const char *msg)
{
	json_t *problems = ctx;
	if (problems)
		json_array_append_new(problems, json_string(msg));
	else
		printf("FAILED: %s\n", msg);
}

static json_t *check_json(const struct disclose_check *k, json_t *problems)
{
	return json_pack("{s:s, s:I, s:I, s:s, s:I, s:I, s:I, s:I, s:s, s:b, s:o}", "sha256",
			 k->sha256, "size", (json_int_t)k->size, "request",
			 (json_int_t)k->request_id, "ref", k->ref, "items", (json_int_t)k->items,
			 "sealed_items", (json_int_t)k->sealed_items, "log_index",
			 (json_int_t)k->entry_index, "tree_size", (json_int_t)k->tree_size,
			 "key", k->key_name, "key_given", k->key_given, "problems", problems);
}

static void print_check(const char *path, const struct disclose_check *k)
{
	printf("package: %s\nsha256:  %s (%llu bytes)\nrequest: %lld (%s)\n"
	       "items:   %llu, each matching its size and sha256 in the manifest "
	       "(%llu sealed)\n"
	       "log:     the manifest is the one entry %llu names; the entry is in the tree "
	       "of size %llu signed by %s\n",
	       path, k->sha256, (unsigned long long)k->size, (long long)k->request_id, k->ref,
	       (unsigned long long)k->items, (unsigned long long)k->sealed_items,
	       (unsigned long long)k->entry_index, (unsigned long long)k->tree_size,
	       k->key_name);
	if (k->key_given)
		printf("verified\n");
	else
		printf("verified against the key inside the package: this shows the package "
		       "is consistent,\nnot that docket signed it - pass --key with the "
		       "verifier key file from 'docket log key'\n");
}

/* The verifier key from a file (what `docket log key > FILE` wrote): its
 * first line; or, when no such file exists, the key itself as given. */
static int read_key_file(const char *path, char **out)
{
	FILE *fp = fopen(path, "r");
	char line[1024];
	struct note_verifier v;
	*out = NULL;
	if (!fp && errno == ENOENT && note_verifier_parse(path, &v) == 0) {
		/* no such file, but the key itself ('--key "$(docket log key)"') */
		*out = xstrdup(path);
		return 0;
	}
	if (!fp)
		return err_set(E_INVALID, "--key '%s': cannot read the verifier key file: %s",
			       path, strerror(errno));
	if (!fgets(line, sizeof(line), fp)) {
		fclose(fp);
		return err_set(E_INVALID, "--key '%s': the file is empty", path);
	}
	fclose(fp);
	line[strcspn(line, "\r\n")] = '\0';
	*out = xstrdup(line);
	return 0;
}

static int disclose_verify_cmd(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"key", required_argument, NULL, 'k'}, {0}};
	const char *key_file = NULL;
	char *vkey = NULL;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'k')
			return -E_USAGE;
		key_file = optarg;
	}
	if (argc - optind != 1)
		return err_set(E_USAGE, "usage: docket %s", disclose_cmds[1].usage);
	if (key_file) {
		int krc = read_key_file(key_file, &vkey);
		if (krc < 0)
			return krc;
	}
	const char *path = argv[optind];
	json_t *problems = cli->json ? json_array() : NULL;
	struct disclose_check_hooks hooks = {on_problem, problems};
	struct disclose_check k;
	int rc = disclose_verify(path, vkey, &hooks, &k);
	free(vkey);
	if (cli->json && (rc == 0 || err_from_rc(rc) == E_INVALID)) {
		int prc = cmd_print_json(check_json(&k, problems));
		return rc < 0 ? rc : prc;
	}
	json_decref(problems);
	if (rc == 0)
		print_check(path, &k);
	return rc;
}

int cmd_disclose(struct cli *cli, int argc, char **argv)
{
	int verify = argc >= 2 && strcmp(argv[1], "verify") == 0;
	const struct command *c = &disclose_cmds[verify];
	if (argc < 2) {
		fprintf(stderr, "usage: docket %s\n       docket %s\n", disclose_cmds[0].usage,
			disclose_cmds[1].usage);
		return -E_USAGE;
	}
	if (!verify && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		cmd_print_usage(&disclose_cmds[0]);
		printf("\n");
		cmd_print_usage(&disclose_cmds[1]);
		return 0;
	}
	if (cmd_wants_help(c, argc - verify, argv + verify))
		return 0;
	return verify ? disclose_verify_cmd(cli, argc - 1, argv + 1)
		      : disclose_run(cli, argc, argv);
}
