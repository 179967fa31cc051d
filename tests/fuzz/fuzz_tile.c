/*
 * fuzz_tile.c - libFuzzer target for the C2SP tlog-tiles path parser and
 * the entry bundle walker (log/tile.c).  A path that parses must format
 * back to exactly the input (one URL per tile), and asking whether it
 * exists in a tree of any size must not misbehave; a bundle walk must stay
 * within the input and consume it exactly or report it truncated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log/tile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tile t, at;
	char out[TILE_PATH_MAX];
	if (tile_path_parse((const char *)data, size, &t) == 0) {
		if (tile_path_format(&t, out) != 0 || strlen(out) != size ||
		    memcmp(out, data, size) != 0)
			abort();
		uint64_t sizes[] = {0, 1, 255, 256, 70000, t.index * 256 + t.width,
				    (uint64_t)1 << 62};
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			int avail = tile_available(&t, sizes[i]) == 0;
			if (tile_at(t.level, t.index, t.entries, sizes[i], &at) == 0) {
				if (at.width < t.width && avail)
					abort(); /* wider than the tree's own tile */
			} else if (avail) {
				abort();
			}
		}
	}
	size_t off = 0, len, total = 0;
	const uint8_t *e;
	int rc;
	while ((rc = tile_bundle_next(data, size, &off, &e, &len)) == 1) {
		if (e < data || e + len > data + size || off > size)
			abort();
		total += 2 + len;
	}
	if (rc == 0 && total != size)
		abort();
	return 0;
}
