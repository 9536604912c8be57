/*
 * hand — the No-Limit Hold'em hand state machine.
 *
 * One struct hand holds everything about one hand at one table: the seats'
 * stacks and bets, the deck, the board, whose turn it is, and the ordered
 * list of what happened (events).  It is a fixed-size value with no pointers:
 * no allocation, copy it with `=`, thousands of tables each own one.  The
 * engine is pure — no I/O, no clock, no globals, no randomness: the caller
 * passes a shuffled deck (deck_shuffle() from a 32-byte seed) and the actions.
 *
 * Life of a hand:
 *   hand_start()            antes, blinds, hole cards; first player to act
 *   hand_legal()/hand_apply()  until h->phase is no longer HAND_PHASE_BETTING;
 *                           streets, board cards and all-in run-outs follow
 *                           by themselves
 *   HAND_PHASE_SHOWDOWN:    optionally hand_muck() for players giving up;
 *                           then hand_settle(), which shows the hands in
 *                           hand_showdown_order() and mucks beaten ones
 *   HAND_PHASE_DONE:        h->seat[i].stack_chips are the final stacks,
 *                           h->won_chips what each seat took from the pots,
 *                           h->pots / h->rake_chips the pots and the rake.
 * A hand that ends by folds settles itself (straight to HAND_PHASE_DONE).
 *
 * Rules (DESIGN.md §3; TDA rules; PokerKit/PHH model):
 *   - heads-up the button posts the small blind, acts first preflop, last
 *     after the flop; otherwise the blinds are the two seats after the button
 *   - a blind or ante posted short puts the player all-in; callers owe only
 *     what was actually put in (the current bet is the largest posted blind)
 *   - min raise-to = current bet + the largest full raise increment of the
 *     street, at least min_bet_chips (the big blind); as in PokerKit it is
 *     lowered to what puts the biggest opponent all-in when that is less
 *   - antes are dead money in the main pot (PokerKit), unless ante_trimming
 *   - folding is allowed on one's turn even when checking is free (PokerKit
 *     refuses it; a bot giving up should not get an error)
 *   - TDA 47: an all-in bet or raise smaller than a full one does not reopen
 *     the betting to a player who already acted (checking is acting), unless
 *     the short all-ins since that player acted add up to a full raise (TDA
 *     2022 Rule 47A and its Example 1); the minimum raise stays the last
 *     full raise
 *   - uncalled chips go back at the end of every betting round; side pots by
 *     contribution layers (pots.h); each pot split separately, odd chips one
 *     each from the first seat left of the button; rake from the pots before
 *     the award (no flop, no drop)
 *   - showdown (TDA): the last aggressor of the final betting round shows
 *     first, else the first seat left of the button, then clockwise.  When
 *     someone is all-in every hand is tabled (TDA 16); otherwise, unless
 *     cfg.show_all, a hand beaten in every pot it could win by a hand shown
 *     before it is mucked unseen.  Folded hands are never shown.
 *   - a player who times out checks if that is free, else folds
 *     (hand_timeout_action)
 *   - agent tables: the button moves to the next seat with chips
 *     (hand_next_button), the simple moving button of DESIGN §3; so a
 *     player may skip a blind when the seat before them busts.  Cash tables
 *     use the TDA dead button instead (button.h): the caller places the
 *     button (maybe on an empty seat) and the blinds (cfg.blinds_given),
 *     and new players may post a big blind (cfg.posts_chips)
 *
 * Seats are 0 .. nseats-1 around the table in dealing order.  A seat with a
 * starting stack of 0 is empty (not dealt in).
 */
#ifndef FELT_HAND_H
#define FELT_HAND_H

#include <stdbool.h>
#include <stdint.h>

#include "poker/cards.h"
#include "poker/deck.h"
#include "poker/eval.h"
#include "poker/pots.h"

#define HAND_MAX_SEATS 10
/* Largest stack, ante or blind hand_start accepts: ten of them still add up
 * far below INT64_MAX, so no sum in the engine can overflow. */
