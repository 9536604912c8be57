/*
 * testdb_suite — running a check suite whose database cases need
 * FELT_TEST_DB, beside cases that need none.
 *
 * The database-free cases always run; the database cases are added only
 * when FELT_TEST_DB is set, in a private schema migrated from sql/
 * (testdb.h).  The program's exit status tells automake which happened:
 * 77 (skipped) when the database cases could not run even though the rest
 * passed, so a run without a database never reads as a full pass.
 * Header-only: static inline helpers.
 */
#ifndef FELT_TESTDB_SUITE_H
#define FELT_TESTDB_SUITE_H

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/db.h"
#include "core/migrate.h"
#include "testdb.h"

/* True when FELT_TEST_DB names a database to test against. */
static inline bool testdb_suite_wanted(void)
{
	const char *s = getenv("FELT_TEST_DB");

	return s && *s;
}

/* Create db's schema felt_t_<tag>_<pid> and apply the real migrations;
 * exits 99 when that fails (a broken database is an error, not a skip). */
static inline void testdb_suite_migrate(struct testdb *db, const char *tag)
{
	char err[512] = "";
	PGconn *c;

	testdb_create(db, tag);
	c = db_connect(db->conninfo, 1, 0);
	if (!c || migrate_run(c, TEST_SQL_DIR, NULL, err, sizeof err) != MIGRATE_OK) {
		fprintf(stderr, "migrate: %s\n", err);
		db_close(c);
		testdb_drop(db);
		exit(99);
	}
	db_close(c);
}

/*
 * Run s (consumed), in one process when nofork (cases that build on each
 * other's rows), then drop db when it is not NULL (it was migrated).
 * Returns the exit status for main: EXIT_FAILURE when a case failed, 77
 * when db is NULL (the database cases were skipped; prog names the program
 * in the message), else EXIT_SUCCESS.
 */
static inline int testdb_suite_run(Suite *s, bool nofork, struct testdb *db, const char *prog)
{
	SRunner *sr = srunner_create(s);
	int failed;

	if (nofork)
		srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (db)
		testdb_drop(db);
	if (failed)
		return EXIT_FAILURE;
	if (!db) {
		fprintf(stderr, "%s: FELT_TEST_DB not set: database cases skipped\n", prog);
		return 77;
	}
	return EXIT_SUCCESS;
}

#endif
