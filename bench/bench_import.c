/*
 * bench_import - historical import speed (issue: foundation).
 *
 *   bench_import [--requests N] [--docket PATH] [--demogen PATH]
 *
 * Generates N historical requests with the demo generator, then measures in
 * the same run:
 *   docket:    `docket request import` of the JSONL file into a fresh
 *              database (customers and agencies loaded first, untimed) -
 *              parsing, validation, target resolution, storage, history and
 *              the tamper-evident log included;
 *   reference: a plain prepared-statement INSERT of the same rows (already
 *              parsed, untimed) into a table of the same columns, one
 *              transaction, same pragmas (WAL, synchronous=FULL).
 * Prints rows per second for both and the ratio docket / reference.
 *
 * With a PostgreSQL cluster named by DOCKET_PG_HOST and DOCKET_PG_PORT (as
 * scripts/pg-cluster.sh sets them; bench/run.sh starts one), the same
 * import runs again into a fresh PostgreSQL database, and the ratio of its
 * rate to docket's own on SQLite is printed too (SPEC §16; aim >= 0.5).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/util.h"
#include "model/model.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run(const char *cmd)
{
	int rc = system(cmd);
	if (rc != 0)
		fprintf(stderr, "bench_import: '%s' failed\n", cmd);
	return rc;
}

struct row {
	struct request r;
	char *line;
};

static size_t load_rows(const char *path, struct row **out)
{
	FILE *fp = fopen(path, "r");
	struct buf line;
	struct row *rows = NULL;
	size_t n = 0, cap = 0;
	if (!fp)
		return 0;
	buf_init(&line, MODEL_MAX_DOC);
	while (buf_getline(&line, fp) > 0) {
		rows = xgrow(rows, &cap, n + 1, sizeof(*rows));
		memset(&rows[n], 0, sizeof(rows[n]));
		if (request_parse(line.ptr, line.len, REQUEST_HISTORICAL, 0, &rows[n].r) < 0)
			continue;
		rows[n].line = xstrndup(line.ptr, line.len);
		n++;
	}
	buf_release(&line);
	fclose(fp);
	*out = rows;
	return n;
}

static double reference_insert(const char *db_path, struct row *rows, size_t n)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	unlink(db_path);
	sqlite3_open(db_path, &db);
	sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 "CREATE TABLE request(id INTEGER PRIMARY KEY, ref TEXT NOT NULL, "
			 "agency_id TEXT, country TEXT NOT NULL, kind TEXT NOT NULL, process "
			 "TEXT NOT NULL, state TEXT NOT NULL, outcome TEXT NOT NULL, categories "
			 "INTEGER NOT NULL, n_targets INTEGER NOT NULL, received_at INTEGER NOT "
			 "NULL, closed_at INTEGER, doc TEXT NOT NULL)",
		     NULL, NULL, NULL);
	double t0 = now_s();
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO request(ref, agency_id, country, kind, process, "
			       "state, outcome, categories, n_targets, received_at, closed_at, "
			       "doc) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
			   -1, &q, NULL);
	for (size_t i = 0; i < n; i++) {
		const struct request *r = &rows[i].r;
		sqlite3_bind_text(q, 1, r->ref, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, r->agency, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, r->country, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, kind_str(r->kind), -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 5, process_str(r->process), -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 6, "closed", -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 7, outcome_str(r->outcome), -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 8, (int)r->categories);
		sqlite3_bind_int64(q, 9, (int64_t)r->n_targets);
		sqlite3_bind_int64(q, 10, r->received_at.t);
		sqlite3_bind_int64(q, 11, r->closed_at.t);
		sqlite3_bind_text(q, 12, rows[i].line, -1, SQLITE_STATIC);
		sqlite3_step(q);
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	double t = now_s() - t0;
	sqlite3_close(db);
	return t;
}

int main(int argc, char **argv)
{
	long n = 100000;
	const char *docket = "build/docket", *demogen = "build/tools/demogen";
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--requests") == 0)
			n = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--docket") == 0)
			docket = argv[i + 1];
		else if (strcmp(argv[i], "--demogen") == 0)
			demogen = argv[i + 1];
	}
	char dir[] = "/tmp/docket-bench-import-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	char *cmd = xasprintf("%s --seed 7 --out %s/gen --requests %ld >/dev/null", demogen,
			      dir, n);
	char *env = xasprintf("DOCKET_DB=%s/docket.db DOCKET_USER=root", dir);
	char *setup = xasprintf("%s %s init --admin root >/dev/null && %s %s customer import "
				"%s/gen/customers.jsonl >/dev/null && %s %s agency import "
				"%s/gen/agencies.jsonl >/dev/null",
				env, docket, env, docket, dir, env, docket, dir);
	char *import = xasprintf("%s %s request import %s/gen/history.jsonl >/dev/null", env,
				 docket, dir);
	if (run(cmd) || run(setup))
		return 1;
	double t0 = now_s();
	if (run(import))
		return 1;
	double t_docket = now_s() - t0;

	char *hist = xasprintf("%s/gen/history.jsonl", dir);
	char *refdb = xasprintf("%s/reference.db", dir);
	struct row *rows = NULL;
	size_t rows_n = load_rows(hist, &rows);
	double t_ref = reference_insert(refdb, rows, rows_n);

	printf("import of %zu historical requests\n", rows_n);
	printf("  docket request import     %8.3f s  %10.0f rows/s\n", t_docket,
	       (double)rows_n / t_docket);
	printf("  plain prepared INSERT     %8.3f s  %10.0f rows/s\n", t_ref,
	       (double)rows_n / t_ref);
	printf("  ratio docket/reference    %8.3f  (aim: >= 0.5)\n", t_ref / t_docket);

	const char *pghost = getenv("DOCKET_PG_HOST"), *pgport = getenv("DOCKET_PG_PORT");
	if (pghost && pgport) {
		char *admin = xasprintf("-h '%s' -p '%s' -U postgres", pghost, pgport);
		char *fresh = xasprintf("dropdb --if-exists %s docket_bench_import && createdb %s "
					"docket_bench_import && mkdir -m 700 %s/keys",
					admin, admin, dir);
		char *pgenv = xasprintf("DOCKET_DB='postgresql:///docket_bench_import?host=%s&"
					"port=%s&user=postgres' DOCKET_KEYS=%s/keys DOCKET_USER=root",
					pghost, pgport, dir);
		char *pgsetup = xasprintf(
		    "%s %s init --admin root >/dev/null && %s %s customer import "
		    "%s/gen/customers.jsonl >/dev/null && %s %s agency import "
		    "%s/gen/agencies.jsonl >/dev/null",
		    pgenv, docket, pgenv, docket, dir, pgenv, docket, dir);
		char *pgimport = xasprintf("%s %s request import %s/gen/history.jsonl >/dev/null",
					   pgenv, docket, dir);
		if (run(fresh) == 0 && run(pgsetup) == 0) {
			double p0 = now_s();
			if (run(pgimport) == 0) {
				double t_pg = now_s() - p0;
				printf("  docket on PostgreSQL      %8.3f s  %10.0f rows/s\n", t_pg,
				       (double)rows_n / t_pg);
				printf("  ratio PostgreSQL/SQLite   %8.3f  (aim: >= 0.5)\n",
				       t_docket / t_pg);
			}
		}
		char *drop = xasprintf("dropdb --if-exists %s docket_bench_import", admin);
		run(drop);
		free(drop);
		free(admin);
		free(fresh);
		free(pgenv);
		free(pgsetup);
		free(pgimport);
	}

	for (size_t i = 0; i < rows_n; i++) {
		request_release(&rows[i].r);
		free(rows[i].line);
	}
	free(rows);
	char *rm = xasprintf("rm -rf %s", dir);
	run(rm);
	free(rm);
	free(cmd);
	free(env);
	free(setup);
	free(import);
	free(hist);
	free(refdb);
	return 0;
}
