/*
 * mail.h - e-mail for customer notices: an RFC 5322 message with a MIME
 * text/plain body, and the two ways out of docket - SMTP through libcurl,
 * or an .eml file in an outbox folder, written atomically.
 *
 * The mail layer knows nothing of requests or notices; core/notice/notice.c
 * decides what to say and to whom.  It depends on base/ only (and libcurl).
 *
 * Invariants of a formatted message (mail_format()):
 *   - lines end in CRLF and no line is longer than 78 characters;
 *   - every header value is checked: no CR, LF or other control character
 *     reaches a header (no header injection through a customer's contact
 *     address or a provider name);
 *   - non-ASCII header text is an RFC 2047 encoded-word; the body is UTF-8
 *     in quoted-printable, with a leading "." or "From " encoded, so the
 *     same bytes are safe as a file and over SMTP;
 *   - Date is the clock's time in RFC 5322 form; Message-ID is whatever
 *     mail_message_id() gave, so a retry of the same message carries the
 *     same id and a receiver can drop the duplicate.
 */
#ifndef DOCKET_MAIL_H
#define DOCKET_MAIL_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define MAIL_MAX_MESSAGE (1u << 20)   /* bytes of one formatted message */
#define MAIL_MAX_ADDR 254             /* RFC 5321 path limit */
#define MAIL_ID_MAX 160
#define MAIL_HOST_MAX 128
#define MAIL_DATE_MAX 40
#define MAIL_MAX_PASSWORD 1024

struct mail_message {
	const char *from;         /* addr-spec: legal@provider.example */
	const char *from_name;    /* display name; may be NULL */
	const char *reply_to;     /* addr-spec; may be NULL */
	const char *to;           /* addr-spec */
	const char *subject;      /* UTF-8, one line */
	const char *message_id;   /* "<...>", from mail_message_id() */
	int64_t date;             /* seconds since the epoch (the clock) */
	const char *body;         /* UTF-8 text with '\n' line ends */
};

/* Is addr a plain addr-spec docket will put in a header and an SMTP
 * envelope (local@domain, printable ASCII, no quoting, <= 254 bytes)? */
int mail_addr_ok(const char *addr);

/* "Mon, 02 Mar 2026 12:00:00 +0000" (RFC 5322 section 3.3). */
void mail_date(int64_t t, char out[MAIL_DATE_MAX]);

/* The host of a log origin ("cloud.example/log" -> "cloud.example"), or
 * "docket.invalid" when its first path segment is not a domain name. */
void mail_origin_host(const char *origin, char out[MAIL_HOST_MAX]);

/* A Message-ID for one message of a sender: "<notice-42.<hash>@host>", or
 * "<notice-42-r1.<hash>@host>" for generation 1 and later.  The hash is
 * over the log origin, the id and the generation, so it is the same for
 * every retry and differs between databases; host is mail_origin_host(). */
void mail_message_id(const char *origin, int64_t id, int generation,
		     char out[MAIL_ID_MAX]);

/* Append text (UTF-8, '\n' or CRLF line ends) to out as quoted-printable
 * (RFC 2045 section 6.7) with CRLF line ends. */
int mail_qp_encode(const char *text, struct buf *out);

/* The whole message, headers and body, into out (reset first).  E_INVALID
 * naming the header when a value cannot be put in a header. */
int mail_format(const struct mail_message *m, struct buf *out);

/* How messages leave: SMTP when smtp_url is set, else the outbox folder. */
struct mail_transport {
	const char *smtp_url;        /* smtp://host:port or smtps://...; NULL: outbox */
	const char *smtp_user;       /* NULL: no authentication */
	const char *password_file;   /* read at send time, never kept */
	const char *outbox_dir;
};

/* Send data (a formatted message) from -> to over SMTP.  The password, when
 * a user is set, is read from password_file now and wiped after use; the
 * file must not be readable by others.  With credentials over smtp://,
 * STARTTLS is required.  Failures are E_IO with the server's or libcurl's
 * reason; *smtp_status (optional) receives the last SMTP reply code (0 when
 * none). */
int mail_smtp_send(const struct mail_transport *t, const char *from, const char *to,
		   const char *data, size_t len, long *smtp_status);

/* Write data as dir/name atomically (temporary file, fsync, rename, fsync
 * the folder), creating dir (mode 0700) when missing.  Writing the same
 * name again replaces the file whole, so a retry never leaves two copies. */
int mail_outbox_write(const char *dir, const char *name, const char *data, size_t len);

/* Delivery receipts (receipt.c): a durable note in dir, per claim token
 * (lower-case hex), that a message was handed over at `at`, written after
 * the delivery and before the unit of work that records it. */
int mail_receipt_write(const char *dir, const char *claim, int64_t at);
/* 0 with *at, or -E_NOTFOUND (no error message) when there is none. */
int mail_receipt_read(const char *dir, const char *claim, int64_t *at);
void mail_receipt_remove(const char *dir, const char *claim);
/* Every receipt's claim token; a nonzero return from cb stops the walk. */
int mail_receipt_each(const char *dir, int (*cb)(void *ctx, const char *claim), void *ctx);

#endif
