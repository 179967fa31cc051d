/*
 * notice_cmds.h - what `request show` and `ndo` print about a request's
 * notices and NDOs (cmd_notice.c).
 */
#ifndef DOCKET_NOTICE_CMDS_H
#define DOCKET_NOTICE_CMDS_H

#include <stdint.h>

#include "cmd/cmd.h"

/* The "Notices:" and "NDOs:" lines of `request show`. */
int notice_print_for_request(struct cli *cli, int64_t request_id);

#endif
