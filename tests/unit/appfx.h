/*
 * appfx.h - a database made the way docket makes one, for unit tests of
 * the domain: app_init() with the admin "root", one user per role, and
 * fixture customers and agencies imported through the application layer.
 * Header-only: every test program is one file.
 */
#ifndef DOCKET_TEST_APPFX_H
#define DOCKET_TEST_APPFX_H

#include <stdio.h>
#include <string.h>

#include "tmpdir.h"

#include "app/admin.h"
#include "app/app.h"
#include "app/import.h"

#define APPFX_CUSTOMERS                                                                  \
	"{\"id\":\"c-alice\",\"name\":\"Alice "                                          \
	"Example\",\"type\":\"consumer\",\"country\":"                                   \
	"\"US\",\"data_location\":\"US\",\"us_person\":true,\"contact\":{\"email\":"     \
	"\"alice@example.net\"},\"accounts\":[{\"type\":\"email\",\"value\":"            \
	"\"alice@example.net\"}]}\n"                                                     \
	"{\"id\":\"c-hans\",\"name\":\"Hans "                                            \
	"Beispiel\",\"type\":\"consumer\",\"country\":"                                  \
	"\"DE\",\"data_location\":\"IE\",\"us_person\":false,\"contact\":{\"email\":"    \
	"\"hans@example.de\"},\"accounts\":[{\"type\":\"email\",\"value\":"              \
	"\"hans@example.de\"}]}\n"
#define APPFX_AGENCIES                                                                   \
	"{\"id\":\"us-lapd\",\"name\":\"Los Angeles Police "                             \
	"Department\",\"country\":\"US\","                                               \
	"\"type\":\"law_enforcement\",\"domains\":[\"lapd.gov\"],\"phone\":"             \
	"\"+1 213 555 0100\"}\n"

struct appfx {
	char dir[64];
	char path[256];
	struct session *s; /* as root (admin) */
};

/* Make the database; 0 or -1. */
static inline int appfx_setup(struct appfx *f, const char *tag)
{
	static const char *const roles[] = {"intake", "reviewer", "approver",
					    "compliance", "auditor"};
	struct app_init_result made;
	size_t n;
	memset(f, 0, sizeof(*f));
	if (tmpdir_make(f->dir, tag) < 0)
		return -1;
	if (testdb_path(f->dir, f->path, sizeof(f->path)) < 0)
		return -1;
	if (app_init(f->path, "test.example/log", "root", &made) < 0)
		return -1;
	app_init_release(&made);
	if (session_open(f->path, "root", &f->s) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		char name[32];
		unsigned bits;
		snprintf(name, sizeof(name), "%s-1", roles[i]);
		if (roles_parse(roles[i], &bits) < 0 ||
		    app_user_add(f->s, name, bits) < 0)
			return -1;
	}
	if (app_customer_import(f->s, "customers", APPFX_CUSTOMERS,
				strlen(APPFX_CUSTOMERS), NULL, &n) < 0 ||
	    app_agency_import(f->s, "agencies", APPFX_AGENCIES, strlen(APPFX_AGENCIES),
			      NULL, &n) < 0)
		return -1;
	return 0;
}

static inline void appfx_teardown(struct appfx *f)
{
	session_close(f->s);
	tmpdir_remove(f->dir);
}

/* A session of user `name` on the fixture's database (close it). */
static inline struct session *appfx_as(struct appfx *f, const char *name)
{
	struct session *s = NULL;
	return session_open(f->path, name, &s) < 0 ? NULL : s;
}

#endif
