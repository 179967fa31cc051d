/*
 * witness.c - registering witnesses, offering them checkpoints, serving
 * their cosignatures and checking them (witness.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "core/ledger/witness.h"
#include "log/cosig.h"

/* ===================================================================
 * Registering
 * =================================================================== */

struct census {
	const char *name;
	int active, rows;
	int found, found_removed;
	char *found_vkey;
};

static int count_one(void *ctx, const struct witness_row *w)
{
	struct census *c = ctx;
	c->rows++;
	if (!w->removed_at)
		c->active++;
	if (c->name && strcmp(w->name, c->name) == 0) {
		c->found = 1;
		c->found_removed = w->removed_at != 0;
		free(c->found_vkey);
		c->found_vkey = xstrdup(w->vkey);
	}
	return 0;
}

int witness_add(struct store *st, const struct actor *who, const char *name,
		const char *url, const char *vkey)
{
	struct note_verifier v;
	int rc;
	if (!note_name_valid(name, strlen(name)))
		return err_set(E_INVALID,
			       "witness name '%.100s' is not a key name (no spaces, no '+')",
			       name);
	if (!witness_url_valid(url))
		return err_set(E_INVALID,
			       "witness url '%.100s' is not an http:// or https:// url of at "
			       "most %d bytes",
			       url, WITNESS_URL_MAX);
	if (strlen(vkey) > 512 || cosig_verifier_parse(vkey, &v) < 0)
		return err_set(E_INVALID,
			       "witness key '%.100s' is not a cosignature verifier key "
			       "(<name>+<key id>+<base64 of 0x04 and the Ed25519 key>)",
			       vkey);
	if (strcmp(v.name, name) != 0)
		return err_set(E_INVALID, "witness key is for '%s', not '%s'", v.name, name);
	struct census c = {.name = name};
	if ((rc = store_witness_each(st, count_one, &c)) < 0) {
		free(c.found_vkey);
		return rc;
	}
	if (c.found && !c.found_removed)
		rc = err_set(E_REFUSED, "witness '%s' is already registered", name);
	else if (c.found && strcmp(c.found_vkey, vkey) != 0)
		rc = err_set(E_REFUSED,
			     "witness '%s' was removed, and its past cosignatures are checked "
			     "with its old key: a witness with a new key needs a new name",
			     name);
	else if (c.active >= WITNESS_MAX)
		rc = err_set(E_REFUSED, "the log has %d witnesses, the most it may have",
			     WITNESS_MAX);
	else if (!c.found && c.rows >= WITNESS_ROWS_MAX)
		rc = err_set(E_REFUSED, "the log has had %d witnesses, the most it may have",
			     WITNESS_ROWS_MAX);
	free(c.found_vkey);
	if (rc < 0 || (rc = store_witness_add(st, name, url, vkey, who->now)) < 0)
		return rc;
	return event_log(st, who, "witness.add",
			 json_pack("{s:s, s:s, s:s}", "name", name, "url", url, "vkey", vkey),
			 NULL);
}

int witness_remove(struct store *st, const struct actor *who, const char *name)
{
	struct census c = {.name = name};
	int rc = store_witness_each(st, count_one, &c);
	free(c.found_vkey);
	if (rc < 0)
		return rc;
	if (!c.found) {
		rc = err_set(E_NOTFOUND, "no witness '%.100s'", name);
		err_set_remedy(REMEDY_LIST_WITNESSES, 0);
		return rc;
	}
	if (c.found_removed)
		return err_set(E_REFUSED, "witness '%s' was removed already", name);
	if ((rc = store_witness_remove(st, name, who->now)) < 0)
		return rc;
	return event_log(st, who, "witness.remove", json_pack("{s:s}", "name", name), NULL);
}

/* ===================================================================
 * The served checkpoint
 * =================================================================== */

struct served {
	struct buf *b;
	struct witness_list ws;
};

/* A cosignature line of a witness in service (a removed witness's stay
 * stored, for `log verify`, but are no longer vouched for). */
static int add_line(void *ctx, const char *witness, uint64_t size, const char *line,
		    uint64_t time)
{
	(void)size;
	(void)time;
	struct served *sv = ctx;
	for (int i = 0; i < sv->ws.n; i++)
		if (strcmp(sv->ws.v[i].name, witness) == 0 && sv->ws.v[i].removed)
			return 0;
	int rc = buf_adds(sv->b, line);
	return rc < 0 ? rc : buf_addc(sv->b, '\n');
}

int witness_checkpoint(struct store *st, uint64_t size, uint64_t *size_out, char **out)
{
	struct buf b;
	char *note = NULL;
	uint64_t at = size;
	int rc;
	*out = NULL;
	rc = size == UINT64_MAX ? store_checkpoint_latest(st, &at, &note)
				: store_checkpoint_get(st, size, &note);
	if (rc < 0)
		return rc;
	buf_init(&b, NOTE_MAX_LEN + WITNESS_MAX * COSIG_LINE_MAX);
	struct served sv = {.b = &b};
	if ((rc = buf_adds(&b, note)) == 0 && (rc = witness_list_load(st, &sv.ws)) == 0)
		rc = store_cosig_each(st, at, add_line, &sv);
	witness_list_free(&sv.ws);
	free(note);
	if (rc < 0) {
		buf_release(&b);
		return rc;
	}
	if (size_out)
		*size_out = at;
	*out = buf_detach(&b, NULL);
	return 0;
}