#define HAND_MAX_CHIPS ((int64_t)1000000000000000) /* 1e15 */
/*
 * Events.  h->events holds what happened since the last hand_events_clear().
 * A table runtime does not handle them itself: it drives the hand through
 * handlog.h, which moves them into the hand's log after every call.
 * A hand has no fixed number of events (a raise war is as long as the stacks
 * allow), so the list is an outbox: a caller that consumes the events after
 * every call (hand_start, hand_apply, hand_muck, hand_settle) and clears them
 * never sees HAND_EEVENTS_FULL.  Each call needs only the room it can use,
 * at most (these bounds are exact worst cases, see hand.c):
 *   hand_start   3 per seat (ante, hole, a blind or a post) + trimmed
 *                ante + returned blind + 3 streets of an all-in run-out
 *   hand_apply   the action + returned bet + 3 streets, or the action +
 *                returned bet + pot + rake + award + end (won by a fold)
 *   hand_muck    1
 *   hand_settle  a show or muck per seat + a pot and a rake per pot + the
 *                awards (pots' eligible sets are nested and strictly
 *                shrinking, so at most 10 + 9 + ... + 1 of them) + end
 * A call without that room returns HAND_EEVENTS_FULL and changes nothing.
 */
#define HAND_MAX_EVENTS 256
#define HAND_EVENTS_PER_START (3 * HAND_MAX_SEATS + 5)
#define HAND_EVENTS_PER_ACTION 6
#define HAND_EVENTS_PER_MUCK 1
#define HAND_EVENTS_PER_SETTLE \
	(HAND_MAX_SEATS + 2 * POTS_MAX + HAND_MAX_SEATS * (HAND_MAX_SEATS + 1) / 2 + 1)

enum hand_error {
	HAND_OK = 0,
	HAND_ECONFIG = -1,        /* hand_start: bad seat count, button, chips or deck */
	HAND_EPHASE = -2,         /* the action does not fit the hand's phase */
	HAND_ESEAT = -3,          /* no such seat, or the seat is not in the hand */
	HAND_ENOT_YOUR_TURN = -4, /* another seat is to act */
	HAND_EACTION = -5,        /* unknown action type */
	HAND_ECHECK_FACING_BET = -6, /* check while there is a bet to call */
	HAND_ENOTHING_TO_CALL = -7,  /* call with nothing to call: check instead */
	HAND_ERAISE_CLOSED = -8,  /* raise not allowed: a short all-in did not reopen
				     the betting (TDA 47) */
	HAND_ERAISE_NO_OPPONENT = -9, /* raise not allowed: every opponent is all-in */
	HAND_ERAISE_BELOW_MIN = -10,  /* raise-to below the minimum (and not all-in) */
	HAND_ERAISE_ABOVE_STACK = -11, /* raise-to more than the player has */
	HAND_EMUCK_LAST = -12,    /* the last hand in a showdown, or in one of its
				     pots, cannot be mucked */
	HAND_EEVENTS_FULL = -13,  /* no room for the call's events: the caller must
				     consume them (hand_events_clear) first */
};

enum hand_phase {
	HAND_PHASE_BETTING,  /* a player is to act (h->to_act) */
	HAND_PHASE_SHOWDOWN, /* betting over with two or more hands: settle */
	HAND_PHASE_DONE,     /* chips awarded; the hand is over */
};

enum hand_street { HAND_PREFLOP, HAND_FLOP, HAND_TURN, HAND_RIVER };

enum hand_action_type {
	HAND_FOLD,
	HAND_CHECK,
	HAND_CALL,
	HAND_RAISE, /* bet or raise; amount is raise-to, the total bet this street */
	HAND_ALLIN, /* everything: a raise to the whole stack if a raise is allowed,
		       else a call if the call takes the whole stack; otherwise
		       refused with the reason a raise is not allowed */
};

struct hand_action {
	enum hand_action_type type;
	int64_t amount_chips; /* HAND_RAISE only: raise-to */
};

