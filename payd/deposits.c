/*
 * deposits.c — credit pending deposits once they have enough
 * confirmations (see payd.h).
 *
 * felt-api recorded each of them after checking its receipt; before
 * crediting, the receipt is read and judged again (lib/money/deposit),
 * because a reorg may have moved the transaction to another block, or
 * undone it.  A transaction the node no longer knows stays pending (it may
 * come back); one that now fails the rule is rejected, never credited.
 * Crediting is deposit_observe(), which credits once and only a pending
 * deposit, so a pass interrupted anywhere can simply run again.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "money/deposit.h"
#include "money/payments.h"
#include "payd.h"

/* The deposit passes the rule: record what is seen; credited at enough
 * confirmations. */
static int credit(struct payd *p, const struct payments_deposit *d,
		  const struct deposit_found *f, const struct payments_sighting *sight)
{
	char status[PAYMENTS_STATUS_SIZE];

	if (payments_deposit_observe(p->db, d->id, f, sight, status) != PAYMENTS_OK)
		return PAYD_EDB;
	if (strcmp(status, "confirmed") == 0) {
		p->credited++;
		log_event(LOG_INFO, "deposit_credited", "deposit=%s tx=%s agent=%s ucents=%" PRId64
			  " confirmations=%" PRId64, d->id, d->tx_hash, d->agent_id, f->ucents,
			  sight->confirmations);
	}
	return PAYD_OK;
}

/* The transaction no longer passes the rule (a reorg): never credit it. */
static int reject(struct payd *p, const struct payments_deposit *d, int err,
		  const struct deposit_rules *rules, const struct deposit_found *f)
{
	char why[256];

	deposit_describe(err, rules, f, why, sizeof why);
	if (payments_deposit_reject(p->db, d->id, why) != PAYMENTS_OK)
		return PAYD_EDB;
	log_event(LOG_WARN, "deposit_rejected", "deposit=%s tx=%s error=%d", d->id,
		  d->tx_hash, err);
	return PAYD_OK;
}

/* One pending deposit: credit, reject, or leave it for later. */
static int look_at(struct payd *p, const struct payments_deposit *d)
{
	const struct settings *s = p->settings;
	struct deposit_rules rules = { s->usdc_contract, s->deposit_address, d->from };
	struct payments_sighting sight = { (uint64_t)s->chain_id, s->usdc_contract,
					   s->deposit_address, 0, NULL, 0, s->confirmations };
	struct deposit_found f;
	struct chain_receipt r;
	int rc = chain_receipt(p->reader, d->tx_hash, &r), result = PAYD_OK;

	if (rc == CHAIN_ENOTFOUND) {
		log_event(LOG_DEBUG, "deposit_unseen", "deposit=%s tx=%s", d->id, d->tx_hash);
		return PAYD_OK;
	}
	if (rc == CHAIN_EUNAVAILABLE || rc == CHAIN_EHTTP)
		return PAYD_ENODE;
	if (rc != CHAIN_OK) {
		payd_error(p, "deposit_receipt_failed", "deposit=%s error=\"%s\"", d->id,
			   chain_strerror(rc));
		return PAYD_OK;
	}
	sight.block_number = r.block_number;
	sight.block_hash = r.block_hash;
	sight.confirmations = payd_confirmations(p, r.block_number);
	rc = deposit_check(&r, &rules, &f);
	if (rc == DEPOSIT_OK)
		result = credit(p, d, &f, &sight);
	else if (rc == DEPOSIT_EMALFORMED)
		payd_error(p, "deposit_unreadable", "deposit=%s tx=%s", d->id, d->tx_hash);
	else
		result = reject(p, d, rc, &rules, &f);
	chain_receipt_free(&r);
	return result;
}

int payd_deposits_pass(struct payd *p)
{
	struct payments_deposit *list;
	size_t n;
	int rc = PAYD_OK;

	if (payments_pending_deposits(p->db, (int)p->cfg->batch, &list, &n) != PAYMENTS_OK)
		return PAYD_EDB;
	for (size_t i = 0; i < n && rc == PAYD_OK; i++)
		rc = payd_stopping(p) ? PAYD_ESTOP : look_at(p, &list[i]);
	free(list);
	return rc;
}
