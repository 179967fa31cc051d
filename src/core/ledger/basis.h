/*
 * basis.h - before any customer data is read for a disclosure, the facts
 * the disclosure relies on are checked against the log, not only the
 * tables (SPEC §6, §8; invariants I7, I8, I10).
 *
 * disclose_basis_check() walks the request's history rows, reads the log
 * entry each one points at, and requires:
 *
 *  - every row to be backed by its entry (type request.<event>, this
 *    request, the same from and to states), the rows to form one chain
 *    from how the request came in to its current state (so a row cannot
 *    be deleted to hide a narrowing);
 *  - two sign-offs by two different approvers, each an entry of type
 *    request.sign_off / sign_off_final by that approver, and every stored
 *    approval row to be one of them (a forged approval row is refused);
 *  - the stored scope to be the categories of the last logged narrowing
 *    (or none), the categories asked for and the supported ones to be the
 *    logged ones, and every target to be the logged target (journal_ref)
 *    resolved to the logged account.
 *
 * E_INVALID naming what does not match; nothing is read then.
 */
#ifndef DOCKET_BASIS_H
#define DOCKET_BASIS_H

#include "model/model.h"
#include "store/store.h"

int disclose_basis_check(struct store *st, const struct request *r);

#endif
