/*
 * tmpdir.h - a scratch directory per unit test, for the databases and key
 * files the tests create, and the database a test uses in it: a SQLite
 * file, or - when ctest runs the test under the label pg
 * (DOCKET_TEST_ENGINE=pg) - a fresh database in the test cluster that
 * scripts/test.sh starts (DOCKET_PG_HOST, DOCKET_PG_PORT), with its key
 * files in the scratch directory (DOCKET_KEYS).  Header-only: every test
 * program is one file.
 */
#ifndef DOCKET_TEST_TMPDIR_H
#define DOCKET_TEST_TMPDIR_H

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/keys.h"

/* The PostgreSQL database made for the scratch directory (one a program). */
static char testdb_pg_name[64];

/* Is this run on PostgreSQL? */
static inline int testdb_is_pg(void)
{
	const char *e = getenv("DOCKET_TEST_ENGINE");
	return e && strcmp(e, "pg") == 0;
}

/* The database a test uses in dir, into out: "<dir>/t.db", or a new
 * PostgreSQL database named after dir; 0 or -1. */
static inline int testdb_path(const char *dir, char *out, size_t outsz)
{
	if (!testdb_is_pg())
		return snprintf(out, outsz, "%s/t.db", dir) < (int)outsz ? 0 : -1;
	const char *host = getenv("DOCKET_PG_HOST"), *port = getenv("DOCKET_PG_PORT");
	const char *base = strrchr(dir, '/');
	char cmd[512];
	size_t n = 0;
	if (!host || !port)
		return -1;
	for (base = base ? base + 1 : dir; *base && n + 1 < sizeof(testdb_pg_name); base++)
		testdb_pg_name[n++] = isalnum((unsigned char)*base)
					      ? (char)tolower((unsigned char)*base)
					      : '_';
	testdb_pg_name[n] = '\0';
	snprintf(cmd, sizeof(cmd), "createdb -h '%s' -p '%s' -U postgres '%s'", host, port,
		 testdb_pg_name);
	if (system(cmd) != 0)
		return -1;
	keys_dir_set(dir);
	return snprintf(out, outsz, "postgresql:///%s?host=%s&port=%s&user=postgres",
			testdb_pg_name, host, port) < (int)outsz
		       ? 0
		       : -1;
}

/* Make /tmp/docket-<tag>-XXXXXX into dir (64 bytes); 0 or -1. */
static inline int tmpdir_make(char dir[64], const char *tag)
{
	snprintf(dir, 64, "/tmp/docket-%s-XXXXXX", tag);
	return mkdtemp(dir) ? 0 : -1;
}

/* Remove dir and everything in it, and the PostgreSQL database made for
 * it; 0 or -1. */
static inline int tmpdir_remove(const char *dir)
{
	char cmd[512];
	if (testdb_pg_name[0]) {
		snprintf(cmd, sizeof(cmd), "dropdb --force -h '%s' -p '%s' -U postgres '%s'",
			 getenv("DOCKET_PG_HOST"), getenv("DOCKET_PG_PORT"), testdb_pg_name);
		if (system(cmd) != 0)
			return -1;
		testdb_pg_name[0] = '\0';
		keys_dir_set(NULL);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

#endif
