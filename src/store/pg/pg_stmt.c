/*
 * pg_stmt.c - PostgreSQL's side of the statement layer (store/engine.h):
 * statements written with SQLite's placeholders, run through libpq.
 *
 * Parameters travel as text (integers in decimal) or, for bytes, in binary;
 * results come back as text and bytea columns are decoded on demand.  A
 * cached statement is prepared on the server the first time it runs, with
 * the parameter types of that run's bindings.
 *
 * Pipelining (libpq's pipeline mode).  A statement marked deferrable
 * (pg_stmt_defer: an INSERT whose caller needs neither a row nor a count)
 * that runs inside a transaction is sent without waiting for its result.
 * The next statement that needs an answer - any other statement, and
 * commit - travels in the same pipeline and collects every pending result
 * in one round trip.  A bulk import thus waits for the server once per
 * lookup instead of once per row.  What changes for the caller: a deferred
 * insert that fails (a constraint) is reported by the next statement or by
 * the commit, with the server's message; the transaction is then aborted
 * and the unit of work rolls it back, so nothing is written either way.
 * Results are collected at least every PIPE_MAX commands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "base/err.h"
#include "base/util.h"
#include "store/engine.h"

#define OID_INT8 20
#define OID_TEXT 25
#define OID_BYTEA 17

struct pg_stmt {
	struct store *st;
	char *sql;                /* in PostgreSQL's placeholders */
	int n;                    /* parameters */
	int cached;
	int prepared;
	int deferrable;           /* pg_stmt_defer() */
	int sent;                 /* deferred: sent, its result pending */
	char name[24];
	char **vals;
	int *lens;
	int *fmts;
	Oid *types;
	PGresult *res;
	int nrows, next, cur;
	int ncols;
	unsigned char **blobs;    /* decoded bytea per column of the current row */
	size_t *blob_lens;
};

char *pg_placeholders(const char *sql, int *nparams)
{
	size_t len = strlen(sql);
	char *out = xmalloc(len * 4 + 1);
	size_t o = 0;
	int max = 0;
	char quote = 0;
	for (size_t i = 0; i < len; i++) {
		char c = sql[i];
		if (quote) {
			if (c == quote)
				quote = 0;
			out[o++] = c;
			continue;
		}
		if (c == '\'' || c == '"') {
			quote = c;
			out[o++] = c;
			continue;
		}
		if (c != '?') {
			out[o++] = c;
			continue;
		}
		int num;
		if (sql[i + 1] >= '0' && sql[i + 1] <= '9') {
			num = 0;
			while (sql[i + 1] >= '0' && sql[i + 1] <= '9' && num < 100000)
				num = num * 10 + (sql[++i] - '0');
		} else {
			num = max + 1;
		}
		if (num > max)
			max = num;
		o += (size_t)snprintf(out + o, 16, "$%d", num);
	}
	out[o] = 0;
	*nparams = max;
	return out;
}

struct pg_stmt *pg_stmt_new(struct store *st, const char *sql, int cached)
{
	struct pg_stmt *p = xcalloc(1, sizeof(*p));
	p->st = st;
	p->sql = pg_placeholders(sql, &p->n);
	p->cached = cached;
	size_t n = p->n ? (size_t)p->n : 1;
	p->vals = xcalloc(n, sizeof(*p->vals));
	p->lens = xcalloc(n, sizeof(*p->lens));
	p->fmts = xcalloc(n, sizeof(*p->fmts));
	p->types = xcalloc(n, sizeof(*p->types));
	return p;
}

static void drop_blobs(struct pg_stmt *p)
{
	for (int i = 0; i < p->ncols; i++) {
		if (p->blobs[i])
			PQfreemem(p->blobs[i]);
		p->blobs[i] = NULL;
	}
}

void pg_stmt_reset(struct pg_stmt *p)
{
	if (!p)
		return;
	p->sent = 0;
	drop_blobs(p);
	PQclear(p->res);
	p->res = NULL;
	p->nrows = p->next = p->cur = 0;
}

