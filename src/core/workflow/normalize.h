/*
 * normalize.h - one spelling for identifiers that people write in many ways
 * (SPEC §3 "Targets are normalised"; SPEC §4 call-back numbers).
 *
 *   e-mail     trimmed, lower case (compared case-insensitively)
 *   phone      E.164: '+' and the digits ("+1 (213) 555-0100" and
 *              "001 213 555 0100" are "+12135550100")
 *   ip         canonical text form (inet_pton/inet_ntop: "::ffff:1.2.3.4",
 *              leading zeros and upper-case hex are gone)
 *   username, account_id   trimmed
 *
 * Each function writes the normal form into out (NUL-terminated) and
 * returns 0, or -1 when the input cannot be put in that form (then out holds
 * the trimmed input, so a caller can still store and compare it as given).
 */
#ifndef DOCKET_NORMALIZE_H
#define DOCKET_NORMALIZE_H

#include <stddef.h>

#include "model/enums.h"

#define NORMALIZE_MAX 256

int normalize_phone(const char *in, char *out, size_t outsz);
int normalize_email(const char *in, char *out, size_t outsz);
int normalize_ip(const char *in, char *out, size_t outsz);
int normalize_trim(const char *in, char *out, size_t outsz);
/* The form for a target of type t. */
int normalize_target(enum target_type t, const char *in, char *out, size_t outsz);
/* Do two phone numbers name the same line (equal E.164 forms, or equal
 * digits when one is not in international form)? */
int phone_same(const char *a, const char *b);

#endif
