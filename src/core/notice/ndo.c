/*
 * ndo.c - nondisclosure orders (see ndo.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "core/notice/ndo.h"
#include "core/notice/notice.h"
#include "core/policy/policy.h"
#include "core/workflow/workflow.h"
#include "model/jsonv.h"

/* --- flags ----------------------------------------------------------------- */

int ndo_in_force(const struct ndo_record *n, int64_t now)
{
	return !n->lifted_at && (!n->has_expiry || n->expires_at > now);
}

unsigned ndo_flags(const struct ndo_record *n, int64_t now)
{
	unsigned f = 0;
	if (!ndo_in_force(n, now))
		return 0;
	/* GEN-NDO-INDEFINITE */
	if (!n->has_expiry)
		f |= NDO_FLAG_INDEFINITE;
	/* GEN-NDO-LONG: from issue to expiry, as the policy measures it */
	else if (n->expires_at - n->issued_at > NDO_LONG_DAYS * DAY_SECONDS)
		f |= NDO_FLAG_OVER_ONE_YEAR;
	/* US-NSL: the gag review date has come */
	if (n->review_at && n->review_at <= now)
		f |= NDO_FLAG_REVIEW_DUE;
	return f;
}

static const struct {
	unsigned flag;
	const char *name, *text;
} flag_names[] = {
	{NDO_FLAG_INDEFINITE, "ndo_indefinite",
	 "indefinite: challenge recommended (GEN-NDO-INDEFINITE)"},
	{NDO_FLAG_OVER_ONE_YEAR, "ndo_over_one_year",
	 "longer than one year: consider a challenge (GEN-NDO-LONG)"},
	{NDO_FLAG_REVIEW_DUE, "nsl_review_due",
	 "NSL nondisclosure review due: ask whether the gag is still needed (US-NSL)"},
};

json_t *ndo_flags_json(unsigned flags)
{
	json_t *a = json_array();
	for (size_t i = 0; i < ARRAY_SIZE(flag_names); i++)
		if (flags & flag_names[i].flag)
			json_array_append_new(a, json_string(flag_names[i].name));
	return a;
}

void ndo_flags_text(unsigned flags, char *out, size_t outsz)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(flag_names); i++) {
		if (!(flags & flag_names[i].flag))
			continue;
		int n = snprintf(out + len, outsz - len, "%s%s", len ? "; " : "",
				 flag_names[i].text);
		if (n < 0 || (size_t)n >= outsz - len)
			break;
		len += (size_t)n;
	}
}


json_t *ndo_to_json(const struct ndo_record *n, int64_t now)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:o, s:o, s:o, s:o, s:b, s:o}", "id",
			      (json_int_t)n->id, "request", (json_int_t)n->request_id, "statute",
			      n->statute, "issued_at", jsonv_time_or_null(n->issued_at), "expires_at",
			      n->has_expiry ? jsonv_time_or_null(n->expires_at) : json_null(), "lifted_at",
			      jsonv_time_or_null(n->lifted_at), "review_at", jsonv_time_or_null(n->review_at),
			      "in_force", ndo_in_force(n, now), "flags",
			      ndo_flags_json(ndo_flags(n, now)));
	if (o && n->lift_reason)
		json_object_set_new(o, "lift_reason", json_string(n->lift_reason));
	return o;
}

/* ndo_to_json() reads the clock through ndo_in_force() (the expiry) and
 * ndo_flags() (in force, and the review date); the other flags are fixed
 * by the record.  A lifted NDO has no flags and is never in force again. */
int64_t ndo_changes_after(const struct ndo_record *n, int64_t now)
{
	int64_t t = INT64_MAX;
	if (n->lifted_at)
		return t;
	if (n->has_expiry && n->expires_at > now)
		t = n->expires_at;
	if (n->review_at && n->review_at > now && n->review_at < t)
		t = n->review_at;
	return t;
}

/* --- a request's NDOs ------------------------------------------------------- */

struct list_json {
	json_t *arr;
	int64_t now;
	int64_t until;
};

static int list_json_row(void *ctx, const struct ndo_record *n)
{
	struct list_json *l = ctx;
	int64_t t = ndo_changes_after(n, l->now);
	if (t < l->until)
		l->until = t;
	json_array_append_new(l->arr, ndo_to_json(n, l->now));
	return 0;
}

json_t *ndo_list_json_until(struct store *st, int64_t request_id, int64_t now,
			    int64_t *until)
{
	struct list_json l = {json_array(), now, INT64_MAX};
	if (store_ndo_each(st, request_id, list_json_row, &l) < 0) {
		json_decref(l.arr);
		return NULL;
	}
	if (until && l.until < *until)
		*until = l.until;
	return l.arr;
}

