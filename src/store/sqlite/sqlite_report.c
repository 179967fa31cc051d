/*
 * sqlite_report.c - the aggregates behind transparency reports (SPEC §7).
 *
 * Every function but one is an SQL statement whose GROUP BY or
 * COUNT(DISTINCT) does the counting inside SQLite; store_report_requests()
 * streams the half-year's requests into a tally whose size is fixed by the
 * vocabularies.  Either way a report over millions of requests holds only a
 * bounded number of groups in memory.  All of them find the half-year's
 * requests through the covering index request_report (received_at first);
 * joins reach targets, notices, holds and challenges from there.
 *
 * Requests the domain marked as national-security process (the
 * national_security column, core/policy/classify.h) are excluded by NOT_NS
 * everywhere except in store_report_requests(), whose groups the domain
 * turns into bands.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "store/sqlite/sqlite_int.h"

#define NOT_NS " r.national_security = 0 "

/* How many rows meet a condition, on both engines (PostgreSQL does not sum
 * booleans). */
#define COUNT_IF(cond) "coalesce(sum(CASE WHEN " cond " THEN 1 ELSE 0 END), 0)"

/* A voided request (entered in error, `request void`) is left out of every
 * figure (SPEC §7). */
#define NOT_VOID " r.voided_at IS NULL "
#define IN_PERIOD " r.received_at >= ?1 AND r.received_at < ?2 AND" NOT_VOID

int store_snapshot_begin(struct store *st)
{
	if (st->in_tx)
		return err_set(E_INTERNAL, "read snapshot inside a write transaction");
	if (sqlite3_exec(st->db, "BEGIN DEFERRED", NULL, NULL, NULL) != SQLITE_OK)
		return sq_err(st, "begin read snapshot");
	/* In WAL mode the snapshot is fixed by the first read: take it now
	 * (with a read that costs the same however long the log is). */
	sqlite3_stmt *q = sq_prep(st, "SELECT max(size) FROM log_checkpoint");
	int rc = q ? sqlite3_step(q) : SQLITE_ERROR;
	if (q)
		sqlite3_reset(q);
	if (rc != SQLITE_ROW) {
		int ret = q ? sq_err(st, "begin read snapshot") : -E_STORAGE;
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return ret;
	}
	return 0;
}

void store_snapshot_end(struct store *st)
{
	if (!st->in_tx && !sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
}

typedef int (*row_fn)(struct store *st, sqlite3_stmt *q, void *ctx);

/* Run sql with ?1 = from, ?2 = to and (when it has one) ?3 = the content
 * category bit, calling fn for each row. */
static int walk(struct store *st, const char *sql, int64_t from, int64_t to, row_fn fn,
		void *ctx, const char *what)
{
	sqlite3_stmt *q = sq_prep_walk(st, sql);
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, from);
	sqlite3_bind_int64(q, 2, to);
	if (sqlite3_bind_parameter_count(q) >= 3)
		sqlite3_bind_int(q, 3, (int)CAT_BIT(CAT_CONTENT));
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if ((ret = fn(st, q, ctx)) != 0)
			break;
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, what);
	sq_walk_end(st, q);
	return ret;
}

static int bad_value(const char *column, const char *value)
{
	return err_set(E_STORAGE, "stored request has an unknown %s '%s'", column, value);
}

/* The stored outcome: '' is pending. */
static int col_outcome(sqlite3_stmt *q, int i, enum outcome *out)
{
	const char *s = sq_col_text(q, i);
	int o = *s ? outcome_parse(s) : OUT_NONE;
	if (o < 0)
		return bad_value("outcome", s);
	*out = (enum outcome)o;
	return 0;
}

/* Two letters, or '' for an agency not registered (country unknown). */
static int col_country(sqlite3_stmt *q, int i, char out[3])
{
	const char *s = sq_col_text(q, i);
	if (str_copy(out, 3, s) < 0 || (strlen(s) != 2 && *s))
		return bad_value("country", s);
	return 0;
}

