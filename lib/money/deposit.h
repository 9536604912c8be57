/*
 * deposit — what a transaction receipt proves about a USDC deposit
 * (DESIGN §6): the rule felt-api applies when an agent submits a hash and
 * felt-payd applies again before crediting a deposit that was waiting for
 * confirmations.
 *
 * A receipt is a deposit by an agent when the transaction succeeded
 * (status 1) and it holds at least one ERC-20 Transfer log emitted by the
 * configured USDC contract, to the platform's deposit address, from the
 * agent's registered wallet.  Several such logs add up.  Transfers of
 * other tokens, to other addresses or from other senders are not the
 * agent's deposit and count for nothing.  The amount is exact (u256) and
 * becomes whole ucents; the part below one ucent is reported, never
 * credited.
 *
 * Pure: no I/O; the caller fetched the receipt (lib/money/chain).
 */
#ifndef FELT_DEPOSIT_H
#define FELT_DEPOSIT_H

#include <stddef.h>
#include <stdint.h>

#include "money/chain.h"
#include "money/eip55.h"
#include "money/u256.h"

enum deposit_error {
	DEPOSIT_OK = 0,
	DEPOSIT_EREVERTED = -1,    /* the transaction failed (status 0) */
	DEPOSIT_ENOTRANSFER = -2,  /* no token transfer to the deposit address */
	DEPOSIT_EWRONGTOKEN = -3,  /* tokens to the deposit address, none USDC */
	DEPOSIT_EWRONGSENDER = -4, /* USDC to the deposit address, not from the wallet */
	DEPOSIT_ETOOSMALL = -5,    /* less than one ucent */
	DEPOSIT_ETOOLARGE = -6,    /* more ucents than int64 holds */
	DEPOSIT_EMALFORMED = -7,   /* a USDC Transfer log that does not decode */
};

/* What the receipt is checked against; all addresses EIP-55 checksummed. */
struct deposit_rules {
	const char *token;           /* the USDC contract */
	const char *deposit_address; /* where agents send USDC */
	const char *wallet;          /* the agent's registered wallet */
};

/* What was found. */
struct deposit_found {
	struct u256 base_units;      /* sum of the matching transfers */
	int64_t ucents;              /* base_units / 100 */
	unsigned remainder;          /* base_units % 100, not credited */
	size_t transfers;            /* matching Transfer logs */
	/* for the messages: a token or sender that was seen instead */
	char seen[EIP55_ADDRESS_SIZE];
};

/*
 * deposit_check — apply the rule to r.  Returns DEPOSIT_OK with *out
 * filled, or a negative deposit_error (*out then holds what helps explain
 * it: seen).  DEPOSIT_EMALFORMED means the configured token emitted
 * something that is not a valid Transfer: a node or configuration
 * problem, not the agent's.
 */
int deposit_check(const struct chain_receipt *r,
		  const struct deposit_rules *rules, struct deposit_found *out);

/*
 * deposit_describe — a sentence for the agent explaining err (from
 * deposit_check with rules and f) into buf (size n), e.g. "USDC was sent
 * from 0x..., not from your registered wallet 0x...".  Returns buf.
 */
const char *deposit_describe(int err, const struct deposit_rules *rules,
			     const struct deposit_found *f, char *buf, size_t n);

#endif
