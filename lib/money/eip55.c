/* eip55 — see eip55.h; the checksum rule is EIP-55 as published. */
#include "money/eip55.h"

#include <string.h>

#include "core/hash.h"
#include "money/keccak.h"

#define HEX_DIGITS 40

int eip55_normalize(const char *in, char out[EIP55_ADDRESS_SIZE])
{
	char lower[HEX_DIGITS];
	char sum[EIP55_ADDRESS_SIZE];
	uint8_t hash[KECCAK256_DIGEST_SIZE];
	int has_lower = 0, has_upper = 0;

	if (in == NULL || strlen(in) != 2 + HEX_DIGITS || in[0] != '0' ||
	    in[1] != 'x')
		return EIP55_EFORMAT;
	for (size_t i = 0; i < HEX_DIGITS; i++) {
		char c = in[2 + i];
		int v = hash_hex_value(c);

		if (v < 0)
			return EIP55_EHEX;
		has_lower |= (c >= 'a' && c <= 'f');
		has_upper |= (c >= 'A' && c <= 'F');
		lower[i] = "0123456789abcdef"[v];
	}
	/* The checksum hashes the lowercase hex text, not the 20 bytes. */
	keccak256(lower, HEX_DIGITS, hash);
	sum[0] = '0';
	sum[1] = 'x';
	for (size_t i = 0; i < HEX_DIGITS; i++) {
		unsigned nibble = (hash[i / 2] >> (i % 2 ? 0 : 4)) & 0xf;
		char c = lower[i];

		if (c >= 'a' && nibble >= 8)
			c = (char)(c - 'a' + 'A');
		sum[2 + i] = c;
	}
	sum[EIP55_ADDRESS_SIZE - 1] = '\0';
	if (has_lower && has_upper && memcmp(sum, in, 2 + HEX_DIGITS) != 0)
		return EIP55_ECHECKSUM;
	memcpy(out, sum, EIP55_ADDRESS_SIZE);
	return EIP55_OK;
}

const char *eip55_strerror(int err)
{
	switch (err) {
	case EIP55_OK:
		return "ok";
	case EIP55_EFORMAT:
		return "must be 0x followed by 40 hex digits";
	case EIP55_EHEX:
		return "contains a character that is not a hex digit";
	case EIP55_ECHECKSUM:
		return "mixed-case address with a wrong EIP-55 checksum";
	}
	return "unknown eip55 error";
}
