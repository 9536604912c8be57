/* keccak — the Keccak-256 sponge over nettle's Keccak-f[1600]. */
#include "money/keccak.h"

#include <string.h>

#include <nettle/sha3.h>

/* 1600-bit state minus 2 * 256-bit capacity. */
#define RATE 136

/* Lanes are little-endian 64-bit words (Keccak reference, FIPS 202 §B.1). */
static void xor_block(struct sha3_state *st, const uint8_t *block)
{
	for (size_t lane = 0; lane < RATE / 8; lane++) {
		uint64_t w = 0;

		for (int b = 7; b >= 0; b--)
			w = (w << 8) | block[lane * 8 + (size_t)b];
		st->a[lane] ^= w;
	}
}

void keccak256_padded(const void *data, size_t len, uint8_t pad,
		      uint8_t out[KECCAK256_DIGEST_SIZE])
{
	const uint8_t *p = data;
	struct sha3_state st;
	uint8_t last[RATE];

	memset(&st, 0, sizeof st);
	for (; len >= RATE; p += RATE, len -= RATE) {
		xor_block(&st, p);
		sha3_permute(&st);
	}
	/* pad10*1: the domain byte right after the data, 0x80 on the last
	 * byte of the block; they share a byte when only one is free. */
	memset(last, 0, sizeof last);
	if (len > 0)
		memcpy(last, p, len);
	last[len] ^= pad;
	last[RATE - 1] ^= 0x80;
	xor_block(&st, last);
	sha3_permute(&st);
	for (size_t i = 0; i < KECCAK256_DIGEST_SIZE; i++)
		out[i] = (uint8_t)(st.a[i / 8] >> (8 * (i % 8)));
}

void keccak256(const void *data, size_t len,
	       uint8_t out[KECCAK256_DIGEST_SIZE])
{
	keccak256_padded(data, len, KECCAK_PAD_KECCAK, out);
}