void pg_stmt_clear(struct pg_stmt *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->n; i++) {
		free(p->vals[i]);
		p->vals[i] = NULL;
		p->lens[i] = 0;
		p->fmts[i] = 0;
	}
}

void pg_stmt_free(struct pg_stmt *p)
{
	if (!p)
		return;
	pg_pipe_forget(p->st, p);
	pg_stmt_reset(p);
	pg_stmt_clear(p);
	free(p->blobs);
	free(p->blob_lens);
	free(p->vals);
	free(p->lens);
	free(p->fmts);
	free(p->types);
	free(p->sql);
	free(p);
}

int pg_stmt_params(const struct pg_stmt *p)
{
	return p->n;
}

int pg_stmt_bind(struct pg_stmt *p, int i, char kind, const void *v, size_t len)
{
	if (i < 1 || i > p->n)
		return SQ_RANGE;
	i--;
	free(p->vals[i]);
	p->vals[i] = NULL;
	p->lens[i] = 0;
	p->fmts[i] = 0;
	Oid type = 0;
	switch (kind) {
	case 'i': {
		int64_t x;
		memcpy(&x, v, sizeof(x));
		p->vals[i] = xasprintf("%lld", (long long)x);
		type = OID_INT8;
		break;
	}
	case 't':
		p->vals[i] = xmalloc(len + 1);
		memcpy(p->vals[i], v, len);
		p->vals[i][len] = 0;
		type = OID_TEXT;
		break;
	case 'b':
		p->vals[i] = xmalloc(len ? len : 1);
		if (len)
			memcpy(p->vals[i], v, len);
		p->lens[i] = (int)len;
		p->fmts[i] = 1;
		type = OID_BYTEA;
		break;
	default:
		break;   /* NULL: the type stays as first seen */
	}
	if (!p->prepared && type)
		p->types[i] = type;
	return SQ_OK;
}

int pg_result_error(struct store *st, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!msg)
		msg = PQerrorMessage(st->pg);
	snprintf(st->errmsg, sizeof(st->errmsg), "%s", msg && *msg ? msg : "unknown error");
	size_t n = strlen(st->errmsg);
	while (n && (st->errmsg[n - 1] == '\n' || st->errmsg[n - 1] == ' '))
		st->errmsg[--n] = 0;
	int code = SQ_ERROR;
	if (state && strncmp(state, "23", 2) == 0)
		code = SQ_CONSTRAINT;       /* integrity constraint violation */
	else if (state && (strcmp(state, "40001") == 0 ||   /* serialization failure */
			   strcmp(state, "40P01") == 0 ||   /* deadlock */
			   strcmp(state, "55P03") == 0))    /* lock not available */
		code = SQ_BUSY;
	st->errcode = code;
	return code;
}

void pg_stmt_defer(struct pg_stmt *p)
{
	p->deferrable = 1;
}

/* --- the pipeline -------------------------------------------------------- */

/* Queue p's statement (and its Prepare, the first time) on the connection
 * in pipeline mode; each queued command is counted in st->pipe_cmds. */
static int pipe_send(struct pg_stmt *p)
{
	struct store *st = p->st;
	if (PQpipelineStatus(st->pg) == PQ_PIPELINE_OFF && !PQenterPipelineMode(st->pg))
		return pg_result_error(st, NULL);
	if (p->cached && !p->prepared) {
		if (st->pipe_n_prepared == PIPE_MAX_PREPARED) {
			int rc = pg_pipe_sync(st, NULL);
			if (rc)
				return rc;
			if (!PQenterPipelineMode(st->pg))
				return pg_result_error(st, NULL);
		}
		snprintf(p->name, sizeof(p->name), "dk%d", ++st->pg_names);
		if (!PQsendPrepare(st->pg, p->name, p->sql, p->n, p->types))
			return pg_result_error(st, NULL);
		st->pipe_cmds++;
		p->prepared = 1;
		st->pipe_prepared[st->pipe_n_prepared++] = p;
	}
	int ok = p->cached ? PQsendQueryPrepared(st->pg, p->name, p->n,
						  (const char *const *)p->vals, p->lens, p->fmts, 0)
			   : PQsendQueryParams(st->pg, p->sql, p->n, p->types,
					       (const char *const *)p->vals, p->lens, p->fmts, 0);
	if (!ok)
		return pg_result_error(st, NULL);
	st->pipe_cmds++;
	return SQ_OK;
}