/* What the player to act may do (hand_legal). */
struct hand_legal {
	int seat;             /* the player to act, -1 if nobody */
	bool can_fold;
	bool can_check;
	bool can_call;
	int64_t call_chips;   /* chips a call adds (all-in if it is the whole stack) */
	bool can_raise;
	int64_t min_raise_to_chips; /* smallest raise-to; equals max when only an
				       all-in for less than a full raise is left */
	int64_t max_raise_to_chips; /* all-in: bet + stack */
};

enum hand_event_type {
	HAND_EV_ANTE,     /* seat posted amount (all-in if short) */
	HAND_EV_SMALL_BLIND, /* seat posted amount */
	HAND_EV_BIG_BLIND,   /* seat posted amount */
	HAND_EV_HOLE,     /* seat was dealt cards[0..1] */
	HAND_EV_FOLD,     /* seat folded */
	HAND_EV_CHECK,    /* seat checked */
	HAND_EV_CALL,     /* seat called, adding amount (its bet is now amount2) */
	HAND_EV_RAISE,    /* seat bet/raised to amount (raise-to); all_in flag */
	HAND_EV_RETURN,   /* amount of seat's uncalled bet (or trimmed ante) went back */
	HAND_EV_STREET,   /* a new street begins: street, cards[0..ncards-1] dealt */
	HAND_EV_SHOW,     /* seat shows cards[0..1], best hand rank */
	HAND_EV_MUCK,     /* seat gives up its claim at showdown */
	HAND_EV_POT,      /* pot number pot holds amount, eligible seats mask */
	HAND_EV_RAKE,     /* amount taken from pot number pot */
	HAND_EV_AWARD,    /* seat won amount from pot number pot */
	HAND_EV_END,      /* the hand is over */
};

/* One thing that happened.  Fields not listed for a type are zero. */
struct hand_event {
	int64_t amount_chips;
	int64_t amount2_chips; /* CALL: the caller's bet after the call */
	uint32_t rank;         /* SHOW: eval rank of the best five */
	uint16_t mask;         /* POT: eligible seats, bit i = seat i */
	uint8_t type;          /* enum hand_event_type */
	int8_t seat;           /* -1 when the event is not about a seat */
	uint8_t street;        /* enum hand_street when the event happened */
	uint8_t pot;
	uint8_t all_in;        /* ANTE/blinds/CALL/RAISE: the seat is now all-in */
	uint8_t ncards;
	card_t cards[3];
};

struct hand_config {
	int nseats;                      /* 2 .. HAND_MAX_SEATS */
	int button;                      /* seat holding the button: dealt in,
					    unless blinds_given (dead button) */
	int64_t stacks_chips[HAND_MAX_SEATS]; /* 0 = empty seat, not dealt in */
	int64_t antes_chips[HAND_MAX_SEATS];  /* ante per seat (see hand_antes_*) */
	int64_t sb_chips;                /* small blind (0 = none) */
	int64_t bb_chips;                /* big blind */
	int64_t min_bet_chips;           /* smallest bet/raise increment; 0 = bb */
	bool ante_trimming;              /* PokerKit: after the antes, the single
					    largest ante above the second largest
					    is returned (PHH ante_trimming_status) */
	int rake_bp;                     /* rake in basis points of the pot, 0 = none */
	int64_t rake_cap_chips;          /* cap per hand, 0 = no cap */
	bool show_all;                   /* show every hand at showdown, beaten
					    or not (PHH replays; home games) */
	/*
	 * Cash tables (TDA dead button, button.h): with blinds_given the
	 * blinds are where the caller says, not derived from the button.  The
	 * button may then be a seat nobody is dealt into (a dead button),
	 * sb_seat may be -1 (a dead small blind: none is posted) and bb_seat
	 * posts the big blind; both must be dealt in and differ.
	 */
	bool blinds_given;
	int sb_seat, bb_seat;
	/*
	 * Live blinds besides the small and big blind, per seat (0 = none):
	 * a new player posting a big blind to be dealt in at once, or a PHH
	 * straddle-position blind.  Posted after the big blind; like every
	 * blind they count as the player's bet, and preflop action starts
	 * after the largest blind (the later seat on a tie, as PokerKit does),
	 * so a poster acts last preflop.  Only seats dealt in, never the
	 * small or big blind's seat.
	 */
	int64_t posts_chips[HAND_MAX_SEATS];
};

