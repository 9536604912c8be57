/*
 * hand — starting a hand, streets and run-outs, events.  The betting itself
 * (legal actions, applying one) is in betting.c, the showdown and the
 * settlement in showdown.c, seat arithmetic (button, blinds) in seats.c.
 */
#include "poker/hand.h"

#include <stddef.h>
#include <string.h>

#include "poker/hand_internal.h"

/* hand_start runs on an empty list and hand_settle must fit in an empty one. */
_Static_assert(HAND_EVENTS_PER_START <= HAND_MAX_EVENTS &&
		       HAND_EVENTS_PER_SETTLE <= HAND_MAX_EVENTS,
	       "HAND_MAX_EVENTS too small for one call's events");

int hand_live_count(const struct hand *h)
{
	int n = 0;
	for (int i = 0; i < h->cfg.nseats; i++)
		n += h->seat[i].in_hand && !h->seat[i].folded;
	return n;
}

int hand_next_to_act(const struct hand *h, int after)
{
	unsigned p = h->pending;

	/* Called on every action: the lowest pending seat above `after`, else
	 * the lowest one (wrapping), by bit arithmetic rather than a loop. */
	if (p == 0)
		return -1;
	unsigned above = after < 0 ? p : p >> (after + 1) << (after + 1);
	return __builtin_ctz(above ? above : p);
}

void hand_stacks_in_play(const struct hand *h, int seat, int64_t *others_max, int64_t *second)
{
	int64_t first = 0, sec = 0;
	int top = -1;

	for (int i = 0; i < h->cfg.nseats; i++) {
		const struct hand_seat *s = &h->seat[i];
		if (!s->in_hand || s->folded)
			continue;
		int64_t t = s->bet_chips + s->stack_chips;
		if (t > first) {
			sec = first;
			first = t;
			top = i;
		} else if (t > sec) {
			sec = t;
		}
	}
	*others_max = top == seat ? sec : first;
	*second = sec;
}

static bool dealt(const struct hand_config *cfg, int seat)
{
	return seat >= 0 && seat < cfg->nseats && cfg->stacks_chips[seat] > 0;
}

/* The button and the blinds the caller placed (cfg.blinds_given). */
static int check_blinds(const struct hand_config *cfg)
{
	if (!cfg->blinds_given)
		return dealt(cfg, cfg->button) ? HAND_OK : HAND_ECONFIG;
	if (!dealt(cfg, cfg->bb_seat) || cfg->posts_chips[cfg->bb_seat] > 0)
		return HAND_ECONFIG;
	if (cfg->sb_seat != -1 && (!dealt(cfg, cfg->sb_seat) || cfg->sb_seat == cfg->bb_seat ||
				   cfg->posts_chips[cfg->sb_seat] > 0))
		return HAND_ECONFIG;
	return HAND_OK;
}

/* Check cfg and the deck; *players gets how many are dealt in, *posts
 * whether anyone posts besides the blinds. */