json_t *ndo_list_json(struct store *st, int64_t request_id, int64_t now)
{
	return ndo_list_json_until(st, request_id, now, NULL);
}

static int collect(void *ctx, const struct ndo_record *n)
{
	struct ndo_set *s = ctx;
	s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof(*s->v));
	struct ndo_record *c = &s->v[s->n++];
	*c = *n;
	c->statute = xstrdup(n->statute);
	c->lift_reason = n->lift_reason ? xstrdup(n->lift_reason) : NULL;
	return 0;
}

int ndo_set_load(struct store *st, int64_t request_id, struct ndo_set *out)
{
	memset(out, 0, sizeof(*out));
	int rc = store_ndo_each(st, request_id, collect, out);
	if (rc < 0)
		ndo_set_release(out);
	return rc;
}

void ndo_set_release(struct ndo_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free((char *)s->v[i].statute);
		free((char *)s->v[i].lift_reason);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

const struct ndo_record *ndo_set_current(const struct ndo_set *s)
{
	for (size_t i = s->n; i-- > 0;)
		if (!s->v[i].lifted_at)
			return &s->v[i];
	return NULL;
}

/* --- recording -------------------------------------------------------------- */

/* The same day and month `years` later (29 February becomes 28). */
static int64_t years_after(int64_t t, int years)
{
	int64_t day = t >= 0 ? t / DAY_SECONDS : (t - DAY_SECONDS + 1) / DAY_SECONDS;
	int y;
	unsigned m, d;
	civil_from_days(day, &y, &m, &d);
	y += years;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		d = 28;
	return days_from_civil(y, m, d) * DAY_SECONDS + (t - day * DAY_SECONDS);
}

static int find_review(void *ctx, int64_t request_id, const char *kind, int64_t at)
{
	int64_t *out = ctx;
	(void)request_id;
	if (strcmp(kind, deadline_kind_str(DL_NSL_GAG_REVIEW)) == 0 && !*out)
		*out = at;
	return 0;
}

/* US-NSL: an NSL's nondisclosure requirement is reviewed 3 years after the
 * request - the policy's nsl_gag_review deadline when it set one. */
static int nsl_review_at(struct store *st, const struct request *r, int64_t *out)
{
	*out = 0;
	if (r->process != PROC_NSL)
		return 0;
	int rc = store_deadline_each(st, r->id, find_review, out);
	if (rc == 0 && !*out)
		*out = years_after(r->received_at.t, NDO_NSL_REVIEW_YEARS);
	return rc;
}

static json_t *time_or_null(int has, int64_t t)
{
	return has ? jsonv_time_or_null(t) : json_null();
}

static int insert(struct store *st, const struct actor *who, const struct request *r,
		  const struct ndo *nd, int64_t *id)
{
	struct ndo_record n = {
		.request_id = r->id,
		.statute = nd->statute,
		.issued_at = nd->issued_at.t,
		.has_expiry = nd->has_expiry,
		.expires_at = nd->has_expiry ? nd->expires_at.t : 0,
		.created_at = who->now,
	};
	int rc;
	if ((rc = nsl_review_at(st, r, &n.review_at)) < 0 ||
	    (rc = store_ndo_add(st, &n, &n.id)) < 0)
		return rc;
	if (id)
		*id = n.id;
	json_t *ev = json_pack("{s:I, s:I, s:s, s:o, s:o, s:o, s:o}", "request",
			       (json_int_t)r->id, "ndo", (json_int_t)n.id, "statute", n.statute,
			       "issued_at", jsonv_time_or_null(n.issued_at), "expires_at",
			       time_or_null(n.has_expiry, n.expires_at), "review_at",
			       jsonv_time_or_null(n.review_at), "flags",
			       ndo_flags_json(ndo_flags(&n, who->now)));
	return event_log(st, who, "ndo.added", ev, NULL);
}

int ndo_record_intake(struct store *st, const struct actor *who, const struct request *r)
{
	return r->has_ndo ? insert(st, who, r, &r->ndo, NULL) : 0;
}

static int check_ndo(const struct ndo *nd)
{
	const char *s = nd->statute;
	if (!s || !*s || strlen(s) > MODEL_MAX_SHORT)
		return err_set(E_INVALID, "an NDO needs its statute (1 to %d characters)",
			       MODEL_MAX_SHORT);
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return err_set(E_INVALID, "the NDO's statute holds a control character");
	if (nd->has_expiry && nd->expires_at.t <= nd->issued_at.t)
		return err_set(E_INVALID, "the NDO must expire after it was issued");
	return 0;
}

/* An NDO that arrives after intake flags the request as the policy would
 * have (GEN-NDO-INDEFINITE, GEN-NDO-LONG): its stored recommendation gains
 * the flag, so request lists and explanations show it. */
static int flag_request(struct store *st, int64_t request_id, unsigned flags)
{
	struct request r = {0};
	struct policy_result pol;
	char *text = NULL, *out = NULL;
	unsigned add = 0;
	int rc = store_request_get(st, request_id, &r, &text);
	request_release(&r);
	if (rc < 0 || !text) {
		free(text);   /* an imported request has no recommendation to amend */
		return rc;
	}
	if (flags & NDO_FLAG_INDEFINITE)
		add |= PF_BIT(PF_NDO_INDEFINITE);
	if (flags & NDO_FLAG_OVER_ONE_YEAR)
		add |= PF_BIT(PF_NDO_OVER_ONE_YEAR);
	if ((rc = policy_parse(text, &pol)) == 0 && (add & ~pol.flags)) {
		pol.flags |= add;
		out = policy_dumps(&pol);
		rc = out ? store_request_set_policy(st, request_id, out) : -E_INTERNAL;
	}
	policy_result_release(&pol);
	free(text);
	free(out);
	return rc;
}

int ndo_add(struct store *st, const struct actor *who, int64_t request_id,
	    const struct ndo *nd, int64_t *id)
{
	struct request r = {0};
	struct ndo_set set;
	int rc = check_ndo(nd);
	if (rc < 0 || (rc = store_request_get(st, request_id, &r, NULL)) < 0)
		return rc;
	if ((rc = ndo_set_load(st, request_id, &set)) < 0)
		goto out;
	const struct ndo_record *cur = ndo_set_current(&set);
	if (cur && ndo_in_force(cur, who->now))
		rc = err_set(E_REFUSED,
			     "request %lld already has a nondisclosure order in force (%s); "
			     "extend or lift it instead",
			     (long long)request_id, cur->statute);
	else if ((rc = insert(st, who, &r, nd, id)) == 0 &&
		 (rc = notice_replan(st, who, request_id, NULL)) == 0) {
		struct ndo_record probe = {.issued_at = nd->issued_at.t,
					   .has_expiry = nd->has_expiry,
					   .expires_at = nd->expires_at.t};
		rc = flag_request(st, request_id, ndo_flags(&probe, who->now));
	}
	ndo_set_release(&set);
out:
	request_release(&r);
	return rc;
}

/* The request's current NDO, copied into *n (strings owned by *set). */
static int current(struct store *st, int64_t request_id, struct ndo_set *set,
		   struct ndo_record **n)
{
	int rc = ndo_set_load(st, request_id, set);
	if (rc < 0)
		return rc;
	const struct ndo_record *cur = ndo_set_current(set);
	if (!cur) {
		ndo_set_release(set);
		return err_set(E_NOTFOUND, "request %lld has no nondisclosure order in force",
			       (long long)request_id);
	}
	*n = &set->v[cur - set->v];
	return 0;
}

int ndo_extend(struct store *st, const struct actor *who, int64_t request_id,
	       int64_t expires_at)
{
	struct ndo_set set;
	struct ndo_record *n;
	char was[TS_BUFSZ];
	int rc = current(st, request_id, &set, &n);
	if (rc < 0)
		return rc;
	if (n->has_expiry)
		time_format(n->expires_at, was);
	if (expires_at <= n->issued_at)
		rc = err_set(E_INVALID, "the NDO must expire after it was issued");
	else if (n->has_expiry && expires_at <= n->expires_at)
		rc = err_set(E_INVALID, "an extension must end after the current expiry %s "
					"(to end the NDO now, use 'ndo lift')",
			     was);
	if (rc < 0)
		goto out;
	json_t *ev = json_pack("{s:I, s:I, s:o, s:o}", "request", (json_int_t)request_id,
			       "ndo", (json_int_t)n->id, "from",
			       time_or_null(n->has_expiry, n->expires_at), "to",
			       jsonv_time_or_null(expires_at));
	n->has_expiry = 1;
	n->expires_at = expires_at;
	json_object_set_new(ev, "flags", ndo_flags_json(ndo_flags(n, who->now)));
	if ((rc = store_ndo_update(st, n)) < 0) {
		json_decref(ev);
		goto out;
	}
	if ((rc = event_log(st, who, "ndo.extended", ev, NULL)) == 0 &&
	    (rc = notice_replan(st, who, request_id, NULL)) == 0)
		rc = flag_request(st, request_id, ndo_flags(n, who->now));
out:
	ndo_set_release(&set);
	return rc;
}

int ndo_lift(struct store *st, const struct actor *who, int64_t request_id,
	     const char *reason)
{
	struct ndo_set set;
	struct ndo_record *n;
	int rc = current(st, request_id, &set, &n);
	if (rc < 0)
		return rc;
	n->lifted_at = who->now;
	n->lift_reason = reason ? xstrdup(reason) : NULL;
	json_t *ev = json_pack("{s:I, s:I}", "request", (json_int_t)request_id, "ndo",
			       (json_int_t)n->id);
	if (reason)
		json_object_set_new(ev, "reason", json_string(reason));
	if ((rc = store_ndo_update(st, n)) < 0)
		json_decref(ev);
	else if ((rc = event_log(st, who, "ndo.lifted", ev, NULL)) == 0)
		rc = notice_replan(st, who, request_id, NULL);
	ndo_set_release(&set);
	return rc;
}

/* --- NSL gag review reminders (US-NSL) --------------------------------------- */

int ndo_remind_due(struct store *st, const struct actor *who, int *due)
{
	struct ndo_set set = {0};
	int rc = store_ndo_each_review_due(st, who->now, collect, &set);
	*due = 0;
	for (size_t i = 0; rc == 0 && i < set.n; i++) {
		struct ndo_record *n = &set.v[i];
		n->reminded_at = who->now;
		if ((rc = store_ndo_update(st, n)) < 0)
			break;
		json_t *ev = json_pack("{s:I, s:I, s:o, s:s}", "request",
				       (json_int_t)n->request_id, "ndo", (json_int_t)n->id,
				       "review_at", jsonv_time_or_null(n->review_at), "rule", "US-NSL");
		if ((rc = event_log(st, who, "ndo.review_due", ev, NULL)) == 0)
			(*due)++;
	}
	ndo_set_release(&set);
	return rc;
}

/* US-NSL: the gag is reviewed at 3 years and at the investigation's close
 * (FBI termination procedures): the close, as the agency reports it, makes
 * the review of every NDO of the letter still in force due at `closed_at`
 * (raised by the next tick, again if the 3-year review was raised), and
 * becomes a tracked deadline with its reminders. */
int ndo_investigation_closed(struct store *st, const struct staff *by, int64_t request_id,
			     int64_t closed_at, const char *reason)
{
	struct request r = {0};
	struct ndo_set set = {0};
	int rc, reviews = 0;
	if (!(by->roles & ROLE_BIT(ROLE_REVIEWER)))
		return err_set(E_FORBIDDEN, "user '%s' may not record the close of an "
					    "investigation: it needs the role reviewer",
			       by->who.name);
	if ((rc = store_request_get(st, request_id, &r, NULL)) < 0)
		return rc;
	if (r.process != PROC_NSL) {
		rc = err_set(E_REFUSED,
			     "request %lld is a %s: the review at the investigation's close "
			     "is for National Security Letters (US-NSL)",
			     (long long)request_id, process_str(r.process));
		goto out;
	}
	if (closed_at > by->who.now) {
		rc = err_set(E_INVALID, "the investigation's close lies in the future: record "
					"it once the agency reports it");
		goto out;
	}
	if (closed_at < r.received_at.t) {
		rc = err_set(E_INVALID, "the investigation's close is before the request was received");
		goto out;
	}
	if ((rc = ndo_set_load(st, request_id, &set)) < 0)
		goto out;
	for (size_t i = 0; i < set.n; i++) {
		struct ndo_record *n = &set.v[i];
		if (n->lifted_at)
			continue;
		n->review_at = closed_at;
		n->reminded_at = 0;
		if ((rc = store_ndo_update(st, n)) < 0)
			goto out;
		reviews++;
	}
	if ((rc = store_deadline_add(st, request_id, "nsl_gag_review", closed_at)) < 0)
		goto out;
	/* not "closed_at", which would say the request was closed */
	json_t *ev = json_pack("{s:o, s:i, s:s}", "investigation_closed_at",
			       jsonv_time_or_null(closed_at),
			       "ndo_reviews", reviews, "rule", "US-NSL");
	rc = event_transition(st, &by->who, request_id, "investigation_closed", r.state,
			      r.state, reason, ev, NULL);
out:
	ndo_set_release(&set);
	request_release(&r);
	return rc;
}
