/*
 * chain — the Ethereum JSON-RPC calls felt makes (Base, or any EVM chain),
 * typed and checked, on top of lib/money/rpc.
 *
 * Reads (chain id, head, receipts, transactions, blocks) go to the node at
 * FELT_CHAIN_RPC_URL; sends go through eth_sendTransaction to the node or
 * signer at FELT_SIGNER_RPC_URL, which holds the hot wallet's key (felt
 * never holds a private key).  Both URLs are secrets: a signer's URL
 * spends the hot wallet.  They are never logged or published.
 *
 * Answers are checked field by field (hashes are 32 bytes, addresses 20,
 * quantities hex) before anything is believed, so a broken or hostile node
 * gives CHAIN_EPROTOCOL, never a wrong number.  Hashes come out lowercase,
 * addresses EIP-55 checksummed.
 */
#ifndef FELT_CHAIN_H
#define FELT_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "money/eip55.h"
#include "money/rpc.h"

/* "0x" + 64 hex digits + NUL: transaction and block hashes, topics. */
#define CHAIN_HASH_SIZE 67
#define CHAIN_MAX_TOPICS 4    /* the EVM's LOG4 */
#define CHAIN_MAX_LOGS 4096   /* logs read from one receipt */

enum chain_error {
	CHAIN_OK = 0,
	CHAIN_EUNAVAILABLE = -1, /* node unreachable or overloaded: try later */
	CHAIN_EREFUSED = -2,     /* the node answered a JSON-RPC error */
	CHAIN_EPROTOCOL = -3,    /* the answer is malformed or inconsistent */
	CHAIN_ENOTFOUND = -4,    /* no such transaction, receipt or block (yet) */
	CHAIN_EARG = -5,         /* a malformed hash or address from the caller */
	CHAIN_ENOMEM = -6,
	CHAIN_EHTTP = -7,        /* HTTP error (401, 404...): check the URL */
};

/* Where the node is and how long to wait for it. */
struct chain_config {
	char rpc_url[RPC_URL_MAX];    /* FELT_CHAIN_RPC_URL; "" = no chain */
	char signer_url[RPC_URL_MAX]; /* FELT_SIGNER_RPC_URL; default rpc_url */
	struct rpc_options rpc;
	int64_t request_budget_ms;    /* felt-api: node time per request */
};

/* The variables with defaults and help (NULL-name terminated). */
extern const struct config_var chain_vars[];

/*
 * chain_config_load — read chain_vars into *cfg.  Returns CONFIG_OK or a
 * config_error with the variable's name in *bad (a URL that is not
 * http(s):// or too long is CONFIG_ERR_SYNTAX).
 */
int chain_config_load(struct chain_config *cfg, const char **bad);

/* One event log of a receipt. */
struct chain_log {
	char address[EIP55_ADDRESS_SIZE];    /* emitting contract */
	char topics[CHAIN_MAX_TOPICS][CHAIN_HASH_SIZE];
	size_t n_topics;
	char *data;                          /* "0x..." (malloc'd) */
	bool removed;                        /* dropped by a reorg */
};

struct chain_receipt {
	char tx_hash[CHAIN_HASH_SIZE];
	char block_hash[CHAIN_HASH_SIZE];
	uint64_t block_number;
	int status;                          /* 1 success, 0 reverted */
	char from[EIP55_ADDRESS_SIZE];
	char to[EIP55_ADDRESS_SIZE];         /* "" for a contract creation */
	struct chain_log *logs;              /* n_logs, malloc'd */
	size_t n_logs;
};

struct chain_tx {
	char hash[CHAIN_HASH_SIZE];
	char from[EIP55_ADDRESS_SIZE];
	char to[EIP55_ADDRESS_SIZE];         /* "" for a contract creation */
	uint64_t nonce;
	bool mined;                          /* false while in the mempool */
	uint64_t block_number;               /* when mined */
	char *input;                         /* call data "0x..." (malloc'd) */
};

/* What chain_send_transaction sends. */
struct chain_send {
	const char *from;                    /* the hot wallet */
	const char *to;                      /* the token contract */
	const char *data;                    /* call data */
	uint64_t gas;                        /* 0: let the signer choose */
	uint64_t nonce;
};

struct chain;

/*
 * chain_open — a client for url (cfg->rpc_url for reads, cfg->signer_url
 * for sends) with cfg's timeouts.  NULL when url is empty or out of
 * memory.  One per thread; free with chain_close.
 */
struct chain *chain_open(const char *url, const struct chain_config *cfg);

/* chain_close — free ch (NULL-safe). */
void chain_close(struct chain *ch);

/* chain_set_budget — see rpc_set_budget. */
void chain_set_budget(struct chain *ch, int64_t ms);

/* chain_last_error — human text of the last failure, owned by ch. */
const char *chain_last_error(const struct chain *ch);

/* chain_hash_normalize — a tx/block hash ("0x" + 64 hex, either case) in
 * lowercase into out.  CHAIN_EARG when malformed. */
int chain_hash_normalize(const char *in, char out[CHAIN_HASH_SIZE]);

/* eth_chainId into *out. */
int chain_chain_id(struct chain *ch, uint64_t *out);

/* eth_blockNumber (the head) into *out. */
int chain_block_number(struct chain *ch, uint64_t *out);

/*
 * eth_getTransactionCount of address at block_tag ("latest", "pending")
 * into *out: the next nonce as of that block.
 */
int chain_transaction_count(struct chain *ch, const char *address,
			    const char *block_tag, uint64_t *out);

/*
 * eth_getTransactionReceipt.  CHAIN_ENOTFOUND when the node has none (the
 * transaction is unknown or not mined yet).  On CHAIN_OK the caller frees
 * with chain_receipt_free.
 */
int chain_receipt(struct chain *ch, const char *tx_hash,
		  struct chain_receipt *out);
void chain_receipt_free(struct chain_receipt *r);

/*
 * eth_getTransactionByHash.  CHAIN_ENOTFOUND when the node does not know
 * it.  On CHAIN_OK the caller frees with chain_tx_free.
 */
int chain_transaction(struct chain *ch, const char *tx_hash,
		      struct chain_tx *out);
void chain_tx_free(struct chain_tx *tx);

/*
 * eth_getBlockByNumber(number, full): the block's transactions into a
 * malloc'd array *txs of *n (free with chain_txs_free).  CHAIN_ENOTFOUND
 * beyond the head.
 */
int chain_block_transactions(struct chain *ch, uint64_t number,
			     struct chain_tx **txs, size_t *n);
void chain_txs_free(struct chain_tx *txs, size_t n);

/*
 * eth_estimateGas of a call from -> to with data into *gas.
 * CHAIN_EREFUSED when the call would revert (chain_last_error says why).
 */
int chain_estimate_gas(struct chain *ch, const char *from, const char *to,
		       const char *data, uint64_t *gas);

/*
 * eth_sendTransaction of *tx, its hash into hash.  Never retried inside:
 * CHAIN_EUNAVAILABLE means the outcome is unknown (the node may have
 * received it); the caller finds out by nonce before sending again.
 */
int chain_send_transaction(struct chain *ch, const struct chain_send *tx,
			   char hash[CHAIN_HASH_SIZE]);

/* chain_strerror — static English text for a chain_error code. */
const char *chain_strerror(int err);

#endif
