/*
 * button — where the button and the blinds go in the next hand of a cash
 * table, where players come and go between hands: the TDA dead-button rule
 * (DESIGN §3).  Pure functions, no state of their own.
 *
 *   - The big blind moves exactly one seat every hand, to the next seat
 *     (clockwise) with a player in it, so nobody misses it and nobody posts
 *     it twice in a row.
 *   - The small blind is the seat that had the big blind last hand; if that
 *     player has left, the small blind is dead (nobody posts it).
 *   - The button is the seat that had the small blind last hand, even if it
 *     is empty now (a dead button).
 *   - A new player waits for the big blind (and is dealt in when it reaches
 *     them), or posts a big blind to be dealt in at once — except from the
 *     button or the small blind's seat or between them, where they wait.
 *   - Heads-up the button posts the small blind and the other player the
 *     big blind, which still moves every hand; going from three players to
 *     two or back the big blind keeps moving one seat, and the button goes
 *     to the other player.
 *
 * How a table runtime uses it, between hands:
 *
 *     enum button_seat seats[N];      EMPTY / PLAYING / WAITING / POSTING
 *     struct button_deal deal;
 *     if (button_next(&table->pos, N, seats, &deal) == BUTTON_OK) {
 *             build cfg (stacks, blinds) as usual, then
 *             button_config(&deal, &cfg);   button, blinds, posts, who is
 *                                           dealt in (others' stacks -> 0)
 *             handlog_start(..., &cfg, ...);
 *             table->pos = deal.pos;        only once the hand is dealt
 *             new players in deal.dealt are PLAYING from now on
 *     }
 *
 * Before the first hand (or after the table stopped for lack of players)
 * pos.bb is -1: everyone seated is dealt in, the button goes to the first
 * occupied seat after pos.button (any seat when pos.button is -1), and the
 * blinds follow it.
 */
#ifndef FELT_BUTTON_H
#define FELT_BUTTON_H

#include <stdbool.h>
#include <stdint.h>

#include "poker/hand.h"

/* What a seat holds, as the table runtime sees it before a hand. */
enum button_seat {
	BUTTON_EMPTY,   /* nobody, or a player sitting out, away or busted */
	BUTTON_PLAYING, /* a player already in the game (dealt in before) */
	BUTTON_WAITING, /* a new player waiting for the big blind */
	BUTTON_POSTING, /* a new player who posts a big blind to play now */
};

/* The positions of a hand: what button_next needs of the last one. */
struct button_pos {
	int button; /* the button's seat (maybe empty: a dead button), -1 none */
	int sb;     /* the small blind's seat (maybe dead) */
	int bb;     /* the seat that posted the big blind; -1 before a first hand */
};

/* The next hand. */
struct button_deal {
	struct button_pos pos; /* its positions: the next call's prev */
	int button;            /* = pos.button */
	int sb_seat;           /* posts the small blind; -1 when it is dead */
	int bb_seat;           /* posts the big blind */
	uint16_t dealt;        /* seats dealt in (bit i = seat i) */
	uint16_t posts;        /* new players posting a big blind */
	int nplayers;          /* seats dealt in */
};

enum button_error {
	BUTTON_OK = 0,
	BUTTON_EINVAL = -1,      /* nseats out of 2 .. HAND_MAX_SEATS, a bad seat
				    state, or prev outside the table */
	BUTTON_ETOO_FEW = -2,    /* fewer than two players can be dealt in */
};

/*
 * button_next — the next hand's button, blinds and players after prev (the
 * last hand's deal.pos; {-1, -1, -1} before the first), for the seats'
 * states seats[0 .. nseats-1].  Fills *out and returns 0, or a negative
 * button_error (*out is then unspecified).
 */
int button_next(const struct button_pos *prev, int nseats, const enum button_seat seats[],
		struct button_deal *out);

/*
 * button_config — put deal into cfg (whose nseats, stacks and blinds' sizes
 * the caller has set): the button, the blind seats (cfg.blinds_given), the
 * posts (a big blind each) and, for every seat not dealt in, a zero stack,
 * so that hand_start deals exactly deal.dealt.
 */
void button_config(const struct button_deal *deal, struct hand_config *cfg);

/* button_strerror — static English text for a button_error code. */
const char *button_strerror(int err);

#endif
