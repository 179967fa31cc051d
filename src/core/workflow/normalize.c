/*
 * normalize.c - identifiers in one spelling (see normalize.h).
 */
#include <arpa/inet.h>
#include <string.h>

#include "base/util.h"
#include "core/workflow/normalize.h"

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int normalize_trim(const char *in, char *out, size_t outsz)
{
	size_t n;
	while (is_blank(*in))
		in++;
	n = strlen(in);
	while (n && is_blank(in[n - 1]))
		n--;
	if (n >= outsz) {
		if (outsz)
			out[0] = '\0';
		return -1;
	}
	memcpy(out, in, n);
	out[n] = '\0';
	return 0;
}

int normalize_email(const char *in, char *out, size_t outsz)
{
	if (normalize_trim(in, out, outsz) < 0)
		return -1;
	for (char *p = out; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return strchr(out, '@') ? 0 : -1;
}

/* '+' then 7..15 digits; "00" as the international prefix becomes '+';
 * spaces, dashes, dots, slashes and brackets are dropped. */
int normalize_phone(const char *in, char *out, size_t outsz)
{
	char buf[NORMALIZE_MAX];
	size_t n = 0, digits = 0;
	int plus = 0;
	if (normalize_trim(in, out, outsz) < 0)
		return -1;
	for (const char *p = out; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n + 1 >= sizeof(buf))
				return -1;
			buf[n++] = *p;
			digits++;
		} else if (*p == '+' && n == 0 && !plus) {
			plus = 1;
		} else if (!strchr(" -./()\t", *p)) {
			return -1;
		}
	}
	buf[n] = '\0';
	if (!plus && n > 2 && buf[0] == '0' && buf[1] == '0') {
		memmove(buf, buf + 2, n - 1);
		n -= 2;
		digits -= 2;
		plus = 1;
	}
	if (!plus || digits < 7 || digits > 15 || buf[0] == '0' || n + 2 > outsz)
		return -1;
	out[0] = '+';
	memcpy(out + 1, buf, n + 1);
	return 0;
}

int normalize_ip(const char *in, char *out, size_t outsz)
{
	unsigned char addr[16];
	char text[INET6_ADDRSTRLEN];
	if (normalize_trim(in, out, outsz) < 0)
		return -1;
	if (inet_pton(AF_INET, out, addr) == 1) {
		if (!inet_ntop(AF_INET, addr, text, sizeof(text)))
			return -1;
	} else if (inet_pton(AF_INET6, out, addr) == 1) {
		if (!inet_ntop(AF_INET6, addr, text, sizeof(text)))
			return -1;
	} else {
		return -1;
	}
	if (strlen(text) >= outsz)
		return -1;
	str_copy(out, outsz, text);
	return 0;
}

int normalize_target(enum target_type t, const char *in, char *out, size_t outsz)
{
	switch (t) {
	case TGT_EMAIL:
		return normalize_email(in, out, outsz);
	case TGT_PHONE:
		return normalize_phone(in, out, outsz);
	case TGT_IP:
		return normalize_ip(in, out, outsz);
	default:
		return normalize_trim(in, out, outsz);
	}
}

static void digits_only(const char *in, char *out, size_t outsz)
{
	size_t n = 0;
	for (; *in && n + 1 < outsz; in++)
		if (*in >= '0' && *in <= '9')
			out[n++] = *in;
	out[n] = '\0';
}

int phone_same(const char *a, const char *b)
{
	char x[NORMALIZE_MAX], y[NORMALIZE_MAX];
	if (!a || !b)
		return 0;
	if (normalize_phone(a, x, sizeof(x)) == 0 && normalize_phone(b, y, sizeof(y)) == 0)
		return strcmp(x, y) == 0;
	digits_only(a, x, sizeof(x));
	digits_only(b, y, sizeof(y));
	return x[0] && strcmp(x, y) == 0;
}
