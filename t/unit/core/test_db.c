/* Unit tests for lib/db against a real PostgreSQL (FELT_TEST_DB; skipped
 * when unset): connect/retry, parameters, SQLSTATE mapping, transactions,
 * the statement table (prepared at connect, healed on use), reset,
 * connection settings. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "testdb.h"

static struct testdb tdb;
static PGconn *conn;

static const struct db_stmt stmts[] = {
	{"t_insert", "INSERT INTO t_items (name, n) VALUES ($1, $2::int) RETURNING id", 2},
	{"t_count", "SELECT count(*) FROM t_items", 0},
	{NULL, NULL, 0},
};

static void setup(void)
{
	conn = db_connect(tdb.conninfo, 1, 0);
	ck_assert_ptr_nonnull(conn);
	ck_assert_int_eq(db_command(conn, "DROP TABLE IF EXISTS t_items", 0, NULL, NULL), DB_OK);
	ck_assert_int_eq(db_command(conn,
		"CREATE TABLE t_items (id serial PRIMARY KEY, name text UNIQUE NOT NULL,"
		" n int CONSTRAINT t_items_n_positive CHECK (n > 0))", 0, NULL, NULL), DB_OK);
}

static void teardown(void)
{
	db_close(conn);
	conn = NULL;
}

START_TEST(connect_gives_up_after_attempts)
{
	PGconn *c = db_connect("host=/nonexistent/socket/dir port=1 connect_timeout=1", 2, 1);

	ck_assert_ptr_null(c);
	ck_assert(!db_ok(NULL));
	db_close(NULL);
}
END_TEST

START_TEST(params_are_values_not_sql)
{
	const char *p[2] = {"x'); DROP TABLE t_items; --", "3"};
	struct db_err err;
	PGresult *r = db_exec(conn, "INSERT INTO t_items (name, n) VALUES ($1, $2::int) RETURNING name",
			      2, p, &err);
	int64_t n = 0;

	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), p[0]);
	PQclear(r);
	ck_assert_int_eq(db_query_int64(conn, "SELECT count(*) FROM t_items", 0, NULL, &n, &err), DB_OK);
	ck_assert_int_eq(n, 1);
}
END_TEST

START_TEST(errors_are_classified)
{
	const char *p[2] = {"dup", "1"};
	const char *neg[2] = {"neg", "-1"};
	struct db_err err;

	ck_assert_int_eq(db_command(conn, "INSERT INTO t_items (name, n) VALUES ($1, $2::int)", 2, p, &err), DB_OK);
	ck_assert_int_eq(db_command(conn, "INSERT INTO t_items (name, n) VALUES ($1, $2::int)", 2, p, &err),
			 DB_ERR_UNIQUE);
	ck_assert_int_eq(err.code, DB_ERR_UNIQUE);
	ck_assert_str_eq(err.sqlstate, "23505");
	ck_assert_str_eq(err.constraint, "t_items_name_key");
	ck_assert_ptr_nonnull(strstr(err.message, "duplicate"));
	ck_assert_int_eq(db_command(conn, "INSERT INTO t_items (name, n) VALUES ($1, $2::int)", 2, neg, &err),
			 DB_ERR_CHECK);
	ck_assert_str_eq(err.constraint, "t_items_n_positive");
	ck_assert_int_eq(db_command(conn, "INSERT INTO t_items (name) VALUES (NULL)", 0, NULL, &err),
			 DB_ERR_NOT_NULL);
	ck_assert_int_eq(db_command(conn, "SELEC 1", 0, NULL, &err), DB_ERR_QUERY);
	ck_assert_str_eq(err.sqlstate, "42601");
	ck_assert_int_eq(db_classify("40P01"), DB_ERR_RETRY);
	ck_assert_int_eq(db_classify("08006"), DB_ERR_CONNECT);
	ck_assert_int_eq(db_classify("23503"), DB_ERR_FOREIGN_KEY);
	ck_assert_int_eq(db_classify(NULL), DB_ERR_QUERY);
	ck_assert_str_eq(db_error_code(NULL), "");
}
END_TEST

START_TEST(int64_helpers)
{
	struct db_err err;
	int64_t v = 0;
	PGresult *r;

	ck_assert_int_eq(db_query_int64(conn, "SELECT 9223372036854775807::bigint", 0, NULL, &v, &err), DB_OK);
	ck_assert(v == INT64_MAX);
	ck_assert_int_eq(db_query_int64(conn, "SELECT 1 WHERE false", 0, NULL, &v, &err), DB_ERR_NO_ROWS);
	ck_assert_int_eq(err.code, DB_ERR_NO_ROWS);
	ck_assert_int_eq(db_query_int64(conn, "SELECT NULL::bigint", 0, NULL, &v, &err), DB_ERR_ARG);
	ck_assert_int_eq(db_query_int64(conn, "SELECT 'x'", 0, NULL, &v, &err), DB_ERR_ARG);
	r = db_exec(conn, "SELECT -5::bigint, '12abc'", 0, NULL, NULL);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(db_value_int64(r, 0, 0, &v), DB_OK);
	ck_assert_int_eq(v, -5);
	ck_assert_int_eq(db_value_int64(r, 0, 1, &v), DB_ERR_ARG);
	ck_assert_int_eq(db_value_int64(r, 1, 0, &v), DB_ERR_ARG); /* no such row */
	PQclear(r);
}
END_TEST

