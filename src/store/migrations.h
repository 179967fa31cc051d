/*
 * migrations.h - the numbered schema migrations compiled into docket
 * (generated from src/store/migrations/NNNN_name.sql by cmake).  Applied in
 * order by store_open(); the schema version is SQLite's user_version.
 */
#ifndef DOCKET_MIGRATIONS_H
#define DOCKET_MIGRATIONS_H

struct migration {
	int version;
	const char *name;
	const char *sql;
};

extern const struct migration store_migrations[];
extern const int store_migration_count;

#endif
