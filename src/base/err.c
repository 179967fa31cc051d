#include "base/err.h"

#include <stdio.h>
#include <string.h>

static _Thread_local char last_msg[1024];
static _Thread_local enum err_code last_code;
static _Thread_local enum err_remedy last_remedy;
static _Thread_local long long last_subject;

static const struct {
	int exit_code;
	int http;
	const char *desc;
} err_table[E__COUNT] = {
#define X(name, exit, http, desc) [name] = {exit, http, desc},
	DOCKET_ERRORS(X)
#undef X
};

int err_setv(enum err_code code, const char *fmt, va_list ap)
{
	/* through a copy: an argument may be err_msg() itself, as in
	 * err_set(E_NOTFOUND, "no such tile: %s", err_msg()) */
	char msg[sizeof(last_msg)];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	memcpy(last_msg, msg, sizeof(last_msg));
	last_code = code;
	last_remedy = REMEDY_NONE;
	last_subject = 0;
	return -(int)code;
}

int err_set(enum err_code code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = err_setv(code, fmt, ap);
	va_end(ap);
	return rc;
}

void err_prefix(const char *fmt, ...)
{
	char old[sizeof(last_msg)];
	va_list ap;
	memcpy(old, last_msg, sizeof(old));
	va_start(ap, fmt);
	int n = vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(last_msg) - 3)
		return;
	size_t len = (size_t)n, room = sizeof(last_msg) - len;
	memcpy(last_msg + len, ": ", 2);
	len += 2;
	room -= 2;
	size_t olen = strnlen(old, sizeof(old) - 1);
	if (olen >= room)
		olen = room - 1;
	memcpy(last_msg + len, old, olen);
	last_msg[len + olen] = '\0';
}

const char *err_msg(void) { return last_msg; }
enum err_code err_last(void) { return last_code; }

void err_clear(void)
{
	last_msg[0] = '\0';
	last_code = E_OK;
	last_remedy = REMEDY_NONE;
	last_subject = 0;
}

void err_set_remedy(enum err_remedy remedy, long long subject)
{
	last_remedy = remedy;
	last_subject = subject;
}

enum err_remedy err_remedy(long long *subject)
{
	if (subject)
		*subject = last_subject;
	return last_remedy;
}

enum err_code err_from_rc(int rc)
{
	if (rc >= 0)
		return E_OK;
	if (-rc >= E__COUNT)
		return E_INTERNAL;
	return (enum err_code)-rc;
}

int err_exit_code(enum err_code code)
{
	return code < E__COUNT ? err_table[code].exit_code : 1;
}

int err_http_status(enum err_code code)
{
	return code < E__COUNT ? err_table[code].http : 500;
}

const char *err_name(enum err_code code)
{
	return code < E__COUNT ? err_table[code].desc : "internal error";
}
