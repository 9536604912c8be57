/* hash — SHA-256 through OpenSSL EVP, and hex encoding.  See hash.h. */
#include "core/hash.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

void hash_sha256(const void *p, size_t n, uint8_t out[HASH_SHA256_SIZE])
{
	unsigned int len = 0;

	/* EVP_Digest only fails on allocation failure or a broken provider;
	 * continuing with an unset hash would store garbage as a key hash. */
	if (EVP_Digest(n ? p : "", n, out, &len, EVP_sha256(), NULL) != 1 ||
	    len != HASH_SHA256_SIZE)
		abort();
}

void hash_hex(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

int hash_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool hash_is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (hash_hex_value(s[i]) < 0)
			return false;
	return true;
}

bool hash_unhex(const char *hex, uint8_t *out, size_t n)
{
	if (!hex || strlen(hex) != 2 * n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int hi = hash_hex_value(hex[2 * i]), lo = hash_hex_value(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

void hash_sha256_hex(const void *p, size_t n, char out[HASH_SHA256_HEX_SIZE])
{
	uint8_t md[HASH_SHA256_SIZE];

	hash_sha256(p, n, md);
	hash_hex(md, sizeof md, out);
}