/* The note text of a stored checkpoint: up to its blank line. */
static size_t note_text_len(const char *note)
{
	const char *blank = strstr(note, "\n\n");
	return blank ? (size_t)(blank - note) + 1 : 0;
}

/* ===================================================================
 * Offering
 * =================================================================== */

static int collect(void *ctx, const struct witness_row *w)
{
	struct witness_list *ws = ctx;
	if (ws->n == WITNESS_ROWS_MAX)
		return 0;
	struct witness_entry *x = &ws->v[ws->n++];
	x->name = xstrdup(w->name);
	x->url = xstrdup(w->url);
	x->vkey = xstrdup(w->vkey);
	x->cosigned = w->cosigned;
	x->removed = w->removed_at != 0;
	return 0;
}

int witness_list_load(struct store *st, struct witness_list *out)
{
	out->n = 0;
	return store_witness_each(st, collect, out);
}

void witness_list_free(struct witness_list *ws)
{
	for (int i = 0; i < ws->n; i++) {
		free(ws->v[i].name);
		free(ws->v[i].url);
		free(ws->v[i].vkey);
	}
	ws->n = 0;
}

static void outcome(struct witness_outcome *o, int problem, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void outcome(struct witness_outcome *o, int problem, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(o->status, sizeof(o->status), fmt, ap);
	va_end(ap);
	o->problem = problem;
}

/* The first line of a witness's answer, printable ASCII only, for a status. */
static void answer_excerpt(const struct buf *body, char *out, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < body->len && body->ptr[i] != '\n' && k + 1 < n && k < 120;
	     i++) {
		char c = body->ptr[i];
		out[k++] = c >= ' ' && c < 0x7f ? c : '?';
	}
	out[k] = '\0';
}

static int default_post(void *ctx, const char *url, const char *body, size_t len,
			struct witness_answer *out)
{
	(void)ctx;
	return witness_post(url, body, len, WITNESS_TIMEOUT_MS, out);
}

/* One exchange: 1 when done (o filled), 2 to try again from *old (a 409),
 * negative on a store error. */
static int offer_once(struct store *st, const struct witness_entry *w,
		      const struct note_verifier *v, uint64_t size, const char *note,
		      witness_post_fn post, void *ctx, uint64_t *old,
		      struct witness_outcome *o)
{
	struct merkle_proof proof = {0};
	struct witness_answer a;
	struct buf body;
	char why[160];
	size_t text_len = note_text_len(note);
	int rc;
	if (*old > size) {
		outcome(o, 1,
			"the witness has cosigned size %llu, beyond this log's %llu entries: "
			"the log was rolled back or forked",
			(unsigned long long)*old, (unsigned long long)size);
		return 1;
	}
	if (*old > 0 && *old < size &&
	    (rc = journal_consistency_proof(st, *old, size, &proof)) < 0)
		return rc;
	buf_init(&body, NOTE_MAX_LEN + 64 * 64);
	if ((rc = cosig_request_body(*old, &proof, note, strlen(note), &body)) < 0) {
		buf_release(&body);
		return rc;
	}
	rc = post(ctx, w->url, body.ptr, body.len, &a);
	buf_release(&body);
	if (rc < 0) {
		outcome(o, 0, "not reached: %s", err_msg());
		return 1;
	}
	answer_excerpt(&a.body, why, sizeof(why));
	uint64_t claimed, time;
	size_t off, len;
	rc = 1;
	if (a.status == 200) {
		if (cosig_find(v, note, text_len, a.body.ptr, a.body.len, &off, &len, &time) ==
			0 &&
		    len < sizeof(o->line)) {
			memcpy(o->line, a.body.ptr + off, len);
			o->line[len] = '\0';
			o->time = time;
			o->cosigned = 1;
			outcome(o, 0, "cosigned size %llu", (unsigned long long)size);
		} else {
			outcome(o, 0, "answered 200 without a valid cosignature: %s", err_msg());
		}
	} else if (a.status == 409 && strcmp(a.ctype, "text/x.tlog.size") == 0 &&
		   cosig_parse_size(a.body.ptr, a.body.len, &claimed) == 0 &&
		   claimed != *old) {
		*old = claimed;
		o->claimed = (int64_t)claimed;
		rc = 2;
	} else if (a.status == 422) {
		outcome(o, 1,
			"refused checkpoint %llu as inconsistent with size %llu it cosigned "
			"(HTTP 422): %s",
			(unsigned long long)size, (unsigned long long)*old, why);
	} else {
		const char *what = a.status == 404   ? "does not know this log's origin"
				   : a.status == 403 ? "does not trust this log's key"
				   : a.status == 400 ? "found the offer malformed"
						     : "refused the offer";
		outcome(o, 0, "%s (HTTP %ld): %s", what, a.status, why);
	}
	witness_answer_release(&a);
	return rc;
}

