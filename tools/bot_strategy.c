/* bot_strategy — felt-bot's decisions.  See bot_strategy.h. */
#include "bot_strategy.h"

#include <string.h>

#include "poker/eval.h"

static const char *const strategy_names[] = {
	[BOT_STRATEGY_RANDOM] = "random",
	[BOT_STRATEGY_CALL] = "call",
	[BOT_STRATEGY_TIGHT] = "tight",
};

int bot_strategy_parse(const char *name, enum bot_strategy *out)
{
	for (size_t i = 0; i < sizeof strategy_names / sizeof *strategy_names; i++)
		if (name && strcmp(name, strategy_names[i]) == 0) {
			*out = (enum bot_strategy)i;
			return BOT_STRATEGY_OK;
		}
	return BOT_STRATEGY_EUNKNOWN;
}

const char *bot_strategy_name(enum bot_strategy s)
{
	return (unsigned)s < sizeof strategy_names / sizeof *strategy_names ?
		strategy_names[s] : "unknown";
}

const char *bot_kind_name(enum bot_kind k)
{
	switch (k) {
	case BOT_FOLD: return "fold";
	case BOT_CHECK: return "check";
	case BOT_CALL: return "call";
	case BOT_RAISE: return "raise";
	case BOT_ALLIN: return "allin";
	}
	return "unknown";
}

uint64_t bot_rng_next(uint64_t *state)
{
	uint64_t x = *state ? *state : 0x9E3779B97F4A7C15ull;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1Dull;
}

/* A uniform integer in [0, n) (n > 0); the modulo bias is irrelevant here. */
static uint64_t below(uint64_t *rng, uint64_t n)
{
	return bot_rng_next(rng) % n;
}

static struct bot_choice make(enum bot_kind k, int64_t amount)
{
	struct bot_choice c = { k, amount };
	return c;
}

struct bot_choice bot_safe_choice(const struct bot_legal *leg)
{
	if (leg->check)
		return make(BOT_CHECK, 0);
	if (leg->fold)
		return make(BOT_FOLD, 0);
	if (leg->call)
		return make(BOT_CALL, 0);
	return make(BOT_FOLD, 0);
}

/* Check or call, whichever continues for the least; else the safety default. */
static struct bot_choice passive(const struct bot_legal *leg)
{
	if (leg->check)
		return make(BOT_CHECK, 0);
	if (leg->call)
		return make(BOT_CALL, 0);
	return bot_safe_choice(leg);
}

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* A raise to about target, kept within the legal bounds; passive if no raise. */
static struct bot_choice raise_to(const struct bot_legal *leg, int64_t target)
{
	if (leg->raise && leg->raise_min_chips <= leg->raise_max_chips)
		return make(BOT_RAISE, clamp(target, leg->raise_min_chips,
					     leg->raise_max_chips));
	if (leg->allin)
		return make(BOT_ALLIN, leg->allin_chips);
	return passive(leg);
}

static struct bot_choice allin(const struct bot_legal *leg)
{
	if (leg->allin)
		return make(BOT_ALLIN, leg->allin_chips);
	if (leg->raise)
		return make(BOT_ALLIN, leg->raise_max_chips);
	return passive(leg);
}

/*
 * random: weights differ when checking is free (folding then is legal but
 * rare) and when facing a bet, so hands neither end at once nor never.
 */
static struct bot_choice decide_random(const struct bot_legal *leg, uint64_t *rng)
{
	uint64_t r = below(rng, 100);
	bool can_raise = leg->raise || leg->allin;

	if (leg->check) {
		if (r < 3 && leg->fold)
			return make(BOT_FOLD, 0);
		if (r < 75 || !can_raise)
			return make(BOT_CHECK, 0);
	} else {
		if (r < 25 && leg->fold)
			return make(BOT_FOLD, 0);
		if ((r < 75 || !can_raise) && leg->call)
			return make(BOT_CALL, 0);
		if (!can_raise)
			return bot_safe_choice(leg);
	}
	/* A raise: one in six is all-in, otherwise often the minimum. */
	if (below(rng, 6) == 0 || !leg->raise)
		return allin(leg);
	if (below(rng, 3) == 0)
		return make(BOT_RAISE, leg->raise_min_chips);
	return make(BOT_RAISE, leg->raise_min_chips +
		    (int64_t)below(rng, (uint64_t)(leg->raise_max_chips -
						    leg->raise_min_chips) + 1));
}

