/*
 * replay.c - the log replayed against the tables (replay.h).
 *
 * Each covered table is described by its key columns and its fact columns;
 * each event type that sets a fact has a handler that writes the expected
 * row (all its fact columns, as the store's text for them).  The
 * comparison is generic: rows are read as text by store_table_each().
 *
 * Columns that are not compared are listed with the reason next to each
 * table: they are either derived from compared ones, bookkeeping of a
 * delivery in progress, or checked elsewhere.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/util.h"
#include "core/replay.h"

#define MAX_FACTS 24

enum { T_SETTING, T_STAFF, T_PROPOSAL, T__COUNT };

struct table_def {
	const char *name;
	const char *keys;  /* key columns, comma-separated */
	const char *facts; /* compared columns, comma-separated */
};

/* What each table holds; see replay_table_check() for every table. */
static const struct table_def defs[T__COUNT] = {
	/* settings: config.* by config.set, log.* by log.init */
	[T_SETTING] = {"setting", "key", "value"},
	/* users: user.add/set/remove/confirm give the resulting row */
	[T_STAFF] = {"staff", "name", "roles,unix_login"},
	/* proposals: user.propose, then user.confirm or user.cancel */
	[T_PROPOSAL] = {"staff_proposal", "id",
			"op,name,roles,unix_login,proposed_by,at,log_index,state,"
			"decided_by,decided_at"},
};

/* Tables checked elsewhere or holding no fact. */
static const struct {
	const char *name;
	const char *check;
} others[] = {
	{"request", "audit"},
	{"history", "audit"},
	{"log_entry", "journal"},
	{"log_hash", "journal"},
	{"log_checkpoint", "journal"},
};

struct row {
	char *key;
	char **v;	/* n_facts values; NULL: SQL NULL */
	uint64_t index; /* the entry that set it last */
	int seen;
};

struct table {
	const struct table_def *def;
	int n_facts;
	char *facts[MAX_FACTS];
	int n_keys;
	char *keys[MAX_FACTS];
	struct row *slots; /* open addressing */
	size_t cap, n;
};

struct replay {
	struct store *st;
	const struct journal_hooks *hooks;
	struct replay_report *rep;
	struct table t[T__COUNT];
	int first_table; /* -1: no finding yet */
};

/* --- findings ------------------------------------------------------------- */

static void finding(struct replay *r, int table, uint64_t index, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void finding(struct replay *r, int table, uint64_t index, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->rep->problems++;
	if (r->first_table < 0)
		r->first_table = table;
	if (r->hooks && r->hooks->finding) {
		struct journal_finding f = {.problem = JOURNAL_BAD_RECORD,
					    .index = index,
					    .message = msg,
					    .request = 0};
		r->hooks->finding(r->hooks->ctx, &f);
	}
}

/* --- the expected rows ------------------------------------------------------ */

static size_t split(const char *list, char **out)
{
	size_t n = 0;
	const char *p = list;
	while (*p && n < MAX_FACTS) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);
		out[n++] = xstrndup(p, len);
		p += len + (c ? 1 : 0);
	}
	return n;
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static struct row *slot(struct table *t, const char *key)
{
	size_t i = hash(key) & (t->cap - 1);
	while (t->slots[i].key && strcmp(t->slots[i].key, key) != 0)
		i = (i + 1) & (t->cap - 1);
	return &t->slots[i];
}

static void grow(struct table *t)
{
	struct row *old = t->slots;
	size_t n = t->cap;
	t->cap = n ? n * 2 : 64;
	t->slots = xcalloc(t->cap, sizeof(*t->slots));
	for (size_t i = 0; i < n; i++)
		if (old[i].key)
			*slot(t, old[i].key) = old[i];
	free(old);
}

static void row_free_values(struct table *t, struct row *w)
{
	if (!w->v)
		return;
	for (int i = 0; i < t->n_facts; i++)
		free(w->v[i]);
	free(w->v);
	w->v = NULL;
}

/* The expected row of `key` (created with every column NULL). */
static struct row *expect_row(struct replay *r, int table, const char *key, uint64_t index)
{
	struct table *t = &r->t[table];
	if ((t->n + 1) * 2 > t->cap)
		grow(t);
	struct row *w = slot(t, key);
	if (!w->key) {
		w->key = xstrdup(key);
		t->n++;
	}
	if (!w->v)
		w->v = xcalloc((size_t)t->n_facts, sizeof(char *));
	w->index = index;
	return w;
}

