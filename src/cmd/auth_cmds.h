/*
 * auth_cmds.h - the sign-in commands (cmd_auth.c): `user passwd`, `user
 * mfa` join the user group; `token` is a group of its own.  `serve` is the
 * server's (src/http/cmd_serve.c, wired in main.c).
 */
#ifndef DOCKET_AUTH_CMDS_H
#define DOCKET_AUTH_CMDS_H

#include "cmd/cmd.h"

extern const struct command user_auth_cmds[];
int cmd_token(struct cli *cli, int argc, char **argv);

#endif
