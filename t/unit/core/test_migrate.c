/* Unit tests for lib/migrate against a real PostgreSQL (FELT_TEST_DB;
 * skipped when unset): ordering, idempotence, checksums, rollback of a
 * failed migration, names; and the real sql/ directory. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/db.h"
#include "core/log.h"
#include "core/migrate.h"
#include "testdb.h"

static struct testdb tdb;
static PGconn *conn;
static char dir[] = "/tmp/felt-migrate-XXXXXX";
static int dir_ready;

static void write_file(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void remove_file(const char *name)
{
	char path[256];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	unlink(path);
}

static int64_t count(const char *sql)
{
	int64_t n = -1;

	ck_assert_int_eq(db_query_int64(conn, sql, 0, NULL, &n, NULL), DB_OK);
	return n;
}

/* Each test starts from an empty schema and an empty directory. */
static void setup(void)
{
	static const char *const names[] = {"001_a.sql", "002_b.sql", "003_c.sql", "004_bad.sql",
					    "3_dup.sql", "x.sql", "notes.txt", "005_d.sql"};

	if (!dir_ready) {
		ck_assert_ptr_nonnull(mkdtemp(dir));
		dir_ready = 1;
	}
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		remove_file(names[i]);
	conn = db_connect(tdb.conninfo, 1, 0);
	ck_assert_ptr_nonnull(conn);
	testdb_reset(conn, &tdb);
}

static void teardown(void)
{
	db_close(conn);
}

START_TEST(applies_in_order_once)
{
	char err[512];
	int applied = -1;

	/* 002 depends on 001: order matters, and 10 sorts after 2 */
	write_file("002_b.sql", "INSERT INTO m_log VALUES ('b');");
	write_file("001_a.sql", "CREATE TABLE m_log (what text); INSERT INTO m_log VALUES ('a');");
	write_file("notes.txt", "not a migration");
	ck_assert_int_eq(migrate_run(conn, dir, &applied, err, sizeof err), MIGRATE_OK);
	ck_assert_int_eq(applied, 2);
	ck_assert_int_eq(count("SELECT count(*) FROM m_log"), 2);
	ck_assert_int_eq(migrate_run(conn, dir, &applied, err, sizeof err), MIGRATE_OK);
	ck_assert_int_eq(applied, 0);
	ck_assert_int_eq(count("SELECT count(*) FROM m_log"), 2);
	write_file("010_c.sql", "INSERT INTO m_log VALUES ('c');");
	ck_assert_int_eq(migrate_run(conn, dir, &applied, err, sizeof err), MIGRATE_OK);
	ck_assert_int_eq(applied, 1);
	ck_assert_int_eq(count("SELECT count(*) FROM schema_migrations"), 3);
	ck_assert_int_eq(count("SELECT max(version) FROM schema_migrations"), 10);
	remove_file("010_c.sql");
}
END_TEST

START_TEST(refuses_an_edited_migration)
{
	char err[512];
	int applied;

	write_file("001_a.sql", "CREATE TABLE m_one (x int);");
	ck_assert_int_eq(migrate_run(conn, dir, &applied, err, sizeof err), MIGRATE_OK);
	write_file("001_a.sql", "CREATE TABLE m_one (x int, y int);");
	write_file("002_b.sql", "CREATE TABLE m_two (x int);");
	ck_assert_int_eq(migrate_run(conn, dir, &applied, err, sizeof err), MIGRATE_ERR_CHECKSUM);
	ck_assert_ptr_nonnull(strstr(err, "001_a.sql"));
	ck_assert_ptr_nonnull(strstr(err, "edited"));
	ck_assert_int_eq(applied, 0);
	/* nothing after the refusal ran */
	ck_assert_int_eq(count("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'm_two'"), 0);
}
END_TEST

START_TEST(refuses_a_missing_applied_file)
{
	char err[512];
	int applied;

	write_file("001_a.sql", "SELECT 1;");
	ck_assert_int_eq(migrate_run(conn, dir, &applied, err, sizeof err), MIGRATE_OK);
	remove_file("001_a.sql");
	ck_assert_int_eq(migrate_run(conn, dir, &applied, err, sizeof err), MIGRATE_ERR_MISSING);
	ck_assert_ptr_nonnull(strstr(err, "001_a.sql"));
}
END_TEST

