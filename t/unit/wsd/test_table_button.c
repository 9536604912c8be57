/*
 * test_table_button — a cash table's dead button in the runtime
 * (wsd/table_button.c): what each seat is to button_next (empty, busted,
 * leaving, sitting out, playing, a newcomer waiting or posting), the deal
 * put into the engine's config over consecutive hands (a newcomer waits for
 * the big blind, then plays every hand), the fresh start when the rule
 * leaves fewer than two to deal, the positions and players read back at
 * load, and FELT_CASH_POST_BB.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "wsdconf.h"

static struct table *t;

static void sit(int seat, int64_t stack)
{
	struct table_seat *s = &t->seat[seat];

	memset(s, 0, sizeof(*s));
	s->occupied = true;
	snprintf(s->agent_id, sizeof(s->agent_id), "agent-%d", seat);
	s->stack_chips = stack;
}

static void setup(void)
{
	t = calloc(1, sizeof(*t));
	ck_assert_ptr_nonnull(t);
	strcpy(t->id, "11111111-2222-4333-8444-555555555555");
	t->cfg.cash = true;
	t->cfg.max_seats = 6;
	t->cfg.sb_chips = 10;
	t->cfg.bb_chips = 20;
	t->button = -1;
	t->pos = t->deal_pos = (struct button_pos){ -1, -1, -1 };
	handlog_init(&t->log);
}

static void teardown(void)
{
	handlog_free(&t->log);
	free(t);
}

/* Deal the next hand as table_deal does, start it in the engine, and commit
 * it at once (no action needed: only who was dealt in matters).  Returns
 * table_button_deal's code; *cfg gets the config dealt. */
static int deal(struct hand_config *cfg)
{
	uint8_t seed[DECK_SEED_SIZE];
	int i, rc;

	memset(cfg, 0, sizeof(*cfg));
	cfg->nseats = t->cfg.max_seats;
	for (i = 0; i < cfg->nseats; i++)
		if (t->seat[i].occupied && t->seat[i].stack_chips > 0)
			cfg->stacks_chips[i] = t->seat[i].stack_chips;
	cfg->sb_chips = t->cfg.sb_chips;
	cfg->bb_chips = t->cfg.bb_chips;
	rc = table_button_deal(t, cfg);
	if (rc)
		return rc;
	memset(seed, 7, sizeof(seed));
	ck_assert_int_eq(handlog_start(&t->log, &t->hand, cfg, seed, NULL, 0), HANDLOG_OK);
	table_button_committed(t);
	return 0;
}

static uint16_t dealt_mask(const struct hand_config *cfg)
{
	uint16_t m = 0;

	for (int i = 0; i < cfg->nseats; i++)
		if (cfg->stacks_chips[i] > 0)
			m |= (uint16_t)(1u << i);
	return m;
}

START_TEST(seat_states)
{
	struct table_seat s;
	struct conn c;

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(table_button_state(&s, false), BUTTON_EMPTY);
	s.occupied = true;
	s.stack_chips = 0; /* busted */
	ck_assert_int_eq(table_button_state(&s, false), BUTTON_EMPTY);
	s.stack_chips = 500;
	ck_assert_int_eq(table_button_state(&s, false), BUTTON_WAITING);
	ck_assert_int_eq(table_button_state(&s, true), BUTTON_POSTING);
	s.dealt_in = true;
	ck_assert_int_eq(table_button_state(&s, false), BUTTON_PLAYING);
	ck_assert_int_eq(table_button_state(&s, true), BUTTON_PLAYING);
	s.leaving = true;
	ck_assert_int_eq(table_button_state(&s, false), BUTTON_EMPTY);
	s.leaving = false;
	/* Sitting out: timed out hand after hand, and gone. */
	s.timeout_hands = TABLE_SIT_OUT_HANDS;
	ck_assert_int_eq(table_button_state(&s, false), BUTTON_EMPTY);
	memset(&c, 0, sizeof(c));
	s.conn = &c; /* back */
	ck_assert_int_eq(table_button_state(&s, false), BUTTON_PLAYING);
	s.timeout_hands = TABLE_SIT_OUT_HANDS - 1;
	s.conn = NULL;
	ck_assert_int_eq(table_button_state(&s, false), BUTTON_PLAYING);
}
END_TEST

