/*
 * witness.c - witnesses in the application layer (app/witness.h).
 */
#include "app/witness.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"

struct add {
	const char *name, *url, *vkey;
};

static int add_body(struct session *s, void *ctx)
{
	const struct add *a = ctx;
	struct actor who = session_actor(s);
	return witness_add(s->st, &who, a->name, a->url, a->vkey);
}

int app_witness_add(struct session *s, const char *name, const char *url, const char *vkey)
{
	struct add a = {name, url, vkey};
	int rc = session_require(s, ROLE_BIT(ROLE_ADMIN), "add a witness");
	return rc < 0 ? rc : app_unit(s, add_body, &a);
}

static int remove_body(struct session *s, void *ctx)
{
	struct actor who = session_actor(s);
	return witness_remove(s->st, &who, ctx);
}

int app_witness_remove(struct session *s, const char *name)
{
	int rc = session_require(s, ROLE_BIT(ROLE_ADMIN), "remove a witness");
	return rc < 0 ? rc : app_unit(s, remove_body, (void *)name);
}

int app_witness_list(struct session *s, store_witness_cb cb, void *ctx)
{
	return store_witness_each(s->st, cb, ctx);
}

struct record {
	const char *name;
	uint64_t size;
	const struct witness_outcome *o;
};

static int record_body(struct session *s, void *ctx)
{
	const struct record *r = ctx;
	return witness_record(s->st, r->name, r->size, r->o, s->now);
}

int app_witness_offer_due(struct session *s, witness_post_fn post, void *ctx,
			  struct witness_stats *out)
{
	struct witness_list ws = {.n = 0};
	struct witness_outcome o;
	uint64_t size;
	char *note = NULL;
	int rc;
	memset(out, 0, sizeof(*out));
	rc = store_checkpoint_latest(s->st, &size, &note);
	if (rc == -E_NOTFOUND) {
		err_clear();
		return 0;
	}
	if (rc < 0 || (rc = witness_list_load(s->st, &ws)) < 0)
		goto out;
	for (int i = 0; i < ws.n && rc == 0; i++) {
		if (ws.v[i].removed || ws.v[i].cosigned == size)
			continue;
		out->offered++;
		if ((rc = witness_offer(s->st, &ws.v[i], size, note, post, ctx, &o)) < 0)
			break;
		struct record r = {ws.v[i].name, size, &o};
		if ((rc = app_unit(s, record_body, &r)) < 0)
			break;
		if (o.cosigned)
			out->cosigned++;
		else
			out->failed++;
	}
out:
	free(note);
	witness_list_free(&ws);
	return rc;
}

int app_witness_offer(struct session *s, struct witness_stats *out)
{
	int rc = session_require(s, ROLE_BIT(ROLE_ADMIN), "offer checkpoints to witnesses");
	return rc < 0 ? rc : app_witness_offer_due(s, NULL, NULL, out);
}

json_t *app_witness_json(const struct witness_row *w)
{
	char at[TS_BUFSZ] = "";
	if (w->status_at)
		time_format(w->status_at, at);
	json_t *j = json_pack("{s:s, s:s, s:s, s:I, s:s, s:b, s:s?}", "name", w->name, "url",
			      w->url, "vkey", w->vkey, "cosigned", (json_int_t)w->cosigned,
			      "status", w->status, "problem", w->problem, "status_at",
			      w->status_at ? at : NULL);
	if (w->claimed >= 0)
		json_object_set_new(j, "claimed", json_integer(w->claimed));
	if (w->removed_at) {
		time_format(w->removed_at, at);
		json_object_set_new(j, "removed_at", json_string(at));
	}
	return j;
}

struct one {
	const char *name;
	json_t *j;
};

static int find_one(void *ctx, const struct witness_row *w)
{
	struct one *o = ctx;
	if (strcmp(w->name, o->name) != 0)
		return 0;
	o->j = app_witness_json(w);
	return 1;
}

json_t *app_witness_one_json(struct session *s, const char *name)
{
	struct one o = {name, NULL};
	int rc = store_witness_each(s->st, find_one, &o);
	if (rc < 0) {
		json_decref(o.j);
		return NULL;
	}
	if (!o.j)
		err_set(E_NOTFOUND, "no witness '%.100s'", name);
	return o.j;
}

json_t *app_witness_stats_json(const struct witness_stats *s)
{
	return json_pack("{s:i, s:i, s:i}", "offered", s->offered, "cosigned", s->cosigned,
			 "failed", s->failed);
}
