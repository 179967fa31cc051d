/*
 * sqlite_request.c - requests, their resolved targets, and their history.
 *
 * A request is stored as its canonical SPEC §3 document (the source of truth
 * for every input field) plus the columns that lists, reports and the
 * workflow filter on.  Target resolution (which account, which customer) is
 * kept per target in request_target.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/err.h"
#include "base/util.h"
#include "store/sqlite/sqlite_int.h"

/* The earliest deadline of a request still open: its own due date or any
 * deadline the policy set, while the request is not finished (a column the
 * domain sets, core/policy/classify.h) nor void. */
/* The recommendation's action, from the stored policy JSON. */

#define NEXT_DEADLINE                                                          \
	"CASE WHEN finished <> 0 OR voided_at IS NOT NULL THEN 0 ELSE coalesce((SELECT min(at) FROM " \
	"(SELECT d.at FROM deadline d WHERE d.request_id = request.id AND d.done = 0 " \
	"UNION ALL SELECT request.due_at WHERE request.due_at IS NOT NULL) AS d), 0) END"

static void bind_opt_time(sqlite3_stmt *q, int i, int has, int64_t t)
{
	if (has)
		sqlite3_bind_int64(q, i, t);
	else
		sqlite3_bind_null(q, i);
}

/* The columns a request's input and classification give, bound as
 * parameters 1-12 by bind_request_columns(). */
#define REQUEST_COLUMNS                                                                  \
	"ref, agency_id, country, kind, process, state, categories, n_targets, "         \
	"received_at, due_at, national_security, finished"

static void bind_request_columns(sqlite3_stmt *q, const struct request *r)
{
	sq_bind_text(q, 1, r->ref);
	sq_bind_text(q, 2, r->agency);
	sq_bind_text(q, 3, r->country);
	sq_bind_text(q, 4, kind_str(r->kind));
	sq_bind_text(q, 5, process_str(r->process));
	sq_bind_text(q, 6, state_str(r->state));
	sqlite3_bind_int(q, 7, (int)r->categories);
	sqlite3_bind_int64(q, 8, (int64_t)r->n_targets);
	sqlite3_bind_int64(q, 9, r->received_at.t);
	bind_opt_time(q, 10, r->has_due, r->due_at.t);
	sqlite3_bind_int(q, 11, r->national_security != 0);
	sqlite3_bind_int(q, 12, r->finished != 0);
}

static int insert_targets(struct store *st, const struct request *r)
{
	for (size_t i = 0; i < r->n_targets; i++) {
		const struct target *t = &r->targets[i];
		sqlite3_stmt *q = sq_prep(st, "INSERT INTO request_target(request_id, seq, "
					      "type, value, account_id) VALUES (?, ?, ?, ?, ?)");
		if (!q)
			return -E_STORAGE;
		sq_defer(q);
		sqlite3_bind_int64(q, 1, r->id);
		sqlite3_bind_int64(q, 2, (int64_t)i);
		sq_bind_text(q, 3, target_type_str(t->type));
		sq_bind_text(q, 4, TARGET_KEY(t));   /* normal form (SPEC §3) */
		if (t->account_id)
			sqlite3_bind_int64(q, 5, t->account_id);
		else
			sqlite3_bind_null(q, 5);
		int rc = sq_done(st, q, "insert request target");
		if (rc < 0)
			return rc;
	}
	return 0;
}

