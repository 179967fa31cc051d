/*
 * keyfile.h - the files of docket's 32-byte secret keys (the log's
 * reference key core/ledger/refkey.h, the TOTP key core/access/auth.h).
 *
 * A key file is one line "<prefix><base64 of 32 bytes>\n" (prefix such as
 * "docket-ref-key/1 "), mode 0600, where base/keys.h puts it.  Loading
 * refuses a file that is not regular or that group or others may access.
 * Callers wipe the key when done.
 */
#ifndef DOCKET_KEYFILE_H
#define DOCKET_KEYFILE_H

#define KEYFILE_BYTES 32

/* A new random key in a new file at path (E_REFUSED when it exists).  what
 * names the file in errors ("log reference key file"). */
int keyfile_generate(const char *path, const char *prefix, const char *what);
/* The key in the file at path: -E_NOTFOUND (no message set) when there is
 * no file; E_REFUSED for a file group or others may access or one that is
 * not regular; E_INVALID when damaged. */
int keyfile_load(const char *path, const char *prefix, const char *what,
		 unsigned char key[KEYFILE_BYTES]);

#endif