/* --- requests by kind, process, country ------------------------------------ */

/* One tally per (kind, process, country): fixed by the vocabularies, so
 * memory does not grow with the number of requests.  Untouched cells stay
 * untouched zero pages of the calloc. */
struct tally {
	int64_t requests, targets, content_requests, content_targets;
	int64_t by_outcome[outcome__COUNT];
};
#define COUNTRY_SLOTS (26 * 26 + 1) /* the last: unknown ('') */
#define TALLY_CELLS ((size_t)kind__COUNT * process__COUNT * COUNTRY_SLOTS)

static int country_slot(const char *cc)
{
	if (!cc[0])
		return COUNTRY_SLOTS - 1;
	if (cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z' || cc[2])
		return -1;
	return (cc[0] - 'A') * 26 + (cc[1] - 'A');
}

static int tally_row(sqlite3_stmt *q, struct tally *cells)
{
	const char *ks = sq_col_text(q, 0), *ps = sq_col_text(q, 1),
		   *cs = sq_col_text(q, 2);
	const char *os = sq_col_text(q, 3);
	int k = kind_parse(ks), p = process_parse(ps), c = country_slot(cs);
	int o = *os ? outcome_parse(os) : OUT_NONE;
	if (k < 0)
		return bad_value("kind", ks);
	if (p < 0)
		return bad_value("process", ps);
	if (c < 0)
		return bad_value("country", cs);
	if (o < 0)
		return bad_value("outcome", os);
	struct tally *t =
	    &cells[((size_t)k * process__COUNT + (size_t)p) * COUNTRY_SLOTS + (size_t)c];
	int64_t targets = sqlite3_column_int64(q, 5);
	t->requests++;
	t->targets += targets;
	t->by_outcome[o]++;
	if (sqlite3_column_int(q, 4) & (int)CAT_BIT(CAT_CONTENT)) {
		t->content_requests++;
		t->content_targets += targets;
	}
	return 0;
}

static int tally_emit(const struct tally *cells, store_report_group_cb cb, void *ctx)
{
	for (size_t i = 0; i < TALLY_CELLS; i++) {
		const struct tally *t = &cells[i];
		if (!t->requests)
			continue;
		struct report_group g = {
		    .kind = (enum kind)(i / COUNTRY_SLOTS / process__COUNT),
		    .process = (enum process)(i / COUNTRY_SLOTS % process__COUNT),
		    .requests = t->requests,
		    .targets = t->targets,
		    .content_requests = t->content_requests,
		    .content_targets = t->content_targets,
		};
		if (i % COUNTRY_SLOTS != COUNTRY_SLOTS - 1) {
			g.country[0] = (char)('A' + i % COUNTRY_SLOTS / 26);
			g.country[1] = (char)('A' + i % COUNTRY_SLOTS % 26);
		}
		memcpy(g.by_outcome, t->by_outcome, sizeof(g.by_outcome));
		int rc = cb(ctx, &g);
		if (rc)
			return rc;
	}
	return 0;
}

/* A streaming walk over the covering index request_report: one step per
 * request, folded into the fixed tally - cheaper than letting SQLite sort
 * every request for a GROUP BY. */
int store_report_requests(struct store *st, int64_t from, int64_t to,
			  store_report_group_cb cb, void *ctx)
{
	sqlite3_stmt *q =
	    sq_prep_walk(st, "SELECT r.kind, r.process, r.country, r.outcome, "
			     "r.categories, r.n_targets FROM request r "
			     "WHERE" IN_PERIOD);
	if (!q)
		return -E_STORAGE;
	struct tally *cells = xcalloc(TALLY_CELLS, sizeof(*cells));
	sqlite3_bind_int64(q, 1, from);
	sqlite3_bind_int64(q, 2, to);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if ((ret = tally_row(q, cells)) < 0)
			break;
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "count requests");
	sq_walk_end(st, q);
	if (!ret)
		ret = tally_emit(cells, cb, ctx);
	free(cells);
	return ret;
}