int pg_pipe_sync(struct store *st, struct pg_result **last)
{
	PGconn *c = st->pg;
	int rc = SQ_OK, broken = 0;
	if (last)
		*last = NULL;
	if (PQpipelineStatus(c) == PQ_PIPELINE_OFF) {
		st->pipe_cmds = st->pipe_n_prepared = 0;
		return SQ_OK;
	}
	if (!PQpipelineSync(c)) {
		rc = pg_result_error(st, NULL);
		broken = 1;
	}
	for (int i = 0; !broken && i < st->pipe_cmds; i++) {
		PGresult *res = PQgetResult(c);
		if (!res) {   /* the connection failed */
			if (rc == SQ_OK)
				rc = pg_result_error(st, NULL);
			broken = 1;
			break;
		}
		ExecStatusType s = PQresultStatus(res);
		if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_PIPELINE_ABORTED &&
		    rc == SQ_OK)
			rc = pg_result_error(st, res);   /* the first failure */
		if (last && i == st->pipe_cmds - 1 && rc == SQ_OK) {
			*last = res;
			res = NULL;
		}
		PQclear(res);
		while ((res = PQgetResult(c)) != NULL)   /* the command's end */
			PQclear(res);
	}
	PGresult *res;
	while (!broken && (res = PQgetResult(c)) != NULL) {   /* to the sync point */
		ExecStatusType s = PQresultStatus(res);
		PQclear(res);
		if (s == PGRES_PIPELINE_SYNC)
			break;
	}
	if (!PQexitPipelineMode(c) && rc == SQ_OK)
		rc = pg_result_error(st, NULL);
	if (rc != SQ_OK) {
		/* a Prepare queued after the failure did not run: prepare again
		 * (under a new name) next time */
		for (int i = 0; i < st->pipe_n_prepared; i++)
			st->pipe_prepared[i]->prepared = 0;
		if (last && *last) {
			PQclear(*last);
			*last = NULL;
		}
	}
	st->pipe_cmds = 0;
	st->pipe_n_prepared = 0;
	return rc;
}

void pg_pipe_forget(struct store *st, struct pg_stmt *p)
{
	for (int i = 0; i < st->pipe_n_prepared; i++)
		if (st->pipe_prepared[i] == p)
			st->pipe_prepared[i] = st->pipe_prepared[--st->pipe_n_prepared];
}

/* Run p now and keep its result; pending deferred commands travel first. */
static int run_now(struct pg_stmt *p, PGresult **out)
{
	struct store *st = p->st;
	PGresult *res;
	*out = NULL;
	if (st->pipe_cmds) {
		int rc = pipe_send(p);
		if (rc == SQ_OK)
			rc = pg_pipe_sync(st, &res);
		else
			pg_pipe_sync(st, NULL);
		if (rc != SQ_OK)
			return rc;
		*out = res;
		return SQ_OK;
	}
	if (p->cached) {
		if (!p->prepared) {
			snprintf(p->name, sizeof(p->name), "dk%d", ++st->pg_names);
			res = PQprepare(st->pg, p->name, p->sql, p->n, p->types);
			if (PQresultStatus(res) != PGRES_COMMAND_OK) {
				int rc = pg_result_error(st, res);
				PQclear(res);
				return rc;
			}
			PQclear(res);
			p->prepared = 1;
		}
		res = PQexecPrepared(st->pg, p->name, p->n, (const char *const *)p->vals, p->lens,
				     p->fmts, 0);
	} else {
		res = PQexecParams(st->pg, p->sql, p->n, p->types, (const char *const *)p->vals,
				   p->lens, p->fmts, 0);
	}
	ExecStatusType s = PQresultStatus(res);
	if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
		int rc = pg_result_error(st, res);
		PQclear(res);
		return rc;
	}
	*out = res;
	return SQ_OK;
}

