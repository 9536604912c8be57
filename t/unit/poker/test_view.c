/*
 * Unit tests for lib/poker/view: what each viewer may know about a hand.
 * Rules by hand-built cases, then a property test over thousands of random
 * hands driven through the hand log: at every step no seat and no
 * spectator is ever shown a hole card that is not theirs or shown at
 * showdown, neither in the view nor in the events they may be sent.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "handplay.h"
#include "poker/handlog.h"
#include "poker/view.h"

#define REQUIRE(c) \
	do { \
		if (!(c)) \
			ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #c); \
	} while (0)

static struct hand_view V;

/* Three players, seat 0 the button: 1 small blind, 2 big blind. */
START_TEST(own_cards_only)
{
	int64_t st[3] = {1000, 1000, 1000};
	struct hand_config c = ht_config(3, 0, st, 5, 10);
	const char *holes[3] = {"AsAd", "KsKd", "QsQd"};
	start(&c, holes, "2c3d4h5s7c");

	hand_view(&H, 1, &V);
	ck_assert(V.seat[1].cards_visible);
	ck_assert_int_eq(V.seat[1].hole[0], H.seat[1].hole[0]);
	ck_assert_int_eq(V.seat[1].hole[1], H.seat[1].hole[1]);
	for (int i = 0; i < 3; i++) {
		if (i == 1)
			continue;
		ck_assert(!V.seat[i].cards_visible);
		ck_assert_int_eq(V.seat[i].hole[0], CARD_NONE);
		ck_assert_int_eq(V.seat[i].hole[1], CARD_NONE);
	}
	hand_view(&H, VIEW_SPECTATOR, &V);
	for (int i = 0; i < 3; i++)
		ck_assert(!V.seat[i].cards_visible && V.seat[i].hole[0] == CARD_NONE);
	ck_assert_int_eq(V.viewer, VIEW_SPECTATOR);
	/* A seat number that is not at the table is a spectator. */
	hand_view(&H, 7, &V);
	ck_assert_int_eq(V.viewer, VIEW_SPECTATOR);
	ck_assert(!V.seat[0].cards_visible);
	hand_view(&H, VIEW_PLATFORM, &V);
	for (int i = 0; i < 3; i++)
		ck_assert(V.seat[i].cards_visible && V.seat[i].hole[0] == H.seat[i].hole[0]);
}
END_TEST

START_TEST(turn_legal_and_to_call)
{
	int64_t st[3] = {1000, 1000, 1000};
	struct hand_config c = ht_config(3, 0, st, 5, 10);
	start(&c, NULL, NULL);

	/* Seat 0 (the button) acts first preflop, three-handed. */
	hand_view(&H, 0, &V);
	ck_assert(V.my_turn);
	ck_assert_int_eq(V.to_act, 0);
	ck_assert_int_eq(V.legal.seat, 0);
	ck_assert(V.legal.can_call && !V.legal.can_check);
	ck_assert_int_eq(V.legal.call_chips, 10);
	ck_assert_int_eq(V.legal.min_raise_to_chips, 20);
	ck_assert_int_eq(V.to_call_chips, 10);
	ck_assert_int_eq(V.button, 0);
	ck_assert_int_eq(V.sb_seat, 1);
	ck_assert_int_eq(V.bb_seat, 2);
	hand_view(&H, 1, &V);
	ck_assert(!V.my_turn);
	ck_assert_int_eq(V.legal.seat, -1);
	ck_assert_int_eq(V.to_call_chips, 5);
	hand_view(&H, VIEW_SPECTATOR, &V);
	ck_assert(!V.my_turn);
	ck_assert_int_eq(V.to_call_chips, 0);
	ck_assert_int_eq(V.legal.seat, -1);
}
END_TEST

/* MoltPoker's pot leaves the street's bets out, Open Poker's counts them:
 * the view gives both parts.  A short all-in makes a side pot once its
 * chips are collected. */
START_TEST(pots_collected_and_bets_apart)
{
	int64_t st[3] = {1000, 50, 1000};
	struct hand_config c = ht_config(3, 0, st, 5, 10);
	start(&c, NULL, NULL);

	hand_view(&H, VIEW_SPECTATOR, &V);
	ck_assert_int_eq(V.pot_chips, 0);
	ck_assert_int_eq(V.npots, 0);
	ck_assert_int_eq(V.bets_chips, 15);
	act(0, HAND_RAISE, 100);
	act(1, HAND_ALLIN, 0); /* calls all-in for 50 */
	act(2, HAND_CALL, 0);
	ck_assert_int_eq(H.street, HAND_FLOP);
	hand_view(&H, VIEW_SPECTATOR, &V);
	ck_assert_int_eq(V.bets_chips, 0);
	ck_assert_int_eq(V.pot_chips, 250);
	ck_assert_int_eq(V.npots, 2);
	ck_assert_int_eq(V.pots[0].amount_chips, 150);
	ck_assert_int_eq(V.pots[0].eligible, 0x7);
	ck_assert_int_eq(V.pots[1].amount_chips, 100);
	ck_assert_int_eq(V.pots[1].eligible, 0x5);
	act(2, HAND_RAISE, 40);
	hand_view(&H, 0, &V);
	ck_assert_int_eq(V.pot_chips, 250);
	ck_assert_int_eq(V.bets_chips, 40);
	ck_assert_int_eq(V.current_bet_chips, 40);
	ck_assert_int_eq(V.to_call_chips, 40);
	ck_assert(V.my_turn);
	ck_assert_int_eq(V.seat[0].stack_chips, 900);
	ck_assert_int_eq(V.seat[1].all_in, true);
}
END_TEST

