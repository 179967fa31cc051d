/*
 * disclose.h - disclosure in the application layer (SPEC §8,
 * core/disclose/disclose.h, docs/disclosure.md).
 */
#ifndef DOCKET_APP_DISCLOSE_H
#define DOCKET_APP_DISCLOSE_H

#include <stdint.h>

#include "app/app.h"
#include "core/disclose/disclose.h"

/* The disclosure package of ready request id, written to out_path (which
 * must not exist) from the vault: every item read is logged, the package
 * is logged and recorded and the request moves to disclosed, in one unit
 * of work; the file takes its final name only after the commit.  Needs
 * ROLE_APPROVER.  *d describes the package; release it with
 * disclose_release() whatever the result. */
int app_disclose(struct session *s, int64_t id, const char *out_path, const char *reason,
		 const struct app_progress *progress, struct disclosure *d);

/* The package of disclosed request id in directory dir, to hand out
 * again: *fd (the caller's to close) reads it, *out has its file name,
 * recorded SHA-256 and size.  The fetch is logged ("disclosure.download")
 * before the caller sends a byte (approver; package.c). */
struct package_ref {
	char file_name[256];
	char sha256[65];
	uint64_t size;
};
int app_package_fetch(struct session *s, int64_t id, const char *dir,
		      struct package_ref *out, int *fd);

#endif
