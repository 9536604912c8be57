# lib/core.mk — libfelt infrastructure: config, log, json, db, token, hash,
# ledger, migrate.  Owner: core (issue 2).

lib_libfelt_a_SOURCES += \
	lib/config.c lib/config.h \
	lib/log.c lib/log.h \
	lib/json.c lib/json.h \
	lib/db.c lib/db.h \
	lib/token.c lib/token.h \
	lib/hash.c lib/hash.h \
	lib/ledger.c lib/ledger.h \
	lib/migrate.c lib/migrate.h

CORE_UNIT_TESTS = \
	t/unit/test_config \
	t/unit/test_log \
	t/unit/test_json \
	t/unit/test_token \
	t/unit/test_hash \
	t/unit/test_db \
	t/unit/test_ledger \
	t/unit/test_migrate

check_PROGRAMS += $(CORE_UNIT_TESTS)
TESTS += $(CORE_UNIT_TESTS)
EXTRA_DIST += t/unit/testdb.h t/unit/testdb_suite.h

t_unit_test_config_LDADD = $(UNIT_TEST_LIBS)
t_unit_test_log_LDADD = $(UNIT_TEST_LIBS)
t_unit_test_json_LDADD = $(UNIT_TEST_LIBS)
t_unit_test_token_LDADD = $(UNIT_TEST_LIBS)
t_unit_test_hash_LDADD = $(UNIT_TEST_LIBS)
# db, ledger and migrate need PostgreSQL: FELT_TEST_DB, else they skip (77).
t_unit_test_db_LDADD = $(UNIT_TEST_LIBS)
t_unit_test_ledger_LDADD = $(UNIT_TEST_LIBS)
t_unit_test_migrate_LDADD = $(UNIT_TEST_LIBS)
# ledger and migrate apply the real migrations from the source tree.
t_unit_test_ledger_CPPFLAGS = $(AM_CPPFLAGS) -DTEST_SQL_DIR='"$(abs_top_srcdir)/sql"'
t_unit_test_migrate_CPPFLAGS = $(AM_CPPFLAGS) -DTEST_SQL_DIR='"$(abs_top_srcdir)/sql"'

