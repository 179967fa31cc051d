/*
 * engine.h - private to src/store/: which engine serves a database name,
 * and each engine's entry points behind store_open(), store_exists() and
 * store_remove() (store.c).  Every other store_* function is implemented by
 * the engine itself; today that is SQLite alone (src/store/sqlite/), and a
 * second engine turns struct store into a table of the engine's functions.
 */
#ifndef DOCKET_STORE_ENGINE_H
#define DOCKET_STORE_ENGINE_H

#include "store/store.h"

enum store_engine {
	STORE_ENGINE_SQLITE,      /* a file path */
	STORE_ENGINE_POSTGRES,    /* postgres://... or postgresql://... */
};

/* The engine a database name asks for. */
enum store_engine store_engine_of(const char *name);

/* The SQLite engine (src/store/sqlite/sqlite.c). */
int sqlite_store_open(const char *path, enum store_open_mode mode, struct store **out);
int sqlite_store_exists(const char *path);
void sqlite_store_remove(const char *path);

#endif
