/*
 * api_ops.c - more of the command line over HTTP (SPEC §12: every command a
 * person or program runs has an endpoint): staff users and the proposals
 * of separation of duties, witnesses, verifying the log and its verifier
 * key, one setting, the scheduler pass, and letters to the agency.  Each
 * handler calls the app function the matching command calls on the
 * caller's session (http_session()), and answers with what that command
 * prints with --json.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "app/admin.h"
#include "app/auth.h"
#include "app/journal.h"
#include "app/letter.h"
#include "app/notice.h"
#include "app/staff.h"
#include "app/witness.h"
#include "base/err.h"
#include "base/util.h"
#include "http/handlers.h"

#define REASON_MAX 4096

static void json_release(void *j)
{
	json_decref(j);
}

/* A step that takes no fields: no body, or an empty object. */
static int no_fields(struct http_req *req)
{
	static const char *const none[] = {NULL};
	int rc;
	json_t *body = api_body_or_empty(req, &rc);
	return rc < 0 ? rc : api_only_fields(body, none);
}

/* --- staff users (docket user list|set|remove|passwd|confirm|cancel) ------ */

/* "roles": "intake,reviewer" as the API writes roles everywhere: a list. */
static void roles_as_list(json_t *j)
{
	unsigned roles;
	const char *s = json_string_value(json_object_get(j, "roles"));
	if (s && roles_parse(s, &roles) == 0)
		json_object_set_new(j, "roles", api_roles_json(roles));
}

/* `user list --json`, with each user's and proposal's roles as a list. */
int api_users_list(struct http_req *req, struct http_res *res)
{
	json_t *all, *u;
	size_t i;
	int rc = app_user_list(http_session(req), &all);
	if (rc < 0)
		return rc;
	json_array_foreach(json_object_get(all, "users"), i, u)
		roles_as_list(u);
	json_array_foreach(json_object_get(all, "proposals"), i, u)
		roles_as_list(u);
	return http_reply_json(req, res, 200, all);
}

static int run_staff_change(struct http_req *req, struct http_res *res,
			    const struct staff_change *c)
{
	struct staff_outcome o;
	int rc = app_user_change(http_session(req), c, &o);
	if (rc < 0)
		return api_name_field(rc, api_user_fields);
	json_t *j = app_staff_outcome_json(c->name, &o);
	roles_as_list(j);
	return http_reply_json(req, res, 200, j);
}

/* {"roles": [...], "unix": "login"}: "unix": null unbinds the login; a
 * field left out is kept.  With two or more admins a guarded change is only
 * proposed ("proposed": true, "proposal": id). */
int api_user_set(struct http_req *req, struct http_res *res)
{
	static const char *const fields[] = {"roles", "unix", NULL};
	struct staff_change c = {.op = STAFF_SET, .name = http_param(req, "name")};
	int rc;
	json_t *body = api_body_or_empty(req, &rc);
	if (rc < 0 || (rc = api_only_fields(body, fields)) < 0 ||
	    (rc = api_roles_field(body, "roles", 0, &c.roles)) < 0)
		return rc;
	json_t *u = json_object_get(body, "unix");
	if (u && json_is_null(u))
		c.unbind = 1;
	else if (u &&
		 (rc = api_string(body, "unix", STAFF_LOGIN_MAX, 1, &c.unix_login)) < 0)
		return rc;
	if (json_object_get(body, "roles") && !c.roles)
		return err_set(E_INVALID, "field 'roles': at least one role");
	if (!c.roles && !c.unix_login && !c.unbind)
		return err_set(E_INVALID, "field 'roles': give roles or unix to change");
	return run_staff_change(req, res, &c);
}

int api_user_remove(struct http_req *req, struct http_res *res)
{
	struct staff_change c = {.op = STAFF_REMOVE, .name = http_param(req, "name")};
	return run_staff_change(req, res, &c);
}

/* An admin sets another user's password {password}; the user's sessions
 * end.  One's own password is changed with POST /api/v1/session/password,
 * which asks for the current one. */
int api_user_password(struct http_req *req, struct http_res *res)
{
	static const char *const fields[] = {"password", NULL};
	const char *name = http_param(req, "name"), *pw;
	int rc;
	json_t *body = api_body_or_empty(req, &rc);
	if (rc < 0 || (rc = api_only_fields(body, fields)) < 0 ||
	    (rc = api_string(body, "password", AUTH_PASSWORD_MAX, 1, &pw)) < 0)
		return rc;
	if (strcmp(name, req->who.user) == 0)
		return err_set(E_FORBIDDEN,
			       "change your own password with POST "
			       "/api/v1/session/password (it needs the current one)");
	if ((rc = app_user_passwd(http_session(req), name, pw)) < 0)
		return rc;
	return http_reply_empty(res, 204);
}

