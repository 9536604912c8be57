/*
 * withdrawals.c — sending withdrawals from the hot wallet, each at most
 * once (see payd.h; DESIGN §5).
 *
 * The rule that makes "never twice" hold: before anything is sent, a
 * withdrawal is bound to one nonce of the hot wallet, and that is committed
 * (withdrawal_bind).  Every send of it, the first or a later one, uses that
 * nonce, and a chain mines at most one transaction per nonce: whatever
 * happens between a send and recording its hash (a crash, a timeout, a node
 * that forgets), at most one transfer for it can ever exist.  So a
 * processing withdrawal is
 *   - confirmed once its transaction has FELT_CONFIRMATIONS (status 1), or
 *     refunded (status 0: the transfer reverted, nothing moved);
 *   - when no transaction of it is known but its nonce is used on chain:
 *     the transaction that used the nonce is found (nonce.c) and, if it is
 *     this transfer, its hash recorded; if it is another one, this
 *     withdrawal was never sent and can never be mined: back to pending;
 *   - when its nonce is unused and nothing with it waits in the node's
 *     mempool: sent again, same nonce.
 * A pending withdrawal is sent only while no processing one waits to be
 * mined (nonces in order, without gaps).  One that would revert (the hot
 * wallet lacks USDC, the token refuses the address) fails before a nonce is
 * bound and is refunded at once.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "money/abi.h"
#include "money/payments.h"
#include "payd.h"

/* What a withdrawal looked at means for the pending ones behind it. */
enum { NEXT = 1,      /* nothing of it waits on chain: go on */
       WAITING = 2 }; /* a transaction of it waits to be mined: send no more */

#define NOTE_SIZE 384

static int node_failed(int rc)
{
	return rc == CHAIN_EUNAVAILABLE || rc == CHAIN_EHTTP ? PAYD_ENODE : PAYD_OK;
}

/* Record confirmations (or -1: unchanged) and the current error of w. */
static int note(struct payd *p, const struct payments_withdrawal *w, int64_t block,
		int64_t confirmations, const char *error)
{
	return payments_withdrawal_note(p->db, w->id, block, confirmations, error) == PAYMENTS_OK
		       ? PAYD_OK : PAYD_EDB;
}

/* The call data of w's transfer; -1 when its address is not one. */
static int transfer_data(const struct payments_withdrawal *w, char data[ABI_TRANSFER_CALL_SIZE])
{
	struct u256 amount;

	u256_from_ucents(&amount, w->amount_ucents);
	return abi_transfer_call(w->to, &amount, data) == ABI_OK ? 0 : -1;
}

/* Whether tx is exactly w's transfer. */
static int is_ours(const struct payd *p, const struct chain_tx *tx,
		   const struct payments_withdrawal *w)
{
	char to[EIP55_ADDRESS_SIZE];
	struct u256 amount, want;

	if (strcmp(tx->from, w->from) != 0 || strcmp(tx->to, p->settings->usdc_contract) != 0 ||
	    tx->nonce != (uint64_t)w->nonce ||
	    abi_parse_transfer_call(tx->input, to, &amount) != ABI_OK)
		return 0;
	u256_from_ucents(&want, w->amount_ucents);
	return strcmp(to, w->to) == 0 && u256_cmp(&amount, &want) == 0;
}

static int refund(struct payd *p, const struct payments_withdrawal *w, const char *why)
{
	if (payments_withdrawal_fail(p->db, w->id, why) != PAYMENTS_OK)
		return PAYD_EDB;
	p->failed++;
	log_event(LOG_WARN, "withdrawal_failed", "withdrawal=%s agent=%s ucents=%" PRId64,
		  w->id, w->agent_id, w->amount_ucents);
	return PAYD_OK;
}

