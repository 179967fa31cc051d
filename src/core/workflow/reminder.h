/*
 * reminder.h - reminders for the deadlines docket tracks (SPEC §5
 * "Reminders"; LEGAL-RULES "Deadlines docket tracks").
 *
 * Every deadline the policy set (comity motion, EU production order answer,
 * pen register / wiretap expiry, emergency follow-up, NSL gag review,
 * preservation expiry, the requester's return date) gets two reminders from
 * `docket tick`, each raised once and logged ("deadline.reminder" with
 * stage "near" or "missed"): when it is near, and when it is missed.  Near
 * means within reminder_near_hours (default 48) of it, but never more than
 * a quarter of the time the deadline gave (received_at to the deadline):
 * 2 hours for the 8-hour emergency production order.  A tick that comes
 * only after the deadline raises the missed reminder alone.
 *
 * A deadline is met - and raises nothing more - once the request is past
 * what the deadline asks for (reminder_open()): answered (decided,
 * disclosed, closed), the hold no longer active, the request withdrawn or
 * voided.  An NDO's expiry needs no reminder: the notice goes out by itself.
 * Lists and pages show a deadline's reminders until it is met.
 */
#ifndef DOCKET_REMINDER_H
#define DOCKET_REMINDER_H

#include <stdint.h>

#include "core/ledger/event.h"
#include "model/model.h"
#include "store/store.h"

#define REMINDER_NEAR_HOURS_DEFAULT 48

/* Does a deadline of `kind` still call for reminders while its request is
 * in `state`?  (0: met, or a kind that needs none.) */
int reminder_open(const char *kind, enum state state);

/* The "near" window for a deadline at `at` of a request received at
 * `received_at`, with reminder_near_hours `hours`. */
int64_t reminder_window(int64_t received_at, int64_t at, int64_t hours);

/* tick: raise every reminder due at who->now; *near and *missed count. */
int reminder_raise_due(struct store *st, const struct actor *who, int *near, int *missed);

#endif
