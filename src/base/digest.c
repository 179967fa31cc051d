#include <string.h>

#include <sodium.h>

#include "base/digest.h"

void hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * n] = '\0';
}

/* libsodium's SHA-256: no context to allocate or algorithm to look up per
 * call (OpenSSL 3's EVP_Digest did both, a visible share of a token check) */
void digest_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(md, data, len);
	hex_encode(md, sizeof(md), out);
}

void digest_tag(const void *data, size_t len, char out[DIGEST_TAG_LEN])
{
	memcpy(out, "sha256:", 7);
	digest_hex(data, len, out + 7);
}
