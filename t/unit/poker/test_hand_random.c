/*
 * Property tests for the hand engine over 100,000 seeded random hands:
 * chips are conserved, no card is dealt twice, every legal action is
 * accepted and every illegal one refused without changing the hand, and no
 * call emits more events than hand.h promises (HAND_EVENTS_PER_*).
 * Deterministic: a fixed seed, no clock.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "handtest.h"

#define HANDS 100000

/* check's ck_assert_* record every passing assertion through a pipe to the
 * parent process; millions of them would dominate the run.  These only call
 * into check when the condition fails. */
#define REQUIRE(c) \
	do { \
		if (!(c)) \
			ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #c); \
	} while (0)
#define REQUIRE_EQ(a, b) \
	do { \
		long long a_ = (long long)(a), b_ = (long long)(b); \
		if (a_ != b_) \
			ck_abort_msg("%s:%d: %s == %lld, %s == %lld", __FILE__, __LINE__, #a, a_, \
				     #b, b_); \
	} while (0)

static struct hand H, COPY;

static int64_t chips_on_table(const struct hand *h)
{
	int64_t sum = 0;
	for (int i = 0; i < h->cfg.nseats; i++)
		sum += h->seat[i].stack_chips + h->seat[i].total_chips;
	return sum;
}

/* The illegal actions we can name for the current state; each must be
 * refused with its own error and leave the hand untouched. */
static void check_refusals(const struct hand_legal *l, uint64_t *rs)
{
	struct hand_action a = {HAND_CHECK, 0};
	int other = (l->seat + 1) % H.cfg.nseats;
	int nevents = H.nevents;
	int64_t stack = H.seat[l->seat].stack_chips, bet = H.seat[l->seat].bet_chips;

	bool seated = H.seat[other].in_hand && !H.seat[other].folded;
	REQUIRE_EQ(hand_apply(&H, other, &a), seated ? HAND_ENOT_YOUR_TURN : HAND_ESEAT);
	if (!l->can_check) {
		a.type = HAND_CHECK;
		REQUIRE_EQ(hand_apply(&H, l->seat, &a), HAND_ECHECK_FACING_BET);
	} else {
		a.type = HAND_CALL;
		REQUIRE_EQ(hand_apply(&H, l->seat, &a), HAND_ENOTHING_TO_CALL);
	}
	a.type = HAND_RAISE;
	if (l->can_raise) {
		a.amount_chips = l->max_raise_to_chips + 1 + (int64_t)(ht_rand(rs) % 100);
		REQUIRE_EQ(hand_apply(&H, l->seat, &a), HAND_ERAISE_ABOVE_STACK);
		a.amount_chips = l->min_raise_to_chips - 1 - (int64_t)(ht_rand(rs) % 3);
		REQUIRE_EQ(hand_apply(&H, l->seat, &a), HAND_ERAISE_BELOW_MIN);
	} else {
		a.amount_chips = H.current_bet_chips + 1;
		int err = hand_apply(&H, l->seat, &a);
		REQUIRE(err == HAND_ERAISE_CLOSED || err == HAND_ERAISE_NO_OPPONENT ||
			  err == HAND_ERAISE_ABOVE_STACK);
	}
	REQUIRE_EQ(H.nevents, nevents);
	REQUIRE_EQ(H.to_act, l->seat);
	REQUIRE_EQ(H.seat[l->seat].stack_chips, stack);
	REQUIRE_EQ(H.seat[l->seat].bet_chips, bet);
}

/* Every action hand_legal offers is accepted (tried on a copy). */
static void check_all_legal_accepted(const struct hand_legal *l)
{
	struct hand_action tries[6];
	int n = 0;
	tries[n++] = (struct hand_action){HAND_FOLD, 0};
	if (l->can_check)
		tries[n++] = (struct hand_action){HAND_CHECK, 0};
	if (l->can_call)
		tries[n++] = (struct hand_action){HAND_CALL, 0};
	if (l->can_raise) {
		tries[n++] = (struct hand_action){HAND_RAISE, l->min_raise_to_chips};
		tries[n++] = (struct hand_action){HAND_RAISE, l->max_raise_to_chips};
		tries[n++] = (struct hand_action){HAND_ALLIN, 0};
	}
	for (int i = 0; i < n; i++) {
		COPY = H;
		REQUIRE_EQ(hand_apply(&COPY, l->seat, &tries[i]), HAND_OK);
	}
}

static void check_cards(const struct hand *h)
{
	uint64_t seen = 0;
	for (int i = 0; i < h->cfg.nseats; i++) {
		if (!h->seat[i].in_hand)
			continue;
		for (int k = 0; k < 2; k++) {
			card_t c = h->seat[i].hole[k];
			REQUIRE(c < 52);
			REQUIRE(!(seen & (1ull << c)));
			seen |= 1ull << c;
		}
	}
	for (int k = 0; k < h->nboard; k++) {
		REQUIRE(h->board[k] < 52);
		REQUIRE(!(seen & (1ull << h->board[k])));
		seen |= 1ull << h->board[k];
	}
}

START_TEST(random_hands_keep_the_rules)
{
	uint64_t rs = 0x5eed5eed5eedull;
	struct hand_config c;
	struct deck d;
	long actions = 0, showdowns = 0, side_pots = 0;

	for (int n = 0; n < HANDS; n++) {
		ht_random_config(&c, &rs);
		ht_shuffle(&d, &rs);
		REQUIRE_EQ(hand_start(&H, &c, &d), HAND_OK);
		REQUIRE(H.nevents <= HAND_EVENTS_PER_START);
		/* Consume the events after every call, as a daemon does. */
		hand_events_clear(&H);
		int64_t start_chips = 0;
		for (int i = 0; i < c.nseats; i++)
			start_chips += c.stacks_chips[i];
		while (H.phase == HAND_PHASE_BETTING) {
			struct hand_legal l;
			hand_legal(&H, &l);
			REQUIRE_EQ(l.seat, H.to_act);
			REQUIRE(l.seat >= 0);
			REQUIRE_EQ(chips_on_table(&H), start_chips);
			if (n % 4 == 0)
				check_refusals(&l, &rs);
			if (n % 16 == 0)
				check_all_legal_accepted(&l);
			struct hand_action a = ht_random_action(&l, &rs);
			REQUIRE_EQ(hand_apply(&H, l.seat, &a), HAND_OK);
			actions++;
			REQUIRE(H.nevents <= HAND_EVENTS_PER_ACTION);
			hand_events_clear(&H);
		}
		if (H.phase == HAND_PHASE_SHOWDOWN) {
			showdowns++;
			REQUIRE_EQ(H.nboard, 5);
			if (ht_rand(&rs) % 8 == 0)
				for (int i = 0; i < c.nseats; i++)
					hand_muck(&H, i); /* all but the last succeed */
			hand_events_clear(&H);
			REQUIRE_EQ(hand_settle(&H), HAND_OK);
			REQUIRE(H.nevents <= HAND_EVENTS_PER_SETTLE);
		}
		REQUIRE_EQ(H.phase, HAND_PHASE_DONE);
		check_cards(&H);
		int64_t end_chips = H.rake_chips, pots = 0, won = 0;
		for (int i = 0; i < c.nseats; i++) {
			REQUIRE(H.seat[i].stack_chips >= 0);
			REQUIRE(H.won_chips[i] >= 0);
			end_chips += H.seat[i].stack_chips;
			won += H.won_chips[i];
		}
		for (int p = 0; p < H.npots; p++)
			pots += H.pots[p].amount_chips;
		side_pots += H.npots > 1;
		REQUIRE_EQ(end_chips, start_chips);
		REQUIRE_EQ(pots, won + H.rake_chips);
		if (c.rake_cap_chips > 0)
			REQUIRE(H.rake_chips <= c.rake_cap_chips);
		if (H.nboard < 3)
			REQUIRE_EQ(H.rake_chips, 0);
	}
	/* The generator must exercise the interesting paths. */
	REQUIRE(actions > HANDS);
	REQUIRE(showdowns > HANDS / 20);
	REQUIRE(side_pots > HANDS / 100);
}
END_TEST

static Suite *random_suite(void)
{
	Suite *s = suite_create("hand_random");
	TCase *t = tcase_create("properties");
	tcase_set_timeout(t, 300);
	tcase_add_test(t, random_hands_keep_the_rules);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(random_suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
