/*
 * fuzz_note.c - libFuzzer target for the signed-note and checkpoint parsers
 * (log/note.c) and the key file parser (log/signer.c).  Each input goes
 * through all of them; whatever parses must format and parse back to the
 * same value, and a note must never open without a valid signature by the
 * fixed test key (Go's sumdb/note test key, whose notes are in the corpus).
 */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/util.h"
#include "log/note.h"
#include "log/signer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *VKEY =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

static void fuzz_open(const char *msg, size_t size, const struct note_verifier *v)
{
	size_t text_len;
	if (note_open(msg, size, v, &text_len) != 0)
		return;
	if (text_len == 0 || text_len > size || msg[text_len - 1] != '\n')
		abort();
}

static void fuzz_checkpoint(const char *text, size_t size)
{
	struct checkpoint a, b;
	char *again;
	if (checkpoint_parse(text, size, &a) != 0)
		return;
	if (checkpoint_format(&a, &again) != 0)
		return; /* an origin that is not a key name */
	if (checkpoint_parse(again, strlen(again), &b) != 0 ||
	    strcmp(a.origin, b.origin) != 0 || a.size != b.size ||
	    memcmp(a.root, b.root, sizeof(a.root)) != 0)
		abort();
	free(again);
}

static void fuzz_verifier(const char *s)
{
	struct note_verifier a, b;
	char *again;
	if (note_verifier_parse(s, &a) != 0)
		return;
	if (note_verifier_format(a.name, a.pub, &again) != 0 ||
	    note_verifier_parse(again, &b) != 0 || memcmp(&a, &b, sizeof(a)) != 0)
		abort();
	free(again);
}

static void fuzz_key(const char *s, size_t size)
{
	struct signer *k;
	if (signer_parse(s, size, &k) == 0)
		signer_free(k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct note_verifier peter;
	static int ready;
	if (!ready) {
		if (sodium_init() < 0 || note_verifier_parse(VKEY, &peter) != 0)
			abort();
		ready = 1;
	}
	char *s = xstrndup((const char *)data, size); /* NUL-terminated copy */
	fuzz_open(s, size, &peter);
	fuzz_checkpoint(s, size);
	fuzz_verifier(s);
	fuzz_key(s, size);
	free(s);
	return 0;
}
