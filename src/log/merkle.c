/*
 * merkle.c - RFC 6962 / RFC 9162 Merkle tree hashing, proofs and their
 * verification over a tree of stored complete subtrees (see merkle.h).
 *
 * The proof generators follow the recursive definitions of RFC 9162
 * §2.1.3.1 (PATH) and §2.1.4.1 (PROOF/SUBPROOF) literally, over absolute
 * leaf ranges [lo, hi).  Every range they visit starts at a multiple of the
 * largest power of two not above its length, so a range whose length is a
 * power of two is one stored node and any other range is composed from the
 * stored nodes of its right edge (range_hash).  On each path at most one
 * incomplete range is composed, so a proof reads O(log n) nodes.
 */
#include <openssl/evp.h>

#include "base/err.h"
#include "base/util.h"
#include "log/merkle.h"

struct merkle_hasher {
	EVP_MD *md;
	EVP_MD_CTX *ctx;
};

/* ===================================================================
 * Hashing
 * =================================================================== */

struct merkle_hasher *merkle_hasher_new(void)
{
	struct merkle_hasher *h = xcalloc(1, sizeof(*h));
	h->md = EVP_MD_fetch(NULL, "SHA256", NULL);
	h->ctx = EVP_MD_CTX_new();
	if (!h->md || !h->ctx) {
		merkle_hasher_free(h);
		err_set(E_INTERNAL, "openssl has no sha-256");
		return NULL;
	}
	return h;
}

void merkle_hasher_free(struct merkle_hasher *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	EVP_MD_free(h->md);
	free(h);
}

/* SHA-256(prefix || a || b); prefix < 0 means no prefix byte. */
static int digest(struct merkle_hasher *h, int prefix, const void *a, size_t alen,
		  const void *b, size_t blen, uint8_t out[MERKLE_HASH_LEN])
{
	unsigned char p = (unsigned char)prefix;
	unsigned int n = 0;
	if (!EVP_DigestInit_ex(h->ctx, h->md, NULL) ||
	    (prefix >= 0 && !EVP_DigestUpdate(h->ctx, &p, 1)) ||
	    (alen && !EVP_DigestUpdate(h->ctx, a, alen)) ||
	    (blen && !EVP_DigestUpdate(h->ctx, b, blen)) ||
	    !EVP_DigestFinal_ex(h->ctx, out, &n) || n != MERKLE_HASH_LEN)
		return err_set(E_INTERNAL, "sha-256 failed in openssl");
	return 0;
}

int merkle_sha256(struct merkle_hasher *h, const void *data, size_t len,
		  uint8_t out[MERKLE_HASH_LEN])
{
	return digest(h, -1, data, len, NULL, 0, out);
}

/* Small entries are copied behind the prefix byte: one EVP update instead
 * of two is ~10% faster for the typical few-hundred-byte event. */
int merkle_leaf_hash(struct merkle_hasher *h, const void *data, size_t len,
		     uint8_t out[MERKLE_HASH_LEN])
{
	uint8_t in[512];
	if (len >= sizeof(in))
		return digest(h, 0x00, data, len, NULL, 0, out);
	in[0] = 0x00;
	memcpy(in + 1, data, len);
	return digest(h, -1, in, len + 1, NULL, 0, out);
}

int merkle_node_hash(struct merkle_hasher *h, const uint8_t left[MERKLE_HASH_LEN],
		     const uint8_t right[MERKLE_HASH_LEN], uint8_t out[MERKLE_HASH_LEN])
{
	uint8_t in[1 + 2 * MERKLE_HASH_LEN];
	in[0] = 0x01;
	memcpy(in + 1, left, MERKLE_HASH_LEN);
	memcpy(in + 1 + MERKLE_HASH_LEN, right, MERKLE_HASH_LEN);
	return digest(h, -1, in, sizeof(in), NULL, 0, out);
}

/* ===================================================================
 * Reading the stored tree
 * =================================================================== */

static int is_pow2(uint64_t n)
{
	return n && !(n & (n - 1));
}

