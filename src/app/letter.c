/*
 * letter.c - letters to the agency (letter.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/digest.h"
#include "base/err.h"
#include "base/util.h"
#include "app/letter.h"
#include "app/request.h"
#include "core/config.h"
#include "core/notice/notice.h"
#include "core/present/tmpl.h"
#include "mail/mail.h"

const char *const letter_kinds[] = {"acknowledgement", "rejection", "redirect", "narrowing",
				    "production", NULL};

int letter_kind_ok(const char *kind)
{
	for (const char *const *k = letter_kinds; *k; k++)
		if (kind && strcmp(kind, *k) == 0)
			return 1;
	return 0;
}

/* --- the templates' folder ------------------------------------------------- */

static char templates_dir[4096];
static pthread_once_t templates_once = PTHREAD_ONCE_INIT;

static void templates_find(void)
{
	struct stat sb;
	const char *env = getenv("DOCKET_TEMPLATES_DIR");
	if (env && *env) {
		snprintf(templates_dir, sizeof(templates_dir), "%s", env);
		return;
	}
	char exe[2048];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(templates_dir, sizeof(templates_dir),
				 "%s/../share/docket/templates", exe);
			if (stat(templates_dir, &sb) == 0 && S_ISDIR(sb.st_mode))
				return;
		}
	}
	snprintf(templates_dir, sizeof(templates_dir), "%s", DOCKET_TEMPLATES_DIR);
}

const char *app_templates_dir(void)
{
	pthread_once(&templates_once, templates_find);
	return templates_dir;
}

int app_template_read(const char *rel, size_t max, char **text, size_t *len)
{
	char path[4352];
	snprintf(path, sizeof(path), "%s/%s", app_templates_dir(), rel);
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(E_NOTFOUND, "template '%s' not found in %s", rel,
			       app_templates_dir());
	struct buf b;
	buf_init(&b, max);
	int rc = buf_read_file(&b, f, rel);
	fclose(f);
	if (rc < 0) {
		buf_release(&b);
		return rc;
	}
	*text = buf_detach(&b, len);
	return 0;
}

static int load_letter(void *ctx, const char *name, char **text, size_t *len)
{
	(void)ctx;
	char rel[512];
	snprintf(rel, sizeof(rel), "letters/%s.txt", name);
	return app_template_read(rel, TMPL_SOURCE_MAX, text, len);
}

/* --- drafts ----------------------------------------------------------------- */

int app_letter_draft(struct session *s, int64_t id, const char *kind, char **text)
{
	json_t *r = NULL;
	char *provider = NULL, *contact = NULL, *src = NULL;
	struct tmpl *t = NULL;
	size_t len;
	int rc;
	*text = NULL;
	if (!letter_kind_ok(kind))
		return err_set(E_INVALID, "unknown letter '%.32s' (acknowledgement, rejection, "
					  "redirect, narrowing, production)",
			       kind ? kind : "");
	if ((rc = session_require(s, 0, "draft letters")) < 0 ||
	    (rc = app_request_json(s, id, &r)) < 0)
		return rc;
	const struct config_key *pk = config_find("provider_name");
	const struct config_key *ck = config_find("legal_contact");
	if ((pk && (rc = config_get_value(s->st, pk, &provider)) < 0) ||
	    (ck && (rc = config_get_value(s->st, ck, &contact)) < 0))
		goto out;
	char today[TS_BUFSZ];
	date_format(s->now, today);
	json_t *data = json_pack("{s:O, s:s, s:s, s:s, s:s}", "r", r, "provider",
				 provider ? provider : "the provider", "contact",
				 contact ? contact : "", "today", today, "user", s->user);
	/* the enterprise customers a redirect names */
	json_t *ent = json_array(), *res = json_object_get(r, "resolution"), *v;
	size_t i;
	json_array_foreach(res, i, v)
		if (json_is_string(json_object_get(v, "customer")))
			json_array_append(ent, v);
	json_object_set_new(data, "targets_resolved", ent);
	if ((rc = load_letter(NULL, kind, &src, &len)) == 0 &&
	    (rc = tmpl_compile(kind, src, len, TMPL_TEXT, load_letter, NULL, &t)) == 0) {
		struct buf b;
		buf_init(&b, LETTER_TEXT_MAX);
		if ((rc = tmpl_render(t, data, &b)) == 0)
			*text = buf_detach(&b, NULL);
		else
			buf_release(&b);
	}
	json_decref(data);
out:
	tmpl_free(t);
	free(src);
	free(provider);
	free(contact);
	json_decref(r);
	return rc;
}

/* --- sending ---------------------------------------------------------------- */

struct letter_job {
	struct letter_row row;
	int64_t id;
	const char *state, *message_id, *error;
};

static int written_body(struct session *s, void *ctx)
{
	struct letter_job *j = ctx;
	int rc = store_letter_add(s->st, &j->row, &j->id);
	return rc < 0 ? rc
		      : app_log(s, "letter.written",
				json_pack("{s:I, s:I, s:s, s:s, s:s}", "request",
					  (json_int_t)j->row.request_id, "letter",
					  (json_int_t)j->id, "kind", j->row.kind, "to", j->row.to,
					  "sha256", j->row.sha256),
				NULL);
}

static int finished_body(struct session *s, void *ctx)
{
	struct letter_job *j = ctx;
	int rc = store_letter_finish(s->st, j->id, j->state, s->now, j->message_id, j->error);
	json_t *f = json_pack("{s:I, s:I, s:s}", "request", (json_int_t)j->row.request_id,
			      "letter", (json_int_t)j->id, "sha256", j->row.sha256);
	if (j->message_id)
		json_object_set_new(f, "message_id", json_string(j->message_id));
	if (rc < 0) {
		json_decref(f);
		return rc;
	}
	return app_log(s, strcmp(j->state, "sent") == 0 ? "letter.sent" : "letter.failed", f,
		       NULL);
}

