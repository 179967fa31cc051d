/*
 * proof_check.c - an inclusion proof of the customer portal, checked
 * offline (core/ledger/proof_check.h).
 */
#include <string.h>

#include <jansson.h>

#include "base/err.h"
#include "base/util.h"
#include "core/ledger/proof_check.h"
#include "log/merkle.h"
#include "log/note.h"

#define PROOF_ENTRY_MAX 65535

static int str_field(json_t *j, const char *name, const char **out)
{
	json_t *v = json_object_get(j, name);
	if (!json_is_string(v))
		return err_set(E_INVALID, "proof: field '%s' is missing or not a string",
			       name);
	*out = json_string_value(v);
	return 0;
}

static int u64_field(json_t *j, const char *name, uint64_t *out)
{
	json_t *v = json_object_get(j, name);
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return err_set(E_INVALID, "proof: field '%s' is missing or not a count",
			       name);
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

static int check(json_t *j, const char *vkey, struct proof_checked *out)
{
	const char *entry_b64 = NULL, *note = NULL;
	uint64_t index, size;
	struct note_verifier v;
	struct checkpoint cp;
	struct merkle_proof proof;
	size_t text_len, n;
	int rc;
	if ((rc = str_field(j, "entry", &entry_b64)) < 0 ||
	    (rc = str_field(j, "checkpoint", &note)) < 0 ||
	    (rc = u64_field(j, "index", &index)) < 0 ||
	    (rc = u64_field(j, "tree_size", &size)) < 0)
		return rc;
	json_t *hashes = json_object_get(j, "hashes");
	if (!json_is_array(hashes) || json_array_size(hashes) > MERKLE_MAX_PROOF)
		return err_set(E_INVALID,
			       "proof: field 'hashes' is not a list of at most %d "
			       "hashes",
			       MERKLE_MAX_PROOF);
	if ((rc = note_verifier_parse(vkey, &v)) < 0)
		return rc;
	if (note_open(note, strlen(note), &v, &text_len) < 0)
		return err_set(E_INVALID,
			       "proof: the checkpoint is not signed by the key '%.64s'",
			       v.name);
	if ((rc = checkpoint_parse(note, text_len, &cp)) < 0)
		return rc;
	if (cp.size != size)
		return err_set(E_INVALID,
			       "proof: the checkpoint is of %llu entries, the proof of "
			       "%llu",
			       (unsigned long long)cp.size, (unsigned long long)size);
	proof.len = json_array_size(hashes);
	for (size_t i = 0; i < proof.len; i++) {
		const char *h = json_string_value(json_array_get(hashes, i));
		if (!h ||
		    note_unbase64(h, strlen(h), proof.hash[i], MERKLE_HASH_LEN, &n) < 0 ||
		    n != MERKLE_HASH_LEN)
			return err_set(E_INVALID,
				       "proof: hash %zu is not a base64 SHA-256", i + 1);
	}
	uint8_t *entry = xmalloc(PROOF_ENTRY_MAX + 3);
	if (note_unbase64(entry_b64, strlen(entry_b64), entry, PROOF_ENTRY_MAX + 3, &n) <
		0 ||
	    n > PROOF_ENTRY_MAX) {
		free(entry);
		return err_set(E_INVALID,
			       "proof: field 'entry' is not base64 of an entry");
	}
	struct merkle_hasher *h = merkle_hasher_new();
	uint8_t leaf[MERKLE_HASH_LEN];
	rc = merkle_leaf_hash(h, entry, n, leaf);
	free(entry);
	if (rc == 0 && merkle_verify_inclusion(h, index, size, leaf, &proof, cp.root) < 0)
		rc = err_set(E_INVALID,
			     "proof: entry %llu is not in the tree the checkpoint signs "
			     "(%s)",
			     (unsigned long long)index, err_msg());
	merkle_hasher_free(h);
	if (rc == 0) {
		out->index = index;
		out->size = size;
		str_copy(out->origin, sizeof(out->origin), cp.origin);
	}
	return rc;
}

int proof_check(const char *json, size_t len, const char *vkey, struct proof_checked *out)
{
	json_error_t e;
	memset(out, 0, sizeof(*out));
	json_t *j = json_loadb(json, len, JSON_REJECT_DUPLICATES, &e);
	if (!j || !json_is_object(j)) {
		json_decref(j);
		return err_set(E_INVALID, "proof: not a JSON object (line %d: %s)",
			       e.line, e.text);
	}
	/* a request's JSON from GET /api/v1/my/requests/{id} holds it as "proof" */
	json_t *p = json_object_get(j, "proof");
	int rc = check(json_is_object(p) ? p : j, vkey, out);
	json_decref(j);
	return rc;
}
