/* Unit tests for cgi/prepared: statements are prepared once per
 * connection, executed by name after that, and a new connection starts
 * empty (FELT_TEST_DB; skipped without it). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "prepared.h"
#include "testdb.h"

static const char *conninfo;

static const char add_sql[] = "SELECT $1::int + 1";
static const char bad_sql[] = "SELECT no_such_column FROM no_such_table WHERE $1::int = 1";

static int64_t count_prepared(PGconn *c, const char *name)
{
	const char *p[1] = { name };
	int64_t n = -1;

	ck_assert_int_eq(db_query_int64(c, "SELECT count(*) FROM pg_prepared_statements"
					" WHERE name = $1", 1, p, &n, NULL), DB_OK);
	return n;
}

static void check_add(PGconn *c, const char *name, const char *in, const char *want)
{
	const char *p[1] = { in };
	PGresult *r = prepared_exec(c, name, add_sql, 1, p, NULL);

	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), want);
	PQclear(r);
}

START_TEST(prepares_once_per_connection)
{
	PGconn *c = db_connect(conninfo, 1, 0);

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(count_prepared(c, "t_add"), 0);
	check_add(c, "t_add", "41", "42");
	ck_assert_int_eq(count_prepared(c, "t_add"), 1);
	/* Second use: no second PREPARE (which would fail: name exists). */
	check_add(c, "t_add", "1", "2");
	ck_assert_int_eq(count_prepared(c, "t_add"), 1);
	db_close(c);
	/* A fresh connection knows nothing and prepares again. */
	c = db_connect(conninfo, 1, 0);
	check_add(c, "t_add", "6", "7");
	ck_assert_int_eq(count_prepared(c, "t_add"), 1);
	db_close(c);
}
END_TEST

START_TEST(reset_connection_prepares_again)
{
	PGconn *c = db_connect(conninfo, 1, 0);

	check_add(c, "t_add", "1", "2");
	PQreset(c);
	ck_assert_int_eq(PQstatus(c), CONNECTION_OK);
	ck_assert_int_eq(count_prepared(c, "t_add"), 0);
	check_add(c, "t_add", "2", "3");
	db_close(c);
}
END_TEST

START_TEST(unpreparable_sql_fails_like_db_exec)
{
	PGconn *c = db_connect(conninfo, 1, 0);
	const char *p[1] = { "1" };
	struct db_err err;

	ck_assert_ptr_null(prepared_exec(c, "t_bad", bad_sql, 1, p, &err));
	ck_assert_int_eq(err.code, DB_ERR_QUERY);
	ck_assert_str_eq(err.sqlstate, "42P01");
	ck_assert_int_eq(count_prepared(c, "t_bad"), 0);
	/* The connection is still usable. */
	check_add(c, "t_add", "9", "10");
	db_close(c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("prepared");
	TCase *tc = tcase_create("database");
	SRunner *sr;
	int failed;

	conninfo = testdb_server(); /* exits 77 without FELT_TEST_DB */
	tcase_add_test(tc, prepares_once_per_connection);
	tcase_add_test(tc, reset_connection_prepares_again);
	tcase_add_test(tc, unpreparable_sql_fails_like_db_exec);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