static struct row *find_row(struct replay *r, int table, const char *key)
{
	struct table *t = &r->t[table];
	if (!t->cap)
		return NULL;
	struct row *w = slot(t, key);
	return w->key && w->v ? w : NULL;
}

/* Deleting keeps the key (a tombstone) so probing still works. */
static void drop_row(struct replay *r, int table, const char *key)
{
	struct row *w = find_row(r, table, key);
	if (w)
		row_free_values(&r->t[table], w);
}

static int col(const struct table *t, const char *name)
{
	for (int i = 0; i < t->n_facts; i++)
		if (strcmp(t->facts[i], name) == 0)
			return i;
	return -1;
}

/* Set column `name` of row w (value copied; NULL for SQL NULL). */
static void set(struct replay *r, int table, struct row *w, const char *name,
		const char *value)
{
	int i = col(&r->t[table], name);
	if (i < 0)
		abort(); /* a handler names a column its table does not have */
	free(w->v[i]);
	w->v[i] = value ? xstrdup(value) : NULL;
}

static void set_int(struct replay *r, int table, struct row *w, const char *name,
		    int64_t value)
{
	char s[32];
	snprintf(s, sizeof(s), "%lld", (long long)value);
	set(r, table, w, name, s);
}

/* --- reading events ----------------------------------------------------------- */

static const char *str(const json_t *ev, const char *key)
{
	return json_string_value(json_object_get(ev, key));
}

/* "at" of an entry as seconds (0 when absent or bad). */
static int64_t when(const json_t *ev, const char *key)
{
	struct ts ts;
	const char *s = str(ev, key);
	return s && ts_parse(s, &ts) == 0 ? ts.t : 0;
}

static int roles_bits(const char *list, int64_t *out)
{
	unsigned bits = 0;
	if (list && *list && roles_parse(list, &bits) < 0)
		return -1;
	*out = bits;
	return 0;
}

/* --- handlers: one per event type that sets a fact ---------------------------- */

typedef void (*handler_fn)(struct replay *r, uint64_t index, const json_t *ev);

static void on_log_init(struct replay *r, uint64_t index, const json_t *ev)
{
	struct row *w = expect_row(r, T_SETTING, "log.origin", index);
	set(r, T_SETTING, w, "value", str(ev, "origin"));
	w = expect_row(r, T_SETTING, "log.key", index);
	set(r, T_SETTING, w, "value", str(ev, "key"));
}

static void on_config_set(struct replay *r, uint64_t index, const json_t *ev)
{
	const char *key = str(ev, "key");
	if (!key)
		return;
	char *k = xasprintf("config.%s", key);
	struct row *w = expect_row(r, T_SETTING, k, index);
	set(r, T_SETTING, w, "value", str(ev, "value"));
	free(k);
}

/* The user as an entry leaves it: op "remove" (or type user.remove)
 * deletes, anything else writes roles and login. */
static void user_result(struct replay *r, uint64_t index, const json_t *ev, int removed)
{
	const char *name = str(ev, "user");
	int64_t bits;
	if (!name)
		return;
	if (removed) {
		drop_row(r, T_STAFF, name);
		return;
	}
	struct row *w = expect_row(r, T_STAFF, name, index);
	if (roles_bits(str(ev, "roles"), &bits) < 0)
		set(r, T_STAFF, w, "roles", "?");
	else
		set_int(r, T_STAFF, w, "roles", bits);
	set(r, T_STAFF, w, "unix_login", str(ev, "unix"));
}

static void on_user(struct replay *r, uint64_t index, const json_t *ev)
{
	const char *type = str(ev, "type");
	user_result(r, index, ev, strcmp(type, "user.remove") == 0);
}

