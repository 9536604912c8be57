/*
 * handtest — helpers shared by the hand engine's tests and benchmark:
 * building configurations and stacked decks, and a reproducible generator.
 * Header-only (static functions) so each test program stays one file.
 */
#ifndef FELT_HANDTEST_H
#define FELT_HANDTEST_H

#include <stdint.h>
#include <string.h>

#include "poker/cards.h"
#include "poker/deck.h"
#include "poker/hand.h"

/* A config with nseats seats, the given stacks (0 = empty), blinds sb/bb. */
static inline struct hand_config ht_config(int nseats, int button, const int64_t *stacks,
					   int64_t sb, int64_t bb)
{
	struct hand_config c;

	memset(&c, 0, sizeof c);
	c.nseats = nseats;
	c.button = button;
	for (int i = 0; i < nseats; i++)
		c.stacks_chips[i] = stacks[i];
	c.sb_chips = sb;
	c.bb_chips = bb;
	return c;
}

/*
 * Stack a deck so that seat i gets holes[i] ("AsAd", or NULL for any) and the
 * board is board ("2c3d4h5s6c", or NULL for any), in the engine's dealing
 * order (one card at a time from the seat left of the button, two rounds).
 * Cards not named come from the rest of the deck in order.
 */
static inline void ht_deck(struct deck *d, const struct hand_config *c, const char *const *holes,
			   const char *board)
{
	card_t want[HAND_MAX_SEATS * 2 + 5];
	int n = 0, first = -1;
	uint64_t used = 0;

	for (int k = 1; k <= c->nseats && first < 0; k++)
		if (c->stacks_chips[(c->button + k) % c->nseats] > 0)
			first = (c->button + k) % c->nseats;
	for (int r = 0; r < 2; r++) {
		for (int k = 0; k < c->nseats; k++) {
			int i = (first + k) % c->nseats;
			if (c->stacks_chips[i] <= 0)
				continue;
			card_t x = CARD_NONE;
			if (holes && holes[i])
				card_parse(holes[i] + 2 * r, &x);
			want[n++] = x;
		}
	}
	for (int k = 0; k < 5; k++) {
		card_t x = CARD_NONE;
		if (board)
			card_parse(board + 2 * k, &x);
		want[n++] = x;
	}
	for (int k = 0; k < n; k++)
		if (want[k] != CARD_NONE)
			used |= 1ull << want[k];
	card_t spare = 0;
	for (int k = 0; k < n; k++) {
		if (want[k] != CARD_NONE)
			continue;
		while (used & (1ull << spare))
			spare++;
		want[k] = spare;
		used |= 1ull << spare;
	}
	memcpy(d->cards, want, (size_t)n);
	for (card_t x = 0; x < 52; x++)
		if (!(used & (1ull << x)))
			d->cards[n++] = x;
	d->next = 0;
}

/* How many events of type t (for seat, or any seat when seat < 0) h holds. */
static inline int ht_count_events(const struct hand *h, enum hand_event_type t, int seat)
{
	int n = 0;
	for (int i = 0; i < h->nevents; i++)
		n += h->events[i].type == t && (seat < 0 || h->events[i].seat == seat);
	return n;
}

/* The first event of type t in h, or NULL. */
static inline const struct hand_event *ht_find_event(const struct hand *h, enum hand_event_type t)
{
	for (int i = 0; i < h->nevents; i++)
		if (h->events[i].type == t)
			return &h->events[i];
	return NULL;
}

/* splitmix64: a small reproducible generator for property tests and benches. */
static inline uint64_t ht_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A number in 0 .. n-1 (multiply-shift: no division; the tiny bias does not
 * matter for tests and benchmarks). */
static inline uint64_t ht_below(uint64_t *s, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)ht_rand(s) * n) >> 64);
}

/* A shuffled deck from the generator (Fisher-Yates). */
static inline void ht_shuffle(struct deck *d, uint64_t *s)
{
	for (int i = 0; i < 52; i++)
		d->cards[i] = (card_t)i;
	for (int i = 51; i > 0; i--) {
		int j = (int)ht_below(s, (uint64_t)(i + 1));
		card_t t = d->cards[i];
		d->cards[i] = d->cards[j];
		d->cards[j] = t;
	}
	d->next = 0;
}

/*
 * A random configuration for property tests: 2 to 10 seats, some empty,
 * some very short stacks, mostly deep; blinds, sometimes no small blind;
 * uniform or big-blind antes, ante trimming and rake some of the time.
 */
static inline void ht_random_config(struct hand_config *c, uint64_t *rs)
{
	memset(c, 0, sizeof *c);
	c->nseats = 2 + (int)(ht_rand(rs) % 9);
	int64_t bb = 2 + (int64_t)(ht_rand(rs) % 50);
	c->bb_chips = bb;
	c->sb_chips = ht_rand(rs) % 8 ? bb / 2 : 0;
	int players = 0;
	while (players < 2) {
		players = 0;
		for (int i = 0; i < c->nseats; i++) {
			uint64_t r = ht_rand(rs) % 10;
			/* Some empty seats, some very short stacks, mostly deep. */
			c->stacks_chips[i] = r == 0 ? 0 : r == 1 ? 1 + (int64_t)(ht_rand(rs) % (uint64_t)(2 * bb))
				: bb * (5 + (int64_t)(ht_rand(rs) % 200));
			players += c->stacks_chips[i] > 0;
		}
	}
	c->button = hand_next_button(c->stacks_chips, c->nseats, (int)(ht_rand(rs) % (uint64_t)c->nseats));
	switch (ht_rand(rs) % 4) {
	case 0:
		hand_antes_uniform(c, 1 + (int64_t)(ht_rand(rs) % (uint64_t)bb));
		break;
	case 1:
		hand_antes_big_blind(c, bb);
		break;
	default:
		break;
	}
	c->ante_trimming = ht_rand(rs) % 4 == 0;
	if (ht_rand(rs) % 3 == 0) {
		c->rake_bp = 500;
		c->rake_cap_chips = ht_rand(rs) % 2 ? 3 * bb : 0;
	}
}

/*
 * Pick a random legal action for the player to act: fold, check, call, a raise
 * anywhere between min and max, or all-in.
 */
static inline struct hand_action ht_random_action(const struct hand_legal *l, uint64_t *s)
{
	struct hand_action a = {HAND_FOLD, 0};

	for (;;) {
		switch (ht_below(s, 6)) {
		case 0:
			if (l->can_check)
				continue; /* folding for free is legal but rare in play */
			a.type = HAND_FOLD;
			return a;
		case 1:
		case 2:
			a.type = l->can_check ? HAND_CHECK : HAND_CALL;
			return a;
		case 3:
		case 4:
			if (!l->can_raise)
				continue;
			a.type = HAND_RAISE;
			a.amount_chips = l->min_raise_to_chips;
			if (l->max_raise_to_chips > l->min_raise_to_chips && (ht_rand(s) & 1))
				a.amount_chips += (int64_t)ht_below(s,
					(uint64_t)(l->max_raise_to_chips - l->min_raise_to_chips + 1));
			return a;
		default:
			if (!l->can_raise && !(l->can_call))
				continue;
			a.type = HAND_ALLIN;
			if (!l->can_raise)
				a.type = HAND_CALL;
			return a;
		}
	}
}

#endif
