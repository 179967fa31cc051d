/*
 * smtp.c - one message over SMTP through libcurl (see mail.h).
 *
 * The message is uploaded exactly as mail_format() wrote it (libcurl adds no
 * header of its own, escapes a leading "." and ends the DATA phase), so the
 * bytes a receiver gets are the bytes docket logged the digest of.  The
 * password is read from its file for this one connection and wiped after;
 * it is never in the database, the log, the environment or the command
 * line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "base/err.h"
#include "base/util.h"
#include "mail/mail.h"

#define CONNECT_TIMEOUT_S 20L
#define TRANSFER_TIMEOUT_S 120L   /* well inside the claim lease of a notice */

struct upload {
	const char *data;
	size_t len, off;
};

static size_t read_cb(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct upload *u = ud;
	size_t room = size * nmemb, left = u->len - u->off;
	size_t n = left < room ? left : room;
	memcpy(ptr, u->data + u->off, n);
	u->off += n;
	return n;
}

/* The password from path: the first line, at most MAIL_MAX_PASSWORD bytes.
 * A file others may read is refused.  *out is wiped and freed by the
 * caller with freezero(*out, MAIL_MAX_PASSWORD + 1). */
static int read_password(const char *path, char **out)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
	*out = NULL;
	if (fd < 0)
		return err_set(E_IO, "cannot open the SMTP password file '%s': %s", path,
			       strerror(errno));
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return err_set(E_IO, "SMTP password file '%s' is not a regular file", path);
	}
	/* a secret: readable by the service user alone (SPEC §5) - not any
	 * readable file on the host that a setting happens to name */
	if (sb.st_mode & (S_IRWXG | S_IRWXO)) {
		close(fd);
		return err_set(E_IO, "SMTP password file '%s' has mode %03o: it must be 0600 "
				     "(chmod 600 it)",
			       path, (unsigned)(sb.st_mode & 0777));
	}
	if (sb.st_uid != geteuid()) {
		close(fd);
		return err_set(E_IO, "SMTP password file '%s' is owned by uid %u, not by the "
				     "user docket runs as (uid %u)",
			       path, (unsigned)sb.st_uid, (unsigned)geteuid());
	}
	char *pw = xcalloc(1, MAIL_MAX_PASSWORD + 1);
	size_t len = 0;
	ssize_t n;
	while (len < MAIL_MAX_PASSWORD &&
	       (n = read(fd, pw + len, MAIL_MAX_PASSWORD - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			freezero(pw, MAIL_MAX_PASSWORD + 1);
			return err_set(E_IO, "cannot read the SMTP password file '%s': %s",
				       path, strerror(e));
		}
		len += (size_t)n;
	}
	close(fd);
	pw[len] = '\0';
	pw[strcspn(pw, "\r\n")] = '\0';
	if (!pw[0]) {
		freezero(pw, MAIL_MAX_PASSWORD + 1);
		return err_set(E_IO, "SMTP password file '%s' is empty", path);
	}
	*out = pw;
	return 0;
}

static int set_options(CURL *c, const struct mail_transport *t, const char *password,
		       struct curl_slist *rcpt, const char *from_path, struct upload *u,
		       char *errbuf)
{
	CURLcode e = CURLE_OK;
#define SET(opt, val)                                                         \
	do {                                                                  \
		if (e == CURLE_OK)                                            \
			e = curl_easy_setopt(c, opt, val);                    \
	} while (0)
	SET(CURLOPT_ERRORBUFFER, errbuf);
	SET(CURLOPT_URL, t->smtp_url);
	SET(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	SET(CURLOPT_MAIL_FROM, from_path);
	SET(CURLOPT_MAIL_RCPT, rcpt);
	SET(CURLOPT_UPLOAD, 1L);
	SET(CURLOPT_READFUNCTION, read_cb);
	SET(CURLOPT_READDATA, u);
	SET(CURLOPT_INFILESIZE_LARGE, (curl_off_t)u->len);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_S);
	SET(CURLOPT_TIMEOUT, TRANSFER_TIMEOUT_S);
	if (t->smtp_user && *t->smtp_user) {
		SET(CURLOPT_USERNAME, t->smtp_user);
		SET(CURLOPT_PASSWORD, password);
		/* never send a password in clear: STARTTLS or smtps:// */
		SET(CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	} else {
		SET(CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	}
#undef SET
	if (e != CURLE_OK)
		return err_set(E_INTERNAL, "libcurl option: %s", curl_easy_strerror(e));
	return 0;
}

int mail_smtp_send(const struct mail_transport *t, const char *from, const char *to,
		   const char *data, size_t len, long *smtp_status)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	char *password = NULL, *from_path = NULL, *to_path = NULL;
	struct curl_slist *rcpt = NULL;
	struct upload u = {data, len, 0};
	CURL *c = NULL;
	long status = 0;
	int rc = 0;

	if (smtp_status)
		*smtp_status = 0;
	if (!t->smtp_url)
		return err_set(E_INTERNAL, "no SMTP server configured");
	if (t->smtp_user && *t->smtp_user) {
		if (!t->password_file)
			return err_set(E_IO, "smtp_user is set but smtp_password_file is not");
		if ((rc = read_password(t->password_file, &password)) < 0)
			return rc;
	}
	from_path = xasprintf("<%s>", from);
	to_path = xasprintf("<%s>", to);
	rcpt = curl_slist_append(NULL, to_path);
	if (!rcpt || !(c = curl_easy_init())) {
		rc = err_set(E_INTERNAL, "cannot start libcurl");
		goto out;
	}
	if ((rc = set_options(c, t, password, rcpt, from_path, &u, errbuf)) < 0)
		goto out;
	CURLcode res = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (smtp_status)
		*smtp_status = status;
	if (res != CURLE_OK && status)
		rc = err_set(E_IO, "SMTP delivery failed: %s (server replied %ld)",
			     errbuf[0] ? errbuf : curl_easy_strerror(res), status);
	else if (res != CURLE_OK)
		rc = err_set(E_IO, "SMTP delivery failed: %s",
			     errbuf[0] ? errbuf : curl_easy_strerror(res));
out:
	if (c)
		curl_easy_cleanup(c);
	curl_slist_free_all(rcpt);
	free(from_path);
	free(to_path);
	if (password)
		freezero(password, MAIL_MAX_PASSWORD + 1);
	return rc;
}