enum strength { JUNK, FAIR, GOOD };

/* Preflop chart: big pairs and big aces raise; small pairs, suited aces and
 * broadway connectors see a cheap flop; everything else is junk. */
static enum strength preflop_strength(const struct bot_situation *sit)
{
	int hi = CARD_RANK(sit->hole[0]), lo = CARD_RANK(sit->hole[1]);
	bool suited = CARD_SUIT(sit->hole[0]) == CARD_SUIT(sit->hole[1]);
	enum { R7 = 5, RT = 8, RJ = 9, RQ = 10, RK = 11, RA = 12 };

	if (lo > hi) {
		int t = hi;
		hi = lo;
		lo = t;
	}
	if (hi == lo)
		return hi >= R7 ? GOOD : FAIR;
	if (hi == RA && (lo >= RQ || (lo == RJ && suited)))
		return GOOD;
	if (hi == RK && lo == RQ && suited)
		return GOOD;
	if (hi == RA && (suited || lo >= RT))
		return FAIR;
	if (hi >= RJ && lo >= RT && (suited || lo >= RJ))
		return FAIR;
	return JUNK;
}

/* Postflop: two pair or better is good; a pair that uses a hole card is fair. */
static enum strength postflop_strength(const struct bot_situation *sit)
{
	card_t c[7];
	int n = 0;
	eval_rank_t r;

	for (int i = 0; i < sit->n_hole; i++)
		c[n++] = sit->hole[i];
	for (int i = 0; i < sit->n_board; i++)
		c[n++] = sit->board[i];
	for (int i = 0; i < n; i++)
		if (c[i] >= CARDS_COUNT)
			return JUNK;
	r = n == 7 ? eval_7(c) : n == 6 ? eval_6(c) : eval_5(c);
	if (eval_category(r) >= EVAL_TWO_PAIR)
		return GOOD;
	if (eval_category(r) == EVAL_ONE_PAIR) {
		int best[5];

		if (eval_best_ranks(r, best) == 0 &&
		    (best[0] == CARD_RANK(sit->hole[0]) ||
		     best[0] == CARD_RANK(sit->hole[1])))
			return FAIR;
	}
	return JUNK;
}

static struct bot_choice decide_tight(const struct bot_situation *sit,
				      const struct bot_legal *leg)
{
	enum strength s;

	if (sit->n_hole != 2)
		return bot_safe_choice(leg);
	s = sit->n_board >= 3 && sit->n_hole + sit->n_board >= 5 ?
		postflop_strength(sit) : preflop_strength(sit);
	switch (s) {
	case GOOD:
		return raise_to(leg, leg->raise_min_chips + sit->pot_chips / 2);
	case FAIR:
		/* Continue while it is cheap: at most a tenth of the stack or half the pot. */
		if (leg->check)
			return make(BOT_CHECK, 0);
		if (leg->call && (sit->to_call_chips * 10 <= sit->stack_chips ||
				  sit->to_call_chips * 2 <= sit->pot_chips))
			return make(BOT_CALL, 0);
		return bot_safe_choice(leg);
	case JUNK:
		break;
	}
	return bot_safe_choice(leg);
}

struct bot_choice bot_decide(enum bot_strategy s, const struct bot_situation *sit,
			     const struct bot_legal *leg, uint64_t *rng)
{
	switch (s) {
	case BOT_STRATEGY_RANDOM:
		return decide_random(leg, rng);
	case BOT_STRATEGY_CALL:
		return passive(leg);
	case BOT_STRATEGY_TIGHT:
		return decide_tight(sit, leg);
	}
	return bot_safe_choice(leg);
}