int store_request_insert(struct store *st, struct request *r,
			 const struct request_meta *meta)
{
	if (r->id)
		return err_set(E_INTERNAL, "request already stored");
	char *text = NULL;
	if (!(meta && meta->doc)) {
		json_t *doc = request_to_json(r);
		text = doc ? json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		json_decref(doc);
	}
	if (!text && !(meta && meta->doc))
		return err_set(E_INTERNAL, "cannot serialise request");
	sqlite3_stmt *q = sq_prep(
		st, "INSERT INTO request(" REQUEST_COLUMNS ", outcome, closed_at, created_at, "
		    "doc, policy, supported, id) "
		    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
	if (!q) {
		free(text);
		return -E_STORAGE;
	}
	sq_defer(q);   /* its id is ours, its failure the whole unit's */
	bind_request_columns(q, r);
	sq_bind_text(q, 13, outcome_str(r->outcome));
	bind_opt_time(q, 14, r->has_closed_at, r->closed_at.t);
	sqlite3_bind_int64(q, 15, meta ? meta->created_at : 0);
	if (text)
		sqlite3_bind_text(q, 16, text, -1, free);
	else   /* the caller's copy lives past the step */
		sqlite3_bind_text(q, 16, meta->doc, -1, SQLITE_STATIC);
	sq_bind_text(q, 17, meta ? meta->policy_json : NULL);
	if (meta && meta->policy_json)
		sqlite3_bind_int(q, 18, (int)meta->supported);
	else
		sqlite3_bind_null(q, 18);
	int64_t id = 0;
	int rc = sq_next_id(st, "request", r->national_security != 0, &id);
	if (rc < 0) {
		sqlite3_reset(q);
		sqlite3_clear_bindings(q);
		return rc;
	}
	sqlite3_bind_int64(q, 19, id);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (!text)
		sqlite3_bind_null(q, 16);   /* keep no pointer to the caller's copy */
	if (rc != SQLITE_DONE) {
		if ((sqlite3_extended_errcode(st->db) & 0xff) == SQLITE_CONSTRAINT)
			return err_set(E_INVALID,
				       "a request with ref '%s' from agency '%s' already exists",
				       r->ref, r->agency ? r->agency : r->country);
		return sq_err(st, "insert request");
	}
	r->id = id;
	sq_next_id_used(st, "request", id);
	rc = insert_targets(st, r);
	if (rc < 0)
		r->id = 0;
	return rc;
}

static int load_targets(struct store *st, struct request *r)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT t.seq, t.account_id, a.customer_id, "
				      "coalesce(t.decision, '') "
				      "FROM request_target t LEFT JOIN account a "
				      "ON a.id = t.account_id WHERE t.request_id = ?");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, r->id);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(q, 0);
		if (seq < 0 || (size_t)seq >= r->n_targets)
			continue;
		r->targets[seq].account_id = sqlite3_column_int64(q, 1);
		free(r->targets[seq].customer_id);
		r->targets[seq].customer_id = sq_col_dup(q, 2);
		const char *d = sq_col_text(q, 3);
		r->targets[seq].decision = strcmp(d, "redirect") == 0 ? TD_REDIRECT
					   : strcmp(d, "reject") == 0 ? TD_REJECT
								      : TD_NONE;
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : sq_err(st, "read request targets");
}

/* Columns: id, doc, state, outcome, policy, scope, next_deadline, supported,
 * voided_at, the policy's action */
static int row_to_request(struct store *st, sqlite3_stmt *q, struct request *out)
{
	const char *doc = sq_col_text(q, 1);
	int rc = request_parse(doc, strlen(doc), REQUEST_STORED, 0, out);
	if (rc < 0) {
		char why[512];
		str_copy(why, sizeof(why), err_msg());
		(void)st;
		return err_set(E_STORAGE, "stored request %lld is unreadable: %s",
			       (long long)sqlite3_column_int64(q, 0), why);
	}
	out->id = sqlite3_column_int64(q, 0);
	int s = state_parse(sq_col_text(q, 2));
	int o = outcome_parse(sq_col_text(q, 3));
	out->state = s < 0 ? ST_IN_REVIEW : (enum state)s;
	out->outcome = o < 0 ? OUT_NONE : (enum outcome)o;
	out->scope = (unsigned)sqlite3_column_int(q, 5);
	out->next_deadline = sqlite3_column_int64(q, 6);
	out->supported = sqlite3_column_type(q, 7) == SQLITE_NULL
				 ? CAT_ALL
				 : (unsigned)sqlite3_column_int(q, 7);
	out->voided_at = sqlite3_column_int64(q, 8);
	/* the policy's recommended action, read here rather than in SQL,
	 * whose JSON functions differ between the engines */
	json_t *pol = json_loads(sq_col_text(q, 4), 0, NULL);
	const char *action = json_string_value(json_object_get(pol, "action"));
	out->recommendation = action && *action ? xstrdup(action) : NULL;
	json_decref(pol);
	return 0;
}

