/*
 * cmd_letter.c - `docket letter draft|send|list`: letters to the agency
 * (app/letter.h), the same operations as the request page's letters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"
#include "app/letter.h"
#include "cmd/cmd.h"

static int parse_id(const char *s, int64_t *id)
{
	char *end;
	long long n = strtoll(s, &end, 10);
	if (!*s || *end || n <= 0)
		return err_set(E_USAGE, "'%s' is not a request id", s);
	*id = n;
	return 0;
}

static int letter_draft(struct cli *cli, int argc, char **argv)
{
	int64_t id;
	char *text = NULL;
	int rc;
	if (argc != 3)
		return err_set(E_USAGE, "usage: docket letter draft ID KIND");
	if ((rc = parse_id(argv[1], &id)) < 0 || (rc = cli_open(cli, 0)) < 0 ||
	    (rc = app_letter_draft(cli->s, id, argv[2], &text)) < 0)
		return rc;
	fputs(text, stdout);
	free(text);
	return 0;
}

static int letter_send(struct cli *cli, int argc, char **argv)
{
	int64_t id, lid;
	struct buf b;
	int rc;
	if (argc != 6 || strcmp(argv[3], "--to") != 0)
		return err_set(E_USAGE, "usage: docket letter send ID KIND --to ADDRESS FILE|-");
	if ((rc = parse_id(argv[1], &id)) < 0 || (rc = cli_open(cli, 0)) < 0)
		return rc;
	if ((rc = cmd_read_file(argv[5], LETTER_TEXT_MAX, &b)) < 0)
		return rc;
	if ((rc = app_letter_send(cli->s, id, argv[2], argv[4], b.ptr, &lid)) == 0)
		printf("%lld\n", (long long)lid);
	buf_release(&b);
	return rc;
}

static int letter_list(struct cli *cli, int argc, char **argv)
{
	int64_t id;
	json_t *a;
	int rc;
	if (argc != 2)
		return err_set(E_USAGE, "usage: docket letter list ID");
	if ((rc = parse_id(argv[1], &id)) < 0 || (rc = cli_open(cli, 0)) < 0 ||
	    (rc = app_letter_list_json(cli->s, id, &a)) < 0)
		return rc;
	if (cli->json)
		return cmd_print_json(a);
	size_t i;
	json_t *l;
	json_array_foreach(a, i, l)
		printf("%lld %s %s to %s %s sha256 %s\n",
		       (long long)json_integer_value(json_object_get(l, "id")),
		       json_string_value(json_object_get(l, "kind")),
		       json_string_value(json_object_get(l, "state")),
		       json_string_value(json_object_get(l, "to")),
		       json_string_value(json_object_get(l, "written_at")),
		       json_string_value(json_object_get(l, "sha256")));
	json_decref(a);
	return 0;
}

static const struct command letter_cmds[] = {
	{"draft", letter_draft, "letter draft ID KIND",
	 "print the draft of a letter to the agency, filled from the request",
	 "KIND: acknowledgement, rejection, redirect, narrowing, production.  The draft\n"
	 "comes from the editable template templates/letters/KIND.txt; edit it, then\n"
	 "send it with 'letter send'."},
	{"send", letter_send, "letter send ID KIND --to ADDRESS FILE|-",
	 "send a reviewed letter (intake or reviewer); prints its id",
	 "The text begins with 'Subject: ...' and a blank line.  It is stored and\n"
	 "logged by its SHA-256, then mailed like the notices (SMTP, or the outbox)."},
	{"list", letter_list, "letter list ID", "the letters of a request", NULL},
	{NULL, NULL, NULL, NULL, NULL},
};

int cmd_letter(struct cli *cli, int argc, char **argv)
{
	return cmd_dispatch(cli, "letter", letter_cmds, argc, argv);
}
