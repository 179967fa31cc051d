/*
 * fuzz_vault.c - libFuzzer target for the vault import line parser
 * (core/disclose/vault.c): whatever parses must, written back as a line with its
 * bytes in data_base64, parse back to the same item; a mismatch aborts.
 */
#include <stdint.h>
#include <stdlib.h>

#include "base/util.h"
#include "core/disclose/vault.h"
#include "log/note.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *line_of(const struct vault_item *it)
{
	char at[TS_BUFSZ];
	char *b64 = it->len ? note_base64(it->data, it->len) : xstrdup("");
	ts_format(it->created_at, at);
	json_t *o = json_pack("{s:{s:s, s:s}, s:s, s:s, s:s, s:s, s:s}", "account", "type",
			      target_type_str(it->account.type), "value", it->account.value,
			      "category", category_str(it->category), "kind", it->kind,
			      "created_at", at, "location", it->location, "data_base64", b64);
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	free(b64);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vault_item a, b;
	if (vault_item_parse((const char *)data, size, &a) != 0)
		return 0;
	char *text = line_of(&a);
	if (!text || vault_item_parse(text, strlen(text), &b) != 0)
		abort();
	if (a.account.type != b.account.type || strcmp(a.account.value, b.account.value) ||
	    a.category != b.category || strcmp(a.kind, b.kind) ||
	    a.created_at.t != b.created_at.t || strcmp(a.location, b.location) ||
	    a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
		abort();
	free(text);
	vault_item_release(&a);
	vault_item_release(&b);
	return 0;
}
