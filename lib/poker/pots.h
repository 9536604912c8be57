/*
 * pots — the arithmetic of a hand's money: uncalled chips, side pots by
 * contribution layers, rake, and splitting a pot among tied winners.
 *
 * Pure functions over small arrays indexed by seat (0 .. nseats-1, at most
 * POTS_MAX_SEATS); a set of seats is a bit mask, bit i = seat i.  No state,
 * no allocation.  The hand state machine (hand.h) calls these; they are
 * separate so that the rules can be tested on their own:
 *
 *   - Uncalled chips: at the end of a betting round the largest bet above the
 *     second largest was never matched and goes back to its owner.
 *   - Layers: each distinct contribution level of a player still in the hand
 *     closes a layer; a layer holds every seat's chips between the previous
 *     level and this one (folded players' chips included) and is won only by
 *     the players still in who reached it.  Adjacent layers with the same
 *     eligible set are one pot.
 *   - Rake: a percentage (basis points) of the whole pot, whole chips rounded
 *     down, capped; nothing if no flop was dealt.  It is taken from the pots in
 *     proportion to their size, leftover chips from the main pot first.
 *   - Split: each pot is divided equally among its winners; the odd chips go
 *     one each to the winners in seat order starting from the first seat left
 *     of the button.
 */
#ifndef FELT_POTS_H
#define FELT_POTS_H

#include <stdbool.h>
#include <stdint.h>

#define POTS_MAX_SEATS 10
#define POTS_MAX 10 /* at most one pot per distinct contribution level */

struct pot {
	int64_t amount_chips; /* chips in the pot (before rake) */
	uint16_t eligible;    /* seats that can win it */
};

enum pots_error {
	POTS_OK = 0,
	POTS_EINVAL = -1, /* bad seat count, negative chips, empty winner set */
};

/*
 * pots_uncalled — the part of the largest bet in bet_chips[0..nseats-1] that
 * nobody matched: largest minus second largest.  Stores the owner in *seat
 * (-1 when nothing is uncalled) and returns the chips, 0 when the two largest
 * bets are equal.  The caller moves the chips back to the owner's stack.
 */
int64_t pots_uncalled(const int64_t bet_chips[], int nseats, int *seat);

/*
 * pots_build — split the hand's contributions into pots.  contrib_chips[i]
 * is what seat i put in that is layered (blinds and bets, uncalled chips
 * already returned); dead_chips is money that belongs to the main pot whoever
 * put it in (antes, as PokerKit treats them unless ante trimming is on): it
 * forms a layer at level 0 that every live seat is eligible for.  live is the
 * set of seats still in the hand (not folded).  Writes the pots, main pot
 * first, into out (room for POTS_MAX) and returns how many (0 when there is
 * nothing), or POTS_EINVAL.  The pots add up to the sum of contributions plus
 * dead_chips exactly: chips above the highest live level (which cannot happen
 * once uncalled chips are returned) join the last pot.
 */
int pots_build(const int64_t contrib_chips[], int nseats, uint16_t live, int64_t dead_chips,
	       struct pot out[]);

/*
 * pots_rake_total — the rake for a hand whose pots add up to total_chips:
 * total * rake_bp / 10000 rounded down, at most cap_chips (cap_chips <= 0
 * means no cap), 0 when flop_dealt is false (no flop, no drop) or when
 * rake_bp <= 0.
 */
int64_t pots_rake_total(int64_t total_chips, int rake_bp, int64_t cap_chips, bool flop_dealt);

/*
 * pots_rake_take — take rake_chips out of pots[0..npots-1]: each pot gives
 * floor(rake * amount / total), then the leftover chips one each from the
 * main pot onwards.  Writes what each pot gave into taken_chips and lowers
 * amount_chips accordingly.  Returns 0, or POTS_EINVAL if rake_chips is
 * negative or more than the pots hold.
 */
int pots_rake_take(struct pot pots[], int npots, int64_t rake_chips, int64_t taken_chips[]);

/*
 * pots_split — divide amount_chips among the seats in winners, adding each
 * share to award_chips[seat].  The remainder goes one chip each to winners
 * in seat order starting at first_seat (the first seat left of the button)
 * and wrapping around.  Returns 0, or POTS_EINVAL for an empty winner set,
 * a bad first_seat or a negative amount.
 */
int pots_split(int64_t amount_chips, uint16_t winners, int first_seat, int nseats,
	       int64_t award_chips[]);

/* pots_strerror — static English text for a pots_error code. */
const char *pots_strerror(int err);

#endif