static int check_config(const struct hand_config *cfg, const struct deck *deck, int *players,
			bool *posts)
{
	int n = 0;
	uint64_t seen = 0;

	if (cfg->nseats < 2 || cfg->nseats > HAND_MAX_SEATS || cfg->button < 0 ||
	    cfg->button >= cfg->nseats)
		return HAND_ECONFIG;
	if (cfg->sb_chips < 0 || cfg->bb_chips < 0 || cfg->min_bet_chips < 0 ||
	    cfg->sb_chips > HAND_MAX_CHIPS || cfg->bb_chips > HAND_MAX_CHIPS ||
	    cfg->min_bet_chips > HAND_MAX_CHIPS ||
	    (cfg->min_bet_chips == 0 && cfg->bb_chips == 0) || cfg->rake_bp < 0 ||
	    cfg->rake_bp > 10000 || cfg->rake_cap_chips < 0)
		return HAND_ECONFIG;
	*posts = false;
	for (int i = 0; i < cfg->nseats; i++) {
		int64_t p = cfg->posts_chips[i];
		if (cfg->stacks_chips[i] < 0 || cfg->antes_chips[i] < 0 ||
		    cfg->stacks_chips[i] > HAND_MAX_CHIPS || cfg->antes_chips[i] > HAND_MAX_CHIPS ||
		    p < 0 || p > HAND_MAX_CHIPS || (p > 0 && cfg->stacks_chips[i] == 0))
			return HAND_ECONFIG;
		n += cfg->stacks_chips[i] > 0;
		*posts |= p > 0;
	}
	if (check_blinds(cfg) != HAND_OK)
		return HAND_ECONFIG;
	if (n < 2 || deck->next < 0 || 52 - deck->next < 2 * n + 5)
		return HAND_ECONFIG;
	for (int k = deck->next; k < deck->next + 2 * n + 5; k++) {
		card_t c = deck->cards[k];
		if (c >= 52 || (seen & (1ull << c)))
			return HAND_ECONFIG;
		seen |= 1ull << c;
	}
	*players = n;
	return HAND_OK;
}

/* Move up to want chips from seat's stack into its bet or (ante) total. */
static int64_t post(struct hand *h, int seat, int64_t want, bool into_bet)
{
	struct hand_seat *s = &h->seat[seat];
	int64_t amt = want < s->stack_chips ? want : s->stack_chips;

	s->stack_chips -= amt;
	s->total_chips += amt;
	if (into_bet)
		s->bet_chips += amt;
	s->all_in = s->stack_chips == 0;
	return amt;
}

static void post_antes(struct hand *h, int first)
{
	int64_t posted[HAND_MAX_SEATS] = {0};

	for (int k = 0; k < h->cfg.nseats; k++) {
		int i = (first + k) % h->cfg.nseats;
		if (!h->seat[i].in_hand || h->cfg.antes_chips[i] == 0)
			continue;
		posted[i] = post(h, i, h->cfg.antes_chips[i], false);
		h->seat[i].ante_chips = posted[i];
		struct hand_event *e = hand_emit(h, HAND_EV_ANTE, i);
		e->amount_chips = posted[i];
		e->all_in = h->seat[i].all_in;
	}
	if (!h->cfg.ante_trimming)
		return;
	/* PokerKit's ante trimming: an ante nobody else matched comes back,
	 * like an uncalled bet. */
	int seat;
	int64_t back = pots_uncalled(posted, h->cfg.nseats, &seat);
	if (back > 0) {
		h->seat[seat].stack_chips += back;
		h->seat[seat].total_chips -= back;
		h->seat[seat].ante_chips -= back;
		h->seat[seat].all_in = false;
		struct hand_event *e = hand_emit(h, HAND_EV_RETURN, seat);
		e->amount_chips = back;
	}
}

static void post_blind(struct hand *h, int seat, int64_t amount, enum hand_event_type type)
{
	if (seat < 0 || amount <= 0 || h->seat[seat].all_in)
		return;
	struct hand_event *e = hand_emit(h, type, seat);
	e->amount_chips = post(h, seat, amount, true);
	e->all_in = h->seat[seat].all_in;
}

static void deal_hole(struct hand *h, int first)
{
	for (int round = 0; round < 2; round++) {
		for (int k = 0; k < h->cfg.nseats; k++) {
			int i = (first + k) % h->cfg.nseats;
			if (h->seat[i].in_hand)
				h->seat[i].hole[round] = deck_deal(&h->deck);
		}
	}
	for (int k = 0; k < h->cfg.nseats; k++) {
		int i = (first + k) % h->cfg.nseats;
		if (!h->seat[i].in_hand)
			continue;
		struct hand_event *e = hand_emit(h, HAND_EV_HOLE, i);
		e->ncards = 2;
		e->cards[0] = h->seat[i].hole[0];
		e->cards[1] = h->seat[i].hole[1];
	}
}

