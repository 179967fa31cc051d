/*
 * model.h - docket's domain objects (SPEC §2, §3) and their JSON forms.
 *
 * Ownership: every char * and array inside these structs is owned by the
 * struct and freed by its *_release() function, which leaves the struct
 * zeroed (safe to release twice).  Optional strings are NULL when absent.
 *
 * Parsing is strict (SPEC §3): duplicate keys, unknown fields, wrong types,
 * bad dates, unknown enum values, over-long strings and oversize documents
 * are rejected with E_INVALID and a one-line message naming the field
 * ("field 'targets[2].type': unknown target type 'mail'").  A parse that
 * fails leaves *out released.
 */
#ifndef DOCKET_MODEL_H
#define DOCKET_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/clock.h"
#include "model/enums.h"

/* Limits on untrusted input. */
#define MODEL_MAX_DOC 1048576       /* bytes of one JSON document */
#define MODEL_MAX_STR 4096          /* bytes of one string field */
#define MODEL_MAX_SHORT 256         /* ids, refs, names, emails */
#define MODEL_MAX_TARGETS 10000
#define MODEL_MAX_DOCUMENTS 1000
#define MODEL_MAX_ACCOUNTS 100000
#define MODEL_MAX_DOMAINS 100

struct account {
	enum target_type type;
	char *value;
};

struct customer {
	char *id;
	char *name;
	enum customer_type type;
	char country[3];
	char data_location[3];
	int us_person;
	char *contact_email;
	char *contact_name;       /* optional */
	enum key_custody key_custody;
	char *public_key;         /* base64 X25519; required for CUSTODY_CUSTOMER */
	struct account *accounts;
	size_t n_accounts;
};

struct agency {
	char *id;
	char *name;
	char country[3];
	enum agency_type type;
	char **domains;
	size_t n_domains;
	char *phone;              /* optional */
};

struct party {                    /* requester, emergency supervisor */
	char *name;
	char *email;
	char *phone;
};

struct issuer {
	enum issuer_type type;
	char *name;
	char *judge;              /* optional */
};

/* A per-target decision (SPEC §4): none (the target follows the request's
 * decision), or the target alone redirected or refused. */
enum target_decision { TD_NONE, TD_REDIRECT, TD_REJECT };

/* A target as given, and what it resolved to at intake. */
struct target {
	enum target_type type;
	char *value;
	int64_t account_id;       /* 0 when unresolved ("no data") */
	char *customer_id;        /* NULL when unresolved */
	enum target_decision decision;   /* set by review; not input */
};

struct ndo {
	char *statute;
	struct ts issued_at;
	int has_expiry;           /* 0: indefinite */
	struct ts expires_at;
};

struct document {
	char *name;
	char sha256[65];          /* lower-case hex */
};

struct request {
	int64_t id;               /* 0 until stored */
	char *ref;
	struct ts received_at;
	char *channel;            /* optional */
	char *agency;             /* agency id; NULL allowed only for imports */
	char country[3];          /* requesting country (from agency, or import) */

	int has_requester;
	struct party requester;

	enum kind kind;
	enum process process;

	int has_issued_by;
	struct issuer issued_by;

	int has_signed;
	int is_signed;

	struct target *targets;
	size_t n_targets;
	unsigned categories;      /* CAT_BIT() set */

	int has_date_range;
	struct ts date_from, date_to;

	int has_ndo;
	struct ndo ndo;

	int has_emergency;
	char *emergency_justification;
	struct party emergency_supervisor;

	int has_due;
	struct ts due_at;

	struct document *documents;
	size_t n_documents;

	/* Historical import only (request import). */
	enum outcome outcome;
	int has_closed_at;
	struct ts closed_at;

	/* Set by the workflow; not part of the input. */
	enum state state;
	unsigned scope;           /* categories kept at review; 0: as asked */
	int64_t next_deadline;    /* earliest open deadline; 0: none */
	unsigned supported;       /* categories the process supports (policy,
				     I3); CAT_ALL when not evaluated */

	/* What lists and reports filter on, decided by the domain
	 * (core/policy/classify.h) before the request is stored, and kept as
	 * columns so no legal rule is repeated in SQL. */
	int national_security;    /* reported only in bands (50 U.S.C. 1874) */
	int finished;             /* its state has no open deadlines */
};

/* Where a request document comes from, for error messages. */
enum request_mode {
	REQUEST_NEW,              /* request add: no outcome/closed_at/country */
	REQUEST_HISTORICAL,       /* request import: received_at, outcome and
				     closed_at required; agency optional when
				     country is given */
	REQUEST_STORED            /* re-reading a document the store wrote:
				     outcome, closed_at and country optional */
};

/* Parse one request document (SPEC §3).  `now` is the default received_at.
 * On success *out is filled and owned by the caller. */
int request_parse(const char *text, size_t len, enum request_mode mode,
		  int64_t now, struct request *out);
/* Same, from an already-decoded object (the caller keeps obj). */
int request_from_json(json_t *obj, enum request_mode mode, int64_t now,
		      struct request *out);
/* The SPEC §3 fields of r as a new JSON object (caller owns the reference).
 * Absent optional fields are omitted, so parse(to_json(r)) == r. */
json_t *request_to_json(const struct request *r);
/* Append to out the text json_dumps(request_to_json(r), JSON_COMPACT |
 * JSON_SORT_KEYS) gives, without building the tree: 0, or -1 (out
 * unchanged) when a string of r is not valid UTF-8, which jansson would not
 * write either, or out is full. */
struct buf;
int request_canonical(const struct request *r, struct buf *out);
void request_release(struct request *r);

int customer_parse(const char *text, size_t len, struct customer *out);
json_t *customer_to_json(const struct customer *c);
void customer_release(struct customer *c);

int agency_parse(const char *text, size_t len, struct agency *out);
json_t *agency_to_json(const struct agency *a);
void agency_release(struct agency *a);

/* Is s a two-letter upper-case ISO 3166-1 alpha-2 code docket knows? */
int country_valid(const char *s);
/* ",US,PR,GU,VI,AS,MP,UM,": the United States with its territories
 * (18 U.S.C. 5), one country for "stored abroad" (US-DATA-ABROAD). */
const char *country_us_nation(void);
/* English short name of a country code, or NULL when unknown. */
const char *country_name(const char *code);

#endif
