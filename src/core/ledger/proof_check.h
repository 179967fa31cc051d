/*
 * proof_check.h - check an inclusion proof as the customer portal hands it
 * out (SPEC §15; docs/portals.md) without the provider's database: the
 * JSON {"index","tree_size","entry" (base64),"hashes":[base64...],
 * "checkpoint" (a signed note)}, against the log's verifier key.
 *
 * Checks, in order: the checkpoint's signature by the key, that its size
 * is tree_size, and that SHA-256(0x00 || entry) with the hashes leads to
 * its root (RFC 9162 §2.1.3.2).  E_INVALID naming what failed.
 */
#ifndef DOCKET_PROOF_CHECK_H
#define DOCKET_PROOF_CHECK_H

#include <stddef.h>
#include <stdint.h>

struct proof_checked {
	uint64_t index, size;
	char origin[256];
};

int proof_check(const char *json, size_t len, const char *vkey,
		struct proof_checked *out);

#endif
