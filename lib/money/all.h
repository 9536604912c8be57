/*
 * lib/money — money in felt: integer ucents (1 USD = 10,000) everywhere,
 * dollars only on the wire, every movement a balanced txn in the
 * PostgreSQL ledger (DESIGN §2).
 *
 *   money.h     dollars on the wire <-> int64 ucents, exactly
 *   ledger.h    posting balanced txns and reading accounts, from C; sealing
 *   seal.h      the recipe of the ledger's hash chain (txn text, hashes, digests)
 *   audit.h     the ledger against its seals and balances, from the raw rows
 *   settings.h  the published platform rules: chain, limits, lobby, rake
 *   settle.h    a finished hand in money: the hand and rake txns' legs
 *               (pure; the daemon posts them)
 *   keccak.h    Keccak-256 as Ethereum uses it
 *   eip55.h     Ethereum (Base) addresses and their EIP-55 checksum form
 *   u256.h      exact 256-bit token amounts, USDC base units <-> ucents
 *   abi.h       ERC-20 transfer() call data and Transfer event logs
 *   rpc.h       JSON-RPC 2.0 over libcurl: timeouts, budget, retries
 *   chain.h     the eth_* calls felt makes, answers checked
 *   deposit.h   what a receipt proves about an agent's USDC deposit
 *   payments.h  deposits and withdrawals in PostgreSQL, from C
 */
#ifndef FELT_MONEY_ALL_H
#define FELT_MONEY_ALL_H

#include "money/abi.h"
#include "money/audit.h"
#include "money/chain.h"
#include "money/deposit.h"
#include "money/eip55.h"
#include "money/keccak.h"
#include "money/ledger.h"
#include "money/money.h"
#include "money/payments.h"
#include "money/rpc.h"
#include "money/seal.h"
#include "money/settings.h"
#include "money/settle.h"
#include "money/u256.h"

#endif
