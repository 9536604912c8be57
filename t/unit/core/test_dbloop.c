/* Unit tests for lib/core/dbloop's pipeline against a real PostgreSQL
 * (FELT_TEST_DB; skipped when unset), driven by a plain poll() loop
 * (loop_harness.h): results in order, errors kept to their query,
 * notifications as events, large queries, limits, callbacks that send. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbloop_fixture.h"

START_TEST(pipelined_results_come_back_in_order)
{
	struct dbloop *db = start_up();
	struct loop_answer a[300] = {{0}};
	char v[16];

	for (int i = 0; i < 300; i++) {
		snprintf(v, sizeof v, "%d", i);
		query(db, "t_echo", v, &a[i]);
	}
	ck_assert_int_eq(dbloop_inflight(db), 300);
	wait_all(a, 300);
	for (int i = 0; i < 300; i++) {
		snprintf(v, sizeof v, "%d", i);
		ck_assert_int_eq(a[i].calls, 1);
		ck_assert_int_eq(a[i].order, i + 1);
		ck_assert_int_eq(a[i].code, 0);
		ck_assert_str_eq(a[i].value, v);
	}
	ck_assert_int_eq(dbloop_inflight(db), 0);
	dbloop_free(db);
}
END_TEST

START_TEST(an_error_stays_with_its_query)
{
	struct dbloop *db = start_up();
	struct loop_answer a[5] = {{0}};

	query(db, "t_echo", "1", &a[0]);
	query(db, "t_div", "0", &a[1]);       /* division by zero */
	query(db, "t_deferred", "7", &a[2]);
	query(db, "t_deferred", "7", &a[3]);  /* unique, deferred: fails at commit */
	query(db, "t_echo", "5", &a[4]);
	wait_all(a, 5);
	ck_assert_int_eq(a[0].code, 0);
	ck_assert_str_eq(a[0].value, "1");
	ck_assert_int_eq(a[1].code, DB_ERR_QUERY);
	ck_assert_str_eq(a[1].sqlstate, "22012");
	ck_assert_int_eq(a[2].code, 0);
	ck_assert_int_eq(a[3].code, DB_ERR_UNIQUE);
	ck_assert_str_eq(a[3].sqlstate, "23505");
	ck_assert_int_eq(a[4].code, 0);
	ck_assert_str_eq(a[4].value, "5");
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(a[i].order, i + 1);
	ck_assert_int_eq(lc.downs, 0);
	dbloop_free(db);
}
END_TEST

START_TEST(bad_calls_are_refused_without_callback)
{
	struct dbloop *db = start_with(NULL, tdb.conninfo);
	const char *p[1] = {"1"};
	struct loop_answer a = {0};

	/* Not up yet: fail fast, no callback, ever. */
	ck_assert_int_eq(dbloop_query(db, "t_echo", 1, p, loop_on_answer, &a), DB_ERR_CONNECT);
	loop_run_until(conns, 1, is_up, NULL);
	ck_assert_int_eq(dbloop_query(db, "no_such", 0, NULL, loop_on_answer, &a), DB_ERR_ARG);
	ck_assert_int_eq(dbloop_query(db, "t_echo", 0, NULL, loop_on_answer, &a), DB_ERR_ARG);
	ck_assert_int_eq(dbloop_query(db, "t_echo", 1, p, NULL, &a), DB_ERR_ARG);
	ck_assert_int_eq(a.calls, 0);
	ck_assert_ptr_null(dbloop_new("host=", NULL, NULL, stmts, NULL, NULL));
	ck_assert_ptr_null(dbloop_new("not a conninfo", NULL, NULL, stmts, NULL, &hooks));
	dbloop_free(db);
	dbloop_free(NULL);
}
END_TEST

static bool notes_50(void *arg)
{
	(void)arg;
	return lc.notes >= 50;
}

