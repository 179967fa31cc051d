/*
 * cosig.c - tlog-cosignature/v1 lines and the tlog-witness add-checkpoint
 * request and answer (cosig.h).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/util.h"
#include "log/cosig.h"

#define EM_DASH "\xe2\x80\x94 "
#define EM_DASH_LEN 4
#define SIG_BYTES (4 + 8 + NOTE_SIG_LEN)

int cosig_verifier_parse(const char *vkey, struct note_verifier *out)
{
	return note_verifier_parse_alg(vkey, NOTE_ALG_COSIGNATURE, out);
}

int cosig_message(const char *text, size_t text_len, uint64_t timestamp, struct buf *out)
{
	buf_reset(out);
	if (timestamp > (uint64_t)COSIG_TIME_MAX)
		return err_set(E_INVALID, "cosignature time out of range");
	int rc = buf_addf(out, "cosignature/v1\ntime %llu\n", (unsigned long long)timestamp);
	return rc < 0 ? rc : buf_add(out, text, text_len);
}

/* "— <name> <base64>" without its newline: the name and the decoded bytes. */
static int parse_line(const char *line, size_t len, const char **name, size_t *name_len,
		      uint8_t sig[SIG_BYTES + 1], size_t *sig_len)
{
	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len < EM_DASH_LEN || len > COSIG_LINE_MAX ||
	    memcmp(line, EM_DASH, EM_DASH_LEN) != 0)
		return err_set(E_INVALID, "not a signature line");
	line += EM_DASH_LEN;
	len -= EM_DASH_LEN;
	const char *sp = memchr(line, ' ', len);
	if (!sp || !note_name_valid(line, (size_t)(sp - line)))
		return err_set(E_INVALID, "signature line has a bad key name");
	*name = line;
	*name_len = (size_t)(sp - line);
	if (note_unbase64(sp + 1, len - *name_len - 1, sig, SIG_BYTES + 1, sig_len) < 0 ||
	    *sig_len < 4)
		return err_set(E_INVALID, "signature line has a bad signature encoding");
	return 0;
}

int cosig_verify(const struct note_verifier *v, const char *text, size_t text_len,
		 const char *line, size_t line_len, uint64_t *timestamp)
{
	uint8_t sig[SIG_BYTES + 1];
	const char *name = NULL;
	size_t name_len = 0, sig_len = 0;
	struct buf msg;
	int rc;
	if ((rc = parse_line(line, line_len, &name, &name_len, sig, &sig_len)) < 0)
		return rc;
	uint32_t id = (uint32_t)sig[0] << 24 | (uint32_t)sig[1] << 16 |
		      (uint32_t)sig[2] << 8 | sig[3];
	if (name_len != strlen(v->name) || memcmp(name, v->name, name_len) != 0 ||
	    id != v->key_id)
		return err_set(E_NOTFOUND, "not a cosignature by '%s'", v->name);
	if (sig_len != SIG_BYTES)
		return err_set(E_INVALID, "cosignature by '%s' is %zu bytes, not %d",
			       v->name, sig_len, SIG_BYTES);
	uint64_t t = 0;
	for (int i = 0; i < 8; i++)
		t = t << 8 | sig[4 + i];
	buf_init(&msg, NOTE_MAX_LEN + 64);
	if ((rc = cosig_message(text, text_len, t, &msg)) == 0 &&
	    crypto_sign_verify_detached(sig + 12, (const unsigned char *)msg.ptr, msg.len,
					v->pub) != 0)
		rc = err_set(E_INVALID, "cosignature by '%s' does not verify", v->name);
	buf_release(&msg);
	if (rc == 0 && timestamp)
		*timestamp = t;
	return rc;
}

int cosig_sign(const char *name, const uint8_t sk[NOTE_SECKEY_LEN], const char *text,
	       size_t text_len, uint64_t timestamp, char **line)
{
	uint8_t sig[SIG_BYTES];
	struct buf msg;
	int rc;
	*line = NULL;
	if (!note_name_valid(name, strlen(name)))
		return err_set(E_INVALID, "bad witness name '%s'", name);
	uint32_t id = note_key_id_alg(name, NOTE_ALG_COSIGNATURE, sk + 32);
	for (int i = 0; i < 4; i++)
		sig[i] = (uint8_t)(id >> (24 - 8 * i));
	for (int i = 0; i < 8; i++)
		sig[4 + i] = (uint8_t)(timestamp >> (56 - 8 * i));
	buf_init(&msg, NOTE_MAX_LEN + 64);
	if ((rc = cosig_message(text, text_len, timestamp, &msg)) == 0) {
		crypto_sign_detached(sig + 12, NULL, (const unsigned char *)msg.ptr, msg.len,
				     sk);
		char *b64 = note_base64(sig, sizeof(sig));
		*line = xasprintf(EM_DASH "%s %s\n", name, b64);
		free(b64);
	}
	buf_release(&msg);
	return rc;
}

int cosig_request_body(uint64_t old, const struct merkle_proof *proof, const char *note,
		       size_t note_len, struct buf *out)
{
	int rc;
	buf_reset(out);
	if (proof->len > COSIG_MAX_PROOF)
		return err_set(E_INVALID, "a consistency proof of %zu hashes is too long",
			       proof->len);
	if ((rc = buf_addf(out, "old %llu\n", (unsigned long long)old)) < 0)
		return rc;
	for (size_t i = 0; i < proof->len && rc == 0; i++) {
		char *h = note_base64(proof->hash[i], MERKLE_HASH_LEN);
		rc = buf_addf(out, "%s\n", h);
		free(h);
	}
	if (rc == 0 && (rc = buf_addc(out, '\n')) == 0)
		rc = buf_add(out, note, note_len);
	return rc;
}

int cosig_find(const struct note_verifier *v, const char *text, size_t text_len,
	       const char *body, size_t len, size_t *off, size_t *line_len,
	       uint64_t *timestamp)
{
	size_t pos = 0;
	if (len > COSIG_RESPONSE_MAX)
		return err_set(E_INVALID, "the witness's answer is too long");
	while (pos < len) {
		const char *nl = memchr(body + pos, '\n', len - pos);
		if (!nl)
			return err_set(E_INVALID, "the witness's answer does not end in a "
						  "newline");
		size_t n = (size_t)(nl - (body + pos));
		int rc = cosig_verify(v, text, text_len, body + pos, n, timestamp);
		if (rc == 0) {
			*off = pos;
			*line_len = n;
			return 0;
		}
		if (rc != -E_NOTFOUND)
			return rc;
		pos += n + 1;
	}
	return err_set(E_NOTFOUND, "the witness's answer has no cosignature by '%s'",
		       v->name);
}

int cosig_parse_size(const char *body, size_t len, uint64_t *size)
{
	uint64_t v = 0;
	size_t i = 0;
	if (len >= 2 && body[len - 1] == '\n')
		len--;
	if (len == 0 || len > 19 || (len > 1 && body[0] == '0'))
		return err_set(E_INVALID, "the witness's size is not a decimal number");
	for (; i < len; i++) {
		if (body[i] < '0' || body[i] > '9')
			return err_set(E_INVALID, "the witness's size is not a decimal "
						  "number");
		v = v * 10 + (uint64_t)(body[i] - '0');
	}
	if (v >= MERKLE_MAX_SIZE)
		return err_set(E_INVALID, "the witness's size is out of range");
	*size = v;
	return 0;
}
