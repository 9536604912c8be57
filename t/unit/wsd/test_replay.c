/*
 * test_replay — a table's window of public frames (wsd/replay.h): frames
 * after a number in order, the current and the previous hand kept, older
 * hands dropped, the frame and byte bounds.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "replay.h"

struct seen {
	int n;
	int64_t seq[REPLAY_MAX_FRAMES];
	char last[64];
};

static void collect(void *arg, int64_t seq, const char *text, size_t len)
{
	struct seen *s = arg;

	ck_assert_uint_eq(strlen(text), len);
	s->seq[s->n++] = seq;
	snprintf(s->last, sizeof(s->last), "%s", text);
}

static struct seen since(const struct replay *r, int64_t after)
{
	struct seen s = { 0 };

	ck_assert_int_eq(replay_since(r, after, collect, &s), s.n);
	return s;
}

START_TEST(frames_after_a_number_in_order)
{
	struct replay *r = replay_new();
	struct seen s;
	char text[32];
	int i;

	ck_assert_ptr_nonnull(r);
	for (i = 1; i <= 5; i++) {
		snprintf(text, sizeof(text), "{\"n\":%d}", i);
		ck_assert_int_eq(replay_add(r, 1, 10 * i, text, strlen(text)), 0);
	}
	s = since(r, 25);
	ck_assert_int_eq(s.n, 3);
	ck_assert_int_eq(s.seq[0], 30);
	ck_assert_int_eq(s.seq[2], 50);
	ck_assert_str_eq(s.last, "{\"n\":5}");
	ck_assert_int_eq(since(r, 50).n, 0);
	ck_assert_int_eq(since(r, 0).n, 5);
	replay_free(r);
}
END_TEST

START_TEST(the_current_and_previous_hand_are_kept)
{
	struct replay *r = replay_new();
	int64_t seq = 0;
	int hand, i;

	for (hand = 1; hand <= 4; hand++)
		for (i = 0; i < 3; i++)
			ck_assert_int_eq(replay_add(r, hand, ++seq, "x", 1), 0);
	/* hands 3 and 4: frames 7..12 */
	ck_assert_int_eq(since(r, 0).n, 6);
	ck_assert_int_eq(since(r, 0).seq[0], 7);
	ck_assert_uint_eq(replay_bytes(r), 6);
	replay_free(r);
}
END_TEST

START_TEST(bounded_in_frames_and_bytes)
{
	struct replay *r = replay_new();
	static char big[REPLAY_MAX_BYTES / 4];
	struct seen s;
	int i;

	for (i = 0; i < REPLAY_MAX_FRAMES + 10; i++)
		ck_assert_int_eq(replay_add(r, 1, i + 1, "y", 1), 0);
	s = since(r, 0);
	ck_assert_int_eq(s.n, REPLAY_MAX_FRAMES);
	ck_assert_int_eq(s.seq[0], 11);
	memset(big, 'z', sizeof(big));
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(replay_add(r, 1, 1000 + i, big, sizeof(big)), 0);
	ck_assert(replay_bytes(r) <= REPLAY_MAX_BYTES);
	s = since(r, 0);
	ck_assert_int_eq(s.seq[s.n - 1], 1004);
	ck_assert_int_eq(s.seq[0], 1001); /* the oldest went to make room */
	/* A frame larger than the whole window is refused, the rest kept. */
	ck_assert_int_eq(replay_add(r, 1, 2000, big, REPLAY_MAX_BYTES + 1), -1);
	ck_assert_int_eq(since(r, 0).n, s.n);
	replay_free(r);
	replay_free(NULL);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("replay");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, frames_after_a_number_in_order);
	tcase_add_test(tc, the_current_and_previous_hand_are_kept);
	tcase_add_test(tc, bounded_in_frames_and_bytes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
