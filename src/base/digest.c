#include <string.h>

#include <openssl/evp.h>

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

void digest_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int n = 0;
	EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
	hex_encode(md, 32, out);
}

void digest_tag(const void *data, size_t len, char out[DIGEST_TAG_LEN])
{
	memcpy(out, "sha256:", 7);
	digest_hex(data, len, out + 7);
}
