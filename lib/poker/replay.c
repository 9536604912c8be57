/*
 * replay — PHH hands through the engine.  See replay.h.
 */
#include "poker/replay.h"

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

static void say(struct replay_result *out, enum replay_verdict v, int line, const char *fmt, ...)
{
	va_list ap;

	out->verdict = v;
	out->line = line;
	va_start(ap, fmt);
	vsnprintf(out->msg, sizeof out->msg, fmt, ap);
	va_end(ap);
}

static bool check_supported(const struct phh_hand *ph, struct replay_result *out)
{
	if (strcmp(ph->variant, "NT") != 0) {
		say(out, REPLAY_UNSUPPORTED, ph->line, "variant '%s' is not no-limit hold'em",
		    ph->variant);
		return false;
	}
	if (ph->nplayers > HAND_MAX_SEATS) {
		say(out, REPLAY_UNSUPPORTED, ph->line, "%d players", ph->nplayers);
		return false;
	}
	if (ph->starting_fractional) {
		say(out, REPLAY_UNSUPPORTED, ph->line, "fractional starting stacks");
		return false;
	}
	for (int k = 0; k < ph->nplayers; k++) {
		if (ph->starting_chips[k] <= 0) {
			say(out, REPLAY_UNSUPPORTED, ph->line, "p%d starts with no chips", k + 1);
			return false;
		}
		/* Beyond the two blinds a PHH blind is a straddle; one no larger
		 * than the big blind is a post (a new player's big blind, as felt
		 * writes them), which the engine plays as PokerKit does. */
		int64_t bb = ph->blinds_chips[0] > ph->blinds_chips[1] ? ph->blinds_chips[0]
									: ph->blinds_chips[1];
		if (k >= 2 && (ph->blinds_chips[k] < 0 || ph->blinds_chips[k] > bb)) {
			say(out, REPLAY_UNSUPPORTED, ph->line, "straddles are not supported");
			return false;
		}
	}
	return true;
}

static void fmt_card(card_t c, char buf[3])
{
	card_format(c, buf);
}

/*
 * Lay the file's cards out in the engine's dealing order: hole cards one at a
 * time from p1 (two rounds), then the five board cards.  Unknown cards come
 * from a later showdown, else from the cards nobody holds.
 */
static bool build_deck(const struct phh_hand *ph, struct deck *d, struct replay_result *out)
{
	card_t hole[HAND_MAX_SEATS][2], board[5];
	int n = ph->nplayers, nb = 0;
	uint64_t used = 0;
	char cs[3];

	memset(hole, CARD_NONE, sizeof hole);
	memset(board, CARD_NONE, sizeof board);
	for (int i = 0; i < ph->nactions; i++) {
		const struct phh_action *a = &ph->actions[i];
		if (a->type == PHH_DEAL_HOLE) {
			if (a->ncards != 2) {
				say(out, REPLAY_FAIL, a->line, "p%d dealt %d hole cards", a->player + 1,
				    a->ncards);
				return false;
			}
			hole[a->player][0] = a->cards[0];
			hole[a->player][1] = a->cards[1];
		} else if (a->type == PHH_DEAL_BOARD) {
			if (nb + a->ncards > 5) {
				say(out, REPLAY_FAIL, a->line, "more than five board cards");
				return false;
			}
			for (int k = 0; k < a->ncards; k++)
				board[nb++] = a->cards[k];
		} else if (a->type == PHH_SHOW_MUCK && a->ncards == 2) {
			for (int k = 0; k < 2; k++) {
				card_t *slot = &hole[a->player][k];
				if (*slot == CARD_NONE) {
					*slot = a->cards[k];
				} else if (a->cards[k] != CARD_NONE && *slot != a->cards[0] &&
					   *slot != a->cards[1]) {
					say(out, REPLAY_FAIL, a->line, "p%d shows cards it was not dealt",
					    a->player + 1);
					return false;
				}
			}
		}
	}
	card_t *all[HAND_MAX_SEATS * 2 + 5];
	int nall = 0;
	for (int r = 0; r < 2; r++)
		for (int k = 0; k < n; k++)
			all[nall++] = &hole[k][r];
	for (int k = 0; k < 5; k++)
		all[nall++] = &board[k];
	for (int i = 0; i < nall; i++) {
		card_t c = *all[i];
		if (c == CARD_NONE)
			continue;
		if (used & (1ull << c)) {
			fmt_card(c, cs);
			say(out, REPLAY_FAIL, ph->line, "card %s dealt twice", cs);
			return false;
		}
		used |= 1ull << c;
	}
	card_t spare = 0;
	for (int i = 0; i < nall; i++) {
		if (*all[i] != CARD_NONE)
			continue;
		while (used & (1ull << spare))
			spare++;
		*all[i] = spare;
		used |= 1ull << spare;
	}
	for (int i = 0; i < nall; i++)
		d->cards[i] = *all[i];
	for (card_t c = 0; c < 52; c++)
		if (!(used & (1ull << c)))
			d->cards[nall++] = c;
	d->next = 0;
	return true;
}

static void build_config(const struct phh_hand *ph, struct hand_config *cfg)
{
	int n = ph->nplayers;

	memset(cfg, 0, sizeof *cfg);
	cfg->nseats = n;
	cfg->button = n - 1;
	for (int k = 0; k < n; k++) {
		cfg->stacks_chips[k] = ph->starting_chips[k];
		/* The antes array is positional; heads-up p1 is the big blind. */
		cfg->antes_chips[k] = n == 2 ? ph->antes_chips[1 - k] : ph->antes_chips[k];
		if (k >= 2)
			cfg->posts_chips[k] = ph->blinds_chips[k];
	}
	cfg->sb_chips = ph->blinds_chips[0];
	cfg->bb_chips = ph->blinds_chips[1];
	cfg->min_bet_chips = ph->min_bet_chips > 0 ? ph->min_bet_chips : ph->blinds_chips[1];
	cfg->ante_trimming = ph->ante_trimming;
	/* A PHH file says who mucked (pN sm without cards); everyone else shows. */
	cfg->show_all = true;
}