START_TEST(newcomer_waits_for_the_big_blind)
{
	struct hand_config cfg;

	sit(0, 2000);
	sit(1, 2000);
	/* First hand: everyone seated plays, heads-up (button 0 posts the
	 * small blind). */
	ck_assert_int_eq(deal(&cfg), 0);
	ck_assert_uint_eq(dealt_mask(&cfg), 0x3);
	ck_assert_int_eq(cfg.button, 0);
	ck_assert_int_eq(cfg.sb_seat, 0);
	ck_assert_int_eq(cfg.bb_seat, 1);
	ck_assert(t->seat[0].dealt_in && t->seat[1].dealt_in);
	ck_assert(!table_seat_waits(t, 0));
	/* Hand 2: seat 0 has the big blind. */
	ck_assert_int_eq(deal(&cfg), 0);
	ck_assert_int_eq(cfg.bb_seat, 0);
	/* A newcomer in seat 3 waits: the big blind goes to seat 1. */
	sit(3, 1500);
	ck_assert(table_seat_waits(t, 3));
	ck_assert_int_eq(deal(&cfg), 0);
	ck_assert_uint_eq(dealt_mask(&cfg), 0x3);
	ck_assert_int_eq(cfg.bb_seat, 1);
	ck_assert_int_eq(cfg.stacks_chips[3], 0);
	ck_assert(table_seat_waits(t, 3));
	/* Then it reaches seat 3: dealt in as the big blind, and from then on
	 * it plays every hand. */
	ck_assert_int_eq(deal(&cfg), 0);
	ck_assert_uint_eq(dealt_mask(&cfg), 0xb);
	ck_assert_int_eq(cfg.bb_seat, 3);
	ck_assert_int_eq(cfg.sb_seat, 1);
	ck_assert_int_eq(cfg.button, 0);
	ck_assert(!table_seat_waits(t, 3));
	ck_assert_int_eq(deal(&cfg), 0);
	ck_assert_uint_eq(dealt_mask(&cfg), 0xb);
	ck_assert_int_eq(cfg.bb_seat, 0);
	/* Seat 3's player busts and leaves: heads-up again, the big blind
	 * still moves one seat and the button posts the small blind. */
	memset(&t->seat[3], 0, sizeof(t->seat[3]));
	ck_assert_int_eq(deal(&cfg), 0);
	ck_assert_int_eq(cfg.bb_seat, 1);
	ck_assert_uint_eq(dealt_mask(&cfg), 0x3);
	ck_assert_int_eq(cfg.sb_seat, 0);
	ck_assert_int_eq(cfg.button, 0);
}
END_TEST

START_TEST(posting_newcomer_plays_at_once)
{
	struct hand_config cfg;

	for (int i = 0; i < 3; i++)
		sit(i, 2000);
	ck_assert_int_eq(deal(&cfg), 0); /* button 0, sb 1, bb 2 */
	ck_assert_int_eq(cfg.bb_seat, 2);
	t->post_bb = true;
	sit(4, 1000);
	ck_assert_int_eq(deal(&cfg), 0); /* button 1, sb 2, bb 4 */
	ck_assert_int_eq(cfg.bb_seat, 4); /* the big blind reached it anyway */
	/* Seat 3, between the button (2) and the small blind (4), may not
	 * post in; next hand (button 4, sb 5, bb 0) it may. */
	sit(5, 1000);
	sit(3, 1000);
	ck_assert_int_eq(deal(&cfg), 0); /* button 2, sb 4, bb 5 */
	ck_assert_int_eq(cfg.bb_seat, 5);
	ck_assert_int_eq(cfg.stacks_chips[3], 0);
	ck_assert(table_seat_waits(t, 3));
	ck_assert_int_eq(deal(&cfg), 0);
	ck_assert_int_eq(cfg.bb_seat, 0);
	ck_assert_int_eq(cfg.button, 4);
	ck_assert_int_eq(cfg.stacks_chips[3], 1000);
	ck_assert_int_eq(cfg.posts_chips[3], 20);
	ck_assert(t->seat[3].dealt_in);
}
END_TEST

