/*
 * digest.h - SHA-256 as text, for ids in log entries and manifests.
 */
#ifndef DOCKET_DIGEST_H
#define DOCKET_DIGEST_H

#include <stddef.h>

#define DIGEST_TAG_LEN 72   /* "sha256:" + 64 hex + NUL */

/* "sha256:<64 lower-case hex>" of data[0..len). */
void digest_tag(const void *data, size_t len, char out[DIGEST_TAG_LEN]);
/* 64 lower-case hex digits of the SHA-256 of data[0..len). */
void digest_hex(const void *data, size_t len, char out[65]);
/* Lower-case hex of n bytes into out (2n+1 bytes). */
void hex_encode(const unsigned char *in, size_t n, char *out);

#endif
