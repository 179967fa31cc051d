/*
 * records.c - the log's record of a stored customer or agency (records.h).
 */
#include <stdlib.h>
#include <string.h>

#include "base/digest.h"
#include "base/err.h"
#include "core/ledger/journal.h"
#include "core/ledger/records.h"

void records_doc_digest(json_t *j, char out[72])
{
	char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	digest_tag(text ? text : "", text ? strlen(text) : 0, out);
	free(text);
}

struct accounts {
	struct store *st;
	json_t *arr;
};

static int add_account(void *ctx, int64_t id, const char *type, const char *value)
{
	struct accounts *a = ctx;
	char ref[JOURNAL_REF_LEN];
	int rc = journal_ref(a->st, type, value, ref);
	if (rc < 0)
		return rc;
	json_array_append_new(a->arr, json_pack("[I, s, s]", (json_int_t)id, type, ref));
	return 0;
}

json_t *customer_record(struct store *st, const struct customer *c)
{
	char doc[72];
	json_t *accounts = json_array();
	struct accounts a = {st, accounts};
	if (store_customer_accounts(st, c->id, add_account, &a) < 0) {
		json_decref(accounts);
		return NULL;
	}
	records_doc_digest(customer_to_json(c), doc);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:o}", "id", c->id, "doc", doc,
			 "type", customer_type_str(c->type), "country", c->country,
			 "data_location", c->data_location, "us_person", c->us_person,
			 "key_custody", key_custody_str(c->key_custody), "accounts", accounts);
}

json_t *agency_record(const struct agency *a)
{
	char doc[72];
	records_doc_digest(agency_to_json(a), doc);
	return json_pack("{s:s, s:s, s:s, s:s}", "id", a->id, "doc", doc, "country",
			 a->country, "type", agency_type_str(a->type));
}