int store_request_get(struct store *st, int64_t id, struct request *out,
		      char **policy_json)
{
	if (policy_json)
		*policy_json = NULL;
	sqlite3_stmt *q = sq_prep(st, "SELECT id, doc, state, outcome, policy, "
				      "coalesce(scope, 0), " NEXT_DEADLINE ", supported, "
				      "coalesce(voided_at, 0) FROM request "
				      "WHERE id = ?");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			return sq_err(st, "read request");
		return err_set(E_NOTFOUND, "no request %lld", (long long)id);
	}
	rc = row_to_request(st, q, out);
	if (rc == 0 && policy_json)
		*policy_json = sq_col_dup(q, 4);
	sqlite3_reset(q);
	if (rc == 0 && (rc = load_targets(st, out)) < 0) {
		request_release(out);
		if (policy_json) {
			free(*policy_json);
			*policy_json = NULL;
		}
	}
	return rc;
}

int store_request_set_state(struct store *st, int64_t id, enum state state,
			    enum outcome outcome, int64_t closed_at, int finished)
{
	sqlite3_stmt *q = sq_prep(st, "UPDATE request SET state = ?, outcome = ?, "
				      "closed_at = ?, finished = ? WHERE id = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, state_str(state));
	sq_bind_text(q, 2, outcome_str(outcome));
	bind_opt_time(q, 3, closed_at != 0, closed_at);
	sqlite3_bind_int(q, 4, finished != 0);
	sqlite3_bind_int64(q, 5, id);
	int rc = sq_done(st, q, "update request state");
	if (rc == 0 && sqlite3_changes(st->db) != 1)
		return err_set(E_NOTFOUND, "no request %lld", (long long)id);
	return rc;
}

int store_request_set_policy(struct store *st, int64_t id, const char *policy_json)
{
	sqlite3_stmt *q = sq_prep(st, "UPDATE request SET policy = ? WHERE id = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, policy_json);
	sqlite3_bind_int64(q, 2, id);
	return sq_done(st, q, "update request policy");
}

int store_request_count(struct store *st, int64_t *n)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT count(*) FROM request");
	if (!q)
		return -E_STORAGE;
	if (sqlite3_step(q) != SQLITE_ROW)
		return sq_err(st, "count requests");
	*n = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return 0;
}

int store_request_doc(struct store *st, int64_t id, char **doc)
{
	*doc = NULL;
	sqlite3_stmt *q = sq_prep(st, "SELECT doc FROM request WHERE id = ?");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, id);
	int rc = sq_row(st, q, "read request document");
	if (rc <= 0)
		return rc < 0 ? rc : err_set(E_NOTFOUND, "no request %lld", (long long)id);
	*doc = xstrdup(sq_col_text(q, 0));
	sqlite3_reset(q);
	return 0;
}

int store_request_count_by_state(struct store *st, int64_t counts[state__COUNT])
{
	sqlite3_stmt *q = sq_prep(st, "SELECT state, count(*) FROM request GROUP BY state");
	if (!q)
		return -E_STORAGE;
	for (int i = 0; i < state__COUNT; i++)
		counts[i] = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int s = state_parse(sq_col_text(q, 0));
		if (s >= 0)
			counts[s] = sqlite3_column_int64(q, 1);
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : sq_err(st, "count requests");
}

int store_request_find_ref(struct store *st, const char *agency, const char *country,
			   const char *ref, int64_t *id)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT id FROM request WHERE "
				      "coalesce(agency_id, '~' || country) = "
				      "coalesce(?1, '~' || ?2) AND ref = ?3");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, agency);
	sq_bind_text(q, 2, country);
	sq_bind_text(q, 3, ref);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? -E_NOTFOUND : sq_err(st, "find request");
}

