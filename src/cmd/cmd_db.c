/*
 * cmd_db.c - `docket db copy SRC DST`: a whole database into a new one,
 * between engines (app/dbcopy.h, docs/operator.md).
 */
#include <stdio.h>
#include <string.h>

#include "app/dbcopy.h"
#include "base/err.h"
#include "base/util.h"
#include "cmd/cmd.h"

static int db_copy(struct cli *cli, int argc, char **argv);

static const struct command db_cmds[] = {
	{"copy", db_copy, "db copy SRC DST",
	 "copy a whole database into a new one, between SQLite and PostgreSQL",
	 "SRC and DST are database names as for --db: a file is SQLite, a\n"
	 "postgres:// or postgresql:// URI is PostgreSQL.  DST must not hold a\n"
	 "docket database yet.  Every table is copied in one transaction from one\n"
	 "snapshot of SRC, with progress; then the log is verified on both sides\n"
	 "and the latest signed checkpoints must be the same before it reports\n"
	 "success.  The key files are copied to where DST keeps them (DOCKET_KEYS,\n"
	 "or beside an SQLite file).  On failure DST is removed.  Stop the\n"
	 "servers writing to SRC first: changes made after the snapshot are not\n"
	 "copied."},
	{0},
};

static int db_copy(struct cli *cli, int argc, char **argv)
{
	if (argc != 3)
		return err_set(E_USAGE, "usage: docket db copy SRC DST");
	struct progress p = {0};
	struct app_progress hook = cli_progress(cli, &p);
	struct app_db_copy_result r;
	int rc = app_db_copy(argv[1], argv[2], &hook, &r);
	if (rc < 0)
		return rc;
	if (cli->json)
		return cmd_print_json(json_pack("{s:I, s:I, s:I, s:i}", "rows", (json_int_t)r.rows,
						"log_size", (json_int_t)r.size, "checkpoint",
						(json_int_t)r.signed_size, "keys_copied",
						r.keys_copied));
	printf("copied %lld rows; the log verifies on both sides: %llu entries, the same "
	       "signed checkpoint at size %llu; %d key file%s copied\n",
	       (long long)r.rows, (unsigned long long)r.size,
	       (unsigned long long)r.signed_size, r.keys_copied, r.keys_copied == 1 ? "" : "s");
	return 0;
}

int cmd_db(struct cli *cli, int argc, char **argv)
{
	return cmd_dispatch(cli, "db", db_cmds, argc, argv);
}