START_TEST(failed_migration_leaves_nothing)
{
	char err[512];
	int applied;

	write_file("001_a.sql", "CREATE TABLE m_ok (x int);");
	write_file("002_b.sql", "CREATE TABLE m_half (x int);\nINSERT INTO m_nowhere VALUES (1);");
	write_file("003_c.sql", "CREATE TABLE m_after (x int);");
	ck_assert_int_eq(migrate_run(conn, dir, &applied, err, sizeof err), MIGRATE_ERR_SQL);
	ck_assert_int_eq(applied, 1);
	ck_assert_ptr_nonnull(strstr(err, "002_b.sql"));
	ck_assert_ptr_nonnull(strstr(err, "m_nowhere"));
	ck_assert_int_eq(count("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename IN ('m_half', 'm_after')"), 0);
	ck_assert_int_eq(count("SELECT count(*) FROM schema_migrations"), 1);
	/* fixed forward, the run completes */
	write_file("002_b.sql", "CREATE TABLE m_half (x int);");
	ck_assert_int_eq(migrate_run(conn, dir, &applied, err, sizeof err), MIGRATE_OK);
	ck_assert_int_eq(applied, 2);
}
END_TEST

START_TEST(bad_names_are_refused)
{
	char err[512];
	int applied;

	write_file("x.sql", "SELECT 1;");
	ck_assert_int_eq(migrate_run(conn, dir, &applied, err, sizeof err), MIGRATE_ERR_NAME);
	ck_assert_ptr_nonnull(strstr(err, "x.sql"));
	remove_file("x.sql");
	write_file("003_c.sql", "SELECT 1;");
	write_file("3_dup.sql", "SELECT 1;");
	ck_assert_int_eq(migrate_run(conn, dir, &applied, err, sizeof err), MIGRATE_ERR_NAME);
	ck_assert_ptr_nonnull(strstr(err, "same number"));
	ck_assert_int_eq(migrate_run(conn, "/nonexistent/dir", &applied, err, sizeof err), MIGRATE_ERR_DIR);
}
END_TEST

