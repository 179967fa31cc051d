/*
 * replay.h - the tables are a cache of the log (SPEC §6): replay the log
 * and compare every row that holds a fact with what the replay gives.
 *
 * replay_verify() walks the log once and builds, in memory, the rows each
 * covered table must hold (replay.c says per table which columns are facts
 * and which event sets them); then it reads every row of those tables
 * (store_table_each) and reports, with the table and the row's key:
 *
 *  - a row the log does not record (inserted outside docket),
 *  - a row whose fact columns differ from the replay (changed), naming the
 *    column, the stored value and the logged one with its entry,
 *  - a row the log records that is not stored (deleted).
 *
 * The request and history tables are checked by core/ledger/audit.c, the log's own
 * tables by journal_verify(); replay_tables() lists every table and who
 * checks it, so a test can prove no table is forgotten.
 *
 * Findings go to hooks->finding as JOURNAL_BAD_RECORD.  Run it in the same
 * read snapshot as journal_verify().  Memory grows with the rows replayed.
 */
#ifndef DOCKET_REPLAY_H
#define DOCKET_REPLAY_H

#include <stdint.h>

#include "core/ledger/journal.h"
#include "store/store.h"

struct replay_report {
	uint64_t tables;   /* tables compared */
	uint64_t rows;	   /* rows compared */
	uint64_t entries;  /* log entries replayed */
	uint64_t problems; /* findings */
	int64_t admins;	   /* admins the replay ends with */
};

/* 0 when every covered table matches the log; E_INVALID ("... first in
 * table T") when not; other errors when the store fails. */
int replay_verify(struct store *st, const struct journal_hooks *hooks,
		  struct replay_report *out);

/* Every table docket keeps and how it is checked: "replay", "audit",
 * "journal", or "none: <why>" (a cache that holds no fact).  *known is 0
 * for a table this docket does not know. */
const char *replay_table_check(const char *table);

#endif
