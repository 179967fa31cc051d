/*
 * note.h - C2SP signed notes (Ed25519) and tlog checkpoints.
 *
 * A signed note (c2sp.org/signed-note) is UTF-8 text ending in a newline, a
 * blank line, and signature lines:
 *
 *	<text ending in \n>
 *	\n
 *	— <key name> <base64(key id (4 bytes, big-endian) || signature)>\n
 *
 * (U+2014 em dash, then a space).  The signature covers the text including
 * its final newline.  For Ed25519 the key id is the first 4 bytes of
 * SHA-256(name || "\n" || 0x01 || public key), and a verifier key is written
 * "<name>+<8 hex digits of key id>+<base64(0x01 || public key)>" (SPEC §6).
 *
 * A checkpoint (c2sp.org/tlog-checkpoint) is a note whose text is
 *
 *	<origin>\n<tree size in decimal>\n<base64 root hash>\n[extension lines]
 *
 * Parsing is strict and capped: a note longer than NOTE_MAX_LEN, with bytes
 * that are not UTF-8, with control characters other than newline, with more
 * than NOTE_MAX_SIGS signature lines, non-canonical base64 or a malformed
 * line is rejected with E_INVALID and a message saying why.  A note is
 * accepted only when it carries a valid signature by the given verifier;
 * signatures by other keys are ignored (as the spec requires), and a bad
 * signature by the given key rejects the note.  These rules follow Go's
 * golang.org/x/mod/sumdb/note, which the interop test runs against.
 *
 * Ownership: returned strings are the caller's, freed with free().  No
 * secret key is kept by anything here.
 */
#ifndef DOCKET_NOTE_H
#define DOCKET_NOTE_H

#include <stddef.h>
#include <stdint.h>

#define NOTE_MAX_LEN 16384 /* bytes of a signed note */
#define NOTE_MAX_SIGS 100  /* signature lines in a note */
#define NOTE_NAME_MAX 255  /* bytes of a key name (and an origin) */
#define NOTE_PUBKEY_LEN 32 /* Ed25519 */
#define NOTE_SECKEY_LEN 64 /* libsodium's Ed25519 secret key: seed || public */
#define NOTE_SIG_LEN 64
#define NOTE_ALG_ED25519 0x01
#define NOTE_ALG_COSIGNATURE 0x04 /* c2sp.org/tlog-cosignature, Ed25519 */
#define NOTE_HASH_LEN 32 /* a checkpoint's root hash */

/* A key name: non-empty, at most NOTE_NAME_MAX bytes of UTF-8, no Unicode
 * space, no '+'.  Returns 1 when valid. */
int note_name_valid(const char *name, size_t len);

/* The Ed25519 key id of (name, public key). */
uint32_t note_key_id(const char *name, const uint8_t pub[NOTE_PUBKEY_LEN]);
/* The same with another signature type byte (0x04: tlog-cosignature/v1). */
uint32_t note_key_id_alg(const char *name, uint8_t alg, const uint8_t pub[NOTE_PUBKEY_LEN]);

struct note_verifier {
	char name[NOTE_NAME_MAX + 1];
	uint32_t key_id;
	uint8_t pub[NOTE_PUBKEY_LEN];
};

/* Parse a verifier key string; checks the key id against name and key. */
int note_verifier_parse(const char *vkey, struct note_verifier *out);
/* The same for a key of signature type alg (e.g. NOTE_ALG_COSIGNATURE). */
int note_verifier_parse_alg(const char *vkey, uint8_t alg, struct note_verifier *out);
/* Format a verifier key string (caller frees); E_INVALID for a bad name. */
int note_verifier_format(const char *name, const uint8_t pub[NOTE_PUBKEY_LEN],
			 char **out);

/* Sign text[0..len) as key `name` with secret key sk: *out receives the
 * whole note, NUL-terminated (caller frees).  The text must be valid note
 * text (non-empty, ends in '\n', no blank line, UTF-8 without control
 * characters other than '\n'). */
int note_sign(const char *text, size_t len, const char *name,
	      const uint8_t sk[NOTE_SECKEY_LEN], char **out);

/* Verify msg[0..len) against v.  On success *text_len is the length of the
 * signed text, which is msg[0..*text_len). */
int note_open(const char *msg, size_t len, const struct note_verifier *v,
	      size_t *text_len);

/* --- checkpoints ----------------------------------------------------------- */

struct checkpoint {
	char origin[NOTE_NAME_MAX + 1];
	uint64_t size; /* below 2^63 */
	uint8_t root[NOTE_HASH_LEN];
};

/* The checkpoint's note text "<origin>\n<size>\n<base64 root>\n" (caller
 * frees).  The origin must be a valid key name (see note_name_valid). */
int checkpoint_format(const struct checkpoint *c, char **out);
/* Parse note text; extension lines are allowed (non-empty) and ignored. */
int checkpoint_parse(const char *text, size_t len, struct checkpoint *out);

/* --- base64 (RFC 4648 §4, with padding) ------------------------------------ */

/* Encode data[0..len) (caller frees). */
char *note_base64(const void *data, size_t len);
/* Decode s[0..len) strictly (padding required, no whitespace, canonical
 * trailing bits) into out (at most max bytes); *n receives the length. */
int note_unbase64(const char *s, size_t len, uint8_t *out, size_t max, size_t *n);

#endif