/* The engine's calls, through the log when there is one. */
static int drive_apply(struct hand *h, struct handlog *log, int seat, const struct hand_action *a)
{
	if (log)
		return handlog_apply(log, h, seat, a, 0, false, NULL);
	int err = hand_apply(h, seat, a);
	hand_events_clear(h);
	return err;
}

static int drive_muck(struct hand *h, struct handlog *log, int seat)
{
	if (log)
		return handlog_muck(log, h, seat, 0);
	int err = hand_muck(h, seat);
	hand_events_clear(h);
	return err;
}

static void drive_settle(struct hand *h, struct handlog *log)
{
	if (log) {
		handlog_settle(log, h, 0);
		return;
	}
	hand_settle(h);
	hand_events_clear(h);
}

static int apply_action(struct hand *h, struct handlog *log, const struct phh_action *a,
			int *db_seen, struct replay_result *out)
{
	struct hand_action act = {HAND_FOLD, 0};
	struct hand_legal l;
	int err;

	switch (a->type) {
	case PHH_DEAL_HOLE:
		return 0;
	case PHH_DEAL_BOARD:
		*db_seen += a->ncards;
		if (h->nboard < *db_seen) {
			say(out, REPLAY_FAIL, a->line, "board dealt while the betting is still open");
			return -1;
		}
		return 0;
	case PHH_SHOW_MUCK:
		if (a->ncards > 0 || h->phase == HAND_PHASE_DONE)
			return 0;
		if ((err = drive_muck(h, log, a->player)) != HAND_OK) {
			out->err = err;
			say(out, REPLAY_FAIL, a->line, "p%d sm: %s", a->player + 1,
			    handlog_strerror(err));
			return -1;
		}
		return 0;
	case PHH_FOLD:
		act.type = HAND_FOLD;
		break;
	case PHH_CHECK_CALL:
		hand_legal(h, &l);
		act.type = l.can_check ? HAND_CHECK : HAND_CALL;
		break;
	case PHH_BET_RAISE:
		act.type = HAND_RAISE;
		act.amount_chips = a->amount_chips;
		break;
	default:
		say(out, REPLAY_FAIL, a->line, "action not supported for NT");
		return -1;
	}
	if ((err = drive_apply(h, log, a->player, &act)) != HAND_OK) {
		out->err = err;
		say(out, REPLAY_FAIL, a->line, "p%d: %s", a->player + 1, handlog_strerror(err));
		return -1;
	}
	return 0;
}

static void judge(const struct phh_hand *ph, struct replay_result *out)
{
	if (!ph->has_finishing) {
		out->verdict = REPLAY_UNCHECKED;
		return;
	}
	if (ph->finishing_fractional) {
		say(out, REPLAY_FRACTIONAL, ph->line, "finishing_stacks hold fractional chips");
		return;
	}
	if (!out->finished) {
		say(out, REPLAY_FAIL, ph->line, "the actions end before the hand does");
		return;
	}
	for (int k = 0; k < ph->nplayers; k++) {
		if (out->final_chips[k] != ph->finishing_chips[k]) {
			say(out, REPLAY_FAIL, ph->line, "p%d finishes with %lld, file says %lld", k + 1,
			    (long long)out->final_chips[k], (long long)ph->finishing_chips[k]);
			return;
		}
	}
	out->verdict = REPLAY_PASS;
}

void replay_hand(const struct phh_hand *ph, int rake_bp, int64_t rake_cap_chips,
		 struct hand *h, struct handlog *log, struct replay_result *out)
{
	struct hand_config cfg;
	struct deck d;
	int err, db_seen = 0;

	memset(out, 0, sizeof *out);
	out->nplayers = ph->nplayers;
	out->line = ph->line;
	if (!check_supported(ph, out) || !build_deck(ph, &d, out))
		return;
	build_config(ph, &cfg);
	cfg.rake_bp = rake_bp;
	cfg.rake_cap_chips = rake_cap_chips;
	err = log ? handlog_start_deck(log, h, &cfg, &d, 0) : hand_start(h, &cfg, &d);
	hand_events_clear(h);
	if (err != HAND_OK) {
		out->err = err;
		say(out, REPLAY_FAIL, ph->line, "%s", handlog_strerror(err));
		return;
	}
	bool stopped = false;
	for (int i = 0; i < ph->nactions && !stopped; i++)
		stopped = apply_action(h, log, &ph->actions[i], &db_seen, out) != 0;
	if (!stopped && h->phase == HAND_PHASE_SHOWDOWN)
		drive_settle(h, log);
	out->finished = h->phase == HAND_PHASE_DONE;
	for (int k = 0; k < ph->nplayers; k++) {
		out->final_chips[k] = h->seat[k].stack_chips;
		out->won_chips[k] = h->won_chips[k];
	}
	out->npots = h->npots;
	memcpy(out->pots, h->pots, sizeof out->pots);
	out->rake_chips = h->rake_chips;
	if (!stopped)
		judge(ph, out);
}

const char *replay_verdict_name(enum replay_verdict v)
{
	switch (v) {
	case REPLAY_PASS: return "passed";
	case REPLAY_FAIL: return "failed";
	case REPLAY_FRACTIONAL: return "fractional";
	case REPLAY_UNCHECKED: return "unchecked";
	case REPLAY_UNSUPPORTED: return "unsupported";
	default: return "unknown";
	}
}
