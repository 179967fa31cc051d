/*
 * lookalike.c - look-alike domain names (see lookalike.h).
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"
#include "core/policy/lookalike.h"

static int fold_case(int c)
{
	return tolower((unsigned char)c);
}

static int min3(int a, int b, int c)
{
	int m = a < b ? a : b;
	return m < c ? m : c;
}

int lookalike_distance(const char *a, const char *b, int max)
{
	int row[LOOKALIKE_MAX_LEN + 1];
	size_t n = strlen(a), m = strlen(b);
	if (n > LOOKALIKE_MAX_LEN || m > LOOKALIKE_MAX_LEN ||
	    (n > m ? n - m : m - n) > (size_t)max)
		return max + 1;
	for (size_t j = 0; j <= m; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= n; i++) {
		int diag = row[0], best;
		row[0] = (int)i;
		best = row[0];
		for (size_t j = 1; j <= m; j++) {
			int up = row[j];
			int cost = fold_case(a[i - 1]) != fold_case(b[j - 1]);
			row[j] = min3(row[j] + 1, row[j - 1] + 1, diag + cost);
			diag = up;
			if (row[j] < best)
				best = row[j];
		}
		if (best > max)
			return max + 1;
	}
	return row[m] > max ? max + 1 : row[m];
}

/* The representative of c: the first character of the class holding it. */
static int fold_confusable(int c, char *const *classes, size_t n)
{
	c = fold_case(c);
	for (size_t i = 0; i < n; i++)
		if (c && strchr(classes[i], c))
			return fold_case(classes[i][0]);
	return c;
}

static int confusable_equal(const char *a, const char *b, char *const *classes, size_t n)
{
	if (strlen(a) != strlen(b))
		return 0;
	for (; *a; a++, b++)
		if (fold_confusable(*a, classes, n) != fold_confusable(*b, classes, n))
			return 0;
	return 1;
}

int lookalike_match(const char *a, const char *b, int max, char *const *classes,
		    size_t n_classes)
{
	if (strcasecmp(a, b) == 0)
		return 0;
	return lookalike_distance(a, b, max) <= max ||
	       confusable_equal(a, b, classes, n_classes);
}