START_TEST(transactions_commit_and_roll_back)
{
	const char *a[2] = {"a", "1"}, *b[2] = {"b", "2"};
	int64_t n = -1;

	ck_assert_int_eq(db_begin(conn, NULL), DB_OK);
	ck_assert_int_eq(db_command(conn, "INSERT INTO t_items (name, n) VALUES ($1, $2::int)", 2, a, NULL), DB_OK);
	ck_assert_int_eq(db_rollback(conn), DB_OK);
	ck_assert_int_eq(db_begin(conn, NULL), DB_OK);
	ck_assert_int_eq(db_command(conn, "INSERT INTO t_items (name, n) VALUES ($1, $2::int)", 2, b, NULL), DB_OK);
	ck_assert_int_eq(db_commit(conn, NULL), DB_OK);
	ck_assert_int_eq(db_query_int64(conn, "SELECT count(*) FROM t_items WHERE name = 'b'", 0, NULL, &n, NULL), DB_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(db_query_int64(conn, "SELECT count(*) FROM t_items WHERE name = 'a'", 0, NULL, &n, NULL), DB_OK);
	ck_assert_int_eq(n, 0);
}
END_TEST

START_TEST(prepared_statements_survive_reset)
{
	const char *p[2] = {"prep", "4"};
	const char *q[2] = {"prep2", "5"};
	struct db_err err;
	PGresult *r;
	int64_t n = 0;

	ck_assert_int_eq(db_prepare_all(conn, stmts, &err), DB_OK);
	r = db_exec_prepared(conn, "t_insert", 2, p, &err);
	ck_assert_ptr_nonnull(r);
	PQclear(r);
	ck_assert_ptr_null(db_exec_prepared(conn, "t_insert", 2, p, &err));
	ck_assert_int_eq(err.code, DB_ERR_UNIQUE);
	ck_assert_ptr_null(db_exec_prepared(conn, "no_such_stmt", 0, NULL, &err));
	ck_assert_str_eq(err.sqlstate, "26000");
	/* a new session has no prepared statements until db_reset re-prepares */
	ck_assert_int_eq(db_reset(conn, stmts), DB_OK);
	ck_assert(db_ok(conn));
	r = db_exec_prepared(conn, "t_insert", 2, q, &err);
	ck_assert_ptr_nonnull(r);
	PQclear(r);
	r = db_exec_prepared(conn, "t_count", 0, NULL, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(db_value_int64(r, 0, 0, &n), DB_OK);
	ck_assert_int_eq(n, 2);
	PQclear(r);
}
END_TEST

START_TEST(prepare_failure_names_the_statement)
{
	static const struct db_stmt bad[] = {
		{"ok_one", "SELECT 1", 0},
		{"broken_one", "SELECT FROM nowhere_table", 0},
		{NULL, NULL, 0},
	};
	struct db_err err;

	ck_assert_int_eq(db_prepare_all(conn, bad, &err), DB_ERR_QUERY);
	ck_assert_ptr_nonnull(strstr(err.message, "broken_one"));
	ck_assert_str_eq(err.sqlstate, "42P01");
}
END_TEST

/* --- the statement table: prepared at connect, healed on use --- */

static int64_t count_prepared(PGconn *c, const char *name)
{
	const char *p[1] = {name};
	int64_t n = -1;

	ck_assert_int_eq(db_query_int64(c, "SELECT count(*) FROM pg_prepared_statements"
					" WHERE name LIKE $1", 1, p, &n, NULL), DB_OK);
	return n;
}

static const struct db_stmt late_stmts[] = {
	{"t_add", "SELECT $1::int + 1", 1},
	{"t_late", "SELECT count(*) FROM t_later WHERE $1::int = 1", 1},
	{"t_two", "SELECT 2", 0},
	{NULL, NULL, 0},
};

static void check_value(PGconn *c, const char *name, const char *in, const char *want)
{
	const char *p[1] = {in};
	struct db_err err;
	PGresult *r = db_exec_prepared(c, name, in ? 1 : 0, p, &err);

	ck_assert_msg(r != NULL, "%s: %s", name, err.message);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), want);
	PQclear(r);
}

