/*
 * Unit tests for lib/replay: PHH hands through the engine and back.
 * The oracle test replays ../shared/oracle/sample_1000.phhs (found through
 * FELT_SHARED or next to the source tree); without it the program exits 77.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handtest.h"
#include "oracle.h"
#include "poker/phh.h"
#include "poker/replay.h"
#include "poker/view.h"


static struct hand H;
static struct handlog LOG;
static struct phh_hand P;
static void replay_text(const char *text, struct replay_result *res)
{
	struct phh_reader r;
	struct phh_failure f;
	phh_reader_init(&r, text, strlen(text));
	ck_assert_int_eq(phh_next(&r, &P, &f), 1);
	replay_hand(&P, 0, 0, &H, &LOG, res);
}

/* Oracle hand [2]: heads-up, PokerKit reverses the blinds: p2 is the button,
 * posts the small blind and acts first. */
START_TEST(heads_up_p2_is_the_button)
{
	static const char text[] =
		"variant = 'NT'\nante_trimming_status = false\nantes = [0, 0]\n"
		"blinds_or_straddles = [2, 5]\nmin_bet = 5\nstarting_stacks = [462, 155]\n"
		"actions = ['d dh p1 4c5d', 'd dh p2 4s5s', 'p2 f']\n"
		"finishing_stacks = [464, 153]\n";
	struct replay_result res;
	replay_text(text, &res);
	ck_assert_int_eq(res.verdict, REPLAY_PASS);
	ck_assert_int_eq(H.sb_seat, 1);
	ck_assert_int_eq(H.cfg.button, 1);
	ck_assert_int_eq(res.won_chips[0], 4);
}
END_TEST

/* Oracle hand [3]: heads-up with antes, the small blind shoves short. */
START_TEST(heads_up_antes_and_split)
{
	static const char text[] =
		"variant = 'NT'\nante_trimming_status = false\nantes = [1, 1]\n"
		"blinds_or_straddles = [1, 2]\nmin_bet = 2\nstarting_stacks = [458, 27]\n"
		"actions = ['d dh p1 7cAc', 'd dh p2 7dAd', 'p2 cbr 26', 'p1 cc', "
		"'p2 sm 7dAd', 'p1 sm 7cAc', 'd db 3s6h5s', 'd db Jh', 'd db 9s']\n"
		"finishing_stacks = [458, 27]\n";
	struct replay_result res;
	replay_text(text, &res);
	ck_assert_int_eq(res.verdict, REPLAY_PASS);
	ck_assert_int_eq(res.final_chips[1], 27);
}
END_TEST

START_TEST(illegal_action_reported_not_crashed)
{
	static const char text[] =
		"variant = 'NT'\nantes = [0, 0, 0]\nblinds_or_straddles = [1, 2, 0]\n"
		"min_bet = 2\nstarting_stacks = [100, 100, 100]\n"
		"actions = ['d dh p1 ?\?\?\?', 'd dh p2 ?\?\?\?', 'd dh p3 ?\?\?\?',\n"
		"'p3 cbr 3', 'p1 f']\nfinishing_stacks = [99, 98, 103]\n";
	struct replay_result res;
	replay_text(text, &res);
	ck_assert_int_eq(res.verdict, REPLAY_FAIL);
	ck_assert_int_eq(res.err, HAND_ERAISE_BELOW_MIN);
	ck_assert_int_eq(res.line, 7);
	ck_assert_ptr_nonnull(strstr(res.msg, "p3"));
}
END_TEST

START_TEST(unsupported_and_fractional_are_not_failures)
{
	static const char omaha[] =
		"variant = 'PO'\nantes = [0, 0]\nblinds_or_straddles = [1, 2]\n"
		"starting_stacks = [100, 100]\nactions = ['d dh p1 AsKsQsJs']\n";
	struct replay_result res;
	replay_text(omaha, &res);
	ck_assert_int_eq(res.verdict, REPLAY_UNSUPPORTED);
	static const char halves[] =
		"variant = 'NT'\nantes = [0, 0, 0]\nblinds_or_straddles = [1, 2, 0]\n"
		"min_bet = 2\nstarting_stacks = [100, 100, 100]\n"
		"actions = ['d dh p1 ?\?\?\?', 'd dh p2 ?\?\?\?', 'd dh p3 ?\?\?\?', 'p3 f', 'p1 f']\n"
		"finishing_stacks = [99.5, 100.5, 100.0]\n";
	replay_text(halves, &res);
	ck_assert_int_eq(res.verdict, REPLAY_FRACTIONAL);
	ck_assert_str_eq(replay_verdict_name(REPLAY_FRACTIONAL), "fractional");
}
END_TEST

/* A blind beyond p2's no larger than the big blind is a post (a new cash
 * player's live big blind): the poster acts last preflop, as PokerKit has
 * a straddler do.  A larger one is a straddle, which is not supported. */