START_TEST(notifications_arrive_as_events_in_order)
{
	struct dbloop *db = start_up();
	struct loop_answer a[20] = {{0}};
	PGconn *c = other_conn();
	char p[16];

	/* Interleaved with our own queries in flight. */
	for (int i = 0; i < 20; i++)
		query(db, "t_sleep", "0.01", &a[i]);
	for (int i = 0; i < 49; i++) {
		snprintf(p, sizeof p, "n%d", i);
		ck_assert_int_eq(db_notify(c, i % 2 ? "felt_test" : "felt_other", p, NULL), DB_OK);
	}
	ck_assert_int_eq(db_notify(c, "not_listened", "x", NULL), DB_OK);
	db_close(c);
	/* Our own, through the pipeline. */
	{
		const char *own[2] = {"felt_test", "own"};
		struct loop_answer o = {0};

		ck_assert_int_eq(dbloop_query(db, "t_notify", 2, own, loop_on_answer, &o), 0);
		loop_run_until(conns, 1, notes_50, NULL);
		ck_assert_int_eq(o.calls, 1);
	}
	wait_all(a, 20);
	ck_assert_int_eq(lc.notes, 50);
	for (int i = 0; i < 49 && i < LOOP_NOTES; i++) {
		snprintf(p, sizeof p, "n%d", i);
		ck_assert_str_eq(lc.note_payload[i], p);
		ck_assert_str_eq(lc.note_channel[i], i % 2 ? "felt_test" : "felt_other");
	}
	dbloop_free(db);
}
END_TEST

START_TEST(free_answers_what_is_in_flight)
{
	struct dbloop *db = start_up();
	struct loop_answer a[3] = {{0}};

	for (int i = 0; i < 3; i++)
		query(db, "t_sleep", "1", &a[i]);
	dbloop_free(db);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(a[i].calls, 1);
		ck_assert_int_eq(a[i].code, DB_ERR_CONNECT);
	}
	ck_assert_int_eq(lc.fd, -1);     /* told to stop watching */
	ck_assert_int_eq(lc.downs, 0);   /* no state hook from free */
}
END_TEST

START_TEST(a_statement_whose_table_comes_later_fails_alone)
{
	struct dbloop *db = start_up();
	struct loop_answer a = ask(db, "t_late", NULL);
	PGconn *c;

	ck_assert_int_eq(a.code, DB_ERR_QUERY);
	ck_assert_str_eq(a.sqlstate, "42P01");
	ck_assert_str_eq(ask(db, "t_echo", "2").value, "2");
	c = other_conn();
	ck_assert_int_eq(db_command(c, "CREATE TABLE t_later (x int)", 0, NULL, NULL), DB_OK);
	db_close(c);
	/* Prepared again before this use. */
	a = ask(db, "t_late", NULL);
	ck_assert_int_eq(a.code, 0);
	ck_assert_str_eq(a.value, "0");
	ck_assert_int_eq(lc.downs, 0);
	dbloop_free(db);
	c = other_conn();
	ck_assert_int_eq(db_command(c, "DROP TABLE t_later", 0, NULL, NULL), DB_OK);
	db_close(c);
}
END_TEST

START_TEST(the_statement_timeout_answers_a_slow_query)
{
	struct db_settings s;
	struct dbloop *db;
	struct loop_answer a;

	db_settings_default(&s);
	s.statement_timeout_ms = 200;
	db = start_with(&s, tdb.conninfo);
	loop_run_until(conns, 1, is_up, NULL);
	a = ask(db, "t_sleep", "10");
	ck_assert_int_eq(a.code, DB_ERR_QUERY);
	ck_assert_str_eq(a.sqlstate, "57014"); /* query_canceled */
	ck_assert_str_eq(ask(db, "t_echo", "8").value, "8");
	ck_assert_int_eq(lc.downs, 0);
	dbloop_free(db);
}
END_TEST

