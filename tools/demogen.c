/*
 * demogen - write a realistic, deterministic demo history for docket.
 *
 *   demogen [--seed N] [--out DIR] [--requests N] [--customers N]
 *           [--start DATE] [--end DATE] [--vault]
 *
 * Writes into DIR: customers.jsonl and agencies.jsonl (for `customer import`
 * and `agency import`), history.jsonl (closed requests for `request import`),
 * requests/request_NN_*.json (new requests for `request add`, each meant to
 * exercise one rule) and, with --vault, vault.jsonl (for `vault import`).
 *
 * Same arguments, same bytes: every random choice comes from a seeded
 * xoshiro256** generator, never from the clock or libsodium's randomness
 * (libsodium only encodes base64 and hex here).  Customers,
 * history, new requests and vault each draw from their own stream, so
 * changing --requests does not change the customers.  See docs/demo.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>
#include <sodium.h>

#include "base/clock.h"
#include "base/util.h"
#include "model/enums.h"

#include "demogen_data.h"

/* ---- Deterministic randomness: splitmix64 seeds xoshiro256** ---- */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Stream `stream` of generator `seed`: independent of every other stream. */
static void rng_init(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ull);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

/* Uniform in [0, n); the modulo bias is far below anything a demo shows. */
static uint64_t rng_below(struct rng *r, uint64_t n)
{
	return n ? rng_next(r) % n : 0;
}

static int rng_pct(struct rng *r, unsigned pct)
{
	return rng_below(r, 100) < pct;
}

static int64_t rng_range(struct rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)rng_below(r, (uint64_t)(hi - lo + 1));
}

