/*
 * signer.h - the log's Ed25519 signing key and its key file.
 *
 * The key file lives beside the database ("<db>.key", SPEC §10), mode 0600,
 * and is never logged.  It holds one line in the signed-note private key
 * format that Go's golang.org/x/mod/sumdb/note also reads:
 *
 *	PRIVATE+KEY+<name>+<8 hex key id>+<base64(0x01 || 32-byte seed)>
 *
 * The name is the key name of the checkpoints' signature lines; `docket
 * init` uses the log origin (which it also stores in the database).
 *
 * Files: signer_save() writes a temporary file (0600) in the same directory,
 * fsyncs it, links it to the final name - never replacing an existing key -
 * and fsyncs the directory; any failure, a failed fsync included, is an
 * error and leaves no file behind.  signer_load() refuses a key file that is
 * not a regular file or that group or others may access, with a message
 * saying how to fix it.
 *
 * Ownership: a struct signer holds the secret key; signer_free() wipes it.
 * Strings returned by signer_name() and signer_verifier_key() belong to the
 * signer and live as long as it does.
 */
#ifndef DOCKET_SIGNER_H
#define DOCKET_SIGNER_H

#include <stddef.h>

#include "log/note.h"

struct signer;

/* A new random key named `name` (a valid note key name). */
int signer_new(const char *name, struct signer **out);
/* Parse key file contents (one line, optional final newline). */
int signer_parse(const char *text, size_t len, struct signer **out);
/* Load the key file at path: E_NOTFOUND when missing, E_REFUSED when its
 * permissions are too open, E_INVALID when damaged. */
int signer_load(const char *path, struct signer **out);
/* Write s to a new key file at path (E_REFUSED when path exists). */
int signer_save(const struct signer *s, const char *path);
/* signer_new() + signer_save(): a new key file at path, named `name`. */
int signer_generate(const char *path, const char *name);
void signer_free(struct signer *s);

const char *signer_name(const struct signer *s);
/* "<name>+<hex key id>+<base64(0x01 || public key)>" (SPEC §6). */
const char *signer_verifier_key(const struct signer *s);
const struct note_verifier *signer_verifier(const struct signer *s);

/* Sign note text (see note_sign()); *note is the caller's. */
int signer_sign(const struct signer *s, const char *text, size_t len, char **note);

#endif