int store_report_received_span(struct store *st, int64_t *first, int64_t *last)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT min(received_at), max(received_at) "
				      "FROM request r WHERE" NOT_VOID);
	if (!q)
		return -E_STORAGE;
	if (sqlite3_step(q) != SQLITE_ROW)
		return sq_err(st, "read request dates");
	int empty = sqlite3_column_type(q, 0) == SQLITE_NULL;
	*first = sqlite3_column_int64(q, 0);
	*last = sqlite3_column_int64(q, 1);
	sqlite3_reset(q);
	return empty ? -E_NOTFOUND : 0;
}

/* --- what the targets resolve to ------------------------------------------- */

struct target_walk {
	store_report_target_cb cb;
	void *ctx;
	int abroad; /* which of the two walks this is */
};

static int target_row(struct store *st, sqlite3_stmt *q, void *ctx)
{
	struct target_walk *w = ctx;
	struct report_target_group g = {0};
	int rc;
	(void)st;
	if ((rc = col_country(q, 0, g.country)) < 0 ||
	    (rc = col_outcome(q, 1, &g.outcome)) < 0)
		return rc;
	g.enterprise = !w->abroad;
	g.content_abroad = w->abroad;
	g.requests = sqlite3_column_int64(q, 2);
	return w->cb(w->ctx, &g);
}

int store_report_targets(struct store *st, int64_t from, int64_t to, const char *one_nation,
			 store_report_target_cb cb, void *ctx)
{
	struct target_walk w = {cb, ctx, 0};
	/* The enterprise accounts are collected once (the IN list); "+"
	 * keeps the planner from probing the target index once per account. */
	/* The outcome for the enterprise: the request's, unless every
	 * enterprise target was redirected or refused on its own (SPEC §4). */
	int rc = walk(st,
		      "WITH ent AS (SELECT a.id FROM customer c JOIN account a"
		      " ON a.customer_id = c.id WHERE c.type = 'enterprise') "
		      "SELECT r.country, CASE"
		      " WHEN EXISTS (SELECT 1 FROM request_target t WHERE t.request_id = r.id"
		      "  AND +t.account_id IN (SELECT id FROM ent) AND t.decision IS NULL)"
		      " THEN r.outcome"
		      " WHEN EXISTS (SELECT 1 FROM request_target t WHERE t.request_id = r.id"
		      "  AND +t.account_id IN (SELECT id FROM ent) AND t.decision = 'redirect')"
		      " THEN 'redirected'"
		      " ELSE 'rejected' END, count(*) FROM request r "
		      "WHERE" IN_PERIOD "AND" NOT_NS "AND EXISTS ("
		      " SELECT 1 FROM request_target t WHERE t.request_id = r.id AND"
		      " +t.account_id IN (SELECT id FROM ent)) "
		      "GROUP BY 1, 2",
		      from, to, target_row, &w, "count enterprise requests");
	if (rc)
		return rc;
	w.abroad = 1;
	/* Abroad: stored in another country than the requesting one, unless
	 * both codes are in one_nation (",US,PR,...,": one country with its
	 * territories, which the caller names). */
	sqlite3_stmt *q = sq_prep_walk(
	    st, "SELECT r.country, r.outcome, count(*) FROM request r "
		"WHERE" IN_PERIOD "AND" NOT_NS "AND r.process = 'search_warrant' "
		"AND (r.categories & ?3) != 0 AND EXISTS ("
		" SELECT 1 FROM request_target t JOIN account a ON a.id = t.account_id"
		" JOIN customer c ON c.id = a.customer_id WHERE t.request_id = r.id"
		" AND c.data_location != r.country AND NOT ("
		"  ?4 LIKE '%,' || c.data_location || ',%' AND"
		"  ?4 LIKE '%,' || r.country || ',%')) "
		"GROUP BY 1, 2");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, from);
	sqlite3_bind_int64(q, 2, to);
	sqlite3_bind_int(q, 3, (int)CAT_BIT(CAT_CONTENT));
	sqlite3_bind_text(q, 4, one_nation ? one_nation : "", -1, SQLITE_STATIC);
	int step, ret = 0;
	while ((step = sqlite3_step(q)) == SQLITE_ROW)
		if ((ret = target_row(st, q, &w)) != 0)
			break;
	if (!ret && step != SQLITE_DONE)
		ret = sq_err(st, "count warrants for content abroad");
	sq_walk_end(st, q);
	return ret;
}