START_TEST(fresh_start_and_too_few)
{
	struct hand_config cfg;

	/* The big blind was seat 0's, who left; seat 1 plays, seat 2 is new:
	 * the rule would give seat 1 the big blind and deal nobody else.  The
	 * game starts afresh with both, the button after the last one. */
	sit(1, 2000);
	t->seat[1].dealt_in = true;
	sit(2, 2000);
	t->pos = (struct button_pos){ 5, 5, 0 };
	ck_assert_int_eq(deal(&cfg), 0);
	ck_assert_uint_eq(dealt_mask(&cfg), 0x6);
	ck_assert_int_eq(cfg.button, 1);
	ck_assert_int_eq(cfg.bb_seat, 2);
	ck_assert(t->seat[2].dealt_in);
	/* One player and one sitting out: nobody is dealt, nothing moves. */
	t->seat[2].timeout_hands = TABLE_SIT_OUT_HANDS;
	struct button_pos was = t->pos;
	ck_assert_int_eq(deal(&cfg), BUTTON_ETOO_FEW);
	ck_assert_int_eq(t->pos.bb, was.bb);
	/* It missed its blinds: back, it waits like a newcomer. */
	ck_assert(!t->seat[2].dealt_in);
}
END_TEST

START_TEST(loaded_positions_and_players)
{
	struct hand_config cfg;
	struct button_pos pos = { 1, 2, 4 };

	sit(0, 900);
	sit(2, 900);
	sit(4, 900);
	strcpy(t->seat[4].agent_id, "agent-40"); /* "agent-4" is listed, not it */
	table_button_loaded(t, &pos, "agent-0,agent-2,agent-4");
	ck_assert_int_eq(t->pos.button, 1);
	ck_assert_int_eq(t->pos.sb, 2);
	ck_assert_int_eq(t->pos.bb, 4);
	ck_assert(t->seat[0].dealt_in && t->seat[2].dealt_in && !t->seat[4].dealt_in);
	/* The big blind moves on from 4 to 0; seat 4's newcomer waits: heads-up
	 * between 0 and 2, the button (2) posting the small blind. */
	ck_assert_int_eq(deal(&cfg), 0);
	ck_assert_int_eq(cfg.bb_seat, 0);
	ck_assert_int_eq(cfg.button, 2);
	ck_assert_int_eq(cfg.sb_seat, 2);
	ck_assert_uint_eq(dealt_mask(&cfg), 0x5);
	/* Unknown or impossible positions: a fresh start after the button. */
	struct button_pos bad = { 2, -1, 7 };
	t->button = 3;
	table_button_loaded(t, &bad, NULL);
	ck_assert_int_eq(t->pos.button, 2);
	ck_assert_int_eq(t->pos.bb, -1);
	ck_assert(!t->seat[0].dealt_in);
	struct button_pos none = { -1, -1, -1 };
	table_button_loaded(t, &none, "");
	ck_assert_int_eq(t->pos.button, 3);
	ck_assert_int_eq(t->pos.bb, -1);
	ck_assert_int_eq(deal(&cfg), 0);
	ck_assert_uint_eq(dealt_mask(&cfg), 0x15);
	ck_assert_int_eq(cfg.button, 4);
}
END_TEST

START_TEST(post_bb_setting)
{
	struct wsdconf cfg;
	const char *bad = NULL;

	unsetenv("FELT_CASH_POST_BB");
	ck_assert_int_eq(wsdconf_load(&cfg, &bad), CONFIG_OK);
	ck_assert(!cfg.cash.post_bb); /* newcomers wait by default */
	setenv("FELT_CASH_POST_BB", "1", 1);
	ck_assert_int_eq(wsdconf_load(&cfg, &bad), CONFIG_OK);
	ck_assert(cfg.cash.post_bb);
	setenv("FELT_CASH_POST_BB", "2", 1);
	ck_assert_int_ne(wsdconf_load(&cfg, &bad), CONFIG_OK);
	ck_assert_str_eq(bad, "FELT_CASH_POST_BB");
	unsetenv("FELT_CASH_POST_BB");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("table_button");
	TCase *tc = tcase_create("table_button");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, seat_states);
	tcase_add_test(tc, newcomer_waits_for_the_big_blind);
	tcase_add_test(tc, posting_newcomer_plays_at_once);
	tcase_add_test(tc, fresh_start_and_too_few);
	tcase_add_test(tc, loaded_positions_and_players);
	tcase_add_test(tc, post_bb_setting);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
