# lib/api.mk — /api building blocks in libfelt: dollar parsing/formatting (money),
# Keccak-256 + EIP-55 wallet addresses (keccak, eip55), account field syntax
# (validate), API key authentication (auth), the published platform rules
# (settings). Owner: money (issue 4).

lib_libfelt_a_SOURCES += \
	lib/money.c lib/money.h \
	lib/keccak.c lib/keccak.h \
	lib/eip55.c lib/eip55.h \
	lib/validate.c lib/validate.h \
	lib/auth.c lib/auth.h \
	lib/settings.c lib/settings.h

API_UNIT_TESTS = \
	t/unit/test_money \
	t/unit/test_keccak \
	t/unit/test_eip55 \
	t/unit/test_validate \
	t/unit/test_auth \
	t/unit/test_feltctl_adjust \
	t/unit/test_settings

check_PROGRAMS += $(API_UNIT_TESTS)
TESTS += $(API_UNIT_TESTS)

t_unit_test_money_LDADD = $(UNIT_TEST_LIBS)
t_unit_test_keccak_LDADD = $(UNIT_TEST_LIBS)
t_unit_test_eip55_LDADD = $(UNIT_TEST_LIBS)
t_unit_test_validate_LDADD = $(UNIT_TEST_LIBS)
t_unit_test_auth_LDADD = $(UNIT_TEST_LIBS)
t_unit_test_feltctl_adjust_LDADD = $(UNIT_TEST_LIBS)
t_unit_test_settings_LDADD = $(UNIT_TEST_LIBS)

# Database tests migrate a throw-away database from the source tree's sql/.
API_TEST_SQL_CPPFLAGS = $(AM_CPPFLAGS) -DTEST_SQL_DIR='"$(top_srcdir)/sql"'
t_unit_test_auth_CPPFLAGS = $(API_TEST_SQL_CPPFLAGS)
t_unit_test_feltctl_adjust_CPPFLAGS = $(API_TEST_SQL_CPPFLAGS) -I$(top_srcdir)/tools
t_unit_test_feltctl_adjust_SOURCES = \
	t/unit/test_feltctl_adjust.c tools/feltctl_adjust.c tools/feltctl_adjust.h


# Benchmark floor for t/bench/api_balance.sh: bare FastCGI + one prepared query.
# A server, not a run-once bench, so built on demand only (not in BENCH_PROGS).
EXTRA_PROGRAMS += t/bench/fcgi_baseline
t_bench_fcgi_baseline_SOURCES = t/bench/fcgi_baseline.c
t_bench_fcgi_baseline_LDADD = $(FCGI_LIBS) $(LIBPQ_LIBS) -lpthread
EXTRA_DIST += t/bench/api_balance.sh
