/*
 * fuzz_cosig.c - libFuzzer target for what a witness sends back
 * (log/cosig.c): an add-checkpoint answer searched for a cosignature by a
 * fixed witness key over a fixed checkpoint, a 409's size, and witness
 * verifier keys.  None may crash, read out of bounds, or accept a
 * cosignature the fixed key did not make (the corpus holds real ones).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "log/cosig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *TEXT = "test.example/log\n3\nqdXw0Wh1dg5nNw7PGIYr0UjjDSnZZXK4O2TQGC9eKXw=\n";
/* the key from the seed of 32 bytes 0x07, named witness.example/w1 */
static const char *WVKEY = "witness.example/w1+aa4a09d1+BOpKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct note_verifier v;
	static int have_v = -1;
	if (have_v < 0)
		have_v = cosig_verifier_parse(WVKEY, &v) == 0;
	const char *body = (const char *)data;
	size_t off, len;
	uint64_t t, n;
	if (have_v &&
	    cosig_find(&v, TEXT, strlen(TEXT), body, size, &off, &len, &t) == 0 &&
	    (off > size || len > size - off))
		abort();
	(void)cosig_parse_size(body, size, &n);
	char *s = xstrndup(body, size < 600 ? size : 600);
	struct note_verifier w;
	(void)cosig_verifier_parse(s, &w);
	free(s);
	return 0;
}