/* Send processing withdrawal w with its nonce and record the hash. */
static int send(struct payd *p, const struct payments_withdrawal *w)
{
	char data[ABI_TRANSFER_CALL_SIZE], hash[CHAIN_HASH_SIZE], msg[NOTE_SIZE];
	struct chain_send tx = { w->from, p->settings->usdc_contract, data,
				 (uint64_t)w->gas, (uint64_t)w->nonce };
	int rc;

	if (transfer_data(w, data) != 0)
		return refund(p, w, "the wallet address is not a valid address; refunded");
	rc = chain_send_transaction(p->signer, &tx, hash);
	if (rc == CHAIN_OK && p->cfg->crash_after_send) {
		log_event(LOG_WARN, "test_crash", "withdrawal=%s tx=%s", w->id, hash);
		raise(SIGKILL);
	}
	if (rc == CHAIN_OK) {
		if (payments_withdrawal_sent(p->db, w->id, hash) != PAYMENTS_OK)
			return PAYD_EDB;
		p->sent++;
		log_event(LOG_INFO, "withdrawal_sent", "withdrawal=%s tx=%s nonce=%" PRId64
			  " ucents=%" PRId64, w->id, hash, w->nonce, w->amount_ucents);
		return PAYD_OK;
	}
	if (node_failed(rc)) {
		/* Maybe sent, maybe not: the next pass asks the chain by nonce. */
		note(p, w, -1, -1, "sending: the node did not answer; checking by nonce");
		return PAYD_ENODE;
	}
	/* "nonce too low", "already known": a transaction with this nonce
	 * exists and the next pass finds it.  Anything else (no gas money,
	 * signer locked) needs the operator; it is retried meanwhile. */
	snprintf(msg, sizeof msg, "the signer refused the transaction: %s",
		 chain_last_error(p->signer));
	payd_error(p, "withdrawal_send_refused", "withdrawal=%s nonce=%" PRId64, w->id, w->nonce);
	return note(p, w, -1, -1, msg);
}

/* w's transaction is mined: confirmations, then confirmed or refunded. */
static int settle(struct payd *p, const struct payments_withdrawal *w,
		  const struct chain_receipt *r)
{
	int64_t conf = payd_confirmations(p, r->block_number);
	char why[NOTE_SIZE];

	if (conf < p->settings->confirmations)
		return note(p, w, (int64_t)r->block_number, conf, NULL);
	if (r->status != 1) {
		snprintf(why, sizeof why, "the transfer reverted on chain (transaction %s): "
			 "nothing was sent; refunded", r->tx_hash);
		return refund(p, w, why);
	}
	if (payments_withdrawal_confirm(p->db, w->id, r->tx_hash, r->block_number, conf) !=
	    PAYMENTS_OK)
		return PAYD_EDB;
	p->confirmed++;
	log_event(LOG_INFO, "withdrawal_confirmed", "withdrawal=%s tx=%s agent=%s ucents=%" PRId64
		  " confirmations=%" PRId64, w->id, r->tx_hash, w->agent_id, w->amount_ucents, conf);
	return PAYD_OK;
}

/* w's nonce is used by a mined transaction: find it and adopt or release. */
static int adopt(struct payd *p, const struct payments_withdrawal *w)
{
	char why[NOTE_SIZE];
	struct chain_tx tx;
	int rc = payd_find_nonce(p, (uint64_t)w->nonce, (uint64_t)w->nonce_block, &tx);

	if (rc == CHAIN_ENOTFOUND) {
		snprintf(why, sizeof why, "nonce %" PRId64 " of the hot wallet is used on chain but "
			 "its transaction was not found after block %" PRId64 "; check the hot wallet",
			 w->nonce, w->nonce_block);
		payd_error(p, "withdrawal_nonce_lost", "withdrawal=%s nonce=%" PRId64, w->id, w->nonce);
		rc = note(p, w, -1, -1, why);
		return rc < 0 ? rc : WAITING;
	}
	if (rc != CHAIN_OK)
		return node_failed(rc) ? PAYD_ENODE : WAITING;
	if (is_ours(p, &tx, w)) {
		log_event(LOG_INFO, "withdrawal_found", "withdrawal=%s tx=%s nonce=%" PRId64,
			  w->id, tx.hash, w->nonce);
		rc = strcmp(tx.hash, w->tx_hash) == 0 ||
				     payments_withdrawal_sent(p->db, w->id, tx.hash) == PAYMENTS_OK
			     ? NEXT : PAYD_EDB;
	} else {
		snprintf(why, sizeof why, "nonce %" PRId64 " went to transaction %s, not to this "
			 "withdrawal, so it was never sent; it will be sent again", w->nonce, tx.hash);
		log_event(LOG_WARN, "withdrawal_released", "withdrawal=%s other_tx=%s nonce=%" PRId64,
			  w->id, tx.hash, w->nonce);
		rc = payments_withdrawal_release(p->db, w->id, why) == PAYMENTS_OK ? NEXT : PAYD_EDB;
	}
	chain_tx_free(&tx);
	return rc;
}

