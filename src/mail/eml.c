/*
 * eml.c - RFC 5322 messages with a MIME text/plain body (see mail.h).
 *
 * One function writes every header, so every header value passes the same
 * checks; the body goes through the quoted-printable encoder, which keeps
 * lines short and 7-bit whatever the text holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/clock.h"
#include "base/digest.h"
#include "base/err.h"
#include "base/util.h"
#include "mail/mail.h"

#define LINE_MAX_CHARS 78   /* RFC 5322 2.1.1: SHOULD be no more than 78 */
#define QP_LINE_MAX 76      /* RFC 2045 6.7 (5), the soft break included */
#define SUBJECT_MAX 900     /* bytes: well inside the 998 a line may have */
#define DISPLAY_MAX 256     /* bytes of a display name */
#define EW_CHUNK 39         /* raw bytes per encoded-word: 64 chars with markup */

/* --- checks -------------------------------------------------------------- */

static int atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

static int domain_ok(const char *d)
{
	size_t n = strlen(d);
	if (!n || n > 253 || d[0] == '.' || d[0] == '-' || d[n - 1] == '.' ||
	    d[n - 1] == '-' || !strchr(d, '.') || strstr(d, ".."))
		return 0;
	for (const char *p = d; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
			return 0;
	return 1;
}

int mail_addr_ok(const char *addr)
{
	const char *at = addr ? strrchr(addr, '@') : NULL;
	if (!at || at == addr || strlen(addr) > MAIL_MAX_ADDR || addr[0] == '.' ||
	    at[-1] == '.')
		return 0;
	for (const char *p = addr; p < at; p++)
		if (!atext((unsigned char)*p) && !(*p == '.' && p[1] != '.'))
			return 0;
	return domain_ok(at + 1);
}

/* Well-formed UTF-8 without control characters (tab allowed when
 * allow_tab, line ends when allow_newline). */
static int text_ok(const char *s, int allow_newline)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned char c = *p;
		if (c < 0x80) {
			if ((c < 0x20 && !(allow_newline && (c == '\n' || c == '\r' ||
							     c == '\t'))) ||
			    c == 0x7f)
				return 0;
			p++;
			continue;
		}
		int n = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 && c < 0xe0 ? 1 : -1;
		if (n < 0 || c > 0xf4)
			return 0;
		for (int i = 1; i <= n; i++)
			if ((p[i] & 0xc0) != 0x80)
				return 0;
		p += n + 1;
	}
	return 1;
}

static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* --- Date and Message-ID --------------------------------------------------- */

void mail_date(int64_t t, char out[MAIL_DATE_MAX])
{
	static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int64_t days = t >= 0 ? t / DAY_SECONDS : (t - DAY_SECONDS + 1) / DAY_SECONDS;
	int64_t rem = t - days * DAY_SECONDS;
	int y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	/* 1970-01-01 was a Thursday */
	snprintf(out, MAIL_DATE_MAX, "%s, %02u %s %04d %02d:%02d:%02d +0000",
		 wd[((days % 7) + 7 + 4) % 7], d, mon[m - 1], y, (int)(rem / 3600),
		 (int)(rem / 60 % 60), (int)(rem % 60));
}

void mail_origin_host(const char *origin, char out[MAIL_HOST_MAX])
{
	const char *slash = strchr(origin, '/');
	size_t n = slash ? (size_t)(slash - origin) : strlen(origin);
	str_copy(out, MAIL_HOST_MAX, "docket.invalid");
	if (n < MAIL_HOST_MAX) {
		char cand[MAIL_HOST_MAX];
		memcpy(cand, origin, n);
		cand[n] = '\0';
		if (domain_ok(cand))
			str_copy(out, MAIL_HOST_MAX, cand);
	}
}

