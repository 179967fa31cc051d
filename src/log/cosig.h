/*
 * cosig.h - witness cosignatures (c2sp.org/tlog-cosignature, Ed25519, v1)
 * and the add-checkpoint request of c2sp.org/tlog-witness.  Pure functions:
 * no network, no SQL.
 *
 * A witness is a key name and an Ed25519 public key, written as a verifier
 * key of signature type 0x04: "<name>+<hex key id>+<base64(0x04 || key)>",
 * key id = the first 4 bytes of SHA-256(name || "\n" || 0x04 || key).
 *
 * A cosignature is a signed-note signature line on the checkpoint,
 *
 *	— <name> base64(key id (4) || timestamp (8, big-endian) || signature (64))
 *
 * whose Ed25519 signature covers
 *
 *	"cosignature/v1\ntime <timestamp>\n" || the checkpoint's note text
 *
 * (the text up to and including its final newline, no signature lines).
 *
 * The add-checkpoint body is "old <size>\n", one base64 consistency-proof
 * hash a line (at most 63), a blank line, and the signed checkpoint.
 *
 * Functions return 0 or a negative error code (base/err.h).
 */
#ifndef DOCKET_COSIG_H
#define DOCKET_COSIG_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "log/merkle.h"
#include "log/note.h"

#define COSIG_LINE_MAX 512      /* bytes of one cosignature line, with its newline */
#define COSIG_RESPONSE_MAX 8192 /* bytes of an add-checkpoint answer read */
#define COSIG_MAX_PROOF 63      /* proof lines the protocol allows */
#define COSIG_TIME_MAX INT64_MAX

/* Parse a witness verifier key (type 0x04), checking its key id. */
int cosig_verifier_parse(const char *vkey, struct note_verifier *out);

/* The message a cosignature signs, into out (reset first). */
int cosig_message(const char *text, size_t text_len, uint64_t timestamp, struct buf *out);

/* Verify one signature line (without or with its final newline) as
 * witness v's cosignature on the checkpoint whose note text is
 * text[0..text_len).  0 with *timestamp set when it is; E_NOTFOUND when the
 * line is by another key (name or key id differ); E_INVALID when it is
 * malformed or the signature does not verify. */
int cosig_verify(const struct note_verifier *v, const char *text, size_t text_len,
		 const char *line, size_t line_len, uint64_t *timestamp);

/* Sign as a witness (tests, and anyone checking the format): *line is the
 * signature line with its newline (caller frees).  sk is libsodium's
 * 64-byte Ed25519 secret key. */
int cosig_sign(const char *name, const uint8_t sk[NOTE_SECKEY_LEN], const char *text,
	       size_t text_len, uint64_t timestamp, char **line);

/* The add-checkpoint request body into out (reset first): old size, the
 * consistency proof (empty when old is 0 or equals the checkpoint's size),
 * a blank line, the signed note. */
int cosig_request_body(uint64_t old, const struct merkle_proof *proof, const char *note,
		       size_t note_len, struct buf *out);

/* In an add-checkpoint answer body[0..len), the line that is witness v's
 * valid cosignature on text: its offset and length (without newline) and
 * timestamp.  E_NOTFOUND when no line is by v; E_INVALID when the body is
 * malformed or v's line does not verify. */
int cosig_find(const struct note_verifier *v, const char *text, size_t text_len,
	       const char *body, size_t len, size_t *off, size_t *line_len,
	       uint64_t *timestamp);

/* The size in a 409 answer's text/x.tlog.size body ("<decimal>\n"). */
int cosig_parse_size(const char *body, size_t len, uint64_t *size);

#endif
