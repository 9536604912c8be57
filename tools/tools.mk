# tools/tools.mk — feltctl, the operator CLI (one file per command).
# Owner: core (issue 2); other areas add their feltctl_<command>.c here.

bin_PROGRAMS += tools/feltctl
tools_feltctl_SOURCES = \
	tools/feltctl.c tools/feltctl.h \
	tools/feltctl_migrate.c \
	tools/feltctl_platform_key.c \
	tools/feltctl_status.c \
	tools/feltctl_seal.c \
	tools/feltctl_audit.c \
	tools/feltctl_adjust.c tools/feltctl_adjust.h \
	tools/feltctl_phh.c

# feltctl credit/debit against a throw-away schema (FELT_TEST_DB, else it skips).
check_PROGRAMS += t/unit/tools/test_feltctl_adjust
TESTS += t/unit/tools/test_feltctl_adjust
t_unit_tools_test_feltctl_adjust_SOURCES = \
	t/unit/tools/test_feltctl_adjust.c tools/feltctl_adjust.c tools/feltctl_adjust.h
t_unit_tools_test_feltctl_adjust_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools \
	-DTEST_SQL_DIR='"$(abs_top_srcdir)/sql"'
t_unit_tools_test_feltctl_adjust_LDADD = $(UNIT_TEST_LIBS)

# felt-bot: agents playing over either WebSocket protocol (demo, conformance, load).
# The protocol layers, strategy, options and statistics are pure and unit tested;
# bot_agent/bot_conn/bot_http/bot_run are the libwebsockets side.
FELT_BOT_PURE = \
	tools/bot_strategy.c tools/bot_strategy.h \
	tools/bot_frame.c tools/bot_frame.h \
	tools/bot_molt.c tools/bot_molt.h \
	tools/bot_open.c tools/bot_open.h \
	tools/bot_opts.c tools/bot_opts.h \
	tools/bot_url.c tools/bot_url.h \
	tools/bot_rest.c tools/bot_rest.h \
	tools/bot_stats.c tools/bot_stats.h
bin_PROGRAMS += tools/felt-bot
tools_felt_bot_SOURCES = tools/felt-bot.c $(FELT_BOT_PURE) \
	tools/bot_run.h tools/bot_run.c tools/bot_pool.c tools/bot_agent.c tools/bot_conn.c \
	tools/bot_http.c tools/bot_http.h

FELT_BOT_TESTS = t/unit/tools/test_bot_protocols t/unit/tools/test_bot_parts
check_PROGRAMS += $(FELT_BOT_TESTS)
TESTS += $(FELT_BOT_TESTS)
EXTRA_DIST += t/unit/tools/frames
t_unit_tools_test_bot_protocols_SOURCES = t/unit/tools/test_bot_protocols.c $(FELT_BOT_PURE)
t_unit_tools_test_bot_protocols_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools \
	-DFRAMES_DIR='"$(abs_top_srcdir)/t/unit/tools/frames"'
t_unit_tools_test_bot_protocols_LDADD = $(UNIT_TEST_LIBS)
t_unit_tools_test_bot_parts_SOURCES = t/unit/tools/test_bot_parts.c $(FELT_BOT_PURE)
t_unit_tools_test_bot_parts_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools
t_unit_tools_test_bot_parts_LDADD = $(UNIT_TEST_LIBS)

# The WebSocket ceiling for t/bench/ws_play.sh: an lws echo server and load client
# (built on demand: make t/bench/ws_echo).
EXTRA_PROGRAMS += t/bench/ws_echo
t_bench_ws_echo_SOURCES = t/bench/ws_echo.c tools/bot_stats.c tools/bot_stats.h \
	tools/bot_url.c tools/bot_url.h
t_bench_ws_echo_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools
t_bench_ws_echo_LDADD = $(LWS_LIBS)