struct hand_seat {
	int64_t stack_chips;   /* behind, not yet in the pot */
	int64_t bet_chips;     /* put in on this street */
	int64_t total_chips;   /* put in during the hand (antes included) */
	int64_t ante_chips;    /* of which the ante */
	int64_t faced_chips;   /* the bet level when this player last acted */
	card_t hole[2];
	bool in_hand;          /* dealt in */
	bool folded;
	bool all_in;
	bool acted;            /* acted on this street */
	bool mucked;
	bool shown;            /* showed its cards at showdown (a SHOW event):
				  from then on they are public */
};

struct hand {
	struct hand_config cfg;
	struct deck deck;
	struct hand_seat seat[HAND_MAX_SEATS];
	card_t board[5];
	int nboard;
	int nplayers;          /* seats dealt in */
	int sb_seat, bb_seat;  /* -1 if not posted */
	enum hand_phase phase;
	enum hand_street street;
	int to_act;            /* seat to act in HAND_PHASE_BETTING, else -1 */
	int aggressor;         /* last seat to bet or raise in the latest betting
				  round (an all-in run-out keeps the last one),
				  -1 if it had no bet; blinds are not bets */
	uint16_t pending;      /* seats that still have to act this street */
	int64_t current_bet_chips; /* largest bet this street */
	int64_t full_raise_chips;  /* largest full raise increment, >= min bet */
	/* results, valid in HAND_PHASE_DONE */
	struct pot pots[POTS_MAX]; /* amounts before the rake */
	int npots;
	int64_t rake_chips;
	int64_t pot_rake_chips[POTS_MAX]; /* the part of the rake each pot gave */
	uint16_t pot_winners[POTS_MAX];   /* who split each pot (bit i = seat i) */
	int64_t won_chips[HAND_MAX_SEATS];
	/* events since the last hand_events_clear: events[i] is the hand's
	 * event number events_base + i (0 = the first event of hand_start) */
	int events_base;
	int nevents;
	struct hand_event events[HAND_MAX_EVENTS];
};

/*
 * hand_start — begin a hand: check cfg, post antes then blinds, deal two hole
 * cards to each player (one card at a time from the seat after the button,
 * from deck->cards[deck->next] on), and find the first player to act.  The
 * board comes from the same deck later, so deck must hold 2 * players + 5
 * undealt cards with no duplicate.  Chip amounts must be 0 .. HAND_MAX_CHIPS.
 * h needs no initialisation; it is overwritten.  Returns 0 or HAND_ECONFIG
 * (h is then unusable).  If nobody can
 * act (everyone all-in from the blinds) the hand runs out to the showdown.
 */
int hand_start(struct hand *h, const struct hand_config *cfg, const struct deck *deck);

/*
 * hand_legal — fill *out with what the player to act may do.  Outside
 * HAND_PHASE_BETTING out->seat is -1 and everything is false.
 */
void hand_legal(const struct hand *h, struct hand_legal *out);

/*
 * hand_apply — seat takes action a.  Returns 0 and advances the hand (next
 * player, next street, run-out, settlement when everyone else folded), or a
 * negative hand_error naming the rule broken, leaving h unchanged
 * (HAND_EEVENTS_FULL: fewer than HAND_EVENTS_PER_ACTION free event slots).
 */
int hand_apply(struct hand *h, int seat, const struct hand_action *a);