void mail_message_id(const char *origin, int64_t id, int generation, char out[MAIL_ID_MAX])
{
	char host[MAIL_HOST_MAX], hex[65], gen[24] = "";
	mail_origin_host(origin, host);
	char *seed = xasprintf("docket-notice\n%s\n%lld\n%d", origin, (long long)id,
			       generation);
	digest_hex(seed, strlen(seed), hex);
	free(seed);
	if (generation > 0)
		snprintf(gen, sizeof(gen), "-r%d", generation);
	snprintf(out, MAIL_ID_MAX, "<notice-%lld%s.%.24s@%s>", (long long)id, gen, hex, host);
}

/* --- quoted-printable ------------------------------------------------------ */

struct qp {
	struct buf *out;
	size_t col;
};

static int qp_put(struct qp *q, const char *tok, size_t n)
{
	int rc = 0;
	if (q->col + n > QP_LINE_MAX - 1) {
		rc = buf_add(q->out, "=\r\n", 3);
		q->col = 0;
	}
	if (rc == 0)
		rc = buf_add(q->out, tok, n);
	q->col += n;
	return rc;
}

static int qp_line(struct qp *q, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		int last = i + 1 == len;
		int plain = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last);
		/* at the start of a line, "." ends an SMTP body and "From " is
		 * mangled by mbox: encode both */
		if (q->col == 0 && (c == '.' || (c == 'F' && len - i >= 5 &&
						 memcmp(s + i, "From ", 5) == 0)))
			plain = 0;
		if (plain) {
			rc = qp_put(q, (const char *)&s[i], 1);
		} else {
			char tok[3] = {'=', hex[c >> 4], hex[c & 15]};
			rc = qp_put(q, tok, 3);
		}
	}
	if (rc == 0)
		rc = buf_add(q->out, "\r\n", 2);
	q->col = 0;
	return rc;
}

int mail_qp_encode(const char *text, struct buf *out)
{
	struct qp q = {out, 0};
	const char *p = text;
	int rc = 0;
	while (rc == 0 && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		size_t content = len && p[len - 1] == '\r' ? len - 1 : len;
		rc = qp_line(&q, p, content);
		p += nl ? len + 1 : len;
	}
	return rc;
}

/* --- headers --------------------------------------------------------------- */

/* RFC 2047 encoded-words for UTF-8 text, each at most EW_CHUNK raw bytes and
 * never splitting a character, separated by folding whitespace. */
static int encoded_words(struct buf *out, const char *s)
{
	size_t n = strlen(s), i = 0;
	int rc = 0;
	while (rc == 0 && i < n) {
		size_t k = n - i < EW_CHUNK ? n - i : EW_CHUNK;
		while (i + k < n && ((unsigned char)s[i + k] & 0xc0) == 0x80)
			k--;
		char b64[sodium_base64_ENCODED_LEN(EW_CHUNK, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)s + i, k,
				  sodium_base64_VARIANT_ORIGINAL);
		rc = buf_addf(out, "%s=?UTF-8?B?%s?=", i ? "\r\n " : "", b64);
		i += k;
	}
	return rc;
}

/* Unstructured text after "Name: ": folded at spaces when ASCII, else
 * encoded-words. */
static int header_text(struct buf *out, const char *name, const char *value)
{
	int rc = buf_addf(out, "%s: ", name);
	if (rc == 0 && !is_ascii(value))
		return encoded_words(out, value);
	size_t col = strlen(name) + 2, words = 0;
	const char *p = value;
	while (rc == 0 && *p) {
		const char *sp = strchr(p, ' ');
		size_t len = sp ? (size_t)(sp - p) : strlen(p);
		if (words && col + 1 + len > LINE_MAX_CHARS) {
			rc = buf_add(out, "\r\n ", 3);
			col = 1;
		} else if (words) {
			rc = buf_addc(out, ' ');
			col++;
		}
		if (rc == 0)
			rc = buf_add(out, p, len);
		col += len;
		words++;
		p += sp ? len + 1 : len;
	}
	return rc;
}

