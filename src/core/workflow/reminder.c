/*
 * reminder.c - deadline reminders (see reminder.h).
 */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "core/config.h"
#include "core/workflow/reminder.h"

#define S(x) (1u << (x))
#define ANSWERING (S(ST_VERIFYING) | S(ST_IN_REVIEW) | S(ST_CHALLENGED) | S(ST_APPROVED) | S(ST_READY))

/* For each deadline kind, the request states in which it is still to be
 * met.  Unlisted kinds (ndo_expiry) need no reminder. */
static const struct {
	const char *kind;
	unsigned open;
} open_states[] = {
	/* the requester's return date and the EU 10-day / 8-hour answer:
	 * met once the provider has answered (disclosed or refused) */
	{"requester_due", ANSWERING},
	{"epoc_response", ANSWERING},
	{"epoc_emergency_response", ANSWERING},
	/* 2703(h)(2): the motion is filed (challenged) or the window is no
	 * longer relevant once the data went out */
	{"comity_motion", S(ST_VERIFYING) | S(ST_IN_REVIEW) | S(ST_APPROVED) | S(ST_READY)},
	/* the preservation period: while the hold is active */
	{"hold_expiry", S(ST_PRESERVED)},
	/* the order's end matters while it is being carried out */
	{"pen_register_expiry", ANSWERING | S(ST_DISCLOSED)},
	{"wiretap_expiry", ANSWERING | S(ST_DISCLOSED)},
	/* formal process after an emergency disclosure: expected whatever
	 * was produced, until the request is finished without data */
	{"emergency_follow_up", ANSWERING | S(ST_DISCLOSED) | S(ST_CLOSED)},
	/* the gag outlives the request */
	{"nsl_gag_review", ~0u},
};

int reminder_open(const char *kind, enum state state)
{
	for (size_t i = 0; i < ARRAY_SIZE(open_states); i++)
		if (strcmp(open_states[i].kind, kind) == 0)
			return (open_states[i].open & S(state)) != 0;
	return 0;
}

int64_t reminder_window(int64_t received_at, int64_t at, int64_t hours)
{
	int64_t w = hours * 3600, quarter = (at - received_at) / 4;
	if (quarter > 0 && quarter < w)
		w = quarter;
	return w;
}

struct due {
	struct deadline_row *v;
	size_t n, cap;
};

static int collect(void *ctx, const struct deadline_row *d)
{
	struct due *u = ctx;
	u->v = xgrow(u->v, &u->cap, u->n + 1, sizeof(*u->v));
	u->v[u->n] = *d;
	u->v[u->n].kind = xstrdup(d->kind);
	u->v[u->n].state = xstrdup(d->state);
	u->n++;
	return 0;
}

static int remind(struct store *st, const struct actor *who, const struct deadline_row *d,
		  const char *stage)
{
	char at[TS_BUFSZ];
	time_format(d->at, at);
	json_t *ev = json_pack("{s:I, s:s, s:s, s:s}", "request", (json_int_t)d->request_id,
			       "kind", d->kind, "at", at, "stage", stage);
	return event_log(st, who, "deadline.reminder", ev, NULL);
}

int reminder_raise_due(struct store *st, const struct actor *who, int *near, int *missed)
{
	struct due u = {0};
	int64_t hours = REMINDER_NEAR_HOURS_DEFAULT;
	int rc = config_get_int(st, "reminder_near_hours", &hours);
	*near = *missed = 0;
	if (rc == 0)
		rc = store_deadline_each_unreminded(st, who->now + hours * 3600, collect, &u);
	for (size_t i = 0; rc == 0 && i < u.n; i++) {
		struct deadline_row *d = &u.v[i];
		int s = state_parse(d->state);
		if (s < 0 || !reminder_open(d->kind, (enum state)s)) {
			/* met (or a kind without reminders): nothing more to raise,
			 * and the log says so (the replay checks the flag) */
			char due[TS_BUFSZ];
			time_format(d->at, due);
			if ((rc = event_log(st, who, "deadline.met",
					    json_pack("{s:I, s:s, s:s}", "request",
						      (json_int_t)d->request_id, "kind", d->kind,
						      "due", due),
					    NULL)) < 0)
				break;
			rc = store_deadline_mark(st, d->id, d->near_at, d->missed_at, 1);
			continue;
		}
		if (who->now >= d->at) {
			if ((rc = remind(st, who, d, "missed")) < 0 ||
			    (rc = store_deadline_mark(st, d->id, d->near_at ? d->near_at : who->now,
						      who->now, 0)) < 0)
				break;
			(*missed)++;
		} else if (!d->near_at &&
			   who->now >= d->at - reminder_window(d->received_at, d->at, hours)) {
			if ((rc = remind(st, who, d, "near")) < 0 ||
			    (rc = store_deadline_mark(st, d->id, who->now, 0, 0)) < 0)
				break;
			(*near)++;
		}
	}
	for (size_t i = 0; i < u.n; i++) {
		free((char *)u.v[i].kind);
		free((char *)u.v[i].state);
	}
	free(u.v);
	return rc;
}
