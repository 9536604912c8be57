/*
 * Unit tests for the blocking half's bounds (db.h: db_connect_within,
 * db_set_timeout, db_ping, db_broken_reason): a server that accepts and
 * then says nothing (here a socket nobody accepts on, as a frozen
 * postmaster's) and a statement that does not answer in time (pg_sleep,
 * with no server-side timeout) end in DB_ERR_CONNECT after the bound, never
 * in a wait without end. The database cases need FELT_TEST_DB.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "core/db.h"
#include "core/log.h"
#include "testdb_suite.h"

static struct testdb tdb;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A unix socket that listens and never accepts: connecting succeeds (the
 * kernel's backlog) and nothing ever answers, like a frozen server. */
static int silent_server(char *dir, size_t size)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	snprintf(dir, size, "/tmp/felt-dbwait-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s/.s.PGSQL.5432", dir);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(fd, 16), 0);
	return fd;
}

START_TEST(connect_to_a_silent_server_gives_up_in_time)
{
	char dir[64], conninfo[160], sock[96];
	struct db_err err;
	int fd = silent_server(dir, sizeof dir);
	long long t0 = now_ms(), took;
	PGconn *c;

	snprintf(conninfo, sizeof conninfo, "host=%s port=5432 dbname=x user=x", dir);
	c = db_connect_within(conninfo, 300, &err);
	took = now_ms() - t0;
	ck_assert_ptr_null(c);
	ck_assert_int_eq(err.code, DB_ERR_CONNECT);
	ck_assert_str_eq(err.message, "no answer from the database within 300 ms");
	ck_assert_int_ge(took, 250);
	ck_assert_int_lt(took, 5000);
	close(fd);
	snprintf(sock, sizeof sock, "%s/.s.PGSQL.5432", dir);
	unlink(sock);
	rmdir(dir);
}
END_TEST

START_TEST(connect_to_nothing_fails_at_once_with_libpq_reason)
{
	struct db_err err;
	PGconn *c = db_connect_within("host=/nonexistent/felt port=1", 5000, &err);

	ck_assert_ptr_null(c);
	ck_assert_int_eq(err.code, DB_ERR_CONNECT);
	ck_assert_ptr_nonnull(strstr(err.message, "/nonexistent/felt"));
	ck_assert_ptr_null(strchr(err.message, '\n'));
	ck_assert_int_eq(db_set_timeout(NULL, 10), DB_ERR_ARG);
	ck_assert_int_eq(db_ping(NULL, &err), DB_ERR_CONNECT);
}
END_TEST

static PGconn *connect_test_db(int timeout_ms)
{
	struct db_err err;
	PGconn *c = db_connect_within(tdb.conninfo, 5000, &err);

	ck_assert_msg(c != NULL, "%s", err.message);
	ck_assert_int_eq(db_set_timeout(c, timeout_ms), DB_OK);
	return c;
}

START_TEST(a_statement_without_an_answer_in_time_breaks_the_connection)
{
	static const struct db_stmt stmts[] = {
		{ "t_sleep", "SELECT pg_sleep($1::float8)", 1 },
		{ NULL, NULL, 0 },
	};
	const char *p[1] = { "3" };
	struct db_err err;
	char why[128];
	long long t0;
	PGresult *r;
	PGconn *c = connect_test_db(300);

	/* Fast statements are not affected. */
	ck_assert_int_eq(db_ping(c, &err), DB_OK);
	r = db_exec(c, "SELECT 41 + 1", 0, NULL, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "42");
	PQclear(r);
	/* Plain statements. */
	t0 = now_ms();
	r = db_exec(c, "SELECT pg_sleep(3)", 0, NULL, &err);
	ck_assert_ptr_null(r);
	ck_assert_int_lt(now_ms() - t0, 2500);
	ck_assert_int_eq(err.code, DB_ERR_CONNECT);
	ck_assert_str_eq(err.message, "no answer from the database within 300 ms");
	ck_assert(!db_ok(c));
	db_broken_reason(c, why, sizeof why);
	ck_assert_str_eq(why, "no answer from the database within 300 ms");
	ck_assert_int_eq(db_ping(c, &err), DB_ERR_CONNECT);
	db_close(c);
	/* Prepared statements. */
	c = connect_test_db(300);
	ck_assert_int_eq(db_prepare_all(c, stmts, &err), DB_OK);
	t0 = now_ms();
	r = db_exec_prepared(c, "t_sleep", 1, p, &err);
	ck_assert_ptr_null(r);
	ck_assert_int_lt(now_ms() - t0, 2500);
	ck_assert_int_eq(err.code, DB_ERR_CONNECT);
	ck_assert(!db_ok(c));
	db_close(c);
	/* No timeout: the statement runs to its end. */
	c = connect_test_db(0);
	p[0] = "0.4";
	r = db_exec_prepared(c, "t_sleep", 1, p, &err);
	ck_assert_ptr_null(r); /* not prepared on this connection: no table */
	r = db_exec(c, "SELECT pg_sleep(0.4)", 0, NULL, &err);
	ck_assert_ptr_nonnull(r);
	PQclear(r);
	ck_assert(db_ok(c));
	db_close(c);
}
END_TEST

START_TEST(server_errors_are_still_errors_not_timeouts)
{
	struct db_err err;
	PGconn *c = connect_test_db(2000);
	PGresult *r = db_exec(c, "SELECT 1/0", 0, NULL, &err);

	ck_assert_ptr_null(r);
	ck_assert_str_eq(err.sqlstate, "22012");
	ck_assert_int_eq(err.code, DB_ERR_QUERY);
	ck_assert(db_ok(c));
	ck_assert_int_eq(db_ping(c, &err), DB_OK);
	db_close(c);
}
END_TEST

int main(void)
{
	bool with_db = testdb_suite_wanted();
	Suite *s = suite_create("dbwait");
	TCase *tc = tcase_create("no_db");

	log_set_level(LOG_ERROR);
	tcase_add_test(tc, connect_to_a_silent_server_gives_up_in_time);
	tcase_add_test(tc, connect_to_nothing_fails_at_once_with_libpq_reason);
	suite_add_tcase(s, tc);
	if (with_db) {
		TCase *tdbc = tcase_create("db");

		testdb_create(&tdb, "dbwait");
		tcase_add_test(tdbc, a_statement_without_an_answer_in_time_breaks_the_connection);
		tcase_add_test(tdbc, server_errors_are_still_errors_not_timeouts);
		tcase_set_timeout(tdbc, 30);
		suite_add_tcase(s, tdbc);
	}
	return testdb_suite_run(s, false, with_db ? &tdb : NULL, "test_dbwait");
}
