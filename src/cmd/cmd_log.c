/*
 * cmd_log.c - `docket log ...`: the tamper-evident log for auditors (SPEC
 * §6).  Prints the verifier key, signed checkpoints, entries' exact bytes
 * and RFC 9162 proofs (one base64 hash a line) in the forms Go's
 * golang.org/x/mod/sumdb/note and sumdb/tlog check, and verifies the whole
 * log.  Read-only: any role may run these.
 *
 * Proofs default to the size of the latest signed checkpoint, so what they
 * prove can be checked against a signature.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "app/journal.h"
#include "core/ledger/proof_check.h"
#include "cmd/cmd.h"

/* A subcommand's options: --size S and --key VKEY. */
struct log_opts {
	int have_size;
	uint64_t size;
	const char *key;
	const char *trusted; /* verify: a checkpoint file kept elsewhere */
};

static int parse_opts(int argc, char **argv, const char *usage, int allow_key,
		      struct log_opts *o, int *rest)
{
	static const struct option opts[] = {
	    {"size", required_argument, NULL, 's'},
	    {"key", required_argument, NULL, 'k'},
	    {"trusted", required_argument, NULL, 't'},
	    {0},
	};
	int c, rc;
	memset(o, 0, sizeof(*o));
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's' && !allow_key) {
			if ((rc = cmd_parse_u64(optarg, "--size", &o->size)) < 0)
				return rc;
			o->have_size = 1;
		} else if (c == 'k' && allow_key) {
			o->key = optarg;
		} else if (c == 't' && allow_key) {
			o->trusted = optarg;
		} else {
			return err_set(E_USAGE, "usage: docket %s", usage);
		}
	}
	*rest = optind;
	return 0;
}

static int print_proof(struct cli *cli, uint64_t a, uint64_t b, const char *what,
		       const struct merkle_proof *p)
{
	if (cli->json)
		return cmd_print_json(
		    app_journal_proof_json(strcmp(what, "inclusion") != 0, a, b, p));
	for (size_t i = 0; i < p->len; i++) {
		char *h = note_base64(p->hash[i], MERKLE_HASH_LEN);
		printf("%s\n", h);
		free(h);
	}
	return 0;
}

static int flush_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		return err_set(E_IO, "cannot write standard output");
	return 0;
}

/* ===================================================================
 * Subcommands
 * =================================================================== */

/* "--compartment" anywhere among the arguments: removed, and 1. */
static int take_compartment(int *argc, char **argv)
{
	for (int i = 1; i < *argc; i++)
		if (strcmp(argv[i], "--compartment") == 0) {
			for (int k = i; k + 1 < *argc; k++)
				argv[k] = argv[k + 1];
			(*argc)--;
			return 1;
		}
	return 0;
}

static int log_key(struct cli *cli, int argc, char **argv)
{
	char *vkey;
	int rc;
	(void)argv;
	if (argc != 1)
		return err_set(E_USAGE, "usage: docket log key");
	if ((rc = cli_open(cli, 0)) < 0 || (rc = app_journal_key(cli->s, NULL, &vkey)) < 0)
		return rc;
	if (cli->json)
		rc = cmd_print_json(json_pack("{s:s}", "key", vkey));
	else
		printf("%s\n", vkey);
	free(vkey);
	return rc;
}

static int log_checkpoint(struct cli *cli, int argc, char **argv)
{
	struct log_opts o;
	uint64_t size;
	char *note = NULL;
	int rest, rc, ns = take_compartment(&argc, argv);
	if ((rc = parse_opts(argc, argv, "log checkpoint [--size S] [--compartment]", 0, &o,
			     &rest)) < 0)
		return rc;
	if (rest != argc)
		return err_set(E_USAGE,
			       "usage: docket log checkpoint [--size S] [--compartment]");
	if ((rc = cli_open(cli, 0)) < 0)
		return rc;
	size = o.size;
	rc = ns ? app_journal_ns_checkpoint(cli->s, o.have_size, &size, &note)
		: app_journal_checkpoint(cli->s, o.have_size, &size, &note);
	if (rc < 0)
		return rc;
	if (cli->json)
		rc = cmd_print_json(
		    json_pack("{s:I, s:s}", "size", (json_int_t)size, "note", note));
	else
		fputs(note, stdout);
	free(note);
	return rc < 0 ? rc : flush_stdout();
}

