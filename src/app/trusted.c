/*
 * trusted.c - `log verify --trusted`: the log against a checkpoint kept
 * elsewhere (app/journal.h, core/ledger/trusted.h).
 */
#include <stdlib.h>

#include "app/journal.h"
#include "base/err.h"

int app_journal_trusted(struct session *s, const char *vkey, const char *note, size_t len,
			const struct journal_hooks *hooks, struct trusted_report *out)
{
	struct note_verifier v;
	char *key = NULL;
	int rc;
	if ((rc = app_journal_key(s, vkey, &key)) < 0)
		return rc;
	rc = note_verifier_parse(key, &v);
	free(key);
	if (rc < 0)
		return rc;
	if ((rc = store_snapshot_begin(s->st)) < 0)
		return rc;
	rc = journal_check_trusted(s->st, &v, note, len, hooks, out);
	store_snapshot_end(s->st);
	return rc;
}
