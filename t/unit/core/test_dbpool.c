/* Unit tests for lib/core/dbpool against a real PostgreSQL (FELT_TEST_DB;
 * skipped when unset), driven by a plain poll() loop: queries spread over
 * the connections, the pool outlives one connection's loss, notifications
 * come once (connection 0). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/dbpool.h"
#include "core/log.h"
#include "loop_harness.h"
#include "testdb.h"

#define N 3

static struct testdb tdb;

static const struct db_stmt stmts[] = {
	{"t_pid", "SELECT pg_backend_pid()", 0},
	{"t_sleep", "SELECT pg_sleep($1::float8), pg_backend_pid()", 1},
	{NULL, NULL, 0},
};

static const char *const channels[] = {"felt_pool", NULL};

static struct loop_conn lcs[N];
static struct loop_conn *conns[N] = {&lcs[0], &lcs[1], &lcs[2]};
static struct dbloop_hooks hooks[N];
static struct dbpool *pool;

static bool all_up(void *arg)
{
	(void)arg;
	return dbpool_up(pool) == N;
}

static void start(void)
{
	for (int i = 0; i < N; i++)
		hooks[i] = loop_hooks(&lcs[i]);
	pool = dbpool_new(N, tdb.conninfo, NULL, "felt-test", stmts, channels, hooks);
	ck_assert_ptr_nonnull(pool);
	ck_assert_int_eq(dbpool_size(pool), N);
	for (int i = 0; i < N; i++)
		lcs[i].db = dbpool_loop(pool, i);
	ck_assert_ptr_null(dbpool_loop(pool, N));
	dbpool_start(pool);
	loop_run_until(conns, N, all_up, NULL);
}

static int distinct_pids(struct loop_answer *a, int n)
{
	int d = 0;

	for (int i = 0; i < n; i++) {
		bool seen = false;

		for (int j = 0; j < i; j++)
			seen = seen || strcmp(a[i].last, a[j].last) == 0;
		d += !seen;
	}
	return d;
}

START_TEST(queries_spread_over_the_connections)
{
	struct loop_answer a[30] = {{0}};
	struct loop_answers w = {a, 30};
	const char *p[1] = {"0.05"};

	start();
	for (int i = 0; i < 30; i++)
		ck_assert_int_eq(dbpool_query(pool, "t_sleep", 1, p, loop_on_answer, &a[i]), 0);
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(dbloop_inflight(dbpool_loop(pool, i)), 10);
	loop_run_until(conns, N, loop_all_answered, &w);
	for (int i = 0; i < 30; i++)
		ck_assert_int_eq(a[i].code, 0);
	ck_assert_int_eq(distinct_pids(a, 30), N);
	dbpool_free(pool);
}
END_TEST

static bool one_down(void *arg)
{
	(void)arg;
	return lcs[1].downs == 1;
}

static bool noted(void *arg)
{
	(void)arg;
	return lcs[0].notes > 0;
}

START_TEST(the_pool_works_while_a_connection_is_down)
{
	struct loop_answer pid = {0}, a[6] = {{0}};
	struct loop_answers w = {&pid, 1};
	PGconn *c;
	const char *p[1];

	start();
	ck_assert_int_eq(dbloop_query(dbpool_loop(pool, 1), "t_pid", 0, NULL, loop_on_answer, &pid), 0);
	loop_run_until(conns, N, loop_all_answered, &w);
	c = db_connect(tdb.conninfo, 1, 0);
	p[0] = pid.last;
	ck_assert_int_eq(db_command(c, "SELECT pg_terminate_backend($1::int)", 1, p, NULL), DB_OK);
	loop_run_until(conns, N, one_down, NULL);
	ck_assert_int_eq(dbpool_up(pool), N - 1);
	for (int i = 0; i < 6 && !dbloop_is_up(dbpool_loop(pool, 1)); i++)
		ck_assert_int_eq(dbpool_query(pool, "t_pid", 0, NULL, loop_on_answer, &a[i]), 0);
	w = (struct loop_answers){a, 6};
	loop_run_until(conns, N, loop_all_answered, &w);
	for (int i = 0; i < 6; i++) {
		ck_assert_int_eq(a[i].code, 0);
		ck_assert_str_ne(a[i].last, pid.last);
	}
	loop_run_until(conns, N, all_up, NULL);
	/* Notifications once, on connection 0. */
	ck_assert_int_eq(db_notify(c, "felt_pool", "t1", NULL), DB_OK);
	db_close(c);
	loop_run_until(conns, N, noted, NULL);
	loop_once(conns, N, 0);
	ck_assert_int_eq(lcs[0].notes, 1);
	ck_assert_int_eq(lcs[1].notes + lcs[2].notes, 0);
	dbpool_free(pool);
}
END_TEST

START_TEST(nothing_up_fails_fast)
{
	struct loop_answer a = {0};

	for (int i = 0; i < N; i++)
		hooks[i] = loop_hooks(&lcs[i]);
	pool = dbpool_new(N, tdb.conninfo, NULL, NULL, stmts, NULL, hooks);
	ck_assert_int_eq(dbpool_query(pool, "t_pid", 0, NULL, loop_on_answer, &a), DB_ERR_CONNECT);
	ck_assert_int_eq(dbpool_up(pool), 0);
	dbpool_free(pool);
	dbpool_free(NULL);
	ck_assert_int_eq(a.calls, 0);
	ck_assert_ptr_null(dbpool_new(N, tdb.conninfo, NULL, NULL, stmts, NULL, NULL));
	ck_assert_ptr_null(dbpool_new(65, tdb.conninfo, NULL, NULL, stmts, NULL, hooks));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dbpool");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	testdb_server();
	log_set_level(LOG_ERROR);
	testdb_create(&tdb, "dbpool");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, queries_spread_over_the_connections);
	tcase_add_test(tc, the_pool_works_while_a_connection_is_down);
	tcase_add_test(tc, nothing_up_fails_fast);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	testdb_drop(&tdb);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
