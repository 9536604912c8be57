/*
 * abi — the two pieces of the Solidity ABI felt speaks: the ERC-20 call
 * transfer(address,uint256) it sends for withdrawals, and the
 * Transfer(address,address,uint256) event it reads in deposit receipts.
 *
 * Everything is hex text as JSON-RPC carries it ("0x..."): call data,
 * topics, log data.  Selectors and topics are Keccak-256 of the canonical
 * signature (lib/money/keccak), computed here and checked against the
 * published constants by the unit test.  Addresses come out EIP-55
 * checksummed (lib/money/eip55); amounts are exact u256 (lib/money/u256).
 * Pure: no allocation, no state.
 */
#ifndef FELT_ABI_H
#define FELT_ABI_H

#include <stddef.h>

#include "money/eip55.h"
#include "money/u256.h"

/* keccak256("Transfer(address,address,uint256)"), topic 0 of the event. */
#define ABI_TRANSFER_TOPIC \
	"0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"
/* First 4 bytes of keccak256("transfer(address,uint256)"). */
#define ABI_TRANSFER_SELECTOR "0xa9059cbb"

/* "0x" + 8 hex selector + two 64-hex words + NUL. */
#define ABI_TRANSFER_CALL_SIZE (2 + 8 + 64 + 64 + 1)
/* "0x" + 8 hex digits + NUL. */
#define ABI_SELECTOR_SIZE 11
/* A 32-byte word / topic / hash as hex: "0x" + 64 + NUL. */
#define ABI_WORD_SIZE 67

enum abi_error {
	ABI_OK = 0,
	ABI_EADDRESS = -1,     /* not a valid address */
	ABI_ENOTTRANSFER = -2, /* a call or log of something else */
	ABI_EMALFORMED = -3,   /* right selector/topic, wrong shape */
};

/* abi_selector — "0x" + the 4-byte selector of a function signature such
 * as "transfer(address,uint256)" into out. */
void abi_selector(const char *signature, char out[ABI_SELECTOR_SIZE]);

/* abi_topic — "0x" + keccak256 of an event signature such as
 * "Transfer(address,address,uint256)" into out. */
void abi_topic(const char *signature, char out[ABI_WORD_SIZE]);

/*
 * abi_transfer_call — the call data of transfer(to, amount) into out.
 * ABI_EADDRESS when to is not an address eip55_normalize accepts.
 */
int abi_transfer_call(const char *to, const struct u256 *amount,
		      char out[ABI_TRANSFER_CALL_SIZE]);

/*
 * abi_parse_transfer_call — read call data back: ABI_ENOTTRANSFER for
 * another selector, ABI_EMALFORMED for a transfer with the wrong length or
 * an address word with high bytes set.  to is written checksummed.
 */
int abi_parse_transfer_call(const char *data, char to[EIP55_ADDRESS_SIZE],
			    struct u256 *amount);

/*
 * abi_parse_transfer_log — decode an ERC-20 Transfer event from its n
 * topics (hex words) and data (hex): from = topics[1], to = topics[2],
 * amount = data.  ABI_ENOTTRANSFER when topics[0] is not
 * ABI_TRANSFER_TOPIC (or there are none); ABI_EMALFORMED when it is but
 * the topic count is not 3 (e.g. an ERC-721 Transfer has 4), the data is
 * not one word, or an address word has high bytes set.
 */
int abi_parse_transfer_log(const char *const *topics, size_t n,
			   const char *data, char from[EIP55_ADDRESS_SIZE],
			   char to[EIP55_ADDRESS_SIZE], struct u256 *amount);

/*
 * abi_word_address — the address in a 32-byte word (hex, 12 zero bytes then
 * 20 address bytes), checksummed into out.  ABI_EMALFORMED otherwise.
 */
int abi_word_address(const char *word, char out[EIP55_ADDRESS_SIZE]);

/* abi_strerror — static English text for an abi_error code. */
const char *abi_strerror(int err);

#endif
