/*
 * test_lobby_queue — the Open Poker lobby's waiting line (wsd/lobby_queue):
 * arrival order, places, removal from the middle, the bound, duplicates,
 * and the estimated wait.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "lobby_queue.h"

static int who[8]; /* distinct addresses standing for clients */

static struct lobby_entry entry(int i, int64_t buy_in)
{
	struct lobby_entry e = { .who = &who[i], .buy_in_chips = buy_in, .queued_ms = i };

	return e;
}

START_TEST(arrival_order_and_places)
{
	struct lobby_queue q;
	struct lobby_entry e, out;
	int i;

	ck_assert_int_eq(lobby_queue_init(&q, 8), LOBBY_QUEUE_OK);
	for (i = 0; i < 5; i++) {
		e = entry(i, 1000 + i);
		ck_assert_int_eq(lobby_queue_push(&q, &e), i + 1);
	}
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(lobby_queue_position(&q, &who[i]), i + 1);
	ck_assert_int_eq(lobby_queue_position(&q, &who[7]), 0);
	/* Leaving from the middle moves those behind up, in order. */
	ck_assert(lobby_queue_remove(&q, &who[2]));
	ck_assert(!lobby_queue_remove(&q, &who[2]));
	ck_assert_int_eq(lobby_queue_position(&q, &who[3]), 3);
	ck_assert_int_eq(lobby_queue_position(&q, &who[4]), 4);
	/* Served from the head, first come first served. */
	ck_assert(lobby_queue_pop(&q, &out));
	ck_assert_ptr_eq(out.who, &who[0]);
	ck_assert_int_eq(out.buy_in_chips, 1000);
	ck_assert(lobby_queue_pop(&q, &out));
	ck_assert_ptr_eq(out.who, &who[1]);
	ck_assert(lobby_queue_pop(&q, &out));
	ck_assert_ptr_eq(out.who, &who[3]);
	ck_assert(lobby_queue_pop(&q, &out));
	ck_assert_ptr_eq(out.who, &who[4]);
	ck_assert(!lobby_queue_pop(&q, &out));
	ck_assert_int_eq(q.len, 0);
	lobby_queue_free(&q);
}
END_TEST

START_TEST(bounded_and_no_duplicates)
{
	struct lobby_queue q;
	struct lobby_entry e;

	ck_assert_int_eq(lobby_queue_init(&q, 2), LOBBY_QUEUE_OK);
	e = entry(0, 1000);
	ck_assert_int_eq(lobby_queue_push(&q, &e), 1);
	ck_assert_int_eq(lobby_queue_push(&q, &e), LOBBY_QUEUE_EDUP);
	e = entry(1, 1000);
	ck_assert_int_eq(lobby_queue_push(&q, &e), 2);
	e = entry(2, 1000);
	ck_assert_int_eq(lobby_queue_push(&q, &e), LOBBY_QUEUE_EFULL);
	ck_assert_str_eq(lobby_queue_strerror(LOBBY_QUEUE_EFULL), "the lobby queue is full");
	/* A place frees up: the next one gets in, at the tail. */
	ck_assert(lobby_queue_remove(&q, &who[0]));
	ck_assert_int_eq(lobby_queue_push(&q, &e), 2);
	ck_assert_int_eq(lobby_queue_position(&q, &who[1]), 1);
	lobby_queue_free(&q);
}
END_TEST

START_TEST(estimated_wait)
{
	struct lobby_queue q;
	char buf[16];
	int i;

	ck_assert_int_eq(lobby_queue_init(&q, 4), LOBBY_QUEUE_OK);
	ck_assert_int_eq(lobby_queue_wait_ms(&q, 1), LOBBY_QUEUE_DEFAULT_SEAT_MS);
	ck_assert_int_eq(lobby_queue_wait_ms(&q, 3), 3 * LOBBY_QUEUE_DEFAULT_SEAT_MS);
	/* Seating that keeps taking 2 s brings the estimate to about 2 s. */
	for (i = 0; i < 40; i++)
		lobby_queue_seated(&q, 2000);
	ck_assert_int_ge(lobby_queue_wait_ms(&q, 1), 1990);
	ck_assert_int_le(lobby_queue_wait_ms(&q, 1), 2000);
	ck_assert_str_eq(lobby_queue_wait_text(lobby_queue_wait_ms(&q, 5), buf, sizeof(buf)),
			 "~10s");
	/* Whole seconds rounded up, never "~0s". */
	ck_assert_str_eq(lobby_queue_wait_text(0, buf, sizeof(buf)), "~1s");
	ck_assert_str_eq(lobby_queue_wait_text(1, buf, sizeof(buf)), "~1s");
	ck_assert_str_eq(lobby_queue_wait_text(1001, buf, sizeof(buf)), "~2s");
	lobby_queue_seated(&q, -5); /* a clock step back counts as no time */
	ck_assert_int_ge(q.seat_ms, 0);
	lobby_queue_free(&q);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("lobby_queue");
	TCase *tc = tcase_create("queue");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, arrival_order_and_places);
	tcase_add_test(tc, bounded_and_no_duplicates);
	tcase_add_test(tc, estimated_wait);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