START_TEST(a_statement_that_cannot_prepare_fails_alone_then_heals)
{
	struct db_err err;
	const char *p[1] = {"1"};

	/* One round trip; the failure does not stop the others. */
	ck_assert_int_eq(db_prepare_all(conn, late_stmts, &err), DB_ERR_QUERY);
	ck_assert_str_eq(err.sqlstate, "42P01");
	ck_assert_ptr_nonnull(strstr(err.message, "t_late"));
	ck_assert_int_eq(count_prepared(conn, "t_%"), 2);
	check_value(conn, "t_add", "41", "42");
	check_value(conn, "t_two", NULL, "2");
	ck_assert_ptr_null(db_exec_prepared(conn, "t_late", 1, p, &err));
	ck_assert_str_eq(err.sqlstate, "42P01");
	ck_assert_ptr_nonnull(strstr(err.message, "t_late"));
	/* The connection is still usable, and once the table exists the
	 * statement is prepared on its next use. */
	check_value(conn, "t_add", "1", "2");
	ck_assert_int_eq(db_command(conn, "CREATE TABLE t_later (x int)", 0, NULL, NULL), DB_OK);
	check_value(conn, "t_late", "1", "0");
	ck_assert_int_eq(count_prepared(conn, "t_%"), 3);
	check_value(conn, "t_late", "1", "0"); /* no second PREPARE */
	ck_assert_int_eq(db_command(conn, "DROP TABLE t_later", 0, NULL, NULL), DB_OK);
}
END_TEST

START_TEST(a_table_statement_checks_its_parameter_count)
{
	struct db_err err;

	ck_assert_int_eq(db_prepare_all(conn, stmts, &err), DB_OK);
	ck_assert_ptr_null(db_exec_prepared(conn, "t_insert", 1, (const char *[]){"x"}, &err));
	ck_assert_int_eq(err.code, DB_ERR_ARG);
	ck_assert_ptr_nonnull(strstr(err.message, "t_insert"));
	ck_assert_int_eq(db_prepare_all(NULL, stmts, &err), DB_ERR_ARG);
	ck_assert_int_eq(db_prepare_all(conn, NULL, &err), DB_OK);
}
END_TEST

