/*
 * hand_internal — what hand.c (dealing, streets), betting.c (legal actions,
 * applying them), showdown.c (showing, pots, award) and seats.c (button and
 * blind positions) share.  Not for use outside the engine.
 *
 * The files call each other one way only:
 *     betting.c -> hand.c -> showdown.c -> seats.c
 * (betting ends a round through hand_round_end, which settles a hand won by
 * folds through hand_settle_pay; everyone finds positions in seats.c).
 */
#ifndef FELT_HAND_INTERNAL_H
#define FELT_HAND_INTERNAL_H

#include <string.h>

#include "poker/hand.h"

/*
 * hand_emit — append an event of type for seat (-1 for none) on the current
 * street and return it zeroed apart from type/seat/street, for the caller to
 * fill.  The public entry points check for room first (HAND_EVENTS_PER_*
 * in hand.h); if the list were full anyway the last slot would be reused
 * rather than overflowing.
 */
static inline struct hand_event *hand_emit(struct hand *h, enum hand_event_type type, int seat)
{
	/* Inline: hand.c, betting.c and showdown.c all emit on their hot paths. */
	if (h->nevents >= HAND_MAX_EVENTS)
		h->nevents = HAND_MAX_EVENTS - 1;
	struct hand_event *e = &h->events[h->nevents++];
	memset(e, 0, sizeof *e);
	e->type = (uint8_t)type;
	e->seat = (int8_t)seat;
	e->street = (uint8_t)h->street;
	return e;
}

/*
 * hand_live_count — seats dealt in and not folded.
 */
int hand_live_count(const struct hand *h);

/*
 * hand_round_end — the betting round is over (nobody pending): return the
 * uncalled chips, then either award the pot (one player left), go to the next
 * street and find its first player (dealing a run-out when nobody can act),
 * or stop at the showdown.
 */
void hand_round_end(struct hand *h);

/*
 * hand_settle_pay — build the pots, take the rake and pay each pot to its
 * best hands by rank[] (all zero when the hand was won by folds); ends the
 * hand (HAND_PHASE_DONE).  In showdown.c.
 */
void hand_settle_pay(struct hand *h, const eval_rank_t rank[]);

/*
 * hand_next_to_act — the first seat in h->pending clockwise after seat `after`
 * (not including it), or -1 if nobody is pending.
 */
int hand_next_to_act(const struct hand *h, int after);

/*
 * hand_stacks_in_play — one pass over the live players (dealt in, not
 * folded), comparing bet + stack: *others_max gets the largest among the
 * players other than seat (the largest of all when seat is -1: can anyone put
 * in more than the current bet?), *second the second largest of all
 * (PokerKit's effective stack: nobody can lose more than that this street).
 */
void hand_stacks_in_play(const struct hand *h, int seat, int64_t *others_max, int64_t *second);

#endif