static size_t rng_pick(struct rng *r, const unsigned *w, size_t n)
{
	uint64_t total = 0, x;
	for (size_t i = 0; i < n; i++)
		total += w[i];
	x = rng_below(r, total);
	for (size_t i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return 0;
}

#define PICK(r, arr) ((arr)[rng_below((r), ARRAY_SIZE(arr))])

/* ---- Small text helpers ---- */

/* Lower-case ASCII spelling of a name, for addresses: "Müller" -> "muller". */
static void fold(const char *s, char *out, size_t outsz)
{
	size_t n = 0;
	while (*s && n + 3 < outsz) {
		unsigned char c = (unsigned char)*s;
		size_t i;
		if (c < 0x80) {
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
				out[n++] = (char)(c | 0x20);
			s++;
			continue;
		}
		for (i = 0; i < ARRAY_SIZE(FOLD); i++)
			if (str_has_prefix(s, FOLD[i].utf8))
				break;
		if (i < ARRAY_SIZE(FOLD)) {
			for (const char *a = FOLD[i].ascii; *a; a++)
				out[n++] = *a;
			s += strlen(FOLD[i].utf8);
		} else {
			for (s++; ((unsigned char)*s & 0xc0) == 0x80; s++)
				;
		}
	}
	out[n] = '\0';
}

/* The first letter (one UTF-8 character) of s. */
static void initial(const char *s, char out[8])
{
	size_t n = 1;
	while (n < 6 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n++;
	memcpy(out, s, n);
	out[n] = '\0';
}

static void random_bytes(struct rng *r, unsigned char *out, size_t n)
{
	for (size_t i = 0; i < n; i += 8) {
		uint64_t v = rng_next(r);
		for (size_t j = 0; j < 8 && i + j < n; j++)
			out[i + j] = (unsigned char)(v >> (8 * j));
	}
}

/* 64 hex digits, for the sha256 of a scanned document. */
static void random_hex(struct rng *r, char out[65])
{
	unsigned char b[32];
	random_bytes(r, b, sizeof(b));
	sodium_bin2hex(out, 65, b, sizeof(b));
}

/* ---- JSON output ----
 * json_string() refuses invalid UTF-8; that would be a bug in the tables
 * here, so put() aborts rather than silently drop a field. */

static void put(json_t *o, const char *key, json_t *v)
{
	if (!v || json_object_set_new(o, key, v) < 0) {
		fprintf(stderr, "demogen: cannot encode field '%s'\n", key);
		abort();
	}
}

static void put_str(json_t *o, const char *key, const char *s)
{
	put(o, key, json_string(s));
}

/* RFC 3339, or YYYY-MM-DD when date_only. */
static void put_ts(json_t *o, const char *key, int64_t t, int date_only)
{
	char b[TS_BUFSZ];
	ts_format((struct ts){t, date_only}, b);
	put_str(o, key, b);
}

static json_t *categories_json(unsigned cats)
{
	json_t *a = json_array();
	for (int c = 0; c < category__COUNT; c++)
		if (cats & CAT_BIT(c))
			json_array_append_new(a, json_string(category_str(c)));
	return a;
}

static json_t *account_json(enum target_type type, const char *value)
{
	json_t *o = json_object();
	put_str(o, "type", target_type_str(type));
	put_str(o, "value", value);
	return o;
}

/* An output file, written under a temporary name and renamed into place
 * when complete, so a reader never sees half a file. */
struct out {
	FILE *fp;
	char *path;
	char *tmp;
};

static int out_open(struct out *o, const char *dir, const char *name)
{
	o->path = xasprintf("%s/%s", dir, name);
	o->tmp = xasprintf("%s.tmp", o->path);
	o->fp = fopen(o->tmp, "w");
	if (!o->fp) {
		fprintf(stderr, "demogen: cannot write '%s': %s\n", o->tmp,
			strerror(errno));
		free(o->path);
		free(o->tmp);
		return -1;
	}
	return 0;
}

static int out_close(struct out *o)
{
	int rc = 0;
	if (ferror(o->fp) | fclose(o->fp) || rename(o->tmp, o->path) < 0) {
		fprintf(stderr, "demogen: cannot write '%s': %s\n", o->path,
			strerror(errno));
		remove(o->tmp);
		rc = -1;
	}
	free(o->path);
	free(o->tmp);
	return rc;
}

/* Write obj as one line (or indented, for a single document) and drop it.
 * Dumping into a buffer first is several times faster than json_dumpf(),
 * which writes token by token. */
static void emit(struct out *o, json_t *obj, int pretty)
{
	static char buf[65536];
	size_t flags = pretty ? JSON_INDENT(2) : JSON_COMPACT;
	size_t n = json_dumpb(obj, buf, sizeof(buf), flags);
	if (n <= sizeof(buf))
		fwrite(buf, 1, n, o->fp);
	else
		json_dumpf(obj, o->fp, flags);
	fputc('\n', o->fp);
	json_decref(obj);
}

/* ---- The generated world ---- */

struct acct {
	enum target_type type;
	char *value;
};

struct cust {
	char id[32];
	char *name; /* person, or company */
	const struct dg_country *co;
	const char *loc;
	int enterprise, us_person, own_keys;
	char *domain; /* enterprise mail domain */
	struct acct *accts;
	size_t n_accts;
};

struct world {
	uint64_t seed;
	int64_t start, end;
	struct cust *c;
	size_t n;
	size_t *by_country[ARRAY_SIZE(COUNTRIES)];
	size_t n_by_country[ARRAY_SIZE(COUNTRIES)];
	unsigned *seq; /* next case number per agency and year */
	int first_year, n_years;
	unsigned next_ip;
};

enum { STREAM_CUSTOMERS = 1, STREAM_HISTORY, STREAM_DEMO, STREAM_VAULT };

static int country_index(const char *code)
{
	for (size_t i = 0; i < ARRAY_SIZE(COUNTRIES); i++)
		if (strcmp(COUNTRIES[i].code, code) == 0)
			return (int)i;
	return 0;
}

static int year_of(int64_t t)
{
	int y;
	unsigned m, d;
	civil_from_days(t / DAY_SECONDS, &y, &m, &d);
	return y;
}

static int64_t day_of(const char *date)
{
	struct ts ts;
	return ts_parse(date, &ts) < 0 ? 0 : ts.t;
}

static void add_acct(struct cust *c, enum target_type type, char *value)
{
	c->accts = xrealloc(c->accts, (c->n_accts + 1) * sizeof(*c->accts));
	c->accts[c->n_accts++] = (struct acct){type, value};
}

static int has_acct(const struct cust *c, const char *value)
{
	for (size_t i = 0; i < c->n_accts; i++)
		if (strcmp(c->accts[i].value, value) == 0)
			return 1;
	return 0;
}

/* A static address: the documentation ranges of RFC 5737, then RFC 3849. */
static char *next_ip(struct world *w)
{
	static const char *const blocks[] = {"192.0.2", "198.51.100", "203.0.113"};
	unsigned k = w->next_ip++;
	if (k < 3 * 254)
		return xasprintf("%s.%u", blocks[k / 254], k % 254 + 1);
	return xasprintf("2001:db8:%x::%x", k / 65536, k % 65536 + 1);
}

/* Customer number n's phone: unique because the last seven digits encode n. */
static char *phone_of(const struct dg_country *co, size_t n)
{
	return xasprintf("%s %s %03zu %04zu", co->phone_cc, co->areas[n % 4],
			 200 + (n / 10000) % 800, n % 10000);
}

/*
 * A consumer's accounts.  Every address and user name ends in the customer
 * number after letters only, so no two customers can share one; an address
 * with no digits (see unknown_target()) can never exist.
 */
static void consumer_accounts(struct world *w, struct rng *r, struct cust *c,
			      const char *first, const char *last, size_t n)
{
	char f[64], l[64];
	fold(first, f, sizeof(f));
	fold(last, l, sizeof(l));
	switch (rng_below(r, 4)) {
	case 0:
		add_acct(c, TGT_EMAIL, xasprintf("%s.%s%zu@%s", f, l, n, c->co->mail));
		break;
	case 1:
		add_acct(c, TGT_EMAIL, xasprintf("%c%s%zu@%s", f[0], l, n, c->co->mail));
		break;
	case 2:
		add_acct(c, TGT_EMAIL, xasprintf("%s%zu@%s", f, n, c->co->mail));
		break;
	default:
		add_acct(c, TGT_EMAIL, xasprintf("%s.%s%zu@%s", l, f, n, c->co->mail));
	}
	if (rng_pct(r, 40))
		add_acct(c, TGT_USERNAME, xasprintf("%s_%s%zu", f, l, n));
	if (rng_pct(r, 30))
		add_acct(c, TGT_PHONE, phone_of(c->co, n));
	if (rng_pct(r, 50))
		add_acct(c, TGT_ACCOUNT_ID,
			 xasprintf("%zu", 1000000000 + (n * 7919) % 900000000));
	if (rng_pct(r, 3))
		add_acct(c, TGT_IP, next_ip(w));
}

/* An enterprise: a unique domain (a scrambled walk over the word lists),
 * a handful of employee mailboxes, its tenant id, sometimes a static IP. */
static void enterprise_accounts(struct world *w, struct rng *r, struct cust *c, size_t k,
				size_t n)
{
	const size_t na = ARRAY_SIZE(COMPANY_A), nb = ARRAY_SIZE(COMPANY_B), m = na * nb;
	size_t j = (k % m) * 7 % m, round = k / m;
	const char *a = COMPANY_A[j % na], *b = COMPANY_B[j / na];
	char fa[32], fb[32], suffix[24] = "";
	if (round)
		snprintf(suffix, sizeof(suffix), "%zu", round + 1);
	fold(a, fa, sizeof(fa));
	fold(b, fb, sizeof(fb));
	c->name =
	    xasprintf("%s %s%s%s %s", a, b, round ? " " : "", suffix, c->co->company);
	c->domain = xasprintf("%s%s%s%s", fa, fb, suffix, c->co->tld);
	for (int e = 0, staff = (int)rng_range(r, 3, 8); e < staff; e++) {
		char f[64], l[64], *v;
		fold(PICK(r, c->co->first), f, sizeof(f));
		fold(PICK(r, c->co->last), l, sizeof(l));
		v = xasprintf("%s.%s@%s", f, l, c->domain);
		for (int d = 2; has_acct(c, v); d++) {
			free(v);
			v = xasprintf("%s.%s%d@%s", f, l, d, c->domain);
		}
		add_acct(c, TGT_EMAIL, v);
	}
	add_acct(c, TGT_ACCOUNT_ID,
		 xasprintf("%zu", 1000000000 + (n * 7919) % 900000000));
	if (rng_pct(r, 25))
		add_acct(c, TGT_IP, next_ip(w));
}

static void make_customer(struct world *w, struct rng *r, const unsigned *cw, size_t i,
			  size_t *n_ent)
{
	struct cust *c = &w->c[i];
	const char *first, *last;
	size_t n = i + 1;
	snprintf(c->id, sizeof(c->id), "cus-%06zu", n);
	if (i < SC__COUNT) {
		c->co = &COUNTRIES[country_index(SHOWCASE[i].country)];
		c->enterprise = SHOWCASE[i].enterprise;
		c->us_person = SHOWCASE[i].us_person;
		c->own_keys = SHOWCASE[i].own_keys;
		c->loc = SHOWCASE[i].data_location;
	} else {
		c->co = &COUNTRIES[rng_pick(r, cw, ARRAY_SIZE(COUNTRIES))];
		c->enterprise = rng_pct(r, 10);
		c->us_person = rng_pct(r, c->co->us_person_pct);
		c->own_keys = c->enterprise ? rng_pct(r, 12) : rng_below(r, 1000) < 5;
		c->loc = c->co->loc[rng_pick(r, c->co->loc_w, 3)];
	}
	first = PICK(r, c->co->first);
	last = PICK(r, c->co->last);
	if (c->enterprise)
		enterprise_accounts(w, r, c, (*n_ent)++, n);
	else {
		c->name = xasprintf("%s %s", first, last);
		consumer_accounts(w, r, c, first, last, n);
	}
}

static json_t *customer_json(struct rng *r, const struct cust *c)
{
	json_t *o = json_object(), *contact = json_object(), *accts = json_array();
	const char *first = PICK(r, c->co->first), *last = PICK(r, c->co->last);
	put_str(o, "id", c->id);
	put_str(o, "name", c->name);
	put_str(o, "type", c->enterprise ? "enterprise" : "consumer");
	put_str(o, "country", c->co->code);
	put_str(o, "data_location", c->loc);
	put(o, "us_person", json_boolean(c->us_person));
	if (c->enterprise) {
		char *legal = xasprintf("legal@%s", c->domain),
		     *name = xasprintf("%s %s", first, last);
		put_str(contact, "email", legal);
		put_str(contact, "name", name);
		free(legal);
		free(name);
	} else {
		put_str(contact, "email", c->accts[0].value);
		put_str(contact, "name", c->name);
	}
	put(o, "contact", contact);
	put_str(o, "key_custody", c->own_keys ? "customer" : "provider");
	if (c->own_keys) {
		unsigned char key[32];
		char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
		random_bytes(r, key, sizeof(key));
		sodium_bin2base64(b64, sizeof(b64), key, sizeof(key),
				  sodium_base64_VARIANT_ORIGINAL);
		put_str(o, "public_key", b64);
	}
	for (size_t i = 0; i < c->n_accts; i++)
		json_array_append_new(accts,
				      account_json(c->accts[i].type, c->accts[i].value));
	put(o, "accounts", accts);
	return o;
}

static int write_customers(struct world *w, const char *dir)
{
	unsigned cw[ARRAY_SIZE(COUNTRIES)];
	struct rng r;
	struct out o;
	size_t n_ent = 0;
	if (out_open(&o, dir, "customers.jsonl") < 0)
		return -1;
	rng_init(&r, w->seed, STREAM_CUSTOMERS);
	for (size_t k = 0; k < ARRAY_SIZE(COUNTRIES); k++)
		cw[k] = COUNTRIES[k].weight;
	for (size_t i = 0; i < w->n; i++) {
		const struct cust *c = &w->c[i];
		size_t k;
		make_customer(w, &r, cw, i, &n_ent);
		k = (size_t)(c->co - COUNTRIES);
		w->by_country[k] =
		    xrealloc(w->by_country[k], (w->n_by_country[k] + 1) * sizeof(size_t));
		w->by_country[k][w->n_by_country[k]++] = i;
		emit(&o, customer_json(&r, c), 0);
	}
	return out_close(&o);
}

static int write_agencies(const char *dir)
{
	struct out o;
	if (out_open(&o, dir, "agencies.jsonl") < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(AGENCIES); i++) {
		const struct dg_agency *a = &AGENCIES[i];
		json_t *obj = json_object(), *domains = json_array();
		if (!a->id) {
			json_decref(obj);
			json_decref(domains);
			continue;
		}
		put_str(obj, "id", a->id);
		put_str(obj, "name", a->name);
		put_str(obj, "country", a->country);
		put_str(obj, "type", a->type);
		for (size_t d = 0; d < ARRAY_SIZE(a->domains) && a->domains[d]; d++)
			json_array_append_new(domains, json_string(a->domains[d]));
		put(obj, "domains", domains);
		put_str(obj, "phone", a->phone);
		emit(&o, obj, 0);
	}
	return out_close(&o);
}

/* ---- Requests: the parts shared by history and the new requests ---- */

/* Process that must be signed (GEN-UNSIGNED). */
static int compulsory(enum process p)
{
	return p == PROC_COURT_ORDER || p == PROC_SEARCH_WARRANT || p == PROC_WIRETAP ||
	       p == PROC_PEN_REGISTER || p == PROC_EU_PRODUCTION_ORDER;
}

static const struct dg_agency *agency_by_id(const char *id)
{
	for (size_t i = 0; i < ARRAY_SIZE(AGENCIES); i++)
		if (AGENCIES[i].id && strcmp(AGENCIES[i].id, id) == 0)
			return &AGENCIES[i];
	return &AGENCIES[0];
}

/* "LAPD-2026-00123": numbered per agency and year, in order of receipt. */
static void put_ref(struct world *w, json_t *o, const struct dg_agency *a, int64_t t)
{
	int y = year_of(t);
	size_t slot =
	    (size_t)(a - AGENCIES) * (size_t)w->n_years + (size_t)(y - w->first_year);
	char ref[64];
	snprintf(ref, sizeof(ref), "%s-%d-%05u", a->prefix, y, ++w->seq[slot]);
	put_str(o, "ref", ref);
}

/* A person of country co with a title: "Det. J. Smith", and an address
 * "jsmith@domain". */
static json_t *person_json(struct rng *r, const struct dg_country *co, const char *title,
			   const char *domain, const char *phone)
{
	const char *first = PICK(r, co->first), *last = PICK(r, co->last);
	char ini[8], f[64], l[64], *name, *email;
	json_t *o = json_object();
	initial(first, ini);
	fold(first, f, sizeof(f));
	fold(last, l, sizeof(l));
	name = xasprintf("%s%s%s. %s", title ? title : "", title ? " " : "", ini, last);
	put_str(o, "name", name);
	if (domain) {
		email = xasprintf("%c%s@%s", f[0], l, domain);
		put_str(o, "email", email);
		free(email);
	}
	put_str(o, "phone", phone);
	free(name);
	return o;
}

/* An MLAT request reaches the provider as the warrant of the US court that
 * executed it (INTL-MLAT, 18 U.S.C. 3512). */
static json_t *issuer_json(struct rng *r, const struct dg_agency *a, int type,
			   enum process p)
{
	json_t *o = json_object();
	put_str(o, "type", issuer_type_str(type));
	if (type == ISSUER_COURT) {
		int mlat = p == PROC_MLAT;
		const struct dg_country *co =
		    &COUNTRIES[country_index(mlat ? "US" : a->country)];
		char ini[8], *judge;
		initial(PICK(r, co->first), ini);
		judge = xasprintf("%s %s. %s", co->judge, ini, PICK(r, co->last));
		put_str(o, "name", mlat ? MLAT_COURT : a->court);
		put_str(o, "judge", judge);
		free(judge);
	} else {
		put_str(o, "name",
			type == ISSUER_PROSECUTOR && a->prosecutor ? a->prosecutor
								   : a->name);
	}
	return o;
}

static json_t *emergency_json(struct rng *r, const struct dg_agency *a)
{
	json_t *o = json_object();
	const struct dg_country *co = &COUNTRIES[country_index(a->country)];
	put_str(o, "justification", PICK(r, EMERGENCIES));
	put(o, "supervisor", person_json(r, co, "Sgt.", NULL, a->phone));
	return o;
}

static json_t *ndo_json(const char *statute, int64_t issued, int days)
{
	json_t *o = json_object();
	put_str(o, "statute", statute);
	put_ts(o, "issued_at", issued, 1);
	if (days > 0)
		put_ts(o, "expires_at", issued + days * DAY_SECONDS, 1);
	else
		put(o, "expires_at", json_null());
	return o;
}

static json_t *documents_json(struct rng *r, const char *name, int extra)
{
	json_t *a = json_array();
	const char *names[2] = {name, "attachment_a.pdf"};
	for (int i = 0; i <= extra; i++) {
		json_t *d = json_object();
		char hex[65];
		random_hex(r, hex);
		put_str(d, "name", names[i]);
		put_str(d, "sha256", hex);
		json_array_append_new(a, d);
	}
	return a;
}

/* ---- History: closed requests for `docket request import` ---- */

/* What the targets turned out to be, for choosing a plausible outcome. */
struct facts {
	int resolved, enterprise, us_person, own_keys;
};

/* An identifier no customer has: addresses without the customer number. */
static char *unknown_target(struct rng *r, const struct dg_country *co,
			    enum target_type *type)
{
	char f[64], l[64];
	fold(PICK(r, co->first), f, sizeof(f));
	fold(PICK(r, co->last), l, sizeof(l));
	*type = rng_pct(r, 70) ? TGT_EMAIL : TGT_USERNAME;
	return *type == TGT_EMAIL ? xasprintf("%s.%s@%s", f, l, co->mail)
				  : xasprintf("%s_%s", f, l);
}

static int has_target(json_t *a, const char *value)
{
	for (size_t k = 0; k < json_array_size(a); k++)
		if (!strcmp(
			json_string_value(json_object_get(json_array_get(a, k), "value")),
			value))
			return 1;
	return 0;
}

/* 1-3 targets (national security: up to 5), mostly customers of the
 * requesting country, sometimes two accounts of one customer, now and then
 * an identifier that resolves to nothing. */
static json_t *history_targets(struct world *w, struct rng *r, int country,
			       enum process p, struct facts *f)
{
	static const unsigned count_w[] = {0, 75, 18, 7, 0, 0};
	static const unsigned ns_w[] = {0, 50, 20, 15, 10, 5};
	size_t n = rng_pick(r, p == PROC_NSL || p == PROC_FISA_ORDER ? ns_w : count_w, 6);
	json_t *a = json_array();
	const struct cust *prev = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct cust *c;
		const struct acct *ac;
		enum target_type type;
		char *value;
		if (rng_pct(r, 4)) {
			value = unknown_target(r, &COUNTRIES[country], &type);
			if (!has_target(a, value))
				json_array_append_new(a, account_json(type, value));
			free(value);
			continue;
		}
		if (prev && rng_pct(r, 40))
			c = prev;
		else if (w->n_by_country[country] && rng_pct(r, 70))
			c = &w->c[w->by_country[country]
					       [rng_below(r, w->n_by_country[country])]];
		else
			c = &w->c[rng_below(r, w->n)];
		ac = &c->accts[rng_below(r, c->n_accts)];
		if (has_target(a, ac->value))
			continue;
		json_array_append_new(a, account_json(ac->type, ac->value));
		f->resolved = 1;
		f->enterprise |= c->enterprise;
		f->us_person |= c->us_person;
		f->own_keys |= c->own_keys;
		prev = c;
	}
	return a;
}

static enum outcome decide(struct rng *r, enum process p, unsigned cats, int is_signed,
			   int prosecutor, const struct facts *f)
{
	int content = (cats & CAT_C) != 0;
	unsigned x;
	if (p == PROC_PRESERVATION || p == PROC_EU_PRESERVATION_ORDER)
		/* The hold lapsed or was released: nothing was disclosed. */
		return f->resolved ? OUT_WITHDRAWN : OUT_NO_DATA;
	if (!f->resolved)
		return rng_pct(r, 85) ? OUT_NO_DATA : OUT_REJECTED;
	if (rng_pct(r, 3))
		return OUT_WITHDRAWN;
	if (compulsory(p) && !is_signed)
		return OUT_REJECTED;
	if (f->enterprise && p != PROC_EMERGENCY &&
	    rng_pct(r, PROCESS_KIND[p] == KIND_NATIONAL_SECURITY ? 30 : 75))
		return OUT_REDIRECTED;
	if (f->own_keys && content && rng_pct(r, 60))
		return OUT_REDIRECTED;
	if (p == PROC_CLOUD_ACT_ORDER && f->us_person)
		return OUT_REJECTED;
	if (p == PROC_EU_PRODUCTION_ORDER && prosecutor && (cats & (CAT_N | CAT_C)))
		return rng_pct(r, 85) ? OUT_REJECTED : OUT_NONCONTENT_ONLY;
	if (p == PROC_FOREIGN_ORDER && content && rng_pct(r, 70))
		return OUT_REJECTED;
	x = (unsigned)rng_below(r, 100);
	if (x < OUTCOME_RATES[p].no_data)
		return OUT_NO_DATA;
	if (x >= OUTCOME_RATES[p].no_data + OUTCOME_RATES[p].disclosed)
		return OUT_REJECTED;
	if (content && rng_pct(r, OUTCOME_RATES[p].content))
		return OUT_CONTENT;
	return OUT_NONCONTENT_ONLY;
}

/* Days from receipt to closing, by outcome. */
static int64_t close_after(struct rng *r, enum process p, enum outcome o)
{
	static const int span[][2] = {
	    [OUT_CONTENT] = {7, 45},   [OUT_NONCONTENT_ONLY] = {3, 25},
	    [OUT_NO_DATA] = {1, 10},   [OUT_REJECTED] = {2, 21},
	    [OUT_REDIRECTED] = {1, 7}, [OUT_WITHDRAWN] = {5, 60},
	};
	int64_t days;
	if (p == PROC_PRESERVATION && o == OUT_WITHDRAWN)
		days = rng_pct(r, 20) ? 180 : 90; /* US-PRESERVATION */
	else if (p == PROC_EU_PRESERVATION_ORDER && o == OUT_WITHDRAWN)
		days = rng_pct(r, 20) ? 90 : 60; /* EU-EPOC-PR */
	else
		days = rng_range(r, span[o][0], span[o][1]);
	if (p == PROC_MLAT)
		days += rng_range(r, 30, 120);
	return days * DAY_SECONDS + rng_range(r, 0, 8 * 3600);
}

/* The nondisclosure order a request of this kind typically carries: the
 * first row of NDOS that fits decides. */
static void history_ndo(struct rng *r, json_t *o, const struct dg_agency *a,
			enum process p, unsigned cats, int64_t t)
{
	int64_t issued = t / DAY_SECONDS * DAY_SECONDS - rng_range(r, 0, 3) * DAY_SECONDS;
	for (size_t i = 0; i < ARRAY_SIZE(NDOS); i++) {
		const struct dg_ndo *n = &NDOS[i];
		if (n->process != p || (n->country && strcmp(n->country, a->country)) ||
		    (n->content >= 0 && n->content != !!(cats & CAT_C)))
			continue;
		if (rng_pct(r, n->pct))
			put(o, "ndo",
			    ndo_json(n->statute, issued,
				     rng_pct(r, n->indefinite_pct) ? 0
								   : PICK(r, n->days)));
		return;
	}
}

/* Who signed it (an enum issuer_type), or -1 for nobody. */
static int history_issuer(struct rng *r, const struct dg_agency *a, enum process p,
			  unsigned cats)
{
	if (p == PROC_SUBPOENA && !strcmp(a->type, "regulator"))
		return ISSUER_AGENCY;
	for (size_t i = 0; i < ARRAY_SIZE(ISSUERS); i++)
		if (ISSUERS[i].process == p &&
		    (ISSUERS[i].beyond_subscriber < 0 ||
		     ISSUERS[i].beyond_subscriber == !!(cats & (CAT_N | CAT_C))))
			return (int)rng_pick(r, ISSUERS[i].w, 3);
	return -1;
}

static enum process history_process(struct rng *r, const struct dg_agency *a, int64_t t)
{
	const struct dg_mix *mix = MIXES[a->profile];
	unsigned w[9] = {0};
	size_t n = 0;
	enum process p;
	for (; mix[n].weight; n++)
		w[n] = mix[n].weight;
	p = mix[rng_pick(r, w, n)].process;
	for (size_t i = 0; i < ARRAY_SIZE(PROCESS_START); i++)
		if (PROCESS_START[i].process == p &&
		    (!PROCESS_START[i].country ||
		     !strcmp(PROCESS_START[i].country, a->country)) &&
		    t < day_of(PROCESS_START[i].from))
			p = PROCESS_START[i].instead;
	return p;
}

static json_t *history_request(struct world *w, struct rng *r, const unsigned *aw,
			       int64_t t)
{
	static const char *const channels[] = {"portal", "portal", "portal",
					       "email",	 "email",  "mail"};
	const struct dg_agency *a = &AGENCIES[rng_pick(r, aw, ARRAY_SIZE(AGENCIES))];
	int country = country_index(a->country);
	enum process p = history_process(r, a, t);
	unsigned cats = (unsigned)rng_pick(r, CATEGORY_MIX[p], 8);
	int issuer = history_issuer(r, a, p, cats), is_signed = 1;
	struct facts f = {0};
	json_t *o = json_object();
	enum outcome out;

	put_ref(w, o, a, t);
	put_ts(o, "received_at", t, 0);
	put_str(o, "channel", PICK(r, channels));
	if (a->id)
		put_str(o, "agency", a->id);
	put_str(o, "country", a->country);
	if (rng_pct(r, 85))
		put(o, "requester",
		    person_json(r, &COUNTRIES[country], a->rank, a->domains[0],
				a->phone));
	put_str(o, "kind",
		kind_str(!strcmp(a->type, "regulator") ? KIND_CIVIL : PROCESS_KIND[p]));
	put_str(o, "process", process_str(p));
	if (issuer >= 0)
		put(o, "issued_by", issuer_json(r, a, issuer, p));
	if (compulsory(p)) {
		is_signed = rng_pct(r, 96);
		put(o, "signed", json_boolean(is_signed));
	} else if (issuer >= 0 && rng_pct(r, 60)) {
		put(o, "signed", json_true());
	}
	put(o, "targets", history_targets(w, r, country, p, &f));
	put(o, "categories", categories_json(cats));
	if (p == PROC_PEN_REGISTER || p == PROC_WIRETAP) {
		/* Prospective: 60 or 30 days from the order (US-PROSPECTIVE). */
		json_t *dr = json_object();
		put_ts(dr, "from", t, 1);
		put_ts(dr, "to", t + (p == PROC_WIRETAP ? 30 : 60) * DAY_SECONDS, 1);
		put(o, "date_range", dr);
	} else if (PROCESS_KIND[p] != KIND_PRESERVATION && rng_pct(r, 65)) {
		json_t *dr = json_object();
		int64_t to = t - rng_range(r, 0, 10) * DAY_SECONDS;
		put_ts(dr, "from", to - rng_range(r, 30, 730) * DAY_SECONDS, 1);
		put_ts(dr, "to", to, 1);
		put(o, "date_range", dr);
	}
	history_ndo(r, o, a, p, cats, t);
	if (p == PROC_EMERGENCY)
		put(o, "emergency", emergency_json(r, a));
	if (p == PROC_EU_PRODUCTION_ORDER)
		put_ts(o, "due_at", t + 10 * DAY_SECONDS, 0); /* EU-EPOC */
	else if (p != PROC_EMERGENCY && rng_pct(r, 35))
		put_ts(o, "due_at",
		       (t / DAY_SECONDS + rng_range(r, 10, 30)) * DAY_SECONDS, 0);
	if (rng_pct(r, 70))
		put(o, "documents", documents_json(r, DOCUMENT_NAME[p], rng_pct(r, 20)));
	out = decide(r, p, cats, is_signed, issuer == ISSUER_PROSECUTOR, &f);
	put_str(o, "outcome", outcome_str(out));
	/* Closed before the demo's "now": a late one closed early (a hold
	 * released, say), not all at the same last moment. */
	int64_t closed = t + close_after(r, p, out);
	if (closed >= w->end - 3600)
		closed = rng_range(r, t + 3600, w->end - 3600);
	put_ts(o, "closed_at", closed, 0);
	return o;
}

static int cmp_time(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Received times grow towards the end (half uniform, half the later of two
 * uniform days, as request volumes do), in office hours mostly. */
static int write_history(struct world *w, const char *dir, size_t count)
{
	unsigned aw[ARRAY_SIZE(AGENCIES)];
	int64_t days = (w->end - w->start) / DAY_SECONDS - 21, *times;
	struct rng r;
	struct out o;
	if (out_open(&o, dir, "history.jsonl") < 0)
		return -1;
	rng_init(&r, w->seed, STREAM_HISTORY);
	for (size_t i = 0; i < ARRAY_SIZE(AGENCIES); i++)
		aw[i] = AGENCIES[i].weight;
	times = xcalloc(count, sizeof(*times));
	for (size_t i = 0; i < count; i++) {
		int64_t d = (int64_t)rng_below(&r, (uint64_t)days);
		if (rng_pct(&r, 50)) {
			int64_t e = (int64_t)rng_below(&r, (uint64_t)days);
			d = e > d ? e : d;
		}
		times[i] = w->start + d * DAY_SECONDS +
			   (rng_pct(&r, 85) ? rng_range(&r, 8 * 3600, 18 * 3600)
					    : rng_range(&r, 0, DAY_SECONDS - 1));
	}
	qsort(times, count, sizeof(*times), cmp_time);
	for (size_t i = 0; i < count; i++)
		emit(&o, history_request(w, &r, aw, times[i]), 0);
	free(times);
	return out_close(&o);
}

/* ---- New requests for `docket request add`, received in the last 2 weeks ---- */

static json_t *demo_request(struct world *w, struct rng *r, const struct dg_demo *d,
			    int64_t t)
{
	const struct dg_agency *a = agency_by_id(d->agency);
	const struct dg_country *co = &COUNTRIES[country_index(a->country)];
	json_t *o = json_object(), *targets = json_array();

	put_ref(w, o, a, t);
	put_ts(o, "received_at", t, 0);
	put_str(o, "channel", d->emergency ? "email" : "portal");
	put_str(o, "agency", a->id);
	put(o, "requester",
	    person_json(r, co, a->rank,
			d->requester_domain ? d->requester_domain : a->domains[0],
			d->requester_phone ? d->requester_phone : a->phone));
	put_str(o, "kind", kind_str(d->kind));
	put_str(o, "process", process_str(d->process));
	if (d->issuer)
		put(o, "issued_by",
		    issuer_json(r, a, issuer_type_parse(d->issuer), d->process));
	if (d->is_signed != SIGNED_OMITTED)
		put(o, "signed", json_boolean(d->is_signed == SIGNED_YES));
	if (d->target == SC_WILDCARD) {
		char *v = xasprintf("*@%s", w->c[SC_ENTERPRISE].domain);
		json_array_append_new(targets, account_json(TGT_EMAIL, v));
		free(v);
	} else {
		const struct acct *ac = &w->c[d->target].accts[0];
		json_array_append_new(targets, account_json(ac->type, ac->value));
	}
	put(o, "targets", targets);
	put(o, "categories", categories_json(d->categories));
	if (d->kind != KIND_PRESERVATION && !d->emergency) {
		json_t *dr = json_object();
		put_ts(dr, "from", t - 365 * DAY_SECONDS, 1);
		put_ts(dr, "to", t - DAY_SECONDS, 1);
		put(o, "date_range", dr);
	}
	if (d->statute)
		put(o, "ndo",
		    ndo_json(d->statute, t / DAY_SECONDS * DAY_SECONDS - DAY_SECONDS,
			     d->ndo_days));
	if (d->emergency)
		put(o, "emergency", emergency_json(r, a));
	if (d->due_days)
		put_ts(o, "due_at", (t / DAY_SECONDS + d->due_days) * DAY_SECONDS, 0);
	put(o, "documents", documents_json(r, d->document, 0));
	return o;
}

static int write_demos(struct world *w, const char *dir)
{
	char *sub = xasprintf("%s/requests", dir);
	int64_t first = w->end / DAY_SECONDS * DAY_SECONDS - 15 * DAY_SECONDS;
	struct rng r;
	struct out idx;
	int rc = 0;
	rng_init(&r, w->seed, STREAM_DEMO);
	if ((mkdir(sub, 0777) < 0 && errno != EEXIST) ||
	    out_open(&idx, sub, "README") < 0) {
		fprintf(stderr, "demogen: cannot create '%s': %s\n", sub,
			strerror(errno));
		free(sub);
		return -1;
	}
	fputs("New requests for `docket request add FILE`; each exercises one rule.\n\n",
	      idx.fp);
	for (size_t i = 0; i < ARRAY_SIZE(DEMOS) && rc == 0; i++) {
		int64_t t = first + (int64_t)i * DAY_SECONDS + 9 * 3600 +
			    (int64_t)((i * 47) % 480) * 60;
		struct out o;
		if (out_open(&o, sub, DEMOS[i].file) < 0) {
			rc = -1;
			break;
		}
		emit(&o, demo_request(w, &r, &DEMOS[i], t), 1);
		rc = out_close(&o);
		fprintf(idx.fp, "%s\n    %s\n", DEMOS[i].file, DEMOS[i].purpose);
	}
	if (out_close(&idx) < 0)
		rc = -1;
	free(sub);
	return rc;
}

/* ---- Vault: a few stored items for some accounts (SPEC §8 vault import) ---- */

static void vault_item(struct out *o, const struct cust *c, const struct acct *ac,
		       const char *category, const char *kind, int64_t t,
		       const char *data)
{
	json_t *obj = json_object();
	put(obj, "account", account_json(ac->type, ac->value));
	put_str(obj, "category", category);
	put_str(obj, "kind", kind);
	put_ts(obj, "created_at", t, 0);
	put_str(obj, "location", c->loc);
	put_str(obj, "data", data);
	emit(o, obj, 0);
}

static void vault_account(struct out *o, struct rng *r, const struct world *w,
			  const struct cust *c, const struct acct *ac)
{
	int64_t lo = w->end - 730 * DAY_SECONDS, hi = w->end - DAY_SECONDS;
	char when[TS_BUFSZ], *s;
	time_format(rng_range(r, lo - 900 * DAY_SECONDS, lo), when);
	s = xasprintf("name: %s\naccount: %s\ncountry: %s\nplan: %s\nsince: %s\n",
		      c->name, ac->value, c->co->code,
		      c->enterprise ? "business" : "personal", when);
	vault_item(o, c, ac, "subscriber", "profile", rng_range(r, lo, hi), s);
	free(s);
	for (int i = 0, n = (int)rng_range(r, 2, 4); i < n; i++) {
		int64_t t = rng_range(r, lo, hi);
		time_format(t, when);
		s = xasprintf("%s signin ok ip=198.51.100.%u agent=%s", when,
			      (unsigned)rng_range(r, 1, 254), PICK(r, AGENTS));
		vault_item(o, c, ac, "noncontent", "signin_log", t, s);
		free(s);
	}
	for (int i = 0, n = (int)rng_range(r, 1, 3); i < n; i++) {
		const struct cust *peer = &w->c[rng_below(r, w->n)];
		s = xasprintf("From: %s\nTo: %s\nSubject: %s\n\n%s\n", ac->value,
			      peer->accts[0].value, PICK(r, SUBJECTS), PICK(r, BODIES));
		vault_item(o, c, ac, "content", "email_message", rng_range(r, lo, hi), s);
		free(s);
	}
	if (rng_pct(r, 50)) {
		s = xasprintf("notes.txt\n\n%s\n", PICK(r, BODIES));
		vault_item(o, c, ac, "content", "file", rng_range(r, lo, hi), s);
		free(s);
	}
}

/* Every made-to-order customer and about one in six others; per customer
 * its mailboxes (an enterprise: its first three). */
static int write_vault(struct world *w, const char *dir)
{
	struct rng r;
	struct out o;
	if (out_open(&o, dir, "vault.jsonl") < 0)
		return -1;
	rng_init(&r, w->seed, STREAM_VAULT);
	for (size_t i = 0; i < w->n; i++) {
		const struct cust *c = &w->c[i];
		int mailboxes = 0;
		if (i >= SC__COUNT && !rng_pct(&r, 16))
			continue;
		for (size_t k = 0; k < c->n_accts && mailboxes < 3; k++)
			if (c->accts[k].type == TGT_EMAIL) {
				vault_account(&o, &r, w, c, &c->accts[k]);
				mailboxes++;
			}
	}
	return out_close(&o);
}

/* ---- Command line ---- */

static const char usage[] =
    "usage: demogen [--seed N] [--out DIR] [--requests N] [--customers N]\n"
    "               [--start YYYY-MM-DD] [--end YYYY-MM-DD] [--vault]\n"
    "defaults: --seed 1 --out demo --requests 3000 --customers 2000 (at least 28)\n"
    "          --start 2024-01-01 --end 2026-11-01; see docs/demo.md\n";

struct opts {
	uint64_t seed;
	const char *out;
	size_t requests, customers;
	int64_t start, end;
	int vault;
};

static int parse_count(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	errno = 0;
	if (!s || *s < '0' || *s > '9')
		return -1;
	*out = strtoull(s, &end, 10);
	return errno || *end || *out > max ? -1 : 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	struct ts ts;
	uint64_t v;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--vault")) {
			o->vault = 1;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage, stdout);
			exit(0);
		}
		if (!val) {
			fprintf(stderr, "demogen: unknown option or missing value '%s'\n",
				a);
			return -1;
		}
		i++;
		if (!strcmp(a, "--out"))
			o->out = val;
		else if (!strcmp(a, "--seed") && !parse_count(val, UINT64_MAX, &v))
			o->seed = v;
		else if (!strcmp(a, "--requests") && !parse_count(val, 100000000, &v))
			o->requests = (size_t)v;
		else if (!strcmp(a, "--customers") && !parse_count(val, 10000000, &v) &&
			 v >= 2 * SC__COUNT)
			o->customers = (size_t)v;
		else if (!strcmp(a, "--start") && !ts_parse(val, &ts))
			o->start = ts.t;
		else if (!strcmp(a, "--end") && !ts_parse(val, &ts))
			o->end = ts.t;
		else {
			fprintf(stderr, "demogen: bad value in '%s %s'\n", a, val);
			return -1;
		}
	}
	if (o->end - o->start < 60 * DAY_SECONDS) {
		fprintf(stderr,
			"demogen: --end must be at least 60 days after --start\n");
		return -1;
	}
	return 0;
}

