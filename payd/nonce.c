/*
 * nonce.c — which mined transaction used a hot-wallet nonce (see payd.h).
 *
 * After a crash between sending a withdrawal and recording its hash, the
 * node knows the nonce is used but there is no call "transaction of this
 * sender with this nonce".  The block it was mined in is found by binary
 * search on the wallet's transaction count at past blocks (a count above
 * the nonce means the transaction is at or before that block), then that
 * block's transactions are read.  A node that keeps no state that old
 * refuses those calls; then the blocks are read one by one, at most
 * FELT_PAYD_SCAN_BLOCKS of them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "payd.h"

/* The hot wallet's transaction with nonce in block number, if any. */
static int in_block(struct payd *p, uint64_t number, uint64_t nonce,
		    struct chain_tx *out)
{
	struct chain_tx *txs;
	size_t n;
	int rc = chain_block_transactions(p->reader, number, &txs, &n);

	if (rc != CHAIN_OK)
		return rc;
	rc = CHAIN_ENOTFOUND;
	for (size_t i = 0; i < n; i++) {
		if (rc == CHAIN_ENOTFOUND && txs[i].nonce == nonce &&
		    strcmp(txs[i].from, p->settings->hot_wallet_address) == 0) {
			*out = txs[i];
			txs[i].input = NULL; /* now owned by out */
			rc = CHAIN_OK;
		}
	}
	chain_txs_free(txs, n);
	return rc;
}

/* Nonces used by the hot wallet as of block number. */
static int count_at(struct payd *p, uint64_t number, uint64_t *count)
{
	char tag[24];

	snprintf(tag, sizeof tag, "0x%" PRIx64, number);
	return chain_transaction_count(p->reader, p->settings->hot_wallet_address, tag, count);
}

/* Smallest block in (lo, hi] whose count is above nonce, knowing count(hi)
 * is and count(lo) is not. */
static int bisect(struct payd *p, uint64_t nonce, uint64_t lo, uint64_t hi,
		  uint64_t *block)
{
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2, count;
		int rc = count_at(p, mid, &count);

		if (rc != CHAIN_OK)
			return rc;
		if (count > nonce)
			hi = mid;
		else
			lo = mid;
	}
	*block = hi;
	return CHAIN_OK;
}

int payd_find_nonce(struct payd *p, uint64_t nonce, uint64_t from_block,
		    struct chain_tx *out)
{
	uint64_t lo = from_block, hi = p->head, count, block, last;
	int rc;

	memset(out, 0, sizeof *out);
	if (hi < lo)
		return CHAIN_ENOTFOUND;
	rc = count_at(p, lo, &count);
	if (rc == CHAIN_OK && count > nonce)
		lo = 0; /* used before it was bound to us: look further back */
	if (rc == CHAIN_OK && (rc = count_at(p, hi, &count)) == CHAIN_OK) {
		if (count <= nonce)
			return CHAIN_ENOTFOUND;
		if ((rc = bisect(p, nonce, lo, hi, &block)) == CHAIN_OK)
			return in_block(p, block, nonce, out);
	}
	if (rc == CHAIN_EUNAVAILABLE || rc == CHAIN_EHTTP)
		return rc;
	/* No historical state: read the blocks themselves. */
	log_event(LOG_INFO, "nonce_scan", "nonce=%" PRIu64 " from=%" PRIu64 " reason=\"%s\"",
		  nonce, from_block, chain_strerror(rc));
	last = hi - from_block >= (uint64_t)p->cfg->scan_blocks
		       ? from_block + (uint64_t)p->cfg->scan_blocks - 1 : hi;
	for (block = from_block; block <= last; block++) {
		if (payd_stopping(p))
			return CHAIN_EUNAVAILABLE;
		rc = in_block(p, block, nonce, out);
		if (rc != CHAIN_ENOTFOUND)
			return rc;
	}
	return CHAIN_ENOTFOUND;
}
