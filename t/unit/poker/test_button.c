/*
 * Unit tests for lib/poker/button: the TDA dead button for cash tables.
 * Joins and busts at every position, heads-up transitions both ways, new
 * players waiting for or posting the big blind, the engine dealing the
 * result (dead button, dead small blind, posts), and a property test over
 * long random sessions: the big blind moves exactly one occupied seat every
 * hand, so nobody misses it or posts it twice in a row, and every hand
 * replays from its PHH.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handtest.h"
#include "poker/button.h"
#include "poker/handlog.h"
#include "poker/replay.h"
#include "poker/view.h"

#define REQUIRE(c) \
	do { \
		if (!(c)) \
			ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #c); \
	} while (0)

#define E BUTTON_EMPTY
#define P BUTTON_PLAYING
#define W BUTTON_WAITING
#define Q BUTTON_POSTING

static struct button_deal D;
static const struct button_pos FIRST = {-1, -1, -1};

static void next_ok(const struct button_pos *prev, int n, const enum button_seat *s)
{
	int err = button_next(prev, n, s, &D);
	ck_assert_msg(err == BUTTON_OK, "%s", button_strerror(err));
}

static void expect(int button, int sb, int bb, uint16_t dealt, uint16_t posts)
{
	ck_assert_int_eq(D.button, button);
	ck_assert_int_eq(D.sb_seat, sb);
	ck_assert_int_eq(D.bb_seat, bb);
	ck_assert_uint_eq(D.dealt, dealt);
	ck_assert_uint_eq(D.posts, posts);
	ck_assert_int_eq(D.nplayers, __builtin_popcount(dealt));
}

START_TEST(first_hand_and_steady_rotation)
{
	enum button_seat s[6] = {E, P, P, E, P, P};
	next_ok(&FIRST, 6, s);
	expect(1, 2, 4, 0x36, 0);
	struct button_pos pos = D.pos;
	next_ok(&pos, 6, s);
	expect(2, 4, 5, 0x36, 0);
	pos = D.pos;
	next_ok(&pos, 6, s);
	expect(4, 5, 1, 0x36, 0);
	/* A first hand after a given seat: the button goes to the next one. */
	struct button_pos after = {4, -1, -1};
	next_ok(&after, 6, s);
	expect(5, 1, 2, 0x36, 0);
	/* New players at the first hand are simply dealt in. */
	enum button_seat t[4] = {W, Q, E, P};
	next_ok(&FIRST, 4, t);
	expect(0, 1, 3, 0xb, 0);
}
END_TEST

/* Seats 0..5 all playing, button 0, sb 1, bb 2 last hand. */
static const struct button_pos LAST = {0, 1, 2};

START_TEST(big_blind_leaves_small_blind_is_dead)
{
	enum button_seat s[6] = {P, P, E, P, P, P};
	next_ok(&LAST, 6, s);
	/* bb moves to 3; the sb would be seat 2, now empty: dead. */
	expect(1, -1, 3, 0x3b, 0);
	ck_assert_int_eq(D.pos.sb, 2);
	/* Next hand the button is dead on seat 2. */
	struct button_pos pos = D.pos;
	next_ok(&pos, 6, s);
	expect(2, 3, 4, 0x3b, 0);
	pos = D.pos;
	next_ok(&pos, 6, s);
	expect(3, 4, 5, 0x3b, 0);
}
END_TEST

START_TEST(small_blind_leaves_button_is_dead)
{
	enum button_seat s[6] = {P, E, P, P, P, P};
	next_ok(&LAST, 6, s);
	expect(1, 2, 3, 0x3d, 0);
	struct button_pos pos = D.pos;
	next_ok(&pos, 6, s);
	expect(2, 3, 4, 0x3d, 0);
}
END_TEST

START_TEST(button_leaves_nothing_changes)
{
	enum button_seat s[6] = {E, P, P, P, P, P};
	next_ok(&LAST, 6, s);
	expect(1, 2, 3, 0x3e, 0);
}
END_TEST

START_TEST(two_leave_at_once)
{
	/* Small and big blind both gone: dead small blind and dead button. */
	enum button_seat s[6] = {P, E, E, P, P, P};
	next_ok(&LAST, 6, s);
	expect(1, -1, 3, 0x39, 0);
	struct button_pos pos = D.pos;
	next_ok(&pos, 6, s);
	expect(2, 3, 4, 0x39, 0);
}
END_TEST