/*
 * Start a betting round: who may act is everyone still in with chips who can
 * still lose some (PokerKit's effective stack > 0: the second largest
 * bet + stack among live players exceeds what they have already bet).  A lone
 * such player who already matches the bet has nothing to decide.
 */
static void round_begin(struct hand *h, int after)
{
	int64_t first, second;
	int n = 0, last = -1;

	hand_stacks_in_play(h, -1, &first, &second);
	h->pending = 0;
	for (int i = 0; i < h->cfg.nseats; i++) {
		const struct hand_seat *s = &h->seat[i];
		if (!s->in_hand || s->folded || s->all_in || second - s->bet_chips <= 0)
			continue;
		h->pending |= (uint16_t)(1u << i);
		n++;
		last = i;
	}
	if (n == 1 && h->seat[last].bet_chips >= h->current_bet_chips)
		h->pending = 0;
	if (h->pending == 0) {
		h->to_act = -1;
		hand_round_end(h);
		return;
	}
	h->phase = HAND_PHASE_BETTING;
	h->aggressor = -1;
	h->to_act = hand_next_to_act(h, after);
}

int hand_start(struct hand *h, const struct hand_config *cfg, const struct deck *deck)
{
	int players, err;
	bool posts;

	memset(h, 0, offsetof(struct hand, events));
	h->nevents = 0;
	h->to_act = -1;
	h->aggressor = -1;
	h->sb_seat = h->bb_seat = -1;
	if ((err = check_config(cfg, deck, &players, &posts)) != HAND_OK)
		return err;
	h->cfg = *cfg;
	if (h->cfg.min_bet_chips == 0)
		h->cfg.min_bet_chips = cfg->bb_chips;
	h->deck = *deck;
	h->nplayers = players;
	for (int i = 0; i < cfg->nseats; i++) {
		h->seat[i].stack_chips = cfg->stacks_chips[i];
		h->seat[i].in_hand = cfg->stacks_chips[i] > 0;
		h->seat[i].hole[0] = h->seat[i].hole[1] = CARD_NONE;
	}
	int first = hand_first_left(h);
	hand_blind_seats(cfg, &h->sb_seat, &h->bb_seat);
	post_antes(h, first);
	post_blind(h, cfg->sb_chips > 0 ? h->sb_seat : -1, cfg->sb_chips, HAND_EV_SMALL_BLIND);
	post_blind(h, h->bb_seat, cfg->bb_chips, HAND_EV_BIG_BLIND);
	for (int k = 0; posts && k < cfg->nseats; k++) {
		int i = (first + k) % cfg->nseats;
		post_blind(h, i, cfg->posts_chips[i], HAND_EV_BIG_BLIND);
	}
	deal_hole(h, first);
	for (int i = 0; i < cfg->nseats; i++)
		if (h->seat[i].bet_chips > h->current_bet_chips)
			h->current_bet_chips = h->seat[i].bet_chips;
	h->full_raise_chips = h->cfg.min_bet_chips;
	h->street = HAND_PREFLOP;
	h->phase = HAND_PHASE_BETTING;
	/* PokerKit: preflop action starts after the largest blind, the later
	 * seat winning a tie — after the big blind in every normal case. */
	int opener_after = first;
	for (int k = 0; k < cfg->nseats; k++) {
		int i = (first + k) % cfg->nseats;
		if (h->seat[i].in_hand && h->seat[i].bet_chips >= h->seat[opener_after].bet_chips)
			opener_after = i;
	}
	round_begin(h, opener_after);
	return HAND_OK;
}

static void deal_street(struct hand *h)
{
	int ncards = h->street == HAND_PREFLOP ? 3 : 1;

	h->street++;
	struct hand_event *e = hand_emit(h, HAND_EV_STREET, -1);
	e->ncards = (uint8_t)ncards;
	for (int k = 0; k < ncards; k++) {
		card_t c = deck_deal(&h->deck);
		h->board[h->nboard++] = c;
		e->cards[k] = c;
	}
}

