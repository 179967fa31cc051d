/*
 * cmd_witness.c - `docket witness add|remove|list|offer`: the witnesses that
 * cosign the log's checkpoints (SPEC §6, core/ledger/witness.h, docs/log.md).
 * Adding one is an admin's unit of work, logged as "witness.add", and so is
 * removing one ("witness.remove"); any role
 * may list them; `offer` (admin) offers the latest checkpoint now, as the
 * scheduler pass (`tick`, and `serve` every minute) does.
 */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "cmd/cmd.h"
#include "app/witness.h"

static int witness_add_cmd(struct cli *cli, int argc, char **argv)
{
	if (argc != 4)
		return err_set(E_USAGE, "usage: docket witness add NAME URL VKEY");
	int rc;
	if ((rc = cli_open(cli, 0)) < 0 ||
	    (rc = app_witness_add(cli->s, argv[1], argv[2], argv[3])) < 0)
		return rc;
	if (cli->json)
		return cmd_print_json(json_pack("{s:s, s:s}", "name", argv[1], "url", argv[2]));
	printf("witness %s added; the next checkpoint offer goes to %s\n", argv[1], argv[2]);
	return 0;
}

static int witness_remove_cmd(struct cli *cli, int argc, char **argv)
{
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket witness remove NAME");
	int rc;
	if ((rc = cli_open(cli, 0)) < 0 || (rc = app_witness_remove(cli->s, argv[1])) < 0)
		return rc;
	if (cli->json) {
		json_t *j = app_witness_one_json(cli->s, argv[1]);
		return j ? cmd_print_json(j) : -E_STORAGE;
	}
	printf("witness %s removed: no checkpoint is offered to it any more and its "
	       "cosignatures are no longer served; those it made stay stored and "
	       "'log verify' still checks them\n",
	       argv[1]);
	return 0;
}

static int list_one(void *ctx, const struct witness_row *w)
{
	json_t *arr = ctx;
	char at[TS_BUFSZ] = "";
	if (arr) {
		json_array_append_new(arr, app_witness_json(w));
		return 0;
	}
	if (w->status_at)
		time_format(w->status_at, at);
	printf("%s  %s\n  key %s\n  cosigned size %llu; %s%s%s%s\n", w->name, w->url,
	       w->vkey, (unsigned long long)w->cosigned, w->problem ? "PROBLEM: " : "",
	       w->status, w->status_at ? " at " : "", at);
	if (w->removed_at) {
		time_format(w->removed_at, at);
		printf("  removed at %s: no longer offered checkpoints; its cosignatures "
		       "are kept and checked\n",
		       at);
	}
	return 0;
}

static int witness_list_cmd(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return err_set(E_USAGE, "usage: docket witness list");
	int rc;
	if ((rc = cli_open(cli, 0)) < 0)
		return rc;
	json_t *arr = cli->json ? json_array() : NULL;
	if ((rc = app_witness_list(cli->s, list_one, arr)) < 0) {
		json_decref(arr);
		return rc;
	}
	if (arr)
		return cmd_print_json(json_pack("{s:o}", "witnesses", arr));
	return 0;
}

static int witness_offer_cmd(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	struct witness_stats s;
	int rc;
	if (argc != 1)
		return err_set(E_USAGE, "usage: docket witness offer");
	if ((rc = cli_open(cli, 0)) < 0 || (rc = app_witness_offer(cli->s, &s)) < 0)
		return rc;
	if (cli->json)
		return cmd_print_json(app_witness_stats_json(&s));
	printf("checkpoint offered to %d witness%s: %d cosigned, %d failed\n", s.offered,
	       s.offered == 1 ? "" : "es", s.cosigned, s.failed);
	return 0;
}

static const struct command witness_cmds[] = {
    {"add", witness_add_cmd, "witness add NAME URL VKEY",
     "register a witness that cosigns the log's checkpoints (admin)",
     "NAME is the witness's key name, URL the prefix its add-checkpoint is\n"
     "posted under (c2sp.org/tlog-witness), VKEY its verifier key with\n"
     "signature type 0x04 (c2sp.org/tlog-cosignature): NAME+<key id>+<base64>.\n"
     "Every new checkpoint is then offered to it by the scheduler pass."},
    {"remove", witness_remove_cmd, "witness remove NAME",
     "take a witness out of service (admin)",
     "Checkpoints are no longer offered to the witness and its cosignatures\n"
     "are no longer served with them.  The cosignatures it made while it was\n"
     "trusted stay stored, and 'log verify' keeps checking them with its key:\n"
     "they are statements it made then, which removing it does not unmake\n"
     "(a fork it reported stays reported).  The same witness may be added\n"
     "again with the same key; a new key needs a new name.  Logged as\n"
     "\"witness.remove\".  Exit 4 when no witness has that name, 5 when it\n"
     "was removed already."},
    {"list", witness_list_cmd, "witness list",
     "the witnesses, the size each last cosigned and how its last offer went; "
     "removed ones say so", NULL},
    {"offer", witness_offer_cmd, "witness offer",
     "offer the latest checkpoint to every witness now (admin)",
     "The scheduler pass ('tick', and 'serve' every minute) does this too.\n"
     "Each witness gets the consistency proof from the size it last cosigned;\n"
     "a witness that answers 409 is offered again from the size it names.\n"
     "Each exchange is limited to 10 seconds."},
    {0},
};

int cmd_witness(struct cli *cli, int argc, char **argv)
{
	return cmd_dispatch(cli, "witness", witness_cmds, argc, argv);
}