static int log_entry(struct cli *cli, int argc, char **argv)
{
	struct buf entry;
	uint64_t index;
	int rc, ns = take_compartment(&argc, argv);
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket log entry N [--compartment]");
	if ((rc = cmd_parse_u64(argv[1], "N", &index)) < 0 || (rc = cli_open(cli, 0)) < 0)
		return rc;
	rc = ns ? app_journal_ns_entry(cli->s, index, &entry)
		: app_journal_entry(cli->s, index, &entry);
	if (rc < 0)
		return rc;
	if (cli->json) {
		json_t *ev = json_loadb(entry.ptr, entry.len, JSON_ALLOW_NUL, NULL);
		rc = cmd_print_json(
		    json_pack("{s:I, s:o?}", "index", (json_int_t)index, "entry", ev));
	} else {
		fwrite(entry.ptr, 1, entry.len, stdout);
		rc = flush_stdout();
	}
	buf_release(&entry);
	return rc;
}

typedef int (*prove_fn)(struct session *s, uint64_t from, uint64_t size,
			struct merkle_proof *out);

/* `log proof N` and `log consistency OLD`: one number, then --size. */
static int run_proof(struct cli *cli, int argc, char **argv, const char *usage,
		     const char *arg, const char *what, prove_fn prove)
{
	struct merkle_proof p;
	struct log_opts o;
	uint64_t from, size;
	int rest, rc;
	if ((rc = parse_opts(argc, argv, usage, 0, &o, &rest)) < 0)
		return rc;
	if (rest != argc - 1)
		return err_set(E_USAGE, "usage: docket %s", usage);
	size = o.size;
	if ((rc = cmd_parse_u64(argv[rest], arg, &from)) < 0 ||
	    (rc = cli_open(cli, 0)) < 0 ||
	    (rc = app_journal_proof_size(cli->s, o.have_size, &size)) < 0 ||
	    (rc = prove(cli->s, from, size, &p)) < 0)
		return rc;
	return print_proof(cli, from, size, what, &p);
}

static int log_proof(struct cli *cli, int argc, char **argv)
{
	return run_proof(cli, argc, argv, "log proof N [--size S]", "N", "inclusion",
			 app_journal_inclusion);
}

static int log_consistency(struct cli *cli, int argc, char **argv)
{
	return run_proof(cli, argc, argv, "log consistency OLD [--size NEW]", "OLD",
			 "consistency", app_journal_consistency);
}

/* --- verify ---------------------------------------------------------------- */

static const char *const problem_names[] = {
    [JOURNAL_BAD_ENTRY] = "entry",	     [JOURNAL_BAD_HASH] = "hash",
    [JOURNAL_BAD_CHECKPOINT] = "checkpoint", [JOURNAL_INCONSISTENT] = "consistency",
    [JOURNAL_BAD_RECORD] = "record", [JOURNAL_BAD_WITNESS] = "witness",
};

/* Each finding as a line, or (--json) into the report's findings. */
static void on_finding(void *ctx, const struct journal_finding *f)
{
	if (ctx)
		app_journal_finding_json(ctx, f);
	else
		printf("bad %s: %s\n", problem_names[f->problem], f->message);
}

static void print_report(const struct journal_report *r, const struct audit_report *a,
			 const struct app_verify *v)
{
	printf(
	    "log: %llu entries, %llu stored hashes, %llu signed checkpoints (latest at "
	    "size %llu)\n",
	    (unsigned long long)r->entries, (unsigned long long)r->hashes,
	    (unsigned long long)r->checkpoints, (unsigned long long)r->signed_size);
	printf("records: %llu requests, %llu history rows and %llu log entries "
	       "cross-checked\n",
	       (unsigned long long)a->requests, (unsigned long long)a->history,
	       (unsigned long long)a->entries);
	printf("tables: %llu rows of %llu tables replayed from %llu log entries\n",
	       (unsigned long long)v->tables.rows, (unsigned long long)v->tables.tables,
	       (unsigned long long)v->tables.entries);
	printf("witnesses: %llu cosignatures checked\n", (unsigned long long)v->wchecked);
	if (v->cleared)
		printf("national-security compartment: %llu entries, %llu signed checkpoints "
		       "verified with its own key; %llu commitments in the main log\n",
		       (unsigned long long)v->ns_log.entries,
		       (unsigned long long)v->ns_log.checkpoints,
		       (unsigned long long)v->ns_commits);
	else
		printf("national-security compartment: verified with its own key; %llu "
		       "commitments in the main log (its size is shown only to users "
		       "cleared for it)\n",
		       (unsigned long long)v->ns_commits);
	if (r->problems == 0 && a->problems == 0 && v->tables.problems == 0 &&
	    v->wproblems == 0 && v->nsrc == 0)
		printf("verified: every entry, hash, signature and checkpoint is "
		       "consistent, every request's history and state is in the log, "
		       "and every table matches the log's replay\n");
	if (v->tables.admins < 2)
		printf("warning: a single admin: separation of duties is not in force "
		       "(grants took effect without a second admin)\n");
}

