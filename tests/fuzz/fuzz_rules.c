/*
 * fuzz_rules - the jurisdiction rules loader (src/core/policy/rules.c).
 *
 * The shipped rules are copied into a scratch directory once; each input
 * replaces one of the files (the first byte picks which) and the whole set
 * is loaded.  Loading must either succeed or fail with a message - never
 * crash, leak or read out of bounds.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "base/util.h"
#include "core/policy/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char scratch[64];
static char *names[16];
static size_t n_names;

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char chunk[8192];
	size_t n;
	if (!in || !out)
		abort();
	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		fwrite(chunk, 1, n, out);
	fclose(in);
	fclose(out);
}

static void setup(void)
{
	DIR *d = opendir(DOCKET_RULES_DIR);
	struct dirent *e;
	str_copy(scratch, sizeof(scratch), "/tmp/docket-fuzz-rules-XXXXXX");
	if (!d || !mkdtemp(scratch))
		abort();
	while ((e = readdir(d)) && n_names < ARRAY_SIZE(names)) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		char *from = xasprintf("%s/%s", DOCKET_RULES_DIR, e->d_name);
		char *to = xasprintf("%s/%s", scratch, e->d_name);
		copy_file(from, to);
		free(from);
		names[n_names++] = to;
	}
	closedir(d);
	if (!n_names)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!n_names)
		setup();
	if (size < 1)
		return 0;
	const char *target = names[data[0] % n_names];
	char *saved = xasprintf("%s.orig", target);
	rename(target, saved);
	FILE *fp = fopen(target, "wb");
	if (!fp)
		abort();
	fwrite(data + 1, 1, size - 1, fp);
	fclose(fp);
	struct ruleset *rs = NULL;
	if (rules_load(scratch, &rs) == 0)
		rules_free(rs);
	else if (!err_msg()[0])
		abort(); /* a failure always says why */
	rename(saved, target);
	free(saved);
	return 0;
}
