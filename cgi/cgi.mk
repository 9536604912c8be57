# cgi/cgi.mk — felt-api, the threaded FastCGI responder. Owner: api (issue 2).
#
# Everything except main.c goes into cgi/libfeltapi.a so the unit tests link exactly
# the code the program runs. Endpoint areas append their handler files to
# cgi_libfeltapi_a_SOURCES (and their routes to cgi/routes.c).

noinst_LIBRARIES += cgi/libfeltapi.a
cgi_libfeltapi_a_SOURCES = \
	cgi/apiconf.c cgi/apiconf.h \
	cgi/apidb.c cgi/apidb.h \
	cgi/dbwatch.c cgi/dbwatch.h \
	cgi/handler.c cgi/handler.h \
	cgi/health.c cgi/health.h \
	cgi/queries.c cgi/queries.h \
	cgi/request.c cgi/request.h \
	cgi/response.c cgi/response.h \
	cgi/router.c cgi/router.h \
	cgi/routes.c \
	cgi/serve.c cgi/serve.h \
	cgi/skill.c cgi/skill.h \
	cgi/home.c cgi/home.h \
	cgi/worker.c cgi/worker.h

# Accounts and money, /api + POST /v1/agents (owner: money, issue 4).
cgi_libfeltapi_a_SOURCES += \
	cgi/api_handlers.h \
	cgi/api_agents.c cgi/api_money.c cgi/api_platform.c cgi/api_config.c cgi/api_tables.c \
	cgi/v1_agents.c \
	cgi/caller.c cgi/caller.h \
	cgi/profile.c cgi/profile.h

# Deposits and withdrawals, /api (owner: payd, issue 11).
cgi_libfeltapi_a_SOURCES += cgi/api_deposit.c cgi/api_withdraw.c

# Active game, hand history and PHH export, /api (owner: history, issue 10 item 5).
cgi_libfeltapi_a_SOURCES += cgi/api_history.c cgi/history.c cgi/history.h

# The /v1 tables, sessions and admin (owner: v1api, issue 9 item 3).
cgi_libfeltapi_a_SOURCES += \
	cgi/v1_handlers.h \
	cgi/v1_tables.c cgi/v1_join.c cgi/v1_admin.c \
	cgi/v1_common.c cgi/v1_common.h \
	cgi/v1_tableconf.c cgi/v1_tableconf.h

sbin_PROGRAMS += cgi/felt-api
cgi_felt_api_SOURCES = cgi/main.c
cgi_felt_api_LDADD = cgi/libfeltapi.a $(LDADD)

dist_pkgdata_DATA += www/skill.md

CGI_UNIT_TESTS = \
	t/unit/cgi/test_request \
	t/unit/cgi/test_response \
	t/unit/cgi/test_router \
	t/unit/cgi/test_skill \
	t/unit/cgi/test_serve \
	t/unit/cgi/test_health \
	t/unit/cgi/test_queries \
	t/unit/cgi/test_v1_tableconf \
	t/unit/cgi/test_history

check_PROGRAMS += $(CGI_UNIT_TESTS)
TESTS += $(CGI_UNIT_TESTS)

# The tests include cgi/ headers; their per-target flags give them their own objects.
CGI_TEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/cgi
CGI_TEST_LDADD = cgi/libfeltapi.a $(UNIT_TEST_LIBS)
t_unit_cgi_test_request_SOURCES = t/unit/cgi/test_request.c t/unit/cgi/cgi_testio.h
t_unit_cgi_test_response_SOURCES = t/unit/cgi/test_response.c t/unit/cgi/cgi_testio.h
t_unit_cgi_test_serve_SOURCES = t/unit/cgi/test_serve.c t/unit/cgi/cgi_testio.h
t_unit_cgi_test_request_CPPFLAGS = $(CGI_TEST_CPPFLAGS)
t_unit_cgi_test_response_CPPFLAGS = $(CGI_TEST_CPPFLAGS)
t_unit_cgi_test_router_CPPFLAGS = $(CGI_TEST_CPPFLAGS)
t_unit_cgi_test_skill_CPPFLAGS = $(CGI_TEST_CPPFLAGS)
t_unit_cgi_test_serve_CPPFLAGS = $(CGI_TEST_CPPFLAGS)
t_unit_cgi_test_v1_tableconf_CPPFLAGS = $(CGI_TEST_CPPFLAGS)
# test_health migrates a private schema from the source tree's sql/.
t_unit_cgi_test_health_CPPFLAGS = $(CGI_TEST_CPPFLAGS) \
	-DTEST_SQL_DIR='"$(abs_top_srcdir)/sql"'
t_unit_cgi_test_request_LDADD = $(CGI_TEST_LDADD)
t_unit_cgi_test_response_LDADD = $(CGI_TEST_LDADD)
t_unit_cgi_test_router_LDADD = $(CGI_TEST_LDADD)
t_unit_cgi_test_skill_LDADD = $(CGI_TEST_LDADD)
t_unit_cgi_test_serve_LDADD = $(CGI_TEST_LDADD)
t_unit_cgi_test_health_LDADD = $(CGI_TEST_LDADD)
# test_queries prepares felt-api's whole statement table in a migrated schema.
t_unit_cgi_test_queries_CPPFLAGS = $(CGI_TEST_CPPFLAGS) \
	-DTEST_SQL_DIR='"$(abs_top_srcdir)/sql"'
t_unit_cgi_test_queries_LDADD = $(CGI_TEST_LDADD)
t_unit_cgi_test_v1_tableconf_LDADD = $(CGI_TEST_LDADD)
t_unit_cgi_test_history_SOURCES = t/unit/cgi/test_history.c t/unit/poker/handtest.h
t_unit_cgi_test_history_CPPFLAGS = $(CGI_TEST_CPPFLAGS)
t_unit_cgi_test_history_LDADD = $(CGI_TEST_LDADD)

# Benchmark of /health/live through nginx (needs a running stack; see BENCHMARKS.md).
EXTRA_DIST += t/bench/health_live.sh
# GET /health on a big ledger, before/after reconciling from maintained balances.
EXTRA_DIST += t/bench/health_full.sh