int store_request_each_ref(struct store *st,
			   int (*cb)(void *ctx, const char *agency_key, const char *ref,
				     int64_t id),
			   void *ctx)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT coalesce(agency_id, '~' || country), ref, id "
				      "FROM request");
	if (!q)
		return -E_STORAGE;
	int rc, stop = 0;
	while (!stop && (rc = sqlite3_step(q)) == SQLITE_ROW)
		stop = cb(ctx, (const char *)sqlite3_column_text(q, 0),
			  (const char *)sqlite3_column_text(q, 1), sqlite3_column_int64(q, 2));
	sqlite3_reset(q);
	if (stop)
		return stop;
	return rc == SQLITE_DONE ? 0 : sq_err(st, "list request refs");
}

void request_filter_init(struct request_filter *f)
{
	f->state = -1;
	f->kind = -1;
	f->country = NULL;
	f->received_from = INT64_MIN;
	f->received_to = INT64_MAX;
	f->due_before = INT64_MAX;
	f->limit = 0;
	f->q = NULL;
	f->q_exact = NULL;
	f->urgent = 0;
	f->agency = NULL;
}

int store_request_each(struct store *st, const struct request_filter *f,
		       store_request_cb cb, void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(
		st, "SELECT * FROM (SELECT id, doc, state, outcome, policy, coalesce(scope, 0), "
		    NEXT_DEADLINE " AS next_deadline, supported, coalesce(voided_at, 0) "
		    "FROM request "
		    "WHERE (CAST(?1 AS TEXT) IS NULL OR state = ?1) "
		    "AND (CAST(?2 AS TEXT) IS NULL OR kind = ?2) "
		    "AND (CAST(?3 AS TEXT) IS NULL OR country = ?3) "
		    "AND (CAST(?11 AS TEXT) IS NULL OR agency_id = ?11) "
		    "AND received_at >= ?4 AND received_at < ?5 "
		    "AND (CAST(?8 AS TEXT) IS NULL OR lower(ref) LIKE lower(?8) ESCAPE '\\' "
		    " OR lower(agency_id) LIKE lower(?8) ESCAPE '\\' "
		    " OR EXISTS (SELECT 1 FROM request_target t WHERE t.request_id = request.id "
		    "  AND (lower(t.value) LIKE lower(?8) ESCAPE '\\' OR t.value = ?9)))) AS r "
		    "WHERE CAST(?6 AS BIGINT) IS NULL OR (next_deadline > 0 AND next_deadline < ?6) "
		    "ORDER BY CASE WHEN ?10 <> 0 THEN next_deadline = 0 ELSE false END, "
		    "CASE WHEN ?10 <> 0 THEN next_deadline ELSE 0 END, id LIMIT ?7");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, f->state >= 0 ? state_str(f->state) : NULL);
	sq_bind_text(q, 2, f->kind >= 0 ? kind_str(f->kind) : NULL);
	sq_bind_text(q, 3, f->country);
	sqlite3_bind_int64(q, 4, f->received_from);
	sqlite3_bind_int64(q, 5, f->received_to);
	if (f->due_before != INT64_MAX)
		sqlite3_bind_int64(q, 6, f->due_before);
	sqlite3_bind_int64(q, 7, f->limit ? (int64_t)f->limit : INT64_MAX);
	char *like = NULL;
	if (f->q) {
		/* a substring, matched case-insensitively, with LIKE's own
		 * characters taken literally */
		size_t n = strlen(f->q), k = 0;
		like = xmalloc(2 * n + 3);
		like[k++] = '%';
		for (size_t i = 0; i < n; i++) {
			if (f->q[i] == '%' || f->q[i] == '_' || f->q[i] == '\\')
				like[k++] = '\\';
			like[k++] = f->q[i];
		}
		like[k++] = '%';
		like[k] = '\0';
		sqlite3_bind_text(q, 8, like, -1, free);
	}
	sq_bind_text(q, 9, f->q_exact);
	sqlite3_bind_int(q, 10, f->urgent);
	sq_bind_text(q, 11, f->agency);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct request r = {0};
		if ((ret = row_to_request(st, q, &r)) < 0)
			break;
		ret = cb(ctx, &r);
		request_release(&r);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "list requests");
	sq_walk_end(st, q);
	return ret;
}

