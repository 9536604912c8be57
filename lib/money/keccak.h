/*
 * keccak — Keccak-256 as Ethereum uses it (original Keccak padding 0x01,
 * not the FIPS 202 SHA3-256 padding 0x06), for EIP-55 address checksums
 * and event topics.
 *
 * Why not a library digest: OpenSSL 3.0 (Debian 12) has no KECCAK-256 and
 * libgcrypt 1.10 only SHA3/SHAKE. nettle exports its maintained
 * Keccak-f[1600] permutation (nettle_sha3_permute); this module is only the
 * sponge around it (absorb at rate 136, pad, squeeze 32 bytes).
 */
#ifndef FELT_KECCAK_H
#define FELT_KECCAK_H

#include <stddef.h>
#include <stdint.h>

#define KECCAK256_DIGEST_SIZE 32

/* Domain/padding first byte: Keccak as submitted (Ethereum) and FIPS 202. */
#define KECCAK_PAD_KECCAK 0x01
#define KECCAK_PAD_SHA3   0x06

/*
 * The 256-bit sponge over len bytes of data with the given padding byte
 * (KECCAK_PAD_KECCAK or KECCAK_PAD_SHA3), writing 32 bytes to out.
 * KECCAK_PAD_SHA3 exists so tests can check the sponge against nettle's
 * sha3_256 on every block boundary. Cannot fail.
 */
void keccak256_padded(const void *data, size_t len, uint8_t pad,
		      uint8_t out[KECCAK256_DIGEST_SIZE]);

/* Ethereum's Keccak-256 of len bytes of data into out. Cannot fail. */
void keccak256(const void *data, size_t len,
	       uint8_t out[KECCAK256_DIGEST_SIZE]);

#endif
