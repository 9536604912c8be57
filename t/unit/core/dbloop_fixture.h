/*
 * dbloop_fixture — what the dbloop tests share (test_dbloop.c: the
 * pipeline; test_dbloop_conn.c: the connection's life): the statement
 * table, one connection on the poll() loop of loop_harness.h, helpers to
 * start it, ask and wait, and to kill its backend from another
 * connection.  dbloop_fixture_main runs a suite in a private schema of
 * FELT_TEST_DB (exit 77 without it).  Header-only: static helpers.
 */
#ifndef FELT_DBLOOP_FIXTURE_H
#define FELT_DBLOOP_FIXTURE_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/dbloop.h"
#include "core/log.h"
#include "loop_harness.h"
#include "testdb.h"

static struct testdb tdb;

static const struct db_stmt stmts[] = {
	{"t_echo", "SELECT $1::int", 1},
	{"t_pid", "SELECT pg_backend_pid()", 0},
	{"t_div", "SELECT 1 / $1::int", 1},
	{"t_sleep", "SELECT pg_sleep($1::float8)", 1},
	{"t_notify", "SELECT pg_notify($1, $2)", 2},
	{"t_deferred", "INSERT INTO t_def VALUES ($1::int)", 1},
	{"t_prepared", "SELECT count(*) FROM pg_prepared_statements", 0},
	{"t_len", "SELECT length($1)", 1},
	{"t_late", "SELECT count(*) FROM t_later", 0}, /* its table comes later */
	{NULL, NULL, 0},
};
#define N_PREPARABLE 8 /* all but t_late, until t_later exists */

static const char *const channels[] = {"felt_test", "felt_other", NULL};

static struct loop_conn lc;
static struct loop_conn *conns[1] = {&lc};
static struct dbloop_hooks hooks;

static inline bool is_up(void *arg)
{
	(void)arg;
	return lc.up;
}

static inline bool is_down(void *arg)
{
	(void)arg;
	return !lc.up && lc.downs > 0;
}

static inline bool answered_once(void *arg)
{
	return ((struct loop_answer *)arg)->calls > 0;
}

static inline void wait_all(struct loop_answer *a, int n)
{
	struct loop_answers w = {a, n};

	loop_run_until(conns, 1, loop_all_answered, &w);
}

static inline struct dbloop *start_with(const struct db_settings *s, const char *conninfo)
{
	hooks = loop_hooks(&lc);
	lc.db = dbloop_new(conninfo, s, "felt-test", stmts, channels, &hooks);
	ck_assert_ptr_nonnull(lc.db);
	loop_answered = 0;
	dbloop_start(lc.db);
	return lc.db;
}

/* A connected loop with the default settings. */
static inline struct dbloop *start_up(void)
{
	struct dbloop *db = start_with(NULL, tdb.conninfo);

	loop_run_until(conns, 1, is_up, NULL);
	ck_assert_int_eq(lc.ups, 1);
	return db;
}

static inline void query(struct dbloop *db, const char *name, const char *p1, struct loop_answer *a)
{
	const char *params[1] = {p1};
	int n = db_stmt_find(stmts, name, NULL)->nparams;

	ck_assert_int_eq(dbloop_query(db, name, n, params, loop_on_answer, a), 0);
}

/* Run one statement and wait for its answer. */
static inline struct loop_answer ask(struct dbloop *db, const char *name, const char *p1)
{
	struct loop_answer a = {0};

	query(db, name, p1, &a);
	loop_run_until(conns, 1, answered_once, &a);
	ck_assert_int_eq(a.calls, 1);
	return a;
}

static inline PGconn *other_conn(void)
{
	PGconn *c = db_connect(tdb.conninfo, 1, 0);

	ck_assert_ptr_nonnull(c);
	return c;
}

/* Terminate the backend behind db from another connection. */
static inline void kill_backend(struct dbloop *db)
{
	struct loop_answer pid = ask(db, "t_pid", NULL);
	const char *p[1] = {pid.value};
	PGconn *c = other_conn();

	ck_assert_int_eq(db_command(c, "SELECT pg_terminate_backend($1::int)", 1, p, NULL), DB_OK);
	db_close(c);
}

/* Run s against a fresh schema (with the table t_def the cases use);
 * returns main's exit status. */
static inline int dbloop_fixture_main(Suite *s)
{
	SRunner *sr;
	PGconn *c;
	int failed;

	testdb_server();
	log_set_level(LOG_ERROR);
	testdb_create(&tdb, "dbloop");
	c = db_connect(tdb.conninfo, 1, 0);
	if (!c || db_command(c, "CREATE TABLE t_def (a int UNIQUE DEFERRABLE INITIALLY DEFERRED)",
			     0, NULL, NULL) != DB_OK)
		return 99;
	db_close(c);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	testdb_drop(&tdb);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
