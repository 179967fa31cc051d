/*
 * lookalike.h - does one domain name imitate another?
 *
 * Forged requests from spoofed or look-alike police mail domains are the
 * main real-world attack on emergency disclosure (GEN-REQUESTER).  Two
 * tests, both case-insensitive:
 *   - edit distance: at most `max` single-character insertions, deletions
 *     or substitutions apart (Levenshtein), e.g. "lapd.gov" / "lapd.gv";
 *   - confusables: equal once every character is folded to the first
 *     character of its class, e.g. with classes "o0", "l1i", "e3":
 *     "p0l1c3.gov" and "police.gov".
 * Identical names are not look-alikes.  Pure functions; nothing allocated.
 */
#ifndef DOCKET_LOOKALIKE_H
#define DOCKET_LOOKALIKE_H

#include <stddef.h>

#define LOOKALIKE_MAX_LEN 253 /* longest DNS name */

/* Levenshtein distance of a and b (ASCII case folded), or max + 1 when it
 * is larger than max or either name is longer than LOOKALIKE_MAX_LEN. */
int lookalike_distance(const char *a, const char *b, int max);

/* 1 when a and b differ but are within max edits or equal after folding
 * confusable characters; 0 otherwise.  classes[i] is a string of
 * characters that can stand for each other ("l1i"). */
int lookalike_match(const char *a, const char *b, int max, char *const *classes,
		    size_t n_classes);

#endif
