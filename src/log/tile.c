/*
 * tile.c - C2SP tlog-tiles paths, hash tiles and entry bundles (tile.h).
 */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "log/tile.h"

/* ===================================================================
 * Paths
 * =================================================================== */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A decimal in s[0..len) without leading zeros, at most max. */
static int parse_small(const char *s, size_t len, unsigned max, unsigned *out)
{
	unsigned v = 0;
	if (len == 0 || len > 3 || (len > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/* The index N from its groups "xDDD/.../DDD" at s[0..len). */
static int parse_index(const char *s, size_t len, uint64_t *out)
{
	uint64_t n = 0;
	size_t i = 0, groups = 0;
	for (;;) {
		int last = !(i < len && s[i] == 'x');
		size_t d = last ? i : i + 1;
		if (d + 3 > len || !is_digit(s[d]) || !is_digit(s[d + 1]) ||
		    !is_digit(s[d + 2]))
			return -1;
		unsigned g = (unsigned)((s[d] - '0') * 100 + (s[d + 1] - '0') * 10 +
					(s[d + 2] - '0'));
		if (n > (UINT64_MAX - g) / 1000)
			return -1;
		if (groups == 0 && !last && g == 0)
			return -1; /* a leading x000 group */
		n = n * 1000 + g;
		groups++;
		i = d + 3;
		if (last)
			break;
		if (i >= len || s[i] != '/')
			return -1;
		i++;
	}
	if (i != len)
		return -1;
	*out = n;
	return 0;
}

int tile_path_parse(const char *s, size_t len, struct tile *out)
{
	struct tile t = {0};
	const char *slash, *end = s + len;
	if (len == 0 || len >= TILE_PATH_MAX || memchr(s, '\0', len))
		goto bad;
	if (!(slash = memchr(s, '/', len)))
		goto bad;
	if ((size_t)(slash - s) == 7 && memcmp(s, "entries", 7) == 0)
		t.entries = 1;
	else if (parse_small(s, (size_t)(slash - s), TILE_MAX_LEVEL, &t.level) < 0)
		goto bad;
	const char *n = slash + 1, *n_end = end;
	t.width = TILE_WIDTH;
	/* ".p/W" after the last group */
	for (const char *p = n; p + 3 <= end; p++)
		if (p[0] == '.' && p[1] == 'p' && p[2] == '/') {
			if (parse_small(p + 3, (size_t)(end - p - 3), TILE_WIDTH - 1,
					&t.width) < 0 ||
			    t.width == 0)
				goto bad;
			n_end = p;
			break;
		}
	if (parse_index(n, (size_t)(n_end - n), &t.index) < 0)
		goto bad;
	*out = t;
	return 0;
bad:
	return err_set(E_INVALID, "not a tile path: '%.*s'",
		       (int)(len < TILE_PATH_MAX ? len : TILE_PATH_MAX), s);
}

int tile_path_format(const struct tile *t, char out[TILE_PATH_MAX])
{
	size_t groups = 1, pos;
	uint64_t top = 1; /* 1000^(groups - 1) */
	if (t->width == 0 || t->width > TILE_WIDTH || t->level > TILE_MAX_LEVEL ||
	    (t->entries && t->level != 0))
		return err_set(E_INVALID, "no path names this tile");
	while (t->index / top >= 1000) {
		top *= 1000;
		groups++;
	}
	if (t->entries)
		pos = (size_t)snprintf(out, TILE_PATH_MAX, "entries/");
	else
		pos = (size_t)snprintf(out, TILE_PATH_MAX, "%u/", t->level);
	for (; groups > 0; groups--, top /= 1000) {
		unsigned d = (unsigned)((t->index / top) % 1000);
		pos += (size_t)snprintf(out + pos, TILE_PATH_MAX - pos,
					groups > 1 ? "x%03u/" : "%03u", d);
	}
	if (t->width < TILE_WIDTH)
		snprintf(out + pos, TILE_PATH_MAX - pos, ".p/%u", t->width);
	return 0;
}

/* ===================================================================
 * Which tiles a tree has
 * =================================================================== */

/* Complete subtrees of 256^level leaves in a tree of `size` leaves. */
static uint64_t units(const struct tile *t, uint64_t size)
{
	unsigned shift = t->entries ? 0 : t->level * TILE_HEIGHT;
	return shift >= 64 ? 0 : size >> shift;
}

int tile_available(const struct tile *t, uint64_t size)
{
	uint64_t u = units(t, size);
	if (t->width >= 1 && t->width <= TILE_WIDTH &&
	    t->index <= (u / TILE_WIDTH) &&
	    t->index * TILE_WIDTH + t->width <= u)
		return 0;
	return err_set(E_NOTFOUND, "no such tile in the tree of size %llu",
		       (unsigned long long)size);
}

int tile_at(unsigned level, uint64_t index, int entries, uint64_t size, struct tile *out)
{
	struct tile t = {.entries = entries, .level = entries ? 0 : level,
			 .index = index, .width = TILE_WIDTH};
	uint64_t u = units(&t, size);
	if (level > TILE_MAX_LEVEL || index > u / TILE_WIDTH)
		return err_set(E_NOTFOUND, "no such tile in the tree of size %llu",
			       (unsigned long long)size);
	uint64_t left = u - index * TILE_WIDTH;
	if (left == 0)
		return err_set(E_NOTFOUND, "no such tile in the tree of size %llu",
			       (unsigned long long)size);
	if (left < TILE_WIDTH)
		t.width = (unsigned)left;
	*out = t;
	return 0;
}

/* ===================================================================
 * Contents
 * =================================================================== */

int tile_hashes(const struct tile *t, uint64_t size, merkle_get_fn get, void *ctx,
		uint8_t out[TILE_WIDTH * MERKLE_HASH_LEN])
{
	int rc;
	if (t->entries)
		return err_set(E_INVALID, "an entry bundle is not a hash tile");
	if ((rc = tile_available(t, size)) < 0)
		return rc;
	unsigned level = t->level * TILE_HEIGHT;
	for (unsigned i = 0; i < t->width; i++)
		if ((rc = get(ctx, level, t->index * TILE_WIDTH + i,
			      out + (size_t)i * MERKLE_HASH_LEN)) < 0)
			return rc;
	return 0;
}

int tile_bundle_add(struct buf *out, const void *entry, size_t len)
{
	uint8_t be[2];
	int rc;
	if (len > TILE_BUNDLE_ENTRY_MAX)
		return err_set(E_INVALID,
			       "an entry of %zu bytes does not fit in an entry bundle", len);
	be[0] = (uint8_t)(len >> 8);
	be[1] = (uint8_t)len;
	if ((rc = buf_add(out, be, 2)) < 0)
		return rc;
	return buf_add(out, entry, len);
}

int tile_bundle(const struct tile *t, uint64_t size, tile_entry_fn get, void *ctx,
		struct buf *out)
{
	struct buf entry;
	int rc;
	if (!t->entries)
		return err_set(E_INVALID, "a hash tile is not an entry bundle");
	if ((rc = tile_available(t, size)) < 0)
		return rc;
	buf_init(&entry, TILE_BUNDLE_ENTRY_MAX);
	for (unsigned i = 0; i < t->width && rc == 0; i++) {
		uint64_t index = t->index * TILE_WIDTH + i;
		if ((rc = get(ctx, index, &entry)) == 0 &&
		    (rc = tile_bundle_add(out, entry.ptr, entry.len)) < 0)
			err_prefix("entry %llu", (unsigned long long)index);
	}
	buf_release(&entry);
	return rc;
}

int tile_bundle_next(const uint8_t *data, size_t size, size_t *off,
		     const uint8_t **entry, size_t *len)
{
	if (*off == size)
		return 0;
	if (*off > size || size - *off < 2)
		return err_set(E_INVALID, "entry bundle truncated at byte %zu", *off);
	size_t n = (size_t)data[*off] << 8 | data[*off + 1];
	if (size - *off - 2 < n)
		return err_set(E_INVALID, "entry bundle truncated at byte %zu", *off);
	*entry = data + *off + 2;
	*len = n;
	*off += 2 + n;
	return 1;
}