void hand_round_end(struct hand *h)
{
	int64_t bets[HAND_MAX_SEATS];
	int seat;

	for (int i = 0; i < h->cfg.nseats; i++)
		bets[i] = h->seat[i].bet_chips;
	int64_t back = pots_uncalled(bets, h->cfg.nseats, &seat);
	if (back > 0) {
		struct hand_seat *s = &h->seat[seat];
		s->stack_chips += back;
		s->bet_chips -= back;
		s->total_chips -= back;
		s->all_in = false;
		struct hand_event *e = hand_emit(h, HAND_EV_RETURN, seat);
		e->amount_chips = back;
	}
	h->pending = 0;
	h->to_act = -1;
	if (hand_live_count(h) == 1) {
		eval_rank_t rank[HAND_MAX_SEATS] = {0};
		hand_settle_pay(h, rank);
		return;
	}
	for (int i = 0; i < h->cfg.nseats; i++) {
		h->seat[i].bet_chips = 0;
		h->seat[i].faced_chips = 0;
		h->seat[i].acted = false;
	}
	h->current_bet_chips = 0;
	h->full_raise_chips = h->cfg.min_bet_chips;
	if (h->street == HAND_RIVER) {
		h->phase = HAND_PHASE_SHOWDOWN;
		return;
	}
	deal_street(h);
	round_begin(h, h->cfg.button);
}

void hand_events_clear(struct hand *h)
{
	h->events_base += h->nevents;
	h->nevents = 0;
}

const char *hand_street_name(enum hand_street s)
{
	static const char *const name[] = {"preflop", "flop", "turn", "river"};
	return (unsigned)s < sizeof name / sizeof name[0] ? name[s] : NULL;
}

const char *hand_event_name(enum hand_event_type t)
{
	static const char *const name[] = {
		[HAND_EV_ANTE] = "ante",   [HAND_EV_SMALL_BLIND] = "small_blind",
		[HAND_EV_BIG_BLIND] = "big_blind", [HAND_EV_HOLE] = "hole",
		[HAND_EV_FOLD] = "fold",   [HAND_EV_CHECK] = "check",
		[HAND_EV_CALL] = "call",   [HAND_EV_RAISE] = "raise",
		[HAND_EV_RETURN] = "return", [HAND_EV_STREET] = "street",
		[HAND_EV_SHOW] = "show",   [HAND_EV_MUCK] = "muck",
		[HAND_EV_POT] = "pot",     [HAND_EV_RAKE] = "rake",
		[HAND_EV_AWARD] = "award", [HAND_EV_END] = "end",
	};
	return (unsigned)t < sizeof name / sizeof name[0] ? name[t] : NULL;
}

const char *hand_strerror(int err)
{
	switch (err) {
	case HAND_OK: return "ok";
	case HAND_ECONFIG: return "invalid hand configuration or deck";
	case HAND_EPHASE: return "action not possible in this phase of the hand";
	case HAND_ESEAT: return "no such seat in the hand";
	case HAND_ENOT_YOUR_TURN: return "not your turn";
	case HAND_EACTION: return "unknown action";
	case HAND_ECHECK_FACING_BET: return "cannot check facing a bet";
	case HAND_ENOTHING_TO_CALL: return "nothing to call";
	case HAND_ERAISE_CLOSED: return "raise not allowed: betting was not reopened";
	case HAND_ERAISE_NO_OPPONENT: return "raise not allowed: every opponent is all-in";
	case HAND_ERAISE_BELOW_MIN: return "raise below the minimum";
	case HAND_ERAISE_ABOVE_STACK: return "raise above the stack";
	case HAND_EMUCK_LAST: return "the last hand in a pot cannot be mucked";
	case HAND_EEVENTS_FULL: return "event list full";
	default: return "unknown hand error";
	}
}