/* A processing withdrawal: where is its transaction? */
static int track(struct payd *p, const struct payments_withdrawal *w)
{
	struct chain_receipt r;
	uint64_t latest, pending;
	int rc;

	if (w->tx_hash[0]) {
		struct chain_tx tx;

		rc = chain_receipt(p->reader, w->tx_hash, &r);
		if (rc == CHAIN_OK) {
			rc = settle(p, w, &r);
			chain_receipt_free(&r);
			return rc < 0 ? rc : NEXT;
		}
		if (rc != CHAIN_ENOTFOUND)
			return node_failed(rc) ? PAYD_ENODE : WAITING;
		/* Not mined yet but known to the node: let it be mined (some
		 * nodes leave mempool transactions out of the "pending" count). */
		rc = chain_transaction(p->reader, w->tx_hash, &tx);
		if (rc == CHAIN_OK)
			chain_tx_free(&tx);
		if (rc == CHAIN_OK && !tx.mined)
			return WAITING;
		if (rc != CHAIN_OK && rc != CHAIN_ENOTFOUND)
			return node_failed(rc) ? PAYD_ENODE : WAITING;
	}
	if ((rc = chain_transaction_count(p->reader, w->from, "latest", &latest)) != CHAIN_OK)
		return node_failed(rc) ? PAYD_ENODE : WAITING;
	if (latest > (uint64_t)w->nonce)
		return adopt(p, w);
	if ((rc = chain_transaction_count(p->reader, w->from, "pending", &pending)) != CHAIN_OK)
		return node_failed(rc) ? PAYD_ENODE : WAITING;
	if (pending > (uint64_t)w->nonce)
		return WAITING; /* in the mempool: let it be mined */
	if (w->tx_hash[0])
		log_event(LOG_WARN, "withdrawal_resend", "withdrawal=%s lost_tx=%s nonce=%" PRId64,
			  w->id, w->tx_hash, w->nonce);
	rc = send(p, w);
	return rc < 0 ? rc : WAITING;
}

/* A pending withdrawal: check it would go through, bind a nonce, send. */
static int start(struct payd *p, const struct payments_withdrawal *w)
{
	const struct settings *s = p->settings;
	char data[ABI_TRANSFER_CALL_SIZE], why[NOTE_SIZE];
	struct payments_withdrawal bound;
	uint64_t gas, next;
	int64_t last = -1;
	int rc;

	if (transfer_data(w, data) != 0) {
		rc = refund(p, w, "the wallet address is not a valid address; refunded");
		return rc < 0 ? rc : NEXT;
	}
	rc = chain_estimate_gas(p->reader, s->hot_wallet_address, s->usdc_contract, data, &gas);
	if (rc == CHAIN_EREFUSED) {
		snprintf(why, sizeof why, "the transfer would revert (%s); refunded",
			 chain_last_error(p->reader));
		rc = refund(p, w, why);
		return rc < 0 ? rc : NEXT;
	}
	if (rc != CHAIN_OK)
		return node_failed(rc) ? PAYD_ENODE : WAITING;
	rc = chain_transaction_count(p->reader, s->hot_wallet_address, "pending", &next);
	if (rc != CHAIN_OK)
		return node_failed(rc) ? PAYD_ENODE : WAITING;
	if (payments_max_nonce(p->db, (uint64_t)s->chain_id, s->hot_wallet_address, &last) !=
	    PAYMENTS_OK)
		return PAYD_EDB;
	if (last >= 0 && (uint64_t)last >= next) {
		/* felt bound that nonce already: the node is behind (or was reset). */
		snprintf(why, sizeof why, "waiting: the node's next hot wallet nonce (%" PRIu64
			 ") is not past felt's last (%" PRId64 ")", next, last);
		rc = note(p, w, -1, -1, why);
		return rc < 0 ? rc : WAITING;
	}
	/* A margin over the estimate: the transfer's cost barely varies. */
	rc = payments_withdrawal_bind(p->db, w->id, (uint64_t)s->chain_id, s->usdc_contract,
				      s->hot_wallet_address, next, p->head, gas + gas / 4);
	if (rc == PAYMENTS_ESTATE)
		return WAITING; /* changed under us: look again next pass */
	if (rc != PAYMENTS_OK ||
	    payments_withdrawal_get(p->db, w->id, NULL, &bound) != PAYMENTS_OK)
		return PAYD_EDB;
	rc = send(p, &bound);
	return rc < 0 ? rc : WAITING;
}

int payd_withdrawals_pass(struct payd *p)
{
	struct payments_withdrawal *list;
	int rc = NEXT, waiting = 0;
	size_t n, i;

	if (payments_open_withdrawals(p->db, (int)p->cfg->batch, &list, &n) != PAYMENTS_OK)
		return PAYD_EDB;
	for (i = 0; i < n && rc >= 0; i++) {
		if (payd_stopping(p))
			rc = PAYD_ESTOP;
		else if (strcmp(list[i].status, "processing") == 0)
			rc = track(p, &list[i]);
		else if (!waiting)
			rc = start(p, &list[i]);
		if (rc == WAITING)
			waiting = 1;
	}
	free(list);
	return rc < 0 ? rc : PAYD_OK;
}
