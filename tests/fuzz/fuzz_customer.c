/*
 * fuzz_customer.c - libFuzzer target for the customer parser
 * (model/customer.c): whatever parses must serialise and parse back to an
 * equal customer; a mismatch aborts.
 */
#include <stdint.h>
#include <stdlib.h>

#include "base/util.h"
#include "model/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct customer a, b;
	json_t *ja, *jb;
	char *text;
	if (customer_parse((const char *)data, size, &a) != 0)
		return 0;
	ja = customer_to_json(&a);
	text = json_dumps(ja, JSON_COMPACT);
	if (!text || customer_parse(text, strlen(text), &b) != 0)
		abort();
	jb = customer_to_json(&b);
	if (!json_equal(ja, jb))
		abort();
	json_decref(jb);
	customer_release(&b);
	free(text);
	json_decref(ja);
	customer_release(&a);
	return 0;
}
