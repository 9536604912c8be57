/* Unit tests for lib/phh: reading and writing PHH hand histories. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "poker/phh.h"

static struct phh_hand P;

/* A hand as found in the wild: double quotes, comments, multi-line arrays,
 * unknown hole cards, extra keys, show before the river run-out. */
static const char DWAN_IVEY[] =
	"# The first televised million dollar pot.\n"
	"\n"
	"variant = \"NT\"\n"
	"ante_trimming_status = true\n"
	"antes = [500, 500, 500]\n"
	"blinds_or_straddles = [1000, 2000, 0]\n"
	"min_bet = 2000\n"
	"starting_stacks = [1125600, 2000000, 553500]\n"
	"actions = [\n"
	"  # Pre-flop\n"
	"\n"
	"  \"d dh p1 Ac2d\",  # Ivey\n"
	"  \"d dh p2 ????\",  # Antonius\n"
	"  \"d dh p3 7h6h\",  # Dwan\n"
	"  \"p3 cbr 7000\",\n"
	"  \"p1 cbr 23000\",\n"
	"  \"p2 f\",\n"
	"  \"p3 cc\",\n"
	"  \"d db Jc3d5c\",\n"
	"  \"p1 sm Ac2d\",\n"
	"  \"p3 sm\",\n"
	"]\n"
	"players = [\"Phil Ivey\", \"Patrik Antonius\", \"Tom Dwan\"]\n"
	"year = 2009\n";

static int read_one(const char *text, struct phh_failure *f)
{
	struct phh_reader r;
	phh_reader_init(&r, text, strlen(text));
	return phh_next(&r, &P, f);
}

START_TEST(reads_a_hand_from_the_wild)
{
	struct phh_failure f;
	ck_assert_int_eq(read_one(DWAN_IVEY, &f), 1);
	ck_assert_str_eq(P.variant, "NT");
	ck_assert(P.ante_trimming);
	ck_assert_int_eq(P.nplayers, 3);
	ck_assert_int_eq(P.antes_chips[2], 500);
	ck_assert_int_eq(P.blinds_chips[1], 2000);
	ck_assert_int_eq(P.min_bet_chips, 2000);
	ck_assert_int_eq(P.starting_chips[0], 1125600);
	ck_assert(!P.has_finishing);
	ck_assert_int_eq(P.nactions, 10);
	ck_assert_int_eq(P.actions[0].type, PHH_DEAL_HOLE);
	ck_assert_int_eq(P.actions[0].player, 0);
	ck_assert_int_eq(P.actions[0].cards[0], CARD_MAKE(12, 0));
	ck_assert_int_eq(P.actions[0].line, 12);
	ck_assert_int_eq(P.actions[1].cards[0], CARD_NONE);
	ck_assert_int_eq(P.actions[3].type, PHH_BET_RAISE);
	ck_assert_int_eq(P.actions[3].player, 2);
	ck_assert_int_eq(P.actions[3].amount_chips, 7000);
	ck_assert_int_eq(P.actions[5].type, PHH_FOLD);
	ck_assert_int_eq(P.actions[6].type, PHH_CHECK_CALL);
	ck_assert_int_eq(P.actions[7].type, PHH_DEAL_BOARD);
	ck_assert_int_eq(P.actions[7].ncards, 3);
	ck_assert_int_eq(P.actions[8].type, PHH_SHOW_MUCK);
	ck_assert_int_eq(P.actions[8].ncards, 2);
	ck_assert_int_eq(P.actions[9].ncards, 0); /* a muck */
}
END_TEST

START_TEST(reads_many_hands_from_sections)
{
	static const char text[] =
		"[0]\nvariant = 'NT'\nante_trimming_status = false\nantes = [0, 0]\n"
		"blinds_or_straddles = [2, 5]\nmin_bet = 5\nstarting_stacks = [462, 155]\n"
		"actions = ['d dh p1 4c5d', 'd dh p2 4s5s', 'p2 f']\n"
		"finishing_stacks = [464, 153]\n\n"
		"[1]\nvariant = 'NT'\nantes = [0, 0]\nblinds_or_straddles = [1, 2]\n"
		"min_bet = 2\nstarting_stacks = [10162.5, 10]\nactions = []\n"
		"finishing_stacks = [10000.0, 9.5]\n";
	struct phh_reader r;
	struct phh_failure f;
	phh_reader_init(&r, text, strlen(text));
	ck_assert(r.sections);
	ck_assert_int_eq(phh_next(&r, &P, &f), 1);
	ck_assert_str_eq(P.id, "0");
	ck_assert_int_eq(P.line, 1);
	ck_assert(P.has_finishing);
	ck_assert_int_eq(P.finishing_chips[1], 153);
	ck_assert_int_eq(P.nactions, 3);
	ck_assert_int_eq(phh_next(&r, &P, &f), 1);
	ck_assert_str_eq(P.id, "1");
	ck_assert(P.starting_fractional);
	ck_assert(P.finishing_fractional);
	ck_assert_int_eq(P.finishing_chips[0], 10000);
	ck_assert_int_eq(phh_next(&r, &P, &f), 0);
}
END_TEST

