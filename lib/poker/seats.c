/*
 * seats — where things are around the table (part of the hand module):
 * the seat after the button, who posts the blinds, the next button, antes by
 * position.  The bottom of the engine's files: it calls nothing in hand.c,
 * betting.c or showdown.c, so every one of them may call it.
 */
#include "poker/hand.h"

static int next_in_hand(const struct hand_config *cfg, int after)
{
	for (int k = 1, i = after; k <= cfg->nseats; k++) {
		i = i + 1 < cfg->nseats ? i + 1 : 0;
		if (cfg->stacks_chips[i] > 0)
			return i;
	}
	return -1;
}

int hand_first_left(const struct hand *h)
{
	return next_in_hand(&h->cfg, h->cfg.button);
}

int hand_blind_seats(const struct hand_config *cfg, int *sb_seat, int *bb_seat)
{
	int n = 0;

	if (cfg->nseats < 2 || cfg->nseats > HAND_MAX_SEATS || cfg->button < 0 ||
	    cfg->button >= cfg->nseats)
		return HAND_ECONFIG;
	for (int i = 0; i < cfg->nseats; i++)
		n += cfg->stacks_chips[i] > 0;
	if (n < 2)
		return HAND_ECONFIG;
	if (cfg->blinds_given) {
		*sb_seat = cfg->sb_seat;
		*bb_seat = cfg->bb_seat;
		return HAND_OK;
	}
	/* Heads-up the button is the small blind (DESIGN §3). */
	*sb_seat = n == 2 ? cfg->button : next_in_hand(cfg, cfg->button);
	*bb_seat = next_in_hand(cfg, *sb_seat);
	return HAND_OK;
}

int hand_next_button(const int64_t stacks_chips[], int nseats, int prev)
{
	if (nseats < 1 || nseats > HAND_MAX_SEATS)
		return -1;
	if (prev < -1 || prev >= nseats)
		prev = -1;
	for (int k = 1; k <= nseats; k++) {
		int i = (prev + k + nseats) % nseats;
		if (stacks_chips[i] > 0)
			return i;
	}
	return -1;
}

void hand_antes_uniform(struct hand_config *cfg, int64_t ante_chips)
{
	for (int i = 0; i < HAND_MAX_SEATS; i++)
		cfg->antes_chips[i] = ante_chips;
}

void hand_antes_big_blind(struct hand_config *cfg, int64_t ante_chips)
{
	int sb, bb;

	for (int i = 0; i < HAND_MAX_SEATS; i++)
		cfg->antes_chips[i] = 0;
	if (hand_blind_seats(cfg, &sb, &bb) == HAND_OK)
		cfg->antes_chips[bb] = ante_chips;
}