/* "Name: phrase <addr>" or "Name: addr". */
static int header_addr(struct buf *out, const char *name, const char *display,
		       const char *addr)
{
	if (!display || !*display)
		return buf_addf(out, "%s: %s\r\n", name, addr);
	int rc = buf_addf(out, "%s: ", name);
	if (rc == 0 && is_ascii(display)) {
		rc = buf_addc(out, '"');
		for (const char *p = display; rc == 0 && *p; p++)
			rc = (*p == '"' || *p == '\\') ? buf_addf(out, "\\%c", *p)
						       : buf_addc(out, *p);
		if (rc == 0)
			rc = buf_addc(out, '"');
	} else if (rc == 0) {
		rc = encoded_words(out, display);
	}
	if (rc)
		return rc;
	/* fold before the address only when the line would be too long */
	const char *nl = out->ptr + out->len;
	while (nl > out->ptr && nl[-1] != '\n')
		nl--;
	size_t col = (size_t)(out->ptr + out->len - nl);
	return buf_addf(out, "%s<%s>\r\n", col + 3 + strlen(addr) > LINE_MAX_CHARS ? "\r\n " : " ",
			addr);
}

static int check_header(const char *name, const char *value, size_t max)
{
	if (!value || !*value || strlen(value) > max || !text_ok(value, 0))
		return err_set(E_INVALID, "e-mail header '%s': value is empty, too long or "
					  "holds a control character",
			       name);
	return 0;
}

static int check_message(const struct mail_message *m)
{
	int rc;
	if (!mail_addr_ok(m->from))
		return err_set(E_INVALID, "e-mail header 'From': '%s' is not a plain e-mail "
					  "address",
			       m->from ? m->from : "");
	if (!mail_addr_ok(m->to))
		return err_set(E_INVALID, "e-mail header 'To': not a plain e-mail address");
	if (m->reply_to && !mail_addr_ok(m->reply_to))
		return err_set(E_INVALID, "e-mail header 'Reply-To': '%s' is not a plain "
					  "e-mail address",
			       m->reply_to);
	if (m->from_name && *m->from_name &&
	    (rc = check_header("From", m->from_name, DISPLAY_MAX)) < 0)
		return rc;
	if ((rc = check_header("Subject", m->subject, SUBJECT_MAX)) < 0 ||
	    (rc = check_header("Message-ID", m->message_id, MAIL_ID_MAX)) < 0)
		return rc;
	if (m->message_id[0] != '<' || strchr(m->message_id, ' ') ||
	    m->message_id[strlen(m->message_id) - 1] != '>')
		return err_set(E_INVALID, "e-mail header 'Message-ID': '%s' is not <id@host>",
			       m->message_id);
	if (!m->body || !text_ok(m->body, 1))
		return err_set(E_INVALID, "e-mail body: not UTF-8 text");
	return 0;
}

int mail_format(const struct mail_message *m, struct buf *out)
{
	char date[MAIL_DATE_MAX];
	int rc = check_message(m);
	if (rc < 0)
		return rc;
	buf_reset(out);
	mail_date(m->date, date);
	if ((rc = buf_addf(out, "Date: %s\r\n", date)) < 0 ||
	    (rc = header_addr(out, "From", m->from_name, m->from)) < 0 ||
	    (m->reply_to && (rc = header_addr(out, "Reply-To", NULL, m->reply_to)) < 0) ||
	    (rc = header_addr(out, "To", NULL, m->to)) < 0 ||
	    (rc = header_text(out, "Subject", m->subject)) < 0 ||
	    (rc = buf_addf(out, "\r\nMessage-ID: %s\r\n", m->message_id)) < 0 ||
	    (rc = buf_adds(out, "MIME-Version: 1.0\r\n"
				"Content-Type: text/plain; charset=utf-8\r\n"
				"Content-Transfer-Encoding: quoted-printable\r\n"
				"Auto-Submitted: auto-generated\r\n\r\n")) < 0 ||
	    (rc = mail_qp_encode(m->body, out)) < 0)
		return rc;
	return 0;
}