START_TEST(new_players_wait_or_post)
{
	/* New players everywhere: 1 (sb) and 0 (button) cannot post; 3 gets the
	 * big blind whatever it chose; 4 posts; 5 waits. */
	enum button_seat s[8] = {Q, Q, P, Q, Q, W, P, P};
	struct button_pos last = {0, 1, 2};
	/* last hand: 0 button, 1 sb, 2 bb; now 0 and 1 are new players in the
	 * seats of players who left. */
	next_ok(&last, 8, s);
	/* bb -> 3 (new: it posts the big blind as the big blind); sb = 2;
	 * button = 1, whose new player may not post from the button; seat 0,
	 * before the button, may. */
	ck_assert_int_eq(D.bb_seat, 3);
	ck_assert_int_eq(D.sb_seat, 2);
	ck_assert_int_eq(D.button, 1);
	ck_assert_uint_eq(D.posts, (1u << 4) | (1u << 0));
	ck_assert_uint_eq(D.dealt, (1u << 0) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 6) |
					   (1u << 7));
	/* A new player in the small blind's seat waits too. */
	enum button_seat t[6] = {P, P, Q, P, P, P};
	struct button_pos prev = {0, 1, 2};
	next_ok(&prev, 6, t);
	expect(1, -1, 3, 0x3b, 0);
	/* ...and one in the dead button's seat next hand. */
	enum button_seat u[6] = {P, P, Q, P, P, P};
	struct button_pos pos = D.pos; /* button 1, sb 2, bb 3 */
	next_ok(&pos, 6, u);
	expect(2, 3, 4, 0x3b, 0);
	/* Waiting players are dealt in when the big blind reaches them. */
	enum button_seat v[6] = {P, P, P, W, P, W};
	next_ok(&LAST, 6, v);
	expect(1, 2, 3, 0x1f, 0);
	v[3] = P; /* dealt in: playing from now on */
	pos = D.pos;
	next_ok(&pos, 6, v);
	expect(2, 3, 4, 0x1f, 0);
	pos = D.pos;
	next_ok(&pos, 6, v);
	expect(3, 4, 5, 0x3f, 0);
}
END_TEST

START_TEST(heads_up_alternates)
{
	enum button_seat s[6] = {E, P, E, E, P, E};
	next_ok(&FIRST, 6, s);
	expect(1, 1, 4, 0x12, 0);
	struct button_pos pos = D.pos;
	next_ok(&pos, 6, s);
	expect(4, 4, 1, 0x12, 0);
	pos = D.pos;
	next_ok(&pos, 6, s);
	expect(1, 1, 4, 0x12, 0);
}
END_TEST

START_TEST(three_to_two)
{
	/* Last hand 0 button, 1 sb, 2 bb; each one leaves in turn. */
	enum button_seat no_button[3] = {E, P, P};
	struct button_pos last = {0, 1, 2};
	next_ok(&last, 3, no_button);
	expect(2, 2, 1, 0x6, 0); /* bb moves to 1; 2 (the bb) is now sb */
	enum button_seat no_sb[3] = {P, E, P};
	next_ok(&last, 3, no_sb);
	expect(2, 2, 0, 0x5, 0);
	enum button_seat no_bb[3] = {P, P, E};
	next_ok(&last, 3, no_bb);
	expect(1, 1, 0, 0x3, 0);
	/* Nobody took the big blind twice in a row in any of them. */
}
END_TEST

START_TEST(two_to_three)
{
	/* Heads-up: 0 button and sb, 3 big blind. */
	struct button_pos hu = {0, 0, 3};
	/* A new player after the big blind takes the big blind at once. */
	enum button_seat after_bb[6] = {P, E, E, P, W, E};
	next_ok(&hu, 6, after_bb);
	expect(0, 3, 4, 0x19, 0);
	/* One between the button and the big blind: the big blind goes round
	 * to 0, the button to the seat before the small blind; seat 1 waits
	 * (or, posting from there, may: it is not in the button's run). */
	enum button_seat between[6] = {P, W, E, P, E, E};
	next_ok(&hu, 6, between);
	expect(3, 3, 0, 0x9, 0); /* still heads-up */
	struct button_pos pos = D.pos;
	next_ok(&pos, 6, between);
	expect(3, 0, 1, 0xb, 0); /* the big blind reaches the new player */
	enum button_seat posting[6] = {P, Q, E, P, E, E};
	next_ok(&hu, 6, posting);
	expect(2, 3, 0, 0xb, 0x2);
	/* Right before the small blind a poster is on the button: it waits. */
	enum button_seat on_button[6] = {P, E, Q, P, E, E};
	next_ok(&hu, 6, on_button);
	expect(3, 3, 0, 0x9, 0);
}
END_TEST

