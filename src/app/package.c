/*
 * package.c - handing out a disclosure package again (app_package_fetch in
 * app/disclose.h): an approver downloads the package of a disclosed request
 * from the server.  Customer data leaves with it, so every fetch is a log
 * entry (I1: every read is logged).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/disclose.h"
#include "base/err.h"
#include "base/util.h"

struct fetch_job {
	int64_t id;
	struct package_ref *ref;
};

static int found(void *ctx, const struct disclosure_record *d)
{
	struct package_ref *p = ctx;
	str_copy(p->file_name, sizeof(p->file_name), d->file_name);
	str_copy(p->sha256, sizeof(p->sha256), d->sha256);
	return 0;
}

static int fetch_body(struct session *s, void *ctx)
{
	struct fetch_job *j = ctx;
	return app_log(s, "disclosure.download",
		       json_pack("{s:I, s:s}", "request", (json_int_t)j->id, "sha256",
				 j->ref->sha256),
		       NULL);
}

int app_package_fetch(struct session *s, int64_t id, const char *dir,
		      struct package_ref *out, int *fd)
{
	struct fetch_job j = {id, out};
	struct stat sb;
	int rc;
	memset(out, 0, sizeof(*out));
	*fd = -1;
	if ((rc = session_require(s, ROLE_BIT(ROLE_APPROVER), "fetch disclosure packages")) <
		    0 ||
	    (rc = store_disclosure_each(s->st, id, found, out)) < 0)
		return rc;
	if (!out->file_name[0] || strchr(out->file_name, '/') || out->file_name[0] == '.')
		return err_set(E_NOTFOUND, "request %lld has no disclosure package",
			       (long long)id);
	char *path = xasprintf("%s/%s", dir, out->file_name);
	int f = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	free(path);
	if (f < 0)
		return err_set(E_NOTFOUND, "the package of request %lld is not in '%s'",
			       (long long)id, dir);
	if (fstat(f, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(f);
		return err_set(E_IO, "cannot read the package of request %lld", (long long)id);
	}
	out->size = (uint64_t)sb.st_size;
	if ((rc = app_unit(s, fetch_body, &j)) < 0) {
		close(f);
		return rc;
	}
	*fd = f;
	return 0;
}
