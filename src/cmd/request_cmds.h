/*
 * request_cmds.h - the subcommands of `docket request`, which live in
 * several files (intake and views, import, workflow) but share one table
 * in cmd_request.c.
 */
#ifndef DOCKET_REQUEST_CMDS_H
#define DOCKET_REQUEST_CMDS_H

#include "cmd/cmd.h"

int request_add(struct cli *cli, int argc, char **argv);
int request_import(struct cli *cli, int argc, char **argv);
int request_explain(struct cli *cli, int argc, char **argv);

/* decide, approve, verify, challenge, ... (cmd_review.c), ending with {0}. */
extern const struct command review_cmds[];

/* Print request id (text, or JSON with --json). */
int request_print(struct cli *cli, int64_t id);

#endif
