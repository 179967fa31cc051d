/*
 * bench_report.c - how long a transparency report takes over N requests,
 * as a ratio to the equivalent aggregate SQL run directly against the same
 * SQLite file in the same run (the machines are noisy; ratios travel,
 * absolute numbers do not), and how much memory it needs.
 *
 *	bench_report [-n REQUESTS]... [--quick] [--halves H] [--repeat R] [--db DIR] [--keep]
 *		     [--shuffled]
 *
 * Without -n it runs 300,000 and 3,000,000 requests.  For each size it
 * writes a fresh database (schema by store_open(), rows by prepared SQLite
 * inserts in one transaction, for speed): customers with two accounts each
 * (10% enterprise, 20% storing data abroad), requests of every section,
 * preservation and national-security process with one to three targets
 * (10% unresolved), notices for a third of them, holds for preservation
 * requests, a few challenges, and one signed checkpoint.  The requests are
 * spread over H half-years (default 1: all in the reported one, the worst
 * case).
 *
 * Requests are stored in the order they arrive (ids follow received_at),
 * as intake does; --shuffled stores them in random order instead, as an
 * import of old history might.
 *
 * Then, each in a child process so its peak RSS is its own, best of R runs
 * (default 1, which keeps the default run near two minutes):
 *  - report:    report_build() + JSON, as `docket report --format json`;
 *  - csv_sql:   the one GROUP BY that gives the CSV table, run directly;
 *  - full_sql:  every aggregate the report needs as SQL run directly, in one
 *               read transaction: the GROUP BY behind the sections (the
 *               report streams instead), enterprise and content abroad,
 *               distinct accounts and customers, notices, holds, challenges;
 *  - html:      report_build() with the trend + HTML (every half-year).
 * It prints seconds, the ratios report/full_sql and report/csv_sql, and
 * peak RSS per run: the report's memory must not grow with N.
 *
 * With a PostgreSQL cluster named by DOCKET_PG_HOST and DOCKET_PG_PORT (as
 * scripts/pg-cluster.sh sets them; bench/run.sh starts one), the database
 * is then copied into a fresh PostgreSQL database (app_db_copy, as `docket
 * db copy` does) and the report runs there too: its time as a ratio to the
 * report's on SQLite (SPEC §16; aim <= 2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "app/dbcopy.h"
#include "base/err.h"
#include "base/keys.h"
#include "base/util.h"
#include "core/ledger/journal.h"
#include "core/report/report.h"
#include "log/signer.h"
#include "store/store.h"
#include "store/txn.h"

#define ORIGIN "bench.example/log"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "bench_report: %s: %s\n", what, msg);
	exit(1);
}

static uint64_t number(const char *s, const char *what)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || !v)
		die(what, "not a positive number");
	return v;
}

/* A cheap, deterministic hash of i (splitmix64). */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* --- the data set ----------------------------------------------------------- */

static const char *const COUNTRIES[] = {"US", "DE", "GB", "FR", "IN", "BR", "JP",
					"KR", "CA", "AU", "MX", "ES", "IT", "NL",
					"PL", "SE", "IE", "BO", "CI", "TR"};
static const char *const OUTCOMES[] = {
    "content", "noncontent_only", "no_data", "rejected", "redirected", "withdrawn", ""};

struct shape {
	const char *kind, *process;
};
static const struct shape SHAPES[] = {
    {"criminal", "subpoena"},
    {"criminal", "subpoena"},
    {"criminal", "court_order"},
    {"criminal", "search_warrant"},
    {"criminal", "foreign_order"},
    {"criminal", "mlat"},
    {"emergency", "emergency"},
    {"civil", "civil_subpoena"},
    {"preservation", "preservation"},
    {"national_security", "nsl"},
    {"criminal", "subpoena"},
    {"criminal", "search_warrant"},
    {"national_security", "fisa_order"},
};

static void exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		die(sql, msg ? msg : "?");
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		die(sql, sqlite3_errmsg(db));
	return q;
}

static void step(sqlite3 *db, sqlite3_stmt *q)
{
	if (sqlite3_step(q) != SQLITE_DONE)
		die("insert", sqlite3_errmsg(db));
	sqlite3_reset(q);
}

