/*
 * test_mail.c - RFC 5322 / MIME formatting of notices (src/mail/eml.c):
 * headers, Date, Message-ID, quoted-printable, folding, and refusal of
 * anything that could inject a header.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/util.h"
#include "mail/mail.h"

#define T_2026_03_02_12 1772452800   /* 2026-03-02T12:00:00Z, a Monday */

static void test_date(void **state)
{
	char d[MAIL_DATE_MAX];
	(void)state;
	mail_date(T_2026_03_02_12, d);
	assert_string_equal(d, "Mon, 02 Mar 2026 12:00:00 +0000");
	mail_date(0, d);
	assert_string_equal(d, "Thu, 01 Jan 1970 00:00:00 +0000");
	mail_date(951782400 + 86399, d);   /* leap day 2000 */
	assert_string_equal(d, "Tue, 29 Feb 2000 23:59:59 +0000");
}

static void test_message_id(void **state)
{
	char a[MAIL_ID_MAX], b[MAIL_ID_MAX], c[MAIL_ID_MAX], d[MAIL_ID_MAX];
	(void)state;
	mail_message_id("cloud.example/log", 42, 0, a);
	mail_message_id("cloud.example/log", 42, 0, b);
	assert_string_equal(a, b);   /* a retry: the same id */
	assert_true(str_has_prefix(a, "<notice-42."));
	assert_non_null(strstr(a, "@cloud.example>"));
	mail_message_id("cloud.example/log", 42, 1, c);
	assert_true(str_has_prefix(c, "<notice-42-r1."));
	mail_message_id("cloud.example/log2", 42, 0, d);
	assert_string_not_equal(a, d);   /* another database: another id */
	mail_message_id("not a host/x", 7, 0, d);
	assert_non_null(strstr(d, "@docket.invalid>"));
}

static void test_addr(void **state)
{
	(void)state;
	assert_true(mail_addr_ok("alice@example.net"));
	assert_true(mail_addr_ok("first.last+tag@mail.example.co.uk"));
	assert_false(mail_addr_ok("alice"));
	assert_false(mail_addr_ok("@example.net"));
	assert_false(mail_addr_ok("alice@example"));
	assert_false(mail_addr_ok("alice@example.net\r\nBcc: eve@evil.example"));
	assert_false(mail_addr_ok("alice@example.net>"));
	assert_false(mail_addr_ok("a lice@example.net"));
	assert_false(mail_addr_ok("a..b@example.net"));
	assert_false(mail_addr_ok(NULL));
}

static char *qp(const char *text)
{
	struct buf b;
	buf_init(&b, BUF_UNLIMITED);
	assert_int_equal(mail_qp_encode(text, &b), 0);
	return buf_detach(&b, NULL);
}

static void test_qp(void **state)
{
	char *s;
	(void)state;
	s = qp("plain text\n");
	assert_string_equal(s, "plain text\r\n");
	free(s);
	s = qp("a=b\ntrailing space \nJürgen\n");
	assert_string_equal(s, "a=3Db\r\ntrailing space=20\r\nJ=C3=BCrgen\r\n");
	free(s);
	s = qp(".\nFrom here\n");   /* SMTP's end of data, mbox's From_ */
	assert_string_equal(s, "=2E\r\n=46rom here\r\n");
	free(s);
	s = qp("crlf\r\nin\r\n");
	assert_string_equal(s, "crlf\r\nin\r\n");
	free(s);
	char long_line[301];
	memset(long_line, 'x', 300);
	long_line[300] = '\0';
	s = qp(long_line);
	size_t total = 0;
	for (char *line = s, *end; *line; line = end + 2) {
		end = strstr(line, "\r\n");
		assert_non_null(end);
		assert_true(end - line <= 76);
		total += (size_t)(end - line) - (end[-1] == '=' ? 1 : 0);
	}
	assert_int_equal(total, 300);
	free(s);
}

static struct mail_message sample(void)
{
	struct mail_message m = {
		.from = "notices@cloud.example",
		.from_name = "Example Cloud legal team",
		.reply_to = "legal@cloud.example",
		.to = "alice@example.net",
		.subject = "A government request for data about your account (Example Cloud "
			   "notice 42)",
		.message_id = "<notice-42.0123456789abcdef01234567@cloud.example>",
		.date = T_2026_03_02_12,
		.body = "Dear Alice,\n\nLine two.\n",
	};
	return m;
}

