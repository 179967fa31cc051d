/*
 * disclose.c - the disclosure unit of work (app/disclose.h).
 */
#include <string.h>

#include "base/err.h"
#include "base/util.h"

#include "app/disclose.h"
#include "core/disclose/vault.h"

struct disclose_job {
	int64_t id;
	const char *out_path, *reason;
	const struct app_progress *progress;
	struct disclosure *d;
};

static void on_item(void *ctx, uint64_t items, uint64_t bytes)
{
	(void)bytes;
	app_progress_update(ctx, items);
}

static int disclose_body(struct session *s, void *ctx)
{
	struct disclose_job *j = ctx;
	struct staff by = session_staff(s);
	struct disclose_hooks hooks = {on_item, (void *)j->progress};
	struct source src;
	disclose_release(j->d); /* a retry writes the package afresh */
	app_progress_start(j->progress, "disclosing items", 0);
	vault_source(s->st, &src);
	return disclose_prepare(s->st, &src, s->signer, s->origin, &by, j->id,
				j->out_path, j->reason, &hooks, j->d);
}

int app_disclose(struct session *s, int64_t id, const char *out_path, const char *reason,
		 const struct app_progress *progress, struct disclosure *d)
{
	struct disclose_job j = {id, out_path, reason, progress, d};
	int rc;
	memset(d, 0, sizeof(*d));
	if ((rc = session_require(s, ROLE_BIT(ROLE_APPROVER), "disclose")) < 0 ||
	    (rc = app_unit(s, disclose_body, &j)) < 0)
		return rc;
	app_progress_finish(progress, d->items);
	if ((rc = disclose_publish(d)) < 0) {
		/* committed: the request is disclosed and the package logged; the
		 * package itself is kept where the message says (core/disclose/package.h) */
		char why[768];
		str_copy(why, sizeof(why), err_msg());
		return err_set(err_from_rc(rc),
			       "request %lld is disclosed and the package (sha256 %s) is "
			       "logged, but %s",
			       (long long)id, d->sha256, why);
	}
	return 0;
}