static int log_verify(struct cli *cli, int argc, char **argv)
{
	struct app_verify out;
	struct log_opts o;
	struct progress pr;
	struct app_progress hook = cli_progress(cli, &pr);
	int rest, rc;
	struct trusted_report tr = {0};
	struct buf cp = {0};
	int trc = 0;
	if ((rc = parse_opts(argc, argv, "log verify [--key VKEY] [--trusted FILE]", 1, &o,
			     &rest)) < 0)
		return rc;
	if (rest != argc)
		return err_set(E_USAGE, "usage: docket log verify [--key VKEY] [--trusted FILE]");
	if (o.trusted && (rc = cmd_read_file(o.trusted, 64 * 1024, &cp)) < 0)
		return rc;
	if ((rc = cli_open(cli, 0)) < 0) {
		buf_release(&cp);
		return rc;
	}
	json_t *findings = cli->json ? json_array() : NULL;
	struct journal_hooks hooks = {on_finding, NULL, findings};
	if ((rc = app_journal_verify(cli->s, o.key, &hooks, &hook, &out)) < 0) {
		json_decref(findings);
		buf_release(&cp);
		return rc;
	}
	char why[512] = "";
	if (o.trusted) {
		str_copy(why, sizeof(why), err_msg());
		trc = app_journal_trusted(cli->s, o.key, cp.ptr, cp.len, &hooks, &tr);
		buf_release(&cp);
		if (trc < 0 && trc != -E_INVALID) {
			json_decref(findings);
			return trc;
		}
		if (trc < 0 && !findings)
			printf("bad consistency: %s\n", err_msg());
		if (trc < 0 && (out.jrc < 0 || out.arc < 0)) {
			char more[512];
			str_copy(more, sizeof(more), err_msg());
			err_set(E_INVALID, "%s; %s", why, more);
		} else if (trc == 0 && (out.jrc < 0 || out.arc < 0)) {
			err_set(E_INVALID, "%s", why);
		}
	}
	if (cli->json) {
		json_t *j = app_journal_verify_json(&out, findings);
		if (o.trusted)
			json_object_set_new(j, "trusted",
					    json_pack("{s:b, s:I}", "ok", trc == 0, "size",
						      (json_int_t)tr.size));
		if (out.nsrc < 0 || trc < 0)
			json_object_set_new(j, "ok", json_false());
		rc = cmd_print_json(j);
	} else {
		print_report(&out.log, &out.records, &out);
		if (o.trusted && trc == 0)
			printf("trusted: the log extends the trusted checkpoint at size %llu\n",
			       (unsigned long long)tr.size);
	}
	if (out.jrc < 0 || out.arc < 0 || trc < 0)
		return -E_INVALID;
	if (out.wproblems)
		return err_set(E_INVALID, "the witnesses do not verify: %llu problems",
			       (unsigned long long)out.wproblems);
	return rc;
}

/* --- a customer's proof, checked offline ------------------------------------- */