/* A chain: each answer sends the next query from inside its callback. */
struct chain {
	struct dbloop *db;
	int left;
	int answers;
	char last[16];
};

static void on_chain(void *arg, const PGresult *res, const struct db_err *err)
{
	struct chain *ch = arg;
	char v[16];
	const char *p[1] = {v};

	ck_assert_ptr_null(err);
	ch->answers++;
	snprintf(ch->last, sizeof ch->last, "%s", PQgetvalue(res, 0, 0));
	if (ch->left-- > 0) {
		snprintf(v, sizeof v, "%d", ch->answers);
		ck_assert_int_eq(dbloop_query(ch->db, "t_echo", 1, p, on_chain, ch), 0);
	}
}

static bool chain_done(void *arg)
{
	return ((struct chain *)arg)->left < 0;
}

START_TEST(callbacks_may_send_the_next_query)
{
	struct chain ch = {.left = 20};
	const char *p[1] = {"0"};

	ch.db = start_up();
	ck_assert_int_eq(dbloop_query(ch.db, "t_echo", 1, p, on_chain, &ch), 0);
	loop_run_until(conns, 1, chain_done, &ch);
	ck_assert_int_eq(ch.answers, 21);
	ck_assert_str_eq(ch.last, "20");
	dbloop_free(ch.db);
}
END_TEST

START_TEST(a_large_query_is_sent_when_the_socket_is_writable)
{
	struct dbloop *db = start_up();
	size_t big = 8u << 20;
	char *text = malloc(big + 1), want[16];
	struct loop_answer a[3] = {{0}};

	ck_assert_ptr_nonnull(text);
	memset(text, 'x', big);
	text[big] = '\0';
	/* More than the socket buffer takes at once: the rest waits for
	 * writability, and the copy libpq keeps outlives the caller's. */
	for (int i = 0; i < 3; i++)
		query(db, "t_len", text, &a[i]);
	free(text);
	ck_assert(lc.want_write);
	wait_all(a, 3);
	snprintf(want, sizeof want, "%zu", big);
	for (int i = 0; i < 3; i++)
		ck_assert_str_eq(a[i].value, want);
	ck_assert(!lc.want_write);
	dbloop_free(db);
}
END_TEST

START_TEST(too_many_in_flight_is_refused)
{
	struct dbloop *db = start_up();
	static struct loop_answer a[DBLOOP_MAX_INFLIGHT];
	const char *p[1] = {"1"};
	struct loop_answer extra = {0};

	for (int i = 0; i < DBLOOP_MAX_INFLIGHT; i++)
		ck_assert_int_eq(dbloop_query(db, "t_echo", 1, p, loop_on_answer, &a[i]), 0);
	ck_assert_int_eq(dbloop_query(db, "t_echo", 1, p, loop_on_answer, &extra), DB_ERR_BUSY);
	wait_all(a, DBLOOP_MAX_INFLIGHT);
	ck_assert_int_eq(extra.calls, 0);
	ck_assert_int_eq(a[DBLOOP_MAX_INFLIGHT - 1].order, DBLOOP_MAX_INFLIGHT);
	dbloop_free(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dbloop");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, pipelined_results_come_back_in_order);
	tcase_add_test(tc, an_error_stays_with_its_query);
	tcase_add_test(tc, bad_calls_are_refused_without_callback);
	tcase_add_test(tc, notifications_arrive_as_events_in_order);
	tcase_add_test(tc, free_answers_what_is_in_flight);
	tcase_add_test(tc, a_statement_whose_table_comes_later_fails_alone);
	tcase_add_test(tc, the_statement_timeout_answers_a_slow_query);
	tcase_add_test(tc, callbacks_may_send_the_next_query);
	tcase_add_test(tc, a_large_query_is_sent_when_the_socket_is_writable);
	tcase_add_test(tc, too_many_in_flight_is_refused);
	suite_add_tcase(s, tc);
	return dbloop_fixture_main(s);
}