int witness_offer(struct store *st, const struct witness_entry *w, uint64_t size,
		  const char *note, witness_post_fn post, void *ctx,
		  struct witness_outcome *out)
{
	struct note_verifier v;
	memset(out, 0, sizeof(*out));
	out->claimed = -1;
	if (store_in_transaction(st))
		return err_set(E_INTERNAL, "witnesses are offered outside a unit of work");
	if (cosig_verifier_parse(w->vkey, &v) < 0) {
		outcome(out, 0, "its stored key does not parse");
		return 0;
	}
	uint64_t old = w->cosigned;
	int rc = 2;
	for (int tries = 0; rc == 2 && tries < 3; tries++)
		rc = offer_once(st, w, &v, size, note, post ? post : default_post, ctx, &old,
				out);
	if (rc == 2)
		outcome(out, 0, "the witness keeps naming other sizes (last %llu)",
			(unsigned long long)old);
	return rc < 0 ? rc : 0;
}

int witness_record(struct store *st, const char *name, uint64_t size,
		   const struct witness_outcome *o, int64_t now)
{
	int rc = 0;
	if (!store_in_transaction(st))
		return err_set(E_INTERNAL, "a witness's answer recorded outside a unit of work");
	if (o->cosigned)
		rc = store_cosig_put(st, name, size, o->line, o->time);
	if (rc == 0)
		rc = store_witness_status(st, name, o->status, o->problem, o->claimed, now);
	return rc;
}

/* ===================================================================
 * Verification
 * =================================================================== */

struct wverify {
	struct store *st;
	const struct journal_hooks *hooks;
	uint64_t *problems, *checked;
	struct witness_list ws;
	uint64_t log_size;
};

static void wfinding(struct wverify *wv, uint64_t index, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void wfinding(struct wverify *wv, uint64_t index, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	(*wv->problems)++;
	if (wv->hooks && wv->hooks->finding) {
		struct journal_finding f = {.problem = JOURNAL_BAD_WITNESS, .index = index,
					    .message = msg};
		wv->hooks->finding(wv->hooks->ctx, &f);
	}
}

static int check_cosig(void *ctx, const char *witness, uint64_t size, const char *line,
		       uint64_t time)
{
	struct wverify *wv = ctx;
	struct note_verifier v;
	const struct witness_entry *w = NULL;
	char *note = NULL;
	(void)time;
	(*wv->checked)++;
	for (int i = 0; i < wv->ws.n; i++)
		if (strcmp(wv->ws.v[i].name, witness) == 0)
			w = &wv->ws.v[i];
	if (!w || cosig_verifier_parse(w->vkey, &v) < 0) {
		wfinding(wv, size, "cosignature on checkpoint %llu by '%s': no usable key for "
				   "that witness",
			 (unsigned long long)size, witness);
		return 0;
	}
	int rc = store_checkpoint_get(wv->st, size, &note);
	if (rc == -E_NOTFOUND) {
		wfinding(wv, size,
			 "cosignature by '%s' on checkpoint %llu, which is not stored (a "
			 "checkpoint was removed)",
			 witness, (unsigned long long)size);
		return 0;
	}
	if (rc < 0)
		return rc;
	if (cosig_verify(&v, note, note_text_len(note), line, strlen(line), NULL) < 0)
		wfinding(wv, size, "cosignature by '%s' on checkpoint %llu: %s", witness,
			 (unsigned long long)size, err_msg());
	free(note);
	return 0;
}

static int check_witness(void *ctx, const struct witness_row *w)
{
	struct wverify *wv = ctx;
	if (w->problem)
		wfinding(wv, UINT64_MAX, "witness '%s': %s", w->name, w->status);
	else if (w->claimed >= 0 && (uint64_t)w->claimed > wv->log_size)
		wfinding(wv, (uint64_t)w->claimed,
			 "witness '%s' has cosigned size %lld but the log has only %llu "
			 "entries: the log was rolled back",
			 w->name, (long long)w->claimed, (unsigned long long)wv->log_size);
	if (w->cosigned > wv->log_size)
		wfinding(wv, w->cosigned,
			 "witness '%s' cosigned size %llu but the log has only %llu entries",
			 w->name, (unsigned long long)w->cosigned,
			 (unsigned long long)wv->log_size);
	return 0;
}

int witness_verify(struct store *st, const struct journal_hooks *hooks, uint64_t *problems,
		   uint64_t *checked)
{
	struct wverify wv = {.st = st, .hooks = hooks, .problems = problems,
			     .checked = checked};
	int rc;
	if ((rc = store_log_size(st, &wv.log_size)) == 0 &&
	    (rc = witness_list_load(st, &wv.ws)) == 0 &&
	    (rc = store_cosig_each(st, UINT64_MAX, check_cosig, &wv)) == 0)
		rc = store_witness_each(st, check_witness, &wv);
	witness_list_free(&wv.ws);
	return rc;
}
