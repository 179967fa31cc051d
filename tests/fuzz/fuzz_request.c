/*
 * fuzz_request.c - libFuzzer target for the request parser (model/request.c).
 *
 * Each input is parsed in every mode.  Whatever parses must serialise and
 * parse back to an equal request; a mismatch aborts.
 */
#include <stdint.h>
#include <stdlib.h>

#include "base/util.h"
#include "model/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW ((int64_t)1775124000)

static void round_trip(const uint8_t *data, size_t size, enum request_mode mode)
{
	struct request a, b;
	json_t *ja, *jb;
	char *text;
	if (request_parse((const char *)data, size, mode, NOW, &a) != 0)
		return;
	ja = request_to_json(&a);
	text = json_dumps(ja, JSON_COMPACT);
	if (!text || request_parse(text, strlen(text), mode, NOW, &b) != 0)
		abort();
	jb = request_to_json(&b);
	if (!json_equal(ja, jb))
		abort();
	json_decref(jb);
	request_release(&b);
	free(text);
	json_decref(ja);
	request_release(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	round_trip(data, size, REQUEST_NEW);
	round_trip(data, size, REQUEST_HISTORICAL);
	round_trip(data, size, REQUEST_STORED);
	return 0;
}