int pg_stmt_step(struct pg_stmt *p)
{
	struct store *st = p->st;
	if (p->sent)
		return SQ_DONE;
	if (p->deferrable && st->in_tx && st->pipeline && !p->res) {
		int rc = SQ_OK;
		if (st->pipe_cmds >= PIPE_MAX)
			rc = pg_pipe_sync(st, NULL);
		if (rc == SQ_OK)
			rc = pipe_send(p);
		if (rc != SQ_OK)
			return rc;
		p->sent = 1;
		st->changes = 1;   /* an INSERT of one row (pg_stmt_defer) */
		st->pg_wrote = 1;  /* the change marker's bump follows (sql.c) */
		return SQ_DONE;
	}
	if (!p->res) {
		PGresult *res;
		int rc = run_now(p, &res);
		if (rc != SQ_OK)
			return rc;
		ExecStatusType s = PQresultStatus(res);
		const char *t = PQcmdTuples(res);
		st->changes = t && *t ? strtoll(t, NULL, 10) : 0;
		/* the command tag names what ran ("INSERT 0 1", "UPDATE 2", a
		 * WITH ... UPDATE's too): whether it may have changed rows */
		const char *cmd = PQcmdStatus(res);
		st->pg_wrote = cmd && (strncmp(cmd, "INSERT", 6) == 0 ||
				       strncmp(cmd, "UPDATE", 6) == 0 ||
				       strncmp(cmd, "DELETE", 6) == 0 ||
				       strncmp(cmd, "MERGE", 5) == 0);
		p->res = res;
		p->nrows = s == PGRES_TUPLES_OK ? PQntuples(res) : 0;
		p->next = 0;
		int ncols = PQnfields(res);
		if (ncols > p->ncols) {
			drop_blobs(p);
			p->blobs = xrealloc(p->blobs, (size_t)ncols * sizeof(*p->blobs));
			p->blob_lens = xrealloc(p->blob_lens, (size_t)ncols * sizeof(*p->blob_lens));
			for (int i = p->ncols; i < ncols; i++)
				p->blobs[i] = NULL;
			p->ncols = ncols;
		}
	}
	drop_blobs(p);
	if (p->next < p->nrows) {
		p->cur = p->next++;
		return SQ_ROW;
	}
	return SQ_DONE;
}

static int bad_col(const struct pg_stmt *p, int col)
{
	return !p->res || col < 0 || col >= PQnfields(p->res) || p->cur >= p->nrows;
}

int pg_stmt_isnull(struct pg_stmt *p, int col)
{
	return bad_col(p, col) || PQgetisnull(p->res, p->cur, col);
}

char pg_stmt_kind(struct pg_stmt *p, int col)
{
	if (bad_col(p, col))
		return 't';
	Oid t = PQftype(p->res, col);
	return t == OID_INT8 || t == 23 || t == 21 ? 'i' : t == OID_BYTEA ? 'b' : 't';
}

const char *pg_stmt_text(struct pg_stmt *p, int col, int *len)
{
	if (bad_col(p, col)) {
		if (len)
			*len = 0;
		return "";
	}
	if (len)
		*len = PQgetlength(p->res, p->cur, col);
	return PQgetvalue(p->res, p->cur, col);
}

const void *pg_stmt_blob(struct pg_stmt *p, int col, int *len)
{
	if (bad_col(p, col) || PQftype(p->res, col) != OID_BYTEA)
		return pg_stmt_text(p, col, len);
	if (!p->blobs[col]) {
		size_t n = 0;
		p->blobs[col] = PQunescapeBytea(
			(const unsigned char *)PQgetvalue(p->res, p->cur, col), &n);
		if (!p->blobs[col]) {
			fputs("docket: out of memory\n", stderr);
			abort();
		}
		p->blob_lens[col] = n;
	}
	if (len)
		*len = (int)p->blob_lens[col];
	return p->blobs[col];
}
