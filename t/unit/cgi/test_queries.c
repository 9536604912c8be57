/*
 * Unit tests for cgi/queries: felt-api's statement table against a freshly
 * migrated private schema of FELT_TEST_DB (exit 77 without it).  Every
 * statement prepares, with the parameter count the table declares, and
 * the names are distinct: a typo in SQL or in nparams fails here, not on
 * the request that first runs it.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/log.h"
#include "queries.h"
#include "../core/testdb_suite.h"

static struct testdb tdb;

/* Statements on tables that a later migration adds (felt-payd's). */
static bool comes_later(const char *name)
{
	return strcmp(name, QUERIES_DEPOSITS_PENDING) == 0;
}

START_TEST(every_statement_prepares_with_its_declared_parameters)
{
	PGconn *c = db_connect(tdb.conninfo, 1, 0);
	int n = 0;

	ck_assert_ptr_nonnull(c);
	for (const struct db_stmt *s = queries; s->name; s++, n++) {
		PGresult *r = PQprepare(c, s->name, s->sql, s->nparams, NULL);
		const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);

		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			ck_assert_msg(comes_later(s->name) && state && strcmp(state, "42P01") == 0,
				      "%s: %s", s->name, PQresultErrorMessage(r));
			PQclear(r);
			continue;
		}
		PQclear(r);
		r = PQdescribePrepared(c, s->name);
		ck_assert_int_eq(PQresultStatus(r), PGRES_COMMAND_OK);
		ck_assert_msg(PQnparams(r) == s->nparams, "%s: %d parameters, table says %d",
			      s->name, PQnparams(r), s->nparams);
		PQclear(r);
		for (const struct db_stmt *t = queries; t < s; t++)
			ck_assert_str_ne(t->name, s->name);
	}
	ck_assert_int_gt(n, 10);
	db_close(c);
}
END_TEST

START_TEST(the_table_is_prepared_in_one_round_trip)
{
	PGconn *c = db_connect(tdb.conninfo, 1, 0);
	struct db_err err;
	int rc = db_prepare_all(c, queries, &err);
	PGresult *r;

	/* Only statements that come later may fail, and alone. */
	ck_assert_msg(rc == DB_OK || (rc == DB_ERR_QUERY && strcmp(err.sqlstate, "42P01") == 0),
		      "%s", err.message);
	r = db_exec_prepared(c, QUERIES_PING, 0, NULL, &err);
	ck_assert_ptr_nonnull(r);
	PQclear(r);
	db_close(c);
}
END_TEST

int main(void)
{
	bool with_db = testdb_suite_wanted();
	Suite *s = suite_create("queries");
	TCase *tc = tcase_create("db");

	if (with_db) {
		log_set_level(LOG_ERROR);
		testdb_suite_migrate(&tdb, "queries");
		tcase_add_test(tc, every_statement_prepares_with_its_declared_parameters);
		tcase_add_test(tc, the_table_is_prepared_in_one_round_trip);
	}
	suite_add_tcase(s, tc);
	return testdb_suite_run(s, false, with_db ? &tdb : NULL, "test_queries");
}