/*
 * hand_timeout_action — the safety default for the player to act (DESIGN
 * §3): *a becomes a check when checking is free, else a fold.  Returns the
 * seat to act, or -1 (and *a untouched) outside HAND_PHASE_BETTING.  Apply it
 * with hand_apply like any action.
 */
int hand_timeout_action(const struct hand *h, struct hand_action *a);

/*
 * hand_showdown_order — the seats still in the hand (not folded) in the order
 * they show: the last aggressor of the final betting round first, else the
 * first seat left of the button, then clockwise.  Writes them to seats and
 * returns how many.  hand_settle shows in this order.
 */
int hand_showdown_order(const struct hand *h, int seats[HAND_MAX_SEATS]);

/*
 * hand_muck — in HAND_PHASE_SHOWDOWN, seat gives up its claim to every pot
 * (its cards are not shown).  Returns 0, HAND_EPHASE, HAND_ESEAT (not in the
 * showdown), HAND_EMUCK_LAST when it is the only hand left in the showdown
 * or in one of the pots it can win (a mucked hand never wins, so that pot
 * would have no winner), or HAND_EEVENTS_FULL (no free event slot); h is
 * unchanged on error.
 */
int hand_muck(struct hand *h, int seat);

/*
 * hand_settle — in HAND_PHASE_SHOWDOWN: show the remaining hands in
 * hand_showdown_order (a SHOW event each; a hand beaten by one shown before
 * it in every pot it could win gets a MUCK event instead, unless someone is
 * all-in or cfg.show_all), build the pots, take the rake, split each pot
 * among its best hands and pay.  Ends in
 * HAND_PHASE_DONE.  Returns 0, HAND_EPHASE, or HAND_EEVENTS_FULL (fewer than
 * HAND_EVENTS_PER_SETTLE free event slots; h is unchanged).
 */
int hand_settle(struct hand *h);

/*
 * hand_events_clear — forget the events recorded so far (the caller has
 * consumed them); h->events_base moves past them.  The hand itself is
 * unaffected.
 */
void hand_events_clear(struct hand *h);

/*
 * hand_next_button — the seat that gets the button after prev: the next seat
 * clockwise (higher index, wrapping) whose stack in stacks_chips is > 0.
 * prev may be -1 for the first hand (gives the first seat with chips).
 * Returns -1 if no seat has chips.
 */
int hand_next_button(const int64_t stacks_chips[], int nseats, int prev);

/* hand_antes_uniform — set every seat's ante in cfg to ante_chips. */
void hand_antes_uniform(struct hand_config *cfg, int64_t ante_chips);

/*
 * hand_antes_big_blind — big-blind ante: the seat that will post the big blind
 * (given cfg's button and stacks) posts ante_chips, nobody else.
 */
void hand_antes_big_blind(struct hand_config *cfg, int64_t ante_chips);

/*
 * hand_blind_seats — the seats that post the small and big blind for cfg's
 * button and stacks (heads-up: the button is the small blind), or cfg's own
 * sb_seat and bb_seat when cfg.blinds_given.  Returns 0 or HAND_ECONFIG
 * when fewer than two seats have chips.
 */
int hand_blind_seats(const struct hand_config *cfg, int *sb_seat, int *bb_seat);

/*
 * hand_first_left — the first seat dealt in after the button: where dealing
 * starts, who acts first after the flop, who gets odd chips first.
 */
int hand_first_left(const struct hand *h);

/*
 * hand_street_name — "preflop", "flop", "turn", "river"; NULL for anything
 * else.  The names the stored history (handlog.h) uses.
 */
const char *hand_street_name(enum hand_street s);

/*
 * hand_event_name — the stable lowercase name of an event type: "ante",
 * "small_blind", "big_blind", "hole", "fold", "check", "call", "raise",
 * "return", "street", "show", "muck", "pot", "rake", "award", "end"; NULL for
 * anything else.  Stored histories use these names: never rename one.
 */
const char *hand_event_name(enum hand_event_type t);

/* hand_strerror — static English text for a hand_error code. */
const char *hand_strerror(int err);

#endif
