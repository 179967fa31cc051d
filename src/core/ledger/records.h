/*
 * records.h - what the log records of a customer or an agency as it is
 * stored, so that core/ledger/replay.c can check the customer, account and
 * agency tables against the log (SPEC §6).
 *
 * Personal data stays out of the log: a customer's document (name,
 * contact, accounts) is recorded by its SHA-256, each account by
 * journal_ref(type, value); the columns reports and policy read (type,
 * countries, us_person, key custody) are recorded as they are.
 */
#ifndef DOCKET_RECORDS_H
#define DOCKET_RECORDS_H

#include <jansson.h>

#include "model/model.h"
#include "store/store.h"

/* Log records are written in entries of at most this many items. */
#define RECORDS_CHUNK 100

/* {"id", "doc", "type", "country", "data_location", "us_person",
 * "key_custody", "accounts": [[id, type, ref], ...]} of customer c as
 * stored (call after store_customer_put); NULL with an error set. */
json_t *customer_record(struct store *st, const struct customer *c);
/* {"id", "doc", "country", "type"} of agency a. */
json_t *agency_record(const struct agency *a);

/* The SHA-256 tag of the canonical document the store keeps for j
 * (reference stolen). */
void records_doc_digest(json_t *j, char out[72]);

#endif
