/*
 * fuzz_mail.c - libFuzzer target for the notice message writer
 * (mail/eml.c).  The input is split at NUL bytes into a display name, a
 * subject, a recipient and a body; whatever mail_format() accepts must be a
 * 7-bit message with CRLF line ends only, no line longer than 998
 * characters, exactly one header block, and a body whose quoted-printable
 * lines stay within 76 characters.  Control characters in a header value
 * must be refused, never written.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"
#include "mail/mail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct buf *b)
{
	const char *hdr_end = strstr(b->ptr, "\r\n\r\n");
	size_t col = 0;
	if (!hdr_end)
		abort();
	for (size_t i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->ptr[i];
		if (c >= 0x80 || c == 0)
			abort();
		if (c == '\r' && (i + 1 >= b->len || b->ptr[i + 1] != '\n'))
			abort();
		if (c == '\n' && (i == 0 || b->ptr[i - 1] != '\r'))
			abort();
		if (c == '\n') {
			col = 0;
			continue;
		}
		if (c != '\r' && ++col > (b->ptr + i > hdr_end ? 76u : 998u))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = xmalloc(size + 4), *part[4];
	struct buf b;
	memcpy(in, data, size);
	memset(in + size, 0, 4);
	part[0] = in;
	for (int i = 1; i < 4; i++)
		part[i] = part[i - 1] + strlen(part[i - 1]) + (part[i - 1] < in + size ? 1 : 0);
	struct mail_message m = {
		.from = "notices@cloud.example",
		.from_name = part[0],
		.to = *part[2] ? part[2] : "alice@example.net",
		.subject = *part[1] ? part[1] : "subject",
		.message_id = "<notice-1.0123456789abcdef01234567@cloud.example>",
		.date = (int64_t)size * 86399,
		.body = part[3],
	};
	buf_init(&b, MAIL_MAX_MESSAGE);
	int rc = mail_format(&m, &b);
	if (rc == 0)
		check(&b);
	else if (strpbrk(m.subject, "\r\n") == NULL && strpbrk(m.from_name, "\r\n") == NULL &&
		 mail_addr_ok(m.to) && strlen(m.subject) < 100 && strlen(m.from_name) < 100 &&
		 strspn(m.body, "abcdefghijklmnopqrstuvwxyz \n=.") == strlen(m.body) &&
		 strspn(m.subject, "abcdefghijklmnopqrstuvwxyz ") == strlen(m.subject) &&
		 strspn(m.from_name, "abcdefghijklmnopqrstuvwxyz ") == strlen(m.from_name))
		abort();   /* plain input must be accepted */
	buf_release(&b);
	free(in);
	return 0;
}