START_TEST(a_new_connection_prepares_its_table_again)
{
	ck_assert_int_eq(db_prepare_all(conn, late_stmts, NULL), DB_ERR_QUERY);
	check_value(conn, "t_add", "6", "7");
	db_close(conn);
	conn = db_connect(tdb.conninfo, 1, 0);
	ck_assert_int_eq(count_prepared(conn, "t_%"), 0);
	ck_assert_int_eq(db_prepare_all(conn, stmts, NULL), DB_OK);
	ck_assert_int_eq(count_prepared(conn, "t_%"), 2);
	/* After a reset: nothing prepared until db_reset prepares again. */
	ck_assert_int_eq(db_reset(conn, late_stmts), DB_ERR_QUERY);
	ck_assert_int_eq(count_prepared(conn, "t_%"), 2);
	check_value(conn, "t_add", "2", "3");
}
END_TEST

START_TEST(lost_connection_is_detected)
{
	PGconn *killer = db_connect(tdb.conninfo, 1, 0);
	char pid[16];
	const char *p[1] = {pid};
	struct db_err err;

	ck_assert_ptr_nonnull(killer);
	snprintf(pid, sizeof pid, "%d", PQbackendPID(conn));
	ck_assert_int_eq(db_command(killer, "SELECT pg_terminate_backend($1::int)", 1, p, NULL), DB_OK);
	db_close(killer);
	ck_assert_int_eq(db_command(conn, "SELECT 1", 0, NULL, &err), DB_ERR_CONNECT);
	ck_assert(!db_ok(conn));
	ck_assert_int_eq(db_reset(conn, NULL), DB_OK);
	ck_assert_int_eq(db_command(conn, "SELECT 1", 0, NULL, &err), DB_OK);
}
END_TEST

START_TEST(notify_reaches_a_listener)
{
	PGconn *listener = db_connect(tdb.conninfo, 1, 0);
	PGnotify *note;

	ck_assert_int_eq(db_command(listener, "LISTEN felt_test", 0, NULL, NULL), DB_OK);
	ck_assert_int_eq(db_notify(conn, "felt_test", "table-7", NULL), DB_OK);
	/* the notification is delivered with the next result on listener */
	ck_assert_int_eq(db_command(listener, "SELECT 1", 0, NULL, NULL), DB_OK);
	ck_assert_int_eq(PQconsumeInput(listener), 1);
	note = PQnotifies(listener);
	ck_assert_ptr_nonnull(note);
	ck_assert_str_eq(note->relname, "felt_test");
	ck_assert_str_eq(note->extra, "table-7");
	PQfreemem(note);
	db_close(listener);
}
END_TEST

/* --- connection settings: db_settings, db_conninfo --- */

START_TEST(settings_come_from_the_environment)
{
	struct db_settings s, d;
	const char *bad = NULL;

	db_settings_default(&d);
	ck_assert_int_eq(d.connect_timeout_s, 5);
	ck_assert_int_eq(d.statement_timeout_ms, 5000);
	ck_assert_int_eq(d.keepalive_s, 5);
	ck_assert_int_eq(d.pool_size, 8);
	ck_assert_int_eq(db_settings_load(&s, &bad), 0);
	ck_assert_mem_eq(&s, &d, sizeof s);
	setenv("FELT_DB_STATEMENT_TIMEOUT_MS", "250", 1);
	ck_assert_int_eq(db_settings_load(&s, &bad), 0);
	ck_assert_int_eq(s.statement_timeout_ms, 250);
	setenv("FELT_DB_CONNECT_TIMEOUT_S", "1", 1); /* libpq's minimum is 2 */
	ck_assert_int_eq(db_settings_load(&s, &bad), CONFIG_ERR_RANGE);
	ck_assert_str_eq(bad, "FELT_DB_CONNECT_TIMEOUT_S");
	ck_assert_int_eq(s.statement_timeout_ms, 250); /* unchanged on error */
	setenv("FELT_DB_CONNECT_TIMEOUT_S", "5s", 1);
	ck_assert_int_eq(db_settings_load(&s, &bad), CONFIG_ERR_SYNTAX);
	unsetenv("FELT_DB_CONNECT_TIMEOUT_S");
	unsetenv("FELT_DB_STATEMENT_TIMEOUT_MS");
}
END_TEST

