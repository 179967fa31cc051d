/*
 * trusted.c - the log against a checkpoint recorded elsewhere (trusted.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "core/ledger/trusted.h"

static int found(const struct journal_hooks *hooks, uint64_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int found(const struct journal_hooks *hooks, uint64_t size, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (hooks && hooks->finding) {
		struct journal_finding f = {.problem = JOURNAL_INCONSISTENT,
					    .index = size,
					    .message = msg,
					    .request = 0};
		hooks->finding(hooks->ctx, &f);
	}
	return err_set(E_INVALID, "%s", msg);
}

int journal_check_trusted(struct store *st, const struct note_verifier *v,
			  const char *note, size_t len, const struct journal_hooks *hooks,
			  struct trusted_report *out)
{
	struct checkpoint cp;
	size_t text_len;
	char *origin = NULL;
	uint8_t root[MERKLE_HASH_LEN];
	int rc;
	memset(out, 0, sizeof(*out));
	if (note_open(note, len, v, &text_len) < 0)
		return err_set(E_INVALID, "the trusted checkpoint is not signed by %s: %s",
			       v->name, err_msg());
	if (checkpoint_parse(note, text_len, &cp) < 0)
		return err_set(E_INVALID, "the trusted checkpoint is not a checkpoint: %s",
			       err_msg());
	out->size = cp.size;
	if ((rc = store_log_size(st, &out->log_size)) < 0)
		return rc;
	if ((rc = store_setting_get(st, "log.origin", &origin)) < 0)
		return rc;
	int same_origin = strcmp(origin, cp.origin) == 0;
	free(origin);
	if (!same_origin)
		return found(hooks, cp.size, "the trusted checkpoint is of log '%s', not this one",
			     cp.origin);
	if (out->log_size < cp.size)
		return found(hooks, cp.size,
			     "the log holds %llu entries but the trusted checkpoint signed "
			     "%llu: entries were removed (a rollback)",
			     (unsigned long long)out->log_size, (unsigned long long)cp.size);
	if ((rc = journal_root(st, cp.size, root)) < 0)
		return rc == -E_NOTFOUND || rc == -E_STORAGE
			       ? found(hooks, cp.size,
				       "the log's first %llu entries cannot be hashed: %s",
				       (unsigned long long)cp.size, err_msg())
			       : rc;
	if (memcmp(root, cp.root, MERKLE_HASH_LEN) != 0)
		return found(hooks, cp.size,
			     "the log's first %llu entries are not the ones the trusted "
			     "checkpoint signed: the log was rewritten",
			     (unsigned long long)cp.size);
	return 0;
}
