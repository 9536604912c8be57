/*
 * Unit tests for lib/replay: PHH hands through the engine and back.
 * The oracle test replays ../shared/oracle/sample_1000.phhs (found through
 * FELT_SHARED or next to the source tree); without it the program exits 77.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "handtest.h"
#include "poker/phh.h"
#include "poker/replay.h"

#ifndef FELT_TOP_SRCDIR
#define FELT_TOP_SRCDIR "."
#endif

static struct hand H;
static struct phh_hand P;
static char oracle_path[4096];

static void replay_text(const char *text, struct replay_result *res)
{
	struct phh_reader r;
	struct phh_failure f;
	phh_reader_init(&r, text, strlen(text));
	ck_assert_int_eq(phh_next(&r, &P, &f), 1);
	replay_hand(&P, 0, 0, &H, res);
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

/* Found by t/fuzz/fuzz_phh: a replayed hand exported lost every action but
 * the last, because replay_hand cleared the events before each action.  The
 * export of a replayed hand is the same hand; after a clear it is refused. */
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
	static struct phh_hand X;
	ck_assert_int_eq(replay_export(&H, &X), PHH_OK);
	ck_assert_int_eq(X.nactions, P.nactions);
	for (int i = 0; i < X.nactions; i++) {
		ck_assert_int_eq(X.actions[i].type, P.actions[i].type);
		ck_assert_int_eq(X.actions[i].player, P.actions[i].player);
		ck_assert_int_eq(X.actions[i].amount_chips, P.actions[i].amount_chips);
	}
	ck_assert_int_eq(X.finishing_chips[0], 4);
	hand_events_clear(&H);
	ck_assert_int_eq(replay_export(&H, &X), PHH_EMISSING);
}
END_TEST

/* Random engine hands exported to PHH text, read back and replayed, end with
 * the same stacks. */
START_TEST(export_round_trip)
{
	uint64_t rs = 42;
	for (int n = 0; n < 300; n++) {
		int64_t st[6];
		int nseats = 2 + n % 5; /* heads-up to 6-max */
		for (int i = 0; i < nseats; i++)
			st[i] = (i == 4 && n % 3 == 0) ? 0 : 20 + (int64_t)(ht_rand(&rs) % 400);
		struct hand_config c = ht_config(nseats, n % 4 % nseats, st, 1, 2);
		if (n % 5 == 0)
			hand_antes_uniform(&c, 1);
		struct deck d;
		ht_shuffle(&d, &rs);
		ck_assert_int_eq(hand_start(&H, &c, &d), HAND_OK);
		while (H.phase == HAND_PHASE_BETTING) {
			struct hand_legal l;
			hand_legal(&H, &l);
			struct hand_action a = ht_random_action(&l, &rs);
			ck_assert_int_eq(hand_apply(&H, l.seat, &a), HAND_OK);
		}
		if (H.phase == HAND_PHASE_SHOWDOWN)
			hand_settle(&H);
		ck_assert_int_eq(replay_export(&H, &P), PHH_OK);
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		ck_assert_int_eq(phh_write(m, &P, NULL), PHH_OK);
		fclose(m);
		struct replay_result res;
		replay_text(buf, &res);
		ck_assert_msg(res.verdict == REPLAY_PASS, "hand %d: %s\n%s", n, res.msg, buf);
		free(buf);
	}
}
END_TEST

START_TEST(oracle_sample_replays_exactly)
{
	FILE *f = fopen(oracle_path, "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)len + 1);
	ck_assert_int_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	struct phh_reader r;
	struct phh_failure fail;
	struct replay_result res;
	int got, passed = 0, total = 0;
	phh_reader_init(&r, buf, (size_t)len);
	while ((got = phh_next(&r, &P, &fail)) != 0) {
		ck_assert_msg(got == 1, "line %d: %s", fail.line, fail.msg);
		replay_hand(&P, 0, 0, &H, &res);
		ck_assert_msg(res.verdict == REPLAY_PASS, "hand [%s]: %s", P.id, res.msg);
		passed++;
		total++;
	}
	ck_assert_int_eq(total, 1000);
	ck_assert_int_eq(passed, 1000);
	free(buf);
}
END_TEST

static bool find_oracle(void)
{
	const char *shared = getenv("FELT_SHARED");
	struct stat st;
	if (shared && *shared)
		snprintf(oracle_path, sizeof oracle_path, "%s/oracle/sample_1000.phhs", shared);
	else
		snprintf(oracle_path, sizeof oracle_path, "%s/../shared/oracle/sample_1000.phhs",
			 FELT_TOP_SRCDIR);
	return stat(oracle_path, &st) == 0;
}

int main(void)
{
	Suite *s = suite_create("replay");
	TCase *t = tcase_create("core");
	tcase_set_timeout(t, 120);
	tcase_add_test(t, heads_up_p2_is_the_button);
	tcase_add_test(t, heads_up_antes_and_split);
	tcase_add_test(t, illegal_action_reported_not_crashed);
	tcase_add_test(t, unsupported_and_fractional_are_not_failures);
	tcase_add_test(t, export_round_trip);
	tcase_add_test(t, replayed_hand_exports_whole);
	bool oracle = find_oracle();
	if (oracle)
		tcase_add_test(t, oracle_sample_replays_exactly);
	suite_add_tcase(s, t);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	if (failed)
		return EXIT_FAILURE;
	if (!oracle) {
		fprintf(stderr, "test_replay: no oracle at %s (set FELT_SHARED): skipped\n",
			oracle_path);
		return 77;
	}
	return EXIT_SUCCESS;
}
