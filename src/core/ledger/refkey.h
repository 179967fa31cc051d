/*
 * refkey.h - the key of the log's identifier references (SPEC §6).
 *
 * An identifier (an account's address, a customer id, a recipient) is
 * written in a log entry as "hmac-sha256:<hex>" of "<kind>:<value>" under a
 * 32-byte secret key kept in the file "<database>.ref-key" beside the
 * database (mode 0600, one line "docket-ref-key/1 <base64>").  Whoever
 * holds the log but not the key cannot test whether an address was
 * targeted; the provider (and an auditor given the key) can recompute a
 * reference.  The key is never logged, printed or stored in the database.
 *
 * `docket init` creates it; a database made before it gets one on first
 * use (journal_ref()), so old entries keep their plain "sha256:" references
 * and new ones are keyed.  Losing the file loses only the ability to
 * recompute references; back it up with the database.
 */
#ifndef DOCKET_REFKEY_H
#define DOCKET_REFKEY_H

#include "store/store.h"

#define REFKEY_SUFFIX ".ref-key"
#define REFKEY_BYTES 32
/* "hmac-sha256:" + 64 hex + NUL */
#define JOURNAL_REF_LEN 77

/* A new key file at path (E_REFUSED when it exists). */
int refkey_generate(const char *path);
/* The key of st's database, loaded once per process and database, made on
 * first use when the file is missing. */
int refkey_get(struct store *st, unsigned char key[REFKEY_BYTES]);

#endif