static void test_format(void **state)
{
	struct buf b;
	struct mail_message m = sample();
	(void)state;
	buf_init(&b, MAIL_MAX_MESSAGE);
	assert_int_equal(mail_format(&m, &b), 0);
	assert_true(str_has_prefix(b.ptr, "Date: Mon, 02 Mar 2026 12:00:00 +0000\r\n"));
	assert_non_null(strstr(b.ptr, "\r\nFrom: \"Example Cloud legal team\" "
				      "<notices@cloud.example>\r\n"));
	assert_non_null(strstr(b.ptr, "\r\nReply-To: legal@cloud.example\r\n"));
	assert_non_null(strstr(b.ptr, "\r\nTo: alice@example.net\r\n"));
	assert_non_null(strstr(b.ptr, "\r\nSubject: A government request for data about "
				      "your account (Example Cloud\r\n notice 42)\r\n"));
	assert_non_null(strstr(b.ptr, "\r\nMessage-ID: <notice-42."));
	assert_non_null(strstr(b.ptr, "\r\nMIME-Version: 1.0\r\n"
				      "Content-Type: text/plain; charset=utf-8\r\n"
				      "Content-Transfer-Encoding: quoted-printable\r\n"));
	assert_non_null(strstr(b.ptr, "\r\n\r\nDear Alice,\r\n\r\nLine two.\r\n"));
	/* no bare LF, no line over 78 */
	for (size_t i = 0, col = 0; i < b.len; i++) {
		if (b.ptr[i] == '\n') {
			assert_true(i > 0 && b.ptr[i - 1] == '\r');
			col = 0;
		} else {
			assert_true(++col <= 79);
		}
	}
	buf_release(&b);
}

static void test_format_utf8_headers(void **state)
{
	struct buf b;
	struct mail_message m = sample();
	(void)state;
	m.from_name = "Wolke Köln Rechtsabteilung";
	m.subject = "Behördenanfrage zu Ihrem Konto";
	buf_init(&b, MAIL_MAX_MESSAGE);
	assert_int_equal(mail_format(&m, &b), 0);
	assert_non_null(strstr(b.ptr, "From: =?UTF-8?B?"));
	assert_non_null(strstr(b.ptr, "Subject: =?UTF-8?B?"));
	for (size_t i = 0; i < b.len; i++)
		assert_true((unsigned char)b.ptr[i] < 0x80);
	buf_release(&b);
}

static void test_format_refuses_injection(void **state)
{
	struct buf b;
	struct mail_message m = sample();
	(void)state;
	buf_init(&b, MAIL_MAX_MESSAGE);
	m.subject = "hello\r\nBcc: eve@evil.example";
	assert_int_equal(mail_format(&m, &b), -E_INVALID);
	m = sample();
	m.to = "alice@example.net\nBcc: eve@evil.example";
	assert_int_equal(mail_format(&m, &b), -E_INVALID);
	m = sample();
	m.from_name = "Legal\r\nX-Evil: 1";
	assert_int_equal(mail_format(&m, &b), -E_INVALID);
	m = sample();
	m.message_id = "no-brackets@x";
	assert_int_equal(mail_format(&m, &b), -E_INVALID);
	m = sample();
	m.body = "bad \xff utf-8";
	assert_int_equal(mail_format(&m, &b), -E_INVALID);
	m = sample();
	m.from_name = "Say \"hi\" \\ bye";
	assert_int_equal(mail_format(&m, &b), 0);
	assert_non_null(strstr(b.ptr, "From: \"Say \\\"hi\\\" \\\\ bye\""));
	buf_release(&b);
}

static void test_outbox(void **state)
{
	char dir[] = "/tmp/docket-mail-XXXXXX", path[128], cmd[160];
	struct stat sb;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a/b", dir);
	assert_int_equal(mail_outbox_write(path, "notice-000001.eml", "x\r\n", 3), 0);
	assert_int_equal(mail_outbox_write(path, "notice-000001.eml", "yy\r\n", 4), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s/a/b/notice-000001.eml", dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, 4);   /* replaced whole */
	assert_int_equal(mail_outbox_write(dir, "../escape.eml", "x", 1), -E_INTERNAL);
	snprintf(path, sizeof(path), "%s/a/b/notice-000001.eml/sub", dir);
	assert_int_equal(mail_outbox_write(path, "n.eml", "x", 1), -E_IO);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_message_id),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_qp),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_utf8_headers),
		cmocka_unit_test(test_format_refuses_injection),
		cmocka_unit_test(test_outbox),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