START_TEST(status_reports_without_changing)
{
	struct migrate_info info[8];
	char err[512];
	int n = -1, applied;

	write_file("001_a.sql", "SELECT 1;");
	write_file("002_b.sql", "SELECT 2;");
	/* a fresh database: nothing applied, and no schema_migrations made */
	ck_assert_int_eq(migrate_status(conn, dir, info, 8, &n, err, sizeof err), MIGRATE_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(info[0].applied + info[1].applied, 0);
	ck_assert_int_eq(count("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'"), 0);
	ck_assert_int_eq(migrate_run(conn, dir, &applied, err, sizeof err), MIGRATE_OK);
	write_file("005_d.sql", "SELECT 5;");
	ck_assert_int_eq(migrate_status(conn, dir, info, 8, &n, err, sizeof err), MIGRATE_OK);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(info[0].version, 1);
	ck_assert(info[0].applied && info[1].applied && !info[2].applied);
	ck_assert_str_eq(info[2].name, "005_d.sql");
	ck_assert_uint_eq(strlen(info[0].checksum), 64);
	ck_assert(info[0].applied_at[0] != '\0');
	write_file("001_a.sql", "SELECT 11;");
	ck_assert_int_eq(migrate_status(conn, dir, info, 8, &n, err, sizeof err), MIGRATE_ERR_CHECKSUM);
	ck_assert_int_eq(n, 3);
}
END_TEST

START_TEST(real_schema_applies_once_and_is_documented)
{
	char err[512];
	int applied = -1;

	ck_assert_int_eq(migrate_run(conn, TEST_SQL_DIR, &applied, err, sizeof err), MIGRATE_OK);
	ck_assert_int_gt(applied, 0);
	ck_assert_int_eq(migrate_run(conn, TEST_SQL_DIR, &applied, err, sizeof err), MIGRATE_OK);
	ck_assert_int_eq(applied, 0);
	/* DBAs read the schema with \d+: every table, view and column says
	 * what it is */
	ck_assert_int_eq(count("SELECT count(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace"
			       " WHERE s.nspname = current_schema() AND c.relkind IN ('r', 'v')"
			       " AND obj_description(c.oid, 'pg_class') IS NULL"), 0);
	ck_assert_int_eq(count("SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
			       " JOIN pg_namespace s ON s.oid = c.relnamespace"
			       " WHERE s.nspname = current_schema() AND c.relkind IN ('r', 'v')"
			       " AND a.attnum > 0 AND NOT a.attisdropped"
			       " AND col_description(c.oid, a.attnum) IS NULL"), 0);
	ck_assert_int_eq(count("SELECT count(*) FROM agents WHERE id = '00000000-0000-0000-0000-000000000001'"), 1);
}
END_TEST

START_TEST(pins_the_search_path_of_functions)
{
	char err[512], want[128];
	const char *p[1] = {want};
	int applied = -1;
	int64_t same = 0;

	/* SET search_path FROM CURRENT inside a migration pins "<schema>,
	 * pg_temp" (sql/030's rule), and the session keeps its own path. */
	write_file("001_a.sql", "CREATE FUNCTION m_f() RETURNS int LANGUAGE sql SECURITY DEFINER"
				" SET search_path FROM CURRENT AS 'SELECT 1';");
	ck_assert_int_eq(migrate_run(conn, dir, &applied, err, sizeof err), MIGRATE_OK);
	snprintf(want, sizeof want, "search_path=%s, pg_temp", tdb.name);
	ck_assert_int_eq(db_query_int64(conn, "SELECT count(*) FROM pg_proc WHERE proname = 'm_f'"
				       " AND proconfig = ARRAY[$1]", 1, p, &same, NULL), DB_OK);
	ck_assert_int_eq(same, 1);
	ck_assert_int_eq(count("SELECT count(*) WHERE current_setting('search_path') NOT LIKE '%pg_temp%'"), 1);
}
END_TEST

START_TEST(concurrent_runners_do_not_race)
{
	PGconn *other = db_connect(tdb.conninfo, 1, 0);
	char key[24], err[512];
	const char *p[1] = {key};
	int applied = -1;

	/* Another runner holds the lock: ours must wait, so a statement
	 * timeout proves it did not go ahead. */
	snprintf(key, sizeof key, "%d", MIGRATE_LOCK_KEY);
	ck_assert_int_eq(db_command(other, "SELECT pg_advisory_lock($1::bigint)", 1, p, NULL), DB_OK);
	write_file("001_a.sql", "CREATE TABLE m_locked (x int);");
	ck_assert_int_eq(db_command(conn, "SET statement_timeout = 300", 0, NULL, NULL), DB_OK);
	ck_assert_int_eq(migrate_run(conn, dir, &applied, err, sizeof err), MIGRATE_ERR_DB);
	ck_assert_ptr_nonnull(strstr(err, "lock"));
	ck_assert_int_eq(db_command(conn, "SET statement_timeout = 0", 0, NULL, NULL), DB_OK);
	db_close(other);
	ck_assert_int_eq(migrate_run(conn, dir, &applied, err, sizeof err), MIGRATE_OK);
	ck_assert_int_eq(applied, 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("migrate");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	testdb_server();
	log_set_level(LOG_ERROR);
	testdb_create(&tdb, "migrate");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, applies_in_order_once);
	tcase_add_test(tc, refuses_an_edited_migration);
	tcase_add_test(tc, refuses_a_missing_applied_file);
	tcase_add_test(tc, failed_migration_leaves_nothing);
	tcase_add_test(tc, bad_names_are_refused);
	tcase_add_test(tc, status_reports_without_changing);
	tcase_add_test(tc, real_schema_applies_once_and_is_documented);
	tcase_add_test(tc, pins_the_search_path_of_functions);
	tcase_add_test(tc, concurrent_runners_do_not_race);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	/* one process: the temp directory and database are shared state */
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	testdb_drop(&tdb);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