static int proposal_id(struct http_req *req, int64_t *id)
{
	return http_param_id(req, "id", id);
}

int api_proposal_confirm(struct http_req *req, struct http_res *res)
{
	struct staff_outcome o;
	int64_t id;
	int rc;
	if ((rc = proposal_id(req, &id)) < 0 || (rc = no_fields(req)) < 0 ||
	    (rc = app_user_confirm(http_session(req), id, &o)) < 0)
		return rc;
	return http_reply_json(
	    req, res, 200,
	    json_pack("{s:I, s:s}", "proposal", (json_int_t)id, "state", "confirmed"));
}

int api_proposal_cancel(struct http_req *req, struct http_res *res)
{
	int64_t id;
	int rc;
	if ((rc = proposal_id(req, &id)) < 0 ||
	    (rc = app_user_cancel(http_session(req), id)) < 0)
		return rc;
	return http_reply_json(
	    req, res, 200,
	    json_pack("{s:I, s:s}", "proposal", (json_int_t)id, "state", "cancelled"));
}

/* --- witnesses (docket witness list|add|remove|offer) ----------------------- */

static int witness_row(void *ctx, const struct witness_row *w)
{
	json_array_append_new(ctx, app_witness_json(w));
	return 0;
}

int api_witnesses_list(struct http_req *req, struct http_res *res)
{
	json_t *arr = json_array();
	int rc = app_witness_list(http_session(req), witness_row, arr);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	return http_reply_json(req, res, 200, json_pack("{s:o}", "witnesses", arr));
}

/* {"name", "url", "vkey"}: the witness's key name, the URL prefix of its
 * add-checkpoint, its verifier key. */
int api_witness_add(struct http_req *req, struct http_res *res)
{
	static const char *const fields[] = {"name", "url", "vkey", NULL};
	const char *name, *url, *vkey;
	int rc;
	json_t *body = api_body_or_empty(req, &rc);
	if (rc < 0 || (rc = api_only_fields(body, fields)) < 0 ||
	    (rc = api_string(body, "name", 256, 1, &name)) < 0 ||
	    (rc = api_string(body, "url", 2048, 1, &url)) < 0 ||
	    (rc = api_string(body, "vkey", 1024, 1, &vkey)) < 0)
		return rc;
	static const char *const witness_fields[][2] = {{"witness name", "name"},
							{"witness url", "url"},
							{"witness key", "vkey"},
							{NULL, NULL}};
	if ((rc = app_witness_add(http_session(req), name, url, vkey)) < 0)
		return api_name_field(rc, witness_fields);
	return http_reply_json(req, res, 201,
			       json_pack("{s:s, s:s}", "name", name, "url", url));
}

/* {name*}: the witness's key name, which may hold '/' (as is, or
 * percent-encoded: the router decodes it once); 200 with the witness as `witness list --json` lists
 * it, removed_at set. */
int api_witness_remove(struct http_req *req, struct http_res *res)
{
	const char *name = http_param(req, "name");   /* decoded by the router */
	int rc;
	if (!name || !*name || strlen(name) > 256)
		return err_set(E_NOTFOUND, "no such witness");
	if ((rc = no_fields(req)) < 0 || (rc = app_witness_remove(http_session(req), name)) < 0)
		return rc;
	json_t *j = app_witness_one_json(http_session(req), name);
	return j ? http_reply_json(req, res, 200, j) : -E_STORAGE;
}

int api_witness_offer(struct http_req *req, struct http_res *res)
{
	struct witness_stats st;
	int rc = no_fields(req);
	if (rc == 0)
		rc = app_witness_offer(http_session(req), &st);
	return rc < 0 ? rc : http_reply_json(req, res, 200, app_witness_stats_json(&st));
}

/* --- the log (docket log verify, log key) --------------------------------- */

/* The whole log recomputed and checked, as `log verify --json` reports it:
 * 200 with "ok" false and the findings when anything is wrong (the report
 * is the answer; the command's exit status 3 becomes "ok").  ?key= checks
 * the signatures against a verifier key obtained elsewhere (--key);
 * ?trusted= a checkpoint recorded elsewhere, which the log must extend
 * (--trusted FILE's text). */
