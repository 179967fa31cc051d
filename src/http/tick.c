/*
 * tick.c - the server's scheduler pass and its start-up checks on the
 * files that hold secrets.
 *
 * Every tick_s seconds one thread runs the work of `docket tick`
 * (app_tick, app/notice.h): holds expire, notices are released and
 * delivered, reviews are raised, witnesses are offered the checkpoint.  It acts as the user "scheduler" with the admin role,
 * like an operator's cron job running `docket tick`; its log entries name
 * that actor.  Several servers over one database may all tick: the pass
 * runs in one process at a time (store_scheduler_lock; the others skip
 * their turn), and would be safe twice at once anyway (notices are
 * claimed).
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/keys.h"
#include "base/util.h"
#include "app/notice.h"
#include "http/server_int.h"

void http_tick(struct http_server *srv)
{
	struct store *st;
	struct tick_stats s = {0};
	if (http_worker_store(srv, &st) < 0) {
		fprintf(stderr, "docket serve: scheduler: %s\n", err_msg());
		return;
	}
	struct session a = {.st = st, .db = (char *)srv->db_path, .user = "scheduler",
			    .roles = ROLE_BIT(ROLE_ADMIN), .rules_dir = (char *)srv->rules_dir,
			    .rules = srv->rules, .signer = srv->signer,
			    .ns_signer = srv->ns_signer, .origin = srv->origin};
	if (clock_now(&a.now) < 0 || app_tick(&a, &s) < 0) {
		fprintf(stderr, "docket serve: scheduler: %s\n", err_msg());
		return;
	}
	if (s.holds_expired || s.released || s.delivery.sent || s.delivery.failed ||
	    s.reviews)
		fprintf(stderr,
			"docket serve: scheduler: %d holds expired, %d notices released, "
			"%d sent, %d failed, %d reviews due\n",
			s.holds_expired, s.released, s.delivery.sent, s.delivery.failed,
			s.reviews);
	if (s.witness.offered)
		fprintf(stderr,
			"docket serve: scheduler: checkpoint offered to %d witnesses: %d "
			"cosigned, %d failed ('docket witness list' says why)\n",
			s.witness.offered, s.witness.cosigned, s.witness.failed);
}

int http_secret_file_check(const char *path)
{
	struct stat sb;
	if (stat(path, &sb) < 0)
		return err_set(errno == ENOENT ? E_NOTFOUND : E_IO, "cannot read '%s': %s", path,
			       strerror(errno));
	if (sb.st_mode & (S_IRWXG | S_IRWXO))
		return err_set(E_FORBIDDEN, "'%s' can be read by others (mode %03o): run "
					    "'chmod 600 %s' as its owner before serving",
			       path, (unsigned)(sb.st_mode & 0777), path);
	if (sb.st_uid != geteuid())
		return err_set(E_FORBIDDEN, "'%s' belongs to uid %u, not to the user running "
					    "the server (uid %u): serve as the service user "
					    "that owns the database",
			       path, (unsigned)sb.st_uid, (unsigned)geteuid());
	return 0;
}

/* The database and the key files beside it: DB, DB.key, DB.vault-key,
 * DB.mfa-key (the last two are made on first use by an older database). */
int http_key_files_check(const char *db_path)
{
	static const char *const suffixes[] = {"", ".key", ".vault-key", ".mfa-key"};
	for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++) {
		char *p = NULL;
		int rc;
		if (i == 0) {
			if (str_has_prefix(db_path, "postgres://") ||
			    str_has_prefix(db_path, "postgresql://"))
				continue;   /* no file: the server's own access rules */
			p = xstrdup(db_path);
		} else if ((rc = keys_path(db_path, suffixes[i], &p)) < 0) {
			return rc;
		}
		rc = http_secret_file_check(p);
		free(p);
		if (rc == -E_NOTFOUND && i >= 2) {
			err_clear();
			continue;   /* made on first use (the vault, enrolment) */
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}
