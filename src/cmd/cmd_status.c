/*
 * cmd_status.c - `docket status`: what the database holds at a glance -
 * requests per state, customers, accounts, the log's size and its latest
 * signed checkpoint.  Any role may run it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "base/err.h"
#include "app/admin.h"
#include "cmd/cmd.h"

static const struct command status_cmd = {
	"status", cmd_status, "status", "requests per state, customers, the log's size",
	NULL};

int cmd_status(struct cli *cli, int argc, char **argv)
{
	struct app_status st;
	int rc;
	if (cmd_wants_help(&status_cmd, argc, argv))
		return 0;
	if (argc != 1)
		return err_set(E_USAGE, "usage: docket status");
	if ((rc = cli_open(cli, 0)) < 0 || (rc = app_status(cli->s, &st)) < 0)
		return rc;
	json_t *states = json_object();
	for (int s = 0; s < state__COUNT; s++)
		if (st.by_state[s])
			json_object_set_new(states, state_str(s), json_integer(st.by_state[s]));
	if (cli->json)
		return cmd_print_json(json_pack(
		    "{s:I, s:o, s:I, s:I, s:I, s:I, s:I, s:b}", "requests",
		    (json_int_t)st.requests, "by_state", states, "customers",
		    (json_int_t)st.customers, "accounts", (json_int_t)st.accounts, "log_size",
		    (json_int_t)st.log_size, "checkpoint_size", (json_int_t)st.checkpoint_size,
		    "admins", (json_int_t)st.admins, "separation_of_duties", st.admins >= 2));
	printf("requests:   %lld\n", (long long)st.requests);
	const char *k;
	json_t *v;
	json_object_foreach(states, k, v)
		printf("  %-12s %lld\n", k, (long long)json_integer_value(v));
	printf("customers:  %lld (%lld accounts)\n", (long long)st.customers,
	       (long long)st.accounts);
	printf("log:        %llu entries, latest signed checkpoint at size %llu\n",
	       (unsigned long long)st.log_size, (unsigned long long)st.checkpoint_size);
	printf("admins:     %lld\n", (long long)st.admins);
	if (st.admins < 2)
		printf("warning: a single admin: separation of duties is not in force "
		       "(grants take effect without a second admin)\n");
	json_decref(states);
	return 0;
}
