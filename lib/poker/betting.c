/*
 * betting — what the player to act may do, and doing it (part of the hand
 * module: hand_legal, hand_apply).  Streets and settlement are in hand.c.
 */
#include <string.h>

#include "poker/hand.h"
#include "poker/hand_internal.h"

/* Fill *out for seat; *raise_err gets why it may not raise (0 if it may). */
static void legal_for(const struct hand *h, int seat, struct hand_legal *out, int *raise_err)
{
	const struct hand_seat *s = &h->seat[seat];
	int64_t to_call = h->current_bet_chips - s->bet_chips;

	if (to_call < 0)
		to_call = 0;
	memset(out, 0, sizeof *out);
	out->seat = seat;
	out->can_fold = true;
	out->can_check = to_call == 0;
	out->can_call = to_call > 0;
	out->call_chips = to_call < s->stack_chips ? to_call : s->stack_chips;
	*raise_err = 0;
	int64_t others_max, cap;
	hand_stacks_in_play(h, seat, &others_max, &cap);
	if (s->stack_chips <= to_call)
		*raise_err = HAND_ERAISE_ABOVE_STACK;
	else if (others_max <= h->current_bet_chips)
		*raise_err = HAND_ERAISE_NO_OPPONENT;
	else if (s->acted && h->current_bet_chips - s->faced_chips < h->full_raise_chips)
		/* TDA 2022 Rule 47A: an all-in wager, or several short all-ins
		 * together, totalling less than a full bet or raise does not
		 * reopen the betting for a player who already acted (a check is
		 * acting); facing a full one in total since it acted, it may
		 * raise, at least by the last full raise (Rule 43). */
		*raise_err = HAND_ERAISE_CLOSED;
	if (*raise_err)
		return;
	int64_t max_to = s->bet_chips + s->stack_chips;
	int64_t min_to = h->current_bet_chips + h->full_raise_chips;
	/* PokerKit: the minimum never exceeds what puts the biggest opponent
	 * all-in (more could not be called anyway). */
	if (min_to > cap)
		min_to = cap;
	if (min_to > max_to)
		min_to = max_to;
	if (min_to <= h->current_bet_chips)
		min_to = h->current_bet_chips + 1;
	out->can_raise = true;
	out->min_raise_to_chips = min_to;
	out->max_raise_to_chips = max_to;
}

void hand_legal(const struct hand *h, struct hand_legal *out)
{
	int raise_err;

	if (h->phase != HAND_PHASE_BETTING || h->to_act < 0) {
		memset(out, 0, sizeof *out);
		out->seat = -1;
		return;
	}
	legal_for(h, h->to_act, out, &raise_err);
}

int hand_timeout_action(const struct hand *h, struct hand_action *a)
{
	struct hand_legal l;

	hand_legal(h, &l);
	if (l.seat < 0)
		return -1;
	a->type = l.can_check ? HAND_CHECK : HAND_FOLD;
	a->amount_chips = 0;
	return l.seat;
}

static void acted(struct hand *h, int seat)
{
	struct hand_seat *s = &h->seat[seat];

	s->acted = true;
	s->faced_chips = h->current_bet_chips;
	h->pending &= (uint16_t)~(1u << seat);
}

static void put_in(struct hand *h, int seat, int64_t chips)
{
	struct hand_seat *s = &h->seat[seat];

	s->stack_chips -= chips;
	s->bet_chips += chips;
	s->total_chips += chips;
	s->all_in = s->stack_chips == 0;
}

static void do_raise(struct hand *h, int seat, int64_t to_chips)
{
	struct hand_seat *s = &h->seat[seat];
	int64_t increment = to_chips - h->current_bet_chips;

	put_in(h, seat, to_chips - s->bet_chips);
	if (increment >= h->full_raise_chips)
		h->full_raise_chips = increment;
	h->current_bet_chips = to_chips;
	h->aggressor = seat;
	/* Everyone else still in with chips must act again. */
	h->pending = 0;
	for (int i = 0; i < h->cfg.nseats; i++) {
		const struct hand_seat *o = &h->seat[i];
		if (i != seat && o->in_hand && !o->folded && !o->all_in)
			h->pending |= (uint16_t)(1u << i);
	}
	s->acted = true;
	s->faced_chips = to_chips;
	struct hand_event *e = hand_emit(h, HAND_EV_RAISE, seat);
	e->amount_chips = to_chips;
	e->all_in = s->all_in;
}

static void do_call(struct hand *h, int seat, int64_t chips)
{
	put_in(h, seat, chips);
	acted(h, seat);
	struct hand_event *e = hand_emit(h, HAND_EV_CALL, seat);
	e->amount_chips = chips;
	e->amount2_chips = h->seat[seat].bet_chips;
	e->all_in = h->seat[seat].all_in;
}

/* Check a raise to to_chips against the rules; 0 if it may be made. */
static int check_raise(const struct hand *h, int seat, const struct hand_legal *l,
		       int raise_err, int64_t to_chips)
{
	const struct hand_seat *s = &h->seat[seat];

	if (raise_err)
		return raise_err;
	if (to_chips > s->bet_chips + s->stack_chips)
		return HAND_ERAISE_ABOVE_STACK;
	if (to_chips < l->min_raise_to_chips)
		return HAND_ERAISE_BELOW_MIN;
	return HAND_OK;
}

int hand_apply(struct hand *h, int seat, const struct hand_action *a)
{
	struct hand_legal l;
	int raise_err, err;

	if (h->phase != HAND_PHASE_BETTING)
		return HAND_EPHASE;
	if (seat < 0 || seat >= h->cfg.nseats || !h->seat[seat].in_hand || h->seat[seat].folded)
		return HAND_ESEAT;
	if (seat != h->to_act)
		return HAND_ENOT_YOUR_TURN;
	if (HAND_MAX_EVENTS - h->nevents < HAND_EVENTS_PER_ACTION)
		return HAND_EEVENTS_FULL;
	legal_for(h, seat, &l, &raise_err);
	switch (a->type) {
	case HAND_FOLD:
		h->seat[seat].folded = true;
		acted(h, seat);
		hand_emit(h, HAND_EV_FOLD, seat);
		if (hand_live_count(h) == 1) {
			hand_round_end(h);
			return HAND_OK;
		}
		break;
	case HAND_CHECK:
		if (!l.can_check)
			return HAND_ECHECK_FACING_BET;
		acted(h, seat);
		hand_emit(h, HAND_EV_CHECK, seat);
		break;
	case HAND_CALL:
		if (!l.can_call)
			return HAND_ENOTHING_TO_CALL;
		do_call(h, seat, l.call_chips);
		break;
	case HAND_RAISE:
		if ((err = check_raise(h, seat, &l, raise_err, a->amount_chips)) != HAND_OK)
			return err;
		do_raise(h, seat, a->amount_chips);
		break;
	case HAND_ALLIN:
		if (raise_err == 0) {
			do_raise(h, seat, l.max_raise_to_chips);
		} else if (l.call_chips > 0 && l.call_chips == h->seat[seat].stack_chips) {
			do_call(h, seat, l.call_chips);
		} else {
			return raise_err;
		}
		break;
	default:
		return HAND_EACTION;
	}
	if (h->pending == 0) {
		hand_round_end(h);
		return HAND_OK;
	}
	h->to_act = hand_next_to_act(h, seat);
	return HAND_OK;
}
