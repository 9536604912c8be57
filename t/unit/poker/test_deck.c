/* Unit tests for lib/deck: ChaCha20 shuffle, dealing, commitment. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "poker/deck.h"

/* Known answers computed independently with Python's `cryptography`
 * ChaCha20 (key = seed, 16 zero IV bytes) following deck.h's recipe. */
static const char KA_SEQ_DECK[] =
	"4c5dThTs7sJs7hTcJhAh4s6s8h3sQh2hAc3h9dQd7c5h3c2c9s7d5s4h2dKcAs9cTd5c6h9h"
	"QcJcKd8cJd2s6dKh6cKs4d8d8sQsAd3d";
static const char KA_SEQ_COMMIT[] =
	"42e12bac5c998ad0c15167c7375289fe81f07e72526d3b032198fbf8d9d9d742";
static const char KA_ZERO_DECK[] =
	"Ad5sKd4dQd6dTs4s4h2sJc2cJd7d5c3s6hKsThQs4cQcAh8sJh7hTc9d7sAcQh5d9cJs8d9h"
	"3c2hTdKh2dKc7c3d6s3hAs6c8h8c9s5h";
static const char KA_ZERO_COMMIT[] =
	"61cd322fed8dc83e908d3898817a254f6eecd034104a18f6fd59a3d0c3cfedb7";

static void seq_seed(uint8_t seed[32])
{
	for (int i = 0; i < 32; i++)
		seed[i] = (uint8_t)i;
}

static void hex(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static void check_known_answer(const uint8_t seed[32], const char *deck_text,
			       const char *commit_hex)
{
	struct deck d;
	char text[2 * 52 + 1], hx[65];
	uint8_t commit[32];

	deck_shuffle(&d, seed);
	ck_assert_uint_eq(cards_format(d.cards, 52, text, sizeof text), 104);
	ck_assert_str_eq(text, deck_text);
	deck_commitment(seed, &d, commit);
	hex(commit, 32, hx);
	ck_assert_str_eq(hx, commit_hex);
}

START_TEST(known_answers)
{
	uint8_t seed[32];

	seq_seed(seed);
	check_known_answer(seed, KA_SEQ_DECK, KA_SEQ_COMMIT);
	memset(seed, 0, sizeof seed);
	check_known_answer(seed, KA_ZERO_DECK, KA_ZERO_COMMIT);
}
END_TEST

START_TEST(deterministic_and_seed_sensitive)
{
	uint8_t seed[32];
	struct deck a, b;

	seq_seed(seed);
	deck_shuffle(&a, seed);
	deck_shuffle(&b, seed);
	ck_assert_mem_eq(a.cards, b.cards, 52);
	seed[31] ^= 1;
	deck_shuffle(&b, seed);
	ck_assert(memcmp(a.cards, b.cards, 52) != 0);
}
END_TEST

START_TEST(shuffler_matches_deck_shuffle)
{
	struct deck_shuffler *sh = deck_shuffler_new();
	uint8_t seed[32];
	struct deck a, b;

	ck_assert_ptr_nonnull(sh);
	/* Reuse across many seeds must not carry state from one deal to the next. */
	for (int i = 0; i < 200; i++) {
		seq_seed(seed);
		seed[5] = (uint8_t)i;
		seed[30] = (uint8_t)(i * 7);
		deck_shuffle(&a, seed);
		b.next = 9;
		deck_shuffle_with(sh, &b, seed);
		ck_assert_mem_eq(a.cards, b.cards, 52);
		ck_assert_int_eq(b.next, 0);
	}
	seq_seed(seed);
	deck_shuffle_with(sh, &b, seed);
	char text[105];
	cards_format(b.cards, 52, text, sizeof text);
	ck_assert_str_eq(text, KA_SEQ_DECK);
	deck_shuffler_free(sh);
	deck_shuffler_free(NULL);
}
END_TEST

START_TEST(deals_every_card_once)
{
	uint8_t seed[32];
	struct deck d;
	int seen[52] = {0};

	seq_seed(seed);
	deck_shuffle(&d, seed);
	ck_assert_int_eq(deck_remaining(&d), 52);
	for (int i = 0; i < 52; i++) {
		card_t c = deck_deal(&d);
		ck_assert_int_lt(c, 52);
		seen[c]++;
		ck_assert_int_eq(deck_remaining(&d), 51 - i);
	}
	for (int c = 0; c < 52; c++)
		ck_assert_int_eq(seen[c], 1);
	ck_assert_int_eq(deck_deal(&d), CARD_NONE);
	ck_assert_int_eq(deck_deal(&d), CARD_NONE);
	ck_assert_int_eq(deck_remaining(&d), 0);
}
END_TEST

START_TEST(commitment_covers_seed_and_order)
{
	uint8_t seed[32], c1[32], c2[32];
	struct deck d;

	seq_seed(seed);
	deck_shuffle(&d, seed);
	deck_commitment(seed, &d, c1);
	/* Dealing does not change what was committed to. */
	deck_deal(&d);
	deck_commitment(seed, &d, c2);
	ck_assert_mem_eq(c1, c2, 32);
	/* Swapping two cards changes it. */
	card_t t = d.cards[0];
	d.cards[0] = d.cards[51];
	d.cards[51] = t;
	deck_commitment(seed, &d, c2);
	ck_assert(memcmp(c1, c2, 32) != 0);
	/* So does a different seed with the same order. */
	d.cards[51] = d.cards[0];
	d.cards[0] = t;
	seed[0] ^= 0x80;
	deck_commitment(seed, &d, c2);
	ck_assert(memcmp(c1, c2, 32) != 0);
}
END_TEST

/*
 * Position counts over 52,000 shuffles from fixed seeds: every card should
 * land in every position 1,000 times on average (sd ~31).  The seeds are
 * fixed, so the result never changes between runs; the bounds (+-150, about
 * 5 sd) only reject a shuffle that is plainly biased: a modulo bias puts some
 * cells near 812, an off-by-one in Fisher-Yates puts some at 0.
 */
#define UNIFORM_RUNS 52000
START_TEST(positions_roughly_uniform)
{
	static int count[52][52];
	struct deck_shuffler *sh = deck_shuffler_new();
	uint8_t seed[32];
	struct deck d;

	ck_assert_ptr_nonnull(sh);

	memset(count, 0, sizeof count);
	for (int run = 0; run < UNIFORM_RUNS; run++) {
		memset(seed, 0, sizeof seed);
		seed[0] = (uint8_t)run;
		seed[1] = (uint8_t)(run >> 8);
		seed[2] = 0xa5;
		deck_shuffle_with(sh, &d, seed);
		for (int pos = 0; pos < 52; pos++)
			count[d.cards[pos]][pos]++;
	}
	int lo = UNIFORM_RUNS, hi = 0;
	for (int c = 0; c < 52; c++)
		for (int pos = 0; pos < 52; pos++) {
			if (count[c][pos] < lo)
				lo = count[c][pos];
			if (count[c][pos] > hi)
				hi = count[c][pos];
		}
	deck_shuffler_free(sh);
	ck_assert_int_ge(lo, 850);
	ck_assert_int_le(hi, 1150);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("deck");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, known_answers);
	tcase_add_test(tc, deterministic_and_seed_sensitive);
	tcase_add_test(tc, shuffler_matches_deck_shuffle);
	tcase_add_test(tc, deals_every_card_once);
	tcase_add_test(tc, commitment_covers_seed_and_order);
	tcase_add_test(tc, positions_roughly_uniform);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