START_TEST(bad_files_name_the_line)
{
	struct phh_failure f;
	static const char missing_eq[] = "variant = 'NT'\n\nantes [0, 0]\n";
	ck_assert_int_eq(read_one(missing_eq, &f), PHH_ESYNTAX);
	ck_assert_int_eq(f.line, 3);
	ck_assert_ptr_nonnull(strstr(f.msg, "'='"));

	static const char short_array[] =
		"variant = 'NT'\nantes = [0, 0, 0]\nblinds_or_straddles = [1, 2]\n"
		"starting_stacks = [100, 100]\nactions = []\n";
	ck_assert_int_eq(read_one(short_array, &f), PHH_EFIELD);
	ck_assert_ptr_nonnull(strstr(f.msg, "antes has 3 values for 2 players"));

	static const char bad_action[] =
		"variant = 'NT'\nstarting_stacks = [100, 100]\nactions = [\n'p1 cc',\n'p1 cbr x1'\n]\n";
	ck_assert_int_eq(read_one(bad_action, &f), PHH_EFIELD);
	ck_assert_int_eq(f.line, 5);

	static const char no_stacks[] = "variant = 'NT'\nactions = []\n";
	ck_assert_int_eq(read_one(no_stacks, &f), PHH_EMISSING);

	static const char unterminated[] = "variant = 'NT\n";
	ck_assert_int_eq(read_one(unterminated, &f), PHH_ESYNTAX);
	ck_assert_int_eq(f.line, 1);
	ck_assert_str_eq(phh_strerror(PHH_ESYNTAX), "PHH syntax error");
}
END_TEST

START_TEST(error_in_one_section_does_not_stop_the_next)
{
	static const char text[] =
		"[a]\nvariant = 'NT'\nstarting_stacks = [1, oops]\nactions = []\n"
		"[b]\nvariant = 'NT'\nstarting_stacks = [5, 5]\nactions = ['p1 f']\n";
	struct phh_reader r;
	struct phh_failure f;
	phh_reader_init(&r, text, strlen(text));
	ck_assert_int_lt(phh_next(&r, &P, &f), 0);
	ck_assert_int_eq(f.line, 3);
	ck_assert_int_eq(phh_next(&r, &P, &f), 1);
	ck_assert_str_eq(P.id, "b");
	ck_assert_int_eq(phh_next(&r, &P, &f), 0);
}
END_TEST

START_TEST(action_verbs)
{
	struct phh_action a;
	ck_assert_int_eq(phh_parse_action("p10 cbr 123", 11, 7, &a), PHH_OK);
	ck_assert_int_eq(a.type, PHH_BET_RAISE);
	ck_assert_int_eq(a.player, 9);
	ck_assert_int_eq(a.amount_chips, 123);
	ck_assert_int_eq(a.line, 7);
	ck_assert_int_eq(phh_parse_action("p2 sm -", 7, 1, &a), PHH_OK);
	ck_assert_int_eq(a.type, PHH_SHOW_MUCK);
	ck_assert_int_eq(a.ncards, 0);
	ck_assert_int_eq(phh_parse_action("p1 sd AsKs", 10, 1, &a), PHH_OK);
	ck_assert_int_eq(a.type, PHH_OTHER); /* a draw: another variant */
	ck_assert_int_eq(phh_parse_action("d db Xx", 7, 1, &a), PHH_EFIELD);
	ck_assert_int_eq(phh_parse_action("p0 f", 4, 1, &a), PHH_EFIELD);
	ck_assert_int_eq(phh_parse_action("p1 cbr", 6, 1, &a), PHH_OK);
	ck_assert_int_eq(a.type, PHH_OTHER);
}
END_TEST

START_TEST(write_then_read_round_trip)
{
	struct phh_failure f;
	char *buf = NULL;
	size_t len = 0;
	ck_assert_int_eq(read_one(DWAN_IVEY, &f), 1);
	P.has_finishing = true;
	P.finishing_chips[0] = 1;
	FILE *m = open_memstream(&buf, &len);
	ck_assert_int_eq(phh_write(m, &P, "7"), PHH_OK);
	fclose(m);
	ck_assert_ptr_nonnull(strstr(buf, "[7]\nvariant = 'NT'\n"));
	ck_assert_ptr_nonnull(strstr(buf, "'d dh p2 ?\?\?\?'"));
	ck_assert_ptr_nonnull(strstr(buf, "'p3 cbr 7000'"));
	ck_assert_ptr_nonnull(strstr(buf, "'p3 sm'"));
	struct phh_hand *back = malloc(sizeof *back);
	struct phh_reader r;
	phh_reader_init(&r, buf, len);
	ck_assert_int_eq(phh_next(&r, back, &f), 1);
	ck_assert_str_eq(back->id, "7");
	ck_assert_int_eq(back->nactions, P.nactions);
	for (int i = 0; i < P.nactions; i++) {
		ck_assert_int_eq(back->actions[i].type, P.actions[i].type);
		ck_assert_int_eq(back->actions[i].player, P.actions[i].player);
		ck_assert_int_eq(back->actions[i].amount_chips, P.actions[i].amount_chips);
		ck_assert_int_eq(back->actions[i].ncards, P.actions[i].ncards);
		ck_assert(memcmp(back->actions[i].cards, P.actions[i].cards, P.actions[i].ncards) == 0);
	}
	ck_assert_int_eq(back->finishing_chips[0], 1);
	ck_assert_int_eq(back->starting_chips[2], 553500);
	free(buf);
	buf = NULL;
	P.actions[0].type = PHH_OTHER;
	m = open_memstream(&buf, &len);
	ck_assert_int_eq(phh_write(m, &P, NULL), PHH_EFIELD);
	fclose(m);
	free(buf);
	free(back);
}
END_TEST

static Suite *phh_suite(void)
{
	Suite *s = suite_create("phh");
	TCase *t = tcase_create("core");
	tcase_add_test(t, reads_a_hand_from_the_wild);
	tcase_add_test(t, reads_many_hands_from_sections);
	tcase_add_test(t, bad_files_name_the_line);
	tcase_add_test(t, error_in_one_section_does_not_stop_the_next);
	tcase_add_test(t, action_verbs);
	tcase_add_test(t, write_then_read_round_trip);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(phh_suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