START_TEST(refusals)
{
	enum button_seat s[3] = {P, E, E};
	ck_assert_int_eq(button_next(&FIRST, 3, s, &D), BUTTON_ETOO_FEW);
	ck_assert_int_eq(button_next(&FIRST, 1, s, &D), BUTTON_EINVAL);
	ck_assert_int_eq(button_next(&FIRST, 11, s, &D), BUTTON_EINVAL);
	struct button_pos bad = {0, 1, 3};
	enum button_seat ok[3] = {P, P, P};
	ck_assert_int_eq(button_next(&bad, 3, ok, &D), BUTTON_EINVAL);
	enum button_seat odd[3] = {P, P, (enum button_seat)7};
	ck_assert_int_eq(button_next(&FIRST, 3, odd, &D), BUTTON_EINVAL);
	/* Only waiting players besides the big blind: not enough to deal. */
	enum button_seat waiting[3] = {W, P, W};
	struct button_pos last = {0, 0, 1};
	ck_assert_int_eq(button_next(&last, 3, waiting, &D), BUTTON_OK);
	ck_assert_int_eq(D.bb_seat, 2); /* the waiting player 2 gets it */
	enum button_seat alone[3] = {W, P, E};
	struct button_pos from0 = {1, 1, 0};
	ck_assert_int_eq(button_next(&from0, 3, alone, &D), BUTTON_ETOO_FEW);
	ck_assert_str_eq(button_strerror(BUTTON_ETOO_FEW), "fewer than two players to deal in");
}
END_TEST

/* ---- every position, every table size ---- */

/* The occupied seat after seat (clockwise), in s[0 .. n-1]. */
static int after(const enum button_seat *s, int n, int seat)
{
	for (int k = 1; k <= n; k++)
		if (s[(seat + k) % n] != E)
			return (seat + k) % n;
	return -1;
}

/* The seat of the occupied seats before seat, in s. */
static int before(const enum button_seat *s, int n, int seat)
{
	for (int k = 1; k <= n; k++)
		if (s[(seat + n - k) % n] != E)
			return (seat + n - k) % n;
	return -1;
}

/* Check D against the rule, computed here seat by seat: the big blind is the
 * next occupied seat after last.bb, the small blind last.bb (dead when it is
 * not playing), the button last.sb; heads-up the button is the small blind
 * (the other player than the big blind); whoever plays is dealt in, a
 * waiting player only as the big blind, a poster unless it sits from the
 * button (last.sb) to the small blind (last.bb), both included. */
static void check_rule(const struct button_pos *last, int n, const enum button_seat *s,
		       const char *what)
{
	int bb = after(s, n, last->bb), players = 0;
	uint16_t dealt = 0, posts = 0;

	for (int i = 0; i < n; i++) {
		bool in_run = false;
		for (int j = last->sb;; j = (j + 1) % n) {
			if (j == i)
				in_run = true;
			if (j == last->bb)
				break;
		}
		bool in = s[i] == P || i == bb || (s[i] == Q && !in_run);
		if (s[i] == E)
			in = false;
		if (in) {
			dealt |= (uint16_t)(1u << i);
			players++;
			if (s[i] == Q && i != bb)
				posts |= (uint16_t)(1u << i);
		}
	}
	int err = button_next(last, n, s, &D);
	if (players < 2) {
		ck_assert_msg(err == BUTTON_ETOO_FEW, "%s: err %d", what, err);
		return;
	}
	ck_assert_msg(err == BUTTON_OK, "%s: %s", what, button_strerror(err));
	ck_assert_msg(D.bb_seat == bb, "%s: bb %d, want %d", what, D.bb_seat, bb);
	ck_assert_msg(D.dealt == dealt, "%s: dealt %#x, want %#x", what, D.dealt, dealt);
	if (players == 2) {
		int other = __builtin_ctz(dealt & (uint16_t)~(1u << bb));
		ck_assert_msg(D.button == other && D.sb_seat == other && D.posts == 0,
			      "%s: heads-up button %d sb %d", what, D.button, D.sb_seat);
		return;
	}
	ck_assert_msg(D.posts == posts, "%s: posts %#x, want %#x", what, D.posts, posts);
	ck_assert_msg(D.sb_seat == (s[last->bb] == P ? last->bb : -1), "%s: sb %d", what,
		      D.sb_seat);
	ck_assert_msg(D.button == last->sb, "%s: button %d, want %d", what, D.button, last->sb);
}