struct reach {
	int64_t accounts, customers;
};

static int reach_row(struct store *st, sqlite3_stmt *q, void *ctx)
{
	struct reach *r = ctx;
	(void)st;
	r->accounts = sqlite3_column_int64(q, 0);
	r->customers = sqlite3_column_int64(q, 1);
	return 0;
}

int store_report_reach(struct store *st, int64_t from, int64_t to, int64_t *accounts,
		       int64_t *customers)
{
	struct reach r = {0, 0};
	/* The distinct accounts first (the IN list), then each account once, in
	 * id order, for its customer. */
	int rc =
	    walk(st,
		 "SELECT count(*), count(DISTINCT a.customer_id) FROM account a "
		 "WHERE a.id IN (SELECT t.account_id FROM request r JOIN request_target t"
		 " ON t.request_id = r.id WHERE" IN_PERIOD "AND" NOT_NS ")",
		 from, to, reach_row, &r, "count affected accounts");
	*accounts = r.accounts;
	*customers = r.customers;
	return rc;
}

/* --- notices, holds, challenges ------------------------------------------ */

struct notice_walk {
	store_report_notice_cb cb;
	void *ctx;
};

static int notice_row(struct store *st, sqlite3_stmt *q, void *ctx)
{
	struct notice_walk *w = ctx;
	(void)st;
	return w->cb(w->ctx, sq_col_text(q, 0), sqlite3_column_int(q, 1),
		     sqlite3_column_int64(q, 2));
}

int store_report_notices(struct store *st, int64_t from, int64_t to,
			 store_report_notice_cb cb, void *ctx)
{
	struct notice_walk w = {cb, ctx};
	return walk(st,
		    "SELECT n.state, n.state = 'delayed' AND CASE"
		    " WHEN n.delay_reason IS NOT NULL THEN n.delay_reason LIKE 'ndo%'"
		    " ELSE EXISTS (SELECT 1 FROM ndo WHERE ndo.request_id = r.id) END,"
		    " count(*) "
		    "FROM request r JOIN notice n ON n.request_id = r.id "
		    "WHERE" IN_PERIOD "AND" NOT_NS "GROUP BY 1, 2",
		    from, to, notice_row, &w, "count notices");
}

struct hold_walk {
	store_report_hold_cb cb;
	void *ctx;
};

static int hold_row(struct store *st, sqlite3_stmt *q, void *ctx)
{
	struct hold_walk *w = ctx;
	(void)st;
	return w->cb(w->ctx, sq_col_text(q, 0), sqlite3_column_int64(q, 1),
		     sqlite3_column_int64(q, 2));
}

int store_report_holds(struct store *st, int64_t from, int64_t to,
		       store_report_hold_cb cb, void *ctx)
{
	struct hold_walk w = {cb, ctx};
	return walk(st,
		    "SELECT h.state, count(*), sum(CASE WHEN h.renewals > 0 THEN 1 ELSE 0 END) "
		    "FROM request r JOIN hold h ON h.request_id = r.id "
		    "WHERE" IN_PERIOD "AND" NOT_NS "GROUP BY h.state",
		    from, to, hold_row, &w, "count holds");
}

struct challenge_walk {
	store_report_challenge_cb cb;
	void *ctx;
};

static int challenge_row(struct store *st, sqlite3_stmt *q, void *ctx)
{
	struct challenge_walk *w = ctx;
	(void)st;
	const char *outcome =
	    sqlite3_column_type(q, 1) == SQLITE_NULL ? NULL : sq_col_text(q, 1);
	return w->cb(w->ctx, sq_col_text(q, 0), outcome, sqlite3_column_int64(q, 2));
}

