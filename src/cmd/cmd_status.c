/*
 * cmd_status.c - `docket status`: what the database holds at a glance -
 * requests per state, customers, accounts, the log's size and its latest
 * signed checkpoint.  Any role may run it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "base/err.h"
#include "cmd/cmd.h"
#include "core/staff.h"

static const struct command status_cmd = {
	"status", cmd_status, "status", "requests per state, customers, the log's size",
	NULL};

int cmd_status(struct app *app, int argc, char **argv)
{
	int64_t counts[state__COUNT], customers, accounts, total = 0;
	uint64_t log_size, cp_size = 0;
	int64_t admins;
	char *note = NULL;
	int rc;
	if (cmd_wants_help(&status_cmd, argc, argv))
		return 0;
	if (argc != 1)
		return err_set(E_USAGE, "usage: docket status");
	if ((rc = app_open(app, 0)) < 0 ||
	    (rc = store_request_count_by_state(app->st, counts)) < 0 ||
	    (rc = store_customer_count(app->st, &customers)) < 0 ||
	    (rc = store_account_count(app->st, &accounts)) < 0 ||
	    (rc = store_log_size(app->st, &log_size)) < 0 ||
	    (rc = staff_admins(app->st, &admins)) < 0)
		return rc;
	rc = store_checkpoint_latest(app->st, &cp_size, &note);
	if (rc < 0 && rc != -E_NOTFOUND)
		return rc;
	json_t *states = json_object();
	for (int s = 0; s < state__COUNT; s++) {
		total += counts[s];
		if (counts[s])
			json_object_set_new(states, state_str(s), json_integer(counts[s]));
	}
	if (app->json) {
		json_t *o = json_pack("{s:I, s:o, s:I, s:I, s:I, s:I, s:I, s:b}", "requests",
				      (json_int_t)total, "by_state", states, "customers",
				      (json_int_t)customers, "accounts", (json_int_t)accounts,
				      "log_size", (json_int_t)log_size, "checkpoint_size",
				      (json_int_t)cp_size, "admins", (json_int_t)admins,
				      "separation_of_duties", admins >= 2);
		free(note);
		return cmd_print_json(o);
	}
	printf("requests:   %lld\n", (long long)total);
	const char *k;
	json_t *v;
	json_object_foreach(states, k, v)
		printf("  %-12s %lld\n", k, (long long)json_integer_value(v));
	printf("customers:  %lld (%lld accounts)\n", (long long)customers, (long long)accounts);
	printf("log:        %llu entries, latest signed checkpoint at size %llu\n",
	       (unsigned long long)log_size, (unsigned long long)cp_size);
	printf("admins:     %lld\n", (long long)admins);
	if (admins < 2)
		printf("warning: a single admin: separation of duties is not in force "
		       "(grants take effect without a second admin)\n");
	json_decref(states);
	free(note);
	return 0;
}