static unsigned log2_floor(uint64_t n)
{
	return 63u - (unsigned)__builtin_clzll(n);
}

/* The largest power of two strictly below n (n >= 2): RFC 9162's k. */
static uint64_t split_point(uint64_t n)
{
	return (uint64_t)1 << log2_floor(n - 1);
}

/*
 * MTH(D[lo:hi]) for an aligned range (lo a multiple of the largest power
 * of two <= hi - lo).  Its complete subtrees are the set bits of hi - lo,
 * largest on the left; fold them from the right.
 */
static int range_hash(const struct merkle_tree *t, uint64_t lo, uint64_t hi,
		      uint8_t out[MERKLE_HASH_LEN])
{
	uint64_t n = hi - lo, pos = hi;
	uint8_t node[MERKLE_HASH_LEN];
	int first = 1, rc;
	for (unsigned l = 0; l < 64; l++) {
		if (!((n >> l) & 1))
			continue;
		pos -= (uint64_t)1 << l;
		if ((rc = t->get(t->ctx, l, pos >> l, first ? out : node)) < 0)
			return rc;
		if (!first && (rc = merkle_node_hash(t->hasher, node, out, out)) < 0)
			return rc;
		first = 0;
	}
	return 0;
}

int merkle_root(const struct merkle_tree *t, uint64_t size, uint8_t out[MERKLE_HASH_LEN])
{
	if (size >= MERKLE_MAX_SIZE)
		return err_set(E_INVALID, "tree size %llu is too large",
			       (unsigned long long)size);
	if (size == 0)
		return merkle_sha256(t->hasher, "", 0, out);
	return range_hash(t, 0, size, out);
}

int merkle_append(const struct merkle_tree *t, uint64_t index,
		  const uint8_t leaf[MERKLE_HASH_LEN],
		  struct merkle_node out[MERKLE_MAX_APPEND], size_t *count)
{
	uint8_t left[MERKLE_HASH_LEN];
	int rc;
	if (index >= MERKLE_MAX_SIZE - 1)
		return err_set(E_INVALID, "log is full");
	out[0].level = 0;
	out[0].index = index;
	memcpy(out[0].hash, leaf, MERKLE_HASH_LEN);
	*count = 1;
	for (unsigned l = 0; (index >> l) & 1; l++) {
		if ((rc = t->get(t->ctx, l, (index >> l) - 1, left)) < 0)
			return rc;
		struct merkle_node *n = &out[*count];
		if ((rc = merkle_node_hash(t->hasher, left, out[*count - 1].hash,
					   n->hash)) < 0)
			return rc;
		n->level = l + 1;
		n->index = index >> (l + 1);
		(*count)++;
	}
	return 0;
}

/* ===================================================================
 * Proofs
 * =================================================================== */

static int proof_add(const struct merkle_tree *t, struct merkle_proof *p, uint64_t lo,
		     uint64_t hi)
{
	if (p->len >= MERKLE_MAX_PROOF)
		return err_set(E_INTERNAL, "merkle proof too long");
	int rc = range_hash(t, lo, hi, p->hash[p->len]);
	if (rc == 0)
		p->len++;
	return rc;
}

/* PATH(m, D[lo:hi]), RFC 9162 §2.1.3.1. */
static int path(const struct merkle_tree *t, uint64_t m, uint64_t lo, uint64_t hi,
		struct merkle_proof *p)
{
	if (hi - lo == 1)
		return 0;
	uint64_t k = split_point(hi - lo);
	int rc;
	if (m < lo + k) {
		if ((rc = path(t, m, lo, lo + k, p)) < 0)
			return rc;
		return proof_add(t, p, lo + k, hi);
	}
	if ((rc = path(t, m, lo + k, hi, p)) < 0)
		return rc;
	return proof_add(t, p, lo, lo + k);
}

