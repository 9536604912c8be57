/* abi — ERC-20 transfer call data and Transfer logs.  See abi.h. */
#include "money/abi.h"

#include <string.h>
#include <strings.h>

#include "core/hash.h"
#include "money/keccak.h"

#define WORD_HEX 64
#define ADDRESS_HEX 40

void abi_selector(const char *signature, char out[ABI_SELECTOR_SIZE])
{
	uint8_t h[KECCAK256_DIGEST_SIZE];

	keccak256(signature, strlen(signature), h);
	out[0] = '0';
	out[1] = 'x';
	hash_hex(h, 4, out + 2);
}

void abi_topic(const char *signature, char out[ABI_WORD_SIZE])
{
	uint8_t h[KECCAK256_DIGEST_SIZE];

	keccak256(signature, strlen(signature), h);
	out[0] = '0';
	out[1] = 'x';
	hash_hex(h, KECCAK256_DIGEST_SIZE, out + 2);
}

/* 64 hex digits (no 0x) holding an address: 24 zero digits, then 40. */
static int word_digits_address(const char *w, char out[EIP55_ADDRESS_SIZE])
{
	char addr[EIP55_ADDRESS_SIZE];

	if (!hash_is_hex(w, WORD_HEX))
		return ABI_EMALFORMED;
	for (size_t i = 0; i < WORD_HEX - ADDRESS_HEX; i++)
		if (w[i] != '0')
			return ABI_EMALFORMED;
	addr[0] = '0';
	addr[1] = 'x';
	/* Lowercase first: a node may send mixed case that is no checksum. */
	for (size_t i = 0; i < ADDRESS_HEX; i++) {
		char c = w[WORD_HEX - ADDRESS_HEX + i];

		addr[2 + i] = (c >= 'A' && c <= 'F') ? (char)(c - 'A' + 'a') : c;
	}
	addr[EIP55_ADDRESS_SIZE - 1] = '\0';
	return eip55_normalize(addr, out) == EIP55_OK ? ABI_OK : ABI_EMALFORMED;
}

int abi_word_address(const char *word, char out[EIP55_ADDRESS_SIZE])
{
	if (word == NULL || strlen(word) != 2 + WORD_HEX || word[0] != '0' ||
	    word[1] != 'x')
		return ABI_EMALFORMED;
	return word_digits_address(word + 2, out);
}

int abi_transfer_call(const char *to, const struct u256 *amount,
		      char out[ABI_TRANSFER_CALL_SIZE])
{
	char addr[EIP55_ADDRESS_SIZE], word[U256_HEX_SIZE];
	char *p = out;

	if (eip55_normalize(to, addr) != EIP55_OK)
		return ABI_EADDRESS;
	memcpy(p, ABI_TRANSFER_SELECTOR, 10);
	p += 10;
	memset(p, '0', WORD_HEX - ADDRESS_HEX);
	p += WORD_HEX - ADDRESS_HEX;
	for (size_t i = 0; i < ADDRESS_HEX; i++) {
		char c = addr[2 + i];

		*p++ = (c >= 'A' && c <= 'F') ? (char)(c - 'A' + 'a') : c;
	}
	u256_to_hex(amount, word);
	memcpy(p, word + 2, WORD_HEX);
	p += WORD_HEX;
	*p = '\0';
	return ABI_OK;
}

int abi_parse_transfer_call(const char *data, char to[EIP55_ADDRESS_SIZE],
			    struct u256 *amount)
{
	size_t n = data ? strlen(data) : 0;
	char word[U256_HEX_SIZE] = "0x";

	if (n < 10 || strncasecmp(data, ABI_TRANSFER_SELECTOR, 10) != 0)
		return ABI_ENOTTRANSFER;
	if (n != ABI_TRANSFER_CALL_SIZE - 1 ||
	    word_digits_address(data + 10, to) != ABI_OK)
		return ABI_EMALFORMED;
	memcpy(word + 2, data + 10 + WORD_HEX, WORD_HEX);
	word[U256_HEX_SIZE - 1] = '\0';
	return u256_from_hex(word, U256_HEX_SIZE - 1, amount) == U256_OK
		       ? ABI_OK
		       : ABI_EMALFORMED;
}

int abi_parse_transfer_log(const char *const *topics, size_t n,
			   const char *data, char from[EIP55_ADDRESS_SIZE],
			   char to[EIP55_ADDRESS_SIZE], struct u256 *amount)
{
	if (n == 0 || topics[0] == NULL ||
	    strcasecmp(topics[0], ABI_TRANSFER_TOPIC) != 0)
		return ABI_ENOTTRANSFER;
	/* ERC-721 shares the signature but indexes the token id (4 topics). */
	if (n != 3 || data == NULL || strlen(data) != 2 + WORD_HEX ||
	    data[0] != '0' || data[1] != 'x' || !hash_is_hex(data + 2, WORD_HEX))
		return ABI_EMALFORMED;
	if (abi_word_address(topics[1], from) != ABI_OK ||
	    abi_word_address(topics[2], to) != ABI_OK)
		return ABI_EMALFORMED;
	return u256_from_hex(data, 2 + WORD_HEX, amount) == U256_OK
		       ? ABI_OK
		       : ABI_EMALFORMED;
}

const char *abi_strerror(int err)
{
	switch (err) {
	case ABI_OK: return "ok";
	case ABI_EADDRESS: return "not a valid address";
	case ABI_ENOTTRANSFER: return "not an ERC-20 transfer";
	case ABI_EMALFORMED: return "malformed ERC-20 transfer encoding";
	}
	return "unknown abi error";
}