START_TEST(conninfo_gets_felt_settings_unless_it_has_its_own)
{
	struct db_settings s;
	struct db_err err;
	char *ci;

	db_settings_default(&s);
	s.statement_timeout_ms = 1234;
	ci = db_conninfo("host=/tmp dbname=x connect_timeout=9", &s, "felt-test", &err);
	ck_assert_ptr_nonnull(ci);
	ck_assert_ptr_nonnull(strstr(ci, "connect_timeout='9'"));
	ck_assert_ptr_null(strstr(ci, "connect_timeout='5'"));
	ck_assert_ptr_nonnull(strstr(ci, "keepalives_idle='5'"));
	ck_assert_ptr_nonnull(strstr(ci, "tcp_user_timeout='20000'"));
	ck_assert_ptr_nonnull(strstr(ci, "fallback_application_name='felt-test'"));
	ck_assert_ptr_nonnull(strstr(ci, "options='-c statement_timeout=1234'"));
	free(ci);
	/* A URI; its own options come after felt's (so they win); quoting. */
	ci = db_conninfo("postgresql://u@h/d?options=-c%20statement_timeout%3D0&application_name=it's",
			 NULL, NULL, &err);
	ck_assert_ptr_nonnull(ci);
	ck_assert_ptr_nonnull(strstr(ci, "options='-c statement_timeout=5000 -c statement_timeout=0'"));
	ck_assert_ptr_nonnull(strstr(ci, "application_name='it\\'s'"));
	ck_assert_ptr_nonnull(strstr(ci, "fallback_application_name='felt'"));
	free(ci);
	ck_assert_ptr_null(db_conninfo("host", NULL, NULL, &err));
	ck_assert_int_eq(err.code, DB_ERR_ARG);
	ck_assert_str_ne(err.message, "");
	ci = db_conninfo(NULL, NULL, NULL, NULL);
	ck_assert_ptr_nonnull(ci);
	free(ci);
}
END_TEST

START_TEST(a_completed_conninfo_connects_with_the_settings)
{
	struct db_settings s;
	char *ci;
	PGconn *c;
	PGresult *r;

	db_settings_default(&s);
	s.statement_timeout_ms = 1500;
	/* tdb.conninfo sets search_path through options: kept. */
	ci = db_conninfo(tdb.conninfo, &s, "felt-test", NULL);
	c = db_connect(ci, 1, 0);
	free(ci);
	ck_assert_ptr_nonnull(c);
	r = db_exec(c, "SELECT current_setting('statement_timeout'), current_schema(),"
		    " current_setting('application_name')", 0, NULL, NULL);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(PQgetvalue(r, 0, 0), "1500ms");
	ck_assert_str_eq(PQgetvalue(r, 0, 1), tdb.name);
	ck_assert_str_eq(PQgetvalue(r, 0, 2), "felt-test");
	PQclear(r);
	db_close(c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("db");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	testdb_server();
	log_set_level(LOG_ERROR);
	testdb_create(&tdb, "db");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, connect_gives_up_after_attempts);
	tcase_add_test(tc, params_are_values_not_sql);
	tcase_add_test(tc, errors_are_classified);
	tcase_add_test(tc, int64_helpers);
	tcase_add_test(tc, transactions_commit_and_roll_back);
	tcase_add_test(tc, prepared_statements_survive_reset);
	tcase_add_test(tc, prepare_failure_names_the_statement);
	tcase_add_test(tc, a_statement_that_cannot_prepare_fails_alone_then_heals);
	tcase_add_test(tc, a_table_statement_checks_its_parameter_count);
	tcase_add_test(tc, a_new_connection_prepares_its_table_again);
	tcase_add_test(tc, lost_connection_is_detected);
	tcase_add_test(tc, notify_reaches_a_listener);
	tcase_add_test(tc, settings_come_from_the_environment);
	tcase_add_test(tc, conninfo_gets_felt_settings_unless_it_has_its_own);
	tcase_add_test(tc, a_completed_conninfo_connects_with_the_settings);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	testdb_drop(&tdb);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