/* "Subject: X\n\nbody" -> subject and body (pointers into a copy). */
static int split(char *copy, const char **subject, const char **body)
{
	if (strncmp(copy, "Subject:", 8) != 0)
		return err_set(E_INVALID, "field 'text': a letter begins with a line "
					  "'Subject: ...'");
	char *nl = strchr(copy, '\n');
	if (!nl)
		return err_set(E_INVALID, "field 'text': the letter has no body");
	*nl = '\0';
	if (nl > copy && nl[-1] == '\r')
		nl[-1] = '\0';
	char *subj = copy + 8;
	while (*subj == ' ')
		subj++;
	if (!*subj)
		return err_set(E_INVALID, "field 'text': the subject is empty");
	char *b = nl + 1;
	while (*b == '\r' || *b == '\n')
		b++;
	if (!*b)
		return err_set(E_INVALID, "field 'text': the letter has no body");
	*subject = subj;
	*body = b;
	return 0;
}

int app_letter_send(struct session *s, int64_t id, const char *kind, const char *to,
		    const char *text, int64_t *letter_id)
{
	struct notice_mailer m;
	struct buf msg;
	const char *subject = NULL, *body = NULL;
	char sha[65], *copy = NULL;
	int rc;
	*letter_id = 0;
	if ((rc = session_require(s, ROLE_BIT(ROLE_INTAKE) | ROLE_BIT(ROLE_REVIEWER),
				  "send letters")) < 0)
		return rc;
	if (!letter_kind_ok(kind))
		return err_set(E_INVALID, "field 'kind': unknown letter '%.32s'", kind ? kind : "");
	if (!to || !mail_addr_ok(to))
		return err_set(E_INVALID, "field 'to': not an e-mail address docket sends to");
	if (!text || strlen(text) > LETTER_TEXT_MAX)
		return err_set(E_INVALID, "field 'text': empty or longer than %zu bytes",
			       LETTER_TEXT_MAX);
	struct request r;
	int has = 0;
	if ((rc = app_request_get(s, id, &r, NULL, &has)) < 0)
		return rc;
	request_release(&r);
	/* line ends as '\n' (a browser sends a textarea's as CRLF), so the
	 * hash is of the text as a person sees it, whatever sent it */
	char *norm = xstrdup(text), *w = norm;
	for (const char *c = text; *c; c++)
		if (!(c[0] == '\r' && c[1] == '\n'))
			*w++ = *c;
	*w = '\0';
	digest_hex(norm, strlen(norm), sha);
	copy = norm;
	if ((rc = split(copy, &subject, &body)) < 0)
		goto out;
	struct letter_job j = {.row = {.request_id = id, .kind = kind, .to = to,
				       .subject = subject, .body = body, .sha256 = sha,
				       .written_at = s->now, .written_by = s->user}};
	if ((rc = app_unit(s, written_body, &j)) < 0)
		goto out;
	*letter_id = j.id;
	if ((rc = notice_mailer_load(s->st, s->db, s->origin ? s->origin : "docket.invalid",
				     &m)) < 0)
		goto out;
	char host[MAIL_HOST_MAX], mid[MAIL_ID_MAX + 64];
	mail_origin_host(m.origin, host);
	snprintf(mid, sizeof(mid), "<letter-%lld.%.16s@%s>", (long long)j.id, sha, host);
	struct mail_message mm = {.from = m.from, .from_name = m.from_name, .to = to,
				  .subject = subject, .message_id = mid, .date = s->now,
				  .body = body};
	buf_init(&msg, LETTER_TEXT_MAX * 4);
	int drc = mail_format(&mm, &msg);
	if (drc == 0) {
		if (m.transport.smtp_url) {
			drc = mail_smtp_send(&m.transport, m.from, to, msg.ptr, msg.len, NULL);
		} else {
			char name[64];
			snprintf(name, sizeof(name), "letter-%lld.eml", (long long)j.id);
			drc = mail_outbox_write(m.outbox_dir, name, msg.ptr, msg.len);
		}
	}
	buf_release(&msg);
	notice_mailer_release(&m);
	char *why = drc < 0 ? xstrdup(err_msg()) : NULL;
	j.state = drc < 0 ? "failed" : "sent";
	j.message_id = drc < 0 ? NULL : mid;
	j.error = why;
	rc = app_unit(s, finished_body, &j);
	if (rc == 0 && drc < 0)
		rc = err_set(E_IO, "letter %lld stored but not sent: %s", (long long)j.id, why);
	free(why);
out:
	free(copy);
	return rc;
}

/* --- listing ----------------------------------------------------------------- */

static int list_row(void *ctx, const struct letter_row *l)
{
	char w[TS_BUFSZ], sent[TS_BUFSZ] = "";
	time_format(l->written_at, w);
	if (l->sent_at)
		time_format(l->sent_at, sent);
	json_array_append_new(
		ctx, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
			       (json_int_t)l->id, "kind", l->kind, "to", l->to, "subject",
			       l->subject, "sha256", l->sha256, "state", l->state, "written_at", w,
			       "written_by", l->written_by, "sent_at", sent, "message_id",
			       l->message_id, "error", l->error));
	return 0;
}

int app_letter_list_json(struct session *s, int64_t id, json_t **out)
{
	json_t *a = json_array();
	int rc = store_letter_each(s->st, id, list_row, a);
	if (rc < 0) {
		json_decref(a);
		a = NULL;
	}
	*out = a;
	return rc;
}
