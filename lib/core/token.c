/* token — random keys and tokens from getrandom(2).  See token.h. */
#include "core/token.h"

#include "core/hash.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>

#define KEY_BYTES 32
#define OP_PREFIX "op_live_"
#define MPK_PREFIX "mpk_"
#define OP_BODY_LEN 43  /* ceil(256 / log2(62)) */
#define MPK_BODY_LEN 64

static const char base62[] =
	"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
static const char base64url[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const char *token_strerror(int err)
{
	switch (err) {
	case TOKEN_OK: return "ok";
	case TOKEN_ERR_RANDOM: return "no randomness available (getrandom failed)";
	case TOKEN_ERR_ARG: return "bad argument";
	}
	return "unknown token error";
}

int token_random(void *buf, size_t n)
{
	uint8_t *p = buf;

	if (!buf && n)
		return TOKEN_ERR_ARG;
	while (n > 0) {
		ssize_t got = getrandom(p, n, 0);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			return TOKEN_ERR_RANDOM;
		}
		p += got;
		n -= (size_t)got;
	}
	return TOKEN_OK;
}

/*
 * Base62 of a 32-byte big-endian number, always OP_BODY_LEN digits (zero
 * padded) so every key has the same length whatever the random value.
 * Repeated division of the byte array by 62; 43 rounds of 32 bytes is cheap.
 */
static void encode_base62(const uint8_t in[KEY_BYTES], char out[OP_BODY_LEN])
{
	uint8_t num[KEY_BYTES];

	memcpy(num, in, sizeof num);
	for (int pos = OP_BODY_LEN - 1; pos >= 0; pos--) {
		unsigned rem = 0;

		for (size_t i = 0; i < sizeof num; i++) {
			unsigned cur = rem * 256 + num[i];

			num[i] = (uint8_t)(cur / 62);
			rem = cur % 62;
		}
		out[pos] = base62[rem];
	}
}

int token_api_key_op(char out[TOKEN_OP_KEY_SIZE])
{
	uint8_t raw[KEY_BYTES];
	int rc = token_random(raw, sizeof raw);

	if (rc != TOKEN_OK)
		return rc;
	memcpy(out, OP_PREFIX, strlen(OP_PREFIX));
	encode_base62(raw, out + strlen(OP_PREFIX));
	out[TOKEN_OP_KEY_SIZE - 1] = '\0';
	return TOKEN_OK;
}

int token_api_key_mpk(char out[TOKEN_MPK_KEY_SIZE])
{
	uint8_t raw[KEY_BYTES];
	int rc = token_random(raw, sizeof raw);

	if (rc != TOKEN_OK)
		return rc;
	memcpy(out, MPK_PREFIX, strlen(MPK_PREFIX));
	hash_hex(raw, sizeof raw, out + strlen(MPK_PREFIX));
	return TOKEN_OK;
}

int token_session(char out[TOKEN_SESSION_SIZE])
{
	uint8_t raw[KEY_BYTES + 1]; /* one spare byte: 33 bytes = 44 sextets */
	int rc = token_random(raw, KEY_BYTES);

	if (rc != TOKEN_OK)
		return rc;
	raw[KEY_BYTES] = 0;
	/* 32 bytes = 256 bits = 42 full sextets + 4 bits: 43 characters. */
	for (int i = 0, bit = 0; i < TOKEN_SESSION_SIZE - 1; i++, bit += 6) {
		int byte = bit / 8, shift = bit % 8;
		unsigned v = ((unsigned)raw[byte] << 8 | raw[byte + 1]) >> (10 - shift);

		out[i] = base64url[v & 63];
	}
	out[TOKEN_SESSION_SIZE - 1] = '\0';
	return TOKEN_OK;
}

void token_key_hash(const char *key, char out[TOKEN_HASH_SIZE])
{
	hash_sha256_hex(key, strlen(key), out);
}

void token_key_prefix(const char *key, char out[TOKEN_PREFIX_SIZE])
{
	size_t n = strnlen(key, TOKEN_PREFIX_LEN);

	memcpy(out, key, n);
	out[n] = '\0';
}

static bool all_in(const char *s, size_t n, const char *alphabet)
{
	for (size_t i = 0; i < n; i++)
		if (!s[i] || !strchr(alphabet, s[i]))
			return false;
	return true;
}

bool token_looks_like_key(const char *s)
{
	size_t len;

	if (!s)
		return false;
	len = strnlen(s, TOKEN_MAX_KEY_LEN + 1);
	if (len == strlen(OP_PREFIX) + OP_BODY_LEN &&
	    strncmp(s, OP_PREFIX, strlen(OP_PREFIX)) == 0)
		return all_in(s + strlen(OP_PREFIX), OP_BODY_LEN, base62);
	if (len == strlen(MPK_PREFIX) + MPK_BODY_LEN &&
	    strncmp(s, MPK_PREFIX, strlen(MPK_PREFIX)) == 0)
		return all_in(s + strlen(MPK_PREFIX), MPK_BODY_LEN,
			      "0123456789abcdef");
	return false;
}

bool token_equal(const char *a, const char *b)
{
	size_t la, lb;
	unsigned diff;

	if (!a || !b)
		return false;
	la = strlen(a);
	lb = strlen(b);
	diff = la != lb;
	/* Compare over the expected length whatever the inputs, so timing
	 * does not reveal how long a matching prefix is. */
	for (size_t i = 0; i < lb; i++)
		diff |= (unsigned char)(i < la ? a[i] : 0) ^ (unsigned char)b[i];
	return diff == 0;
}