int api_log_verify(struct http_req *req, struct http_res *res)
{
	struct app_verify out;
	struct trusted_report tr = {0};
	int rc = 0;
	const char *key = http_query(req, "key", &rc);
	const char *trusted = http_query(req, "trusted", &rc);
	if (rc < 0)
		return rc;
	if (key && strlen(key) > 1024)
		return err_set(E_USAGE,
			       "query parameter 'key' is longer than 1024 bytes");
	json_t *findings = json_array();
	pool_defer(req->pool, json_release, findings);
	struct journal_hooks hooks = {app_journal_finding_json, NULL, findings};
	static const char *const key_field[][2] = {{"malformed verifier key", "key"},
						   {NULL, NULL}};
	if ((rc = app_journal_verify(http_session(req), key, &hooks, NULL, &out)) < 0)
		return api_name_field(rc, key_field);
	json_t *j = app_journal_verify_json(&out, json_incref(findings));
	pool_defer(req->pool, json_release, j);
	if (trusted) {
		int trc = app_journal_trusted(http_session(req), key, trusted,
					      strlen(trusted), &hooks, &tr);
		if (trc < 0 && trc != -E_INVALID)
			return trc;
		json_object_set_new(
		    j, "trusted",
		    json_pack("{s:b, s:I}", "ok", trc == 0, "size", (json_int_t)tr.size));
		if (trc < 0) /* why, as the command says it */
			json_object_set_new(json_object_get(j, "trusted"), "message",
					    json_string(err_msg()));
		if (trc < 0)
			json_object_set_new(j, "ok", json_false());
	}
	return http_reply_json(req, res, 200, json_incref(j));
}

int api_log_key(struct http_req *req, struct http_res *res)
{
	char *vkey;
	int rc = app_journal_key(http_session(req), NULL, &vkey);
	if (rc < 0)
		return rc;
	json_t *j = json_pack("{s:s}", "key", vkey);
	free(vkey);
	return http_reply_json(req, res, 200, j);
}

/* A number (0 and up): a path segment that is not one names nothing
 * (404); a query parameter that is not one is a bad request (400). */
static int parse_u64(const char *v, uint64_t *out)
{
	char *end;
	if (!v || *v < '0' || *v > '9')
		return -1;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	if (*end || errno)
		return -1;
	*out = n;
	return 0;
}

static int param_u64(struct http_req *req, const char *name, uint64_t *out)
{
	const char *v = http_param(req, name);
	if (parse_u64(v, out) < 0)
		return err_set(E_NOTFOUND, "no log entry or size '%.32s'", v ? v : "");
	return 0;
}

/* ?size=S: *have 0 when absent. */
static int query_size(struct http_req *req, int *have, uint64_t *size)
{
	int rc = 0;
	const char *v = http_query(req, "size", &rc);
	*have = 0;
	if (rc < 0 || !v)
		return rc;
	if (parse_u64(v, size) < 0)
		return err_set(E_USAGE, "query parameter 'size' must be a number");
	*have = 1;
	return 0;
}

/* ?compartment=1: the national-security compartment (users cleared). */
static int query_compartment(struct http_req *req, int *ns)
{
	int rc = 0;
	const char *v = http_query(req, "compartment", &rc);
	*ns = 0;
	if (rc < 0 || !v)
		return rc;
	if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
		*ns = 1;
	else if (strcmp(v, "0") != 0 && strcmp(v, "false") != 0)
		return err_set(E_USAGE, "query parameter 'compartment' must be 1 or 0");
	return 0;
}

/* The signed checkpoint at ?size= or the latest, with the witnesses'
 * cosignatures; ?compartment=1 the compartment's: {"size", "note"}. */
int api_log_checkpoint(struct http_req *req, struct http_res *res)
{
	uint64_t size = 0;
	char *note = NULL;
	int have, ns, rc;
	if ((rc = query_size(req, &have, &size)) < 0 ||
	    (rc = query_compartment(req, &ns)) < 0)
		return rc;
	rc = ns ? app_journal_ns_checkpoint(http_session(req), have, &size, &note)
		: app_journal_checkpoint(http_session(req), have, &size, &note);
	if (rc < 0)
		return rc;
	json_t *j = json_pack("{s:I, s:s}", "size", (json_int_t)size, "note", note);
	free(note);
	return http_reply_json(req, res, 200, j);
}

/* Entry n of the national-security compartment, for users cleared for it,
 * as `log entry N --compartment --json` prints it: {"index", "entry"}.
 * (The main log's entries are served as entry bundles under /log/.) */
int api_log_compartment_entry(struct http_req *req, struct http_res *res)
{
	struct buf entry;
	uint64_t index;
	int rc;
	if ((rc = param_u64(req, "n", &index)) < 0 ||
	    (rc = app_journal_ns_entry(http_session(req), index, &entry)) < 0)
		return rc;
	json_t *ev = json_loadb(entry.ptr, entry.len, JSON_ALLOW_NUL, NULL);
	buf_release(&entry);
	return http_reply_json(
	    req, res, 200,
	    json_pack("{s:I, s:o?}", "index", (json_int_t)index, "entry", ev));
}

typedef int (*prove_fn)(struct session *s, uint64_t from, uint64_t size,
			struct merkle_proof *out);