START_TEST(every_position_joins_and_busts)
{
	char what[96];
	long cases = 0;

	for (int n = 3; n <= HAND_MAX_SEATS; n++) {
		for (int k = 0; k < n; k++) {
			/* Everyone played the last hand: button k, sb k+1, bb k+2. */
			struct button_pos last = {k, (k + 1) % n, (k + 2) % n};
			for (int gone = 0; gone < n; gone++) {
				/* The player at each position busts or leaves. */
				enum button_seat s[HAND_MAX_SEATS];
				for (int i = 0; i < n; i++)
					s[i] = i == gone ? E : P;
				snprintf(what, sizeof(what), "n=%d button=%d seat %d gone", n, k, gone);
				check_rule(&last, n, s, what);
				cases++;
				/* Two gone: this one and each other one. */
				for (int also = 0; also < n; also++) {
					if (also == gone)
						continue;
					s[also] = E;
					snprintf(what, sizeof(what), "n=%d button=%d seats %d, %d gone", n,
						 k, gone, also);
					check_rule(&last, n, s, what);
					s[also] = P;
					cases++;
				}
				/* A newcomer in the empty seat the hand after, waiting or
				 * posting, at every position. */
				for (int joiner = 0; joiner < 2; joiner++) {
					s[gone] = joiner ? Q : W;
					snprintf(what, sizeof(what), "n=%d button=%d seat %d %s", n, k,
						 gone, joiner ? "posts" : "waits");
					check_rule(&last, n, s, what);
					s[gone] = E;
					cases++;
				}
			}
		}
		/* A table with one empty seat, the last hand's positions all
		 * round it, and a newcomer there. */
		for (int empty = 0; empty < n; empty++) {
			enum button_seat s[HAND_MAX_SEATS];
			for (int i = 0; i < n; i++)
				s[i] = i == empty ? E : P;
			for (int bbs = 0; bbs < n; bbs++) {
				if (bbs == empty)
					continue;
				int sbs = before(s, n, bbs), bts = before(s, n, sbs);
				/* (Heads-up the button is the small blind.) */
				struct button_pos last = {n == 3 ? sbs : bts, sbs, bbs};
				for (int joiner = 0; joiner < 2; joiner++) {
					s[empty] = joiner ? Q : W;
					snprintf(what, sizeof(what), "n=%d bb=%d newcomer at %d %s", n,
						 bbs, empty, joiner ? "posts" : "waits");
					check_rule(&last, n, s, what);
					s[empty] = E;
					cases++;
				}
			}
		}
	}
	ck_assert_int_gt(cases, 1000);
}
END_TEST

/* ---- the engine deals what button_next decides ---- */

static struct hand H, H2;
static struct handlog LOG;
static struct phh_hand PH;

/* Play the hand in LOG/H to the end with random actions, export it as PHH
 * for a spectator, and replay that: it must end with the same stacks. */
static void play_and_replay(uint64_t *rs)
{
	while (H.phase == HAND_PHASE_BETTING) {
		struct hand_legal l;
		hand_legal(&H, &l);
		struct hand_action a = ht_random_action(&l, rs);
		REQUIRE(handlog_apply(&LOG, &H, l.seat, &a, 0, false, NULL) == HANDLOG_OK);
	}
	if (H.phase == HAND_PHASE_SHOWDOWN)
		REQUIRE(handlog_settle(&LOG, &H, 0) == HANDLOG_OK);
	REQUIRE(handlog_phh(&LOG, VIEW_SPECTATOR, &PH) == HANDLOG_OK);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	REQUIRE(phh_write(m, &PH, NULL) == PHH_OK);
	fclose(m);
	struct phh_reader r;
	struct phh_failure f;
	static struct phh_hand back;
	phh_reader_init(&r, buf, len);
	REQUIRE(phh_next(&r, &back, &f) == 1);
	struct replay_result res;
	replay_hand(&back, 0, 0, &H2, NULL, &res);
	if (res.verdict != REPLAY_PASS)
		ck_abort_msg("%s\n%s", res.msg, buf);
	free(buf);
}