int store_report_challenges(struct store *st, int64_t from, int64_t to,
			    store_report_challenge_cb cb, void *ctx)
{
	struct challenge_walk w = {cb, ctx};
	return walk(st,
		    "SELECT c.subject, c.outcome, count(*) "
		    "FROM request r JOIN challenge c ON c.request_id = r.id "
		    "WHERE" IN_PERIOD "AND" NOT_NS "GROUP BY 1, 2",
		    from, to, challenge_row, &w, "count challenges");
}

struct account_outcome_walk {
	store_report_account_cb cb;
	void *ctx;
};

static int account_outcome_row(struct store *st, sqlite3_stmt *q, void *ctx)
{
	struct account_outcome_walk *w = ctx;
	enum outcome o;
	int rc;
	(void)st;
	if ((rc = col_outcome(q, 0, &o)) < 0)
		return rc;
	return w->cb(w->ctx, o, sqlite3_column_int64(q, 1));
}

int store_report_account_outcomes(struct store *st, int64_t from, int64_t to,
				  store_report_account_cb cb, void *ctx)
{
	struct account_outcome_walk w = {cb, ctx};
	return walk(st,
		    "SELECT CASE t.decision WHEN 'redirect' THEN 'redirected'"
		    " WHEN 'reject' THEN 'rejected' ELSE r.outcome END, count(*) "
		    "FROM request r JOIN request_target t ON t.request_id = r.id "
		    "WHERE" IN_PERIOD "AND" NOT_NS "GROUP BY 1",
		    from, to, account_outcome_row, &w, "count accounts by outcome");
}

/* --- beyond the anchors ---------------------------------------------------- */

/* Seconds from receipt to decision of the half-year's requests of one kind. */
#define DECIDED                                                                          \
	"WITH d AS (SELECT coalesce((SELECT min(h.at) FROM history h"                    \
	" WHERE h.request_id = r.id AND h.event IN"                                      \
	" ('reject', 'narrow', 'redirect', 'challenge', 'approve')),"                    \
	" CASE WHEN r.outcome NOT IN ('', 'withdrawn') THEN r.closed_at END)"            \
	" - r.received_at AS secs FROM request r"                                        \
	" WHERE" IN_PERIOD "AND" NOT_NS "AND r.kind = ?3) "

static int one_int(struct store *st, const char *sql, int64_t from, int64_t to,
		   const char *kind, int64_t offset, int64_t *out, const char *what)
{
	sqlite3_stmt *q = sq_prep_walk(st, sql);
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, from);
	sqlite3_bind_int64(q, 2, to);
	if (kind)
		sqlite3_bind_text(q, 3, kind, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(q) >= 4)
		sqlite3_bind_int64(q, 4, offset);
	int rc = sqlite3_step(q), ret = 0;
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_type(q, 0) == SQLITE_NULL ? -1
								: sqlite3_column_int64(q, 0);
	else if (rc == SQLITE_DONE)
		*out = -1;
	else
		ret = sq_err(st, what);
	sq_walk_end(st, q);
	return ret;
}

/* The nearest-rank percentile p (in percent) of n values: rank ceil(p*n/100). */
static int64_t rank_offset(int64_t n, int p)
{
	int64_t rank = (n * p + 99) / 100;
	return rank < 1 ? 0 : rank - 1;
}

int store_report_response(struct store *st, int64_t from, int64_t to, enum kind kind,
			  int64_t *decided, int64_t *median, int64_t *p90)
{
	const char *k = kind_str(kind);
	int rc = one_int(st, DECIDED "SELECT count(*) FROM d WHERE secs IS NOT NULL", from,
			 to, k, 0, decided, "count decided requests");
	*median = *p90 = -1;
	if (rc < 0 || *decided <= 0) {
		if (*decided < 0)
			*decided = 0;
		return rc;
	}
	const char *pick = DECIDED "SELECT secs FROM d WHERE secs IS NOT NULL "
				   "ORDER BY secs LIMIT 1 OFFSET ?4";
	if ((rc = one_int(st, pick, from, to, k, rank_offset(*decided, 50), median,
			  "read response times")) < 0)
		return rc;
	return one_int(st, pick, from, to, k, rank_offset(*decided, 90), p90,
		       "read response times");
}

