/*
 * keys.h - where a database's secret files live (SPEC §10, §16): the log's
 * signing key (".key") and the vault data key (".vault-key").
 *
 * With a key directory (DOCKET_KEYS, set once by main), they are
 * DIR/docket.key and DIR/docket.vault-key, whatever the database.  Without
 * one they sit beside an SQLite file (DB.key, DB.vault-key); a PostgreSQL
 * database has no file to sit beside, so it needs the directory.
 */
#ifndef DOCKET_KEYS_H
#define DOCKET_KEYS_H

/* Set (or with NULL or "", clear) the key directory; the string is copied. */
void keys_dir_set(const char *dir);
/* The key directory, or NULL when none is set. */
const char *keys_dir(void);
/* The file of key `suffix` (".key", ".vault-key") of database db into *out
 * (caller frees); E_USAGE for a PostgreSQL database without a key
 * directory. */
int keys_path(const char *db, const char *suffix, char **out);

/* Where a database's other files go (DB<suffix>, e.g. the server's
 * disclosure packages DB.packages): beside an SQLite file, or for a
 * PostgreSQL database, which has no file, beside its key directory as
 * docket<suffix>.  Caller frees. */
char *keys_beside(const char *db, const char *suffix);

#endif