START_TEST(engine_deals_dead_blinds_and_posts)
{
	uint64_t rs = 77;
	uint8_t seed[32] = {9};
	/* Dead small blind, dead button next, and a poster. */
	enum button_seat s[6] = {P, P, E, P, Q, P};
	next_ok(&LAST, 6, s);
	expect(1, -1, 3, 0x3b, 0x10);
	int64_t st[6] = {1000, 1000, 0, 1000, 1000, 1000};
	struct hand_config c = ht_config(6, 0, st, 5, 10);
	button_config(&D, &c);
	REQUIRE(handlog_start(&LOG, &H, &c, seed, NULL, 0) == HANDLOG_OK);
	ck_assert_int_eq(H.sb_seat, -1);
	ck_assert_int_eq(H.bb_seat, 3);
	ck_assert_int_eq(H.seat[3].bet_chips, 10);
	ck_assert_int_eq(H.seat[4].bet_chips, 10); /* the post is live */
	ck_assert_int_eq(H.seat[1].bet_chips, 0);
	ck_assert_int_eq(ht_count_events(&H, HAND_EV_SMALL_BLIND, -1), 0);
	int bigs = 0;
	for (int i = 0; i < LOG.n; i++)
		bigs += LOG.entries[i].ev.type == HAND_EV_BIG_BLIND;
	ck_assert_int_eq(bigs, 2);
	/* Preflop action after the largest blind, the later seat: the poster. */
	ck_assert_int_eq(H.to_act, 5);
	/* The first dealt after the (seat 1) button: dealing starts at 3. */
	ck_assert_int_eq(hand_first_left(&H), 3);
	play_and_replay(&rs);
	/* Dead button on the empty seat 2. */
	struct button_pos pos = D.pos;
	s[4] = P;
	next_ok(&pos, 6, s);
	expect(2, 3, 4, 0x3b, 0);
	c = ht_config(6, 0, st, 5, 10);
	button_config(&D, &c);
	REQUIRE(handlog_start(&LOG, &H, &c, seed, NULL, 0) == HANDLOG_OK);
	ck_assert_int_eq(hand_first_left(&H), 3);
	ck_assert_int_eq(H.to_act, 5);
	play_and_replay(&rs);
	/* The engine refuses blinds on seats not dealt in. */
	c = ht_config(6, 2, st, 5, 10);
	c.blinds_given = true;
	c.sb_seat = 2;
	c.bb_seat = 3;
	struct deck d;
	ht_shuffle(&d, &rs);
	ck_assert_int_eq(hand_start(&H, &c, &d), HAND_ECONFIG);
	c.sb_seat = -1;
	ck_assert_int_eq(hand_start(&H, &c, &d), HAND_OK);
	c.posts_chips[2] = 10;
	ck_assert_int_eq(hand_start(&H, &c, &d), HAND_ECONFIG);
	c.posts_chips[2] = 0;
	c.posts_chips[3] = 10;
	ck_assert_int_eq(hand_start(&H, &c, &d), HAND_ECONFIG);
	handlog_free(&LOG);
}
END_TEST

/* Long random sessions on 2..10 seats: players join (waiting or posting),
 * leave and bust between hands.  Checked every hand: the big blind moves to
 * the next occupied seat (never skipping a playing seat, never staying),
 * everyone playing is dealt in, a waiting player only as the big blind,
 * the small blind is last hand's big blind or dead, heads-up the button is
 * the small blind; and the engine plays each hand, which replays from PHH. */
