/*
 * eval — poker hand evaluator: best five of seven (or a five-card hand).
 *
 * Table driven: every card contributes a precomputed 64-bit key (a sum of
 * per-rank keys chosen so that all rank multisets of up to 7 cards have
 * distinct sums, plus per-suit counters); a flush is detected from the
 * suit counters and looked up by the 13-bit rank mask of the flush suit,
 * anything else is looked up by the rank sum through a row-displacement
 * perfect hash.  The tables are produced by lib/eval_gen.c at build time.
 * No loops over combinations, no allocation, no state: thread-safe.
 *
 * A rank value packs the category in bits 12..15 and the strength inside
 * the category in bits 0..11, so larger is better, equal means a tie, and
 * the category is r >> 12.  There are 7,462 distinct values.
 */
#ifndef FELT_EVAL_H
#define FELT_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "poker/cards.h"

typedef uint32_t eval_rank_t; /* larger is better; equal means a tie */

enum eval_category {
	EVAL_HIGH_CARD,
	EVAL_ONE_PAIR,
	EVAL_TWO_PAIR,
	EVAL_THREE_OF_A_KIND,
	EVAL_STRAIGHT,
	EVAL_FLUSH,
	EVAL_FULL_HOUSE,
	EVAL_FOUR_OF_A_KIND,
	EVAL_STRAIGHT_FLUSH,
};

#define EVAL_CATEGORY_SHIFT 12
#define EVAL_DISTINCT_RANKS 7462

/*
 * eval_7 — rank of the best five-card hand among the 7 cards c[0..6].
 * The cards must be distinct values 0..51 (not checked: the hot path);
 * anything else gives an unspecified rank but never reads out of bounds.
 */
eval_rank_t eval_7(const card_t c[7]);

/* eval_5 — rank of the five-card hand c[0..4]; same contract as eval_7. */
eval_rank_t eval_5(const card_t c[5]);

/*
 * eval_6 — rank of the best five of the six cards c[0..5] (the turn);
 * same contract as eval_7.
 */
eval_rank_t eval_6(const card_t c[6]);

/* eval_category — the category of a rank value from eval_5/6/7. */
enum eval_category eval_category(eval_rank_t r);

/*
 * eval_category_name — static English name: "High Card", "One Pair",
 * "Two Pair", "Three of a Kind", "Straight", "Flush", "Full House",
 * "Four of a Kind", "Straight Flush"; "Unknown" for a value outside the enum.
 */
const char *eval_category_name(enum eval_category c);

/*
 * eval_best_ranks — the five card ranks (0 = '2' .. 12 = 'A') that make the
 * hand r, in order of significance (for two pair: high pair, high pair, low
 * pair, low pair, kicker; for the wheel: 5 4 3 2 A).  Returns 0, or -1 if
 * r is not a value eval_* can return.
 */
int eval_best_ranks(eval_rank_t r, int out[5]);

/*
 * eval_describe — English description of r into buf (size len) with
 * snprintf semantics: always NUL-terminated when len > 0, returns the length
 * the full text needs (buf may be NULL when len is 0).  The wording is
 * MoltPoker's, so protocols can send it as is: "Royal Flush",
 * "Straight Flush, Nine-high", "Four of a Kind, Kings",
 * "Full House, Aces full of Kings", "Flush, Ace-high", "Straight, Five-high",
 * "Three of a Kind, Sevens", "Two Pair, Aces and Kings", "Pair of Aces",
 * "High Card, Ace".  An impossible r gives "Unknown".
 */
size_t eval_describe(eval_rank_t r, char *buf, size_t len);

#endif
