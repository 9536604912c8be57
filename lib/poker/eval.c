/*
 * eval — table-driven hand evaluator.  See eval.h for the rank values and
 * eval_gen.c for how the tables are built.
 */
#include "poker/eval.h"

#include <stdio.h>

#include "poker/eval_tables.h"

/* Rank of the best flush in c[0..n-1], whose suit counter bits are set in
 * flush_bits.  With at most 7 cards only one suit can reach five, and a
 * flush then beats anything the rank multiset could make (a full house or
 * quads beside it would need at least 8 cards).  Flushes are about 3% of
 * 7-card hands, so the rank masks are only gathered here, off the hot path. */
static eval_rank_t eval_flush(const card_t *c, int n, uint64_t flush_bits)
{
	/* Bit 35 + 4 * suit is the flush suit's counter bit. */
	int suit = (__builtin_ctzll(flush_bits) - 35) >> 2;
	uint64_t mask = 0;
	for (int i = 0; i < n; i++)
		mask |= eval_card_mask[c[i]];
	return eval_flush_table[(mask >> (16 * suit)) & 0x1fff];
}

/* Shared body of eval_5/6/7; n is a constant after inlining, so the
 * summing loop unrolls. */
static inline eval_rank_t eval_n(const card_t *c, int n)
{
	uint64_t key = EVAL_SUIT_BIAS;
	for (int i = 0; i < n; i++)
		key += eval_card_key[c[i]];
	uint64_t flush_bits = key & EVAL_FLUSH_BITS;
	if (__builtin_expect(flush_bits != 0, 0))
		return eval_flush(c, n, flush_bits);
	uint32_t rank_sum = (uint32_t)key;
	return eval_rank_table[(uint32_t)(rank_sum + eval_row_offset[rank_sum >> EVAL_ROW_SHIFT])];
}

eval_rank_t eval_7(const card_t c[7])
{
	return eval_n(c, 7);
}

eval_rank_t eval_6(const card_t c[6])
{
	return eval_n(c, 6);
}

eval_rank_t eval_5(const card_t c[5])
{
	return eval_n(c, 5);
}

enum eval_category eval_category(eval_rank_t r)
{
	return (enum eval_category)(r >> EVAL_CATEGORY_SHIFT);
}

const char *eval_category_name(enum eval_category c)
{
	switch (c) {
	case EVAL_HIGH_CARD:
		return "High Card";
	case EVAL_ONE_PAIR:
		return "One Pair";
	case EVAL_TWO_PAIR:
		return "Two Pair";
	case EVAL_THREE_OF_A_KIND:
		return "Three of a Kind";
	case EVAL_STRAIGHT:
		return "Straight";
	case EVAL_FLUSH:
		return "Flush";
	case EVAL_FULL_HOUSE:
		return "Full House";
	case EVAL_FOUR_OF_A_KIND:
		return "Four of a Kind";
	case EVAL_STRAIGHT_FLUSH:
		return "Straight Flush";
	}
	return "Unknown";
}

int eval_best_ranks(eval_rank_t r, int out[5])
{
	unsigned cat = r >> EVAL_CATEGORY_SHIFT;
	unsigned idx = r & ((1u << EVAL_CATEGORY_SHIFT) - 1);
	if (cat > EVAL_STRAIGHT_FLUSH || idx == 0 ||
	    idx > (unsigned)(eval_category_first[cat + 1] - eval_category_first[cat]))
		return -1;
	uint32_t packed = eval_class_ranks[eval_category_first[cat] + idx - 1];
	for (int i = 0; i < 5; i++)
		out[i] = (int)(packed >> (16 - 4 * i)) & 0xf;
	return 0;
}

static const char *const RANK_NAME[13] = {
	"Two", "Three", "Four", "Five", "Six", "Seven", "Eight",
	"Nine", "Ten", "Jack", "Queen", "King", "Ace",
};

static const char *const RANK_PLURAL[13] = {
	"Twos", "Threes", "Fours", "Fives", "Sixes", "Sevens", "Eights",
	"Nines", "Tens", "Jacks", "Queens", "Kings", "Aces",
};

size_t eval_describe(eval_rank_t r, char *buf, size_t len)
{
	int k[5];
	int n;
	char dummy[1];
	if (buf == NULL || len == 0) {
		/* snprintf semantics: measure only. */
		buf = dummy;
		len = 1;
	}
	if (eval_best_ranks(r, k) != 0)
		return (size_t)snprintf(buf, len, "Unknown");
	const char *cat = eval_category_name(eval_category(r));
	switch (eval_category(r)) {
	case EVAL_HIGH_CARD:
		n = snprintf(buf, len, "%s, %s", cat, RANK_NAME[k[0]]);
		break;
	case EVAL_ONE_PAIR:
		n = snprintf(buf, len, "Pair of %s", RANK_PLURAL[k[0]]);
		break;
	case EVAL_THREE_OF_A_KIND:
	case EVAL_FOUR_OF_A_KIND:
		n = snprintf(buf, len, "%s, %s", cat, RANK_PLURAL[k[0]]);
		break;
	case EVAL_TWO_PAIR:
		n = snprintf(buf, len, "%s, %s and %s", cat, RANK_PLURAL[k[0]], RANK_PLURAL[k[2]]);
		break;
	case EVAL_STRAIGHT:
	case EVAL_FLUSH:
		n = snprintf(buf, len, "%s, %s-high", cat, RANK_NAME[k[0]]);
		break;
	case EVAL_FULL_HOUSE:
		n = snprintf(buf, len, "%s, %s full of %s", cat, RANK_PLURAL[k[0]],
			     RANK_PLURAL[k[3]]);
		break;
	case EVAL_STRAIGHT_FLUSH:
		if (k[0] == 12)
			n = snprintf(buf, len, "Royal Flush");
		else
			n = snprintf(buf, len, "%s, %s-high", cat, RANK_NAME[k[0]]);
		break;
	default:
		n = snprintf(buf, len, "Unknown");
		break;
	}
	return n < 0 ? 0 : (size_t)n;
}