/* An RFC 9162 proof from {name} for the tree of ?size= (default: the
 * latest signed checkpoint's). */
static int proof(struct http_req *req, struct http_res *res, const char *name,
		 int consistency, prove_fn prove)
{
	struct merkle_proof p;
	uint64_t from, size = 0;
	int have, rc;
	if ((rc = param_u64(req, name, &from)) < 0 ||
	    (rc = query_size(req, &have, &size)) < 0 ||
	    (rc = app_journal_proof_size(http_session(req), have, &size)) < 0 ||
	    (rc = prove(http_session(req), from, size, &p)) < 0)
		return rc;
	return http_reply_json(req, res, 200,
			       app_journal_proof_json(consistency, from, size, &p));
}

int api_log_proof(struct http_req *req, struct http_res *res)
{
	return proof(req, res, "n", 0, app_journal_inclusion);
}

int api_log_consistency(struct http_req *req, struct http_res *res)
{
	return proof(req, res, "old", 1, app_journal_consistency);
}

/* --- one setting (docket config get) --------------------------------------- */

int api_config_get(struct http_req *req, struct http_res *res)
{
	const char *key = http_param(req, "key");
	char *v = NULL;
	int rc;
	if (!config_find(key))
		return err_set(E_NOTFOUND,
			       "no setting '%.64s' (GET /api/v1/config lists them)", key);
	if ((rc = app_config_get(http_session(req), key, &v)) < 0)
		return rc;
	json_t *j = json_pack("{s:s, s:s?}", "key", key, "value", v);
	free(v);
	return http_reply_json(req, res, 200, j);
}

/* --- the scheduler pass (docket tick) -------------------------------------- */

int api_tick(struct http_req *req, struct http_res *res)
{
	struct tick_stats st;
	int rc = no_fields(req);
	if (rc == 0)
		rc = app_tick(http_session(req), &st);
	return rc < 0 ? rc : http_reply_json(req, res, 200, app_tick_json(&st));
}

/* --- letters to the agency (docket letter list|draft|send) ---------------- */

int api_letters_list(struct http_req *req, struct http_res *res)
{
	int64_t id;
	json_t *arr;
	int rc;
	if ((rc = http_param_id(req, "id", &id)) < 0 ||
	    (rc = app_letter_list_json(http_session(req), id, &arr)) < 0)
		return rc;
	return http_reply_json(req, res, 200, json_pack("{s:o}", "letters", arr));
}

/* ?kind=acknowledgement|rejection|redirect|narrowing|production:
 * {"kind", "text"}, the draft to review and edit before sending. */
int api_letter_draft(struct http_req *req, struct http_res *res)
{
	int64_t id;
	char *text = NULL;
	int rc = 0;
	const char *kind = http_query(req, "kind", &rc);
	if (rc < 0 || (rc = http_param_id(req, "id", &id)) < 0)
		return rc;
	if (!kind)
		return err_set(E_USAGE,
			       "query parameter 'kind' is missing (acknowledgement, "
			       "rejection, redirect, narrowing, production)");
	if ((rc = app_letter_draft(http_session(req), id, kind, &text)) < 0)
		return rc;
	json_t *j = json_pack("{s:s, s:s}", "kind", kind, "text", text);
	free(text);
	return http_reply_json(req, res, 200, j);
}

/* {"kind", "to", "text"}: the reviewed letter ("Subject: ...", a blank
 * line, the body), stored and logged by its SHA-256, then mailed.  201
 * with the letter as GET .../letters lists it. */
int api_letter_send(struct http_req *req, struct http_res *res)
{
	static const char *const fields[] = {"kind", "to", "text", NULL};
	const char *kind, *to, *text;
	int64_t id, lid;
	int rc;
	json_t *body = api_body_or_empty(req, &rc);
	if (rc < 0 || (rc = http_param_id(req, "id", &id)) < 0 ||
	    (rc = api_only_fields(body, fields)) < 0 ||
	    (rc = api_string(body, "kind", 32, 1, &kind)) < 0 ||
	    (rc = api_string(body, "to", 320, 1, &to)) < 0 ||
	    (rc = api_string(body, "text", LETTER_TEXT_MAX, 1, &text)) < 0 ||
	    (rc = app_letter_send(http_session(req), id, kind, to, text, &lid)) < 0)
		return rc;
	json_t *arr, *l, *found = NULL;
	size_t i;
	if ((rc = app_letter_list_json(http_session(req), id, &arr)) < 0)
		return rc;
	json_array_foreach(arr, i, l) if (json_integer_value(json_object_get(l, "id")) ==
					  lid) found = json_incref(l);
	json_decref(arr);
	if (!found)
		found = json_pack("{s:I}", "id", (json_int_t)lid);
	return http_reply_json(req, res, 201, found);
}