/* --- history ----------------------------------------------------------- */

int store_history_add(struct store *st, int64_t request_id,
		      const struct history_entry *h)
{
	/* the id, known without asking after the unit's first (a bulk
	 * import's rows then need no answer: sq_defer) */
	int64_t id = st->in_tx ? st->next_history_id : 0;
	if (!id) {
		sqlite3_stmt *n = sq_prep(st, "SELECT coalesce(max(id), 0) + 1 FROM history");
		int rc = n ? sq_row(st, n, "number history") : -E_STORAGE;
		if (rc <= 0)
			return rc < 0 ? rc : err_set(E_STORAGE, "number history: no row");
		id = sqlite3_column_int64(n, 0);
		sqlite3_reset(n);
	}
	sqlite3_stmt *q = sq_prep(st, "INSERT INTO history(request_id, at, actor, event, "
				      "from_state, to_state, reason, log_index, id) "
				      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!q)
		return -E_STORAGE;
	sq_defer(q);
	sqlite3_bind_int64(q, 9, id);
	sqlite3_bind_int64(q, 1, request_id);
	sqlite3_bind_int64(q, 2, h->at);
	sq_bind_text(q, 3, h->actor);
	sq_bind_text(q, 4, h->event);
	sq_bind_text(q, 5, h->from_state >= 0 ? state_str(h->from_state) : NULL);
	sq_bind_text(q, 6, state_str(h->to_state));
	sq_bind_text(q, 7, h->reason);
	sqlite3_bind_int64(q, 8, (int64_t)h->log_index);
	int rc = sq_done(st, q, "insert history");
	if (rc == 0 && st->in_tx)
		st->next_history_id = id + 1;
	return rc;
}

/* Columns from i on: at, actor, event, from_state, to_state, reason,
 * log_index.  Strings point into q's row. */
static void row_to_history(sqlite3_stmt *q, int i, struct history_entry *h)
{
	h->at = sqlite3_column_int64(q, i);
	h->actor = sq_col_text(q, i + 1);
	h->event = sq_col_text(q, i + 2);
	h->from_state = sqlite3_column_type(q, i + 3) == SQLITE_NULL
				? -1
				: state_parse(sq_col_text(q, i + 3));
	h->to_state = state_parse(sq_col_text(q, i + 4));
	h->reason = sqlite3_column_type(q, i + 5) == SQLITE_NULL ? NULL
								  : sq_col_text(q, i + 5);
	h->log_index = (uint64_t)sqlite3_column_int64(q, i + 6);
}

#define HISTORY_COLS "h.at, h.actor, h.event, h.from_state, h.to_state, h.reason, h.log_index"

int store_history_each(struct store *st, int64_t request_id, store_history_cb cb,
		       void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(st, "SELECT " HISTORY_COLS " FROM history h "
					   "WHERE h.request_id = ? ORDER BY h.id");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, request_id);
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct history_entry h;
		row_to_history(q, 0, &h);
		if ((ret = cb(ctx, &h)) != 0)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "read history");
	sq_walk_end(st, q);
	return ret;
}

/* Columns: request id, stored, state, outcome, has history, HISTORY_COLS. */
static int walk_trail(struct store *st, const char *sql, store_trail_cb cb, void *ctx)
{
	sqlite3_stmt *q = sq_prep_walk(st, sql);
	if (!q)
		return -E_STORAGE;
	int rc, ret = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct history_entry h;
		const char *outcome = sq_col_text(q, 3);
		struct history_trail t = {
			.request_id = sqlite3_column_int64(q, 0),
			.stored = sqlite3_column_int(q, 1),
			.state = state_parse(sq_col_text(q, 2)),
			.outcome = *outcome ? outcome_parse(outcome) : OUT_NONE,
		};
		if (sqlite3_column_int(q, 4)) {
			row_to_history(q, 5, &h);
			t.h = &h;
		}
		if ((ret = cb(ctx, &t)) != 0)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = sq_err(st, "read history");
	sq_walk_end(st, q);
	return ret;
}

