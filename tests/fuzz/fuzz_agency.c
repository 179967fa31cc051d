/*
 * fuzz_agency.c - libFuzzer target for the agency parser
 * (model/agency.c): whatever parses must serialise and parse back to an
 * equal agency; a mismatch aborts.
 */
#include <stdint.h>
#include <stdlib.h>

#include "base/util.h"
#include "model/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct agency a, b;
	json_t *ja, *jb;
	char *text;
	if (agency_parse((const char *)data, size, &a) != 0)
		return 0;
	ja = agency_to_json(&a);
	text = json_dumps(ja, JSON_COMPACT);
	if (!text || agency_parse(text, strlen(text), &b) != 0)
		abort();
	jb = agency_to_json(&b);
	if (!json_equal(ja, jb))
		abort();
	json_decref(jb);
	agency_release(&b);
	free(text);
	json_decref(ja);
	agency_release(&a);
	return 0;
}