int merkle_inclusion_proof(const struct merkle_tree *t, uint64_t index, uint64_t size,
			   struct merkle_proof *out)
{
	out->len = 0;
	if (size >= MERKLE_MAX_SIZE || index >= size)
		return err_set(E_INVALID, "leaf %llu is not in a tree of size %llu",
			       (unsigned long long)index, (unsigned long long)size);
	return path(t, index, 0, size, out);
}

/* SUBPROOF(m, D[lo:hi], b), RFC 9162 §2.1.4.1; m is absolute, lo < m <= hi. */
static int subproof(const struct merkle_tree *t, uint64_t m, uint64_t lo, uint64_t hi,
		    int b, struct merkle_proof *p)
{
	int rc;
	if (m == hi)
		return b ? 0 : proof_add(t, p, lo, hi);
	uint64_t k = split_point(hi - lo);
	if (m <= lo + k) {
		if ((rc = subproof(t, m, lo, lo + k, b, p)) < 0)
			return rc;
		return proof_add(t, p, lo + k, hi);
	}
	if ((rc = subproof(t, m, lo + k, hi, 0, p)) < 0)
		return rc;
	return proof_add(t, p, lo, lo + k);
}

int merkle_consistency_proof(const struct merkle_tree *t, uint64_t old_size,
			     uint64_t new_size, struct merkle_proof *out)
{
	out->len = 0;
	if (new_size >= MERKLE_MAX_SIZE || old_size == 0 || old_size > new_size)
		return err_set(
		    E_INVALID, "no consistency proof from size %llu to size %llu",
		    (unsigned long long)old_size, (unsigned long long)new_size);
	return subproof(t, old_size, 0, new_size, 1, out);
}

/* ===================================================================
 * Verification
 * =================================================================== */

static int proof_failed(const char *what)
{
	return err_set(E_INVALID, "%s proof does not verify", what);
}

/* Shift fn and sn right until fn's lowest bit is set or fn is 0. */
static void shift_until_odd(uint64_t *fn, uint64_t *sn)
{
	while (*fn && !(*fn & 1)) {
		*fn >>= 1;
		*sn >>= 1;
	}
}

int merkle_verify_inclusion(struct merkle_hasher *h, uint64_t index, uint64_t size,
			    const uint8_t leaf[MERKLE_HASH_LEN],
			    const struct merkle_proof *proof,
			    const uint8_t root[MERKLE_HASH_LEN])
{
	uint8_t r[MERKLE_HASH_LEN];
	uint64_t fn = index, sn = size - 1;
	int rc;
	if (size >= MERKLE_MAX_SIZE || index >= size || proof->len > MERKLE_MAX_PROOF)
		return proof_failed("inclusion");
	memcpy(r, leaf, MERKLE_HASH_LEN);
	for (size_t i = 0; i < proof->len; i++) {
		if (sn == 0)
			return proof_failed("inclusion");
		if ((fn & 1) || fn == sn) {
			rc = merkle_node_hash(h, proof->hash[i], r, r);
			if (!(fn & 1))
				shift_until_odd(&fn, &sn);
		} else {
			rc = merkle_node_hash(h, r, proof->hash[i], r);
		}
		if (rc < 0)
			return rc;
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0 || memcmp(r, root, MERKLE_HASH_LEN) != 0)
		return proof_failed("inclusion");
	return 0;
}

/* The steps of RFC 9162 §2.1.4.2 after the trivial cases; c[0..n) is the
 * consistency path with old_root already prepended when old_size is a
 * power of two. */