static int log_check_proof(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "log check-proof FILE --key VKEYFILE";
	static const struct option opts[] = {{"key", required_argument, NULL, 'k'}, {0}};
	const char *key_file = NULL;
	struct buf proof, key;
	struct proof_checked pc;
	int c, rc;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'k')
			return err_set(E_USAGE, "usage: docket %s", usage);
		key_file = optarg;
	}
	if (argc - optind != 1 || !key_file)
		return err_set(E_USAGE, "usage: docket %s", usage);
	if ((rc = cmd_read_file(argv[optind], 1 << 20, &proof)) < 0)
		return rc;
	if ((rc = cmd_read_file(key_file, 4096, &key)) < 0) {
		buf_release(&proof);
		return rc;
	}
	while (key.len && (key.ptr[key.len - 1] == '\n' || key.ptr[key.len - 1] == '\r'))
		key.ptr[--key.len] = '\0';
	rc = proof_check(proof.ptr, proof.len, key.ptr, &pc);
	buf_release(&proof);
	buf_release(&key);
	if (rc < 0)
		return rc;
	if (cli->json)
		return cmd_print_json(json_pack("{s:b, s:I, s:I, s:s}", "ok", 1, "index",
						(json_int_t)pc.index, "tree_size",
						(json_int_t)pc.size, "origin", pc.origin));
	printf("ok: entry %llu is in the log %s of %llu entries, as its signed checkpoint says\n",
	       (unsigned long long)pc.index, pc.origin, (unsigned long long)pc.size);
	return 0;
}

static const struct command log_cmds[] = {
    {"key", log_key, "log key", "print the verifier key of the log's checkpoints",
     "Prints <name>+<key id>+<base64 key>, the signed-note verifier key that\n"
     "golang.org/x/mod/sumdb/note (and 'docket log verify --key') accept."},
    {"checkpoint", log_checkpoint, "log checkpoint [--size S] [--compartment]",
     "print the latest signed checkpoint exactly (or the one at size S)",
     "--compartment: the national-security compartment's (role cleared)."},
    {"entry", log_entry, "log entry N [--compartment]", "print entry N's exact bytes",
     "Entries are numbered from 0.  The bytes are those the leaf hash covers:\n"
     "SHA-256(0x00 || entry).  No newline is added.  --compartment reads the\n"
     "national-security compartment instead (users with the role cleared)."},
    {"proof", log_proof, "log proof N [--size S]",
     "inclusion proof of entry N: one base64 hash a line",
     "The proof is for the tree of the latest signed checkpoint unless --size\n"
     "is given (RFC 9162 section 2.1.3)."},
    {"consistency", log_consistency, "log consistency OLD [--size NEW]",
     "consistency proof from size OLD: one base64 hash a line",
     "NEW defaults to the size of the latest signed checkpoint (RFC 9162\n"
     "section 2.1.4)."},
    {"check-proof", log_check_proof, "log check-proof FILE --key VKEYFILE",
     "check a customer portal's inclusion proof, without the database",
     "FILE is the proof the customer portal hands out (GET\n"
     "/api/v1/my/requests/ID/proof, or the request's JSON with its \"proof\"):\n"
     "the entry, the tree size, the proof's hashes and the signed checkpoint.\n"
     "Checks the checkpoint's signature with the key in VKEYFILE (what 'log\n"
     "key' prints), its size, and that the entry's leaf hash and the hashes\n"
     "lead to its root (RFC 9162 section 2.1.3).  Exit status 3 when not."},
    {"verify", log_verify, "log verify [--key VKEY] [--trusted FILE]",
     "recompute and check the whole log; non-zero exit on any mismatch",
     "Recomputes every entry's leaf hash and every stored tree node, checks\n"
     "that every entry is canonical JSON and none is missing, checks every\n"
     "stored checkpoint's signature, size and root and its consistency with\n"
     "the one before, and that the newest covers every entry.  Then checks\n"
     "the records against the log: every request's history rows, state,\n"
     "outcome and document must be what its log entries say, every request\n"
     "entry must have its history row.  Then replays the log and compares\n"
     "every table that holds a fact (users and roles, settings, customers,\n"
     "requests, notices, NDOs, holds, disclosures, vault items, ...) with\n"
     "the replay: a row added, changed or deleted outside docket is named\n"
     "with its table and key.  Warns when a single admin means separation\n"
     "of duties is not in force.  Each problem is printed with\n"
     "the entry, checkpoint or request it concerns; the exit status is 3 when\n"
     "anything is wrong.  --key checks the signatures against a verifier key\n"
     "obtained independently (default: the database's own).  --trusted FILE\n"
     "also checks the log against a checkpoint recorded elsewhere (the output\n"
     "of 'docket log checkpoint' kept off the host): the log must hold its\n"
     "entries unchanged, so a rollback or a rewrite that is consistent with\n"
     "itself is found."},
    {0},
};

int cmd_log(struct cli *cli, int argc, char **argv)
{
	return cmd_dispatch(cli, "log", log_cmds, argc, argv);
}
