#include <stdio.h>

#include "core/event.h"

#include "base/clock.h"
#include "base/err.h"
#include "core/journal.h"

int event_log(struct store *st, const struct actor *who, const char *type,
	      json_t *fields, uint64_t *index)
{
	char at[TS_BUFSZ];
	json_t *ev = fields ? fields : json_object();
	if (!json_is_object(ev)) {
		json_decref(ev);
		return err_set(E_INTERNAL, "log event '%s' is not an object", type);
	}
	time_format(who->now, at);
	json_object_set_new(ev, "type", json_string(type));
	json_object_set_new(ev, "at", json_string(at));
	json_object_set_new(ev, "actor", json_string(who->name ? who->name : ""));
	uint64_t idx = 0;
	int rc = journal_append(st, ev, &idx);
	json_decref(ev);
	if (rc == 0 && index)
		*index = idx;
	return rc;
}

int event_transition(struct store *st, const struct actor *who, int64_t request_id,
		     const char *event, int from_state, int to_state,
		     const char *reason, json_t *extra, uint64_t *index)
{
	char type[96];
	json_t *ev = extra ? extra : json_object();
	json_object_set_new(ev, "request", json_integer(request_id));
	if (from_state >= 0)
		json_object_set_new(ev, "from", json_string(state_str(from_state)));
	json_object_set_new(ev, "to", json_string(state_str(to_state)));
	if (reason)
		json_object_set_new(ev, "reason", json_string(reason));
	snprintf(type, sizeof(type), "request.%s", event);
	uint64_t idx;
	int rc = event_log(st, who, type, ev, &idx);
	if (rc < 0)
		return rc;
	struct history_entry h = {
		.at = who->now,
		.actor = who->name,
		.event = event,
		.from_state = from_state,
		.to_state = to_state,
		.reason = reason,
		.log_index = idx,
	};
	rc = store_history_add(st, request_id, &h);
	if (rc == 0 && index)
		*index = idx;
	return rc;
}
