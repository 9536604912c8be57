/*
 * bot_strategy — how felt-bot chooses an action, independent of any wire
 * protocol.  A protocol layer (bot_molt, bot_open) turns a server frame
 * into a struct bot_situation and a struct bot_legal, asks bot_decide for
 * a struct bot_choice and turns that into its own client message.
 *
 * Pure: no I/O, no clock; randomness comes from a caller-owned state
 * (bot_rng_next), so a decision is a function of its arguments.
 *
 * Strategies:
 *   random  a random legal action: folds, checks, calls, raises to a random
 *           amount within [min, max] (often the minimum) and all-ins
 *   call    always check if free, otherwise call (never folds or raises)
 *   tight   raises good hands, calls fair ones cheaply, folds junk (preflop
 *           by a starting-hand chart, postflop by the made hand)
 */
#ifndef FELT_BOT_STRATEGY_H
#define FELT_BOT_STRATEGY_H

#include <stdbool.h>
#include <stdint.h>

#include "poker/cards.h"

enum bot_strategy {
	BOT_STRATEGY_RANDOM,
	BOT_STRATEGY_CALL,
	BOT_STRATEGY_TIGHT,
};

enum bot_kind {
	BOT_FOLD,
	BOT_CHECK,
	BOT_CALL,
	BOT_RAISE, /* raise (or bet) to amount_chips: the player's total street bet */
	BOT_ALLIN, /* everything; a protocol without an all-in action sends a raise to the max */
};

/* What the server says is legal now.  Amounts are chips. */
struct bot_legal {
	bool fold, check, call, raise, allin;
	int64_t call_chips;      /* what a call adds (0 if unknown) */
	int64_t raise_min_chips; /* raise-to bounds, when raise */
	int64_t raise_max_chips;
	int64_t allin_chips;     /* raise-to total of an all-in, when allin */
};

/* What the player knows.  Unknown cards are CARD_NONE / counts 0. */
struct bot_situation {
	card_t hole[2];
	int n_hole;
	card_t board[5];
	int n_board;
	int64_t pot_chips;
	int64_t to_call_chips;
	int64_t stack_chips;
};

struct bot_choice {
	enum bot_kind kind;
	int64_t amount_chips; /* raise-to total for BOT_RAISE and BOT_ALLIN, else 0 */
};

enum bot_strategy_error {
	BOT_STRATEGY_OK = 0,
	BOT_STRATEGY_EUNKNOWN = -1, /* not a strategy name */
};

/* bot_strategy_parse — "random", "call" or "tight" into *out; 0 or
 * BOT_STRATEGY_EUNKNOWN (then *out is unchanged). */
int bot_strategy_parse(const char *name, enum bot_strategy *out);

/* bot_strategy_name — the static name of s ("random", "call", "tight"). */
const char *bot_strategy_name(enum bot_strategy s);

/* bot_kind_name — static name of k: "fold", "check", "call", "raise", "allin". */
const char *bot_kind_name(enum bot_kind k);

/*
 * bot_rng_next — next 64 random bits from *state (xorshift64*; a zero
 * state is replaced by a fixed non-zero one).  Not cryptographic: it only
 * varies a bot's play.
 */
uint64_t bot_rng_next(uint64_t *state);

/*
 * bot_decide — the action strategy s takes in situation sit with the legal
 * actions leg, drawing randomness from *rng.  The choice is always one that
 * leg allows (a raise amount within [raise_min, raise_max]); if leg allows
 * nothing at all the result is BOT_FOLD, which a server must refuse or
 * ignore.  The safety order when a strategy's wish is not legal is: check,
 * call, fold.
 */
struct bot_choice bot_decide(enum bot_strategy s, const struct bot_situation *sit,
			     const struct bot_legal *leg, uint64_t *rng);

/*
 * bot_safe_choice — the safety default of both protocols: check if legal,
 * else fold (else call, for a server that offers neither).
 */
struct bot_choice bot_safe_choice(const struct bot_legal *leg);

#endif
