/*
 * handlog_phh — a hand's log as a PHH record, as one viewer may see it (part
 * of the handlog module, see handlog.h).  The only place felt writes PHH
 * from a hand: felt-replay's round trip, the fuzz target and felt-api's
 * exports all come through here.
 */
#include <string.h>

#include "poker/handlog.h"
#include "poker/view.h"

/* Each PHH action comes from one entry: every log fits a phh_hand. */
_Static_assert(PHH_MAX_ACTIONS >= HANDLOG_MAX_ENTRIES, "a logged hand must fit a phh_hand");

static struct phh_action *next_action(struct phh_hand *out, int type, int player)
{
	if (out->nactions >= PHH_MAX_ACTIONS)
		return NULL;
	struct phh_action *a = &out->actions[out->nactions++];
	memset(a, 0, sizeof *a);
	a->type = (uint8_t)type;
	a->player = (int8_t)player;
	return a;
}

/* PHH players are the seats dealt in, p1 being the first after the button. */
static int players(const struct hand_config *cfg, int player_of[], int seat_of[])
{
	int n = 0;

	for (int k = 1; k <= cfg->nseats; k++) {
		int i = (cfg->button + k) % cfg->nseats;
		player_of[i] = -1;
		if (cfg->stacks_chips[i] > 0) {
			player_of[i] = n;
			seat_of[n++] = i;
		}
	}
	return n;
}

/* The PHH action for one event, or NULL when the event has none (blinds,
 * antes, returns, pots, awards: PHH derives them). */
static struct phh_action *action_for(struct phh_hand *out, const struct hand_event *ev, int p,
				     int viewer, int *err)
{
	struct phh_action *a;
	int type;

	switch (ev->type) {
	case HAND_EV_HOLE: type = PHH_DEAL_HOLE; break;
	case HAND_EV_STREET: type = PHH_DEAL_BOARD; break;
	case HAND_EV_FOLD: type = PHH_FOLD; break;
	case HAND_EV_CHECK:
	case HAND_EV_CALL: type = PHH_CHECK_CALL; break;
	case HAND_EV_RAISE: type = PHH_BET_RAISE; break;
	case HAND_EV_SHOW:
	case HAND_EV_MUCK: type = PHH_SHOW_MUCK; break;
	default: return NULL;
	}
	if ((a = next_action(out, type, p)) == NULL) {
		*err = HANDLOG_EPHH;
		return NULL;
	}
	if (ev->type == HAND_EV_RAISE)
		a->amount_chips = ev->amount_chips;
	if (ev->type == HAND_EV_HOLE || ev->type == HAND_EV_STREET || ev->type == HAND_EV_SHOW) {
		a->ncards = ev->ncards;
		memcpy(a->cards, ev->cards, ev->ncards);
		/* The one redaction rule (view.h): hole cards only for their seat. */
		if (!view_event_visible(ev, viewer))
			memset(a->cards, CARD_NONE, ev->ncards);
	}
	return a;
}

int handlog_phh(const struct handlog *log, int viewer, struct phh_hand *out)
{
	int player_of[HAND_MAX_SEATS], seat_of[HAND_MAX_SEATS], err = HANDLOG_OK;
	const struct hand_config *cfg = &log->cfg;

	memset(out, 0, offsetof(struct phh_hand, actions));
	if (!log->started || cfg->nseats < 2 || cfg->nseats > HAND_MAX_SEATS)
		return HANDLOG_EPHH;
	int n = players(cfg, player_of, seat_of);
	strcpy(out->variant, "NT");
	out->nplayers = n;
	out->ante_trimming = cfg->ante_trimming;
	out->min_bet_chips = cfg->min_bet_chips;
	int sb = -1, bb = -1;
	hand_blind_seats(cfg, &sb, &bb);
	for (int k = 0; k < n; k++) {
		out->starting_chips[k] = cfg->stacks_chips[seat_of[k]];
		/* Positional: heads-up entry 0 is the button's (p2).  A dead
		 * small blind leaves p1 (the big blind) with the first entry,
		 * which PokerKit plays the same way: action after the largest. */
		int s = seat_of[n == 2 ? 1 - k : k];
		out->antes_chips[k] = cfg->antes_chips[s];
		out->blinds_chips[k] = s == sb ? cfg->sb_chips : s == bb ? cfg->bb_chips
								: cfg->posts_chips[s];
	}
	for (int i = 0; i < log->n && err == HANDLOG_OK; i++) {
		const struct hand_event *ev = &log->entries[i].ev;
		int p = ev->seat >= 0 && ev->seat < cfg->nseats ? player_of[(int)ev->seat] : -1;
		action_for(out, ev, p, viewer, &err);
	}
	if (err != HANDLOG_OK)
		return err;
	if (handlog_done(log)) {
		int64_t final[HAND_MAX_SEATS];
		handlog_final_stacks(log, final);
		out->has_finishing = true;
		for (int k = 0; k < n; k++)
			out->finishing_chips[k] = final[seat_of[k]];
	}
	return HANDLOG_OK;
}
