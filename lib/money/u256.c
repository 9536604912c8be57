/* u256 — 256-bit unsigned amounts as 32 big-endian bytes.  See u256.h. */
#include "money/u256.h"

#include <string.h>

#include "core/hash.h"

void u256_from_u64(struct u256 *out, uint64_t v)
{
	memset(out->b, 0, U256_BYTES);
	for (int i = 0; i < 8; i++)
		out->b[U256_BYTES - 1 - i] = (uint8_t)(v >> (8 * i));
}

int u256_from_hex(const char *hex, size_t len, struct u256 *out)
{
	struct u256 v;
	size_t digits;

	if (hex == NULL || len < 3 || hex[0] != '0' ||
	    (hex[1] != 'x' && hex[1] != 'X'))
		return U256_ESYNTAX;
	digits = len - 2;
	if (digits > 2 * U256_BYTES)
		return U256_ESYNTAX;
	memset(v.b, 0, U256_BYTES);
	/* Fill from the least significant nibble. */
	for (size_t i = 0; i < digits; i++) {
		int nib = hash_hex_value(hex[len - 1 - i]);
		size_t byte = U256_BYTES - 1 - i / 2;

		if (nib < 0)
			return U256_ESYNTAX;
		v.b[byte] |= (uint8_t)(i % 2 ? nib << 4 : nib);
	}
	*out = v;
	return U256_OK;
}

void u256_to_hex(const struct u256 *v, char out[U256_HEX_SIZE])
{
	out[0] = '0';
	out[1] = 'x';
	hash_hex(v->b, U256_BYTES, out + 2);
}

int u256_is_zero(const struct u256 *v)
{
	for (int i = 0; i < U256_BYTES; i++)
		if (v->b[i])
			return 0;
	return 1;
}

void u256_to_dec(const struct u256 *v, char out[U256_DEC_SIZE])
{
	char rev[U256_DEC_SIZE];
	struct u256 q = *v;
	size_t n = 0;

	do {
		unsigned r;

		u256_divmod_small(&q, 10, &q, &r);
		rev[n++] = (char)('0' + r);
	} while (!u256_is_zero(&q));
	for (size_t i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	out[n] = '\0';
}

int u256_cmp(const struct u256 *a, const struct u256 *b)
{
	return memcmp(a->b, b->b, U256_BYTES);
}

int u256_add(const struct u256 *a, const struct u256 *b, struct u256 *out)
{
	struct u256 sum;
	unsigned carry = 0;

	for (int i = U256_BYTES - 1; i >= 0; i--) {
		unsigned s = (unsigned)a->b[i] + b->b[i] + carry;

		sum.b[i] = (uint8_t)s;
		carry = s >> 8;
	}
	if (carry)
		return U256_EOVERFLOW;
	*out = sum;
	return U256_OK;
}

void u256_divmod_small(const struct u256 *a, unsigned d, struct u256 *q,
		       unsigned *r)
{
	struct u256 out;
	uint32_t rem = 0;

	/* Schoolbook division one byte at a time: rem < d <= 65535, so
	 * rem * 256 + byte stays far inside 32 bits. */
	for (int i = 0; i < U256_BYTES; i++) {
		uint32_t cur = rem * 256 + a->b[i];

		out.b[i] = (uint8_t)(cur / d);
		rem = cur % d;
	}
	*q = out;
	if (r)
		*r = (unsigned)rem;
}

int u256_to_u64(const struct u256 *a, uint64_t *out)
{
	uint64_t v = 0;

	for (int i = 0; i < U256_BYTES - 8; i++)
		if (a->b[i])
			return U256_ERANGE;
	for (int i = U256_BYTES - 8; i < U256_BYTES; i++)
		v = v << 8 | a->b[i];
	*out = v;
	return U256_OK;
}

int u256_to_ucents(const struct u256 *base_units, int64_t *ucents,
		   unsigned *remainder)
{
	struct u256 q;
	uint64_t v;
	unsigned r;

	u256_divmod_small(base_units, U256_BASE_UNITS_PER_UCENT, &q, &r);
	if (u256_to_u64(&q, &v) != U256_OK || v > (uint64_t)INT64_MAX)
		return U256_ERANGE;
	*ucents = (int64_t)v;
	if (remainder)
		*remainder = r;
	return U256_OK;
}

void u256_from_ucents(struct u256 *out, int64_t ucents)
{
	struct u256 v;
	unsigned carry = 0;

	/* (ucents < 2^63) * 100 < 2^70: multiply byte-wise. */
	u256_from_u64(&v, ucents < 0 ? 0 : (uint64_t)ucents);
	for (int i = U256_BYTES - 1; i >= 0; i--) {
		unsigned p = v.b[i] * U256_BASE_UNITS_PER_UCENT + carry;

		v.b[i] = (uint8_t)p;
		carry = p >> 8;
	}
	*out = v;
}

const char *u256_strerror(int err)
{
	switch (err) {
	case U256_OK: return "ok";
	case U256_ESYNTAX: return "not 0x followed by 1 to 64 hex digits";
	case U256_EOVERFLOW: return "sum exceeds 2^256 - 1";
	case U256_ERANGE: return "amount too large";
	}
	return "unknown u256 error";
}
