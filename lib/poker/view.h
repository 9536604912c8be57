/*
 * view — the one redaction point: what one viewer may know about a hand.
 *
 * Every wire format (MoltPoker's game_state, Open Poker's table_state and
 * your_turn, spectators, resync, REST snapshots, hand histories) is built
 * from a struct hand_view or filtered by view_event_visible, never from
 * struct hand directly, so that no codec decides on its own whose hole cards
 * to show.  The rule (DESIGN §7):
 *   - a seat sees its own hole cards;
 *   - everyone sees the cards of a hand shown at showdown (a SHOW event,
 *     hand_seat.shown), from that moment on;
 *   - nobody sees a folded or mucked hand, ever, nor anyone's cards before
 *     the showdown;
 *   - VIEW_PLATFORM (the operator, stored histories, admin observers with
 *     showCards) sees everything.
 *
 * How a table runtime uses it:
 *   - to send a seat (or a spectator) the state of the hand:
 *         struct hand_view v;
 *         hand_view(&h, seat_or_VIEW_SPECTATOR, &v);
 *     and encode v (v.legal is filled when it is v.viewer's turn);
 *   - to forward the hand's events (handlog.h) to a connection: skip the
 *     entries for which view_event_visible(&entry.ev, viewer) is false.
 *
 * Pure: no allocation, no state.  A struct hand_view is a plain value.
 */
#ifndef FELT_VIEW_H
#define FELT_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "poker/hand.h"

#define VIEW_SPECTATOR (-1) /* a viewer without a seat: public information only */
#define VIEW_PLATFORM (-2)  /* the platform: every card, for stored histories */

struct view_seat {
	bool in_hand;          /* dealt into this hand */
	bool folded;
	bool all_in;
	bool mucked;           /* gave up its hand at showdown, unseen */
	bool shown;            /* showed its cards at showdown */
	bool cards_visible;    /* hole[] holds the real cards for this viewer;
				  else both are CARD_NONE */
	card_t hole[2];
	int64_t stack_chips;   /* behind */
	int64_t bet_chips;     /* in front of the player on this street */
	int64_t total_chips;   /* put in during the hand, antes included */
	int64_t won_chips;     /* taken from the pots (HAND_PHASE_DONE), else 0 */
	eval_rank_t rank;      /* best five (eval.h) when shown, else 0 */
};

struct hand_view {
	int viewer;            /* the seat, VIEW_SPECTATOR or VIEW_PLATFORM */
	enum hand_phase phase;
	enum hand_street street;
	int nseats;
	int button;            /* may be a seat nobody is dealt into (dead button) */
	int sb_seat, bb_seat;  /* -1 when not posted */
	int64_t sb_chips, bb_chips;
	card_t board[5];
	int nboard;
	int to_act;            /* seat to act, -1 when nobody */
	int64_t current_bet_chips;  /* the largest bet of this street */
	struct view_seat seat[HAND_MAX_SEATS];
	/*
	 * Money in the middle.  pots[] are the contribution layers of the chips
	 * already collected from earlier streets (and antes), main pot first,
	 * and pot_chips their sum: MoltPoker's `pot`.  bets_chips is what lies
	 * in front of the players on this street, not yet collected; Open
	 * Poker's `pot` is pot_chips + bets_chips.  Once the hand is done
	 * pots[] are the final pots before the rake and bets_chips is 0.
	 */
	struct pot pots[POTS_MAX];
	int npots;
	int64_t pot_chips;
	int64_t bets_chips;
	int64_t rake_chips;    /* HAND_PHASE_DONE only */
	/*
	 * For a seated viewer: what a call would cost (current bet minus its
	 * bet; not capped by its stack; 0 outside the betting), and, when it is
	 * the viewer's turn, my_turn and legal (hand_legal).  Otherwise
	 * my_turn is false and legal.seat is -1.
	 */
	int64_t to_call_chips;
	bool my_turn;
	struct hand_legal legal;
};

/*
 * hand_view — fill *out with what viewer (a seat 0 .. nseats-1,
 * VIEW_SPECTATOR or VIEW_PLATFORM) may know about h.  A seat number outside
 * the table is treated as a spectator.  Works in every phase, including a
 * hand that has just started or is done.
 */
void hand_view(const struct hand *h, int viewer, struct hand_view *out);

/*
 * view_may_see_cards — may viewer see seat's hole cards in h now?  True for
 * the platform, for the seat itself, and for a hand shown at showdown.
 */
bool view_may_see_cards(const struct hand *h, int viewer, int seat);

/*
 * view_event_visible — may viewer be sent event e?  Every event is public
 * except HAND_EV_HOLE, which only its own seat and the platform see (hole
 * cards become public only through HAND_EV_SHOW).
 */
bool view_event_visible(const struct hand_event *e, int viewer);

#endif