/* At showdown the shown hands become public; a hand mucked unseen and a
 * folded hand stay hidden from everyone but their owner, for good. */
START_TEST(showdown_reveals_only_shown)
{
	int64_t st[3] = {1000, 1000, 1000};
	struct hand_config c = ht_config(3, 0, st, 5, 10);
	/* Board 2c3d4h5s9c: seat 1's 6-high straight beats seat 2's pair. */
	const char *holes[3] = {"AsAd", "6d8h", "KsKd"};
	start(&c, holes, "2c3d4h9c5s");
	act(0, HAND_FOLD, 0);
	act(1, HAND_CALL, 0);
	act(2, HAND_CHECK, 0);
	for (int street = 0; street < 3; street++) {
		act(1, HAND_CHECK, 0);
		act(2, HAND_CHECK, 0);
	}
	ck_assert_int_eq(H.phase, HAND_PHASE_SHOWDOWN);
	hand_view(&H, 0, &V);
	ck_assert(!V.seat[1].cards_visible && !V.seat[2].cards_visible);
	ck_assert_int_eq(hand_settle(&H), HAND_OK);
	/* No bet on the river: seat 1 (first left of the button) shows
	 * first; seat 2's kings are beaten and mucked. */
	ck_assert(H.seat[1].shown);
	ck_assert(!H.seat[2].shown && H.seat[2].mucked);
	hand_view(&H, 0, &V);
	ck_assert(V.seat[1].cards_visible);
	ck_assert_int_eq(V.seat[1].hole[0], H.seat[1].hole[0]);
	ck_assert(V.seat[1].shown);
	ck_assert_int_eq(eval_category(V.seat[1].rank), EVAL_STRAIGHT);
	ck_assert(!V.seat[2].cards_visible && V.seat[2].hole[0] == CARD_NONE);
	ck_assert(V.seat[0].cards_visible); /* its own folded hand */
	hand_view(&H, 2, &V);
	ck_assert(!V.seat[0].cards_visible && V.seat[0].hole[0] == CARD_NONE);
	ck_assert(V.seat[2].cards_visible);
	ck_assert_int_eq(V.phase, HAND_PHASE_DONE);
	ck_assert_int_eq(V.seat[1].won_chips, 20);
	ck_assert_int_eq(V.seat[2].rank, 0);
	ck_assert_int_eq(V.pot_chips, 20);
	ck_assert_int_eq(V.bets_chips, 0);
}
END_TEST

START_TEST(event_visibility)
{
	struct hand_event e;
	memset(&e, 0, sizeof e);
	e.type = HAND_EV_HOLE;
	e.seat = 3;
	ck_assert(view_event_visible(&e, 3));
	ck_assert(view_event_visible(&e, VIEW_PLATFORM));
	ck_assert(!view_event_visible(&e, 2));
	ck_assert(!view_event_visible(&e, VIEW_SPECTATOR));
	e.type = HAND_EV_SHOW;
	ck_assert(view_event_visible(&e, VIEW_SPECTATOR));
	ck_assert(view_event_visible(&e, 2));
	for (int t = HAND_EV_ANTE; t <= HAND_EV_END; t++) {
		e.type = (uint8_t)t;
		ck_assert(view_event_visible(&e, VIEW_SPECTATOR) == (t != HAND_EV_HOLE));
	}
}
END_TEST

/* ---- the property test ---- */

#define HANDS 3000

static struct handlog LOG;

/* What viewer may know of seat's cards: its own, the platform all, others
 * only after a SHOW of that seat in the log. */
static bool allowed(int viewer, int seat, bool shown)
{
	return viewer == VIEW_PLATFORM || viewer == seat || shown;
}

