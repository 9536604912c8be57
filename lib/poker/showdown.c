/*
 * showdown — the end of a hand (part of the hand module): the order in which
 * hands are shown, mucking, the pots, the rake and the award.  Dealing and
 * streets are in hand.c, the betting in betting.c.
 */
#include <string.h>

#include "poker/hand.h"
#include "poker/hand_internal.h"

/* The pots the money put in makes (no side effects). */
static int layer_pots(const struct hand *h, struct pot out[POTS_MAX])
{
	int64_t contrib[HAND_MAX_SEATS] = {0}, dead = 0;
	uint16_t live = 0;

	for (int i = 0; i < h->cfg.nseats; i++) {
		contrib[i] = h->seat[i].total_chips;
		/* PokerKit: without ante trimming antes are dead money in the main
		 * pot, not part of the contribution layers. */
		if (!h->cfg.ante_trimming) {
			contrib[i] -= h->seat[i].ante_chips;
			dead += h->seat[i].ante_chips;
		}
		if (h->seat[i].in_hand && !h->seat[i].folded)
			live |= (uint16_t)(1u << i);
	}
	int n = pots_build(contrib, h->cfg.nseats, live, dead, out);
	return n > 0 ? n : 0;
}

/* Split the money put in into h->pots (no events yet). */
static void build_pots(struct hand *h)
{
	for (int i = 0; i < h->cfg.nseats; i++)
		h->seat[i].bet_chips = 0; /* all of it is in the pots now */
	h->npots = layer_pots(h, h->pots);
}

/* The best hands among a pot's contenders that did not muck.  hand_muck
 * never lets the last one of a pot go; if all had anyway, the pot would
 * still go to the best of them rather than to nobody. */
static uint16_t pot_winners(const struct hand *h, uint16_t contenders, const eval_rank_t rank[])
{
	uint16_t shown = contenders, winners = 0;
	eval_rank_t best = 0;

	for (int i = 0; i < h->cfg.nseats; i++)
		if (h->seat[i].mucked)
			shown &= (uint16_t)~(1u << i);
	if (shown != 0)
		contenders = shown;
	for (int i = 0; i < h->cfg.nseats; i++) {
		if (!(contenders & (1u << i)))
			continue;
		if (winners == 0 || rank[i] > best) {
			best = rank[i];
			winners = (uint16_t)(1u << i);
		} else if (rank[i] == best) {
			winners |= (uint16_t)(1u << i);
		}
	}
	return winners;
}

/* Pay h->pots: rake first (TDA and DESIGN §2: taken before the award), then
 * each pot to its best hands, odd chips from the first seat left of the
 * button. */
static void pay(struct hand *h, const eval_rank_t rank[])
{
	int64_t award[HAND_MAX_SEATS] = {0}, taken[POTS_MAX] = {0}, total = 0;
	struct pot work[POTS_MAX];
	int first = hand_first_left(h);

	for (int p = 0; p < h->npots; p++) {
		work[p] = h->pots[p];
		total += work[p].amount_chips;
	}
	h->rake_chips = pots_rake_total(total, h->cfg.rake_bp, h->cfg.rake_cap_chips, h->nboard >= 3);
	pots_rake_take(work, h->npots, h->rake_chips, taken);
	for (int p = 0; p < h->npots; p++) {
		struct hand_event *e = hand_emit(h, HAND_EV_POT, -1);
		e->pot = (uint8_t)p;
		e->amount_chips = h->pots[p].amount_chips;
		e->mask = h->pots[p].eligible;
		if (taken[p] > 0) {
			e = hand_emit(h, HAND_EV_RAKE, -1);
			e->pot = (uint8_t)p;
			e->amount_chips = taken[p];
		}
	}
	for (int p = 0; p < h->npots; p++) {
		int64_t before[HAND_MAX_SEATS];
		memcpy(before, award, sizeof before);
		h->pot_rake_chips[p] = taken[p];
		h->pot_winners[p] = pot_winners(h, h->pots[p].eligible, rank);
		pots_split(work[p].amount_chips, h->pot_winners[p], first, h->cfg.nseats, award);
		for (int k = 0, i = first; k < h->cfg.nseats;
		     k++, i = i + 1 < h->cfg.nseats ? i + 1 : 0) {
			if (award[i] == before[i])
				continue;
			struct hand_event *e = hand_emit(h, HAND_EV_AWARD, i);
			e->pot = (uint8_t)p;
			e->amount_chips = award[i] - before[i];
		}
	}
	for (int i = 0; i < h->cfg.nseats; i++) {
		h->seat[i].stack_chips += award[i];
		h->won_chips[i] = award[i];
	}
	hand_emit(h, HAND_EV_END, -1);
	h->phase = HAND_PHASE_DONE;
	h->to_act = -1;
	h->pending = 0;
}

void hand_settle_pay(struct hand *h, const eval_rank_t rank[])
{
	build_pots(h);
	pay(h, rank);
}

