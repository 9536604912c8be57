/*
 * cards — card encoding, parsing and printing.  See cards.h.
 */
#include "poker/cards.h"

#include <ctype.h>

static const char RANK_CHARS[] = "23456789TJQKA";
static const char SUIT_CHARS[] = "cdhs";

static int rank_of_char(char ch)
{
	for (int r = 0; r < CARDS_RANKS; r++)
		if (toupper((unsigned char)ch) == RANK_CHARS[r])
			return r;
	return -1;
}

static int suit_of_char(char ch)
{
	for (int s = 0; s < CARDS_SUITS; s++)
		if (tolower((unsigned char)ch) == SUIT_CHARS[s])
			return s;
	return -1;
}

int card_parse(const char *s, card_t *out)
{
	/* s[1] is read only when s[0] is a rank, so "A" alone at the end of a
	 * NUL-terminated string never reads past the terminator. */
	int r = rank_of_char(s[0]);
	if (r < 0)
		return CARDS_EINVAL;
	int su = suit_of_char(s[1]);
	if (su < 0)
		return CARDS_EINVAL;
	*out = CARD_MAKE(r, su);
	return CARDS_OK;
}

static int is_separator(char ch)
{
	return ch == ' ' || ch == ',' || ch == '\t';
}

int cards_parse(const char *s, size_t len, card_t *out, int max)
{
	int n = 0;
	size_t i = 0;
	while (i < len) {
		if (is_separator(s[i])) {
			i++;
			continue;
		}
		if (len - i < 2)
			return CARDS_EINVAL;
		card_t c;
		if (card_parse(s + i, &c) != CARDS_OK)
			return CARDS_EINVAL;
		if (n >= max)
			return CARDS_ETOOMANY;
		out[n++] = c;
		i += 2;
	}
	return n;
}

char card_rank_char(int rank)
{
	return rank >= 0 && rank < CARDS_RANKS ? RANK_CHARS[rank] : '?';
}

char card_suit_char(int suit)
{
	return suit >= 0 && suit < CARDS_SUITS ? SUIT_CHARS[suit] : '?';
}

void card_format(card_t c, char out[3])
{
	if (c >= CARDS_COUNT) {
		out[0] = out[1] = '?';
	} else {
		out[0] = RANK_CHARS[CARD_RANK(c)];
		out[1] = SUIT_CHARS[CARD_SUIT(c)];
	}
	out[2] = '\0';
}

size_t cards_format(const card_t *c, int n, char *buf, size_t len)
{
	size_t need = n > 0 ? 2 * (size_t)n : 0;
	if (len == 0)
		return need;
	size_t pos = 0;
	for (int i = 0; i < n && pos + 2 < len; i++) {
		char one[3];
		card_format(c[i], one);
		buf[pos++] = one[0];
		buf[pos++] = one[1];
	}
	buf[pos] = '\0';
	return need;
}

const char *cards_strerror(int err)
{
	switch (err) {
	case CARDS_OK:
		return "success";
	case CARDS_EINVAL:
		return "invalid card: expected a rank (2-9 T J Q K A) then a suit (c d h s)";
	case CARDS_ETOOMANY:
		return "too many cards";
	default:
		return "unknown cards error";
	}
}