static int run_consistency(struct merkle_hasher *h, uint64_t old_size, uint64_t new_size,
			   const uint8_t (*c)[MERKLE_HASH_LEN], size_t n,
			   uint8_t fr[MERKLE_HASH_LEN], uint8_t sr[MERKLE_HASH_LEN])
{
	uint64_t fn = old_size - 1, sn = new_size - 1;
	int rc = 0;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	memcpy(fr, c[0], MERKLE_HASH_LEN);
	memcpy(sr, c[0], MERKLE_HASH_LEN);
	for (size_t i = 1; i < n; i++) {
		if (sn == 0)
			return proof_failed("consistency");
		if ((fn & 1) || fn == sn) {
			if ((rc = merkle_node_hash(h, c[i], fr, fr)) < 0 ||
			    (rc = merkle_node_hash(h, c[i], sr, sr)) < 0)
				return rc;
			if (!(fn & 1))
				shift_until_odd(&fn, &sn);
		} else if ((rc = merkle_node_hash(h, sr, c[i], sr)) < 0) {
			return rc;
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 ? 0 : proof_failed("consistency");
}

int merkle_verify_consistency(struct merkle_hasher *h, uint64_t old_size,
			      uint64_t new_size, const uint8_t old_root[MERKLE_HASH_LEN],
			      const uint8_t new_root[MERKLE_HASH_LEN],
			      const struct merkle_proof *proof)
{
	uint8_t c[MERKLE_MAX_PROOF + 1][MERKLE_HASH_LEN];
	uint8_t fr[MERKLE_HASH_LEN], sr[MERKLE_HASH_LEN];
	size_t n = 0;
	int rc;
	if (new_size >= MERKLE_MAX_SIZE || old_size > new_size ||
	    proof->len > MERKLE_MAX_PROOF)
		return proof_failed("consistency");
	if (old_size == 0)
		return proof->len == 0 ? 0 : proof_failed("consistency");
	if (old_size == new_size)
		return proof->len == 0 && memcmp(old_root, new_root, MERKLE_HASH_LEN) == 0
			   ? 0
			   : proof_failed("consistency");
	if (proof->len == 0)
		return proof_failed("consistency");
	if (is_pow2(old_size))
		memcpy(c[n++], old_root, MERKLE_HASH_LEN);
	memcpy(c[n], proof->hash, proof->len * MERKLE_HASH_LEN);
	n += proof->len;
	if ((rc = run_consistency(h, old_size, new_size,
				  (const uint8_t(*)[MERKLE_HASH_LEN])c, n, fr, sr)) < 0)
		return rc;
	if (memcmp(fr, old_root, MERKLE_HASH_LEN) != 0 ||
	    memcmp(sr, new_root, MERKLE_HASH_LEN) != 0)
		return proof_failed("consistency");
	return 0;
}

/* ===================================================================
 * Frontier
 * =================================================================== */

void merkle_frontier_init(struct merkle_frontier *f)
{
	memset(f, 0, sizeof(*f));
}

int merkle_frontier_push(struct merkle_frontier *f, struct merkle_hasher *h,
			 const uint8_t leaf[MERKLE_HASH_LEN],
			 struct merkle_node out[MERKLE_MAX_APPEND], size_t *count)
{
	int rc;
	if (f->size >= MERKLE_MAX_SIZE - 1)
		return err_set(E_INVALID, "log is full");
	out[0].level = 0;
	out[0].index = f->size;
	memcpy(out[0].hash, leaf, MERKLE_HASH_LEN);
	*count = 1;
	unsigned l = 0;
	for (; (f->size >> l) & 1; l++) {
		struct merkle_node *n = &out[*count];
		if ((rc = merkle_node_hash(h, f->hash[l], out[*count - 1].hash,
					   n->hash)) < 0)
			return rc;
		n->level = l + 1;
		n->index = f->size >> (l + 1);
		(*count)++;
	}
	memcpy(f->hash[l], out[*count - 1].hash, MERKLE_HASH_LEN);
	f->size++;
	return 0;
}

int merkle_frontier_root(const struct merkle_frontier *f, struct merkle_hasher *h,
			 uint8_t out[MERKLE_HASH_LEN])
{
	int first = 1, rc;
	if (f->size == 0)
		return merkle_sha256(h, "", 0, out);
	for (unsigned l = 0; l < 64; l++) {
		if (!((f->size >> l) & 1))
			continue;
		if (first)
			memcpy(out, f->hash[l], MERKLE_HASH_LEN);
		else if ((rc = merkle_node_hash(h, f->hash[l], out, out)) < 0)
			return rc;
		first = 0;
	}
	return 0;
}