int store_history_all(struct store *st, store_trail_cb cb, void *ctx)
{
	int rc = walk_trail(st,
			    "SELECT r.id, 1, r.state, r.outcome, h.id IS NOT NULL, " HISTORY_COLS
			    " FROM request r LEFT JOIN history h ON h.request_id = r.id "
			    "ORDER BY r.id, h.id",
			    cb, ctx);
	if (rc != 0)
		return rc;
	return walk_trail(st,
			  "SELECT h.request_id, 0, NULL, NULL, 1, " HISTORY_COLS
			  " FROM history h WHERE NOT EXISTS (SELECT 1 FROM request r "
			  "WHERE r.id = h.request_id) ORDER BY h.request_id, h.id",
			  cb, ctx);
}

int store_history_at(struct store *st, int64_t request_id, uint64_t log_index,
		     int *found)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT 1 FROM history WHERE request_id = ? "
				      "AND log_index = ? LIMIT 1");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, request_id);
	sqlite3_bind_int64(q, 2, (int64_t)log_index);
	int rc = sq_row(st, q, "read history");
	sqlite3_reset(q);
	*found = rc == 1;
	return rc < 0 ? rc : 0;
}

int store_target_set_decision(struct store *st, int64_t request_id, size_t seq,
			      enum target_decision d)
{
	sqlite3_stmt *q = sq_prep(st, "UPDATE request_target SET decision = ? "
				      "WHERE request_id = ? AND seq = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, d == TD_REDIRECT ? "redirect" : d == TD_REJECT ? "reject" : NULL);
	sqlite3_bind_int64(q, 2, request_id);
	sqlite3_bind_int64(q, 3, (int64_t)seq);
	return sq_done(st, q, "record a target's decision");
}

int store_request_set_extraordinary(struct store *st, int64_t id, const char *text)
{
	sqlite3_stmt *q = sq_prep(st, "UPDATE request SET extraordinary = ? WHERE id = ?");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, text);
	sqlite3_bind_int64(q, 2, id);
	return sq_done(st, q, "record the extraordinary justification");
}

int store_request_extraordinary(struct store *st, int64_t id, char **text)
{
	*text = NULL;
	sqlite3_stmt *q = sq_prep(st, "SELECT extraordinary FROM request WHERE id = ?");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*text = sq_col_dup(q, 0);
	sqlite3_reset(q);
	if (rc == SQLITE_DONE)
		return err_set(E_NOTFOUND, "no request %lld", (long long)id);
	return rc == SQLITE_ROW ? 0 : sq_err(st, "read the extraordinary justification");
}

int store_request_update(struct store *st, struct request *r, const char *doc,
			 const char *policy_json, unsigned supported)
{
	sqlite3_stmt *q = sq_prep(
		st, "UPDATE request SET (" REQUEST_COLUMNS ", doc, policy, supported) = "
		    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) WHERE id = ?");
	if (!q)
		return -E_STORAGE;
	bind_request_columns(q, r);
	sqlite3_bind_text(q, 13, doc, -1, SQLITE_STATIC);
	sq_bind_text(q, 14, policy_json);
	sqlite3_bind_int(q, 15, (int)supported);
	sqlite3_bind_int64(q, 16, r->id);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	sqlite3_bind_null(q, 11);
	if (rc != SQLITE_DONE) {
		if ((sqlite3_extended_errcode(st->db) & 0xff) == SQLITE_CONSTRAINT)
			return err_set(E_INVALID,
				       "a request with ref '%s' from agency '%s' already exists",
				       r->ref, r->agency ? r->agency : r->country);
		return sq_err(st, "update request");
	}
	q = sq_prep(st, "DELETE FROM request_target WHERE request_id = ?");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, r->id);
	if ((rc = sq_done(st, q, "replace request targets")) < 0)
		return rc;
	return insert_targets(st, r);
}

