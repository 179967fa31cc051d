/*
 * cmd_vault.c - `docket vault import FILE.jsonl` (admin): customer data into
 * the vault, docket's built-in data source (SPEC §8, core/disclose/vault.h).
 *
 * app_vault_import (app/import.h) parses every line and resolves its
 * account before anything is stored, so one bad line leaves the database
 * unchanged (exit 3, FILE:LINE: field); the file is then stored in one unit
 * of work - items of customers who hold their keys sealed to those keys -
 * with one log entry that names the file's SHA-256 and the counts, never
 * the content.  The same file is not imported twice.
 *
 * There is deliberately no command that shows, lists or exports vault
 * content: content leaves only through `docket disclose` (I1,
 * docs/disclosure.md).
 */
#include <stdio.h>
#include <stdlib.h>

#include "base/err.h"
#include "base/util.h"
#include "app/import.h"
#include "cmd/cmd.h"

static int vault_import(struct cli *cli, int argc, char **argv)
{
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket vault import FILE.jsonl");
	struct buf text;
	struct progress pr;
	struct app_progress hook = cli_progress(cli, &pr);
	struct vault_import_stats st;
	char digest[DIGEST_TAG_LEN];
	int rc;
	if ((rc = cli_open(cli, ROLE_BIT(ROLE_ADMIN))) < 0 ||
	    (rc = cmd_read_file(argv[1], APP_IMPORT_MAX_FILE, &text)) < 0)
		return rc;
	rc = app_vault_import(cli->s, argv[1], text.ptr, text.len, &hook, &st, digest);
	buf_release(&text);
	if (rc < 0)
		return rc;
	if (cli->json)
		return cmd_print_json(app_vault_import_json(digest, &st));
	printf("imported %llu vault item%s (%llu sealed to their customer's key)\n",
	       (unsigned long long)st.items, st.items == 1 ? "" : "s",
	       (unsigned long long)st.sealed);
	return 0;
}

static const struct command vault_cmds[] = {
	{"import", vault_import, "vault import FILE.jsonl",
	 "load customer data into the vault (admin)",
	 "One item per line: {\"account\": {\"type\", \"value\"}, \"category\":\n"
	 "subscriber|noncontent|content, \"kind\" (e.g. email_message, signin_log,\n"
	 "file), \"created_at\", \"location\" (country code), and either \"data\" (text)\n"
	 "or \"data_base64\" (any bytes), in a line of at most 1 MiB.  The account must belong to an\n"
	 "imported customer.  Items of customers who hold their keys (key_custody\n"
	 "\"customer\") are sealed to the customer's public key when stored: docket\n"
	 "keeps only ciphertext it cannot open.  Every line is checked first; one bad\n"
	 "line stores nothing.  The log records the file's SHA-256 and the counts,\n"
	 "never the content; the same file is not imported twice.\n"
	 "There is no command that shows vault content: it leaves docket only in a\n"
	 "disclosure package ('docket disclose')."},
	{0},
};

int cmd_vault(struct cli *cli, int argc, char **argv)
{
	return cmd_dispatch(cli, "vault", vault_cmds, argc, argv);
}
