# fragment: see HACKING.md
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
	t/unit/test_hash

check_PROGRAMS += $(CORE_UNIT_TESTS)
TESTS += $(CORE_UNIT_TESTS)
EXTRA_DIST += t/unit/testdb.h

t_unit_test_config_LDADD = $(TEST_LDADD)
t_unit_test_log_LDADD = $(TEST_LDADD)
t_unit_test_json_LDADD = $(TEST_LDADD)
t_unit_test_token_LDADD = $(TEST_LDADD)
t_unit_test_hash_LDADD = $(TEST_LDADD)

# TEST_LDADD is substituted by configure, so automake cannot see that the
# programs need libfelt.a; say it, or a parallel make links too early.
t_unit_test_config_DEPENDENCIES = lib/libfelt.a
t_unit_test_log_DEPENDENCIES = lib/libfelt.a
t_unit_test_json_DEPENDENCIES = lib/libfelt.a
t_unit_test_token_DEPENDENCIES = lib/libfelt.a
t_unit_test_hash_DEPENDENCIES = lib/libfelt.a
