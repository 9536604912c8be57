/*
 * u256 — the EVM's unsigned 256-bit integers, exactly, for token amounts.
 *
 * An ERC-20 amount is a uint256: a deposit log may carry any value up to
 * 2^256 - 1, far beyond int64.  felt keeps such a value as 32 big-endian
 * bytes (the ABI's own layout) and only ever converts it to ucents through
 * u256_to_ucents, which refuses what does not fit instead of wrapping.
 *
 * USDC has 6 decimals, felt's ucent is 10^-4 dollar: 1 ucent = 100 base
 * units.  A deposit of base units b is credited b / 100 ucents; the
 * remainder b % 100 (less than a ucent) is reported so the caller can
 * record it (it is never credited).
 *
 * Pure: no allocation, no state.  Every operation is byte-wise long
 * arithmetic, small and obviously exact.
 */
#ifndef FELT_U256_H
#define FELT_U256_H

#include <stddef.h>
#include <stdint.h>

#define U256_BYTES 32
/* "0x" + 64 hex digits + NUL. */
#define U256_HEX_SIZE 67
/* Up to 78 decimal digits + NUL. */
#define U256_DEC_SIZE 80
/* USDC base units (10^-6 dollar) in one ucent (10^-4 dollar). */
#define U256_BASE_UNITS_PER_UCENT 100

enum u256_error {
	U256_OK = 0,
	U256_ESYNTAX = -1,   /* not 0x followed by 1..64 hex digits */
	U256_EOVERFLOW = -2, /* the result does not fit 256 bits */
	U256_ERANGE = -3,    /* does not fit the int64 it is converted to */
};

/* Big-endian: b[0] is the most significant byte. */
struct u256 {
	uint8_t b[U256_BYTES];
};

/* u256_from_u64 — v as a u256. */
void u256_from_u64(struct u256 *out, uint64_t v);

/*
 * u256_from_hex — parse "0x" followed by 1..64 hex digits (either case;
 * the JSON-RPC form of a quantity or a 32-byte ABI word) of len bytes.
 * Returns U256_OK or U256_ESYNTAX; out is written only on success.
 */
int u256_from_hex(const char *hex, size_t len, struct u256 *out);

/* u256_to_hex — "0x" + 64 lowercase hex digits (an ABI word) into out. */
void u256_to_hex(const struct u256 *v, char out[U256_HEX_SIZE]);

/* u256_to_dec — the decimal form ("0", "1000000") into out. */
void u256_to_dec(const struct u256 *v, char out[U256_DEC_SIZE]);

/* u256_is_zero — 1 when v is 0. */
int u256_is_zero(const struct u256 *v);

/* u256_cmp — <0, 0 or >0 as a is below, equal to or above b. */
int u256_cmp(const struct u256 *a, const struct u256 *b);

/* u256_add — *out = a + b; U256_EOVERFLOW (out unchanged) past 2^256-1.
 * out may alias a or b. */
int u256_add(const struct u256 *a, const struct u256 *b, struct u256 *out);

/*
 * u256_divmod_small — *q = a / d and *r = a % d for 1 <= d <= 65535.
 * q may alias a; r may be NULL.
 */
void u256_divmod_small(const struct u256 *a, unsigned d, struct u256 *q,
		       unsigned *r);

/*
 * u256_to_u64 — a into *out when it fits 64 bits, else U256_ERANGE.
 */
int u256_to_u64(const struct u256 *a, uint64_t *out);

/*
 * u256_to_ucents — USDC base units into whole ucents (*ucents) and the
 * base units left over below one ucent (*remainder, 0..99; may be NULL).
 * U256_ERANGE when the ucents exceed INT64_MAX (nothing written): an
 * amount is refused, never wrapped.
 */
int u256_to_ucents(const struct u256 *base_units, int64_t *ucents,
		   unsigned *remainder);

/* u256_from_ucents — ucents (>= 0) as USDC base units; cannot overflow. */
void u256_from_ucents(struct u256 *out, int64_t ucents);

/* u256_strerror — static English text for a u256_error code. */
const char *u256_strerror(int err);

#endif
