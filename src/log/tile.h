/*
 * tile.h - the log as C2SP tlog-tiles (c2sp.org/tlog-tiles): tile paths,
 * hash tiles and entry bundles.  Pure functions: no HTTP, no SQL; the tree
 * is read through log/merkle.h's merkle_get_fn, entries through a callback.
 *
 * A tile at level L and index N holds up to 256 consecutive Merkle Tree
 * Hashes, each the root of a complete subtree of 256^L leaves:
 *
 *	hash i = MTH(D[(N*256 + i) * 256^L : (N*256 + i + 1) * 256^L])
 *
 * which is exactly the stored node (8L, N*256 + i) of log/merkle.h, so a
 * tile is W reads and no hashing.  A full tile has 256 hashes (8,192 bytes);
 * a partial tile has width W in 1..255 and is served under the path with
 * ".p/W".  A tile (full or partial) exists in a tree of `size` leaves when
 * all its W subtrees are complete within it; an empty tile never exists.
 *
 * An entry bundle (tile/entries/N[.p/W]) holds entries N*256 .. N*256+W-1,
 * each as a big-endian uint16 length and its bytes - so an entry is at most
 * 65,535 bytes (SPEC §6).
 *
 * Paths are what follows "<prefix>/tile/": "L/N[.p/W]" or
 * "entries/N[.p/W]", with N in 3-digit groups, each but the last prefixed
 * "x" (1234067 is "x001/x234/067").  Parsing is strict: a path is accepted
 * only in the one form tile_path_format() writes (no leading zeros in L or
 * W, no leading "x000" group, W below 256), so every tile has one URL.
 *
 * Functions return 0 or a negative error code (base/err.h).
 */
#ifndef DOCKET_TILE_H
#define DOCKET_TILE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "log/merkle.h"

#define TILE_HEIGHT 8	/* levels of the Merkle tree per tile level */
#define TILE_WIDTH 256	/* hashes in a full tile */
#define TILE_MAX_LEVEL 63
#define TILE_PATH_MAX 80 /* longest path accepted or written, with its NUL */
#define TILE_BUNDLE_ENTRY_MAX 65535u

struct tile {
	int entries;	/* 1: an entry bundle; 0: a hash tile */
	unsigned level; /* L (0 for an entry bundle) */
	uint64_t index; /* N */
	unsigned width; /* W: 1..256, 256 for a full tile */
};

/* Parse s[0..len) (the part after "tile/"); E_INVALID saying why. */
int tile_path_parse(const char *s, size_t len, struct tile *out);
/* Write t's path into out (TILE_PATH_MAX bytes); E_INVALID for a tile no
 * path names (width 0 or above 256, level above 63). */
int tile_path_format(const struct tile *t, char out[TILE_PATH_MAX]);

/* 0 when tile t exists in the tree of `size` leaves, E_NOTFOUND when it
 * does not (yet). */
int tile_available(const struct tile *t, uint64_t size);

/* The tile at (level, index) of the tree of `size` leaves, full or as wide
 * as that tree makes it; E_NOTFOUND when it is empty. */
int tile_at(unsigned level, uint64_t index, int entries, uint64_t size, struct tile *out);

/* The hash tile t of the tree of `size` leaves: t->width * 32 bytes into
 * out, read from the stored nodes through get(ctx, ...).  E_NOTFOUND when
 * the tile does not exist in that tree; reader errors pass through. */
int tile_hashes(const struct tile *t, uint64_t size, merkle_get_fn get, void *ctx,
		uint8_t out[TILE_WIDTH * MERKLE_HASH_LEN]);

/* Reads entry `index` into out (reset by the reader). */
typedef int (*tile_entry_fn)(void *ctx, uint64_t index, struct buf *out);

/* The entry bundle t of the tree of `size` leaves appended to out.
 * E_NOTFOUND when it does not exist; E_INVALID when a stored entry is
 * longer than a bundle can carry. */
int tile_bundle(const struct tile *t, uint64_t size, tile_entry_fn get, void *ctx,
		struct buf *out);

/* Append one entry to a bundle being built. */
int tile_bundle_add(struct buf *out, const void *entry, size_t len);
/* Walk a bundle: the entry at *off (advanced past it).  Returns 1 with
 * *entry and *len set, 0 at the end, E_INVALID for a truncated bundle. */
int tile_bundle_next(const uint8_t *data, size_t size, size_t *off,
		     const uint8_t **entry, size_t *len);

#endif
