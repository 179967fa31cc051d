/*
 * store.c - the engine-neutral front of store.h: a database name picks its
 * engine (store/engine.h).
 */
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "store/engine.h"

enum store_engine store_engine_of(const char *name)
{
	if (str_has_prefix(name, "postgres://") || str_has_prefix(name, "postgresql://"))
		return STORE_ENGINE_POSTGRES;
	return STORE_ENGINE_SQLITE;
}

/* The name is not echoed: a PostgreSQL URL may hold a password. */
static int not_built_in(void)
{
	return err_set(E_USAGE, "the database names a PostgreSQL server, but this docket "
				"has no PostgreSQL engine built in yet");
}

int store_open(const char *name, enum store_open_mode mode, struct store **out)
{
	*out = NULL;
	if (store_engine_of(name) == STORE_ENGINE_POSTGRES)
		return not_built_in();
	return sqlite_store_open(name, mode, out);
}

int store_exists(const char *name)
{
	if (store_engine_of(name) == STORE_ENGINE_POSTGRES)
		return not_built_in();
	return sqlite_store_exists(name);
}

void store_remove(const char *name)
{
	if (store_engine_of(name) == STORE_ENGINE_SQLITE)
		sqlite_store_remove(name);
}