static void on_user_propose(struct replay *r, uint64_t index, const json_t *ev)
{
	json_t *id = json_object_get(ev, "proposal");
	int64_t bits;
	char key[32];
	if (!json_is_integer(id))
		return;
	snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(id));
	struct row *w = expect_row(r, T_PROPOSAL, key, index);
	set(r, T_PROPOSAL, w, "op", str(ev, "op"));
	set(r, T_PROPOSAL, w, "name", str(ev, "user"));
	if (roles_bits(str(ev, "roles"), &bits) < 0)
		set(r, T_PROPOSAL, w, "roles", "?");
	else
		set_int(r, T_PROPOSAL, w, "roles", bits);
	set(r, T_PROPOSAL, w, "unix_login", str(ev, "unix"));
	set(r, T_PROPOSAL, w, "proposed_by", str(ev, "actor"));
	set_int(r, T_PROPOSAL, w, "at", when(ev, "at"));
	set_int(r, T_PROPOSAL, w, "log_index", (int64_t)index);
	set(r, T_PROPOSAL, w, "state", "pending");
}

static void decide_proposal(struct replay *r, uint64_t index, const json_t *ev,
			    const char *state)
{
	json_t *id = json_object_get(ev, "proposal");
	char key[32];
	if (!json_is_integer(id))
		return;
	snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(id));
	struct row *w = find_row(r, T_PROPOSAL, key);
	if (!w) {
		finding(r, T_PROPOSAL, index,
			"log entry %llu decides proposal %s, which no earlier entry proposes",
			(unsigned long long)index, key);
		return;
	}
	w->index = index;
	set(r, T_PROPOSAL, w, "state", state);
	set(r, T_PROPOSAL, w, "decided_by", str(ev, "actor"));
	set_int(r, T_PROPOSAL, w, "decided_at", when(ev, "at"));
}

static void on_user_confirm(struct replay *r, uint64_t index, const json_t *ev)
{
	const char *op = str(ev, "op");
	decide_proposal(r, index, ev, "confirmed");
	user_result(r, index, ev, op && strcmp(op, "remove") == 0);
}

static void on_user_cancel(struct replay *r, uint64_t index, const json_t *ev)
{
	decide_proposal(r, index, ev, "cancelled");
}

static const struct {
	const char *type;
	handler_fn fn;
} handlers[] = {
	{"log.init", on_log_init},
	{"config.set", on_config_set},
	{"user.add", on_user},
	{"user.set", on_user},
	{"user.remove", on_user},
	{"user.propose", on_user_propose},
	{"user.confirm", on_user_confirm},
	{"user.cancel", on_user_cancel},
};

static int on_entry(void *ctx, uint64_t index, const void *entry, size_t len)
{
	struct replay *r = ctx;
	json_t *ev = json_loadb(entry, len, JSON_REJECT_DUPLICATES, NULL);
	const char *type = str(ev, "type");
	r->rep->entries++;
	if (type) {
		for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
			if (strcmp(handlers[i].type, type) == 0) {
				handlers[i].fn(r, index, ev);
				break;
			}
	}
	json_decref(ev); /* a bad entry is journal_verify()'s to report */
	if (r->hooks && r->hooks->progress && index % 4096 == 4095)
		r->hooks->progress(r->hooks->ctx, index + 1, 0);
	return 0;
}

/* --- comparing ------------------------------------------------------------------ */

struct compare {
	struct replay *r;
	int table;
	int key_at[MAX_FACTS], fact_at[MAX_FACTS];
	int mapped;
};

static const char *shown(const char *s)
{
	return s ? s : "NULL";
}

static int map_columns(struct compare *c, int n, const char *const *names)
{
	struct table *t = &c->r->t[c->table];
	for (int k = 0; k < t->n_keys + t->n_facts; k++) {
		const char *want = k < t->n_keys ? t->keys[k] : t->facts[k - t->n_keys];
		int at = -1;
		for (int i = 0; i < n; i++)
			if (strcmp(names[i], want) == 0)
				at = i;
		if (at < 0)
			return err_set(E_STORAGE, "table '%s' has no column '%s'", t->def->name,
				       want);
		if (k < t->n_keys)
			c->key_at[k] = at;
		else
			c->fact_at[k - t->n_keys] = at;
	}
	c->mapped = 1;
	return 0;
}