/* mkdir -p: create dir and its missing parents. */
static int make_dirs(const char *dir)
{
	char *p = xstrdup(dir);
	int rc = 0;
	for (char *s = p + 1; *s && rc == 0; s++)
		if (*s == '/') {
			*s = '\0';
			rc = mkdir(p, 0777) < 0 && errno != EEXIST ? -1 : 0;
			*s = '/';
		}
	if (rc == 0 && mkdir(p, 0777) < 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

static void world_release(struct world *w)
{
	for (size_t i = 0; i < w->n; i++) {
		for (size_t k = 0; k < w->c[i].n_accts; k++)
			free(w->c[i].accts[k].value);
		free(w->c[i].accts);
		free(w->c[i].name);
		free(w->c[i].domain);
	}
	for (size_t k = 0; k < ARRAY_SIZE(COUNTRIES); k++)
		free(w->by_country[k]);
	free(w->c);
	free(w->seq);
}

int main(int argc, char **argv)
{
	struct opts o = {1, "demo", 3000, 2000, 0, 0, 0};
	struct world w = {0};
	int rc;
	o.start = day_of("2024-01-01");
	o.end = day_of("2026-11-01");
	if (parse_opts(argc, argv, &o) < 0) {
		fputs(usage, stderr);
		return 2;
	}
	if (make_dirs(o.out) < 0) {
		fprintf(stderr, "demogen: cannot create '%s': %s\n", o.out,
			strerror(errno));
		return 1;
	}
	json_object_seed(1);
	w.seed = o.seed;
	w.start = o.start;
	w.end = o.end;
	w.n = o.customers;
	w.c = xcalloc(w.n, sizeof(*w.c));
	w.first_year = year_of(o.start);
	w.n_years = year_of(o.end) - w.first_year + 1;
	w.seq = xcalloc(ARRAY_SIZE(AGENCIES) * (size_t)w.n_years, sizeof(*w.seq));
	rc = write_customers(&w, o.out) || write_agencies(o.out) ||
	     write_history(&w, o.out, o.requests) || write_demos(&w, o.out) ||
	     (o.vault && write_vault(&w, o.out));
	world_release(&w);
	if (rc)
		return 1;
	printf("demogen: %zu customers, %zu historical requests, %zu new requests%s in "
	       "%s/\n",
	       o.customers, o.requests, ARRAY_SIZE(DEMOS), o.vault ? ", vault" : "",
	       o.out);
	return 0;
}
