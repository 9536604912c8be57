/*
 * cards — the 52 playing cards: encoding, parsing and printing.
 *
 * A card is one byte, rank * 4 + suit, so that CARD_RANK/CARD_SUIT are a
 * shift and a mask and the evaluator can index tables by card directly.
 * Ranks run 0 = '2' .. 12 = 'A'; suits 0 = c, 1 = d, 2 = h, 3 = s (the
 * alphabetical order used by PHH and PokerKit).  Text form is rank char
 * from "23456789TJQKA" followed by suit char from "cdhs", e.g. "As", "Td".
 *
 * Pure functions, no state, no allocation.
 */
#ifndef FELT_CARDS_H
#define FELT_CARDS_H

#include <stddef.h>
#include <stdint.h>

typedef uint8_t card_t; /* 0..51 = rank * 4 + suit */

#define CARD_NONE ((card_t)0xff)
#define CARDS_COUNT 52
#define CARDS_RANKS 13
#define CARDS_SUITS 4
#define CARD_RANK(c) ((c) >> 2)
#define CARD_SUIT(c) ((c) & 3)
#define CARD_MAKE(rank, suit) ((card_t)(((rank) << 2) | (suit)))

enum cards_error {
	CARDS_OK = 0,
	CARDS_EINVAL = -1,   /* not a rank char followed by a suit char */
	CARDS_ETOOMANY = -2, /* more cards in the text than fit in out */
};

/*
 * card_parse — parse the two characters at s ("As", "td" — the rank is
 * case-insensitive for T J Q K A, the suit for c d h s) into *out.
 * Only s[0] and s[1] are read; s need not be NUL-terminated.
 * Returns 0, or CARDS_EINVAL (and leaves *out unchanged) on anything else.
 */
int card_parse(const char *s, card_t *out);

/*
 * cards_parse — parse len bytes of concatenated cards ("AsKd7h"), spaces
 * and commas between cards allowed, into out (room for max cards).
 * Returns the number of cards parsed (0 for empty text), CARDS_EINVAL on a
 * malformed card or dangling character, CARDS_ETOOMANY if more than max.
 * Duplicates are not rejected here: that is the caller's rule to apply.
 */
int cards_parse(const char *s, size_t len, card_t *out, int max);

/*
 * card_format — write the two-character text of c and a NUL to out.
 * A card outside 0..51 (including CARD_NONE) is written as "??".
 */
void card_format(card_t c, char out[3]);

/*
 * cards_format — write n cards as concatenated text ("AsKd7h") into buf of
 * size len, NUL-terminated.  Returns the length the full text needs
 * (2 * n), like snprintf, so a return >= len means it was truncated.
 */
size_t cards_format(const card_t *c, int n, char *buf, size_t len);

/* card_rank_char — '2'..'9', 'T', 'J', 'Q', 'K', 'A' for rank 0..12, '?' else. */
char card_rank_char(int rank);

/* card_suit_char — 'c', 'd', 'h', 's' for suit 0..3, '?' else. */
char card_suit_char(int suit);

/* cards_strerror — static English text for a cards_error code. */
const char *cards_strerror(int err);

#endif