START_TEST(random_sessions_keep_the_rules)
{
	uint64_t rs = 0xb077011ull;
	uint8_t seed[32];
	long hands = 0, dead_sb = 0, dead_button = 0, posts = 0, heads_up = 0;

	for (int session = 0; session < 60; session++) {
		int n = 2 + (int)(ht_rand(&rs) % 9);
		enum button_seat s[HAND_MAX_SEATS];
		int64_t stack[HAND_MAX_SEATS] = {0};
		struct button_pos pos = FIRST;
		for (int i = 0; i < n; i++) {
			s[i] = ht_rand(&rs) % 3 ? P : E;
			stack[i] = s[i] == P ? 200 : 0;
		}
		for (int hand = 0; hand < 150; hand++) {
			/* Comings and goings. */
			for (int i = 0; i < n; i++) {
				uint64_t r = ht_rand(&rs) % 20;
				if (s[i] == E && r < 2) {
					s[i] = r == 0 ? W : Q;
					stack[i] = 200;
				} else if (s[i] != E && r == 2) {
					s[i] = E;
					stack[i] = 0;
				}
			}
			struct button_pos prev = pos;
			int err = button_next(&prev, n, s, &D);
			if (err == BUTTON_ETOO_FEW) {
				pos = FIRST; /* the table waits, then starts afresh */
				continue;
			}
			REQUIRE(err == BUTTON_OK);
			if (prev.bb >= 0) {
				REQUIRE(D.bb_seat != prev.bb);
				for (int i = (prev.bb + 1) % n; i != D.bb_seat; i = (i + 1) % n)
					REQUIRE(s[i] == E); /* nobody skipped */
				REQUIRE(D.nplayers == 2 || D.sb_seat == -1 || D.sb_seat == prev.bb);
			}
			for (int i = 0; i < n; i++) {
				bool in = (D.dealt >> i) & 1;
				if (s[i] == P)
					REQUIRE(in);
				/* (a first hand deals in everyone seated) */
				if (s[i] == W && prev.bb >= 0)
					REQUIRE(in == (i == D.bb_seat));
				if (s[i] == E)
					REQUIRE(!in);
				if ((D.posts >> i) & 1)
					REQUIRE(s[i] == Q && in && i != D.bb_seat && i != D.sb_seat);
			}
			if (D.nplayers == 2)
				REQUIRE(D.button == D.sb_seat && D.sb_seat >= 0);
			heads_up += D.nplayers == 2;
			dead_sb += D.sb_seat < 0;
			dead_button += s[D.button] == E;
			posts += __builtin_popcount(D.posts);
			/* The engine deals it. */
			struct hand_config c;
			memset(&c, 0, sizeof c);
			c.nseats = n;
			for (int i = 0; i < n; i++)
				c.stacks_chips[i] = stack[i];
			c.sb_chips = 1;
			c.bb_chips = 2;
			button_config(&D, &c);
			for (int k = 0; k < 32; k++)
				seed[k] = (uint8_t)ht_rand(&rs);
			REQUIRE(handlog_start(&LOG, &H, &c, seed, NULL, 0) == HANDLOG_OK);
			REQUIRE(H.bb_seat == D.bb_seat && H.sb_seat == D.sb_seat);
			play_and_replay(&rs);
			hands++;
			pos = D.pos;
			for (int i = 0; i < n; i++) {
				if (!((D.dealt >> i) & 1))
					continue;
				s[i] = P;
				stack[i] = H.seat[i].stack_chips;
				if (stack[i] == 0) {
					s[i] = E; /* busted */
				}
			}
		}
	}
	handlog_free(&LOG);
	REQUIRE(hands > 5000);
	REQUIRE(dead_sb > 50 && dead_button > 50 && posts > 50 && heads_up > 200);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("button");
	TCase *t = tcase_create("button");
	tcase_set_timeout(t, 300);
	tcase_add_test(t, first_hand_and_steady_rotation);
	tcase_add_test(t, big_blind_leaves_small_blind_is_dead);
	tcase_add_test(t, small_blind_leaves_button_is_dead);
	tcase_add_test(t, button_leaves_nothing_changes);
	tcase_add_test(t, two_leave_at_once);
	tcase_add_test(t, new_players_wait_or_post);
	tcase_add_test(t, heads_up_alternates);
	tcase_add_test(t, three_to_two);
	tcase_add_test(t, two_to_three);
	tcase_add_test(t, refusals);
	tcase_add_test(t, every_position_joins_and_busts);
	tcase_add_test(t, engine_deals_dead_blinds_and_posts);
	tcase_add_test(t, random_sessions_keep_the_rules);
	suite_add_tcase(s, t);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
