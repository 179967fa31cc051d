#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/ledger/event.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "core/ledger/journal.h"

static void event_stamp(json_t *ev, const struct actor *who, const char *type)
{
	char at[TS_BUFSZ];
	time_format(who->now, at);
	json_object_set_new(ev, "type", json_string(type));
	json_object_set_new(ev, "at", json_string(at));
	json_object_set_new(ev, "actor", json_string(who->name ? who->name : ""));
}

int event_log(struct store *st, const struct actor *who, const char *type,
	      json_t *fields, uint64_t *index)
{
	json_t *ev = fields ? fields : json_object();
	if (!json_is_object(ev)) {
		json_decref(ev);
		return err_set(E_INTERNAL, "log event '%s' is not an object", type);
	}
	event_stamp(ev, who, type);
	uint64_t idx = 0;
	int rc = journal_append(st, ev, &idx);
	json_decref(ev);
	if (rc == 0 && index)
		*index = idx;
	return rc;
}

/* Canonical length of v (compact, sorted keys), 0 when it cannot be
 * written. */
static size_t canonical_len(const json_t *v)
{
	size_t n = json_dumpb(v, NULL, 0, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	return n;
}

/* The bytes of an entry of this record around its items: the fields, the
 * stamp, an empty list, and "count", "part" and "parts" at their widest. */
static size_t envelope_len(const json_t *fields, const struct actor *who,
			   const char *type, const char *list)
{
	json_t *ev = json_deep_copy(fields);
	event_stamp(ev, who, type);
	json_object_set_new(ev, list, json_array());
	json_object_set_new(ev, "count", json_integer(INT64_MAX));
	json_object_set_new(ev, "part", json_integer(INT64_MAX));
	json_object_set_new(ev, "parts", json_integer(INT64_MAX));
	size_t n = canonical_len(ev);
	json_decref(ev);
	return n;
}

/* Where each entry starts: starts[k] is the first item of entry k; returns
 * the number of entries, or 0 with an error set when an item cannot fit. */
static size_t plan_entries(const json_t *items, size_t budget, const char *type,
			   size_t *starts)
{
	size_t n = json_array_size(items), parts = 0, used = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = canonical_len(json_array_get(items, i));
		if (len == 0 || len + 1 > budget) {
			err_set(E_INVALID,
				"log event '%s': item %zu is too large for one entry",
				type, i + 1);
			return 0;
		}
		if (parts == 0 || used + len + 1 > budget) {
			starts[parts++] = i;
			used = 0;
		}
		used += len + 1; /* the item and its comma */
	}
	if (parts == 0)
		starts[parts++] = 0; /* an empty list is still one entry */
	return parts;
}

int event_log_list(struct store *st, const struct actor *who, const char *type,
		   json_t *fields, const char *list, json_t *items,
		   uint64_t *item_index, uint64_t *first)
{
	json_t *base = fields ? fields : json_object();
	size_t n = json_array_size(items), parts, *starts = NULL;
	int rc = 0;
	if (!json_is_object(base) || !json_is_array(items)) {
		rc = err_set(E_INTERNAL, "log event '%s' is not an object with a list",
			     type);
		goto out;
	}
	size_t env = envelope_len(base, who, type, list);
	if (env == 0 || env >= JOURNAL_MAX_ENTRY) {
		rc = err_set(E_INVALID, "log event '%s' has no room for its %s", type,
			     list);
		goto out;
	}
	starts = xcalloc(n ? n : 1, sizeof(*starts));
	if ((parts = plan_entries(items, JOURNAL_MAX_ENTRY - env, type, starts)) == 0) {
		rc = -err_last();
		goto out;
	}
	for (size_t k = 0; k < parts && rc == 0; k++) {
		size_t from = starts[k], to = k + 1 < parts ? starts[k + 1] : n;
		json_t *ev = json_deep_copy(base), *slice = json_array();
		for (size_t i = from; i < to; i++)
			json_array_append(slice, json_array_get(items, i));
		json_object_set_new(ev, list, slice);
		json_object_set_new(ev, "count", json_integer((json_int_t)(to - from)));
		if (parts > 1) {
			json_object_set_new(ev, "part", json_integer((json_int_t)k + 1));
			json_object_set_new(ev, "parts", json_integer((json_int_t)parts));
		}
		uint64_t idx = 0;
		if ((rc = event_log(st, who, type, ev, &idx)) < 0)
			break;
		if (k == 0 && first)
			*first = idx;
		for (size_t i = from; item_index && i < to; i++)
			item_index[i] = idx;
	}
out:
	free(starts);
	json_decref(base);
	json_decref(items);
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
