/*
 * settle — a finished hand in money.  See settle.h.
 */
#include "money/settle.h"

#include <string.h>

#include "poker/pots.h"

/* The rake in ucents each pot gave, charged to its winners. */
static int rake_shares(const struct hand *h, int64_t c, struct settle *out)
{
	int first = hand_first_left(h);

	for (int p = 0; p < h->npots; p++) {
		int64_t ucents;
		if (h->pot_rake_chips[p] == 0)
			continue;
		if (__builtin_mul_overflow(h->pot_rake_chips[p], c, &ucents))
			return SETTLE_EOVERFLOW;
		/* Split exactly like the pot: equal shares, odd ucents one each
		 * from the first seat left of the button. */
		if (pots_split(ucents, h->pot_winners[p], first, h->cfg.nseats, out->rake_ucents) !=
		    POTS_OK)
			return SETTLE_EINVAL;
	}
	return SETTLE_OK;
}

static int settle(const struct hand *h, int64_t c, struct settle *out)
{
	int64_t net_sum = 0, rake_sum = 0, hand_sum = 0;

	out->nseats = h->cfg.nseats;
	out->chip_ucents = c;
	out->rake_chips = h->rake_chips;
	for (int i = 0; i < h->cfg.nseats; i++) {
		out->net_chips[i] = h->seat[i].stack_chips - h->cfg.stacks_chips[i];
		net_sum += out->net_chips[i];
	}
	/* Chips are conserved: what the players lost is the rake. */
	if (net_sum != -h->rake_chips)
		return SETTLE_EINVAL;
	if (c == 0)
		return SETTLE_OK;
	/* First the total: when it fits, so does every share of it. */
	if (__builtin_mul_overflow(h->rake_chips, c, &out->rake_total_ucents))
		return SETTLE_EOVERFLOW;
	int err = rake_shares(h, c, out);
	if (err != SETTLE_OK)
		return err;
	for (int i = 0; i < h->cfg.nseats; i++) {
		int64_t net_ucents;
		if (__builtin_mul_overflow(out->net_chips[i], c, &net_ucents) ||
		    __builtin_add_overflow(net_ucents, out->rake_ucents[i], &out->hand_ucents[i]) ||
		    __builtin_add_overflow(hand_sum, out->hand_ucents[i], &hand_sum) ||
		    __builtin_add_overflow(rake_sum, out->rake_ucents[i], &rake_sum))
			return SETTLE_EOVERFLOW;
	}
	if (hand_sum != 0 || rake_sum != out->rake_total_ucents)
		return SETTLE_EINVAL;
	return SETTLE_OK;
}

int settle_hand(const struct hand *h, int64_t chip_ucents, struct settle *out)
{
	memset(out, 0, sizeof *out);
	if (h->phase != HAND_PHASE_DONE)
		return SETTLE_EPHASE;
	if (chip_ucents < 0 || h->cfg.nseats < 2 || h->cfg.nseats > HAND_MAX_SEATS)
		return SETTLE_EINVAL;
	int err = settle(h, chip_ucents, out);
	if (err != SETTLE_OK)
		memset(out, 0, sizeof *out);
	return err;
}

int settle_hand_legs(const struct settle *s, const int64_t account[HAND_MAX_SEATS],
		     struct ledger_entry legs[SETTLE_MAX_LEGS])
{
	int n = 0;

	for (int i = 0; i < s->nseats; i++)
		if (s->hand_ucents[i] != 0)
			legs[n++] = (struct ledger_entry){account[i], s->hand_ucents[i]};
	return n;
}

int settle_rake_legs(const struct settle *s, const int64_t account[HAND_MAX_SEATS],
		     int64_t rake_account, struct ledger_entry legs[SETTLE_MAX_LEGS])
{
	int n = 0;

	if (s->rake_total_ucents == 0)
		return 0;
	for (int i = 0; i < s->nseats; i++)
		if (s->rake_ucents[i] != 0)
			legs[n++] = (struct ledger_entry){account[i], -s->rake_ucents[i]};
	legs[n++] = (struct ledger_entry){rake_account, s->rake_total_ucents};
	return n;
}

const char *settle_strerror(int err)
{
	switch (err) {
	case SETTLE_OK: return "ok";
	case SETTLE_EPHASE: return "the hand is not over";
	case SETTLE_EINVAL: return "invalid chip value or hand";
	case SETTLE_EOVERFLOW: return "amount too large";
	default: return "unknown settle error";
	}
}