static int on_row(void *ctx, int n, const char *const *names, const char *const *vals)
{
	struct compare *c = ctx;
	struct replay *r = c->r;
	struct table *t = &r->t[c->table];
	char key[512] = "";
	int rc;
	if (!c->mapped && (rc = map_columns(c, n, names)) < 0)
		return rc;
	for (int k = 0; k < t->n_keys; k++) {
		size_t len = strlen(key);
		snprintf(key + len, sizeof(key) - len, "%s%s", k ? "/" : "",
			 shown(vals[c->key_at[k]]));
	}
	r->rep->rows++;
	struct row *w = find_row(r, c->table, key);
	if (!w) {
		finding(r, c->table, UINT64_MAX,
			"table %s: row %s is not in the log (added or changed outside "
			"docket)",
			t->def->name, key);
		return 0;
	}
	w->seen = 1;
	for (int i = 0; i < t->n_facts; i++) {
		const char *have = vals[c->fact_at[i]];
		if (str_eq(have, w->v[i]) || (!have && !w->v[i]))
			continue;
		finding(r, c->table, w->index,
			"table %s: row %s has %s '%s' but the log gives '%s' (entry %llu)",
			t->def->name, key, t->facts[i], shown(have), shown(w->v[i]),
			(unsigned long long)w->index);
	}
	return 0;
}

static int compare_table(struct replay *r, int table)
{
	struct compare c = {.r = r, .table = table};
	struct table *t = &r->t[table];
	int rc = store_table_each(r->st, t->def->name, on_row, &c);
	if (rc < 0)
		return rc;
	r->rep->tables++;
	for (size_t i = 0; i < t->cap; i++) {
		struct row *w = &t->slots[i];
		if (w->key && w->v && !w->seen)
			finding(r, table, w->index,
				"table %s: row %s that log entry %llu records is missing "
				"(deleted outside docket)",
				t->def->name, w->key, (unsigned long long)w->index);
	}
	return 0;
}

/* --- the whole -------------------------------------------------------------------- */

static void tables_init(struct replay *r)
{
	for (int i = 0; i < T__COUNT; i++) {
		struct table *t = &r->t[i];
		t->def = &defs[i];
		t->n_facts = (int)split(defs[i].facts, t->facts);
		t->n_keys = (int)split(defs[i].keys, t->keys);
	}
}

static void tables_free(struct replay *r)
{
	for (int i = 0; i < T__COUNT; i++) {
		struct table *t = &r->t[i];
		for (size_t k = 0; k < t->cap; k++) {
			row_free_values(t, &t->slots[k]);
			free(t->slots[k].key);
		}
		free(t->slots);
		for (int k = 0; k < t->n_facts; k++)
			free(t->facts[k]);
		for (int k = 0; k < t->n_keys; k++)
			free(t->keys[k]);
	}
}

static int64_t count_admins(struct replay *r)
{
	struct table *t = &r->t[T_STAFF];
	int64_t n = 0;
	for (size_t i = 0; i < t->cap; i++) {
		const struct row *w = &t->slots[i];
		if (w->key && w->v && w->v[0]) {
			unsigned long long bits = strtoull(w->v[0], NULL, 10);
			if (bits & ROLE_BIT(ROLE_ADMIN))
				n++;
		}
	}
	return n;
}

int replay_verify(struct store *st, const struct journal_hooks *hooks,
		  struct replay_report *out)
{
	struct replay r = {.st = st, .hooks = hooks, .rep = out, .first_table = -1};
	int rc;
	memset(out, 0, sizeof(*out));
	tables_init(&r);
	rc = store_log_each_entry(st, 0, on_entry, &r);
	for (int i = 0; rc == 0 && i < T__COUNT; i++)
		rc = compare_table(&r, i);
	out->admins = count_admins(&r);
	int first = r.first_table;
	tables_free(&r);
	if (rc < 0)
		return rc;
	if (out->problems == 0)
		return 0;
	return err_set(E_INVALID, "the tables do not match the log: %llu problems, first in "
				  "table %s",
		       (unsigned long long)out->problems, defs[first].name);
}

const char *replay_table_check(const char *table)
{
	for (int i = 0; i < T__COUNT; i++)
		if (strcmp(defs[i].name, table) == 0)
			return "replay";
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (strcmp(others[i].name, table) == 0)
			return others[i].check;
	return NULL;
}
