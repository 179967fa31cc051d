/*
 * merkle.h - RFC 6962 / RFC 9162 Merkle tree hashing and proofs.
 *
 * Pure functions: no storage, no SQL.  The tree is read through a callback
 * that returns stored subtree hashes, so the same code serves the database,
 * an in-memory array (tests, benchmarks) or anything else.
 *
 * Hashing (RFC 9162 §2.1.1):
 *	leaf hash = SHA-256(0x00 || entry)
 *	node hash = SHA-256(0x01 || left || right)
 *	root of the empty tree = SHA-256("")
 *
 * Stored nodes: node (level, index) is the root of the complete subtree over
 * leaves [index * 2^level, (index + 1) * 2^level); level 0 holds the leaf
 * hashes.  Only complete subtrees are stored, and each exactly once: when
 * leaf n is appended, merkle_append() returns the leaf and every subtree
 * that leaf completes (1 + the number of trailing 1 bits of n nodes), so
 * appending is O(log n) and the stored tree never changes afterwards.
 *
 * Any subtree that is aligned and complete is one stored node; the
 * incomplete right edge of a tree of size n is composed from at most
 * log2(n) stored nodes.  Every function below therefore reads O(log n)
 * nodes.
 *
 * Sizes and indexes are below 2^63 (MERKLE_MAX_SIZE).  Functions return 0 or
 * a negative error code (base/err.h); errors from the reader are passed
 * through unchanged.
 */
#ifndef DOCKET_MERKLE_H
#define DOCKET_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define MERKLE_HASH_LEN 32
#define MERKLE_MAX_SIZE ((uint64_t)1 << 63)
/* Longest proof for a tree below MERKLE_MAX_SIZE: 63 siblings, plus one
 * subtree root in a consistency proof. */
#define MERKLE_MAX_PROOF 64
/* Most nodes merkle_append() can return: the leaf and 63 parents. */
#define MERKLE_MAX_APPEND 64

/* A SHA-256 context kept for many hashes: one-shot digests are 2-3 times
 * slower on small inputs.  Not shared between threads. */
struct merkle_hasher;

/* Returns NULL only when OpenSSL has no SHA-256 (message set). */
struct merkle_hasher *merkle_hasher_new(void);
void merkle_hasher_free(struct merkle_hasher *h);

/* SHA-256(0x00 || data) and SHA-256(0x01 || left || right).  These fail
 * only on an OpenSSL error, which is reported as E_INTERNAL. */
int merkle_leaf_hash(struct merkle_hasher *h, const void *data, size_t len,
		     uint8_t out[MERKLE_HASH_LEN]);
int merkle_node_hash(struct merkle_hasher *h, const uint8_t left[MERKLE_HASH_LEN],
		     const uint8_t right[MERKLE_HASH_LEN], uint8_t out[MERKLE_HASH_LEN]);
/* SHA-256 of arbitrary bytes (the empty-tree root is merkle_sha256(h, "", 0)). */
int merkle_sha256(struct merkle_hasher *h, const void *data, size_t len,
		  uint8_t out[MERKLE_HASH_LEN]);

/* The stored tree: get() fills out with node (level, index), or returns a
 * negative error code (-E_NOTFOUND when it is missing). */
typedef int (*merkle_get_fn)(void *ctx, unsigned level, uint64_t index,
			     uint8_t out[MERKLE_HASH_LEN]);

struct merkle_tree {
	merkle_get_fn get;
	void *ctx;
	struct merkle_hasher *hasher;
};

struct merkle_node {
	unsigned level;
	uint64_t index;
	uint8_t hash[MERKLE_HASH_LEN];
};

/* The nodes to store when leaf `index` (== the tree size before the append)
 * with hash `leaf` is appended: out[0] is the leaf itself at level 0, then
 * each parent it completes, bottom up.  Reads one stored left sibling per
 * parent. */
int merkle_append(const struct merkle_tree *t, uint64_t index,
		  const uint8_t leaf[MERKLE_HASH_LEN],
		  struct merkle_node out[MERKLE_MAX_APPEND], size_t *count);

/* The root hash of the tree of the first `size` leaves (RFC 9162 MTH). */
int merkle_root(const struct merkle_tree *t, uint64_t size, uint8_t out[MERKLE_HASH_LEN]);

/* A proof: hashes in the order RFC 9162 gives them (nearest the leaf, or
 * the old tree, first). */
struct merkle_proof {
	size_t len;
	uint8_t hash[MERKLE_MAX_PROOF][MERKLE_HASH_LEN];
};

/* The inclusion proof of leaf `index` in the tree of `size` leaves (RFC 9162
 * §2.1.3.1 PATH).  index < size, else E_INVALID. */
int merkle_inclusion_proof(const struct merkle_tree *t, uint64_t index, uint64_t size,
			   struct merkle_proof *out);

/* The consistency proof between the trees of old_size and new_size leaves
 * (RFC 9162 §2.1.4.1 PROOF).  0 < old_size <= new_size, else E_INVALID; the
 * proof for old_size == new_size is empty. */
int merkle_consistency_proof(const struct merkle_tree *t, uint64_t old_size,
			     uint64_t new_size, struct merkle_proof *out);

/* Verify that `leaf` is leaf `index` of the tree of `size` leaves with root
 * `root` (RFC 9162 §2.1.3.2).  0 when it is; E_INVALID with a message when
 * it is not or the inputs are impossible. */
int merkle_verify_inclusion(struct merkle_hasher *h, uint64_t index, uint64_t size,
			    const uint8_t leaf[MERKLE_HASH_LEN],
			    const struct merkle_proof *proof,
			    const uint8_t root[MERKLE_HASH_LEN]);

/* Verify that the tree of old_size leaves with root old_root is a prefix of
 * the tree of new_size leaves with root new_root (RFC 9162 §2.1.4.2).  As
 * the RFC leaves these cases to the caller: old_size == new_size needs an
 * empty proof and equal roots, and the empty tree (old_size 0) is a prefix
 * of every tree (empty proof). */
int merkle_verify_consistency(struct merkle_hasher *h, uint64_t old_size,
			      uint64_t new_size, const uint8_t old_root[MERKLE_HASH_LEN],
			      const uint8_t new_root[MERKLE_HASH_LEN],
			      const struct merkle_proof *proof);

/*
 * A frontier ("compact range" of the prefix [0, size)): the roots of the
 * complete subtrees along the right edge, one per set bit of size.  It
 * builds a tree from a stream of leaf hashes without reading anything back
 * - for rebuilding and verifying a whole log in constant memory.
 */
struct merkle_frontier {
	uint64_t size;
	uint8_t hash[64][MERKLE_HASH_LEN]; /* hash[l] valid when bit l of size is set */
};

void merkle_frontier_init(struct merkle_frontier *f);
/* Append one leaf hash; out/count receive the nodes it completes, exactly as
 * merkle_append() would return them. */
int merkle_frontier_push(struct merkle_frontier *f, struct merkle_hasher *h,
			 const uint8_t leaf[MERKLE_HASH_LEN],
			 struct merkle_node out[MERKLE_MAX_APPEND], size_t *count);
/* The root of the tree of f->size leaves. */
int merkle_frontier_root(const struct merkle_frontier *f, struct merkle_hasher *h,
			 uint8_t out[MERKLE_HASH_LEN]);

#endif
