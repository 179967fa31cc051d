/*
 * txn.h - the transaction bracket of the unit of work.  Private: in src/
 * only the unit of work (src/app/unit.c) and the engines include it, so
 * nothing else can commit, and every commit follows a signed checkpoint of
 * the log (invariant I8).  tests/layering.sh enforces this.
 *
 * store_begin() takes the write lock at once (SQLite: BEGIN IMMEDIATE), so
 * two processes serialise instead of failing half way; when the lock cannot
 * be had within the engine's busy timeout it fails with E_CONFLICT, a
 * transient conflict the unit of work retries.  store_commit() also answers
 * E_CONFLICT (with the transaction rolled back, nothing written) when the
 * engine refuses the commit for a concurrent writer - PostgreSQL's
 * serialization failure.  Any other commit failure (an I/O error, a failed
 * fsync) is fatal: store_commit() does not return, because the state on
 * disk is unknown.
 */
#ifndef DOCKET_STORE_TXN_H
#define DOCKET_STORE_TXN_H

struct store;

int store_begin(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st);   /* no-op outside a transaction */

#endif
