/*
 * settle — a finished hand in money: the ledger legs that move a cash
 * table's chips between the players' in-play accounts and its rake to the
 * platform (DESIGN §2).  Pure: no database, no allocation.  The daemon
 * maps seats to accounts and posts the legs with ledger_post, in the same
 * transaction as the hand's history.
 *
 * How a table runtime uses it, once the hand is HAND_PHASE_DONE:
 *
 *     struct settle s;
 *     if (settle_hand(&h, table->chip_ucents, &s) != SETTLE_OK) ...
 *     int64_t in_play[HAND_MAX_SEATS];       each dealt-in seat's agent_in_play
 *     struct ledger_entry legs[SETTLE_MAX_LEGS];
 *     int n = settle_hand_legs(&s, in_play, legs);
 *     if (n > 0) ledger_post(c, LEDGER_TXN_HAND, ref, legs, n, NULL);
 *     n = settle_rake_legs(&s, in_play, rake_account, legs);
 *     if (n > 0) ledger_post(c, LEDGER_TXN_RAKE, ref, legs, n, NULL);
 *
 * The arithmetic.  With c = chip_ucents, each seat's net is
 * end stack - start stack (chips).  The rake each pot gave (pots_rake_take)
 * is charged to that pot's winners the way the pot was split: equal shares
 * in ucents, the odd ucents one each to the winners from the first seat
 * left of the button (pots_split).  So
 *   hand txn: seat leg = net * c + its rake share   (the gain before rake;
 *             they sum to zero: the winners' gains are the losers' losses)
 *   rake txn: seat leg = -its rake share, platform leg = rake * c
 * and each seat's two legs add up to net * c.  Play chips (c = 0) move no
 * money: no legs.  Every product and sum is checked: an amount that would
 * not fit in int64 is refused (SETTLE_EOVERFLOW), never wrapped.
 */
#ifndef FELT_SETTLE_H
#define FELT_SETTLE_H

#include <stdint.h>

#include "money/ledger.h"
#include "poker/hand.h"

#define SETTLE_MAX_LEGS (HAND_MAX_SEATS + 1) /* a leg per seat, the platform's */

enum settle_error {
	SETTLE_OK = 0,
	SETTLE_EPHASE = -1,    /* the hand is not over (HAND_PHASE_DONE) */
	SETTLE_EINVAL = -2,    /* chip_ucents < 0, or a hand whose chips do not add up */
	SETTLE_EOVERFLOW = -3, /* an amount in ucents would not fit in int64 */
};

struct settle {
	int nseats;
	int64_t chip_ucents;
	int64_t net_chips[HAND_MAX_SEATS];    /* end - start stack */
	int64_t rake_chips;                   /* the hand's rake */
	int64_t hand_ucents[HAND_MAX_SEATS];  /* the seat's leg of the hand txn */
	int64_t rake_ucents[HAND_MAX_SEATS];  /* the seat's share of the rake (>= 0) */
	int64_t rake_total_ucents;            /* the platform's rake leg */
};

/*
 * settle_hand — the settlement of the finished hand h at chip_ucents per
 * chip into *out (see above).  Returns 0, SETTLE_EPHASE, SETTLE_EINVAL or
 * SETTLE_EOVERFLOW (then *out is all zero).
 */
int settle_hand(const struct hand *h, int64_t chip_ucents, struct settle *out);

/*
 * settle_hand_legs — the legs of the hand txn (LEDGER_TXN_HAND): one per
 * seat whose leg is not zero, on account[seat] (its agent_in_play account),
 * into legs (room for SETTLE_MAX_LEGS).  Returns how many: 0 when no money
 * changes hands (play chips, or a hand where everyone got back what they
 * put in): post nothing then.
 */
int settle_hand_legs(const struct settle *s, const int64_t account[HAND_MAX_SEATS],
		     struct ledger_entry legs[SETTLE_MAX_LEGS]);

/*
 * settle_rake_legs — the legs of the rake txn (LEDGER_TXN_RAKE): minus each
 * seat's rake share on account[seat], plus the total on rake_account (the
 * platform's LEDGER_ACCOUNT_RAKE account).  Returns how many, 0 when there
 * is no rake (post nothing then).
 */
int settle_rake_legs(const struct settle *s, const int64_t account[HAND_MAX_SEATS],
		     int64_t rake_account, struct ledger_entry legs[SETTLE_MAX_LEGS]);

/* settle_strerror — static English text for a settle_error code. */
const char *settle_strerror(int err);

#endif
