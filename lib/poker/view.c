/*
 * view — what one viewer may know about a hand.  See view.h.
 */
#include "poker/view.h"

#include <string.h>

bool view_may_see_cards(const struct hand *h, int viewer, int seat)
{
	if (seat < 0 || seat >= h->cfg.nseats || !h->seat[seat].in_hand)
		return false;
	if (viewer == VIEW_PLATFORM || viewer == seat)
		return true;
	/* hand_settle never shows a folded or mucked hand; checked anyway so
	 * that this stays the rule whatever the engine does. */
	const struct hand_seat *s = &h->seat[seat];
	return s->shown && !s->folded && !s->mucked;
}

bool view_event_visible(const struct hand_event *e, int viewer)
{
	if (e->type != HAND_EV_HOLE)
		return true;
	return viewer == VIEW_PLATFORM || (viewer >= 0 && viewer == e->seat);
}

/* The chips collected from earlier streets, as contribution layers (the
 * layers hand_settle will build from them, pots.h). */
static void collected_pots(const struct hand *h, struct hand_view *out)
{
	int64_t contrib[HAND_MAX_SEATS] = {0}, dead = 0;
	uint16_t live = 0;

	for (int i = 0; i < h->cfg.nseats; i++) {
		const struct hand_seat *s = &h->seat[i];
		contrib[i] = s->total_chips - s->bet_chips;
		/* PokerKit: without ante trimming antes are dead money. */
		if (!h->cfg.ante_trimming) {
			contrib[i] -= s->ante_chips;
			dead += s->ante_chips;
		}
		if (s->in_hand && !s->folded)
			live |= (uint16_t)(1u << i);
	}
	int n = pots_build(contrib, h->cfg.nseats, live, dead, out->pots);
	out->npots = n > 0 ? n : 0;
}

static void view_seat(const struct hand *h, int viewer, int i, struct view_seat *v)
{
	const struct hand_seat *s = &h->seat[i];

	v->in_hand = s->in_hand;
	v->folded = s->folded;
	v->all_in = s->all_in;
	v->mucked = s->mucked;
	v->shown = s->shown;
	v->stack_chips = s->stack_chips;
	v->bet_chips = s->bet_chips;
	v->total_chips = s->total_chips;
	v->won_chips = h->phase == HAND_PHASE_DONE ? h->won_chips[i] : 0;
	v->hole[0] = v->hole[1] = CARD_NONE;
	v->cards_visible = view_may_see_cards(h, viewer, i);
	if (v->cards_visible) {
		v->hole[0] = s->hole[0];
		v->hole[1] = s->hole[1];
	}
	if (s->shown && v->cards_visible && h->nboard == 5) {
		card_t c[7] = {s->hole[0], s->hole[1]};
		memcpy(c + 2, h->board, 5);
		v->rank = eval_7(c);
	}
}

void hand_view(const struct hand *h, int viewer, struct hand_view *out)
{
	memset(out, 0, sizeof *out);
	if (viewer != VIEW_PLATFORM && (viewer < 0 || viewer >= h->cfg.nseats))
		viewer = VIEW_SPECTATOR;
	out->viewer = viewer;
	out->phase = h->phase;
	out->street = h->street;
	out->nseats = h->cfg.nseats;
	out->button = h->cfg.button;
	out->sb_seat = h->sb_seat;
	out->bb_seat = h->bb_seat;
	out->sb_chips = h->cfg.sb_chips;
	out->bb_chips = h->cfg.bb_chips;
	memcpy(out->board, h->board, sizeof out->board);
	out->nboard = h->nboard;
	out->to_act = h->phase == HAND_PHASE_BETTING ? h->to_act : -1;
	out->current_bet_chips = h->phase == HAND_PHASE_BETTING ? h->current_bet_chips : 0;
	for (int i = 0; i < h->cfg.nseats; i++) {
		view_seat(h, viewer, i, &out->seat[i]);
		out->bets_chips += h->seat[i].bet_chips;
	}
	if (h->phase == HAND_PHASE_DONE) {
		memcpy(out->pots, h->pots, sizeof out->pots);
		out->npots = h->npots;
		out->rake_chips = h->rake_chips;
		out->bets_chips = 0;
	} else {
		collected_pots(h, out);
	}
	for (int p = 0; p < out->npots; p++)
		out->pot_chips += out->pots[p].amount_chips;
	out->legal.seat = -1;
	if (viewer < 0 || h->phase != HAND_PHASE_BETTING)
		return;
	const struct hand_seat *me = &h->seat[viewer];
	if (me->in_hand && !me->folded && h->current_bet_chips > me->bet_chips)
		out->to_call_chips = h->current_bet_chips - me->bet_chips;
	if (h->to_act == viewer) {
		out->my_turn = true;
		hand_legal(h, &out->legal);
	}
}
