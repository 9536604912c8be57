# lib/money/money.mk — money in libfelt (lib/money/all.h is the map): dollar
# parsing and formatting, the double-entry ledger from C, Keccak-256 and EIP-55
# wallet addresses, the published platform rules (settings).

lib_libfelt_a_SOURCES += \
	lib/money/all.h \
	lib/money/money.c lib/money/money.h \
	lib/money/ledger.c lib/money/ledger.h \
	lib/money/seal.c lib/money/seal.h \
	lib/money/audit.c lib/money/audit.h \
	lib/money/keccak.c lib/money/keccak.h \
	lib/money/eip55.c lib/money/eip55.h \
	lib/money/settings.c lib/money/settings.h \
	lib/money/settle.c lib/money/settle.h \
	lib/money/u256.c lib/money/u256.h \
	lib/money/abi.c lib/money/abi.h \
	lib/money/rpc.c lib/money/rpc.h \
	lib/money/chain.c lib/money/chain.h \
	lib/money/deposit.c lib/money/deposit.h \
	lib/money/payments.c lib/money/payments.h

MONEY_UNIT_TESTS = \
	t/unit/money/test_money \
	t/unit/money/test_ledger \
	t/unit/money/test_seal \
	t/unit/money/test_audit \
	t/unit/money/test_keccak \
	t/unit/money/test_eip55 \
	t/unit/money/test_settings \
	t/unit/money/test_settle \
	t/unit/money/test_u256 \
	t/unit/money/test_abi \
	t/unit/money/test_rpc \
	t/unit/money/test_chain \
	t/unit/money/test_deposit \
	t/unit/money/test_payments

check_PROGRAMS += $(MONEY_UNIT_TESTS)
TESTS += $(MONEY_UNIT_TESTS)

t_unit_money_test_money_LDADD = $(UNIT_TEST_LIBS)
t_unit_money_test_keccak_LDADD = $(UNIT_TEST_LIBS)
t_unit_money_test_eip55_LDADD = $(UNIT_TEST_LIBS)
t_unit_money_test_settings_LDADD = $(UNIT_TEST_LIBS)
t_unit_money_test_settle_SOURCES = t/unit/money/test_settle.c t/unit/poker/handplay.h \
	t/unit/poker/handtest.h
t_unit_money_test_settle_LDADD = $(UNIT_TEST_LIBS)
t_unit_money_test_u256_LDADD = $(UNIT_TEST_LIBS)
t_unit_money_test_abi_LDADD = $(UNIT_TEST_LIBS)
t_unit_money_test_deposit_LDADD = $(UNIT_TEST_LIBS)
# The JSON-RPC client tests run a scripted HTTP server in a thread.
t_unit_money_test_rpc_SOURCES = t/unit/money/test_rpc.c t/unit/money/fakerpc.h
t_unit_money_test_rpc_LDADD = $(UNIT_TEST_LIBS)
t_unit_money_test_chain_SOURCES = t/unit/money/test_chain.c t/unit/money/fakerpc.h
t_unit_money_test_chain_LDADD = $(UNIT_TEST_LIBS)
# Deposits and withdrawals in a private schema (FELT_TEST_DB, else it skips).
t_unit_money_test_payments_LDADD = $(UNIT_TEST_LIBS)
t_unit_money_test_payments_CPPFLAGS = $(AM_CPPFLAGS) -DTEST_SQL_DIR='"$(abs_top_srcdir)/sql"'
# The ledger test needs PostgreSQL (FELT_TEST_DB, else it skips) and applies the
# real migrations from the source tree.
t_unit_money_test_ledger_LDADD = $(UNIT_TEST_LIBS)
t_unit_money_test_ledger_CPPFLAGS = $(AM_CPPFLAGS) -DTEST_SQL_DIR='"$(abs_top_srcdir)/sql"'
t_unit_money_test_seal_LDADD = $(UNIT_TEST_LIBS)
# The audit test seals with the SQL sealer and recomputes in C; it tampers as
# the owner, which is enough to disable triggers (skipped without FELT_TEST_DB).
t_unit_money_test_audit_LDADD = $(UNIT_TEST_LIBS)
t_unit_money_test_audit_CPPFLAGS = $(AM_CPPFLAGS) -DTEST_SQL_DIR='"$(abs_top_srcdir)/sql"'

# Benchmark floor for t/bench/api_balance.sh: bare FastCGI + one prepared query.
# A server, not a run-once bench, so built on demand only (not in BENCH_PROGS).
EXTRA_PROGRAMS += t/bench/fcgi_baseline
t_bench_fcgi_baseline_SOURCES = t/bench/fcgi_baseline.c
t_bench_fcgi_baseline_LDADD = $(FCGI_LIBS) $(LIBPQ_LIBS) -lpthread
EXTRA_DIST += t/bench/api_balance.sh
EXTRA_DIST += t/bench/ledger_post.sh
