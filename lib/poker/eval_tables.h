/*
 * eval_tables — the lookup tables of the evaluator, generated at build time
 * by lib/poker/eval_gen.c into eval_tables.c.  Private to eval.c (and its tests):
 * callers use eval.h.  See eval_gen.c for how each table is built.
 */
#ifndef FELT_EVAL_TABLES_H
#define FELT_EVAL_TABLES_H

#include <stdint.h>

/* Per card: rank key in bits 0..31 plus one in the card's suit counter nibble
 * at bit 32 + 4 * suit.  Indexed by any card_t byte: 52..255 are zero. */
extern const uint64_t eval_card_key[256];
/* Per card: bit (16 * suit + rank), so a suit's ranks are a 13-bit field. */
extern const uint64_t eval_card_mask[256];

/* Added once to every key sum: each suit counter starts at 3 so that its
 * bit 3 is set exactly when the suit holds five or more cards. */
#define EVAL_SUIT_BIAS (UINT64_C(0x3333) << 32)
#define EVAL_FLUSH_BITS (UINT64_C(0x8888) << 32)

/* Rank value of the best flush by the 13-bit rank mask of the flush suit
 * (0 where fewer than five bits are set). */
extern const uint16_t eval_flush_table[8192];

/* Row-displacement perfect hash of the rank key sum k (5 to 7 cards):
 * value = eval_rank_table[(uint32_t)(k + eval_row_offset[k >> EVAL_ROW_SHIFT])].
 * The shift trades offset-table size against rank-table density.  Rows
 * cover every sum of up to 7 card keys and each placed row's 2^shift columns
 * lie inside eval_rank_table, so no input byte can index out of bounds. */
#define EVAL_ROW_SHIFT 12
extern const uint32_t eval_row_offset[];
extern const uint16_t eval_rank_table[];

/* Rank values are 1-based inside their category (0 is never a valid value).
 * The five ranks of each of the 7,462 hand classes, in order of significance,
 * as nibbles (first rank in bits 16..19), indexed by
 * eval_category_first[category] + (value & 0xfff) - 1; eval_category_first[9]
 * is 7462, so a category's size is first[c + 1] - first[c]. */
extern const uint32_t eval_class_ranks[7462];
extern const uint16_t eval_category_first[10];

#endif