START_TEST(posts_replay_straddles_do_not)
{
	static const char post[] =
		"variant = 'NT'\nantes = [0, 0, 0, 0]\nblinds_or_straddles = [1, 2, 2, 0]\n"
		"min_bet = 2\nstarting_stacks = [100, 100, 100, 100]\n"
		"actions = ['d dh p1 ?\?\?\?', 'd dh p2 ?\?\?\?', 'd dh p3 ?\?\?\?', 'd dh p4 ?\?\?\?',"
		" 'p4 f', 'p1 f', 'p2 f']\n"
		"finishing_stacks = [99, 98, 103, 100]\n";
	struct replay_result res;
	replay_text(post, &res);
	ck_assert_msg(res.verdict == REPLAY_PASS, "%s", res.msg);
	/* p3 acting first would be out of turn. */
	static const char early[] =
		"variant = 'NT'\nantes = [0, 0, 0, 0]\nblinds_or_straddles = [1, 2, 2, 0]\n"
		"min_bet = 2\nstarting_stacks = [100, 100, 100, 100]\n"
		"actions = ['d dh p1 ?\?\?\?', 'd dh p2 ?\?\?\?', 'd dh p3 ?\?\?\?', 'd dh p4 ?\?\?\?',"
		" 'p3 f']\n";
	replay_text(early, &res);
	ck_assert_int_eq(res.verdict, REPLAY_FAIL);
	ck_assert_int_eq(res.err, HAND_ENOT_YOUR_TURN);
	static const char straddle[] =
		"variant = 'NT'\nantes = [0, 0, 0]\nblinds_or_straddles = [1, 2, 4]\n"
		"min_bet = 2\nstarting_stacks = [100, 100, 100]\nactions = []\n";
	replay_text(straddle, &res);
	ck_assert_int_eq(res.verdict, REPLAY_UNSUPPORTED);
}
END_TEST

/* Found by t/fuzz/fuzz_phh: a replayed hand exported lost every action but
 * the last, because replay_hand cleared the events before each action.  A
 * hand replayed through a log exports whole, whatever happens to the
 * engine's own event list. */
START_TEST(replayed_hand_exports_whole)
{
	static const char text[] =
		"variant = 'NT'\nante_trimming_status = false\nantes = [0, 0]\n"
		"blinds_or_straddles = [1, 2]\nmin_bet = 2\nstarting_stacks = [6, 12]\n"
		"actions = ['d dh p1 4c3d', 'd dh p2 9hQc', 'p2 cbr 5', 'p1 f']\n"
		"finishing_stacks = [4, 14]\n";
	struct replay_result res;
	replay_text(text, &res);
	ck_assert_int_eq(res.verdict, REPLAY_PASS);
	hand_events_clear(&H);
	static struct phh_hand X;
	ck_assert_int_eq(handlog_phh(&LOG, VIEW_PLATFORM, &X), HANDLOG_OK);
	ck_assert_int_eq(X.nactions, P.nactions);
	for (int i = 0; i < X.nactions; i++) {
		ck_assert_int_eq(X.actions[i].type, P.actions[i].type);
		ck_assert_int_eq(X.actions[i].player, P.actions[i].player);
		ck_assert_int_eq(X.actions[i].amount_chips, P.actions[i].amount_chips);
	}
	ck_assert(X.has_finishing);
	ck_assert_int_eq(X.finishing_chips[0], 4);
	ck_assert_int_eq(X.finishing_chips[1], 14);
}
END_TEST

START_TEST(oracle_sample_replays_exactly)
{
	size_t len;
	char *buf = oracle_read(&len);
	struct phh_reader r;
	struct phh_failure fail;
	struct replay_result res;
	int got, passed = 0, total = 0;
	phh_reader_init(&r, buf, len);
	while ((got = phh_next(&r, &P, &fail)) != 0) {
		ck_assert_msg(got == 1, "line %d: %s", fail.line, fail.msg);
		replay_hand(&P, 0, 0, &H, NULL, &res); /* as felt-replay does */
		ck_assert_msg(res.verdict == REPLAY_PASS, "hand [%s]: %s", P.id, res.msg);
		passed++;
		total++;
	}
	ck_assert_int_eq(total, 1000);
	ck_assert_int_eq(passed, 1000);
	free(buf);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("replay");
	TCase *t = tcase_create("core");
	tcase_set_timeout(t, 120);
	tcase_add_test(t, heads_up_p2_is_the_button);
	tcase_add_test(t, heads_up_antes_and_split);
	tcase_add_test(t, illegal_action_reported_not_crashed);
	tcase_add_test(t, unsupported_and_fractional_are_not_failures);
	tcase_add_test(t, replayed_hand_exports_whole);
	tcase_add_test(t, posts_replay_straddles_do_not);
	bool oracle = oracle_find();
	if (oracle)
		tcase_add_test(t, oracle_sample_replays_exactly);
	suite_add_tcase(s, t);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	handlog_free(&LOG);
	if (failed)
		return EXIT_FAILURE;
	if (!oracle) {
		fprintf(stderr, "test_replay: no oracle at %s (set FELT_SHARED): skipped\n",
			oracle_path);
		return 77;
	}
	return EXIT_SUCCESS;
}
