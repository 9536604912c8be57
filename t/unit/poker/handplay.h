/*
 * handplay — driving one hand through the engine inside a check test:
 * the hand under test (H) and moves that fail the test when the engine
 * refuses them.  Shared by the rule tests (test_hand.c, test_showdown.c,
 * test_hand_events.c); the building blocks without check (configs,
 * stacked decks, the generator) are in handtest.h, which the benchmark
 * uses too.  Header-only: one hand per test program.
 */
#ifndef FELT_HANDPLAY_H
#define FELT_HANDPLAY_H

#include <check.h>

#include "handtest.h"

static struct hand H; /* large: keep it off the stack */

/* Start H from c with the given holes and board (ht_deck); the engine must
 * accept it. */
static inline void start(const struct hand_config *c, const char *const *holes,
			 const char *board)
{
	struct deck d;
	ht_deck(&d, c, holes, board);
	ck_assert_int_eq(hand_start(&H, c, &d), HAND_OK);
}

/* The engine's answer to seat taking action t (amount for a raise). */
static inline int try_act(int seat, enum hand_action_type t, int64_t amount)
{
	struct hand_action a = {t, amount};
	return hand_apply(&H, seat, &a);
}

/* Seat takes action t, which the engine must accept. */
static inline void act(int seat, enum hand_action_type t, int64_t amount)
{
	int err = try_act(seat, t, amount);
	ck_assert_msg(err == HAND_OK, "seat %d action %d: %s", seat, t, hand_strerror(err));
}

/* What the player to act may do; that player must be seat. */
static inline struct hand_legal legal_for(int seat)
{
	struct hand_legal l;
	hand_legal(&H, &l);
	ck_assert_int_eq(l.seat, seat);
	return l;
}

#endif