static int extra_row(struct store *st, sqlite3_stmt *q, void *ctx)
{
	struct report_extra *e = ctx;
	(void)st;
	e->ndos = sqlite3_column_int64(q, 0);
	e->ndos_indefinite = sqlite3_column_int64(q, 1);
	e->ndos_challenged = sqlite3_column_int64(q, 2);
	e->ndos_fixed = sqlite3_column_int64(q, 3);
	return 0;
}

static int extra2_row(struct store *st, sqlite3_stmt *q, void *ctx)
{
	struct report_extra *e = ctx;
	(void)st;
	e->notices_delayed = sqlite3_column_int64(q, 0);
	e->notices_released = sqlite3_column_int64(q, 1);
	return 0;
}

static int extra3_row(struct store *st, sqlite3_stmt *q, void *ctx)
{
	struct report_extra *e = ctx;
	(void)st;
	e->emergency_unverified = sqlite3_column_int64(q, 0);
	e->emergency_verifying = sqlite3_column_int64(q, 1);
	e->hold_extensions = sqlite3_column_int64(q, 2);
	return 0;
}

int store_report_extra(struct store *st, int64_t from, int64_t to,
		       struct report_extra *out)
{
	memset(out, 0, sizeof(*out));
	out->ndo_median_days = -1;
	int rc = walk(st,
		      "SELECT count(*), " COUNT_IF("n.expires_at IS NULL") ","
		      " " COUNT_IF("EXISTS (SELECT 1 FROM challenge c WHERE"
		      " c.request_id = r.id AND c.subject = 'ndo')") ","
		      " " COUNT_IF("n.expires_at IS NOT NULL") " "
		      "FROM request r JOIN ndo n ON n.request_id = r.id "
		      "WHERE" IN_PERIOD "AND" NOT_NS,
		      from, to, extra_row, out, "count nondisclosure orders");
	if (rc == 0 && out->ndos_fixed > 0)
		rc = one_int(st,
			     "SELECT (n.expires_at - n.issued_at) / 86400 FROM request r"
			     " JOIN ndo n ON n.request_id = r.id WHERE" IN_PERIOD
			     "AND" NOT_NS "AND n.expires_at IS NOT NULL AND CAST(?3 AS TEXT) IS NULL"
			     " ORDER BY 1 LIMIT 1 OFFSET ?4",
			     from, to, NULL, rank_offset(out->ndos_fixed, 50),
			     &out->ndo_median_days, "read nondisclosure order lengths");
	if (rc == 0)
		rc = walk(st,
			  "SELECT " COUNT_IF("n.state = 'delayed' OR released") ","
			  " " COUNT_IF("released") " FROM (SELECT n.state,"
			  " n.state IN ('pending', 'sending', 'sent', 'failed') AND"
			  " n.due_at > n.created_at AS released"
			  " FROM request r JOIN notice n ON n.request_id = r.id"
			  " WHERE" IN_PERIOD "AND" NOT_NS ") n",
			  from, to, extra2_row, out, "count delayed notices");
	if (rc == 0)
		rc = walk(st,
			  "SELECT " COUNT_IF("r.kind = 'emergency' AND EXISTS (SELECT 1"
			  " FROM history h WHERE h.request_id = r.id AND h.from_state ="
			  " 'verifying' AND h.event = 'reject')") ","
			  " " COUNT_IF("r.kind = 'emergency' AND r.state = 'verifying'") ","
			  " coalesce(sum((SELECT sum(h.renewals) FROM hold h WHERE"
			  " h.request_id = r.id)), 0) "
			  "FROM request r WHERE" IN_PERIOD "AND" NOT_NS,
			  from, to, extra3_row, out, "count verification failures");
	return rc;
}