/* Check every viewer's view of H and the events since *seen. */
static void check_no_leak(int *seen, long *views)
{
	bool shown[HAND_MAX_SEATS] = {false};

	for (int k = 0; k < LOG.n; k++)
		if (LOG.entries[k].ev.type == HAND_EV_SHOW)
			shown[(int)LOG.entries[k].ev.seat] = true;
	for (int viewer = VIEW_PLATFORM; viewer < H.cfg.nseats; viewer++) {
		hand_view(&H, viewer, &V);
		(*views)++;
		for (int s = 0; s < H.cfg.nseats; s++) {
			const struct view_seat *vs = &V.seat[s];
			bool ok = H.seat[s].in_hand && allowed(viewer, s, shown[s]);
			REQUIRE(vs->cards_visible == ok);
			if (!ok) {
				REQUIRE(vs->hole[0] == CARD_NONE && vs->hole[1] == CARD_NONE);
				REQUIRE(vs->rank == 0);
			} else {
				REQUIRE(vs->hole[0] == H.seat[s].hole[0]);
				REQUIRE(vs->hole[1] == H.seat[s].hole[1]);
			}
			/* Folded and mucked hands are never shown to others. */
			if ((H.seat[s].folded || H.seat[s].mucked) && viewer != s &&
			    viewer != VIEW_PLATFORM)
				REQUIRE(!vs->cards_visible);
			/* No hidden card hides anywhere else in the view. */
			for (int b = 0; b < V.nboard && !ok && H.seat[s].in_hand; b++)
				REQUIRE(V.board[b] != H.seat[s].hole[0] && V.board[b] != H.seat[s].hole[1]);
		}
		REQUIRE(V.my_turn == (viewer >= 0 && viewer == H.to_act &&
				      H.phase == HAND_PHASE_BETTING));
		for (int k = *seen; k < LOG.n; k++) {
			const struct hand_event *e = &LOG.entries[k].ev;
			if (!view_event_visible(e, viewer) || e->ncards == 0 || e->type == HAND_EV_STREET)
				continue;
			/* Cards in a visible event are the viewer's or shown. */
			REQUIRE(allowed(viewer, e->seat, e->type == HAND_EV_SHOW));
		}
	}
	*seen = LOG.n;
}

/* Chips in the view: stacks, and the middle until the pots are paid. */
static int64_t view_chips(void)
{
	int64_t sum = V.phase == HAND_PHASE_DONE ? V.rake_chips : V.pot_chips + V.bets_chips;
	for (int s = 0; s < V.nseats; s++)
		sum += V.seat[s].stack_chips;
	return sum;
}

START_TEST(no_card_leaks_in_random_hands)
{
	uint64_t rs = 0xfe17fe17ull;
	struct hand_config c;
	uint8_t seed[32];
	long views = 0, shows = 0, folds = 0;

	for (int n = 0; n < HANDS; n++) {
		ht_random_config(&c, &rs);
		for (int k = 0; k < 32; k++)
			seed[k] = (uint8_t)ht_rand(&rs);
		REQUIRE(handlog_start(&LOG, &H, &c, seed, NULL, n) == HANDLOG_OK);
		int64_t total = 0;
		for (int i = 0; i < c.nseats; i++)
			total += c.stacks_chips[i];
		int seen = 0;
		check_no_leak(&seen, &views);
		while (H.phase == HAND_PHASE_BETTING) {
			struct hand_legal l;
			hand_legal(&H, &l);
			hand_view(&H, l.seat, &V);
			REQUIRE(V.my_turn && memcmp(&V.legal, &l, sizeof l) == 0);
			REQUIRE(view_chips() == total);
			struct hand_action a = ht_random_action(&l, &rs);
			folds += a.type == HAND_FOLD;
			REQUIRE(handlog_apply(&LOG, &H, l.seat, &a, n, false, NULL) == HANDLOG_OK);
			check_no_leak(&seen, &views);
		}
		if (H.phase == HAND_PHASE_SHOWDOWN) {
			hand_view(&H, VIEW_SPECTATOR, &V);
			REQUIRE(view_chips() == total);
			REQUIRE(handlog_settle(&LOG, &H, n) == HANDLOG_OK);
			check_no_leak(&seen, &views);
		}
		for (int i = 0; i < c.nseats; i++)
			shows += H.seat[i].shown;
		hand_view(&H, VIEW_SPECTATOR, &V);
		REQUIRE(V.phase == HAND_PHASE_DONE);
		REQUIRE(view_chips() == total);
	}
	handlog_free(&LOG);
	/* The hands must have shown and folded a good deal for this to mean
	 * anything. */
	REQUIRE(shows > HANDS / 2);
	REQUIRE(folds > HANDS);
	REQUIRE(views > 50 * HANDS);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("view");
	TCase *t = tcase_create("view");
	tcase_set_timeout(t, 300);
	tcase_add_test(t, own_cards_only);
	tcase_add_test(t, turn_legal_and_to_call);
	tcase_add_test(t, pots_collected_and_bets_apart);
	tcase_add_test(t, showdown_reveals_only_shown);
	tcase_add_test(t, event_visibility);
	tcase_add_test(t, no_card_leaks_in_random_hands);
	suite_add_tcase(s, t);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