static void gen_customers(sqlite3 *db, uint64_t customers)
{
	sqlite3_stmt *c = prep(db, "INSERT INTO customer(id, doc, type, country, "
				   "data_location, us_person, key_custody) "
				   "VALUES (?, '{}', ?, ?, ?, 1, 'provider')");
	sqlite3_stmt *a = prep(db, "INSERT INTO account(id, customer_id, type, value) "
				   "VALUES (?, ?, 'email', ?)");
	char id[32], value[48];
	for (uint64_t i = 0; i < customers; i++) {
		uint64_t h = mix(i);
		const char *cc = COUNTRIES[h % ARRAY_SIZE(COUNTRIES)];
		snprintf(id, sizeof(id), "c%llu", (unsigned long long)i);
		sqlite3_bind_text(c, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(c, 2, (h >> 8) % 10 == 0 ? "enterprise" : "consumer",
				  -1, SQLITE_STATIC);
		sqlite3_bind_text(c, 3, cc, -1, SQLITE_STATIC);
		sqlite3_bind_text(c, 4, (h >> 16) % 5 == 0 ? "IE" : cc, -1,
				  SQLITE_STATIC);
		step(db, c);
		for (int k = 0; k < 2; k++) {
			snprintf(value, sizeof(value), "u%llu-%d@example.com",
				 (unsigned long long)i, k);
			sqlite3_bind_int64(a, 1, (int64_t)(2 * i + (uint64_t)k + 1));
			sqlite3_bind_text(a, 2, id, -1, SQLITE_STATIC);
			sqlite3_bind_text(a, 3, value, -1, SQLITE_STATIC);
			step(db, a);
		}
	}
	sqlite3_finalize(c);
	sqlite3_finalize(a);
}

struct gen {
	sqlite3 *db;
	sqlite3_stmt *req, *tgt, *notice, *hold, *chal;
	uint64_t accounts, n;
	int64_t from, span;
	int shuffled;
};

static void gen_request(struct gen *g, uint64_t i)
{
	uint64_t h = mix(i + 1000000007ULL);
	const struct shape *s = &SHAPES[h % ARRAY_SIZE(SHAPES)];
	const char *outcome = OUTCOMES[(h >> 8) % ARRAY_SIZE(OUTCOMES)];
	int ntargets = 1 + (int)((h >> 16) % 3 == 0) + (int)((h >> 18) % 7 == 0);
	char ref[32], value[48];
	/* requests are stored as they arrive, so ids follow received_at (with
	 * a little jitter); --shuffled breaks that, as an import of history in
	 * random order would */
	int64_t at = g->shuffled
			 ? g->from + (int64_t)((h >> 24) % (uint64_t)g->span)
			 : g->from +
			       (int64_t)((double)g->span * (double)i / (double)g->n) +
			       (int64_t)((h >> 24) % 3600);
	if (at >= g->from + g->span)
		at = g->from + g->span - 1;
	int64_t id = (int64_t)i + 1;
	snprintf(ref, sizeof(ref), "B-%llu", (unsigned long long)i);
	sqlite3_bind_int64(g->req, 1, id);
	sqlite3_bind_text(g->req, 2, ref, -1, SQLITE_STATIC);
	sqlite3_bind_text(g->req, 3, COUNTRIES[(h >> 32) % ARRAY_SIZE(COUNTRIES)], -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(g->req, 4, s->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(g->req, 5, s->process, -1, SQLITE_STATIC);
	sqlite3_bind_text(g->req, 6, *outcome ? "closed" : "in_review", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(g->req, 7, outcome, -1, SQLITE_STATIC);
	sqlite3_bind_int(g->req, 8, (h >> 40) % 2 ? 7 : 3);
	sqlite3_bind_int(g->req, 9, ntargets);
	sqlite3_bind_int64(g->req, 10, at);
	step(g->db, g->req);
	uint64_t first_account = 0;
	for (int k = 0; k < ntargets; k++) {
		uint64_t th = mix(h + (uint64_t)k);
		uint64_t acct = th % g->accounts + 1;
		snprintf(value, sizeof(value), "t%llu-%d@example.com",
			 (unsigned long long)i, k);
		sqlite3_bind_int64(g->tgt, 1, id);
		sqlite3_bind_int(g->tgt, 2, k);
		sqlite3_bind_text(g->tgt, 3, value, -1, SQLITE_STATIC);
		if ((th >> 32) % 10 == 0) {
			sqlite3_bind_null(g->tgt, 4);
		} else {
			sqlite3_bind_int64(g->tgt, 4, (int64_t)acct);
			if (!first_account)
				first_account = acct;
		}
		step(g->db, g->tgt);
	}
	if (first_account && (h >> 44) % 3 == 0) {
		static const char *const states[] = {"sent",	"delayed", "suppressed",
						     "pending", "failed",  "sent"};
		char cust[32];
		snprintf(cust, sizeof(cust), "c%llu",
			 (unsigned long long)((first_account - 1) / 2));
		sqlite3_bind_int64(g->notice, 1, id);
		sqlite3_bind_text(g->notice, 2, cust, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(g->notice, 3, states[(h >> 48) % ARRAY_SIZE(states)],
				  -1, SQLITE_STATIC);
		step(g->db, g->notice);
	}
	if (strcmp(s->kind, "preservation") == 0) {
		static const char *const states[] = {"active", "expired", "released"};
		sqlite3_bind_int64(g->hold, 1, id);
		sqlite3_bind_int64(g->hold, 2, at);
		sqlite3_bind_int64(g->hold, 3, at + 90 * DAY_SECONDS);
		sqlite3_bind_int(g->hold, 4, (int)((h >> 50) % 2));
		sqlite3_bind_text(g->hold, 5, states[(h >> 52) % 3], -1, SQLITE_STATIC);
		step(g->db, g->hold);
	}
	if ((h >> 54) % 200 == 0) {
		static const char *const outcomes[] = {"quashed", "modified", "denied",
						       NULL};
		const char *o = outcomes[(h >> 56) % 4];
		sqlite3_bind_int64(g->chal, 1, id);
		sqlite3_bind_int64(g->chal, 2, at);
		if (o)
			sqlite3_bind_text(g->chal, 3, o, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(g->chal, 3);
		step(g->db, g->chal);
	}
}

static void sign_checkpoint(const char *path)
{
	struct store *st;
	struct signer *key;
	if (store_open(path, STORE_OPEN_EXISTING, &st) < 0 ||
	    signer_new(ORIGIN, &key) < 0)
		die("open", err_msg());
	json_t *ev = json_pack("{s:s, s:s, s:s}", "type", "bench.generated", "at",
			       "2026-01-01T00:00:00Z", "actor", "bench");
	/* the origin and verifier key, as init stores them (db copy verifies
	 * the log with them) */
	if (store_begin(st) < 0 || store_setting_set(st, "log.origin", ORIGIN) < 0 ||
	    store_setting_set(st, "log.key", signer_verifier_key(key)) < 0 ||
	    journal_append(st, ev, NULL) < 0 || journal_checkpoint(st, key, ORIGIN) < 0 ||
	    store_commit(st) < 0)
		die("checkpoint", err_msg());
	json_decref(ev);
	signer_free(key);
	store_close(st);
}

static int shuffled; /* --shuffled: received_at in random id order */

static void generate(const char *path, uint64_t n, const struct period *p, int halves)
{
	struct store *st;
	if (store_open(path, STORE_CREATE, &st) < 0)
		die("create", err_msg());
	store_close(st);
	struct gen g = {0};
	if (sqlite3_open(path, &g.db) != SQLITE_OK)
		die("open", path);
	exec(g.db, "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; BEGIN");
	uint64_t customers = n / 8 + 10;
	gen_customers(g.db, customers);
	g.accounts = 2 * customers;
	g.req =
	    prep(g.db, "INSERT INTO request(id, ref, country, kind, process, state, "
		       "outcome, categories, n_targets, received_at, created_at, doc) "
		       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, '{}')");
	g.tgt = prep(g.db, "INSERT INTO request_target(request_id, seq, type, value, "
			   "account_id) VALUES (?, ?, 'email', ?, ?)");
	g.notice =
	    prep(g.db, "INSERT OR IGNORE INTO notice(request_id, customer_id, state) "
		       "VALUES (?, ?, ?)");
	g.hold =
	    prep(g.db, "INSERT INTO hold(request_id, created_at, expires_at, renewals, "
		       "state) VALUES (?, ?, ?, ?, ?)");
	g.chal = prep(
	    g.db, "INSERT INTO challenge(request_id, subject, filed_at, court, "
		  "grounds, outcome) VALUES (?, 'request', ?, 'court', 'grounds', ?)");
	/* the reported half-year and the ones before it */
	struct period first = *p;
	for (int k = 1; k < halves; k++)
		period_of(first.start - 1, &first);
	g.from = first.start;
	g.span = p->end - first.start;
	g.n = n;
	g.shuffled = shuffled;
	for (uint64_t i = 0; i < n; i++)
		gen_request(&g, i);
	sqlite3_finalize(g.req);
	sqlite3_finalize(g.tgt);
	sqlite3_finalize(g.notice);
	sqlite3_finalize(g.hold);
	sqlite3_finalize(g.chal);
	exec(g.db, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE)");
	sqlite3_close(g.db);
	sign_checkpoint(path);
}

/* --- what is timed ------------------------------------------------------------ */

enum job { JOB_REPORT, JOB_CSV_SQL, JOB_FULL_SQL, JOB_HTML };
static const char *const JOB_NAMES[] = {"report", "csv_sql", "full_sql", "html"};

/* The CSV table as one hand-written GROUP BY. */
static const char *const CSV_SQL =
    "SELECT kind, country, count(*), sum(n_targets), sum(outcome = 'content'), "
    "sum(outcome = 'noncontent_only'), sum(outcome = 'no_data'), "
    "sum(outcome IN ('rejected', 'redirected', 'withdrawn')), sum(outcome = '') "
    "FROM request WHERE received_at >= ?1 AND received_at < ?2 "
    "AND kind IN ('criminal', 'emergency', 'civil') "
    "AND process NOT IN ('nsl', 'fisa_order') GROUP BY kind, country";

/* Every aggregate the report needs, as SQL run directly: the statements of
 * src/store/sqlite_report.c, except that the sections are one GROUP BY here
 * where the store streams the covering index into a fixed tally. */
#define NOT_NS                                                                           \
	" NOT (r.kind = 'national_security' OR r.process IN ('nsl', 'fisa_order')) "
#define IN_PERIOD " r.received_at >= ?1 AND r.received_at < ?2 "
static const char *const FULL_SQL[] = {
    "SELECT r.kind, r.process, r.country, count(*), sum(r.n_targets), "
    "sum(r.outcome = ''), sum(r.outcome = 'content'), "
    "sum(r.outcome = 'noncontent_only'), sum(r.outcome = 'no_data'), "
    "sum(r.outcome = 'rejected'), sum(r.outcome = 'redirected'), "
    "sum(r.outcome = 'withdrawn'), sum((r.categories & 4) != 0), "
    "sum(CASE WHEN r.categories & 4 THEN r.n_targets ELSE 0 END) "
    "FROM request r WHERE" IN_PERIOD "GROUP BY r.kind, r.process, r.country",
    "SELECT r.country, r.outcome, count(*) FROM request r WHERE" IN_PERIOD "AND" NOT_NS
    "AND EXISTS (SELECT 1 FROM request_target t WHERE t.request_id = r.id AND"
    " +t.account_id IN (SELECT a.id FROM customer c JOIN account a"
    " ON a.customer_id = c.id WHERE c.type = 'enterprise')) GROUP BY 1, 2",
    "SELECT r.country, r.outcome, count(*) FROM request r WHERE" IN_PERIOD "AND" NOT_NS
    "AND r.process = 'search_warrant' AND (r.categories & 4) != 0 AND EXISTS ("
    " SELECT 1 FROM request_target t JOIN account a ON a.id = t.account_id"
    " JOIN customer c ON c.id = a.customer_id WHERE t.request_id = r.id"
    " AND c.data_location != r.country) GROUP BY 1, 2",
    "SELECT count(*), count(DISTINCT a.customer_id) FROM account a "
    "WHERE a.id IN (SELECT t.account_id FROM request r JOIN request_target t"
    " ON t.request_id = r.id WHERE" IN_PERIOD "AND" NOT_NS ")",
    "SELECT count(*) FROM customer",
    "SELECT count(*) FROM account",
    "SELECT n.state, n.state = 'delayed' AND CASE"
    " WHEN n.delay_reason IS NOT NULL THEN n.delay_reason LIKE 'ndo%'"
    " ELSE EXISTS (SELECT 1 FROM ndo WHERE ndo.request_id = r.id) END, count(*) "
    "FROM request r JOIN notice n ON n.request_id = r.id "
    "WHERE" IN_PERIOD "AND" NOT_NS "GROUP BY 1, 2",
    "SELECT h.state, count(*), sum(h.renewals > 0) FROM request r JOIN hold h "
    "ON h.request_id = r.id WHERE" IN_PERIOD "AND" NOT_NS "GROUP BY h.state",
    "SELECT c.subject, c.outcome, count(*) FROM request r JOIN challenge c "
    "ON c.request_id = r.id WHERE" IN_PERIOD "AND" NOT_NS "GROUP BY 1, 2",
};

static uint64_t run_sql(sqlite3 *db, const char *sql, const struct period *p)
{
	sqlite3_stmt *q = prep(db, sql);
	uint64_t rows = 0;
	if (sqlite3_bind_parameter_count(q) >= 2) {
		sqlite3_bind_int64(q, 1, p->start);
		sqlite3_bind_int64(q, 2, p->end);
	}
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		for (int c = 0; c < sqlite3_column_count(q); c++)
			(void)sqlite3_column_int64(q, c);
		rows++;
	}
	if (rc != SQLITE_DONE)
		die(sql, sqlite3_errmsg(db));
	sqlite3_finalize(q);
	return rows;
}

static void job_report(const char *path, const struct period *p, int html)
{
	struct store *st;
	struct report *r;
	struct buf out;
	struct report_opts o = {.period = *p,
				.published = p->end + 200 * DAY_SECONDS,
				.band_width = 500,
				.trend = html,
				.provider = "Bench Cloud"};
	if (store_open(path, STORE_OPEN_EXISTING, &st) < 0 ||
	    report_build(st, &o, &r) < 0)
		die("report", err_msg());
	buf_init(&out, BUF_UNLIMITED);
	if (html) {
		if (report_html(r, &out) < 0)
			die("html", err_msg());
	} else {
		json_t *j = report_json(r);
		char *s = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
		buf_adds(&out, s);
		free(s);
		json_decref(j);
	}
	if (r->total.requests <= 0)
		die("report", "no requests counted");
	buf_release(&out);
	report_free(r);
	store_close(st);
}

static void job_sql(const char *path, const struct period *p, int full)
{
	sqlite3 *db;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("open", path);
	exec(db, "BEGIN");
	run_sql(db, CSV_SQL, p);
	for (size_t i = 0; full && i < ARRAY_SIZE(FULL_SQL); i++)
		run_sql(db, FULL_SQL[i], p);
	exec(db, "COMMIT");
	sqlite3_close(db);
}

struct result {
	double seconds;
	double rss_mib;
};

/* Run one job in a child; its time and peak RSS come back through a pipe. */
static struct result run_job(enum job j, const char *path, const struct period *p)
{
	int fds[2];
	struct result res = {0};
	if (pipe(fds) < 0)
		die("pipe", "failed");
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		double t0 = now();
		if (j == JOB_REPORT || j == JOB_HTML)
			job_report(path, p, j == JOB_HTML);
		else
			job_sql(path, p, j == JOB_FULL_SQL);
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		res.seconds = now() - t0;
		res.rss_mib = (double)ru.ru_maxrss / 1024.0;
		if (write(fds[1], &res, sizeof(res)) != sizeof(res))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	int status;
	ssize_t got = read(fds[0], &res, sizeof(res));
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (got != sizeof(res) || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die(JOB_NAMES[j], "the child failed");
	return res;
}

static int keep; /* --keep: leave the databases for a closer look */

static void run_size(const char *dir, uint64_t n, int halves, int repeat)
{
	char path[512];
	struct period p;
	period_parse("2026-H1", &p);
	snprintf(path, sizeof(path), "%s/bench-%llu.db", dir, (unsigned long long)n);
	unlink(path);
	double t0 = now();
	/* in a child, so the measured children do not inherit its memory */
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		generate(path, n, &p, halves);
		_exit(0);
	}
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		die("generate", "the child failed");
	printf("%llu requests over %d half-year(s)%s: generated in %.1f s\n",
	       (unsigned long long)n, halves, shuffled ? ", shuffled" : "", now() - t0);
	struct result best[4];
	for (int j = 0; j < 4; j++) {
		best[j].seconds = 1e30;
		best[j].rss_mib = 0;
		for (int k = 0; k < repeat; k++) {
			struct result r = run_job((enum job)j, path, &p);
			if (r.seconds < best[j].seconds)
				best[j].seconds = r.seconds;
			if (r.rss_mib > best[j].rss_mib)
				best[j].rss_mib = r.rss_mib;
		}
		printf("  %-9s %8.3f s   peak RSS %7.1f MiB\n", JOB_NAMES[j],
		       best[j].seconds, best[j].rss_mib);
	}
	const char *pghost = getenv("DOCKET_PG_HOST"), *pgport = getenv("DOCKET_PG_PORT");
	if (pghost && pgport) {
		char cmd[1024], url[512], keys[600];
		snprintf(cmd, sizeof(cmd),
			 "dropdb --if-exists -h '%s' -p '%s' -U postgres docket_bench_report && "
			 "createdb -h '%s' -p '%s' -U postgres docket_bench_report",
			 pghost, pgport, pghost, pgport);
		snprintf(url, sizeof(url),
			 "postgresql:///docket_bench_report?host=%s&port=%s&user=postgres", pghost,
			 pgport);
		snprintf(keys, sizeof(keys), "%s/pg-keys", dir);
		struct app_db_copy_result copied;
		mkdir(keys, 0700);
		keys_dir_set(keys);
		double c0 = now();
		if (system(cmd) == 0 && app_db_copy(path, url, NULL, &copied) == 0) {
			printf("  copied to PostgreSQL in %.1f s\n", now() - c0);
			struct result best_pg = {1e30, 0};
			for (int k = 0; k < repeat; k++) {
				struct result r = run_job(JOB_REPORT, url, &p);
				if (r.seconds < best_pg.seconds)
					best_pg = r;
			}
			printf("  %-9s %8.3f s   peak RSS %7.1f MiB  (on PostgreSQL)\n", "report",
			       best_pg.seconds, best_pg.rss_mib);
			printf("  ratio report PostgreSQL/SQLite %.2fx (aim: <= 2)\n",
			       best_pg.seconds / best[JOB_REPORT].seconds);
		} else {
			printf("  PostgreSQL run skipped: %s\n", err_msg());
		}
		keys_dir_set(NULL);
		snprintf(cmd, sizeof(cmd),
			 "dropdb --if-exists -h '%s' -p '%s' -U postgres docket_bench_report; "
			 "rm -rf '%s'",
			 pghost, pgport, keys);
		if (system(cmd) != 0)
			fprintf(stderr, "bench_report: could not drop the PostgreSQL copy\n");
	}
	printf(
	    "  ratio report/full_sql %.2fx, report/csv_sql %.2fx, html/full_sql %.2fx\n",
	    best[JOB_REPORT].seconds / best[JOB_FULL_SQL].seconds,
	    best[JOB_REPORT].seconds / best[JOB_CSV_SQL].seconds,
	    best[JOB_HTML].seconds / best[JOB_FULL_SQL].seconds);
	if (keep) {
		printf("  kept %s\n", path);
		return;
	}
	unlink(path);
	char side[600];
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

int main(int argc, char **argv)
{
	uint64_t sizes[8] = {300000, 3000000};
	size_t nsizes = 0;
	int halves = 1, repeat = 1;
	const char *dir = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc &&
		    nsizes < ARRAY_SIZE(sizes)) {
			sizes[nsizes++] = number(argv[++i], "-n");
		} else if (strcmp(argv[i], "--halves") == 0 && i + 1 < argc) {
			halves = (int)number(argv[++i], "--halves");
		} else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
			repeat = (int)number(argv[++i], "--repeat");
		} else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			dir = argv[++i];
		} else if (strcmp(argv[i], "--keep") == 0) {
			keep = 1;
		} else if (strcmp(argv[i], "--shuffled") == 0) {
			shuffled = 1;
		} else if (strcmp(argv[i], "--quick") == 0 && nsizes < ARRAY_SIZE(sizes)) {
			sizes[nsizes++] = 30000;
		} else {
			fprintf(stderr,
				"usage: bench_report [-n REQUESTS]... [--quick] [--halves H] "
				"[--repeat R] [--db DIR] [--keep] [--shuffled]\n");
			return 2;
		}
	}
	if (!nsizes)
		nsizes = 2;
	if (sodium_init() < 0)
		return 1;
	char tmp[] = "/tmp/docket-bench-XXXXXX";
	if (!dir && !(dir = mkdtemp(tmp)))
		die("mkdtemp", "failed");
	for (size_t i = 0; i < nsizes; i++)
		run_size(dir, sizes[i], halves, repeat);
	if (dir == tmp && !keep)
		rmdir(tmp);
	return 0;
}