int store_request_set_voided(struct store *st, int64_t id, int64_t at)
{
	sqlite3_stmt *q = sq_prep(st, "UPDATE request SET voided_at = ? WHERE id = ?");
	if (!q)
		return -E_STORAGE;
	sqlite3_bind_int64(q, 1, at);
	sqlite3_bind_int64(q, 2, id);
	return sq_done(st, q, "void request");
}

int store_request_find_any_ref(struct store *st, const char *ref, int64_t *id)
{
	sqlite3_stmt *q = sq_prep(st, "SELECT id FROM request WHERE ref = ? ORDER BY id LIMIT 2");
	if (!q)
		return -E_STORAGE;
	sq_bind_text(q, 1, ref);
	int n = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (n++ == 0)
			*id = sqlite3_column_int64(q, 0);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return sq_err(st, "find request by reference");
	if (n == 0)
		return err_set(E_NOTFOUND, "no request with id or reference '%s'", ref);
	if (n > 1) {
		int e = err_set(E_INVALID, "reference '%s' names requests of several agencies: "
					   "give the request id",
				ref);
		err_set_remedy(REMEDY_FIND_REF, 0);
		return e;
	}
	return 0;
}

/* Ordinary ids count up from 1 below STORE_NS_ID_BASE.  National-security
 * ids are drawn at random from [STORE_NS_ID_BASE, STORE_NS_ID_BASE + 2^48)
 * and retried on a collision: sequential ones would tell whoever sees one
 * (the agency that served the letter, a customer notified once its gag
 * ended) how many national-security requests came before it. */
#define NEXT_ID_SQL(table)                                                          \
	{"SELECT coalesce(max(id), 0) + 1 FROM " table " WHERE id < ?1",              \
	 "SELECT n FROM (SELECT ?1 + (random() & 281474976710655) AS n) AS c "        \
	 "WHERE NOT EXISTS (SELECT 1 FROM " table " WHERE id = c.n)",                 \
	 "SELECT n FROM (SELECT ?1 + floor(random() * 281474976710656)::bigint AS n) " \
	 "AS c WHERE NOT EXISTS (SELECT 1 FROM " table " WHERE id = c.n)"}

void sq_next_id_used(struct store *st, const char *table, int64_t id)
{
	if (st->in_tx && strcmp(table, "request") == 0 && id < STORE_NS_ID_BASE)
		st->next_request_id = id + 1;
}

int sq_next_id(struct store *st, const char *table, int national_security, int64_t *id)
{
	/* [table][0: ordinary, 1: SQLite random, 2: PostgreSQL random] */
	static const char *const sql[][3] = {
	    NEXT_ID_SQL("request"),
	    NEXT_ID_SQL("notice"),
	    NEXT_ID_SQL("ndo"),
	};
	int t = strcmp(table, "request") == 0  ? 0
		: strcmp(table, "notice") == 0 ? 1
		: strcmp(table, "ndo") == 0    ? 2
					       : -1;
	if (t < 0)
		return err_set(E_INTERNAL, "no id space for table '%s'", table);
	if (t == 0 && !national_security && st->in_tx && st->next_request_id) {
		*id = st->next_request_id;   /* sq_next_id_used() */
		return 0;
	}
	const char *text = !national_security ? sql[t][0]
					      : SQL_BY_ENGINE(st, sql[t][1], sql[t][2]);
	for (int attempt = 0; attempt < 16; attempt++) {
		sqlite3_stmt *q = sq_prep(st, text);
		if (!q)
			return -E_STORAGE;
		sqlite3_bind_int64(q, 1, STORE_NS_ID_BASE);
		int rc = sqlite3_step(q);
		if (rc == SQLITE_ROW) {
			*id = sqlite3_column_int64(q, 0);
			sqlite3_reset(q);
			return 0;
		}
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			return sq_err(st, "allocate an id");
		/* DONE: the random id was taken; draw again */
	}
	return err_set(E_STORAGE, "cannot allocate a %s id", table);
}
