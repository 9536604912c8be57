/*
 * button — the TDA dead button for cash tables.  See button.h.
 */
#include "poker/button.h"

#include <string.h>

static int next_seat(int seat, int nseats)
{
	return seat + 1 < nseats ? seat + 1 : 0;
}

/* The first seat after `after` (not itself) whose state is not EMPTY, or
 * -1.  after may be -1 (start at seat 0). */
static int next_occupied(const enum button_seat seats[], int nseats, int after)
{
	for (int k = 1, i = after; k <= nseats; k++) {
		i = i < 0 ? 0 : next_seat(i, nseats);
		if (seats[i] != BUTTON_EMPTY)
			return i;
	}
	return -1;
}

/* Is seat in the clockwise run from `from` to `to`, both included? */
static bool in_run(int seat, int from, int to, int nseats)
{
	for (int i = from;; i = next_seat(i, nseats)) {
		if (i == seat)
			return true;
		if (i == to)
			return false;
	}
}

static int count(uint16_t mask)
{
	return __builtin_popcount(mask);
}

/* Heads-up: the button posts the small blind, the other the big blind. */
static void heads_up(struct button_deal *out)
{
	int other = __builtin_ctz(out->dealt & (uint16_t)~(1u << out->bb_seat));

	out->button = out->sb_seat = other;
	out->posts = 0; /* a poster heads-up is simply the small blind */
	out->pos = (struct button_pos){other, other, out->bb_seat};
}

/* No previous hand: everyone plays, the button and blinds in order. */
static int first_hand(const struct button_pos *prev, int nseats, const enum button_seat seats[],
		      struct button_deal *out)
{
	for (int i = 0; i < nseats; i++)
		if (seats[i] != BUTTON_EMPTY)
			out->dealt |= (uint16_t)(1u << i);
	out->nplayers = count(out->dealt);
	if (out->nplayers < 2)
		return BUTTON_ETOO_FEW;
	int button = next_occupied(seats, nseats, prev->button);
	if (out->nplayers == 2) {
		out->bb_seat = next_occupied(seats, nseats, button);
		heads_up(out);
		return BUTTON_OK;
	}
	out->button = button;
	out->sb_seat = next_occupied(seats, nseats, button);
	out->bb_seat = next_occupied(seats, nseats, out->sb_seat);
	out->pos = (struct button_pos){out->button, out->sb_seat, out->bb_seat};
	return BUTTON_OK;
}

int button_next(const struct button_pos *prev, int nseats, const enum button_seat seats[],
		struct button_deal *out)
{
	memset(out, 0, sizeof *out);
	out->sb_seat = out->bb_seat = out->button = -1;
	if (nseats < 2 || nseats > HAND_MAX_SEATS)
		return BUTTON_EINVAL;
	for (int i = 0; i < nseats; i++)
		if ((unsigned)seats[i] > BUTTON_POSTING)
			return BUTTON_EINVAL;
	if (prev->bb < 0)
		return prev->button < nseats ? first_hand(prev, nseats, seats, out) : BUTTON_EINVAL;
	if (prev->bb >= nseats || prev->sb < 0 || prev->sb >= nseats || prev->button < 0 ||
	    prev->button >= nseats)
		return BUTTON_EINVAL;

	/* The big blind moves one occupied seat; whoever sits there, new or
	 * not, posts it.  The small blind and the button follow behind it. */
	int bb = next_occupied(seats, nseats, prev->bb);
	if (bb < 0)
		return BUTTON_ETOO_FEW;
	int sb = prev->bb, button = prev->sb;
	/* Coming from heads-up the button was the small blind; if the big
	 * blind has come round to it, the button is the seat before the small
	 * blind instead. */
	if (button == bb || button == sb)
		button = (sb + nseats - 1) % nseats;
	out->bb_seat = bb;
	out->dealt = (uint16_t)(1u << bb);
	for (int i = 0; i < nseats; i++) {
		if (i == bb || seats[i] == BUTTON_EMPTY || seats[i] == BUTTON_WAITING)
			continue;
		if (seats[i] == BUTTON_POSTING) {
			/* No entering on the button, in the small blind or between. */
			if (in_run(i, button, sb, nseats))
				continue;
			out->posts |= (uint16_t)(1u << i);
		}
		out->dealt |= (uint16_t)(1u << i);
	}
	out->nplayers = count(out->dealt);
	if (out->nplayers < 2)
		return BUTTON_ETOO_FEW;
	if (out->nplayers == 2) {
		heads_up(out);
		return BUTTON_OK;
	}
	out->button = button;
	out->sb_seat = seats[sb] == BUTTON_PLAYING ? sb : -1;
	out->pos = (struct button_pos){button, sb, bb};
	return BUTTON_OK;
}

void button_config(const struct button_deal *deal, struct hand_config *cfg)
{
	cfg->button = deal->button;
	cfg->blinds_given = true;
	cfg->sb_seat = deal->sb_seat;
	cfg->bb_seat = deal->bb_seat;
	for (int i = 0; i < HAND_MAX_SEATS; i++) {
		bool in = (deal->dealt >> i) & 1;
		cfg->posts_chips[i] = in && ((deal->posts >> i) & 1) ? cfg->bb_chips : 0;
		if (!in)
			cfg->stacks_chips[i] = 0;
	}
}

const char *button_strerror(int err)
{
	switch (err) {
	case BUTTON_OK: return "ok";
	case BUTTON_EINVAL: return "invalid seats or positions";
	case BUTTON_ETOO_FEW: return "fewer than two players to deal in";
	default: return "unknown button error";
	}
}