int hand_showdown_order(const struct hand *h, int seats[HAND_MAX_SEATS])
{
	int n = 0, from, agg = h->aggressor;

	/* TDA: the last aggressor of the final betting round shows first; with
	 * no bet in it, the first seat left of the button.  Then clockwise. */
	if (agg >= 0 && h->seat[agg].in_hand && !h->seat[agg].folded)
		from = agg;
	else
		from = hand_first_left(h);
	for (int k = 0, i = from; k < h->cfg.nseats; k++, i = i + 1 < h->cfg.nseats ? i + 1 : 0)
		if (h->seat[i].in_hand && !h->seat[i].folded)
			seats[n++] = i;
	return n;
}

/* Would seat be the last hand not mucked in some pot it can win?  Then it
 * cannot muck: a mucked hand never wins, and that pot has nobody else. */
static bool last_in_a_pot(const struct hand *h, int seat)
{
	struct pot pots[POTS_MAX];
	int n = layer_pots(h, pots);

	for (int p = 0; p < n; p++) {
		if (!(pots[p].eligible & (1u << seat)))
			continue;
		int others = 0;
		for (int i = 0; i < h->cfg.nseats; i++)
			others += i != seat && (pots[p].eligible & (1u << i)) && !h->seat[i].mucked;
		if (others == 0)
			return true;
	}
	return false;
}

int hand_muck(struct hand *h, int seat)
{
	int left = 0;

	if (h->phase != HAND_PHASE_SHOWDOWN)
		return HAND_EPHASE;
	if (HAND_MAX_EVENTS - h->nevents < HAND_EVENTS_PER_MUCK)
		return HAND_EEVENTS_FULL;
	if (seat < 0 || seat >= h->cfg.nseats || !h->seat[seat].in_hand ||
	    h->seat[seat].folded || h->seat[seat].mucked)
		return HAND_ESEAT;
	for (int i = 0; i < h->cfg.nseats; i++)
		left += h->seat[i].in_hand && !h->seat[i].folded && !h->seat[i].mucked;
	if (left <= 1 || last_in_a_pot(h, seat))
		return HAND_EMUCK_LAST;
	h->seat[seat].mucked = true;
	hand_emit(h, HAND_EV_MUCK, seat);
	return HAND_OK;
}

/*
 * Must seat show?  Every hand is tabled with show_all, or (TDA 16) when a
 * player is all-in.  Otherwise it shows only if, in some pot it can win, no
 * hand shown before it is better: a hand beaten in every pot is mucked.
 */
static bool must_show(const struct hand *h, int seat, bool tabled, const eval_rank_t rank[],
		      const eval_rank_t best[], uint16_t shown_in[])
{
	if (tabled)
		return true;
	for (int p = 0; p < h->npots; p++)
		if ((h->pots[p].eligible & (1u << seat)) &&
		    (shown_in[p] == 0 || rank[seat] >= best[p]))
			return true;
	return false;
}

int hand_settle(struct hand *h)
{
	eval_rank_t rank[HAND_MAX_SEATS] = {0}, best[POTS_MAX] = {0};
	uint16_t shown_in[POTS_MAX] = {0};
	int order[HAND_MAX_SEATS], n;
	bool tabled = h->cfg.show_all;
	card_t c[7];

	if (h->phase != HAND_PHASE_SHOWDOWN)
		return HAND_EPHASE;
	if (HAND_MAX_EVENTS - h->nevents < HAND_EVENTS_PER_SETTLE)
		return HAND_EEVENTS_FULL;
	memcpy(c + 2, h->board, 5);
	n = hand_showdown_order(h, order);
	for (int k = 0; k < n; k++) {
		const struct hand_seat *s = &h->seat[order[k]];
		c[0] = s->hole[0];
		c[1] = s->hole[1];
		rank[order[k]] = eval_7(c);
		tabled |= s->all_in;
	}
	build_pots(h);
	for (int k = 0; k < n; k++) {
		int i = order[k];
		struct hand_seat *s = &h->seat[i];
		if (s->mucked)
			continue;
		if (!must_show(h, i, tabled, rank, best, shown_in)) {
			s->mucked = true;
			hand_emit(h, HAND_EV_MUCK, i);
			continue;
		}
		s->shown = true;
		struct hand_event *e = hand_emit(h, HAND_EV_SHOW, i);
		e->ncards = 2;
		e->cards[0] = s->hole[0];
		e->cards[1] = s->hole[1];
		e->rank = rank[i];
		if (tabled)
			continue; /* every hand shows: no need to know the best */
		for (int p = 0; p < h->npots; p++) {
			if (!(h->pots[p].eligible & (1u << i)))
				continue;
			if (shown_in[p] == 0 || rank[i] > best[p])
				best[p] = rank[i];
			shown_in[p] |= (uint16_t)(1u << i);
		}
	}
	pay(h, rank);
	return HAND_OK;
}
