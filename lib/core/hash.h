/*
 * hash — SHA-256 and hex encoding for libfelt.
 *
 * Used for API key hashes (only hashes are stored), migration checksums and
 * deck commitments.  A thin wrapper over OpenSSL's EVP interface so no caller
 * touches OpenSSL directly.  No state, thread-safe.
 */
#ifndef FELT_HASH_H
#define FELT_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HASH_SHA256_SIZE 32
#define HASH_SHA256_HEX_SIZE 65 /* 64 hex digits + NUL */

/*
 * hash_sha256 — SHA-256 of the n bytes at p into out.
 * p may be NULL when n is 0.  Never fails in practice; if OpenSSL reports an
 * error (out of memory) the process aborts, because a wrong hash is worse
 * than no process.
 */
void hash_sha256(const void *p, size_t n, uint8_t out[HASH_SHA256_SIZE]);

/*
 * hash_hex — lowercase hex of the n bytes at p, written to out, which must
 * hold 2n+1 bytes; out is NUL-terminated.
 */
void hash_hex(const uint8_t *p, size_t n, char *out);

/* hash_hex_value — the value (0..15) of hex digit c, either case; -1 for
 * any other character. */
int hash_hex_value(char c);

/* hash_is_hex — true when the n characters at s are all hex digits. */
bool hash_is_hex(const char *s, size_t n);

/*
 * hash_unhex — the n bytes written as exactly 2n hex digits (either case)
 * in hex, into out.  Returns false, out unspecified, for any other text.
 */
bool hash_unhex(const char *hex, uint8_t *out, size_t n);

/*
 * hash_sha256_hex — hex SHA-256 of the n bytes at p, NUL-terminated in out.
 * Convenience for the common "store the hash of this string" case.
 */
void hash_sha256_hex(const void *p, size_t n, char out[HASH_SHA256_HEX_SIZE]);

#endif
