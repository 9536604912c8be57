# lib/core/core.mk — libfelt infrastructure (lib/core/all.h is the map): runtime
# configuration, the command-line convention, logging, JSON, the libpq layer (blocking
# db, non-blocking dbloop and dbpool), random tokens and hashes, migrations,
# API key authentication, account field syntax, UTF-8 and agent names (ICU).

lib_libfelt_a_SOURCES += \
	lib/core/all.h \
	lib/core/config.c lib/core/config.h \
	lib/core/cli.c lib/core/cli.h \
	lib/core/log.c lib/core/log.h \
	lib/core/utf8.c lib/core/utf8.h \
	lib/core/json.c lib/core/json.h \
	lib/core/pyjson.c lib/core/pyjson.h \
	lib/core/db.c lib/core/dbstmt.c lib/core/dbwait.c lib/core/db.h lib/core/dbwait.h \
	lib/core/dbloop.c lib/core/dbloop.h lib/core/dbloop_conn.c lib/core/dbloop_int.h \
	lib/core/dbpool.c lib/core/dbpool.h \
	lib/core/dbhealth.c lib/core/dbhealth.h \
	lib/core/token.c lib/core/token.h \
	lib/core/hash.c lib/core/hash.h \
	lib/core/migrate.c lib/core/migrate.h \
	lib/core/auth.c lib/core/auth.h \
	lib/core/validate.c lib/core/validate.h \
	lib/core/name.c lib/core/name.h

CORE_UNIT_TESTS = \
	t/unit/core/test_config \
	t/unit/core/test_cli \
	t/unit/core/test_log \
	t/unit/core/test_json \
	t/unit/core/test_pyjson \
	t/unit/core/test_token \
	t/unit/core/test_hash \
	t/unit/core/test_db \
	t/unit/core/test_dbloop \
	t/unit/core/test_dbloop_conn \
	t/unit/core/test_dbpool \
	t/unit/core/test_migrate \
	t/unit/core/test_auth \
	t/unit/core/test_validate \
	t/unit/core/test_utf8 \
	t/unit/core/test_name \
	t/unit/core/test_dbhealth \
	t/unit/core/test_dbwait

check_PROGRAMS += $(CORE_UNIT_TESTS)
TESTS += $(CORE_UNIT_TESTS)
EXTRA_DIST += t/unit/core/testdb.h t/unit/core/testdb_suite.h t/unit/core/loop_harness.h t/unit/core/dbloop_fixture.h

t_unit_core_test_config_LDADD = $(UNIT_TEST_LIBS)
t_unit_core_test_cli_LDADD = $(UNIT_TEST_LIBS)
t_unit_core_test_log_LDADD = $(UNIT_TEST_LIBS)
t_unit_core_test_json_LDADD = $(UNIT_TEST_LIBS)
t_unit_core_test_pyjson_LDADD = $(UNIT_TEST_LIBS)
t_unit_core_test_token_LDADD = $(UNIT_TEST_LIBS)
t_unit_core_test_hash_LDADD = $(UNIT_TEST_LIBS)
t_unit_core_test_validate_LDADD = $(UNIT_TEST_LIBS)
t_unit_core_test_utf8_LDADD = $(UNIT_TEST_LIBS)
t_unit_core_test_name_LDADD = $(UNIT_TEST_LIBS)
t_unit_core_test_dbhealth_LDADD = $(UNIT_TEST_LIBS)
# dbwait's database cases need FELT_TEST_DB (the rest always run).
t_unit_core_test_dbwait_LDADD = $(UNIT_TEST_LIBS)
t_unit_core_test_dbwait_CPPFLAGS = $(AM_CPPFLAGS) -DTEST_SQL_DIR='"$(abs_top_srcdir)/sql"'

# db, dbloop, dbpool, migrate and auth need PostgreSQL: FELT_TEST_DB, else they skip (77); migrate
# and auth apply the real migrations from the source tree.
t_unit_core_test_db_LDADD = $(UNIT_TEST_LIBS)
t_unit_core_test_dbloop_LDADD = $(UNIT_TEST_LIBS)
t_unit_core_test_dbloop_conn_LDADD = $(UNIT_TEST_LIBS)
t_unit_core_test_dbpool_LDADD = $(UNIT_TEST_LIBS)
t_unit_core_test_migrate_LDADD = $(UNIT_TEST_LIBS)
t_unit_core_test_migrate_CPPFLAGS = $(AM_CPPFLAGS) -DTEST_SQL_DIR='"$(abs_top_srcdir)/sql"'
t_unit_core_test_auth_LDADD = $(UNIT_TEST_LIBS)
t_unit_core_test_auth_CPPFLAGS = $(AM_CPPFLAGS) -DTEST_SQL_DIR='"$(abs_top_srcdir)/sql"'

# make bench: committed transactions per second through dbpool, 1-16 connections
# (needs FELT_BENCH_DB or FELT_DB; prints a skip line without).
EXTRA_PROGRAMS += t/bench/bench_dbpool
BENCH_PROGS += t/bench/bench_dbpool
